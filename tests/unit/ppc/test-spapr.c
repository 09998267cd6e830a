/* Unit tests of the pseries machine in-process: tree, boot, RTAS, hcalls. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "chardev/char.h"
#include "hw/core/device.h"
#include "hw/core/loader.h"
#include "hw/ppc/spapr.h"
#include "util/keyval.h"

#include <glib/gstdio.h>
#include <libfdt.h>
#include <string.h>

/* The RTAS tokens this machine gives (checked against /rtas below). */
#define TOK_DISPLAY_CHARACTER 0x2000
#define TOK_READ_PCI_CONFIG 0x2005
#define TOK_WRITE_PCI_CONFIG 0x2006
#define TOK_IBM_READ_PCI_CONFIG 0x2007

typedef struct Requests {
    unsigned shutdowns, resets;
    ShutdownCause last;
} Requests;

static void req_shutdown(void *opaque, ShutdownCause cause)
{
    Requests *r = opaque;

    r->shutdowns++;
    r->last = cause;
}

static void req_reset(void *opaque, ShutdownCause cause)
{
    Requests *r = opaque;

    r->resets++;
    r->last = cause;
}

static const MachineRequestOps req_ops = {
    .shutdown = req_shutdown,
    .reset = req_reset,
};

typedef struct Fixture {
    char *dir;
    char *serial;           /* the vty's output file */
    GPtrArray *serials;
    MachineState *ms;
    SpaprMachineState *spapr;
    Requests req;
} Fixture;

typedef struct Config {
    unsigned cpus;
    uint64_t ram;
    const char *kernel;     /* paths */
    const char *initrd;
    const char *append;
    const char *const *devices;
} Config;

/* Board init, devices, done: lifecycle steps 6-8 without an accelerator. */
static bool fixture_build(Fixture *f, const Config *c, GError **err)
{
    MachineStateClass *mc;
    CgObject *root;

    cg_types_init();
    f->dir = g_dir_make_tmp("test-spapr-XXXXXX", NULL);
    g_assert_nonnull(f->dir);
    f->serial = g_build_filename(f->dir, "serial.txt", NULL);
    f->serials = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(f->serials, g_strdup_printf("file:%s", f->serial));
    root = cg_object_new_root();
    f->ms = g_object_new(g_type_from_name(TYPE_SPAPR_MACHINE), NULL);
    f->spapr = CG_SPAPR_MACHINE(f->ms);
    g_assert_true(cg_object_add_child(root, "machine", CG_OBJECT(f->ms),
                                      NULL));
    g_object_unref(f->ms);
    f->ms->ram_size = c->ram ? c->ram : 512ull << 20;
    f->ms->smp_cpus = f->ms->max_cpus = c->cpus ? c->cpus : 1;
    f->ms->serials = f->serials;
    f->ms->req = &req_ops;
    f->ms->req_opaque = &f->req;
    f->ms->kernel = g_strdup(c->kernel);
    f->ms->initrd = g_strdup(c->initrd);
    f->ms->append = g_strdup(c->append);
    f->ms->created = true;
    mc = CG_MACHINE_GET_CLASS(f->ms);
    if (!mc->init(f->ms, err)) {
        return false;
    }
    for (const char *const *d = c->devices; d && *d; d++) {
        g_autoptr(CgOpts) opts = cg_keyval_parse(*d, "driver", err);

        if (opts == NULL || device_create_from_opts(f->ms, opts, err) ==
                                NULL) {
            return false;
        }
    }
    return mc->done(f->ms, err);
}

static void fixture_free(Fixture *f)
{
    g_autoptr(GDir) d = NULL;
    const char *name;

    if (f->ms) {
        g_object_unref(cg_object_get_root(CG_OBJECT(f->ms)));
    }
    d = g_dir_open(f->dir, 0, NULL);
    while (d && (name = g_dir_read_name(d)) != NULL) {
        g_autofree char *p = g_build_filename(f->dir, name, NULL);
        g_unlink(p);
    }
    g_rmdir(f->dir);
    g_ptr_array_unref(f->serials);
    g_free(f->serial);
    g_free(f->dir);
}

static char *serial_text(Fixture *f)
{
    char *text = NULL;

    if (!g_file_get_contents(f->serial, &text, NULL, NULL)) {
        return g_strdup("");
    }
    return text;
}

/* The tree as placed in guest memory. */
static const void *guest_fdt(Fixture *f)
{
    const void *fdt = guest_ram_ptr(f->ms->mem, f->spapr->boot.fdt_addr,
                                    SPAPR_FDT_MAX_SIZE);

    g_assert_nonnull(fdt);
    g_assert_cmpint(fdt_check_full(fdt, SPAPR_FDT_MAX_SIZE), ==, 0);
    return fdt;
}

static uint32_t prop_u32(const void *fdt, const char *path, const char *name)
{
    int node = fdt_path_offset(fdt, path);
    int len = 0;
    const fdt32_t *p;

    g_assert_cmpint(node, >=, 0);
    p = fdt_getprop(fdt, node, name, &len);
    g_assert_nonnull(p);
    g_assert_cmpint(len, ==, 4);
    return fdt32_to_cpu(*p);
}

static const char *prop_str(const void *fdt, const char *path,
                            const char *name)
{
    int node = fdt_path_offset(fdt, path);

    g_assert_cmpint(node, >=, 0);
    return fdt_getprop(fdt, node, name, NULL);
}

/* --- a synthetic ppc64 ELF ---------------------------------------------- */

static void put(uint8_t *p, uint64_t v, unsigned size, bool le)
{
    for (unsigned i = 0; i < size; i++) {
        p[le ? i : size - 1 - i] = (uint8_t)(v >> (8 * i));
    }
}

/*
 * An ELF64 for @machine with one PT_LOAD: @filesz bytes of pattern
 * (byte i = i * 7 + 1) at file offset 0x1000, linked at 0xc000000000000000
 * + paddr with @memsz bytes in memory, entry at paddr + 0x10.
 */
static GByteArray *make_elf(bool le, unsigned machine, uint64_t paddr,
                            uint64_t filesz, uint64_t memsz)
{
    GByteArray *b = g_byte_array_new();
    uint8_t *d;

    g_byte_array_set_size(b, 0x1000 + filesz);
    d = b->data;
    memset(d, 0, b->len);
    memcpy(d, "\x7f" "ELF", 4);
    d[4] = 2;
    d[5] = le ? 1 : 2;
    d[6] = 1;
    put(d + 16, 2, 2, le);                              /* ET_EXEC */
    put(d + 18, machine, 2, le);
    put(d + 20, 1, 4, le);
    put(d + 24, 0xc000000000000000ull + paddr + 0x10, 8, le);
    put(d + 32, 64, 8, le);                             /* e_phoff */
    put(d + 52, 64, 2, le);
    put(d + 54, 56, 2, le);
    put(d + 56, 1, 2, le);
    put(d + 64, 1, 4, le);                              /* PT_LOAD */
    put(d + 68, 7, 4, le);
    put(d + 72, 0x1000, 8, le);
    put(d + 80, 0xc000000000000000ull + paddr, 8, le);
    put(d + 88, paddr, 8, le);
    put(d + 96, filesz, 8, le);
    put(d + 104, memsz, 8, le);
    for (uint64_t i = 0; i < filesz; i++) {
        d[0x1000 + i] = (uint8_t)(i * 7 + 1);
    }
    return b;
}

/* --- the device tree ------------------------------------------------------ */

static void test_fdt(void)
{
    static const char *const devs[] = { "virtio-rng-pci,id=rng0", NULL };
    Config c = { .cpus = 4, .ram = 1ull << 30, .devices = devs };
    Fixture f = { 0 };
    g_autoptr(GError) err = NULL;
    const void *fdt;
    const fdt32_t *reg;
    gsize blob_len;
    int len = 0, node, n = 0;

    g_assert_true(fixture_build(&f, &c, &err));
    g_assert_no_error(err);
    fdt = guest_fdt(&f);
    /* What dumpdtb writes is what the guest gets. */
    g_assert_cmpmem(fdt, fdt_totalsize(fdt),
                    g_bytes_get_data(f.spapr->fdt, &blob_len),
                    fdt_totalsize(fdt));
    g_assert_cmpuint(blob_len, ==, fdt_totalsize(fdt));
    g_assert_cmpstr(prop_str(fdt, "/", "device_type"), ==, "chrp");
    g_assert_cmpstr(prop_str(fdt, "/", "compatible"), ==, "qemu,pseries");
    /* The top of the real-mode area: 256 MiB with 1 GiB of RAM. */
    g_assert_cmphex(f.spapr->boot.fdt_addr, ==, 0x0ff00000);
    g_assert_cmphex(f.spapr->boot.rtas_addr, ==, 0x0fef0000);
    g_assert_cmpint(fdt_num_mem_rsv(fdt), ==, 2);
    for (unsigned i = 0; i < 4; i++) {
        g_autofree char *p = g_strdup_printf("/cpus/PowerPC,POWER9@%u", i);

        g_assert_cmpuint(prop_u32(fdt, p, "reg"), ==, i);
        g_assert_cmpuint(prop_u32(fdt, p, "ibm,ppc-interrupt-server#s"), ==,
                         i);
        g_assert_cmphex(prop_u32(fdt, p, "cpu-version"), ==, 0x004e1200);
    }
    fdt_for_each_subnode(node, fdt, fdt_path_offset(fdt, "/cpus")) {
        n++;
    }
    g_assert_cmpint(n, ==, 4);
    reg = fdt_getprop(fdt, fdt_path_offset(fdt, "/memory@0"), "reg", &len);
    g_assert_cmpint(len, ==, 16);
    g_assert_cmphex(fdt32_to_cpu(reg[3]), ==, 0x40000000);
    g_assert_cmphex(prop_u32(fdt, "/rtas", "linux,rtas-entry"), ==,
                    0x0fef0000);
    g_assert_cmphex(prop_u32(fdt, "/rtas", "ibm,read-pci-config"), ==,
                    TOK_IBM_READ_PCI_CONFIG);
    g_assert_cmphex(prop_u32(fdt, "/rtas", "read-pci-config"), ==,
                    TOK_READ_PCI_CONFIG);
    g_assert_cmphex(prop_u32(fdt, "/rtas", "display-character"), ==,
                    TOK_DISPLAY_CHARACTER);
    g_assert_cmpstr(prop_str(fdt, "/chosen", "stdout-path"), ==,
                    "/vdevice/vty@71000000");
    g_assert_null(fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"),
                              "bootargs", NULL));
    g_assert_cmphex(prop_u32(fdt,
                             "/pci@800000020000000/pci1af4,1005@0",
                             "vendor-id"), ==, 0x1af4);
    fixture_free(&f);
}

/* The most vCPUs the machine takes still fit the 1 MiB the tree has. */
static void test_fdt_max_cpus(void)
{
    Config c = { .cpus = SPAPR_MAX_CPUS };
    Fixture f = { 0 };
    g_autoptr(GError) err = NULL;
    g_autofree char *last = g_strdup_printf("/cpus/PowerPC,POWER9@%x",
                                            SPAPR_MAX_CPUS - 1);
    const void *fdt;

    g_assert_true(fixture_build(&f, &c, &err));
    g_assert_no_error(err);
    fdt = guest_fdt(&f);
    g_assert_cmpuint(fdt_totalsize(fdt), <, SPAPR_FDT_MAX_SIZE);
    g_assert_cmpuint(prop_u32(fdt, last, "reg"), ==, SPAPR_MAX_CPUS - 1);
    fixture_free(&f);
}

/* --- boot ----------------------------------------------------------------- */

static void check_kernel(bool le)
{
    g_autoptr(GByteArray) k = make_elf(le, 21, 0x200000, 0x300, 0x10000);
    g_autofree char *dir = g_dir_make_tmp("test-spapr-XXXXXX", NULL);
    g_autofree char *kp = g_build_filename(dir, "vmlinux", NULL);
    g_autofree char *ip = g_build_filename(dir, "initrd", NULL);
    Config c = { .kernel = kp, .initrd = ip,
                 .append = "console=hvc0 root=/dev/vda" };
    Fixture f = { 0 };
    g_autoptr(GError) err = NULL;
    const SpaprBootState *b;
    const uint8_t *p;
    const void *fdt;

    g_assert_true(g_file_set_contents(kp, (const char *)k->data, k->len,
                                      NULL));
    g_assert_true(g_file_set_contents(ip, "INITRD-DATA", 11, NULL));
    g_assert_true(fixture_build(&f, &c, &err));
    g_assert_no_error(err);
    g_unlink(kp);
    g_unlink(ip);
    g_rmdir(dir);
    b = &f.spapr->boot;
    g_assert_true(b->have_kernel);
    g_assert_true(b->kernel_le == le);
    g_assert_cmphex(b->entry, ==, 0x200010);
    g_assert_cmphex(b->kernel_base, ==, 0x200000);
    g_assert_cmphex(b->kernel_end, ==, 0x210000);
    p = guest_ram_ptr(f.ms->mem, 0x200000, 0x10000);
    for (unsigned i = 0; i < 0x300; i++) {
        g_assert_cmpuint(p[i], ==, (uint8_t)(i * 7 + 1));
    }
    for (unsigned i = 0x300; i < 0x10000; i++) {
        g_assert_cmpuint(p[i], ==, 0);
    }
    /* The initrd right after the kernel, where /chosen says. */
    g_assert_cmphex(b->initrd_base, ==, 0x210000);
    g_assert_cmpmem(guest_ram_ptr(f.ms->mem, 0x210000, 11), 11,
                    "INITRD-DATA", 11);
    fdt = guest_fdt(&f);
    g_assert_cmphex(prop_u32(fdt, "/chosen", "linux,initrd-start"), ==,
                    0x210000);
    g_assert_cmphex(prop_u32(fdt, "/chosen", "linux,initrd-end"), ==,
                    0x21000b);
    g_assert_cmpstr(prop_str(fdt, "/chosen", "bootargs"), ==,
                    "console=hvc0 root=/dev/vda");
    fixture_free(&f);
}

static void test_kernel_be(void)
{
    check_kernel(false);
}

static void test_kernel_le(void)
{
    check_kernel(true);
}

static void expect_kernel_error(GByteArray *k, uint64_t ram, const char *msg)
{
    g_autofree char *dir = g_dir_make_tmp("test-spapr-XXXXXX", NULL);
    g_autofree char *kp = g_build_filename(dir, "vmlinux", NULL);
    g_autofree char *want = NULL;
    Config c = { .kernel = kp, .ram = ram };
    Fixture f = { 0 };
    g_autoptr(GError) err = NULL;

    g_assert_true(g_file_set_contents(kp, (const char *)k->data, k->len,
                                      NULL));
    g_assert_false(fixture_build(&f, &c, &err));
    want = g_strdup_printf("-kernel %s: %s", kp, msg);
    g_assert_cmpstr(err->message, ==, want);
    fixture_free(&f);
    g_unlink(kp);
    g_rmdir(dir);
}

static void test_kernel_errors(void)
{
    g_autoptr(GByteArray) x86 = make_elf(false, 62, 0, 0x10, 0x10);
    g_autoptr(GByteArray) big = make_elf(false, 21, 0x7000000, 0x10,
                                         0x1000000);
    g_autoptr(GByteArray) b32 = make_elf(true, 21, 0, 0x10, 0x10);
    g_autoptr(GByteArray) phdr = make_elf(true, 21, 0, 0x10, 0x10);
    g_autoptr(GByteArray) entry = make_elf(false, 21, 0, 0x10, 0x10);

    expect_kernel_error(x86, 0,
                        "an ELF for machine 62, not ppc64 (21); this kernel "
                        "is for another architecture");
    /* With 128 MiB, the firmware area starts at 0x7ef0000. */
    expect_kernel_error(big, 128ull << 20,
                        "a segment of 0x1000000 bytes at 0x7000000 does not "
                        "fit below the firmware area at 0x7ef0000; give the "
                        "guest more memory with -m");
    b32->data[4] = 1;
    expect_kernel_error(b32, 0,
                        "a 32-bit ELF; machine pseries boots 64-bit (ppc64) "
                        "kernels");
    phdr->data[56] = 200;               /* e_phnum */
    expect_kernel_error(phdr, 0,
                        "the ELF program headers are missing or damaged "
                        "(200 entries of 56 bytes at 0x40)");
    entry->data[31] = 0x00;             /* entry 0xc000...0000 + 0 */
    entry->data[24 + 7] = 0x80;         /* entry at 0x80 */
    expect_kernel_error(entry, 0,
                        "the entry point 0x80 is not in a loaded segment");
}

/* --- RTAS and hypercalls ------------------------------------------------- */

#define ARGS_GPA 0x100000ull

static void put_be32(uint8_t *p, uint32_t v)
{
    put(p, v, 4, false);
}

static uint32_t get_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
           (uint32_t)p[2] << 8 | p[3];
}

/* An rtas_args block at ARGS_GPA, as the guest's RTAS entry passes it. */
static int64_t rtas(Fixture *f, uint32_t token, uint32_t nargs,
                    const uint32_t *args, uint32_t nret, uint32_t *rets)
{
    uint8_t *blk = guest_ram_ptr(f->ms->mem, ARGS_GPA, 4 * 19);
    uint64_t hargs[9] = { ARGS_GPA };
    int64_t r;

    put_be32(blk, token);
    put_be32(blk + 4, nargs);
    put_be32(blk + 8, nret);
    for (uint32_t i = 0; i < nargs; i++) {
        put_be32(blk + 12 + 4 * i, args[i]);
    }
    r = spapr_hypercall(f->spapr, 0, KVMPPC_H_RTAS, hargs);
    for (uint32_t i = 0; i < nret; i++) {
        rets[i] = get_be32(blk + 12 + 4 * (nargs + i));
    }
    return r;
}

static void test_rtas_pci(void)
{
    static const char *const devs[] = { "virtio-rng-pci,id=rng0",
                                        "virtio-rng-pci,addr=03", NULL };
    Config c = { .devices = devs };
    Fixture f = { 0 };
    g_autoptr(GError) err = NULL;
    uint32_t rets[2];
    const uint32_t buid_hi = (uint32_t)(SPAPR_PHB_BUID >> 32);
    const uint32_t buid_lo = (uint32_t)SPAPR_PHB_BUID;

    g_assert_true(fixture_build(&f, &c, &err));
    /* ibm,read-pci-config: vendor and device of 00.0. */
    g_assert_cmpint(rtas(&f, TOK_IBM_READ_PCI_CONFIG, 4,
                         (uint32_t[]){ 0, buid_hi, buid_lo, 4 }, 2, rets),
                    ==, H_SUCCESS);
    g_assert_cmpint((int32_t)rets[0], ==, 0);
    g_assert_cmphex(rets[1], ==, 0x10051af4);
    /* read-pci-config of 03.0 (devfn 0x18), a word. */
    g_assert_cmpint(rtas(&f, TOK_READ_PCI_CONFIG, 2,
                         (uint32_t[]){ 0x1800, 2 }, 2, rets), ==, H_SUCCESS);
    g_assert_cmpint((int32_t)rets[0], ==, 0);
    g_assert_cmphex(rets[1], ==, 0x1af4);
    /* write-pci-config: the command register, read back. */
    g_assert_cmpint(rtas(&f, TOK_WRITE_PCI_CONFIG, 3,
                         (uint32_t[]){ 0x04, 2, 0x0006 }, 1, rets), ==,
                    H_SUCCESS);
    g_assert_cmpint((int32_t)rets[0], ==, 0);
    g_assert_cmphex(pci_host_config_read(f.spapr->phb, 0, 4, 2), ==, 6);
    /* An empty slot, another bus, a bad size, a bad BUID. */
    rtas(&f, TOK_READ_PCI_CONFIG, 2, (uint32_t[]){ 0x0800, 4 }, 2, rets);
    g_assert_cmpint((int32_t)rets[0], ==, RTAS_OUT_HW_ERROR);
    g_assert_cmphex(rets[1], ==, 0xffffffff);
    rtas(&f, TOK_READ_PCI_CONFIG, 2, (uint32_t[]){ 0x10000, 4 }, 2, rets);
    g_assert_cmpint((int32_t)rets[0], ==, RTAS_OUT_HW_ERROR);
    rtas(&f, TOK_READ_PCI_CONFIG, 2, (uint32_t[]){ 0, 3 }, 2, rets);
    g_assert_cmpint((int32_t)rets[0], ==, RTAS_OUT_PARAM_ERROR);
    rtas(&f, TOK_IBM_READ_PCI_CONFIG, 4, (uint32_t[]){ 0, 1, 2, 4 }, 2,
         rets);
    g_assert_cmpint((int32_t)rets[0], ==, RTAS_OUT_PARAM_ERROR);
    /* Wrong argument counts, an unknown token. */
    rtas(&f, TOK_READ_PCI_CONFIG, 1, (uint32_t[]){ 0 }, 2, rets);
    g_assert_cmpint((int32_t)rets[0], ==, RTAS_OUT_PARAM_ERROR);
    rtas(&f, 0x1234, 0, NULL, 1, rets);
    g_assert_cmpint((int32_t)rets[0], ==, RTAS_OUT_PARAM_ERROR);
    /* The same by name, as qtest's "rtas" command makes it. */
    put_be32(guest_ram_ptr(f.ms->mem, 0x2000, 16), 0x1800);
    put_be32(guest_ram_ptr(f.ms->mem, 0x2004, 4), 4);
    g_assert_cmpint(spapr_rtas_call_by_name(f.spapr, "read-pci-config", 2,
                                            0x2000, 2, 0x3000), ==,
                    H_SUCCESS);
    g_assert_cmphex(get_be32(guest_ram_ptr(f.ms->mem, 0x3004, 4)), ==,
                    0x10051af4);
    g_assert_cmpint(spapr_rtas_call_by_name(f.spapr, "no-such-call", 0, 0, 1,
                                            0x3000), ==, H_PARAMETER);
    g_assert_cmpint(spapr_rtas_call_by_name(f.spapr, "read-pci-config", 2,
                                            0x2000, 2, 1ull << 40), ==,
                    H_PARAMETER);
    /* An args block that is not in RAM. */
    {
        uint64_t hargs[9] = { 1ull << 40 };
        g_assert_cmpint(spapr_hypercall(f.spapr, 0, KVMPPC_H_RTAS, hargs),
                        ==, H_PARAMETER);
    }
    fixture_free(&f);
}

static void test_rtas_misc(void)
{
    Config c = { 0 };
    Fixture f = { 0 };
    g_autoptr(GError) err = NULL;
    g_autofree char *out = NULL;
    uint32_t rets[8];

    g_assert_true(fixture_build(&f, &c, &err));
    g_assert_cmpint(rtas(&f, TOK_DISPLAY_CHARACTER, 1, (uint32_t[]){ 'A' },
                         1, rets), ==, H_SUCCESS);
    g_assert_cmpint((int32_t)rets[0], ==, 0);
    out = serial_text(&f);
    g_assert_cmpstr(out, ==, "A");
    g_assert_cmpint(spapr_rtas_call_by_name(f.spapr, "get-time-of-day", 0, 0,
                                            8, 0x3000), ==, H_SUCCESS);
    g_assert_cmpuint(get_be32(guest_ram_ptr(f.ms->mem, 0x3000, 4)), ==, 0);
    g_assert_cmpuint(get_be32(guest_ram_ptr(f.ms->mem, 0x3004, 4)), >=,
                     2024);
    spapr_rtas_call_by_name(f.spapr, "system-reboot", 0, 0, 1, 0x3000);
    g_assert_cmpuint(f.req.resets, ==, 1);
    g_assert_cmpint(f.req.last, ==, SHUTDOWN_CAUSE_GUEST_RESET);
    spapr_rtas_call_by_name(f.spapr, "ibm,os-term", 1, 0x3000, 1, 0x3000);
    g_assert_cmpint(f.req.last, ==, SHUTDOWN_CAUSE_GUEST_PANIC);
    put_be32(guest_ram_ptr(f.ms->mem, 0x2000, 8), 0);
    spapr_rtas_call_by_name(f.spapr, "power-off", 2, 0x2000, 1, 0x3000);
    g_assert_cmpuint(f.req.shutdowns, ==, 2);
    g_assert_cmpint(f.req.last, ==, SHUTDOWN_CAUSE_GUEST_SHUTDOWN);
    fixture_free(&f);
}

static void test_hcall_console(void)
{
    Config c = { 0 };
    Fixture f = { 0 };
    g_autoptr(GError) err = NULL;
    g_autofree char *out = NULL;
    uint64_t a[9] = { SPAPR_VIO_REG_BASE, 10, 0x68656c6c6f2c2077ull,
                      0x6f72000000000000ull };

    g_assert_true(fixture_build(&f, &c, &err));
    g_assert_cmpint(spapr_hypercall(f.spapr, 0, H_PUT_TERM_CHAR, a), ==,
                    H_SUCCESS);
    out = serial_text(&f);
    g_assert_cmpstr(out, ==, "hello, wor");
    /* No input yet: length 0. */
    memset(a, 0xff, sizeof(a));
    a[0] = SPAPR_VIO_REG_BASE;
    g_assert_cmpint(spapr_hypercall(f.spapr, 0, H_GET_TERM_CHAR, a), ==,
                    H_SUCCESS);
    g_assert_cmpuint(a[0], ==, 0);
    g_assert_cmphex(a[1], ==, 0);
    /* Input from the chardev waits for the guest, 16 bytes at most. */
    {
        Chardev *chr = chardev_find(cg_object_get_root(CG_OBJECT(f.ms)),
                                    "serial0");

        g_assert_nonnull(chr);
        g_assert_cmpuint(chardev_can_receive(chr), ==, 16);
        chardev_receive(chr, (const uint8_t *)"abc", 3);
        g_assert_cmpuint(chardev_can_receive(chr), ==, 13);
        a[0] = SPAPR_VIO_REG_BASE;
        g_assert_cmpint(spapr_hypercall(f.spapr, 0, H_GET_TERM_CHAR, a), ==,
                        H_SUCCESS);
        g_assert_cmpuint(a[0], ==, 3);
        g_assert_cmphex(a[1], ==, 0x6162630000000000ull);
        g_assert_cmphex(a[2], ==, 0);
        chardev_receive(chr, (const uint8_t *)"0123456789abcdefXYZ", 19);
        g_assert_cmpuint(chardev_can_receive(chr), ==, 0);
        a[0] = SPAPR_VIO_REG_BASE;
        g_assert_cmpint(spapr_hypercall(f.spapr, 0, H_GET_TERM_CHAR, a), ==,
                        H_SUCCESS);
        g_assert_cmpuint(a[0], ==, 16);
        g_assert_cmphex(a[1], ==, 0x3031323334353637ull);
        g_assert_cmphex(a[2], ==, 0x3839616263646566ull);
        g_assert_cmpuint(chardev_can_receive(chr), ==, 16);
    }
    /* A unit address that is no vty, a length over 16. */
    a[0] = SPAPR_VIO_REG_BASE + 1;
    g_assert_cmpint(spapr_hypercall(f.spapr, 0, H_GET_TERM_CHAR, a), ==,
                    H_PARAMETER);
    a[0] = SPAPR_VIO_REG_BASE;
    a[1] = 17;
    g_assert_cmpint(spapr_hypercall(f.spapr, 0, H_PUT_TERM_CHAR, a), ==,
                    H_PARAMETER);
    /* A hypercall cgemu does not have. */
    g_assert_cmpint(spapr_hypercall(f.spapr, 0, 0x4, a), ==, H_FUNCTION);
    fixture_free(&f);
}

/* At a reset the board puts the images back, unless the guest is PEF. */
static void test_reset_images(void)
{
    g_autoptr(GByteArray) k = make_elf(false, 21, 0, 0x100, 0x100);
    g_autofree char *dir = g_dir_make_tmp("test-spapr-XXXXXX", NULL);
    g_autofree char *kp = g_build_filename(dir, "vmlinux", NULL);
    Config c = { .kernel = kp };
    Fixture f = { 0 };
    g_autoptr(GError) err = NULL;
    MachineStateClass *mc;
    uint8_t *kern, *fdt;

    g_assert_true(g_file_set_contents(kp, (const char *)k->data, k->len,
                                      NULL));
    g_assert_true(fixture_build(&f, &c, &err));
    mc = CG_MACHINE_GET_CLASS(f.ms);
    kern = guest_ram_ptr(f.ms->mem, 0, 0x100);
    fdt = guest_ram_ptr(f.ms->mem, f.spapr->boot.fdt_addr, 64);
    mc->reset(f.ms);                    /* the first reset */
    kern[0] ^= 0xff;
    fdt[0] ^= 0xff;
    mc->reset(f.ms);
    g_assert_cmpuint(kern[0], ==, 1);
    g_assert_cmpint(fdt_check_header(fdt), ==, 0);
    /* A confidential guest: the accelerator restores after SVM_OFF. */
    f.ms->cgs = g_object_new(g_type_from_name("pef-guest"), NULL);
    kern[0] ^= 0xff;
    mc->reset(f.ms);
    g_assert_cmpuint(kern[0], ==, 0xfe);
    spapr_machine_restore_images(f.spapr);
    g_assert_cmpuint(kern[0], ==, 1);
    fixture_free(&f);
    g_unlink(kp);
    g_rmdir(dir);
}

/* --- CPU models ----------------------------------------------------------- */

static void test_cpu_models(void)
{
    PpcCpuConfig cfg;
    g_autoptr(GError) err = NULL;

    g_assert_true(ppc_cpu_config_parse(NULL, &cfg, NULL));
    g_assert_cmpstr(cfg.model->name, ==, "power9");
    g_assert_cmphex(ppc_cpu_config_version(&cfg), ==, 0x004e1200);
    /* An older model on a newer host runs in its compatibility mode. */
    g_assert_true(ppc_cpu_config_fit_host(&cfg, 0x00800200, NULL));
    g_assert_cmphex(cfg.compat_pvr, ==, 0x0f000005);
    g_assert_cmphex(ppc_cpu_config_version(&cfg), ==, 0x0f000005);
    /* The host's own family: the host's exact PVR. */
    g_assert_true(ppc_cpu_config_parse("POWER9", &cfg, NULL));
    g_assert_true(ppc_cpu_config_fit_host(&cfg, 0x004e1203, NULL));
    g_assert_cmphex(ppc_cpu_config_version(&cfg), ==, 0x004e1203);
    g_assert_true(ppc_cpu_config_parse("host", &cfg, NULL));
    g_assert_true(cfg.host);
    g_assert_true(ppc_cpu_config_fit_host(&cfg, 0x00800200, NULL));
    g_assert_cmpstr(cfg.model->name, ==, "power10");
    g_assert_true(ppc_cpu_config_parse("power10", &cfg, NULL));
    g_assert_false(ppc_cpu_config_fit_host(&cfg, 0x004e1202, &err));
    g_assert_cmpstr(err->message, ==,
                    "-cpu power10: this host is a power9 (PVR 0x004e1202), "
                    "which cannot run a newer processor; use -cpu host or "
                    "-cpu power9");
    g_clear_error(&err);
    g_assert_false(ppc_cpu_config_fit_host(&cfg, 0x004b0201, &err));
    g_assert_cmpstr(err->message, ==,
                    "KVM: the host processor (PVR 0x004b0201) is not one "
                    "cgemu knows; it runs POWER9 and POWER10 hosts");
    g_clear_error(&err);
    g_assert_false(ppc_cpu_config_parse("power9,vsx=off", &cfg, &err));
    g_assert_cmpstr(err->message, ==,
                    "-cpu power9,vsx=off: POWER CPU models take no features "
                    "('vsx=off'); give just the model");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/ppc/spapr/fdt", test_fdt);
    g_test_add_func("/ppc/spapr/fdt-max-cpus", test_fdt_max_cpus);
    g_test_add_func("/ppc/spapr/kernel-be", test_kernel_be);
    g_test_add_func("/ppc/spapr/kernel-le", test_kernel_le);
    g_test_add_func("/ppc/spapr/kernel-errors", test_kernel_errors);
    g_test_add_func("/ppc/spapr/rtas-pci", test_rtas_pci);
    g_test_add_func("/ppc/spapr/rtas-misc", test_rtas_misc);
    g_test_add_func("/ppc/spapr/hcall-console", test_hcall_console);
    g_test_add_func("/ppc/spapr/reset-images", test_reset_images);
    g_test_add_func("/ppc/cpu-models", test_cpu_models);
    return g_test_run();
}
