/* test-guest-cgemu.c: the test guests on cgemu's pc machine under KVM. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Boots tests/guest (PVH), its flat BIOS and tests/functional/bzimage.S
 * (Linux boot protocol, 64- and 32-bit entry) on cgemu-system-x86_64 and
 * asserts the exit status, the guest's report and cgemu's messages.  The
 * report keys are documented in docs/devel/test-guest.rst; the layout the
 * expectations follow (e820 map, initrd address) in
 * docs/system/i386/pc.rst.
 *
 * The environment it needs is in cgemu-test.h.  Cases that run a guest
 * need /dev/kvm and are skipped, saying so, when it cannot be opened; the
 * error cases that fail before KVM (or run under qtest) run anyway.
 */
#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <linux/kvm.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cgemu-test.h"

#define INITRD_TEXT "initrd-0123456789abcdef-payload!"
/* -m 128: the initrd ends at the top of RAM, page aligned (pc.rst) */
#define INITRD_GPA_128M "0x7fff000"

typedef struct Fixture {
    const CgemuEnv *env;
    char *dir;
    char *file;                 /* a scratch file some cases create */
} Fixture;

typedef enum {
    SERIAL_STDIO,               /* -nodefaults -serial stdio */
    SERIAL_NOGRAPHIC,           /* -nographic, the default COM1 */
    SERIAL_NONE,                /* the case gives its own */
} SerialMode;

typedef struct Case {
    const char *name;
    gboolean needs_kvm;
    SerialMode serial;
    const char *kernel;         /* "guest", "bz64", "bz32" or NULL */
    const char *append;
    const char *const *args;
    void (*prepare)(Fixture *f, GPtrArray *argv);
    void (*verify)(Fixture *f, GuestRun *run);
} Case;

typedef struct Spec {
    const CgemuEnv *env;
    const Case *c;
} Spec;

/* --- the test guest ------------------------------------------------------ */

/* What every passing run of the test guest reports on cgemu's pc. */
static const GuestReport *expect_guest_pass(const GuestRun *run,
                                            const char *cmdline)
{
    const GuestReport *r = expect_report(run, EXIT_PASS);

    assert_kv(r, "report.begin", "cgemu-test-guest");
    assert_kv(r, "boot.protocol", "pvh");
    assert_kv(r, "boot.start-info", "ok");
    assert_kv(r, "boot.start-info-version", "1");
    assert_kv(r, "boot.rsdp", "0x0");
    assert_kv(r, "cmdline", cmdline);
    assert_kv(r, "cmdline.errors", "0");
    assert_kv(r, "cpu.sev", "0");
    assert_kv(r, "result", "pass");
    g_assert_true(guest_report_passed(r));
    return r;
}

/* -m 128: 639 KiB below the EBDA and 127 MiB from 1 MiB; 5 e820 entries. */
static void expect_layout_128m(const GuestReport *r)
{
    assert_kv(r, "boot.memmap-entries", "5");
    assert_kv(r, "boot.ram-kib", "130687");
}

/* The default CPU model, qemu64, is the same on every host. */
static void expect_qemu64(const GuestReport *r)
{
    assert_kv(r, "cpu.vendor", "AuthenticAMD");
    assert_kv(r, "cpu.max-leaf", "0xd");
    assert_kv(r, "cpu.max-ext-leaf", "0x8000000a");
    assert_kv(r, "cpu.phys-bits", "40");
    assert_kv(r, "cpu.sev-leaf", "absent");
}

static void verify_plain(Fixture *f, GuestRun *run)
{
    const GuestReport *r = expect_guest_pass(run, "");

    expect_layout_128m(r);
    expect_qemu64(r);
    assert_kv(r, "boot.modules", "0");
    assert_kv(r, "smp.requested", "0");
    /* the host bridge, as an i440FX */
    assert_kv(r, "pci.functions", "1");
    assert_kv(r, "pci.0.bdf", "00:00.0");
    assert_kv(r, "pci.0.id", "8086:1237");
    assert_kv(r, "pci.0.class", "060000");
    assert_kv(r, "virtio.devices", "0");
    assert_kv(r, "pit", "present");
    g_assert_cmpstr(run->err, ==, "");
}

static void verify_append(Fixture *f, GuestRun *run)
{
    expect_guest_pass(run, "blk-write=1 refuse=access-platform");
}

static void verify_cmdline_error(Fixture *f, GuestRun *run)
{
    const GuestReport *r = expect_report(run, EXIT_FAIL);

    assert_kv(r, "cmdline", "bogus=1 smp=0");
    assert_kv(r, "cmdline.errors", "2");
    assert_kv(r, "cmdline.error", "bogus=1");
    assert_kv(r, "result", "fail failed=cmdline");
}

static void verify_smp2(Fixture *f, GuestRun *run)
{
    const GuestReport *r = expect_guest_pass(run, "smp=2");

    assert_kv(r, "smp.requested", "2");
    assert_kv(r, "cpus.online", "2");
    assert_kv(r, "check.cpus", "pass");
}

static void verify_smp4(Fixture *f, GuestRun *run)
{
    const GuestReport *r = expect_guest_pass(run, "smp=4");

    assert_kv(r, "cpus.online", "4");
}

/* The APs exist only with -smp: without, none answers the SIPI. */
static void verify_smp_missing(Fixture *f, GuestRun *run)
{
    const GuestReport *r = expect_report(run, EXIT_FAIL);

    assert_kv(r, "cpus.online", "1");
    assert_kv(r, "check.cpus", "fail");
    assert_kv(r, "result", "fail failed=cpus");
}

static void prepare_initrd(Fixture *f, GPtrArray *argv)
{
    g_autoptr(GError) err = NULL;

    f->file = g_build_filename(f->dir, "initrd.img", NULL);
    g_file_set_contents(f->file, INITRD_TEXT, strlen(INITRD_TEXT), &err);
    g_assert_no_error(err);
    g_ptr_array_add(argv, g_strdup("-initrd"));
    g_ptr_array_add(argv, g_strdup(f->file));
}

static char *hex_of(const char *s)
{
    GString *hex = g_string_new(NULL);

    for (const char *p = s; *p; p++) {
        g_string_append_printf(hex, "%02x", (guint8)*p);
    }
    return g_string_free(hex, FALSE);
}

/* PVH: one module, and the bytes are where pc.rst says. */
static void verify_initrd(Fixture *f, GuestRun *run)
{
    const GuestReport *r =
        expect_guest_pass(run, "dump=" INITRD_GPA_128M ",32");
    g_autofree char *hex = hex_of(INITRD_TEXT);

    assert_kv(r, "boot.modules", "1");
    assert_kv(r, "dump.gpa", INITRD_GPA_128M);
    assert_kv(r, "dump.hex", hex);
    assert_kv(r, "check.dump", "pass");
}

/* -m 4G: 3 GiB below the hole, 1 GiB above 4 GiB, readable there. */
static void verify_ram_above_4g(Fixture *f, GuestRun *run)
{
    const GuestReport *r =
        expect_guest_pass(run, "dump=0x13ffffff0,16");

    assert_kv(r, "boot.memmap-entries", "6");
    /* 639 KiB + (3 GiB - 1 MiB) + 1 GiB */
    assert_kv(r, "boot.ram-kib", "4193919");
    assert_kv(r, "dump.hex", "00000000000000000000000000000000");
    assert_kv(r, "check.dump", "pass");
}

/* -cpu host/max: what this host's KVM supports, read here the same way. */
static void verify_cpu_host(Fixture *f, GuestRun *run)
{
    const GuestReport *r = expect_guest_pass(run, "");
    g_autofree struct kvm_cpuid2 *c =
        g_malloc0(sizeof(*c) + 256 * sizeof(struct kvm_cpuid_entry2));
    int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    guint32 leaf0 = 0, ext0 = 0, phys = 0;
    char vendor[13] = { 0 };

    g_assert_cmpint(fd, >=, 0);
    c->nent = 256;
    g_assert_cmpint(ioctl(fd, KVM_GET_SUPPORTED_CPUID, c), ==, 0);
    close(fd);
    for (guint32 i = 0; i < c->nent; i++) {
        const struct kvm_cpuid_entry2 *e = &c->entries[i];

        if (e->function == 0) {
            leaf0 = e->eax;
            memcpy(vendor, &e->ebx, 4);
            memcpy(vendor + 4, &e->edx, 4);
            memcpy(vendor + 8, &e->ecx, 4);
        } else if (e->function == 0x80000000) {
            ext0 = e->eax;
        } else if (e->function == 0x80000008) {
            phys = e->eax & 0xff;
        }
    }
    {
        g_autofree char *l0 = g_strdup_printf("0x%x", leaf0);
        g_autofree char *e0 = g_strdup_printf("0x%x", ext0);
        g_autofree char *pb = g_strdup_printf("%u", phys);

        assert_kv(r, "cpu.vendor", vendor);
        assert_kv(r, "cpu.max-leaf", l0);
        assert_kv(r, "cpu.max-ext-leaf", e0);
        assert_kv(r, "cpu.phys-bits", pb);
    }
}

static void verify_nographic(Fixture *f, GuestRun *run)
{
    const GuestReport *r = expect_guest_pass(run, "");

    expect_qemu64(r);
}

static void prepare_serial_file(Fixture *f, GPtrArray *argv)
{
    f->file = g_build_filename(f->dir, "serial.log", NULL);
    g_ptr_array_add(argv, g_strdup("-nodefaults"));
    g_ptr_array_add(argv, g_strdup("-serial"));
    g_ptr_array_add(argv, g_strdup_printf("file:%s", f->file));
}

/* -serial file:PATH: the report lands in the file, not on stdout. */
static void verify_serial_file(Fixture *f, GuestRun *run)
{
    g_autofree char *text = NULL;
    g_autoptr(GError) err = NULL;
    g_autoptr(GuestReport) r = NULL;

    expect_status(run, EXIT_PASS);
    g_assert_cmpstr(run->out, ==, "");
    g_file_get_contents(f->file, &text, NULL, &err);
    g_assert_no_error(err);
    r = guest_report_parse(text, &err);
    g_assert_no_error(err);
    assert_kv(r, "result", "pass");
}

static void verify_bios(Fixture *f, GuestRun *run)
{
    const GuestReport *r = expect_report(run, EXIT_PASS);

    assert_kv(r, "report.begin", "cgemu-test-bios");
    assert_kv(r, "bios", "hello");
    assert_kv(r, "result", "pass");
    g_assert_cmpuint(guest_report_size(r), ==, 5);
}

/* --- the bzImage --------------------------------------------------------- */

static void expect_bzimage(const GuestReport *r, const char *entry,
                           const char *cmdline, const char *boot)
{
    assert_kv(r, "report.begin", "cgemu-test-bzimage");
    assert_kv(r, "entry", entry);
    assert_kv(r, "cmdline", cmdline);
    assert_kv(r, "e820.entries", "0x00000005");
    assert_kv(r, "boot", boot);
    assert_kv(r, "result", "pass");
}

static void verify_bz_initrd(const GuestRun *run, const char *entry)
{
    const GuestReport *r = expect_report(run, EXIT_PASS);

    expect_bzimage(r, entry, "console=ttyS0 quiet", "0x00000001");
    assert_kv(r, "initrd.size", "0x00000020");
    assert_kv(r, "initrd.head", "initrd-012345678");
}

static void verify_bz64(Fixture *f, GuestRun *run)
{
    verify_bz_initrd(run, "64");
}

static void verify_bz32(Fixture *f, GuestRun *run)
{
    verify_bz_initrd(run, "32");
}

/* The second report, after the reset, is in the output after the first. */
static GuestReport *second_report(const GuestRun *run)
{
    const char *end = strstr(run->out, "report.end=");
    g_autoptr(GError) err = NULL;
    GuestReport *r;

    g_assert_nonnull(end);
    r = guest_report_parse(end + 1, &err);
    g_assert_no_error(err);
    return r;
}

/* The keyboard controller's reset: the machine starts over, once. */
static void verify_kbd_reset(Fixture *f, GuestRun *run)
{
    const GuestReport *r = expect_report(run, EXIT_PASS);
    g_autoptr(GuestReport) again = NULL;

    expect_bzimage(r, "32", "K", "0x00000001");
    assert_kv(r, "initrd.size", "0x00000000");
    again = second_report(run);
    expect_bzimage(again, "32", "K", "0x00000002");
    g_assert_cmpstr(run->err, ==, "");
}

/* Port 0xcf9, the PIIX reset control register, resets as well. */
static void verify_cf9_reset(Fixture *f, GuestRun *run)
{
    const GuestReport *r = expect_report(run, EXIT_PASS);
    g_autoptr(GuestReport) again = NULL;

    expect_bzimage(r, "64", "C", "0x00000001");
    again = second_report(run);
    expect_bzimage(again, "64", "C", "0x00000002");
}

/* -no-reboot: a guest reset ends cgemu, with status 0. */
static void verify_no_reboot(Fixture *f, GuestRun *run)
{
    const GuestReport *r = expect_report(run, 0);

    expect_bzimage(r, "32", "K", "0x00000001");
    g_assert_null(strstr(strstr(run->out, "report.end="), "report.begin="));
}

/*
 * A triple fault is a guest reset.  Some KVM hosts (nested ones among
 * them) intercept the #GP that an IDT fault starts with and cannot
 * emulate it; then KVM reports an internal error, which must stop the VM
 * with that message and status 1, not crash cgemu.
 */
static void verify_triple_fault(Fixture *f, GuestRun *run)
{
    const GuestReport *r = expect_report(run, EXIT_PASS);

    expect_bzimage(r, "64", "T", "0x00000001");
    if (strstr(run->err, "internal error") != NULL) {
        g_test_message("this host's KVM fails the triple fault itself");
        g_assert_true(g_str_has_prefix(
            run->err, "cgemu-system-x86_64: KVM: vCPU 0: internal error "
                      "(suberror 1: an instruction KVM cannot emulate"));
        g_assert_null(strstr(strstr(run->out, "report.end="),
                             "report.begin="));
    } else {
        g_autoptr(GuestReport) again = second_report(run);

        expect_bzimage(again, "64", "T", "0x00000002");
        g_assert_cmpstr(run->err, ==, "");
    }
}

/* --- errors -------------------------------------------------------------- */

static void verify_missing_kernel(Fixture *f, GuestRun *run)
{
    expect_error(run, "-kernel /nonexistent/kernel.elf: Failed to open file "
                      "\u201c/nonexistent/kernel.elf\u201d: No such file or "
                      "directory");
}

static void prepare_text_kernel(Fixture *f, GPtrArray *argv)
{
    g_autoptr(GError) err = NULL;

    f->file = g_build_filename(f->dir, "kernel.txt", NULL);
    g_file_set_contents(f->file, "not a kernel\n", -1, &err);
    g_assert_no_error(err);
    g_ptr_array_add(argv, g_strdup("-kernel"));
    g_ptr_array_add(argv, g_strdup(f->file));
}

static void verify_text_kernel(Fixture *f, GuestRun *run)
{
    g_autofree char *msg = g_strdup_printf(
        "-kernel %s: neither an ELF kernel with a PVH entry note nor a "
        "Linux bzImage", f->file);

    expect_error(run, msg);
}

/* This test's own executable: an x86-64 ELF without a PVH note. */
static void prepare_elf_no_pvh(Fixture *f, GPtrArray *argv)
{
    g_ptr_array_add(argv, g_strdup("-kernel"));
    g_ptr_array_add(argv, g_strdup(f->env->self));
}

static void verify_elf_no_pvh(Fixture *f, GuestRun *run)
{
    g_autofree char *msg = g_strdup_printf(
        "-kernel %s: the ELF has no PVH entry note "
        "(XEN_ELFNOTE_PHYS32_ENTRY); cgemu boots ELF kernels through PVH "
        "only", f->env->self);

    expect_error(run, msg);
}

static void verify_nothing_to_run(Fixture *f, GuestRun *run)
{
    expect_error(run, "machine pc has nothing to run: give -kernel FILE (a "
                      "PVH ELF kernel or a Linux bzImage) or -bios FILE");
}

static void verify_initrd_alone(Fixture *f, GuestRun *run)
{
    expect_error(run, "-initrd /tmp/initrd.img: only valid with -kernel (it "
                      "goes to the kernel cgemu loads)");
}

static void prepare_kernel_and_bios(Fixture *f, GPtrArray *argv)
{
    g_ptr_array_add(argv, g_strdup("-bios"));
    g_ptr_array_add(argv, g_strdup(f->env->bios));
}

static void verify_kernel_and_bios(Fixture *f, GuestRun *run)
{
    g_autofree char *msg = g_strdup_printf(
        "-kernel %s: cannot be combined with -bios %s: cgemu boots a kernel "
        "directly, without firmware; drop -bios", f->env->guest,
        f->env->bios);

    expect_error(run, msg);
}

static void prepare_bad_bios(Fixture *f, GPtrArray *argv)
{
    g_autoptr(GError) err = NULL;
    char data[100] = { 0 };

    f->file = g_build_filename(f->dir, "bios.bin", NULL);
    g_file_set_contents(f->file, data, sizeof(data), &err);
    g_assert_no_error(err);
    g_ptr_array_add(argv, g_strdup("-bios"));
    g_ptr_array_add(argv, g_strdup(f->file));
}

static void verify_bad_bios(Fixture *f, GuestRun *run)
{
    g_autofree char *msg = g_strdup_printf(
        "-bios %s: the image has 100 bytes; it must be a non-zero multiple "
        "of 4 KiB, at most 16 MiB", f->file);

    expect_error(run, msg);
}

static void verify_kvm_missing(Fixture *f, GuestRun *run)
{
    expect_error(run, "-accel kvm,device=/nonexistent/kvm: KVM: "
                      "/nonexistent/kvm does not exist: load the KVM module "
                      "(modprobe kvm_intel or kvm_amd) and enable "
                      "virtualization in the firmware settings");
}

static void verify_kvm_not_kvm(Fixture *f, GuestRun *run)
{
    expect_error(run, "-accel kvm,device=/dev/null: KVM: /dev/null is not a "
                      "KVM device (KVM_GET_API_VERSION: Inappropriate ioctl "
                      "for device)");
}

static void verify_kvm_denied(Fixture *f, GuestRun *run)
{
    expect_error(run, "-accel kvm: KVM: no permission to open /dev/kvm: add "
                      "your user to the group that owns it (usually 'kvm'), "
                      "then log in again");
}

static void verify_bad_cpu(Fixture *f, GuestRun *run)
{
    expect_error(run, "-cpu pentium9: unknown CPU model 'pentium9'; this "
                      "binary has: qemu64, host, max (see -cpu help)");
}

static void verify_bad_feature(Fixture *f, GuestRun *run)
{
    expect_error(run, "-cpu qemu64,+x2apix: unknown CPU feature 'x2apix'; "
                      "did you mean 'x2apic'? (see -cpu help)");
}

static void verify_ram_too_small(Fixture *f, GuestRun *run)
{
    g_autofree char *head = g_strdup_printf(
        "cgemu-system-x86_64: -kernel %s: ELF segment 0x100000+0x",
        f->env->guest);

    expect_status(run, 1);
    g_assert_true(g_str_has_prefix(run->err, head));
    g_assert_true(g_str_has_suffix(run->err, " does not fit in guest RAM; "
                                             "give the guest more memory "
                                             "with -m\n"));
}

static void verify_cpu_help(Fixture *f, GuestRun *run)
{
    expect_status(run, 0);
    g_assert_true(g_str_has_prefix(run->out, "Available CPU models:\n"
                                             "  qemu64     "));
    g_assert_nonnull(strstr(run->out, "\n  host       "));
    g_assert_nonnull(strstr(run->out, "\n  max        "));
    g_assert_nonnull(strstr(run->out, " x2apic "));
}

/* --- the cross-check with QEMU ------------------------------------------- */

/*
 * Keys where the machines differ by design: QEMU's firmware passes an
 * ACPI table and its own e820 map, and pc has the i440FX's functions;
 * everything else the guest sees must be the same.
 */
static const char *const crosscheck_skip[] = {
    "boot.rsdp", "boot.memmap-entries", "pci.*", "report.end", NULL,
};

static void verify_crosscheck(Fixture *f, GuestRun *run)
{
    const GuestReport *mine = expect_guest_pass(run, "smp=2");

    crosscheck_qemu(f->env, mine,
                    ARGS("-smp", "2", "-kernel", f->env->guest, "-append",
                         "smp=2"),
                    crosscheck_skip);
}

/* The RAM from a memory-backend (as libvirt gives it): the same guest. */
static void verify_memory_backend(Fixture *f, GuestRun *run)
{
    const GuestReport *r = expect_guest_pass(run, "dump=0x7fffff0,16");

    expect_layout_128m(r);
    assert_kv(r, "dump.hex", "00000000000000000000000000000000");
}

/* -machine pit=off: no 8254 (port 0x42 reads 0xff), as on QEMU. */
static void verify_pit_off(Fixture *f, GuestRun *run)
{
    const GuestReport *r = expect_guest_pass(run, "expect-pit=0");

    assert_kv(r, "pit", "absent");
    assert_kv(r, "check.pit", "pass");
    crosscheck_qemu(f->env, r,
                    ARGS("-machine", "pit=off", "-kernel", f->env->guest,
                         "-append", "expect-pit=0"),
                    crosscheck_skip);
}

/* --- the cases ----------------------------------------------------------- */

#define QTEST "-accel", "qtest"

static const Case cases[] = {
    { "plain", TRUE, SERIAL_STDIO, "guest", NULL, NULL, NULL,
      verify_plain },
    { "nographic", TRUE, SERIAL_NOGRAPHIC, "guest", NULL, NULL, NULL,
      verify_nographic },
    { "serial-file", TRUE, SERIAL_NONE, "guest", NULL, NULL,
      prepare_serial_file, verify_serial_file },
    { "append", TRUE, SERIAL_STDIO, "guest",
      "blk-write=1 refuse=access-platform", NULL, NULL, verify_append },
    { "cmdline-error", TRUE, SERIAL_STDIO, "guest", "bogus=1 smp=0", NULL,
      NULL, verify_cmdline_error },
    { "smp2", TRUE, SERIAL_STDIO, "guest", "smp=2", ARGS("-smp", "2"), NULL,
      verify_smp2 },
    { "smp4", TRUE, SERIAL_STDIO, "guest", "smp=4", ARGS("-smp", "4"), NULL,
      verify_smp4 },
    { "smp-missing", TRUE, SERIAL_STDIO, "guest", "smp=2", NULL, NULL,
      verify_smp_missing },
    { "initrd", TRUE, SERIAL_STDIO, "guest", "dump=" INITRD_GPA_128M ",32",
      NULL, prepare_initrd, verify_initrd },
    { "ram-above-4g", TRUE, SERIAL_STDIO, "guest", "dump=0x13ffffff0,16",
      ARGS("-m", "4G"), NULL, verify_ram_above_4g },
    { "cpu-host", TRUE, SERIAL_STDIO, "guest", NULL, ARGS("-cpu", "host"),
      NULL, verify_cpu_host },
    { "cpu-max", TRUE, SERIAL_STDIO, "guest", NULL, ARGS("-cpu", "max"),
      NULL, verify_cpu_host },
    { "bios", TRUE, SERIAL_STDIO, NULL, NULL, NULL, prepare_kernel_and_bios,
      verify_bios },
    { "bzimage-64", TRUE, SERIAL_STDIO, "bz64", "console=ttyS0 quiet", NULL,
      prepare_initrd, verify_bz64 },
    { "bzimage-32", TRUE, SERIAL_STDIO, "bz32", "console=ttyS0 quiet", NULL,
      prepare_initrd, verify_bz32 },
    { "kbd-reset", TRUE, SERIAL_STDIO, "bz32", "K", NULL, NULL,
      verify_kbd_reset },
    { "cf9-reset", TRUE, SERIAL_STDIO, "bz64", "C", NULL, NULL,
      verify_cf9_reset },
    { "no-reboot", TRUE, SERIAL_STDIO, "bz32", "K", ARGS("-no-reboot"),
      NULL, verify_no_reboot },
    { "triple-fault", TRUE, SERIAL_STDIO, "bz64", "T", NULL, NULL,
      verify_triple_fault },
    { "crosscheck-qemu", TRUE, SERIAL_STDIO, "guest", "smp=2",
      ARGS("-smp", "2"), NULL, verify_crosscheck },
    { "memory-backend", TRUE, SERIAL_STDIO, "guest", "dump=0x7fffff0,16",
      ARGS("-object", "memory-backend-memfd,id=pc.ram,size=128M",
           "-machine", "pc,memory-backend=pc.ram"),
      NULL, verify_memory_backend },
    { "pit-off", TRUE, SERIAL_STDIO, "guest", "expect-pit=0",
      ARGS("-machine", "pc,pit=off"), NULL, verify_pit_off },
    { "pit-off-reset", TRUE, SERIAL_STDIO, "bz32", "K",
      ARGS("-machine", "pc,pit=off"), NULL, verify_kbd_reset },
    /*
     * Errors found while the board is built do not depend on the
     * accelerator: the qtest one lets them run without /dev/kvm.
     */
    { "error/missing-kernel", FALSE, SERIAL_STDIO, NULL, NULL,
      ARGS(QTEST, "-kernel", "/nonexistent/kernel.elf"), NULL,
      verify_missing_kernel },
    { "error/text-kernel", FALSE, SERIAL_STDIO, NULL, NULL, ARGS(QTEST),
      prepare_text_kernel, verify_text_kernel },
    { "error/elf-without-pvh", FALSE, SERIAL_STDIO, NULL, NULL, ARGS(QTEST),
      prepare_elf_no_pvh, verify_elf_no_pvh },
    { "error/nothing-to-run", TRUE, SERIAL_STDIO, NULL, NULL, NULL, NULL,
      verify_nothing_to_run },
    { "error/initrd-without-kernel", FALSE, SERIAL_STDIO, NULL, NULL,
      ARGS(QTEST, "-initrd", "/tmp/initrd.img"), NULL, verify_initrd_alone },
    { "error/kernel-and-bios", FALSE, SERIAL_STDIO, "guest", NULL,
      ARGS(QTEST), prepare_kernel_and_bios, verify_kernel_and_bios },
    { "error/bios-size", FALSE, SERIAL_STDIO, NULL, NULL, ARGS(QTEST),
      prepare_bad_bios, verify_bad_bios },
    { "error/ram-too-small", FALSE, SERIAL_STDIO, "guest", NULL,
      ARGS(QTEST, "-m", "1"), NULL, verify_ram_too_small },
    { "error/kvm-missing", FALSE, SERIAL_STDIO, "guest", NULL,
      ARGS("-accel", "kvm,device=/nonexistent/kvm"), NULL,
      verify_kvm_missing },
    { "error/kvm-not-a-kvm-device", FALSE, SERIAL_STDIO, "guest", NULL,
      ARGS("-accel", "kvm,device=/dev/null"), NULL, verify_kvm_not_kvm },
    { "error/cpu-model", FALSE, SERIAL_STDIO, "guest", NULL,
      ARGS(QTEST, "-cpu", "pentium9"), NULL, verify_bad_cpu },
    { "error/cpu-feature", FALSE, SERIAL_STDIO, "guest", NULL,
      ARGS(QTEST, "-cpu", "qemu64,+x2apix"), NULL, verify_bad_feature },
    { "cpu-help", FALSE, SERIAL_NONE, NULL, NULL, ARGS("-cpu", "help"),
      NULL, verify_cpu_help },
};

/* The same binary as an unprivileged user: /dev/kvm is root's here. */
static const Case denied_case = {
    "error/kvm-permission-denied", FALSE, SERIAL_STDIO, "guest", NULL, NULL,
    NULL, verify_kvm_denied,
};

/* --- running ------------------------------------------------------------- */

static void fixture_setup(Fixture *f, gconstpointer data)
{
    const Spec *spec = data;
    g_autoptr(GError) err = NULL;

    f->env = spec->env;
    f->dir = g_dir_make_tmp("cgemu-kvm-XXXXXX", &err);
    g_assert_no_error(err);
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
    if (f->file != NULL) {
        g_unlink(f->file);
    }
    g_rmdir(f->dir);
    g_free(f->file);
    g_free(f->dir);
}

static const char *kernel_path(const CgemuEnv *env, const char *which)
{
    if (g_str_equal(which, "bz64")) {
        return env->bz64;
    }
    if (g_str_equal(which, "bz32")) {
        return env->bz32;
    }
    return env->guest;
}

static void run_case(Fixture *f, gconstpointer data)
{
    const Spec *spec = data;
    const Case *c = spec->c;
    g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GuestRun) run = NULL;

    if (c->needs_kvm && !f->env->kvm) {
        g_test_skip(f->env->no_kvm_reason);
        return;
    }
    if (c == &denied_case) {
        add_args(argv, ARGS("setpriv", "--reuid=65534", "--regid=65534",
                            "--clear-groups", "--"));
    }
    g_ptr_array_add(argv, g_strdup(f->env->cgemu));
    if (c->serial != SERIAL_NONE || c->kernel || c->append) {
        add_args(argv, ARGS("-machine", "pc", "-m", "128", "-device",
                            "isa-debug-exit,iobase=0xf4,iosize=0x04"));
    }
    if (c->serial == SERIAL_STDIO) {
        add_args(argv, ARGS("-nodefaults", "-serial", "stdio"));
    } else if (c->serial == SERIAL_NOGRAPHIC) {
        add_args(argv, ARGS("-nographic"));
    }
    if (c->kernel) {
        add_args(argv, ARGS("-kernel", kernel_path(f->env, c->kernel)));
    }
    if (c->append) {
        add_args(argv, ARGS("-append", c->append));
    }
    add_args(argv, c->args);
    if (c->prepare) {
        c->prepare(f, argv);
    }
    run = run_argv(argv);
    c->verify(f, run);
}

static void run_denied(Fixture *f, gconstpointer data)
{
    g_autofree char *setpriv = g_find_program_in_path("setpriv");
    struct stat st;

    if (getuid() != 0 || setpriv == NULL) {
        g_test_skip("needs root and setpriv to run cgemu as a user without "
                    "access to /dev/kvm");
        return;
    }
    if (stat("/dev/kvm", &st) != 0 || (st.st_mode & 0007) != 0) {
        g_test_skip("/dev/kvm is missing or open to every user: no one is "
                    "denied");
        return;
    }
    run_case(f, data);
}

int main(int argc, char **argv)
{
    CgemuEnv env;
    g_autofree Spec *specs = g_new0(Spec, G_N_ELEMENTS(cases));
    Spec denied = { &env, &denied_case };
    int ret;

    g_test_init(&argc, &argv, NULL);
    if (!cgemu_env_init(&env, argv[0])) {
        return 1;
    }
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *path =
            g_strdup_printf("/guest-cgemu/%s", cases[i].name);

        specs[i] = (Spec){ &env, &cases[i] };
        g_test_add(path, Fixture, &specs[i], fixture_setup, run_case,
                   fixture_teardown);
    }
    g_test_add("/guest-cgemu/error/kvm-permission-denied", Fixture, &denied,
               fixture_setup, run_denied, fixture_teardown);
    ret = g_test_run();
    cgemu_env_clear(&env);
    return ret;
}
