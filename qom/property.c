/* Properties: size and link kinds, text and JSON conversion, listings. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "qom/property.h"

#include "util/cutils.h"
#include "util/error.h"

#include <inttypes.h>
#include <string.h>

static GQuark size_mark_quark(void)
{
    return g_quark_from_static_string("cg-param-size");
}

static GQuark link_mark_quark(void)
{
    return g_quark_from_static_string("cg-param-link");
}

static GQuark internal_mark_quark(void)
{
    return g_quark_from_static_string("cg-param-internal");
}

static GQuark name_quark(void)
{
    return g_quark_from_static_string("cg-param-name");
}

GParamSpec *cg_param_spec_keep_name(GParamSpec *pspec, const char *name)
{
    g_param_spec_set_qdata_full(pspec, name_quark(), g_strdup(name), g_free);
    return pspec;
}

const char *cg_param_spec_name(GParamSpec *pspec)
{
    const char *n = g_param_spec_get_qdata(pspec, name_quark());

    if (n == NULL) {
        n = g_param_spec_get_qdata(cg_param_spec_resolve(pspec),
                                   name_quark());
    }
    return n ? n : pspec->name;
}

GParamSpec *cg_param_spec_size(const char *name, const char *blurb,
                               guint64 min, guint64 max, guint64 dflt,
                               GParamFlags flags)
{
    GParamSpec *p = g_param_spec_uint64(name, name, blurb, min, max, dflt,
                                        flags);
    g_param_spec_set_qdata(p, size_mark_quark(), GINT_TO_POINTER(1));
    return p;
}

GParamSpec *cg_param_spec_link(const char *name, const char *blurb,
                               GType target, GParamFlags flags)
{
    GParamSpec *p = g_param_spec_object(name, name, blurb, target, flags);
    g_param_spec_set_qdata(p, link_mark_quark(), GINT_TO_POINTER(1));
    return p;
}

GParamSpec *cg_param_spec_resolve(GParamSpec *pspec)
{
    GParamSpec *target = g_param_spec_get_redirect_target(pspec);

    return target ? target : pspec;
}

bool cg_param_spec_is_size(GParamSpec *pspec)
{
    return g_param_spec_get_qdata(cg_param_spec_resolve(pspec),
                                  size_mark_quark()) != NULL;
}

bool cg_param_spec_is_link(GParamSpec *pspec)
{
    return g_param_spec_get_qdata(cg_param_spec_resolve(pspec),
                                  link_mark_quark()) != NULL;
}

void cg_param_spec_set_internal(GParamSpec *pspec)
{
    g_param_spec_set_qdata(pspec, internal_mark_quark(), GINT_TO_POINTER(1));
}

bool cg_param_spec_is_internal(GParamSpec *pspec)
{
    return g_param_spec_get_qdata(pspec, internal_mark_quark()) != NULL ||
           g_param_spec_get_qdata(cg_param_spec_resolve(pspec),
                                  internal_mark_quark()) != NULL;
}

char *cg_param_spec_type_name(GParamSpec *pspec)
{
    GParamSpec *p = cg_param_spec_resolve(pspec);
    GType vt = G_PARAM_SPEC_VALUE_TYPE(p);

    if (cg_param_spec_is_size(p)) {
        return g_strdup("size");
    }
    switch (G_TYPE_FUNDAMENTAL(vt)) {
    case G_TYPE_BOOLEAN:
        return g_strdup("bool");
    case G_TYPE_CHAR:
        return g_strdup("int8");
    case G_TYPE_UCHAR:
        return g_strdup("uint8");
    case G_TYPE_INT:
        return g_strdup("int32");
    case G_TYPE_UINT:
        return g_strdup("uint32");
    case G_TYPE_LONG:
    case G_TYPE_INT64:
        return g_strdup("int64");
    case G_TYPE_ULONG:
    case G_TYPE_UINT64:
        return g_strdup("uint64");
    case G_TYPE_DOUBLE:
    case G_TYPE_FLOAT:
        return g_strdup("number");
    case G_TYPE_STRING:
        return g_strdup("str");
    case G_TYPE_ENUM:
        return g_strdup(g_type_name(vt));
    case G_TYPE_OBJECT:
    case G_TYPE_INTERFACE:
        return g_strdup_printf("link<%s>", g_type_name(vt));
    }
    return g_strdup(g_type_name(vt));
}

char *cg_param_spec_enum_choices(GParamSpec *pspec)
{
    GParamSpec *p = cg_param_spec_resolve(pspec);
    g_autoptr(GEnumClass) ec = NULL;
    GString *s;

    if (!G_IS_PARAM_SPEC_ENUM(p)) {
        return NULL;
    }
    ec = g_type_class_ref(G_PARAM_SPEC_VALUE_TYPE(p));
    s = g_string_new(NULL);
    for (guint i = 0; i < ec->n_values; i++) {
        g_string_append_printf(s, "%s%s", i ? ", " : "",
                               ec->values[i].value_nick);
    }
    return g_string_free(s, FALSE);
}

char *cg_param_spec_default_text(GParamSpec *pspec)
{
    GParamSpec *p = cg_param_spec_resolve(pspec);
    const GValue *v = g_param_spec_get_default_value(p);

    switch (G_TYPE_FUNDAMENTAL(G_VALUE_TYPE(v))) {
    case G_TYPE_BOOLEAN:
        return g_strdup(g_value_get_boolean(v) ? "on" : "off");
    case G_TYPE_CHAR:
        return g_strdup_printf("%d", g_value_get_schar(v));
    case G_TYPE_UCHAR:
        return g_strdup_printf("%u", g_value_get_uchar(v));
    case G_TYPE_INT:
        return g_strdup_printf("%d", g_value_get_int(v));
    case G_TYPE_UINT:
        return g_strdup_printf("%u", g_value_get_uint(v));
    case G_TYPE_LONG:
        return g_strdup_printf("%ld", g_value_get_long(v));
    case G_TYPE_ULONG:
        return g_strdup_printf("%lu", g_value_get_ulong(v));
    case G_TYPE_INT64:
        return g_strdup_printf("%" G_GINT64_FORMAT, g_value_get_int64(v));
    case G_TYPE_UINT64:
        return g_strdup_printf("%" G_GUINT64_FORMAT, g_value_get_uint64(v));
    case G_TYPE_ENUM: {
        g_autoptr(GEnumClass) ec = g_type_class_ref(G_VALUE_TYPE(v));
        GEnumValue *ev = g_enum_get_value(ec, g_value_get_enum(v));
        return ev ? g_strdup(ev->value_nick) : NULL;
    }
    case G_TYPE_STRING:
        return g_strdup(g_value_get_string(v));
    }
    return NULL;
}

/* The range of an integer spec, widened to 64 bits. */
static bool int_range(GParamSpec *p, int64_t *smin, int64_t *smax,
                      uint64_t *umin, uint64_t *umax, bool *is_signed)
{
    *is_signed = true;
    if (G_IS_PARAM_SPEC_CHAR(p)) {
        *smin = G_PARAM_SPEC_CHAR(p)->minimum;
        *smax = G_PARAM_SPEC_CHAR(p)->maximum;
    } else if (G_IS_PARAM_SPEC_INT(p)) {
        *smin = G_PARAM_SPEC_INT(p)->minimum;
        *smax = G_PARAM_SPEC_INT(p)->maximum;
    } else if (G_IS_PARAM_SPEC_LONG(p)) {
        *smin = G_PARAM_SPEC_LONG(p)->minimum;
        *smax = G_PARAM_SPEC_LONG(p)->maximum;
    } else if (G_IS_PARAM_SPEC_INT64(p)) {
        *smin = G_PARAM_SPEC_INT64(p)->minimum;
        *smax = G_PARAM_SPEC_INT64(p)->maximum;
    } else {
        *is_signed = false;
        if (G_IS_PARAM_SPEC_UCHAR(p)) {
            *umin = G_PARAM_SPEC_UCHAR(p)->minimum;
            *umax = G_PARAM_SPEC_UCHAR(p)->maximum;
        } else if (G_IS_PARAM_SPEC_UINT(p)) {
            *umin = G_PARAM_SPEC_UINT(p)->minimum;
            *umax = G_PARAM_SPEC_UINT(p)->maximum;
        } else if (G_IS_PARAM_SPEC_ULONG(p)) {
            *umin = G_PARAM_SPEC_ULONG(p)->minimum;
            *umax = G_PARAM_SPEC_ULONG(p)->maximum;
        } else if (G_IS_PARAM_SPEC_UINT64(p)) {
            *umin = G_PARAM_SPEC_UINT64(p)->minimum;
            *umax = G_PARAM_SPEC_UINT64(p)->maximum;
        } else {
            return false;
        }
    }
    return true;
}

static char *range_text(GParamSpec *p)
{
    int64_t smin = 0, smax = 0;
    uint64_t umin = 0, umax = 0;
    bool is_signed;

    if (!int_range(p, &smin, &smax, &umin, &umax, &is_signed)) {
        return g_strdup("");
    }
    if (is_signed) {
        return g_strdup_printf("%" PRId64 "..%" PRId64, smin, smax);
    }
    if (umax == UINT64_MAX) {
        return g_strdup_printf("%" PRIu64 "..2^64-1", umin);
    }
    if (umax >= 0x10000) {
        return g_strdup_printf("%" PRIu64 "..0x%" PRIx64, umin, umax);
    }
    return g_strdup_printf("%" PRIu64 "..%" PRIu64, umin, umax);
}

static void set_int_value(GValue *out, GParamSpec *p, int64_t s, uint64_t u,
                          bool is_signed)
{
    GType ft = G_TYPE_FUNDAMENTAL(G_PARAM_SPEC_VALUE_TYPE(p));

    g_value_init(out, G_PARAM_SPEC_VALUE_TYPE(p));
    switch (ft) {
    case G_TYPE_CHAR:
        g_value_set_schar(out, (gint8)s);
        break;
    case G_TYPE_INT:
        g_value_set_int(out, (gint)s);
        break;
    case G_TYPE_LONG:
        g_value_set_long(out, (glong)s);
        break;
    case G_TYPE_INT64:
        g_value_set_int64(out, s);
        break;
    case G_TYPE_UCHAR:
        g_value_set_uchar(out, (guchar)u);
        break;
    case G_TYPE_UINT:
        g_value_set_uint(out, (guint)u);
        break;
    case G_TYPE_ULONG:
        g_value_set_ulong(out, (gulong)u);
        break;
    default:
        g_value_set_uint64(out, u);
        break;
    }
    (void)is_signed;
}

static bool parse_integer(GParamSpec *p, CgOptKind kind, const char *text,
                          GValue *out, GError **err)
{
    int64_t smin = 0, smax = 0, s = 0;
    uint64_t umin = 0, umax = 0, u = 0;
    bool is_signed, ok;
    bool is_size = cg_param_spec_is_size(p);

    int_range(p, &smin, &smax, &umin, &umax, &is_signed);
    if (is_signed) {
        ok = cg_parse_int64(text, &s) && s >= smin && s <= smax;
    } else if (is_size && kind == CG_OPT_TEXT) {
        ok = cg_parse_size(text, 'B', &u) && u >= umin && u <= umax;
    } else {
        ok = cg_parse_uint64(text, &u) && u >= umin && u <= umax;
    }
    if (!ok) {
        g_autofree char *range = range_text(p);
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "property '%s' expects %s in %s, got '%s'",
                    cg_param_spec_name(p), is_size ? "a size (e.g. 512M, 4G)"
                                     : "an integer",
                    range, text);
        return false;
    }
    set_int_value(out, p, s, u, is_signed);
    return true;
}

static bool resolve_link(GParamSpec *p, CgObject *root, const char *text,
                         GValue *out, GError **err)
{
    GType want = G_PARAM_SPEC_VALUE_TYPE(p);
    CgObject *target;

    if (*text == '\0') {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "property '%s' needs the id of a %s object, got an "
                    "empty value", cg_param_spec_name(p), g_type_name(want));
        return false;
    }
    target = root ? cg_object_find(root, text) : NULL;
    if (target == NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "property '%s': no object '%s' exists; create it first "
                    "with -object %s,id=%s", cg_param_spec_name(p), text,
                    G_TYPE_IS_ABSTRACT(want) ? "TYPE" : g_type_name(want),
                    text);
        return false;
    }
    if (!g_type_is_a(G_OBJECT_TYPE(target), want)) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "property '%s': object '%s' is a %s, not a %s",
                    cg_param_spec_name(p), text, cg_object_type_name(target),
                    g_type_name(want));
        return false;
    }
    g_value_init(out, want);
    g_value_set_object(out, target);
    return true;
}

static bool kind_fits(GParamSpec *p, CgOptKind kind, GError **err)
{
    GType ft = G_TYPE_FUNDAMENTAL(G_PARAM_SPEC_VALUE_TYPE(p));
    const char *want;
    bool ok;

    if (kind == CG_OPT_TEXT) {
        return true;
    }
    switch (ft) {
    case G_TYPE_BOOLEAN:
        ok = kind == CG_OPT_BOOLEAN;
        want = "a boolean";
        break;
    case G_TYPE_STRING:
    case G_TYPE_ENUM:
    case G_TYPE_OBJECT:
    case G_TYPE_INTERFACE:
        ok = kind == CG_OPT_STRING;
        want = "a string";
        break;
    case G_TYPE_DOUBLE:
    case G_TYPE_FLOAT:
        ok = kind == CG_OPT_NUMBER || kind == CG_OPT_INTEGER;
        want = "a number";
        break;
    default:
        ok = kind == CG_OPT_INTEGER;
        want = "an integer";
        break;
    }
    if (!ok) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "property '%s' must be %s, not %s %s", cg_param_spec_name(p), want,
                    kind == CG_OPT_INTEGER ? "an" : "a",
                    cg_opt_kind_name(kind));
    }
    return ok;
}

bool cg_value_from_opt(GParamSpec *pspec, CgObject *root, CgOptKind kind,
                       const char *text, GValue *out, GError **err)
{
    GParamSpec *p = cg_param_spec_resolve(pspec);
    GType vt = G_PARAM_SPEC_VALUE_TYPE(p);

    if (!kind_fits(p, kind, err)) {
        return false;
    }
    switch (G_TYPE_FUNDAMENTAL(vt)) {
    case G_TYPE_BOOLEAN: {
        bool b;
        if (!cg_parse_bool(text, &b)) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "property '%s' expects on or off (or yes/no, "
                        "true/false), got '%s'", cg_param_spec_name(p), text);
            return false;
        }
        g_value_init(out, G_TYPE_BOOLEAN);
        g_value_set_boolean(out, b);
        return true;
    }
    case G_TYPE_CHAR:
    case G_TYPE_UCHAR:
    case G_TYPE_INT:
    case G_TYPE_UINT:
    case G_TYPE_LONG:
    case G_TYPE_ULONG:
    case G_TYPE_INT64:
    case G_TYPE_UINT64:
        return parse_integer(p, kind, text, out, err);
    case G_TYPE_DOUBLE: {
        char *end;
        double d = g_ascii_strtod(text, &end);
        if (*text == '\0' || *end != '\0') {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "property '%s' expects a number, got '%s'",
                        cg_param_spec_name(p), text);
            return false;
        }
        g_value_init(out, G_TYPE_DOUBLE);
        g_value_set_double(out, d);
        return true;
    }
    case G_TYPE_ENUM: {
        g_autoptr(GEnumClass) ec = g_type_class_ref(vt);
        GEnumValue *ev = g_enum_get_value_by_nick(ec, text);
        if (ev == NULL) {
            g_autofree char *choices = cg_param_spec_enum_choices(p);
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "property '%s' expects one of %s, got '%s'",
                        cg_param_spec_name(p), choices, text);
            return false;
        }
        g_value_init(out, vt);
        g_value_set_enum(out, ev->value);
        return true;
    }
    case G_TYPE_STRING:
        g_value_init(out, G_TYPE_STRING);
        g_value_set_string(out, text);
        return true;
    case G_TYPE_OBJECT:
    case G_TYPE_INTERFACE:
        if (cg_param_spec_is_link(p)) {
            return resolve_link(p, root, text, out, err);
        }
        break;
    }
    g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                "property '%s' cannot be set from the command line",
                cg_param_spec_name(p));
    return false;
}

static GParamSpec *find_user_property(CgObject *obj, const char *name,
                                      GError **err)
{
    GParamSpec *p = g_object_class_find_property(G_OBJECT_GET_CLASS(obj),
                                                 name);

    if (p == NULL || cg_param_spec_is_internal(p)) {
        cg_set_unknown_property_error(err, G_OBJECT_TYPE(obj), name);
        return NULL;
    }
    return p;
}

bool cg_object_set_opt(CgObject *obj, const char *name, CgOptKind kind,
                       const char *value, GError **err)
{
    return cg_object_set_opt_in(obj, cg_object_get_root(obj), name, kind,
                                value, err);
}

bool cg_object_set_opt_in(CgObject *obj, CgObject *root, const char *name,
                          CgOptKind kind, const char *value, GError **err)
{
    g_auto(GValue) v = G_VALUE_INIT;
    CgObjectClass *oc = CG_OBJECT_GET_CLASS(obj);
    GParamSpec *p = find_user_property(obj, name, err);

    if (p == NULL) {
        return false;
    }
    if (!(p->flags & G_PARAM_WRITABLE) ||
        (p->flags & G_PARAM_CONSTRUCT_ONLY)) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "property '%s' of %s is read-only", name,
                    cg_object_type_name(obj));
        return false;
    }
    if (oc->check_set_property && !oc->check_set_property(obj, p, err)) {
        return false;
    }
    if (!cg_value_from_opt(p, root, kind, value, &v, err)) {
        return false;
    }
    g_object_set_property(G_OBJECT(obj), name, &v);
    return true;
}

bool cg_object_set_str(CgObject *obj, const char *name, const char *value,
                       GError **err)
{
    return cg_object_set_opt(obj, name, CG_OPT_TEXT, value, err);
}

bool cg_object_set_opts(CgObject *obj, const CgOpts *opts,
                        const char *const *skip, GError **err)
{
    for (guint i = 0; i < opts->items->len; i++) {
        const CgOpt *o = g_ptr_array_index(opts->items, i);
        if (skip && g_strv_contains(skip, o->key)) {
            continue;
        }
        if (!cg_object_set_opt(obj, o->key, o->kind, o->value, err)) {
            return false;
        }
    }
    return true;
}

JsonNode *cg_object_get_json(CgObject *obj, const char *name, GError **err)
{
    g_auto(GValue) v = G_VALUE_INIT;
    GParamSpec *p = find_user_property(obj, name, err);
    JsonNode *node;

    if (p == NULL) {
        return NULL;
    }
    if (!(p->flags & G_PARAM_READABLE)) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "property '%s' of %s is write-only", name,
                    cg_object_type_name(obj));
        return NULL;
    }
    g_value_init(&v, G_PARAM_SPEC_VALUE_TYPE(cg_param_spec_resolve(p)));
    g_object_get_property(G_OBJECT(obj), name, &v);
    node = json_node_new(JSON_NODE_VALUE);
    switch (G_TYPE_FUNDAMENTAL(G_VALUE_TYPE(&v))) {
    case G_TYPE_BOOLEAN:
        json_node_set_boolean(node, g_value_get_boolean(&v));
        break;
    case G_TYPE_CHAR:
        json_node_set_int(node, g_value_get_schar(&v));
        break;
    case G_TYPE_UCHAR:
        json_node_set_int(node, g_value_get_uchar(&v));
        break;
    case G_TYPE_INT:
        json_node_set_int(node, g_value_get_int(&v));
        break;
    case G_TYPE_UINT:
        json_node_set_int(node, g_value_get_uint(&v));
        break;
    case G_TYPE_LONG:
        json_node_set_int(node, g_value_get_long(&v));
        break;
    case G_TYPE_ULONG:
        json_node_set_int(node, (gint64)g_value_get_ulong(&v));
        break;
    case G_TYPE_INT64:
        json_node_set_int(node, g_value_get_int64(&v));
        break;
    case G_TYPE_UINT64:
        /* JSON integers are signed 64-bit in json-glib; QMP does the same
         * wrap for values above 2^63 - 1. */
        json_node_set_int(node, (gint64)g_value_get_uint64(&v));
        break;
    case G_TYPE_DOUBLE:
        json_node_set_double(node, g_value_get_double(&v));
        break;
    case G_TYPE_ENUM: {
        g_autoptr(GEnumClass) ec = g_type_class_ref(G_VALUE_TYPE(&v));
        GEnumValue *ev = g_enum_get_value(ec, g_value_get_enum(&v));
        json_node_set_string(node, ev ? ev->value_nick : "");
        break;
    }
    case G_TYPE_STRING:
        if (g_value_get_string(&v) == NULL) {
            json_node_init_null(node);
        } else {
            json_node_set_string(node, g_value_get_string(&v));
        }
        break;
    case G_TYPE_OBJECT: {
        GObject *o = g_value_get_object(&v);
        g_autofree char *path = NULL;
        if (o != NULL && CG_IS_OBJECT(o)) {
            path = cg_object_canonical_path(CG_OBJECT(o));
        }
        json_node_set_string(node, path ? path : "");
        break;
    }
    default:
        json_node_unref(node);
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "property '%s' cannot be read as JSON", name);
        return NULL;
    }
    return node;
}

bool cg_object_set_json(CgObject *obj, const char *name, JsonNode *value,
                        GError **err)
{
    CgOptKind kind;
    g_autofree char *text = NULL;
    GType vt;

    if (value == NULL || !JSON_NODE_HOLDS_VALUE(value)) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "property '%s' needs a string, number or boolean value",
                    name);
        return false;
    }
    vt = json_node_get_value_type(value);
    if (vt == G_TYPE_STRING) {
        kind = CG_OPT_STRING;
        text = g_strdup(json_node_get_string(value));
    } else if (vt == G_TYPE_INT64) {
        kind = CG_OPT_INTEGER;
        text = g_strdup_printf("%" G_GINT64_FORMAT, json_node_get_int(value));
    } else if (vt == G_TYPE_BOOLEAN) {
        kind = CG_OPT_BOOLEAN;
        text = g_strdup(json_node_get_boolean(value) ? "on" : "off");
    } else {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];
        kind = CG_OPT_NUMBER;
        text = g_strdup(g_ascii_dtostr(buf, sizeof(buf),
                                       json_node_get_double(value)));
    }
    return cg_object_set_opt(obj, name, kind, text, err);
}

static gint compare_pspec_names(gconstpointer a, gconstpointer b)
{
    const GParamSpec *pa = *(GParamSpec *const *)a;
    const GParamSpec *pb = *(GParamSpec *const *)b;

    return strcmp(cg_param_spec_name((GParamSpec *)pa),
                  cg_param_spec_name((GParamSpec *)pb));
}

bool cg_property_names_equal(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char ca = *a == '_' ? '-' : *a;
        char cb = *b == '_' ? '-' : *b;
        if (ca != cb) {
            return false;
        }
    }
    return *a == *b;
}

static GParamSpec **list_type_properties(GType type, guint *n)
{
    GParamSpec **list;

    if (G_TYPE_IS_INTERFACE(type)) {
        gpointer iface = g_type_default_interface_ref(type);
        list = g_object_interface_list_properties(iface, n);
        g_type_default_interface_unref(iface);
    } else {
        GObjectClass *oc = g_type_class_ref(type);
        list = g_object_class_list_properties(oc, n);
        g_type_class_unref(oc);
    }
    return list;
}

GPtrArray *cg_class_user_properties(GType type)
{
    guint n = 0;
    g_autofree GParamSpec **list = list_type_properties(type, &n);
    GPtrArray *out = g_ptr_array_new();

    for (guint i = 0; i < n; i++) {
        GParamSpec *p = list[i];
        if (cg_param_spec_is_internal(p) || !(p->flags & G_PARAM_WRITABLE)) {
            continue;
        }
        g_ptr_array_add(out, p);
    }
    g_ptr_array_sort(out, compare_pspec_names);
    return out;
}

void cg_set_unknown_property_error(GError **err, GType type,
                                   const char *name)
{
    g_autoptr(GPtrArray) props = cg_class_user_properties(type);
    g_autoptr(GString) list = g_string_new(NULL);
    g_autofree const char **names = g_new0(const char *, props->len + 1);
    const char *hint;

    for (guint i = 0; i < props->len; i++) {
        GParamSpec *p = g_ptr_array_index(props, i);
        names[i] = cg_param_spec_name(p);
        g_string_append_printf(list, "%s%s", i ? ", " : "", cg_param_spec_name(p));
    }
    hint = cg_suggest(name, names, props->len);
    if (hint != NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "%s has no property '%s'; did you mean '%s'?",
                    g_type_name(type), name, hint);
    } else if (props->len == 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "%s has no property '%s'; it takes no properties",
                    g_type_name(type), name);
    } else {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "%s has no property '%s'; it accepts: %s",
                    g_type_name(type), name, list->str);
    }
}

char *cg_class_properties_help(GType type)
{
    g_autoptr(GPtrArray) props = cg_class_user_properties(type);
    GString *s = g_string_new(NULL);

    g_string_append_printf(s, "%s properties:\n", g_type_name(type));
    if (props->len == 0) {
        g_string_append(s, "  (none)\n");
    }
    for (guint i = 0; i < props->len; i++) {
        GParamSpec *p = g_ptr_array_index(props, i);
        g_autofree char *tn = cg_param_spec_type_name(p);
        g_autofree char *head = g_strdup_printf("%s=<%s>", cg_param_spec_name(p), tn);
        g_autofree char *dflt = cg_param_spec_default_text(p);
        g_autofree char *choices = cg_param_spec_enum_choices(p);
        const char *blurb = g_param_spec_get_blurb(cg_param_spec_resolve(p));

        g_string_append_printf(s, "  %-28s %s", head, blurb ? blurb : "");
        if (choices != NULL) {
            g_string_append_printf(s, " (one of: %s)", choices);
        }
        if (dflt != NULL && !cg_param_spec_is_link(p)) {
            g_string_append_printf(s, " (default: %s)", dflt);
        }
        g_string_append_c(s, '\n');
    }
    return g_string_free(s, FALSE);
}
