/* The "loader" device: places a file or a value in guest memory. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hw/core/device.h"
#include "hw/core/loader.h"
#include "util/error.h"

#include <elf.h>
#include <string.h>

/*
 * QEMU's generic loader (-device loader), for any machine:
 *   file=F,addr=A      the file's bytes at guest address A
 *   data=V,data-len=N,addr=A[,data-be=on]
 *                      an N-byte value (1..8) at A, little-endian unless
 *                      data-be=on
 * Everything goes through loader_place(): it is recorded with the other
 * images (a confidential technology that measures the initial image
 * sees it; a board that restores images at re-IPL restores it).
 *
 * Differences from QEMU: files are always placed as they are (QEMU also
 * parses ELF, U-Boot and Intel HEX files and then ignores addr); an ELF
 * file must say force-raw=on so that this is not a surprise.  There is no
 * cpu-num (setting a vCPU's program counter is each board's business).
 */
typedef struct {
    DeviceState parent_instance;

    char *file;
    uint64_t addr;
    bool addr_set;
    uint64_t data;
    guint data_len;
    bool data_be;
    bool force_raw;
} GenericLoader;
typedef DeviceStateClass GenericLoaderClass;

enum {
    PROP_0,
    PROP_FILE,
    PROP_ADDR,
    PROP_DATA,
    PROP_DATA_LEN,
    PROP_DATA_BE,
    PROP_FORCE_RAW,
};

CG_DEFINE_TYPE(GenericLoader, generic_loader, "loader", CG_TYPE_DEVICE)

#define GENERIC_LOADER(obj) ((GenericLoader *)(obj))

static bool place_value(GenericLoader *g, MachineState *ms, GError **err)
{
    uint8_t bytes[8];

    if (g->file != NULL || g->force_raw) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "loader: give either file= or data=, not both (and "
                    "force-raw= only with file=)");
        return false;
    }
    if (g->data_len < 1 || g->data_len > 8) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "loader: data-len=%u is out of range; give 1 to 8 "
                    "bytes", g->data_len);
        return false;
    }
    if (g->data_len < 8 && (g->data >> (8 * g->data_len)) != 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "loader: data=0x%" G_GINT64_MODIFIER "x does not fit "
                    "in data-len=%u bytes", g->data, g->data_len);
        return false;
    }
    for (guint i = 0; i < g->data_len; i++) {
        guint shift = g->data_be ? 8 * (g->data_len - 1 - i) : 8 * i;
        bytes[i] = (uint8_t)(g->data >> shift);
    }
    return loader_place(ms, "loader", g->addr, bytes, g->data_len, err);
}

static bool generic_loader_realize(DeviceState *dev, GError **err)
{
    GenericLoader *g = GENERIC_LOADER(dev);
    MachineState *ms = dev->machine;
    g_autofree char *data = NULL;
    g_autofree char *what = NULL;
    gsize len = 0;

    if (!g->addr_set) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "loader: addr= is missing; give the guest address to "
                    "place %s at", g->file ? "the file" : "the data");
        return false;
    }
    if (g->data_len != 0) {
        return place_value(g, ms, err);
    }
    if (g->file == NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "loader: give file=PATH or data=VALUE,data-len=N");
        return false;
    }
    if (!loader_read_file("-device loader", g->file, ms->ram_size, &data,
                          &len, err)) {
        return false;
    }
    if (!g->force_raw && len >= SELFMAG && memcmp(data, ELFMAG,
                                                  SELFMAG) == 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "loader: %s is an ELF file; cgemu places files as they "
                    "are, so add force-raw=on to put its bytes at 0x%"
                    G_GINT64_MODIFIER "x", g->file, g->addr);
        return false;
    }
    what = g_strdup_printf("loader %s", g->file);
    return loader_place(ms, what, g->addr, data, len, err);
}

static void generic_loader_set_property(GObject *obj, guint id,
                                        const GValue *value,
                                        GParamSpec *pspec)
{
    GenericLoader *g = GENERIC_LOADER(obj);

    switch (id) {
    case PROP_FILE:
        g_free(g->file);
        g->file = g_value_dup_string(value);
        break;
    case PROP_ADDR:
        g->addr = g_value_get_uint64(value);
        g->addr_set = true;
        break;
    case PROP_DATA:
        g->data = g_value_get_uint64(value);
        break;
    case PROP_DATA_LEN:
        g->data_len = g_value_get_uint(value);
        break;
    case PROP_DATA_BE:
        g->data_be = g_value_get_boolean(value);
        break;
    case PROP_FORCE_RAW:
        g->force_raw = g_value_get_boolean(value);
        break;
    default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(obj, id, pspec);
    }
}

static void generic_loader_get_property(GObject *obj, guint id,
                                        GValue *value, GParamSpec *pspec)
{
    GenericLoader *g = GENERIC_LOADER(obj);

    switch (id) {
    case PROP_FILE:
        g_value_set_string(value, g->file);
        break;
    case PROP_ADDR:
        g_value_set_uint64(value, g->addr);
        break;
    case PROP_DATA:
        g_value_set_uint64(value, g->data);
        break;
    case PROP_DATA_LEN:
        g_value_set_uint(value, g->data_len);
        break;
    case PROP_DATA_BE:
        g_value_set_boolean(value, g->data_be);
        break;
    case PROP_FORCE_RAW:
        g_value_set_boolean(value, g->force_raw);
        break;
    default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(obj, id, pspec);
    }
}

static void generic_loader_finalize(GObject *obj)
{
    g_free(GENERIC_LOADER(obj)->file);
    G_OBJECT_CLASS(generic_loader_parent_class)->finalize(obj);
}

static void generic_loader_class_init(GenericLoaderClass *klass)
{
    GObjectClass *oc = G_OBJECT_CLASS(klass);
    GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

    oc->set_property = generic_loader_set_property;
    oc->get_property = generic_loader_get_property;
    oc->finalize = generic_loader_finalize;
    klass->desc = "Generic loader: a file or a value in guest memory";
    klass->user_creatable = true;
    klass->realize = generic_loader_realize;
    g_object_class_install_property(
        oc, PROP_FILE,
        g_param_spec_string("file", "file",
                            "File whose bytes go to addr", NULL, rw));
    g_object_class_install_property(
        oc, PROP_ADDR,
        g_param_spec_uint64("addr", "addr", "Guest-physical address", 0,
                            G_MAXUINT64, 0, rw));
    g_object_class_install_property(
        oc, PROP_DATA,
        g_param_spec_uint64("data", "data",
                            "Value to store (with data-len)", 0,
                            G_MAXUINT64, 0, rw));
    g_object_class_install_property(
        oc, PROP_DATA_LEN,
        g_param_spec_uint("data-len", "data-len",
                          "Size of data in bytes, 1 to 8", 0, 8, 0, rw));
    g_object_class_install_property(
        oc, PROP_DATA_BE,
        g_param_spec_boolean("data-be", "data-be",
                             "Store data big-endian", FALSE, rw));
    g_object_class_install_property(
        oc, PROP_FORCE_RAW,
        g_param_spec_boolean("force-raw", "force-raw",
                             "Place an ELF file's bytes as they are", FALSE,
                             rw));
}

static void generic_loader_init(GenericLoader *self)
{
}
