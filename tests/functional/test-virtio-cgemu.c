/* test-virtio-cgemu.c: virtio-pci devices seen by the test guest on cgemu. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The test guest (tests/guest) drives virtio-rng-pci and virtio-blk-pci
 * on cgemu's pc under KVM: transitional, modern-only and legacy-only
 * devices, with and without iommu_platform, read-only and writable
 * disks.  Each case asserts the report and the exit status; where QEMU
 * (with qboot) is installed, the same configuration runs under QEMU too
 * and both reports must agree key by key, except where the machines
 * differ by design (see device_skip).  The environment is in
 * cgemu-test.h.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "cgemu-test.h"

#define DISK_SIZE (1024 * 1024)
#define SECTOR 512
#define RNG "virtio-rng-pci,addr=3"

typedef struct Fixture {
    const CgemuEnv *env;
    char *dir;
    char *disk;
    guint8 disk_before[DISK_SIZE];
} Fixture;

typedef struct Case Case;
struct Case {
    const char *name;
    const char *append;
    const char *const *args;    /* devices, the same for both emulators */
    void (*prepare)(Fixture *f, const Case *c, GPtrArray *argv);
    void (*verify)(Fixture *f, const GuestRun *run);
    gboolean no_crosscheck;
};

typedef struct Spec {
    const CgemuEnv *env;
    const Case *c;
} Spec;

/*
 * Where the emulators differ by design: QEMU's firmware leaves BARs to
 * the guest where cgemu assigns them (docs/system/i386/pc.rst), QEMU
 * offers optional ring features cgemu does not
 * (docs/system/devices/virtio.rst), pc has the i440FX's other functions,
 * and random bytes are random.  VERSION_1 and ACCESS_PLATFORM, the bits
 * that matter, are compared through their own keys.
 */
static const char *const device_skip[] = {
    "boot.rsdp", "boot.memmap-entries", "pci.*", "report.end",
    "virtio.*.bars-assigned", "virtio.*.bar?", "virtio.*.features.offered",
    "virtio.*.rng.hex", NULL,
};

/* --- disks --------------------------------------------------------------- */

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

/* A fresh image: sector 0 text, sector 1 zero, then a sector counter. */
static void write_disk(Fixture *f)
{
    static const char line[] = "cgemu test disk, sector 0\n";
    g_autoptr(GError) err = NULL;

    memset(f->disk_before, 0, sizeof(f->disk_before));
    for (gsize i = 0; i + sizeof(line) - 1 <= SECTOR; i += sizeof(line) - 1) {
        memcpy(f->disk_before + i, line, sizeof(line) - 1);
    }
    for (gsize i = 2 * SECTOR; i < DISK_SIZE; i++) {
        f->disk_before[i] = (guint8)(i / SECTOR);
    }
    if (f->disk == NULL) {
        f->disk = g_build_filename(f->dir, "disk.img", NULL);
    }
    g_file_set_contents(f->disk, (const char *)f->disk_before, DISK_SIZE,
                        &err);
    g_assert_no_error(err);
}

static guint8 *read_disk(const Fixture *f)
{
    g_autoptr(GError) err = NULL;
    char *data = NULL;
    gsize len = 0;

    g_file_get_contents(f->disk, &data, &len, &err);
    g_assert_no_error(err);
    g_assert_cmpuint(len, ==, DISK_SIZE);
    return (guint8 *)data;
}

/* -drive syntax, which both emulators take. */
static void prepare_drive(Fixture *f, const Case *c, GPtrArray *argv,
                          gboolean ro)
{
    write_disk(f);
    g_ptr_array_add(argv, g_strdup("-drive"));
    g_ptr_array_add(argv, g_strdup_printf("file=%s,format=raw,if=none,"
                                          "id=d0%s", f->disk,
                                          ro ? ",readonly=on" : ""));
}

static void prepare_disk_ro(Fixture *f, const Case *c, GPtrArray *argv)
{
    prepare_drive(f, c, argv, TRUE);
}

static void prepare_disk_rw(Fixture *f, const Case *c, GPtrArray *argv)
{
    prepare_drive(f, c, argv, FALSE);
}

/* -blockdev, libvirt's way, read-only at the file node. */
static void prepare_blockdev_ro(Fixture *f, const Case *c, GPtrArray *argv)
{
    write_disk(f);
    g_ptr_array_add(argv, g_strdup("-blockdev"));
    g_ptr_array_add(argv, g_strdup_printf("driver=file,filename=%s,"
                                          "node-name=d0,read-only=on",
                                          f->disk));
}

static void verify_disk_unchanged(const Fixture *f)
{
    g_autofree guint8 *after = read_disk(f);

    g_assert_true(memcmp(after, f->disk_before, DISK_SIZE) == 0);
}

/* The guest fills sector 1 with "cgemu-test-guest" and nothing else. */
static void verify_disk_written(const Fixture *f)
{
    g_autofree guint8 *after = read_disk(f);

    for (int i = 0; i < SECTOR; i++) {
        g_assert_cmpint(after[SECTOR + i], ==, "cgemu-test-guest"[i % 16]);
    }
    g_assert_true(memcmp(after, f->disk_before, SECTOR) == 0);
    g_assert_true(memcmp(after + 2 * SECTOR, f->disk_before + 2 * SECTOR,
                         DISK_SIZE - 2 * SECTOR) == 0);
}

/* --- report checks ------------------------------------------------------- */

static const GuestReport *expect_pass(const GuestRun *run)
{
    const GuestReport *r = expect_report(run, EXIT_PASS);

    assert_kv(r, "result", "pass");
    g_assert_true(guest_report_passed(r));
    return r;
}

/* Slot 3 behind the host bridge; BARs as cgemu assigns them (pc.rst). */
static void expect_function(const GuestReport *r, const char *id,
                            const char *kind, gboolean io_bar)
{
    g_autofree char *want = g_strdup_printf("1af4:%s", id + 2);

    assert_kv(r, "pci.functions", "2");
    assert_kv(r, "pci.1.bdf", "00:03.0");
    assert_kv(r, "pci.1.id", want);
    assert_kv(r, "virtio.devices", "1");
    assert_kv(r, "virtio.0.bdf", "00:03.0");
    assert_kv(r, "virtio.0.device-id", id);
    assert_kv(r, "virtio.0.kind", kind);
    assert_kv(r, "virtio.0.bars-assigned", "0");
    assert_kv(r, "check.virtio.0.bars", "pass");
    assert_kv(r, "virtio.0.bar0", io_bar ? "io:0xc000" : NULL);
}

static void expect_rng_read(const GuestReport *r, const char *queue)
{
    const char *hex = guest_report_get(r, "virtio.0.rng.hex");

    assert_kv(r, "virtio.0.type-name", "rng");
    assert_kv(r, "virtio.0.queue0.size", queue);
    assert_kv(r, "virtio.0.rng.bytes", "16");
    g_assert_nonnull(hex);
    g_assert_cmpuint(strlen(hex), ==, 32);
    g_assert_cmpstr(hex, !=, "00000000000000000000000000000000");
    assert_kv(r, "check.virtio.0.rng", "pass");
}

static void expect_modern_v1(const GuestReport *r, const char *accepted)
{
    assert_kv(r, "virtio.0.transport", "modern");
    assert_kv(r, "virtio.0.version-1.offered", "1");
    assert_kv(r, "virtio.0.version-1.accepted", "1");
    assert_kv(r, "virtio.0.features.accepted", accepted);
    assert_kv(r, "virtio.0.features-ok", "1");
    assert_kv(r, "check.virtio.0.features-ok", "pass");
    assert_kv(r, "virtio.0.status", "0x0f");
}

static void verify_rng_transitional(Fixture *f, const GuestRun *run)
{
    const GuestReport *r = expect_pass(run);

    expect_function(r, "0x1005", "transitional", TRUE);
    assert_kv(r, "pci.1.class", "00ff00");
    assert_kv(r, "virtio.0.bar1", "mem32:0xc0000000");
    assert_kv(r, "virtio.0.bar4", "mem64:0xc0004000");
    assert_kv(r, "virtio.0.access-platform.offered", "0");
    expect_modern_v1(r, "0x0000000100000000");
    expect_rng_read(r, "8");
    g_assert_cmpstr(run->err, ==, "");
}

static void verify_rng_modern(Fixture *f, const GuestRun *run)
{
    const GuestReport *r = expect_pass(run);

    expect_function(r, "0x1044", "modern", FALSE);
    expect_modern_v1(r, "0x0000000100000000");
    expect_rng_read(r, "8");
}

static void verify_rng_legacy(Fixture *f, const GuestRun *run)
{
    const GuestReport *r = expect_pass(run);

    expect_function(r, "0x1005", "transitional", TRUE);
    assert_kv(r, "virtio.0.transport", "legacy");
    assert_kv(r, "virtio.0.version-1.offered", "0");
    assert_kv(r, "virtio.0.features.accepted", "0x0000000000000000");
    assert_kv(r, "virtio.0.features-ok", "n/a");
    assert_kv(r, "check.virtio.0.legacy", "pass");
    assert_kv(r, "virtio.0.status", "0x07");
    expect_rng_read(r, "8");
}

static void verify_rng_access_platform(Fixture *f, const GuestRun *run)
{
    const GuestReport *r = expect_pass(run);

    expect_function(r, "0x1044", "modern", FALSE);
    assert_kv(r, "virtio.0.access-platform.offered", "1");
    assert_kv(r, "virtio.0.access-platform.accepted", "1");
    assert_kv(r, "check.virtio.0.access-platform", "pass");
    expect_modern_v1(r, "0x0000000300000000");
    expect_rng_read(r, "8");
}

/* A driver that declines ACCESS_PLATFORM cannot have FEATURES_OK. */
static void verify_rng_refused(Fixture *f, const GuestRun *run)
{
    const GuestReport *r = expect_pass(run);

    assert_kv(r, "virtio.0.access-platform.offered", "1");
    assert_kv(r, "virtio.0.access-platform.accepted", "0");
    assert_kv(r, "virtio.0.features.accepted", "0x0000000100000000");
    assert_kv(r, "virtio.0.features-ok", "0");
    assert_kv(r, "virtio.0.refusal", "expected");
    assert_kv(r, "virtio.0.status", "0x83");
    assert_kv(r, "virtio.0.rng.bytes", NULL);
    g_assert_nonnull(strstr(run->err, "FEATURES_OK refused"));
}

static void verify_expect_mismatch(Fixture *f, const GuestRun *run)
{
    const GuestReport *r = expect_report(run, EXIT_FAIL);

    assert_kv(r, "result",
              "fail failed=virtio.0.access-platform,virtio.0.legacy");
    assert_kv(r, "check.virtio.0.access-platform", "fail");
    assert_kv(r, "check.virtio.0.legacy", "fail");
}

/* What confidential-guest-support sets, given by hand. */
static void verify_cgs_globals(Fixture *f, const GuestRun *run)
{
    verify_rng_access_platform(f, run);
}

static void verify_iommu_transitional(Fixture *f, const GuestRun *run)
{
    expect_error(run, "-device " RNG ",iommu_platform=on: iommu_platform=on "
                      "needs a modern-only device, but the legacy interface "
                      "is on (disable-legacy=auto); add disable-legacy=on");
}

static void expect_blk_read(const Fixture *f, const GuestReport *r,
                            const char *id)
{
    g_autofree char *crc = g_strdup_printf(
        "0x%08x", crc32_ieee(f->disk_before, SECTOR));
    GString *hex = g_string_new(NULL);
    g_autofree char *head = NULL;

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

static void verify_blk_ro(Fixture *f, const GuestRun *run)
{
    const GuestReport *r = expect_pass(run);

    expect_function(r, "0x1001", "transitional", TRUE);
    expect_blk_read(f, r, "cgemu-ro");
    assert_kv(r, "virtio.0.blk.read-only", "1");
    assert_kv(r, "virtio.0.blk.write", "skipped-read-only");
    verify_disk_unchanged(f);
}

static void verify_blk_rw(Fixture *f, const GuestRun *run)
{
    const GuestReport *r = expect_pass(run);

    expect_function(r, "0x1001", "transitional", TRUE);
    expect_blk_read(f, r, "cgemu-rw");
    assert_kv(r, "virtio.0.transport", "modern");
    assert_kv(r, "virtio.0.blk.read-only", "0");
    assert_kv(r, "virtio.0.queue0.size", "16");
    assert_kv(r, "virtio.0.blk.write", "ok");
    assert_kv(r, "check.virtio.0.blk.write", "pass");
    verify_disk_written(f);
}

static void verify_blk_modern(Fixture *f, const GuestRun *run)
{
    const GuestReport *r = expect_pass(run);

    expect_function(r, "0x1042", "modern", FALSE);
    expect_blk_read(f, r, "cgemu-modern");
    assert_kv(r, "virtio.0.blk.write", "ok");
    verify_disk_written(f);
}

static void verify_blk_legacy(Fixture *f, const GuestRun *run)
{
    const GuestReport *r = expect_pass(run);

    expect_blk_read(f, r, "cgemu-legacy");
    assert_kv(r, "virtio.0.transport", "legacy");
    assert_kv(r, "virtio.0.queue0.size", "256");
    assert_kv(r, "virtio.0.blk.write", "ok");
    verify_disk_written(f);
}

static void verify_blockdev_ro(Fixture *f, const GuestRun *run)
{
    const GuestReport *r = expect_pass(run);

    expect_blk_read(f, r, "");
    assert_kv(r, "virtio.0.blk.read-only", "1");
    assert_kv(r, "virtio.0.blk.write", "skipped-read-only");
    verify_disk_unchanged(f);
}

/* What `make run` does, with a disk: every device, both CPUs. */
static void verify_all(Fixture *f, const GuestRun *run)
{
    const GuestReport *r = expect_pass(run);

    assert_kv(r, "virtio.devices", "2");
    assert_kv(r, "virtio.0.type-name", "rng");
    assert_kv(r, "virtio.1.type-name", "blk");
    assert_kv(r, "virtio.1.blk.write", "ok");
    assert_kv(r, "cpus.online", "2");
    verify_disk_written(f);
}

#define BLK "virtio-blk-pci,drive=d0,addr=3"

static const Case cases[] = {
    { "rng-transitional", NULL, ARGS("-device", RNG), NULL,
      verify_rng_transitional },
    { "rng-modern", NULL, ARGS("-device", RNG ",disable-legacy=on"), NULL,
      verify_rng_modern },
    { "rng-legacy", "expect-legacy=1",
      ARGS("-device", RNG ",disable-modern=on"), NULL, verify_rng_legacy },
    { "rng-access-platform", "expect-access-platform=1",
      ARGS("-device", RNG ",disable-legacy=on,iommu_platform=on"), NULL,
      verify_rng_access_platform },
    { "rng-refuse-access-platform", "refuse=access-platform",
      ARGS("-device", RNG ",disable-legacy=on,iommu_platform=on"), NULL,
      verify_rng_refused },
    { "expectation-mismatch", "expect-access-platform=0 expect-legacy=1",
      ARGS("-device", RNG ",disable-legacy=on,iommu_platform=on"), NULL,
      verify_expect_mismatch },
    { "cgs-defaults-by-global", "expect-access-platform=1 expect-legacy=0",
      ARGS("-global", "virtio-device.iommu_platform=on", "-global",
           "virtio-pci.disable-legacy=on", "-device", RNG),
      NULL, verify_cgs_globals },
    /* QEMU refuses this too, in its own words (test-guest-qemu) */
    { "iommu-platform-transitional", NULL,
      ARGS("-device", RNG ",iommu_platform=on"), NULL,
      verify_iommu_transitional, TRUE },
    { "blk-read-only", "blk-write=1",
      ARGS("-device", BLK ",serial=cgemu-ro"), prepare_disk_ro,
      verify_blk_ro },
    { "blk-write", "blk-write=1", ARGS("-device", BLK ",serial=cgemu-rw"),
      prepare_disk_rw, verify_blk_rw },
    { "blk-modern-write", "blk-write=1",
      ARGS("-device", BLK ",disable-legacy=on,serial=cgemu-modern"),
      prepare_disk_rw, verify_blk_modern },
    { "blk-legacy-write", "blk-write=1 expect-legacy=1",
      ARGS("-device", BLK ",disable-modern=on,serial=cgemu-legacy"),
      prepare_disk_rw, verify_blk_legacy },
    { "blk-blockdev-read-only", "blk-write=1", ARGS("-device", BLK),
      prepare_blockdev_ro, verify_blockdev_ro, TRUE },
    { "rng-blk-smp2", "blk-write=1 smp=2",
      ARGS("-smp", "2", "-device", RNG, "-device",
           "virtio-blk-pci,drive=d0,addr=4"),
      prepare_disk_rw, verify_all },
};

/* --- running ------------------------------------------------------------- */

static void fixture_setup(Fixture *f, gconstpointer data)
{
    const Spec *spec = data;
    g_autoptr(GError) err = NULL;

    f->env = spec->env;
    f->dir = g_dir_make_tmp("cgemu-virtio-XXXXXX", &err);
    g_assert_no_error(err);
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
    if (f->disk != NULL) {
        g_unlink(f->disk);
    }
    g_rmdir(f->dir);
    g_free(f->disk);
    g_free(f->dir);
}

/* The guest and devices of @c, for either emulator. */
static void add_guest_args(Fixture *f, const Case *c, GPtrArray *argv)
{
    add_args(argv, ARGS("-kernel", f->env->guest));
    if (c->append != NULL) {
        add_args(argv, ARGS("-append", c->append));
    }
    if (c->prepare != NULL) {
        c->prepare(f, c, argv);
    }
    add_args(argv, c->args);
}

static void run_case(Fixture *f, gconstpointer data)
{
    const Spec *spec = data;
    const Case *c = spec->c;
    g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) qemu_argv = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GuestRun) run = NULL;

    if (!f->env->kvm) {
        g_test_skip(f->env->no_kvm_reason);
        return;
    }
    g_ptr_array_add(argv, g_strdup(f->env->cgemu));
    add_args(argv, ARGS("-machine", "pc", "-m", "128", "-nodefaults",
                        "-serial", "stdio", "-device",
                        "isa-debug-exit,iobase=0xf4,iosize=0x04"));
    add_guest_args(f, c, argv);
    run = run_argv(argv);
    c->verify(f, run);
    if (c->no_crosscheck) {
        return;
    }
    /* QEMU gets a fresh disk of its own, and must leave it the same way. */
    add_guest_args(f, c, qemu_argv);
    g_ptr_array_add(qemu_argv, NULL);
    if (!crosscheck_qemu(f->env, run->report,
                         (const char *const *)qemu_argv->pdata, device_skip) ||
        f->disk == NULL) {
        return;
    }
    if (c->verify == verify_blk_ro) {
        verify_disk_unchanged(f);
    } else {
        verify_disk_written(f);
    }
}

int main(int argc, char **argv)
{
    CgemuEnv env;
    g_autofree Spec *specs = g_new0(Spec, G_N_ELEMENTS(cases));
    int ret;

    g_test_init(&argc, &argv, NULL);
    if (!cgemu_env_init(&env, argv[0])) {
        return 1;
    }
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *path =
            g_strdup_printf("/virtio-cgemu/%s", cases[i].name);

        specs[i] = (Spec){ &env, &cases[i] };
        g_test_add(path, Fixture, &specs[i], fixture_setup, run_case,
                   fixture_teardown);
    }
    ret = g_test_run();
    cgemu_env_clear(&env);
    return ret;
}
