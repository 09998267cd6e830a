/*
 * Host simulator: a POWER host's KVM (arch "ppc64" of hostsim-fakekvm).
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * What the ppc64 emulator needs from KVM on a POWER host with an
 * ultravisor: the sPAPR capabilities, KVM_CAP_PPC_SECURE_GUEST (on/off)
 * and its KVM_ENABLE_CAP, KVM_PPC_SVM_OFF, the vCPU's PVR (GET_SREGS),
 * registers (GET/SET_REGS, ARCH_COMPAT), and scripted hypercall exits
 * standing in for a guest.  Facts from the kernel's
 * Documentation/virt/kvm/api.rst and arch/powerpc/include/uapi/asm/kvm.h
 * (register layout, ids); no kernel code is used.
 */
#include "hostsim-fakekvm.h"

#include <errno.h>
#include <string.h>

#define PPC_ENV(suffix) HOSTSIM_ENV_PREFIX "PPC" suffix

/* POWER's struct kvm_regs and kvm_sregs (asm/kvm.h), on any host. */
typedef struct {
    uint64_t pc, cr, ctr, lr, xer, msr, srr0, srr1, pid;
    uint64_t sprg[8];
    uint64_t gpr[32];
} PpcRegs;

typedef struct {
    uint32_t pvr;
    uint32_t pad;
    uint64_t u[153];
} PpcSregs;

G_STATIC_ASSERT(sizeof(PpcRegs) == 392);
G_STATIC_ASSERT(sizeof(PpcSregs) == 1232);

#define PPC_GET_REGS _IOR(KVMIO, 0x81, PpcRegs)
#define PPC_SET_REGS _IOW(KVMIO, 0x82, PpcRegs)
#define PPC_GET_SREGS _IOR(KVMIO, 0x83, PpcSregs)
#define PPC_REG_ARCH_COMPAT (KVM_REG_PPC | KVM_REG_SIZE_U32 | 0xb7)

/* Logical PVRs a compatibility mode may name: ISA 2.07, 3.00, 3.1. */
#define PPC_COMPAT_MIN 0x0f000004u
#define PPC_COMPAT_MAX 0x0f000006u

#define PPC_MAX_SCRIPT 64

typedef enum {
    STEP_HCALL,     /* make hypercall nr with args */
    STEP_WRITE,     /* write bytes into guest memory */
    STEP_READ,      /* log guest memory */
} StepKind;

typedef struct {
    StepKind kind;
    uint64_t nr;            /* HCALL: number; READ/WRITE: address */
    uint64_t args[9];
    unsigned nargs;         /* HCALL: arguments given; READ: length */
    GByteArray *bytes;      /* WRITE */
} Step;

static const char *const ppc_env_vars[] = {
    PPC_ENV("_SECURE_GUEST"),
    PPC_ENV("_PVR"),
    PPC_ENV("_HCALLS"),
    NULL,
};

static const char *const ppc_fault_commands[] = {
    "ENABLE_CAP",
    "SVM_OFF",
    NULL,
};

static struct {
    bool secure_guest;
    uint32_t pvr;
    GArray *script;         /* Step, for vCPU 0 of the first VM */
} ppc_cfg;

typedef struct {
    bool svm_enabled;       /* KVM_ENABLE_CAP(KVM_CAP_PPC_SECURE_GUEST) */
    unsigned svm_off;       /* KVM_PPC_SVM_OFF calls */
    guint next_step;
} PpcVm;

typedef struct {
    PpcRegs regs;
    uint32_t compat;
    bool hcall_pending;     /* an exit whose result the next RUN logs */
} PpcVcpu;

extern const HostsimModel hostsim_ppc_model;

static const struct {
    unsigned long cap;
    const char *name;
} ppc_caps[] = {
    { KVM_CAP_PPC_ENABLE_HCALL, "KVM_CAP_PPC_ENABLE_HCALL" },
    { KVM_CAP_PPC_PAPR, "KVM_CAP_PPC_PAPR" },
    { KVM_CAP_PPC_SECURE_GUEST, "KVM_CAP_PPC_SECURE_GUEST" },
    { KVM_CAP_ONE_REG, "KVM_CAP_ONE_REG" },
    { KVM_CAP_PPC_MMU_RADIX, "KVM_CAP_PPC_MMU_RADIX" },
    { KVM_CAP_PPC_MMU_HASH_V3, "KVM_CAP_PPC_MMU_HASH_V3" },
};

static const char *ppc_cap_name(unsigned long cap)
{
    for (size_t i = 0; i < G_N_ELEMENTS(ppc_caps); i++) {
        if (ppc_caps[i].cap == cap) {
            return ppc_caps[i].name;
        }
    }
    return NULL;
}

/* --- capabilities --- */

static int ppc_check_extension(FakeKvmVm *vm, unsigned long cap)
{
    const char *name = ppc_cap_name(cap);
    int v;

    if (!name) {
        return 0;
    }
    v = cap == KVM_CAP_PPC_SECURE_GUEST ? ppc_cfg.secure_guest : 1;
    if (cap == KVM_CAP_PPC_SECURE_GUEST) {
        /* The one the PEF tests follow; the others are answered quietly. */
        if (vm) {
            hostsim_log(&hostsim_ppc_model, "CHECK_EXTENSION vm=%u %s -> %d",
                        fakekvm_vm_index(vm), name, v);
        } else {
            hostsim_log(&hostsim_ppc_model, "CHECK_EXTENSION %s -> %d", name,
                        v);
        }
    }
    return v;
}

static int ppc_enable_cap(FakeKvmVm *vm, FakeKvmVcpu *vcpu,
                          const struct kvm_enable_cap *cap)
{
    PpcVm *pvm = fakekvm_vm_get_data(vm);
    const char *name = ppc_cap_name(cap->cap);
    g_autofree char *what = NULL;
    HostsimFault fault;

    what = vcpu ? g_strdup_printf("ENABLE_CAP vcpu=%u %s",
                                  fakekvm_vcpu_id(vcpu),
                                  name ? name : "?")
                : g_strdup_printf("ENABLE_CAP vm=%u %s", fakekvm_vm_index(vm),
                                  name ? name : "?");
    if (!name) {
        hostsim_log(&hostsim_ppc_model, "ENABLE_CAP cap=%llu -> errno EINVAL",
                    (unsigned long long)cap->cap);
        return -EINVAL;
    }
    if (!vcpu && cap->cap == KVM_CAP_PPC_SECURE_GUEST) {
        /* Without an ultravisor KVM has no secure-VM support to enable. */
        if (!ppc_cfg.secure_guest) {
            hostsim_log(&hostsim_ppc_model, "%s -> errno EINVAL", what);
            return -EINVAL;
        }
        if (hostsim_fault_take(&hostsim_ppc_model, "ENABLE_CAP", &fault)) {
            hostsim_log(&hostsim_ppc_model, "%s -> errno %s injected", what,
                        hostsim_errno_name((int)fault.value));
            return -(int)fault.value;
        }
        pvm->svm_enabled = true;
    } else if (!(vcpu && cap->cap == KVM_CAP_PPC_PAPR)) {
        hostsim_log(&hostsim_ppc_model, "%s -> errno EINVAL", what);
        return -EINVAL;
    }
    hostsim_log(&hostsim_ppc_model, "%s -> ok", what);
    return 0;
}

/* --- VM and vCPU ioctls --- */

static int ppc_vm_created(FakeKvmVm *vm, unsigned long type)
{
    /* 0: the kernel's choice; KVM_VM_PPC_HV, KVM_VM_PPC_PR. */
    if (type > KVM_VM_PPC_PR) {
        return -EINVAL;
    }
    fakekvm_vm_set_data(vm, g_new0(PpcVm, 1));
    return 0;
}

static void ppc_vm_destroyed(FakeKvmVm *vm)
{
    g_free(fakekvm_vm_get_data(vm));
    fakekvm_vm_set_data(vm, NULL);
}

static int ppc_vcpu_created(FakeKvmVcpu *vcpu)
{
    fakekvm_vcpu_set_data(vcpu, g_new0(PpcVcpu, 1));
    return 0;
}

static void ppc_vcpu_destroyed(FakeKvmVcpu *vcpu)
{
    g_free(fakekvm_vcpu_get_data(vcpu));
    fakekvm_vcpu_set_data(vcpu, NULL);
}

static int ppc_vm_ioctl(FakeKvmVm *vm, unsigned long request, void *arg)
{
    PpcVm *pvm = fakekvm_vm_get_data(vm);
    HostsimFault fault;

    if (request != KVM_PPC_SVM_OFF) {
        return HOSTSIM_PASS;
    }
    if (hostsim_fault_take(&hostsim_ppc_model, "SVM_OFF", &fault)) {
        hostsim_log(&hostsim_ppc_model, "SVM_OFF vm=%u -> errno %s injected",
                    fakekvm_vm_index(vm),
                    hostsim_errno_name((int)fault.value));
        return -(int)fault.value;
    }
    /* KVM turns a VM that is not (yet) secure off successfully too. */
    pvm->svm_off++;
    hostsim_log(&hostsim_ppc_model, "SVM_OFF vm=%u -> ok count=%u",
                fakekvm_vm_index(vm), pvm->svm_off);
    return 0;
}

static int ppc_one_reg(FakeKvmVcpu *vcpu, PpcVcpu *pv, bool set, void *arg)
{
    struct kvm_one_reg one;
    uint32_t v;

    if (hostsim_read_user(&one, (uintptr_t)arg, sizeof(one)) < 0) {
        return -EFAULT;
    }
    if (one.id != PPC_REG_ARCH_COMPAT) {
        return -EINVAL;
    }
    if (!set) {
        return hostsim_write_user(one.addr, &pv->compat, sizeof(v));
    }
    if (hostsim_read_user(&v, one.addr, sizeof(v)) < 0) {
        return -EFAULT;
    }
    if (v != 0 && (v < PPC_COMPAT_MIN || v > PPC_COMPAT_MAX)) {
        hostsim_log(&hostsim_ppc_model, "SET_ONE_REG vcpu=%u ARCH_COMPAT="
                    "0x%08x -> errno EINVAL", fakekvm_vcpu_id(vcpu), v);
        return -EINVAL;
    }
    pv->compat = v;
    hostsim_log(&hostsim_ppc_model, "SET_ONE_REG vcpu=%u ARCH_COMPAT=0x%08x "
                "-> ok", fakekvm_vcpu_id(vcpu), v);
    return 0;
}

static int ppc_vcpu_ioctl(FakeKvmVcpu *vcpu, unsigned long request,
                          void *arg)
{
    PpcVcpu *pv = fakekvm_vcpu_get_data(vcpu);
    PpcSregs sregs;

    switch (request) {
    case PPC_GET_SREGS:
        memset(&sregs, 0, sizeof(sregs));
        sregs.pvr = ppc_cfg.pvr;
        return hostsim_write_user((uintptr_t)arg, &sregs, sizeof(sregs));
    case PPC_GET_REGS:
        return hostsim_write_user((uintptr_t)arg, &pv->regs,
                                  sizeof(pv->regs));
    case PPC_SET_REGS:
        if (hostsim_read_user(&pv->regs, (uintptr_t)arg,
                              sizeof(pv->regs)) < 0) {
            return -EFAULT;
        }
        hostsim_log(&hostsim_ppc_model,
                    "SET_REGS vcpu=%u pc=0x%llx msr=0x%llx r3=0x%llx "
                    "r4=0x%llx r5=0x%llx -> ok", fakekvm_vcpu_id(vcpu),
                    (unsigned long long)pv->regs.pc,
                    (unsigned long long)pv->regs.msr,
                    (unsigned long long)pv->regs.gpr[3],
                    (unsigned long long)pv->regs.gpr[4],
                    (unsigned long long)pv->regs.gpr[5]);
        return 0;
    case KVM_SET_ONE_REG:
        return ppc_one_reg(vcpu, pv, true, arg);
    case KVM_GET_ONE_REG:
        return ppc_one_reg(vcpu, pv, false, arg);
    default:
        return HOSTSIM_PASS;
    }
}

/* --- scripted hypercalls --- */

static void ppc_log_memory(FakeKvmVm *vm, const Step *s)
{
    g_autofree uint8_t *buf = g_malloc0(s->nargs);
    g_autofree char *hex = NULL;

    if (!fakekvm_guest_read(vm, s->nr, buf, s->nargs)) {
        hostsim_log(&hostsim_ppc_model, "MEM 0x%llx len=%u -> errno EFAULT",
                    (unsigned long long)s->nr, s->nargs);
        return;
    }
    hex = hostsim_hex(buf, s->nargs);
    hostsim_log(&hostsim_ppc_model, "MEM 0x%llx len=%u -> %s",
                (unsigned long long)s->nr, s->nargs, hex);
}

/* What the emulator answered to a scripted hypercall. */
static void ppc_complete(FakeKvmVcpu *vcpu, struct kvm_run *run)
{
    PpcVcpu *pv = fakekvm_vcpu_get_data(vcpu);

    if (pv->hcall_pending) {
        pv->hcall_pending = false;
        hostsim_log(&hostsim_ppc_model, "HCALL vcpu=%u 0x%llx -> ret=%lld "
                    "r4=0x%llx r5=0x%llx r6=0x%llx", fakekvm_vcpu_id(vcpu),
                    (unsigned long long)run->papr_hcall.nr,
                    (long long)run->papr_hcall.ret,
                    (unsigned long long)run->papr_hcall.args[0],
                    (unsigned long long)run->papr_hcall.args[1],
                    (unsigned long long)run->papr_hcall.args[2]);
    }
}

/*
 * Stands in for the first VM's vCPU 0: each KVM_RUN does the script's
 * memory steps up to the next hypercall and exits with it.  Once the
 * script is done the vCPU blocks as an idle guest would.
 */
static bool ppc_run(FakeKvmVcpu *vcpu, struct kvm_run *run)
{
    FakeKvmVm *vm = fakekvm_vcpu_vm(vcpu);
    PpcVm *pvm = fakekvm_vm_get_data(vm);
    PpcVcpu *pv = fakekvm_vcpu_get_data(vcpu);

    if (!pvm || fakekvm_vm_index(vm) != 0 || fakekvm_vcpu_id(vcpu) != 0 ||
        !ppc_cfg.script) {
        return false;
    }
    while (pvm->next_step < ppc_cfg.script->len) {
        const Step *s = &g_array_index(ppc_cfg.script, Step,
                                       pvm->next_step++);

        if (s->kind == STEP_READ) {
            ppc_log_memory(vm, s);
        } else if (s->kind == STEP_WRITE) {
            bool ok = fakekvm_guest_write(vm, s->nr, s->bytes->data,
                                          s->bytes->len);

            hostsim_log(&hostsim_ppc_model, "WRITE 0x%llx len=%u -> %s",
                        (unsigned long long)s->nr, s->bytes->len,
                        ok ? "ok" : "errno EFAULT");
        } else {
            memset(&run->papr_hcall, 0, sizeof(run->papr_hcall));
            run->exit_reason = KVM_EXIT_PAPR_HCALL;
            run->papr_hcall.nr = s->nr;
            memcpy(run->papr_hcall.args, s->args, sizeof(s->args));
            pv->hcall_pending = true;
            return true;
        }
    }
    return false;
}

/* --- configuration --- */

static bool ppc_parse_number(const char *text, uint64_t *out)
{
    bool hex = g_str_has_prefix(text, "0x");

    return g_ascii_string_to_unsigned(hex ? text + 2 : text, hex ? 16 : 10,
                                      0, UINT64_MAX, out, NULL);
}

static bool ppc_parse_step(const char *entry, Step *s, GError **errp)
{
    g_auto(GStrv) f = NULL;
    unsigned n;

    *s = (Step){ 0 };
    if (strlen(entry) < 3 || entry[1] != ':') {
        goto bad;
    }
    f = g_strsplit(entry + 2, ",", -1);
    n = g_strv_length(f);
    if (n == 0 || !ppc_parse_number(f[0], &s->nr)) {
        goto bad;
    }
    switch (entry[0]) {
    case 'h':
        s->kind = STEP_HCALL;
        if (n - 1 > G_N_ELEMENTS(s->args)) {
            goto bad;
        }
        for (unsigned i = 1; i < n; i++) {
            if (!ppc_parse_number(f[i], &s->args[i - 1])) {
                goto bad;
            }
        }
        s->nargs = n - 1;
        return true;
    case 'w':
        s->kind = STEP_WRITE;
        s->bytes = g_byte_array_new();
        if (n != 2 || strlen(f[1]) % 2 != 0 || !*f[1]) {
            goto bad;
        }
        for (size_t i = 0; f[1][i]; i += 2) {
            int hi = g_ascii_xdigit_value(f[1][i]);
            int lo = g_ascii_xdigit_value(f[1][i + 1]);
            uint8_t b = (uint8_t)(hi << 4 | lo);

            if (hi < 0 || lo < 0) {
                goto bad;
            }
            g_byte_array_append(s->bytes, &b, 1);
        }
        return true;
    case 'r': {
        uint64_t len;

        s->kind = STEP_READ;
        if (n != 2 || !ppc_parse_number(f[1], &len) || len == 0 ||
            len > 256) {
            goto bad;
        }
        s->nargs = (unsigned)len;
        return true;
    }
    default:
        break;
    }
bad:
    if (s->bytes) {
        g_byte_array_unref(s->bytes);
        s->bytes = NULL;
    }
    g_set_error(errp, HOSTSIM_ERROR, 0,
                "'%s' in %s is not a step. Use h:NR[,ARG]... (up to 9 "
                "arguments), w:GPA,HEXBYTES or r:GPA,LEN (1-256)", entry,
                PPC_ENV("_HCALLS"));
    return false;
}

static bool ppc_parse_script(GError **errp)
{
    const char *text = hostsim_env_string(PPC_ENV("_HCALLS"), NULL);
    g_auto(GStrv) entries = NULL;

    if (!text) {
        return true;
    }
    entries = g_strsplit(text, ";", -1);
    if (g_strv_length(entries) > PPC_MAX_SCRIPT) {
        g_set_error(errp, HOSTSIM_ERROR, 0, "%s has more than %d steps",
                    PPC_ENV("_HCALLS"), PPC_MAX_SCRIPT);
        return false;
    }
    ppc_cfg.script = g_array_new(FALSE, FALSE, sizeof(Step));
    for (char **e = entries; *e; e++) {
        Step s;

        if (!ppc_parse_step(*e, &s, errp)) {
            return false;
        }
        g_array_append_val(ppc_cfg.script, s);
    }
    return true;
}

static const FakeKvmArch ppc_arch;

static bool ppc_init(bool *active, GError **errp)
{
    uint8_t pvr[4];

    if (!fakekvm_arch_selected(&ppc_arch)) {
        for (const char *const *v = ppc_env_vars; *v; v++) {
            if (hostsim_env_string(*v, NULL)) {
                g_set_error(errp, HOSTSIM_ERROR, 0,
                            "%s is set but %sKVM_ARCH is not ppc64. Set "
                            "%sKVM_ARCH=ppc64 to simulate a POWER host", *v,
                            HOSTSIM_ENV_PREFIX, HOSTSIM_ENV_PREFIX);
                return false;
            }
        }
        *active = false;
        return true;
    }
    if (!hostsim_env_bool(PPC_ENV("_SECURE_GUEST"), true,
                          &ppc_cfg.secure_guest, errp) ||
        !hostsim_env_hex(PPC_ENV("_PVR"), "004e1203", pvr, sizeof(pvr),
                         errp) ||
        !ppc_parse_script(errp)) {
        return false;
    }
    ppc_cfg.pvr = (uint32_t)pvr[0] << 24 | (uint32_t)pvr[1] << 16 |
                  (uint32_t)pvr[2] << 8 | pvr[3];
    *active = true;
    return true;
}

const HostsimModel hostsim_ppc_model = {
    .name = "ppc",
    .env_vars = ppc_env_vars,
    .fault_commands = ppc_fault_commands,
    .errno_only_commands = ppc_fault_commands,
    .init = ppc_init,
};

HOSTSIM_MODEL_REGISTER(hostsim_ppc_model);

static const FakeKvmArch ppc_arch = {
    .name = "ppc64",
    .model = &hostsim_ppc_model,
    .check_extension = ppc_check_extension,
    .vm_created = ppc_vm_created,
    .vm_destroyed = ppc_vm_destroyed,
    .vcpu_created = ppc_vcpu_created,
    .vcpu_destroyed = ppc_vcpu_destroyed,
    .enable_cap = ppc_enable_cap,
    .vm_ioctl = ppc_vm_ioctl,
    .vcpu_ioctl = ppc_vcpu_ioctl,
    .complete = ppc_complete,
    .run = ppc_run,
};

FAKEKVM_ARCH_REGISTER(ppc_arch);
