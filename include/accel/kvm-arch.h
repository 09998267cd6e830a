/* What each architecture provides to the generic KVM accelerator. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_ACCEL_KVM_ARCH_H
#define CGEMU_ACCEL_KVM_ARCH_H

#include "accel/kvm.h"

#include <linux/kvm.h>

G_BEGIN_DECLS

/*
 * accel/kvm/ is built into every binary whose target has KVM, together
 * with that target's target/<arch>/kvm*.c, which defines the functions
 * below.  The generic code calls them in this order:
 *
 *   kvm_arch_vm_type        the KVM_CREATE_VM argument
 *   kvm_arch_init_vm        after KVM_CREATE_VM, before memory slots,
 *                           vCPUs and cgs_kvm_init (x86: irqchip, PIT)
 *   kvm_arch_init_vcpu      once per vCPU, after KVM_CREATE_VCPU and the
 *                           kvm_run mapping (x86: CPUID)
 *   kvm_arch_reset_vcpu     at every reset, vCPUs stopped, after
 *                           cgs_kvm_reset: power-on state, then the boot
 *                           state the board's loader asked for
 *   kvm_arch_handle_exit    on a vCPU thread, for exit reasons the generic
 *                           run loop does not handle itself (it handles
 *                           IO, MMIO, SHUTDOWN, SYSTEM_EVENT, INTR,
 *                           INTERNAL_ERROR and FAIL_ENTRY)
 *
 * Per-VM and per-vCPU data of the architecture hangs off the generic
 * objects (kvm_set_arch_data); it is freed with them.  Errors carry the
 * whole message for the user ("KVM: ...").
 */
unsigned long kvm_arch_vm_type(MachineState *ms);
bool kvm_arch_init_vm(KvmState *s, MachineState *ms, GError **err);
bool kvm_arch_init_vcpu(KvmVcpu *cpu, GError **err);
bool kvm_arch_reset_vcpu(KvmVcpu *cpu, GError **err);

typedef enum {
    KVM_EXIT_ACTION_CONTINUE,   /* run the vCPU again */
    KVM_EXIT_ACTION_STOP,       /* park the vCPU until the next resume (the
                                   handler has made a machine request) */
    KVM_EXIT_ACTION_UNHANDLED,  /* the generic code fails the VM */
} KvmExitAction;

KvmExitAction kvm_arch_handle_exit(KvmVcpu *cpu, struct kvm_run *run);

/*
 * Optional: @fn runs once, just before the first vCPU is created, when
 * the board's RAM already has its memory slots.  x86 creates its
 * in-kernel irqchip there: created before the first memory slot, it makes
 * that slot wait for a grace period, which delays the guest's start.
 */
void kvm_set_pre_vcpus_hook(KvmState *s,
                            bool (*fn)(KvmState *s, GError **err));

void kvm_set_arch_data(KvmState *s, void *data, GDestroyNotify free_fn);
void *kvm_arch_data(KvmState *s);
void kvm_vcpu_set_arch_data(KvmVcpu *cpu, void *data, GDestroyNotify free_fn);
void *kvm_vcpu_arch_data(KvmVcpu *cpu);

G_END_DECLS

#endif
