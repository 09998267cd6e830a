/* The QMP command table and the argument checks driven by its schemas. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "monitor/qmp.h"

#include "cgemu-config.h"
#include "util/cutils.h"
#include "util/error.h"

#include <string.h>

/*
 * Filled by constructors before main() (single-threaded) and only read
 * afterwards, like the type registry in qom/type.c: the one kind of
 * process-wide state the style guide allows.
 */
static GHashTable *commands;

bool qmp_register_command(const QmpCommand *cmd)
{
    if (commands == NULL) {
        commands = g_hash_table_new(g_str_hash, g_str_equal);
    }
    if (g_hash_table_contains(commands, cmd->name)) {
        g_critical("QMP command '%s' is registered twice; the second "
                   "definition is ignored", cmd->name);
        return false;
    }
    g_hash_table_insert(commands, (gpointer)cmd->name, (gpointer)cmd);
    return true;
}

const QmpCommand *qmp_find_command(const char *name)
{
    return commands ? g_hash_table_lookup(commands, name) : NULL;
}

static gint compare_commands(gconstpointer a, gconstpointer b)
{
    const QmpCommand *ca = *(const QmpCommand *const *)a;
    const QmpCommand *cb = *(const QmpCommand *const *)b;

    return strcmp(ca->name, cb->name);
}

GPtrArray *qmp_command_list(void)
{
    GPtrArray *out = g_ptr_array_new();
    GHashTableIter it;
    gpointer value;

    if (commands != NULL) {
        g_hash_table_iter_init(&it, commands);
        while (g_hash_table_iter_next(&it, NULL, &value)) {
            g_ptr_array_add(out, value);
        }
    }
    g_ptr_array_sort(out, compare_commands);
    return out;
}

static const QmpArg *find_arg(const QmpCommand *cmd, const char *name)
{
    for (const QmpArg *a = cmd->args; a != NULL && a->name != NULL; a++) {
        if (!strcmp(a->name, name)) {
            return a;
        }
    }
    return NULL;
}

/* "path, property" */
static char *arg_names(const QmpCommand *cmd)
{
    GString *s = g_string_new(NULL);

    for (const QmpArg *a = cmd->args; a != NULL && a->name != NULL; a++) {
        g_string_append_printf(s, "%s%s%s", s->len ? ", " : "", a->name,
                               a->optional ? " (optional)" : "");
    }
    return g_string_free(s, FALSE);
}

static void set_unexpected_error(const QmpCommand *cmd, const char *name,
                                 GError **err)
{
    g_autofree char *names = arg_names(cmd);
    g_autoptr(GPtrArray) list = g_ptr_array_new();
    const char *hint;

    for (const QmpArg *a = cmd->args; a != NULL && a->name != NULL; a++) {
        g_ptr_array_add(list, (gpointer)a->name);
    }
    hint = cg_suggest(name, (const char *const *)list->pdata, list->len);
    if (*names == '\0') {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "Parameter '%s' is unexpected; %s takes no arguments",
                    name, cmd->name);
    } else if (hint != NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "Parameter '%s' is unexpected; did you mean '%s'? (%s "
                    "takes: %s)", name, hint, cmd->name, names);
    } else {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "Parameter '%s' is unexpected; %s takes: %s", name,
                    cmd->name, names);
    }
}

static const char *type_expected(QmpArgType type)
{
    switch (type) {
    case QMP_ARG_STR:
        return "string";
    case QMP_ARG_INT:
        return "integer";
    case QMP_ARG_BOOL:
        return "boolean";
    case QMP_ARG_NUMBER:
        return "number";
    case QMP_ARG_OBJECT:
        return "object";
    case QMP_ARG_STR_LIST:
        return "array";
    case QMP_ARG_ANY:
        return "value";
    }
    return "value";
}

/* "a string", "an integer", ... for "got ..." */
static const char *node_kind(JsonNode *node)
{
    GType vt;

    switch (JSON_NODE_TYPE(node)) {
    case JSON_NODE_OBJECT:
        return "an object";
    case JSON_NODE_ARRAY:
        return "an array";
    case JSON_NODE_NULL:
        return "null";
    case JSON_NODE_VALUE:
        break;
    }
    vt = json_node_get_value_type(node);
    if (vt == G_TYPE_STRING) {
        return "a string";
    }
    if (vt == G_TYPE_BOOLEAN) {
        return "a boolean";
    }
    if (vt == G_TYPE_INT64) {
        return "an integer";
    }
    return "a number";
}

static bool node_is(JsonNode *node, GType want)
{
    return JSON_NODE_HOLDS_VALUE(node) &&
           json_node_get_value_type(node) == want;
}

static bool check_choice(const QmpArg *a, const char *value, GError **err)
{
    g_autofree char *list = NULL;

    if (a->choices == NULL || g_strv_contains(a->choices, value)) {
        return true;
    }
    list = g_strjoinv(", ", (char **)a->choices);
    g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                "Parameter '%s' does not accept value '%s'; accepted: %s",
                a->name, value, list);
    return false;
}

static bool check_type(const QmpArg *a, JsonNode *node, GError **err)
{
    bool ok;

    switch (a->type) {
    case QMP_ARG_STR:
        ok = node_is(node, G_TYPE_STRING);
        break;
    case QMP_ARG_INT:
        ok = node_is(node, G_TYPE_INT64);
        break;
    case QMP_ARG_BOOL:
        ok = node_is(node, G_TYPE_BOOLEAN);
        break;
    case QMP_ARG_NUMBER:
        ok = node_is(node, G_TYPE_INT64) || node_is(node, G_TYPE_DOUBLE);
        break;
    case QMP_ARG_OBJECT:
        ok = JSON_NODE_HOLDS_OBJECT(node);
        break;
    case QMP_ARG_STR_LIST:
        ok = JSON_NODE_HOLDS_ARRAY(node);
        break;
    case QMP_ARG_ANY:
    default:
        ok = !JSON_NODE_HOLDS_NULL(node);
        break;
    }
    if (!ok) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "Invalid parameter type for '%s', expected: %s; got %s",
                    a->name, type_expected(a->type), node_kind(node));
        return false;
    }
    if (a->type == QMP_ARG_STR) {
        return check_choice(a, json_node_get_string(node), err);
    }
    if (a->type == QMP_ARG_STR_LIST) {
        JsonArray *arr = json_node_get_array(node);
        for (guint i = 0; i < json_array_get_length(arr); i++) {
            JsonNode *el = json_array_get_element(arr, i);
            if (!node_is(el, G_TYPE_STRING)) {
                g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                            "Invalid parameter type for '%s[%u]', expected: "
                            "string; got %s", a->name, i, node_kind(el));
                return false;
            }
            if (!check_choice(a, json_node_get_string(el), err)) {
                return false;
            }
        }
    }
    return true;
}

bool qmp_check_args(const QmpCommand *cmd, JsonObject *args, GError **err)
{
    JsonObjectIter it;
    const char *name;
    JsonNode *node;

    json_object_iter_init_ordered(&it, args);
    while (json_object_iter_next_ordered(&it, &name, &node)) {
        const QmpArg *a = find_arg(cmd, name);
        if (a == NULL) {
            if (cmd->flags & QMP_CMD_EXTRA_ARGS) {
                continue;
            }
            set_unexpected_error(cmd, name, err);
            return false;
        }
        if (!check_type(a, node, err)) {
            return false;
        }
    }
    for (const QmpArg *a = cmd->args; a != NULL && a->name != NULL; a++) {
        if (!a->optional && !json_object_has_member(args, a->name)) {
            g_autofree char *names = arg_names(cmd);
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "Parameter '%s' is missing; %s takes: %s", a->name,
                        cmd->name, names);
            return false;
        }
    }
    return true;
}

const char *qmp_arg_str(JsonObject *args, const char *name,
                        const char *dflt)
{
    JsonNode *n = json_object_get_member(args, name);

    return n != NULL && node_is(n, G_TYPE_STRING) ? json_node_get_string(n)
                                                  : dflt;
}

int64_t qmp_arg_int(JsonObject *args, const char *name, int64_t dflt)
{
    JsonNode *n = json_object_get_member(args, name);

    return n != NULL && node_is(n, G_TYPE_INT64) ? json_node_get_int(n)
                                                 : dflt;
}

bool qmp_arg_bool(JsonObject *args, const char *name, bool dflt)
{
    JsonNode *n = json_object_get_member(args, name);

    return n != NULL && node_is(n, G_TYPE_BOOLEAN)
               ? json_node_get_boolean(n)
               : dflt;
}

JsonNode *qmp_return_empty(void)
{
    JsonNode *n = json_node_new(JSON_NODE_OBJECT);

    json_node_take_object(n, json_object_new());
    return n;
}

JsonNode *qmp_version_info(void)
{
    g_autoptr(JsonBuilder) b = json_builder_new();

    json_builder_begin_object(b);
    json_builder_set_member_name(b, "qemu");
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "micro");
    json_builder_add_int_value(b, QMP_QEMU_MICRO);
    json_builder_set_member_name(b, "minor");
    json_builder_add_int_value(b, QMP_QEMU_MINOR);
    json_builder_set_member_name(b, "major");
    json_builder_add_int_value(b, QMP_QEMU_MAJOR);
    json_builder_end_object(b);
    json_builder_set_member_name(b, "package");
    json_builder_add_string_value(b, "cgemu-" CGEMU_VERSION);
    json_builder_end_object(b);
    return json_builder_get_root(b);
}
