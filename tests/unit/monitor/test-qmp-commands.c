/* Unit tests: the generic QMP commands, their replies and their errors. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "qmp-fixture.h"

#include "cgemu-config.h"

#include <string.h>
#include <unistd.h>

/* A started system built from @args (qtest unless given), with monitor
 * m0 negotiated. */
static CgSystem *ready(const char *const *args, FakeChardev **m0)
{
    g_autoptr(GPtrArray) all = g_ptr_array_new();
    bool has_accel = false;
    CgSystem *sys;

    for (const char *const *a = args; *a; a++) {
        has_accel |= !strcmp(*a, "-accel");
        g_ptr_array_add(all, (gpointer)*a);
    }
    if (!has_accel) {
        g_ptr_array_add(all, "-accel");
        g_ptr_array_add(all, "qtest");
    }
    g_ptr_array_add(all, "-chardev");
    g_ptr_array_add(all, "testfake,id=m0");
    g_ptr_array_add(all, "-mon");
    g_ptr_array_add(all, "chardev=m0");
    g_ptr_array_add(all, NULL);
    sys = fx_build_ok((const char *const *)all->pdata);
    fx_start(sys);
    *m0 = fx_chardev(sys, "m0");
    fx_negotiate(*m0);
    return sys;
}

static void check_reply(FakeChardev *f, const char *cmd, const char *want)
{
    g_autofree char *got = fx_qmp(f, cmd);

    g_assert_cmpstr(got, ==, want);
}

static void check_error(FakeChardev *f, const char *cmd, const char *cls,
                        const char *desc)
{
    g_autofree char *want = g_strdup_printf(
        "{\"error\": {\"class\": \"%s\", \"desc\": \"%s\"}}", cls, desc);

    check_reply(f, cmd, want);
}

/* The "return" value of @cmd, parsed (the test fails on an error). */
static JsonNode *qmp_return(FakeChardev *f, const char *cmd)
{
    g_autofree char *line = fx_qmp(f, cmd);
    g_autoptr(JsonParser) p = json_parser_new();
    JsonObject *o;

    g_assert_true(json_parser_load_from_data(p, line, -1, NULL));
    o = json_node_get_object(json_parser_get_root(p));
    if (!json_object_has_member(o, "return")) {
        g_error("%s failed: %s", cmd, line);
    }
    return json_node_copy(json_object_get_member(o, "return"));
}

static const char *const no_args[] = { NULL };

static void test_version(void)
{
    FakeChardev *m0;
    CgSystem *sys = ready(no_args, &m0);

    check_reply(m0, "{\"execute\": \"query-version\"}",
                "{\"return\": {\"qemu\": {\"micro\": 0, \"minor\": 2, "
                "\"major\": 7}, \"package\": \"cgemu-" CGEMU_VERSION "\"}}");
    check_reply(m0, "{\"execute\": \"query-target\"}",
                "{\"return\": {\"arch\": \"test\"}}");
    check_reply(m0, "{\"execute\": \"query-kvm\"}",
                "{\"return\": {\"enabled\": false, \"present\": true}}");
    check_reply(m0, "{\"execute\": \"query-name\"}", "{\"return\": {}}");
    check_reply(m0, "{\"execute\": \"query-uuid\"}",
                "{\"return\": {\"UUID\": "
                "\"00000000-0000-0000-0000-000000000000\"}}");
    check_reply(m0, "{\"execute\": \"query-status\"}",
                "{\"return\": {\"status\": \"prelaunch\", \"singlestep\": "
                "false, \"running\": false}}");
    fx_destroy(sys);
}

static void test_name_uuid_kvm(void)
{
    static const char *const args[] = {
        "-accel", "kvm", "-name", "guest=vm1,debug-threads=on", "-uuid",
        "12345678-ABCD-1234-1234-123456789ABC", NULL };
    FakeChardev *m0;
    CgSystem *sys = ready(args, &m0);

    check_reply(m0, "{\"execute\": \"query-name\"}",
                "{\"return\": {\"name\": \"vm1\"}}");
    check_reply(m0, "{\"execute\": \"query-uuid\"}",
                "{\"return\": {\"UUID\": "
                "\"12345678-abcd-1234-1234-123456789abc\"}}");
    check_reply(m0, "{\"execute\": \"query-kvm\"}",
                "{\"return\": {\"enabled\": true, \"present\": true}}");
    fx_destroy(sys);
}

static void test_machines(void)
{
    FakeChardev *m0;
    CgSystem *sys = ready(no_args, &m0);
    g_autofree char *r = fx_qmp(m0, "{\"execute\": \"query-machines\"}");

    g_assert_nonnull(strstr(r, "{\"name\": \"test\", \"is-default\": true, "
                               "\"cpu-max\": 4, \"hotpluggable-cpus\": false, "
                               "\"numa-mem-supported\": false, "
                               "\"deprecated\": false}"));
    g_assert_true(g_str_has_prefix(r, "{\"return\": [{\"name\": "));
    fx_destroy(sys);
}

static void test_cpus(void)
{
    static const char *const args[] = { "-smp", "4,sockets=2,cores=2",
                                        NULL };
    FakeChardev *m0;
    CgSystem *sys = ready(args, &m0);
    g_autofree char *r = fx_qmp(m0, "{\"execute\": \"query-cpus-fast\"}");
    g_autoptr(GString) want = g_string_new("{\"return\": [");

    for (int i = 0; i < 4; i++) {
        g_string_append_printf(
            want,
            "%s{\"thread-id\": %d, \"props\": {\"core-id\": %d, "
            "\"thread-id\": 0, \"socket-id\": %d}, \"qom-path\": "
            "\"/machine/unattached/cpu[%d]\", \"cpu-index\": %d, "
            "\"target\": \"test\"}",
            i ? ", " : "", (int)getpid(), i % 2, i / 2, i, i);
    }
    g_string_append(want, "]}");
    g_assert_cmpstr(r, ==, want->str);
    fx_destroy(sys);
}

static void test_cmdline_options(void)
{
    FakeChardev *m0;
    CgSystem *sys = ready(no_args, &m0);
    g_autoptr(JsonNode) mon = NULL;
    g_autoptr(JsonNode) smp = NULL;
    g_autoptr(JsonNode) smp2 = NULL;
    g_autoptr(JsonNode) machine = NULL;
    g_autoptr(JsonNode) all = NULL;
    g_autofree char *bad = NULL;
    JsonArray *params;
    g_autoptr(GString) names = g_string_new(NULL);

    mon = qmp_return(m0, "{\"execute\": \"query-command-line-options\", "
                         "\"arguments\": {\"option\": \"mon\"}}");
    g_assert_cmpuint(json_array_get_length(json_node_get_array(mon)), ==, 1);
    params = json_object_get_array_member(
        json_array_get_object_element(json_node_get_array(mon), 0),
        "parameters");
    for (guint i = 0; i < json_array_get_length(params); i++) {
        JsonObject *p = json_array_get_object_element(params, i);
        g_string_append_printf(names, "%s:%s ",
                               json_object_get_string_member(p, "name"),
                               json_object_get_string_member(p, "type"));
    }
    g_assert_cmpstr(names->str, ==,
                    "chardev:string mode:string pretty:boolean id:string ");

    /* Both names of -smp's group; the reply uses QEMU's. */
    smp = qmp_return(m0, "{\"execute\": \"query-command-line-options\", "
                         "\"arguments\": {\"option\": \"smp-opts\"}}");
    smp2 = qmp_return(m0, "{\"execute\": \"query-command-line-options\", "
                          "\"arguments\": {\"option\": \"smp\"}}");
    g_assert_true(json_node_equal(smp, smp2));
    g_assert_cmpstr(json_object_get_string_member(
                        json_array_get_object_element(
                            json_node_get_array(smp), 0),
                        "option"),
                    ==, "smp-opts");

    /* Options whose parameters depend on a type: listed empty. */
    check_reply(m0,
                "{\"execute\": \"query-command-line-options\", "
                "\"arguments\": {\"option\": \"object\"}}",
                "{\"return\": [{\"option\": \"object\", \"parameters\": "
                "[]}]}");
    check_reply(m0,
                "{\"execute\": \"query-command-line-options\", "
                "\"arguments\": {\"option\": \"device\"}}",
                "{\"return\": [{\"option\": \"device\", \"parameters\": "
                "[]}]}");

    /* -machine: the board properties, typed as QemuOpts types. */
    machine = qmp_return(m0, "{\"execute\": \"query-command-line-options\", "
                             "\"arguments\": {\"option\": \"machine\"}}");
    g_string_truncate(names, 0);
    params = json_object_get_array_member(
        json_array_get_object_element(json_node_get_array(machine), 0),
        "parameters");
    for (guint i = 0; i < json_array_get_length(params); i++) {
        JsonObject *p = json_array_get_object_element(params, i);
        g_string_append_printf(names, "%s:%s ",
                               json_object_get_string_member(p, "name"),
                               json_object_get_string_member(p, "type"));
    }
    g_assert_true(g_str_has_prefix(names->str, "type:string accel:string "));
    g_assert_nonnull(strstr(names->str, " mem-merge:boolean "));
    g_assert_nonnull(
        strstr(names->str, " confidential-guest-support:string "));

    /* -kernel is an option but not a group with parameters. */
    bad = fx_qmp(m0, "{\"execute\": \"query-command-line-options\", "
                     "\"arguments\": {\"option\": \"kernel\"}}");
    g_assert_true(g_str_has_prefix(
        bad, "{\"error\": {\"class\": \"GenericError\", \"desc\": \"invalid "
             "option name: kernel; the options with parameters are: "
             "machine, "));

    all = qmp_return(m0, "{\"execute\": \"query-command-line-options\"}");
    g_assert_cmpuint(json_array_get_length(json_node_get_array(all)), >, 5);
    fx_destroy(sys);
}

static void test_cgs_query(void)
{
    static const char *const with[] = {
        "-accel", "kvm", "-object", "test-cgs,id=c0", "-object",
        "test-cgs,id=c1", "-machine", "confidential-guest-support=c0",
        NULL };
    FakeChardev *m0;
    CgSystem *sys = ready(no_args, &m0);

    check_reply(m0, "{\"execute\": \"query-confidential-guest-support\"}",
                "{\"return\": {\"enabled\": false}}");
    fx_destroy(sys);

    sys = ready(with, &m0);
    check_reply(m0, "{\"execute\": \"query-confidential-guest-support\"}",
                "{\"return\": {\"enabled\": true, \"type\": \"test-cgs\", "
                "\"id\": \"c0\", \"ready\": true, \"accelerator\": \"kvm\", "
                "\"state\": \"launched\", \"details\": {\"secret\": 42}}}");
    /* The link is frozen once the machine exists; a clean error. */
    check_error(m0,
                "{\"execute\": \"qom-set\", \"arguments\": {\"path\": "
                "\"/machine\", \"property\": \"confidential-guest-support\", "
                "\"value\": \"c1\"}}",
                "GenericError",
                "machine property 'confidential-guest-support' can only be "
                "set when the machine is created (on the command line with "
                "-machine)");
    check_error(m0,
                "{\"execute\": \"qom-set\", \"arguments\": {\"path\": "
                "\"/machine\", \"property\": \"memory-encryption\", "
                "\"value\": \"c1\"}}",
                "GenericError",
                "machine property 'memory-encryption' can only be set when "
                "the machine is created (on the command line with "
                "-machine)");
    check_reply(m0,
                "{\"execute\": \"qom-get\", \"arguments\": {\"path\": "
                "\"/machine\", \"property\": \"confidential-guest-support\"}}",
                "{\"return\": \"/objects/c0\"}");
    /* ... and the object cannot go while the machine uses it. */
    check_error(m0,
                "{\"execute\": \"object-del\", \"arguments\": {\"id\": "
                "\"c0\"}}",
                "GenericError", "object 'c0' is in use and cannot be deleted");
    fx_destroy(sys);
}

static void test_run_control(void)
{
    FakeChardev *m0;
    CgSystem *sys = ready(no_args, &m0);

    check_error(m0, "{\"execute\": \"system_powerdown\"}", "GenericError",
                "machine 'test' has no way to ask the guest to power down "
                "(cgemu models no power button for it); use 'quit' to stop "
                "the VM");
    /* stop in prelaunch: no event (the VM never ran). */
    check_reply(m0, "{\"execute\": \"stop\"}", "{\"return\": {}}");
    fx_destroy(sys);
}

static const char *const tree_args[] = {
    "-object", "rng-builtin,id=r0", "-object", "rng-builtin,id=peripheral",
    "-object", "test-cgs,id=c0", "-device", "test-dev,id=d0,count=3", NULL };

static void test_qom_list_get(void)
{
    FakeChardev *m0;
    CgSystem *sys = ready(tree_args, &m0);

    check_reply(m0,
                "{\"execute\": \"qom-list\", \"arguments\": {\"path\": "
                "\"/objects\"}}",
                "{\"return\": [{\"name\": \"type\", \"type\": \"string\"}, "
                "{\"name\": \"r0\", \"type\": \"child<rng-builtin>\"}, "
                "{\"name\": \"peripheral\", \"type\": "
                "\"child<rng-builtin>\"}, {\"name\": \"c0\", \"type\": "
                "\"child<test-cgs>\"}]}");
    /* Device properties are qdev-typed ("str"); internal ones hidden. */
    check_reply(m0,
                "{\"execute\": \"qom-list\", \"arguments\": {\"path\": "
                "\"/machine/peripheral/d0\"}}",
                "{\"return\": [{\"name\": \"type\", \"type\": \"string\"}, "
                "{\"name\": \"count\", \"type\": \"uint32\"}, {\"name\": "
                "\"event_idx\", \"type\": \"bool\"}, {\"name\": "
                "\"flag\", \"type\": \"bool\"}, {\"name\": \"label\", "
                "\"type\": \"str\"}, {\"name\": \"mode\", \"type\": "
                "\"OnOffAuto\"}, {\"name\": \"realized\", \"type\": "
                "\"bool\"}]}");
    check_reply(m0,
                "{\"execute\": \"qom-get\", \"arguments\": {\"path\": "
                "\"/machine/peripheral/d0\", \"property\": \"count\"}}",
                "{\"return\": 3}");
    /* Partial paths, as QEMU. */
    check_reply(m0,
                "{\"execute\": \"qom-get\", \"arguments\": {\"path\": \"d0\", "
                "\"property\": \"mode\"}}",
                "{\"return\": \"auto\"}");
    check_reply(m0,
                "{\"execute\": \"qom-get\", \"arguments\": {\"path\": "
                "\"peripheral/d0\", \"property\": \"flag\"}}",
                "{\"return\": true}");
    check_reply(m0,
                "{\"execute\": \"qom-get\", \"arguments\": {\"path\": "
                "\"d0\", \"property\": \"event_idx\"}}",
                "{\"return\": false}");
    check_reply(m0,
                "{\"execute\": \"qom-get\", \"arguments\": {\"path\": \"d0\", "
                "\"property\": \"label\"}}",
                "{\"return\": null}");
    check_error(m0,
                "{\"execute\": \"qom-get\", \"arguments\": {\"path\": "
                "\"peripheral\", \"property\": \"type\"}}",
                "GenericError",
                "Path 'peripheral' is ambiguous: it matches "
                "/objects/peripheral and /machine/peripheral; give the "
                "absolute path");
    check_error(m0,
                "{\"execute\": \"qom-get\", \"arguments\": {\"path\": \"zz\", "
                "\"property\": \"type\"}}",
                "DeviceNotFound",
                "Device 'zz' not found; give an absolute path such as "
                "/machine/peripheral/ID or /objects/ID");
    check_error(m0,
                "{\"execute\": \"qom-get\", \"arguments\": {\"path\": "
                "\"/machine/zz\", \"property\": \"type\"}}",
                "DeviceNotFound",
                "Device '/machine/zz' not found; qom-list shows what a path "
                "contains");
    /* A child reads as its path. */
    check_reply(m0,
                "{\"execute\": \"qom-get\", \"arguments\": {\"path\": "
                "\"/machine\", \"property\": \"peripheral\"}}",
                "{\"return\": \"/machine/peripheral\"}");
    check_error(m0,
                "{\"execute\": \"qom-get\", \"arguments\": {\"path\": \"d0\", "
                "\"property\": \"cnt\"}}",
                "GenericError",
                "test-dev has no property 'cnt'; it accepts: count, event_idx, "
                "flag, label, mode");
    check_error(m0,
                "{\"execute\": \"qom-get\", \"arguments\": {\"path\": \"d0\", "
                "\"property\": \"wiring\"}}",
                "GenericError",
                "test-dev has no property 'wiring'; it accepts: count, "
                "event_idx, flag, label, mode");
    fx_destroy(sys);
}

static void test_qom_set(void)
{
    FakeChardev *m0;
    CgSystem *sys = ready(tree_args, &m0);

    check_reply(m0,
                "{\"execute\": \"qom-set\", \"arguments\": {\"path\": "
                "\"/objects/c0\", \"property\": \"note\", \"value\": "
                "\"hello\"}}",
                "{\"return\": {}}");
    check_reply(m0,
                "{\"execute\": \"qom-get\", \"arguments\": {\"path\": \"c0\", "
                "\"property\": \"note\"}}",
                "{\"return\": \"hello\"}");
    check_error(m0,
                "{\"execute\": \"qom-set\", \"arguments\": {\"path\": "
                "\"/objects/c0\", \"property\": \"note\", \"value\": 1}}",
                "GenericError",
                "property 'note' must be a string, not an integer");
    check_error(m0,
                "{\"execute\": \"qom-set\", \"arguments\": {\"path\": "
                "\"/objects/c0\", \"property\": \"note\", \"value\": {}}}",
                "GenericError",
                "property 'note' needs a string, number or boolean value");
    check_error(m0,
                "{\"execute\": \"qom-set\", \"arguments\": {\"path\": "
                "\"/objects/c0\", \"property\": \"type\", \"value\": "
                "\"x\"}}",
                "GenericError", "property 'type' of test-cgs is read-only");
    check_error(m0,
                "{\"execute\": \"qom-set\", \"arguments\": {\"path\": \"d0\", "
                "\"property\": \"count\", \"value\": 5}}",
                "GenericError",
                "property 'count' of test-dev cannot change after the "
                "device is realized");
    check_error(m0,
                "{\"execute\": \"qom-set\", \"arguments\": {\"path\": "
                "\"/objects/c0\", \"property\": \"note\"}}",
                "GenericError",
                "Parameter 'value' is missing; qom-set takes: path, "
                "property, value");
    fx_destroy(sys);
}

static void test_qom_list_types(void)
{
    FakeChardev *m0;
    CgSystem *sys = ready(no_args, &m0);
    g_autofree char *all = NULL;

    /* Exactly the concrete technologies of this binary. */
    check_reply(m0,
                "{\"execute\": \"qom-list-types\", \"arguments\": "
                "{\"implements\": \"confidential-guest-support\"}}",
                "{\"return\": [{\"name\": \"test-cgs\", \"parent\": "
                "\"confidential-guest-support\"}, {\"name\": "
                "\"test-cgs-child\", \"parent\": \"test-cgs-base\"}]}");
    check_reply(m0,
                "{\"execute\": \"qom-list-types\", \"arguments\": "
                "{\"implements\": \"confidential-guest-support\", "
                "\"abstract\": true}}",
                "{\"return\": [{\"name\": \"confidential-guest-support\", "
                "\"abstract\": true, \"parent\": \"object\"}, {\"name\": "
                "\"test-cgs\", \"parent\": \"confidential-guest-support\"}, "
                "{\"name\": \"test-cgs-base\", \"abstract\": true, "
                "\"parent\": \"confidential-guest-support\"}, {\"name\": "
                "\"test-cgs-child\", \"parent\": \"test-cgs-base\"}]}");
    check_reply(m0,
                "{\"execute\": \"qom-list-types\", \"arguments\": "
                "{\"implements\": \"nope\"}}",
                "{\"return\": []}");
    check_reply(m0,
                "{\"execute\": \"qom-list-types\", \"arguments\": "
                "{\"implements\": \"chardev-testfake\"}}",
                "{\"return\": [{\"name\": \"chardev-testfake\", \"parent\": "
                "\"chardev\"}]}");
    all = fx_qmp(m0, "{\"execute\": \"qom-list-types\", \"arguments\": "
                     "{\"abstract\": true}}");
    g_assert_nonnull(strstr(all, "{\"name\": \"user-creatable\", "
                                 "\"abstract\": true, \"parent\": "
                                 "\"interface\"}"));
    g_assert_nonnull(strstr(all, "{\"name\": \"object\", \"abstract\": "
                                 "true}"));
    g_assert_nonnull(strstr(all, "{\"name\": \"test-dev\", \"parent\": "
                                 "\"device\"}"));
    /* GLib's interfaces are not QOM types. */
    g_assert_null(strstr(all, "GInitable"));
    fx_destroy(sys);
}

static void test_type_properties(void)
{
    FakeChardev *m0;
    CgSystem *sys = ready(no_args, &m0);

    check_reply(m0,
                "{\"execute\": \"qom-list-properties\", \"arguments\": "
                "{\"typename\": \"test-cgs\"}}",
                "{\"return\": [{\"name\": \"type\", \"type\": \"string\"}, "
                "{\"name\": \"note\", \"type\": \"string\", \"description\": "
                "\"free text\"}]}");
    check_reply(m0,
                "{\"execute\": \"qom-list-properties\", \"arguments\": "
                "{\"typename\": \"confidential-guest-support\"}}",
                "{\"return\": [{\"name\": \"type\", \"type\": \"string\"}]}");
    check_error(m0,
                "{\"execute\": \"qom-list-properties\", \"arguments\": "
                "{\"typename\": \"nope\"}}",
                "DeviceNotFound",
                "Class 'nope' not found; qom-list-types lists the types of "
                "this binary");
    check_error(m0,
                "{\"execute\": \"qom-list-properties\", \"arguments\": "
                "{\"typename\": \"sev-guest\"}}",
                "DeviceNotFound",
                "Class 'sev-guest' not found: it is provided by "
                "cgemu-system-x86_64, not cgemu-system-test");
    check_reply(m0,
                "{\"execute\": \"device-list-properties\", \"arguments\": "
                "{\"typename\": \"test-dev\"}}",
                "{\"return\": [{\"name\": \"count\", \"type\": \"uint32\", "
                "\"default-value\": 7}, {\"name\": \"event_idx\", \"type\": "
                "\"bool\", \"default-value\": false}, {\"name\": \"flag\", "
                "\"type\": "
                "\"bool\", \"description\": \"a flag\", \"default-value\": "
                "true}, {\"name\": \"label\", \"type\": \"str\"}, {\"name\": "
                "\"mode\", \"type\": \"OnOffAuto\", \"description\": "
                "\"on/off/auto\", \"default-value\": \"auto\"}]}");
    check_error(m0,
                "{\"execute\": \"device-list-properties\", \"arguments\": "
                "{\"typename\": \"test-cgs\"}}",
                "GenericError",
                "Parameter 'typename' expects a non-abstract device type; "
                "'test-cgs' is not a device");
    check_error(m0,
                "{\"execute\": \"device-list-properties\", \"arguments\": "
                "{\"typename\": \"device\"}}",
                "GenericError",
                "Parameter 'typename' expects a non-abstract device type; "
                "'device' is abstract");
    check_error(m0,
                "{\"execute\": \"device-list-properties\", \"arguments\": "
                "{\"typename\": \"nope\"}}",
                "DeviceNotFound",
                "Device 'nope' not found; qom-list-types implements=device "
                "lists the devices");
    fx_destroy(sys);
}

static void test_object_add_del(void)
{
    FakeChardev *m0;
    CgSystem *sys = ready(no_args, &m0);

    check_reply(m0,
                "{\"execute\": \"object-add\", \"arguments\": {\"qom-type\": "
                "\"test-cgs\", \"id\": \"c9\", \"note\": \"n\"}}",
                "{\"return\": {}}");
    check_reply(m0,
                "{\"execute\": \"qom-get\", \"arguments\": {\"path\": "
                "\"/objects/c9\", \"property\": \"note\"}}",
                "{\"return\": \"n\"}");
    check_error(m0,
                "{\"execute\": \"object-add\", \"arguments\": {\"qom-type\": "
                "\"test-cgs\", \"id\": \"c9\"}}",
                "GenericError",
                "an object with id 'c9' already exists; ids must be unique");
    check_error(m0,
                "{\"execute\": \"object-add\", \"arguments\": {\"qom-type\": "
                "\"test-cgs\", \"id\": \"c8\", \"nite\": \"n\"}}",
                "GenericError",
                "test-cgs has no property 'nite'; did you mean 'note'?");
    check_error(m0,
                "{\"execute\": \"object-add\", \"arguments\": {\"qom-type\": "
                "\"test-cgs\", \"id\": \"c8\", \"note\": true}}",
                "GenericError",
                "property 'note' must be a string, not a boolean");
    check_error(m0,
                "{\"execute\": \"object-add\", \"arguments\": {\"qom-type\": "
                "\"test-cgs\", \"id\": \"c8\", \"note\": [1]}}",
                "GenericError",
                "parameter 'note' must be a string, number or boolean, not "
                "an array");
    check_error(m0,
                "{\"execute\": \"object-add\", \"arguments\": {\"qom-type\": "
                "\"test-cgs\", \"id\": \"8c\"}}",
                "GenericError",
                "invalid id '8c': an id starts with a letter and has only "
                "letters, digits, '-', '.' and '_'");
    check_error(m0,
                "{\"execute\": \"object-add\", \"arguments\": {\"qom-type\": "
                "\"test-cgs\"}}",
                "GenericError",
                "Parameter 'id' is missing; object-add takes: qom-type, id");
    check_error(m0,
                "{\"execute\": \"object-add\", \"arguments\": {\"qom-type\": "
                "\"nope\", \"id\": \"x\"}}",
                "GenericError",
                "Parameter 'qom-type' does not accept value 'nope': there is "
                "no such type; qom-list-types implements=user-creatable "
                "lists the types");
    check_error(m0,
                "{\"execute\": \"object-add\", \"arguments\": {\"qom-type\": "
                "\"confidential-guest-support\", \"id\": \"x\"}}",
                "GenericError",
                "Parameter 'qom-type' does not accept value "
                "'confidential-guest-support': the type is abstract; "
                "qom-list-types implements=user-creatable lists the types");
    check_error(m0,
                "{\"execute\": \"object-add\", \"arguments\": {\"qom-type\": "
                "\"test-dev\", \"id\": \"x\"}}",
                "GenericError",
                "Parameter 'qom-type' does not accept value 'test-dev': "
                "objects of this type cannot be created by users; "
                "qom-list-types implements=user-creatable lists the types");
    check_error(m0,
                "{\"execute\": \"object-add\", \"arguments\": {\"qom-type\": "
                "\"sev-guest\", \"id\": \"x\"}}",
                "GenericError",
                "Parameter 'qom-type' does not accept value 'sev-guest': it "
                "is provided by cgemu-system-x86_64, not cgemu-system-test");
    check_reply(m0,
                "{\"execute\": \"object-del\", \"arguments\": {\"id\": "
                "\"c9\"}}",
                "{\"return\": {}}");
    check_error(m0,
                "{\"execute\": \"object-del\", \"arguments\": {\"id\": "
                "\"c9\"}}",
                "GenericError", "no object with id 'c9'");
    check_error(m0,
                "{\"execute\": \"qom-get\", \"arguments\": {\"path\": "
                "\"/objects/c9\", \"property\": \"note\"}}",
                "DeviceNotFound",
                "Device '/objects/c9' not found; qom-list shows what a path "
                "contains");
    fx_destroy(sys);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qmp/commands/version", test_version);
    g_test_add_func("/qmp/commands/name-uuid-kvm", test_name_uuid_kvm);
    g_test_add_func("/qmp/commands/machines", test_machines);
    g_test_add_func("/qmp/commands/cpus", test_cpus);
    g_test_add_func("/qmp/commands/cmdline-options", test_cmdline_options);
    g_test_add_func("/qmp/commands/cgs", test_cgs_query);
    g_test_add_func("/qmp/commands/run-control", test_run_control);
    g_test_add_func("/qmp/commands/qom-list-get", test_qom_list_get);
    g_test_add_func("/qmp/commands/qom-set", test_qom_set);
    g_test_add_func("/qmp/commands/qom-list-types", test_qom_list_types);
    g_test_add_func("/qmp/commands/type-properties", test_type_properties);
    g_test_add_func("/qmp/commands/object-add-del", test_object_add_del);
    return g_test_run();
}
