/* s390x under KVM: channel I/O instructions, DIAGNOSE 500, I/O interrupts. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "kvm-s390-internal.h"

#include "hw/s390x/virtio-ccw.h"
#include "util/error.h"

#include <string.h>

/* Function 3 of DIAGNOSE 500: a virtio-ccw queue notification. */
#define DIAG500_VIRTIO_CCW_NOTIFY 3

void kvm_s390_io_irq(void *opaque, uint16_t subchannel_id,
                     uint16_t subchannel_nr, uint32_t parm, uint32_t word)
{
    S390Vm *vm = opaque;
    bool adapter = (word & 0x80000000u) != 0;
    struct kvm_s390_interrupt irq = {
        .type = adapter ? KVM_S390_INT_IO(1, 0, 0, 0)
                        : KVM_S390_INT_IO(0, subchannel_id >> 8,
                                          (subchannel_id >> 1) & 3,
                                          subchannel_nr),
        .parm = (uint32_t)subchannel_id << 16 | subchannel_nr,
        .parm64 = (uint64_t)parm << 32 | word,
    };
    int r = kvm_vm_ioctl(vm->s, KVM_S390_INTERRUPT, &irq);

    /* Only a kernel bug refuses a well-formed I/O interruption. */
    if (r < 0) {
        cg_warn_report("KVM: cannot deliver an I/O interruption for "
                       "subchannel %u: %s", subchannel_nr, g_strerror(-r));
    }
}

/*
 * Reads or writes the guest's operand at logical address @addr through
 * KVM, which translates it and, when the access fails, delivers the
 * exception to the guest itself.  Returns 0, or > 0 when the guest got
 * an exception (the instruction is then not performed), or -errno.
 */
static int memop(KvmVcpu *cpu, uint64_t addr, void *buf, uint32_t len,
                 bool write)
{
    struct kvm_s390_mem_op op;

    memset(&op, 0, sizeof(op));
    op.gaddr = addr;
    op.size = len;
    op.op = write ? KVM_S390_MEMOP_LOGICAL_WRITE
                  : KVM_S390_MEMOP_LOGICAL_READ;
    op.buf = (uintptr_t)buf;
    op.flags = KVM_S390_MEMOP_F_INJECT_EXCEPTION;
    return kvm_vcpu_ioctl(cpu, KVM_S390_MEM_OP, &op);
}

static KvmExitAction fail(KvmVcpu *cpu, GError *err)
{
    machine_request_fail(kvm_machine(kvm_vcpu_state(cpu)), "%s",
                         err->message);
    g_error_free(err);
    return KVM_EXIT_ACTION_STOP;
}

static KvmExitAction pgm(KvmVcpu *cpu, uint16_t code)
{
    GError *err = NULL;

    if (!kvm_s390_program_interrupt(cpu, code, &err)) {
        return fail(cpu, err);
    }
    return KVM_EXIT_ACTION_CONTINUE;
}

KvmExitAction kvm_s390_handle_io_instruction(KvmVcpu *cpu, S390KvmRun *run)
{
    S390Vm *vm = s390_vm(kvm_vcpu_state(cpu));
    MachineState *ms = kvm_machine(kvm_vcpu_state(cpu));
    uint8_t op = (uint8_t)run->u.s390_sieic.ipa;
    uint8_t buf[S390_IRB_SIZE];
    S390Subchannel *sch;
    S390KvmRegs regs;
    GError *err = NULL;
    uint16_t code = 0;
    uint32_t len = 0;
    uint64_t addr;
    int cc = 0;
    int r;

    if (run->psw_mask & S390_PSW_MASK_PSTATE) {
        return pgm(cpu, S390_PGM_PRIVILEGED);
    }
    if (vm->m == NULL || vm->m->css == NULL) {
        return pgm(cpu, S390_PGM_OPERATION);
    }
    if (!kvm_s390_get_regs(cpu, &regs, &err)) {
        return fail(cpu, err);
    }
    addr = kvm_s390_operand_addr(run, &regs, run->u.s390_sieic.ipb);
    switch (op) {
    case 0x32:  /* MODIFY SUBCHANNEL: reads a SCHIB */
        len = S390_SCHIB_SIZE;
        break;
    case 0x33:  /* START SUBCHANNEL: reads an ORB */
        len = S390_ORB_SIZE;
        break;
    case 0x30:  /* CLEAR, HALT, STORE, TEST SUBCHANNEL */
    case 0x31:
    case 0x34:
    case 0x35:
        break;
    case 0x36:  /* TEST PENDING INTERRUPTION: KVM handles it */
    case 0x37:  /* SET ADDRESS LIMIT, CHANNEL PATH and MONITOR ops */
    case 0x38:
    case 0x39:
    case 0x3a:
    case 0x3b:
    case 0x3c:
        /* No channel paths to report, nothing resumes: condition 3. */
        kvm_s390_set_cc(run, 3);
        return KVM_EXIT_ACTION_CONTINUE;
    default:
        return pgm(cpu, S390_PGM_OPERATION);
    }
    if (len != 0) {
        r = memop(cpu, addr, buf, len, false);
        if (r != 0) {
            return r > 0 ? KVM_EXIT_ACTION_CONTINUE
                         : pgm(cpu, S390_PGM_ADDRESSING);
        }
    }
    machine_lock(ms);
    sch = s390_css_find(vm->m->css, (uint32_t)regs.gprs[1]);
    if (sch == NULL) {
        /* A malformed subchannel-id word is a specification error; a
         * well-formed one that names no subchannel, not operational. */
        code = (regs.gprs[1] & 0xfff90000u) != 0x10000u
                   ? S390_PGM_SPECIFICATION
                   : 0;
        cc = 3;
    } else {
        switch (op) {
        case 0x30:
            cc = s390_css_csch(sch);
            break;
        case 0x31:
            cc = s390_css_hsch(sch);
            break;
        case 0x32:
            cc = s390_css_msch(sch, buf, &code);
            break;
        case 0x33:
            cc = s390_css_ssch(sch, buf, &code);
            break;
        case 0x34:
            cc = s390_css_stsch(sch, buf);
            len = S390_SCHIB_SIZE;
            break;
        case 0x35:
            cc = s390_css_tsch(sch, buf);
            len = S390_IRB_SIZE;
            break;
        }
    }
    machine_unlock(ms);
    if (code != 0) {
        return pgm(cpu, code);
    }
    if (sch != NULL && (op == 0x34 || op == 0x35)) {
        r = memop(cpu, addr, buf, len, true);
        if (r != 0) {
            return r > 0 ? KVM_EXIT_ACTION_CONTINUE
                         : pgm(cpu, S390_PGM_ADDRESSING);
        }
    }
    kvm_s390_set_cc(run, (unsigned)cc);
    return KVM_EXIT_ACTION_CONTINUE;
}

KvmExitAction kvm_s390_handle_diag500(KvmVcpu *cpu, S390KvmRun *run)
{
    S390Vm *vm = s390_vm(kvm_vcpu_state(cpu));
    MachineState *ms = kvm_machine(kvm_vcpu_state(cpu));
    S390KvmRegs regs;
    GError *err = NULL;
    bool ok = false;

    if (!kvm_s390_get_regs(cpu, &regs, &err)) {
        return fail(cpu, err);
    }
    if (regs.gprs[1] != DIAG500_VIRTIO_CCW_NOTIFY) {
        return pgm(cpu, S390_PGM_SPECIFICATION);
    }
    if (vm->m != NULL && vm->m->css != NULL) {
        machine_lock(ms);
        ok = virtio_ccw_queue_notify(vm->m->css, (uint32_t)regs.gprs[2],
                                     regs.gprs[3]);
        machine_unlock(ms);
    }
    /* The driver reads 0, or -EINVAL for a queue that does not exist. */
    regs.gprs[2] = ok ? 0 : (uint64_t)-22;
    if (!kvm_s390_set_regs(cpu, &regs, &err)) {
        return fail(cpu, err);
    }
    return KVM_EXIT_ACTION_CONTINUE;
}
