/* The KVM accelerator's interface for target code (sev.c, pef.c, pv.c). */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_ACCEL_KVM_H
#define CGEMU_ACCEL_KVM_H

#include "accel/accel.h"

#include <stdint.h>

G_BEGIN_DECLS

/*
 * The accelerator object is the KVM state: "kvm-accel" (users write
 * -accel kvm), one per VM, reached from the machine (ms->accel) through
 * kvm_state().  Everything a confidential-guest technology needs from KVM
 * goes through these functions; none of them is global.
 *
 * Order of events (see include/accel/accel.h for the lifecycle steps):
 *
 *   step 4   /dev/kvm opened, KVM_CREATE_VM, the architecture's VM set-up
 *            (x86: in-kernel irqchip and PIT), RAM listener installed,
 *            then cgs_kvm_init() when the machine has
 *            confidential-guest-support.  No RAM and no vCPU exists yet:
 *            a technology registers RAM listeners here
 *            (kvm_add_ram_listener) and asks for CPUID leaves.
 *   step 6   the board adds RAM (each region gets a memory slot, then the
 *            listeners are told) and creates the vCPUs.
 *   step 8   cgs machine_done: everything the loaders placed is in RAM
 *            (loader_records()); vCPU boot state can be applied early with
 *            kvm_reset_vcpus() when the technology must measure it.
 *   step 10  reset: cgs_kvm_reset(), then every vCPU gets its power-on and
 *            boot state.
 *   step 11  vCPU threads run.
 *
 * Ioctl helpers return the ioctl's non-negative result, or -errno; they
 * never print.
 */
#define TYPE_KVM_ACCEL "kvm-accel"

typedef struct KvmState KvmState;
typedef struct KvmVcpu KvmVcpu;

/* The KVM state behind @accel, or NULL when @accel is not KVM (or NULL). */
KvmState *kvm_state(AccelState *accel);
MachineState *kvm_machine(KvmState *s);

/* The file descriptors: /dev/kvm and the VM.  Owned by @s. */
int kvm_dev_fd(KvmState *s);
int kvm_vm_fd(KvmState *s);

int kvm_dev_ioctl(KvmState *s, unsigned long request, void *arg);
int kvm_vm_ioctl(KvmState *s, unsigned long request, void *arg);
int kvm_vcpu_ioctl(KvmVcpu *cpu, unsigned long request, void *arg);

/* KVM_CHECK_EXTENSION on /dev/kvm, and on the VM: 0 when absent. */
int kvm_check_extension(KvmState *s, unsigned int cap);
int kvm_vm_check_extension(KvmState *s, unsigned int cap);

/* The vCPUs, in creation order (index = KVM vCPU id on x86). */
unsigned kvm_vcpu_count(KvmState *s);
KvmVcpu *kvm_vcpu_get(KvmState *s, unsigned index);
unsigned kvm_vcpu_index(KvmVcpu *cpu);
int kvm_vcpu_fd(KvmVcpu *cpu);
KvmState *kvm_vcpu_state(KvmVcpu *cpu);

/*
 * Adds a listener on guest RAM.  It is told about every RAM region after
 * KVM has given the region a memory slot (and at once about regions that
 * exist already); a listener that fails fails the board's RAM set-up with
 * its message.  ram_removed is never called: slots and listeners go away
 * with the VM.  Call before step 6 (normally from cgs kvm_init).
 */
bool kvm_add_ram_listener(KvmState *s, const AddressSpaceListener *l,
                          GError **err);

/*
 * Gives every vCPU its power-on and boot state now (the same as a system
 * reset does for vCPUs).  For technologies that measure vCPU state before
 * launch (SEV-ES LAUNCH_UPDATE_VMSA): call it before measuring.  Only with
 * the vCPUs stopped.
 */
bool kvm_reset_vcpus(KvmState *s, GError **err);

/*
 * Marks the vCPUs' register state as protected (SEV-ES): from now on
 * cgemu never writes registers.  The reset at step 10 then leaves the
 * vCPUs as they are if they have not run since kvm_reset_vcpus(); any
 * later reset (a guest reset, QMP system_reset) fails with a message
 * saying that the guest must be shut down and started again, and a guest
 * triple fault shuts the guest down instead of resetting it.
 */
void kvm_set_guest_state_protected(KvmState *s);
bool kvm_guest_state_protected(KvmState *s);

G_END_DECLS

#endif
