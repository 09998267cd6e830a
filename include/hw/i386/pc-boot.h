/* The pc machine's boot loaders: PVH ELF, Linux bzImage, flat firmware. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_HW_I386_PC_BOOT_H
#define CGEMU_HW_I386_PC_BOOT_H

#include "hw/core/machine.h"
#include "hw/i386/pc-layout.h"
#include "hw/i386/x86-machine.h"

G_BEGIN_DECLS

/*
 * Every byte a loader puts in guest memory goes through loader_place(),
 * in this order (the record names in quotes):
 *
 *   -bios FILE      "bios" (the image, ending at 4 GiB),
 *                   "bios.isa" (its last 128 KiB or less, ending at 1 MiB)
 *   PVH ELF         "kernel" (each PT_LOAD segment in program header
 *                   order, zero fill included), "initrd", "cmdline",
 *                   "pvh.memmap", "pvh.modlist" (with -initrd),
 *                   "pvh.start_info"
 *   Linux bzImage   "kernel" (the protected-mode part), "initrd",
 *                   "cmdline", "linux.gdt", "linux.pagetables" (64-bit
 *                   entry only), "linux.boot_params"
 *
 * Structures that point to others come after them.  Loaders fill the
 * boot vCPU's entry state in @boot.
 */

/* What -kernel, -initrd and -append gave, read into memory. */
typedef struct PcBootFiles {
    const char *kernel_path;
    const uint8_t *kernel;
    size_t kernel_len;
    const char *initrd_path;    /* NULL: no -initrd */
    const uint8_t *initrd;
    size_t initrd_len;
    const char *cmdline;        /* never NULL; "" without -append */
} PcBootFiles;

/* --- PVH (hw/i386/pvh.c) ------------------------------------------------ */

typedef struct PvhSegment {
    uint64_t offset;
    uint64_t filesz;
    uint64_t paddr;
    uint64_t memsz;
} PvhSegment;

typedef struct PvhImage {
    uint32_t entry;             /* XEN_ELFNOTE_PHYS32_ENTRY */
    GArray *segments;           /* PvhSegment, PT_LOAD in header order */
} PvhImage;

/* True when @data starts with the ELF magic. */
bool pvh_is_elf(const uint8_t *data, size_t len);

/*
 * Checks an ELF (32- or 64-bit, little-endian, x86) and finds its PVH
 * entry note and loadable segments.  Every offset and size is checked
 * against @len, overflow-safe; errors say what is wrong without naming
 * the file.  On success the caller frees with pvh_image_clear().
 */
bool pvh_parse(const uint8_t *data, size_t len, PvhImage *img,
               GError **err);
void pvh_image_clear(PvhImage *img);

bool pvh_load(MachineState *ms, const PcLayout *l, const PcBootFiles *f,
              X86BootState *boot, GError **err);

/* --- Linux boot protocol (hw/i386/linux-boot.c) -------------------------- */

typedef struct LinuxHeader {
    uint16_t version;           /* boot protocol, e.g. 0x020f */
    size_t setup_size;          /* boot sector + setup, bytes */
    size_t kernel_offset;       /* = setup_size */
    size_t kernel_size;         /* protected-mode part */
    size_t header_end;          /* end of the setup header in the file */
    uint8_t loadflags;
    uint16_t xloadflags;
    uint32_t initrd_addr_max;
    uint32_t cmdline_size;      /* longest command line, without NUL */
    uint64_t pref_address;
    uint32_t init_size;         /* memory the kernel needs from its start */
    bool entry64;               /* XLF_KERNEL_64: 64-bit entry point */
} LinuxHeader;

/* True when @data has the "HdrS" boot header signature. */
bool linux_is_bzimage(const uint8_t *data, size_t len);

/* Checks and reads a bzImage's setup header; errors as pvh_parse. */
bool linux_parse_header(const uint8_t *data, size_t len, LinuxHeader *h,
                        GError **err);

bool linux_load(MachineState *ms, const PcLayout *l, const PcBootFiles *f,
                X86BootState *boot, GError **err);

/* --- -bios (hw/i386/pc-bios.c) ------------------------------------------- */

/* Largest -bios image, and the part mirrored below 1 MiB. */
#define PC_BIOS_MAX (16ull << 20)
#define PC_BIOS_ISA_MAX (128ull << 10)

/*
 * Maps @path read-only to end at 4 GiB and its last 128 KiB (or all of
 * it) to end at 1 MiB, and starts the boot vCPU at the reset vector.
 * Sets l->bios_size.
 */
bool pc_bios_load(MachineState *ms, PcLayout *l, const char *path,
                  X86BootState *boot, GError **err);

/* --- shared (hw/i386/pc-boot.c) ------------------------------------------ */

/*
 * Places the initrd at the top of RAM below min(@max_end, below_4g),
 * page aligned, above @kernel_end; returns its address in @addr.
 */
bool pc_boot_place_initrd(MachineState *ms, const PcLayout *l,
                          const PcBootFiles *f, uint64_t max_end,
                          uint64_t kernel_end, uint64_t *addr, GError **err);

/* Places the command line (with its NUL) at PC_BOOT_CMDLINE_ADDR. */
bool pc_boot_place_cmdline(MachineState *ms, const PcBootFiles *f,
                           size_t max_len, GError **err);

/*
 * Runs the loader -kernel / -bios ask for (or none: boot->mode stays
 * X86_BOOT_NONE) and checks the options against each other.
 */
bool pc_boot_load(MachineState *ms, PcLayout *l, X86BootState *boot,
                  GError **err);

G_END_DECLS

#endif
