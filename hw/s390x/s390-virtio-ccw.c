/* The s390x "s390-ccw-virtio" machine: RAM, CPUs, css, IPL, resets. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hw/s390x/s390-virtio-ccw.h"

#include "accel/accel.h"
#include "hw/core/device.h"
#include "hw/core/loader.h"
#include "util/cutils.h"
#include "util/error.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MIB (1024 * 1024ull)

typedef MachineStateClass S390CcwMachineStateClass;

CG_DEFINE_TYPE(S390CcwMachineState, s390_ccw_machine, TYPE_S390_CCW_MACHINE,
               CG_TYPE_MACHINE)

S390CcwMachineState *s390_ccw_machine(MachineState *ms)
{
    return ms != NULL && G_TYPE_CHECK_INSTANCE_TYPE(
                             ms, s390_ccw_machine_get_type())
               ? (S390CcwMachineState *)ms
               : NULL;
}

S390Css *s390_ccw_machine_css(MachineState *ms)
{
    S390CcwMachineState *m = s390_ccw_machine(ms);

    return m ? m->css : NULL;
}

void s390_ccw_machine_request_reset(S390CcwMachineState *m,
                                    S390ResetType type, unsigned cpu)
{
    m->reset_type = type;
    m->reset_cpu = cpu;
    /*
     * Like QEMU, a reset the architecture defines as part of the guest's
     * own IPL is not a reboot: -no-reboot does not turn it into a
     * shutdown.
     */
    machine_request_reset(CG_MACHINE(m),
                          type == S390_RESET_REIPL
                              ? SHUTDOWN_CAUSE_GUEST_RESET
                              : SHUTDOWN_CAUSE_SUBSYSTEM_RESET);
}

S390ResetType s390_ccw_machine_take_reset(S390CcwMachineState *m,
                                          unsigned *cpu)
{
    S390ResetType t = m->reset_type;

    *cpu = m->reset_cpu;
    m->reset_type = S390_RESET_EXTERNAL;
    m->reset_cpu = 0;
    return t;
}

void s390_ccw_machine_restore_images(S390CcwMachineState *m)
{
    MachineState *ms = CG_MACHINE(m);
    const GPtrArray *recs = loader_records(ms);

    for (guint i = 0; i < recs->len && i < m->images->len; i++) {
        const LoadRecord *r = g_ptr_array_index(recs, i);
        GBytes *b = g_ptr_array_index(m->images, i);
        void *p = guest_ram_ptr(ms->mem, r->gpa, r->size);

        if (p != NULL) {
            memcpy(p, g_bytes_get_data(b, NULL), r->size);
        }
    }
}

/* What the loaders placed so far, to put back at a re-IPL. */
static void keep_images(S390CcwMachineState *m)
{
    MachineState *ms = CG_MACHINE(m);
    const GPtrArray *recs = loader_records(ms);

    for (guint i = m->images->len; i < recs->len; i++) {
        const LoadRecord *r = g_ptr_array_index(recs, i);
        const void *p = guest_ram_ptr(ms->mem, r->gpa, r->size);

        g_ptr_array_add(m->images, g_bytes_new(p, r->size));
    }
}

/*
 * Guest RAM, as machine_add_ram() makes it, but at a host address aligned
 * to 1 MiB: s390 KVM maps guest memory by segments and refuses a memory
 * slot whose user address or size is not a whole number of them.
 */
static bool add_ram(S390CcwMachineState *m, GError **err)
{
    MachineState *ms = CG_MACHINE(m);
    uint64_t size = ms->ram_size;
    uint8_t *area, *aligned;
    int fd;

    if (ms->ram_backend != NULL) {
        /* Backends map on a 2 MiB boundary, a whole number of segments. */
        return machine_add_main_ram(ms, "s390.ram", 0, 0, size, err) != NULL;
    }
    fd = memfd_create("s390.ram", MFD_CLOEXEC);
    if (fd < 0 || ftruncate(fd, (off_t)size) < 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "cannot allocate s390.ram (0x%" G_GINT64_MODIFIER
                    "x bytes): %s", size, g_strerror(errno));
        if (fd >= 0) {
            close(fd);
        }
        return false;
    }
    /* Reserve a MiB more, then put the memory on its first boundary. */
    area = mmap(NULL, size + MIB, PROT_NONE,
                MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    aligned = area == MAP_FAILED
                  ? MAP_FAILED
                  : mmap((void *)(((uintptr_t)area + MIB - 1) &
                                  ~(uintptr_t)(MIB - 1)),
                         size, PROT_READ | PROT_WRITE,
                         MAP_SHARED | MAP_FIXED, fd, 0);
    if (aligned == MAP_FAILED) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "cannot map s390.ram (0x%" G_GINT64_MODIFIER "x bytes): "
                    "%s", size, g_strerror(errno));
        if (area != MAP_FAILED) {
            munmap(area, size + MIB);
        }
        close(fd);
        return false;
    }
    m->ram_area = area;
    m->ram_fd = fd;
    /* Advice is best effort, as for every machine. */
    if (ms->mem_merge) {
        madvise(aligned, size, MADV_MERGEABLE);
    }
    if (!ms->dump_guest_core) {
        madvise(aligned, size, MADV_DONTDUMP);
    }
    return address_space_add_ram(ms->mem, "s390.ram", 0, size, aligned, fd,
                                 0, false, err) != NULL;
}

static bool s390_ccw_machine_board_init(MachineState *ms, GError **err)
{
    S390CcwMachineState *m = s390_ccw_machine(ms);

    /* Under KVM the model was resolved against the host already. */
    if (m->cpu == NULL) {
        m->cpu = s390_cpu_model_parse(ms->cpu_model, NULL, err);
        if (m->cpu == NULL) {
            return false;
        }
    }
    if (ms->ram_size % MIB != 0) {
        g_autofree char *size = cg_format_size(ms->ram_size);
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "-m %s: s390x guest memory comes in whole MiB; give a "
                    "multiple of 1M", size);
        return false;
    }
    if (!add_ram(m, err)) {
        return false;
    }
    m->css = s390_css_new(ms->mem);
    if (ms->accel != NULL &&
        !accel_create_vcpus(ms->accel, ms->smp_cpus, err)) {
        return false;
    }
    if (!s390_ipl_load(ms, &m->ipl_psw_addr, err)) {
        return false;
    }
    keep_images(m);
    return true;
}

static bool s390_ccw_machine_plug(MachineState *ms, DeviceState *dev,
                                  GError **err)
{
    const char *bus = CG_DEVICE_GET_CLASS(dev)->bus_type;

    if (strcmp(bus, "ccw") == 0) {
        return true;    /* ccw devices take a subchannel at realize */
    }
    g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                "%s needs a %s bus, which machine s390-ccw-virtio does not "
                "have; use the -ccw variant of the device",
                cg_object_type_name(CG_OBJECT(dev)), bus);
    return false;
}

static bool s390_ccw_machine_done(MachineState *ms, GError **err)
{
    /* -device loader and friends placed their data after board init. */
    keep_images(s390_ccw_machine(ms));
    return true;
}

static void s390_ccw_machine_reset(MachineState *ms)
{
    S390CcwMachineState *m = s390_ccw_machine(ms);
    unsigned cpu;

    /* Under KVM target/s390x/kvm.c runs the reset (see the header). */
    if (ms->accel != NULL &&
        strcmp(CG_ACCEL_GET_CLASS(ms->accel)->name, "kvm") == 0) {
        return;
    }
    s390_ccw_machine_take_reset(m, &cpu);
    s390_ccw_machine_restore_images(m);
}

static void s390_ccw_machine_finalize(GObject *obj)
{
    S390CcwMachineState *m = s390_ccw_machine(CG_MACHINE(obj));

    /* The devices went with the machine's children (dispose), the VM
     * before the machine: the memory is nobody's now. */
    if (m->ram_area != NULL) {
        munmap(m->ram_area, CG_MACHINE(m)->ram_size + MIB);
        close(m->ram_fd);
    }
    s390_css_free(m->css);
    s390_cpu_model_free(m->cpu);
    g_ptr_array_unref(m->images);
    G_OBJECT_CLASS(s390_ccw_machine_parent_class)->finalize(obj);
}

static void s390_ccw_machine_class_init(S390CcwMachineStateClass *mc)
{
    GObjectClass *oc = G_OBJECT_CLASS(mc);

    oc->finalize = s390_ccw_machine_finalize;
    mc->name = "s390-ccw-virtio";
    mc->default_ram_id = "s390.ram";
    mc->desc = "VirtIO-ccw based S390 machine";
    mc->is_default = true;
    mc->max_cpus = S390_MAX_CPUS;
    mc->default_ram_size = 128 * MIB;
    mc->init = s390_ccw_machine_board_init;
    mc->plug = s390_ccw_machine_plug;
    mc->done = s390_ccw_machine_done;
    mc->reset = s390_ccw_machine_reset;
    mc->cpu_help = s390_cpu_models_help;
}

static void s390_ccw_machine_init(S390CcwMachineState *self)
{
    self->images = g_ptr_array_new_with_free_func(
        (GDestroyNotify)g_bytes_unref);
}
