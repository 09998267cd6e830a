/* Option strings: QEMU keyval syntax and the JSON form, as ordered lists. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "util/keyval.h"

#include "util/error.h"

#include <string.h>

static void opt_free(gpointer p)
{
    CgOpt *opt = p;

    g_free(opt->key);
    g_free(opt->value);
    g_free(opt);
}

CgOpts *cg_opts_new(const char *text)
{
    CgOpts *opts = g_new0(CgOpts, 1);

    opts->items = g_ptr_array_new_with_free_func(opt_free);
    opts->text = g_strdup(text ? text : "");
    return opts;
}

void cg_opts_free(CgOpts *opts)
{
    if (opts == NULL) {
        return;
    }
    g_ptr_array_unref(opts->items);
    g_free(opts->text);
    g_free(opts);
}

static CgOpt *find(const CgOpts *opts, const char *key)
{
    for (guint i = 0; i < opts->items->len; i++) {
        CgOpt *opt = g_ptr_array_index(opts->items, i);
        if (strcmp(opt->key, key) == 0) {
            return opt;
        }
    }
    return NULL;
}

void cg_opts_set(CgOpts *opts, const char *key, const char *value,
                 CgOptKind kind)
{
    CgOpt *opt = find(opts, key);

    if (opt == NULL) {
        opt = g_new0(CgOpt, 1);
        opt->key = g_strdup(key);
        g_ptr_array_add(opts->items, opt);
    }
    g_free(opt->value);
    opt->value = g_strdup(value);
    opt->kind = kind;
}

const CgOpt *cg_opts_find(const CgOpts *opts, const char *key)
{
    return find(opts, key);
}

const char *cg_opts_get(const CgOpts *opts, const char *key)
{
    const CgOpt *opt = find(opts, key);

    return opt ? opt->value : NULL;
}

bool cg_opts_remove(CgOpts *opts, const char *key)
{
    CgOpt *opt = find(opts, key);

    return opt != NULL && g_ptr_array_remove(opts->items, opt);
}

void cg_opts_merge(CgOpts *dst, const CgOpts *src)
{
    for (guint i = 0; i < src->items->len; i++) {
        const CgOpt *opt = g_ptr_array_index(src->items, i);
        cg_opts_set(dst, opt->key, opt->value, opt->kind);
    }
    dst->help = dst->help || src->help;
}

/*
 * Reads one element up to an unescaped ',' (or the end).  ",," is a
 * literal comma in keys and values alike, as in QEMU.
 */
static char *read_element(const char **p)
{
    GString *s = g_string_new(NULL);
    const char *c = *p;

    while (*c != '\0') {
        if (*c == ',') {
            if (c[1] == ',') {
                g_string_append_c(s, ',');
                c += 2;
                continue;
            }
            break;
        }
        g_string_append_c(s, *c++);
    }
    *p = c;
    return g_string_free(s, FALSE);
}

static bool valid_key(const char *key)
{
    if (*key == '\0') {
        return false;
    }
    for (const char *c = key; *c; c++) {
        if (!g_ascii_isalnum(*c) && *c != '-' && *c != '_' && *c != '.') {
            return false;
        }
    }
    return true;
}

CgOpts *cg_keyval_parse(const char *text, const char *implied_key,
                        GError **err)
{
    g_autoptr(CgOpts) opts = cg_opts_new(text);
    const char *p = text;
    bool first = true;

    if (*p == '\0') {
        if (implied_key != NULL) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "empty argument; expected %s=VALUE,...",
                        implied_key);
        } else {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "empty argument; expected KEY=VALUE,...");
        }
        return NULL;
    }

    for (;;) {
        g_autofree char *elem = read_element(&p);
        char *eq = strchr(elem, '=');

        if (strcmp(elem, "help") == 0 || strcmp(elem, "?") == 0) {
            opts->help = true;
        } else if (eq == NULL) {
            if (first && implied_key != NULL && *elem != '\0') {
                cg_opts_set(opts, implied_key, elem, CG_OPT_TEXT);
            } else if (*elem == '\0') {
                g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                            "empty element in '%s'; separate parameters "
                            "with one ',' and write a literal comma as ',,'",
                            text);
                return NULL;
            } else {
                g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                            "parameter '%s' has no value; write '%s=VALUE'",
                            elem, elem);
                return NULL;
            }
        } else {
            *eq = '\0';
            if (!valid_key(elem)) {
                g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                            "invalid parameter name '%s'; names use "
                            "letters, digits, '-', '_' and '.'", elem);
                return NULL;
            }
            if (find(opts, elem) != NULL) {
                g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                            "parameter '%s' is given more than once; "
                            "give it once", elem);
                return NULL;
            }
            cg_opts_set(opts, elem, eq + 1, CG_OPT_TEXT);
        }
        first = false;
        if (*p == '\0') {
            break;
        }
        p++; /* the separating ',' */
        if (*p == '\0') {
            /* A trailing ',' ends the list, as QEMU allows. */
            break;
        }
    }
    return g_steal_pointer(&opts);
}

const char *cg_opt_kind_name(CgOptKind kind)
{
    switch (kind) {
    case CG_OPT_TEXT:
        return "text";
    case CG_OPT_STRING:
        return "string";
    case CG_OPT_INTEGER:
        return "integer";
    case CG_OPT_BOOLEAN:
        return "boolean";
    case CG_OPT_NUMBER:
        return "number";
    }
    return "value";
}

CgOpts *cg_opts_from_json_object(JsonObject *obj, GError **err)
{
    g_autoptr(CgOpts) opts = cg_opts_new(NULL);
    g_autoptr(GList) members = json_object_get_members(obj);

    for (GList *l = members; l != NULL; l = l->next) {
        const char *key = l->data;
        JsonNode *node = json_object_get_member(obj, key);
        GType vt;

        if (!JSON_NODE_HOLDS_VALUE(node)) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "parameter '%s' must be a string, number or "
                        "boolean, not %s", key,
                        JSON_NODE_HOLDS_NULL(node) ? "null"
                        : JSON_NODE_HOLDS_ARRAY(node) ? "an array"
                                                      : "an object");
            return NULL;
        }
        vt = json_node_get_value_type(node);
        if (vt == G_TYPE_STRING) {
            cg_opts_set(opts, key, json_node_get_string(node),
                        CG_OPT_STRING);
        } else if (vt == G_TYPE_INT64) {
            g_autofree char *s = g_strdup_printf(
                "%" G_GINT64_FORMAT, json_node_get_int(node));
            cg_opts_set(opts, key, s, CG_OPT_INTEGER);
        } else if (vt == G_TYPE_BOOLEAN) {
            cg_opts_set(opts, key, json_node_get_boolean(node) ? "on" : "off",
                        CG_OPT_BOOLEAN);
        } else {
            char buf[G_ASCII_DTOSTR_BUF_SIZE];
            g_ascii_dtostr(buf, sizeof(buf), json_node_get_double(node));
            cg_opts_set(opts, key, buf, CG_OPT_NUMBER);
        }
    }
    return g_steal_pointer(&opts);
}

CgOpts *cg_opts_parse_json(const char *text, GError **err)
{
    g_autoptr(JsonParser) parser = json_parser_new_immutable();
    g_autoptr(GError) local = NULL;
    JsonNode *root;
    CgOpts *opts;

    if (!json_parser_load_from_data(parser, text, -1, &local)) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC, "invalid JSON: %s",
                    local->message);
        return NULL;
    }
    root = json_parser_get_root(parser);
    if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root)) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "the JSON form must be one object, {\"key\": value, ...}");
        return NULL;
    }
    opts = cg_opts_from_json_object(json_node_get_object(root), err);
    if (opts != NULL) {
        g_free(opts->text);
        opts->text = g_strdup(text);
    }
    return opts;
}

CgOpts *cg_opts_parse(const char *text, const char *implied_key,
                      bool allow_json, GError **err)
{
    if (allow_json && text[0] == '{') {
        return cg_opts_parse_json(text, err);
    }
    return cg_keyval_parse(text, implied_key, err);
}

static void append_escaped(GString *s, const char *text)
{
    for (const char *c = text; *c; c++) {
        if (*c == ',') {
            g_string_append_c(s, ',');
        }
        g_string_append_c(s, *c);
    }
}

char *cg_opts_to_string(const CgOpts *opts)
{
    GString *s = g_string_new(NULL);

    for (guint i = 0; i < opts->items->len; i++) {
        const CgOpt *opt = g_ptr_array_index(opts->items, i);
        if (i > 0) {
            g_string_append_c(s, ',');
        }
        append_escaped(s, opt->key);
        g_string_append_c(s, '=');
        append_escaped(s, opt->value);
    }
    return g_string_free(s, FALSE);
}
