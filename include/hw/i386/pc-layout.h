/* The pc machine's guest-physical layout and its e820 memory map. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_HW_I386_PC_LAYOUT_H
#define CGEMU_HW_I386_PC_LAYOUT_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

G_BEGIN_DECLS

/*
 * Guest-physical map (docs/system/i386/pc.rst has the picture):
 *
 *   0          - 0x9fc00    RAM (conventional memory)
 *   0x9fc00    - 0xa0000    RAM, reserved in e820 (EBDA)
 *   0xa0000    - 0x100000   legacy VGA/ROM hole; -bios maps the last
 *                           128 KiB (at most) of the firmware here
 *   0x100000   - below_4g   RAM
 *   pci32_base - 0xfec00000 32-bit PCI MMIO window
 *   0xfec00000              IOAPIC (in-kernel)
 *   0xfee00000              local APICs (in-kernel)
 *   0xfeffc000 - 0xff000000 reserved for KVM (identity map and TSS)
 *   4G - size  - 4G         -bios firmware (ROM)
 *   4G         - 4G+above   RAM above 4 GiB
 *   pci64_base - +size      64-bit PCI MMIO window
 *
 * RAM below 4 GiB ends at -m, or at 3 GiB when -m is 3.5 GiB or more;
 * the rest goes above 4 GiB.
 */
#define PC_EBDA_BASE 0x9fc00ull
#define PC_LOW_RAM_END 0xa0000ull
#define PC_BIOS_AREA_BASE 0xf0000ull
#define PC_HIGH_RAM_BASE 0x100000ull
#define PC_LOWMEM_SPLIT 0xe0000000ull    /* -m at/above: lowmem 3 GiB */
#define PC_LOWMEM_LARGE 0xc0000000ull
#define PC_PCI32_END 0xfec00000ull
#define PC_IOAPIC_BASE 0xfec00000ull
#define PC_KVM_RESERVED_BASE 0xfeffc000ull
#define PC_KVM_RESERVED_SIZE 0x4000ull
#define PC_4G 0x100000000ull
#define PC_PCI64_SIZE (32ull << 30)
#define PC_PCI_IO_BASE 0xc000u
#define PC_PCI_IO_SIZE 0x4000u

/*
 * Where direct kernel boot puts its structures (the first 64 KiB, which
 * Linux keeps reserved, then the command line).  The kernel itself goes
 * to 1 MiB, an initrd to the top of RAM below 4 GiB.  0x8000 stays free:
 * guests put their AP start-up code there.
 */
#define PC_BOOT_INFO_ADDR 0x1000ull      /* hvm_start_info / boot_params */
#define PC_BOOT_MEMMAP_ADDR 0x2000ull    /* PVH memory map */
#define PC_BOOT_MODLIST_ADDR 0x3000ull   /* PVH module list */
#define PC_BOOT_GDT_ADDR 0x4000ull       /* Linux boot GDT */
#define PC_BOOT_PML4_ADDR 0xa000ull      /* Linux 64-bit: PML4, PDPT, */
#define PC_BOOT_PAGETABLES_SIZE 0x6000ull  /* 4 PDs (4 GiB, 2 MiB pages) */
#define PC_BOOT_CMDLINE_ADDR 0x20000ull
#define PC_BOOT_CMDLINE_MAX 0x10000ull   /* including the NUL */
#define PC_KERNEL_ADDR 0x100000ull

#define E820_RAM 1
#define E820_RESERVED 2

typedef struct E820Entry {
    uint64_t addr;
    uint64_t size;
    uint32_t type;
} E820Entry;

typedef struct PcLayout {
    uint64_t ram_size;
    uint64_t below_4g;      /* RAM ends here below 4 GiB */
    uint64_t above_4g;      /* RAM size above 4 GiB */
    uint64_t pci32_base;
    uint64_t pci32_size;
    uint64_t pci64_base;
    uint64_t pci64_size;
    uint64_t bios_size;     /* -bios image size, 0 without */
} PcLayout;

/*
 * The layout for @ram_size bytes of RAM.  Fails (saying how much cgemu
 * takes) when the RAM would not fit the 64-bit window below
 * 2^@phys_bits.
 */
bool pc_layout_compute(uint64_t ram_size, unsigned phys_bits, PcLayout *l,
                       GError **err);

/* The e820 map of @l, in address order (E820Entry elements). */
GArray *pc_e820_table(const PcLayout *l);

G_END_DECLS

#endif
