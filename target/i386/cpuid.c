/* The CPUID table of a vCPU, from the model and what KVM supports. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "target/i386/cpu-models.h"

#include <string.h>

#define EXT_BASE 0x80000000u
#define KVM_LEAF_FIRST 0x40000000u
#define KVM_LEAF_LAST 0x4fffffffu
#define HTT_BIT (1u << 28)

typedef struct {
    const struct kvm_cpuid_entry2 *sup;
    size_t n_sup;
    GArray *out;
} Builder;

static const struct kvm_cpuid_entry2 *
find_in(const struct kvm_cpuid_entry2 *e, size_t n, uint32_t fn, uint32_t idx)
{
    for (size_t i = 0; i < n; i++) {
        bool indexed = e[i].flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX;

        if (e[i].function == fn && (!indexed || e[i].index == idx)) {
            return &e[i];
        }
    }
    return NULL;
}

const struct kvm_cpuid_entry2 *x86_cpuid_find(const GArray *table,
                                              uint32_t function,
                                              uint32_t index)
{
    return find_in((const struct kvm_cpuid_entry2 *)(const void *)table->data,
                   table->len, function, index);
}

/* Replaces an entry with the same function and index, or appends. */
static void put(Builder *b, const struct kvm_cpuid_entry2 *e)
{
    struct kvm_cpuid_entry2 *all = (void *)b->out->data;

    for (guint i = 0; i < b->out->len; i++) {
        if (all[i].function == e->function && all[i].index == e->index) {
            all[i] = *e;
            return;
        }
    }
    g_array_append_vals(b->out, e, 1);
}

static void put_regs(Builder *b, uint32_t fn, uint32_t idx, bool indexed,
                     uint32_t eax, uint32_t ebx, uint32_t ecx, uint32_t edx)
{
    struct kvm_cpuid_entry2 e = {
        .function = fn,
        .index = idx,
        .flags = indexed ? KVM_CPUID_FLAG_SIGNIFCANT_INDEX : 0,
        .eax = eax,
        .ebx = ebx,
        .ecx = ecx,
        .edx = edx,
    };

    put(b, &e);
}

/* Every subleaf KVM supports of leaf @fn, unchanged. */
static void copy_leaf(Builder *b, uint32_t fn)
{
    for (size_t i = 0; i < b->n_sup; i++) {
        if (b->sup[i].function == fn) {
            put(b, &b->sup[i]);
        }
    }
}

static uint32_t sup_reg(Builder *b, uint32_t fn, uint32_t idx, int reg)
{
    const struct kvm_cpuid_entry2 *e = find_in(b->sup, b->n_sup, fn, idx);

    if (e == NULL) {
        return 0;
    }
    switch (reg) {
    case 0:
        return e->eax;
    case 1:
        return e->ebx;
    case 2:
        return e->ecx;
    default:
        return e->edx;
    }
}

static uint32_t sup_word(Builder *b, X86FeatureWord w)
{
    switch (w) {
    case X86_W_1_EDX:
        return sup_reg(b, 1, 0, 3);
    case X86_W_1_ECX:
        return sup_reg(b, 1, 0, 2);
    case X86_W_7_EBX:
        return sup_reg(b, 7, 0, 1);
    case X86_W_7_ECX:
        return sup_reg(b, 7, 0, 2);
    case X86_W_7_EDX:
        return sup_reg(b, 7, 0, 3);
    case X86_W_81_EDX:
        return sup_reg(b, EXT_BASE + 1, 0, 3);
    case X86_W_81_ECX:
        return sup_reg(b, EXT_BASE + 1, 0, 2);
    default:
        return 0;
    }
}

/* Family/model/stepping as leaf 1 EAX encodes them. */
static uint32_t signature(const X86CpuModel *m)
{
    uint32_t fam = m->family, mod = m->model;
    uint32_t eax = (m->stepping & 0xf) | ((mod & 0xf) << 4) |
                   (MIN(fam, 15u) << 8);

    if (fam >= 15) {
        eax |= ((fam - 15) & 0xff) << 20;
    }
    if (fam >= 6) {
        eax |= ((mod >> 4) & 0xf) << 16;
    }
    return eax;
}

static void vendor_regs(const char *v, uint32_t *ebx, uint32_t *edx,
                        uint32_t *ecx)
{
    memcpy(ebx, v, 4);
    memcpy(edx, v + 4, 4);
    memcpy(ecx, v + 8, 4);
}

static void put_brand(Builder *b, const char *brand)
{
    char text[48] = { 0 };
    uint32_t r[12];

    strncpy(text, brand, sizeof(text) - 1);
    memcpy(r, text, sizeof(r));
    for (uint32_t i = 0; i < 3; i++) {
        put_regs(b, EXT_BASE + 2 + i, 0, false, r[4 * i], r[4 * i + 1],
                 r[4 * i + 2], r[4 * i + 3]);
    }
}

/* A model's own leaves (everything but the topology fix-ups). */
static void build_model(Builder *b, const X86CpuModel *m,
                        const uint32_t *f, uint32_t level, uint32_t xlevel)
{
    uint32_t ebx, ecx, edx;

    vendor_regs(m->vendor, &ebx, &edx, &ecx);
    put_regs(b, 0, 0, false, level, ebx, ecx, edx);
    put_regs(b, 1, 0, false, signature(m), 8u << 8, f[X86_W_1_ECX],
             f[X86_W_1_EDX]);
    copy_leaf(b, 2);
    copy_leaf(b, 4);
    copy_leaf(b, 6);
    put_regs(b, 7, 0, true, 0, f[X86_W_7_EBX], f[X86_W_7_ECX],
             f[X86_W_7_EDX]);
    put_regs(b, 0xb, 0, true, 0, 0, 0, 0);
    if (f[X86_W_1_ECX] & (1u << 26)) {
        copy_leaf(b, 0xd);      /* XSAVE state sizes */
    }
    put_regs(b, EXT_BASE, 0, false, xlevel, ebx, ecx, edx);
    put_regs(b, EXT_BASE + 1, 0, false, signature(m), 0, f[X86_W_81_ECX],
             f[X86_W_81_EDX]);
    put_brand(b, m->brand);
    copy_leaf(b, EXT_BASE + 5);
    copy_leaf(b, EXT_BASE + 6);
    put_regs(b, EXT_BASE + 8, 0, false, (48u << 8) | m->phys_bits, 0, 0, 0);
    if (f[X86_W_81_ECX] & (1u << 2)) {
        copy_leaf(b, EXT_BASE + 0xa);   /* SVM */
    }
}

/* Writes the final feature words back into leaves 1, 7, 0x80000001. */
static void apply_features(Builder *b, const uint32_t *f)
{
    struct kvm_cpuid_entry2 *all = (void *)b->out->data;

    for (guint i = 0; i < b->out->len; i++) {
        struct kvm_cpuid_entry2 *e = &all[i];

        if (e->function == 1) {
            e->ecx = f[X86_W_1_ECX];
            e->edx = f[X86_W_1_EDX];
        } else if (e->function == 7 && e->index == 0) {
            e->ebx = f[X86_W_7_EBX];
            e->ecx = f[X86_W_7_ECX];
            e->edx = f[X86_W_7_EDX];
        } else if (e->function == EXT_BASE + 1) {
            e->ecx = f[X86_W_81_ECX];
            e->edx = f[X86_W_81_EDX];
        }
    }
}

/*
 * Topology: @ncpus sockets of one core with one thread each, the APIC ID
 * equal to the vCPU index.  Simple, and true for every -smp cgemu takes.
 */
static void fix_topology(Builder *b, unsigned index)
{
    struct kvm_cpuid_entry2 *all = (void *)b->out->data;
    bool has_b = false, has_1f = false;

    for (guint i = 0; i < b->out->len; i++) {
        struct kvm_cpuid_entry2 *e = &all[i];

        switch (e->function) {
        case 1:
            e->ebx = (e->ebx & 0xff00) | (1u << 16) | (index << 24);
            e->edx &= ~HTT_BIT;
            break;
        case 4:
            e->eax &= 0x3fff;   /* no cores, no threads sharing caches */
            break;
        case 0xb:
            has_b = true;
            break;
        case 0x1f:
            has_1f = true;
            break;
        case EXT_BASE + 8:
            e->ecx &= ~0xf0ffu;
            break;
        case EXT_BASE + 0x1d:
            e->eax &= ~(0xfffu << 14);
            break;
        case EXT_BASE + 0x1e:
            e->eax = index;
            e->ebx = 0;
            e->ecx = 0;
            break;
        default:
            break;
        }
    }
    for (int pass = 0; pass < 2; pass++) {
        uint32_t fn = pass ? 0x1f : 0xb;

        if (!(pass ? has_1f : has_b)) {
            continue;
        }
        /* Remove the host's subleaves, then describe ours. */
        for (guint i = b->out->len; i > 0; i--) {
            if (g_array_index(b->out, struct kvm_cpuid_entry2, i - 1)
                    .function == fn) {
                g_array_remove_index(b->out, i - 1);
            }
        }
        put_regs(b, fn, 0, true, 0, 1, (1u << 8) | 0, index);   /* SMT */
        put_regs(b, fn, 1, true, 0, 1, (2u << 8) | 1, index);   /* core */
        put_regs(b, fn, 2, true, 0, 0, 2, index);               /* end */
    }
}

/* Drops leaves beyond the levels (KVM's own leaves always stay). */
static void cut_levels(Builder *b, uint32_t level, uint32_t xlevel)
{
    for (guint i = b->out->len; i > 0; i--) {
        uint32_t fn =
            g_array_index(b->out, struct kvm_cpuid_entry2, i - 1).function;
        bool keep = fn >= KVM_LEAF_FIRST && fn <= KVM_LEAF_LAST
                        ? true
                    : fn >= EXT_BASE ? fn <= xlevel
                                     : fn <= level;

        if (!keep) {
            g_array_remove_index(b->out, i - 1);
        }
    }
}

static void set_level(Builder *b, uint32_t fn, uint32_t value)
{
    struct kvm_cpuid_entry2 *all = (void *)b->out->data;

    for (guint i = 0; i < b->out->len; i++) {
        if (all[i].function == fn) {
            all[i].eax = value;
        }
    }
}

GArray *x86_cpuid_build(const X86CpuConfig *cfg,
                        const struct kvm_cpuid_entry2 *supported,
                        size_t n_supported, const uint32_t *required,
                        size_t n_required, unsigned index, unsigned ncpus)
{
    const X86CpuModel *m = cfg->model;
    Builder b = {
        .sup = supported,
        .n_sup = n_supported,
        .out = g_array_new(FALSE, TRUE, sizeof(struct kvm_cpuid_entry2)),
    };
    uint32_t f[X86_W_COUNT];
    uint32_t level, xlevel;

    for (int w = 0; w < X86_W_COUNT; w++) {
        uint32_t base = m->passthrough ? sup_word(&b, w) : m->features[w];

        f[w] = (base | cfg->add[w]) & ~cfg->remove[w] & sup_word(&b, w);
    }
    if (m->passthrough) {
        level = sup_reg(&b, 0, 0, 0);
        xlevel = sup_reg(&b, EXT_BASE, 0, 0);
        for (size_t i = 0; i < n_supported; i++) {
            put(&b, &supported[i]);
        }
    } else {
        level = m->level;
        xlevel = m->xlevel;
        build_model(&b, m, f, level, xlevel);
    }
    for (uint32_t fn = KVM_LEAF_FIRST; fn <= KVM_LEAF_FIRST + 1; fn++) {
        copy_leaf(&b, fn);
    }
    for (size_t i = 0; i < n_required; i++) {
        uint32_t r = required[i];

        if (find_in(supported, n_supported, r, 0) == NULL) {
            continue;
        }
        copy_leaf(&b, r);
        if (r >= EXT_BASE) {
            xlevel = MAX(xlevel, r);
        } else if (r < KVM_LEAF_FIRST) {
            level = MAX(level, r);
        }
    }
    set_level(&b, 0, level);
    set_level(&b, EXT_BASE, xlevel);
    apply_features(&b, f);
    cut_levels(&b, level, xlevel);
    fix_topology(&b, index);
    return b.out;
}
