/* The x86 "pc" machine: RAM, vCPUs, on-board devices, boot. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "accel/accel.h"
#include "chardev/char.h"
#include "hw/char/serial-isa.h"
#include "hw/core/loader.h"
#include "hw/i386/pc-boot.h"
#include "hw/i386/x86-machine.h"
#include "hw/pci/pci-host.h"
#include "target/i386/cpu-models.h"
#include "util/error.h"

#include <string.h>

#define PC_MAX_CPUS 255         /* xAPIC IDs 0-254 */
#define PC_SERIAL_PORTS 4
#define PC_PHYS_BITS 40         /* the least any -cpu model offers */
#define KBD_STATUS_PORT 0x64
#define KBD_CMD_RESET 0xfe
#define RCR_RESET 0x04          /* 0xcf9: reset control, "system reset" */
#define PCI_SLOTS 32

/*
 * PCI INTx: pin P (INTA = 0) of slot S drives PIRQ (S + P) % 4, the
 * swizzle of a PCI-to-PCI bridge, and PIRQs A-D reach ISA IRQs 10, 10,
 * 11, 11, where a PC's firmware routes them (and writes them into each
 * function's INTERRUPT_LINE, which pci-host does for us at reset).
 */
static const uint8_t pirq_to_irq[4] = { 10, 10, 11, 11 };

typedef struct {
    X86MachineState parent_instance;

    PcLayout layout;
    GPtrArray *images;          /* GBytes per load record, for resets */
    unsigned resets;
    IoRegion *kbd;
    PCIHost *pci;
    uint32_t intx[PCI_SLOTS];   /* asserted pins (bit P) per slot */
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

static int intx_irq(int slot, int pin)
{
    return pirq_to_irq[(slot + pin) & 3];
}

/* Several (slot, pin) share an IRQ: the line is their OR. */
static void pc_set_intx(void *opaque, int slot, int pin, int level)
{
    PCMachineState *pcms = opaque;
    int irq = intx_irq(slot, pin);
    IrqLine line = x86_machine_gsi_line(CG_X86_MACHINE(pcms), irq);
    bool any = false;

    if (slot < 0 || slot >= PCI_SLOTS || pin < 0 || pin > 3) {
        return;
    }
    if (level) {
        pcms->intx[slot] |= 1u << pin;
    } else {
        pcms->intx[slot] &= ~(1u << pin);
    }
    for (int s = 0; s < PCI_SLOTS && !any; s++) {
        for (int p = 0; p < 4; p++) {
            if ((pcms->intx[s] & (1u << p)) && intx_irq(s, p) == irq) {
                any = true;
            }
        }
    }
    irq_set(&line, any);
}

static uint8_t pc_intx_line(void *opaque, int slot, int pin)
{
    return (uint8_t)intx_irq(slot, pin);
}

/* 0xcf9, the PIIX reset control register: guests write 0x06 or 0x0e. */
static void pc_cf9_write(void *opaque, uint8_t value)
{
    if (value & RCR_RESET) {
        machine_request_reset(CG_MACHINE(opaque), SHUTDOWN_CAUSE_GUEST_RESET);
    }
}

static bool add_pci(PCMachineState *pcms, GError **err)
{
    MachineState *ms = CG_MACHINE(pcms);
    const PcLayout *l = &pcms->layout;
    PCIHostConfig cfg = {
        .name = "i440fx",
        .mmio32 = { .base = l->pci32_base, .size = l->pci32_size },
        .mmio64 = { .base = l->pci64_base, .size = l->pci64_size },
        .io = { .base = PC_PCI_IO_BASE, .size = PC_PCI_IO_SIZE },
        .claim_cf8 = true,
        .cf9_write = pc_cf9_write,
        .set_intx = pc_set_intx,
        .intx_line = pc_intx_line,
        .opaque = pcms,
    };

    pcms->pci = pci_host_create(ms, &cfg, err);
    return pcms->pci != NULL;
}

static bool add_ram(MachineState *ms, const PcLayout *l, GError **err)
{
    uint64_t low = MIN(l->below_4g, PC_LOW_RAM_END);

    /* One block of RAM: its first bytes below 640 KiB, the same offsets
     * from 1 MiB, the rest above 4 GiB. */
    if (machine_add_main_ram(ms, "pc.ram.low", 0, 0, low, err) == NULL) {
        return false;
    }
    if (l->below_4g > PC_HIGH_RAM_BASE &&
        machine_add_main_ram(ms, "pc.ram", PC_HIGH_RAM_BASE,
                             PC_HIGH_RAM_BASE,
                             l->below_4g - PC_HIGH_RAM_BASE, err) == NULL) {
        return false;
    }
    if (l->above_4g > 0 &&
        machine_add_main_ram(ms, "pc.ram.above-4g", PC_4G, l->below_4g,
                             l->above_4g, err) == NULL) {
        return false;
    }
    return true;
}

static bool pc_serial_create(MachineState *ms, unsigned index,
                             const char *chardev_id, GError **err)
{
    return isa_serial_create(ms, index, chardev_id, err) != NULL;
}

/* -serial specs, or the default COM1 (stdio with -nographic). */
static bool add_serial_ports(MachineState *ms, GError **err)
{
    return machine_add_serials(ms, PC_SERIAL_PORTS,
                               "serial ports COM1-COM4", pc_serial_create,
                               err);
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
    /* Loaders first: -bios adds ROM, and every memory slot is best made
     * before the vCPUs (see create_irqchip in target/i386/kvm.c). */
    if (!pc_boot_load(ms, &pcms->layout, &x86ms->boot, err)) {
        return false;
    }
    keep_images(pcms);
    if (ms->accel != NULL &&
        !accel_create_vcpus(ms->accel, ms->smp_cpus, err)) {
        return false;
    }
    if (!add_serial_ports(ms, err)) {
        return false;
    }
    pcms->kbd = address_space_add_io(ms->io, "i8042-reset", KBD_STATUS_PORT,
                                     1, &kbd_ops, ms, err);
    return pcms->kbd != NULL && add_pci(pcms, err);
}

static bool pc_machine_plug(MachineState *ms, DeviceState *dev, GError **err)
{
    const char *bus = CG_DEVICE_GET_CLASS(dev)->bus_type;

    if (strcmp(bus, "isa") == 0) {
        return true;    /* ISA devices claim their ports at realize */
    }
    if (strcmp(bus, "PCI") == 0) {
        return pci_host_plug(PC_MACHINE(ms)->pci, dev, err);
    }
    g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                "%s needs a %s bus, which machine pc does not have",
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
    mc->has_pci = true;
    mc->default_ram_size = 128ull << 20;
    mc->default_ram_id = "pc.ram";
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
