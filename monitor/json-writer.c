/* JSON text as QEMU's QMP server writes it. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "monitor/json-writer.h"

#include <math.h>

static void append_indent(GString *out, bool pretty, unsigned level)
{
    if (pretty) {
        g_string_append_c(out, '\n');
        for (unsigned i = 0; i < level; i++) {
            g_string_append(out, "    ");
        }
    }
}

static void append_string(GString *out, const char *s)
{
    const char *p = s;

    g_string_append_c(out, '"');
    while (*p != '\0') {
        gunichar c = g_utf8_get_char_validated(p, -1);

        if (c == (gunichar)-1 || c == (gunichar)-2) {
            /* Not UTF-8 (a property value from the host): keep the byte's
             * value rather than dropping the rest of the string. */
            c = (guchar)*p;
            p++;
        } else {
            p = g_utf8_next_char(p);
        }
        switch (c) {
        case '"':
            g_string_append(out, "\\\"");
            break;
        case '\\':
            g_string_append(out, "\\\\");
            break;
        case '\b':
            g_string_append(out, "\\b");
            break;
        case '\f':
            g_string_append(out, "\\f");
            break;
        case '\n':
            g_string_append(out, "\\n");
            break;
        case '\r':
            g_string_append(out, "\\r");
            break;
        case '\t':
            g_string_append(out, "\\t");
            break;
        default:
            if (c >= 0x20 && c <= 0x7e) {
                g_string_append_c(out, (char)c);
            } else if (c > 0xffff) {
                c -= 0x10000;
                g_string_append_printf(out, "\\u%04X\\u%04X",
                                       0xd800 + (c >> 10),
                                       0xdc00 + (c & 0x3ff));
            } else {
                g_string_append_printf(out, "\\u%04X", c);
            }
        }
    }
    g_string_append_c(out, '"');
}

static void append_value(GString *out, JsonNode *node)
{
    GType vt = json_node_get_value_type(node);

    if (vt == G_TYPE_STRING) {
        append_string(out, json_node_get_string(node));
    } else if (vt == G_TYPE_BOOLEAN) {
        g_string_append(out, json_node_get_boolean(node) ? "true" : "false");
    } else if (vt == G_TYPE_INT64) {
        g_string_append_printf(out, "%" G_GINT64_FORMAT,
                               json_node_get_int(node));
    } else {
        double d = json_node_get_double(node);
        char buf[G_ASCII_DTOSTR_BUF_SIZE];

        if (isfinite(d)) {
            g_string_append(out, g_ascii_formatd(buf, sizeof(buf), "%.17g",
                                                 d));
        } else {
            /* JSON has no spelling for these; null is what a parser can
             * read back. */
            g_string_append(out, "null");
        }
    }
}

static void append_node(GString *out, JsonNode *node, bool pretty,
                        unsigned level)
{
    switch (JSON_NODE_TYPE(node)) {
    case JSON_NODE_NULL:
        g_string_append(out, "null");
        break;
    case JSON_NODE_VALUE:
        append_value(out, node);
        break;
    case JSON_NODE_OBJECT: {
        JsonObjectIter it;
        const char *name;
        JsonNode *member;
        bool first = true;

        g_string_append_c(out, '{');
        json_object_iter_init_ordered(&it, json_node_get_object(node));
        while (json_object_iter_next_ordered(&it, &name, &member)) {
            g_string_append(out, first ? "" : (pretty ? "," : ", "));
            append_indent(out, pretty, level + 1);
            append_string(out, name);
            g_string_append(out, ": ");
            append_node(out, member, pretty, level + 1);
            first = false;
        }
        append_indent(out, pretty, level);
        g_string_append_c(out, '}');
        break;
    }
    case JSON_NODE_ARRAY: {
        JsonArray *arr = json_node_get_array(node);
        guint n = json_array_get_length(arr);

        g_string_append_c(out, '[');
        for (guint i = 0; i < n; i++) {
            g_string_append(out, i == 0 ? "" : (pretty ? "," : ", "));
            append_indent(out, pretty, level + 1);
            append_node(out, json_array_get_element(arr, i), pretty,
                        level + 1);
        }
        append_indent(out, pretty, level);
        g_string_append_c(out, ']');
        break;
    }
    }
}

void json_writer_append(GString *out, JsonNode *node, bool pretty)
{
    append_node(out, node, pretty, 0);
}
