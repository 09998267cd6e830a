/* The s390x-only parts of the KVM interface, whatever the build host. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_TARGET_S390X_KVM_S390_ABI_H
#define CGEMU_TARGET_S390X_KVM_S390_ABI_H

#include <linux/kvm.h>
#include <stddef.h>
#include <stdint.h>

/*
 * linux/kvm.h is the build host's: on x86 it lacks what only s390's
 * <asm/kvm.h> defines, and its struct kvm_run lays out the exit union
 * without the two PSW words s390 puts before it.  These definitions
 * follow the kernel's s390 UAPI (arch/s390/include/uapi/asm/kvm.h and the
 * s390 branch of struct kvm_run) with fixed-width types, so that the same
 * code talks to KVM on an IBM Z host and to the host simulator anywhere.
 * The offsets are checked below; none depends on the build host.
 *
 * Numbering: facility and feature bit n is bit 63 - (n % 64) of word
 * n / 64 (the architecture counts from the leftmost bit); function codes
 * of query blocks are bit 7 - (n % 8) of byte n / 8.
 */

/* kvm_run as s390 KVM fills it (the parts cgemu reads). */
typedef struct S390KvmRun {
    uint8_t request_interrupt_window;
    uint8_t immediate_exit;
    uint8_t padding1[6];
    uint32_t exit_reason;
    uint8_t ready_for_interrupt_injection;
    uint8_t if_flag;
    uint16_t flags;
    uint64_t cr8;
    uint64_t apic_base;
    uint64_t psw_mask;          /* in and out */
    uint64_t psw_addr;
    union {
        struct {
            uint8_t icptcode;
            uint16_t ipa;       /* first halfword of the instruction */
            uint32_t ipb;       /* the next four bytes */
        } s390_sieic;
        uint64_t s390_reset_flags;
        char padding[256];
    } u;
    uint64_t kvm_valid_regs;
    uint64_t kvm_dirty_regs;
    union {
        struct {
            uint64_t prefix;
            uint64_t gprs[16];
        } regs;
        char padding[2048];
    } s;
} S390KvmRun;

_Static_assert(offsetof(S390KvmRun, exit_reason) ==
                   offsetof(struct kvm_run, exit_reason),
               "the common header of kvm_run");
_Static_assert(offsetof(S390KvmRun, psw_mask) == 32, "s390 PSW words");
_Static_assert(offsetof(S390KvmRun, u) == 48, "s390 exit union");
_Static_assert(offsetof(S390KvmRun, kvm_valid_regs) == 304, "s390 sync");
_Static_assert(sizeof(S390KvmRun) == 320 + 2048, "s390 kvm_run size");

/* Interception codes (s390_sieic.icptcode). */
#define S390_ICPT_INSTRUCTION 0x04
#define S390_ICPT_PROGRAM 0x08
#define S390_ICPT_WAITPSW 0x1c
#define S390_ICPT_CPU_STOP 0x28
#define S390_ICPT_OPEREXC 0x2c
#define S390_ICPT_PV_INSTR 0x68

/* PSW mask bits. */
#define S390_PSW_MASK_IO (1ull << 57)           /* bit 6 */
#define S390_PSW_MASK_EXT (1ull << 56)          /* bit 7 */
#define S390_PSW_MASK_WAIT (1ull << 49)         /* bit 14 */
#define S390_PSW_MASK_PSTATE (1ull << 48)       /* bit 15 */
#define S390_PSW_MASK_EA (1ull << 32)           /* bit 31 */
#define S390_PSW_MASK_BA (1ull << 31)           /* bit 32 */
#define S390_PSW_MASK_CC (3ull << 44)           /* bits 18-19 */

/* struct kvm_regs and struct kvm_sregs of s390. */
typedef struct S390KvmRegs {
    uint64_t gprs[16];
} S390KvmRegs;

typedef struct S390KvmSregs {
    uint32_t acrs[16];
    uint64_t crs[16];
} S390KvmSregs;

#define S390_KVM_GET_REGS _IOR(KVMIO, 0x81, S390KvmRegs)
#define S390_KVM_SET_REGS _IOW(KVMIO, 0x82, S390KvmRegs)
#define S390_KVM_GET_SREGS _IOR(KVMIO, 0x83, S390KvmSregs)
#define S390_KVM_SET_SREGS _IOW(KVMIO, 0x84, S390KvmSregs)

/* Device attribute groups of the s390 VM fd. */
#define S390_VM_MEM_CTRL 0
#define S390_VM_MEM_ENABLE_CMMA 0
#define S390_VM_CPU_MODEL 3
#define S390_VM_CPU_PROCESSOR 0
#define S390_VM_CPU_MACHINE 1
#define S390_VM_CPU_PROCESSOR_FEAT 2
#define S390_VM_CPU_MACHINE_FEAT 3
#define S390_VM_CPU_PROCESSOR_SUBFUNC 4
#define S390_VM_CPU_MACHINE_SUBFUNC 5

#define S390_FAC_WORDS 256

typedef struct S390VmCpuProcessor {
    uint64_t cpuid;
    uint16_t ibc;
    uint8_t pad[6];
    uint64_t fac_list[S390_FAC_WORDS];
} S390VmCpuProcessor;

typedef struct S390VmCpuMachine {
    uint64_t cpuid;
    uint32_t ibc;
    uint8_t pad[4];
    uint64_t fac_mask[S390_FAC_WORDS];
    uint64_t fac_list[S390_FAC_WORDS];
} S390VmCpuMachine;

_Static_assert(sizeof(S390VmCpuProcessor) == 16 + 2048, "processor");
_Static_assert(sizeof(S390VmCpuMachine) == 16 + 4096, "machine");

/* KVM's CPU features (S390_VM_CPU_*_FEAT), numbered from the left. */
#define S390_KVM_FEAT_ESOP 0
#define S390_KVM_FEAT_SIEF2 1
#define S390_KVM_FEAT_64BSCAO 2
#define S390_KVM_FEAT_SIIF 3
#define S390_KVM_FEAT_GPERE 4
#define S390_KVM_FEAT_GSLS 5
#define S390_KVM_FEAT_IB 6
#define S390_KVM_FEAT_CEI 7
#define S390_KVM_FEAT_IBS 8
#define S390_KVM_FEAT_SKEY 9
#define S390_KVM_FEAT_CMMA 10
#define S390_KVM_FEAT_PFMFI 11
#define S390_KVM_FEAT_SIGPIF 12
#define S390_KVM_FEAT_KSS 13

typedef struct S390VmCpuFeat {
    uint64_t feat[16];
} S390VmCpuFeat;

/* The query results of the instructions with functions. */
typedef struct S390VmCpuSubfunc {
    uint8_t plo[32];
    uint8_t ptff[16];
    uint8_t kmac[16];
    uint8_t kmc[16];
    uint8_t km[16];
    uint8_t kimd[16];
    uint8_t klmd[16];
    uint8_t pckmo[16];
    uint8_t kmctr[16];
    uint8_t kmf[16];
    uint8_t kmo[16];
    uint8_t pcc[16];
    uint8_t ppno[16];
    uint8_t kma[16];
    uint8_t kdsa[16];
    uint8_t sortl[32];
    uint8_t dfltcc[32];
    uint8_t reserved[1728];
} S390VmCpuSubfunc;

_Static_assert(sizeof(S390VmCpuSubfunc) == 2048, "subfunc");

static inline int s390_fac_test(const uint64_t *words, unsigned n)
{
    return (words[n / 64] >> (63 - n % 64)) & 1;
}

static inline void s390_fac_set(uint64_t *words, unsigned n)
{
    words[n / 64] |= 1ull << (63 - n % 64);
}

/* DIAGNOSE 308 (IPL functions): subcodes and response codes. */
#define DIAG308_RESET_MOD_CLR 0
#define DIAG308_RESET_LOAD_NORM 1
#define DIAG308_LOAD_CLEAR 3
#define DIAG308_LOAD_NORMAL_DUMP 4
#define DIAG308_SET 5
#define DIAG308_STORE 6
#define DIAG308_PV_SET 8
#define DIAG308_PV_STORE 9
#define DIAG308_PV_START 10

#define DIAG308_RC_OK 0x0001
#define DIAG308_RC_NO_CONF 0x0102
#define DIAG308_RC_INVALID 0x0402
#define DIAG308_RC_NO_PV_CONF 0x0902
#define DIAG308_RC_INVAL_FOR_PV 0x0a02

/* Program-interruption codes cgemu injects. */
#define S390_PGM_OPERATION 0x0001
#define S390_PGM_PRIVILEGED 0x0002
#define S390_PGM_ADDRESSING 0x0005
#define S390_PGM_SPECIFICATION 0x0006

#endif
