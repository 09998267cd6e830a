/* State shared by the files of accel/kvm/ only. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_ACCEL_KVM_INTERNAL_H
#define CGEMU_ACCEL_KVM_INTERNAL_H

#include "accel/kvm-arch.h"

#include <pthread.h>

/*
 * Locking: run control (run, quit, parked counts, per-vCPU stop flags) is
 * under KvmState.lock.  Device dispatch from vCPU threads takes the
 * machine lock (machine_lock), never while holding KvmState.lock, so
 * pause/resume must be called without the machine lock held: a vCPU
 * waiting for it could otherwise never park.
 */
struct KvmState {
    AccelState parent_instance;

    char *device;               /* property "device": /dev/kvm */
    MachineState *ms;
    int kvm_fd;
    int vm_fd;
    size_t run_size;            /* KVM_GET_VCPU_MMAP_SIZE */
    int max_slots;
    int next_slot;
    bool readonly_mem;
    GArray *listeners;          /* AddressSpaceListener, target code's */
    AddressSpace *listening;    /* where our own RAM listener is */

    GPtrArray *vcpus;           /* KvmVcpu *, owned */
    bool guest_state_protected;
    bool vcpus_fresh;           /* boot state set and not run since */

    GMutex lock;
    GCond cond;
    bool run;                   /* vCPUs should run */
    bool quit;                  /* threads should end */
    bool threads_started;
    unsigned parked;            /* threads waiting in the park loop */

    void *arch;
    GDestroyNotify arch_free;
    bool (*pre_vcpus)(KvmState *s, GError **err);
};

struct KvmVcpu {
    KvmState *s;
    unsigned index;
    int fd;
    struct kvm_run *run;
    GThread *thread;
    pthread_t tid;
    int host_tid;               /* gettid() of the thread, under s->lock */
    bool parked;                /* under s->lock */
    bool self_stopped;          /* parked after an exit until resume */

    void *arch;
    GDestroyNotify arch_free;
};

/* kvm-vcpu.c */
bool kvm_vcpus_create(KvmState *s, unsigned n, GError **err);
void kvm_vcpu_free(KvmVcpu *cpu);
bool kvm_threads_start(KvmState *s, GError **err);
void kvm_threads_resume(KvmState *s);
void kvm_threads_pause(KvmState *s);
void kvm_threads_stop(KvmState *s);

#endif
