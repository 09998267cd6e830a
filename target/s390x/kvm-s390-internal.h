/* s390x under KVM: state and functions shared by target/s390x/kvm*.c. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_TARGET_S390X_KVM_S390_INTERNAL_H
#define CGEMU_TARGET_S390X_KVM_S390_INTERNAL_H

#include "accel/kvm-arch.h"
#include "hw/s390x/s390-virtio-ccw.h"
#include "target/s390x/kvm-s390.h"
#include "target/s390x/pv.h"

/*
 * Per-VM data (kvm_set_arch_data).  Written at VM creation and by the
 * reset sequence (main thread, vCPUs stopped); vCPU threads read it with
 * the machine lock held.
 */
typedef struct S390Vm {
    KvmState *s;
    S390CcwMachineState *m;     /* NULL on another board ("none") */
    S390HostModel host;
    S390CpuModel *cpu;          /* owned by the machine when it has one */
    bool own_cpu;               /* ... otherwise by us */
    uint32_t host_ibc;
    bool vcpu_resets;           /* KVM_CAP_S390_VCPU_RESETS */
    unsigned stopped;           /* vCPUs that stopped themselves */
} S390Vm;

S390Vm *s390_vm(KvmState *s);

/* kvm-cpu-model.c: the host model and giving KVM the guest's. */
bool kvm_s390_read_host_model(KvmState *s, S390HostModel *host,
                              uint32_t *ibc, GError **err);
bool kvm_s390_apply_cpu_model(KvmState *s, const S390CpuModel *m,
                              uint32_t host_ibc, GError **err);

/* kvm-io.c: channel I/O instructions, DIAGNOSE 500, I/O interruptions. */
KvmExitAction kvm_s390_handle_io_instruction(KvmVcpu *cpu, S390KvmRun *run);
KvmExitAction kvm_s390_handle_diag500(KvmVcpu *cpu, S390KvmRun *run);
void kvm_s390_io_irq(void *opaque, uint16_t subchannel_id,
                     uint16_t subchannel_nr, uint32_t parm, uint32_t word);

/* diag308.c: DIAGNOSE 308 (IPL functions, the protected IPL request). */
KvmExitAction kvm_s390_handle_diag308(KvmVcpu *cpu, S390KvmRun *run);

/*
 * Base and displacement of an RS/S-format operand: the effective
 * address (24, 31 or 64 bits as the PSW's addressing mode says).
 */
uint64_t kvm_s390_operand_addr(const S390KvmRun *run,
                               const S390KvmRegs *regs, uint32_t ipb);

/* Sets the condition code the guest sees when it runs again. */
static inline void kvm_s390_set_cc(S390KvmRun *run, unsigned cc)
{
    run->psw_mask = (run->psw_mask & ~S390_PSW_MASK_CC) |
                    ((uint64_t)(cc & 3) << 44);
}

/* pv.c: the Ultravisor steps of the protected IPL and of leaving it. */
bool s390_pv_protect(S390Vm *vm, const S390PvIpl *ipl, GError **err);
bool s390_pv_unprotect(S390Vm *vm, GError **err);
bool s390_pv_prepare_reset(S390Vm *vm, GError **err);
/* Whether KVM can run protected guests here (KVM_CAP_S390_PROTECTED). */
bool s390_pv_host_capable(KvmState *s);

#endif
