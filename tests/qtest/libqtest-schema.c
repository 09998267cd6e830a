/* libqtest: the QMP schema of a binary, and values checked against it. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "libqtest.h"

#include <string.h>

struct QTestSchema {
    JsonNode *root;         /* the query-qmp-schema answer */
    GHashTable *entries;    /* name -> JsonObject (in root) */
};

static const char *const builtin_names[] = {
    "str", "int", "bool", "number", "any", "null",
};

static bool is_builtin(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(builtin_names); i++) {
        if (!strcmp(builtin_names[i], name)) {
            return true;
        }
    }
    return false;
}

static const char *str_member(JsonObject *o, const char *name)
{
    JsonNode *n = json_object_get_member(o, name);

    return n && JSON_NODE_HOLDS_VALUE(n) &&
                   json_node_get_value_type(n) == G_TYPE_STRING
               ? json_node_get_string(n)
               : NULL;
}

/* The meta-type of type @name ("builtin", "object"...), or NULL. */
static const char *meta_of(QTestSchema *s, const char *name)
{
    JsonObject *e = g_hash_table_lookup(s->entries, name);

    return e ? str_member(e, "meta-type") : NULL;
}

/* Fails the test unless @name is a type the schema defines. */
static void assert_type(QTestSchema *s, const char *where, const char *name)
{
    const char *meta = name ? meta_of(s, name) : NULL;

    if (meta == NULL || !strcmp(meta, "command") || !strcmp(meta, "event")) {
        g_error("schema: %s names type '%s', which is not defined", where,
                name ? name : "(none)");
    }
}

static void check_object_entry(QTestSchema *s, const char *name,
                               JsonObject *e)
{
    JsonArray *members = json_object_get_array_member(e, "members");
    const char *tag = str_member(e, "tag");

    g_assert_nonnull(members);
    for (guint i = 0; i < json_array_get_length(members); i++) {
        JsonObject *m = json_array_get_object_element(members, i);

        g_assert_nonnull(str_member(m, "name"));
        assert_type(s, name, str_member(m, "type"));
        if (json_object_has_member(m, "default")) {
            g_assert_true(JSON_NODE_HOLDS_NULL(
                json_object_get_member(m, "default")));
        }
    }
    if (tag != NULL) {
        JsonArray *v = json_object_get_array_member(e, "variants");

        g_assert_nonnull(v);
        for (guint i = 0; i < json_array_get_length(v); i++) {
            JsonObject *c = json_array_get_object_element(v, i);

            g_assert_nonnull(str_member(c, "case"));
            assert_type(s, name, str_member(c, "type"));
            g_assert_cmpstr(meta_of(s, str_member(c, "type")), ==, "object");
        }
    }
}

/* Each entry has a known meta-type and names only defined types. */
static void check_entry(QTestSchema *s, JsonObject *e)
{
    const char *name = str_member(e, "name");
    const char *meta = str_member(e, "meta-type");

    g_assert_nonnull(meta);
    if (!strcmp(meta, "builtin")) {
        g_assert_true(is_builtin(name));
        g_assert_nonnull(str_member(e, "json-type"));
    } else if (!strcmp(meta, "enum")) {
        JsonArray *values = json_object_get_array_member(e, "values");
        JsonArray *members = json_object_get_array_member(e, "members");

        g_assert_cmpuint(json_array_get_length(values), >, 0);
        g_assert_cmpuint(json_array_get_length(values), ==,
                         json_array_get_length(members));
    } else if (!strcmp(meta, "array")) {
        g_autofree char *want = NULL;

        assert_type(s, name, str_member(e, "element-type"));
        want = g_strdup_printf("[%s]", str_member(e, "element-type"));
        g_assert_cmpstr(name, ==, want);
    } else if (!strcmp(meta, "object")) {
        check_object_entry(s, name, e);
    } else if (!strcmp(meta, "alternate")) {
        JsonArray *alts = json_object_get_array_member(e, "members");

        g_assert_cmpuint(json_array_get_length(alts), >, 0);
        for (guint i = 0; i < json_array_get_length(alts); i++) {
            assert_type(s, name, str_member(
                json_array_get_object_element(alts, i), "type"));
        }
    } else if (!strcmp(meta, "command")) {
        assert_type(s, name, str_member(e, "arg-type"));
        g_assert_cmpstr(meta_of(s, str_member(e, "arg-type")), ==, "object");
        assert_type(s, name, str_member(e, "ret-type"));
    } else if (!strcmp(meta, "event")) {
        assert_type(s, name, str_member(e, "arg-type"));
        g_assert_cmpstr(meta_of(s, str_member(e, "arg-type")), ==, "object");
    } else {
        g_error("schema: entry '%s' has meta-type '%s'", name, meta);
    }
}

QTestSchema *qtest_schema_new(JsonNode *answer)
{
    QTestSchema *s = g_new0(QTestSchema, 1);
    JsonArray *list;

    g_assert_true(JSON_NODE_HOLDS_ARRAY(answer));
    s->root = json_node_ref(answer);
    s->entries = g_hash_table_new(g_str_hash, g_str_equal);
    list = json_node_get_array(answer);
    for (guint i = 0; i < json_array_get_length(list); i++) {
        JsonObject *e = json_array_get_object_element(list, i);
        const char *name = e ? str_member(e, "name") : NULL;

        g_assert_nonnull(name);
        if (g_hash_table_contains(s->entries, name)) {
            g_error("schema: '%s' is defined twice", name);
        }
        g_hash_table_insert(s->entries, (gpointer)name, e);
    }
    for (guint i = 0; i < json_array_get_length(list); i++) {
        check_entry(s, json_array_get_object_element(list, i));
    }
    return s;
}

QTestSchema *qtest_schema_fetch(QTestState *qts)
{
    g_autoptr(JsonNode) r =
        qtest_qmp_assert_success_ref(qts, "{'execute': 'query-qmp-schema'}");

    return qtest_schema_new(r);
}

void qtest_schema_free(QTestSchema *s)
{
    if (s != NULL) {
        g_hash_table_unref(s->entries);
        json_node_unref(s->root);
        g_free(s);
    }
}

JsonObject *qtest_schema_entry(QTestSchema *s, const char *name)
{
    return g_hash_table_lookup(s->entries, name);
}

static gint compare_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char **qtest_schema_names(QTestSchema *s, const char *meta)
{
    GPtrArray *out = g_ptr_array_new();
    GHashTableIter it;
    gpointer key, value;

    g_hash_table_iter_init(&it, s->entries);
    while (g_hash_table_iter_next(&it, &key, &value)) {
        if (!strcmp(str_member(value, "meta-type"), meta)) {
            g_ptr_array_add(out, g_strdup(key));
        }
    }
    g_ptr_array_sort(out, compare_names);
    g_ptr_array_add(out, NULL);
    return (char **)g_ptr_array_free(out, FALSE);
}

/* --- checking values --------------------------------------------------- */

static char *mismatch(const char *path, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);

static char *mismatch(const char *path, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *why = NULL;

    va_start(ap, fmt);
    why = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    return g_strdup_printf("%s: %s", *path ? path : "(value)", why);
}

static char *check_value(QTestSchema *s, const char *type, JsonNode *v,
                         const char *path);

static char *check_builtin(const char *type, JsonNode *v, const char *path)
{
    GType vt = JSON_NODE_HOLDS_VALUE(v) ? json_node_get_value_type(v) : 0;
    bool ok;

    if (!strcmp(type, "any")) {
        ok = true;
    } else if (!strcmp(type, "null")) {
        ok = JSON_NODE_HOLDS_NULL(v);
    } else if (!strcmp(type, "str")) {
        ok = vt == G_TYPE_STRING;
    } else if (!strcmp(type, "int")) {
        ok = vt == G_TYPE_INT64;
    } else if (!strcmp(type, "number")) {
        ok = vt == G_TYPE_INT64 || vt == G_TYPE_DOUBLE;
    } else {
        ok = vt == G_TYPE_BOOLEAN;
    }
    return ok ? NULL : mismatch(path, "not a %s", type);
}

static JsonArray *object_members_for(QTestSchema *s, JsonObject *t,
                                     JsonObject *value, const char *path,
                                     char **why)
{
    const char *tag = str_member(t, "tag");
    const char *tag_value;
    JsonArray *variants;

    if (tag == NULL) {
        return NULL;
    }
    tag_value = str_member(value, tag);
    if (tag_value == NULL) {
        *why = mismatch(path, "the tag '%s' is missing", tag);
        return NULL;
    }
    variants = json_object_get_array_member(t, "variants");
    for (guint i = 0; i < json_array_get_length(variants); i++) {
        JsonObject *c = json_array_get_object_element(variants, i);

        if (!strcmp(str_member(c, "case"), tag_value)) {
            return json_object_get_array_member(
                qtest_schema_entry(s, str_member(c, "type")), "members");
        }
    }
    return NULL;    /* a branch without members of its own */
}

static JsonObject *find_member(JsonArray *members, const char *name)
{
    for (guint i = 0; members && i < json_array_get_length(members); i++) {
        JsonObject *m = json_array_get_object_element(members, i);

        if (!strcmp(str_member(m, "name"), name)) {
            return m;
        }
    }
    return NULL;
}

static char *check_members(QTestSchema *s, JsonArray *members,
                           JsonObject *o, const char *path)
{
    for (guint i = 0; members && i < json_array_get_length(members); i++) {
        JsonObject *m = json_array_get_object_element(members, i);
        const char *name = str_member(m, "name");
        JsonNode *v = json_object_get_member(o, name);
        g_autofree char *sub = g_strdup_printf("%s/%s", path, name);
        char *why;

        if (v == NULL) {
            if (!json_object_has_member(m, "default")) {
                return mismatch(path, "member '%s' is missing", name);
            }
            continue;
        }
        why = check_value(s, str_member(m, "type"), v, sub);
        if (why != NULL) {
            return why;
        }
    }
    return NULL;
}

static char *check_object(QTestSchema *s, JsonObject *t, JsonNode *v,
                          const char *path)
{
    JsonArray *base = json_object_get_array_member(t, "members");
    JsonArray *branch;
    JsonObject *o;
    char *why = NULL;
    GList *names;

    if (!JSON_NODE_HOLDS_OBJECT(v)) {
        return mismatch(path, "not an object");
    }
    o = json_node_get_object(v);
    branch = object_members_for(s, t, o, path, &why);
    if (why != NULL) {
        return why;
    }
    names = json_object_get_members(o);
    for (GList *l = names; l != NULL; l = l->next) {
        if (!find_member(base, l->data) && !find_member(branch, l->data)) {
            why = mismatch(path, "member '%s' is not in the schema",
                           (char *)l->data);
            break;
        }
    }
    g_list_free(names);
    if (why == NULL) {
        why = check_members(s, base, o, path);
    }
    if (why == NULL) {
        why = check_members(s, branch, o, path);
    }
    return why;
}

static char *check_value(QTestSchema *s, const char *type, JsonNode *v,
                         const char *path)
{
    JsonObject *t = qtest_schema_entry(s, type);
    const char *meta = t ? str_member(t, "meta-type") : NULL;

    if (meta == NULL) {
        return mismatch(path, "type '%s' is not defined", type);
    }
    if (!strcmp(meta, "builtin")) {
        return check_builtin(type, v, path);
    }
    if (!strcmp(meta, "enum")) {
        JsonArray *values = json_object_get_array_member(t, "values");
        const char *str = JSON_NODE_HOLDS_VALUE(v) &&
                                  json_node_get_value_type(v) == G_TYPE_STRING
                              ? json_node_get_string(v)
                              : NULL;

        for (guint i = 0; str && i < json_array_get_length(values); i++) {
            if (!strcmp(json_array_get_string_element(values, i), str)) {
                return NULL;
            }
        }
        return mismatch(path, "'%s' is not a value of enum %s",
                        str ? str : "(not a string)", type);
    }
    if (!strcmp(meta, "array")) {
        JsonArray *a;

        if (!JSON_NODE_HOLDS_ARRAY(v)) {
            return mismatch(path, "not an array");
        }
        a = json_node_get_array(v);
        for (guint i = 0; i < json_array_get_length(a); i++) {
            g_autofree char *sub = g_strdup_printf("%s[%u]", path, i);
            char *why = check_value(s, str_member(t, "element-type"),
                                    json_array_get_element(a, i), sub);
            if (why != NULL) {
                return why;
            }
        }
        return NULL;
    }
    if (!strcmp(meta, "object")) {
        return check_object(s, t, v, path);
    }
    if (!strcmp(meta, "alternate")) {
        JsonArray *alts = json_object_get_array_member(t, "members");

        for (guint i = 0; i < json_array_get_length(alts); i++) {
            JsonObject *m = json_array_get_object_element(alts, i);
            g_autofree char *why =
                check_value(s, str_member(m, "type"), v, path);
            if (why == NULL) {
                return NULL;
            }
        }
        return mismatch(path, "no branch of alternate %s fits", type);
    }
    return mismatch(path, "'%s' is a %s, not a type", type, meta);
}

char *qtest_schema_mismatch(QTestSchema *s, const char *type, JsonNode *v)
{
    return check_value(s, type, v, "");
}

void qtest_schema_assert_return(QTestSchema *s, const char *command,
                                JsonNode *ret)
{
    JsonObject *c = qtest_schema_entry(s, command);
    g_autofree char *why = NULL;

    if (c == NULL || strcmp(str_member(c, "meta-type"), "command") != 0) {
        g_error("schema: no command '%s'", command);
    }
    why = qtest_schema_mismatch(s, str_member(c, "ret-type"), ret);
    if (why != NULL) {
        g_autofree char *text = qtest_json_to_string(ret);
        g_error("schema: %s returned %s, which does not fit its ret-type: %s",
                command, text, why);
    }
}

void qtest_schema_assert_event(QTestSchema *s, JsonNode *event)
{
    JsonObject *ev = json_node_get_object(event);
    const char *name = str_member(ev, "event");
    JsonObject *e = name ? qtest_schema_entry(s, name) : NULL;
    g_autoptr(JsonNode) empty = NULL;
    JsonNode *data = json_object_get_member(ev, "data");
    g_autofree char *why = NULL;

    if (e == NULL || strcmp(str_member(e, "meta-type"), "event") != 0) {
        g_error("schema: event '%s' is not in the schema",
                name ? name : "(no name)");
    }
    if (data == NULL) {
        empty = json_node_new(JSON_NODE_OBJECT);
        json_node_take_object(empty, json_object_new());
        data = empty;
    }
    why = qtest_schema_mismatch(s, str_member(e, "arg-type"), data);
    if (why != NULL) {
        g_autofree char *text = qtest_json_to_string(event);
        g_error("schema: event %s does not fit its arg-type: %s", text, why);
    }
}

JsonNode *qtest_qmp_checked(QTestState *qts, QTestSchema *s,
                            const char *fmt, ...)
{
    g_autofree char *text = NULL;
    g_autoptr(JsonParser) p = json_parser_new();
    g_autoptr(JsonNode) reply = NULL;
    JsonNode *ret;
    va_list ap;

    va_start(ap, fmt);
    text = qtest_json_vformat(fmt, ap);
    va_end(ap);
    if (!json_parser_load_from_data(p, text, -1, NULL)) {
        g_error("qtest_qmp_checked: bad command %s", text);
    }
    reply = qtest_qmp_node(qts, json_parser_get_root(p));
    ret = qtest_reply_return(reply);
    qtest_schema_assert_return(
        s,
        json_object_get_string_member(
            json_node_get_object(json_parser_get_root(p)), "execute"),
        ret);
    return ret;
}
