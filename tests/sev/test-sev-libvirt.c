/* A SEV guest as libvirt starts it: its command line and QMP calls. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "sev-test.h"

#include "guest-report.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

/*
 * What libvirt 9.0.0 (Debian 12) ran for this domain, on cgemu under the
 * host simulator:
 *
 *   <domain type='kvm'>
 *     <memory unit='MiB'>128</memory> <vcpu>1</vcpu>
 *     <os><type arch='x86_64' machine='pc'>hvm</type>
 *         <kernel>test-guest.elf</kernel>
 *         <cmdline>expect-access-platform=1</cmdline></os>
 *     <devices><controller type='usb' model='none'/>
 *       <serial type='file'><source path='...'/></serial>
 *       <memballoon model='none'/>
 *       <rng model='virtio'><backend model='random'>/dev/urandom</backend>
 *            <driver iommu='on'/></rng></devices>
 *     <launchSecurity type='sev'><cbitpos>51</cbitpos>
 *       <reducedPhysBits>1</reducedPhysBits><policy>0x0003</policy>
 *     </launchSecurity>
 *   </domain>
 *
 * Changed: the monitor (libvirt passes a listening socket as fd=; the
 * harness gives its own -qmp), the master key file and the serial log's
 * descriptor number; -accel kvm comes from the harness too.
 */
static const char libvirt_args[] =
    "-name guest=cgemu-sev,debug-threads=on "
    "-S "
    "-object '{\"qom-type\":\"secret\",\"id\":\"masterKey0\","
    "\"format\":\"raw\",\"file\":\"%s\"}' "
    "-machine pc,usb=off,dump-guest-core=off,memory-backend=pc.ram,"
    "confidential-guest-support=lsec0 "
    "-m 128 "
    "-object '{\"qom-type\":\"memory-backend-ram\",\"id\":\"pc.ram\","
    "\"size\":134217728}' "
    "-overcommit mem-lock=off "
    "-smp 1,sockets=1,cores=1,threads=1 "
    "-uuid 53775baf-7346-4294-aea6-477ee3442ba2 "
    "-display none "
    "-no-user-config "
    "-nodefaults "
    "-rtc base=utc "
    "-no-reboot "
    "-boot strict=on "
    "-kernel %s "
    "-append expect-access-platform=1 "
    "-add-fd set=0,fd=%d,opaque=serial0-source "
    "-chardev file,id=charserial0,path=/dev/fdset/0,append=on "
    "-device isa-serial,chardev=charserial0,id=serial0,index=0 "
    "-audiodev '{\"id\":\"audio1\",\"driver\":\"none\"}' "
    "-object '{\"qom-type\":\"rng-random\",\"id\":\"objrng0\","
    "\"filename\":\"/dev/urandom\"}' "
    "-device virtio-rng-pci,iommu_platform=on,rng=objrng0,id=rng0,"
    "bus=pci.0,addr=0x2 "
    "-object '{\"qom-type\":\"sev-guest\",\"id\":\"lsec0\",\"cbitpos\":51,"
    "\"reduced-phys-bits\":1,\"policy\":3}' "
    "-msg timestamp=on";

/* The calls libvirt made, in order, from start to a running guest. */
static const char *const libvirt_calls[] = {
    "{\"execute\":\"query-migrate-capabilities\"}",
    "{\"execute\":\"migrate-set-capabilities\",\"arguments\":"
    "{\"capabilities\":[{\"capability\":\"events\",\"state\":true}]}}",
    "{\"execute\":\"query-chardev\"}",
    "{\"execute\":\"query-cpus-fast\"}",
    /* (then qom-list of /machine/unattached/cpu[0], the qom-path
     * query-cpus-fast gives: cgemu has no vCPU objects in the tree and
     * answers DeviceNotFound, which libvirt 9.0 takes as "no CPU
     * properties to read"; see test_cpu_path) */
    "{\"execute\":\"query-named-block-nodes\",\"arguments\":"
    "{\"flat\":true}}",
    "{\"execute\":\"qom-list\",\"arguments\":"
    "{\"path\":\"/machine/peripheral\"}}",
    "{\"execute\":\"query-block\"}",
    "{\"execute\":\"cont\"}",
    "{\"execute\":\"query-sev-launch-measure\"}",
    "{\"execute\":\"query-sev\"}",
};

/* Sends the JSON text @cmd; its return value (fails on an error). */
static JsonNode *call(QTestState *qts, const char *cmd)
{
    g_autoptr(JsonParser) p = json_parser_new();
    g_autoptr(JsonNode) reply = NULL;

    g_assert_true(json_parser_load_from_data(p, cmd, -1, NULL));
    reply = qtest_qmp_node(qts, json_parser_get_root(p));
    return qtest_reply_return(reply);
}

static void test_libvirt_sev(void)
{
    g_autoptr(SevEnv) e = sev_env_new(NULL);
    g_autofree char *key = g_build_filename(e->dir, "master-key.aes", NULL);
    int fd = open(e->serial, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
                  0600);
    int fds[] = { fd, -1 };
    g_autofree char *args = NULL;
    g_autofree char *serial = NULL;
    g_autoptr(GuestReport) r = NULL;
    g_autoptr(GError) err = NULL;
    g_autoptr(JsonNode) sev = NULL;
    QTestState *qts;

    g_assert_cmpint(fd, >=, 0);
    g_assert_true(g_file_set_contents(key, "0123456789abcdef0123456789abcdef",
                                      32, NULL));
    args = g_strdup_printf(libvirt_args, key, sev_test_guest(), fd);
    e->pass_fds = fds;
    qts = sev_start(e, args);
    close(fd);
    for (size_t i = 0; i < G_N_ELEMENTS(libvirt_calls); i++) {
        json_node_unref(call(qts, libvirt_calls[i]));
    }
    sev = qtest_qmp_assert_success_ref(qts, "{'execute': 'query-sev'}");
    g_assert_true(json_object_get_boolean_member(json_node_get_object(sev),
                                                 "enabled"));
    g_assert_cmpint(json_object_get_int_member(json_node_get_object(sev),
                                               "policy"), ==, 3);
    /* the guest has no way out: it halts after its report */
    for (int i = 0; i < 500; i++) {
        g_free(serial);
        serial = sev_serial(e);
        if (strstr(serial, "report.end=") != NULL) {
            break;
        }
        g_usleep(10 * 1000);
    }
    qtest_quit(qts);
    r = guest_report_parse(serial, &err);
    g_assert_no_error(err);
    g_assert_true(guest_report_passed(r));
    g_assert_cmpstr(guest_report_get(r, "cpu.sev"), ==, "1");
    g_assert_cmpstr(guest_report_get(r, "virtio.0.access-platform.accepted"),
                    ==, "1");
    g_unlink(key);
}

/* What libvirt met on the vCPU's path: an error it tolerates. */
static void test_cpu_path(void)
{
    g_autoptr(SevEnv) e = sev_env_new(NULL);
    g_autofree char *args = g_strdup_printf(
        "-M pc -nodefaults -object sev-guest,id=sev0 "
        "-machine confidential-guest-support=sev0 -S -kernel %s",
        sev_test_guest());
    QTestState *qts = sev_start(e, args);
    g_autoptr(JsonNode) cpus = call(qts, "{\"execute\":\"query-cpus-fast\"}");
    const char *path = json_object_get_string_member(
        json_array_get_object_element(json_node_get_array(cpus), 0),
        "qom-path");
    g_autofree char *desc = qtest_qmp_assert_error(
        qts, "DeviceNotFound", "{'execute': 'qom-list', 'arguments': "
                               "{'path': %s}}", path);

    g_assert_cmpstr(path, ==, "/machine/unattached/cpu[0]");
    qtest_quit(qts);
}

static void skip_no_kvm(void)
{
    g_test_skip("/dev/kvm is missing: this case needs real KVM under the "
                "host simulator");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    if (!g_file_test("/dev/kvm", G_FILE_TEST_EXISTS)) {
        g_test_add_func("/sev/libvirt/skipped", skip_no_kvm);
        return g_test_run();
    }
    g_test_add_func("/sev/libvirt/start", test_libvirt_sev);
    g_test_add_func("/sev/libvirt/cpu-path", test_cpu_path);
    return g_test_run();
}
