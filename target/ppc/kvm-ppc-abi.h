/* The POWER side of the KVM interface, for builds on any host. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_TARGET_PPC_KVM_PPC_ABI_H
#define CGEMU_TARGET_PPC_KVM_PPC_ABI_H

#include <glib.h>
#include <linux/kvm.h>
#include <stdint.h>

/*
 * linux/kvm.h takes struct kvm_regs and kvm_sregs from the build host's
 * asm/kvm.h, so on x86 they are x86's.  The ppc64 binary needs POWER's
 * layout everywhere: on a POWER host to talk to KVM, elsewhere to talk
 * to the host simulator.  These mirror arch/powerpc/include/uapi/asm/
 * kvm.h; on a POWER build the sizes and ioctl numbers are checked
 * against the real header.  The ioctl numbers use the build host's
 * encoding, which is the one its kernel (or simulator) understands.
 */
typedef struct PpcKvmRegs {
    uint64_t pc;
    uint64_t cr;
    uint64_t ctr;
    uint64_t lr;
    uint64_t xer;
    uint64_t msr;
    uint64_t srr0;
    uint64_t srr1;
    uint64_t pid;
    uint64_t sprg[8];
    uint64_t gpr[32];
} PpcKvmRegs;

/* Only pvr is used; the union after it (Book3S SLB, BookE) is opaque. */
typedef struct PpcKvmSregs {
    uint32_t pvr;
    uint32_t pad;
    uint64_t u[153];
} PpcKvmSregs;

G_STATIC_ASSERT(sizeof(PpcKvmRegs) == 392);
G_STATIC_ASSERT(sizeof(PpcKvmSregs) == 1232);

#define PPC_KVM_GET_REGS _IOR(KVMIO, 0x81, PpcKvmRegs)
#define PPC_KVM_SET_REGS _IOW(KVMIO, 0x82, PpcKvmRegs)
#define PPC_KVM_GET_SREGS _IOR(KVMIO, 0x83, PpcKvmSregs)

/* ONE_REG ids (KVM_REG_PPC space). */
#define PPC_KVM_REG_ARCH_COMPAT (KVM_REG_PPC | KVM_REG_SIZE_U32 | 0xb7)

#ifdef __powerpc64__
G_STATIC_ASSERT(sizeof(PpcKvmRegs) == sizeof(struct kvm_regs));
G_STATIC_ASSERT(sizeof(PpcKvmSregs) == sizeof(struct kvm_sregs));
G_STATIC_ASSERT(PPC_KVM_SET_REGS == KVM_SET_REGS);
G_STATIC_ASSERT(PPC_KVM_GET_SREGS == KVM_GET_SREGS);
G_STATIC_ASSERT(PPC_KVM_REG_ARCH_COMPAT == KVM_REG_PPC_ARCH_COMPAT);
#endif

/* MSR bits of the boot state: 64-bit mode, machine checks enabled. */
#define PPC_MSR_SF (1ull << 63)
#define PPC_MSR_ME (1ull << 12)

#endif
