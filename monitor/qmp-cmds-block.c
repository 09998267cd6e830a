/* QMP commands about block nodes (-blockdev, -drive). */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "monitor/qmp.h"

#include "block/block.h"
#include "hw/core/device.h"
#include "qom/object.h"
#include "qom/property.h"

#include <string.h>

static gint compare_nodes(gconstpointer a, gconstpointer b)
{
    return strcmp((*(BlockNode *const *)a)->node_name,
                  (*(BlockNode *const *)b)->node_name);
}




/* One node as QEMU's BlockDeviceInfo: no throttling, no backing chain,
 * no encryption; writes go through the host page cache. */
static void add_node(JsonBuilder *b, BlockNode *bn)
{
    static const char *const limits[] = {
        "bps", "bps_rd", "bps_wr", "iops", "iops_rd", "iops_wr",
    };
    const char *file = bn->filename ? bn->filename
                       : bn->file   ? bn->file->filename
                                    : "";

    json_builder_begin_object(b);
    qmp_add_str(b, "file", file ? file : "");
    qmp_add_str(b, "node-name", bn->node_name);
    qmp_add_bool(b, "ro", bn->read_only);
    qmp_add_str(b, "drv", bn->driver);
    qmp_add_int(b, "backing_file_depth", 0);
    qmp_add_bool(b, "encrypted", false);
    qmp_add_str(b, "detect_zeroes", "off");
    for (size_t i = 0; i < G_N_ELEMENTS(limits); i++) {
        qmp_add_int(b, limits[i], 0);
    }
    json_builder_set_member_name(b, "image");
    json_builder_begin_object(b);
    qmp_add_str(b, "filename", file ? file : "");
    qmp_add_str(b, "format", bn->driver);
    qmp_add_int(b, "virtual-size", (int64_t)bn->size);
    json_builder_end_object(b);
    json_builder_set_member_name(b, "cache");
    json_builder_begin_object(b);
    qmp_add_bool(b, "writeback", true);
    qmp_add_bool(b, "direct", false);
    qmp_add_bool(b, "no-flush", false);
    json_builder_end_object(b);
    qmp_add_int(b, "write_threshold", 0);
    json_builder_end_object(b);
}

/* Every node, by name; "flat" changes nothing (no backing chains). */
static JsonNode *qmp_query_named_block_nodes(CgSystem *sys, JsonObject *args,
                                             GError **err)
{
    CgObject *dir = cg_object_get_container(sys->root, "block");
    g_autoptr(GPtrArray) list = cg_object_get_children(dir);
    g_autoptr(JsonBuilder) b = json_builder_new();

    g_ptr_array_sort(list, compare_nodes);
    json_builder_begin_array(b);
    for (guint i = 0; i < list->len; i++) {
        add_node(b, g_ptr_array_index(list, i));
    }
    json_builder_end_array(b);
    return json_builder_get_root(b);
}

static const QmpArg named_block_nodes_args[] = {
    { "flat", QMP_ARG_BOOL, .optional = true },
    { NULL },
};

QMP_DEFINE_COMMAND("query-named-block-nodes", qmp_query_named_block_nodes,
                   named_block_nodes_args, 0)

/* A device with a block node as drive= (@path: the device's). */
typedef void (*UserFn)(JsonBuilder *b, const char *path, BlockNode *bn);

/*
 * QEMU's qdev path of a block device: for a virtio proxy (virtio-blk-pci,
 * -ccw) that of its inner virtio device, ".../virtio-backend", which
 * libvirt matches its disks by.  cgemu has no separate inner object: the
 * path names where QEMU has one.
 */
static char *qdev_path(CgObject *obj)
{
    static const char *const proxies[] = { "virtio-pci", "virtio-ccw-device" };
    g_autofree char *path = cg_object_canonical_path(obj);

    for (size_t i = 0; path != NULL && i < G_N_ELEMENTS(proxies); i++) {
        GType t = cg_type_lookup(proxies[i]);

        if (t != 0 && g_type_is_a(G_OBJECT_TYPE(obj), t)) {
            return g_strdup_printf("%s/virtio-backend", path);
        }
    }
    return g_steal_pointer(&path);
}

/* The devices under @obj with a block node as drive=, depth first. */
static void collect_users(CgObject *root, CgObject *obj, JsonBuilder *b,
                          UserFn fn)
{
    g_autoptr(GPtrArray) children = cg_object_get_children(obj);
    GParamSpec *p = g_object_class_find_property(G_OBJECT_GET_CLASS(obj),
                                                 "drive");

    if (CG_IS_DEVICE(obj) && p != NULL &&
        G_PARAM_SPEC_VALUE_TYPE(p) == G_TYPE_STRING) {
        g_autofree char *drive = NULL;
        BlockNode *bn;

        g_object_get(obj, "drive", &drive, NULL);
        bn = drive ? block_node_find(root, drive) : NULL;
        if (bn != NULL) {
            g_autofree char *path = qdev_path(obj);

            fn(b, path ? path : "", bn);
        }
    }
    for (guint i = 0; i < children->len; i++) {
        collect_users(root, g_ptr_array_index(children, i), b, fn);
    }
}

static JsonNode *list_users(CgSystem *sys, UserFn fn)
{
    g_autoptr(JsonBuilder) b = json_builder_new();

    json_builder_begin_array(b);
    if (sys->machine != NULL) {
        collect_users(sys->root, CG_OBJECT(sys->machine), b, fn);
    }
    json_builder_end_array(b);
    return json_builder_get_root(b);
}

static void add_block_info(JsonBuilder *b, const char *path, BlockNode *bn)
{
    json_builder_begin_object(b);
    qmp_add_str(b, "device", "");
    qmp_add_str(b, "qdev", path);
    qmp_add_bool(b, "removable", false);
    qmp_add_bool(b, "locked", false);
    json_builder_set_member_name(b, "inserted");
    add_node(b, bn);
    json_builder_end_object(b);
}

/*
 * The block devices of the guest (devices with drive=), as QEMU lists
 * -blockdev frontends: no device name, the device's path as qdev, never
 * removable (cgemu has no CD-ROM or floppy).
 */
static JsonNode *qmp_query_block(CgSystem *sys, JsonObject *args,
                                 GError **err)
{
    return list_users(sys, add_block_info);
}

QMP_DEFINE_COMMAND("query-block", qmp_query_block, NULL, 0)

static uint64_t get(const uint64_t *counter)
{
    return __atomic_load_n(counter, __ATOMIC_RELAXED);
}

/* BlockDeviceStats: the counters, and zeros for what cgemu does not
 * have (discard, merging, latency histograms). */
static void add_stats(JsonBuilder *b, const BlockStats *st)
{
    static const char *const zero[] = {
        "unmap_bytes", "unmap_operations", "unmap_total_time_ns",
        "rd_merged", "wr_merged", "unmap_merged", "failed_unmap_operations",
        "invalid_flush_operations", "invalid_unmap_operations",
    };
    const struct {
        const char *name;
        const uint64_t *v;
    } counters[] = {
        { "rd_bytes", &st->rd_bytes },
        { "wr_bytes", &st->wr_bytes },
        { "rd_operations", &st->rd_ops },
        { "wr_operations", &st->wr_ops },
        { "flush_operations", &st->flush_ops },
        { "rd_total_time_ns", &st->rd_ns },
        { "wr_total_time_ns", &st->wr_ns },
        { "flush_total_time_ns", &st->flush_ns },
        { "wr_highest_offset", &st->wr_highest_offset },
        { "failed_rd_operations", &st->failed_rd },
        { "failed_wr_operations", &st->failed_wr },
        { "failed_flush_operations", &st->failed_flush },
        { "invalid_rd_operations", &st->invalid_rd },
        { "invalid_wr_operations", &st->invalid_wr },
    };
    int64_t last = __atomic_load_n(&st->last_io_us, __ATOMIC_RELAXED);

    json_builder_begin_object(b);
    for (size_t i = 0; i < G_N_ELEMENTS(counters); i++) {
        qmp_add_int(b, counters[i].name, (int64_t)get(counters[i].v));
    }
    for (size_t i = 0; i < G_N_ELEMENTS(zero); i++) {
        qmp_add_int(b, zero[i], 0);
    }
    if (last != 0) {
        qmp_add_int(b, "idle_time_ns",
                    (g_get_monotonic_time() - last) * 1000);
    }
    qmp_add_bool(b, "account_invalid", true);
    qmp_add_bool(b, "account_failed", true);
    json_builder_set_member_name(b, "timed_stats");
    json_builder_begin_array(b);
    json_builder_end_array(b);
    json_builder_end_object(b);
}

/* BlockStats of @bn, with the file node below a raw one as "parent". */
static void add_node_stats(JsonBuilder *b, const char *qdev, BlockNode *bn)
{
    json_builder_begin_object(b);
    if (qdev != NULL) {
        qmp_add_str(b, "device", "");
        qmp_add_str(b, "qdev", qdev);
    }
    qmp_add_str(b, "node-name", bn->node_name);
    json_builder_set_member_name(b, "stats");
    add_stats(b, &bn->stats);
    if (bn->file != NULL) {
        json_builder_set_member_name(b, "parent");
        add_node_stats(b, NULL, bn->file);
    }
    json_builder_end_object(b);
}

static void add_device_stats(JsonBuilder *b, const char *path, BlockNode *bn)
{
    add_node_stats(b, path, bn);
}

/*
 * I/O counters per device (as QEMU's per-BlockBackend statistics), or
 * with query-nodes=true per node; the same I/O is counted on a raw node
 * and on the file node below it.
 */
static JsonNode *qmp_query_blockstats(CgSystem *sys, JsonObject *args,
                                      GError **err)
{
    CgObject *dir;
    g_autoptr(GPtrArray) list = NULL;
    g_autoptr(JsonBuilder) b = NULL;

    if (!qmp_arg_bool(args, "query-nodes", false)) {
        return list_users(sys, add_device_stats);
    }
    dir = cg_object_get_container(sys->root, "block");
    list = cg_object_get_children(dir);
    b = json_builder_new();
    g_ptr_array_sort(list, compare_nodes);
    json_builder_begin_array(b);
    for (guint i = 0; i < list->len; i++) {
        add_node_stats(b, NULL, g_ptr_array_index(list, i));
    }
    json_builder_end_array(b);
    return json_builder_get_root(b);
}

static const QmpArg blockstats_args[] = {
    { "query-nodes", QMP_ARG_BOOL, .optional = true },
    { NULL },
};

QMP_DEFINE_COMMAND("query-blockstats", qmp_query_blockstats, blockstats_args,
                   0)
