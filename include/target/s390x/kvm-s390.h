/* s390x KVM services for target and board code (pv.c, the machine, QMP). */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_TARGET_S390X_KVM_S390_H
#define CGEMU_TARGET_S390X_KVM_S390_H

#include "accel/kvm.h"
#include "target/s390x/cpu-models.h"
#include "target/s390x/kvm-s390-abi.h"

G_BEGIN_DECLS

/*
 * target/s390x/kvm.c is the s390x side of include/accel/kvm-arch.h.  At
 * VM creation it refuses a KVM that does not run s390x guests (an x86
 * host's), reads the host CPU model, resolves -cpu against it and gives
 * it to KVM before any vCPU exists.  The functions below are for code
 * that runs after that (cgs kvm_init and later).
 */

/* What this host's KVM offers; NULL when @s is not an s390x VM (yet). */
const S390HostModel *kvm_s390_host_model(KvmState *s);
/* The guest's CPU model as given to KVM; NULL likewise. */
const S390CpuModel *kvm_s390_cpu_model(KvmState *s);

/*
 * A vCPU's general registers, read and written around an interception.
 * False with @err when KVM refuses.
 */
bool kvm_s390_get_regs(KvmVcpu *cpu, S390KvmRegs *regs, GError **err);
bool kvm_s390_set_regs(KvmVcpu *cpu, const S390KvmRegs *regs, GError **err);

/* Delivers a program interruption with @code to @cpu. */
bool kvm_s390_program_interrupt(KvmVcpu *cpu, uint16_t code, GError **err);

/*
 * KVM_S390_PV_COMMAND: returns the ioctl's result (0 or -errno) and the
 * Ultravisor's return and reason codes.  Never prints.
 */
int kvm_s390_pv_command(KvmState *s, uint32_t cmd, void *data, uint16_t *rc,
                        uint16_t *rrc);

G_END_DECLS

#endif
