/* The Linux x86 boot protocol: a bzImage entered in 64- or 32-bit mode. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hw/core/loader.h"
#include "hw/i386/pc-boot.h"
#include "le-bytes.h"
#include "util/cutils.h"
#include "util/error.h"

#include <string.h>

/* Setup header fields (Documentation/arch/x86/boot.rst), file offsets. */
#define HDR_SETUP_SECTS 0x1f1
#define HDR_SYSSIZE 0x1f4
#define HDR_BOOT_FLAG 0x1fe
#define HDR_JUMP_LEN 0x201
#define HDR_MAGIC 0x202
#define HDR_VERSION 0x206
#define HDR_TYPE_OF_LOADER 0x210
#define HDR_LOADFLAGS 0x211
#define HDR_CODE32_START 0x214
#define HDR_RAMDISK_IMAGE 0x218
#define HDR_RAMDISK_SIZE 0x21c
#define HDR_CMD_LINE_PTR 0x228
#define HDR_INITRD_ADDR_MAX 0x22c
#define HDR_KERNEL_ALIGNMENT 0x230
#define HDR_RELOCATABLE 0x234
#define HDR_XLOADFLAGS 0x236
#define HDR_CMDLINE_SIZE 0x238
#define HDR_PREF_ADDRESS 0x258
#define HDR_INIT_SIZE 0x260
/* boot_params fields outside the setup header */
#define BP_EXT_RAMDISK_IMAGE 0x0c0
#define BP_EXT_RAMDISK_SIZE 0x0c4
#define BP_EXT_CMD_LINE_PTR 0x0c8
#define BP_E820_ENTRIES 0x1e8
#define BP_E820_TABLE 0x2d0
#define BP_E820_MAX 128
#define BP_SIZE 0x1000

#define LOADFLAG_LOADED_HIGH 0x01
#define XLF_KERNEL_64 0x0001
#define LOADER_TYPE_UNDEFINED 0xff
#define ENTRY64_OFFSET 0x200

#define BOOT_CS 0x10
#define BOOT_DS 0x18
#define GDT_CODE64 0x00af9b000000ffffull
#define GDT_CODE32 0x00cf9b000000ffffull
#define GDT_DATA 0x00cf93000000ffffull

#define MIB (1ull << 20)

bool linux_is_bzimage(const uint8_t *data, size_t len)
{
    return len >= HDR_MAGIC + 4 && memcmp(data + HDR_MAGIC, "HdrS", 4) == 0;
}

static bool fail(GError **err, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static bool fail(GError **err, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    g_propagate_error(err, g_error_new_valist(CG_ERROR, CG_ERROR_GENERIC,
                                              fmt, ap));
    va_end(ap);
    return false;
}

bool linux_parse_header(const uint8_t *data, size_t len, LinuxHeader *h,
                        GError **err)
{
    unsigned sects;
    uint64_t syssize;
    size_t needed;

    memset(h, 0, sizeof(*h));
    if (!linux_is_bzimage(data, len)) {
        return fail(err, "no Linux boot header ('HdrS' at 0x202)");
    }
    if (le16_at(data + HDR_BOOT_FLAG) != 0xaa55) {
        return fail(err, "the boot sector signature 0xaa55 is missing");
    }
    if (len < HDR_VERSION + 2) {
        return fail(err, "the setup header is cut short");
    }
    h->version = le16_at(data + HDR_VERSION);
    if (h->version < 0x0206) {
        return fail(err, "boot protocol %u.%02u is too old; cgemu needs "
                    "2.06 or later (Linux 2.6.22 and later)",
                    h->version >> 8, h->version & 0xff);
    }
    h->header_end = HDR_MAGIC + data[HDR_JUMP_LEN];
    needed = h->version >= 0x020a ? HDR_INIT_SIZE + 4 : HDR_CMDLINE_SIZE + 4;
    if (h->header_end < needed || h->header_end > len) {
        return fail(err, "the setup header (protocol %u.%02u) is cut short",
                    h->version >> 8, h->version & 0xff);
    }
    h->loadflags = data[HDR_LOADFLAGS];
    if (!(h->loadflags & LOADFLAG_LOADED_HIGH)) {
        return fail(err, "a zImage (loaded below 1 MiB) is not supported; "
                    "build a bzImage");
    }
    sects = data[HDR_SETUP_SECTS] ? data[HDR_SETUP_SECTS] : 4;
    h->setup_size = (size_t)(sects + 1) * 512;
    if (h->setup_size < h->header_end || h->setup_size >= len) {
        return fail(err, "the setup code (%u sectors) leaves no kernel in "
                    "the file", sects);
    }
    h->kernel_offset = h->setup_size;
    h->kernel_size = len - h->setup_size;
    syssize = (uint64_t)le32_at(data + HDR_SYSSIZE) * 16;
    if (syssize > h->kernel_size) {
        return fail(err, "the file is cut short: the header announces a "
                    "%" G_GUINT64_FORMAT "-byte kernel, the file has %zu "
                    "bytes after the setup code", syssize, h->kernel_size);
    }
    h->initrd_addr_max = le32_at(data + HDR_INITRD_ADDR_MAX);
    h->cmdline_size = le32_at(data + HDR_CMDLINE_SIZE);
    h->xloadflags = h->version >= 0x020c ? le16_at(data + HDR_XLOADFLAGS) : 0;
    h->entry64 = (h->xloadflags & XLF_KERNEL_64) != 0;
    if (h->version >= 0x020a) {
        h->pref_address = le64_at(data + HDR_PREF_ADDRESS);
        h->init_size = le32_at(data + HDR_INIT_SIZE);
    } else {
        h->pref_address = PC_KERNEL_ADDR;
    }
    return true;
}

/*
 * Where the kernel decompresses itself: its own load address aligned up
 * (relocatable kernels) or pref_address; it needs init_size bytes there.
 */
static uint64_t decompress_end(const uint8_t *data, const LinuxHeader *h)
{
    uint64_t align = le32_at(data + HDR_KERNEL_ALIGNMENT);
    uint64_t base;

    if (align == 0 || (align & (align - 1)) != 0 || align > (1ull << 30)) {
        align = 2 * MIB;
    }
    base = data[HDR_RELOCATABLE]
               ? (PC_KERNEL_ADDR + align - 1) & ~(align - 1)
               : h->pref_address;
    if (base >= PC_4G) {
        return UINT64_MAX;  /* a non-relocatable kernel we cannot host */
    }
    return MAX(PC_KERNEL_ADDR + h->kernel_size, base + h->init_size);
}

static bool place_gdt_and_tables(MachineState *ms, const LinuxHeader *h,
                                 GError **err)
{
    uint8_t gdt[32] = { 0 };
    g_autofree uint8_t *pt = NULL;

    put_le64(gdt + BOOT_CS, h->entry64 ? GDT_CODE64 : GDT_CODE32);
    put_le64(gdt + BOOT_DS, GDT_DATA);
    if (!loader_place(ms, "linux.gdt", PC_BOOT_GDT_ADDR, gdt, sizeof(gdt),
                      err)) {
        return false;
    }
    if (!h->entry64) {
        return true;
    }
    /* Identity map of 4 GiB: PML4, one PDPT, four PDs of 2 MiB pages. */
    pt = g_malloc0(PC_BOOT_PAGETABLES_SIZE);
    put_le64(pt, (PC_BOOT_PML4_ADDR + 0x1000) | 0x3);
    for (uint64_t i = 0; i < 4; i++) {
        put_le64(pt + 0x1000 + i * 8,
                 (PC_BOOT_PML4_ADDR + 0x2000 + i * 0x1000) | 0x3);
    }
    for (uint64_t i = 0; i < 4 * 512; i++) {
        put_le64(pt + 0x2000 + i * 8, (i << 21) | 0x83);
    }
    return loader_place(ms, "linux.pagetables", PC_BOOT_PML4_ADDR, pt,
                        PC_BOOT_PAGETABLES_SIZE, err);
}

static bool place_boot_params(MachineState *ms, const PcLayout *l,
                              const PcBootFiles *f, const LinuxHeader *h,
                              uint64_t initrd_addr, GError **err)
{
    g_autoptr(GArray) e820 = pc_e820_table(l);
    g_autofree uint8_t *bp = g_malloc0(BP_SIZE);
    guint n = MIN(e820->len, BP_E820_MAX);

    memcpy(bp + HDR_SETUP_SECTS, f->kernel + HDR_SETUP_SECTS,
           h->header_end - HDR_SETUP_SECTS);
    bp[HDR_TYPE_OF_LOADER] = LOADER_TYPE_UNDEFINED;
    put_le32(bp + HDR_CODE32_START, PC_KERNEL_ADDR);
    put_le32(bp + HDR_CMD_LINE_PTR, (uint32_t)PC_BOOT_CMDLINE_ADDR);
    put_le32(bp + BP_EXT_CMD_LINE_PTR, 0);
    if (f->initrd != NULL) {
        put_le32(bp + HDR_RAMDISK_IMAGE, (uint32_t)initrd_addr);
        put_le32(bp + BP_EXT_RAMDISK_IMAGE, (uint32_t)(initrd_addr >> 32));
        put_le32(bp + HDR_RAMDISK_SIZE, (uint32_t)f->initrd_len);
        put_le32(bp + BP_EXT_RAMDISK_SIZE, (uint32_t)(f->initrd_len >> 32));
    }
    bp[BP_E820_ENTRIES] = (uint8_t)n;
    for (guint i = 0; i < n; i++) {
        const E820Entry *e = &g_array_index(e820, E820Entry, i);
        uint8_t *p = bp + BP_E820_TABLE + i * 20;

        put_le64(p, e->addr);
        put_le64(p + 8, e->size);
        put_le32(p + 16, e->type);
    }
    return loader_place(ms, "linux.boot_params", PC_BOOT_INFO_ADDR, bp,
                        BP_SIZE, err);
}

bool linux_load(MachineState *ms, const PcLayout *l, const PcBootFiles *f,
                X86BootState *boot, GError **err)
{
    LinuxHeader h;
    uint64_t end, initrd_addr = 0, initrd_max;

    if (!linux_parse_header(f->kernel, f->kernel_len, &h, err)) {
        g_prefix_error(err, "-kernel %s: ", f->kernel_path);
        return false;
    }
    end = decompress_end(f->kernel, &h);
    if (end == UINT64_MAX) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "-kernel %s: the kernel is not relocatable and wants "
                    "to run at 0x%" G_GINT64_MODIFIER "x, above 4 GiB",
                    f->kernel_path, h.pref_address);
        return false;
    }
    if (end > l->below_4g) {
        g_autofree char *need = cg_format_size(end + MIB);
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "-kernel %s: the kernel needs RAM up to 0x%"
                    G_GINT64_MODIFIER "x to decompress itself; give the "
                    "guest at least %s with -m", f->kernel_path, end, need);
        return false;
    }
    if (!loader_place(ms, "kernel", PC_KERNEL_ADDR,
                      f->kernel + h.kernel_offset, h.kernel_size, err)) {
        return false;
    }
    initrd_max = MIN((uint64_t)h.initrd_addr_max + 1, PC_4G);
    if (f->initrd != NULL &&
        !pc_boot_place_initrd(ms, l, f, initrd_max, end, &initrd_addr,
                              err)) {
        return false;
    }
    if (!pc_boot_place_cmdline(ms, f, MIN(h.cmdline_size,
                                          PC_BOOT_CMDLINE_MAX - 1), err) ||
        !place_gdt_and_tables(ms, &h, err) ||
        !place_boot_params(ms, l, f, &h, initrd_addr, err)) {
        return false;
    }
    *boot = (X86BootState){
        .mode = h.entry64 ? X86_BOOT_LONG64 : X86_BOOT_PROT32,
        .rip = PC_KERNEL_ADDR + (h.entry64 ? ENTRY64_OFFSET : 0),
        .rsi = PC_BOOT_INFO_ADDR,
        .cs = BOOT_CS,
        .ds = BOOT_DS,
        .gdt_base = PC_BOOT_GDT_ADDR,
        .gdt_limit = 31,
        .cr3 = h.entry64 ? PC_BOOT_PML4_ADDR : 0,
    };
    return true;
}
