/* The x86 "pc" machine: RAM, vCPUs, on-board devices, boot. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "accel/accel.h"
#include "chardev/char.h"
#include "hw/char/serial-isa.h"
#include "hw/core/loader.h"
#include "hw/i386/pc-boot.h"
#include "hw/i386/x86-machine.h"
#include "target/i386/cpu-models.h"
#include "util/error.h"

#include <string.h>

#define PC_MAX_CPUS 255         /* xAPIC IDs 0-254 */
#define PC_SERIAL_PORTS 4
#define PC_PHYS_BITS 40         /* the least any -cpu model offers */
#define KBD_STATUS_PORT 0x64
#define KBD_CMD_RESET 0xfe

typedef struct {
    X86MachineState parent_instance;

    PcLayout layout;
    GPtrArray *images;          /* GBytes per load record, for resets */
    unsigned resets;
    IoRegion *kbd;
} PCMachineState;

typedef X86MachineStateClass PCMachineStateClass;

CG_DEFINE_TYPE(PCMachineState, pc_machine, "pc-machine", CG_TYPE_X86_MACHINE)

#define PC_MACHINE(obj)                                                       \
    G_TYPE_CHECK_INSTANCE_CAST((obj), pc_machine_get_type(), PCMachineState)

/*
 * The keyboard controller's reset line, which guests (Linux among them)
 * pulse to reboot.  Nothing else of the i8042: the status reads 0 (no
 * data, ready for a command) so that a guest never waits on it.
 */
static uint64_t kbd_read(void *opaque, uint64_t offset, unsigned size)
{
    return 0;
}

static void kbd_write(void *opaque, uint64_t offset, uint64_t value,
                      unsigned size)
{
    MachineState *ms = opaque;

    if ((value & 0xff) == KBD_CMD_RESET) {
        machine_request_reset(ms, SHUTDOWN_CAUSE_GUEST_RESET);
    }
}

static const MemoryOps kbd_ops = {
    .read = kbd_read,
    .write = kbd_write,
};

static bool add_ram(MachineState *ms, const PcLayout *l, GError **err)
{
    uint64_t low = MIN(l->below_4g, PC_LOW_RAM_END);

    if (machine_add_ram(ms, "pc.ram.low", 0, low, false, err) == NULL) {
        return false;
    }
    if (l->below_4g > PC_HIGH_RAM_BASE &&
        machine_add_ram(ms, "pc.ram", PC_HIGH_RAM_BASE,
                        l->below_4g - PC_HIGH_RAM_BASE, false, err) == NULL) {
        return false;
    }
    if (l->above_4g > 0 &&
        machine_add_ram(ms, "pc.ram.above-4g", PC_4G, l->above_4g, false,
                        err) == NULL) {
        return false;
    }
    return true;
}

/* -serial specs, or the default COM1 (stdio with -nographic). */
static bool add_serial_ports(MachineState *ms, GError **err)
{
    CgObject *root = cg_object_get_root(CG_OBJECT(ms));
    const char *dflt = ms->nographic ? "stdio" : "null";
    guint n = ms->serials ? ms->serials->len : 0;

    if (n > PC_SERIAL_PORTS) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "-serial: %u given, but machine pc has %d serial ports "
                    "(COM1-COM4)", n, PC_SERIAL_PORTS);
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
        if (chr == NULL) {
            g_prefix_error(err, "-serial %s: ", spec);
            return false;
        }
        if (isa_serial_create(ms, i, chardev_id(chr), err) == NULL) {
            g_prefix_error(err, "-serial %s: ", spec);
            return false;
        }
    }
    return true;
}

/* What the loaders placed, to put back when the guest resets. */
static void keep_images(PCMachineState *pcms)
{
    MachineState *ms = CG_MACHINE(pcms);
    const GPtrArray *recs = loader_records(ms);

    for (guint i = 0; i < recs->len; i++) {
        const LoadRecord *r = g_ptr_array_index(recs, i);
        const void *p = guest_ram_ptr(ms->mem, r->gpa, r->size);

        g_ptr_array_add(pcms->images, g_bytes_new(p, r->size));
    }
}

static bool pc_machine_board_init(MachineState *ms, GError **err)
{
    PCMachineState *pcms = PC_MACHINE(ms);
    X86MachineState *x86ms = CG_X86_MACHINE(ms);

    x86ms->cpu = x86_cpu_config_parse(ms->cpu_model, err);
    if (x86ms->cpu == NULL ||
        !pc_layout_compute(ms->ram_size, PC_PHYS_BITS, &pcms->layout, err)) {
        return false;
    }
    ms->io = address_space_new("io", 0x10000);
    if (!add_ram(ms, &pcms->layout, err)) {
        return false;
    }
    if (ms->accel != NULL &&
        !accel_create_vcpus(ms->accel, ms->smp_cpus, err)) {
        return false;
    }
    if (!pc_boot_load(ms, &pcms->layout, &x86ms->boot, err)) {
        return false;
    }
    keep_images(pcms);
    if (!add_serial_ports(ms, err)) {
        return false;
    }
    pcms->kbd = address_space_add_io(ms->io, "i8042-reset", KBD_STATUS_PORT,
                                     1, &kbd_ops, ms, err);
    return pcms->kbd != NULL;
}

static bool pc_machine_plug(MachineState *ms, DeviceState *dev, GError **err)
{
    const char *bus = CG_DEVICE_GET_CLASS(dev)->bus_type;

    if (strcmp(bus, "isa") == 0) {
        return true;    /* ISA devices claim their ports at realize */
    }
    g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                "%s needs a %s bus, which machine pc does not have (yet)",
                cg_object_type_name(CG_OBJECT(dev)), bus);
    return false;
}

/*
 * At every reset after the first, the images the loaders placed go back
 * (the guest may have changed them); not for a confidential guest, whose
 * memory was encrypted in place at launch.
 */
static void pc_machine_reset(MachineState *ms)
{
    PCMachineState *pcms = PC_MACHINE(ms);
    const GPtrArray *recs = loader_records(ms);

    if (pcms->resets++ == 0 || ms->cgs != NULL) {
        return;
    }
    for (guint i = 0; i < recs->len && i < pcms->images->len; i++) {
        const LoadRecord *r = g_ptr_array_index(recs, i);
        GBytes *b = g_ptr_array_index(pcms->images, i);
        void *p = guest_ram_ptr(ms->mem, r->gpa, r->size);

        if (p != NULL) {
            memcpy(p, g_bytes_get_data(b, NULL), r->size);
        }
    }
}

static void pc_machine_finalize(GObject *obj)
{
    PCMachineState *pcms = PC_MACHINE(obj);

    g_ptr_array_unref(pcms->images);
    G_OBJECT_CLASS(pc_machine_parent_class)->finalize(obj);
}

static void pc_machine_class_init(PCMachineStateClass *klass)
{
    MachineStateClass *mc = CG_MACHINE_CLASS(klass);

    G_OBJECT_CLASS(klass)->finalize = pc_machine_finalize;
    mc->name = "pc";
    mc->desc = "Standard PC";
    mc->is_default = true;
    mc->max_cpus = PC_MAX_CPUS;
    mc->default_ram_size = 128ull << 20;
    mc->init = pc_machine_board_init;
    mc->plug = pc_machine_plug;
    mc->reset = pc_machine_reset;
    mc->cpu_help = x86_cpu_models_help;
}

static void pc_machine_init(PCMachineState *pcms)
{
    pcms->images = g_ptr_array_new_with_free_func(
        (GDestroyNotify)g_bytes_unref);
}
