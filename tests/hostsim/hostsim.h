/*
 * Host simulator: the contract between the core and its technology models.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The host simulator is a library preloaded (LD_PRELOAD) into an unchanged
 * emulator binary.  It interposes open/openat/close/ioctl and stands in for
 * the parts of the host kernel and firmware that the build machines lack.
 *
 * The core (hostsim.c, hostsim-config.c, hostsim-util.c) owns everything
 * that is not technology specific:
 *
 *   - interposition and pass-through to the real libc (dlsym RTLD_NEXT);
 *   - the table of file descriptors it tracks: /dev/kvm (found by its
 *     device number), VM fds (KVM_CREATE_VM) and vCPU fds (KVM_CREATE_VCPU),
 *     and the devices that models simulate;
 *   - configuration from CGEMU_HOSTSIM_* environment variables, checked
 *     once at load time: an unknown variable or a bad value ends the
 *     process with exit status HOSTSIM_CONFIG_EXIT and a message on stderr;
 *   - fault injection (CGEMU_HOSTSIM_FAIL) and the ordered call log
 *     (CGEMU_HOSTSIM_LOG).
 *
 * A technology model (hostsim-sev.c, later hostsim-ppc.c, hostsim-s390.c)
 * is a HostsimModel registered with HOSTSIM_MODEL_REGISTER() in its own file;
 * the core finds every registered model at load time, so adding a model
 * never touches the core.
 *
 * Call order, for every model, in registration (link) order:
 *
 *   1. init() once, from the library constructor, before main() of the
 *      emulator.  Until init() returned, no other hook is called and every
 *      interposed call passes through untouched.
 *   2. open(), ioctl(), fd_closed() as the emulator makes calls, only if
 *      init() reported the model active.
 *
 * Locking: the emulator has vCPU threads, so the core serialises all model
 * hooks with one lock.  Every hook runs with that lock held, and every
 * hostsim_* function below that is marked "lock held" may be called only
 * from a hook.  A hook must not block (it may make non-blocking real calls
 * through hostsim_real_*); a call a model does not claim is made by the core
 * after it dropped the lock, so a vCPU blocked in KVM_RUN never holds it.
 *
 * State: a preloaded library has no object to hang its state on (the
 * process is the simulated host), so the core and each model keep their
 * state in file-scope variables protected by the lock.  This is the one
 * place in cgemu where that is so.
 */
#ifndef HOSTSIM_H
#define HOSTSIM_H

#include <glib.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* Returned by an open or ioctl hook that does not claim the call. */
#define HOSTSIM_PASS INT_MIN

/*
 * Returned by an ioctl hook that claims the call but must finish it
 * without the lock because it blocks (a simulated KVM_RUN waiting for a
 * signal): the core drops the lock and calls the same model's
 * ioctl_unlocked.
 */
#define HOSTSIM_UNLOCKED (INT_MIN + 1)

/* Exit status of a process whose CGEMU_HOSTSIM_* configuration is wrong. */
#define HOSTSIM_CONFIG_EXIT 99

/* Prefix shared by every configuration variable. */
#define HOSTSIM_ENV_PREFIX "CGEMU_HOSTSIM_"

#define HOSTSIM_ERROR (hostsim_error_quark())
GQuark hostsim_error_quark(void);

typedef enum HostsimFdKind {
    HOSTSIM_FD_KVM,    /* the KVM system device (/dev/kvm) */
    HOSTSIM_FD_VM,     /* returned by KVM_CREATE_VM on a HOSTSIM_FD_KVM */
    HOSTSIM_FD_VCPU,   /* returned by KVM_CREATE_VCPU on a HOSTSIM_FD_VM */
    HOSTSIM_FD_DEVICE, /* a device node a model simulates, e.g. /dev/sev */
} HostsimFdKind;

/* A tracked file descriptor; owned by the core, valid until it is closed. */
typedef struct HostsimFd HostsimFd;

/* How a call chosen by CGEMU_HOSTSIM_FAIL must fail. */
typedef struct HostsimFault {
    /*
     * true: the kernel fails the call itself with errno @value before any
     * firmware is involved; false: the firmware (or Ultravisor) returns the
     * model-specific status @value.
     */
    bool is_errno;
    uint32_t value;
} HostsimFault;

typedef struct HostsimModel HostsimModel;

struct HostsimModel {
    /* Short lower-case name: first word of its log lines, fault prefix. */
    const char *name;

    /*
     * NULL-terminated list of the environment variables the model reads
     * (full names, with HOSTSIM_ENV_PREFIX).  A CGEMU_HOSTSIM_* variable
     * that no model and not the core lists is a configuration error.
     */
    const char *const *env_vars;

    /*
     * NULL-terminated list of the command names CGEMU_HOSTSIM_FAIL may
     * name for this model, and the subset of them that accept only an
     * errno (no firmware status), e.g. a pure kernel operation.
     */
    const char *const *fault_commands;
    const char *const *errno_only_commands;

    /*
     * Parse a firmware status given by name (the model's own names) into
     * its number; numbers are parsed by the core.  Returns false for a
     * name the model does not know.  May be NULL when the model has no
     * firmware statuses (then only errno faults are accepted).
     */
    bool (*parse_status)(const char *name, uint32_t *status);

    /*
     * Read the model's configuration with the hostsim_env_* helpers.
     * Set *active when the model is to serve calls.  Returns false with
     * @errp set on a configuration error.  Called once, lock held.
     */
    bool (*init)(bool *active, GError **errp);

    /*
     * Claim an open of @path (absolute path as given by the caller).
     * Return HOSTSIM_PASS to let the next model or the real open handle
     * it, a new fd (which the hook must register with hostsim_fd_track),
     * or a negative errno.  Lock held.  May be NULL.
     */
    int (*open)(const char *path, int flags, mode_t mode);

    /*
     * Claim an ioctl on a tracked fd.  It is called for every tracked fd,
     * also other models' devices: check hostsim_fd_kind() and
     * hostsim_fd_owner().  Return HOSTSIM_PASS to let the next model or
     * the kernel handle it, otherwise the ioctl's return value (>= 0) or
     * a negative errno.  Lock held.  May be NULL.
     */
    int (*ioctl)(HostsimFd *fd, unsigned long request, void *arg);

    /*
     * Told that a tracked fd is being closed, before the core forgets it;
     * the model frees its per-fd data here.  Lock held.  May be NULL.
     */
    void (*fd_closed)(HostsimFd *fd);

    /*
     * The second half of an ioctl whose ioctl hook returned
     * HOSTSIM_UNLOCKED, called at once on the same thread WITHOUT the
     * lock, so it may block.  It gets the fd number only: another thread
     * may close the fd meanwhile, so the model hands itself what it needs
     * (e.g. a reference taken in the first half).  Returns the ioctl's
     * result (>= 0) or a negative errno.  May be NULL when the model's
     * ioctl hook never returns HOSTSIM_UNLOCKED.
     */
    int (*ioctl_unlocked)(int fd, unsigned long request, void *arg);
};

/*
 * Register a model: the core finds it at load time through a dedicated
 * ELF section, so each model file registers itself.
 */
#define HOSTSIM_MODEL_REGISTER(model)                                        \
    static const HostsimModel *const hostsim_model_ptr_##model               \
        __attribute__((used, section("hostsim_models"))) = &(model)

/* --- tracked file descriptors (lock held) --- */

/*
 * Start tracking @fd, which the caller just created (a model's simulated
 * device, or a simulated KVM object).  @owner is the model that serves it
 * (NULL for real KVM objects), @vm the VM a vCPU belongs to.  A stale
 * record for the same number is dropped first.
 */
HostsimFd *hostsim_fd_track(int fd, HostsimFdKind kind,
                            const HostsimModel *owner, HostsimFd *vm);

/* The record for @fd, or NULL when @fd is not tracked. */
HostsimFd *hostsim_fd_lookup(int fd);

int hostsim_fd_number(const HostsimFd *fd);
HostsimFdKind hostsim_fd_kind(const HostsimFd *fd);
const HostsimModel *hostsim_fd_owner(const HostsimFd *fd);
/* The flags the device was opened with (HOSTSIM_FD_DEVICE), else 0. */
int hostsim_fd_open_flags(const HostsimFd *fd);
void hostsim_fd_set_open_flags(HostsimFd *fd, int flags);

/*
 * For a HOSTSIM_FD_VM: the vCPU ids created on it so far, in creation
 * order (KVM_CREATE_VCPU arguments; closing a vCPU fd does not remove it,
 * as in KVM).  For a HOSTSIM_FD_VCPU: its VM, or NULL once the VM fd was
 * closed.
 */
const GArray *hostsim_vm_vcpu_ids(const HostsimFd *vm);
HostsimFd *hostsim_vcpu_vm(const HostsimFd *vcpu);

/* Per-model private data attached to a tracked fd; NULL when unset. */
gpointer hostsim_fd_get_data(const HostsimFd *fd, const HostsimModel *m);
void hostsim_fd_set_data(HostsimFd *fd, const HostsimModel *m, gpointer data);

/* --- real calls (no lock needed) --- */

int hostsim_real_open(const char *path, int flags, mode_t mode);
int hostsim_real_close(int fd);
int hostsim_real_ioctl(int fd, unsigned long request, void *arg);

/*
 * Copy from / to the emulator's own memory at @uaddr, as the kernel's
 * copy_from_user/copy_to_user would: a bad address fails with -EFAULT
 * instead of crashing the process.  Return 0 or -EFAULT.
 */
int hostsim_read_user(void *dst, uint64_t uaddr, size_t len);
int hostsim_write_user(uint64_t uaddr, const void *src, size_t len);

/* --- configuration (from init hooks) --- */

/*
 * Each helper reads variable @name (which must be in the model's
 * env_vars), stores the default when it is unset or empty, and returns
 * false with a message naming the variable, the bad value and what is
 * accepted.
 */
bool hostsim_env_bool(const char *name, bool dflt, bool *out, GError **errp);
bool hostsim_env_uint(const char *name, unsigned dflt, unsigned max,
                      unsigned *out, GError **errp);
bool hostsim_env_hex(const char *name, const char *dflt, uint8_t *out,
                     size_t len, GError **errp);
/* @choices is NULL-terminated; *out is the index of the chosen word. */
bool hostsim_env_choice(const char *name, const char *const *choices,
                        unsigned dflt, unsigned *out, GError **errp);
/* The raw value, or @dflt when unset or empty. */
const char *hostsim_env_string(const char *name, const char *dflt);

/* --- fault injection (lock held) --- */

/*
 * Count one call of @command (one of m->fault_commands) and tell whether
 * CGEMU_HOSTSIM_FAIL makes it fail, and how.  Call it exactly once for
 * each call that gets as far as the point where the real kernel hands the
 * command to the firmware (so calls the kernel rejects by itself are not
 * counted); "@N" in the configuration counts these calls from 1.
 */
bool hostsim_fault_take(const HostsimModel *m, const char *command,
                        HostsimFault *fault);

/* --- log (lock held) --- */

/* Whether CGEMU_HOSTSIM_LOG is set: lets a model skip costly formatting. */
bool hostsim_log_enabled(void);

/*
 * Append one line "<model name> <text>\n" to the log.  Lines must be
 * deterministic: no addresses, fd numbers, pids or times.
 */
void hostsim_log(const HostsimModel *m, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);

/* "EINVAL" for EINVAL, "E524"-style for numbers without a name. */
const char *hostsim_errno_name(int err);

/* Lower-case hex of @len bytes; free with g_free. */
char *hostsim_hex(const uint8_t *data, size_t len);

#endif /* HOSTSIM_H */
