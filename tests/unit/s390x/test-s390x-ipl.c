/* Unit tests: s390x IPL blocks (DIAGNOSE 308) and -kernel/-initrd/-append. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hw/core/loader.h"
#include "hw/s390x/ipl.h"

#include <elf.h>
#include <glib/gstdio.h>
#include <string.h>

#define RAM (16 * 1024 * 1024)

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        p[i] = (uint8_t)(v >> (24 - 8 * i));
    }
}

static void put64(uint8_t *p, uint64_t v)
{
    put32(p, v >> 32);
    put32(p + 4, (uint32_t)v);
}

static uint64_t get64(const uint8_t *p)
{
    uint64_t v = 0;

    for (int i = 0; i < 8; i++) {
        v = v << 8 | p[i];
    }
    return v;
}

/* A protected-virtualization block with @n components. */
static void pv_block(uint8_t *b, unsigned n)
{
    memset(b, 0, S390_IPLB_SIZE);
    put32(b, S390_IPLB_PV_COMPONENTS + 24 * n);
    b[12] = S390_IPL_TYPE_PV;
    put32(b + 0x74, n);
    put64(b + 0x78, 0x20000);                   /* SE header */
    put64(b + 0x80, 0x1000);
    for (unsigned i = 0; i < n; i++) {
        uint8_t *c = b + S390_IPLB_PV_COMPONENTS + 24 * i;

        put64(c, 0x100 * (i + 1));              /* tweak prefix */
        put64(c + 8, 0x100000 + 0x10000 * i);
        put64(c + 16, 0x2345);
    }
}

static MachineState *machine(void)
{
    g_autoptr(GError) err = NULL;
    MachineState *ms;

    cg_types_init();
    ms = g_object_new(g_type_from_name("none-machine"), NULL);
    ms->ram_size = RAM;
    g_assert_nonnull(machine_add_ram(ms, "ram", 0, RAM, false, &err));
    return ms;
}

static char *pv_error(const uint8_t *b, AddressSpace *mem)
{
    g_autofree S390PvIpl *ipl = g_new0(S390PvIpl, 1);
    g_autoptr(GError) err = NULL;

    g_assert_false(s390_iplb_parse_pv(b, mem, ipl, &err));
    return g_strdup(err->message);
}

static void test_pv_block(void)
{
    g_autoptr(MachineState) ms = machine();
    g_autofree S390PvIpl *ipl = g_new0(S390PvIpl, 1);
    g_autoptr(GError) err = NULL;
    uint8_t b[S390_IPLB_SIZE];
    char *msg;

    pv_block(b, 3);
    g_assert_true(s390_iplb_parse_pv(b, ms->mem, ipl, &err));
    g_assert_no_error(err);
    g_assert_cmpuint(ipl->n_components, ==, 3);
    g_assert_cmphex(ipl->header_addr, ==, 0x20000);
    g_assert_cmphex(ipl->header_len, ==, 0x1000);
    g_assert_cmphex(ipl->components[2].tweak, ==, 0x300);
    g_assert_cmphex(ipl->components[2].addr, ==, 0x120000);
    g_assert_cmphex(ipl->components[2].size, ==, 0x2345);

    b[12] = S390_IPL_TYPE_CCW;
    msg = pv_error(b, ms->mem);
    g_assert_cmpstr(msg, ==, "IPL block type is 2, not 5 (protected "
                             "virtualization)");
    g_free(msg);
    pv_block(b, 3);
    put32(b, 100);
    msg = pv_error(b, ms->mem);
    g_assert_cmpstr(msg, ==, "protected IPL block length 100 is outside "
                             "148..4096");
    g_free(msg);
    pv_block(b, 3);
    put32(b + 0x74, 4);                         /* one more than fits */
    msg = pv_error(b, ms->mem);
    g_assert_cmpstr(msg, ==, "protected IPL block lists 4 components, "
                             "which do not fit its length 208");
    g_free(msg);
    put32(b + 0x74, 0);
    msg = pv_error(b, ms->mem);
    g_assert_true(g_str_has_prefix(msg, "protected IPL block lists 0 "));
    g_free(msg);
    pv_block(b, 3);
    put64(b + 0x80, 0x2001);
    msg = pv_error(b, ms->mem);
    g_assert_cmpstr(msg, ==, "SE header (0x2001 bytes at 0x20000) is larger "
                             "than two pages or not in guest RAM");
    g_free(msg);
    pv_block(b, 3);
    put64(b + 0x78, RAM - 0x800);
    msg = pv_error(b, ms->mem);
    g_assert_true(g_str_has_suffix(msg, "not in guest RAM"));
    g_free(msg);
    pv_block(b, 3);
    put64(b + S390_IPLB_PV_COMPONENTS + 24 + 8, 0x110800);
    msg = pv_error(b, ms->mem);
    g_assert_cmpstr(msg, ==, "component 1 at 0x110800 is not page aligned");
    g_free(msg);
    pv_block(b, 3);
    put64(b + S390_IPLB_PV_COMPONENTS + 48, 0x200);
    msg = pv_error(b, ms->mem);
    g_assert_cmpstr(msg, ==, "component 2: tweak prefix 0x200 does not "
                             "increase");
    g_free(msg);
    /* The largest block: as many components as fit a page. */
    pv_block(b, S390_PV_MAX_COMPONENTS);
    g_assert_true(s390_iplb_parse_pv(b, NULL, ipl, NULL));
    g_assert_cmpuint(ipl->n_components, ==, 165);
}

static void test_normal_block(void)
{
    uint8_t b[S390_IPLB_SIZE] = { 0 };
    g_autoptr(GError) err = NULL;

    put32(b, 200);
    b[12] = S390_IPL_TYPE_CCW;
    g_assert_true(s390_iplb_check(b, NULL));
    put32(b, 199);
    g_assert_false(s390_iplb_check(b, &err));
    g_assert_cmpstr(err->message, ==,
                    "IPL block of type 2 has length 199, out of range");
    g_clear_error(&err);
    b[12] = S390_IPL_TYPE_FCP;
    put32(b, 384);
    g_assert_true(s390_iplb_check(b, NULL));
    b[12] = 7;
    g_assert_false(s390_iplb_check(b, &err));
    g_assert_cmpstr(err->message, ==,
                    "IPL block of type 7 is not a CCW or FCP block");
}

static char *write_file(const char *name, const void *data, gsize len)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *dir = g_dir_make_tmp("cgemu-ipl-XXXXXX", &err);
    char *path = g_build_filename(dir, name, NULL);

    g_assert_true(g_file_set_contents(path, data, len, &err));
    return path;
}

static void cleanup(char *path)
{
    g_autofree char *dir = g_path_get_dirname(path);

    g_unlink(path);
    g_rmdir(dir);
    g_free(path);
}

/* A raw "Linux" image of @len bytes: S390EP at 0x10008. */
static char *linux_image(gsize len, uint64_t cmdline_max)
{
    g_autofree uint8_t *img = g_malloc0(len);

    memcpy(img + S390_LINUX_MAGIC, "S390EP", 6);
    put64(img + S390_CMDLINE_MAX_PTR, cmdline_max);
    img[0x20000] = 0x5a;
    return write_file("kernel", img, len);
}

static void test_linux(void)
{
    g_autoptr(MachineState) ms = machine();
    g_autoptr(GError) err = NULL;
    char *kernel = linux_image(0x900000, 0);
    char *initrd = write_file("initrd", "INITRD", 6);
    const uint8_t *p;
    uint64_t psw = 1;

    ms->kernel = g_strdup(kernel);
    ms->initrd = g_strdup(initrd);
    ms->append = g_strdup("console=ttysclp0 root=/dev/vda");
    g_assert_true(s390_ipl_load(ms, &psw, &err));
    g_assert_no_error(err);
    g_assert_cmphex(psw, ==, 0x10000);
    p = guest_ram_ptr(ms->mem, 0, RAM);
    g_assert_cmphex(p[0x20000], ==, 0x5a);
    g_assert_cmpstr((const char *)p + S390_CMDLINE, ==,
                    "console=ttysclp0 root=/dev/vda");
    /* The kernel ends past 8 MiB: the initrd goes a MiB after it. */
    g_assert_cmphex(get64(p + S390_INITRD_START_PTR), ==, 0xa00000);
    g_assert_cmphex(get64(p + S390_INITRD_SIZE_PTR), ==, 6);
    g_assert_cmpmem(p + 0xa00000, 6, "INITRD", 6);
    /* What a confidential technology would see, in order. */
    g_assert_cmpuint(loader_records(ms)->len, ==, 4);
    g_assert_cmpstr(((LoadRecord *)g_ptr_array_index(loader_records(ms),
                                                     1))->what, ==,
                    "cmdline");
    cleanup(kernel);
    cleanup(initrd);
}

static void test_linux_errors(void)
{
    g_autoptr(MachineState) ms = machine();
    g_autoptr(GError) err = NULL;
    char *kernel = linux_image(0x30000, 16);
    uint64_t psw;

    ms->kernel = g_strdup(kernel);
    ms->append = g_strdup("0123456789abcdef");
    g_assert_false(s390_ipl_load(ms, &psw, &err));
    g_assert_cmpstr(err->message, ==,
                    "-append: the command line needs 17 bytes with its "
                    "final NUL; this kernel takes at most 16");
    g_clear_error(&err);
    g_clear_pointer(&ms->kernel, g_free);
    g_assert_false(s390_ipl_load(ms, &psw, &err));
    g_assert_cmpstr(err->message, ==, "-append needs -kernel");
    g_clear_error(&err);
    ms->firmware = g_strdup("s390-ccw.img");
    g_assert_false(s390_ipl_load(ms, &psw, &err));
    g_assert_cmpstr(err->message, ==,
                    "-bios s390-ccw.img: cgemu has no s390-ccw firmware "
                    "loader; boot the kernel directly with -kernel");
    cleanup(kernel);
}

static void test_other_images(void)
{
    g_autoptr(MachineState) ms = machine();
    g_autoptr(GError) err = NULL;
    uint8_t raw[0x100] = { 0 };
    uint8_t elf[0x1000] = { 0 };
    char *path;
    uint64_t psw;

    /* Not Linux: the short IPL PSW at 0 says where to start. */
    put32(raw + 4, 0x80002000u);
    path = write_file("raw", raw, sizeof(raw));
    ms->kernel = g_strdup(path);
    g_assert_true(s390_ipl_load(ms, &psw, &err));
    g_assert_cmphex(psw, ==, 0x2000);
    ms->append = g_strdup("x");
    g_assert_false(s390_ipl_load(ms, &psw, &err));
    g_assert_true(g_str_has_suffix(err->message,
                                   "is not a Linux kernel (no S390EP magic, "
                                   "entry 0x2000), so it has no command "
                                   "line"));
    g_clear_error(&err);
    g_clear_pointer(&ms->append, g_free);
    cleanup(path);

    /* An s390x ELF: its one segment at 0x40000, entry 0x10000. */
    memcpy(elf, ELFMAG, SELFMAG);
    elf[EI_CLASS] = ELFCLASS64;
    elf[EI_DATA] = ELFDATA2MSB;
    elf[18] = 0;
    elf[19] = EM_S390;
    put64(elf + 24, 0x10000);                   /* entry */
    put64(elf + 32, 64);                        /* phoff */
    elf[54] = 0;
    elf[55] = 56;                               /* phentsize */
    elf[57] = 1;                                /* phnum */
    put32(elf + 64, PT_LOAD);
    put64(elf + 64 + 8, 0x800);                 /* offset */
    put64(elf + 64 + 24, 0x40000);              /* paddr */
    put64(elf + 64 + 32, 0x10);                 /* filesz */
    put64(elf + 64 + 40, 0x20);                 /* memsz */
    memset(elf + 0x800, 0x77, 0x10);
    path = write_file("elf", elf, sizeof(elf));
    g_free(ms->kernel);
    ms->kernel = g_strdup(path);
    g_assert_true(s390_ipl_load(ms, &psw, &err));
    g_assert_no_error(err);
    g_assert_cmphex(psw, ==, 0x10000);
    g_assert_cmphex(*(uint8_t *)guest_ram_ptr(ms->mem, 0x4000f, 1), ==,
                    0x77);
    g_assert_cmphex(*(uint8_t *)guest_ram_ptr(ms->mem, 0x40010, 1), ==, 0);
    /* A segment reaching past the file. */
    put64(elf + 64 + 32, 0x1000);
    put64(elf + 64 + 40, 0x1000);
    g_assert_true(g_file_set_contents(path, (char *)elf, sizeof(elf), NULL));
    g_assert_false(s390_ipl_load(ms, &psw, &err));
    g_assert_true(g_str_has_suffix(err->message, "ELF segment 0 is "
                                                 "malformed"));
    g_clear_error(&err);
    /* Little-endian or another machine: refused. */
    elf[EI_DATA] = ELFDATA2LSB;
    g_assert_true(g_file_set_contents(path, (char *)elf, sizeof(elf), NULL));
    g_assert_false(s390_ipl_load(ms, &psw, &err));
    g_assert_true(g_str_has_suffix(err->message, "not a 64-bit big-endian "
                                                 "s390x ELF image"));
    cleanup(path);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/s390x/ipl/pv-block", test_pv_block);
    g_test_add_func("/s390x/ipl/normal-block", test_normal_block);
    g_test_add_func("/s390x/ipl/linux", test_linux);
    g_test_add_func("/s390x/ipl/linux-errors", test_linux_errors);
    g_test_add_func("/s390x/ipl/other-images", test_other_images);
    return g_test_run();
}
