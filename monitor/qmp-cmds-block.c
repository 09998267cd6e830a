/* QMP commands about block nodes (-blockdev, -drive). */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "monitor/qmp.h"

#include "block/block.h"
#include "hw/core/device.h"
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

/* The devices under @obj with a block node as drive=, depth first. */
static void collect_users(CgObject *root, CgObject *obj, JsonBuilder *b)
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
            g_autofree char *path = cg_object_canonical_path(obj);

            json_builder_begin_object(b);
            qmp_add_str(b, "device", "");
            qmp_add_str(b, "qdev", path ? path : "");
            qmp_add_bool(b, "removable", false);
            qmp_add_bool(b, "locked", false);
            json_builder_set_member_name(b, "inserted");
            add_node(b, bn);
            json_builder_end_object(b);
        }
    }
    for (guint i = 0; i < children->len; i++) {
        collect_users(root, g_ptr_array_index(children, i), b);
    }
}

/*
 * The block devices of the guest (devices with drive=), as QEMU lists
 * -blockdev frontends: no device name, the device's path as qdev, never
 * removable (cgemu has no CD-ROM or floppy).
 */
static JsonNode *qmp_query_block(CgSystem *sys, JsonObject *args,
                                 GError **err)
{
    g_autoptr(JsonBuilder) b = json_builder_new();

    json_builder_begin_array(b);
    if (sys->machine != NULL) {
        collect_users(sys->root, CG_OBJECT(sys->machine), b);
    }
    json_builder_end_array(b);
    return json_builder_get_root(b);
}

QMP_DEFINE_COMMAND("query-block", qmp_query_block, NULL, 0)
