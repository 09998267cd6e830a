/* The object layer: the CgObject base type, containers and the tree. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "qom/object.h"

#include "util/error.h"

#include <string.h>

typedef struct {
    CgObject *parent;       /* not a reference: the parent owns us */
    char *name;
    GHashTable *children;   /* name -> CgObject (reference) */
    GPtrArray *order;       /* child names in insertion order (borrowed) */
    bool is_root;           /* made by cg_object_new_root() */
} CgObjectPrivate;

enum {
    PROP_0,
    PROP_TYPE,
    N_PROPS
};

CG_DEFINE_TYPE_EXTENDED(CgObject, cg_object, TYPE_CG_OBJECT, G_TYPE_OBJECT,
                        G_TYPE_FLAG_ABSTRACT, G_ADD_PRIVATE(CgObject))

static CgObjectPrivate *priv_of(const CgObject *obj)
{
    return cg_object_get_instance_private((CgObject *)obj);
}

static void cg_object_get_property(GObject *gobj, guint id, GValue *value,
                                   GParamSpec *pspec)
{
    switch (id) {
    case PROP_TYPE:
        g_value_set_string(value, G_OBJECT_TYPE_NAME(gobj));
        break;
    default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(gobj, id, pspec);
    }
}

static void cg_object_dispose(GObject *gobj)
{
    CgObjectPrivate *p = priv_of(CG_OBJECT(gobj));

    /* Children go first, last added first, so later objects that may
     * refer to earlier ones are gone before them. */
    while (p->order != NULL && p->order->len > 0) {
        const char *name = g_ptr_array_index(p->order, p->order->len - 1);
        CgObject *child = g_hash_table_lookup(p->children, name);
        cg_object_unparent(child);
    }
    G_OBJECT_CLASS(cg_object_parent_class)->dispose(gobj);
}

static void cg_object_finalize(GObject *gobj)
{
    CgObjectPrivate *p = priv_of(CG_OBJECT(gobj));

    g_clear_pointer(&p->children, g_hash_table_unref);
    g_clear_pointer(&p->order, g_ptr_array_unref);
    g_free(p->name);
    G_OBJECT_CLASS(cg_object_parent_class)->finalize(gobj);
}

static void cg_object_class_init(CgObjectClass *klass)
{
    GObjectClass *oc = G_OBJECT_CLASS(klass);

    oc->get_property = cg_object_get_property;
    oc->dispose = cg_object_dispose;
    oc->finalize = cg_object_finalize;
    g_object_class_install_property(
        oc, PROP_TYPE,
        g_param_spec_string("type", "type", "The object's type name", NULL,
                            G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
}

static void cg_object_init(CgObject *self)
{
}

struct _CgContainer {
    CgObject parent_instance;
};

CG_DEFINE_TYPE(CgContainer, cg_container, TYPE_CG_CONTAINER, CG_TYPE_OBJECT)

static void cg_container_class_init(CgContainerClass *klass)
{
}

static void cg_container_init(CgContainer *self)
{
}

CgObject *cg_object_new_root(void)
{
    CgObject *root = g_object_new(CG_TYPE_CONTAINER, NULL);

    priv_of(root)->is_root = true;
    return root;
}

const char *cg_object_type_name(const CgObject *obj)
{
    return G_OBJECT_TYPE_NAME(obj);
}

bool cg_object_add_child(CgObject *parent, const char *name, CgObject *child,
                         GError **err)
{
    CgObjectPrivate *pp = priv_of(parent);
    CgObjectPrivate *cp = priv_of(child);

    if (cp->parent != NULL) {
        g_autofree char *path = cg_object_canonical_path(child);
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "object is already in the tree at '%s'", path);
        return false;
    }
    if (strchr(name, '/') != NULL || *name == '\0') {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "invalid object name '%s'", name);
        return false;
    }
    if (pp->children == NULL) {
        pp->children = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
                                             g_object_unref);
        pp->order = g_ptr_array_new();
    }
    if (g_hash_table_contains(pp->children, name)) {
        g_autofree char *path = cg_object_canonical_path(parent);
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "'%s' already has a child named '%s'", path, name);
        return false;
    }
    g_free(cp->name);
    cp->name = g_strdup(name);
    cp->parent = parent;
    g_hash_table_insert(pp->children, cp->name, g_object_ref(child));
    g_ptr_array_add(pp->order, cp->name);
    return true;
}

const char *cg_object_add_child_anon(CgObject *parent, const char *prefix,
                                     CgObject *child)
{
    for (unsigned n = 0;; n++) {
        g_autofree char *name = g_strdup_printf("%s[%u]", prefix, n);
        if (cg_object_get_child(parent, name) == NULL) {
            bool ok = cg_object_add_child(parent, name, child, NULL);
            g_assert(ok); /* the name is free and the child is ours */
            return priv_of(child)->name;
        }
    }
}

void cg_object_unparent(CgObject *obj)
{
    CgObjectPrivate *cp = priv_of(obj);
    CgObjectPrivate *pp;

    if (cp->parent == NULL) {
        return;
    }
    pp = priv_of(cp->parent);
    cp->parent = NULL;
    g_ptr_array_remove(pp->order, cp->name);
    /* Drops the parent's reference; may finalize @obj. */
    g_hash_table_remove(pp->children, cp->name);
}

CgObject *cg_object_get_parent(const CgObject *obj)
{
    return priv_of(obj)->parent;
}

const char *cg_object_get_name(const CgObject *obj)
{
    return priv_of(obj)->name;
}

CgObject *cg_object_get_child(const CgObject *obj, const char *name)
{
    CgObjectPrivate *p = priv_of(obj);

    return p->children ? g_hash_table_lookup(p->children, name) : NULL;
}

GPtrArray *cg_object_get_children(const CgObject *obj)
{
    CgObjectPrivate *p = priv_of(obj);
    GPtrArray *out = g_ptr_array_new();

    for (guint i = 0; p->order && i < p->order->len; i++) {
        g_ptr_array_add(out, g_hash_table_lookup(
                                 p->children, g_ptr_array_index(p->order, i)));
    }
    return out;
}

CgObject *cg_object_get_root(CgObject *obj)
{
    while (priv_of(obj)->parent != NULL) {
        obj = priv_of(obj)->parent;
    }
    return obj;
}

char *cg_object_canonical_path(const CgObject *obj)
{
    g_autoptr(GPtrArray) parts = g_ptr_array_new();
    GString *s;

    while (priv_of(obj)->parent != NULL) {
        g_ptr_array_add(parts, priv_of(obj)->name);
        obj = priv_of(obj)->parent;
    }
    if (!priv_of(obj)->is_root) {
        return NULL; /* the top is not a root: a detached subtree */
    }
    if (parts->len == 0) {
        return g_strdup("/");
    }
    s = g_string_new(NULL);
    for (guint i = parts->len; i > 0; i--) {
        g_string_append_c(s, '/');
        g_string_append(s, g_ptr_array_index(parts, i - 1));
    }
    return g_string_free(s, FALSE);
}

CgObject *cg_object_resolve_path(CgObject *root, const char *path)
{
    g_auto(GStrv) parts = NULL;
    CgObject *obj = root;

    if (path[0] != '/') {
        return NULL;
    }
    parts = g_strsplit(path + 1, "/", -1);
    for (char **p = parts; *p != NULL; p++) {
        if (**p == '\0') {
            if (p[1] == NULL) {
                break;  /* a trailing '/' */
            }
            return NULL;
        }
        obj = cg_object_get_child(obj, *p);
        if (obj == NULL) {
            return NULL;
        }
    }
    return obj;
}

CgObject *cg_object_get_container(CgObject *parent, const char *name)
{
    CgObject *c = cg_object_get_child(parent, name);

    if (c == NULL) {
        g_autoptr(CgObject) fresh = g_object_new(CG_TYPE_CONTAINER, NULL);
        bool ok = cg_object_add_child(parent, name, fresh, NULL);
        g_assert(ok); /* checked free above; the container is new */
        c = fresh;
    }
    return c;
}

CgObject *cg_object_find(CgObject *root, const char *id_or_path)
{
    CgObject *objects;

    if (id_or_path[0] == '/') {
        return cg_object_resolve_path(root, id_or_path);
    }
    objects = cg_object_get_child(root, "objects");
    return objects ? cg_object_get_child(objects, id_or_path) : NULL;
}
