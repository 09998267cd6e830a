/* sev-guest end to end under the host simulator and real KVM: the launch
 * sequence, the measurement, secret injection, SEV-ES, run states. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "guest-report.h"
#include "sev-test.h"

#include <string.h>

/* Mirrors hw/i386/pc-boot.h: -bios is also mapped below 1 MiB, up to
 * this much of its end, as a second measured copy. */
#define BIOS_ISA_MAX (128u << 10)

static char *common_args(SevEnv *e, const char *sev_opts, const char *rest)
{
    return g_strdup_printf("-M pc -nodefaults -serial file:%s "
                           "-object sev-guest,id=sev0%s "
                           "-machine confidential-guest-support=sev0 %s",
                           e->serial, sev_opts, rest);
}

/* The calls of the SEV launch, without the CPUID probes (how often KVM
 * set-up reads the supported table is not SEV's business). */
static char *launch_calls(SevEnv *e)
{
    g_auto(GStrv) lines = sev_log_lines(e, true);
    g_autoptr(GString) s = g_string_new(NULL);

    for (char **l = lines; *l; l++) {
        if (g_str_has_prefix(*l, "sev GET_SUPPORTED_CPUID") ||
            g_str_has_prefix(*l, "sev REG_REGION")) {
            continue;
        }
        g_string_append_printf(s, "%s\n", *l + strlen("sev "));
    }
    return g_strdup(s->str);
}

static unsigned count_lines(SevEnv *e, const char *prefix)
{
    g_auto(GStrv) lines = sev_log_lines(e, true);
    unsigned n = 0;

    for (char **l = lines; *l; l++) {
        n += g_str_has_prefix(*l, prefix);
    }
    return n;
}

/* SHA-256 of the firmware as cgemu places it: the image below 4 GiB,
 * then its end again below 1 MiB. */
static void bios_digest(GChecksum *c)
{
    g_autofree char *data = NULL;
    gsize len = 0;
    gsize isa;

    g_assert_true(g_file_get_contents(sev_test_bios(), &data, &len, NULL));
    isa = MIN(len, BIOS_ISA_MAX);
    g_checksum_update(c, (const guchar *)data, (gssize)len);
    g_checksum_update(c, (const guchar *)data + len - isa, (gssize)isa);
}

static void wait_serial(SevEnv *e, const char *needle)
{
    for (int i = 0; i < 2000; i++) {
        g_autofree char *text = sev_serial(e);
        if (strstr(text, needle) != NULL) {
            return;
        }
        g_usleep(10000);
    }
    g_assert_not_reached();
}

static void check_measure(QTestState *qts, uint32_t policy,
                          const uint8_t digest[32])
{
    uint8_t blob[48], want[32], tik[16], mnonce[16];

    sev_query_measure(qts, blob);
    sev_hex16(SEV_TEST_TIK, tik);
    sev_hex16(SEV_TEST_MNONCE, mnonce);
    g_assert_cmpmem(blob + 32, 16, mnonce, 16);
    sev_expected_measure((uint8_t)sev_qmp_int(qts, "query-sev", "api-major"),
                         (uint8_t)sev_qmp_int(qts, "query-sev", "api-minor"),
                         (uint8_t)sev_qmp_int(qts, "query-sev", "build-id"),
                         policy, digest, mnonce, tik, want);
    g_assert_cmpmem(blob, 32, want, 32);
}

static void test_bios_measurement(void)
{
    g_autoptr(SevEnv) e = sev_env_new(NULL);
    g_autofree char *extra = g_strdup_printf("-S -bios %s", sev_test_bios());
    g_autofree char *args = common_args(e, "", extra);
    g_autoptr(GChecksum) c = g_checksum_new(G_CHECKSUM_SHA256);
    g_autofree char *state = NULL;
    g_autofree char *calls = NULL;
    g_autofree char *status = NULL;
    uint8_t digest[32];
    gsize dlen = sizeof(digest);
    QTestState *qts = sev_start(e, args);

    status = sev_qmp_str(qts, "query-status", "status");
    g_assert_cmpstr(status, ==, "prelaunch");
    state = sev_qmp_str(qts, "query-sev", "state");
    g_assert_cmpstr(state, ==, "launch-secret");
    g_assert_cmpint(sev_qmp_int(qts, "query-sev", "policy"), ==, 1);
    g_assert_cmpint(sev_qmp_int(qts, "query-sev", "handle"), ==, 1);
    g_assert_cmpint(sev_qmp_int(qts, "query-sev", "api-major"), ==, 1);
    g_assert_cmpint(sev_qmp_int(qts, "query-sev", "api-minor"), ==, 55);
    g_assert_cmpint(sev_qmp_int(qts, "query-sev", "build-id"), ==, 29);

    bios_digest(c);
    g_checksum_get_digest(c, digest, &dlen);
    check_measure(qts, 1, digest);

    /* Nothing ran yet: the guest has not printed a byte. */
    {
        g_autofree char *serial = sev_serial(e);
        g_assert_cmpstr(serial, ==, "");
    }
    calls = launch_calls(e);
    g_assert_cmpstr(calls, ==,
                    "open /dev/sev\n"
                    "PLATFORM_STATUS\n"
                    "INIT\n"
                    "LAUNCH_START policy=0x1 handle=0 dh_len=0 "
                    "session_len=0\n"
                    "LAUNCH_UPDATE_DATA len=65536\n"
                    "LAUNCH_UPDATE_DATA len=65536\n"
                    "LAUNCH_MEASURE len=0\n"
                    "LAUNCH_MEASURE len=48\n");
    /* Every RAM region is registered for encryption. */
    g_assert_cmpuint(count_lines(e, "sev REG_REGION"), >=, 3);

    qtest_qmp_assert_success(qts, "{'execute': 'cont'}");
    qtest_qmp_eventwait(qts, "RESUME");
    wait_serial(e, "bios=hello");
    g_free(state);
    state = sev_qmp_str(qts, "query-sev", "state");
    g_assert_cmpstr(state, ==, "running");
    g_free(calls);
    calls = launch_calls(e);
    g_assert_true(g_str_has_suffix(calls, "LAUNCH_MEASURE len=48\n"
                                          "LAUNCH_FINISH\n"));
    /* The measurement stays available after the launch. */
    check_measure(qts, 1, digest);
    qtest_quit(qts);
}

static GuestReport *run_to_report(SevEnv *e, QTestState *qts)
{
    g_autofree char *serial = NULL;
    g_autoptr(GError) err = NULL;
    GuestReport *r;

    /* (0 << 1) | 1: the guest wrote 0, "all checks passed". */
    g_assert_cmpint(qtest_wait_exit(qts), ==, 1);
    serial = sev_serial(e);
    r = guest_report_parse(serial, &err);
    g_assert_no_error(err);
    qtest_quit(qts);
    return r;
}

static void test_guest_sees_sev(void)
{
    g_autoptr(SevEnv) e = sev_env_new(
        (const char *const[]){ "CGEMU_HOSTSIM_SEV_CBITPOS=47",
                               "CGEMU_HOSTSIM_SEV_REDUCED_PHYS_BITS=5",
                               NULL });
    g_autofree char *extra = g_strdup_printf(
        "-kernel %s -append 'expect-access-platform=1 expect-legacy=0' "
        "-device virtio-rng-pci -device isa-debug-exit,iobase=0xf4,"
        "iosize=0x04", sev_test_guest());
    g_autofree char *args = common_args(e, ",cbitpos=47", extra);
    g_autoptr(GuestReport) r = run_to_report(e, sev_start(e, args));

    g_assert_true(guest_report_passed(r));
    /* The confidential defaults, seen from inside: a modern-only device
     * (0x1040 + 4) that offers ACCESS_PLATFORM, accepted. */
    g_assert_cmpstr(guest_report_get(r, "virtio.devices"), ==, "1");
    g_assert_cmpstr(guest_report_get(r, "virtio.0.device-id"), ==, "0x1044");
    g_assert_cmpstr(guest_report_get(r, "virtio.0.transport"), ==, "modern");
    g_assert_cmpstr(guest_report_get(r, "virtio.0.access-platform.accepted"),
                    ==, "1");
    g_assert_cmpstr(guest_report_get(r, "virtio.0.features-ok"), ==, "1");
    g_assert_cmpstr(guest_report_get(r, "virtio.0.rng.bytes"), ==, "16");
    g_assert_cmpstr(guest_report_get(r, "cpu.sev"), ==, "1");
    g_assert_cmpstr(guest_report_get(r, "cpu.sev-es"), ==, "0");
    g_assert_cmpstr(guest_report_get(r, "cpu.cbitpos"), ==, "47");
    g_assert_cmpstr(guest_report_get(r, "cpu.reduced-phys-bits"), ==, "5");
}

/* The RAM as libvirt gives it: a memory-backend, encrypted the same. */
static void test_memory_backend(void)
{
    g_autoptr(SevEnv) e = sev_env_new(NULL);
    g_autofree char *extra = g_strdup_printf(
        "-object memory-backend-ram,id=pc.ram,size=128M "
        "-machine memory-backend=pc.ram -kernel %s -append 'dump=0x7fffff0,16' "
        "-device isa-debug-exit,iobase=0xf4,iosize=0x04", sev_test_guest());
    g_autofree char *args = common_args(e, "", extra);
    g_autoptr(GuestReport) r = run_to_report(e, sev_start(e, args));

    g_assert_true(guest_report_passed(r));
    g_assert_cmpstr(guest_report_get(r, "cpu.sev"), ==, "1");
    g_assert_cmpstr(guest_report_get(r, "boot.ram-kib"), ==, "130687");
    g_assert_cmpstr(guest_report_get(r, "dump.hex"), ==,
                    "00000000000000000000000000000000");
    /* both pieces of the backend (below 640 KiB, from 1 MiB) are
     * registered as encrypted memory */
    g_assert_cmpuint(count_lines(e, "sev REG_REGION"), ==, 2);
}

static void test_secret_injection(void)
{
    static const uint8_t plain[32] = "cgemu launch secret: 0123456789";
    static const uint8_t iv[16] = { 1, 2, 3, 4, 5, 6, 7, 8,
                                    9, 10, 11, 12, 13, 14, 15, 16 };
    g_autoptr(SevEnv) e = sev_env_new(NULL);
    g_autofree char *extra = g_strdup_printf(
        "-S -kernel %s -append dump=0x600000,32 "
        "-device isa-debug-exit,iobase=0xf4,iosize=0x04", sev_test_guest());
    g_autofree char *args = common_args(e, "", extra);
    g_autofree char *hdr64 = NULL, *pkt64 = NULL, *want_hex = NULL;
    g_autofree char *desc = NULL;
    uint8_t blob[48], tik[16], tek[16], header[52], packet[32];
    g_autoptr(GuestReport) r = NULL;
    QTestState *qts = sev_start(e, args);

    sev_query_measure(qts, blob);
    sev_hex16(SEV_TEST_TIK, tik);
    sev_hex16(SEV_TEST_TEK, tek);

    /* A packet MACed with the wrong key is refused by the firmware. */
    sev_build_secret(tek, tek, iv, blob, plain, sizeof(plain), header,
                     packet);
    hdr64 = g_base64_encode(header, sizeof(header));
    pkt64 = g_base64_encode(packet, sizeof(packet));
    desc = qtest_qmp_assert_error(qts, "GenericError",
        "{'execute': 'sev-inject-launch-secret', 'arguments': "
        "{'packet-header': %s, 'secret': %s, 'gpa': %u}}",
        hdr64, pkt64, 0x600000u);
    g_assert_cmpstr(desc, ==,
                    "sev-inject-launch-secret: LAUNCH_SECRET failed: firmware "
                    "error BAD_MEASUREMENT (11): the measurement does not "
                    "match");

    sev_build_secret(tik, tek, iv, blob, plain, sizeof(plain), header,
                     packet);
    g_free(hdr64);
    g_free(pkt64);
    hdr64 = g_base64_encode(header, sizeof(header));
    pkt64 = g_base64_encode(packet, sizeof(packet));
    qtest_qmp_assert_success(qts,
        "{'execute': 'sev-inject-launch-secret', 'arguments': "
        "{'packet-header': %s, 'secret': %s, 'gpa': %u}}",
        hdr64, pkt64, 0x600000u);
    qtest_qmp_assert_success(qts, "{'execute': 'cont'}");
    r = run_to_report(e, qts);
    want_hex = g_malloc0(sizeof(plain) * 2 + 1);
    for (size_t i = 0; i < sizeof(plain); i++) {
        g_snprintf(want_hex + 2 * i, 3, "%02x", plain[i]);
    }
    g_assert_true(guest_report_passed(r));
    g_assert_cmpstr(guest_report_get(r, "dump.hex"), ==, want_hex);
}

/* The simulator's stand-in for an encrypted VMSA (docs/devel/hostsim.rst):
 * a page with a marker and the vCPU id. */
static void vmsa_block(GChecksum *c, uint32_t vcpu)
{
    g_autofree uint8_t *page = g_malloc0(4096);

    memcpy(page, "CGEMU-HOSTSIM-VMSA", strlen("CGEMU-HOSTSIM-VMSA"));
    page[32] = (uint8_t)vcpu;
    page[33] = (uint8_t)(vcpu >> 8);
    page[34] = (uint8_t)(vcpu >> 16);
    page[35] = (uint8_t)(vcpu >> 24);
    g_checksum_update(c, page, 4096);
}

static void test_es_measurement(void)
{
    g_autoptr(SevEnv) e = sev_env_new(NULL);
    g_autofree char *extra = g_strdup_printf("-S -bios %s", sev_test_bios());
    g_autofree char *args = common_args(e, ",policy=0x5", extra);
    g_autoptr(GChecksum) c = g_checksum_new(G_CHECKSUM_SHA256);
    g_autofree char *calls = NULL;
    uint8_t digest[32];
    gsize dlen = sizeof(digest);
    QTestState *qts = sev_start(e, args);

    bios_digest(c);
    vmsa_block(c, 0);
    g_checksum_get_digest(c, digest, &dlen);
    check_measure(qts, 5, digest);
    calls = launch_calls(e);
    g_assert_cmpstr(calls, ==,
                    "open /dev/sev\n"
                    "PLATFORM_STATUS\n"
                    "ES_INIT\n"
                    "LAUNCH_START policy=0x5 handle=0 dh_len=0 "
                    "session_len=0\n"
                    "LAUNCH_UPDATE_DATA len=65536\n"
                    "LAUNCH_UPDATE_DATA len=65536\n"
                    "LAUNCH_UPDATE_VMSA vcpus=1\n"
                    "LAUNCH_MEASURE len=0\n"
                    "LAUNCH_MEASURE len=48\n");
    qtest_qmp_assert_success(qts, "{'execute': 'cont'}");
    wait_serial(e, "bios=hello");
    qtest_quit(qts);
}

static void test_es_guest(void)
{
    g_autoptr(SevEnv) e = sev_env_new(NULL);
    g_autofree char *extra = g_strdup_printf(
        "-kernel %s -device isa-debug-exit,iobase=0xf4,iosize=0x04",
        sev_test_guest());
    g_autofree char *args = common_args(e, ",policy=0x5", extra);
    g_autoptr(GuestReport) r = run_to_report(e, sev_start(e, args));

    g_assert_true(guest_report_passed(r));
    g_assert_cmpstr(guest_report_get(r, "cpu.sev"), ==, "1");
    g_assert_cmpstr(guest_report_get(r, "cpu.sev-es"), ==, "1");
}

static void skip_no_kvm(void)
{
    g_test_skip("/dev/kvm is missing: the SEV launch needs real KVM under "
                "the host simulator");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    if (!g_file_test("/dev/kvm", G_FILE_TEST_EXISTS)) {
        g_test_add_func("/sev/launch/skipped", skip_no_kvm);
        return g_test_run();
    }
    g_test_add_func("/sev/launch/bios-measurement", test_bios_measurement);
    g_test_add_func("/sev/launch/guest-sees-sev", test_guest_sees_sev);
    g_test_add_func("/sev/launch/secret-injection", test_secret_injection);
    g_test_add_func("/sev/launch/memory-backend", test_memory_backend);
    g_test_add_func("/sev/launch/es-measurement", test_es_measurement);
    g_test_add_func("/sev/launch/es-guest", test_es_guest);
    return g_test_run();
}
