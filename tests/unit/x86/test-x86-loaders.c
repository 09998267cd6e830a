/* test-x86-loaders.c: PVH ELF and bzImage header parsing, bad inputs. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The parsers see files the user names; nothing in them may crash cgemu.
 * Each malformed image below gets its exact message; then every
 * truncation and many random corruptions of the good images run through
 * the parsers, which must either accept or refuse them (the sanitizer
 * build checks every access on the way).
 */
#include "hw/i386/pc-boot.h"
#include "util/error.h"
#include "x86-images.h"

#include <glib.h>
#include <string.h>

static void expect_pvh_error(const guint8 *data, gsize len, const char *msg)
{
    g_autoptr(GError) err = NULL;
    PvhImage img;

    g_assert_false(pvh_parse(data, len, &img, &err));
    g_assert_error(err, CG_ERROR, CG_ERROR_GENERIC);
    g_assert_cmpstr(err->message, ==, msg);
    g_assert_null(img.segments);
}

static void test_pvh_good(void)
{
    gsize len;
    g_autofree guint8 *e = elf64_image(&len, 0x100010, 8);
    g_autoptr(GError) err = NULL;
    PvhImage img;
    const PvhSegment *s;

    g_assert_true(pvh_is_elf(e, len));
    g_assert_true(pvh_parse(e, len, &img, &err));
    g_assert_no_error(err);
    g_assert_cmpuint(img.entry, ==, 0x100010);
    g_assert_cmpuint(img.segments->len, ==, 1);
    s = &g_array_index(img.segments, PvhSegment, 0);
    g_assert_cmpuint(s->offset, ==, LOAD_OFF);
    g_assert_cmpuint(s->paddr, ==, 0x100000);
    g_assert_cmpuint(s->filesz, ==, 0x100);
    g_assert_cmpuint(s->memsz, ==, 0x1000);
    pvh_image_clear(&img);
    g_assert_null(img.segments);
}

/* A 4-byte descriptor (what later QEMU and Xen read) works as well. */
static void test_pvh_desc4(void)
{
    gsize len;
    g_autofree guint8 *e = elf64_image(&len, 0x100ff0, 4);
    g_autoptr(GError) err = NULL;
    PvhImage img;

    g_assert_true(pvh_parse(e, len, &img, &err));
    g_assert_cmpuint(img.entry, ==, 0x100ff0);
    pvh_image_clear(&img);
}

/* The same kernel as a 32-bit ELF. */
static void test_pvh_elf32(void)
{
    guint8 e[0x200] = { 0 };
    guint8 *ph = e + 52;
    guint8 *n = e + 0x100;
    g_autoptr(GError) err = NULL;
    PvhImage img;

    memcpy(e, "\177ELF", 4);
    e[4] = 1;
    e[5] = 1;
    put16(e + 18, 3);           /* i386 */
    put32(e + 28, 52);          /* phoff */
    put16(e + 42, 32);
    put16(e + 44, 2);
    put32(ph, 1);
    put32(ph + 4, 0x180);
    put32(ph + 12, 0x200000);
    put32(ph + 16, 0x80);
    put32(ph + 20, 0x80);
    ph += 32;
    put32(ph, 4);
    put32(ph + 4, 0x100);
    put32(ph + 16, 20);
    put32(ph + 28, 4);
    put32(n, 4);
    put32(n + 4, 4);
    put32(n + 8, 18);
    memcpy(n + 12, "Xen", 4);
    put32(n + 16, 0x200004);
    g_assert_true(pvh_parse(e, sizeof(e), &img, &err));
    g_assert_no_error(err);
    g_assert_cmpuint(img.entry, ==, 0x200004);
    pvh_image_clear(&img);
}

static void test_pvh_bad(void)
{
    gsize len;
    g_autofree guint8 *e = elf64_image(&len, 0x100010, 8);
    guint8 *bad = g_malloc(len);

#define MUTATE(stmt, msg)                                                    \
    do {                                                                      \
        memcpy(bad, e, len);                                                  \
        stmt;                                                                 \
        expect_pvh_error(bad, len, msg);                                      \
    } while (0)

    expect_pvh_error((const guint8 *)"MZ\x90\x00", 4, "not an ELF file");
    expect_pvh_error(e, 16, "not an ELF file");
    expect_pvh_error(e, 40, "the ELF header is cut short");
    MUTATE(bad[4] = 3, "unknown ELF class 3");
    MUTATE(bad[5] = 2, "a big-endian ELF cannot be an x86 kernel");
    MUTATE(put16(bad + 18, 40), "the ELF is for machine 40, not x86");
    MUTATE(put16(bad + 56, 0), "the ELF has no program headers");
    MUTATE(put16(bad + 56, 0xffff), "the ELF has too many program headers");
    MUTATE(put16(bad + 54, 32),
           "ELF program headers of 32 bytes are too small");
    MUTATE(put64(bad + 32, len - 8),
           "the ELF program headers lie outside the file");
    MUTATE(put64(bad + 32, G_MAXUINT64 - 8),
           "the ELF program headers lie outside the file");
    MUTATE(put64(bad + PH_OFF + 8, len),
           "ELF segment 0 lies outside the file");
    MUTATE(put64(bad + PH_OFF + 32, G_MAXUINT64),
           "ELF segment 0 lies outside the file");
    MUTATE(put64(bad + PH_OFF + 40, 0x10),
           "ELF segment 0 has more file bytes than memory bytes");
    MUTATE(put64(bad + PH_OFF + 24, 0xfffff800),
           "ELF segment 0 (0xfffff800+0x1000) does not lie below 4 GiB");
    MUTATE(put64(bad + PH_OFF + 24, G_MAXUINT64 - 0x10),
           "ELF segment 0 (0xffffffffffffffef+0x1000) does not lie below "
           "4 GiB");
    MUTATE(put32(bad + NOTE_OFF + 24 + 8, 17),
           "the ELF has no PVH entry note (XEN_ELFNOTE_PHYS32_ENTRY); cgemu "
           "boots ELF kernels through PVH only");
    MUTATE(bad[NOTE_OFF + 24 + 14] = (guint8)'x',     /* "Xex" */
           "the ELF has no PVH entry note (XEN_ELFNOTE_PHYS32_ENTRY); cgemu "
           "boots ELF kernels through PVH only");
    MUTATE(put32(bad + PH_OFF + 56, 6),     /* PT_PHDR: the note is gone */
           "the ELF has no PVH entry note (XEN_ELFNOTE_PHYS32_ENTRY); cgemu "
           "boots ELF kernels through PVH only");
    MUTATE(put32(bad + NOTE_OFF + 24 + 4, 2),
           "the PVH entry note has a 2-byte value; 4 or 8 expected");
    MUTATE(put32(bad + NOTE_OFF + 24 + 20, 1),
           "the PVH entry point 0x100100010 is above 4 GiB; it must be a "
           "32-bit address");
    MUTATE(put32(bad + NOTE_OFF + 24 + 16, 0x90000),
           "the PVH entry point 0x90000 lies outside every loadable "
           "segment");
    MUTATE(put32(bad + NOTE_OFF, 0xfffffff0),
           "an ELF note runs past the end of its PT_NOTE segment");
    MUTATE(put32(bad + NOTE_OFF + 24 + 4, 0x7fffffff),
           "an ELF note runs past the end of its PT_NOTE segment");
#undef MUTATE
    g_free(bad);
}

/* Whatever the bytes, the parser answers; ASan/UBSan watch it do so. */
static void fuzz_pvh(const guint8 *good, gsize len)
{
    GRand *rand = g_rand_new_with_seed(20261127);
    guint8 *buf = g_malloc(len);

    for (gsize cut = 0; cut <= len; cut++) {
        g_autoptr(GError) err = NULL;
        guint8 *copy = g_memdup2(good, cut);
        PvhImage img;

        if (pvh_parse(copy, cut, &img, &err)) {
            pvh_image_clear(&img);
        }
        g_free(copy);
    }
    for (int i = 0; i < 20000; i++) {
        g_autoptr(GError) err = NULL;
        PvhImage img;
        int flips = g_rand_int_range(rand, 1, 8);

        memcpy(buf, good, len);
        for (int j = 0; j < flips; j++) {
            /* Mostly the header, program headers and notes. */
            gsize at = g_rand_boolean(rand)
                           ? (gsize)g_rand_int_range(rand, 0, NOTE_OFF + 64)
                           : (gsize)g_rand_int_range(rand, 0, (gint32)len);
            buf[at] = (guint8)g_rand_int(rand);
        }
        if (pvh_parse(buf, len, &img, &err)) {
            g_assert_nonnull(img.segments);
            pvh_image_clear(&img);
        } else {
            g_assert_nonnull(err);
        }
    }
    g_free(buf);
    g_rand_free(rand);
}

static void test_pvh_fuzz(void)
{
    gsize len;
    g_autofree guint8 *e = elf64_image(&len, 0x100010, 8);

    fuzz_pvh(e, len);
}

/* --- bzImage headers ----------------------------------------------------- */

static void expect_bz_error(const guint8 *data, gsize len, const char *msg)
{
    g_autoptr(GError) err = NULL;
    LinuxHeader h;

    g_assert_false(linux_parse_header(data, len, &h, &err));
    g_assert_error(err, CG_ERROR, CG_ERROR_GENERIC);
    g_assert_cmpstr(err->message, ==, msg);
}

static void test_bz_good(void)
{
    gsize len;
    g_autofree guint8 *b = bz_image(&len);
    g_autoptr(GError) err = NULL;
    LinuxHeader h;

    g_assert_true(linux_is_bzimage(b, len));
    g_assert_false(pvh_is_elf(b, len));
    g_assert_true(linux_parse_header(b, len, &h, &err));
    g_assert_no_error(err);
    g_assert_cmphex(h.version, ==, 0x020f);
    g_assert_cmpuint(h.setup_size, ==, 0x600);
    g_assert_cmpuint(h.kernel_offset, ==, 0x600);
    g_assert_cmpuint(h.kernel_size, ==, BZ_SIZE - 0x600);
    g_assert_cmpuint(h.header_end, ==, 0x264);
    g_assert_true(h.entry64);
    g_assert_cmphex(h.initrd_addr_max, ==, 0x7fffffff);
    g_assert_cmpuint(h.cmdline_size, ==, 2047);
    g_assert_cmphex(h.pref_address, ==, 0x1000000);
    g_assert_cmphex(h.init_size, ==, 0x800000);

    /* setup_sects 0 means 4; no 64-bit entry before protocol 2.12 */
    b[0x1f1] = 0;
    put32(b + 0x1f4, 0);
    put16(b + 0x206, 0x020b);
    g_assert_true(linux_parse_header(b, len, &h, &err));
    g_assert_cmpuint(h.setup_size, ==, 0xa00);
    g_assert_false(h.entry64);
    /* 2.06-2.09: no pref_address or init_size yet */
    put16(b + 0x206, 0x0206);
    b[0x201] = 0x3a;
    g_assert_true(linux_parse_header(b, len, &h, &err));
    g_assert_cmphex(h.pref_address, ==, 0x100000);
    g_assert_cmpuint(h.init_size, ==, 0);
}

static void test_bz_bad(void)
{
    gsize len;
    g_autofree guint8 *b = bz_image(&len);
    guint8 *bad = g_malloc(len);

#define MUTATE(stmt, msg)                                                    \
    do {                                                                      \
        memcpy(bad, b, len);                                                  \
        stmt;                                                                 \
        expect_bz_error(bad, len, msg);                                       \
    } while (0)

    expect_bz_error(b, 0x205, "no Linux boot header ('HdrS' at 0x202)");
    expect_bz_error(b, 0x207, "the setup header is cut short");
    MUTATE(bad[0x205] = 'T', "no Linux boot header ('HdrS' at 0x202)");
    MUTATE(put16(bad + 0x1fe, 0), "the boot sector signature 0xaa55 is "
                                  "missing");
    MUTATE(put16(bad + 0x206, 0x0205), "boot protocol 2.05 is too old; "
           "cgemu needs 2.06 or later (Linux 2.6.22 and later)");
    MUTATE(bad[0x201] = 0x10, "the setup header (protocol 2.15) is cut "
                              "short");
    expect_bz_error(b, 0x240, "the setup header (protocol 2.15) is cut "
                              "short");
    MUTATE(bad[0x211] = 0, "a zImage (loaded below 1 MiB) is not "
                           "supported; build a bzImage");
    MUTATE(bad[0x1f1] = 0xff, "the setup code (255 sectors) leaves no "
                              "kernel in the file");
    expect_bz_error(b, 0x600, "the setup code (2 sectors) leaves no kernel "
                              "in the file");
    MUTATE(put32(bad + 0x1f4, 0xffffffff), "the file is cut short: the "
           "header announces a 68719476720-byte kernel, the file has 6656 "
           "bytes after the setup code");
#undef MUTATE
    g_free(bad);
}

static void test_bz_fuzz(void)
{
    gsize len;
    g_autofree guint8 *b = bz_image(&len);
    GRand *rand = g_rand_new_with_seed(1127);
    guint8 *buf = g_malloc(len);

    for (gsize cut = 0; cut <= 0x700; cut++) {
        g_autoptr(GError) err = NULL;
        g_autofree guint8 *copy = g_memdup2(b, cut);
        LinuxHeader h;

        linux_parse_header(copy, cut, &h, &err);
    }
    for (int i = 0; i < 20000; i++) {
        g_autoptr(GError) err = NULL;
        LinuxHeader h;

        memcpy(buf, b, len);
        for (int j = g_rand_int_range(rand, 1, 6); j > 0; j--) {
            buf[g_rand_int_range(rand, 0x1f0, 0x268)] =
                (guint8)g_rand_int(rand);
        }
        if (linux_parse_header(buf, len, &h, &err)) {
            /* What a loader relies on after success. */
            g_assert_cmpuint(h.header_end, <=, h.setup_size);
            g_assert_cmpuint(h.setup_size + h.kernel_size, ==, len);
            g_assert_cmpuint(h.kernel_size, >, 0);
        } else {
            g_assert_nonnull(err);
        }
    }
    g_free(buf);
    g_rand_free(rand);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/x86/pvh/good", test_pvh_good);
    g_test_add_func("/x86/pvh/desc4", test_pvh_desc4);
    g_test_add_func("/x86/pvh/elf32", test_pvh_elf32);
    g_test_add_func("/x86/pvh/malformed", test_pvh_bad);
    g_test_add_func("/x86/pvh/fuzz", test_pvh_fuzz);
    g_test_add_func("/x86/bzimage/good", test_bz_good);
    g_test_add_func("/x86/bzimage/malformed", test_bz_bad);
    g_test_add_func("/x86/bzimage/fuzz", test_bz_fuzz);
    return g_test_run();
}
