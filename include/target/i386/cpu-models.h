/* x86 CPU models for -cpu, and the CPUID table each vCPU gets. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_TARGET_I386_CPU_MODELS_H
#define CGEMU_TARGET_I386_CPU_MODELS_H

#include <glib.h>
#include <linux/kvm.h>
#include <stdbool.h>
#include <stdint.h>

G_BEGIN_DECLS

/* The CPUID registers that hold feature flags a user can switch. */
typedef enum {
    X86_W_1_EDX,        /* leaf 1 EDX */
    X86_W_1_ECX,        /* leaf 1 ECX */
    X86_W_7_EBX,        /* leaf 7 subleaf 0 EBX */
    X86_W_7_ECX,
    X86_W_7_EDX,
    X86_W_81_EDX,       /* leaf 0x80000001 EDX */
    X86_W_81_ECX,
    X86_W_COUNT
} X86FeatureWord;

typedef struct X86CpuModel {
    const char *name;
    const char *desc;
    /*
     * host, max: every feature KVM supports, the host's vendor, family
     * and levels.  The other models fix all of those and only keep the
     * features KVM supports from their own list.
     */
    bool passthrough;
    const char *vendor;         /* 12 characters */
    uint32_t level;             /* highest basic leaf */
    uint32_t xlevel;            /* highest extended leaf */
    uint32_t family, model, stepping;
    uint32_t features[X86_W_COUNT];
    uint8_t phys_bits;
    const char *brand;          /* leaf 0x80000002-4, at most 47 chars */
} X86CpuModel;

/* A -cpu option: the model and the features turned on or off. */
typedef struct X86CpuConfig {
    const X86CpuModel *model;
    uint32_t add[X86_W_COUNT];
    uint32_t remove[X86_W_COUNT];
} X86CpuConfig;

/* The default model (qemu64) and lookup by name; NULL when unknown. */
const X86CpuModel *x86_cpu_model_default(void);
const X86CpuModel *x86_cpu_model_find(const char *name);

/*
 * Parses "MODEL[,+FEAT|-FEAT|FEAT=on|off|FEAT]..." (NULL: the default
 * model).  Errors name the option, the bad word and what is accepted.
 */
X86CpuConfig *x86_cpu_config_parse(const char *text, GError **err);
void x86_cpu_config_free(X86CpuConfig *cfg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(X86CpuConfig, x86_cpu_config_free)

/* Feature name of (word, bit), or NULL when it has none. */
const char *x86_feature_name(X86FeatureWord w, unsigned bit);

/* -cpu help: models, then the feature names. */
void x86_cpu_models_help(GString *out);

/*
 * The CPUID table of vCPU @index of @ncpus from what KVM supports
 * (KVM_GET_SUPPORTED_CPUID): the model's view of it, each vCPU its own
 * APIC ID, one core per socket.  Leaves in @required (e.g. 0x8000001F
 * for sev-guest) are copied from @supported even beyond the model's
 * levels, which are raised to include them.  Pure: no KVM involved.
 * Returns struct kvm_cpuid_entry2 elements.
 */
GArray *x86_cpuid_build(const X86CpuConfig *cfg,
                        const struct kvm_cpuid_entry2 *supported,
                        size_t n_supported, const uint32_t *required,
                        size_t n_required, unsigned index, unsigned ncpus);

/* The entry for (function, index) in @table, or NULL. */
const struct kvm_cpuid_entry2 *x86_cpuid_find(const GArray *table,
                                              uint32_t function,
                                              uint32_t index);

G_END_DECLS

#endif
