/*
 * Host simulator: an IBM Z host's KVM with an Ultravisor (arch "s390x").
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * What the s390x emulator needs from KVM on a z15 with Protected
 * Virtualization: the capabilities (KVM_CAP_S390_PROTECTED configurable),
 * the CPU-model attributes of the VM (the host's machine model with or
 * without facility 161 "unpack"; the guest's processor model recorded),
 * vCPU registers, resets, PSW and run state, interruption injection, and
 * KVM_S390_PV_COMMAND with a model of the Ultravisor (hostsim-s390-uv.c).
 * KVM_RUN of vCPU 0 can be scripted to return a guest's DIAGNOSE 308 (and
 * 500) requests.
 *
 * Facts from the kernel's Documentation/virt/kvm/api.rst and s390-pv*.rst
 * and arch/s390/include/uapi/asm/kvm.h (layouts through cgemu's
 * include/target/s390x/kvm-s390-abi.h).  The Ultravisor's interface is
 * not public: its checks follow the kernel's documentation, its return
 * codes and the SE header digests are this model's own
 * (docs/devel/hostsim.rst).  No guest instruction is executed and no page
 * is decrypted.
 */
#include "hostsim-s390.h"

#include "../../include/target/s390x/kvm-s390-abi.h"

#include <errno.h>
#include <string.h>

#define S390_ENV(suffix) HOSTSIM_ENV_PREFIX "S390" suffix
#define S390_MAX_SCRIPT 64

typedef enum {
    STEP_DIAG308,       /* d:SUBCODE,ADDR */
    STEP_DIAG500,       /* n:SCHID,QUEUE */
    STEP_WRITE,         /* w:GPA,HEXBYTES */
    STEP_READ,          /* r:GPA,LEN */
    STEP_POWER_OFF,     /* q: disabled wait at 0xfff */
} StepKind;

typedef struct {
    StepKind kind;
    uint64_t a, b;
    GByteArray *bytes;
} Step;

static const char *const s390_env_vars[] = {
    S390_ENV("_PROTECTED"),
    S390_ENV("_UNPACK"),
    S390_ENV("_CPU_TYPE"),
    S390_ENV("_SCRIPT"),
    NULL,
};

static const char *const s390_fault_commands[] = {
    "ENABLE", "DISABLE", "SET_SEC_PARMS", "UNPACK", "PREP_RESET", "VERIFY",
    "UNSHARE_ALL", NULL,
};

static struct {
    bool protected_cap;
    bool unpack;
    uint16_t cpu_type;
    GArray *script;             /* Step, for vCPU 0 of the first VM */
} s390_cfg;

typedef struct {
    S390Uv uv;
    bool vcpus_exist;
    guint next_step;
} S390FakeVm;

typedef struct {
    S390KvmRegs regs;
    bool diag_pending;          /* an exit whose answer complete logs */
    uint64_t diag_code;
    unsigned resp_reg;
} S390FakeVcpu;

#define M (&hostsim_s390_model)

/* --- capabilities ------------------------------------------------------- */

static int s390_check_extension(FakeKvmVm *vm, unsigned long cap)
{
    switch (cap) {
    case KVM_CAP_S390_PROTECTED:
        /* The one the PV tests follow; the others are answered quietly. */
        hostsim_log(M, "CHECK_EXTENSION KVM_CAP_S390_PROTECTED -> %d",
                    s390_cfg.protected_cap);
        return s390_cfg.protected_cap;
    case KVM_CAP_S390_PSW:
    case KVM_CAP_S390_VCPU_RESETS:
    case KVM_CAP_S390_VECTOR_REGISTERS:
    case KVM_CAP_S390_CSS_SUPPORT:
    case KVM_CAP_MP_STATE:
    case KVM_CAP_S390_MEM_OP:
        return 1;
    default:
        return 0;
    }
}

static int s390_enable_cap(FakeKvmVm *vm, FakeKvmVcpu *vcpu,
                           const struct kvm_enable_cap *cap)
{
    S390FakeVm *svm = fakekvm_vm_get_data(vm);

    if (vcpu == NULL && cap->cap == KVM_CAP_S390_VECTOR_REGISTERS) {
        /* As the kernel: only while no vCPU exists. */
        int r = svm->vcpus_exist ? -EBUSY : 0;

        hostsim_log(M, "ENABLE_CAP vm=%u KVM_CAP_S390_VECTOR_REGISTERS -> %s",
                    fakekvm_vm_index(vm), r ? "errno EBUSY" : "ok");
        return r;
    }
    if (vcpu != NULL && cap->cap == KVM_CAP_S390_CSS_SUPPORT) {
        hostsim_log(M, "ENABLE_CAP vcpu=%u KVM_CAP_S390_CSS_SUPPORT -> ok",
                    fakekvm_vcpu_id(vcpu));
        return 0;
    }
    hostsim_log(M, "ENABLE_CAP cap=%llu -> errno EINVAL",
                (unsigned long long)cap->cap);
    return -EINVAL;
}

/* --- VMs and vCPUs -------------------------------------------------------- */

static int s390_vm_created(FakeKvmVm *vm, unsigned long type)
{
    S390FakeVm *svm;

    /* 0, or KVM_VM_S390_UCONTROL, which this model does not offer. */
    if (type != 0) {
        return -EINVAL;
    }
    svm = g_new0(S390FakeVm, 1);
    hostsim_s390_uv_init(&svm->uv);
    fakekvm_vm_set_data(vm, svm);
    return 0;
}

static void s390_vm_destroyed(FakeKvmVm *vm)
{
    S390FakeVm *svm = fakekvm_vm_get_data(vm);

    if (svm == NULL) {
        return;
    }
    hostsim_s390_uv_destroy(&svm->uv);
    g_free(svm);
    fakekvm_vm_set_data(vm, NULL);
}

/*
 * s390 KVM maps guest memory by 1 MiB segments and refuses a slot whose
 * user address or size is not segment aligned.  The generic part takes
 * slots without asking the arch, so the model checks them when the first
 * vCPU appears (emulators add RAM before vCPUs) and refuses that vCPU.
 */
static int check_slots(FakeKvmVm *vm)
{
    const GArray *slots = fakekvm_vm_slots(vm);

    for (guint i = 0; i < slots->len; i++) {
        const FakeKvmSlot *sl = &g_array_index(slots, FakeKvmSlot, i);

        if (sl->size != 0 && ((sl->uaddr | sl->size) & 0xfffff) != 0) {
            hostsim_log(M, "CREATE_VCPU vm=%u -> errno EINVAL (memory slot "
                        "%u is not in whole 1 MiB segments)",
                        fakekvm_vm_index(vm), sl->slot);
            return -EINVAL;
        }
    }
    return 0;
}

static int s390_vcpu_created(FakeKvmVcpu *vcpu)
{
    S390FakeVm *svm = fakekvm_vm_get_data(fakekvm_vcpu_vm(vcpu));
    int r = check_slots(fakekvm_vcpu_vm(vcpu));

    if (r < 0) {
        return r;
    }

    svm->vcpus_exist = true;
    fakekvm_vcpu_set_data(vcpu, g_new0(S390FakeVcpu, 1));
    return 0;
}

static void s390_vcpu_destroyed(FakeKvmVcpu *vcpu)
{
    g_free(fakekvm_vcpu_get_data(vcpu));
    fakekvm_vcpu_set_data(vcpu, NULL);
}

/* --- the CPU model attributes --------------------------------------------- */

static int machine_model(FakeKvmVm *vm, uint64_t attr, uint64_t addr)
{
    g_autofree S390VmCpuMachine *mach = g_new0(S390VmCpuMachine, 1);
    g_autofree S390VmCpuSubfunc *sf = g_new0(S390VmCpuSubfunc, 1);
    S390VmCpuFeat feat;

    switch (attr) {
    case S390_VM_CPU_MACHINE:
        /* A z15-class host with every facility KVM lets guests have;
         * facility 161 only with prot_virt (configured). */
        mach->cpuid = 0xffull << 56 | (uint64_t)s390_cfg.cpu_type << 16 |
                      1ull << 15;
        mach->ibc = 0x00110061;
        for (unsigned n = 0; n < 200; n++) {
            s390_fac_set(mach->fac_mask, n);
            if (n != 161 || s390_cfg.unpack) {
                s390_fac_set(mach->fac_list, n);
            }
        }
        hostsim_log(M, "GET_DEVICE_ATTR vm=%u CPU_MACHINE -> ok "
                    "type=0x%04x unpack=%d", fakekvm_vm_index(vm),
                    s390_cfg.cpu_type, s390_cfg.unpack);
        return hostsim_write_user(addr, mach, sizeof(*mach));
    case S390_VM_CPU_MACHINE_FEAT:
        memset(&feat, 0, sizeof(feat));
        for (unsigned n = 0; n <= S390_KVM_FEAT_KSS; n++) {
            s390_fac_set(feat.feat, n);
        }
        return hostsim_write_user(addr, &feat, sizeof(feat));
    case S390_VM_CPU_MACHINE_SUBFUNC:
        memset(sf, 0xff, offsetof(S390VmCpuSubfunc, reserved));
        return hostsim_write_user(addr, sf, sizeof(*sf));
    default:
        return -ENXIO;
    }
}

static int set_processor(FakeKvmVm *vm, uint64_t attr, uint64_t addr)
{
    S390FakeVm *svm = fakekvm_vm_get_data(vm);
    g_autofree S390VmCpuProcessor *proc = g_new0(S390VmCpuProcessor, 1);

    /* The kernel takes a model only before the first vCPU. */
    if (svm->vcpus_exist) {
        hostsim_log(M, "SET_DEVICE_ATTR vm=%u CPU_PROCESSOR -> errno EBUSY",
                    fakekvm_vm_index(vm));
        return -EBUSY;
    }
    if (attr != S390_VM_CPU_PROCESSOR) {
        return 0;   /* features and functions: taken as given */
    }
    if (hostsim_read_user(proc, addr, sizeof(*proc)) < 0) {
        return -EFAULT;
    }
    hostsim_log(M, "SET_DEVICE_ATTR vm=%u CPU_PROCESSOR type=0x%04x "
                "ibc=0x%03x unpack=%d -> ok", fakekvm_vm_index(vm),
                (unsigned)(proc->cpuid >> 16) & 0xffff, proc->ibc,
                s390_fac_test(proc->fac_list, 161));
    return 0;
}

static int device_attr(FakeKvmVm *vm, unsigned long request, void *arg)
{
    struct kvm_device_attr a;

    if (hostsim_read_user(&a, (uintptr_t)arg, sizeof(a)) < 0) {
        return -EFAULT;
    }
    if (a.group == S390_VM_MEM_CTRL && a.attr == S390_VM_MEM_ENABLE_CMMA) {
        return request == KVM_HAS_DEVICE_ATTR ? 0 : -ENXIO;
    }
    if (a.group != S390_VM_CPU_MODEL || a.attr > S390_VM_CPU_MACHINE_SUBFUNC) {
        return -ENXIO;
    }
    switch (request) {
    case KVM_HAS_DEVICE_ATTR:
        return 0;
    case KVM_GET_DEVICE_ATTR:
        return (a.attr & 1) ? machine_model(vm, a.attr, a.addr) : -ENXIO;
    default:
        return (a.attr & 1) ? -ENXIO : set_processor(vm, a.attr, a.addr);
    }
}

static int s390_vm_ioctl(FakeKvmVm *vm, unsigned long request, void *arg)
{
    S390FakeVm *svm = fakekvm_vm_get_data(vm);
    struct kvm_s390_interrupt irq;

    switch (request) {
    case KVM_S390_PV_COMMAND:
        return hostsim_s390_pv_command(vm, &svm->uv,
                                       s390_cfg.protected_cap, arg);
    case KVM_HAS_DEVICE_ATTR:
    case KVM_GET_DEVICE_ATTR:
    case KVM_SET_DEVICE_ATTR:
        return device_attr(vm, request, arg);
    case KVM_S390_INTERRUPT:
        if (hostsim_read_user(&irq, (uintptr_t)arg, sizeof(irq)) < 0) {
            return -EFAULT;
        }
        hostsim_log(M, "INTERRUPT vm=%u type=0x%08x parm=0x%08x "
                    "parm64=0x%llx -> ok", fakekvm_vm_index(vm), irq.type,
                    irq.parm, (unsigned long long)irq.parm64);
        return 0;
    default:
        return HOSTSIM_PASS;
    }
}

/* --- vCPUs ---------------------------------------------------------------- */

static bool vm_protected(FakeKvmVcpu *vcpu)
{
    S390FakeVm *svm = fakekvm_vm_get_data(fakekvm_vcpu_vm(vcpu));

    return svm->uv.state != UV_OFF;
}

static int mem_op(FakeKvmVcpu *vcpu, void *arg)
{
    struct kvm_s390_mem_op op;
    g_autofree uint8_t *buf = NULL;
    FakeKvmVm *vm = fakekvm_vcpu_vm(vcpu);

    if (hostsim_read_user(&op, (uintptr_t)arg, sizeof(op)) < 0) {
        return -EFAULT;
    }
    if (op.size == 0 || op.size > 65536 ||
        (op.op != KVM_S390_MEMOP_LOGICAL_READ &&
         op.op != KVM_S390_MEMOP_LOGICAL_WRITE)) {
        return -EINVAL;
    }
    /* No DAT modelled: logical addresses are absolute ones. */
    buf = g_malloc0(op.size);
    if (op.op == KVM_S390_MEMOP_LOGICAL_READ) {
        if (!fakekvm_guest_read(vm, op.gaddr, buf, op.size)) {
            return 5;   /* addressing exception, delivered */
        }
        return hostsim_write_user(op.buf, buf, op.size);
    }
    if (hostsim_read_user(buf, op.buf, op.size) < 0) {
        return -EFAULT;
    }
    return fakekvm_guest_write(vm, op.gaddr, buf, op.size) ? 0 : 5;
}

static int s390_vcpu_ioctl(FakeKvmVcpu *vcpu, unsigned long request,
                           void *arg)
{
    S390FakeVcpu *sv = fakekvm_vcpu_get_data(vcpu);
    unsigned id = fakekvm_vcpu_id(vcpu);
    struct kvm_s390_psw psw;
    struct kvm_mp_state mp;
    struct kvm_s390_irq irq;

    switch (request) {
    case S390_KVM_GET_REGS:
        return hostsim_write_user((uintptr_t)arg, &sv->regs,
                                  sizeof(sv->regs));
    case S390_KVM_SET_REGS:
        return hostsim_read_user(&sv->regs, (uintptr_t)arg,
                                 sizeof(sv->regs));
    case KVM_S390_CLEAR_RESET:
        memset(&sv->regs, 0, sizeof(sv->regs));
        hostsim_log(M, "CLEAR_RESET vcpu=%u -> ok", id);
        return 0;
    case KVM_S390_NORMAL_RESET:
        hostsim_log(M, "NORMAL_RESET vcpu=%u -> ok", id);
        return 0;
    case KVM_S390_INITIAL_RESET:
        hostsim_log(M, "INITIAL_RESET vcpu=%u -> ok", id);
        return 0;
    case KVM_S390_SET_INITIAL_PSW:
        if (hostsim_read_user(&psw, (uintptr_t)arg, sizeof(psw)) < 0) {
            return -EFAULT;
        }
        /* A protected vCPU's PSW belongs to the Ultravisor. */
        if (vm_protected(vcpu)) {
            hostsim_log(M, "SET_INITIAL_PSW vcpu=%u -> errno EINVAL "
                        "(protected)", id);
            return -EINVAL;
        }
        hostsim_log(M, "SET_INITIAL_PSW vcpu=%u mask=0x%016llx addr=0x%llx "
                    "-> ok", id, (unsigned long long)psw.mask,
                    (unsigned long long)psw.addr);
        return 0;
    case KVM_SET_MP_STATE:
        if (hostsim_read_user(&mp, (uintptr_t)arg, sizeof(mp)) < 0) {
            return -EFAULT;
        }
        hostsim_log(M, "SET_MP_STATE vcpu=%u %s -> ok", id,
                    mp.mp_state == KVM_MP_STATE_OPERATING ? "OPERATING"
                    : mp.mp_state == KVM_MP_STATE_STOPPED ? "STOPPED"
                                                          : "OTHER");
        return 0;
    case KVM_S390_IRQ:
        if (hostsim_read_user(&irq, (uintptr_t)arg, sizeof(irq)) < 0) {
            return -EFAULT;
        }
        if (irq.type == KVM_S390_PROGRAM_INT) {
            hostsim_log(M, "IRQ vcpu=%u program code=0x%04x -> ok", id,
                        irq.u.pgm.code);
        } else {
            hostsim_log(M, "IRQ vcpu=%u type=0x%08llx -> ok", id,
                        (unsigned long long)irq.type);
        }
        return 0;
    case KVM_S390_MEM_OP:
        return mem_op(vcpu, arg);
    default:
        return HOSTSIM_PASS;
    }
}

/* --- scripted guest requests ---------------------------------------------- */

/* What the emulator answered: the response register of a DIAGNOSE. */
static void s390_complete(FakeKvmVcpu *vcpu, struct kvm_run *kr)
{
    S390FakeVcpu *sv = fakekvm_vcpu_get_data(vcpu);

    if (!sv->diag_pending) {
        return;
    }
    sv->diag_pending = false;
    hostsim_log(M, "DIAG 0x%llx vcpu=%u done r%u=0x%llx protected=%d",
                (unsigned long long)sv->diag_code, fakekvm_vcpu_id(vcpu),
                sv->resp_reg,
                (unsigned long long)sv->regs.gprs[sv->resp_reg],
                vm_protected(vcpu));
}

static void log_memory(FakeKvmVm *vm, const Step *s)
{
    g_autofree uint8_t *buf = g_malloc0(s->b);
    g_autofree char *hex = NULL;

    if (!fakekvm_guest_read(vm, s->a, buf, s->b)) {
        hostsim_log(M, "MEM 0x%llx len=%llu -> errno EFAULT",
                    (unsigned long long)s->a, (unsigned long long)s->b);
        return;
    }
    hex = hostsim_hex(buf, s->b);
    hostsim_log(M, "MEM 0x%llx len=%llu -> %s", (unsigned long long)s->a,
                (unsigned long long)s->b, hex);
}

/* An instruction interception: the PSW has moved past it. */
static void intercept(S390KvmRun *run, bool prot, uint16_t ipa, uint32_t ipb)
{
    memset(&run->u, 0, sizeof(run->u));
    run->exit_reason = KVM_EXIT_S390_SIEIC;
    run->u.s390_sieic.icptcode = prot ? S390_ICPT_PV_INSTR
                                      : S390_ICPT_INSTRUCTION;
    run->u.s390_sieic.ipa = ipa;
    run->u.s390_sieic.ipb = ipb;
    /* Supervisor state, 64-bit addressing, I/O and external enabled. */
    run->psw_mask = S390_PSW_MASK_IO | S390_PSW_MASK_EXT |
                    S390_PSW_MASK_EA | S390_PSW_MASK_BA;
    run->psw_addr = 0x10004;
}

/*
 * Stands in for vCPU 0 of the first VM: each KVM_RUN does the script's
 * memory steps up to the next guest request and exits with it.  Once the
 * script is done the vCPU blocks as an idle guest would.
 */
static bool s390_run(FakeKvmVcpu *vcpu, struct kvm_run *kr)
{
    S390KvmRun *run = (S390KvmRun *)kr;
    FakeKvmVm *vm = fakekvm_vcpu_vm(vcpu);
    S390FakeVm *svm = fakekvm_vm_get_data(vm);
    S390FakeVcpu *sv = fakekvm_vcpu_get_data(vcpu);
    bool prot;

    if (svm == NULL || fakekvm_vm_index(vm) != 0 ||
        fakekvm_vcpu_id(vcpu) != 0 || s390_cfg.script == NULL) {
        return false;
    }
    prot = svm->uv.state == UV_VERIFIED;
    while (svm->next_step < s390_cfg.script->len) {
        const Step *s = &g_array_index(s390_cfg.script, Step,
                                       svm->next_step++);

        switch (s->kind) {
        case STEP_READ:
            log_memory(vm, s);
            break;
        case STEP_WRITE:
            hostsim_log(M, "WRITE 0x%llx len=%u -> %s",
                        (unsigned long long)s->a, s->bytes->len,
                        fakekvm_guest_write(vm, s->a, s->bytes->data,
                                            s->bytes->len)
                            ? "ok" : "errno EFAULT");
            break;
        case STEP_DIAG308:
            /* diag 4,6,0x308: R1=4 the block, R3=6 the subcode. */
            sv->regs.gprs[4] = s->b;
            sv->regs.gprs[6] = s->a;
            sv->regs.gprs[5] = 0;
            intercept(run, prot, 0x8346, 0x03080000);
            sv->diag_pending = true;
            sv->diag_code = 0x308;
            sv->resp_reg = 5;
            hostsim_log(M, "RUN vcpu=0 -> DIAG 0x308 subcode=%llu "
                        "addr=0x%llx", (unsigned long long)s->a,
                        (unsigned long long)s->b);
            return true;
        case STEP_DIAG500:
            /* diag 2,4,0x500: R1 function 3, R2 subchannel, R3 queue. */
            sv->regs.gprs[1] = 3;
            sv->regs.gprs[2] = s->a;
            sv->regs.gprs[3] = s->b;
            intercept(run, prot, 0x8324, 0x05000000);
            sv->diag_pending = true;
            sv->diag_code = 0x500;
            sv->resp_reg = 2;
            hostsim_log(M, "RUN vcpu=0 -> DIAG 0x500 schid=0x%llx "
                        "queue=%llu", (unsigned long long)s->a,
                        (unsigned long long)s->b);
            return true;
        case STEP_POWER_OFF:
            memset(&run->u, 0, sizeof(run->u));
            run->exit_reason = KVM_EXIT_S390_SIEIC;
            run->u.s390_sieic.icptcode = S390_ICPT_WAITPSW;
            run->psw_mask = S390_PSW_MASK_WAIT | S390_PSW_MASK_EA |
                            S390_PSW_MASK_BA;
            run->psw_addr = 0xfff;
            hostsim_log(M, "RUN vcpu=0 -> disabled wait at 0xfff");
            return true;
        }
    }
    return false;
}

/* --- configuration -------------------------------------------------------- */

static bool parse_number(const char *text, uint64_t *out)
{
    bool hex = g_str_has_prefix(text, "0x");

    return g_ascii_string_to_unsigned(hex ? text + 2 : text, hex ? 16 : 10,
                                      0, UINT64_MAX, out, NULL);
}

static bool parse_hex_bytes(const char *text, GByteArray *out)
{
    size_t len = strlen(text);

    if (len == 0 || len % 2 != 0) {
        return false;
    }
    for (size_t i = 0; i < len; i += 2) {
        int hi = g_ascii_xdigit_value(text[i]);
        int lo = g_ascii_xdigit_value(text[i + 1]);
        uint8_t b = (uint8_t)(hi << 4 | lo);

        if (hi < 0 || lo < 0) {
            return false;
        }
        g_byte_array_append(out, &b, 1);
    }
    return true;
}

static bool parse_step(const char *entry, Step *s, GError **errp)
{
    g_auto(GStrv) f = NULL;

    *s = (Step){ 0 };
    if (strcmp(entry, "q") == 0) {
        s->kind = STEP_POWER_OFF;
        return true;
    }
    if (strlen(entry) >= 3 && entry[1] == ':') {
        f = g_strsplit(entry + 2, ",", -1);
    }
    if (f != NULL && g_strv_length(f) == 2 && parse_number(f[0], &s->a)) {
        switch (entry[0]) {
        case 'd':
            s->kind = STEP_DIAG308;
            if (parse_number(f[1], &s->b) && s->a <= 0xffff) {
                return true;
            }
            break;
        case 'n':
            s->kind = STEP_DIAG500;
            if (parse_number(f[1], &s->b)) {
                return true;
            }
            break;
        case 'r':
            s->kind = STEP_READ;
            if (parse_number(f[1], &s->b) && s->b > 0 && s->b <= 256) {
                return true;
            }
            break;
        case 'w':
            s->kind = STEP_WRITE;
            s->bytes = g_byte_array_new();
            if (parse_hex_bytes(f[1], s->bytes)) {
                return true;
            }
            g_byte_array_unref(s->bytes);
            s->bytes = NULL;
            break;
        default:
            break;
        }
    }
    g_set_error(errp, HOSTSIM_ERROR, 0,
                "'%s' in %s is not a step. Use d:SUBCODE,ADDR (DIAGNOSE "
                "308), n:SCHID,QUEUE (DIAGNOSE 500), w:GPA,HEXBYTES, "
                "r:GPA,LEN (1-256) or q (power off)", entry,
                S390_ENV("_SCRIPT"));
    return false;
}

static bool parse_script(GError **errp)
{
    const char *text = hostsim_env_string(S390_ENV("_SCRIPT"), NULL);
    g_auto(GStrv) entries = NULL;

    if (text == NULL) {
        return true;
    }
    entries = g_strsplit(text, ";", -1);
    if (g_strv_length(entries) > S390_MAX_SCRIPT) {
        g_set_error(errp, HOSTSIM_ERROR, 0, "%s has more than %d steps",
                    S390_ENV("_SCRIPT"), S390_MAX_SCRIPT);
        return false;
    }
    s390_cfg.script = g_array_new(FALSE, FALSE, sizeof(Step));
    for (char **e = entries; *e != NULL; e++) {
        Step st;

        if (!parse_step(*e, &st, errp)) {
            return false;
        }
        g_array_append_val(s390_cfg.script, st);
    }
    return true;
}

static const FakeKvmArch s390_arch;

static bool s390_init(bool *active, GError **errp)
{
    uint8_t type[2];

    if (!fakekvm_arch_selected(&s390_arch)) {
        for (const char *const *v = s390_env_vars; *v != NULL; v++) {
            if (hostsim_env_string(*v, NULL) != NULL) {
                g_set_error(errp, HOSTSIM_ERROR, 0,
                            "%s is set but %sKVM_ARCH is not s390x. Set "
                            "%sKVM_ARCH=s390x to simulate an IBM Z host", *v,
                            HOSTSIM_ENV_PREFIX, HOSTSIM_ENV_PREFIX);
                return false;
            }
        }
        *active = false;
        return true;
    }
    if (!hostsim_env_bool(S390_ENV("_PROTECTED"), true,
                          &s390_cfg.protected_cap, errp) ||
        !hostsim_env_bool(S390_ENV("_UNPACK"), true, &s390_cfg.unpack,
                          errp) ||
        !hostsim_env_hex(S390_ENV("_CPU_TYPE"), "8561", type, sizeof(type),
                         errp) ||
        !parse_script(errp)) {
        return false;
    }
    s390_cfg.cpu_type = (uint16_t)(type[0] << 8 | type[1]);
    *active = true;
    return true;
}

const HostsimModel hostsim_s390_model = {
    .name = "s390",
    .env_vars = s390_env_vars,
    .fault_commands = s390_fault_commands,
    .parse_status = hostsim_s390_uv_parse_status,
    .init = s390_init,
};

HOSTSIM_MODEL_REGISTER(hostsim_s390_model);

static const FakeKvmArch s390_arch = {
    .name = "s390x",
    .model = &hostsim_s390_model,
    .check_extension = s390_check_extension,
    .vm_created = s390_vm_created,
    .vm_destroyed = s390_vm_destroyed,
    .vcpu_created = s390_vcpu_created,
    .vcpu_destroyed = s390_vcpu_destroyed,
    .enable_cap = s390_enable_cap,
    .vm_ioctl = s390_vm_ioctl,
    .vcpu_ioctl = s390_vcpu_ioctl,
    .complete = s390_complete,
    .run = s390_run,
};

FAKEKVM_ARCH_REGISTER(s390_arch);
