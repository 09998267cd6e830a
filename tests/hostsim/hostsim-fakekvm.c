/*
 * Host simulator: a whole simulated KVM of another architecture.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The contract for arch models is in hostsim-fakekvm.h.  Facts from the
 * KVM API documentation (Documentation/virt/kvm/api.rst) and the
 * kernel's generic ioctl code (virt/kvm/kvm_main.c): API version 12,
 * the checks of KVM_SET_USER_MEMORY_REGION and KVM_CREATE_VCPU, EINVAL
 * for unknown /dev/kvm ioctls, ENOTTY for unknown VM and vCPU ioctls.
 */
#include "hostsim-fakekvm.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define FAKEKVM_ENV(suffix) HOSTSIM_ENV_PREFIX "KVM" suffix
#define FAKEKVM_API_VERSION 12
#define FAKEKVM_PAGE 4096u
#define FAKEKVM_RUN_SIZE (2 * FAKEKVM_PAGE)
#define FAKEKVM_MAX_VCPUS_LIMIT 16384
#define FAKEKVM_MEMSLOTS_LIMIT 32767

struct FakeKvmVm {
    gint refs;
    unsigned index;
    GArray *slots;          /* FakeKvmSlot, by slot number */
    GPtrArray *vcpus;       /* FakeKvmVcpu *, borrowed, until closed */
    gpointer data;
};

struct FakeKvmVcpu {
    gint refs;
    uint32_t id;
    FakeKvmVm *vm;          /* a reference */
    struct kvm_run *run;    /* our own mapping of the vCPU's memfd */
    gpointer data;
};

static const char *const fakekvm_env_vars[] = {
    FAKEKVM_ENV("_ARCH"),
    FAKEKVM_ENV("_DEVICE"),
    FAKEKVM_ENV("_MAX_VCPUS"),
    FAKEKVM_ENV("_MEMSLOTS"),
    NULL,
};

static const char *const fakekvm_fault_commands[] = {
    "CREATE_VM",
    "CREATE_VCPU",
    "SET_USER_MEMORY_REGION",
    NULL,
};

/* Bounds of the section FAKEKVM_ARCH_REGISTER fills; weak if empty. */
extern const FakeKvmArch *const __start_hostsim_fakekvm_archs[]
    __attribute__((weak, visibility("hidden")));
extern const FakeKvmArch *const __stop_hostsim_fakekvm_archs[]
    __attribute__((weak, visibility("hidden")));

/* Configuration and state, under the simulator's lock (hostsim.h). */
static struct {
    const FakeKvmArch *arch;
    const char *device;
    unsigned max_vcpus;
    unsigned memslots;
    unsigned next_vm;
} fk;

/* The vCPU whose KVM_RUN blocks next, handed to the unlocked half. */
static __thread FakeKvmVcpu *fakekvm_pending_run;

extern const HostsimModel hostsim_fakekvm_model;

/* --- objects --- */

static void fakekvm_vm_unref(FakeKvmVm *vm)
{
    if (g_atomic_int_dec_and_test(&vm->refs)) {
        g_array_unref(vm->slots);
        g_ptr_array_unref(vm->vcpus);
        g_free(vm);
    }
}

static void fakekvm_vcpu_unref(FakeKvmVcpu *vcpu)
{
    if (g_atomic_int_dec_and_test(&vcpu->refs)) {
        munmap(vcpu->run, FAKEKVM_RUN_SIZE);
        fakekvm_vm_unref(vcpu->vm);
        g_free(vcpu);
    }
}

unsigned fakekvm_vm_index(const FakeKvmVm *vm)
{
    return vm->index;
}

gpointer fakekvm_vm_get_data(const FakeKvmVm *vm)
{
    return vm->data;
}

void fakekvm_vm_set_data(FakeKvmVm *vm, gpointer data)
{
    vm->data = data;
}

const GArray *fakekvm_vm_slots(const FakeKvmVm *vm)
{
    return vm->slots;
}

FakeKvmVcpu *fakekvm_vm_vcpu(const FakeKvmVm *vm, uint32_t id)
{
    for (guint i = 0; i < vm->vcpus->len; i++) {
        FakeKvmVcpu *v = g_ptr_array_index(vm->vcpus, i);

        if (v->id == id) {
            return v;
        }
    }
    return NULL;
}

uint32_t fakekvm_vcpu_id(const FakeKvmVcpu *vcpu)
{
    return vcpu->id;
}

FakeKvmVm *fakekvm_vcpu_vm(const FakeKvmVcpu *vcpu)
{
    return vcpu->vm;
}

gpointer fakekvm_vcpu_get_data(const FakeKvmVcpu *vcpu)
{
    return vcpu->data;
}

void fakekvm_vcpu_set_data(FakeKvmVcpu *vcpu, gpointer data)
{
    vcpu->data = data;
}

struct kvm_run *fakekvm_vcpu_run(const FakeKvmVcpu *vcpu)
{
    return vcpu->run;
}

static const FakeKvmSlot *fakekvm_slot_of(const FakeKvmVm *vm, uint64_t gpa,
                                          size_t len)
{
    for (guint i = 0; i < vm->slots->len; i++) {
        const FakeKvmSlot *s = &g_array_index(vm->slots, FakeKvmSlot, i);

        if (gpa >= s->gpa && len <= s->size && gpa - s->gpa <= s->size - len) {
            return s;
        }
    }
    return NULL;
}

bool fakekvm_guest_read(const FakeKvmVm *vm, uint64_t gpa, void *buf,
                        size_t len)
{
    const FakeKvmSlot *s = fakekvm_slot_of(vm, gpa, len);

    return s && hostsim_read_user(buf, s->uaddr + (gpa - s->gpa), len) == 0;
}

bool fakekvm_guest_write(const FakeKvmVm *vm, uint64_t gpa, const void *buf,
                         size_t len)
{
    const FakeKvmSlot *s = fakekvm_slot_of(vm, gpa, len);

    return s && !(s->flags & KVM_MEM_READONLY) &&
           hostsim_write_user(s->uaddr + (gpa - s->gpa), buf, len) == 0;
}

/* --- archs --- */

static size_t fakekvm_arch_count(void)
{
    if (!__start_hostsim_fakekvm_archs) {
        return 0;
    }
    return __stop_hostsim_fakekvm_archs - __start_hostsim_fakekvm_archs;
}

bool fakekvm_arch_selected(const FakeKvmArch *arch)
{
    const char *want = hostsim_env_string(FAKEKVM_ENV("_ARCH"), NULL);

    return want && strcmp(want, arch->name) == 0;
}

/* --- /dev/kvm --- */

static int fakekvm_new_memfd(int flags, size_t size)
{
    int fd = memfd_create("cgemu-hostsim-kvm",
                          (flags & O_CLOEXEC) ? MFD_CLOEXEC : 0);

    if (fd < 0) {
        return -errno;
    }
    if (size && ftruncate(fd, (off_t)size) < 0) {
        int e = errno;

        hostsim_real_close(fd);
        return -e;
    }
    return fd;
}

static int fakekvm_open(const char *path, int flags, mode_t mode)
{
    int fd;

    if (strcmp(path, fk.device) != 0) {
        return HOSTSIM_PASS;
    }
    fd = fakekvm_new_memfd(flags, 0);
    if (fd < 0) {
        hostsim_log(&hostsim_fakekvm_model, "open %s -> errno %s", path,
                    hostsim_errno_name(-fd));
        return fd;
    }
    hostsim_fd_track(fd, HOSTSIM_FD_KVM, &hostsim_fakekvm_model, NULL);
    hostsim_log(&hostsim_fakekvm_model, "open %s -> ok", path);
    return fd;
}

static int fakekvm_check_extension(FakeKvmVm *vm, unsigned long cap)
{
    switch (cap) {
    case KVM_CAP_USER_MEMORY:
    case KVM_CAP_IMMEDIATE_EXIT:
    case KVM_CAP_CHECK_EXTENSION_VM:
        return 1;
    case KVM_CAP_NR_MEMSLOTS:
        return (int)fk.memslots;
    case KVM_CAP_NR_VCPUS:
    case KVM_CAP_MAX_VCPUS:
        return (int)fk.max_vcpus;
    default:
        return fk.arch->check_extension
                   ? fk.arch->check_extension(vm, cap) : 0;
    }
}

/* An injected errno for @command, logged; 0 when none. */
static int fakekvm_fault(const char *command, const char *what)
{
    HostsimFault fault;

    if (!hostsim_fault_take(&hostsim_fakekvm_model, command, &fault)) {
        return 0;
    }
    hostsim_log(&hostsim_fakekvm_model, "%s -> errno %s injected", what,
                hostsim_errno_name((int)fault.value));
    return -(int)fault.value;
}

static int fakekvm_create_vm(unsigned long type)
{
    g_autofree char *what = g_strdup_printf("CREATE_VM type=%lu", type);
    FakeKvmVm *vm;
    HostsimFd *rec;
    int fd, r;

    r = fakekvm_fault("CREATE_VM", what);
    if (r < 0) {
        return r;
    }
    fd = fakekvm_new_memfd(O_CLOEXEC, 0);
    if (fd < 0) {
        return fd;
    }
    vm = g_new0(FakeKvmVm, 1);
    vm->refs = 1;
    vm->slots = g_array_new(FALSE, FALSE, sizeof(FakeKvmSlot));
    vm->vcpus = g_ptr_array_new();
    vm->index = fk.next_vm;
    r = fk.arch->vm_created ? fk.arch->vm_created(vm, type) : 0;
    if (r < 0) {
        hostsim_log(&hostsim_fakekvm_model, "%s -> errno %s", what,
                    hostsim_errno_name(-r));
        fakekvm_vm_unref(vm);
        hostsim_real_close(fd);
        return r;
    }
    fk.next_vm++;
    rec = hostsim_fd_track(fd, HOSTSIM_FD_VM, &hostsim_fakekvm_model, NULL);
    hostsim_fd_set_data(rec, &hostsim_fakekvm_model, vm);
    hostsim_log(&hostsim_fakekvm_model, "%s -> ok vm=%u", what, vm->index);
    return fd;
}

static int fakekvm_dev_ioctl(unsigned long request, void *arg)
{
    switch (request) {
    case KVM_GET_API_VERSION:
        return FAKEKVM_API_VERSION;
    case KVM_CHECK_EXTENSION:
        return fakekvm_check_extension(NULL, (unsigned long)arg);
    case KVM_GET_VCPU_MMAP_SIZE:
        return FAKEKVM_RUN_SIZE;
    case KVM_CREATE_VM:
        return fakekvm_create_vm((unsigned long)arg);
    default:
        return -EINVAL;
    }
}

/* --- VMs --- */

static int fakekvm_create_vcpu(HostsimFd *vmrec, FakeKvmVm *vm,
                               unsigned long id)
{
    g_autofree char *what = g_strdup_printf("CREATE_VCPU vm=%u id=%lu",
                                            vm->index, id);
    FakeKvmVcpu *vcpu;
    HostsimFd *rec;
    void *run;
    int fd, r;

    if (id >= fk.max_vcpus || vm->vcpus->len >= fk.max_vcpus) {
        hostsim_log(&hostsim_fakekvm_model, "%s -> errno EINVAL", what);
        return -EINVAL;
    }
    if (fakekvm_vm_vcpu(vm, (uint32_t)id)) {
        hostsim_log(&hostsim_fakekvm_model, "%s -> errno EEXIST", what);
        return -EEXIST;
    }
    r = fakekvm_fault("CREATE_VCPU", what);
    if (r < 0) {
        return r;
    }
    fd = fakekvm_new_memfd(O_CLOEXEC, FAKEKVM_RUN_SIZE);
    if (fd < 0) {
        return fd;
    }
    run = mmap(NULL, FAKEKVM_RUN_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
               fd, 0);
    if (run == MAP_FAILED) {
        r = -errno;
        hostsim_real_close(fd);
        return r;
    }
    vcpu = g_new0(FakeKvmVcpu, 1);
    vcpu->refs = 1;
    vcpu->id = (uint32_t)id;
    vcpu->run = run;
    vcpu->vm = vm;
    g_atomic_int_inc(&vm->refs);
    r = fk.arch->vcpu_created ? fk.arch->vcpu_created(vcpu) : 0;
    if (r < 0) {
        hostsim_log(&hostsim_fakekvm_model, "%s -> errno %s", what,
                    hostsim_errno_name(-r));
        fakekvm_vcpu_unref(vcpu);
        hostsim_real_close(fd);
        return r;
    }
    g_ptr_array_add(vm->vcpus, vcpu);
    rec = hostsim_fd_track(fd, HOSTSIM_FD_VCPU, &hostsim_fakekvm_model,
                           vmrec);
    hostsim_fd_set_data(rec, &hostsim_fakekvm_model, vcpu);
    hostsim_log(&hostsim_fakekvm_model, "%s -> ok", what);
    return fd;
}

static gint fakekvm_slot_cmp(gconstpointer a, gconstpointer b)
{
    const FakeKvmSlot *x = a, *y = b;

    return x->slot < y->slot ? -1 : x->slot > y->slot;
}

/* KVM's checks, in its order; then the fault point. */
static int fakekvm_check_region(FakeKvmVm *vm,
                                const struct kvm_userspace_memory_region *m,
                                guint *existing)
{
    uint32_t allowed = KVM_MEM_LOG_DIRTY_PAGES;

    if (fakekvm_check_extension(vm, KVM_CAP_READONLY_MEM) > 0) {
        allowed |= KVM_MEM_READONLY;
    }
    if ((m->flags & ~allowed) || (m->memory_size & (FAKEKVM_PAGE - 1)) ||
        (m->guest_phys_addr & (FAKEKVM_PAGE - 1)) ||
        (m->userspace_addr & (FAKEKVM_PAGE - 1)) ||
        (m->slot & 0xffff) >= fk.memslots || (m->slot >> 16) != 0 ||
        m->guest_phys_addr + m->memory_size < m->guest_phys_addr) {
        return -EINVAL;
    }
    *existing = G_MAXUINT;
    for (guint i = 0; i < vm->slots->len; i++) {
        const FakeKvmSlot *s = &g_array_index(vm->slots, FakeKvmSlot, i);

        if (s->slot == m->slot) {
            *existing = i;
            /* Only flags and the guest address may change. */
            if (m->memory_size != 0 && (s->size != m->memory_size ||
                                        s->uaddr != m->userspace_addr)) {
                return -EINVAL;
            }
            continue;
        }
        if (m->memory_size != 0 && m->guest_phys_addr < s->gpa + s->size &&
            s->gpa < m->guest_phys_addr + m->memory_size) {
            return -EEXIST;
        }
    }
    return 0;
}

static int fakekvm_set_region(FakeKvmVm *vm, void *arg)
{
    struct kvm_userspace_memory_region m;
    g_autofree char *what = NULL;
    FakeKvmSlot slot;
    guint existing;
    int r;

    if (hostsim_read_user(&m, (uintptr_t)arg, sizeof(m)) < 0) {
        return -EFAULT;
    }
    what = g_strdup_printf("SET_USER_MEMORY_REGION vm=%u slot=%u flags=0x%x "
                           "gpa=0x%llx size=0x%llx", vm->index, m.slot,
                           m.flags, (unsigned long long)m.guest_phys_addr,
                           (unsigned long long)m.memory_size);
    r = fakekvm_check_region(vm, &m, &existing);
    if (r < 0) {
        hostsim_log(&hostsim_fakekvm_model, "%s -> errno %s", what,
                    hostsim_errno_name(-r));
        return r;
    }
    r = fakekvm_fault("SET_USER_MEMORY_REGION", what);
    if (r < 0) {
        return r;
    }
    if (existing != G_MAXUINT) {
        g_array_remove_index(vm->slots, existing);
    }
    if (m.memory_size != 0) {
        slot = (FakeKvmSlot){ m.slot, m.flags, m.guest_phys_addr,
                              m.memory_size, m.userspace_addr };
        g_array_append_val(vm->slots, slot);
        g_array_sort(vm->slots, fakekvm_slot_cmp);
    }
    hostsim_log(&hostsim_fakekvm_model, "%s -> ok", what);
    return 0;
}

static int fakekvm_enable_cap(FakeKvmVm *vm, FakeKvmVcpu *vcpu, void *arg)
{
    struct kvm_enable_cap cap;

    if (hostsim_read_user(&cap, (uintptr_t)arg, sizeof(cap)) < 0) {
        return -EFAULT;
    }
    return fk.arch->enable_cap ? fk.arch->enable_cap(vm, vcpu, &cap)
                               : -EINVAL;
}

static int fakekvm_vm_ioctl(HostsimFd *rec, FakeKvmVm *vm,
                            unsigned long request, void *arg)
{
    int r;

    switch (request) {
    case KVM_CHECK_EXTENSION:
        return fakekvm_check_extension(vm, (unsigned long)arg);
    case KVM_CREATE_VCPU:
        return fakekvm_create_vcpu(rec, vm, (unsigned long)arg);
    case KVM_SET_USER_MEMORY_REGION:
        return fakekvm_set_region(vm, arg);
    case KVM_ENABLE_CAP:
        return fakekvm_enable_cap(vm, NULL, arg);
    default:
        r = fk.arch->vm_ioctl ? fk.arch->vm_ioctl(vm, request, arg)
                              : HOSTSIM_PASS;
        return r == HOSTSIM_PASS ? -ENOTTY : r;
    }
}

/* --- vCPUs --- */

static int fakekvm_run(FakeKvmVcpu *vcpu)
{
    if (fk.arch->complete) {
        fk.arch->complete(vcpu, vcpu->run);
    }
    if (__atomic_load_n(&vcpu->run->immediate_exit, __ATOMIC_SEQ_CST)) {
        return -EINTR;
    }
    if (fk.arch->run && fk.arch->run(vcpu, vcpu->run)) {
        return 0;
    }
    g_atomic_int_inc(&vcpu->refs);
    fakekvm_pending_run = vcpu;
    return HOSTSIM_UNLOCKED;
}

static int fakekvm_vcpu_ioctl(FakeKvmVcpu *vcpu, unsigned long request,
                              void *arg)
{
    int r;

    switch (request) {
    case KVM_RUN:
        return fakekvm_run(vcpu);
    case KVM_ENABLE_CAP:
        return fakekvm_enable_cap(vcpu->vm, vcpu, arg);
    default:
        r = fk.arch->vcpu_ioctl ? fk.arch->vcpu_ioctl(vcpu, request, arg)
                                : HOSTSIM_PASS;
        return r == HOSTSIM_PASS ? -ENOTTY : r;
    }
}

/*
 * A vCPU that never leaves the guest: wait for a signal to this thread.
 * Everything is blocked while immediate_exit is checked, and sigsuspend
 * restores the caller's mask atomically, so a kick sent at any point
 * (flag set, then signal) ends the wait.
 */
static int fakekvm_ioctl_unlocked(int fd, unsigned long request, void *arg)
{
    FakeKvmVcpu *vcpu = fakekvm_pending_run;
    sigset_t all, old;

    fakekvm_pending_run = NULL;
    if (!vcpu) {
        return -EINVAL;
    }
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    if (!__atomic_load_n(&vcpu->run->immediate_exit, __ATOMIC_SEQ_CST)) {
        sigsuspend(&old);
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    fakekvm_vcpu_unref(vcpu);
    return -EINTR;
}

/* --- the model --- */

static int fakekvm_ioctl(HostsimFd *rec, unsigned long request, void *arg)
{
    if (hostsim_fd_owner(rec) != &hostsim_fakekvm_model) {
        return HOSTSIM_PASS;
    }
    switch (hostsim_fd_kind(rec)) {
    case HOSTSIM_FD_KVM:
        return fakekvm_dev_ioctl(request, arg);
    case HOSTSIM_FD_VM:
        return fakekvm_vm_ioctl(rec, hostsim_fd_get_data(
                                         rec, &hostsim_fakekvm_model),
                                request, arg);
    case HOSTSIM_FD_VCPU:
        return fakekvm_vcpu_ioctl(hostsim_fd_get_data(
                                      rec, &hostsim_fakekvm_model),
                                  request, arg);
    default:
        return HOSTSIM_PASS;
    }
}

static void fakekvm_fd_closed(HostsimFd *rec)
{
    gpointer data;

    if (hostsim_fd_owner(rec) != &hostsim_fakekvm_model) {
        return;
    }
    data = hostsim_fd_get_data(rec, &hostsim_fakekvm_model);
    hostsim_fd_set_data(rec, &hostsim_fakekvm_model, NULL);
    if (!data) {
        return;
    }
    if (hostsim_fd_kind(rec) == HOSTSIM_FD_VM) {
        FakeKvmVm *vm = data;

        if (fk.arch->vm_destroyed) {
            fk.arch->vm_destroyed(vm);
        }
        fakekvm_vm_unref(vm);
    } else if (hostsim_fd_kind(rec) == HOSTSIM_FD_VCPU) {
        FakeKvmVcpu *vcpu = data;

        g_ptr_array_remove(vcpu->vm->vcpus, vcpu);
        if (fk.arch->vcpu_destroyed) {
            fk.arch->vcpu_destroyed(vcpu);
        }
        fakekvm_vcpu_unref(vcpu);
    }
}

static bool fakekvm_init(bool *active, GError **errp)
{
    size_t n = fakekvm_arch_count();
    g_autoptr(GPtrArray) names = g_ptr_array_new();
    unsigned choice;

    for (size_t i = 0; i < n; i++) {
        const FakeKvmArch *a = __start_hostsim_fakekvm_archs[i];

        g_ptr_array_add(names, (gpointer)a->name);
    }
    g_ptr_array_add(names, NULL);
    fk.device = hostsim_env_string(FAKEKVM_ENV("_DEVICE"), "/dev/kvm");
    if (!hostsim_env_string(FAKEKVM_ENV("_ARCH"), NULL)) {
        for (const char *const *v = fakekvm_env_vars + 1; *v; v++) {
            if (hostsim_env_string(*v, NULL)) {
                g_set_error(errp, HOSTSIM_ERROR, 0,
                            "%s is set but %s is not. Set %s to the "
                            "architecture to simulate", *v,
                            FAKEKVM_ENV("_ARCH"), FAKEKVM_ENV("_ARCH"));
                return false;
            }
        }
        *active = false;
        return true;
    }
    if (!hostsim_env_choice(FAKEKVM_ENV("_ARCH"),
                            (const char *const *)names->pdata, 0, &choice,
                            errp) ||
        !hostsim_env_uint(FAKEKVM_ENV("_MAX_VCPUS"), 1024,
                          FAKEKVM_MAX_VCPUS_LIMIT, &fk.max_vcpus, errp) ||
        !hostsim_env_uint(FAKEKVM_ENV("_MEMSLOTS"), 32,
                          FAKEKVM_MEMSLOTS_LIMIT, &fk.memslots, errp)) {
        return false;
    }
    if (fk.device[0] != '/') {
        g_set_error(errp, HOSTSIM_ERROR, 0,
                    "%s='%s' is not an absolute path. Use e.g. /dev/kvm",
                    FAKEKVM_ENV("_DEVICE"), fk.device);
        return false;
    }
    fk.arch = __start_hostsim_fakekvm_archs[choice];
    *active = true;
    return true;
}

const HostsimModel hostsim_fakekvm_model = {
    .name = "kvm",
    .env_vars = fakekvm_env_vars,
    .fault_commands = fakekvm_fault_commands,
    .errno_only_commands = fakekvm_fault_commands,
    .init = fakekvm_init,
    .open = fakekvm_open,
    .ioctl = fakekvm_ioctl,
    .fd_closed = fakekvm_fd_closed,
    .ioctl_unlocked = fakekvm_ioctl_unlocked,
};

HOSTSIM_MODEL_REGISTER(hostsim_fakekvm_model);
