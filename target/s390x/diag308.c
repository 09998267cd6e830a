/* s390x under KVM: DIAGNOSE 308, the guest's IPL functions. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "kvm-s390-internal.h"

#include "system/confidential-guest-support.h"
#include "util/error.h"

#include <string.h>

/*
 * The guest names its IPL block by real address in R1 (even, page
 * aligned, the whole page in RAM) and the subcode in R3; the response
 * code goes to R1+1.  The checks and codes are the architecture's as
 * QEMU implements them: a privileged operation, specification for bad
 * subcodes and operands and for the protected-virtualization subcodes
 * (8-10) when the CPU model lacks "unpack", addressing for an operand
 * outside RAM.  Resets and IPLs end in the main loop
 * (s390_ccw_machine_request_reset); everything else completes here.
 */

typedef struct {
    KvmVcpu *cpu;
    S390Vm *vm;
    S390CcwMachineState *m;
    MachineState *ms;
    S390KvmRegs regs;
    unsigned r1, r3;
} Diag;

static KvmExitAction program(Diag *d, uint16_t code)
{
    g_autoptr(GError) err = NULL;

    if (!kvm_s390_program_interrupt(d->cpu, code, &err)) {
        machine_request_fail(d->ms, "%s", err->message);
        return KVM_EXIT_ACTION_STOP;
    }
    return KVM_EXIT_ACTION_CONTINUE;
}

static KvmExitAction respond(Diag *d, uint64_t rc)
{
    g_autoptr(GError) err = NULL;

    d->regs.gprs[(d->r1 + 1) & 15] = rc;
    if (!kvm_s390_set_regs(d->cpu, &d->regs, &err)) {
        machine_request_fail(d->ms, "%s", err->message);
        return KVM_EXIT_ACTION_STOP;
    }
    return KVM_EXIT_ACTION_CONTINUE;
}

static KvmExitAction reset(Diag *d, S390ResetType type)
{
    s390_ccw_machine_request_reset(d->m, type, kvm_vcpu_index(d->cpu));
    return KVM_EXIT_ACTION_STOP;
}

/* The operand: 0 when usable, else the program-interruption code. */
static uint16_t check_operand(Diag *d, uint64_t addr)
{
    if ((d->r1 & 1) || (addr & 0xfff)) {
        return S390_PGM_SPECIFICATION;
    }
    if (guest_ram_ptr(d->ms->mem, addr, S390_IPLB_SIZE) == NULL) {
        return S390_PGM_ADDRESSING;
    }
    return 0;
}

static KvmExitAction set_block(Diag *d, uint64_t addr, bool pv)
{
    uint8_t block[S390_IPLB_SIZE] = { 0 };
    const uint8_t *src = guest_ram_ptr(d->ms->mem, addr, S390_IPLB_SIZE);
    g_autofree S390PvIpl *ipl = g_new0(S390PvIpl, 1);
    uint32_t len = s390_iplb_len(src);
    bool valid;

    if (len > S390_IPLB_SIZE) {
        return respond(d, DIAG308_RC_INVALID);
    }
    memcpy(block, src, len);
    valid = pv ? s390_iplb_parse_pv(block, d->ms->mem, ipl, NULL)
               : s390_iplb_check(block, NULL);
    if (!valid) {
        return respond(d, DIAG308_RC_INVALID);
    }
    if (pv) {
        memcpy(d->m->iplb_pv, block, sizeof(block));
        d->m->iplb_pv_valid = true;
    } else {
        memcpy(d->m->iplb, block, sizeof(block));
        d->m->iplb_valid = true;
    }
    return respond(d, DIAG308_RC_OK);
}

static KvmExitAction store_block(Diag *d, uint64_t addr, bool pv)
{
    const uint8_t *block = pv ? d->m->iplb_pv : d->m->iplb;

    if (!(pv ? d->m->iplb_pv_valid : d->m->iplb_valid)) {
        return respond(d, DIAG308_RC_NO_CONF);
    }
    guest_ram_write(d->ms->mem, addr, block, s390_iplb_len(block));
    return respond(d, DIAG308_RC_OK);
}

/* Subcode 10: the guest asks to be IPLed protected. */
static KvmExitAction pv_start(Diag *d)
{
    ConfidentialGuestSupport *cgs = d->ms->cgs;
    g_autofree char *which = NULL;

    if (!d->m->iplb_pv_valid) {
        return respond(d, DIAG308_RC_NO_PV_CONF);
    }
    /*
     * Without s390-pv-guest a guest may still ask (as on real machines);
     * when this host cannot do it, it is told so and goes on unprotected.
     * With it, kvm_init made sure the host can.
     */
    if (!s390_pv_host_capable(d->vm->s)) {
        cg_warn_report("s390x: vCPU %u: the guest asked for a protected IPL "
                       "(DIAGNOSE 308 subcode 10), but this host's KVM "
                       "cannot run protected guests (no "
                       "KVM_CAP_S390_PROTECTED); it continues unprotected",
                       kvm_vcpu_index(d->cpu));
        return respond(d, DIAG308_RC_INVAL_FOR_PV);
    }
    if (s390_pv_ram_on_huge_pages(d->ms->mem, &which)) {
        if (cgs != NULL) {
            machine_request_fail(d->ms, "%s '%s': the guest asked for its "
                                 "protected IPL, but guest RAM (%s) is "
                                 "backed by huge pages, which protected "
                                 "guests cannot use; back it with normal "
                                 "pages. The VM is stopped",
                                 cg_object_type_name(CG_OBJECT(cgs)),
                                 cgs_id(cgs), which);
            return KVM_EXIT_ACTION_STOP;
        }
        cg_warn_report("s390x: vCPU %u: the guest asked for a protected IPL, "
                       "but guest RAM (%s) is backed by huge pages, which "
                       "protected guests cannot use; it continues "
                       "unprotected", kvm_vcpu_index(d->cpu), which);
        return respond(d, DIAG308_RC_INVAL_FOR_PV);
    }
    return reset(d, S390_RESET_PV);
}

KvmExitAction kvm_s390_handle_diag308(KvmVcpu *cpu, S390KvmRun *run)
{
    Diag d = { .cpu = cpu };
    g_autoptr(GError) err = NULL;
    KvmExitAction action;
    uint64_t subcode, addr;
    uint16_t bad;

    d.vm = s390_vm(kvm_vcpu_state(cpu));
    d.m = d.vm->m;
    d.ms = kvm_machine(kvm_vcpu_state(cpu));
    d.r1 = (run->u.s390_sieic.ipa >> 4) & 0xf;
    d.r3 = run->u.s390_sieic.ipa & 0xf;
    if (d.m == NULL) {
        return program(&d, S390_PGM_SPECIFICATION);
    }
    if (run->psw_mask & S390_PSW_MASK_PSTATE) {
        return program(&d, S390_PGM_PRIVILEGED);
    }
    if (!kvm_s390_get_regs(cpu, &d.regs, &err)) {
        machine_request_fail(d.ms, "%s", err->message);
        return KVM_EXIT_ACTION_STOP;
    }
    subcode = d.regs.gprs[d.r3];
    addr = d.regs.gprs[d.r1];
    if ((subcode & ~0xffffull) != 0 ||
        (subcode >= DIAG308_PV_SET &&
         !s390_cpu_model_has(d.vm->cpu, S390_FEAT_UNPACK))) {
        return program(&d, S390_PGM_SPECIFICATION);
    }
    machine_lock(d.ms);
    /* A protected guest leaves protection only by a clearing reset. */
    if (d.m->pv && subcode != DIAG308_RESET_MOD_CLR &&
        subcode != DIAG308_RESET_LOAD_NORM && subcode != DIAG308_LOAD_CLEAR &&
        subcode != DIAG308_SET && subcode != DIAG308_STORE) {
        machine_unlock(d.ms);
        return program(&d, S390_PGM_SPECIFICATION);
    }
    switch (subcode) {
    case DIAG308_RESET_MOD_CLR:
        action = reset(&d, S390_RESET_MODIFIED_CLEAR);
        break;
    case DIAG308_RESET_LOAD_NORM:
        action = reset(&d, S390_RESET_LOAD_NORMAL);
        break;
    case DIAG308_LOAD_CLEAR:
        action = reset(&d, S390_RESET_REIPL);
        break;
    case DIAG308_SET:
    case DIAG308_PV_SET:
    case DIAG308_STORE:
    case DIAG308_PV_STORE:
        bad = check_operand(&d, addr);
        if (bad != 0) {
            action = program(&d, bad);
        } else if (subcode == DIAG308_SET || subcode == DIAG308_PV_SET) {
            action = set_block(&d, addr, subcode == DIAG308_PV_SET);
        } else {
            action = store_block(&d, addr, subcode == DIAG308_PV_STORE);
        }
        break;
    case DIAG308_PV_START:
        action = pv_start(&d);
        break;
    default:
        action = program(&d, S390_PGM_SPECIFICATION);
        break;
    }
    machine_unlock(d.ms);
    return action;
}
