/* A PCI host bridge and its bus 0: the API boards use. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_HW_PCI_PCI_HOST_H
#define CGEMU_HW_PCI_PCI_HOST_H

#include "hw/pci/pci-device.h"

G_BEGIN_DECLS

/*
 * One PCI bus (bus 0, 32 slots of 8 functions) behind a host bridge, for
 * any board: x86 pc (type 1 configuration access at 0xcf8/0xcfc, I/O
 * ports), ppc64 pseries (a PHB: configuration through RTAS calls via
 * pci_host_config_read/write, windows translated into the CPU's memory).
 *
 * Call order for a board:
 *   pci_host_create()   in its init (lifecycle step 6), after RAM
 *   pci_host_plug()     from its MachineStateClass.plug, for each -device
 *                       of a PCI type (before the device realizes)
 *   devices realize; each gets its BARs assigned from the windows
 *   pci_host_foreach()  at any time after (device tree, ACPI, QMP)
 * Reset needs nothing from the board: each device restores its BARs.
 *
 * Everything here runs with the machine lock held.
 */

/*
 * An address window of the bus.  BARs the VMM assigns come from these
 * windows, and a BAR decodes only when it lies wholly inside one; a
 * bus address A in the window appears to the CPU at A + cpu_offset
 * (0 for x86, where bus and CPU addresses are the same).
 */
typedef struct PCIHostWindow {
    uint64_t base;            /* bus address */
    uint64_t size;            /* 0: no such window */
    uint64_t cpu_offset;
} PCIHostWindow;

typedef struct PCIHostConfig {
    /* Name of the host in the tree, under /machine ("i440fx"). */
    const char *name;

    PCIHostWindow mmio32;     /* below 4 GiB; required */
    PCIHostWindow mmio64;     /* optional: 64-bit BARs that do not fit below */
    PCIHostWindow io;         /* optional: I/O BARs */
    /*
     * false: the I/O window is in the machine's port space (ms->io, x86);
     * true: it is memory-mapped in ms->mem (ppc64: the PHB's I/O window).
     */
    bool io_in_memory;

    /* Map the type 1 mechanism at 0xcf8 (address) / 0xcfc (data) in ms->io. */
    bool claim_cf8;
    /*
     * x86: 0xcf9 is the reset control register of the PIIX southbridge,
     * inside the 0xcf8 dword.  With claim_cf8, byte writes there go to this
     * callback (NULL: ignored; reads return the last value written).
     */
    void (*cf9_write)(void *opaque, uint8_t value);

    /*
     * INTx: the level of @pin (0 = INTA .. 3 = INTD) of @slot changed.
     * The level is the OR over the functions of that slot which use that
     * pin; a board that routes several (slot, pin) pairs to one input
     * must OR them itself.  NULL: INTx goes nowhere.
     */
    void (*set_intx)(void *opaque, int slot, int pin, int level);
    /*
     * Optional: the interrupt controller input (slot, pin) reaches, written
     * into each device's INTERRUPT_LINE register at reset the way firmware
     * would (x86 guests without firmware read it).  Return 0xff for none.
     */
    uint8_t (*intx_line)(void *opaque, int slot, int pin);
    void *opaque;             /* passed to every callback above */

    /*
     * The host bridge function at 00.0: vendor:device (default 8086:1237,
     * an i440FX, class 06.00), or none at all (a PHB has none).
     */
    bool no_bridge_function;
    uint16_t bridge_vendor_id;
    uint16_t bridge_device_id;
    uint8_t bridge_revision;
} PCIHostConfig;

#define TYPE_PCI_HOST "pci-host"
#define CG_TYPE_PCI_HOST (pci_host_get_type())
GType pci_host_get_type(void);
#define CG_PCI_HOST(obj)                                                      \
    (G_TYPE_CHECK_INSTANCE_CAST((obj), CG_TYPE_PCI_HOST, PCIHost))
#define CG_IS_PCI_HOST(obj)                                                   \
    (G_TYPE_CHECK_INSTANCE_TYPE((obj), CG_TYPE_PCI_HOST))
G_DEFINE_AUTOPTR_CLEANUP_FUNC(PCIHost, g_object_unref)

/*
 * Creates the host at /machine/@cfg->name (a device, reset with the
 * others) with its bridge function at 00.0, and claims 0xcf8/0xcfc when
 * asked.  Errors: no mmio32 window, a window that wraps, claim_cf8
 * without ms->io, the ports already taken.  Returns a borrowed pointer:
 * the machine's tree owns the host.
 */
PCIHost *pci_host_create(MachineState *ms, const PCIHostConfig *cfg,
                         GError **err);

/*
 * Attaches @dev (not yet realized) to the bus: the slot from its addr=
 * property (pci_device_requested_devfn) or the first slot with no
 * function in use.  Errors name the slot and the device already there;
 * a non-PCI device, a function of a slot whose function 0 is not
 * multifunction=on (or the reverse), and a full bus are errors too.
 * The bus holds a reference on the device until the host goes away.
 */
bool pci_host_plug(PCIHost *h, DeviceState *dev, GError **err);

/*
 * Configuration space of the function at @devfn (bus 0) for firmware
 * interfaces: @size 1, 2 or 4, @offset + @size <= 256 (larger offsets
 * read as all-ones and drop writes).  An empty devfn reads all-ones.
 */
uint32_t pci_host_config_read(PCIHost *h, int devfn, uint32_t offset,
                              unsigned size);
void pci_host_config_write(PCIHost *h, int devfn, uint32_t offset,
                           uint32_t val, unsigned size);

/* The function at @devfn, or NULL. */
PCIDevice *pci_host_find(PCIHost *h, int devfn);
/* Calls @fn for each function in devfn order (the bridge included). */
void pci_host_foreach(PCIHost *h, void (*fn)(PCIDevice *pd, void *opaque),
                      void *opaque);

const PCIHostConfig *pci_host_get_config(PCIHost *h);
MachineState *pci_host_machine(PCIHost *h);

/*
 * For pci-device.c only: BAR address assignment after realize, the
 * translation of a BAR to where it appears for the CPU, INTx, and the
 * release of a slot whose device failed to realize.
 */
void pci_host_assign_bars(PCIHost *h, PCIDevice *pd);
bool pci_host_translate(PCIHost *h, PCIBarKind kind, uint64_t bus_addr,
                        uint64_t size, AddressSpace **space,
                        uint64_t *cpu_addr);
void pci_host_update_intx(PCIHost *h, PCIDevice *pd);
void pci_host_unplug(PCIHost *h, PCIDevice *pd);

G_END_DECLS

#endif
