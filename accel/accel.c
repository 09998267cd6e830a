/* Accelerators: the abstract type and the calls the lifecycle makes. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "accel/accel.h"

#include <string.h>

CG_DEFINE_ABSTRACT_TYPE(AccelState, accel, TYPE_ACCEL, CG_TYPE_OBJECT)

static void accel_class_init(AccelStateClass *klass)
{
}

static void accel_init(AccelState *self)
{
}

#define ACCEL_CLASS(a) CG_ACCEL_GET_CLASS(a)

static void collect(GType type, GPtrArray *out)
{
    guint n = 0;
    g_autofree GType *children = g_type_children(type, &n);

    if (!G_TYPE_IS_ABSTRACT(type)) {
        g_ptr_array_add(out, g_type_class_ref(type));
    }
    for (guint i = 0; i < n; i++) {
        collect(children[i], out);
    }
}

static gint compare_names(gconstpointer a, gconstpointer b)
{
    const AccelStateClass *ca = *(AccelStateClass *const *)a;
    const AccelStateClass *cb = *(AccelStateClass *const *)b;

    return strcmp(ca->name, cb->name);
}

GPtrArray *accel_class_list(void)
{
    GPtrArray *out = g_ptr_array_new_with_free_func(g_type_class_unref);

    collect(CG_TYPE_ACCEL, out);
    g_ptr_array_sort(out, compare_names);
    return out;
}

AccelStateClass *accel_class_find(const char *name)
{
    g_autofree char *tn = g_strdup_printf("%s-accel", name);
    GType t = cg_type_lookup(tn);

    if (t == 0 || !g_type_is_a(t, CG_TYPE_ACCEL) || G_TYPE_IS_ABSTRACT(t)) {
        return NULL;
    }
    /* Static types: the class outlives every caller. */
    return g_type_class_peek(t) ? g_type_class_peek(t) : g_type_class_ref(t);
}

const char *accel_name(AccelState *accel)
{
    return accel ? ACCEL_CLASS(accel)->name : NULL;
}

bool accel_init_machine(AccelState *accel, MachineState *ms, GError **err)
{
    /* A technology's kvm_init finds the accelerator through the machine. */
    accel->machine = ms;
    ms->accel = accel;
    if (ACCEL_CLASS(accel)->init_machine &&
        !ACCEL_CLASS(accel)->init_machine(accel, ms, err)) {
        ms->accel = NULL;
        return false;
    }
    return true;
}

int accel_vcpu_thread_id(AccelState *accel, unsigned index)
{
    return ACCEL_CLASS(accel)->vcpu_thread_id
               ? ACCEL_CLASS(accel)->vcpu_thread_id(accel, index)
               : 0;
}

bool accel_create_vcpus(AccelState *accel, unsigned n, GError **err)
{
    return !ACCEL_CLASS(accel)->create_vcpus ||
           ACCEL_CLASS(accel)->create_vcpus(accel, n, err);
}

bool accel_reset(AccelState *accel, GError **err)
{
    return !ACCEL_CLASS(accel)->reset || ACCEL_CLASS(accel)->reset(accel, err);
}

bool accel_can_reset(AccelState *accel, GError **err)
{
    return !ACCEL_CLASS(accel)->can_reset ||
           ACCEL_CLASS(accel)->can_reset(accel, err);
}

bool accel_start(AccelState *accel, GError **err)
{
    return !ACCEL_CLASS(accel)->start || ACCEL_CLASS(accel)->start(accel, err);
}

void accel_resume(AccelState *accel)
{
    if (ACCEL_CLASS(accel)->resume) {
        ACCEL_CLASS(accel)->resume(accel);
    }
}

void accel_pause(AccelState *accel)
{
    if (ACCEL_CLASS(accel)->pause) {
        ACCEL_CLASS(accel)->pause(accel);
    }
}

void accel_shutdown(AccelState *accel)
{
    if (ACCEL_CLASS(accel)->shutdown) {
        ACCEL_CLASS(accel)->shutdown(accel);
    }
}
