/* x86 under KVM: irqchip, PIT, CPUID, vCPU reset and boot state. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "accel/kvm-arch.h"
#include "hw/i386/x86-machine.h"
#include "target/i386/cpu-models.h"
#include "target/i386/kvm-x86.h"
#include "util/error.h"

#include <string.h>

/*
 * Three pages KVM needs on Intel hosts for real-mode emulation: the
 * identity-map page table and the TSS.  Reserved in the board's e820 map
 * (hw/i386/pc-layout.h keeps the same addresses).
 */
#define KVM_X86_IDENTITY_MAP_ADDR 0xfeffc000ull
#define KVM_X86_TSS_ADDR 0xfeffd000ul

#define CR0_PE (1ull << 0)
#define CR0_ET (1ull << 4)
#define CR0_PG (1ull << 31)
#define CR4_PAE (1ull << 5)
#define EFER_LME (1ull << 8)
#define EFER_LMA (1ull << 10)

#define SEG_TYPE_CODE_XR 0xb    /* execute/read, accessed */
#define SEG_TYPE_DATA_RW 0x3    /* read/write, accessed */
#define SEG_TYPE_TSS_BUSY 0xb

typedef struct {
    KvmState *s;
    X86MachineState *x86ms;     /* NULL when the board is not x86 */
    struct kvm_cpuid2 *supported;
    GArray *required;           /* uint32_t leaves */
    GArray *overrides;          /* struct kvm_cpuid_entry2 */
    struct kvm_irqchip chips[3];    /* power-on PIC master, slave, IOAPIC */
    bool has_pit;               /* -machine pit=off: none */
    struct kvm_pit_state2 pit;
} X86Vm;

typedef struct {
    struct kvm_regs regs;
    struct kvm_sregs sregs;
    struct kvm_fpu fpu;
    struct kvm_lapic_state lapic;
    struct kvm_mp_state mp;
    struct kvm_vcpu_events events;
    struct kvm_xcrs xcrs;
    bool has_xcrs;
} X86Vcpu;

/* MSRs a reset puts back to their power-on value (all 0 but PAT). */
static const struct {
    uint32_t index;
    uint64_t value;
} reset_msrs[] = {
    { 0x174, 0 },                       /* SYSENTER_CS */
    { 0x175, 0 },                       /* SYSENTER_ESP */
    { 0x176, 0 },                       /* SYSENTER_EIP */
    { 0x277, 0x0007040600070406ull },   /* PAT */
    { 0xc0000081, 0 },                  /* STAR */
    { 0xc0000082, 0 },                  /* LSTAR */
    { 0xc0000083, 0 },                  /* CSTAR */
    { 0xc0000084, 0 },                  /* SFMASK */
    { 0xc0000102, 0 },                  /* KERNEL_GS_BASE */
};

static void set_ioctl_error(GError **err, const char *what, int r)
{
    g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                "KVM: ioctl (%s) failed: %s", what, g_strerror(-r));
}

static void set_vcpu_ioctl_error(GError **err, KvmVcpu *cpu,
                                 const char *what, int r)
{
    g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                "KVM: vCPU %u: ioctl (%s) failed: %s", kvm_vcpu_index(cpu),
                what, g_strerror(-r));
}

static void x86_vm_free(gpointer p)
{
    X86Vm *vm = p;

    /* Devices must not reach a VM that is gone. */
    if (vm->x86ms != NULL && vm->x86ms->gsi_opaque == vm) {
        vm->x86ms->set_gsi = NULL;
        vm->x86ms->gsi_opaque = NULL;
    }
    g_free(vm->supported);
    g_array_unref(vm->required);
    g_array_unref(vm->overrides);
    g_free(vm);
}

static void x86_set_gsi(void *opaque, int gsi, int level)
{
    X86Vm *vm = opaque;
    struct kvm_irq_level irq = { .irq = (uint32_t)gsi, .level = level };

    /* Fails only for a GSI the irqchip lacks: a board bug, not fatal. */
    kvm_vm_ioctl(vm->s, KVM_IRQ_LINE, &irq);
}

const struct kvm_cpuid2 *kvm_x86_supported_cpuid(KvmState *s)
{
    X86Vm *vm = kvm_arch_data(s);

    return vm ? vm->supported : NULL;
}

bool kvm_x86_require_cpuid_leaf(KvmState *s, uint32_t leaf, GError **err)
{
    X86Vm *vm = kvm_arch_data(s);
    bool found = false;

    if (vm == NULL || kvm_vcpu_count(s) > 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "KVM: CPUID leaf 0x%x can only be required before the "
                    "vCPUs are created", leaf);
        return false;
    }
    for (uint32_t i = 0; i < vm->supported->nent; i++) {
        found |= vm->supported->entries[i].function == leaf;
    }
    if (!found) {
        g_set_error(err, CG_ERROR, CG_ERROR_KVM_MISSING_CAP,
                    "KVM: this host does not support CPUID leaf 0x%x", leaf);
        return false;
    }
    g_array_append_val(vm->required, leaf);
    return true;
}

bool kvm_x86_set_cpuid_leaf(KvmState *s,
                            const struct kvm_cpuid_entry2 *entry,
                            GError **err)
{
    X86Vm *vm = kvm_arch_data(s);

    if (!kvm_x86_require_cpuid_leaf(s, entry->function, err)) {
        return false;
    }
    g_array_append_val(vm->overrides, *entry);
    return true;
}

unsigned long kvm_arch_vm_type(MachineState *ms)
{
    return 0;
}

static bool get_supported_cpuid(X86Vm *vm, GError **err)
{
    for (uint32_t n = 128; n <= 4096; n *= 2) {
        struct kvm_cpuid2 *c =
            g_malloc0(sizeof(*c) + n * sizeof(struct kvm_cpuid_entry2));
        int r;

        c->nent = n;
        r = kvm_dev_ioctl(vm->s, KVM_GET_SUPPORTED_CPUID, c);
        if (r >= 0) {
            vm->supported = c;
            return true;
        }
        g_free(c);
        if (r != -E2BIG) {
            set_ioctl_error(err, "KVM_GET_SUPPORTED_CPUID", r);
            return false;
        }
    }
    g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                "KVM: KVM_GET_SUPPORTED_CPUID returns too many entries");
    return false;
}

/*
 * The in-kernel PICs, IOAPIC and PIT (unless pit=off), and their
 * power-on state for resets.  Just before the vCPUs (KVM needs it before them), after the
 * RAM slots: the first slot after an irqchip waits for a grace period
 * that here delays the guest's start by milliseconds.
 */
static bool create_irqchip(KvmState *s, GError **err)
{
    X86Vm *vm = kvm_arch_data(s);
    struct kvm_pit_config pit = { .flags = KVM_PIT_SPEAKER_DUMMY };
    int r;

    r = kvm_vm_ioctl(s, KVM_CREATE_IRQCHIP, NULL);
    if (r < 0) {
        set_ioctl_error(err, "KVM_CREATE_IRQCHIP", r);
        return false;
    }
    vm->has_pit = vm->x86ms == NULL || x86_machine_has_pit(vm->x86ms);
    if (vm->has_pit) {
        r = kvm_vm_ioctl(s, KVM_CREATE_PIT2, &pit);
        if (r < 0) {
            set_ioctl_error(err, "KVM_CREATE_PIT2", r);
            return false;
        }
    }
    for (uint32_t i = 0; i < G_N_ELEMENTS(vm->chips); i++) {
        vm->chips[i].chip_id = i;
        r = kvm_vm_ioctl(s, KVM_GET_IRQCHIP, &vm->chips[i]);
        if (r < 0) {
            set_ioctl_error(err, "KVM_GET_IRQCHIP", r);
            return false;
        }
    }
    if (vm->has_pit) {
        r = kvm_vm_ioctl(s, KVM_GET_PIT2, &vm->pit);
        if (r < 0) {
            set_ioctl_error(err, "KVM_GET_PIT2", r);
            return false;
        }
    }
    return true;
}

bool kvm_arch_init_vm(KvmState *s, MachineState *ms, GError **err)
{
    static const struct {
        unsigned int cap;
        const char *name;
    } needed[] = {
        { KVM_CAP_IRQCHIP, "KVM_CAP_IRQCHIP" },
        { KVM_CAP_PIT2, "KVM_CAP_PIT2" },
        { KVM_CAP_EXT_CPUID, "KVM_CAP_EXT_CPUID" },
        { KVM_CAP_MP_STATE, "KVM_CAP_MP_STATE" },
        { KVM_CAP_SET_TSS_ADDR, "KVM_CAP_SET_TSS_ADDR" },
        { KVM_CAP_SET_IDENTITY_MAP_ADDR, "KVM_CAP_SET_IDENTITY_MAP_ADDR" },
    };
    uint64_t ident = KVM_X86_IDENTITY_MAP_ADDR;
    X86Vm *vm = g_new0(X86Vm, 1);
    int r;

    vm->s = s;
    vm->required = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    vm->overrides = g_array_new(FALSE, FALSE,
                                sizeof(struct kvm_cpuid_entry2));
    kvm_set_arch_data(s, vm, x86_vm_free);
    for (size_t i = 0; i < G_N_ELEMENTS(needed); i++) {
        if (kvm_check_extension(s, needed[i].cap) <= 0) {
            g_set_error(err, CG_ERROR, CG_ERROR_KVM_MISSING_CAP,
                        "KVM: this host's KVM lacks %s", needed[i].name);
            return false;
        }
    }
    r = kvm_vm_ioctl(s, KVM_SET_IDENTITY_MAP_ADDR, &ident);
    if (r < 0) {
        set_ioctl_error(err, "KVM_SET_IDENTITY_MAP_ADDR", r);
        return false;
    }
    r = kvm_vm_ioctl(s, KVM_SET_TSS_ADDR, (void *)KVM_X86_TSS_ADDR);
    if (r < 0) {
        set_ioctl_error(err, "KVM_SET_TSS_ADDR", r);
        return false;
    }
    if (!get_supported_cpuid(vm, err)) {
        return false;
    }
    kvm_set_pre_vcpus_hook(s, create_irqchip);
    if (CG_IS_X86_MACHINE(ms)) {
        vm->x86ms = CG_X86_MACHINE(ms);
        vm->x86ms->set_gsi = x86_set_gsi;
        vm->x86ms->gsi_opaque = vm;
    }
    return true;
}

/* A warning for each feature the user asked for that KVM cannot give. */
static void warn_unsupported(const X86CpuConfig *cfg, const GArray *table)
{
    static const struct {
        uint32_t fn;
        int reg;    /* 1 ebx, 2 ecx, 3 edx */
    } where[X86_W_COUNT] = {
        [X86_W_1_EDX] = { 1, 3 },           [X86_W_1_ECX] = { 1, 2 },
        [X86_W_7_EBX] = { 7, 1 },           [X86_W_7_ECX] = { 7, 2 },
        [X86_W_7_EDX] = { 7, 3 },           [X86_W_81_EDX] = { 0x80000001, 3 },
        [X86_W_81_ECX] = { 0x80000001, 2 },
    };

    for (int w = 0; w < X86_W_COUNT; w++) {
        const struct kvm_cpuid_entry2 *e =
            x86_cpuid_find(table, where[w].fn, 0);
        uint32_t have = e == NULL           ? 0
                        : where[w].reg == 1 ? e->ebx
                        : where[w].reg == 2 ? e->ecx
                                            : e->edx;
        uint32_t missing = cfg->add[w] & ~have;

        for (unsigned bit = 0; bit < 32; bit++) {
            if (missing & (1u << bit)) {
                cg_warn_report("-cpu: this host's KVM does not support CPU "
                               "feature '%s'; the guest runs without it",
                               x86_feature_name(w, bit));
            }
        }
    }
}

static bool set_cpuid(KvmVcpu *cpu, X86Vm *vm, GError **err)
{
    MachineState *ms = kvm_machine(vm->s);
    g_autoptr(X86CpuConfig) dflt = NULL;
    const X86CpuConfig *cfg = vm->x86ms ? vm->x86ms->cpu : NULL;
    g_autoptr(GArray) table = NULL;
    g_autofree struct kvm_cpuid2 *c = NULL;
    int r;

    if (cfg == NULL) {
        dflt = x86_cpu_config_parse(NULL, NULL);
        cfg = dflt;
    }
    table = x86_cpuid_build(cfg, vm->supported->entries, vm->supported->nent,
                            (const uint32_t *)(const void *)vm->required->data,
                            vm->required->len, kvm_vcpu_index(cpu),
                            ms->smp_cpus);
    if (kvm_vcpu_index(cpu) == 0) {
        warn_unsupported(cfg, table);
    }
    for (guint i = 0; i < vm->overrides->len; i++) {
        const struct kvm_cpuid_entry2 *o =
            &g_array_index(vm->overrides, struct kvm_cpuid_entry2, i);
        for (guint j = 0; j < table->len; j++) {
            struct kvm_cpuid_entry2 *e =
                &g_array_index(table, struct kvm_cpuid_entry2, j);
            if (e->function == o->function && e->index == o->index) {
                e->eax = o->eax;
                e->ebx = o->ebx;
                e->ecx = o->ecx;
                e->edx = o->edx;
            }
        }
    }
    c = g_malloc0(sizeof(*c) + table->len * sizeof(struct kvm_cpuid_entry2));
    c->nent = table->len;
    memcpy(c->entries, table->data,
           table->len * sizeof(struct kvm_cpuid_entry2));
    r = kvm_vcpu_ioctl(cpu, KVM_SET_CPUID2, c);
    if (r < 0) {
        set_vcpu_ioctl_error(err, cpu, "KVM_SET_CPUID2", r);
        return false;
    }
    return true;
}

bool kvm_arch_init_vcpu(KvmVcpu *cpu, GError **err)
{
    X86Vm *vm = kvm_arch_data(kvm_vcpu_state(cpu));
    X86Vcpu *x = g_new0(X86Vcpu, 1);
    int r;

    kvm_vcpu_set_arch_data(cpu, x, g_free);
    if (!set_cpuid(cpu, vm, err)) {
        return false;
    }
    /*
     * What KVM gives a new vCPU is the architectural power-on state
     * (and the APIC with its ID and BSP flag): keep it to return to at
     * every reset.
     */
    if ((r = kvm_vcpu_ioctl(cpu, KVM_GET_REGS, &x->regs)) < 0 ||
        (r = kvm_vcpu_ioctl(cpu, KVM_GET_SREGS, &x->sregs)) < 0 ||
        (r = kvm_vcpu_ioctl(cpu, KVM_GET_FPU, &x->fpu)) < 0 ||
        (r = kvm_vcpu_ioctl(cpu, KVM_GET_LAPIC, &x->lapic)) < 0 ||
        (r = kvm_vcpu_ioctl(cpu, KVM_GET_MP_STATE, &x->mp)) < 0 ||
        (r = kvm_vcpu_ioctl(cpu, KVM_GET_VCPU_EVENTS, &x->events)) < 0) {
        set_vcpu_ioctl_error(err, cpu, "reading the power-on state", r);
        return false;
    }
    if (kvm_check_extension(kvm_vcpu_state(cpu), KVM_CAP_XCRS) > 0) {
        x->has_xcrs = kvm_vcpu_ioctl(cpu, KVM_GET_XCRS, &x->xcrs) >= 0;
    }
    return true;
}

static void flat_segment(struct kvm_segment *seg, uint16_t selector,
                         uint8_t type, bool code64)
{
    memset(seg, 0, sizeof(*seg));
    seg->base = 0;
    seg->limit = 0xffffffff;
    seg->selector = selector;
    seg->type = type;
    seg->present = 1;
    seg->s = 1;
    seg->g = 1;
    seg->l = code64;
    seg->db = !code64;
}

/* The boot vCPU's registers for the loader's entry protocol. */
static bool apply_boot_state(X86Vm *vm, struct kvm_regs *regs,
                             struct kvm_sregs *sregs, GError **err)
{
    const X86BootState *b = &vm->x86ms->boot;
    struct kvm_segment data;

    switch (b->mode) {
    case X86_BOOT_NONE:
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "machine %s has nothing to run: give -kernel FILE (a "
                    "PVH ELF kernel or a Linux bzImage) or -bios FILE",
                    CG_MACHINE_GET_CLASS(vm->x86ms)->name);
        return false;
    case X86_BOOT_RESET:
        return true;
    case X86_BOOT_PROT32:
    case X86_BOOT_LONG64:
        break;
    }
    flat_segment(&sregs->cs, b->cs, SEG_TYPE_CODE_XR,
                 b->mode == X86_BOOT_LONG64);
    flat_segment(&data, b->ds, SEG_TYPE_DATA_RW, false);
    sregs->ds = sregs->es = sregs->fs = sregs->gs = sregs->ss = data;
    memset(&sregs->tr, 0, sizeof(sregs->tr));
    sregs->tr.limit = 0x67;
    sregs->tr.type = SEG_TYPE_TSS_BUSY;
    sregs->tr.present = 1;
    if (b->gdt_limit != 0) {
        sregs->gdt.base = b->gdt_base;
        sregs->gdt.limit = b->gdt_limit;
    }
    sregs->cr0 = CR0_PE | CR0_ET;
    sregs->cr4 = 0;
    sregs->efer = 0;
    if (b->mode == X86_BOOT_LONG64) {
        sregs->cr0 |= CR0_PG;
        sregs->cr3 = b->cr3;
        sregs->cr4 = CR4_PAE;
        sregs->efer = EFER_LME | EFER_LMA;
    }
    regs->rflags = 0x2;
    regs->rip = b->rip;
    regs->rbx = b->rbx;
    regs->rsi = b->rsi;
    return true;
}

static bool reset_vm_state(X86Vm *vm, GError **err)
{
    int r;

    for (size_t i = 0; i < G_N_ELEMENTS(vm->chips); i++) {
        r = kvm_vm_ioctl(vm->s, KVM_SET_IRQCHIP, &vm->chips[i]);
        if (r < 0) {
            set_ioctl_error(err, "KVM_SET_IRQCHIP", r);
            return false;
        }
    }
    if (vm->has_pit) {
        r = kvm_vm_ioctl(vm->s, KVM_SET_PIT2, &vm->pit);
        if (r < 0) {
            set_ioctl_error(err, "KVM_SET_PIT2", r);
            return false;
        }
    }
    return true;
}

static bool reset_msrs_of(KvmVcpu *cpu, GError **err)
{
    size_t n = G_N_ELEMENTS(reset_msrs);
    g_autofree struct kvm_msrs *m =
        g_malloc0(sizeof(*m) + n * sizeof(struct kvm_msr_entry));
    int r;

    m->nmsrs = (uint32_t)n;
    for (size_t i = 0; i < n; i++) {
        m->entries[i].index = reset_msrs[i].index;
        m->entries[i].data = reset_msrs[i].value;
    }
    r = kvm_vcpu_ioctl(cpu, KVM_SET_MSRS, m);
    if (r < 0) {
        set_vcpu_ioctl_error(err, cpu, "KVM_SET_MSRS", r);
        return false;
    }
    return true;
}

bool kvm_arch_reset_vcpu(KvmVcpu *cpu, GError **err)
{
    X86Vm *vm = kvm_arch_data(kvm_vcpu_state(cpu));
    X86Vcpu *x = kvm_vcpu_arch_data(cpu);
    struct kvm_regs regs = x->regs;
    struct kvm_sregs sregs = x->sregs;
    struct kvm_fpu fpu = x->fpu;
    struct kvm_lapic_state lapic = x->lapic;
    struct kvm_mp_state mp = x->mp;
    struct kvm_vcpu_events events = x->events;
    struct kvm_xcrs xcrs = x->xcrs;
    int r;

    /* The interrupt controllers are the VM's: reset with the first. */
    if (kvm_vcpu_index(cpu) == 0 && !reset_vm_state(vm, err)) {
        return false;
    }
    if (kvm_vcpu_index(cpu) == 0 && vm->x86ms != NULL &&
        !apply_boot_state(vm, &regs, &sregs, err)) {
        return false;
    }
    if (kvm_vcpu_index(cpu) > 0 && vm->x86ms != NULL &&
        vm->x86ms->boot.ap_reset_addr != 0) {
        /* Real mode, CS base = the vector's 64 KiB page, IP within it. */
        uint32_t addr = vm->x86ms->boot.ap_reset_addr;
        sregs.cs.selector = 0xf000;
        sregs.cs.base = addr & 0xffff0000u;
        regs.rip = addr & 0xffffu;
    }
    if ((r = kvm_vcpu_ioctl(cpu, KVM_SET_SREGS, &sregs)) < 0 ||
        (r = kvm_vcpu_ioctl(cpu, KVM_SET_REGS, &regs)) < 0 ||
        (r = kvm_vcpu_ioctl(cpu, KVM_SET_FPU, &fpu)) < 0 ||
        (r = kvm_vcpu_ioctl(cpu, KVM_SET_LAPIC, &lapic)) < 0 ||
        (r = kvm_vcpu_ioctl(cpu, KVM_SET_VCPU_EVENTS, &events)) < 0 ||
        (x->has_xcrs &&
         (r = kvm_vcpu_ioctl(cpu, KVM_SET_XCRS, &xcrs)) < 0)) {
        set_vcpu_ioctl_error(err, cpu, "setting the reset state", r);
        return false;
    }
    if (!reset_msrs_of(cpu, err)) {
        return false;
    }
    /* Last: the APs wait for INIT/SIPI again. */
    r = kvm_vcpu_ioctl(cpu, KVM_SET_MP_STATE, &mp);
    if (r < 0) {
        set_vcpu_ioctl_error(err, cpu, "KVM_SET_MP_STATE", r);
        return false;
    }
    return true;
}

KvmExitAction kvm_arch_handle_exit(KvmVcpu *cpu, struct kvm_run *run)
{
    return KVM_EXIT_ACTION_UNHANDLED;
}
