/* The abstract machine: properties, RAM, defaults, requests. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hw/core/machine.h"

#include "backends/hostmem.h"
#include "chardev/char.h"
#include "hw/core/default-props.h"
#include "hw/core/loader.h"
#include "qom/property.h"
#include "util/error.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

typedef struct {
    GPtrArray *ram_maps;    /* RamMap * to unmap at finalize */
} MachineStatePrivate;

typedef struct {
    void *host;
    uint64_t size;
    int fd;
} RamMap;

enum {
    PROP_0,
    PROP_CGS,
    PROP_MEMORY_ENCRYPTION,
    PROP_MEM_MERGE,
    PROP_DUMP_GUEST_CORE,
    PROP_KERNEL,
    PROP_INITRD,
    PROP_APPEND,
    PROP_FIRMWARE,
    PROP_MEMORY_BACKEND,
    PROP_USB,
    N_PROPS
};

CG_DEFINE_TYPE_EXTENDED(MachineState, machine, TYPE_MACHINE, CG_TYPE_OBJECT,
                        G_TYPE_FLAG_ABSTRACT, G_ADD_PRIVATE(MachineState))

const char *shutdown_cause_name(ShutdownCause cause)
{
    switch (cause) {
    case SHUTDOWN_CAUSE_NONE:
        return "none";
    case SHUTDOWN_CAUSE_HOST_ERROR:
        return "host-error";
    case SHUTDOWN_CAUSE_HOST_QMP_QUIT:
        return "host-qmp-quit";
    case SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET:
        return "host-qmp-system-reset";
    case SHUTDOWN_CAUSE_HOST_SIGNAL:
        return "host-signal";
    case SHUTDOWN_CAUSE_GUEST_SHUTDOWN:
        return "guest-shutdown";
    case SHUTDOWN_CAUSE_GUEST_RESET:
        return "guest-reset";
    case SHUTDOWN_CAUSE_GUEST_PANIC:
        return "guest-panic";
    case SHUTDOWN_CAUSE_SUBSYSTEM_RESET:
        return "subsystem-reset";
    }
    return "none";
}

bool shutdown_cause_is_guest(ShutdownCause cause)
{
    return cause == SHUTDOWN_CAUSE_GUEST_SHUTDOWN ||
           cause == SHUTDOWN_CAUSE_GUEST_RESET ||
           cause == SHUTDOWN_CAUSE_GUEST_PANIC;
}

static void machine_set_property(GObject *obj, guint id, const GValue *value,
                                 GParamSpec *pspec)
{
    MachineState *ms = CG_MACHINE(obj);

    switch (id) {
    case PROP_CGS:
    case PROP_MEMORY_ENCRYPTION:
        g_clear_object(&ms->cgs);
        ms->cgs = g_value_dup_object(value);
        break;
    case PROP_MEM_MERGE:
        ms->mem_merge = g_value_get_boolean(value);
        ms->mem_merge_explicit = true;
        break;
    case PROP_DUMP_GUEST_CORE:
        ms->dump_guest_core = g_value_get_boolean(value);
        break;
    case PROP_KERNEL:
        g_free(ms->kernel);
        ms->kernel = g_value_dup_string(value);
        break;
    case PROP_INITRD:
        g_free(ms->initrd);
        ms->initrd = g_value_dup_string(value);
        break;
    case PROP_APPEND:
        g_free(ms->append);
        ms->append = g_value_dup_string(value);
        break;
    case PROP_FIRMWARE:
        g_free(ms->firmware);
        ms->firmware = g_value_dup_string(value);
        break;
    case PROP_MEMORY_BACKEND:
        g_clear_object(&ms->ram_backend);
        ms->ram_backend = g_value_dup_object(value);
        break;
    case PROP_USB:
        ms->usb = g_value_get_boolean(value);
        break;
    default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(obj, id, pspec);
    }
}

static void machine_get_property(GObject *obj, guint id, GValue *value,
                                 GParamSpec *pspec)
{
    MachineState *ms = CG_MACHINE(obj);

    switch (id) {
    case PROP_CGS:
    case PROP_MEMORY_ENCRYPTION:
        g_value_set_object(value, ms->cgs);
        break;
    case PROP_MEM_MERGE:
        g_value_set_boolean(value, ms->mem_merge);
        break;
    case PROP_DUMP_GUEST_CORE:
        g_value_set_boolean(value, ms->dump_guest_core);
        break;
    case PROP_KERNEL:
        g_value_set_string(value, ms->kernel);
        break;
    case PROP_INITRD:
        g_value_set_string(value, ms->initrd);
        break;
    case PROP_APPEND:
        g_value_set_string(value, ms->append);
        break;
    case PROP_FIRMWARE:
        g_value_set_string(value, ms->firmware);
        break;
    case PROP_MEMORY_BACKEND:
        g_value_set_object(value, ms->ram_backend);
        break;
    case PROP_USB:
        g_value_set_boolean(value, ms->usb);
        break;
    default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(obj, id, pspec);
    }
}

static bool machine_check_set(CgObject *obj, GParamSpec *pspec, GError **err)
{
    if (CG_MACHINE(obj)->created) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "machine property '%s' can only be set when the machine "
                    "is created (on the command line with -machine)",
                    cg_param_spec_name(pspec));
        return false;
    }
    return true;
}

static void machine_dispose(GObject *obj)
{
    MachineState *ms = CG_MACHINE(obj);

    g_clear_object(&ms->cgs);
    G_OBJECT_CLASS(machine_parent_class)->dispose(obj);
}

static void machine_finalize(GObject *obj)
{
    MachineState *ms = CG_MACHINE(obj);
    MachineStatePrivate *p = machine_get_instance_private(ms);

    /* Devices are gone (dispose); drop the spaces, then the memory. */
    address_space_free(ms->mem);
    address_space_free(ms->io);
    for (guint i = 0; i < p->ram_maps->len; i++) {
        RamMap *m = g_ptr_array_index(p->ram_maps, i);
        munmap(m->host, m->size);
        if (m->fd >= 0) {
            close(m->fd);
        }
        g_free(m);
    }
    g_ptr_array_unref(p->ram_maps);
    /* After the address space: its regions point into the backend. */
    g_clear_object(&ms->ram_backend);
    default_props_free(ms->defaults);
    load_log_free(ms->loaded);
    g_free(ms->kernel);
    g_free(ms->initrd);
    g_free(ms->append);
    g_free(ms->firmware);
    g_free(ms->dtb);
    g_free(ms->dumpdtb);
    g_free(ms->cpu_model);
    g_rec_mutex_clear(&ms->lock);
    G_OBJECT_CLASS(machine_parent_class)->finalize(obj);
}

static void machine_class_init(MachineStateClass *klass)
{
    GObjectClass *oc = G_OBJECT_CLASS(klass);
    GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

    oc->set_property = machine_set_property;
    oc->get_property = machine_get_property;
    oc->dispose = machine_dispose;
    oc->finalize = machine_finalize;
    CG_OBJECT_CLASS(klass)->check_set_property = machine_check_set;
    klass->max_cpus = 1;
    klass->default_ram_size = 128 * 1024 * 1024;

    g_object_class_install_property(
        oc, PROP_CGS,
        cg_param_spec_link("confidential-guest-support",
                           "Id of the confidential guest support object "
                           "(sev-guest, pef-guest, s390-pv-guest) that "
                           "protects this guest",
                           CG_TYPE_CONFIDENTIAL_GUEST_SUPPORT, rw));
    g_object_class_install_property(
        oc, PROP_MEMORY_ENCRYPTION,
        cg_param_spec_link("memory-encryption",
                           "Legacy name of confidential-guest-support",
                           CG_TYPE_CONFIDENTIAL_GUEST_SUPPORT, rw));
    g_object_class_install_property(
        oc, PROP_MEM_MERGE,
        g_param_spec_boolean("mem-merge",
                             "Let the host merge identical guest pages "
                             "(KSM); off by default for confidential guests",
                             NULL, TRUE, rw));
    g_object_class_install_property(
        oc, PROP_DUMP_GUEST_CORE,
        g_param_spec_boolean("dump-guest-core",
                             "Include guest memory in core dumps", NULL,
                             TRUE, rw));
    g_object_class_install_property(
        oc, PROP_KERNEL,
        g_param_spec_string("kernel", "kernel", "Guest kernel image (-kernel)",
                            NULL, rw));
    g_object_class_install_property(
        oc, PROP_INITRD,
        g_param_spec_string("initrd", "initrd",
                            "Initial ramdisk (-initrd)", NULL, rw));
    g_object_class_install_property(
        oc, PROP_APPEND,
        g_param_spec_string("append", "append",
                            "Kernel command line (-append)", NULL, rw));
    g_object_class_install_property(
        oc, PROP_MEMORY_BACKEND,
        cg_param_spec_link("memory-backend",
                           "Id of the memory-backend-ram/-file/-memfd "
                           "object that is the guest's RAM (its size "
                           "replaces -m)",
                           CG_TYPE_HOST_MEMORY_BACKEND, rw));
    g_object_class_install_property(
        oc, PROP_USB,
        g_param_spec_boolean("usb", "usb",
                             "A USB controller (cgemu has none: only off)",
                             FALSE, rw));
    g_object_class_install_property(
        oc, PROP_FIRMWARE,
        g_param_spec_string("firmware", "firmware",
                            "Firmware image (-bios)", NULL, rw));
}

static void machine_init(MachineState *ms)
{
    MachineStatePrivate *p = machine_get_instance_private(ms);

    ms->mem_merge = true;
    ms->dump_guest_core = true;
    /* ram_size comes from the concrete class in system_create_machine:
     * during this base init GObject still reports the base class. */
    ms->smp_cpus = 1;
    ms->max_cpus = 1;
    ms->mem = address_space_new("memory", UINT64_MAX);
    ms->defaults = default_props_new();
    ms->loaded = load_log_new();
    g_rec_mutex_init(&ms->lock);
    p->ram_maps = g_ptr_array_new();
}

static void collect_machines(GType type, GPtrArray *out)
{
    guint n = 0;
    g_autofree GType *children = g_type_children(type, &n);

    if (!G_TYPE_IS_ABSTRACT(type)) {
        g_ptr_array_add(out, g_type_class_ref(type));
    }
    for (guint i = 0; i < n; i++) {
        collect_machines(children[i], out);
    }
}

static gint compare_machine_names(gconstpointer a, gconstpointer b)
{
    const MachineStateClass *ma = *(MachineStateClass *const *)a;
    const MachineStateClass *mb = *(MachineStateClass *const *)b;

    return strcmp(ma->name, mb->name);
}

GPtrArray *machine_class_list(void)
{
    GPtrArray *out = g_ptr_array_new_with_free_func(g_type_class_unref);

    collect_machines(CG_TYPE_MACHINE, out);
    g_ptr_array_sort(out, compare_machine_names);
    return out;
}

MachineStateClass *machine_class_find(const char *name)
{
    g_autoptr(GPtrArray) list = machine_class_list();

    for (guint i = 0; i < list->len; i++) {
        MachineStateClass *mc = g_ptr_array_index(list, i);
        if (!strcmp(mc->name, name) ||
            (mc->alias && !strcmp(mc->alias, name))) {
            /* Classes of static types are never finalized. */
            return mc;
        }
    }
    return NULL;
}

MachineStateClass *machine_class_default(void)
{
    g_autoptr(GPtrArray) list = machine_class_list();

    for (guint i = 0; i < list->len; i++) {
        MachineStateClass *mc = g_ptr_array_index(list, i);
        if (mc->is_default) {
            return mc;
        }
    }
    return NULL;
}

/*
 * Guest RAM is private anonymous memory, not a shared memfd: KSM merges
 * only private pages, so with a shared mapping mem-merge=on would
 * silently do nothing.  Nothing in cgemu needs to share RAM with another
 * process.
 */
RamRegion *machine_add_ram(MachineState *ms, const char *name, uint64_t gpa,
                           uint64_t size, bool readonly, GError **err)
{
    MachineStatePrivate *p = machine_get_instance_private(ms);
    RamMap *m;
    void *host;

    host = mmap(NULL, size, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (host == MAP_FAILED) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "cannot allocate %s (0x%" G_GINT64_MODIFIER "x bytes): "
                    "%s; give the guest less memory with -m", name, size,
                    g_strerror(errno));
        return NULL;
    }
    if (ms->mem_merge && madvise(host, size, MADV_MERGEABLE) < 0 &&
        ms->mem_merge_explicit) {
        /* The default is best effort; an explicit request is not. */
        cg_warn_report("-machine mem-merge=on: the host kernel refused to "
                       "merge %s (%s); is KSM built in "
                       "(/sys/kernel/mm/ksm)?", name, g_strerror(errno));
    }
    if (!ms->dump_guest_core) {
        madvise(host, size, MADV_DONTDUMP);
    }
    m = g_new0(RamMap, 1);
    m->host = host;
    m->size = size;
    m->fd = -1;
    g_ptr_array_add(p->ram_maps, m);
    return address_space_add_ram(ms->mem, name, gpa, size, host, -1, 0,
                                 readonly, err);
}

RamRegion *machine_add_main_ram(MachineState *ms, const char *name,
                                uint64_t gpa, uint64_t offset, uint64_t size,
                                GError **err)
{
    HostMemoryBackend *b = ms->ram_backend;
    g_autofree char *why = NULL;
    HostMemoryDefaults d;
    uint8_t *host;

    if (b == NULL) {
        return machine_add_ram(ms, name, gpa, size, false, err);
    }
    if (host_memory_backend_is_readonly(b)) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "-machine memory-backend=%s: a readonly=on backend "
                    "cannot be the guest's RAM; drop readonly=on",
                    host_memory_backend_id(b));
        return NULL;
    }
    if (offset > host_memory_backend_size(b) ||
        size > host_memory_backend_size(b) - offset) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "%s: bytes 0x%" G_GINT64_MODIFIER "x-0x%"
                    G_GINT64_MODIFIER "x are beyond memory-backend '%s'",
                    name, offset, offset + size, host_memory_backend_id(b));
        return NULL;
    }
    if (ms->cgs != NULL) {
        why = g_strdup_printf("%s '%s'",
                              cg_object_type_name(CG_OBJECT(ms->cgs)),
                              cgs_id(ms->cgs));
    }
    d = (HostMemoryDefaults){
        .merge = ms->mem_merge,
        .dump = ms->dump_guest_core,
        .protected_by = why,
    };
    host = host_memory_backend_map(b, &d, err);
    if (host == NULL) {
        g_prefix_error(err, "-machine memory-backend=%s: ",
                       host_memory_backend_id(b));
        return NULL;
    }
    return address_space_add_ram(ms->mem, name, gpa, size, host + offset,
                                 host_memory_backend_fd(b), offset, false,
                                 err);
}

static size_t mib_text(uint64_t bytes, char *buf, size_t len)
{
    if (bytes % (1ull << 20) == 0) {
        return (size_t)g_snprintf(buf, len, "%" G_GUINT64_FORMAT " MiB",
                                  bytes >> 20);
    }
    return (size_t)g_snprintf(buf, len, "%" G_GUINT64_FORMAT " bytes", bytes);
}

bool machine_check_config(MachineState *ms, CgObject *root,
                          bool ram_size_given, GError **err)
{
    MachineStateClass *mc = CG_MACHINE_GET_CLASS(ms);
    HostMemoryBackend *b = ms->ram_backend;
    CgObject *objects = cg_object_get_container(root, "objects");
    CgObject *taken = mc->default_ram_id
                          ? cg_object_get_child(objects, mc->default_ram_id)
                          : NULL;
    char want[48], have[48];

    if (ms->usb) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "-machine usb=on: cgemu has no USB controller; use "
                    "usb=off (libvirt: <controller type='usb' "
                    "model='none'/>)");
        return false;
    }
    if (b == NULL) {
        if (taken != NULL) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "object id '%s' is reserved for the RAM of machine "
                        "%s: give -machine memory-backend=%s to make it the "
                        "guest's RAM, or change the object's id",
                        mc->default_ram_id, mc->name, mc->default_ram_id);
            return false;
        }
        return true;
    }
    if (mc->default_ram_id == NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "-machine memory-backend=%s: machine %s has no RAM to "
                    "take from a backend; drop memory-backend",
                    host_memory_backend_id(b), mc->name);
        return false;
    }
    if (host_memory_backend_is_mapped(b)) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "-machine memory-backend=%s: the backend is already in "
                    "use", host_memory_backend_id(b));
        return false;
    }
    if (ram_size_given && ms->ram_size != host_memory_backend_size(b)) {
        mib_text(ms->ram_size, want, sizeof(want));
        mib_text(host_memory_backend_size(b), have, sizeof(have));
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "-machine memory-backend=%s: -m asks for %s but the "
                    "backend has %s; drop -m (the backend's size is the "
                    "RAM size) or make them equal",
                    host_memory_backend_id(b), want, have);
        return false;
    }
    ms->ram_size = host_memory_backend_size(b);
    return true;
}

void machine_apply_cgs_defaults(MachineState *ms)
{
    g_autofree char *why = NULL;

    if (ms->cgs == NULL) {
        return;
    }
    why = g_strdup_printf("%s '%s'", cg_object_type_name(CG_OBJECT(ms->cgs)),
                          cgs_id(ms->cgs));
    default_props_add(ms->defaults, "virtio-device", "iommu_platform", "on",
                      PROP_ORIGIN_MACHINE, why);
    default_props_add(ms->defaults, "virtio-pci", "disable-legacy", "on",
                      PROP_ORIGIN_MACHINE, why);
    if (!ms->mem_merge_explicit) {
        ms->mem_merge = false;
    } else if (ms->mem_merge) {
        cg_warn_report("-machine mem-merge=on overrides the default "
                       "mem-merge=off of confidential-guest-support (%s); "
                       "the host may merge and share this guest's pages, "
                       "which weakens its protection", why);
    }
}

void machine_request_shutdown(MachineState *ms, ShutdownCause cause)
{
    if (ms->req && ms->req->shutdown) {
        ms->req->shutdown(ms->req_opaque, cause);
    }
}

void machine_request_reset(MachineState *ms, ShutdownCause cause)
{
    if (ms->req && ms->req->reset) {
        ms->req->reset(ms->req_opaque, cause);
    }
}

void machine_request_exit(MachineState *ms, int status)
{
    if (ms->req && ms->req->exit) {
        ms->req->exit(ms->req_opaque, status);
    }
}

void machine_request_fail(MachineState *ms, const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    va_list ap;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    if (ms->req && ms->req->fail) {
        ms->req->fail(ms->req_opaque, msg);
    } else {
        cg_error_report("%s", msg);
    }
}

CgObject *machine_container(MachineState *ms, const char *name)
{
    return cg_object_get_container(CG_OBJECT(ms), name);
}

bool machine_add_serials(MachineState *ms, unsigned max, const char *what,
                         MachineSerialCreate create, GError **err)
{
    CgObject *root = cg_object_get_root(CG_OBJECT(ms));
    const char *dflt = ms->nographic ? "stdio" : "null";
    guint n = ms->serials ? ms->serials->len : 0;

    if (n > max) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "-serial: %u given, but machine %s takes at most %u "
                    "(%s)", n, CG_MACHINE_GET_CLASS(ms)->name, max, what);
        return false;
    }
    if (n == 0 && ms->nodefaults) {
        return true;
    }
    for (guint i = 0; i < MAX(n, 1u); i++) {
        const char *spec = n ? g_ptr_array_index(ms->serials, i) : dflt;
        g_autofree char *id = g_strdup_printf("serial%u", i);
        Chardev *chr;

        if (strcmp(spec, "none") == 0) {
            continue;
        }
        chr = chardev_new_from_spec(root, spec, id, err);
        if (chr == NULL || !create(ms, i, chardev_id(chr), err)) {
            g_prefix_error(err, "-serial %s: ", spec);
            return false;
        }
    }
    return true;
}
