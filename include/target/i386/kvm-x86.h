/* x86 KVM services for target code (target/i386/sev.c). */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_TARGET_I386_KVM_X86_H
#define CGEMU_TARGET_I386_KVM_X86_H

#include "accel/kvm.h"

#include <linux/kvm.h>

G_BEGIN_DECLS

/*
 * What this host's KVM supports (KVM_GET_SUPPORTED_CPUID), read once at
 * VM creation; NULL before.  For checks such as sev-guest's cbitpos
 * against leaf 0x8000001F.
 */
const struct kvm_cpuid2 *kvm_x86_supported_cpuid(KvmState *s);

/*
 * Every vCPU gets @leaf (all its subleaves) as KVM supports it, even when
 * the -cpu model's levels would leave it out; the levels are raised to
 * include it.  sev-guest requires 0x8000001F this way.  Only before the
 * vCPUs exist (cgs kvm_init, step 4); false with @err after, or when KVM
 * does not support the leaf.
 */
bool kvm_x86_require_cpuid_leaf(KvmState *s, uint32_t leaf, GError **err);

/*
 * As kvm_x86_require_cpuid_leaf, and every vCPU sees @entry's registers
 * for (function, index) instead of KVM's: sev-guest presents leaf
 * 0x8000001F as QEMU does (the SEV bit, the SEV-ES bit only for an ES
 * guest, its own C-bit position and reduced bits).
 */
bool kvm_x86_set_cpuid_leaf(KvmState *s,
                            const struct kvm_cpuid_entry2 *entry,
                            GError **err);

G_END_DECLS

#endif
