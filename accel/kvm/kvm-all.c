/* The generic KVM accelerator: the VM, memory slots, MSI, the hooks. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "kvm-internal.h"

#include "qom/property.h"
#include "system/confidential-guest-support.h"
#include "util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define KVM_DEFAULT_DEVICE "/dev/kvm"
#define PAGE_MASK_4K 0xfffull

enum {
    PROP_0,
    PROP_DEVICE,
};

typedef KvmState KvmAccel;
typedef AccelStateClass KvmAccelClass;

CG_DEFINE_TYPE(KvmAccel, kvm_accel, TYPE_KVM_ACCEL, CG_TYPE_ACCEL)

#define KVM_ACCEL(obj) ((KvmState *)G_TYPE_CHECK_INSTANCE_CAST(              \
    (obj), kvm_accel_get_type(), KvmState))

/* --- the API for target code ------------------------------------------- */

KvmState *kvm_state(AccelState *accel)
{
    if (accel == NULL ||
        !G_TYPE_CHECK_INSTANCE_TYPE(accel, kvm_accel_get_type())) {
        return NULL;
    }
    return KVM_ACCEL(accel);
}

MachineState *kvm_machine(KvmState *s)
{
    return s->ms;
}

int kvm_dev_fd(KvmState *s)
{
    return s->kvm_fd;
}

int kvm_vm_fd(KvmState *s)
{
    return s->vm_fd;
}

/* KVM ioctls may be interrupted by the vCPU kick signal: retry those. */
static int do_ioctl(int fd, unsigned long request, void *arg)
{
    int r;

    do {
        r = ioctl(fd, request, arg);
    } while (r < 0 && errno == EINTR);
    return r < 0 ? -errno : r;
}

int kvm_dev_ioctl(KvmState *s, unsigned long request, void *arg)
{
    return do_ioctl(s->kvm_fd, request, arg);
}

int kvm_vm_ioctl(KvmState *s, unsigned long request, void *arg)
{
    return do_ioctl(s->vm_fd, request, arg);
}

int kvm_vcpu_ioctl(KvmVcpu *cpu, unsigned long request, void *arg)
{
    return do_ioctl(cpu->fd, request, arg);
}

int kvm_check_extension(KvmState *s, unsigned int cap)
{
    int r = do_ioctl(s->kvm_fd, KVM_CHECK_EXTENSION, (void *)(uintptr_t)cap);

    return r < 0 ? 0 : r;
}

int kvm_vm_check_extension(KvmState *s, unsigned int cap)
{
    int r;

    if (s->vm_fd < 0) {
        return kvm_check_extension(s, cap);
    }
    r = do_ioctl(s->vm_fd, KVM_CHECK_EXTENSION, (void *)(uintptr_t)cap);
    return r < 0 ? kvm_check_extension(s, cap) : r;
}

unsigned kvm_vcpu_count(KvmState *s)
{
    return s->vcpus->len;
}

KvmVcpu *kvm_vcpu_get(KvmState *s, unsigned index)
{
    return index < s->vcpus->len ? g_ptr_array_index(s->vcpus, index) : NULL;
}

unsigned kvm_vcpu_index(KvmVcpu *cpu)
{
    return cpu->index;
}

int kvm_vcpu_fd(KvmVcpu *cpu)
{
    return cpu->fd;
}

KvmState *kvm_vcpu_state(KvmVcpu *cpu)
{
    return cpu->s;
}

void kvm_set_arch_data(KvmState *s, void *data, GDestroyNotify free_fn)
{
    if (s->arch != NULL && s->arch_free != NULL) {
        s->arch_free(s->arch);
    }
    s->arch = data;
    s->arch_free = free_fn;
}

void kvm_set_pre_vcpus_hook(KvmState *s,
                            bool (*fn)(KvmState *s, GError **err))
{
    s->pre_vcpus = fn;
}

void *kvm_arch_data(KvmState *s)
{
    return s->arch;
}

void kvm_vcpu_set_arch_data(KvmVcpu *cpu, void *data, GDestroyNotify free_fn)
{
    if (cpu->arch != NULL && cpu->arch_free != NULL) {
        cpu->arch_free(cpu->arch);
    }
    cpu->arch = data;
    cpu->arch_free = free_fn;
}

void *kvm_vcpu_arch_data(KvmVcpu *cpu)
{
    return cpu->arch;
}

void kvm_set_guest_state_protected(KvmState *s)
{
    s->guest_state_protected = true;
}

bool kvm_guest_state_protected(KvmState *s)
{
    return s->guest_state_protected;
}

bool kvm_add_ram_listener(KvmState *s, const AddressSpaceListener *l,
                          GError **err)
{
    const GPtrArray *ram = address_space_ram(s->ms->mem);

    for (guint i = 0; l->ram_added != NULL && i < ram->len; i++) {
        if (!l->ram_added(l->opaque, g_ptr_array_index(ram, i), err)) {
            return false;
        }
    }
    g_array_append_val(s->listeners, *l);
    return true;
}

bool kvm_reset_vcpus(KvmState *s, GError **err)
{
    if (s->guest_state_protected) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "KVM: the vCPU state of this guest is protected; it "
                    "cannot be set again");
        return false;
    }
    for (guint i = 0; i < s->vcpus->len; i++) {
        if (!kvm_arch_reset_vcpu(g_ptr_array_index(s->vcpus, i), err)) {
            return false;
        }
    }
    s->vcpus_fresh = true;
    return true;
}

/* --- memory slots ------------------------------------------------------ */

static bool kvm_ram_added(void *opaque, RamRegion *ram, GError **err)
{
    KvmState *s = opaque;
    struct kvm_userspace_memory_region mr = { 0 };
    int r;

    if (((ram->gpa | ram->size | (uintptr_t)ram->host) & PAGE_MASK_4K) != 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "KVM: RAM region %s (0x%" G_GINT64_MODIFIER "x+0x%"
                    G_GINT64_MODIFIER "x) is not page aligned", ram->name,
                    ram->gpa, ram->size);
        return false;
    }
    if (ram->readonly && !s->readonly_mem) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "KVM: ROM region %s needs read-only memory slots, which "
                    "this host's KVM lacks (KVM_CAP_READONLY_MEM)",
                    ram->name);
        return false;
    }
    if (s->next_slot >= s->max_slots) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "KVM: no memory slot left for %s (the host allows %d)",
                    ram->name, s->max_slots);
        return false;
    }
    mr.slot = (uint32_t)s->next_slot;
    mr.flags = ram->readonly ? KVM_MEM_READONLY : 0;
    mr.guest_phys_addr = ram->gpa;
    mr.memory_size = ram->size;
    mr.userspace_addr = (uintptr_t)ram->host;
    r = kvm_vm_ioctl(s, KVM_SET_USER_MEMORY_REGION, &mr);
    if (r < 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "KVM: ioctl (KVM_SET_USER_MEMORY_REGION) for %s failed: "
                    "%s", ram->name, g_strerror(-r));
        return false;
    }
    ram->slot = s->next_slot++;
    for (guint i = 0; i < s->listeners->len; i++) {
        AddressSpaceListener *l =
            &g_array_index(s->listeners, AddressSpaceListener, i);
        if (l->ram_added != NULL && !l->ram_added(l->opaque, ram, err)) {
            return false;
        }
    }
    return true;
}

static bool kvm_msi_send(void *opaque, uint64_t addr, uint32_t data)
{
    KvmState *s = opaque;
    struct kvm_msi msi = {
        .address_lo = (uint32_t)addr,
        .address_hi = (uint32_t)(addr >> 32),
        .data = data,
    };

    /* 0 means the guest masked it: still delivered as far as we go. */
    return kvm_vm_ioctl(s, KVM_SIGNAL_MSI, &msi) >= 0;
}

/* --- initialisation ---------------------------------------------------- */

static bool kvm_open_device(KvmState *s, GError **err)
{
    const char *path = s->device;
    int r;

    s->kvm_fd = open(path, O_RDWR | O_CLOEXEC);
    if (s->kvm_fd < 0) {
        int e = errno;

        if (e == ENOENT) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "KVM: %s does not exist: load the KVM module "
                        "(modprobe kvm_intel or kvm_amd) and enable "
                        "virtualization in the firmware settings", path);
        } else if (e == EACCES || e == EPERM) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "KVM: no permission to open %s: add your user to "
                        "the group that owns it (usually 'kvm'), then log "
                        "in again", path);
        } else {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "KVM: cannot open %s: %s", path, g_strerror(e));
        }
        return false;
    }
    r = kvm_dev_ioctl(s, KVM_GET_API_VERSION, NULL);
    if (r < 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "KVM: %s is not a KVM device (KVM_GET_API_VERSION: %s)",
                    path, g_strerror(-r));
        return false;
    }
    if (r != KVM_API_VERSION) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "KVM: %s has API version %d, cgemu needs %d", path, r,
                    KVM_API_VERSION);
        return false;
    }
    return true;
}

/* Capabilities the generic code cannot do without. */
static bool kvm_check_caps(KvmState *s, GError **err)
{
    static const struct {
        unsigned int cap;
        const char *name;
    } needed[] = {
        { KVM_CAP_USER_MEMORY, "KVM_CAP_USER_MEMORY" },
        { KVM_CAP_IMMEDIATE_EXIT, "KVM_CAP_IMMEDIATE_EXIT" },
    };
    int r;

    for (size_t i = 0; i < G_N_ELEMENTS(needed); i++) {
        if (kvm_check_extension(s, needed[i].cap) <= 0) {
            g_set_error(err, CG_ERROR, CG_ERROR_KVM_MISSING_CAP,
                        "KVM: this host's KVM lacks %s; a newer kernel is "
                        "needed", needed[i].name);
            return false;
        }
    }
    r = kvm_dev_ioctl(s, KVM_GET_VCPU_MMAP_SIZE, NULL);
    if (r < (int)sizeof(struct kvm_run)) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "KVM: ioctl (KVM_GET_VCPU_MMAP_SIZE) failed: %s",
                    r < 0 ? g_strerror(-r) : "size too small");
        return false;
    }
    s->run_size = (size_t)r;
    s->max_slots = kvm_check_extension(s, KVM_CAP_NR_MEMSLOTS);
    if (s->max_slots <= 0) {
        s->max_slots = 32;  /* the documented minimum before the cap */
    }
    s->readonly_mem = kvm_check_extension(s, KVM_CAP_READONLY_MEM) > 0;
    return true;
}

static bool kvm_accel_init_machine(AccelState *accel, MachineState *ms,
                                   GError **err)
{
    KvmState *s = KVM_ACCEL(accel);
    AddressSpaceListener l = { .ram_added = kvm_ram_added, .opaque = s };
    int r;

    s->ms = ms;
    if (!kvm_open_device(s, err) || !kvm_check_caps(s, err)) {
        return false;
    }
    r = kvm_dev_ioctl(s, KVM_CREATE_VM,
                      (void *)(uintptr_t)kvm_arch_vm_type(ms));
    if (r < 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "KVM: ioctl (KVM_CREATE_VM) failed: %s%s",
                    g_strerror(-r),
                    r == -EBUSY ? " (is another hypervisor using the "
                                  "virtualization extensions?)" : "");
        return false;
    }
    s->vm_fd = r;
    if (!kvm_arch_init_vm(s, ms, err)) {
        return false;
    }
    /* The technology finds KVM through the machine (ms->accel). */
    if (ms->cgs != NULL && !cgs_kvm_init(ms->cgs, ms, err)) {
        return false;
    }
    /*
     * Last, so that a failure leaves nothing of ours in the machine (the
     * lifecycle may try another accelerator).  Technologies register
     * through kvm_add_ram_listener and are told after the slot exists.
     */
    if (!address_space_add_listener(ms->mem, &l, err)) {
        return false;
    }
    s->listening = ms->mem;
    if (kvm_check_extension(s, KVM_CAP_SIGNAL_MSI) > 0) {
        ms->msi_send = kvm_msi_send;
        ms->msi_opaque = s;
    }
    return true;
}

static bool kvm_accel_create_vcpus(AccelState *accel, unsigned n,
                                   GError **err)
{
    return kvm_vcpus_create(KVM_ACCEL(accel), n, err);
}

static bool kvm_accel_can_reset(AccelState *accel, GError **err)
{
    KvmState *s = KVM_ACCEL(accel);
    MachineState *ms = s->ms;

    if (s->guest_state_protected && !s->vcpus_fresh) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "KVM: this guest's vCPU state is protected by %s and "
                    "cannot be reset in place; shut the guest down and "
                    "start it again",
                    ms->cgs ? cg_object_type_name(CG_OBJECT(ms->cgs))
                            : "its confidential-guest-support");
        return false;
    }
    return true;
}

static bool kvm_accel_reset(AccelState *accel, GError **err)
{
    KvmState *s = KVM_ACCEL(accel);
    MachineState *ms = s->ms;

    if (!kvm_accel_can_reset(accel, err)) {
        return false;
    }
    if (ms->cgs != NULL && ms->cgs->ready &&
        !cgs_kvm_reset(ms->cgs, ms, err)) {
        return false;
    }
    if (s->guest_state_protected) {
        /* Measured and encrypted as they are: nothing may touch them. */
        return true;
    }
    return kvm_reset_vcpus(s, err);
}

static bool kvm_accel_start(AccelState *accel, GError **err)
{
    return kvm_threads_start(KVM_ACCEL(accel), err);
}

static void kvm_accel_resume(AccelState *accel)
{
    kvm_threads_resume(KVM_ACCEL(accel));
}

static void kvm_accel_pause(AccelState *accel)
{
    kvm_threads_pause(KVM_ACCEL(accel));
}

static void kvm_accel_shutdown(AccelState *accel)
{
    KvmState *s = KVM_ACCEL(accel);

    kvm_threads_stop(s);
    if (s->ms != NULL && s->ms->msi_opaque == s) {
        s->ms->msi_send = NULL;
        s->ms->msi_opaque = NULL;
    }
}

/* --- the type ---------------------------------------------------------- */

static void kvm_accel_set_property(GObject *obj, guint id,
                                   const GValue *value, GParamSpec *pspec)
{
    KvmState *s = KVM_ACCEL(obj);

    switch (id) {
    case PROP_DEVICE:
        g_free(s->device);
        s->device = g_value_dup_string(value);
        if (s->device == NULL) {
            s->device = g_strdup(KVM_DEFAULT_DEVICE);
        }
        break;
    default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(obj, id, pspec);
    }
}

static void kvm_accel_get_property(GObject *obj, guint id, GValue *value,
                                   GParamSpec *pspec)
{
    KvmState *s = KVM_ACCEL(obj);

    switch (id) {
    case PROP_DEVICE:
        g_value_set_string(value, s->device);
        break;
    default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(obj, id, pspec);
    }
}

static void kvm_accel_finalize(GObject *obj)
{
    KvmState *s = KVM_ACCEL(obj);

    kvm_accel_shutdown(CG_ACCEL(s));
    if (s->listening != NULL) {
        address_space_remove_listener(s->listening, s);
    }
    g_ptr_array_unref(s->vcpus);
    kvm_set_arch_data(s, NULL, NULL);
    if (s->vm_fd >= 0) {
        close(s->vm_fd);
    }
    if (s->kvm_fd >= 0) {
        close(s->kvm_fd);
    }
    g_array_unref(s->listeners);
    g_mutex_clear(&s->lock);
    g_cond_clear(&s->cond);
    g_free(s->device);
    G_OBJECT_CLASS(kvm_accel_parent_class)->finalize(obj);
}

static int kvm_accel_vcpu_thread_id(AccelState *accel, unsigned index)
{
    KvmState *s = KVM_ACCEL(accel);
    int tid = 0;

    g_mutex_lock(&s->lock);
    if (index < s->vcpus->len) {
        tid = ((KvmVcpu *)g_ptr_array_index(s->vcpus, index))->host_tid;
    }
    g_mutex_unlock(&s->lock);
    return tid;
}

static void kvm_accel_class_init(KvmAccelClass *klass)
{
    GObjectClass *oc = G_OBJECT_CLASS(klass);

    oc->set_property = kvm_accel_set_property;
    oc->get_property = kvm_accel_get_property;
    oc->finalize = kvm_accel_finalize;
    klass->name = "kvm";
    klass->desc = "Linux KVM: the guest runs on the host CPU";
    klass->init_machine = kvm_accel_init_machine;
    klass->create_vcpus = kvm_accel_create_vcpus;
    klass->reset = kvm_accel_reset;
    klass->start = kvm_accel_start;
    klass->can_reset = kvm_accel_can_reset;
    klass->vcpu_thread_id = kvm_accel_vcpu_thread_id;
    klass->resume = kvm_accel_resume;
    klass->pause = kvm_accel_pause;
    klass->shutdown = kvm_accel_shutdown;

    g_object_class_install_property(
        oc, PROP_DEVICE,
        g_param_spec_string("device", "device",
                            "Path of the KVM device to open",
                            KVM_DEFAULT_DEVICE,
                            G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
}

static void kvm_accel_init(KvmAccel *s)
{
    s->device = g_strdup(KVM_DEFAULT_DEVICE);
    s->kvm_fd = -1;
    s->vm_fd = -1;
    s->listeners = g_array_new(FALSE, TRUE, sizeof(AddressSpaceListener));
    s->vcpus = g_ptr_array_new_with_free_func(
        (GDestroyNotify)kvm_vcpu_free);
    g_mutex_init(&s->lock);
    g_cond_init(&s->cond);
}
