/* sev-guest's QMP commands (QEMU's shapes) and run-state behaviour. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "sev-test.h"

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
                    "sev-inject-launch-secret: 'gpa' is required: cgemu "
                    "does not look up a firmware secret area; give the "
                    "guest-physical address the guest expects the secret at");
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
    return g_test_run();
}
