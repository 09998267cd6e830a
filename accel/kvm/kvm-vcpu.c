/* KVM vCPUs: creation, one thread each, the run loop, pause and resume. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "kvm-internal.h"

#include "util/error.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

/*
 * Kicking a vCPU out of KVM_RUN: set kvm_run.immediate_exit, then signal
 * the thread.  A thread inside KVM_RUN returns with EINTR; one about to
 * enter it returns at once because of immediate_exit.  The flag is only
 * cleared after such an EINTR, so no kick is ever lost.
 */
#define KVM_KICK_SIGNAL SIGUSR1

static void kick_handler(int sig)
{
}

static void install_kick_handler(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = kick_handler;
    sigemptyset(&sa.sa_mask);
    sigaction(KVM_KICK_SIGNAL, &sa, NULL);
}

void kvm_vcpu_free(KvmVcpu *cpu)
{
    if (cpu == NULL) {
        return;
    }
    kvm_vcpu_set_arch_data(cpu, NULL, NULL);
    if (cpu->run != NULL) {
        munmap(cpu->run, cpu->s->run_size);
    }
    if (cpu->fd >= 0) {
        close(cpu->fd);
    }
    g_free(cpu);
}

bool kvm_vcpus_create(KvmState *s, unsigned n, GError **err)
{
    int max = kvm_check_extension(s, KVM_CAP_MAX_VCPUS);

    if (max <= 0) {
        max = kvm_check_extension(s, KVM_CAP_NR_VCPUS);
    }
    if (max > 0 && n > (unsigned)max) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "KVM: this host allows at most %d vCPUs per VM; lower "
                    "-smp", max);
        return false;
    }
    if (s->vcpus->len == 0 && n > 0 && s->pre_vcpus != NULL &&
        !s->pre_vcpus(s, err)) {
        return false;
    }
    for (unsigned i = 0; i < n; i++) {
        KvmVcpu *cpu = g_new0(KvmVcpu, 1);
        void *run;
        int r;

        cpu->s = s;
        cpu->index = s->vcpus->len;
        cpu->fd = -1;
        g_ptr_array_add(s->vcpus, cpu);
        r = kvm_vm_ioctl(s, KVM_CREATE_VCPU, (void *)(uintptr_t)cpu->index);
        if (r < 0) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "KVM: ioctl (KVM_CREATE_VCPU) for vCPU %u failed: %s",
                        cpu->index, g_strerror(-r));
            return false;
        }
        cpu->fd = r;
        run = mmap(NULL, s->run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
                   cpu->fd, 0);
        if (run == MAP_FAILED) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "KVM: cannot map the run area of vCPU %u: %s",
                        cpu->index, g_strerror(errno));
            return false;
        }
        cpu->run = run;
        if (!kvm_arch_init_vcpu(cpu, err)) {
            return false;
        }
    }
    return true;
}

/* --- exits --------------------------------------------------------------- */

static void handle_io(KvmVcpu *cpu, struct kvm_run *run)
{
    MachineState *ms = cpu->s->ms;
    uint64_t size = run->io.size;
    uint64_t total = size * run->io.count;
    uint8_t *data = (uint8_t *)run + run->io.data_offset;
    bool is_write = run->io.direction == KVM_EXIT_IO_OUT;

    /* The kernel fills these; still, never trust an offset blindly. */
    if (run->io.data_offset >= cpu->s->run_size ||
        total > cpu->s->run_size - run->io.data_offset) {
        return;
    }
    if (ms->io == NULL) {
        if (!is_write) {
            memset(data, 0xff, total);
        }
        return;
    }
    machine_lock(ms);
    for (uint32_t i = 0; i < run->io.count; i++) {
        address_space_rw(ms->io, run->io.port, data + i * size, size,
                         is_write);
    }
    machine_unlock(ms);
}

static void handle_mmio(KvmVcpu *cpu, struct kvm_run *run)
{
    MachineState *ms = cpu->s->ms;
    uint32_t len = MIN(run->mmio.len, (uint32_t)sizeof(run->mmio.data));

    machine_lock(ms);
    address_space_rw(ms->mem, run->mmio.phys_addr, run->mmio.data, len,
                     run->mmio.is_write);
    machine_unlock(ms);
}

/* A guest that resets itself: impossible when its state is protected. */
static void request_guest_reset(KvmVcpu *cpu, const char *how)
{
    KvmState *s = cpu->s;

    if (s->guest_state_protected) {
        cg_warn_report("KVM: vCPU %u: the guest asked for a reset (%s), "
                       "but its vCPU state is protected and cannot be "
                       "reset; shutting it down instead", cpu->index, how);
        machine_request_shutdown(s->ms, SHUTDOWN_CAUSE_GUEST_RESET);
        return;
    }
    machine_request_reset(s->ms, SHUTDOWN_CAUSE_GUEST_RESET);
}

static KvmExitAction handle_system_event(KvmVcpu *cpu, struct kvm_run *run)
{
    MachineState *ms = cpu->s->ms;

    switch (run->system_event.type) {
    case KVM_SYSTEM_EVENT_SHUTDOWN:
        machine_request_shutdown(ms, SHUTDOWN_CAUSE_GUEST_SHUTDOWN);
        return KVM_EXIT_ACTION_STOP;
    case KVM_SYSTEM_EVENT_RESET:
        request_guest_reset(cpu, "system event");
        return KVM_EXIT_ACTION_STOP;
    case KVM_SYSTEM_EVENT_CRASH:
        machine_request_shutdown(ms, SHUTDOWN_CAUSE_GUEST_PANIC);
        return KVM_EXIT_ACTION_STOP;
    default:
        machine_request_fail(ms, "KVM: vCPU %u: unknown system event %u",
                             cpu->index, run->system_event.type);
        return KVM_EXIT_ACTION_STOP;
    }
}

/* The kernel's own words, plus the data words it gave (for a report). */
static void report_internal_error(KvmVcpu *cpu, struct kvm_run *run)
{
    g_autoptr(GString) data = g_string_new(NULL);
    uint32_t n = MIN(run->internal.ndata,
                     (uint32_t)G_N_ELEMENTS(run->internal.data));

    for (uint32_t i = 0; i < n; i++) {
        g_string_append_printf(data, "%s0x%llx", i ? " " : "; data ",
                               (unsigned long long)run->internal.data[i]);
    }
    machine_request_fail(cpu->s->ms,
                         "KVM: vCPU %u: internal error (suberror %u%s%s)",
                         cpu->index, run->internal.suberror,
                         run->internal.suberror ==
                                 KVM_INTERNAL_ERROR_EMULATION
                             ? ": an instruction KVM cannot emulate, e.g. "
                               "code run from memory that is not RAM"
                             : "",
                         data->str);
}

/* Runs the vCPU once and handles the exit; true: park until resumed. */
static bool vcpu_run_once(KvmVcpu *cpu)
{
    KvmState *s = cpu->s;
    struct kvm_run *run = cpu->run;
    KvmExitAction action;
    int r = ioctl(cpu->fd, KVM_RUN, 0);

    if (r < 0) {
        int e = errno;

        if (e == EINTR || e == EAGAIN) {
            __atomic_store_n(&run->immediate_exit, 0, __ATOMIC_SEQ_CST);
            return false;
        }
        machine_request_fail(s->ms, "KVM: vCPU %u: KVM_RUN failed: %s",
                             cpu->index, g_strerror(e));
        return true;
    }

    switch (run->exit_reason) {
    case KVM_EXIT_IO:
        handle_io(cpu, run);
        return false;
    case KVM_EXIT_MMIO:
        handle_mmio(cpu, run);
        return false;
    case KVM_EXIT_INTR:
        return false;
    case KVM_EXIT_SHUTDOWN:
        /* x86: a triple fault.  A real machine resets. */
        request_guest_reset(cpu, "triple fault");
        return true;
    case KVM_EXIT_SYSTEM_EVENT:
        return handle_system_event(cpu, run) == KVM_EXIT_ACTION_STOP;
    case KVM_EXIT_FAIL_ENTRY:
        machine_request_fail(s->ms,
                             "KVM: vCPU %u: entry failed (hardware reason "
                             "0x%llx); the vCPU state is invalid",
                             cpu->index,
                             (unsigned long long)
                                 run->fail_entry.hardware_entry_failure_reason);
        return true;
    case KVM_EXIT_INTERNAL_ERROR:
        report_internal_error(cpu, run);
        return true;
    default:
        break;
    }
    action = kvm_arch_handle_exit(cpu, run);
    if (action == KVM_EXIT_ACTION_UNHANDLED) {
        machine_request_fail(s->ms, "KVM: vCPU %u: unhandled exit reason %u",
                             cpu->index, run->exit_reason);
        return true;
    }
    return action == KVM_EXIT_ACTION_STOP;
}

/* --- threads ------------------------------------------------------------- */

static void park_locked(KvmVcpu *cpu)
{
    if (!cpu->parked) {
        cpu->parked = true;
        cpu->s->parked++;
        g_cond_broadcast(&cpu->s->cond);
    }
}

static void unpark_locked(KvmVcpu *cpu)
{
    if (cpu->parked) {
        cpu->parked = false;
        cpu->s->parked--;
    }
}

static gpointer vcpu_thread(gpointer opaque)
{
    KvmVcpu *cpu = opaque;
    KvmState *s = cpu->s;
    g_autoptr(GMainContext) own_ctx = g_main_context_new();
    sigset_t set;

    /* Only the kick (and faults) reach a vCPU thread; the main loop
     * handles SIGINT and friends. */
    sigfillset(&set);
    sigdelset(&set, KVM_KICK_SIGNAL);
    sigdelset(&set, SIGSEGV);
    sigdelset(&set, SIGBUS);
    sigdelset(&set, SIGFPE);
    sigdelset(&set, SIGILL);
    sigdelset(&set, SIGABRT);
    pthread_sigmask(SIG_SETMASK, &set, NULL);

    /*
     * A private thread-default context: g_main_context_invoke() of the
     * machine requests (system/) then always queues to the main loop.
     * With the global default context as ours, GLib would run a request
     * right here whenever the main thread happens not to hold its context,
     * and a request that pauses the vCPUs would wait for this very thread.
     */
    g_main_context_push_thread_default(own_ctx);

    g_mutex_lock(&s->lock);
    for (;;) {
        bool stop;

        while (!s->quit && (!s->run || cpu->self_stopped)) {
            park_locked(cpu);
            g_cond_wait(&s->cond, &s->lock);
        }
        if (s->quit) {
            break;
        }
        unpark_locked(cpu);
        s->vcpus_fresh = false;
        g_mutex_unlock(&s->lock);
        stop = vcpu_run_once(cpu);
        g_mutex_lock(&s->lock);
        if (stop) {
            cpu->self_stopped = true;
        }
    }
    park_locked(cpu);
    g_mutex_unlock(&s->lock);
    g_main_context_pop_thread_default(own_ctx);
    return NULL;
}

static void kick_locked(KvmVcpu *cpu)
{
    if (cpu->thread == NULL || cpu->parked) {
        return;
    }
    __atomic_store_n(&cpu->run->immediate_exit, 1, __ATOMIC_SEQ_CST);
    pthread_kill(cpu->tid, KVM_KICK_SIGNAL);
}

/* Wrapper so that the thread can record its pthread id before running. */
typedef struct {
    KvmVcpu *cpu;
    GMutex lock;
    GCond cond;
    bool ready;
} ThreadStart;

static gpointer vcpu_thread_entry(gpointer opaque)
{
    ThreadStart *ts = opaque;
    KvmVcpu *cpu = ts->cpu;

    g_mutex_lock(&cpu->s->lock);
    cpu->host_tid = (int)gettid();
    g_mutex_unlock(&cpu->s->lock);
    g_mutex_lock(&ts->lock);
    cpu->tid = pthread_self();
    ts->ready = true;
    g_cond_signal(&ts->cond);
    g_mutex_unlock(&ts->lock);
    return vcpu_thread(cpu);
}

bool kvm_threads_start(KvmState *s, GError **err)
{
    if (s->threads_started) {
        return true;
    }
    install_kick_handler();
    for (guint i = 0; i < s->vcpus->len; i++) {
        KvmVcpu *cpu = g_ptr_array_index(s->vcpus, i);
        g_autofree char *name = g_strdup_printf("vcpu%u", cpu->index);
        ThreadStart ts = { .cpu = cpu };

        g_mutex_init(&ts.lock);
        g_cond_init(&ts.cond);
        cpu->thread = g_thread_try_new(name, vcpu_thread_entry, &ts, err);
        if (cpu->thread != NULL) {
            g_mutex_lock(&ts.lock);
            while (!ts.ready) {
                g_cond_wait(&ts.cond, &ts.lock);
            }
            g_mutex_unlock(&ts.lock);
        }
        g_mutex_clear(&ts.lock);
        g_cond_clear(&ts.cond);
        if (cpu->thread == NULL) {
            g_prefix_error(err, "KVM: cannot start the thread of vCPU %u: ",
                           cpu->index);
            kvm_threads_stop(s);
            return false;
        }
    }
    s->threads_started = true;
    return true;
}

void kvm_threads_resume(KvmState *s)
{
    g_mutex_lock(&s->lock);
    s->run = true;
    for (guint i = 0; i < s->vcpus->len; i++) {
        KvmVcpu *cpu = g_ptr_array_index(s->vcpus, i);
        cpu->self_stopped = false;
    }
    g_cond_broadcast(&s->cond);
    g_mutex_unlock(&s->lock);
}

static unsigned running_threads(KvmState *s)
{
    unsigned n = 0;

    for (guint i = 0; i < s->vcpus->len; i++) {
        KvmVcpu *cpu = g_ptr_array_index(s->vcpus, i);
        n += cpu->thread != NULL;
    }
    return n;
}

void kvm_threads_pause(KvmState *s)
{
    unsigned n;

    g_mutex_lock(&s->lock);
    s->run = false;
    n = running_threads(s);
    for (guint i = 0; i < s->vcpus->len; i++) {
        kick_locked(g_ptr_array_index(s->vcpus, i));
    }
    while (s->parked < n) {
        g_cond_wait(&s->cond, &s->lock);
    }
    g_mutex_unlock(&s->lock);
}

void kvm_threads_stop(KvmState *s)
{
    g_mutex_lock(&s->lock);
    s->run = false;
    s->quit = true;
    for (guint i = 0; i < s->vcpus->len; i++) {
        kick_locked(g_ptr_array_index(s->vcpus, i));
    }
    g_cond_broadcast(&s->cond);
    g_mutex_unlock(&s->lock);
    for (guint i = 0; i < s->vcpus->len; i++) {
        KvmVcpu *cpu = g_ptr_array_index(s->vcpus, i);

        if (cpu->thread != NULL) {
            g_thread_join(cpu->thread);
            cpu->thread = NULL;
        }
    }
    g_mutex_lock(&s->lock);
    s->parked = 0;
    for (guint i = 0; i < s->vcpus->len; i++) {
        KvmVcpu *cpu = g_ptr_array_index(s->vcpus, i);
        cpu->parked = false;
    }
    g_mutex_unlock(&s->lock);
    s->threads_started = false;
}
