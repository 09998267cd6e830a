/* QMP commands about character devices. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "monitor/qmp.h"

#include "chardev/char.h"

#include <string.h>

static gint compare_ids(gconstpointer a, gconstpointer b)
{
    return strcmp(chardev_id(*(Chardev *const *)a),
                  chardev_id(*(Chardev *const *)b));
}

/* [{label, filename, frontend-open}], by id; libvirt reads it at start. */
static JsonNode *qmp_query_chardev(CgSystem *sys, JsonObject *args,
                                   GError **err)
{
    CgObject *dir = cg_object_get_container(sys->root, "chardevs");
    g_autoptr(GPtrArray) list = cg_object_get_children(dir);
    g_autoptr(JsonBuilder) b = json_builder_new();

    g_ptr_array_sort(list, compare_ids);
    json_builder_begin_array(b);
    for (guint i = 0; i < list->len; i++) {
        Chardev *chr = g_ptr_array_index(list, i);

        json_builder_begin_object(b);
        json_builder_set_member_name(b, "label");
        json_builder_add_string_value(b, chardev_id(chr));
        json_builder_set_member_name(b, "filename");
        json_builder_add_string_value(b, chr->filename ? chr->filename : "");
        json_builder_set_member_name(b, "frontend-open");
        json_builder_add_boolean_value(b, chr->fe_ops != NULL);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    return json_builder_get_root(b);
}

QMP_DEFINE_COMMAND("query-chardev", qmp_query_chardev, NULL, 0)
