/*
 * Tests of hostsim-fakekvm and its POWER model, through the kernel
 * interface an emulator uses.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The simulator reads its configuration once, when it is loaded, so each
 * case runs this program again ("--scenario NAME") with its own
 * environment and log; the parent checks the exit status, stderr and the
 * log line by line.
 */
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <linux/kvm.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* POWER's register blocks, as the kernel's asm/kvm.h lays them out. */
typedef struct {
    uint64_t pc, cr, ctr, lr, xer, msr, srr0, srr1, pid;
    uint64_t sprg[8];
    uint64_t gpr[32];
} TRegs;

typedef struct {
    uint32_t pvr;
    uint32_t pad;
    uint64_t u[153];
} TSregs;

#define T_GET_REGS _IOR(KVMIO, 0x81, TRegs)
#define T_SET_REGS _IOW(KVMIO, 0x82, TRegs)
#define T_GET_SREGS _IOR(KVMIO, 0x83, TSregs)
#define T_ARCH_COMPAT (KVM_REG_PPC | KVM_REG_SIZE_U32 | 0xb7)
#define T_MEM_SIZE 0x10000

typedef struct Scenario {
    const char *name;
    const char *const *env;     /* NAME=VALUE ..., NULL */
    void (*child)(void);
    const char *log;            /* the exact log the child leaves */
    int status;                 /* expected exit status */
    const char *err;            /* expected stderr (NULL: empty) */
    /* Or: stderr is one line with this prefix, containing err_has. */
    const char *err_prefix;
    const char *err_has;
} Scenario;

#define ENV(...) ((const char *const[]){ __VA_ARGS__, NULL })

static int t_ioctl(int fd, unsigned long req, void *arg)
{
    int r = ioctl(fd, req, arg);

    return r < 0 ? -errno : r;
}

static int open_kvm(void)
{
    int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);

    g_assert_cmpint(fd, >=, 0);
    return fd;
}

static int create_vm(int kvm)
{
    int vm = t_ioctl(kvm, KVM_CREATE_VM, (void *)0);

    g_assert_cmpint(vm, >=, 0);
    return vm;
}

static void *add_memory(int vm, uint32_t slot, uint64_t gpa)
{
    void *mem = mmap(NULL, T_MEM_SIZE, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct kvm_userspace_memory_region r = {
        .slot = slot,
        .guest_phys_addr = gpa,
        .memory_size = T_MEM_SIZE,
        .userspace_addr = (uintptr_t)mem,
    };

    g_assert_true(mem != MAP_FAILED);
    g_assert_cmpint(t_ioctl(vm, KVM_SET_USER_MEMORY_REGION, &r), ==, 0);
    return mem;
}

static struct kvm_run *map_run(int vcpu)
{
    void *run = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu,
                     0);

    g_assert_true(run != MAP_FAILED);
    return run;
}

/* --- the generic part --- */

static void child_basic(void)
{
    int kvm = open_kvm(), vm, vcpu;
    struct stat st;
    void *mem;
    struct kvm_userspace_memory_region r = { 0 };

    /* Not the real KVM device: no kernel is involved at all. */
    g_assert_cmpint(fstat(kvm, &st), ==, 0);
    g_assert_false(S_ISCHR(st.st_mode));
    g_assert_cmpint(t_ioctl(kvm, KVM_GET_API_VERSION, NULL), ==, 12);
    g_assert_cmpint(t_ioctl(kvm, KVM_CHECK_EXTENSION,
                            (void *)KVM_CAP_USER_MEMORY), ==, 1);
    g_assert_cmpint(t_ioctl(kvm, KVM_CHECK_EXTENSION,
                            (void *)KVM_CAP_IMMEDIATE_EXIT), ==, 1);
    g_assert_cmpint(t_ioctl(kvm, KVM_CHECK_EXTENSION,
                            (void *)KVM_CAP_NR_MEMSLOTS), ==, 4);
    g_assert_cmpint(t_ioctl(kvm, KVM_CHECK_EXTENSION,
                            (void *)KVM_CAP_MAX_VCPUS), ==, 2);
    g_assert_cmpint(t_ioctl(kvm, KVM_CHECK_EXTENSION,
                            (void *)KVM_CAP_PPC_ENABLE_HCALL), ==, 1);
    /* An x86 capability: POWER's KVM has none. */
    g_assert_cmpint(t_ioctl(kvm, KVM_CHECK_EXTENSION,
                            (void *)KVM_CAP_IRQCHIP), ==, 0);
    g_assert_cmpint(t_ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, NULL), ==, 8192);
    g_assert_cmpint(t_ioctl(kvm, KVM_GET_SUPPORTED_CPUID, NULL), ==,
                    -EINVAL);
    g_assert_cmpint(t_ioctl(kvm, KVM_CREATE_VM, (void *)7), ==, -EINVAL);
    vm = create_vm(kvm);
    g_assert_cmpint(t_ioctl(vm, KVM_CREATE_IRQCHIP, NULL), ==, -ENOTTY);
    g_assert_cmpint(t_ioctl(vm, KVM_CHECK_EXTENSION,
                            (void *)KVM_CAP_PPC_PAPR), ==, 1);

    mem = add_memory(vm, 0, 0);
    r = (struct kvm_userspace_memory_region){
        .slot = 1, .guest_phys_addr = 0x8000, .memory_size = 0x1000,
        .userspace_addr = (uintptr_t)mem,
    };
    g_assert_cmpint(t_ioctl(vm, KVM_SET_USER_MEMORY_REGION, &r), ==,
                    -EEXIST);
    r.guest_phys_addr = 0x20800;
    g_assert_cmpint(t_ioctl(vm, KVM_SET_USER_MEMORY_REGION, &r), ==,
                    -EINVAL);
    r.guest_phys_addr = 0x20000;
    r.slot = 4;
    g_assert_cmpint(t_ioctl(vm, KVM_SET_USER_MEMORY_REGION, &r), ==,
                    -EINVAL);
    r.slot = 1;
    r.flags = KVM_MEM_READONLY;
    g_assert_cmpint(t_ioctl(vm, KVM_SET_USER_MEMORY_REGION, &r), ==,
                    -EINVAL);
    r.flags = 0;
    g_assert_cmpint(t_ioctl(vm, KVM_SET_USER_MEMORY_REGION, &r), ==, 0);
    r.memory_size = 0;
    g_assert_cmpint(t_ioctl(vm, KVM_SET_USER_MEMORY_REGION, &r), ==, 0);
    g_assert_cmpint(t_ioctl(vm, KVM_SET_USER_MEMORY_REGION, NULL), ==,
                    -EFAULT);

    vcpu = t_ioctl(vm, KVM_CREATE_VCPU, (void *)0);
    g_assert_cmpint(vcpu, >=, 0);
    g_assert_cmpint(t_ioctl(vm, KVM_CREATE_VCPU, (void *)0), ==, -EEXIST);
    g_assert_cmpint(t_ioctl(vm, KVM_CREATE_VCPU, (void *)2), ==, -EINVAL);
    g_assert_cmpint(t_ioctl(vcpu, KVM_GET_FPU, NULL), ==, -ENOTTY);
    /* The run area maps like KVM's. */
    map_run(vcpu)->immediate_exit = 1;
    g_assert_cmpint(t_ioctl(vcpu, KVM_RUN, NULL), ==, -EINTR);
    close(vcpu);
    close(vm);
    close(kvm);
}

static const Scenario basic = {
    .name = "basic",
    .env = ENV("CGEMU_HOSTSIM_KVM_ARCH=ppc64",
               "CGEMU_HOSTSIM_KVM_MAX_VCPUS=2",
               "CGEMU_HOSTSIM_KVM_MEMSLOTS=4"),
    .child = child_basic,
    .log = "kvm open /dev/kvm -> ok\n"
           "kvm CREATE_VM type=7 -> errno EINVAL\n"
           "kvm CREATE_VM type=0 -> ok vm=0\n"
           "kvm SET_USER_MEMORY_REGION vm=0 slot=0 flags=0x0 gpa=0x0 "
           "size=0x10000 -> ok\n"
           "kvm SET_USER_MEMORY_REGION vm=0 slot=1 flags=0x0 gpa=0x8000 "
           "size=0x1000 -> errno EEXIST\n"
           "kvm SET_USER_MEMORY_REGION vm=0 slot=1 flags=0x0 gpa=0x20800 "
           "size=0x1000 -> errno EINVAL\n"
           "kvm SET_USER_MEMORY_REGION vm=0 slot=4 flags=0x0 gpa=0x20000 "
           "size=0x1000 -> errno EINVAL\n"
           "kvm SET_USER_MEMORY_REGION vm=0 slot=1 flags=0x2 gpa=0x20000 "
           "size=0x1000 -> errno EINVAL\n"
           "kvm SET_USER_MEMORY_REGION vm=0 slot=1 flags=0x0 gpa=0x20000 "
           "size=0x1000 -> ok\n"
           "kvm SET_USER_MEMORY_REGION vm=0 slot=1 flags=0x0 gpa=0x20000 "
           "size=0x0 -> ok\n"
           "kvm CREATE_VCPU vm=0 id=0 -> ok\n"
           "kvm CREATE_VCPU vm=0 id=0 -> errno EEXIST\n"
           "kvm CREATE_VCPU vm=0 id=2 -> errno EINVAL\n",
};

/* --- KVM_RUN blocks until the thread is signalled --- */

typedef struct {
    int vcpu;
    pid_t tid;
    int ret;
    gint done;
} RunThread;

static void on_kick(int sig)
{
}

static gpointer run_thread(gpointer opaque)
{
    RunThread *t = opaque;
    sigset_t set;

    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    t->tid = (pid_t)syscall(SYS_gettid);
    t->ret = t_ioctl(t->vcpu, KVM_RUN, NULL);
    g_atomic_int_set(&t->done, 1);
    return NULL;
}

/* Whether thread @tid sits in rt_sigsuspend (the kernel's own view). */
static bool in_sigsuspend(pid_t tid)
{
    g_autofree char *path = g_strdup_printf("/proc/self/task/%d/syscall",
                                            (int)tid);
    g_autofree char *text = NULL;
    g_autofree char *want = g_strdup_printf("%d ", (int)SYS_rt_sigsuspend);

    return g_file_get_contents(path, &text, NULL, NULL) &&
           g_str_has_prefix(text, want);
}

static void child_run_blocks(void)
{
    int kvm = open_kvm(), vm = create_vm(kvm);
    int vcpu = t_ioctl(vm, KVM_CREATE_VCPU, (void *)0);
    struct kvm_run *run = map_run(vcpu);
    struct sigaction sa = { .sa_handler = on_kick };
    RunThread t = { .vcpu = vcpu };
    GThread *th;
    sigset_t set;

    sigaction(SIGUSR1, &sa, NULL);
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    th = g_thread_new("vcpu", run_thread, &t);
    /* Wait (bounded) until the kernel shows the thread asleep in it. */
    for (int i = 0; i < 10000 && !(t.tid && in_sigsuspend(t.tid)); i++) {
        g_usleep(1000);
    }
    g_assert_true(in_sigsuspend(t.tid));
    g_assert_cmpint(g_atomic_int_get(&t.done), ==, 0);
    /* The emulator's kick. */
    __atomic_store_n(&run->immediate_exit, 1, __ATOMIC_SEQ_CST);
    syscall(SYS_tgkill, getpid(), t.tid, SIGUSR1);
    g_thread_join(th);
    g_assert_cmpint(t.ret, ==, -EINTR);
    /* With immediate_exit still set, KVM_RUN returns at once. */
    g_assert_cmpint(t_ioctl(vcpu, KVM_RUN, NULL), ==, -EINTR);
    close(vcpu);
    close(vm);
}

static const Scenario run_blocks = {
    .name = "run-blocks",
    .env = ENV("CGEMU_HOSTSIM_KVM_ARCH=ppc64"),
    .child = child_run_blocks,
    .log = "kvm open /dev/kvm -> ok\n"
           "kvm CREATE_VM type=0 -> ok vm=0\n"
           "kvm CREATE_VCPU vm=0 id=0 -> ok\n",
};

/* --- the POWER model --- */

static void child_pef(void)
{
    int kvm = open_kvm(), vm = create_vm(kvm);
    struct kvm_enable_cap cap = { .cap = KVM_CAP_PPC_SECURE_GUEST };
    struct kvm_enable_cap bad = { .cap = KVM_CAP_IRQCHIP };

    g_assert_cmpint(t_ioctl(vm, KVM_CHECK_EXTENSION,
                            (void *)KVM_CAP_PPC_SECURE_GUEST), ==, 1);
    g_assert_cmpint(t_ioctl(vm, KVM_ENABLE_CAP, &cap), ==, 0);
    g_assert_cmpint(t_ioctl(vm, KVM_ENABLE_CAP, &bad), ==, -EINVAL);
    g_assert_cmpint(t_ioctl(vm, KVM_PPC_SVM_OFF, NULL), ==, 0);
    g_assert_cmpint(t_ioctl(vm, KVM_PPC_SVM_OFF, NULL), ==, 0);
    close(vm);
}

static const Scenario pef = {
    .name = "pef",
    .env = ENV("CGEMU_HOSTSIM_KVM_ARCH=ppc64"),
    .child = child_pef,
    .log = "kvm open /dev/kvm -> ok\n"
           "kvm CREATE_VM type=0 -> ok vm=0\n"
           "ppc CHECK_EXTENSION vm=0 KVM_CAP_PPC_SECURE_GUEST -> 1\n"
           "ppc ENABLE_CAP vm=0 KVM_CAP_PPC_SECURE_GUEST -> ok\n"
           "ppc ENABLE_CAP cap=0 -> errno EINVAL\n"
           "ppc SVM_OFF vm=0 -> ok count=1\n"
           "ppc SVM_OFF vm=0 -> ok count=2\n",
};

static void child_no_uv(void)
{
    int kvm = open_kvm(), vm = create_vm(kvm);
    struct kvm_enable_cap cap = { .cap = KVM_CAP_PPC_SECURE_GUEST };

    g_assert_cmpint(t_ioctl(kvm, KVM_CHECK_EXTENSION,
                            (void *)KVM_CAP_PPC_SECURE_GUEST), ==, 0);
    g_assert_cmpint(t_ioctl(vm, KVM_ENABLE_CAP, &cap), ==, -EINVAL);
}

static const Scenario no_uv = {
    .name = "no-ultravisor",
    .env = ENV("CGEMU_HOSTSIM_KVM_ARCH=ppc64",
               "CGEMU_HOSTSIM_PPC_SECURE_GUEST=0"),
    .child = child_no_uv,
    .log = "kvm open /dev/kvm -> ok\n"
           "kvm CREATE_VM type=0 -> ok vm=0\n"
           "ppc CHECK_EXTENSION KVM_CAP_PPC_SECURE_GUEST -> 0\n"
           "ppc ENABLE_CAP vm=0 KVM_CAP_PPC_SECURE_GUEST -> errno EINVAL\n",
};

static void child_faults(void)
{
    int kvm = open_kvm(), vm = create_vm(kvm);
    struct kvm_enable_cap cap = { .cap = KVM_CAP_PPC_SECURE_GUEST };

    g_assert_cmpint(t_ioctl(vm, KVM_ENABLE_CAP, &cap), ==, -EBUSY);
    g_assert_cmpint(t_ioctl(vm, KVM_ENABLE_CAP, &cap), ==, 0);
    g_assert_cmpint(t_ioctl(vm, KVM_PPC_SVM_OFF, NULL), ==, 0);
    g_assert_cmpint(t_ioctl(vm, KVM_PPC_SVM_OFF, NULL), ==, -EIO);
    g_assert_cmpint(t_ioctl(vm, KVM_PPC_SVM_OFF, NULL), ==, 0);
    g_assert_cmpint(t_ioctl(vm, KVM_CREATE_VCPU, (void *)0), ==, -ENOMEM);
}

static const Scenario faults = {
    .name = "faults",
    .env = ENV("CGEMU_HOSTSIM_KVM_ARCH=ppc64",
               "CGEMU_HOSTSIM_FAIL=ENABLE_CAP:EBUSY@1,SVM_OFF:EIO@2,"
               "kvm.CREATE_VCPU:ENOMEM"),
    .child = child_faults,
    .log = "kvm open /dev/kvm -> ok\n"
           "kvm CREATE_VM type=0 -> ok vm=0\n"
           "ppc ENABLE_CAP vm=0 KVM_CAP_PPC_SECURE_GUEST -> errno EBUSY "
           "injected\n"
           "ppc ENABLE_CAP vm=0 KVM_CAP_PPC_SECURE_GUEST -> ok\n"
           "ppc SVM_OFF vm=0 -> ok count=1\n"
           "ppc SVM_OFF vm=0 -> errno EIO injected\n"
           "ppc SVM_OFF vm=0 -> ok count=2\n"
           "kvm CREATE_VCPU vm=0 id=0 -> errno ENOMEM injected\n",
};

static void child_regs(void)
{
    int kvm = open_kvm(), vm = create_vm(kvm);
    int vcpu = t_ioctl(vm, KVM_CREATE_VCPU, (void *)0);
    struct kvm_enable_cap papr = { .cap = KVM_CAP_PPC_PAPR };
    TSregs sregs;
    TRegs regs = { .pc = 0x100, .msr = 0x8000000000001000ull }, back;
    uint32_t compat = 0x0f000005, got = 0;
    struct kvm_one_reg one = { .id = T_ARCH_COMPAT,
                               .addr = (uintptr_t)&compat };

    g_assert_cmpint(t_ioctl(vcpu, KVM_ENABLE_CAP, &papr), ==, 0);
    memset(&sregs, 0xff, sizeof(sregs));
    g_assert_cmpint(t_ioctl(vcpu, T_GET_SREGS, &sregs), ==, 0);
    g_assert_cmphex(sregs.pvr, ==, 0x00800200);
    g_assert_cmphex(sregs.u[0], ==, 0);
    regs.gpr[3] = 0xfff0000;
    regs.gpr[4] = 0x7;
    g_assert_cmpint(t_ioctl(vcpu, T_SET_REGS, &regs), ==, 0);
    g_assert_cmpint(t_ioctl(vcpu, T_GET_REGS, &back), ==, 0);
    g_assert_cmpmem(&regs, sizeof(regs), &back, sizeof(back));
    g_assert_cmpint(t_ioctl(vcpu, KVM_SET_ONE_REG, &one), ==, 0);
    one.addr = (uintptr_t)&got;
    g_assert_cmpint(t_ioctl(vcpu, KVM_GET_ONE_REG, &one), ==, 0);
    g_assert_cmphex(got, ==, 0x0f000005);
    compat = 0x004e1200;
    one.addr = (uintptr_t)&compat;
    g_assert_cmpint(t_ioctl(vcpu, KVM_SET_ONE_REG, &one), ==, -EINVAL);
    one.id = KVM_REG_PPC | KVM_REG_SIZE_U64 | 0x1;
    g_assert_cmpint(t_ioctl(vcpu, KVM_SET_ONE_REG, &one), ==, -EINVAL);
}

static const Scenario regs = {
    .name = "regs",
    .env = ENV("CGEMU_HOSTSIM_KVM_ARCH=ppc64",
               "CGEMU_HOSTSIM_PPC_PVR=00800200"),
    .child = child_regs,
    .log = "kvm open /dev/kvm -> ok\n"
           "kvm CREATE_VM type=0 -> ok vm=0\n"
           "kvm CREATE_VCPU vm=0 id=0 -> ok\n"
           "ppc ENABLE_CAP vcpu=0 KVM_CAP_PPC_PAPR -> ok\n"
           "ppc SET_REGS vcpu=0 pc=0x100 msr=0x8000000000001000 "
           "r3=0xfff0000 r4=0x7 r5=0x0 -> ok\n"
           "ppc SET_ONE_REG vcpu=0 ARCH_COMPAT=0x0f000005 -> ok\n"
           "ppc SET_ONE_REG vcpu=0 ARCH_COMPAT=0x004e1200 -> errno "
           "EINVAL\n",
};

/*
 * A scripted guest: memory steps and two hypercalls whose results this
 * "emulator" gives; the last result is taken even by a KVM_RUN that
 * immediate_exit cuts short.
 */
static void child_hcalls(void)
{
    int kvm = open_kvm(), vm = create_vm(kvm);
    uint8_t *mem = add_memory(vm, 0, 0);
    int vcpu = t_ioctl(vm, KVM_CREATE_VCPU, (void *)0);
    struct kvm_run *run = map_run(vcpu);

    g_assert_cmpint(t_ioctl(vcpu, KVM_RUN, NULL), ==, 0);
    g_assert_cmpuint(run->exit_reason, ==, KVM_EXIT_PAPR_HCALL);
    g_assert_cmphex(run->papr_hcall.nr, ==, 0x58);
    g_assert_cmphex(run->papr_hcall.args[0], ==, 0x71000000);
    g_assert_cmphex(run->papr_hcall.args[1], ==, 2);
    g_assert_cmphex(run->papr_hcall.args[2], ==, 0x6869000000000000ull);
    g_assert_cmpmem(mem + 0x1000, 3, "\x01\x02\x03", 3);
    run->papr_hcall.ret = 0;
    mem[0x1000] = 0xaa;
    g_assert_cmpint(t_ioctl(vcpu, KVM_RUN, NULL), ==, 0);
    g_assert_cmphex(run->papr_hcall.nr, ==, 0x54);
    run->papr_hcall.ret = (uint64_t)-2;
    run->papr_hcall.args[0] = 5;
    run->immediate_exit = 1;
    g_assert_cmpint(t_ioctl(vcpu, KVM_RUN, NULL), ==, -EINTR);
}

static const Scenario hcalls = {
    .name = "hcalls",
    .env = ENV("CGEMU_HOSTSIM_KVM_ARCH=ppc64",
               "CGEMU_HOSTSIM_PPC_HCALLS=w:0x1000,010203;"
               "h:0x58,0x71000000,2,0x6869000000000000;r:0x1000,2;"
               "w:0xfffff000,00;h:0x54,0x71000000"),
    .child = child_hcalls,
    .log = "kvm open /dev/kvm -> ok\n"
           "kvm CREATE_VM type=0 -> ok vm=0\n"
           "kvm SET_USER_MEMORY_REGION vm=0 slot=0 flags=0x0 gpa=0x0 "
           "size=0x10000 -> ok\n"
           "kvm CREATE_VCPU vm=0 id=0 -> ok\n"
           "ppc WRITE 0x1000 len=3 -> ok\n"
           "ppc HCALL vcpu=0 0x58 -> ret=0 r4=0x71000000 r5=0x2 "
           "r6=0x6869000000000000\n"
           "ppc MEM 0x1000 len=2 -> aa02\n"
           "ppc WRITE 0xfffff000 len=1 -> errno EFAULT\n"
           "ppc HCALL vcpu=0 0x54 -> ret=-2 r4=0x5 r5=0x0 r6=0x0\n",
};

/* --- configuration errors --- */

static void child_never(void)
{
    g_assert_not_reached();
}

/* Other architecture models may be registered: the list only has ppc64. */
static const Scenario bad_arch = {
    .name = "bad-arch",
    .env = ENV("CGEMU_HOSTSIM_KVM_ARCH=arm64"),
    .child = child_never,
    .status = 99,
    .err_prefix = "cgemu-hostsim: CGEMU_HOSTSIM_KVM_ARCH='arm64' is not "
                  "valid. Use one of: ",
    .err_has = "ppc64",
};

static const Scenario ppc_without_arch = {
    .name = "ppc-without-arch",
    .env = ENV("CGEMU_HOSTSIM_PPC_SECURE_GUEST=1"),
    .child = child_never,
    .status = 99,
    .err = "cgemu-hostsim: CGEMU_HOSTSIM_PPC_SECURE_GUEST is set but "
           "CGEMU_HOSTSIM_KVM_ARCH is not ppc64. Set "
           "CGEMU_HOSTSIM_KVM_ARCH=ppc64 to simulate a POWER host\n",
};

static const Scenario kvm_without_arch = {
    .name = "kvm-without-arch",
    .env = ENV("CGEMU_HOSTSIM_KVM_MEMSLOTS=8"),
    .child = child_never,
    .status = 99,
    .err = "cgemu-hostsim: CGEMU_HOSTSIM_KVM_MEMSLOTS is set but "
           "CGEMU_HOSTSIM_KVM_ARCH is not. Set CGEMU_HOSTSIM_KVM_ARCH to "
           "the architecture to simulate\n",
};

static const Scenario bad_script = {
    .name = "bad-script",
    .env = ENV("CGEMU_HOSTSIM_KVM_ARCH=ppc64",
               "CGEMU_HOSTSIM_PPC_HCALLS=h:0x58;x:1"),
    .child = child_never,
    .status = 99,
    .err = "cgemu-hostsim: 'x:1' in CGEMU_HOSTSIM_PPC_HCALLS is not a step. "
           "Use h:NR[,ARG]... (up to 9 arguments), w:GPA,HEXBYTES or "
           "r:GPA,LEN (1-256)\n",
};

static const Scenario bad_pvr = {
    .name = "bad-pvr",
    .env = ENV("CGEMU_HOSTSIM_KVM_ARCH=ppc64", "CGEMU_HOSTSIM_PPC_PVR=4e12"),
    .child = child_never,
    .status = 99,
    .err = "cgemu-hostsim: CGEMU_HOSTSIM_PPC_PVR='4e12' is not 4 bytes of "
           "hex. Use exactly 8 hex digits\n",
};

static const Scenario bad_fault = {
    .name = "bad-fault",
    .env = ENV("CGEMU_HOSTSIM_KVM_ARCH=ppc64",
               "CGEMU_HOSTSIM_FAIL=ppc.SVM_OFF:POLICY_FAILURE"),
    .child = child_never,
    .status = 99,
    .err = "cgemu-hostsim: 'POLICY_FAILURE' is not an errno name; "
           "ppc.SVM_OFF in CGEMU_HOSTSIM_FAIL fails only with an errno such "
           "as ENOMEM\n",
};

static const Scenario *const scenarios[] = {
    &basic, &run_blocks, &pef, &no_uv, &faults, &regs, &hcalls,
    &bad_arch, &ppc_without_arch, &kvm_without_arch, &bad_script, &bad_pvr,
    &bad_fault,
};

static const Scenario *find_scenario(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(scenarios); i++) {
        if (strcmp(scenarios[i]->name, name) == 0) {
            return scenarios[i];
        }
    }
    return NULL;
}

static const char *self_path;

static void run_scenario(gconstpointer data)
{
    const Scenario *sc = data;
    g_autofree char *dir = g_dir_make_tmp("hostsim-fakekvm-XXXXXX", NULL);
    g_autofree char *log = g_build_filename(dir, "log", NULL);
    g_autofree char *out = NULL, *err = NULL, *text = NULL;
    g_autoptr(GError) error = NULL;
    g_auto(GStrv) env = g_get_environ();
    const char *argv[] = { self_path, "--scenario", sc->name, NULL };
    int status;

    g_assert_nonnull(dir);
    env = g_environ_setenv(env, "CGEMU_HOSTSIM_LOG", log, TRUE);
    for (const char *const *e = sc->env; *e; e++) {
        g_auto(GStrv) kv = g_strsplit(*e, "=", 2);
        env = g_environ_setenv(env, kv[0], kv[1], TRUE);
    }
    g_assert_true(g_spawn_sync(NULL, (char **)argv, env, 0, NULL, NULL,
                               &out, &err, &status, &error));
    g_assert_no_error(error);
    if (sc->err_prefix) {
        const char *nl = strchr(err, '\n');

        g_assert_true(g_str_has_prefix(err, sc->err_prefix));
        g_assert_nonnull(strstr(err + strlen(sc->err_prefix),
                                sc->err_has));
        /* One line. */
        g_assert_nonnull(nl);
        g_assert_cmpint(nl[1], ==, '\0');
    } else {
        g_assert_cmpstr(err, ==, sc->err ? sc->err : "");
    }
    g_assert_cmpint(WIFEXITED(status) ? WEXITSTATUS(status) : -1, ==,
                    sc->status);
    if (sc->log) {
        g_assert_true(g_file_get_contents(log, &text, NULL, NULL));
        g_assert_cmpstr(text, ==, sc->log);
    }
    g_unlink(log);
    g_rmdir(dir);
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--scenario") == 0) {
        const Scenario *sc = find_scenario(argv[2]);

        g_assert_nonnull(sc);
        sc->child();
        return 0;
    }
    g_test_init(&argc, &argv, NULL);
    self_path = argv[0];
    if (!g_getenv("LD_PRELOAD")) {
        g_error("run through meson: the simulator must be preloaded");
    }
    for (size_t i = 0; i < G_N_ELEMENTS(scenarios); i++) {
        g_autofree char *path = g_strdup_printf("/hostsim/fakekvm/%s",
                                                scenarios[i]->name);
        g_test_add_data_func(path, scenarios[i], run_scenario);
    }
    return g_test_run();
}
