/* spapr-vty: the PAPR virtual terminal (hvterm1) on the VIO bus. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hw/ppc/spapr.h"

#include "chardev/char.h"
#include "util/error.h"

#include <string.h>

/*
 * The guest writes with H_PUT_TERM_CHAR and polls with H_GET_TERM_CHAR,
 * at most 16 bytes a call; input waits here until the guest takes it.
 */
#define VTY_BUF_SIZE 16

typedef struct {
    DeviceState parent_instance;

    uint32_t reg;
    char *chardev;

    Chardev *chr;
    uint8_t in[VTY_BUF_SIZE];
    unsigned in_head;
    unsigned in_count;
} SpaprVty;

typedef DeviceStateClass SpaprVtyClass;

enum {
    PROP_0,
    PROP_REG,
    PROP_CHARDEV,
};

CG_DEFINE_TYPE(SpaprVty, spapr_vty, TYPE_SPAPR_VTY, CG_TYPE_DEVICE)

#define SPAPR_VTY(obj)                                                        \
    G_TYPE_CHECK_INSTANCE_CAST((obj), spapr_vty_get_type(), SpaprVty)
#define IS_SPAPR_VTY(obj)                                                     \
    G_TYPE_CHECK_INSTANCE_TYPE((obj), spapr_vty_get_type())

/* chardev -> buffer (main loop); the buffer is the machine's state. */
static size_t fe_can_receive(void *opaque)
{
    SpaprVty *v = opaque;
    MachineState *ms = CG_DEVICE(v)->machine;
    size_t n;

    machine_lock(ms);
    n = VTY_BUF_SIZE - v->in_count;
    machine_unlock(ms);
    return n;
}

static void fe_receive(void *opaque, const uint8_t *buf, size_t len)
{
    SpaprVty *v = opaque;
    MachineState *ms = CG_DEVICE(v)->machine;

    machine_lock(ms);
    for (size_t i = 0; i < len && v->in_count < VTY_BUF_SIZE; i++) {
        v->in[(v->in_head + v->in_count++) % VTY_BUF_SIZE] = buf[i];
    }
    machine_unlock(ms);
}

static void fe_event(void *opaque, CharEvent event)
{
}

static const CharFrontendOps fe_ops = {
    .can_receive = fe_can_receive,
    .receive = fe_receive,
    .event = fe_event,
};

void spapr_vty_put_chars(DeviceState *vty, const uint8_t *buf, size_t len)
{
    SpaprVty *v = SPAPR_VTY(vty);

    if (v->chr != NULL) {
        chardev_write(v->chr, buf, len);
    }
}

size_t spapr_vty_get_chars(DeviceState *vty, uint8_t *buf, size_t max)
{
    SpaprVty *v = SPAPR_VTY(vty);
    size_t n = 0;
    bool was_full = v->in_count == VTY_BUF_SIZE;

    while (n < max && v->in_count > 0) {
        buf[n++] = v->in[v->in_head];
        v->in_head = (v->in_head + 1) % VTY_BUF_SIZE;
        v->in_count--;
    }
    if (n > 0 && was_full && v->chr != NULL) {
        chardev_accept_input(v->chr);
    }
    return n;
}

uint32_t spapr_vty_reg(DeviceState *vty)
{
    return SPAPR_VTY(vty)->reg;
}

static void collect(CgObject *obj, GPtrArray *out)
{
    g_autoptr(GPtrArray) children = cg_object_get_children(obj);

    if (IS_SPAPR_VTY(obj) && CG_DEVICE(obj)->realized) {
        g_ptr_array_add(out, obj);
    }
    for (guint i = 0; i < children->len; i++) {
        collect(g_ptr_array_index(children, i), out);
    }
}

static gint compare_reg(gconstpointer a, gconstpointer b)
{
    uint32_t ra = SPAPR_VTY(*(gpointer const *)a)->reg;
    uint32_t rb = SPAPR_VTY(*(gpointer const *)b)->reg;

    return ra < rb ? -1 : ra > rb;
}

GPtrArray *spapr_vty_list(MachineState *ms)
{
    GPtrArray *out = g_ptr_array_new();

    collect(CG_OBJECT(ms), out);
    g_ptr_array_sort(out, compare_reg);
    return out;
}

DeviceState *spapr_vty_find(MachineState *ms, uint32_t reg)
{
    g_autoptr(GPtrArray) all = spapr_vty_list(ms);

    for (guint i = 0; i < all->len; i++) {
        if (SPAPR_VTY(g_ptr_array_index(all, i))->reg == reg) {
            return g_ptr_array_index(all, i);
        }
    }
    return NULL;
}

static bool spapr_vty_realize(DeviceState *dev, GError **err)
{
    SpaprVty *v = SPAPR_VTY(dev);
    MachineState *ms = dev->machine;
    SpaprMachineState *spapr = spapr_machine(ms);
    const char *tn = cg_object_type_name(CG_OBJECT(dev));

    if (spapr == NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "%s needs the VIO bus of machine pseries", tn);
        return false;
    }
    if (device_prop_origin(dev, "reg") == PROP_ORIGIN_CLASS_DEFAULT) {
        while (spapr_vty_find(ms, spapr->next_vio_reg) != NULL) {
            spapr->next_vio_reg++;
        }
        v->reg = spapr->next_vio_reg++;
    } else if (spapr_vty_find(ms, v->reg) != NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "%s: VIO unit address reg=0x%x is already in use; "
                    "choose another or leave reg out", tn, v->reg);
        return false;
    }
    if (v->chardev != NULL) {
        CgObject *root = cg_object_get_root(CG_OBJECT(ms));

        v->chr = chardev_find(root, v->chardev);
        if (v->chr == NULL) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "%s: chardev '%s' not found; create it with "
                        "-chardev BACKEND,id=%s", tn, v->chardev,
                        v->chardev);
            return false;
        }
        if (!chardev_attach(v->chr, &fe_ops, v, err)) {
            v->chr = NULL;
            return false;
        }
    }
    return true;
}

static void spapr_vty_unrealize(DeviceState *dev)
{
    SpaprVty *v = SPAPR_VTY(dev);

    if (v->chr != NULL) {
        chardev_detach(v->chr);
        v->chr = NULL;
    }
}

static void spapr_vty_reset(DeviceState *dev)
{
    SpaprVty *v = SPAPR_VTY(dev);
    bool was_full = v->in_count == VTY_BUF_SIZE;

    v->in_head = 0;
    v->in_count = 0;
    if (was_full && v->chr != NULL) {
        chardev_accept_input(v->chr);
    }
}

static void spapr_vty_set_property(GObject *obj, guint id,
                                   const GValue *value, GParamSpec *pspec)
{
    SpaprVty *v = SPAPR_VTY(obj);

    switch (id) {
    case PROP_REG:
        v->reg = g_value_get_uint(value);
        break;
    case PROP_CHARDEV:
        g_free(v->chardev);
        v->chardev = g_value_dup_string(value);
        break;
    default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(obj, id, pspec);
    }
}

static void spapr_vty_get_property(GObject *obj, guint id, GValue *value,
                                   GParamSpec *pspec)
{
    SpaprVty *v = SPAPR_VTY(obj);

    switch (id) {
    case PROP_REG:
        g_value_set_uint(value, v->reg);
        break;
    case PROP_CHARDEV:
        g_value_set_string(value, v->chardev);
        break;
    default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(obj, id, pspec);
    }
}

static void spapr_vty_finalize(GObject *obj)
{
    g_free(SPAPR_VTY(obj)->chardev);
    G_OBJECT_CLASS(spapr_vty_parent_class)->finalize(obj);
}

static void spapr_vty_class_init(SpaprVtyClass *dc)
{
    GObjectClass *oc = G_OBJECT_CLASS(dc);
    GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

    oc->set_property = spapr_vty_set_property;
    oc->get_property = spapr_vty_get_property;
    oc->finalize = spapr_vty_finalize;
    dc->desc = "PAPR virtual terminal (hvterm1) on the VIO bus";
    dc->user_creatable = true;
    dc->bus_type = "spapr-vio";
    dc->realize = spapr_vty_realize;
    dc->unrealize = spapr_vty_unrealize;
    dc->reset = spapr_vty_reset;

    g_object_class_install_property(
        oc, PROP_REG,
        g_param_spec_uint("reg", "reg",
                          "VIO unit address (default: the next free one "
                          "from 0x71000000)", 0, G_MAXUINT32,
                          SPAPR_VIO_REG_BASE, rw));
    g_object_class_install_property(
        oc, PROP_CHARDEV,
        g_param_spec_string("chardev", "chardev",
                            "Id of the chardev the terminal talks to (none: "
                            "output is dropped)", NULL, rw));
}

static void spapr_vty_init(SpaprVty *v)
{
    v->reg = SPAPR_VIO_REG_BASE;
}

DeviceState *spapr_vty_create(MachineState *ms, const char *chardev_id,
                              GError **err)
{
    g_autoptr(DeviceState) dev = device_new(ms, TYPE_SPAPR_VTY, err);

    if (dev == NULL ||
        (chardev_id != NULL &&
         !device_set_prop(dev, "chardev", CG_OPT_TEXT, chardev_id,
                          PROP_ORIGIN_EXPLICIT, err)) ||
        !device_realize(dev, false, err)) {
        return NULL;
    }
    return dev;     /* the tree holds it */
}
