/*
 * Host simulator core: interposition, tracked fds and dispatch to models.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/*
 * The interposed symbols must be the plain libc ones; large-file and
 * fortify redirections in the system headers would rename them.
 */
#undef _FILE_OFFSET_BITS
#undef _FORTIFY_SOURCE

#include "hostsim-core.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* Enough for every technology; checked when the library loads. */
#define HOSTSIM_MAX_MODELS 8

/* The KVM misc device, whatever path it was opened by. */
#define HOSTSIM_KVM_MAJOR 10
#define HOSTSIM_KVM_MINOR 232

struct HostsimFd {
    int fd;
    HostsimFdKind kind;
    const HostsimModel *owner;
    HostsimFd *vm;     /* vCPU: its VM, NULL once the VM fd closed */
    GArray *vcpu_ids;  /* VM: guint32 ids in creation order */
    int open_flags;
    gpointer data[HOSTSIM_MAX_MODELS];
};

typedef int (*HostsimOpenFn)(const char *path, int flags, ...);
typedef int (*HostsimOpenatFn)(int dirfd, const char *path, int flags, ...);
typedef int (*HostsimCloseFn)(int fd);
typedef int (*HostsimIoctlFn)(int fd, unsigned long request, ...);

/* Bounds of the section HOSTSIM_MODEL_REGISTER fills; weak if empty. */
extern const HostsimModel *const __start_hostsim_models[]
    __attribute__((weak, visibility("hidden")));
extern const HostsimModel *const __stop_hostsim_models[]
    __attribute__((weak, visibility("hidden")));

static GMutex hostsim_lock;
static bool hostsim_ready;
static bool hostsim_active[HOSTSIM_MAX_MODELS];
static GHashTable *hostsim_fds;

static HostsimOpenFn real_open_fn;
static HostsimOpenatFn real_openat_fn;
static HostsimCloseFn real_close_fn;
static HostsimIoctlFn real_ioctl_fn;

G_DEFINE_QUARK(cgemu-hostsim-error-quark, hostsim_error)

/* --- real functions --- */

static void *hostsim_resolve(void **slot, const char *name)
{
    void *fn = __atomic_load_n(slot, __ATOMIC_ACQUIRE);

    if (!fn) {
        fn = dlsym(RTLD_NEXT, name);
        __atomic_store_n(slot, fn, __ATOMIC_RELEASE);
    }
    return fn;
}

static int hostsim_call_open(const char *path, int flags, mode_t mode)
{
    HostsimOpenFn fn = hostsim_resolve((void **)&real_open_fn, "open64");

    if (!fn) {
        return syscall(SYS_openat, AT_FDCWD, path, flags, mode);
    }
    return fn(path, flags, mode);
}

static int hostsim_call_openat(int dirfd, const char *path, int flags,
                               mode_t mode)
{
    HostsimOpenatFn fn = hostsim_resolve((void **)&real_openat_fn,
                                         "openat64");

    if (!fn) {
        return syscall(SYS_openat, dirfd, path, flags, mode);
    }
    return fn(dirfd, path, flags, mode);
}

int hostsim_real_open(const char *path, int flags, mode_t mode)
{
    return hostsim_call_open(path, flags, mode);
}

int hostsim_real_close(int fd)
{
    HostsimCloseFn fn = hostsim_resolve((void **)&real_close_fn, "close");

    if (!fn) {
        return syscall(SYS_close, fd);
    }
    return fn(fd);
}

int hostsim_real_ioctl(int fd, unsigned long request, void *arg)
{
    HostsimIoctlFn fn = hostsim_resolve((void **)&real_ioctl_fn, "ioctl");

    if (!fn) {
        return syscall(SYS_ioctl, fd, request, arg);
    }
    return fn(fd, request, arg);
}

/* --- models --- */

size_t hostsim_model_count(void)
{
    if (!__start_hostsim_models) {
        return 0;
    }
    return __stop_hostsim_models - __start_hostsim_models;
}

const HostsimModel *hostsim_model_at(size_t i)
{
    return __start_hostsim_models[i];
}

bool hostsim_model_active(size_t i)
{
    return hostsim_active[i];
}

static size_t hostsim_model_index(const HostsimModel *m)
{
    size_t n = hostsim_model_count();

    for (size_t i = 0; i < n; i++) {
        if (hostsim_model_at(i) == m) {
            return i;
        }
    }
    g_error("hostsim: model '%s' is not registered", m->name);
}

/* --- tracked fds --- */

static void hostsim_fd_free(HostsimFd *rec)
{
    if (rec->vcpu_ids) {
        g_array_unref(rec->vcpu_ids);
    }
    g_free(rec);
}

/* Forget @rec: models first, then vCPUs that point at it.  Lock held. */
static void hostsim_fd_forget(HostsimFd *rec)
{
    size_t n = hostsim_model_count();
    GHashTableIter iter;
    gpointer value;

    g_hash_table_remove(hostsim_fds, GINT_TO_POINTER(rec->fd));
    for (size_t i = 0; i < n; i++) {
        const HostsimModel *m = hostsim_model_at(i);

        if (hostsim_active[i] && m->fd_closed) {
            m->fd_closed(rec);
        }
    }
    if (rec->kind == HOSTSIM_FD_VM) {
        g_hash_table_iter_init(&iter, hostsim_fds);
        while (g_hash_table_iter_next(&iter, NULL, &value)) {
            HostsimFd *other = value;

            if (other->vm == rec) {
                other->vm = NULL;
            }
        }
    }
    hostsim_fd_free(rec);
}

HostsimFd *hostsim_fd_lookup(int fd)
{
    return g_hash_table_lookup(hostsim_fds, GINT_TO_POINTER(fd));
}

HostsimFd *hostsim_fd_track(int fd, HostsimFdKind kind,
                            const HostsimModel *owner, HostsimFd *vm)
{
    HostsimFd *stale = hostsim_fd_lookup(fd);
    HostsimFd *rec;

    /* The number was reused behind our back (dup2, close_range, ...). */
    if (stale) {
        hostsim_fd_forget(stale);
    }
    rec = g_new0(HostsimFd, 1);
    rec->fd = fd;
    rec->kind = kind;
    rec->owner = owner;
    rec->vm = vm;
    if (kind == HOSTSIM_FD_VM) {
        rec->vcpu_ids = g_array_new(FALSE, FALSE, sizeof(guint32));
    }
    g_hash_table_insert(hostsim_fds, GINT_TO_POINTER(fd), rec);
    return rec;
}

int hostsim_fd_number(const HostsimFd *fd)
{
    return fd->fd;
}

HostsimFdKind hostsim_fd_kind(const HostsimFd *fd)
{
    return fd->kind;
}

const HostsimModel *hostsim_fd_owner(const HostsimFd *fd)
{
    return fd->owner;
}

int hostsim_fd_open_flags(const HostsimFd *fd)
{
    return fd->open_flags;
}

void hostsim_fd_set_open_flags(HostsimFd *fd, int flags)
{
    fd->open_flags = flags;
}

const GArray *hostsim_vm_vcpu_ids(const HostsimFd *vm)
{
    return vm->vcpu_ids;
}

HostsimFd *hostsim_vcpu_vm(const HostsimFd *vcpu)
{
    return vcpu->vm;
}

gpointer hostsim_fd_get_data(const HostsimFd *fd, const HostsimModel *m)
{
    return fd->data[hostsim_model_index(m)];
}

void hostsim_fd_set_data(HostsimFd *fd, const HostsimModel *m, gpointer data)
{
    fd->data[hostsim_model_index(m)] = data;
}

/* --- dispatch --- */

static int hostsim_result(int r)
{
    if (r < 0) {
        errno = -r;
        return -1;
    }
    return r;
}

/* A real open succeeded: drop a stale record, recognise /dev/kvm. */
static void hostsim_note_open(int fd)
{
    int saved = errno;
    struct stat st;
    bool is_kvm;
    HostsimFd *stale;

    is_kvm = fstat(fd, &st) == 0 && S_ISCHR(st.st_mode) &&
             st.st_rdev == makedev(HOSTSIM_KVM_MAJOR, HOSTSIM_KVM_MINOR);
    g_mutex_lock(&hostsim_lock);
    stale = hostsim_fd_lookup(fd);
    if (stale) {
        hostsim_fd_forget(stale);
    }
    if (is_kvm) {
        hostsim_fd_track(fd, HOSTSIM_FD_KVM, NULL, NULL);
    }
    g_mutex_unlock(&hostsim_lock);
    errno = saved;
}

/* Ask the models for an open of an absolute path; HOSTSIM_PASS if none. */
static int hostsim_models_open(const char *path, int flags, mode_t mode)
{
    size_t n = hostsim_model_count();
    int r = HOSTSIM_PASS;

    g_mutex_lock(&hostsim_lock);
    for (size_t i = 0; i < n && r == HOSTSIM_PASS; i++) {
        const HostsimModel *m = hostsim_model_at(i);

        if (hostsim_active[i] && m->open) {
            r = m->open(path, flags, mode);
        }
    }
    g_mutex_unlock(&hostsim_lock);
    return r;
}

static int hostsim_open_common(bool at, int dirfd, const char *path,
                               int flags, mode_t mode)
{
    int fd;

    if (__atomic_load_n(&hostsim_ready, __ATOMIC_ACQUIRE) && path &&
        path[0] == '/') {
        int r = hostsim_models_open(path, flags, mode);

        if (r != HOSTSIM_PASS) {
            return hostsim_result(r);
        }
    }
    fd = at ? hostsim_call_openat(dirfd, path, flags, mode)
            : hostsim_call_open(path, flags, mode);
    if (fd >= 0 && __atomic_load_n(&hostsim_ready, __ATOMIC_ACQUIRE)) {
        hostsim_note_open(fd);
    }
    return fd;
}

static bool hostsim_needs_mode(int flags)
{
    return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE;
}

#define HOSTSIM_MODE_ARG(flags, mode)                                        \
    do {                                                                     \
        if (hostsim_needs_mode(flags)) {                                     \
            va_list ap;                                                      \
            va_start(ap, flags);                                             \
            mode = va_arg(ap, mode_t);                                       \
            va_end(ap);                                                      \
        }                                                                    \
    } while (0)

int open(const char *path, int flags, ...)
{
    mode_t mode = 0;

    HOSTSIM_MODE_ARG(flags, mode);
    return hostsim_open_common(false, AT_FDCWD, path, flags, mode);
}

int open64(const char *path, int flags, ...)
{
    mode_t mode = 0;

    HOSTSIM_MODE_ARG(flags, mode);
    return hostsim_open_common(false, AT_FDCWD, path, flags, mode);
}

int openat(int dirfd, const char *path, int flags, ...)
{
    mode_t mode = 0;

    HOSTSIM_MODE_ARG(flags, mode);
    return hostsim_open_common(true, dirfd, path, flags, mode);
}

int openat64(int dirfd, const char *path, int flags, ...)
{
    mode_t mode = 0;

    HOSTSIM_MODE_ARG(flags, mode);
    return hostsim_open_common(true, dirfd, path, flags, mode);
}

/* Fortified callers reach these instead of open/openat. */
int __open_2(const char *path, int flags);
int __open64_2(const char *path, int flags);
int __openat_2(int dirfd, const char *path, int flags);
int __openat64_2(int dirfd, const char *path, int flags);

int __open_2(const char *path, int flags)
{
    return hostsim_open_common(false, AT_FDCWD, path, flags, 0);
}

int __open64_2(const char *path, int flags)
{
    return hostsim_open_common(false, AT_FDCWD, path, flags, 0);
}

int __openat_2(int dirfd, const char *path, int flags)
{
    return hostsim_open_common(true, dirfd, path, flags, 0);
}

int __openat64_2(int dirfd, const char *path, int flags)
{
    return hostsim_open_common(true, dirfd, path, flags, 0);
}

int close(int fd)
{
    if (__atomic_load_n(&hostsim_ready, __ATOMIC_ACQUIRE)) {
        HostsimFd *rec;

        /* The log must outlive an emulator that closes every fd it sees. */
        if (fd >= 0 && fd == hostsim_log_fd()) {
            return 0;
        }
        g_mutex_lock(&hostsim_lock);
        rec = hostsim_fd_lookup(fd);
        if (rec) {
            hostsim_fd_forget(rec);
        }
        g_mutex_unlock(&hostsim_lock);
    }
    return hostsim_real_close(fd);
}

/* Track what a KVM ioctl the models did not claim created. */
static void hostsim_note_created(int parent, HostsimFdKind parent_kind,
                                 unsigned long request, void *arg, int fd)
{
    int saved = errno;
    HostsimFd *vm;

    g_mutex_lock(&hostsim_lock);
    if (parent_kind == HOSTSIM_FD_KVM && request == KVM_CREATE_VM) {
        hostsim_fd_track(fd, HOSTSIM_FD_VM, NULL, NULL);
    } else if (parent_kind == HOSTSIM_FD_VM && request == KVM_CREATE_VCPU) {
        guint32 id = (guint32)(uintptr_t)arg;

        vm = hostsim_fd_lookup(parent);
        if (vm && vm->kind == HOSTSIM_FD_VM) {
            g_array_append_val(vm->vcpu_ids, id);
        } else {
            vm = NULL;
        }
        hostsim_fd_track(fd, HOSTSIM_FD_VCPU, NULL, vm);
    }
    g_mutex_unlock(&hostsim_lock);
    errno = saved;
}

int ioctl(int fd, unsigned long request, ...)
{
    size_t n = hostsim_model_count();
    const HostsimModel *claimed = NULL;
    HostsimFdKind kind;
    HostsimFd *rec;
    va_list ap;
    void *arg;
    int r = HOSTSIM_PASS;

    va_start(ap, request);
    arg = va_arg(ap, void *);
    va_end(ap);

    if (!__atomic_load_n(&hostsim_ready, __ATOMIC_ACQUIRE)) {
        return hostsim_real_ioctl(fd, request, arg);
    }
    g_mutex_lock(&hostsim_lock);
    rec = hostsim_fd_lookup(fd);
    if (!rec) {
        g_mutex_unlock(&hostsim_lock);
        return hostsim_real_ioctl(fd, request, arg);
    }
    for (size_t i = 0; i < n && r == HOSTSIM_PASS; i++) {
        const HostsimModel *m = hostsim_model_at(i);

        if (hostsim_active[i] && m->ioctl) {
            r = m->ioctl(rec, request, arg);
            claimed = m;
        }
    }
    kind = rec->kind;
    g_mutex_unlock(&hostsim_lock);
    if (r == HOSTSIM_UNLOCKED) {
        if (!claimed->ioctl_unlocked) {
            g_error("hostsim: model '%s' has no ioctl_unlocked",
                    claimed->name);
        }
        return hostsim_result(claimed->ioctl_unlocked(fd, request, arg));
    }
    if (r != HOSTSIM_PASS) {
        return hostsim_result(r);
    }

    r = hostsim_real_ioctl(fd, request, arg);
    if (r >= 0 && (request == KVM_CREATE_VM || request == KVM_CREATE_VCPU)) {
        hostsim_note_created(fd, kind, request, arg, r);
    }
    return r;
}

/* --- start-up --- */

static bool hostsim_init(GError **errp)
{
    size_t n = hostsim_model_count();
    const char *log = g_getenv(HOSTSIM_ENV_PREFIX "LOG");

    if (n > HOSTSIM_MAX_MODELS) {
        g_set_error(errp, HOSTSIM_ERROR, 0,
                    "%zu models registered, at most %d are supported",
                    n, HOSTSIM_MAX_MODELS);
        return false;
    }
    hostsim_fds = g_hash_table_new(g_direct_hash, g_direct_equal);
    if (!hostsim_config_check_names(errp)) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        const HostsimModel *m = hostsim_model_at(i);

        if (!m->init(&hostsim_active[i], errp)) {
            return false;
        }
    }
    if (!hostsim_config_faults(errp)) {
        return false;
    }
    if (log && *log && !hostsim_log_open(log, errp)) {
        return false;
    }
    return true;
}

/*
 * A fork while another thread holds the lock would leave the child unable
 * to close or ioctl a tracked fd; hold it across fork instead.
 */
static void hostsim_fork_prepare(void)
{
    g_mutex_lock(&hostsim_lock);
}

static void hostsim_fork_done(void)
{
    g_mutex_unlock(&hostsim_lock);
}

__attribute__((constructor)) static void hostsim_load(void)
{
    g_autoptr(GError) err = NULL;
    bool ok;

    g_mutex_lock(&hostsim_lock);
    ok = hostsim_init(&err);
    g_mutex_unlock(&hostsim_lock);
    if (!ok) {
        fprintf(stderr, "cgemu-hostsim: %s\n", err->message);
        fflush(stderr);
        _exit(HOSTSIM_CONFIG_EXIT);
    }
    pthread_atfork(hostsim_fork_prepare, hostsim_fork_done,
                   hostsim_fork_done);
    __atomic_store_n(&hostsim_ready, true, __ATOMIC_RELEASE);
}
