/* The pseries PCI host bridge (PHB) and its device-tree nodes. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hw/ppc/spapr.h"

#include "util/error.h"

#include <libfdt.h>

/*
 * Open Firmware PCI bus binding: the first cell of a PCI address,
 * npt000ss bbbbbbbb dddddfff rrrrrrrr.  n: the address is absolute (in
 * assigned-addresses), p: prefetchable, ss: the space.
 */
#define OF_PCI_N 0x80000000u
#define OF_PCI_P 0x40000000u
#define OF_PCI_SS_CONFIG 0x00000000u
#define OF_PCI_SS_IO 0x01000000u
#define OF_PCI_SS_MEM32 0x02000000u
#define OF_PCI_SS_MEM64 0x03000000u

bool spapr_phb_create(SpaprMachineState *spapr, GError **err)
{
    PCIHostConfig cfg = {
        .name = "phb0",
        .mmio32 = { SPAPR_PHB_MMIO32_BUS, SPAPR_PHB_MMIO32_SIZE,
                    SPAPR_PHB_MMIO32_CPU - SPAPR_PHB_MMIO32_BUS },
        .mmio64 = { SPAPR_PHB_MMIO64_CPU, SPAPR_PHB_MMIO64_SIZE, 0 },
        .io = { 0, SPAPR_PHB_IO_SIZE, SPAPR_PHB_IO_CPU },
        .io_in_memory = true,
        /* A PHB is no PCI function: slot 0 is free for devices. */
        .no_bridge_function = true,
    };

    spapr->phb = pci_host_create(CG_MACHINE(spapr), &cfg, err);
    return spapr->phb != NULL;
}

/* Appends the five cells of a PCI "reg"/"assigned-addresses" entry. */
static void add_entry(GArray *cells, uint32_t hi, uint64_t addr,
                      uint64_t size)
{
    uint32_t e[5] = {
        cpu_to_fdt32(hi),
        cpu_to_fdt32((uint32_t)(addr >> 32)),
        cpu_to_fdt32((uint32_t)addr),
        cpu_to_fdt32((uint32_t)(size >> 32)),
        cpu_to_fdt32((uint32_t)size),
    };

    g_array_append_vals(cells, e, 5);
}

static uint32_t bar_space(const PCIBar *bar)
{
    switch (bar->kind) {
    case PCI_BAR_IO:
        return OF_PCI_SS_IO;
    case PCI_BAR_MEM64:
        return OF_PCI_SS_MEM64 | (bar->prefetchable ? OF_PCI_P : 0);
    default:
        return OF_PCI_SS_MEM32 | (bar->prefetchable ? OF_PCI_P : 0);
    }
}

typedef struct {
    void *fdt;
    int phb;
    int err;
} PopulateCtx;

static void set_cell(PopulateCtx *c, int node, const char *name, uint32_t v)
{
    if (c->err == 0) {
        c->err = fdt_setprop_cell(c->fdt, node, name, v);
    }
}

static void set_cells(PopulateCtx *c, int node, const char *name,
                      GArray *cells)
{
    if (c->err == 0) {
        c->err = fdt_setprop(c->fdt, node, name, cells->data,
                             (int)(cells->len * sizeof(uint32_t)));
    }
}

/*
 * One node per function, as the OF PCI binding names it
 * ("pciVVVV,DDDD@S[,F]"): Linux on pseries builds its PCI devices from
 * these nodes and reaches their configuration space through RTAS.
 */
static void add_function(PCIDevice *pd, void *opaque)
{
    PopulateCtx *c = opaque;
    const uint8_t *cfg = pd->config;
    uint16_t vendor = pci_get_word(cfg + PCI_REG_VENDOR_ID);
    uint16_t device = pci_get_word(cfg + PCI_REG_DEVICE_ID);
    uint32_t devfn_hi = (uint32_t)pd->devfn << 8;
    g_autofree char *name = NULL;
    g_autofree char *compat = NULL;
    g_autoptr(GArray) reg = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    g_autoptr(GArray) assigned = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    int node;

    if (c->err != 0) {
        return;
    }
    name = PCI_FUNC(pd->devfn)
               ? g_strdup_printf("pci%x,%x@%x,%x", vendor, device,
                                 PCI_SLOT(pd->devfn), PCI_FUNC(pd->devfn))
               : g_strdup_printf("pci%x,%x@%x", vendor, device,
                                 PCI_SLOT(pd->devfn));
    compat = g_strdup_printf("pci%x,%x", vendor, device);
    node = fdt_add_subnode(c->fdt, c->phb, name);
    if (node < 0) {
        c->err = node;
        return;
    }
    set_cell(c, node, "vendor-id", vendor);
    set_cell(c, node, "device-id", device);
    set_cell(c, node, "revision-id", cfg[PCI_REG_REVISION]);
    set_cell(c, node, "class-code",
             pci_get_long(cfg + PCI_REG_REVISION) >> 8);
    set_cell(c, node, "subsystem-vendor-id",
             pci_get_word(cfg + PCI_REG_SUBSYS_VENDOR));
    set_cell(c, node, "subsystem-id", pci_get_word(cfg + PCI_REG_SUBSYS_ID));
    if (c->err == 0) {
        c->err = fdt_setprop_string(c->fdt, node, "compatible", compat);
    }
    add_entry(reg, OF_PCI_SS_CONFIG | devfn_hi, 0, 0);
    for (int n = 0; n < PCI_NUM_BARS; n++) {
        const PCIBar *bar = &pd->bars[n];
        uint32_t hi = bar_space(bar) | devfn_hi |
                      (uint32_t)(PCI_REG_BAR0 + 4 * n);

        if (bar->kind == PCI_BAR_NONE) {
            continue;
        }
        add_entry(reg, hi, 0, bar->size);
        if (bar->assigned != 0) {
            add_entry(assigned, OF_PCI_N | hi, bar->assigned, bar->size);
        }
    }
    set_cells(c, node, "reg", reg);
    if (assigned->len > 0) {
        set_cells(c, node, "assigned-addresses", assigned);
    }
}

/* ranges: (PCI address: 3 cells, CPU address: 2, size: 2) per window. */
static void add_range(GArray *cells, uint32_t space, uint64_t bus,
                      uint64_t cpu, uint64_t size)
{
    uint32_t e[7] = {
        cpu_to_fdt32(space),
        cpu_to_fdt32((uint32_t)(bus >> 32)),
        cpu_to_fdt32((uint32_t)bus),
        cpu_to_fdt32((uint32_t)(cpu >> 32)),
        cpu_to_fdt32((uint32_t)cpu),
        cpu_to_fdt32((uint32_t)(size >> 32)),
        cpu_to_fdt32((uint32_t)size),
    };

    g_array_append_vals(cells, e, 7);
}

int spapr_phb_dt_populate(SpaprMachineState *spapr, void *fdt, int parent)
{
    g_autofree char *name = g_strdup_printf("pci@%" G_GINT64_MODIFIER "x",
                                            (guint64)SPAPR_PHB_BUID);
    g_autoptr(GArray) ranges = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    const uint32_t reg[4] = {
        cpu_to_fdt32((uint32_t)(SPAPR_PHB_BUID >> 32)),
        cpu_to_fdt32((uint32_t)SPAPR_PHB_BUID),
        0,
        0,
    };
    const uint32_t bus_range[2] = { 0, 0 };
    PopulateCtx c = { .fdt = fdt };

    c.phb = fdt_add_subnode(fdt, parent, name);
    if (c.phb < 0) {
        return c.phb;
    }
    add_range(ranges, OF_PCI_SS_IO, 0, SPAPR_PHB_IO_CPU, SPAPR_PHB_IO_SIZE);
    add_range(ranges, OF_PCI_SS_MEM32, SPAPR_PHB_MMIO32_BUS,
              SPAPR_PHB_MMIO32_CPU, SPAPR_PHB_MMIO32_SIZE);
    add_range(ranges, OF_PCI_SS_MEM64, SPAPR_PHB_MMIO64_CPU,
              SPAPR_PHB_MMIO64_CPU, SPAPR_PHB_MMIO64_SIZE);
    c.err = fdt_setprop_string(fdt, c.phb, "device_type", "pci");
    if (c.err == 0) {
        c.err = fdt_setprop_string(fdt, c.phb, "compatible",
                                   "IBM,Logical_PHB");
    }
    set_cell(&c, c.phb, "#address-cells", 3);
    set_cell(&c, c.phb, "#size-cells", 2);
    if (c.err == 0) {
        c.err = fdt_setprop(fdt, c.phb, "reg", reg, sizeof(reg));
    }
    if (c.err == 0) {
        c.err = fdt_setprop(fdt, c.phb, "bus-range", bus_range,
                            sizeof(bus_range));
    }
    set_cells(&c, c.phb, "ranges", ranges);
    if (c.err == 0) {
        c.err = fdt_setprop(fdt, c.phb, "used-by-rtas", NULL, 0);
    }
    /* Configuration space is the conventional 256 bytes. */
    set_cell(&c, c.phb, "ibm,pci-config-space-type", 0);
    pci_host_foreach(spapr->phb, add_function, &c);
    return c.err;
}
