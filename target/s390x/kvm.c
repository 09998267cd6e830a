/* s390x under KVM: the VM, the CPU model, vCPU resets, interceptions. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "kvm-s390-internal.h"

#include "system/confidential-guest-support.h"
#include "util/error.h"

#include <errno.h>
#include <string.h>
#include <sys/utsname.h>

/* 64-bit addressing: the PSW of an IPL into a Linux kernel. */
#define IPL_PSW_MASK (S390_PSW_MASK_EA | S390_PSW_MASK_BA)

S390Vm *s390_vm(KvmState *s)
{
    return kvm_arch_data(s);
}

const S390HostModel *kvm_s390_host_model(KvmState *s)
{
    S390Vm *vm = s ? kvm_arch_data(s) : NULL;

    return vm ? &vm->host : NULL;
}

const S390CpuModel *kvm_s390_cpu_model(KvmState *s)
{
    S390Vm *vm = s ? kvm_arch_data(s) : NULL;

    return vm ? vm->cpu : NULL;
}

bool kvm_s390_get_regs(KvmVcpu *cpu, S390KvmRegs *regs, GError **err)
{
    int r = kvm_vcpu_ioctl(cpu, S390_KVM_GET_REGS, regs);

    if (r < 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "KVM: vCPU %u: cannot read the registers: %s",
                    kvm_vcpu_index(cpu), g_strerror(-r));
        return false;
    }
    return true;
}

bool kvm_s390_set_regs(KvmVcpu *cpu, const S390KvmRegs *regs, GError **err)
{
    int r = kvm_vcpu_ioctl(cpu, S390_KVM_SET_REGS, (void *)regs);

    if (r < 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "KVM: vCPU %u: cannot write the registers: %s",
                    kvm_vcpu_index(cpu), g_strerror(-r));
        return false;
    }
    return true;
}

bool kvm_s390_program_interrupt(KvmVcpu *cpu, uint16_t code, GError **err)
{
    struct kvm_s390_irq irq = { .type = KVM_S390_PROGRAM_INT };
    int r;

    irq.u.pgm.code = code;
    r = kvm_vcpu_ioctl(cpu, KVM_S390_IRQ, &irq);
    if (r < 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "KVM: vCPU %u: cannot deliver program interruption "
                    "0x%04x: %s", kvm_vcpu_index(cpu), code, g_strerror(-r));
        return false;
    }
    return true;
}

int kvm_s390_pv_command(KvmState *s, uint32_t cmd, void *data, uint16_t *rc,
                        uint16_t *rrc)
{
    struct kvm_pv_cmd pv = {
        .cmd = cmd,
        .data = (uintptr_t)data,
    };
    int r = kvm_vm_ioctl(s, KVM_S390_PV_COMMAND, &pv);

    *rc = pv.rc;
    *rrc = pv.rrc;
    return r;
}

uint64_t kvm_s390_operand_addr(const S390KvmRun *run,
                               const S390KvmRegs *regs, uint32_t ipb)
{
    unsigned b = (ipb >> 28) & 0xf;
    uint64_t addr = ((b != 0) ? regs->gprs[b] : 0) + ((ipb >> 16) & 0xfff);

    if (!(run->psw_mask & S390_PSW_MASK_EA)) {
        addr &= (run->psw_mask & S390_PSW_MASK_BA) ? 0x7fffffffull
                                                    : 0xffffffull;
    }
    return addr;
}

/* --- the VM ------------------------------------------------------------- */

unsigned long kvm_arch_vm_type(MachineState *ms)
{
    return 0;
}

static void s390_vm_free(gpointer p)
{
    S390Vm *vm = p;

    if (vm->m != NULL && vm->m->css != NULL) {
        s390_css_set_irq(vm->m->css, NULL, NULL);
    }
    if (vm->own_cpu) {
        s390_cpu_model_free(vm->cpu);
    }
    g_free(vm);
}

/* A KVM that does not know the s390 PSW runs another architecture. */
static bool check_s390_kvm(KvmState *s, GError **err)
{
    struct utsname u;

    if (kvm_check_extension(s, KVM_CAP_S390_PSW) > 0) {
        return true;
    }
    if (uname(&u) != 0) {
        g_strlcpy(u.machine, "another architecture", sizeof(u.machine));
    }
    g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                "KVM: this host's KVM runs %s guests, not s390x: "
                "cgemu-system-s390x -accel kvm needs an IBM Z host (use "
                "-accel qtest to build the machine without running it)",
                u.machine);
    return false;
}

bool kvm_arch_init_vm(KvmState *s, MachineState *ms, GError **err)
{
    S390Vm *vm;
    struct kvm_enable_cap cap = { .cap = KVM_CAP_S390_VECTOR_REGISTERS };

    if (!check_s390_kvm(s, err)) {
        return false;
    }
    vm = g_new0(S390Vm, 1);
    vm->s = s;
    vm->m = s390_ccw_machine(ms);
    kvm_set_arch_data(s, vm, s390_vm_free);
    if (!kvm_s390_read_host_model(s, &vm->host, &vm->host_ibc, err)) {
        return false;
    }
    vm->cpu = s390_cpu_model_parse(ms->cpu_model, &vm->host, err);
    if (vm->cpu == NULL) {
        return false;
    }
    if (vm->m != NULL && vm->m->cpu == NULL) {
        vm->m->cpu = vm->cpu;
    } else {
        vm->own_cpu = true;
    }
    if (!kvm_s390_apply_cpu_model(s, vm->cpu, vm->host_ibc, err)) {
        return false;
    }
    /* Vector registers are part of the state only when asked for. */
    if (s390_cpu_model_has(vm->cpu, S390_FEAT_VX) &&
        kvm_vm_ioctl(s, KVM_ENABLE_CAP, &cap) < 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_KVM_MISSING_CAP,
                    "KVM: -cpu %s has the vector facility, but this host's "
                    "KVM cannot give it (KVM_CAP_S390_VECTOR_REGISTERS); "
                    "add vx=off", vm->cpu->name);
        return false;
    }
    vm->vcpu_resets = kvm_check_extension(s, KVM_CAP_S390_VCPU_RESETS) > 0;
    return true;
}

bool kvm_arch_init_vcpu(KvmVcpu *cpu, GError **err)
{
    S390Vm *vm = s390_vm(kvm_vcpu_state(cpu));
    struct kvm_enable_cap cap = { .cap = KVM_CAP_S390_CSS_SUPPORT };
    int r;

    /* The channel subsystem is ours: I/O instructions come to us. */
    r = kvm_vcpu_ioctl(cpu, KVM_ENABLE_CAP, &cap);
    if (r < 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_KVM_MISSING_CAP,
                    "KVM: vCPU %u: cannot take over channel I/O "
                    "(KVM_CAP_S390_CSS_SUPPORT): %s", kvm_vcpu_index(cpu),
                    g_strerror(-r));
        return false;
    }
    if (vm->m != NULL && vm->m->css != NULL) {
        s390_css_set_irq(vm->m->css, kvm_s390_io_irq, vm);
    }
    return true;
}

/* --- resets --------------------------------------------------------------- */

static bool vcpu_ioctl_ok(KvmVcpu *cpu, unsigned long req, void *arg,
                          const char *what, GError **err)
{
    int r = kvm_vcpu_ioctl(cpu, req, arg);

    if (r < 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "KVM: vCPU %u: %s failed: %s", kvm_vcpu_index(cpu),
                    what, g_strerror(-r));
        return false;
    }
    return true;
}

/* A clear reset (everything) or a normal one (keeps registers). */
static bool reset_one(S390Vm *vm, KvmVcpu *cpu, bool clear, GError **err)
{
    if (vm->vcpu_resets) {
        return clear ? vcpu_ioctl_ok(cpu, KVM_S390_CLEAR_RESET, NULL,
                                     "KVM_S390_CLEAR_RESET", err)
                     : vcpu_ioctl_ok(cpu, KVM_S390_NORMAL_RESET, NULL,
                                     "KVM_S390_NORMAL_RESET", err);
    }
    return vcpu_ioctl_ok(cpu, KVM_S390_INITIAL_RESET, NULL,
                         "KVM_S390_INITIAL_RESET", err);
}

static bool set_state(KvmVcpu *cpu, bool operating, GError **err)
{
    struct kvm_mp_state mp = {
        .mp_state = operating ? KVM_MP_STATE_OPERATING
                              : KVM_MP_STATE_STOPPED,
    };

    return vcpu_ioctl_ok(cpu, KVM_SET_MP_STATE, &mp, "KVM_SET_MP_STATE",
                         err);
}

/*
 * Every vCPU reset, then the IPL CPU started: at @psw_addr unless the
 * guest is protected (the Ultravisor took the PSW from the SE header).
 */
static bool reset_vcpus(S390Vm *vm, unsigned ipl_cpu, bool clear,
                        GError **err)
{
    KvmState *s = vm->s;

    for (unsigned i = 0; i < kvm_vcpu_count(s); i++) {
        KvmVcpu *cpu = kvm_vcpu_get(s, i);

        if (!reset_one(vm, cpu, clear || i != ipl_cpu, err) ||
            !set_state(cpu, false, err)) {
            return false;
        }
    }
    vm->stopped = 0;
    return true;
}

static bool start_ipl_cpu(S390Vm *vm, unsigned ipl_cpu, GError **err)
{
    KvmVcpu *cpu = kvm_vcpu_get(vm->s, ipl_cpu);
    struct kvm_s390_psw psw = {
        .mask = IPL_PSW_MASK,
        .addr = vm->m ? vm->m->ipl_psw_addr : 0,
    };

    if (cpu == NULL) {
        return true;
    }
    if (!(vm->m && vm->m->pv) &&
        !vcpu_ioctl_ok(cpu, KVM_S390_SET_INITIAL_PSW, &psw,
                       "KVM_S390_SET_INITIAL_PSW", err)) {
        return false;
    }
    return set_state(cpu, true, err);
}

static bool protected_ipl(S390Vm *vm, unsigned ipl_cpu, GError **err)
{
    S390CcwMachineState *m = vm->m;
    g_autofree S390PvIpl *ipl = g_new0(S390PvIpl, 1);

    /* diag308.c checked the block when it was stored and at subcode 10. */
    if (!s390_iplb_parse_pv(m->iplb_pv, CG_MACHINE(m)->mem, ipl, err)) {
        return false;
    }
    if (!reset_vcpus(vm, ipl_cpu, false, err)) {
        return false;
    }
    if (!s390_pv_protect(vm, ipl, err)) {
        return false;
    }
    return start_ipl_cpu(vm, ipl_cpu, err);
}

/* The s390x reset sequence for the whole machine (see the header). */
static bool reset_machine(S390Vm *vm, GError **err)
{
    S390CcwMachineState *m = vm->m;
    unsigned cpu = 0;
    S390ResetType type;

    if (m == NULL) {
        return reset_vcpus(vm, 0, true, err) && start_ipl_cpu(vm, 0, err);
    }
    type = s390_ccw_machine_take_reset(m, &cpu);
    switch (type) {
    case S390_RESET_PV:
        return protected_ipl(vm, cpu, err);
    case S390_RESET_MODIFIED_CLEAR:
    case S390_RESET_LOAD_NORMAL:
        /* A protected guest restarts protected: the Ultravisor is told,
         * and the memory it shared is taken back first. */
        if (m->pv) {
            if (!s390_pv_prepare_reset(vm, err)) {
                return false;
            }
        } else {
            s390_ccw_machine_restore_images(m);
        }
        return reset_vcpus(vm, cpu, type == S390_RESET_MODIFIED_CLEAR,
                           err) &&
               start_ipl_cpu(vm, cpu, err);
    case S390_RESET_EXTERNAL:
    case S390_RESET_REIPL:
        /* Leaving protected mode comes first: only then is the memory
         * the host's again, to put the images back in. */
        if (m->pv && !s390_pv_unprotect(vm, err)) {
            return false;
        }
        s390_ccw_machine_restore_images(m);
        return reset_vcpus(vm, 0, true, err) && start_ipl_cpu(vm, 0, err);
    }
    return true;
}

bool kvm_arch_reset_vcpu(KvmVcpu *cpu, GError **err)
{
    /* The first vCPU's reset resets them all, in the order s390 needs. */
    if (kvm_vcpu_index(cpu) != 0) {
        return true;
    }
    return reset_machine(s390_vm(kvm_vcpu_state(cpu)), err);
}

/* --- interceptions -------------------------------------------------------- */

static KvmExitAction inject(KvmVcpu *cpu, uint16_t code)
{
    g_autoptr(GError) err = NULL;

    if (!kvm_s390_program_interrupt(cpu, code, &err)) {
        machine_request_fail(kvm_machine(kvm_vcpu_state(cpu)), "%s",
                             err->message);
        return KVM_EXIT_ACTION_STOP;
    }
    return KVM_EXIT_ACTION_CONTINUE;
}

static KvmExitAction handle_diag(KvmVcpu *cpu, S390KvmRun *run)
{
    g_autoptr(GError) err = NULL;
    S390KvmRegs regs;
    uint64_t code;

    if (!kvm_s390_get_regs(cpu, &regs, &err)) {
        machine_request_fail(kvm_machine(kvm_vcpu_state(cpu)), "%s",
                             err->message);
        return KVM_EXIT_ACTION_STOP;
    }
    /* The function is the low 16 bits of the second operand address. */
    code = kvm_s390_operand_addr(run, &regs, run->u.s390_sieic.ipb) &
           0xffff;
    switch (code) {
    case 0x308:
        return kvm_s390_handle_diag308(cpu, run);
    case 0x500:
        return kvm_s390_handle_diag500(cpu, run);
    case 0x44:
    case 0x9c:
        /* Time-slice end and directed yield: nothing to do. */
        return KVM_EXIT_ACTION_CONTINUE;
    default:
        return inject(cpu, S390_PGM_SPECIFICATION);
    }
}

/* A wait PSW with I/O and external interruptions off: the CPU is done. */
static KvmExitAction handle_wait(KvmVcpu *cpu, S390KvmRun *run)
{
    MachineState *ms = kvm_machine(kvm_vcpu_state(cpu));

    if (run->psw_mask & (S390_PSW_MASK_IO | S390_PSW_MASK_EXT)) {
        return KVM_EXIT_ACTION_CONTINUE;
    }
    /* Address 0xfff is how Linux says it halted on purpose. */
    if ((run->psw_addr & 0xfff) == 0xfff) {
        machine_request_shutdown(ms, SHUTDOWN_CAUSE_GUEST_SHUTDOWN);
    } else {
        cg_warn_report("s390x: vCPU %u stopped in a disabled wait at "
                       "0x%" G_GINT64_MODIFIER "x: the guest crashed",
                       kvm_vcpu_index(cpu), run->psw_addr);
        machine_request_shutdown(ms, SHUTDOWN_CAUSE_GUEST_PANIC);
    }
    return KVM_EXIT_ACTION_STOP;
}

KvmExitAction kvm_arch_handle_exit(KvmVcpu *cpu, struct kvm_run *kr)
{
    S390KvmRun *run = (S390KvmRun *)kr;
    S390Vm *vm = s390_vm(kvm_vcpu_state(cpu));
    MachineState *ms = kvm_machine(kvm_vcpu_state(cpu));
    uint8_t opcode = (uint8_t)(run->u.s390_sieic.ipa >> 8);

    switch (run->exit_reason) {
    case KVM_EXIT_S390_SIEIC:
        break;
    case KVM_EXIT_S390_RESET:
        machine_request_reset(ms, SHUTDOWN_CAUSE_GUEST_RESET);
        return KVM_EXIT_ACTION_STOP;
    default:
        return KVM_EXIT_ACTION_UNHANDLED;
    }
    switch (run->u.s390_sieic.icptcode) {
    case S390_ICPT_INSTRUCTION:
    case S390_ICPT_PV_INSTR:
        if (opcode == 0x83) {
            return handle_diag(cpu, run);
        }
        if (opcode == 0xb2) {
            return kvm_s390_handle_io_instruction(cpu, run);
        }
        return inject(cpu, S390_PGM_OPERATION);
    case S390_ICPT_OPEREXC:
        return inject(cpu, S390_PGM_OPERATION);
    case S390_ICPT_WAITPSW:
        return handle_wait(cpu, run);
    case S390_ICPT_CPU_STOP:
        /* When the last vCPU stops, the guest is done. */
        machine_lock(ms);
        if (++vm->stopped >= kvm_vcpu_count(kvm_vcpu_state(cpu))) {
            machine_request_shutdown(ms, SHUTDOWN_CAUSE_GUEST_SHUTDOWN);
        }
        machine_unlock(ms);
        return KVM_EXIT_ACTION_STOP;
    default:
        machine_request_fail(ms, "KVM: vCPU %u: interception code 0x%02x "
                             "(instruction 0x%04x) cannot be handled",
                             kvm_vcpu_index(cpu),
                             run->u.s390_sieic.icptcode,
                             run->u.s390_sieic.ipa);
        return KVM_EXIT_ACTION_STOP;
    }
}
