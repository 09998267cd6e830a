/* QMP commands on the object tree and on types: qom-*, object-add/del. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "monitor/qmp.h"

#include "hw/core/device.h"
#include "qom/property.h"
#include "qom/user-creatable.h"
#include "util/cutils.h"
#include "util/error.h"

#include <string.h>

/*
 * Property values are read and written with the machine lock held, as
 * device callbacks are: a vCPU thread may be in the same device.
 */
static void lock(CgSystem *sys)
{
    if (sys->machine != NULL) {
        machine_lock(sys->machine);
    }
}

static void unlock(CgSystem *sys)
{
    if (sys->machine != NULL) {
        machine_unlock(sys->machine);
    }
}

/* Every object from which the relative @parts lead somewhere, by DFS. */
static void find_partial(CgObject *obj, char **parts, GPtrArray *found)
{
    g_autoptr(GPtrArray) children = cg_object_get_children(obj);
    CgObject *t = obj;

    for (char **p = parts; t != NULL && *p != NULL; p++) {
        t = cg_object_get_child(t, *p);
    }
    if (t != NULL && t != obj) {
        g_ptr_array_add(found, t);
    }
    for (guint i = 0; i < children->len; i++) {
        find_partial(g_ptr_array_index(children, i), parts, found);
    }
}

/*
 * An absolute path, or as in QEMU a partial one ("rng0",
 * "peripheral/rng0") that names exactly one object in the tree.
 */
static CgObject *resolve(CgSystem *sys, const char *path, GError **err)
{
    g_autoptr(GPtrArray) found = NULL;
    g_auto(GStrv) parts = NULL;
    CgObject *obj;

    if (path[0] == '/') {
        obj = cg_object_resolve_path(sys->root, path);
        if (obj == NULL) {
            g_set_error(err, CG_ERROR, CG_ERROR_DEVICE_NOT_FOUND,
                        "Device '%s' not found; qom-list shows what a path "
                        "contains", path);
        }
        return obj;
    }
    parts = g_strsplit(path, "/", -1);
    for (char **p = parts; *p != NULL; p++) {
        if (**p == '\0') {
            g_set_error(err, CG_ERROR, CG_ERROR_DEVICE_NOT_FOUND,
                        "Device '%s' not found: empty path component", path);
            return NULL;
        }
    }
    found = g_ptr_array_new();
    find_partial(sys->root, parts, found);
    if (found->len == 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_DEVICE_NOT_FOUND,
                    "Device '%s' not found; give an absolute path such as "
                    "/machine/peripheral/ID or /objects/ID", path);
        return NULL;
    }
    if (found->len > 1) {
        g_autofree char *a = cg_object_canonical_path(found->pdata[0]);
        g_autofree char *b = cg_object_canonical_path(found->pdata[1]);
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "Path '%s' is ambiguous: it matches %s and %s; give the "
                    "absolute path", path, a, b);
        return NULL;
    }
    return found->pdata[0];
}

static bool is_device_type(GType t)
{
    return g_type_is_a(t, CG_TYPE_DEVICE);
}

/* QOM's spelling of a property type: qdev properties say "str", other
 * objects' "string". */
static char *qom_type_name(GParamSpec *p, GType owner)
{
    char *t = cg_param_spec_type_name(p);

    if (!strcmp(t, "str") &&
        (!is_device_type(owner) || !strcmp(p->name, "type"))) {
        g_free(t);
        t = g_strdup("string");
    }
    return t;
}

static gint compare_props(gconstpointer a, gconstpointer b)
{
    const GParamSpec *pa = *(GParamSpec *const *)a;
    const GParamSpec *pb = *(GParamSpec *const *)b;

    const char *na = cg_param_spec_name((GParamSpec *)pa);
    const char *nb = cg_param_spec_name((GParamSpec *)pb);
    bool ta = !strcmp(na, "type");
    bool tb = !strcmp(nb, "type");

    /* "type" first, as QEMU lists it, then by name. */
    if (ta != tb) {
        return ta ? -1 : 1;
    }
    return strcmp(na, nb);
}

/* The non-internal properties of @type, readable or writable. */
static GPtrArray *visible_properties(GType type)
{
    GPtrArray *out = g_ptr_array_new();
    GParamSpec **list;
    guint n = 0;

    if (G_TYPE_IS_INTERFACE(type)) {
        gpointer iface = g_type_default_interface_ref(type);
        list = g_object_interface_list_properties(iface, &n);
        g_type_default_interface_unref(iface);
    } else {
        GObjectClass *oc = g_type_class_ref(type);
        list = g_object_class_list_properties(oc, &n);
        g_type_class_unref(oc);
    }
    for (guint i = 0; i < n; i++) {
        if (!cg_param_spec_is_internal(list[i])) {
            g_ptr_array_add(out, list[i]);
        }
    }
    g_free(list);
    g_ptr_array_sort(out, compare_props);
    return out;
}

static JsonNode *qmp_qom_list(CgSystem *sys, JsonObject *args, GError **err)
{
    const char *path = qmp_arg_str(args, "path", NULL);
    g_autoptr(JsonBuilder) b = NULL;
    g_autoptr(GPtrArray) props = NULL;
    g_autoptr(GPtrArray) children = NULL;
    CgObject *obj = resolve(sys, path, err);

    if (obj == NULL) {
        return NULL;
    }
    b = json_builder_new();
    props = visible_properties(G_OBJECT_TYPE(obj));
    children = cg_object_get_children(obj);
    json_builder_begin_array(b);
    for (guint i = 0; i < props->len; i++) {
        GParamSpec *p = g_ptr_array_index(props, i);
        g_autofree char *t = qom_type_name(p, G_OBJECT_TYPE(obj));
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "name");
        json_builder_add_string_value(b, cg_param_spec_name(p));
        json_builder_set_member_name(b, "type");
        json_builder_add_string_value(b, t);
        json_builder_end_object(b);
    }
    for (guint i = 0; i < children->len; i++) {
        CgObject *c = g_ptr_array_index(children, i);
        g_autofree char *t = g_strdup_printf("child<%s>",
                                             cg_object_type_name(c));
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "name");
        json_builder_add_string_value(b, cg_object_get_name(c));
        json_builder_set_member_name(b, "type");
        json_builder_add_string_value(b, t);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    return json_builder_get_root(b);
}

static const QmpArg path_args[] = {
    { "path", QMP_ARG_STR },
    { NULL },
};

QMP_DEFINE_COMMAND("qom-list", qmp_qom_list, path_args, 0)

static JsonNode *qmp_qom_get(CgSystem *sys, JsonObject *args, GError **err)
{
    const char *path = qmp_arg_str(args, "path", NULL);
    const char *name = qmp_arg_str(args, "property", NULL);
    CgObject *obj = resolve(sys, path, err);
    CgObject *child;
    JsonNode *ret;

    if (obj == NULL) {
        return NULL;
    }
    child = cg_object_get_child(obj, name);
    if (child != NULL &&
        g_object_class_find_property(G_OBJECT_GET_CLASS(obj), name) ==
            NULL) {
        /* A child<> property reads as the child's path, as in QEMU. */
        g_autofree char *cpath = cg_object_canonical_path(child);
        ret = json_node_new(JSON_NODE_VALUE);
        json_node_set_string(ret, cpath);
        return ret;
    }
    lock(sys);
    ret = cg_object_get_json(obj, name, err);
    unlock(sys);
    return ret;
}

static const QmpArg qom_get_args[] = {
    { "path", QMP_ARG_STR },
    { "property", QMP_ARG_STR },
    { NULL },
};

QMP_DEFINE_COMMAND("qom-get", qmp_qom_get, qom_get_args, 0)

static JsonNode *qmp_qom_set(CgSystem *sys, JsonObject *args, GError **err)
{
    const char *path = qmp_arg_str(args, "path", NULL);
    const char *name = qmp_arg_str(args, "property", NULL);
    JsonNode *value = json_object_get_member(args, "value");
    CgObject *obj = resolve(sys, path, err);
    bool ok;

    if (obj == NULL) {
        return NULL;
    }
    lock(sys);
    ok = cg_object_set_json(obj, name, value, err);
    unlock(sys);
    return ok ? qmp_return_empty() : NULL;
}

static const QmpArg qom_set_args[] = {
    { "path", QMP_ARG_STR },
    { "property", QMP_ARG_STR },
    { "value", QMP_ARG_ANY },
    { NULL },
};

QMP_DEFINE_COMMAND("qom-set", qmp_qom_set, qom_set_args, 0)

static void collect_types(GType t, GPtrArray *out)
{
    guint n = 0;
    g_autofree GType *children = g_type_children(t, &n);

    g_ptr_array_add(out, GSIZE_TO_POINTER(t));
    for (guint i = 0; i < n; i++) {
        collect_types(children[i], out);
    }
}

static gint compare_type_names(gconstpointer a, gconstpointer b)
{
    GType ta = GPOINTER_TO_SIZE(*(gconstpointer const *)a);
    GType tb = GPOINTER_TO_SIZE(*(gconstpointer const *)b);

    return strcmp(g_type_name(ta), g_type_name(tb));
}

/* Every cgemu type and interface of this binary, sorted by name. */
static GPtrArray *all_types(void)
{
    GPtrArray *out = g_ptr_array_new();
    guint n = 0;
    g_autofree GType *ifaces = g_type_children(G_TYPE_INTERFACE, &n);

    collect_types(CG_TYPE_OBJECT, out);
    for (guint i = 0; i < n; i++) {
        /* GLib's own interfaces (GInitable, ...) are not QOM types. */
        if (cg_type_lookup(g_type_name(ifaces[i])) == ifaces[i]) {
            g_ptr_array_add(out, GSIZE_TO_POINTER(ifaces[i]));
        }
    }
    g_ptr_array_sort(out, compare_type_names);
    return out;
}

static JsonNode *qmp_qom_list_types(CgSystem *sys, JsonObject *args,
                                    GError **err)
{
    const char *implements = qmp_arg_str(args, "implements", NULL);
    bool abstract = qmp_arg_bool(args, "abstract", false);
    g_autoptr(GPtrArray) types = all_types();
    g_autoptr(JsonBuilder) b = json_builder_new();
    GType want = implements ? cg_type_lookup(implements) : CG_TYPE_OBJECT;

    json_builder_begin_array(b);
    /* As QEMU: an unknown implements= matches nothing, not an error. */
    for (guint i = 0; want != 0 && i < types->len; i++) {
        GType t = GPOINTER_TO_SIZE(g_ptr_array_index(types, i));
        bool is_abstract = G_TYPE_IS_ABSTRACT(t) || G_TYPE_IS_INTERFACE(t);

        if ((implements != NULL && !g_type_is_a(t, want)) ||
            (is_abstract && !abstract)) {
            continue;
        }
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "name");
        json_builder_add_string_value(b, g_type_name(t));
        if (is_abstract) {
            json_builder_set_member_name(b, "abstract");
            json_builder_add_boolean_value(b, true);
        }
        if (G_TYPE_IS_INTERFACE(t)) {
            json_builder_set_member_name(b, "parent");
            json_builder_add_string_value(b, "interface");
        } else if (t != CG_TYPE_OBJECT) {
            json_builder_set_member_name(b, "parent");
            json_builder_add_string_value(b,
                                          g_type_name(g_type_parent(t)));
        }
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    return json_builder_get_root(b);
}

static const QmpArg list_types_args[] = {
    { "implements", QMP_ARG_STR, .optional = true },
    { "abstract", QMP_ARG_BOOL, .optional = true },
    { NULL },
};

QMP_DEFINE_COMMAND("qom-list-types", qmp_qom_list_types, list_types_args, 0)

/* The default as a JSON value of the property's own type, or NULL. */
static JsonNode *default_value(GParamSpec *pspec)
{
    GParamSpec *p = cg_param_spec_resolve(pspec);
    const GValue *v = g_param_spec_get_default_value(p);
    JsonNode *n;

    if (cg_param_spec_is_link(p)) {
        return NULL;
    }
    n = json_node_new(JSON_NODE_VALUE);
    switch (G_TYPE_FUNDAMENTAL(G_VALUE_TYPE(v))) {
    case G_TYPE_BOOLEAN:
        json_node_set_boolean(n, g_value_get_boolean(v));
        return n;
    case G_TYPE_CHAR:
        json_node_set_int(n, g_value_get_schar(v));
        return n;
    case G_TYPE_UCHAR:
        json_node_set_int(n, g_value_get_uchar(v));
        return n;
    case G_TYPE_INT:
        json_node_set_int(n, g_value_get_int(v));
        return n;
    case G_TYPE_UINT:
        json_node_set_int(n, g_value_get_uint(v));
        return n;
    case G_TYPE_LONG:
        json_node_set_int(n, g_value_get_long(v));
        return n;
    case G_TYPE_ULONG:
        json_node_set_int(n, (gint64)g_value_get_ulong(v));
        return n;
    case G_TYPE_INT64:
        json_node_set_int(n, g_value_get_int64(v));
        return n;
    case G_TYPE_UINT64:
        json_node_set_int(n, (gint64)g_value_get_uint64(v));
        return n;
    case G_TYPE_DOUBLE:
        json_node_set_double(n, g_value_get_double(v));
        return n;
    case G_TYPE_ENUM: {
        g_autoptr(GEnumClass) ec = g_type_class_ref(G_VALUE_TYPE(v));
        GEnumValue *ev = g_enum_get_value(ec, g_value_get_enum(v));
        if (ev != NULL) {
            json_node_set_string(n, ev->value_nick);
            return n;
        }
        break;
    }
    case G_TYPE_STRING:
        if (g_value_get_string(v) != NULL) {
            json_node_set_string(n, g_value_get_string(v));
            return n;
        }
        break;
    }
    json_node_unref(n);
    return NULL;
}

/*
 * [{name, type, description?, default-value?}].  For devices, as QEMU,
 * without the properties every device has and none can set.
 */
static JsonNode *property_list(GType type, bool device)
{
    g_autoptr(GPtrArray) props = visible_properties(type);
    g_autoptr(JsonBuilder) b = json_builder_new();

    json_builder_begin_array(b);
    for (guint i = 0; i < props->len; i++) {
        GParamSpec *p = g_ptr_array_index(props, i);
        const char *name = cg_param_spec_name(p);
        g_autofree char *t = NULL;
        const char *blurb = g_param_spec_get_blurb(cg_param_spec_resolve(p));
        JsonNode *dflt;

        if (device &&
            (!strcmp(name, "type") || !strcmp(name, "realized"))) {
            continue;
        }
        t = qom_type_name(p, type);
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "name");
        json_builder_add_string_value(b, name);
        json_builder_set_member_name(b, "type");
        json_builder_add_string_value(b, t);
        /* "type" is every object's; QEMU describes it nowhere either. */
        if (blurb != NULL && *blurb != '\0' && strcmp(blurb, p->name) &&
            strcmp(name, "type") != 0) {
            json_builder_set_member_name(b, "description");
            json_builder_add_string_value(b, blurb);
        }
        dflt = strcmp(name, "type") != 0 ? default_value(p) : NULL;
        if (dflt != NULL) {
            json_builder_set_member_name(b, "default-value");
            json_builder_add_value(b, dflt);
        }
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    return json_builder_get_root(b);
}

static JsonNode *qmp_qom_list_properties(CgSystem *sys, JsonObject *args,
                                         GError **err)
{
    const char *name = qmp_arg_str(args, "typename", NULL);
    GType t = cg_type_lookup(name);

    if (t == 0) {
        const char *other = cg_type_foreign_binary(name);
        if (other != NULL && strcmp(other, sys->binary) != 0) {
            g_set_error(err, CG_ERROR, CG_ERROR_DEVICE_NOT_FOUND,
                        "Class '%s' not found: it is provided by %s, not "
                        "%s", name, other, sys->binary);
        } else {
            g_set_error(err, CG_ERROR, CG_ERROR_DEVICE_NOT_FOUND,
                        "Class '%s' not found; qom-list-types lists the "
                        "types of this binary", name);
        }
        return NULL;
    }
    return property_list(t, false);
}

static const QmpArg typename_args[] = {
    { "typename", QMP_ARG_STR },
    { NULL },
};

QMP_DEFINE_COMMAND("qom-list-properties", qmp_qom_list_properties,
                   typename_args, 0)

static JsonNode *qmp_device_list_properties(CgSystem *sys, JsonObject *args,
                                            GError **err)
{
    const char *name = qmp_arg_str(args, "typename", NULL);
    GType t = cg_type_lookup(name);

    if (t == 0) {
        const char *other = cg_type_foreign_binary(name);
        if (other != NULL && strcmp(other, sys->binary) != 0) {
            g_set_error(err, CG_ERROR, CG_ERROR_DEVICE_NOT_FOUND,
                        "Device '%s' not found: it is provided by %s, not "
                        "%s", name, other, sys->binary);
        } else {
            g_set_error(err, CG_ERROR, CG_ERROR_DEVICE_NOT_FOUND,
                        "Device '%s' not found; qom-list-types "
                        "implements=device lists the devices", name);
        }
        return NULL;
    }
    if (!is_device_type(t) || G_TYPE_IS_ABSTRACT(t)) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "Parameter 'typename' expects a non-abstract device "
                    "type; '%s' is %s", name,
                    is_device_type(t) ? "abstract" : "not a device");
        return NULL;
    }
    return property_list(t, true);
}

QMP_DEFINE_COMMAND("device-list-properties", qmp_device_list_properties,
                   typename_args, 0)

static JsonNode *qmp_object_add(CgSystem *sys, JsonObject *args,
                                GError **err)
{
    const char *type_name = qmp_arg_str(args, "qom-type", NULL);
    GType t = cg_type_lookup(type_name);
    g_autoptr(CgOpts) opts = NULL;
    CgObject *obj;

    if (t == 0 || !g_type_is_a(t, CG_TYPE_USER_CREATABLE) ||
        G_TYPE_IS_ABSTRACT(t)) {
        const char *other = cg_type_foreign_binary(type_name);
        if (t == 0 && other != NULL && strcmp(other, sys->binary) != 0) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "Parameter 'qom-type' does not accept value '%s': "
                        "it is provided by %s, not %s", type_name, other,
                        sys->binary);
        } else {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "Parameter 'qom-type' does not accept value '%s': "
                        "%s; qom-list-types implements=user-creatable lists "
                        "the types", type_name,
                        t == 0 ? "there is no such type"
                        : G_TYPE_IS_ABSTRACT(t)
                            ? "the type is abstract"
                            : "objects of this type cannot be created by "
                              "users");
        }
        return NULL;
    }
    opts = cg_opts_from_json_object(args, err);
    if (opts == NULL) {
        return NULL;
    }
    lock(sys);
    obj = user_creatable_add(sys->root, opts, err);
    unlock(sys);
    return obj != NULL ? qmp_return_empty() : NULL;
}

static const QmpArg object_add_args[] = {
    { "qom-type", QMP_ARG_STR },
    { "id", QMP_ARG_STR },
    { NULL },
};

QMP_DEFINE_COMMAND("object-add", qmp_object_add, object_add_args,
                   QMP_CMD_EXTRA_ARGS)

static JsonNode *qmp_object_del(CgSystem *sys, JsonObject *args,
                                GError **err)
{
    const char *id = qmp_arg_str(args, "id", NULL);
    bool ok;

    lock(sys);
    ok = user_creatable_del(sys->root, id, err);
    unlock(sys);
    return ok ? qmp_return_empty() : NULL;
}

static const QmpArg object_del_args[] = {
    { "id", QMP_ARG_STR },
    { NULL },
};

QMP_DEFINE_COMMAND("object-del", qmp_object_del, object_del_args, 0)
