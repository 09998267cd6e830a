/* sev-guest's QMP commands (QEMU's shapes) and run-state behaviour. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "sev-test.h"

#include <glib/gstdio.h>
#include <string.h>

static char *sev_args(SevEnv *e, const char *sev_opts, const char *rest)
{
    return g_strdup_printf("-M pc -nodefaults -serial file:%s "
                           "-object sev-guest,id=sev0%s "
                           "-machine confidential-guest-support=sev0 "
                           "-kernel %s %s", e->serial, sev_opts,
                           sev_test_guest(), rest);
}

static JsonObject *ret_object(JsonNode *reply)
{
    return json_node_get_object(reply);
}

static void test_capabilities(void)
{
    g_autoptr(SevEnv) e = sev_env_new(NULL);
    g_autofree char *args = sev_args(e, "", "-S");
    QTestState *qts = sev_start(e, args);
    g_autoptr(JsonNode) r = qtest_qmp_assert_success_ref(
        qts, "{'execute': 'query-sev-capabilities'}");
    JsonObject *o = ret_object(r);
    gsize pdh_len = 0, chain_len = 0, id_len = 0;
    g_autofree guchar *pdh = g_base64_decode(
        json_object_get_string_member(o, "pdh"), &pdh_len);
    g_autofree guchar *chain = g_base64_decode(
        json_object_get_string_member(o, "cert-chain"), &chain_len);
    g_autofree guchar *id = g_base64_decode(
        json_object_get_string_member(o, "cpu0-id"), &id_len);

    /* The simulator's firmware blobs (docs/devel/hostsim.rst). */
    g_assert_cmpuint(pdh_len, ==, 2084);
    g_assert_cmpuint(chain_len, ==, 6252);
    g_assert_cmpuint(id_len, ==, 64);
    g_assert_cmpmem(id, 21, "CGEMU-HOSTSIM-CHIP-ID", 21);
    g_assert_cmpint(json_object_get_int_member(o, "cbitpos"), ==, 51);
    g_assert_cmpint(json_object_get_int_member(o, "reduced-phys-bits"), ==,
                    1);
    qtest_quit(qts);
}

/* Without SEV on the host the command says why (libvirt reads any error
 * as "unsupported"; people read the reason). */
static void test_capabilities_no_sev(void)
{
    QTestOptions o = { .target = "x86_64", .accel = "qtest" };
    QTestState *qts = qtest_init_with(&o, "-M none");
    g_autofree char *desc = qtest_qmp_assert_error(
        qts, "GenericError", "{'execute': 'query-sev-capabilities'}");

    g_assert_true(g_str_has_prefix(desc, "query-sev-capabilities: SEV is "
                                         "not available: sev-guest: "));
    qtest_quit(qts);
}

static void test_attestation(void)
{
    static const uint8_t mnonce[16] = "cgemu-mnonce-016";
    g_autoptr(SevEnv) e = sev_env_new(NULL);
    g_autofree char *args = sev_args(e, "", "-S");
    g_autofree char *m64 = g_base64_encode(mnonce, sizeof(mnonce));
    g_autofree char *short64 = g_base64_encode(mnonce, 8);
    g_autofree char *desc = NULL;
    g_autoptr(JsonNode) r = NULL;
    g_autofree guchar *report = NULL;
    gsize len = 0;
    QTestState *qts = sev_start(e, args);

    r = qtest_qmp_assert_success_ref(
        qts, "{'execute': 'query-sev-attestation-report', "
             "'arguments': {'mnonce': %s}}", m64);
    report = g_base64_decode(
        json_object_get_string_member(ret_object(r), "data"), &len);
    g_assert_cmpuint(len, ==, 208);
    g_assert_cmpmem(report, 16, mnonce, 16);
    desc = qtest_qmp_assert_error(
        qts, "GenericError", "{'execute': 'query-sev-attestation-report', "
                             "'arguments': {'mnonce': %s}}", short64);
    g_assert_cmpstr(desc, ==, "query-sev-attestation-report: 'mnonce' must "
                              "be 16 bytes in base64 (24 characters)");
    qtest_quit(qts);
}

static void test_inject_errors(void)
{
    g_autoptr(SevEnv) e = sev_env_new(NULL);
    g_autofree char *args = sev_args(e, "", "-S");
    g_autofree char *d1 = NULL, *d2 = NULL, *d3 = NULL, *d4 = NULL;
    QTestState *qts = sev_start(e, args);

    d1 = qtest_qmp_assert_error(qts, "GenericError",
        "{'execute': 'sev-inject-launch-secret', 'arguments': "
        "{'packet-header': 'AAAA', 'secret': 'AAAA'}}");
    g_assert_cmpstr(d1, ==,
                    "sev-inject-launch-secret: 'gpa' is missing and the "
                    "firmware names no secret area (GUID table entry "
                    "4c2eb361-7d9b-4cc3-8081-127c90d3d294); give the "
                    "guest-physical address the guest expects the secret "
                    "at");
    d2 = qtest_qmp_assert_error(qts, "GenericError",
        "{'execute': 'sev-inject-launch-secret', 'arguments': "
        "{'packet-header': 'A*AA', 'secret': 'AAAA', 'gpa': 4096}}");
    g_assert_cmpstr(d2, ==, "sev-inject-launch-secret: 'packet-header' is "
                            "not valid base64");
    d3 = qtest_qmp_assert_error(qts, "GenericError",
        "{'execute': 'sev-inject-launch-secret', 'arguments': "
        "{'packet-header': 'AAAA', 'secret': 'AAAA', 'gpa': %lld}}",
        (long long)1 << 40);
    g_assert_cmpstr(d3, ==, "sev-inject-launch-secret: gpa 0x10000000000 "
                            "with 3 bytes is not in guest RAM");
    qtest_qmp_assert_success(qts, "{'execute': 'cont'}");
    d4 = qtest_qmp_assert_error(qts, "GenericError",
        "{'execute': 'sev-inject-launch-secret', 'arguments': "
        "{'packet-header': 'AAAA', 'secret': 'AAAA', 'gpa': 4096}}");
    g_assert_cmpstr(d4, ==,
                    "sev-inject-launch-secret: the launch is in state "
                    "running; a secret can be injected only in state "
                    "launch-secret (start with -S, inject, then cont)");
    qtest_quit(qts);
}

/* On a guest without sev-guest the SEV commands answer, clearly. */
static void test_not_sev(void)
{
    QTestOptions o = { .target = "x86_64", .accel = "qtest" };
    QTestState *qts = qtest_init_with(&o, "-M pc -nodefaults");
    g_autoptr(JsonNode) r = qtest_qmp_assert_success_ref(
        qts, "{'execute': 'query-sev'}");
    g_autofree char *d1 = NULL, *d2 = NULL;
    g_autoptr(JsonNode) c = NULL;
    g_autofree char *ctext = NULL;

    g_assert_false(json_object_get_boolean_member(ret_object(r), "enabled"));
    d1 = qtest_qmp_assert_error(qts, "GenericError",
        "{'execute': 'sev-inject-launch-secret', 'arguments': "
        "{'packet-header': 'AAAA', 'secret': 'AAAA', 'gpa': 0}}");
    g_assert_cmpstr(d1, ==, "sev-inject-launch-secret: this guest is not an "
                            "SEV guest; start it with -object "
                            "sev-guest,id=ID -machine "
                            "confidential-guest-support=ID");
    d2 = qtest_qmp_assert_error(qts, "GenericError",
        "{'execute': 'query-sev-launch-measure'}");
    g_assert_true(g_str_has_prefix(d2, "query-sev-launch-measure: this guest "
                                       "is not an SEV guest"));
    c = qtest_qmp_assert_success_ref(
        qts, "{'execute': 'query-confidential-guest-support'}");
    ctext = qtest_json_to_string(c);
    g_assert_cmpstr(ctext, ==, "{\"enabled\":false}");
    qtest_quit(qts);
}

static void test_cgs_view(void)
{
    g_autoptr(SevEnv) e = sev_env_new(NULL);
    g_autofree char *args = sev_args(e, ",policy=0x3", "-S");
    QTestState *qts = sev_start(e, args);
    g_autoptr(JsonNode) r = qtest_qmp_assert_success_ref(
        qts, "{'execute': 'query-confidential-guest-support'}");
    g_autofree char *text = qtest_json_to_string(r);

    g_assert_cmpstr(text, ==,
                    "{\"enabled\":true,\"type\":\"sev-guest\",\"id\":\"sev0\","
                    "\"ready\":true,\"accelerator\":\"kvm\",\"state\":"
                    "\"launch-secret\",\"details\":{\"sev-type\":\"sev\","
                    "\"es\":false,\"policy\":3,\"policy-flags\":[\"nodbg\","
                    "\"noks\"],\"handle\":1,\"api-major\":1,\"api-minor\":55,"
                    "\"build-id\":29,\"cbitpos\":51,\"reduced-phys-bits\":1}}");
    qtest_quit(qts);
}

/*
 * The results of the SEV commands against query-qmp-schema (the other
 * commands are checked in tests/qtest/test-qmp-schema.c, which cannot
 * launch a SEV guest); sev-inject-launch-secret in test_secret_area.
 */
static void test_schema(void)
{
    static const uint8_t mnonce[16] = "cgemu-mnonce-016";
    g_autoptr(SevEnv) e = sev_env_new(NULL);
    g_autofree char *args = sev_args(e, ",policy=0x1", "-S");
    g_autofree char *m64 = g_base64_encode(mnonce, sizeof(mnonce));
    QTestState *qts = sev_start(e, args);
    g_autoptr(QTestSchema) s = qtest_schema_fetch(qts);
    static const char *const plain[] = {
        "query-sev", "query-sev-capabilities", "query-sev-launch-measure",
        "query-confidential-guest-support",
    };

    for (size_t i = 0; i < G_N_ELEMENTS(plain); i++) {
        json_node_unref(qtest_qmp_checked(qts, s, "{'execute': %s}",
                                          plain[i]));
    }
    json_node_unref(qtest_qmp_checked(
        qts, s, "{'execute': 'query-sev-attestation-report', "
                "'arguments': {'mnonce': %s}}", m64));
    qtest_quit(qts);
}

static void test_types_listed(void)
{
    QTestOptions o = { .target = "x86_64", .accel = "qtest" };
    QTestState *qts = qtest_init_with(&o, "-M none");
    g_autoptr(JsonNode) r = qtest_qmp_assert_success_ref(
        qts, "{'execute': 'qom-list-types', 'arguments': "
             "{'implements': 'confidential-guest-support'}}");
    g_auto(GStrv) names = qtest_json_strings(r, "name");

    g_assert_cmpuint(g_strv_length(names), ==, 1);
    g_assert_cmpstr(names[0], ==, "sev-guest");
    qtest_quit(qts);
}

/* A protected-state guest cannot be reset in place: an orderly end. */
static void test_es_reset_shuts_down(void)
{
    g_autoptr(SevEnv) e = sev_env_new(NULL);
    g_autofree char *args = sev_args(e, ",policy=0x5", "-S");
    g_autoptr(JsonNode) ev = NULL;
    g_autofree char *err = NULL;
    JsonObject *data;
    QTestState *qts = sev_start(e, args);

    qtest_qmp_assert_success(qts, "{'execute': 'cont'}");
    /*
     * Only once the guest has run is its state really its own: before
     * that a reset changes nothing and is allowed.  Wait for its report.
     */
    for (int i = 0; i < 3000; i++) {
        g_autofree char *out = sev_serial(e);
        if (strstr(out, "report.end=") != NULL) {
            break;
        }
        g_usleep(10000);
    }
    qtest_qmp_assert_success(qts, "{'execute': 'system_reset'}");
    ev = qtest_qmp_eventwait_ref(qts, "SHUTDOWN");
    data = json_object_get_object_member(json_node_get_object(ev), "data");
    g_assert_cmpstr(json_object_get_string_member(data, "reason"), ==,
                    "host-qmp-system-reset");
    g_assert_cmpint(qtest_wait_exit(qts), ==, 0);
    err = qtest_stderr(qts);
    g_assert_nonnull(strstr(err,
                            "warning: KVM: this guest's vCPU state is "
                            "protected by sev-guest and cannot be reset in "
                            "place; shut the guest down and start it again; "
                            "shutting the guest down instead\n"));
    qtest_quit(qts);
}

/* LAUNCH_FINISH failing at 'cont' after -S ends the process. */
static void test_finish_fails_at_cont(void)
{
    g_autoptr(SevEnv) e = sev_env_new(
        (const char *const[]){ "CGEMU_HOSTSIM_FAIL=LAUNCH_FINISH:INACTIVE",
                               NULL });
    g_autofree char *args = sev_args(e, "", "-S");
    g_autofree char *desc = NULL;
    g_autofree char *err = NULL;
    g_autofree char *serial = NULL;
    QTestState *qts = sev_start(e, args);

    desc = qtest_qmp_assert_error(qts, "GenericError",
                                  "{'execute': 'cont'}");
    g_assert_cmpstr(desc, ==, "sev-guest: LAUNCH_FINISH failed: firmware "
                              "error INACTIVE (8): the guest is not active");
    g_assert_cmpint(qtest_wait_exit(qts), ==, 1);
    err = qtest_stderr(qts);
    g_assert_cmpstr(err, ==, "cgemu-system-x86_64: sev-guest: LAUNCH_FINISH "
                             "failed: firmware error INACTIVE (8): the guest "
                             "is not active\n");
    serial = sev_serial(e);
    g_assert_cmpstr(serial, ==, "");
    qtest_quit(qts);
}

/* A firmware GUID table entry: data || u16 length || GUID (EFI order). */
static void table_entry(GByteArray *t, const char *guid, const void *data,
                        size_t len)
{
    uint8_t be[16], le[16];
    uint16_t total = (uint16_t)(len + 2 + 16);
    int n = 0;

    for (const char *c = guid; *c && n < 16; c++) {
        if (*c != '-') {
            be[n++] = (uint8_t)(g_ascii_xdigit_value(c[0]) << 4 |
                                g_ascii_xdigit_value(c[1]));
            c++;
        }
    }
    le[0] = be[3], le[1] = be[2], le[2] = be[1], le[3] = be[0];
    le[4] = be[5], le[5] = be[4], le[6] = be[7], le[7] = be[6];
    memcpy(le + 8, be + 8, 8);
    g_byte_array_append(t, data, (guint)len);
    g_byte_array_append(t, (const guint8 *)&total, 2);
    g_byte_array_append(t, le, 16);
}

/*
 * The test BIOS with an OVMF-style GUID table ending 0x20 bytes before
 * the image's end (where the test BIOS has only filler): a secret area at
 * 8 MiB and, when @es_reset, an SEV-ES AP reset vector.
 */
static char *bios_with_table(SevEnv *e, bool es_reset)
{
    g_autofree char *data = NULL;
    gsize size = 0;
    g_autoptr(GByteArray) t = g_byte_array_new();
    const uint32_t secret[2] = { 0x800000, 0x1000 };
    const uint32_t reset = 0xffff0000u;
    uint16_t total;
    char *path = g_build_filename(e->dir, "bios-table.bin", NULL);

    g_assert_true(g_file_get_contents(sev_test_bios(), &data, &size, NULL));
    table_entry(t, "4c2eb361-7d9b-4cc3-8081-127c90d3d294", secret,
                sizeof(secret));
    if (es_reset) {
        table_entry(t, "00f771de-1a7e-4fcb-890e-68c77e2fb44e", &reset, 4);
    }
    total = (uint16_t)(t->len + 2 + 16);
    g_byte_array_append(t, (const guint8 *)&total, 2);
    table_entry(t, "96b582de-1fb2-45f7-baea-a366c55a082d", NULL, 0);
    /* the footer GUID carries no length of its own */
    g_byte_array_remove_range(t, t->len - 18, 2);
    memcpy(data + size - 0x20 - t->len, t->data, t->len);
    g_assert_true(g_file_set_contents(path, data, (gssize)size, NULL));
    return path;
}

/* Without gpa, the secret lands where the firmware's table says. */
static void test_secret_area(void)
{
    static const uint8_t plain[32] = "secret for the firmware's area!";
    static const uint8_t iv[16] = "0123456789abcdef";
    g_autoptr(SevEnv) e = sev_env_new(NULL);
    g_autofree char *bios = bios_with_table(e, false);
    g_autofree char *dump = g_build_filename(e->dir, "dump.bin", NULL);
    g_autofree char *args = g_strdup_printf(
        "-M pc -nodefaults -serial file:%s -object sev-guest,id=sev0 "
        "-machine confidential-guest-support=sev0 -S -bios %s",
        e->serial, bios);
    g_autofree char *hdr64 = NULL, *pkt64 = NULL, *got = NULL;
    uint8_t blob[48], tik[16], tek[16], header[52], packet[32];
    g_autoptr(QTestSchema) schema = NULL;
    gsize len = 0;
    QTestState *qts = sev_start(e, args);

    sev_query_measure(qts, blob);
    sev_hex16(SEV_TEST_TIK, tik);
    sev_hex16(SEV_TEST_TEK, tek);
    sev_build_secret(tik, tek, iv, blob, plain, sizeof(plain), header,
                     packet);
    hdr64 = g_base64_encode(header, sizeof(header));
    pkt64 = g_base64_encode(packet, sizeof(packet));
    schema = qtest_schema_fetch(qts);
    json_node_unref(qtest_qmp_checked(qts, schema,
        "{'execute': 'sev-inject-launch-secret', 'arguments': "
        "{'packet-header': %s, 'secret': %s}}", hdr64, pkt64));
    qtest_qmp_assert_success(qts,
        "{'execute': 'pmemsave', 'arguments': "
        "{'val': %u, 'size': 32, 'filename': %s}}", 0x800000u, dump);
    g_assert_true(g_file_get_contents(dump, &got, &len, NULL));
    g_assert_cmpmem(got, len, plain, sizeof(plain));
    g_unlink(dump);
    qtest_quit(qts);
}

/* SEV-ES with two vCPUs: the firmware's reset block is required. */
static void test_es_smp(void)
{
    g_autoptr(SevEnv) e = sev_env_new(NULL);
    g_autofree char *bios = bios_with_table(e, true);
    g_autofree char *ok_args = g_strdup_printf(
        "-M pc -nodefaults -serial file:%s -smp 2 "
        "-object sev-guest,id=sev0,policy=0x5 "
        "-machine confidential-guest-support=sev0 -S -bios %s",
        e->serial, bios);
    g_autofree char *bad_args = g_strdup_printf(
        "-M pc -nodefaults -serial file:%s -smp 2 "
        "-object sev-guest,id=sev0,policy=0x5 "
        "-machine confidential-guest-support=sev0 -S -bios %s",
        e->serial, sev_test_bios());
    g_auto(GStrv) calls = NULL;
    g_autoptr(GError) err = NULL;
    bool two = false;
    QTestState *qts = sev_start(e, ok_args);

    calls = sev_log_lines(e, true);
    for (char **l = calls; *l; l++) {
        two |= !strcmp(*l, "sev LAUNCH_UPDATE_VMSA vcpus=2");
    }
    g_assert_true(two);
    qtest_quit(qts);

    g_assert_null(sev_try_start(e, bad_args, &err));
    g_assert_cmpint(err->code, ==, 1);
    g_assert_cmpstr(err->message, ==,
                    "cgemu-system-x86_64: sev-guest: SEV-ES with -smp 2 "
                    "needs the firmware's SEV-ES reset block (GUID table "
                    "entry 00f771de-1a7e-4fcb-890e-68c77e2fb44e, as OVMF "
                    "has); this -bios image has no GUID table\n");
}

static void skip_no_kvm(void)
{
    g_test_skip("/dev/kvm is missing: these cases need real KVM under the "
                "host simulator");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/sev/qmp/not-sev", test_not_sev);
    g_test_add_func("/sev/qmp/types-listed", test_types_listed);
    g_test_add_func("/sev/qmp/capabilities-no-sev", test_capabilities_no_sev);
    if (!g_file_test("/dev/kvm", G_FILE_TEST_EXISTS)) {
        g_test_add_func("/sev/qmp/skipped", skip_no_kvm);
        return g_test_run();
    }
    g_test_add_func("/sev/qmp/capabilities", test_capabilities);
    g_test_add_func("/sev/qmp/attestation", test_attestation);
    g_test_add_func("/sev/qmp/inject-errors", test_inject_errors);
    g_test_add_func("/sev/qmp/cgs-view", test_cgs_view);
    g_test_add_func("/sev/qmp/es-reset-shuts-down", test_es_reset_shuts_down);
    g_test_add_func("/sev/qmp/finish-fails-at-cont",
                    test_finish_fails_at_cont);
    g_test_add_func("/sev/qmp/secret-area", test_secret_area);
    g_test_add_func("/sev/qmp/es-smp", test_es_smp);
    g_test_add_func("/sev/qmp/schema", test_schema);
    return g_test_run();
}
