/* s390-pv-guest: IBM Z Protected Virtualization, and the Ultravisor steps. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "kvm-s390-internal.h"

#include "system/confidential-guest-support.h"
#include "util/error.h"

#include <errno.h>

/*
 * The object itself has no properties (as in QEMU): setting the switch
 * only makes cgemu check, at VM creation, that the guest will be able to
 * enter protected mode, and sets the virtio defaults.  The guest enters
 * protected mode by itself (DIAGNOSE 308 subcodes 8 and 10); diag308.c
 * records the request, and the reset that follows runs
 * s390_pv_protect() below.
 */
typedef struct {
    ConfidentialGuestSupport parent_instance;
} S390PvGuest;
typedef ConfidentialGuestSupportClass S390PvGuestClass;

CG_DEFINE_TYPE(S390PvGuest, s390_pv_guest, "s390-pv-guest",
               CG_TYPE_CONFIDENTIAL_GUEST_SUPPORT)

/*
 * The guest's SCLP read-info block holds one 16-byte entry per CPU after
 * a 144-byte header, and a protected guest's block is one 4 KiB page:
 * (4096 - 144) / 16 = 247 entries.  QEMU allows the same (its 248 CPUs
 * minus one).
 */
#define SCLP_PAGE 4096
#define SCLP_CPU_ENTRIES_OFFSET 144
#define SCLP_CPU_ENTRY_SIZE 16
#define PV_MAX_CPUS                                                          \
    ((SCLP_PAGE - SCLP_CPU_ENTRIES_OFFSET) / SCLP_CPU_ENTRY_SIZE)

#define PAGE_SIZE_4K 4096ull

bool s390_pv_host_capable(KvmState *s)
{
    return kvm_vm_check_extension(s, KVM_CAP_S390_PROTECTED) > 0;
}

/* --- kvm_init: can this guest become protected here? --------------------- */

static bool check_cpu_model(const S390CpuModel *cpu, GError **err)
{
    const char *first = s390_cpu_model_suggest(S390_FEAT_UNPACK);
    S390FeatSet full;

    if (s390_cpu_model_has(cpu, S390_FEAT_UNPACK)) {
        return true;
    }
    if (cpu->kind == S390_MODEL_HOST || cpu->kind == S390_MODEL_MAX) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "s390-pv-guest: CPU model %s lacks the unpack facility "
                    "(161) that protected guests need: this host's KVM does "
                    "not offer it; check that the host kernel was booted "
                    "with prot_virt=1", cpu->name);
        return false;
    }
    s390_cpu_def_full(cpu->def, &full);
    if (s390_feat_test(&full, S390_FEAT_UNPACK)) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "s390-pv-guest: CPU model %s lacks the unpack facility "
                    "(161) that protected guests need; turn it on with "
                    "-cpu %s,unpack=on or use -cpu host", cpu->name,
                    cpu->name);
    } else {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "s390-pv-guest: CPU model %s lacks the unpack facility "
                    "(161) that protected guests need, and no %s can have "
                    "it; use -cpu %s,unpack=on (or newer) or -cpu host",
                    cpu->name, cpu->def->desc, first);
    }
    return false;
}

static bool s390_pv_guest_kvm_init(ConfidentialGuestSupport *cgs,
                                   MachineState *ms, GError **err)
{
    KvmState *s = kvm_state(ms->accel);
    const S390CpuModel *cpu = kvm_s390_cpu_model(s);

    if (s390_ccw_machine(ms) == NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "s390-pv-guest: machine %s cannot IPL a protected "
                    "guest; use -machine s390-ccw-virtio",
                    CG_MACHINE_GET_CLASS(ms)->name);
        return false;
    }
    if (!s390_pv_host_capable(s)) {
        g_set_error(err, CG_ERROR, CG_ERROR_KVM_MISSING_CAP,
                    "s390-pv-guest: this host cannot run protected guests: "
                    "its KVM lacks KVM_CAP_S390_PROTECTED. Check that the "
                    "host kernel was booted with prot_virt=1 and that "
                    "/sys/firmware/uv/prot_virt_host reads 1 (an IBM z15 "
                    "or newer with the Ultravisor)");
        return false;
    }
    if (cpu == NULL || !check_cpu_model(cpu, err)) {
        if (cpu == NULL) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "s390-pv-guest: the CPU model is not known yet");
        }
        return false;
    }
    if (ms->max_cpus > PV_MAX_CPUS) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "s390-pv-guest: a protected guest can have at most %u "
                    "vCPUs (the CPU entries that fit its one-page SCLP "
                    "information block), but -smp asks for %u; lower -smp",
                    PV_MAX_CPUS, ms->max_cpus);
        return false;
    }
    return true;
}

static char *s390_pv_guest_query_state(ConfidentialGuestSupport *cgs)
{
    CgObject *root = cg_object_get_root(CG_OBJECT(cgs));
    CgObject *obj = cg_object_get_child(root, "machine");
    S390CcwMachineState *m = obj ? s390_ccw_machine(CG_MACHINE(obj)) : NULL;

    if (m != NULL && m->pv) {
        return g_strdup("protected");
    }
    return g_strdup(cgs->ready ? "ready" : "not-ready");
}

static void s390_pv_guest_query_details(ConfidentialGuestSupport *cgs,
                                        JsonBuilder *b)
{
    CgObject *root = cg_object_get_root(CG_OBJECT(cgs));
    CgObject *obj = cg_object_get_child(root, "machine");
    S390CcwMachineState *m = obj ? s390_ccw_machine(CG_MACHINE(obj)) : NULL;

    json_builder_set_member_name(b, "protected");
    json_builder_add_boolean_value(b, m != NULL && m->pv);
    json_builder_set_member_name(b, "max-cpus");
    json_builder_add_int_value(b, PV_MAX_CPUS);
}

static void s390_pv_guest_class_init(S390PvGuestClass *klass)
{
    klass->technology = "IBM Z Protected Virtualization";
    klass->requirement = "an IBM Z host (z15 or newer) whose kernel runs "
                         "KVM with prot_virt=1";
    klass->kvm_init = s390_pv_guest_kvm_init;
    klass->query_state = s390_pv_guest_query_state;
    klass->query_details = s390_pv_guest_query_details;
}

static void s390_pv_guest_init(S390PvGuest *self)
{
}

/* --- the Ultravisor steps ------------------------------------------------- */

static const char *const cmd_names[] = {
    [KVM_PV_ENABLE] = "ENABLE",
    [KVM_PV_DISABLE] = "DISABLE",
    [KVM_PV_SET_SEC_PARMS] = "SET_SEC_PARMS",
    [KVM_PV_UNPACK] = "UNPACK",
    [KVM_PV_VERIFY] = "VERIFY",
    [KVM_PV_PREP_RESET] = "PREP_RESET",
    [KVM_PV_UNSHARE_ALL] = "UNSHARE_ALL",
};

/* Who asked: the switch, or the guest on its own. */
static char *who(S390Vm *vm)
{
    ConfidentialGuestSupport *cgs = CG_MACHINE(vm->m)->cgs;

    if (cgs != NULL) {
        return g_strdup_printf("%s '%s'", cg_object_type_name(CG_OBJECT(cgs)),
                               cgs_id(cgs));
    }
    return g_strdup("IBM Z Protected Virtualization (the guest asked for it "
                    "without s390-pv-guest)");
}

/* "Ultravisor rc 0x0102 rrc 0x0000" or what KVM said before calling it. */
static char *outcome(int r, uint16_t rc, uint16_t rrc)
{
    if (rc != 0) {
        return g_strdup_printf("Ultravisor rc 0x%04x rrc 0x%04x", rc, rrc);
    }
    return g_strdup_printf("KVM: %s", g_strerror(-r));
}

static int pv_cmd(S390Vm *vm, uint32_t cmd, void *data, uint16_t *rc,
                  uint16_t *rrc)
{
    return kvm_s390_pv_command(vm->s, cmd, data, rc, rrc);
}

/* After a failed step: DISABLE; the error says how that went. */
static void undo(S390Vm *vm, GError **err, const char *step, int r,
                 uint16_t rc, uint16_t rrc)
{
    g_autofree char *by = who(vm);
    g_autofree char *how = outcome(r, rc, rrc);
    g_autofree char *dis_how = NULL;
    uint16_t drc = 0, drrc = 0;
    int d = pv_cmd(vm, KVM_PV_DISABLE, NULL, &drc, &drrc);

    if (d == 0) {
        vm->m->pv = false;
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "%s: the protected IPL failed at %s: %s; protection "
                    "was turned off again (DISABLE) and the VM is stopped",
                    by, step, how);
        return;
    }
    dis_how = outcome(d, drc, drrc);
    g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                "%s: the protected IPL failed at %s: %s; turning "
                "protection off again failed too (DISABLE: %s), so the "
                "guest's memory stays with the Ultravisor; the VM is "
                "stopped", by, step, how, dis_how);
}

bool s390_pv_protect(S390Vm *vm, const S390PvIpl *ipl, GError **err)
{
    MachineState *ms = CG_MACHINE(vm->m);
    struct kvm_s390_pv_sec_parm parm;
    g_autofree uint8_t *hdr = NULL;
    uint16_t rc = 0, rrc = 0;
    int r;

    r = pv_cmd(vm, KVM_PV_ENABLE, NULL, &rc, &rrc);
    if (r < 0) {
        g_autofree char *by = who(vm);
        g_autofree char *how = outcome(r, rc, rrc);

        /* Nothing was enabled, so there is nothing to turn off. */
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "%s: the protected IPL failed at ENABLE: %s; the guest "
                    "never ran protected and the VM is stopped", by, how);
        return false;
    }
    vm->m->pv = true;

    /* The header is copied out of the guest: the Ultravisor reads it
     * from host memory, as QEMU passes it. */
    hdr = g_malloc0(ipl->header_len ? ipl->header_len : 1);
    if (!guest_ram_read(ms->mem, ipl->header_addr, hdr, ipl->header_len)) {
        undo(vm, err, "SET_SEC_PARMS (the SE header is not in RAM)",
             -EFAULT, 0, 0);
        return false;
    }
    parm.origin = (uintptr_t)hdr;
    parm.length = ipl->header_len;
    r = pv_cmd(vm, KVM_PV_SET_SEC_PARMS, &parm, &rc, &rrc);
    if (r < 0) {
        undo(vm, err, "SET_SEC_PARMS", r, rc, rrc);
        return false;
    }
    for (unsigned i = 0; i < ipl->n_components; i++) {
        const S390PvComponent *c = &ipl->components[i];
        /* The kernel unpacks page by page, giving the Ultravisor the
         * component's tweak prefix and each page's offset in it. */
        struct kvm_s390_pv_unp unp = {
            .addr = c->addr,
            .size = (c->size + PAGE_SIZE_4K - 1) & ~(PAGE_SIZE_4K - 1),
            .tweak = c->tweak,
        };

        r = pv_cmd(vm, KVM_PV_UNPACK, &unp, &rc, &rrc);
        if (r < 0) {
            g_autofree char *step = g_strdup_printf(
                "UNPACK of component %u of %u (0x%" G_GINT64_MODIFIER
                "x bytes at 0x%" G_GINT64_MODIFIER "x, tweak 0x%"
                G_GINT64_MODIFIER "x)", i + 1, ipl->n_components,
                (uint64_t)unp.size, c->addr, c->tweak);

            undo(vm, err, step, r, rc, rrc);
            return false;
        }
    }
    r = pv_cmd(vm, KVM_PV_PREP_RESET, NULL, &rc, &rrc);
    if (r < 0) {
        undo(vm, err, "PREP_RESET", r, rc, rrc);
        return false;
    }
    r = pv_cmd(vm, KVM_PV_VERIFY, NULL, &rc, &rrc);
    if (r < 0) {
        undo(vm, err, "VERIFY", r, rc, rrc);
        return false;
    }
    return true;
}

static bool simple_cmd(S390Vm *vm, uint32_t cmd, const char *doing,
                       GError **err)
{
    uint16_t rc = 0, rrc = 0;
    int r = pv_cmd(vm, cmd, NULL, &rc, &rrc);

    if (r < 0) {
        g_autofree char *by = who(vm);
        g_autofree char *how = outcome(r, rc, rrc);

        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "%s: %s failed at %s: %s; the VM is stopped", by, doing,
                    cmd_names[cmd], how);
        return false;
    }
    return true;
}

bool s390_pv_unprotect(S390Vm *vm, GError **err)
{
    if (!simple_cmd(vm, KVM_PV_DISABLE, "leaving protected mode", err)) {
        return false;
    }
    vm->m->pv = false;
    return true;
}

bool s390_pv_prepare_reset(S390Vm *vm, GError **err)
{
    return simple_cmd(vm, KVM_PV_UNSHARE_ALL, "the protected reset", err) &&
           simple_cmd(vm, KVM_PV_PREP_RESET, "the protected reset", err);
}
