/* The ppc64 "pseries" machine (PAPR): board set-up, devices, resets. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hw/ppc/spapr.h"

#include "accel/accel.h"
#include "chardev/char.h"
#include "hw/core/loader.h"
#include "qom/property.h"
#include "util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

enum {
    PROP_0,
    PROP_DUMPDTB,
};

CG_DEFINE_TYPE(SpaprMachineState, spapr_machine, TYPE_SPAPR_MACHINE,
               CG_TYPE_MACHINE)

SpaprMachineState *spapr_machine(MachineState *ms)
{
    return CG_IS_SPAPR_MACHINE(ms) ? CG_SPAPR_MACHINE(ms) : NULL;
}

static bool check_ram(MachineState *ms, GError **err)
{
    if (ms->ram_size < SPAPR_MIN_RAM) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "-m: machine pseries needs at least %llu MiB of RAM "
                    "(the device tree and RTAS live at its top)",
                    SPAPR_MIN_RAM >> 20);
        return false;
    }
    if (ms->ram_size % SPAPR_RAM_ALIGN != 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "-m: machine pseries needs a multiple of 64 KiB of RAM "
                    "(the page size of POWER hosts); 0x%" G_GINT64_MODIFIER
                    "x bytes is not", ms->ram_size);
        return false;
    }
    return true;
}

static bool parse_cpu(SpaprMachineState *spapr, GError **err)
{
    MachineState *ms = CG_MACHINE(spapr);
    const char *accel = ms->accel ? accel_name(ms->accel) : NULL;

    if (!ppc_cpu_config_parse(ms->cpu_model, &spapr->cpu, err)) {
        return false;
    }
    if (spapr->cpu.host && g_strcmp0(accel, "kvm") != 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "-cpu host: the host CPU model needs -accel kvm on a "
                    "POWER host; with %s, name a model (power9, power10)",
                    accel ? accel : "no accelerator");
        return false;
    }
    return true;
}

static bool spapr_serial_create(MachineState *ms, unsigned index,
                                const char *chardev_id, GError **err)
{
    return spapr_vty_create(ms, chardev_id, err) != NULL;
}

/* -serial specs, or one default vty (stdio with -nographic). */
static bool add_vtys(MachineState *ms, GError **err)
{
    return machine_add_serials(ms, SPAPR_MAX_SERIALS,
                               "each becomes a spapr-vty",
                               spapr_serial_create, err);
}

static bool spapr_machine_board_init(MachineState *ms, GError **err)
{
    SpaprMachineState *spapr = CG_SPAPR_MACHINE(ms);

    if (!check_ram(ms, err) || !parse_cpu(spapr, err)) {
        return false;
    }
    if (machine_add_main_ram(ms, "ppc_spapr.ram", 0, 0, ms->ram_size, err) ==
        NULL) {
        return false;
    }
    if (ms->accel != NULL &&
        !accel_create_vcpus(ms->accel, ms->smp_cpus, err)) {
        return false;
    }
    return spapr_boot_load(ms, &spapr->boot, err) &&
           spapr_phb_create(spapr, err) && add_vtys(ms, err);
}

static bool spapr_machine_plug(MachineState *ms, DeviceState *dev,
                               GError **err)
{
    SpaprMachineState *spapr = CG_SPAPR_MACHINE(ms);
    const char *bus = CG_DEVICE_GET_CLASS(dev)->bus_type;

    if (strcmp(bus, "PCI") == 0) {
        return pci_host_plug(spapr->phb, dev, err);
    }
    if (strcmp(bus, "spapr-vio") == 0) {
        return true;    /* the vty takes its unit address at realize */
    }
    g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                "%s needs a %s bus, which machine pseries does not have",
                cg_object_type_name(CG_OBJECT(dev)), bus);
    return false;
}

/* What the loaders placed, to put back when the guest resets. */
static void keep_images(SpaprMachineState *spapr)
{
    MachineState *ms = CG_MACHINE(spapr);
    const GPtrArray *recs = loader_records(ms);

    g_ptr_array_set_size(spapr->images, 0);
    for (guint i = 0; i < recs->len; i++) {
        const LoadRecord *r = g_ptr_array_index(recs, i);
        const void *p = guest_ram_ptr(ms->mem, r->gpa, r->size);

        g_ptr_array_add(spapr->images, g_bytes_new(p, r->size));
    }
}

static bool dump_dtb(MachineState *ms, GBytes *fdt, GError **err)
{
    gsize len = 0;
    const char *data = g_bytes_get_data(fdt, &len);
    int fd = open(ms->dumpdtb, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
                  0666);
    bool ok = fd >= 0 && write(fd, data, len) == (ssize_t)len;
    int e = errno;

    if (fd >= 0 && close(fd) != 0 && ok) {
        ok = false;
        e = errno;
    }
    if (!ok) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "-machine dumpdtb=%s: cannot write the device tree: %s",
                    ms->dumpdtb, g_strerror(e));
        return false;
    }
    cg_info_report("dtb dumped to %s. Exiting.", ms->dumpdtb);
    machine_request_exit(ms, 0);
    return true;
}

static bool spapr_machine_done(MachineState *ms, GError **err)
{
    SpaprMachineState *spapr = CG_SPAPR_MACHINE(ms);
    GBytes *fdt = spapr_build_fdt(spapr, err);

    if (fdt == NULL) {
        return false;
    }
    g_clear_pointer(&spapr->fdt, g_bytes_unref);
    spapr->fdt = fdt;
    if (!spapr_boot_place_firmware(ms, &spapr->boot, fdt, err)) {
        return false;
    }
    keep_images(spapr);
    return ms->dumpdtb == NULL || dump_dtb(ms, fdt, err);
}

void spapr_machine_restore_images(SpaprMachineState *spapr)
{
    MachineState *ms = CG_MACHINE(spapr);
    const GPtrArray *recs = loader_records(ms);

    for (guint i = 0; i < recs->len && i < spapr->images->len; i++) {
        const LoadRecord *r = g_ptr_array_index(recs, i);
        GBytes *b = g_ptr_array_index(spapr->images, i);
        void *p = guest_ram_ptr(ms->mem, r->gpa, r->size);

        if (p != NULL) {
            memcpy(p, g_bytes_get_data(b, NULL), r->size);
        }
    }
}

/*
 * At every reset after the first, the kernel, initrd, RTAS stub and
 * device tree go back (the guest may have overwritten them), as QEMU's
 * ROM reset does.  A PEF guest's memory may still be secure here: KVM
 * must take the VM out of secure mode first, so then the accelerator
 * restores them after KVM_PPC_SVM_OFF (target/ppc/kvm.c).
 */
static void spapr_machine_reset(MachineState *ms)
{
    SpaprMachineState *spapr = CG_SPAPR_MACHINE(ms);

    if (spapr->resets++ == 0 || ms->cgs != NULL) {
        return;
    }
    spapr_machine_restore_images(spapr);
}

static void spapr_machine_set_property(GObject *obj, guint id,
                                       const GValue *value, GParamSpec *pspec)
{
    MachineState *ms = CG_MACHINE(obj);

    switch (id) {
    case PROP_DUMPDTB:
        g_free(ms->dumpdtb);
        ms->dumpdtb = g_value_dup_string(value);
        break;
    default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(obj, id, pspec);
    }
}

static void spapr_machine_get_property(GObject *obj, guint id, GValue *value,
                                       GParamSpec *pspec)
{
    MachineState *ms = CG_MACHINE(obj);

    switch (id) {
    case PROP_DUMPDTB:
        g_value_set_string(value, ms->dumpdtb);
        break;
    default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(obj, id, pspec);
    }
}

static void spapr_machine_finalize(GObject *obj)
{
    SpaprMachineState *spapr = CG_SPAPR_MACHINE(obj);

    g_clear_pointer(&spapr->fdt, g_bytes_unref);
    g_ptr_array_unref(spapr->images);
    G_OBJECT_CLASS(spapr_machine_parent_class)->finalize(obj);
}

static int64_t spapr_qtest_rtas(MachineState *ms, const char *name,
                                uint32_t nargs, uint64_t args, uint32_t nret,
                                uint64_t rets)
{
    return spapr_rtas_call_by_name(CG_SPAPR_MACHINE(ms), name, nargs, args,
                                   nret, rets);
}

static void spapr_machine_class_init(SpaprMachineStateClass *klass)
{
    GObjectClass *oc = G_OBJECT_CLASS(klass);
    MachineStateClass *mc = CG_MACHINE_CLASS(klass);

    oc->set_property = spapr_machine_set_property;
    oc->get_property = spapr_machine_get_property;
    oc->finalize = spapr_machine_finalize;
    mc->name = "pseries";
    mc->desc = "pSeries Logical Partition (PAPR compliant)";
    mc->is_default = true;
    mc->max_cpus = SPAPR_MAX_CPUS;
    mc->default_ram_size = 512ull << 20;
    mc->default_ram_id = "ppc_spapr.ram";
    mc->has_dumpdtb = true;
    mc->has_pci = true;
    mc->init = spapr_machine_board_init;
    mc->plug = spapr_machine_plug;
    mc->done = spapr_machine_done;
    mc->reset = spapr_machine_reset;
    mc->cpu_help = ppc_cpu_models_help;
    mc->qtest_rtas = spapr_qtest_rtas;

    g_object_class_install_property(
        oc, PROP_DUMPDTB,
        g_param_spec_string("dumpdtb", "dumpdtb",
                            "Write the flattened device tree to this file "
                            "and exit", NULL,
                            G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
}

static void spapr_machine_init(SpaprMachineState *spapr)
{
    /*
     * The base class's instance init runs with the base class as the
     * instance's class (GObject), so it cannot see this default.
     */
    CG_MACHINE(spapr)->ram_size =
        CG_MACHINE_GET_CLASS(spapr)->default_ram_size;
    spapr->images = g_ptr_array_new_with_free_func(
        (GDestroyNotify)g_bytes_unref);
    spapr->next_vio_reg = SPAPR_VIO_REG_BASE;
}
