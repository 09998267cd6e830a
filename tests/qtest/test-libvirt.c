/* What libvirt passes and asks for, beyond the confidential machine:
 * -rtc, -boot, -audiodev, usb=off, bus=pci.0, /dev/fdset, and the QMP
 * commands it calls on every guest it starts. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "libqtest.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

/* The device type of a virtio device on @target's default machine. */
static const char *virtio(const char *target, const char *dev)
{
    static char buf[64];

    g_snprintf(buf, sizeof(buf), "virtio-%s-%s", dev,
               strcmp(target, "s390x") ? "pci" : "ccw");
    return buf;
}

/* Starting with @args fails with status 1 and a message matching @want. */
static void refused(const char *target, const char *args, const char *want)
{
    QTestOptions o = { .target = target };
    g_autoptr(GError) err = NULL;
    g_autofree char *pattern = g_strdup_printf("*%s\n", want);

    g_assert_null(qtest_try_init(&o, args, &err));
    g_assert_cmpint(err->code, ==, 1);
    if (!g_pattern_match_simple(pattern, err->message)) {
        g_error("expected '%s', got '%s'", want, err->message);
    }
}

/* The options of libvirt 9.0's command line that are not about devices. */
static void test_options(const char *target)
{
    g_autoptr(QTestState) s = qtest_init(
        target, "-machine usb=off -rtc base=utc -boot strict=on "
                "-audiodev '{\"id\":\"audio1\",\"driver\":\"none\"}' "
                "-msg timestamp=on -no-shutdown");

    qtest_qmp_assert_success(s, "{'execute': 'query-status'}");
    refused(target, "-rtc base=localtime",
            "-rtc base=localtime: base=localtime is not supported: the "
            "guest's clock is the host's, in UTC; use base=utc (QEMU also "
            "takes localtime or a date)");
    refused(target, "-rtc clock=vm",
            "-rtc clock=vm: clock=vm is not supported: the guest's clock is "
            "the host's, in UTC; use clock=host (QEMU also takes rt, vm)");
    refused(target, "-rtc base=utc,drift=slew",
            "-rtc base=utc,drift=slew: invalid parameter 'drift'; -rtc "
            "accepts: base, clock, driftfix");
    refused(target, "-boot order=cz",
            "-boot order=cz: order=cz: 'z' is not a boot device; use the "
            "letters a-p (c: first disk, d: first CD-ROM, n: network)");
    refused(target, "-boot menu=maybe",
            "-boot menu=maybe: 'menu' expects on or off, got 'maybe'");
    refused(target, "-audiodev pa,id=a0",
            "-audiodev pa,id=a0: audio driver 'pa' is not available: cgemu "
            "has no sound devices; use driver=none");
    refused(target, "-audiodev none",
            "-audiodev none: an audio back end needs driver= and id=, e.g. "
            "-audiodev none,id=audio0");
    refused(target, "-machine usb=on",
            "-machine usb=on: cgemu has no USB controller; use usb=off "
            "(libvirt: <controller type='usb' model='none'/>)");
}

/* bus=pci.0, as libvirt gives every PCI device. */
static void test_pci_bus(const char *target)
{
    g_autoptr(QTestState) s = qtest_init(
        target, "-object rng-builtin,id=r0 "
                "-device virtio-rng-pci,rng=r0,id=rng0,bus=pci.0,addr=0x3");
    g_autoptr(JsonNode) bus = qtest_qmp_assert_success_ref(
        s, "{'execute': 'qom-get', 'arguments': {'path': "
           "'/machine/peripheral/rng0', 'property': 'bus'}}");

    g_assert_cmpstr(json_node_get_string(bus), ==, "pci.0");
    refused(target, "-object rng-builtin,id=r0 "
                    "-device virtio-rng-pci,rng=r0,bus=pci.1",
            "-device virtio-rng-pci,rng=r0,bus=pci.1: bus=pci.1: there is "
            "no such bus; * has one PCI bus, pci.0 (leave bus= out, or give "
            "bus=pci.0)");
}

/* A file the test opened, for -add-fd. */
static int open_tmp(char **path, int flags)
{
    int fd = g_file_open_tmp("cgemu-fdset-XXXXXX", path, NULL);

    g_assert_cmpint(fd, >=, 0);
    close(fd);
    fd = open(*path, flags);
    g_assert_cmpint(fd, >=, 0);
    return fd;
}

/*
 * libvirt opens the serial log and passes it: -add-fd, then
 * path=/dev/fdset/N.  What the guest writes to the UART lands in that
 * file, and query-chardev reports the chardev.
 */
static void test_fdset(void)
{
    g_autofree char *path = NULL;
    int fd = open_tmp(&path, O_WRONLY | O_APPEND | O_CLOEXEC);
    int fds[] = { fd, -1 };
    QTestOptions o = { .target = "x86_64", .pass_fds = fds };
    g_autofree char *args = g_strdup_printf(
        "-nodefaults -add-fd set=3,fd=%d,opaque=serial0-source "
        "-chardev file,id=charserial0,path=/dev/fdset/3,append=on "
        "-device isa-serial,chardev=charserial0,id=serial0", fd);
    QTestState *s = qtest_init_with(&o, args);
    g_autoptr(JsonNode) chardevs = NULL;
    g_autofree char *text = NULL;
    g_autofree char *got = NULL;

    close(fd);
    qtest_outb(s, 0x3f8, 'o');
    qtest_outb(s, 0x3f8, 'k');
    chardevs = qtest_qmp_assert_success_ref(s,
                                            "{'execute': 'query-chardev'}");
    text = qtest_json_to_string(chardevs);
    g_assert_nonnull(strstr(text, "{\"label\":\"charserial0\",\"filename\":"
                                  "\"file:/dev/fdset/3\",\"frontend-open\":"
                                  "true}"));
    qtest_quit(s);
    g_assert_true(g_file_get_contents(path, &got, NULL, NULL));
    g_assert_cmpstr(got, ==, "ok");
    g_unlink(path);

    refused("x86_64", "-chardev file,id=c0,path=/dev/fdset/7",
            "-chardev file,id=c0,path=/dev/fdset/7: '/dev/fdset/7': no "
            "-add-fd gave this set; pass a write-only descriptor with "
            "-add-fd set=7,fd=N");
}

/* A read-only descriptor does not do for writing. */
static void test_fdset_mode(void)
{
    g_autofree char *path = NULL;
    int fd = open_tmp(&path, O_RDONLY | O_CLOEXEC);
    int fds[] = { fd, -1 };
    QTestOptions o = { .target = "x86_64", .pass_fds = fds };
    g_autofree char *args = g_strdup_printf(
        "-add-fd set=1,fd=%d -chardev file,id=c0,path=/dev/fdset/1", fd);
    g_autofree char *want = g_strdup_printf(
        "*'/dev/fdset/1': the set has no descriptor of the access mode "
        "needed; pass a write-only descriptor with -add-fd set=1,fd=N\n");
    g_autoptr(GError) err = NULL;

    g_assert_null(qtest_try_init(&o, args, &err));
    close(fd);
    g_unlink(path);
    g_assert_cmpint(err->code, ==, 1);
    g_assert_true(g_pattern_match_simple(want, err->message));
}

/* The block queries libvirt makes when a guest starts. */
static void test_block(const char *target)
{
    g_autofree char *args = g_strdup_printf(
        "-blockdev '{\"driver\":\"file\",\"filename\":\"{tmpdir}/disk.img\","
        "\"node-name\":\"libvirt-1-storage\",\"read-only\":true}' "
        "-blockdev '{\"node-name\":\"libvirt-1-format\",\"read-only\":true,"
        "\"driver\":\"raw\",\"file\":\"libvirt-1-storage\"}' "
        "-device %s,drive=libvirt-1-format,id=virtio-disk0,bootindex=1",
        virtio(target, "blk"));
    QTestOptions o = { .target = target, .prepare = qtest_prepare_disk,
                       .prepare_opaque = GSIZE_TO_POINTER(2u << 20) };
    g_autoptr(QTestState) s = qtest_init_with(&o, args);
    g_autoptr(JsonNode) nodes = qtest_qmp_assert_success_ref(
        s, "{'execute': 'query-named-block-nodes', 'arguments': "
           "{'flat': true}}");
    g_autoptr(JsonNode) block =
        qtest_qmp_assert_success_ref(s, "{'execute': 'query-block'}");
    g_autofree char *img = g_build_filename(qtest_tmpdir(s), "disk.img",
                                            NULL);
    g_auto(GStrv) names = qtest_json_strings(nodes, "node-name");
    JsonArray *list = json_node_get_array(nodes);
    JsonArray *devs = json_node_get_array(block);
    JsonObject *fmt = json_array_get_object_element(list, 0);
    g_autoptr(JsonNode) boot = qtest_qmp_assert_success_ref(
        s, "{'execute': 'qom-get', 'arguments': {'path': 'virtio-disk0', "
           "'property': 'bootindex'}}");
    JsonObject *dev;

    /* kept for libvirt; cgemu boots -kernel/-bios */
    g_assert_cmpint(json_node_get_int(boot), ==, 1);
    g_assert_cmpuint(g_strv_length(names), ==, 2);
    g_assert_cmpstr(names[0], ==, "libvirt-1-format");
    g_assert_cmpstr(names[1], ==, "libvirt-1-storage");
    g_assert_cmpstr(json_object_get_string_member(fmt, "drv"), ==, "raw");
    g_assert_cmpstr(json_object_get_string_member(fmt, "file"), ==, img);
    g_assert_true(json_object_get_boolean_member(fmt, "ro"));
    g_assert_cmpint(json_object_get_int_member(
                        json_object_get_object_member(fmt, "image"),
                        "virtual-size"), ==, 2 << 20);
    g_assert_cmpuint(json_array_get_length(devs), ==, 1);
    dev = json_array_get_object_element(devs, 0);
    g_assert_cmpstr(json_object_get_string_member(dev, "qdev"), ==,
                    "/machine/peripheral/virtio-disk0/virtio-backend");
    g_assert_cmpstr(json_object_get_string_member(
                        json_object_get_object_member(dev, "inserted"),
                        "node-name"),
                    ==, "libvirt-1-format");
}

/* libvirt turns "events" on for every guest; cgemu migrates nothing. */
static void test_migration(const char *target)
{
    g_autoptr(QTestState) s = qtest_init(target, NULL);
    g_autoptr(JsonNode) before = qtest_qmp_assert_success_ref(
        s, "{'execute': 'query-migrate-capabilities'}");
    g_autoptr(JsonNode) after = NULL;
    g_autofree char *t1 = qtest_json_to_string(before);
    g_autofree char *t2 = NULL;
    g_autofree char *e1 = NULL, *e2 = NULL, *e3 = NULL;

    g_assert_cmpstr(t1, ==, "[{\"capability\":\"events\",\"state\":false}]");
    qtest_qmp_assert_success(
        s, "{'execute': 'migrate-set-capabilities', 'arguments': "
           "{'capabilities': [{'capability': 'events', 'state': true}, "
           "{'capability': 'xbzrle', 'state': false}]}}");
    after = qtest_qmp_assert_success_ref(
        s, "{'execute': 'query-migrate-capabilities'}");
    t2 = qtest_json_to_string(after);
    g_assert_cmpstr(t2, ==, "[{\"capability\":\"events\",\"state\":true}]");
    e1 = qtest_qmp_assert_error(
        s, "GenericError", "{'execute': 'migrate-set-capabilities', "
                           "'arguments': {'capabilities': [{'capability': "
                           "'events', 'state': false}, {'capability': "
                           "'postcopy-ram', 'state': true}]}}");
    g_assert_cmpstr(e1, ==, "migration capability 'postcopy-ram' cannot be "
                            "enabled: cgemu does not migrate guests");
    e2 = qtest_qmp_assert_error(
        s, "GenericError", "{'execute': 'migrate-set-capabilities', "
                           "'arguments': {'capabilities': [{'capability': "
                           "'teleport', 'state': false}]}}");
    g_assert_true(g_str_has_prefix(
        e2, "Parameter 'capabilities[0].capability' does not accept value "
            "'teleport'; accepted: xbzrle, "));
    e3 = qtest_qmp_assert_error(
        s, "GenericError", "{'execute': 'migrate-set-capabilities', "
                           "'arguments': {'capabilities': ['events']}}");
    g_assert_cmpstr(e3, ==, "Invalid parameter type for 'capabilities[0]', "
                            "expected: {\"capability\": NAME, \"state\": "
                            "BOOL}");
    /* all or nothing: the refused call left events on */
    json_node_unref(after);
    after = qtest_qmp_assert_success_ref(
        s, "{'execute': 'query-migrate-capabilities'}");
    g_free(t2);
    t2 = qtest_json_to_string(after);
    g_assert_cmpstr(t2, ==, "[{\"capability\":\"events\",\"state\":true}]");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_per_target("libvirt/options", test_options);
    qtest_add_per_target("libvirt/block", test_block);
    qtest_add_per_target("libvirt/migration", test_migration);
    if (qtest_binary("x86_64") != NULL) {
        /* pci.0 on pc; pseries' PCI host is checked the same way */
        g_test_add_data_func("/x86_64/libvirt/pci-bus", "x86_64",
                             (GTestDataFunc)test_pci_bus);
        g_test_add_func("/x86_64/libvirt/fdset", test_fdset);
        g_test_add_func("/x86_64/libvirt/fdset-mode", test_fdset_mode);
    }
    if (qtest_binary("ppc64") != NULL) {
        g_test_add_data_func("/ppc64/libvirt/pci-bus", "ppc64",
                             (GTestDataFunc)test_pci_bus);
    }
    return g_test_run();
}
