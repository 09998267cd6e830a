/* test-x86-pc.c: the pc layout, its e820 map, and what each loader places. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The loaders run against a machine with real RAM (the "none" machine,
 * which has no devices of its own), so the test sees exactly the load
 * records confidential technologies will measure, in their order, and the
 * bytes the guest will find.
 */
#include "hw/core/loader.h"
#include "hw/i386/pc-boot.h"
#include "util/error.h"
#include "x86-images.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#define MIB (1ull << 20)
#define GIB (1ull << 30)

static guint32 rd32(const guint8 *p)
{
    return (guint32)p[0] | (guint32)p[1] << 8 | (guint32)p[2] << 16 |
           (guint32)p[3] << 24;
}

static guint64 rd64(const guint8 *p)
{
    return rd32(p) | (guint64)rd32(p + 4) << 32;
}

/* --- layout and e820 ----------------------------------------------------- */

static void expect_entry(GArray *t, guint i, guint64 addr, guint64 size,
                         guint32 type)
{
    const E820Entry *e = &g_array_index(t, E820Entry, i);

    g_assert_cmphex(e->addr, ==, addr);
    g_assert_cmphex(e->size, ==, size);
    g_assert_cmpuint(e->type, ==, type);
}

static void test_layout_128m(void)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(GArray) t = NULL;
    PcLayout l;

    g_assert_true(pc_layout_compute(128 * MIB, 40, &l, &err));
    g_assert_cmphex(l.below_4g, ==, 128 * MIB);
    g_assert_cmphex(l.above_4g, ==, 0);
    g_assert_cmphex(l.pci32_base, ==, 0xc0000000);
    g_assert_cmphex(l.pci32_size, ==, 0xfec00000 - 0xc0000000);
    g_assert_cmphex(l.pci64_base, ==, 4 * GIB);
    t = pc_e820_table(&l);
    g_assert_cmpuint(t->len, ==, 5);
    expect_entry(t, 0, 0, 0x9fc00, E820_RAM);
    expect_entry(t, 1, 0x9fc00, 0x400, E820_RESERVED);
    expect_entry(t, 2, 0xf0000, 0x10000, E820_RESERVED);
    expect_entry(t, 3, 0x100000, 127 * MIB, E820_RAM);
    expect_entry(t, 4, 0xfeffc000, 0x4000, E820_RESERVED);
}

/* From 3.5 GiB on, RAM below 4 GiB stops at 3 GiB; the rest goes above. */
static void test_layout_split(void)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(GArray) t = NULL;
    PcLayout l;

    g_assert_true(pc_layout_compute(3584 * MIB, 40, &l, &err));
    g_assert_cmphex(l.below_4g, ==, 3 * GIB);
    g_assert_cmphex(l.above_4g, ==, 512 * MIB);
    g_assert_cmphex(l.pci32_base, ==, 3 * GIB);
    g_assert_cmphex(l.pci64_base, ==, 5 * GIB);
    t = pc_e820_table(&l);
    g_assert_cmpuint(t->len, ==, 6);
    expect_entry(t, 5, 4 * GIB, 512 * MIB, E820_RAM);

    /* just below the split: all of it below, the window above 3.5 GiB */
    g_assert_true(pc_layout_compute(0xd0000000, 40, &l, &err));
    g_assert_cmphex(l.below_4g, ==, 0xd0000000);
    g_assert_cmphex(l.above_4g, ==, 0);
    g_assert_cmphex(l.pci32_base, ==, 0xe0000000);
}

static void test_layout_tiny_and_huge(void)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(GArray) t = NULL;
    PcLayout l;

    g_assert_true(pc_layout_compute(MIB, 40, &l, &err));
    t = pc_e820_table(&l);
    g_assert_cmpuint(t->len, ==, 4);
    expect_entry(t, 0, 0, 0x9fc00, E820_RAM);
    expect_entry(t, 3, 0xfeffc000, 0x4000, E820_RESERVED);

    g_assert_false(pc_layout_compute(1ull << 40, 40, &l, &err));
    g_assert_error(err, CG_ERROR, CG_ERROR_GENERIC);
    g_assert_cmpstr(err->message, ==, "-m 1 TiB: too much RAM for a guest "
                    "with 40 physical address bits (RAM above 4 GiB and a "
                    "32 GiB PCI window must fit); give less memory");
}

/* --- loaders ------------------------------------------------------------- */

typedef struct {
    MachineState *ms;
    PcLayout l;
} Board;

/* RAM as the pc board lays it out. */
static void board_init(Board *b, guint64 ram)
{
    g_autoptr(GError) err = NULL;

    cg_types_init();
    b->ms = g_object_new(cg_type_lookup("none-machine"), NULL);
    g_assert_true(pc_layout_compute(ram, 40, &b->l, &err));
    g_assert_nonnull(machine_add_ram(b->ms, "low", 0,
                                     MIN(b->l.below_4g, 0xa0000), false,
                                     &err));
    if (b->l.below_4g > MIB) {
        g_assert_nonnull(machine_add_ram(b->ms, "ram", MIB,
                                         b->l.below_4g - MIB, false, &err));
    }
    g_assert_no_error(err);
}

static void board_free(Board *b)
{
    g_object_unref(b->ms);
}

static const guint8 *gpa(Board *b, guint64 addr, guint64 len)
{
    const guint8 *p = guest_ram_ptr(b->ms->mem, addr, len);

    g_assert_nonnull(p);
    return p;
}

static void expect_records(Board *b, const char *const *what,
                           const guint64 *where, const guint64 *size)
{
    const GPtrArray *recs = loader_records(b->ms);
    guint n = 0;

    for (; what[n] != NULL; n++) {
        const LoadRecord *r;

        g_assert_cmpuint(n, <, recs->len);
        r = g_ptr_array_index(recs, n);
        g_assert_cmpstr(r->what, ==, what[n]);
        g_assert_cmphex(r->gpa, ==, where[n]);
        g_assert_cmphex(r->size, ==, size[n]);
    }
    g_assert_cmpuint(recs->len, ==, n);
}

#define INITRD "initrd bytes!"
#define CMDLINE "console=ttyS0 root=/dev/vda"

static void test_pvh_load(void)
{
    static const char *const what[] = {
        "kernel", "initrd", "cmdline", "pvh.memmap", "pvh.modlist",
        "pvh.start_info", NULL,
    };
    static const guint64 where[] = {
        0x100000, 0x7fff000, 0x20000, 0x2000, 0x3000, 0x1000,
    };
    static const guint64 size[] = {
        0x1000, sizeof(INITRD) - 1, sizeof(CMDLINE), 5 * 24, 32, 56,
    };
    Board b;
    gsize len;
    g_autofree guint8 *elf = elf64_image(&len, 0x100010, 8);
    g_autoptr(GError) err = NULL;
    PcBootFiles f = {
        .kernel_path = "k.elf",
        .kernel = elf,
        .kernel_len = len,
        .initrd_path = "i.img",
        .initrd = (const guint8 *)INITRD,
        .initrd_len = sizeof(INITRD) - 1,
        .cmdline = CMDLINE,
    };
    X86BootState boot;
    const guint8 *si, *mm, *ml;

    for (gsize i = 0; i < 0x100; i++) {
        elf[LOAD_OFF + i] = (guint8)(i + 1);
    }
    board_init(&b, 128 * MIB);
    g_assert_true(pvh_load(b.ms, &b.l, &f, &boot, &err));
    g_assert_no_error(err);
    expect_records(&b, what, where, size);

    g_assert_cmpint(memcmp(gpa(&b, 0x100000, 0x100), elf + LOAD_OFF, 0x100),
                    ==, 0);
    for (guint64 i = 0x100; i < 0x1000; i++) {
        g_assert_cmpuint(gpa(&b, 0x100000 + i, 1)[0], ==, 0);
    }
    g_assert_cmpstr((const char *)gpa(&b, 0x20000, sizeof(CMDLINE)), ==,
                    CMDLINE);
    g_assert_cmpint(memcmp(gpa(&b, 0x7fff000, 13), INITRD, 13), ==, 0);

    si = gpa(&b, 0x1000, 56);
    g_assert_cmphex(rd32(si), ==, 0x336ec578);
    g_assert_cmpuint(rd32(si + 4), ==, 1);
    g_assert_cmpuint(rd32(si + 12), ==, 1);
    g_assert_cmphex(rd64(si + 16), ==, 0x3000);
    g_assert_cmphex(rd64(si + 24), ==, 0x20000);
    g_assert_cmphex(rd64(si + 32), ==, 0);
    g_assert_cmphex(rd64(si + 40), ==, 0x2000);
    g_assert_cmpuint(rd32(si + 48), ==, 5);
    mm = gpa(&b, 0x2000, 5 * 24);
    g_assert_cmphex(rd64(mm + 3 * 24), ==, MIB);
    g_assert_cmphex(rd64(mm + 3 * 24 + 8), ==, 127 * MIB);
    g_assert_cmpuint(rd32(mm + 3 * 24 + 16), ==, 1);
    ml = gpa(&b, 0x3000, 32);
    g_assert_cmphex(rd64(ml), ==, 0x7fff000);
    g_assert_cmpuint(rd64(ml + 8), ==, 13);

    g_assert_cmpint(boot.mode, ==, X86_BOOT_PROT32);
    g_assert_cmphex(boot.rip, ==, 0x100010);
    g_assert_cmphex(boot.rbx, ==, 0x1000);
    g_assert_cmpuint(boot.gdt_limit, ==, 0);
    board_free(&b);
}

/* Without -initrd: no module list, and the command line is still there. */
static void test_pvh_load_plain(void)
{
    static const char *const what[] = {
        "kernel", "cmdline", "pvh.memmap", "pvh.start_info", NULL,
    };
    static const guint64 where[] = { 0x100000, 0x20000, 0x2000, 0x1000 };
    static const guint64 size[] = { 0x1000, 1, 5 * 24, 56 };
    Board b;
    gsize len;
    g_autofree guint8 *elf = elf64_image(&len, 0x100010, 8);
    g_autoptr(GError) err = NULL;
    PcBootFiles f = {
        .kernel_path = "k.elf", .kernel = elf, .kernel_len = len,
        .cmdline = "",
    };
    X86BootState boot;

    board_init(&b, 128 * MIB);
    g_assert_true(pvh_load(b.ms, &b.l, &f, &boot, &err));
    expect_records(&b, what, where, size);
    g_assert_cmpuint(rd32(gpa(&b, 0x1000, 56) + 12), ==, 0);
    g_assert_cmphex(rd64(gpa(&b, 0x1000, 56) + 16), ==, 0);
    board_free(&b);
}

static void test_pvh_load_errors(void)
{
    Board b;
    gsize len;
    g_autofree guint8 *elf = elf64_image(&len, 0x100010, 8);
    g_autoptr(GError) err = NULL;
    g_autofree char *big = g_malloc0(200 * 1024);
    PcBootFiles f = {
        .kernel_path = "k.elf", .kernel = elf, .kernel_len = len,
        .initrd_path = "big.img", .initrd = (const guint8 *)big,
        .initrd_len = 2 * MIB, .cmdline = "",
    };
    X86BootState boot;

    /* 2 MiB of RAM: the initrd cannot go between kernel and top */
    board_init(&b, 2 * MIB);
    f.initrd_len = 1021 * 1024;
    g_assert_false(pvh_load(b.ms, &b.l, &f, &boot, &err));
    g_assert_cmpstr(err->message, ==, "-initrd big.img: 1045504 bytes do not "
                    "fit in guest RAM between the kernel (ending at "
                    "0x101000) and 0x200000; give the guest more memory "
                    "with -m");
    g_clear_error(&err);
    board_free(&b);

    /* a segment below 1 MiB would overwrite the boot structures */
    put64(elf + PH_OFF + 24, 0x8000);
    put32(elf + NOTE_OFF + 24 + 16, 0x8010);
    board_init(&b, 128 * MIB);
    g_assert_false(pvh_load(b.ms, &b.l, &f, &boot, &err));
    g_assert_cmpstr(err->message, ==, "-kernel k.elf: ELF segment at 0x8000 "
                    "lies below 1 MiB, where the boot structures go");
    g_clear_error(&err);
    board_free(&b);

    /* and one in the PCI hole is not RAM */
    put64(elf + PH_OFF + 24, 0xf0000000);
    put32(elf + NOTE_OFF + 24 + 16, 0xf0000000);
    board_init(&b, 128 * MIB);
    g_assert_false(pvh_load(b.ms, &b.l, &f, &boot, &err));
    g_assert_cmpstr(err->message, ==, "-kernel k.elf: ELF segment "
                    "0xf0000000+0x1000 does not fit in guest RAM; give the "
                    "guest more memory with -m");
    board_free(&b);
}

static void test_linux_load(void)
{
    static const char *const what[] = {
        "kernel", "initrd", "cmdline", "linux.gdt", "linux.pagetables",
        "linux.boot_params", NULL,
    };
    static const guint64 where[] = {
        0x100000, 0x7fff000, 0x20000, 0x4000, 0xa000, 0x1000,
    };
    static const guint64 size[] = {
        BZ_SIZE - 0x600, sizeof(INITRD) - 1, sizeof(CMDLINE), 32, 0x6000,
        0x1000,
    };
    Board b;
    gsize len;
    g_autofree guint8 *bz = bz_image(&len);
    g_autoptr(GError) err = NULL;
    PcBootFiles f = {
        .kernel_path = "bzImage",
        .kernel = bz,
        .kernel_len = len,
        .initrd_path = "i.img",
        .initrd = (const guint8 *)INITRD,
        .initrd_len = sizeof(INITRD) - 1,
        .cmdline = CMDLINE,
    };
    X86BootState boot;
    const guint8 *bp, *pt, *gdt;

    bz[0x600] = 0xe9;
    board_init(&b, 128 * MIB);
    g_assert_true(linux_load(b.ms, &b.l, &f, &boot, &err));
    g_assert_no_error(err);
    expect_records(&b, what, where, size);
    g_assert_cmpuint(gpa(&b, 0x100000, 1)[0], ==, 0xe9);

    bp = gpa(&b, 0x1000, 0x1000);
    g_assert_cmphex(bp[0x1f1], ==, 2);                  /* copied header */
    g_assert_cmphex(rd32(bp + 0x202), ==, rd32((const guint8 *)"HdrS"));
    g_assert_cmphex(bp[0x210], ==, 0xff);               /* type_of_loader */
    g_assert_cmphex(rd32(bp + 0x214), ==, 0x100000);
    g_assert_cmphex(rd32(bp + 0x218), ==, 0x7fff000);
    g_assert_cmpuint(rd32(bp + 0x21c), ==, 13);
    g_assert_cmphex(rd32(bp + 0x228), ==, 0x20000);
    g_assert_cmpuint(bp[0x1e8], ==, 5);
    g_assert_cmphex(rd64(bp + 0x2d0 + 3 * 20), ==, MIB);
    g_assert_cmphex(rd64(bp + 0x2d0 + 3 * 20 + 8), ==, 127 * MIB);
    g_assert_cmpuint(rd32(bp + 0x2d0 + 3 * 20 + 16), ==, 1);
    g_assert_cmphex(rd32(bp + 0x0c0), ==, 0);           /* ext_ramdisk */

    gdt = gpa(&b, 0x4000, 32);
    g_assert_cmphex(rd64(gdt + 0x10), ==, 0x00af9b000000ffffull);
    g_assert_cmphex(rd64(gdt + 0x18), ==, 0x00cf93000000ffffull);
    pt = gpa(&b, 0xa000, 0x6000);
    g_assert_cmphex(rd64(pt), ==, 0xb003);
    g_assert_cmphex(rd64(pt + 0x1000 + 3 * 8), ==, 0xf003);
    g_assert_cmphex(rd64(pt + 0x2000 + 2047 * 8), ==,
                    (2047ull << 21) | 0x83);

    g_assert_cmpint(boot.mode, ==, X86_BOOT_LONG64);
    g_assert_cmphex(boot.rip, ==, 0x100200);
    g_assert_cmphex(boot.rsi, ==, 0x1000);
    g_assert_cmphex(boot.cr3, ==, 0xa000);
    g_assert_cmphex(boot.gdt_base, ==, 0x4000);
    g_assert_cmpuint(boot.gdt_limit, ==, 31);
    g_assert_cmpuint(boot.cs, ==, 0x10);
    g_assert_cmpuint(boot.ds, ==, 0x18);
    board_free(&b);
}

/* Without XLF_KERNEL_64: 32-bit entry, no page tables. */
static void test_linux_load_32(void)
{
    static const char *const what[] = {
        "kernel", "cmdline", "linux.gdt", "linux.boot_params", NULL,
    };
    static const guint64 where[] = { 0x100000, 0x20000, 0x4000, 0x1000 };
    static const guint64 size[] = { BZ_SIZE - 0x600, 1, 32, 0x1000 };
    Board b;
    gsize len;
    g_autofree guint8 *bz = bz_image(&len);
    g_autoptr(GError) err = NULL;
    PcBootFiles f = {
        .kernel_path = "bzImage", .kernel = bz, .kernel_len = len,
        .cmdline = "",
    };
    X86BootState boot;

    put16(bz + 0x236, 0);
    board_init(&b, 128 * MIB);
    g_assert_true(linux_load(b.ms, &b.l, &f, &boot, &err));
    expect_records(&b, what, where, size);
    g_assert_cmphex(rd64(gpa(&b, 0x4000, 32) + 0x10), ==,
                    0x00cf9b000000ffffull);
    g_assert_cmpint(boot.mode, ==, X86_BOOT_PROT32);
    g_assert_cmphex(boot.rip, ==, 0x100000);
    board_free(&b);
}

static void test_linux_load_errors(void)
{
    Board b;
    gsize len;
    g_autofree guint8 *bz = bz_image(&len);
    g_autofree char *cmd = g_strnfill(3000, 'x');
    g_autoptr(GError) err = NULL;
    PcBootFiles f = {
        .kernel_path = "bzImage", .kernel = bz, .kernel_len = len,
        .cmdline = cmd,
    };
    X86BootState boot;

    board_init(&b, 128 * MIB);
    g_assert_false(linux_load(b.ms, &b.l, &f, &boot, &err));
    g_assert_cmpstr(err->message, ==, "-append: the command line has 3000 "
                    "bytes; this kernel takes at most 2047");
    g_clear_error(&err);
    board_free(&b);

    /* init_size 8 MiB from 2 MiB (relocatable, 2 MiB aligned) */
    f.cmdline = "";
    board_init(&b, 8 * MIB);
    g_assert_false(linux_load(b.ms, &b.l, &f, &boot, &err));
    g_assert_cmpstr(err->message, ==, "-kernel bzImage: the kernel needs RAM "
                    "up to 0xa00000 to decompress itself; give the guest at "
                    "least 11 MiB with -m");
    g_clear_error(&err);

    /* not relocatable, and wants to run above 4 GiB */
    bz[0x234] = 0;
    put64(bz + 0x258, 0x100000000ull);
    g_assert_false(linux_load(b.ms, &b.l, &f, &boot, &err));
    g_assert_cmpstr(err->message, ==, "-kernel bzImage: the kernel is not "
                    "relocatable and wants to run at 0x100000000, above "
                    "4 GiB");
    board_free(&b);
}

/* -bios: read-only at the top of 4 GiB and its tail below 1 MiB. */
static void test_bios_load(void)
{
    static const char *const what[] = { "bios", "bios.isa", NULL };
    static const guint64 where[] = { 0xfffc0000, 0xe0000 };
    static const guint64 size[] = { 0x40000, 0x20000 };
    g_autoptr(GError) err = NULL;
    g_autofree char *path = NULL;
    g_autofree guint8 *img = g_malloc(0x40000);
    g_autoptr(GArray) e820 = NULL;
    int fd = g_file_open_tmp("cgemu-bios-XXXXXX", &path, &err);
    X86BootState boot;
    const GPtrArray *ram;
    Board b;

    g_assert_no_error(err);
    close(fd);
    for (gsize i = 0; i < 0x40000; i++) {
        img[i] = (guint8)(i >> 12);
    }
    g_file_set_contents(path, (const char *)img, 0x40000, &err);
    g_assert_no_error(err);
    board_init(&b, 128 * MIB);
    g_assert_true(pc_bios_load(b.ms, &b.l, path, &boot, &err));
    g_assert_no_error(err);
    expect_records(&b, what, where, size);
    g_assert_cmpint(boot.mode, ==, X86_BOOT_RESET);
    g_assert_cmpint(memcmp(gpa(&b, 0xfffc0000, 0x40000), img, 0x40000), ==,
                    0);
    g_assert_cmpint(memcmp(gpa(&b, 0xe0000, 0x20000), img + 0x20000,
                           0x20000), ==, 0);
    ram = address_space_ram(b.ms->mem);
    for (guint i = 0; i < ram->len; i++) {
        const RamRegion *r = g_ptr_array_index(ram, i);
        g_assert_cmpint(r->readonly, ==,
                        r->gpa == 0xe0000 || r->gpa == 0xfffc0000);
    }
    g_assert_cmphex(b.l.bios_size, ==, 0x40000);
    e820 = pc_e820_table(&b.l);
    expect_entry(e820, 5, 0xfffc0000, 0x40000, E820_RESERVED);
    board_free(&b);

    /* not whole pages */
    g_file_set_contents(path, (const char *)img, 0x1001, &err);
    g_assert_no_error(err);
    board_init(&b, 128 * MIB);
    g_assert_false(pc_bios_load(b.ms, &b.l, path, &boot, &err));
    g_assert_true(g_str_has_suffix(err->message, ": the image has 4097 "
                                   "bytes; it must be a non-zero multiple "
                                   "of 4 KiB, at most 16 MiB"));
    board_free(&b);
    g_unlink(path);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/x86/pc/layout/128m", test_layout_128m);
    g_test_add_func("/x86/pc/layout/split", test_layout_split);
    g_test_add_func("/x86/pc/layout/tiny-and-huge",
                    test_layout_tiny_and_huge);
    g_test_add_func("/x86/pc/pvh/load", test_pvh_load);
    g_test_add_func("/x86/pc/pvh/load-plain", test_pvh_load_plain);
    g_test_add_func("/x86/pc/pvh/load-errors", test_pvh_load_errors);
    g_test_add_func("/x86/pc/linux/load", test_linux_load);
    g_test_add_func("/x86/pc/linux/load-32", test_linux_load_32);
    g_test_add_func("/x86/pc/linux/load-errors", test_linux_load_errors);
    g_test_add_func("/x86/pc/bios/load", test_bios_load);
    return g_test_run();
}
