/* Objects users create with -object and object-add. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "qom/user-creatable.h"

#include "qom/property.h"
#include "util/error.h"

#include <gio/gio.h>
#include <string.h>

CG_DEFINE_INTERFACE(UserCreatable, user_creatable, TYPE_USER_CREATABLE,
                    CG_TYPE_OBJECT)

static void user_creatable_default_init(UserCreatableInterface *iface)
{
}

bool cg_id_wellformed(const char *id)
{
    if (!g_ascii_isalpha(id[0])) {
        return false;
    }
    for (const char *c = id + 1; *c; c++) {
        if (!g_ascii_isalnum(*c) && !strchr("-._", *c)) {
            return false;
        }
    }
    return true;
}

CgObject *user_creatable_add(CgObject *root, const CgOpts *opts,
                             GError **err)
{
    static const char *const skip[] = { "qom-type", "id", NULL };
    const char *type_name = cg_opts_get(opts, "qom-type");
    const char *id = cg_opts_get(opts, "id");
    CgObject *objects;
    g_autoptr(CgObject) obj = NULL;
    GType type;

    if (type_name == NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "'qom-type' is missing; write TYPE,id=ID,... "
                    "(see -object help for the types)");
        return NULL;
    }
    type = cg_type_lookup(type_name);
    if (type == 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "unknown object type '%s'; see -object help",
                    type_name);
        return NULL;
    }
    if (!g_type_is_a(type, CG_TYPE_USER_CREATABLE) ||
        G_TYPE_IS_ABSTRACT(type)) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "%s cannot be created with -object%s; see -object help",
                    type_name,
                    G_TYPE_IS_ABSTRACT(type) ? " (it is abstract)" : "");
        return NULL;
    }
    if (id == NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "%s needs an id; add id=NAME", type_name);
        return NULL;
    }
    if (!cg_id_wellformed(id)) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "invalid id '%s': an id starts with a letter and has "
                    "only letters, digits, '-', '.' and '_'", id);
        return NULL;
    }
    objects = cg_object_get_container(root, "objects");
    if (cg_object_get_child(objects, id) != NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "an object with id '%s' already exists; ids must be "
                    "unique", id);
        return NULL;
    }

    obj = g_object_new(type, NULL);
    /* In the tree before its properties are set, so links resolve. */
    if (!cg_object_add_child(objects, id, obj, err)) {
        return NULL;
    }
    if (!cg_object_set_opts(obj, opts, skip, err) ||
        (G_IS_INITABLE(obj) && !g_initable_init(G_INITABLE(obj), NULL, err))) {
        cg_object_unparent(obj);
        return NULL;
    }
    return obj; /* the tree keeps its reference; ours is dropped */
}

bool user_creatable_del(CgObject *root, const char *id, GError **err)
{
    CgObject *obj = cg_object_find(root, id);
    UserCreatableInterface *iface;

    if (obj == NULL || id[0] == '/' ||
        !g_type_is_a(G_OBJECT_TYPE(obj), CG_TYPE_USER_CREATABLE)) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "no object with id '%s'", id);
        return false;
    }
    iface = CG_USER_CREATABLE_GET_IFACE(obj);
    if (iface->can_be_deleted != NULL) {
        if (!iface->can_be_deleted(CG_USER_CREATABLE(obj), err)) {
            return false;
        }
    } else if (G_OBJECT(obj)->ref_count > 1) {
        /* The tree holds one reference; any other is a user (a link). */
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "object '%s' is in use and cannot be deleted", id);
        return false;
    }
    cg_object_unparent(obj);
    return true;
}

static gint compare_strings(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void collect_creatable(GType type, GPtrArray *out)
{
    guint n = 0;
    g_autofree GType *children = g_type_children(type, &n);

    if (!G_TYPE_IS_ABSTRACT(type) &&
        g_type_is_a(type, CG_TYPE_USER_CREATABLE)) {
        g_ptr_array_add(out, (gpointer)g_type_name(type));
    }
    for (guint i = 0; i < n; i++) {
        collect_creatable(children[i], out);
    }
}

GPtrArray *user_creatable_type_names(void)
{
    GPtrArray *out = g_ptr_array_new();

    collect_creatable(CG_TYPE_OBJECT, out);
    g_ptr_array_sort(out, compare_strings);
    return out;
}
