/* s390x under KVM: the host CPU model, and the guest's given to KVM. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "kvm-s390-internal.h"

#include "util/error.h"

#include <string.h>

/* KVM's own feature bits and the features they are. */
static const struct {
    unsigned kvm_bit;
    S390Feat feat;
} kvm_feats[] = {
    { S390_KVM_FEAT_ESOP, S390_FEAT_ESOP },
    { S390_KVM_FEAT_SIEF2, S390_FEAT_SIEF2 },
    { S390_KVM_FEAT_64BSCAO, S390_FEAT_64BSCAO },
    { S390_KVM_FEAT_SIIF, S390_FEAT_SIIF },
    { S390_KVM_FEAT_GPERE, S390_FEAT_GPEREH },
    { S390_KVM_FEAT_GSLS, S390_FEAT_GSLS },
    { S390_KVM_FEAT_IB, S390_FEAT_IB },
    { S390_KVM_FEAT_CEI, S390_FEAT_CEI },
    { S390_KVM_FEAT_IBS, S390_FEAT_IBS },
    { S390_KVM_FEAT_SKEY, S390_FEAT_SKEY },
    { S390_KVM_FEAT_CMMA, S390_FEAT_CMMA },
    { S390_KVM_FEAT_PFMFI, S390_FEAT_PFMFI },
    { S390_KVM_FEAT_SIGPIF, S390_FEAT_SIGPIF },
    { S390_KVM_FEAT_KSS, S390_FEAT_KSS },
};

/* The query block of an instruction with functions, or NULL. */
static uint8_t *subfunc_block(S390VmCpuSubfunc *sf, S390FeatType t,
                              size_t *len)
{
    *len = 16;
    switch (t) {
    case S390_FT_PLO:
        *len = 32;
        return sf->plo;
    case S390_FT_PTFF:
        return sf->ptff;
    case S390_FT_KMAC:
        return sf->kmac;
    case S390_FT_KMC:
        return sf->kmc;
    case S390_FT_KM:
        return sf->km;
    case S390_FT_KIMD:
        return sf->kimd;
    case S390_FT_KLMD:
        return sf->klmd;
    case S390_FT_PCKMO:
        return sf->pckmo;
    case S390_FT_KMCTR:
        return sf->kmctr;
    case S390_FT_KMF:
        return sf->kmf;
    case S390_FT_KMO:
        return sf->kmo;
    case S390_FT_PCC:
        return sf->pcc;
    case S390_FT_PPNO:
        return sf->ppno;
    case S390_FT_KMA:
        return sf->kma;
    case S390_FT_KDSA:
        return sf->kdsa;
    case S390_FT_SORTL:
        *len = 32;
        return sf->sortl;
    case S390_FT_DFLTCC:
        *len = 32;
        return sf->dfltcc;
    default:
        return NULL;
    }
}

static int vm_attr(KvmState *s, unsigned long req, uint32_t group,
                   uint64_t attr, void *data)
{
    struct kvm_device_attr a = {
        .group = group,
        .attr = attr,
        .addr = (uintptr_t)data,
    };

    return kvm_vm_ioctl(s, req, &a);
}

static bool has_attr(KvmState *s, uint32_t group, uint64_t attr)
{
    return vm_attr(s, KVM_HAS_DEVICE_ATTR, group, attr, NULL) == 0;
}

/* The definition the host is: its machine type, else what it covers. */
static const S390CpuDef *host_def(uint16_t type, const S390FeatSet *feats)
{
    const S390CpuDef *d = s390_cpu_def_by_type(type);

    if (d != NULL) {
        return d;
    }
    for (size_t i = s390_cpu_def_count(); i-- > 0;) {
        S390FeatSet base;

        s390_cpu_def_base(s390_cpu_def_at(i), &base);
        if (s390_feat_set_subset(&base, feats)) {
            return s390_cpu_def_at(i);
        }
    }
    return s390_cpu_def_at(0);
}

bool kvm_s390_read_host_model(KvmState *s, S390HostModel *host,
                              uint32_t *ibc, GError **err)
{
    g_autofree S390VmCpuMachine *mach = g_new0(S390VmCpuMachine, 1);
    g_autofree S390VmCpuSubfunc *sf = g_new0(S390VmCpuSubfunc, 1);
    S390VmCpuFeat feat = { { 0 } };
    bool have_sf;
    int r;

    memset(host, 0, sizeof(*host));
    if (!has_attr(s, S390_VM_CPU_MODEL, S390_VM_CPU_MACHINE)) {
        g_set_error(err, CG_ERROR, CG_ERROR_KVM_MISSING_CAP,
                    "KVM: this host's KVM has no CPU-model interface "
                    "(KVM_S390_VM_CPU_MODEL); a newer kernel is needed");
        return false;
    }
    r = vm_attr(s, KVM_GET_DEVICE_ATTR, S390_VM_CPU_MODEL,
                S390_VM_CPU_MACHINE, mach);
    if (r == 0) {
        r = vm_attr(s, KVM_GET_DEVICE_ATTR, S390_VM_CPU_MODEL,
                    S390_VM_CPU_MACHINE_FEAT, &feat);
    }
    if (r < 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "KVM: cannot read the host CPU model: %s",
                    g_strerror(-r));
        return false;
    }
    have_sf = vm_attr(s, KVM_GET_DEVICE_ATTR, S390_VM_CPU_MODEL,
                      S390_VM_CPU_MACHINE_SUBFUNC, sf) == 0;
    for (unsigned f = 0; f < S390_FEAT_COUNT; f++) {
        const S390FeatDef *d = s390_feat_def(f);
        size_t len;
        uint8_t *blk;

        if (d->type == S390_FT_STFL) {
            /* What the machine has and KVM lets guests have. */
            if (s390_fac_test(mach->fac_list, d->bit) &&
                s390_fac_test(mach->fac_mask, d->bit)) {
                s390_feat_add(&host->features, f);
            }
        } else if (have_sf && (blk = subfunc_block(sf, d->type, &len)) &&
                   d->bit / 8 < len &&
                   (blk[d->bit / 8] & (0x80 >> (d->bit % 8)))) {
            s390_feat_add(&host->features, f);
        }
    }
    for (size_t i = 0; i < G_N_ELEMENTS(kvm_feats); i++) {
        if (s390_fac_test(feat.feat, kvm_feats[i].kvm_bit)) {
            s390_feat_add(&host->features, kvm_feats[i].feat);
        }
    }
    /* Features no bit reports: QEMU's host model has them like this. */
    s390_feat_add(&host->features, S390_FEAT_DATEH2);
    if (has_attr(s, S390_VM_MEM_CTRL, S390_VM_MEM_ENABLE_CMMA)) {
        s390_feat_add(&host->features, S390_FEAT_CMM);
    }
    if (kvm_check_extension(s, KVM_CAP_S390_DIAG318) > 0) {
        s390_feat_add(&host->features, S390_FEAT_DIAG318);
    }
    host->def = host_def((uint16_t)(mach->cpuid >> 16), &host->features);
    *ibc = mach->ibc;
    return true;
}

/* The instruction-blocking control for a definition, within the host's
 * range (lowest in the upper half, newest in the lower). */
static uint16_t model_ibc(const S390CpuDef *d, uint32_t host_ibc)
{
    uint16_t lowest = (uint16_t)(host_ibc >> 16);
    uint16_t newest = (uint16_t)host_ibc;
    uint16_t ibc;

    if (d->gen < 10 || host_ibc == 0) {
        return 0;
    }
    ibc = (uint16_t)(((d->gen - 10 + 1) << 4) + d->ga);
    return (uint16_t)MAX(lowest, MIN(ibc, newest));
}

bool kvm_s390_apply_cpu_model(KvmState *s, const S390CpuModel *m,
                              uint32_t host_ibc, GError **err)
{
    g_autofree S390VmCpuProcessor *proc = g_new0(S390VmCpuProcessor, 1);
    g_autofree S390VmCpuSubfunc *sf = g_new0(S390VmCpuSubfunc, 1);
    S390VmCpuFeat feat = { { 0 } };
    int r;

    /* Version ff: a virtual CPU; format bit 15 from generation 8 on. */
    proc->cpuid = 0xffull << 56 | (uint64_t)m->def->type << 16 |
                  (m->def->gen > 7 ? 1ull << 15 : 0);
    proc->ibc = model_ibc(m->def, host_ibc);
    for (unsigned f = 0; f < S390_FEAT_COUNT; f++) {
        const S390FeatDef *d = s390_feat_def(f);
        size_t len;
        uint8_t *blk;

        if (!s390_cpu_model_has(m, f)) {
            continue;
        }
        if (d->type == S390_FT_STFL) {
            s390_fac_set(proc->fac_list, d->bit);
        } else if ((blk = subfunc_block(sf, d->type, &len)) &&
                   d->bit / 8 < len) {
            blk[d->bit / 8] |= (uint8_t)(0x80 >> (d->bit % 8));
        }
    }
    for (size_t i = 0; i < G_N_ELEMENTS(kvm_feats); i++) {
        if (s390_cpu_model_has(m, kvm_feats[i].feat)) {
            s390_fac_set(feat.feat, kvm_feats[i].kvm_bit);
        }
    }
    r = vm_attr(s, KVM_SET_DEVICE_ATTR, S390_VM_CPU_MODEL,
                S390_VM_CPU_PROCESSOR, proc);
    if (r == 0) {
        r = vm_attr(s, KVM_SET_DEVICE_ATTR, S390_VM_CPU_MODEL,
                    S390_VM_CPU_PROCESSOR_FEAT, &feat);
    }
    if (r == 0 && has_attr(s, S390_VM_CPU_MODEL,
                           S390_VM_CPU_PROCESSOR_SUBFUNC)) {
        r = vm_attr(s, KVM_SET_DEVICE_ATTR, S390_VM_CPU_MODEL,
                    S390_VM_CPU_PROCESSOR_SUBFUNC, sf);
    }
    if (r < 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "KVM: cannot give the guest CPU model %s to KVM: %s",
                    m->name, g_strerror(-r));
        return false;
    }
    return true;
}
