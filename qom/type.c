/* The type registry: every type's get_type function, run once at start. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "qom/object.h"

/*
 * Filled by constructors before main() (single-threaded), read by
 * cg_types_init().  This is the one piece of process-wide mutable state the
 * style guide allows: the type registry.
 */
static GPtrArray *type_funcs;

void cg_type_register_func(CgGetTypeFunc fn)
{
    if (type_funcs == NULL) {
        type_funcs = g_ptr_array_new();
    }
    g_ptr_array_add(type_funcs, (gpointer)fn);
}

void cg_types_init(void)
{
    static gsize done;

    if (g_once_init_enter(&done)) {
        for (guint i = 0; type_funcs && i < type_funcs->len; i++) {
            CgGetTypeFunc fn = (CgGetTypeFunc)g_ptr_array_index(type_funcs, i);
            fn();
        }
        g_once_init_leave(&done, 1);
    }
}

GType cg_type_lookup(const char *name)
{
    GType t = g_type_from_name(name);

    if (t == 0) {
        return 0;
    }
    if (g_type_is_a(t, CG_TYPE_OBJECT)) {
        return t;
    }
    /* Interfaces are ours when some registered function returns them. */
    for (guint i = 0; G_TYPE_IS_INTERFACE(t) && type_funcs &&
                      i < type_funcs->len; i++) {
        CgGetTypeFunc fn = (CgGetTypeFunc)g_ptr_array_index(type_funcs, i);
        if (fn() == t) {
            return t;
        }
    }
    return 0;
}
