/*
 * Host simulator: a whole simulated KVM of another architecture.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The ppc64 and s390x emulators can use KVM only on hosts of their own
 * architecture.  On the x86 build machines, hostsim-fakekvm stands in
 * for such a host's /dev/kvm when CGEMU_HOSTSIM_KVM_ARCH names an
 * architecture model (hostsim-ppc.c: "ppc64"): opening /dev/kvm gives a
 * simulated fd and no call on it, its VMs or its vCPUs ever reaches the
 * real kernel.  No guest instruction is executed.
 *
 * The generic part (this file's .c) serves what every KVM has:
 *
 *   /dev/kvm  KVM_GET_API_VERSION (12), KVM_CHECK_EXTENSION,
 *             KVM_GET_VCPU_MMAP_SIZE, KVM_CREATE_VM
 *   VM        KVM_CHECK_EXTENSION, KVM_CREATE_VCPU,
 *             KVM_SET_USER_MEMORY_REGION (checked and recorded),
 *             KVM_ENABLE_CAP (to the arch)
 *   vCPU      KVM_RUN, KVM_ENABLE_CAP (to the arch), mmap of the kvm_run
 *             area (the vCPU fd is a memfd of KVM_GET_VCPU_MMAP_SIZE
 *             bytes, so mmap needs no interposition)
 *
 * and hands everything else to the architecture model, a FakeKvmArch
 * registered with FAKEKVM_ARCH_REGISTER().  Ioctls the arch does not
 * claim fail as KVM fails unknown ones (EINVAL on /dev/kvm, ENOTTY on VM
 * and vCPU fds).
 *
 * KVM_RUN: first the arch's complete hook sees the emulator's answer to
 * the previous exit (as KVM would write it into the vCPU).  Then, with
 * kvm_run.immediate_exit set, KVM_RUN returns EINTR at once.  Otherwise
 * the arch's run hook may script an exit (fill kvm_run, return true:
 * KVM_RUN returns 0).  If it does not, KVM_RUN blocks until a signal is
 * delivered to the calling thread and returns EINTR, as a vCPU that
 * never leaves the guest would; the emulator's kick (set immediate_exit,
 * then signal the thread) is never lost.
 *
 * Configuration (generic part; the arch model adds its own variables):
 *
 *   CGEMU_HOSTSIM_KVM_ARCH       an arch model's name; unset: inactive
 *   CGEMU_HOSTSIM_KVM_DEVICE     path claimed as /dev/kvm (/dev/kvm)
 *   CGEMU_HOSTSIM_KVM_MAX_VCPUS  KVM_CAP_MAX_VCPUS and NR_VCPUS (1024)
 *   CGEMU_HOSTSIM_KVM_MEMSLOTS   KVM_CAP_NR_MEMSLOTS (32)
 *
 * Log lines of the generic part start with "kvm" (docs/devel/hostsim.rst
 * lists them); the arch logs its own calls under its model's name.
 * Fault injection: kvm.CREATE_VM, kvm.CREATE_VCPU,
 * kvm.SET_USER_MEMORY_REGION, each with an errno.
 *
 * Locking: every hook below runs with the host simulator's lock held
 * (see hostsim.h) and may call the fakekvm_* functions; none may block.
 */
#ifndef HOSTSIM_FAKEKVM_H
#define HOSTSIM_FAKEKVM_H

#include "hostsim.h"

#include <linux/kvm.h>

typedef struct FakeKvmVm FakeKvmVm;
typedef struct FakeKvmVcpu FakeKvmVcpu;

/* A memory slot as the emulator set it (KVM_SET_USER_MEMORY_REGION). */
typedef struct FakeKvmSlot {
    uint32_t slot;
    uint32_t flags;
    uint64_t gpa;
    uint64_t size;
    uint64_t uaddr;     /* the emulator's mapping of the slot */
} FakeKvmSlot;

typedef struct FakeKvmArch {
    /* The value of CGEMU_HOSTSIM_KVM_ARCH that selects it: "ppc64". */
    const char *name;
    /*
     * The arch's own HostsimModel: it lists the arch's variables and
     * fault commands, and names its log lines.  Its init should set
     * *active from fakekvm_arch_selected().
     */
    const HostsimModel *model;

    /*
     * KVM_CHECK_EXTENSION for every capability the generic part does not
     * answer itself (USER_MEMORY, IMMEDIATE_EXIT, NR_MEMSLOTS, NR_VCPUS,
     * MAX_VCPUS): the value, 0 when absent.  @vm is NULL on /dev/kvm.
     * NULL: nothing else is present.
     */
    int (*check_extension)(FakeKvmVm *vm, unsigned long cap);

    /*
     * A VM or vCPU was created (after the generic checks; the fd exists)
     * or is going away.  created may refuse with a negative errno (e.g.
     * an unsupported VM type): the fd is closed and the ioctl fails.  The
     * arch keeps its state with fakekvm_*_set_data.  Each may be NULL.
     */
    int (*vm_created)(FakeKvmVm *vm, unsigned long type);
    void (*vm_destroyed)(FakeKvmVm *vm);
    int (*vcpu_created)(FakeKvmVcpu *vcpu);
    void (*vcpu_destroyed)(FakeKvmVcpu *vcpu);

    /*
     * KVM_ENABLE_CAP on a VM (@vcpu NULL) or a vCPU: 0 or a negative
     * errno.  NULL: every capability fails EINVAL.
     */
    int (*enable_cap)(FakeKvmVm *vm, FakeKvmVcpu *vcpu,
                      const struct kvm_enable_cap *cap);

    /*
     * Any other ioctl on a VM or a vCPU: its result or a negative errno;
     * HOSTSIM_PASS for one the arch does not know (then ENOTTY).  @arg is
     * the caller's pointer: read and write it with hostsim_read_user /
     * hostsim_write_user.  Each may be NULL.
     */
    int (*vm_ioctl)(FakeKvmVm *vm, unsigned long request, void *arg);
    int (*vcpu_ioctl)(FakeKvmVcpu *vcpu, unsigned long request, void *arg);

    /*
     * Every KVM_RUN of @vcpu starts here, even one that immediate_exit
     * ends at once: @run is the vCPU's kvm_run as the emulator left it
     * after the previous exit (e.g. with a hypercall's result), which KVM
     * would now take into the vCPU: the place to check and log what the
     * emulator answered.  May be NULL.
     */
    void (*complete)(FakeKvmVcpu *vcpu, struct kvm_run *run);

    /*
     * KVM_RUN of @vcpu when immediate_exit is not set: fill in an exit
     * and return true to end KVM_RUN with 0 at once (a scripted exit,
     * standing in for the guest); return false to block until a signal.
     * NULL: always block.
     */
    bool (*run)(FakeKvmVcpu *vcpu, struct kvm_run *run);
} FakeKvmArch;

/*
 * Registers an arch; the generic part finds it at load time through a
 * dedicated ELF section, so an arch file registers itself.
 */
#define FAKEKVM_ARCH_REGISTER(arch)                                          \
    static const FakeKvmArch *const fakekvm_arch_ptr_##arch                  \
        __attribute__((used, section("hostsim_fakekvm_archs"))) = &(arch)

/*
 * Whether CGEMU_HOSTSIM_KVM_ARCH selects @arch.  Any time (an arch
 * model's init may call it before the generic part's init ran).
 */
bool fakekvm_arch_selected(const FakeKvmArch *arch);

/* --- VMs (lock held) --- */

/* 0, 1, ... in creation order, for log lines. */
unsigned fakekvm_vm_index(const FakeKvmVm *vm);
gpointer fakekvm_vm_get_data(const FakeKvmVm *vm);
void fakekvm_vm_set_data(FakeKvmVm *vm, gpointer data);
/* The memory slots in slot order; the array is the VM's. */
const GArray *fakekvm_vm_slots(const FakeKvmVm *vm);
/* The vCPU with KVM id @id, or NULL. */
FakeKvmVcpu *fakekvm_vm_vcpu(const FakeKvmVm *vm, uint32_t id);

/*
 * Guest-physical memory through the recorded slots, as the kernel would
 * reach it: false if [gpa, gpa+len) is not wholly inside one slot, or
 * the emulator's mapping of it cannot be read or written (checked, never
 * a crash).
 */
bool fakekvm_guest_read(const FakeKvmVm *vm, uint64_t gpa, void *buf,
                        size_t len);
bool fakekvm_guest_write(const FakeKvmVm *vm, uint64_t gpa, const void *buf,
                         size_t len);

/* --- vCPUs (lock held) --- */

uint32_t fakekvm_vcpu_id(const FakeKvmVcpu *vcpu);
FakeKvmVm *fakekvm_vcpu_vm(const FakeKvmVcpu *vcpu);
gpointer fakekvm_vcpu_get_data(const FakeKvmVcpu *vcpu);
void fakekvm_vcpu_set_data(FakeKvmVcpu *vcpu, gpointer data);
/* The vCPU's kvm_run, as shared with the emulator's mapping. */
struct kvm_run *fakekvm_vcpu_run(const FakeKvmVcpu *vcpu);

#endif /* HOSTSIM_FAKEKVM_H */
