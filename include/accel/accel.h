/* Accelerators: what executes (or stands in for) the guest's CPUs. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_ACCEL_ACCEL_H
#define CGEMU_ACCEL_ACCEL_H

#include "hw/core/machine.h"
#include "qom/object.h"

G_BEGIN_DECLS

/*
 * An accelerator type is named "NAME-accel" (kvm-accel, qtest-accel), as
 * in QEMU; users write the NAME.  The lifecycle calls, in order:
 *
 *   init_machine   step 4: create the VM for @ms (KVM: open /dev/kvm,
 *                  KVM_CREATE_VM, irqchip, and cgs_kvm_init when the
 *                  machine has confidential-guest-support); subscribe to
 *                  ms->mem so RAM the board adds later gets mapped
 *   create_vcpus   step 6, by the board once it knows its CPUs
 *   reset          step 10 and on every system reset, with vCPUs stopped:
 *                  per-vCPU power-on state (cgs_kvm_reset first on KVM)
 *   start          step 11: create vCPU threads, stopped
 *   resume/pause   run or stop all vCPUs; pause returns once none runs
 *                  (never call it with the machine lock held: a vCPU
 *                  may be waiting for that lock to finish its exit)
 *   shutdown       stop and join every thread; the VM is destroyed when
 *                  the object is finalized
 *
 * A missing hook counts as success / nothing to do.
 */
#define TYPE_ACCEL "accel"
#define CG_TYPE_ACCEL (accel_get_type())
CG_DECLARE_TYPE(AccelState, accel, CG, ACCEL)

struct _AccelState {
    CgObject parent_instance;

    MachineState *machine;    /* borrowed, set by init_machine's caller */
};

struct _AccelStateClass {
    CgObjectClass parent_class;

    const char *name;         /* "kvm" */
    const char *desc;

    bool (*init_machine)(AccelState *accel, MachineState *ms, GError **err);
    bool (*create_vcpus)(AccelState *accel, unsigned n, GError **err);
    bool (*reset)(AccelState *accel, GError **err);
    /*
     * Whether a reset is possible at all now (false, with the reason, for
     * a guest whose CPU state is protected, e.g. SEV-ES after launch).
     * The lifecycle then shuts the guest down instead.  NULL: always.
     */
    bool (*can_reset)(AccelState *accel, GError **err);
    bool (*start)(AccelState *accel, GError **err);
    void (*resume)(AccelState *accel);
    void (*pause)(AccelState *accel);
    void (*shutdown)(AccelState *accel);
    /* The host thread id (gettid) running vCPU @index, or 0 when none
     * does yet (QMP query-cpus-fast). */
    int (*vcpu_thread_id)(AccelState *accel, unsigned index);
};

/* "kvm" -> the kvm-accel class, or NULL when this binary has none. */
AccelStateClass *accel_class_find(const char *name);
/* Sorted accelerator classes of this binary. */
GPtrArray *accel_class_list(void);
const char *accel_name(AccelState *accel);

/* Sets ms->accel to @accel (cleared again when it fails). */
bool accel_init_machine(AccelState *accel, MachineState *ms, GError **err);
bool accel_create_vcpus(AccelState *accel, unsigned n, GError **err);
bool accel_reset(AccelState *accel, GError **err);
bool accel_can_reset(AccelState *accel, GError **err);
bool accel_start(AccelState *accel, GError **err);
void accel_resume(AccelState *accel);
void accel_pause(AccelState *accel);
void accel_shutdown(AccelState *accel);
/* The host thread of vCPU @index, or 0 (no such thread). */
int accel_vcpu_thread_id(AccelState *accel, unsigned index);

G_END_DECLS

#endif
