/*
 * Tests of the host simulator's IBM Z model (hostsim-s390.c): the s390x
 * KVM and its Ultravisor, through the kernel interface an emulator uses.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The simulator reads its configuration when it is loaded, so each case
 * runs this program again (--case NAME) with its own environment and
 * log; the parent checks exit status, stderr and the s390 model's log
 * lines.  The case's checks run in the child: a failed assertion there
 * is a child that did not exit 0.
 */
#include "../../include/target/s390x/kvm-s390-abi.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <stdbool.h>
#include <sys/wait.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define MEM_SIZE 0x200000
#define PAGE 4096
#define SEGMENT 0x100000

typedef struct Case {
    const char *name;
    const char *const *env;
    void (*child)(void);
    const char *log;            /* the s390 lines the child leaves */
    int status;
    const char *err;
} Case;

#define ENV(...) ((const char *const[]){ __VA_ARGS__, NULL })

static const char *self;

static int t_ioctl(int fd, unsigned long req, void *arg)
{
    int r = ioctl(fd, req, arg);

    return r < 0 ? -errno : r;
}

typedef struct {
    int kvm, vm, vcpu;
    uint8_t *mem;               /* guest-physical 0 .. MEM_SIZE */
    S390KvmRun *run;
} T;

static void t_vm(T *t, bool vcpu)
{
    struct kvm_userspace_memory_region r = { 0 };

    t->kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    g_assert_cmpint(t->kvm, >=, 0);
    t->vm = t_ioctl(t->kvm, KVM_CREATE_VM, (void *)0);
    g_assert_cmpint(t->vm, >=, 0);
    /* On a 1 MiB boundary, as s390 KVM wants its memory slots. */
    t->mem = mmap(NULL, MEM_SIZE + SEGMENT, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    g_assert_true(t->mem != MAP_FAILED);
    t->mem = (uint8_t *)(((uintptr_t)t->mem + SEGMENT - 1) &
                         ~(uintptr_t)(SEGMENT - 1));
    r.memory_size = MEM_SIZE;
    r.userspace_addr = (uintptr_t)t->mem;
    g_assert_cmpint(t_ioctl(t->vm, KVM_SET_USER_MEMORY_REGION, &r), ==, 0);
    t->vcpu = -1;
    if (vcpu) {
        t->vcpu = t_ioctl(t->vm, KVM_CREATE_VCPU, (void *)0);
        g_assert_cmpint(t->vcpu, >=, 0);
        t->run = mmap(NULL, sizeof(S390KvmRun), PROT_READ | PROT_WRITE,
                      MAP_SHARED, t->vcpu, 0);
        g_assert_true(t->run != MAP_FAILED);
    }
}

/* KVM_S390_PV_COMMAND: the ioctl's result, the UV's codes. */
static int pv(T *t, uint32_t cmd, void *data, uint16_t *rc, uint16_t *rrc)
{
    struct kvm_pv_cmd c = { .cmd = cmd, .data = (uintptr_t)data };
    int r = t_ioctl(t->vm, KVM_S390_PV_COMMAND, &c);

    *rc = c.rc;
    *rrc = c.rrc;
    return r;
}

static void pv_ok(T *t, uint32_t cmd, void *data)
{
    uint16_t rc, rrc;

    g_assert_cmpint(pv(t, cmd, data, &rc, &rrc), ==, 0);
    g_assert_cmphex(rc, ==, 1);
}

static void pv_fails(T *t, uint32_t cmd, void *data, int err, uint16_t want_rc,
                     uint16_t want_rrc)
{
    uint16_t rc = 0xffff, rrc = 0xffff;

    g_assert_cmpint(pv(t, cmd, data, &rc, &rrc), ==, -err);
    if (want_rc != 0) {
        g_assert_cmphex(rc, ==, want_rc);
        g_assert_cmphex(rrc, ==, want_rrc);
    }
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        p[i] = (uint8_t)(v >> (24 - 8 * i));
    }
}

static void put64(uint8_t *p, uint64_t v)
{
    put32(p, v >> 32);
    put32(p + 4, (uint32_t)v);
}

/*
 * A 512-byte SE header for pages @addr (@n of them, tweak @tweak, offsets
 * from 0) whose contents are in t->mem, as the model checks it.
 */
static void header(T *t, uint8_t *h, uint64_t addr, unsigned n,
                   uint64_t tweak)
{
    GChecksum *pld = g_checksum_new(G_CHECKSUM_SHA512);
    GChecksum *ald = g_checksum_new(G_CHECKSUM_SHA512);
    GChecksum *tld = g_checksum_new(G_CHECKSUM_SHA512);
    gsize len = 64;

    memset(h, 0, 512);
    memcpy(h, "IBMSecEx", 8);
    put32(h + 8, 0x100);
    put32(h + 12, 512);
    put64(h + 32, 1);
    put64(h + 48, n);
    for (unsigned i = 0; i < n; i++) {
        uint8_t b[16];

        put64(b, addr + (uint64_t)i * PAGE);
        g_checksum_update(ald, b, 8);
        put64(b, tweak);
        put64(b + 8, (uint64_t)i * PAGE);
        g_checksum_update(tld, b, 16);
        g_checksum_update(pld, t->mem + addr + (uint64_t)i * PAGE, PAGE);
    }
    g_checksum_get_digest(pld, h + 224, &len);
    g_checksum_get_digest(ald, h + 288, &len);
    g_checksum_get_digest(tld, h + 352, &len);
    g_checksum_free(pld);
    g_checksum_free(ald);
    g_checksum_free(tld);
}

static void fill(T *t, uint64_t addr, size_t len, uint8_t seed)
{
    for (size_t i = 0; i < len; i++) {
        t->mem[addr + i] = (uint8_t)(seed + i * 13);
    }
}

/* --- capabilities and the CPU model ------------------------------------- */

static int ext(int fd, long cap)
{
    return t_ioctl(fd, KVM_CHECK_EXTENSION, (void *)cap);
}

static int attr(int vm, unsigned long req, uint64_t group, uint64_t a,
                void *data)
{
    struct kvm_device_attr d = { .group = (uint32_t)group, .attr = a,
                                 .addr = (uintptr_t)data };

    return t_ioctl(vm, req, &d);
}

static void child_model(void)
{
    T t;
    g_autofree S390VmCpuMachine *mach = g_new0(S390VmCpuMachine, 1);
    g_autofree S390VmCpuProcessor *proc = g_new0(S390VmCpuProcessor, 1);
    bool unpack = strcmp(g_getenv("CGEMU_HOSTSIM_S390_UNPACK"), "1") == 0;

    t_vm(&t, false);
    g_assert_cmpint(ext(t.kvm, KVM_CAP_S390_PSW), ==, 1);
    g_assert_cmpint(ext(t.vm, KVM_CAP_S390_PROTECTED), ==, unpack ? 1 : 0);
    g_assert_cmpint(ext(t.vm, KVM_CAP_S390_VCPU_RESETS), ==, 1);
    g_assert_cmpint(ext(t.kvm, KVM_CAP_IRQCHIP), ==, 0);
    g_assert_cmpint(attr(t.vm, KVM_HAS_DEVICE_ATTR, S390_VM_CPU_MODEL,
                         S390_VM_CPU_MACHINE, NULL), ==, 0);
    g_assert_cmpint(attr(t.vm, KVM_HAS_DEVICE_ATTR, S390_VM_CPU_MODEL, 9,
                         NULL), ==, -ENXIO);
    g_assert_cmpint(attr(t.vm, KVM_GET_DEVICE_ATTR, S390_VM_CPU_MODEL,
                         S390_VM_CPU_MACHINE, mach), ==, 0);
    g_assert_cmphex((mach->cpuid >> 16) & 0xffff, ==, 0x3931);
    g_assert_cmpint(s390_fac_test(mach->fac_list, 161), ==, unpack);
    g_assert_cmpint(s390_fac_test(mach->fac_mask, 161), ==, 1);
    g_assert_cmpint(s390_fac_test(mach->fac_list, 129), ==, 1);
    proc->cpuid = 0x3931ull << 16;
    s390_fac_set(proc->fac_list, 161);
    g_assert_cmpint(attr(t.vm, KVM_SET_DEVICE_ATTR, S390_VM_CPU_MODEL,
                         S390_VM_CPU_PROCESSOR, proc), ==, 0);
    /* Once a vCPU exists the model is fixed. */
    g_assert_cmpint(t_ioctl(t.vm, KVM_CREATE_VCPU, (void *)0), >=, 0);
    g_assert_cmpint(attr(t.vm, KVM_SET_DEVICE_ATTR, S390_VM_CPU_MODEL,
                         S390_VM_CPU_PROCESSOR, proc), ==, -EBUSY);
}

/* --- the Ultravisor ------------------------------------------------------- */

static void child_uv(void)
{
    T t;
    uint8_t h[512];
    struct kvm_s390_pv_sec_parm parm = { .origin = (uintptr_t)h,
                                         .length = sizeof(h) };
    struct kvm_s390_pv_unp a = { 0x10000, 2 * PAGE, 0x100 };
    struct kvm_s390_pv_unp b = { 0x20000, PAGE, 0x200 };
    struct kvm_s390_pv_unp bad;

    t_vm(&t, true);
    fill(&t, 0x10000, 2 * PAGE, 1);
    fill(&t, 0x20000, PAGE, 2);
    header(&t, h, 0x10000, 2, 0x100);
    /* Only ENABLE while not protected. */
    pv_fails(&t, KVM_PV_SET_SEC_PARMS, &parm, EINVAL, 0, 0);
    pv_fails(&t, KVM_PV_VERIFY, NULL, EINVAL, 0, 0);
    pv_ok(&t, KVM_PV_ENABLE, NULL);
    pv_fails(&t, KVM_PV_ENABLE, NULL, EINVAL, 0, 0);
    /* Header checks: magic, version, length, content. */
    h[0] ^= 1;
    pv_fails(&t, KVM_PV_SET_SEC_PARMS, &parm, EINVAL, 0x0102, 0);
    h[0] ^= 1;
    h[10] = 0;                                  /* version 0x100 -> 0 */
    pv_fails(&t, KVM_PV_SET_SEC_PARMS, &parm, EINVAL, 0x0103, 0);
    h[10] = 1;
    parm.length = 480;
    pv_fails(&t, KVM_PV_SET_SEC_PARMS, &parm, EINVAL, 0x0104, 1);
    parm.length = 512;
    h[39] = 0;                                  /* no key slot */
    pv_fails(&t, KVM_PV_SET_SEC_PARMS, &parm, EINVAL, 0x0105, 0);
    h[39] = 1;
    parm.length = 3 * PAGE;                     /* the kernel's limit */
    pv_fails(&t, KVM_PV_SET_SEC_PARMS, &parm, EINVAL, 0, 0);
    parm.length = 512;
    /* UNPACK needs the parameters first. */
    pv_fails(&t, KVM_PV_UNPACK, &a, EINVAL, 0x0100, 0);
    pv_ok(&t, KVM_PV_SET_SEC_PARMS, &parm);
    pv_fails(&t, KVM_PV_SET_SEC_PARMS, &parm, EINVAL, 0x0100, 0);
    /* Whole pages (the kernel's check), in guest memory (the UV's). */
    bad = (struct kvm_s390_pv_unp){ 0x10800, PAGE, 0x100 };
    pv_fails(&t, KVM_PV_UNPACK, &bad, EINVAL, 0, 0);
    bad = (struct kvm_s390_pv_unp){ 0x10000, 0, 0x100 };
    pv_fails(&t, KVM_PV_UNPACK, &bad, EINVAL, 0, 0);
    bad = (struct kvm_s390_pv_unp){ MEM_SIZE, PAGE, 0x100 };
    pv_fails(&t, KVM_PV_UNPACK, &bad, EINVAL, 0x0106, 0);
    pv_ok(&t, KVM_PV_UNPACK, &a);
    pv_fails(&t, KVM_PV_UNPACK, &a, EINVAL, 0x0107, 0);
    pv_ok(&t, KVM_PV_PREP_RESET, NULL);
    pv_ok(&t, KVM_PV_VERIFY, NULL);
    /* Verified: the image is fixed now. */
    pv_fails(&t, KVM_PV_UNPACK, &b, EINVAL, 0x0100, 0);
    pv_ok(&t, KVM_PV_UNSHARE_ALL, NULL);
    pv_ok(&t, KVM_PV_DISABLE, NULL);
    pv_fails(&t, KVM_PV_DISABLE, NULL, EINVAL, 0, 0);
}

/* VERIFY finds each way an image can differ from its header. */
static void child_verify(void)
{
    T t;
    uint8_t h[512];
    struct kvm_s390_pv_sec_parm parm = { .origin = (uintptr_t)h,
                                         .length = sizeof(h) };
    struct kvm_s390_pv_unp one = { 0x10000, PAGE, 0x100 };
    struct kvm_s390_pv_unp two = { 0x10000, 2 * PAGE, 0x100 };
    struct kvm_s390_pv_unp moved = { 0x30000, 2 * PAGE, 0x100 };
    struct kvm_s390_pv_unp tweak = { 0x10000, 2 * PAGE, 0x101 };

    t_vm(&t, false);
    fill(&t, 0x10000, 2 * PAGE, 7);
    fill(&t, 0x30000, 2 * PAGE, 7);
    header(&t, h, 0x10000, 2, 0x100);
    /* A page missing (rrc 1), other addresses (2), another tweak (3),
     * other contents (4). */
    pv_ok(&t, KVM_PV_ENABLE, NULL);
    pv_ok(&t, KVM_PV_SET_SEC_PARMS, &parm);
    pv_ok(&t, KVM_PV_UNPACK, &one);
    pv_fails(&t, KVM_PV_VERIFY, NULL, EINVAL, 0x0108, 1);
    pv_ok(&t, KVM_PV_DISABLE, NULL);
    pv_ok(&t, KVM_PV_ENABLE, NULL);
    pv_ok(&t, KVM_PV_SET_SEC_PARMS, &parm);
    pv_ok(&t, KVM_PV_UNPACK, &moved);
    pv_fails(&t, KVM_PV_VERIFY, NULL, EINVAL, 0x0108, 2);
    pv_ok(&t, KVM_PV_DISABLE, NULL);
    pv_ok(&t, KVM_PV_ENABLE, NULL);
    pv_ok(&t, KVM_PV_SET_SEC_PARMS, &parm);
    pv_ok(&t, KVM_PV_UNPACK, &tweak);
    pv_fails(&t, KVM_PV_VERIFY, NULL, EINVAL, 0x0108, 3);
    pv_ok(&t, KVM_PV_DISABLE, NULL);
    t.mem[0x10001] ^= 0xff;
    pv_ok(&t, KVM_PV_ENABLE, NULL);
    pv_ok(&t, KVM_PV_SET_SEC_PARMS, &parm);
    pv_ok(&t, KVM_PV_UNPACK, &two);
    pv_fails(&t, KVM_PV_VERIFY, NULL, EINVAL, 0x0108, 4);
}

/* Injected failures: the Nth call of a command, by UV name or errno. */
static void child_faults(void)
{
    T t;
    uint8_t h[512];
    struct kvm_s390_pv_sec_parm parm = { .origin = (uintptr_t)h,
                                         .length = sizeof(h) };
    struct kvm_s390_pv_unp a = { 0x10000, PAGE, 0x100 };
    struct kvm_s390_pv_unp b = { 0x11000, PAGE, 0x101 };

    t_vm(&t, false);
    pv_fails(&t, KVM_PV_ENABLE, NULL, EBUSY, 0, 0);
    pv_ok(&t, KVM_PV_ENABLE, NULL);
    header(&t, h, 0x10000, 1, 0x100);
    pv_ok(&t, KVM_PV_SET_SEC_PARMS, &parm);
    pv_ok(&t, KVM_PV_UNPACK, &a);
    pv_fails(&t, KVM_PV_UNPACK, &b, EINVAL, 0x0106, 0);
    pv_fails(&t, KVM_PV_VERIFY, NULL, EINVAL, 0x0123, 0);
}

/* A host without protected virtualization: no PV command at all. */
static void child_no_pv(void)
{
    T t;

    t_vm(&t, false);
    g_assert_cmpint(ext(t.vm, KVM_CAP_S390_PROTECTED), ==, 0);
    pv_fails(&t, KVM_PV_ENABLE, NULL, EINVAL, 0, 0);
}

/* --- vCPUs and the script ------------------------------------------------- */

static void child_vcpu(void)
{
    T t;
    S390KvmRegs regs;
    struct kvm_s390_psw psw = { .mask = 0x180000000ull, .addr = 0x10000 };
    struct kvm_mp_state mp = { .mp_state = KVM_MP_STATE_OPERATING };
    struct kvm_s390_irq irq = { .type = KVM_S390_PROGRAM_INT };

    t_vm(&t, true);
    /* First exit: subcode 8 for the block at 0x8000, R1=4, R3=6. */
    g_assert_cmpint(t_ioctl(t.vcpu, KVM_RUN, NULL), ==, 0);
    g_assert_cmpuint(t.run->exit_reason, ==, KVM_EXIT_S390_SIEIC);
    g_assert_cmphex(t.run->u.s390_sieic.icptcode, ==, S390_ICPT_INSTRUCTION);
    g_assert_cmphex(t.run->u.s390_sieic.ipa, ==, 0x8346);
    g_assert_cmphex(t.run->u.s390_sieic.ipb, ==, 0x03080000);
    g_assert_cmpint(t_ioctl(t.vcpu, S390_KVM_GET_REGS, &regs), ==, 0);
    g_assert_cmphex(regs.gprs[4], ==, 0x8000);
    g_assert_cmphex(regs.gprs[6], ==, 8);
    regs.gprs[5] = 1;
    g_assert_cmpint(t_ioctl(t.vcpu, S390_KVM_SET_REGS, &regs), ==, 0);
    /* The script wrote memory on the way to the second exit. */
    g_assert_cmpint(t_ioctl(t.vcpu, KVM_RUN, NULL), ==, 0);
    g_assert_cmphex(t.mem[0x9000], ==, 0xca);
    g_assert_cmphex(t.run->u.s390_sieic.ipa, ==, 0x8324);
    g_assert_cmphex(t.run->u.s390_sieic.ipb, ==, 0x05000000);
    g_assert_cmpint(t_ioctl(t.vcpu, KVM_RUN, NULL), ==, 0);
    g_assert_cmphex(t.run->u.s390_sieic.icptcode, ==, S390_ICPT_WAITPSW);
    g_assert_cmphex(t.run->psw_addr, ==, 0xfff);
    /* Script done: an idle guest, which the kick ends. */
    t.run->immediate_exit = 1;
    g_assert_cmpint(t_ioctl(t.vcpu, KVM_RUN, NULL), ==, -EINTR);
    g_assert_cmpint(t_ioctl(t.vcpu, KVM_S390_SET_INITIAL_PSW, &psw), ==, 0);
    g_assert_cmpint(t_ioctl(t.vcpu, KVM_SET_MP_STATE, &mp), ==, 0);
    irq.u.pgm.code = 6;
    g_assert_cmpint(t_ioctl(t.vcpu, KVM_S390_IRQ, &irq), ==, 0);
    g_assert_cmpint(t_ioctl(t.vcpu, KVM_S390_CLEAR_RESET, NULL), ==, 0);
    g_assert_cmpint(t_ioctl(t.vcpu, S390_KVM_GET_REGS, &regs), ==, 0);
    g_assert_cmphex(regs.gprs[4], ==, 0);
    /* A protected vCPU's PSW is the Ultravisor's. */
    pv_ok(&t, KVM_PV_ENABLE, NULL);
    g_assert_cmpint(t_ioctl(t.vcpu, KVM_S390_SET_INITIAL_PSW, &psw), ==,
                    -EINVAL);
}

/* A slot not in whole segments: the first vCPU is refused. */
static void child_slots(void)
{
    int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    int vm = t_ioctl(kvm, KVM_CREATE_VM, (void *)0);
    uint8_t *mem = mmap(NULL, 2 * SEGMENT, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct kvm_userspace_memory_region r = {
        .memory_size = 0x10000,
        .userspace_addr = ((uintptr_t)mem + SEGMENT - 1) &
                          ~(uintptr_t)(SEGMENT - 1),
    };

    g_assert_cmpint(vm, >=, 0);
    g_assert_cmpint(t_ioctl(vm, KVM_SET_USER_MEMORY_REGION, &r), ==, 0);
    g_assert_cmpint(t_ioctl(vm, KVM_CREATE_VCPU, (void *)0), ==, -EINVAL);
}

static void child_none(void)
{
}

static const Case cases[] = {
    { "model", ENV("CGEMU_HOSTSIM_S390_UNPACK=1",
                   "CGEMU_HOSTSIM_S390_CPU_TYPE=3931"),
      child_model,
      "CHECK_EXTENSION KVM_CAP_S390_PROTECTED -> 1\n"
      "GET_DEVICE_ATTR vm=0 CPU_MACHINE -> ok type=0x3931 unpack=1\n"
      "SET_DEVICE_ATTR vm=0 CPU_PROCESSOR type=0x3931 ibc=0x000 unpack=1 "
      "-> ok\n"
      "SET_DEVICE_ATTR vm=0 CPU_PROCESSOR -> errno EBUSY\n", 0, NULL },
    { "model-no-unpack", ENV("CGEMU_HOSTSIM_S390_UNPACK=0",
                             "CGEMU_HOSTSIM_S390_PROTECTED=0",
                             "CGEMU_HOSTSIM_S390_CPU_TYPE=3931"),
      child_model, NULL, 0, NULL },
    { "uv", ENV("CGEMU_HOSTSIM_S390_UNPACK=1"), child_uv,
      "PV SET_SEC_PARMS vm=0 -> errno EINVAL\n"
      "PV VERIFY vm=0 -> errno EINVAL\n"
      "PV ENABLE vm=0 -> ok\n"
      "PV ENABLE vm=0 -> errno EINVAL\n"
      "PV SET_SEC_PARMS vm=0 len=512 -> error HEADER_MAGIC(0x0102) "
      "rrc=0x0000\n"
      "PV SET_SEC_PARMS vm=0 len=512 -> error HEADER_VERSION(0x0103) "
      "rrc=0x0000\n"
      "PV SET_SEC_PARMS vm=0 len=480 -> error HEADER_LENGTH(0x0104) "
      "rrc=0x0001\n"
      "PV SET_SEC_PARMS vm=0 len=512 -> error HEADER_CONTENT(0x0105) "
      "rrc=0x0000\n"
      "PV SET_SEC_PARMS vm=0 len=12288 -> errno EINVAL\n"
      "PV UNPACK vm=0 addr=0x10000 size=0x2000 tweak=0x100 -> error "
      "INVALID_STATE(0x0100) rrc=0x0000\n"
      "PV SET_SEC_PARMS vm=0 len=512 -> ok\n"
      "PV SET_SEC_PARMS vm=0 len=512 -> error INVALID_STATE(0x0100) "
      "rrc=0x0000\n"
      "PV UNPACK vm=0 addr=0x10800 size=0x1000 tweak=0x100 -> errno "
      "EINVAL\n"
      "PV UNPACK vm=0 addr=0x10000 size=0x0 tweak=0x100 -> errno EINVAL\n"
      "PV UNPACK vm=0 addr=0x200000 size=0x1000 tweak=0x100 -> error "
      "PAGE_ADDRESS(0x0106) rrc=0x0000\n"
      "PV UNPACK vm=0 addr=0x10000 size=0x2000 tweak=0x100 -> ok "
      "pages=2\n"
      "PV UNPACK vm=0 addr=0x10000 size=0x2000 tweak=0x100 -> error "
      "PAGE_UNPACKED(0x0107) rrc=0x0000\n"
      "PV PREP_RESET vm=0 -> ok\n"
      "PV VERIFY vm=0 -> ok\n"
      "PV UNPACK vm=0 addr=0x20000 size=0x1000 tweak=0x200 -> error "
      "INVALID_STATE(0x0100) rrc=0x0000\n"
      "PV UNSHARE_ALL vm=0 -> ok\n"
      "PV DISABLE vm=0 -> ok\n"
      "PV DISABLE vm=0 -> errno EINVAL\n", 0, NULL },
    { "verify", ENV("CGEMU_HOSTSIM_S390_UNPACK=1"), child_verify, NULL, 0,
      NULL },
    { "faults", ENV("CGEMU_HOSTSIM_FAIL=s390.ENABLE:EBUSY@1,"
                    "s390.UNPACK:PAGE_ADDRESS@2,s390.VERIFY:0x123"),
      child_faults,
      "PV ENABLE vm=0 -> errno EBUSY injected\n"
      "PV ENABLE vm=0 -> ok\n"
      "PV SET_SEC_PARMS vm=0 len=512 -> ok\n"
      "PV UNPACK vm=0 addr=0x10000 size=0x1000 tweak=0x100 -> ok pages=1\n"
      "PV UNPACK vm=0 addr=0x11000 size=0x1000 tweak=0x101 -> error "
      "PAGE_ADDRESS(0x0106) rrc=0x0000 injected\n"
      "PV VERIFY vm=0 -> error UV(0x0123) rrc=0x0000 injected\n", 0, NULL },
    { "no-pv", ENV("CGEMU_HOSTSIM_S390_PROTECTED=0"), child_no_pv,
      "CHECK_EXTENSION KVM_CAP_S390_PROTECTED -> 0\n"
      "PV ENABLE vm=0 -> errno EINVAL\n", 0, NULL },
    { "vcpu", ENV("CGEMU_HOSTSIM_S390_SCRIPT=d:8,0x8000;w:0x9000,ca;"
                  "n:0x10000,1;q"),
      child_vcpu,
      "RUN vcpu=0 -> DIAG 0x308 subcode=8 addr=0x8000\n"
      "DIAG 0x308 vcpu=0 done r5=0x1 protected=0\n"
      "WRITE 0x9000 len=1 -> ok\n"
      "RUN vcpu=0 -> DIAG 0x500 schid=0x10000 queue=1\n"
      "DIAG 0x500 vcpu=0 done r2=0x10000 protected=0\n"
      "RUN vcpu=0 -> disabled wait at 0xfff\n"
      "SET_INITIAL_PSW vcpu=0 mask=0x0000000180000000 addr=0x10000 -> ok\n"
      "SET_MP_STATE vcpu=0 OPERATING -> ok\n"
      "IRQ vcpu=0 program code=0x0006 -> ok\n"
      "CLEAR_RESET vcpu=0 -> ok\n"
      "PV ENABLE vm=0 -> ok\n"
      "SET_INITIAL_PSW vcpu=0 -> errno EINVAL (protected)\n", 0, NULL },
    { "slot-alignment", ENV("CGEMU_HOSTSIM_S390_UNPACK=1"), child_slots,
      "CREATE_VCPU vm=0 -> errno EINVAL (memory slot 0 is not in whole 1 "
      "MiB segments)\n", 0, NULL },
    { "bad-script", ENV("CGEMU_HOSTSIM_KVM_ARCH=s390x",
                        "CGEMU_HOSTSIM_S390_SCRIPT=d:8"),
      child_none, NULL, 99,
      "cgemu-hostsim: 'd:8' in CGEMU_HOSTSIM_S390_SCRIPT is not a step. "
      "Use d:SUBCODE,ADDR (DIAGNOSE 308), n:SCHID,QUEUE (DIAGNOSE 500), "
      "w:GPA,HEXBYTES, r:GPA,LEN (1-256) or q (power off)\n" },
    { "not-selected", ENV("CGEMU_HOSTSIM_KVM_ARCH=",
                          "CGEMU_HOSTSIM_S390_UNPACK=1"),
      child_none, NULL, 99,
      "cgemu-hostsim: CGEMU_HOSTSIM_S390_UNPACK is set but "
      "CGEMU_HOSTSIM_KVM_ARCH is not s390x. Set CGEMU_HOSTSIM_KVM_ARCH=s390x "
      "to simulate an IBM Z host\n" },
};

/* The lines of the s390 model, without the prefix. */
static char *s390_lines(const char *text)
{
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    GString *out = g_string_new(NULL);

    for (char **l = lines; *l != NULL; l++) {
        if (g_str_has_prefix(*l, "s390 ")) {
            g_string_append_printf(out, "%s\n", *l + 5);
        }
    }
    return g_string_free(out, FALSE);
}

static void run_case(gconstpointer data)
{
    const Case *c = data;
    g_autofree char *dir = g_dir_make_tmp("hostsim-s390-XXXXXX", NULL);
    g_autofree char *log = g_build_filename(dir, "log", NULL);
    g_autofree char *out = NULL, *err = NULL, *text = NULL;
    g_autofree char *lines = NULL;
    g_autoptr(GError) error = NULL;
    g_auto(GStrv) env = g_get_environ();
    const char *argv[] = { self, "--case", c->name, NULL };
    int status;

    env = g_environ_setenv(env, "CGEMU_HOSTSIM_KVM_ARCH", "s390x", TRUE);
    env = g_environ_setenv(env, "CGEMU_HOSTSIM_LOG", log, TRUE);
    for (const char *const *e = c->env; *e != NULL; e++) {
        g_auto(GStrv) kv = g_strsplit(*e, "=", 2);

        env = g_environ_setenv(env, kv[0], kv[1], TRUE);
    }
    g_assert_true(g_spawn_sync(NULL, (char **)argv, env, 0, NULL, NULL,
                               &out, &err, &status, &error));
    g_assert_no_error(error);
    g_assert_cmpstr(err, ==, c->err ? c->err : "");
    g_assert_cmpint(WIFEXITED(status) ? WEXITSTATUS(status) : -1, ==,
                    c->status);
    if (c->log != NULL) {
        g_assert_true(g_file_get_contents(log, &text, NULL, NULL));
        lines = s390_lines(text);
        g_assert_cmpstr(lines, ==, c->log);
    }
    g_unlink(log);
    g_rmdir(dir);
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--case") == 0) {
        for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
            if (strcmp(cases[i].name, argv[2]) == 0) {
                cases[i].child();
                return 0;
            }
        }
        return 2;
    }
    g_test_init(&argc, &argv, NULL);
    self = argv[0];
    if (g_getenv("LD_PRELOAD") == NULL) {
        g_error("run through meson: the simulator must be preloaded");
    }
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *path = g_strdup_printf("/hostsim/s390/%s",
                                                cases[i].name);
        g_test_add_data_func(path, &cases[i], run_case);
    }
    return g_test_run();
}
