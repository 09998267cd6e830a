/* The pc machine's guest-physical layout and its e820 memory map. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hw/i386/pc-layout.h"

#include "util/cutils.h"
#include "util/error.h"

#define GIB (1ull << 30)

bool pc_layout_compute(uint64_t ram_size, unsigned phys_bits, PcLayout *l,
                       GError **err)
{
    uint64_t limit = phys_bits >= 64 ? UINT64_MAX : 1ull << phys_bits;
    uint64_t top;

    *l = (PcLayout){ .ram_size = ram_size };
    l->below_4g = ram_size >= PC_LOWMEM_SPLIT ? PC_LOWMEM_LARGE : ram_size;
    l->above_4g = ram_size - l->below_4g;
    /* The guests' own BAR windows (0xe0000000-) must fit in ours. */
    l->pci32_base = l->below_4g <= PC_LOWMEM_LARGE ? PC_LOWMEM_LARGE
                                                   : PC_LOWMEM_SPLIT;
    l->pci32_size = PC_PCI32_END - l->pci32_base;
    top = PC_4G + l->above_4g;
    l->pci64_base = (top + GIB - 1) & ~(GIB - 1);
    l->pci64_size = PC_PCI64_SIZE;
    if (l->above_4g > limit || l->pci64_base > limit ||
        limit - l->pci64_base < l->pci64_size) {
        g_autofree char *size = cg_format_size(ram_size);
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "-m %s: too much RAM for a guest with %u physical "
                    "address bits (RAM above 4 GiB and a 32 GiB PCI window "
                    "must fit); give less memory", size, phys_bits);
        return false;
    }
    return true;
}

static void add(GArray *t, uint64_t addr, uint64_t size, uint32_t type)
{
    E820Entry e = { .addr = addr, .size = size, .type = type };

    if (size > 0) {
        g_array_append_val(t, e);
    }
}

GArray *pc_e820_table(const PcLayout *l)
{
    GArray *t = g_array_new(FALSE, TRUE, sizeof(E820Entry));
    uint64_t low = MIN(l->below_4g, PC_LOW_RAM_END);

    add(t, 0, MIN(low, PC_EBDA_BASE), E820_RAM);
    if (low > PC_EBDA_BASE) {
        add(t, PC_EBDA_BASE, low - PC_EBDA_BASE, E820_RESERVED);
    }
    add(t, PC_BIOS_AREA_BASE, PC_HIGH_RAM_BASE - PC_BIOS_AREA_BASE,
        E820_RESERVED);
    if (l->below_4g > PC_HIGH_RAM_BASE) {
        add(t, PC_HIGH_RAM_BASE, l->below_4g - PC_HIGH_RAM_BASE, E820_RAM);
    }
    add(t, PC_KVM_RESERVED_BASE, PC_KVM_RESERVED_SIZE, E820_RESERVED);
    add(t, PC_4G - l->bios_size, l->bios_size, E820_RESERVED);
    add(t, PC_4G, l->above_4g, E820_RAM);
    return t;
}
