/* qtest: the s390-ccw-virtio machine, its ccw devices, loaders, limits. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "libqtest.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

static char *qom_get_text(QTestState *s, const char *path, const char *prop)
{
    g_autoptr(JsonNode) ret = qtest_qmp_assert_success_ref(
        s, "{'execute': 'qom-get', 'arguments': {'path': %s, "
           "'property': %s}}", path, prop);

    return qtest_json_to_string(ret);
}

/* Start-up must fail with exactly @want (one line) and status 1. */
static void expect_error(const char *target, const char *args,
                         const char *want)
{
    QTestOptions opts = { .target = target };
    g_autoptr(GError) err = NULL;
    g_autofree char *line = g_strdup_printf("cgemu-system-%s: %s\n", target,
                                            want);

    g_test_message("%s %s", target, args);
    g_assert_null(qtest_try_init(&opts, args, &err));
    g_assert_nonnull(err);
    g_assert_cmpint(err->code, ==, 1);
    g_assert_cmpstr(err->message, ==, line);
}

static void test_ccw_devices(void)
{
    g_autofree char *img = g_build_filename(g_get_tmp_dir(),
                                            "cgemu-s390-blk-XXXXXX", NULL);
    int fd = g_mkstemp(img);
    g_autofree char *args = NULL;
    g_autoptr(QTestState) s = NULL;
    char *v;

    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(ftruncate(fd, 1 << 20), ==, 0);
    close(fd);
    args = g_strdup_printf(
        "-blockdev driver=file,filename=%s,node-name=disk0 "
        "-device virtio-rng-ccw,id=rng0,devno=fe.0.0001 "
        "-device virtio-rng-ccw,id=rng1 "
        "-device virtio-blk-ccw,id=blk0,drive=disk0,devno=fe.3.1234", img);
    s = qtest_init("s390x", args);
    v = qom_get_text(s, "/machine/peripheral/rng0", "devno");
    g_assert_cmpstr(v, ==, "\"fe.0.0001\"");
    g_free(v);
    /* Without devno= the lowest free number of subchannel set 0. */
    v = qom_get_text(s, "/machine/peripheral/rng1", "devno");
    g_assert_cmpstr(v, ==, "\"fe.0.0000\"");
    g_free(v);
    v = qom_get_text(s, "/machine/peripheral/blk0", "devno");
    g_assert_cmpstr(v, ==, "\"fe.3.1234\"");
    g_free(v);
    /* Without the switch nothing turns iommu_platform on. */
    v = qom_get_text(s, "/machine/peripheral/blk0", "iommu_platform");
    g_assert_cmpstr(v, ==, "false");
    g_free(v);
    v = qom_get_text(s, "/machine/peripheral/rng0", "max_revision");
    g_assert_cmpstr(v, ==, "2");
    g_free(v);
    v = qom_get_text(s, "/machine/peripheral/rng0", "type");
    g_assert_cmpstr(v, ==, "\"virtio-rng-ccw\"");
    g_free(v);
    g_unlink(img);
}

static void test_ccw_errors(void)
{
    expect_error("s390x",
                 "-device virtio-rng-ccw,devno=fe.0.0001 "
                 "-device virtio-rng-ccw,id=r2,devno=fe.0.0001",
                 "-device virtio-rng-ccw,id=r2,devno=fe.0.0001: devno "
                 "fe.0.0001 is already used by virtio-rng-ccw fe.0.0001; "
                 "give each device its own");
    expect_error("s390x", "-device virtio-rng-ccw,devno=0.0.0001",
                 "-device virtio-rng-ccw,devno=0.0.0001: devno '0.0.0001': "
                 "virtual devices are in channel subsystem fe; write "
                 "fe.0.0001");
    expect_error("s390x", "-device virtio-rng-ccw,devno=fe.0.zz",
                 "-device virtio-rng-ccw,devno=fe.0.zz: devno 'fe.0.zz' is "
                 "not CSSID.SSID.DEVNO in hex; write e.g. fe.0.0001");
    expect_error("s390x", "-device virtio-rng-pci",
                 "-device virtio-rng-pci: virtio-rng-pci needs a PCI bus, "
                 "which machine s390-ccw-virtio does not have; use the "
                 "-ccw variant of the device");
    expect_error("s390x", "-device virtio-blk-ccw",
                 "-device virtio-blk-ccw: drive= is required: give the "
                 "node-name of a -blockdev or the id of a -drive");
    /* The ccw devices exist only where there is a channel subsystem. */
    expect_error("x86_64", "-device virtio-rng-ccw",
                 "-device virtio-rng-ccw: device 'virtio-rng-ccw' is not "
                 "available in cgemu-system-x86_64; it is provided by "
                 "cgemu-system-s390x");
}

/* A raw image that calls itself Linux (S390EP at 0x10008). */
static char *write_linux(const char *dir)
{
    g_autofree uint8_t *img = g_malloc0(0x20000);
    char *path = g_build_filename(dir, "kernel", NULL);

    memcpy(img + 0x10008, "S390EP", 6);
    img[0x18000] = 0xa5;
    g_assert_true(g_file_set_contents(path, (char *)img, 0x20000, NULL));
    return path;
}

static void test_kernel_loading(void)
{
    g_autofree char *dir = g_dir_make_tmp("cgemu-s390-XXXXXX", NULL);
    g_autofree char *kernel = write_linux(dir);
    g_autofree char *initrd = g_build_filename(dir, "initrd", NULL);
    g_autofree char *args = NULL;
    g_autoptr(QTestState) s = NULL;
    char cmdline[32] = { 0 };

    g_assert_true(g_file_set_contents(initrd, "RAMDISK!", 8, NULL));
    args = g_strdup_printf("-m 64 -kernel %s -initrd %s -append "
                           "'root=/dev/vda console=ttysclp0'", kernel,
                           initrd);
    s = qtest_init("s390x", args);
    g_assert_true(qtest_big_endian(s));
    g_assert_cmphex(qtest_readb(s, 0x18000), ==, 0xa5);
    qtest_memread(s, 0x10480, cmdline, sizeof(cmdline) - 1);
    g_assert_cmpstr(cmdline, ==, "root=/dev/vda console=ttysclp0");
    /* Big-endian pointers to the initrd at 8 MiB. */
    g_assert_cmphex(qtest_readq(s, 0x10408), ==, 0x800000);
    g_assert_cmphex(qtest_readq(s, 0x10410), ==, 8);
    g_assert_cmphex(qtest_readl(s, 0x800000), ==, 0x52414d44); /* "RAMD" */
    g_unlink(kernel);
    g_unlink(initrd);
    g_rmdir(dir);
}

static void test_loader_device(void)
{
    g_autofree char *dir = g_dir_make_tmp("cgemu-s390-XXXXXX", NULL);
    g_autofree char *file = g_build_filename(dir, "blob", NULL);
    g_autofree char *args = NULL;
    g_autofree char *elf_args = NULL;
    g_autoptr(QTestState) s = NULL;

    g_assert_true(g_file_set_contents(file, "\x01\x02\x03\x04", 4, NULL));
    args = g_strdup_printf(
        "-device loader,file=%s,addr=0x2000 "
        "-device loader,addr=0x3000,data=0x11223344,data-len=4,data-be=on "
        "-device loader,addr=0x3008,data=0x11223344,data-len=4", file);
    s = qtest_init("s390x", args);
    g_assert_cmphex(qtest_readl(s, 0x2000), ==, 0x01020304);
    g_assert_cmphex(qtest_readb(s, 0x3000), ==, 0x11);
    g_assert_cmphex(qtest_readb(s, 0x3008), ==, 0x44);
    expect_error("s390x", "-device loader,data=1,data-len=4",
                 "-device loader,data=1,data-len=4: loader: addr= is "
                 "missing; give the guest address to place the data at");
    expect_error("s390x", "-device loader,addr=0x10,data=0x1ff,data-len=1",
                 "-device loader,addr=0x10,data=0x1ff,data-len=1: loader: "
                 "data=0x1ff does not fit in data-len=1 bytes");
    expect_error("s390x", "-device loader,addr=0x7fffffff,data=1,data-len=2",
                 "-device loader,addr=0x7fffffff,data=1,data-len=2: loader: "
                 "0x2 bytes at 0x7fffffff do not fit in guest RAM; give the "
                 "guest more memory with -m");
    /* The loader is generic: the pc machine has it as well. */
    elf_args = g_strdup_printf("-device loader,file=%s,addr=0x5000", file);
    qtest_quit(qtest_init("x86_64", elf_args));
    g_unlink(file);
    g_rmdir(dir);
}

static void test_limits(void)
{
    qtest_quit(qtest_init("s390x", "-smp 248"));
    expect_error("s390x", "-smp 249",
                 "-smp 249: machine s390-ccw-virtio supports at most 248 "
                 "vCPUs");
    expect_error("s390x", "-m 1537k",
                 "-m 1537 KiB: s390x guest memory comes in whole MiB; give a "
                 "multiple of 1M");
    expect_error("s390x", "-bios s390-ccw.img",
                 "-bios s390-ccw.img: cgemu has no s390-ccw firmware "
                 "loader; boot the kernel directly with -kernel");
}

/* The switch fails closed without KVM, and exists only for s390x. */
static void test_switch_fails_closed(void)
{
    expect_error("s390x",
                 "-object s390-pv-guest,id=pv0 "
                 "-machine confidential-guest-support=pv0",
                 "confidential-guest-support=pv0: s390-pv-guest requires "
                 "the kvm accelerator; qtest cannot run a protected guest. "
                 "Use -accel kvm on an IBM Z host (z15 or newer) whose "
                 "kernel runs KVM with prot_virt=1");
    expect_error("x86_64", "-object s390-pv-guest,id=pv0",
                 "-object s390-pv-guest,id=pv0: object type "
                 "'s390-pv-guest' is not available in cgemu-system-x86_64; "
                 "it is provided by cgemu-system-s390x");
    expect_error("ppc64", "-object s390-pv-guest,id=pv0",
                 "-object s390-pv-guest,id=pv0: object type "
                 "'s390-pv-guest' is not available in cgemu-system-ppc64; "
                 "it is provided by cgemu-system-s390x");
}

/* This host's KVM is x86: the s390x binary says so and stops. */
static void test_kvm_not_s390(void)
{
    QTestOptions opts = { .target = "s390x", .accel = "kvm" };
    g_autoptr(GError) err = NULL;
    g_autofree char *want = NULL;
    int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);

    if (fd < 0) {
        g_test_skip("no usable /dev/kvm on this machine");
        return;
    }
    close(fd);
    want = g_strdup_printf(
        "cgemu-system-s390x: -accel kvm: KVM: this host's KVM runs %s "
        "guests, not s390x: cgemu-system-s390x -accel kvm needs an IBM Z "
        "host (use -accel qtest to build the machine without running it)\n",
#if defined(__x86_64__)
        "x86_64"
#elif defined(__aarch64__)
        "aarch64"
#else
        "non-s390x"
#endif
    );
    g_assert_null(qtest_try_init(&opts, NULL, &err));
    g_assert_cmpint(err->code, ==, 1);
    g_assert_cmpstr(err->message, ==, want);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    if (qtest_binary("s390x") == NULL) {
        g_test_message("no cgemu-system-s390x configured");
        return g_test_run();
    }
    g_test_add_func("/s390x/machine/ccw-devices", test_ccw_devices);
    g_test_add_func("/s390x/machine/ccw-errors", test_ccw_errors);
    g_test_add_func("/s390x/machine/kernel", test_kernel_loading);
    g_test_add_func("/s390x/machine/loader", test_loader_device);
    g_test_add_func("/s390x/machine/limits", test_limits);
    g_test_add_func("/s390x/machine/switch-fails-closed",
                    test_switch_fails_closed);
    g_test_add_func("/s390x/machine/kvm-not-s390x", test_kvm_not_s390);
    return g_test_run();
}
