/* The object layer: GObject types with user-visible names, and the tree. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_QOM_OBJECT_H
#define CGEMU_QOM_OBJECT_H

#include <glib-object.h>
#include <stdbool.h>

G_BEGIN_DECLS

/*
 * Type registration
 *
 * Every cgemu type is a GType whose name is the user-visible name
 * ("sev-guest", "pc-machine").  A file defines its type with
 * CG_DEFINE_TYPE* (or CG_DEFINE_INTERFACE); the macro also registers the
 * type's get_type function from a constructor, so that
 * cg_types_init() -- called once at start-up, before any lookup by name --
 * has every type of the binary registered.  There is no central list.
 */
typedef GType (*CgGetTypeFunc)(void);

void cg_type_register_func(CgGetTypeFunc fn);
/* Registers all types.  Idempotent; call before g_type_from_name(). */
void cg_types_init(void);

#define CG_TYPE_REGISTER(fn)                                                  \
    static void __attribute__((constructor)) fn##_cg_register(void)           \
    {                                                                         \
        cg_type_register_func(fn);                                            \
    }

/*
 * Like G_DEFINE_TYPE_WITH_CODE, but with an explicit GType name.  Defines
 * type_name##_get_type(), type_name##_parent_class, and expects
 * type_name##_init() and type_name##_class_init().  The code (last,
 * variadic so that its commas need no protection) may use GLib's
 * G_IMPLEMENT_INTERFACE() and G_ADD_PRIVATE().
 */
#define CG_DEFINE_TYPE_EXTENDED(TypeName, type_name, NAME, PARENT, FLAGS,     \
                                ...)                                          \
    GType type_name##_get_type(void);                                         \
    static void type_name##_init(TypeName *self);                             \
    static void type_name##_class_init(TypeName##Class *klass);               \
    static gpointer type_name##_parent_class = NULL;                          \
    static gint TypeName##_private_offset;                                    \
    G_GNUC_UNUSED static inline gpointer                                      \
    type_name##_get_instance_private(TypeName *self)                          \
    {                                                                         \
        return G_STRUCT_MEMBER_P(self, TypeName##_private_offset);            \
    }                                                                         \
    static void type_name##_class_intern_init(gpointer klass)                 \
    {                                                                         \
        type_name##_parent_class = g_type_class_peek_parent(klass);           \
        if (TypeName##_private_offset != 0) {                                 \
            g_type_class_adjust_private_offset(klass,                         \
                                               &TypeName##_private_offset);   \
        }                                                                     \
        type_name##_class_init((TypeName##Class *)klass);                     \
    }                                                                         \
    GType type_name##_get_type(void)                                          \
    {                                                                         \
        static gsize type_id_once;                                            \
        if (g_once_init_enter(&type_id_once)) {                               \
            GType g_define_type_id = g_type_register_static_simple(           \
                PARENT, g_intern_static_string(NAME),                         \
                sizeof(TypeName##Class),                                      \
                (GClassInitFunc)(void (*)(void))                              \
                    type_name##_class_intern_init,                            \
                sizeof(TypeName),                                             \
                (GInstanceInitFunc)(void (*)(void))type_name##_init,          \
                (GTypeFlags)(FLAGS));                                         \
            { __VA_ARGS__; }                                                  \
            g_once_init_leave(&type_id_once, g_define_type_id);               \
        }                                                                     \
        return type_id_once;                                                  \
    }                                                                         \
    CG_TYPE_REGISTER(type_name##_get_type)

#define CG_DEFINE_TYPE(TypeName, type_name, NAME, PARENT)                     \
    CG_DEFINE_TYPE_EXTENDED(TypeName, type_name, NAME, PARENT, 0, {})
#define CG_DEFINE_ABSTRACT_TYPE(TypeName, type_name, NAME, PARENT)            \
    CG_DEFINE_TYPE_EXTENDED(TypeName, type_name, NAME, PARENT,                \
                            G_TYPE_FLAG_ABSTRACT, {})
#define CG_DEFINE_TYPE_WITH_CODE(TypeName, type_name, NAME, PARENT, ...)      \
    CG_DEFINE_TYPE_EXTENDED(TypeName, type_name, NAME, PARENT, 0, __VA_ARGS__)

/*
 * An interface with a user-visible name; expects
 * type_name##_default_init(TypeName##Interface *iface).
 */
#define CG_DEFINE_INTERFACE(TypeName, type_name, NAME, PREREQ)                \
    GType type_name##_get_type(void);                                         \
    static void type_name##_default_init(TypeName##Interface *iface);         \
    GType type_name##_get_type(void)                                          \
    {                                                                         \
        static gsize type_id_once;                                            \
        if (g_once_init_enter(&type_id_once)) {                               \
            GType g_define_type_id = g_type_register_static_simple(           \
                G_TYPE_INTERFACE, g_intern_static_string(NAME),               \
                sizeof(TypeName##Interface),                                  \
                (GClassInitFunc)(void (*)(void))type_name##_default_init,     \
                0, NULL, (GTypeFlags)0);                                      \
            if ((PREREQ) != G_TYPE_INVALID) {                                 \
                g_type_interface_add_prerequisite(g_define_type_id, PREREQ);  \
            }                                                                 \
            g_once_init_leave(&type_id_once, g_define_type_id);               \
        }                                                                     \
        return type_id_once;                                                  \
    }                                                                         \
    CG_TYPE_REGISTER(type_name##_get_type)

/*
 * Declares a derivable type whose instance struct the header defines
 * itself, with public fields (GLib's G_DECLARE_DERIVABLE_TYPE keeps
 * instance fields private; cgemu's device and machine code reads them
 * directly, as QEMU's does).  Provides the typedefs, MODULE_OBJ(),
 * MODULE_OBJ_CLASS(), MODULE_IS_OBJ(), MODULE_OBJ_GET_CLASS() and
 * g_autoptr support.  The header then defines struct _ModuleObjName and
 * struct _ModuleObjNameClass.
 */
#define CG_DECLARE_TYPE(ModuleObjName, module_obj_name, MODULE, OBJ_NAME)    \
    GType module_obj_name##_get_type(void);                                   \
    typedef struct _##ModuleObjName ModuleObjName;                            \
    typedef struct _##ModuleObjName##Class ModuleObjName##Class;              \
    G_DEFINE_AUTOPTR_CLEANUP_FUNC(ModuleObjName, g_object_unref)              \
    G_GNUC_UNUSED static inline ModuleObjName *MODULE##_##OBJ_NAME(           \
        gpointer ptr)                                                         \
    {                                                                         \
        return G_TYPE_CHECK_INSTANCE_CAST(ptr, module_obj_name##_get_type(),  \
                                          ModuleObjName);                     \
    }                                                                         \
    G_GNUC_UNUSED static inline ModuleObjName##Class                          \
        *MODULE##_##OBJ_NAME##_CLASS(gpointer ptr)                            \
    {                                                                         \
        return G_TYPE_CHECK_CLASS_CAST(ptr, module_obj_name##_get_type(),     \
                                       ModuleObjName##Class);                 \
    }                                                                         \
    G_GNUC_UNUSED static inline gboolean MODULE##_IS_##OBJ_NAME(              \
        gconstpointer ptr)                                                    \
    {                                                                         \
        return G_TYPE_CHECK_INSTANCE_TYPE(ptr, module_obj_name##_get_type()); \
    }                                                                         \
    G_GNUC_UNUSED static inline ModuleObjName##Class                          \
        *MODULE##_##OBJ_NAME##_GET_CLASS(gconstpointer ptr)                   \
    {                                                                         \
        return G_TYPE_INSTANCE_GET_CLASS(ptr, module_obj_name##_get_type(),   \
                                         ModuleObjName##Class);               \
    }

/*
 * CgObject: the root of every cgemu type ("object" to users, as in QEMU).
 * It adds the composition tree: each object has at most one parent, under
 * a name unique among its siblings; the parent holds a reference on each
 * child.  A tree is rooted in a "container" with no parent; paths are
 * absolute ("/machine/peripheral/rng0").  Trees are independent: nothing
 * here is global, so a process (or a unit test) may hold several.
 */
#define TYPE_CG_OBJECT "object"
#define CG_TYPE_OBJECT (cg_object_get_type())
G_DECLARE_DERIVABLE_TYPE(CgObject, cg_object, CG, OBJECT, GObject)

struct _CgObjectClass {
    GObjectClass parent_class;

    /*
     * Asked before a property is set through the object layer
     * (cg_object_set_opt and friends): false with @err set refuses.  Used
     * for properties that may only be set before realize/creation.  NULL
     * allows everything.
     */
    bool (*check_set_property)(CgObject *obj, GParamSpec *pspec,
                               GError **err);
};

/* A plain node of the tree ("/", "/objects", "/machine/peripheral"). */
#define TYPE_CG_CONTAINER "container"
#define CG_TYPE_CONTAINER (cg_container_get_type())
G_DECLARE_FINAL_TYPE(CgContainer, cg_container, CG, CONTAINER, CgObject)

/* A new tree root ("/"). */
CgObject *cg_object_new_root(void);

/* The user-visible type name ("sev-guest"). */
const char *cg_object_type_name(const CgObject *obj);

/*
 * Makes @child a child of @parent under @name and takes a reference.
 * Fails if @name is taken or @child already has a parent.
 */
bool cg_object_add_child(CgObject *parent, const char *name, CgObject *child,
                         GError **err);
/*
 * Like cg_object_add_child under "PREFIX[N]" with the first free N
 * ("device[0]", "device[1]", ...).  Returns the name used (owned by the
 * child).
 */
const char *cg_object_add_child_anon(CgObject *parent, const char *prefix,
                                     CgObject *child);
/* Detaches @obj from its parent (dropping the parent's reference). */
void cg_object_unparent(CgObject *obj);

CgObject *cg_object_get_parent(const CgObject *obj);
const char *cg_object_get_name(const CgObject *obj);
CgObject *cg_object_get_child(const CgObject *obj, const char *name);
/* Children in the order they were added; the array is the caller's. */
GPtrArray *cg_object_get_children(const CgObject *obj);
CgObject *cg_object_get_root(CgObject *obj);

/* "/machine/peripheral/rng0"; "/" for a root; NULL if detached. */
char *cg_object_canonical_path(const CgObject *obj);

/* Resolves an absolute path ("/a/b") in the tree of @root; NULL if none. */
CgObject *cg_object_resolve_path(CgObject *root, const char *path);

/* The child @name of @parent, created as a container when missing. */
CgObject *cg_object_get_container(CgObject *parent, const char *name);

/*
 * Lookup by id or path: an absolute path resolves from @root; otherwise
 * the id of a user-created object (/objects/ID).
 */
CgObject *cg_object_find(CgObject *root, const char *id_or_path);

/*
 * A GType by user-visible name, only if it is a cgemu type (a CgObject
 * subtype or an interface registered with CG_DEFINE_INTERFACE); else 0.
 */
GType cg_type_lookup(const char *name);

G_END_DECLS

#endif
