/* ppc64 under KVM: host identity, vCPU set-up, boot state, hypercalls. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "accel/kvm-arch.h"
#include "hw/ppc/spapr.h"
#include "kvm-ppc-abi.h"
#include "util/error.h"

#include <string.h>
#include <sys/utsname.h>

/*
 * What a POWER KVM (HV or PR) reports and no other architecture's does:
 * the per-hypercall enable switch of the sPAPR interface.  An x86 kernel
 * answers 0 for any capability it does not know.
 */
#define PPC_IDENTITY_CAP KVM_CAP_PPC_ENABLE_HCALL

typedef struct {
    SpaprMachineState *spapr;   /* NULL on the "none" machine */
} PpcVm;

static void set_vcpu_ioctl_error(GError **err, KvmVcpu *cpu,
                                 const char *what, int r)
{
    g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                "KVM: vCPU %u: ioctl (%s) failed: %s", kvm_vcpu_index(cpu),
                what, g_strerror(-r));
}

/* The kernel chooses: HV where the host can, which PEF requires. */
unsigned long kvm_arch_vm_type(MachineState *ms)
{
    return 0;
}

bool kvm_arch_init_vm(KvmState *s, MachineState *ms, GError **err)
{
    PpcVm *vm;
    struct utsname u;

    if (kvm_vm_check_extension(s, PPC_IDENTITY_CAP) <= 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "KVM: this host's KVM runs %s guests, not POWER ones "
                    "(it lacks KVM_CAP_PPC_ENABLE_HCALL); "
                    "cgemu-system-ppc64 needs KVM on a POWER host, or "
                    "-accel qtest to build the machine without running it",
                    uname(&u) == 0 ? u.machine : "other");
        return false;
    }
    vm = g_new0(PpcVm, 1);
    vm->spapr = spapr_machine(ms);
    kvm_set_arch_data(s, vm, g_free);
    return true;
}

/* The host's processor, from the first vCPU (KVM gives it the host PVR). */
static bool fit_host_cpu(KvmVcpu *cpu, SpaprMachineState *spapr,
                         GError **err)
{
    PpcKvmSregs sregs;
    int r;

    memset(&sregs, 0, sizeof(sregs));
    r = kvm_vcpu_ioctl(cpu, PPC_KVM_GET_SREGS, &sregs);
    if (r < 0) {
        set_vcpu_ioctl_error(err, cpu, "KVM_GET_SREGS", r);
        return false;
    }
    return ppc_cpu_config_fit_host(&spapr->cpu, sregs.pvr, err);
}

bool kvm_arch_init_vcpu(KvmVcpu *cpu, GError **err)
{
    PpcVm *vm = kvm_arch_data(kvm_vcpu_state(cpu));
    struct kvm_enable_cap papr = { .cap = KVM_CAP_PPC_PAPR };
    int r;

    if (vm->spapr == NULL) {
        return true;
    }
    /*
     * Until vCPUs can be held stopped, a secondary vCPU would run before
     * RTAS start-cpu; refuse rather than run it from garbage.
     */
    if (kvm_vcpu_index(cpu) > 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "-smp: machine pseries runs one vCPU under KVM for now "
                    "(its secondary vCPUs cannot yet wait for RTAS "
                    "start-cpu); use -smp 1, or -accel qtest");
        return false;
    }
    r = kvm_vcpu_ioctl(cpu, KVM_ENABLE_CAP, &papr);
    if (r < 0) {
        set_vcpu_ioctl_error(err, cpu, "KVM_ENABLE_CAP KVM_CAP_PPC_PAPR", r);
        return false;
    }
    if (!fit_host_cpu(cpu, vm->spapr, err)) {
        return false;
    }
    if (vm->spapr->cpu.compat_pvr != 0) {
        uint32_t compat = vm->spapr->cpu.compat_pvr;
        struct kvm_one_reg one = {
            .id = PPC_KVM_REG_ARCH_COMPAT,
            .addr = (uintptr_t)&compat,
        };

        r = kvm_vcpu_ioctl(cpu, KVM_SET_ONE_REG, &one);
        if (r < 0) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "KVM: vCPU %u: this host cannot run -cpu %s in its "
                        "compatibility mode (KVM_SET_ONE_REG ARCH_COMPAT "
                        "0x%08x: %s); use -cpu host",
                        kvm_vcpu_index(cpu), vm->spapr->cpu.model->name,
                        compat, g_strerror(-r));
            return false;
        }
    }
    return true;
}

bool kvm_arch_reset_vcpu(KvmVcpu *cpu, GError **err)
{
    PpcVm *vm = kvm_arch_data(kvm_vcpu_state(cpu));
    MachineState *ms;
    const SpaprBootState *boot;
    PpcKvmRegs regs;
    int r;

    if (vm->spapr == NULL) {
        return true;
    }
    ms = CG_MACHINE(vm->spapr);
    boot = &vm->spapr->boot;
    if (!boot->have_kernel) {
        if (ms->dumpdtb != NULL) {
            return true;    /* it exits once the tree is written */
        }
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "machine pseries has nothing to run: give -kernel FILE "
                    "(a ppc64 ELF kernel); cgemu has no pseries firmware");
        return false;
    }
    /* KVM_PPC_SVM_OFF is done (cgs kvm_reset comes first): see spapr.c. */
    if (kvm_vcpu_index(cpu) == 0 && ms->cgs != NULL &&
        vm->spapr->resets > 1) {
        spapr_machine_restore_images(vm->spapr);
    }
    memset(&regs, 0, sizeof(regs));
    regs.pc = boot->entry;
    regs.msr = PPC_MSR_SF | PPC_MSR_ME;
    regs.gpr[3] = boot->fdt_addr;
    regs.gpr[4] = boot->kernel_base;
    regs.gpr[5] = 0;
    r = kvm_vcpu_ioctl(cpu, PPC_KVM_SET_REGS, &regs);
    if (r < 0) {
        set_vcpu_ioctl_error(err, cpu, "KVM_SET_REGS", r);
        return false;
    }
    return true;
}

static KvmExitAction handle_hcall(KvmVcpu *cpu, PpcVm *vm,
                                  struct kvm_run *run)
{
    uint64_t args[9];

    memcpy(args, run->papr_hcall.args, sizeof(args));
    run->papr_hcall.ret = (uint64_t)spapr_hypercall(
        vm->spapr, kvm_vcpu_index(cpu), run->papr_hcall.nr, args);
    memcpy(run->papr_hcall.args, args, sizeof(args));
    return KVM_EXIT_ACTION_CONTINUE;
}

KvmExitAction kvm_arch_handle_exit(KvmVcpu *cpu, struct kvm_run *run)
{
    PpcVm *vm = kvm_arch_data(kvm_vcpu_state(cpu));

    if (run->exit_reason == KVM_EXIT_PAPR_HCALL && vm->spapr != NULL) {
        return handle_hcall(cpu, vm, run);
    }
    return KVM_EXIT_ACTION_UNHANDLED;
}
