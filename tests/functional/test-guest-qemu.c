/* test-guest-qemu.c: the test guest under QEMU, the reference for cgemu. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Runs the test guest (tests/guest/) under qemu-system-x86_64 in the
 * configurations cgemu has to get right, with TCG and, where /dev/kvm can
 * be opened, with KVM, and asserts the exit status and the report.  It
 * checks the guest against the emulator it was written for, and records
 * what QEMU 7.2 does in each case; cgemu's own functional tests reuse the
 * same guest, report parser and expectations.
 *
 * Environment (meson sets the first two):
 *   CGEMU_TEST_GUEST    path of test-guest.elf (required)
 *   CGEMU_TEST_BIOS     path of test-bios.bin (required)
 *   QEMU_SYSTEM_X86_64  emulator to use instead of qemu-system-x86_64
 *                       from PATH; without either, every case is skipped
 *
 * Firmware: a PVH boot on `pc` goes through SeaBIOS, which costs about 3.5 s
 * where nested KVM emulates every instruction (these build machines).  KVM
 * runs therefore use qboot where it is installed (it leaves virtio BARs
 * unassigned, so the guest assigns them itself, as it must under cgemu's
 * direct boot); a few cases pin SeaBIOS for firmware-assigned BARs.
 */
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "guest-report.h"

#define RUN_TIMEOUT_S 120
#define DISK_SIZE (1024 * 1024)
#define SECTOR 512
#define SECRET_GPA "0x3000000"
#define QEMU_EXIT_PASS 1        /* the guest wrote 0 to isa-debug-exit */
#define QEMU_EXIT_FAIL 3        /* the guest wrote 1 */

typedef enum Firmware {
    FW_FAST,        /* qboot under KVM when installed, else SeaBIOS */
    FW_DEFAULT,     /* the machine's own: SeaBIOS on pc */
    FW_QBOOT,       /* qboot, or skip */
    FW_TEST_BIOS,   /* tests/guest/bios.S as -bios, no -kernel */
} Firmware;

typedef struct Env {
    char *qemu;
    char *qboot;
    const char *guest;
    const char *bios;
} Env;

typedef struct Case Case;

typedef struct Fixture {
    const Env *env;
    const char *accel;
    const Case *c;
    char *dir;
    char *disk;
    char *secret;
    guint8 disk_before[DISK_SIZE];
} Fixture;

struct Case {
    const char *name;
    const char *machine;                    /* NULL: pc */
    Firmware fw;
    const char *append;                     /* guest command line */
    const char *const *args;                /* extra emulator arguments */
    void (*prepare)(Fixture *f, GPtrArray *argv);
    void (*verify)(Fixture *f, GuestRun *run);
};

typedef struct TestSpec {
    const Env *env;
    const char *accel;
    const Case *c;
} TestSpec;

/* --- assertions on a report -------------------------------------------- */

static void assert_kv_at(const char *file, int line, const char *func,
                         const GuestReport *r, const char *key,
                         const char *want)
{
    const char *got = guest_report_get(r, key);

    if (g_strcmp0(got, want) != 0) {
        g_autofree char *msg =
            g_strdup_printf("report: %s=%s, expected %s", key,
                            got ? got : "(absent)", want ? want : "(absent)");
        g_assertion_message(G_LOG_DOMAIN, file, line, func, msg);
    }
}

#define assert_kv(r, key, want) \
    assert_kv_at(__FILE__, __LINE__, G_STRFUNC, (r), (key), (want))
#define assert_no_key(r, key) \
    assert_kv_at(__FILE__, __LINE__, G_STRFUNC, (r), (key), NULL)

static guint64 report_u64(const GuestReport *r, const char *key)
{
    g_autoptr(GError) err = NULL;
    guint64 v = 0;

    guest_report_get_u64(r, key, &v, &err);
    g_assert_no_error(err);
    return v;
}

/* Exit status and a complete report, with the output shown on mismatch. */
static GuestReport *expect_exit(GuestRun *run, int status)
{
    if (run->timed_out || !run->exited || run->exit_status != status ||
        !run->report) {
        g_test_message("emulator stdout:\n%s", run->out);
        g_test_message("emulator stderr:\n%s", run->err);
    }
    g_assert_false(run->timed_out);
    g_assert_true(run->exited);
    g_assert_cmpint(run->exit_status, ==, status);
    g_assert_no_error(run->report_error);
    g_assert_nonnull(run->report);
    return run->report;
}

/* What every completed guest report must say. */
static void verify_common(const Case *c, const GuestReport *r, gboolean pass)
{
    const char *vendor = guest_report_get(r, "cpu.vendor");

    assert_kv(r, "report.begin", "cgemu-test-guest");
    assert_kv(r, "report.version", "1");
    assert_kv(r, "boot.protocol", "pvh");
    assert_kv(r, "boot.start-info", "ok");
    assert_kv(r, "check.boot.start-info", "pass");
    assert_kv(r, "cmdline", c->append ? c->append : "");
    g_assert_nonnull(vendor);
    g_assert_cmpuint(strlen(vendor), ==, 12);
    /* QEMU without sev-guest: no memory encryption to report */
    assert_kv(r, "cpu.sev", "0");
    assert_kv(r, "cpu.sev-es", "0");
    if (g_strcmp0(guest_report_get(r, "cpu.sev-leaf"), "absent") == 0) {
        g_assert_cmpuint(report_u64(r, "cpu.max-ext-leaf"), <, 0x8000001f);
        assert_kv(r, "cpu.cbitpos", "0");
    } else {
        assert_kv(r, "cpu.sev-leaf", "present");
    }
    if (pass) {
        assert_kv(r, "result", "pass");
    } else {
        g_assert_true(g_str_has_prefix(guest_report_get(r, "result"),
                                       "fail failed="));
    }
    g_assert_cmpint(guest_report_passed(r), ==, pass);
}

/* The i440FX functions present with -nodefaults, before any -device. */
static void verify_pc_base(const GuestReport *r)
{
    assert_kv(r, "pci.0.bdf", "00:00.0");
    assert_kv(r, "pci.0.id", "8086:1237");
    assert_kv(r, "pci.0.class", "060000");
    assert_kv(r, "pci.1.bdf", "00:01.0");
    assert_kv(r, "pci.1.id", "8086:7000");
    assert_kv(r, "pci.1.class", "060100");
}

static GuestReport *expect_pass(const Case *c, GuestRun *run)
{
    GuestReport *r = expect_exit(run, QEMU_EXIT_PASS);

    verify_common(c, r, TRUE);
    assert_kv(r, "cmdline.errors", "0");
    return r;
}

static void expect_failed(const GuestReport *r, const char *list)
{
    g_autofree char *want = g_strdup_printf("fail failed=%s", list);

    assert_kv(r, "result", want);
    g_assert_false(guest_report_passed(r));
}

/* --- cases --------------------------------------------------------------- */

static void verify_no_virtio(Fixture *f, GuestRun *run)
{
    const GuestReport *r = expect_pass(f->c, run);

    verify_pc_base(r);
    /* host bridge, ISA bridge, IDE, power management */
    assert_kv(r, "pci.functions", "4");
    assert_kv(r, "pci.2.id", "8086:7010");
    assert_kv(r, "pci.3.id", "8086:7113");
    assert_kv(r, "virtio.devices", "0");
    assert_kv(r, "smp.requested", "0");
    assert_no_key(r, "cpus.online");
    assert_no_key(r, "virtio.0.bdf");
}

/* virtio-rng at 00:03.0 that was driven to the end. */
static void verify_rng_read(const GuestReport *r)
{
    const char *hex = guest_report_get(r, "virtio.0.rng.hex");

    assert_kv(r, "virtio.0.bdf", "00:03.0");
    assert_kv(r, "virtio.0.type", "4");
    assert_kv(r, "virtio.0.type-name", "rng");
    /* QEMU's rng queue has 8 entries, below the guest's cap of 16 */
    assert_kv(r, "virtio.0.queue0.size", "8");
    assert_kv(r, "virtio.0.rng.bytes", "16");
    g_assert_nonnull(hex);
    g_assert_cmpuint(strlen(hex), ==, 32);
    g_assert_cmpstr(hex, !=, "00000000000000000000000000000000");
    assert_kv(r, "check.virtio.0.rng", "pass");
    assert_no_key(r, "virtio.0.rng.error");
}

static void verify_modern_rng(const GuestReport *r, const char *device_id,
                              const char *kind)
{
    guint64 offered = report_u64(r, "virtio.0.features.offered");

    assert_kv(r, "virtio.devices", "1");
    assert_kv(r, "virtio.0.device-id", device_id);
    assert_kv(r, "virtio.0.kind", kind);
    assert_kv(r, "virtio.0.transport", "modern");
    g_assert_true(offered & (1ull << 32));
    g_assert_false(offered & (1ull << 33));
    assert_kv(r, "virtio.0.features.accepted", "0x0000000100000000");
    assert_kv(r, "virtio.0.version-1.offered", "1");
    assert_kv(r, "virtio.0.version-1.accepted", "1");
    assert_kv(r, "virtio.0.access-platform.offered", "0");
    assert_kv(r, "virtio.0.features-ok", "1");
    assert_kv(r, "check.virtio.0.features-ok", "pass");
    assert_kv(r, "virtio.0.status", "0x0f");
    verify_rng_read(r);
}

static void verify_rng_transitional(Fixture *f, GuestRun *run)
{
    const GuestReport *r = expect_pass(f->c, run);

    verify_pc_base(r);
    assert_kv(r, "pci.functions", "5");
    assert_kv(r, "pci.4.id", "1af4:1005");
    assert_kv(r, "pci.4.class", "00ff00");
    verify_modern_rng(r, "0x1005", "transitional");
}

static void verify_rng_modern(Fixture *f, GuestRun *run)
{
    const GuestReport *r = expect_pass(f->c, run);

    assert_kv(r, "pci.4.id", "1af4:1044");
    verify_modern_rng(r, "0x1044", "modern");
}

static void verify_rng_legacy(Fixture *f, GuestRun *run)
{
    const GuestReport *r = expect_pass(f->c, run);

    assert_kv(r, "virtio.0.device-id", "0x1005");
    assert_kv(r, "virtio.0.kind", "transitional");
    assert_kv(r, "virtio.0.transport", "legacy");
    /* the legacy header has 32 feature bits: VERSION_1 cannot show */
    g_assert_cmpuint(report_u64(r, "virtio.0.features.offered"), <,
                     1ull << 32);
    assert_kv(r, "virtio.0.features.accepted", "0x0000000000000000");
    assert_kv(r, "virtio.0.version-1.offered", "0");
    assert_kv(r, "virtio.0.features-ok", "n/a");
    assert_kv(r, "check.virtio.0.legacy", "pass");
    assert_no_key(r, "check.virtio.0.features-ok");
    assert_kv(r, "virtio.0.status", "0x07");
    verify_rng_read(r);
}

static void verify_rng_access_platform(Fixture *f, GuestRun *run)
{
    const GuestReport *r = expect_pass(f->c, run);

    assert_kv(r, "virtio.0.device-id", "0x1044");
    assert_kv(r, "virtio.0.transport", "modern");
    assert_kv(r, "virtio.0.access-platform.offered", "1");
    assert_kv(r, "virtio.0.access-platform.accepted", "1");
    assert_kv(r, "virtio.0.features.accepted", "0x0000000300000000");
    assert_kv(r, "check.virtio.0.access-platform", "pass");
    assert_kv(r, "virtio.0.features-ok", "1");
    assert_kv(r, "virtio.0.status", "0x0f");
    verify_rng_read(r);
}

/*
 * QEMU 7.2 clears FEATURES_OK when a device offers ACCESS_PLATFORM and the
 * driver does not accept it; the guest then sets FAILED and stops.
 */
static void verify_rng_refused(Fixture *f, GuestRun *run)
{
    const GuestReport *r = expect_pass(f->c, run);

    assert_kv(r, "virtio.0.access-platform.offered", "1");
    assert_kv(r, "virtio.0.access-platform.accepted", "0");
    assert_kv(r, "virtio.0.features.accepted", "0x0000000100000000");
    assert_kv(r, "virtio.0.features-ok", "0");
    assert_kv(r, "virtio.0.refusal", "expected");
    assert_kv(r, "check.virtio.0.features-ok", "pass");
    assert_kv(r, "virtio.0.status", "0x83");
    assert_no_key(r, "virtio.0.rng.bytes");
}

static void verify_expect_mismatch(Fixture *f, GuestRun *run)
{
    const GuestReport *r = expect_exit(run, QEMU_EXIT_FAIL);
    g_auto(GStrv) failed = guest_report_failed(r);

    verify_common(f->c, r, FALSE);
    expect_failed(r, "virtio.0.access-platform,virtio.0.legacy");
    g_assert_cmpuint(g_strv_length(failed), ==, 2);
    assert_kv(r, "check.virtio.0.access-platform", "fail");
    assert_kv(r, "check.virtio.0.legacy", "fail");
    /* the device itself worked */
    verify_rng_read(r);
}

/* QEMU refuses the configuration before the guest runs. */
static void verify_iommu_transitional(Fixture *f, GuestRun *run)
{
    g_assert_true(run->exited);
    g_assert_cmpint(run->exit_status, ==, 1);
    g_assert_null(run->report);
    g_assert_error(run->report_error, GUEST_REPORT_ERROR,
                   GUEST_REPORT_ERROR_NO_BEGIN);
    g_assert_nonnull(strstr(run->err, "VIRTIO_F_IOMMU_PLATFORM was supported "
                            "by neither legacy nor transitional device"));
}

/* Bitwise CRC-32 (IEEE), independent of the guest's table version. */
static guint32 crc32_ieee(const guint8 *p, gsize n)
{
    guint32 c = 0xffffffffu;

    for (gsize i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++) {
            c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
        }
    }
    return ~c;
}

static void prepare_disk(Fixture *f, GPtrArray *argv, gboolean ro,
                         const char *device)
{
    static const char line[] = "cgemu test disk, sector 0\n";
    g_autoptr(GError) err = NULL;

    memset(f->disk_before, 0, sizeof(f->disk_before));
    for (gsize i = 0; i + sizeof(line) - 1 <= SECTOR; i += sizeof(line) - 1) {
        memcpy(f->disk_before + i, line, sizeof(line) - 1);
    }
    /* a recognisable tail, so that a write to the wrong sector shows */
    for (gsize i = 2 * SECTOR; i < DISK_SIZE; i++) {
        f->disk_before[i] = (guint8)(i / SECTOR);
    }
    f->disk = g_build_filename(f->dir, "disk.img", NULL);
    g_file_set_contents(f->disk, (const char *)f->disk_before, DISK_SIZE,
                        &err);
    g_assert_no_error(err);
    g_ptr_array_add(argv, g_strdup("-drive"));
    g_ptr_array_add(argv, g_strdup_printf("file=%s,format=raw,if=none,"
                                          "id=d0%s", f->disk,
                                          ro ? ",readonly=on" : ""));
    g_ptr_array_add(argv, g_strdup("-device"));
    g_ptr_array_add(argv, g_strdup(device));
}

static void prepare_blk_ro(Fixture *f, GPtrArray *argv)
{
    prepare_disk(f, argv, TRUE,
                 "virtio-blk-pci,drive=d0,addr=3,serial=cgemu-ro");
}

static void prepare_blk_rw(Fixture *f, GPtrArray *argv)
{
    prepare_disk(f, argv, FALSE,
                 "virtio-blk-pci,drive=d0,addr=3,serial=cgemu-rw");
}

static void prepare_blk_legacy(Fixture *f, GPtrArray *argv)
{
    prepare_disk(f, argv, FALSE, "virtio-blk-pci,drive=d0,addr=3,"
                 "disable-modern=on,serial=cgemu-legacy");
}

static void verify_blk_read(const Fixture *f, const GuestReport *r,
                            const char *id)
{
    g_autofree char *crc = g_strdup_printf("0x%08x",
                                           crc32_ieee(f->disk_before, SECTOR));
    g_autofree char *head = NULL;
    GString *hex = g_string_new(NULL);

    for (int i = 0; i < 16; i++) {
        g_string_append_printf(hex, "%02x", f->disk_before[i]);
    }
    head = g_string_free(hex, FALSE);
    assert_kv(r, "virtio.0.type-name", "blk");
    assert_kv(r, "virtio.0.blk.capacity", "2048");
    assert_kv(r, "virtio.0.blk.sector0.crc32", crc);
    assert_kv(r, "virtio.0.blk.sector0.head", head);
    assert_kv(r, "check.virtio.0.blk.read", "pass");
    assert_kv(r, "virtio.0.blk.id", id);
    assert_kv(r, "check.virtio.0.blk.id", "pass");
}

static void read_disk(const Fixture *f, guint8 **data)
{
    g_autoptr(GError) err = NULL;
    gsize len = 0;

    g_file_get_contents(f->disk, (char **)data, &len, &err);
    g_assert_no_error(err);
    g_assert_cmpuint(len, ==, DISK_SIZE);
}

static void verify_blk_ro(Fixture *f, GuestRun *run)
{
    const GuestReport *r = expect_pass(f->c, run);
    g_autofree guint8 *after = NULL;

    verify_blk_read(f, r, "cgemu-ro");
    assert_kv(r, "virtio.0.transport", "modern");
    assert_kv(r, "virtio.0.blk.read-only", "1");
    assert_kv(r, "virtio.0.blk.write", "skipped-read-only");
    assert_no_key(r, "check.virtio.0.blk.write");
    read_disk(f, &after);
    g_assert_true(memcmp(after, f->disk_before, DISK_SIZE) == 0);
}

/* The guest writes sector 1 with "cgemu-test-guest" repeated. */
static void verify_disk_written(Fixture *f)
{
    g_autofree guint8 *after = NULL;

    read_disk(f, &after);
    for (int i = 0; i < SECTOR; i++) {
        g_assert_cmpint(after[SECTOR + i], ==, "cgemu-test-guest"[i % 16]);
    }
    g_assert_true(memcmp(after, f->disk_before, SECTOR) == 0);
    g_assert_true(memcmp(after + 2 * SECTOR, f->disk_before + 2 * SECTOR,
                         DISK_SIZE - 2 * SECTOR) == 0);
}

static void verify_blk_rw(Fixture *f, GuestRun *run)
{
    const GuestReport *r = expect_pass(f->c, run);

    verify_blk_read(f, r, "cgemu-rw");
    assert_kv(r, "virtio.0.transport", "modern");
    assert_kv(r, "virtio.0.blk.read-only", "0");
    /* 256 entries offered; modern queues are shrunk to 16 */
    assert_kv(r, "virtio.0.queue0.size", "16");
    assert_kv(r, "virtio.0.blk.write", "ok");
    assert_kv(r, "check.virtio.0.blk.write", "pass");
    verify_disk_written(f);
}

static void verify_blk_legacy(Fixture *f, GuestRun *run)
{
    const GuestReport *r = expect_pass(f->c, run);

    verify_blk_read(f, r, "cgemu-legacy");
    assert_kv(r, "virtio.0.transport", "legacy");
    assert_kv(r, "virtio.0.features-ok", "n/a");
    assert_kv(r, "check.virtio.0.legacy", "pass");
    /* a legacy queue keeps the device's size */
    assert_kv(r, "virtio.0.queue0.size", "256");
    assert_kv(r, "virtio.0.blk.write", "ok");
    verify_disk_written(f);
}

static void verify_smp(Fixture *f, GuestRun *run)
{
    const GuestReport *r = expect_pass(f->c, run);

    assert_kv(r, "smp.requested", "2");
    assert_kv(r, "cpus.online", "2");
    assert_kv(r, "check.cpus", "pass");
}

static void verify_smp_missing(Fixture *f, GuestRun *run)
{
    const GuestReport *r = expect_exit(run, QEMU_EXIT_FAIL);

    verify_common(f->c, r, FALSE);
    assert_kv(r, "cpus.online", "1");
    assert_kv(r, "check.cpus", "fail");
    expect_failed(r, "cpus");
}

static const char secret[] = "cgemu-injected-secret-0123456789";

static void prepare_dump(Fixture *f, GPtrArray *argv)
{
    g_autoptr(GError) err = NULL;

    f->secret = g_build_filename(f->dir, "secret.bin", NULL);
    g_file_set_contents(f->secret, secret, sizeof(secret) - 1, &err);
    g_assert_no_error(err);
    g_ptr_array_add(argv, g_strdup("-device"));
    g_ptr_array_add(argv, g_strdup_printf("loader,file=%s,addr=%s,"
                                          "force-raw=on", f->secret,
                                          SECRET_GPA));
}

static void verify_dump(Fixture *f, GuestRun *run)
{
    const GuestReport *r = expect_pass(f->c, run);
    GString *hex = g_string_new(NULL);
    g_autofree char *want = NULL;
    g_autofree char *crc = NULL;

    for (gsize i = 0; i < sizeof(secret) - 1; i++) {
        g_string_append_printf(hex, "%02x", (guint8)secret[i]);
    }
    want = g_string_free(hex, FALSE);
    crc = g_strdup_printf("0x%08x", crc32_ieee((const guint8 *)secret,
                                                sizeof(secret) - 1));
    assert_kv(r, "dump.gpa", SECRET_GPA);
    assert_kv(r, "dump.len", "32");
    assert_kv(r, "dump.hex", want);
    assert_kv(r, "dump.crc32", crc);
    assert_kv(r, "check.dump", "pass");
}

/* SeaBIOS moves 64-bit BARs above 4 GiB when the window below is full. */
static void verify_bar_above_4g(Fixture *f, GuestRun *run)
{
    const GuestReport *r = expect_pass(f->c, run);
    const char *bar4 = guest_report_get(r, "virtio.0.bar4");
    guint64 addr = 0;

    g_assert_nonnull(bar4);
    g_assert_true(g_str_has_prefix(bar4, "mem64:0x"));
    g_assert_true(g_ascii_string_to_unsigned(bar4 + 8, 16, 0, G_MAXUINT64,
                                             &addr, NULL));
    g_assert_cmpuint(addr, >=, 1ull << 32);
    assert_kv(r, "virtio.0.bars-assigned", "0");
    verify_modern_rng(r, "0x1005", "transitional");
}

/* BARs from the guest's own windows (docs/devel/test-guest.rst). */
static void verify_guest_assigned(Fixture *f, GuestRun *run)
{
    const GuestReport *r = expect_pass(f->c, run);

    assert_kv(r, "virtio.0.bars-assigned", "3");
    assert_kv(r, "virtio.0.bar0", "io:0xe000");
    assert_kv(r, "virtio.0.bar1", "mem32:0xe0000000");
    assert_kv(r, "virtio.0.bar4", "mem64:0xe0004000");
    verify_modern_rng(r, "0x1005", "transitional");
}

static void verify_microvm(Fixture *f, GuestRun *run)
{
    const GuestReport *r = expect_pass(f->c, run);

    assert_kv(r, "pci.functions", "0");
    assert_kv(r, "virtio.devices", "0");
    assert_kv(r, "cpus.online", "2");
}

static void verify_cmdline_error(Fixture *f, GuestRun *run)
{
    const GuestReport *r = expect_exit(run, QEMU_EXIT_FAIL);

    verify_common(f->c, r, FALSE);
    assert_kv(r, "cmdline.errors", "2");
    assert_kv(r, "cmdline.error", "bogus=1");
    expect_failed(r, "cmdline");
}

static void verify_bios(Fixture *f, GuestRun *run)
{
    const GuestReport *r = expect_exit(run, QEMU_EXIT_PASS);

    assert_kv(r, "report.begin", "cgemu-test-bios");
    assert_kv(r, "bios", "hello");
    assert_kv(r, "result", "pass");
    g_assert_cmpuint(guest_report_size(r), ==, 5);
}

#define ARGS(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define RNG_AT_3 "virtio-rng-pci,addr=3"

static const Case cases[] = {
    { "no-virtio", NULL, FW_FAST, NULL, NULL, NULL, verify_no_virtio },
    { "no-virtio-seabios", NULL, FW_DEFAULT, NULL, NULL, NULL,
      verify_no_virtio },
    { "rng-transitional", NULL, FW_FAST, NULL, ARGS("-device", RNG_AT_3),
      NULL, verify_rng_transitional },
    { "rng-modern", NULL, FW_FAST, NULL,
      ARGS("-device", RNG_AT_3 ",disable-legacy=on"), NULL,
      verify_rng_modern },
    { "rng-legacy", NULL, FW_FAST, "expect-legacy=1",
      ARGS("-device", RNG_AT_3 ",disable-modern=on"), NULL,
      verify_rng_legacy },
    { "rng-access-platform", NULL, FW_FAST, "expect-access-platform=1",
      ARGS("-device", RNG_AT_3 ",disable-legacy=on,iommu_platform=on"),
      NULL, verify_rng_access_platform },
    { "rng-refuse-access-platform", NULL, FW_FAST, "refuse=access-platform",
      ARGS("-device", RNG_AT_3 ",disable-legacy=on,iommu_platform=on"),
      NULL, verify_rng_refused },
    { "expectation-mismatch", NULL, FW_FAST,
      "expect-access-platform=0 expect-legacy=1",
      ARGS("-device", RNG_AT_3 ",disable-legacy=on,iommu_platform=on"),
      NULL, verify_expect_mismatch },
    { "iommu-platform-transitional", NULL, FW_FAST, NULL,
      ARGS("-device", RNG_AT_3 ",iommu_platform=on"), NULL,
      verify_iommu_transitional },
    { "blk-read-only", NULL, FW_FAST, "blk-write=1", NULL, prepare_blk_ro,
      verify_blk_ro },
    { "blk-write", NULL, FW_FAST, "blk-write=1", NULL, prepare_blk_rw,
      verify_blk_rw },
    { "blk-legacy-write", NULL, FW_FAST, "blk-write=1 expect-legacy=1", NULL,
      prepare_blk_legacy, verify_blk_legacy },
    { "smp2", NULL, FW_FAST, "smp=2", ARGS("-smp", "2"), NULL, verify_smp },
    { "smp-missing", NULL, FW_FAST, "smp=2", ARGS("-smp", "1"), NULL,
      verify_smp_missing },
    { "dump", NULL, FW_FAST, "dump=" SECRET_GPA ",32", NULL, prepare_dump,
      verify_dump },
    { "bar-above-4g", NULL, FW_DEFAULT, NULL,
      ARGS("-object", "memory-backend-ram,id=shm,size=2G",
           "-device", "ivshmem-plain,memdev=shm,addr=4",
           "-device", RNG_AT_3), NULL, verify_bar_above_4g },
    { "pci-reassign", NULL, FW_DEFAULT, "pci-reassign=1",
      ARGS("-device", RNG_AT_3), NULL, verify_guest_assigned },
    { "bars-unassigned-qboot", NULL, FW_QBOOT, NULL,
      ARGS("-device", RNG_AT_3), NULL, verify_guest_assigned },
    { "microvm-smp2", "microvm", FW_DEFAULT, "smp=2", ARGS("-smp", "2"),
      NULL, verify_microvm },
    { "cmdline-error", NULL, FW_FAST, "bogus=1 smp=0", NULL, NULL,
      verify_cmdline_error },
    { "flat-bios", NULL, FW_TEST_BIOS, NULL, NULL, NULL, verify_bios },
};

/* --- the report parser, without an emulator ----------------------------- */

static void test_parse_good(void)
{
    static const char text[] =
        "\x1b[2JSeaBIOS (version x)\r\nBooting from ROM..\r\n"
        "report.begin=cgemu-test-guest\r\n"
        "cmdline=a=b  c \n"
        "virtio.0.features.offered=0x0000000100000000\n"
        "result=fail failed=cpus,dump\n"
        "report.end=4\n"
        "report.begin=second\n";
    g_autoptr(GError) err = NULL;
    g_autoptr(GuestReport) r = guest_report_parse(text, &err);
    g_auto(GStrv) failed = NULL;
    guint64 v = 0;

    g_assert_no_error(err);
    g_assert_cmpuint(guest_report_size(r), ==, 5);
    g_assert_cmpstr(guest_report_key(r, 0), ==, "report.begin");
    assert_kv(r, "report.begin", "cgemu-test-guest");
    assert_kv(r, "cmdline", "a=b  c ");
    g_assert_true(guest_report_get_u64(r, "virtio.0.features.offered", &v,
                                       &err));
    g_assert_cmpuint(v, ==, 1ull << 32);
    g_assert_true(guest_report_get_u64(r, "report.end", &v, &err));
    g_assert_cmpuint(v, ==, 4);
    g_assert_false(guest_report_get_u64(r, "cmdline", &v, &err));
    g_assert_error(err, GUEST_REPORT_ERROR, GUEST_REPORT_ERROR_NOT_NUMBER);
    g_clear_error(&err);
    g_assert_false(guest_report_get_u64(r, "nope", &v, &err));
    g_assert_error(err, GUEST_REPORT_ERROR, GUEST_REPORT_ERROR_NO_KEY);
    g_assert_false(guest_report_passed(r));
    failed = guest_report_failed(r);
    g_assert_cmpuint(g_strv_length(failed), ==, 2);
    g_assert_cmpstr(failed[0], ==, "cpus");
    g_assert_cmpstr(failed[1], ==, "dump");
}

static void expect_parse_error(const char *text, GuestReportError code)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(GuestReport) r = guest_report_parse(text, &err);

    g_assert_null(r);
    g_assert_error(err, GUEST_REPORT_ERROR, (gint)code);
}

static void test_parse_bad(void)
{
    expect_parse_error("", GUEST_REPORT_ERROR_NO_BEGIN);
    expect_parse_error("xreport.begin=a\nreport.end=1\n",
                       GUEST_REPORT_ERROR_NO_BEGIN);
    expect_parse_error("report.begin=a\nresult=pass\n",
                       GUEST_REPORT_ERROR_NO_END);
    /* cut in the middle of the last line */
    expect_parse_error("report.begin=a\nreport.end=1",
                       GUEST_REPORT_ERROR_NO_END);
    expect_parse_error("report.begin=a\na=1\na=2\nreport.end=3\n",
                       GUEST_REPORT_ERROR_DUPLICATE);
    expect_parse_error("report.begin=a\nno equals sign\nreport.end=2\n",
                       GUEST_REPORT_ERROR_MALFORMED);
    expect_parse_error("report.begin=a\n=x\nreport.end=2\n",
                       GUEST_REPORT_ERROR_MALFORMED);
    /* a line lost on the way: the count no longer matches */
    expect_parse_error("report.begin=a\nb=1\nreport.end=3\n",
                       GUEST_REPORT_ERROR_COUNT);
}

/* --- running -------------------------------------------------------------- */

static gboolean kvm_usable(char **why)
{
    int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);

    if (fd < 0) {
        *why = g_strdup_printf("/dev/kvm cannot be opened (%s): KVM runs "
                               "skipped", g_strerror(errno));
        return FALSE;
    }
    close(fd);
    return TRUE;
}

static void fixture_setup(Fixture *f, gconstpointer data)
{
    const TestSpec *spec = data;
    g_autoptr(GError) err = NULL;

    f->c = spec->c;
    f->env = spec->env;
    f->accel = spec->accel;
    f->dir = g_dir_make_tmp("cgemu-guest-XXXXXX", &err);
    g_assert_no_error(err);
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
    if (f->disk) {
        g_unlink(f->disk);
    }
    if (f->secret) {
        g_unlink(f->secret);
    }
    g_rmdir(f->dir);
    g_free(f->disk);
    g_free(f->secret);
    g_free(f->dir);
}

static void run_case(Fixture *f, gconstpointer data)
{
    const TestSpec *spec = data;
    const Case *c = f->c;
    const Env *env = spec->env;
    g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GuestRun) run = NULL;
    g_autoptr(GError) err = NULL;
    g_autofree char *why = NULL;
    const char *bios = NULL;

    if (!env->qemu) {
        g_test_skip("qemu-system-x86_64 not found in PATH (or set "
                    "QEMU_SYSTEM_X86_64): reference runs skipped");
        return;
    }
    if (g_str_equal(spec->accel, "kvm") && !kvm_usable(&why)) {
        g_test_skip(why);
        return;
    }
    switch (c->fw) {
    case FW_FAST:
        if (g_str_equal(spec->accel, "kvm")) {
            bios = env->qboot;
        }
        break;
    case FW_DEFAULT:
        break;
    case FW_QBOOT:
        if (!env->qboot) {
            g_test_skip("qboot.rom is not installed next to QEMU: this "
                        "case needs a firmware that leaves BARs unassigned");
            return;
        }
        bios = env->qboot;
        break;
    case FW_TEST_BIOS:
        bios = env->bios;
        break;
    }

    g_ptr_array_add(argv, g_strdup(env->qemu));
    g_ptr_array_add(argv, g_strdup("-M"));
    g_ptr_array_add(argv, g_strdup(c->machine ? c->machine : "pc"));
    g_ptr_array_add(argv, g_strdup("-accel"));
    g_ptr_array_add(argv, g_strdup(spec->accel));
    for (const char *const *a = ARGS("-m", "128", "-nodefaults",
                                     "-no-user-config", "-display", "none",
                                     "-monitor", "none", "-serial", "stdio",
                                     "-no-reboot", "-device",
                                     "isa-debug-exit,iobase=0xf4,"
                                     "iosize=0x04"); *a; a++) {
        g_ptr_array_add(argv, g_strdup(*a));
    }
    if (bios) {
        g_ptr_array_add(argv, g_strdup("-bios"));
        g_ptr_array_add(argv, g_strdup(bios));
    }
    if (c->fw != FW_TEST_BIOS) {
        g_ptr_array_add(argv, g_strdup("-kernel"));
        g_ptr_array_add(argv, g_strdup(env->guest));
    }
    if (c->append) {
        g_ptr_array_add(argv, g_strdup("-append"));
        g_ptr_array_add(argv, g_strdup(c->append));
    }
    for (const char *const *a = c->args; a && *a; a++) {
        g_ptr_array_add(argv, g_strdup(*a));
    }
    if (c->prepare) {
        c->prepare(f, argv);
    }
    g_ptr_array_add(argv, NULL);

    {
        g_autofree char *cmd = g_strjoinv(" ", (char **)argv->pdata);

        g_test_message("running: %s", cmd);
    }
    run = guest_run((const char *const *)argv->pdata, RUN_TIMEOUT_S, &err);
    g_assert_no_error(err);
    c->verify(f, run);
}

static char *find_qboot(const char *qemu)
{
    g_autofree char *bindir = g_path_get_dirname(qemu);
    g_autofree char *prefix = g_path_get_dirname(bindir);
    char *path = g_build_filename(prefix, "share", "qemu", "qboot.rom", NULL);

    if (g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
        return path;
    }
    g_free(path);
    return NULL;
}

int main(int argc, char **argv)
{
    static const char *const accels[] = { "tcg", "kvm" };
    Env env = { 0 };
    g_autofree TestSpec *specs = NULL;
    guint n = 0;
    int ret;

    g_test_init(&argc, &argv, NULL);
    env.guest = g_getenv("CGEMU_TEST_GUEST");
    env.bios = g_getenv("CGEMU_TEST_BIOS");
    if (!env.guest || !env.bios) {
        g_printerr("CGEMU_TEST_GUEST and CGEMU_TEST_BIOS must name the "
                   "built test guest and BIOS: run this through "
                   "'meson test' or set them\n");
        return 1;
    }
    if (g_getenv("QEMU_SYSTEM_X86_64")) {
        env.qemu = g_strdup(g_getenv("QEMU_SYSTEM_X86_64"));
    } else {
        env.qemu = g_find_program_in_path("qemu-system-x86_64");
    }
    if (env.qemu) {
        char *resolved = g_canonicalize_filename(env.qemu, NULL);

        env.qboot = find_qboot(resolved);
        g_free(resolved);
    }

    g_test_add_func("/guest-report/parse-good", test_parse_good);
    g_test_add_func("/guest-report/parse-bad", test_parse_bad);
    specs = g_new0(TestSpec, G_N_ELEMENTS(accels) * G_N_ELEMENTS(cases));
    for (guint a = 0; a < G_N_ELEMENTS(accels); a++) {
        for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
            g_autofree char *path = g_strdup_printf("/guest-qemu/%s/%s",
                                                    accels[a], cases[i].name);

            specs[n] = (TestSpec){ &env, accels[a], &cases[i] };
            g_test_add(path, Fixture, &specs[n], fixture_setup, run_case,
                       fixture_teardown);
            n++;
        }
    }
    ret = g_test_run();
    g_free(env.qemu);
    g_free(env.qboot);
    return ret;
}
