/* Unit tests: the QMP protocol over an in-memory chardev (greeting,
 * negotiation, error shapes, argument checks, events, clients). */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "qmp-fixture.h"

#include "monitor/qmp.h"
#include "util/error.h"

#include <string.h>

/* --- commands registered by this test --------------------------------- */

static const char *const colours[] = { "red", "green", NULL };

static const QmpArg echo_args[] = {
    { "s", QMP_ARG_STR },
    { "i", QMP_ARG_INT, .optional = true },
    { "b", QMP_ARG_BOOL, .optional = true },
    { "n", QMP_ARG_NUMBER, .optional = true },
    { "o", QMP_ARG_OBJECT, .optional = true },
    { "l", QMP_ARG_STR_LIST, .optional = true, .choices = colours },
    { "a", QMP_ARG_ANY, .optional = true },
    { "colour", QMP_ARG_STR, .optional = true, .choices = colours },
    { NULL },
};

/* Returns its arguments, so a test sees what reached the handler. */
static JsonNode *x_test_echo(CgSystem *sys, JsonObject *args, GError **err)
{
    JsonNode *n = json_node_new(JSON_NODE_OBJECT);

    json_node_set_object(n, args);
    return n;
}

QMP_DEFINE_COMMAND("x-test-echo", x_test_echo, echo_args, 0)

static const QmpArg extra_args[] = {
    { "id", QMP_ARG_STR },
    { NULL },
};

static JsonNode *x_test_extra(CgSystem *sys, JsonObject *args, GError **err)
{
    return x_test_echo(sys, args, err);
}

QMP_DEFINE_COMMAND("x-test-extra", x_test_extra, extra_args,
                   QMP_CMD_EXTRA_ARGS)

static JsonNode *x_test_null(CgSystem *sys, JsonObject *args, GError **err)
{
    return NULL;
}

QMP_DEFINE_COMMAND("x-test-null", x_test_null, NULL, 0)

static JsonNode *x_test_fail(CgSystem *sys, JsonObject *args, GError **err)
{
    const char *how = qmp_arg_str(args, "how", "generic");

    if (!strcmp(how, "device")) {
        g_set_error(err, CG_ERROR, CG_ERROR_DEVICE_NOT_FOUND,
                    "no device here");
    } else if (!strcmp(how, "io")) {
        g_set_error(err, G_IO_ERROR, G_IO_ERROR_FAILED, "an I/O error");
    } else {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC, "it failed");
    }
    return NULL;
}

static const QmpArg fail_args[] = {
    { "how", QMP_ARG_STR, .optional = true },
    { NULL },
};

QMP_DEFINE_COMMAND("x-test-fail", x_test_fail, fail_args, 0)

/* --- helpers ------------------------------------------------------------ */

static const char *const one_monitor[] = {
    "-accel", "qtest", "-chardev", "testfake,id=m0", "-mon", "chardev=m0",
    NULL };

static const char *const two_monitors[] = {
    "-accel", "qtest", "-S", "-chardev", "testfake,id=m0", "-mon",
    "chardev=m0", "-chardev", "testfake,id=m1", "-mon",
    "chardev=m1,mode=control", NULL };

/* A started system with monitor m0 negotiated. */
static CgSystem *ready(FakeChardev **m0)
{
    CgSystem *sys = fx_build_ok(one_monitor);

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

/* {"error": {"class": "GenericError", "desc": "@desc"}} */
static void check_error(FakeChardev *f, const char *cmd, const char *cls,
                        const char *desc)
{
    g_autofree char *want = g_strdup_printf(
        "{\"error\": {\"class\": \"%s\", \"desc\": \"%s\"}}", cls, desc);

    check_reply(f, cmd, want);
}

/* --- tests -------------------------------------------------------------- */

static void test_greeting(void)
{
    CgSystem *sys = fx_build_ok(one_monitor);
    FakeChardev *m0 = fx_chardev(sys, "m0");
    g_autofree char *greeting = NULL;

    fx_start(sys);
    g_assert_cmpstr(m0->out->str, ==, "");
    fake_connect(m0);
    g_assert_true(g_str_has_suffix(m0->out->str, "}}\r\n"));
    greeting = fake_take(m0);
    g_assert_cmpstr(greeting, ==, fx_greeting);
    fx_destroy(sys);
}

static void test_negotiation(void)
{
    CgSystem *sys = fx_build_ok(one_monitor);
    FakeChardev *m0 = fx_chardev(sys, "m0");
    g_autofree char *greeting = NULL;

    fx_start(sys);
    fake_connect(m0);
    greeting = fake_take(m0);
    check_error(m0, "{\"execute\": \"query-status\"}", "CommandNotFound",
                "Expecting capabilities negotiation with "
                "'qmp_capabilities'");
    /* Unknown commands get the same answer before negotiation. */
    check_reply(m0, "{\"execute\": \"nope\", \"id\": 5}",
                "{\"id\": 5, \"error\": {\"class\": \"CommandNotFound\", "
                "\"desc\": \"Expecting capabilities negotiation with "
                "'qmp_capabilities'\"}}");
    check_error(m0,
                "{\"execute\": \"qmp_capabilities\", \"arguments\": "
                "{\"enable\": [\"oob\"]}}",
                "GenericError",
                "Capability 'oob' is not available: cgemu has no "
                "out-of-band execution; call qmp_capabilities without "
                "'enable'");
    check_error(m0,
                "{\"execute\": \"qmp_capabilities\", \"arguments\": "
                "{\"enable\": [\"foo\"]}}",
                "GenericError",
                "Parameter 'enable' does not accept value 'foo'; "
                "accepted: oob");
    check_reply(m0,
                "{\"execute\": \"qmp_capabilities\", \"arguments\": "
                "{\"enable\": []}, \"id\": \"neg\"}",
                "{\"return\": {}, \"id\": \"neg\"}");
    check_error(m0, "{\"execute\": \"qmp_capabilities\"}", "CommandNotFound",
                "Capabilities negotiation is already complete, command "
                "ignored");
    check_reply(m0, "{\"execute\": \"query-status\"}",
                "{\"return\": {\"status\": \"prelaunch\", "
                "\"singlestep\": false, \"running\": false}}");
    fx_destroy(sys);
}

static void test_id_echo(void)
{
    FakeChardev *m0;
    CgSystem *sys = ready(&m0);

    check_reply(m0, "{\"execute\": \"query-name\", \"id\": [1, {\"x\": null}]}",
                "{\"return\": {}, \"id\": [1, {\"x\": null}]}");
    check_reply(m0, "{\"id\": \"a\\u00e9\", \"execute\": \"query-name\"}",
                "{\"return\": {}, \"id\": \"a\\u00E9\"}");
    check_reply(m0, "{\"execute\": \"x-test-fail\", \"id\": 1.5}",
                "{\"id\": 1.5, \"error\": {\"class\": \"GenericError\", "
                "\"desc\": \"it failed\"}}");
    fx_destroy(sys);
}

static void test_input_errors(void)
{
    FakeChardev *m0;
    CgSystem *sys = ready(&m0);

    check_error(m0, "[1]", "GenericError", "QMP input must be a JSON object");
    check_error(m0, "\"str\" ", "GenericError",
                "QMP input must be a JSON object");
    check_error(m0, "{}", "GenericError", "QMP input lacks member 'execute'");
    check_error(m0, "{\"execute\": 1}", "GenericError",
                "QMP input member 'execute' must be a string");
    check_error(m0, "{\"execute\": \"query-name\", \"arguments\": []}",
                "GenericError",
                "QMP input member 'arguments' must be an object");
    check_error(m0, "{\"execute\": \"query-name\", \"arguments\": null}",
                "GenericError",
                "QMP input member 'arguments' must be an object");
    check_error(m0, "{\"execute\": \"query-name\", \"extra\": 1}",
                "GenericError",
                "QMP input member 'extra' is unexpected; a command has only "
                "'execute', 'arguments' and 'id'");
    check_error(m0, "{\"exec-oob\": \"query-name\"}", "GenericError",
                "QMP input member 'exec-oob' is unexpected; cgemu has no "
                "out-of-band execution: use 'execute'");
    check_error(m0, "{\"execute\": \"nope\"}", "CommandNotFound",
                "The command nope has not been found; query-commands lists "
                "the commands of this binary");
    check_error(m0, "{\"execute\": \"query-statuss\"}", "CommandNotFound",
                "The command query-statuss has not been found; did you mean "
                "query-status?");
    fx_destroy(sys);
}

static void test_json_errors(void)
{
    FakeChardev *m0;
    CgSystem *sys = ready(&m0);

    check_error(m0, "{\"execute\": \"query-name\",}", "GenericError",
                "JSON parse error, line 1 column 25: unexpected character "
                "`,', expected character `]'");
    check_error(m0, "{\"execute\": \"query-name\", \"id\": 1, \"id\": 2}",
                "GenericError",
                "JSON parse error, duplicate key: an object names the same "
                "member twice");
    check_error(m0, "{\"execute\": \"query-name\", \"id\": 01}",
                "GenericError", "JSON parse error, invalid number '01'");
    check_error(m0, "{\"execute\": \"query-name\", \"id\": \"\xff\"}",
                "GenericError",
                "JSON parse error, JSON data must be UTF-8 encoded");
    /* Junk before a command: one error, then the command runs. */
    fake_send(m0, "}}} {\"execute\": \"query-name\"}");
    {
        g_autofree char *e = fake_take(m0);
        g_autofree char *r = fake_take(m0);
        g_assert_cmpstr(e, ==,
                        "{\"error\": {\"class\": \"GenericError\", \"desc\": "
                        "\"JSON parse error, unexpected '}' outside any "
                        "value\"}}");
        g_assert_cmpstr(r, ==, "{\"return\": {}}");
    }
    /* A command split anywhere, and several in one piece. */
    fake_send(m0, "{\"exec");
    g_assert_cmpstr(m0->out->str, ==, "");
    fake_send(m0, "ute\": \"query-name\"}{\"execute\": \"query-name\", "
                  "\"id\": 2}");
    {
        g_autofree char *r1 = fake_take(m0);
        g_autofree char *r2 = fake_take(m0);
        g_assert_cmpstr(r1, ==, "{\"return\": {}}");
        g_assert_cmpstr(r2, ==, "{\"return\": {}, \"id\": 2}");
    }
    fx_destroy(sys);
}

static void test_input_limits(void)
{
    FakeChardev *m0;
    CgSystem *sys = ready(&m0);
    g_autoptr(GString) big = g_string_new(
        "{\"execute\": \"x-test-echo\", \"arguments\": {\"s\": \"");
    g_autoptr(GString) deep = g_string_new(NULL);
    g_autofree char *e1 = NULL;
    g_autofree char *e2 = NULL;

    /* 8 MiB in one command; it is skipped without being stored. */
    while (big->len < 8 * 1024 * 1024) {
        g_string_append(big, "0123456789abcdef");
    }
    g_string_append(big, "\"}}");
    fake_send_bytes(m0, big->str, big->len);
    e1 = fake_take(m0);
    g_assert_cmpstr(e1, ==,
                    "{\"error\": {\"class\": \"GenericError\", \"desc\": "
                    "\"JSON parse error, the value is larger than 1048576 "
                    "bytes, the limit of one QMP command; it was "
                    "discarded\"}}");
    g_assert_cmpstr(m0->out->str, ==, "");
    for (int i = 0; i < 2000; i++) {
        g_string_append_c(deep, '[');
    }
    fake_send(m0, deep->str);
    g_string_replace(deep, "[", "]", 0);
    fake_send(m0, deep->str);
    e2 = fake_take(m0);
    g_assert_cmpstr(e2, ==,
                    "{\"error\": {\"class\": \"GenericError\", \"desc\": "
                    "\"JSON parse error, the value nests deeper than 1024 "
                    "levels, the limit of one QMP command; it was "
                    "discarded\"}}");
    /* The monitor still works. */
    check_reply(m0, "{\"execute\": \"query-name\"}", "{\"return\": {}}");
    fx_destroy(sys);
}

static void test_arguments(void)
{
    FakeChardev *m0;
    CgSystem *sys = ready(&m0);

    check_reply(m0,
                "{\"execute\": \"x-test-echo\", \"arguments\": {\"s\": \"x\", "
                "\"i\": -3, \"b\": true, \"n\": 2, \"o\": {\"k\": [1]}, "
                "\"l\": [\"red\"], \"a\": [null], \"colour\": \"green\"}}",
                "{\"return\": {\"s\": \"x\", \"i\": -3, \"b\": true, \"n\": "
                "2, \"o\": {\"k\": [1]}, \"l\": [\"red\"], \"a\": [null], "
                "\"colour\": \"green\"}}");
    check_reply(m0,
                "{\"execute\": \"x-test-echo\", \"arguments\": {\"s\": \"x\", "
                "\"n\": 0.5}}",
                "{\"return\": {\"s\": \"x\", \"n\": 0.5}}");
    check_error(m0, "{\"execute\": \"x-test-echo\"}", "GenericError",
                "Parameter 's' is missing; x-test-echo takes: s, i "
                "(optional), b (optional), n (optional), o (optional), l "
                "(optional), a (optional), colour (optional)");
    check_error(m0,
                "{\"execute\": \"x-test-echo\", \"arguments\": {\"s\": \"x\", "
                "\"colours\": \"red\"}}",
                "GenericError",
                "Parameter 'colours' is unexpected; did you mean 'colour'? "
                "(x-test-echo takes: s, i (optional), b (optional), n "
                "(optional), o (optional), l (optional), a (optional), "
                "colour (optional))");
    check_error(m0,
                "{\"execute\": \"query-name\", \"arguments\": {\"x\": 1}}",
                "GenericError",
                "Parameter 'x' is unexpected; query-name takes no "
                "arguments");
    check_error(m0,
                "{\"execute\": \"x-test-echo\", \"arguments\": {\"s\": 1}}",
                "GenericError",
                "Invalid parameter type for 's', expected: string; got an "
                "integer");
    check_error(m0,
                "{\"execute\": \"x-test-echo\", \"arguments\": {\"s\": \"\", "
                "\"i\": 1.0}}",
                "GenericError",
                "Invalid parameter type for 'i', expected: integer; got a "
                "number");
    check_error(m0,
                "{\"execute\": \"x-test-echo\", \"arguments\": {\"s\": \"\", "
                "\"b\": \"yes\"}}",
                "GenericError",
                "Invalid parameter type for 'b', expected: boolean; got a "
                "string");
    check_error(m0,
                "{\"execute\": \"x-test-echo\", \"arguments\": {\"s\": \"\", "
                "\"n\": false}}",
                "GenericError",
                "Invalid parameter type for 'n', expected: number; got a "
                "boolean");
    check_error(m0,
                "{\"execute\": \"x-test-echo\", \"arguments\": {\"s\": \"\", "
                "\"o\": []}}",
                "GenericError",
                "Invalid parameter type for 'o', expected: object; got an "
                "array");
    check_error(m0,
                "{\"execute\": \"x-test-echo\", \"arguments\": {\"s\": \"\", "
                "\"l\": \"red\"}}",
                "GenericError",
                "Invalid parameter type for 'l', expected: array; got a "
                "string");
    check_error(m0,
                "{\"execute\": \"x-test-echo\", \"arguments\": {\"s\": \"\", "
                "\"l\": [\"red\", {}]}}",
                "GenericError",
                "Invalid parameter type for 'l[1]', expected: string; got "
                "an object");
    check_error(m0,
                "{\"execute\": \"x-test-echo\", \"arguments\": {\"s\": \"\", "
                "\"l\": [\"blue\"]}}",
                "GenericError",
                "Parameter 'l' does not accept value 'blue'; accepted: red, "
                "green");
    check_error(m0,
                "{\"execute\": \"x-test-echo\", \"arguments\": {\"s\": \"\", "
                "\"a\": null}}",
                "GenericError",
                "Invalid parameter type for 'a', expected: value; got null");
    check_error(m0,
                "{\"execute\": \"x-test-echo\", \"arguments\": {\"s\": null}}",
                "GenericError",
                "Invalid parameter type for 's', expected: string; got "
                "null");
    /* Extra members reach a command that takes them. */
    check_reply(m0,
                "{\"execute\": \"x-test-extra\", \"arguments\": {\"id\": "
                "\"a\", \"whatever\": 1}}",
                "{\"return\": {\"id\": \"a\", \"whatever\": 1}}");
    check_error(m0,
                "{\"execute\": \"x-test-extra\", \"arguments\": {\"id\": 1}}",
                "GenericError",
                "Invalid parameter type for 'id', expected: string; got an "
                "integer");
    fx_destroy(sys);
}

static void test_handler_errors(void)
{
    FakeChardev *m0;
    CgSystem *sys = ready(&m0);

    check_error(m0, "{\"execute\": \"x-test-fail\"}", "GenericError",
                "it failed");
    check_error(m0,
                "{\"execute\": \"x-test-fail\", \"arguments\": {\"how\": "
                "\"device\"}}",
                "DeviceNotFound", "no device here");
    check_error(m0,
                "{\"execute\": \"x-test-fail\", \"arguments\": {\"how\": "
                "\"io\"}}",
                "GenericError", "an I/O error");
    check_error(m0, "{\"execute\": \"x-test-null\"}", "GenericError",
                "internal error: x-test-null returned no value");
    fx_destroy(sys);
}

static JsonNode *x_test_dup(CgSystem *sys, JsonObject *args, GError **err)
{
    return qmp_return_empty();
}

static void test_registration(void)
{
    static const QmpCommand dup = { .name = "query-status",
                                    .handler = x_test_dup };
    static const QmpCommand fresh = { .name = "x-test-late",
                                      .handler = x_test_dup };
    g_autoptr(GPtrArray) list = NULL;
    const QmpCommand *st = qmp_find_command("query-status");
    FakeChardev *m0;
    CgSystem *sys;

    g_assert_nonnull(st);
    g_test_expect_message(NULL, G_LOG_LEVEL_CRITICAL,
                          "*query-status*registered twice*");
    g_assert_false(qmp_register_command(&dup));
    g_test_assert_expected_messages();
    g_assert_true(qmp_find_command("query-status") == st);
    g_assert_true(qmp_register_command(&fresh));
    g_assert_true(qmp_find_command("x-test-late") == &fresh);
    g_assert_null(qmp_find_command("x-test-never"));

    /* Sorted, and with the commands of every file linked in. */
    list = qmp_command_list();
    for (guint i = 1; i < list->len; i++) {
        const QmpCommand *a = g_ptr_array_index(list, i - 1);
        const QmpCommand *b = g_ptr_array_index(list, i);
        g_assert_cmpint(strcmp(a->name, b->name), <, 0);
    }
    sys = ready(&m0);
    {
        g_autofree char *r = fx_qmp(m0, "{\"execute\": \"query-commands\"}");
        static const char *const expect[] = {
            "{\"name\": \"qmp_capabilities\"}", "{\"name\": \"x-test-late\"}",
            "{\"name\": \"x-test-echo\"}", "{\"name\": \"qom-set\"}",
            "{\"name\": \"query-confidential-guest-support\"}", NULL };
        for (const char *const *e = expect; *e; e++) {
            g_assert_nonnull(strstr(r, *e));
        }
        g_assert_true(g_str_has_prefix(r, "{\"return\": [{\"name\": \""));
    }
    fx_destroy(sys);
}

static void test_gate(void)
{
    CgSystem *sys = fx_build_ok(one_monitor);
    FakeChardev *m0 = fx_chardev(sys, "m0");
    g_autofree char *greeting = NULL;
    g_autofree char *reply = NULL;

    /* A client that connects during start-up is greeted, but its commands
     * wait for the main loop, even across the start-up iterations. */
    fake_connect(m0);
    greeting = fake_take(m0);
    g_assert_cmpstr(greeting, ==, fx_greeting);
    fake_send(m0, "{\"execute\": \"qmp_capabilities\"}");
    while (g_main_context_iteration(sys->ctx, FALSE)) {
    }
    g_assert_cmpstr(m0->out->str, ==, "");
    g_assert_cmpuint(m0->pending->len, >, 0);
    fx_start(sys);
    reply = fake_take(m0);
    g_assert_cmpstr(reply, ==, "{\"return\": {}}");
    fx_destroy(sys);
}

static void test_events(void)
{
    CgSystem *sys = fx_build_ok(two_monitors);
    FakeChardev *m0 = fx_chardev(sys, "m0");
    FakeChardev *m1 = fx_chardev(sys, "m1");
    JsonObject *data = json_object_new();
    JsonNode *node = json_node_new(JSON_NODE_OBJECT);
    g_autofree char *g1 = NULL;
    g_autofree char *ev = NULL;
    g_autofree char *ev2 = NULL;

    fx_start(sys);
    fx_negotiate(m0);
    fake_connect(m1);
    g1 = fake_take(m1);

    /* Only a negotiated client gets events; no data, no "data". */
    system_emit_event(sys, "X_TEST", NULL);
    ev = fake_take_masked(m0);
    g_assert_cmpstr(ev, ==, "{\"timestamp\": T, \"event\": \"X_TEST\"}");
    g_assert_cmpstr(m1->out->str, ==, "");

    fake_send(m1, "{\"execute\": \"qmp_capabilities\"}");
    g_free(fake_take(m1));
    json_object_set_int_member(data, "n", 1);
    json_node_take_object(node, data);
    system_emit_event(sys, "X_DATA", node);
    for (int i = 0; i < 2; i++) {
        g_autofree char *line = fake_take_masked(i ? m1 : m0);
        g_assert_cmpstr(line, ==,
                        "{\"timestamp\": T, \"event\": \"X_DATA\", \"data\": "
                        "{\"n\": 1}}");
    }

    /* Run-state changes: events first, then the reply, as QEMU. */
    check_reply(m0, "{\"execute\": \"query-status\"}",
                "{\"return\": {\"status\": \"prelaunch\", \"singlestep\": "
                "false, \"running\": false}}");
    fake_send(m0, "{\"execute\": \"cont\"}");
    ev2 = fake_take_masked(m0);
    g_assert_cmpstr(ev2, ==, "{\"timestamp\": T, \"event\": \"RESUME\"}");
    {
        g_autofree char *r = fake_take(m0);
        g_autofree char *other = fake_take_masked(m1);
        g_assert_cmpstr(r, ==, "{\"return\": {}}");
        g_assert_cmpstr(other, ==, "{\"timestamp\": T, \"event\": \"RESUME\"}");
    }
    fake_send(m1, "{\"execute\": \"stop\"}");
    {
        g_autofree char *e = fake_take_masked(m1);
        g_autofree char *r = fake_take(m1);
        g_autofree char *other = fake_take_masked(m0);
        g_assert_cmpstr(e, ==, "{\"timestamp\": T, \"event\": \"STOP\"}");
        g_assert_cmpstr(r, ==, "{\"return\": {}}");
        g_assert_cmpstr(other, ==, "{\"timestamp\": T, \"event\": \"STOP\"}");
    }
    check_reply(m0, "{\"execute\": \"query-status\"}",
                "{\"return\": {\"status\": \"paused\", \"singlestep\": "
                "false, \"running\": false}}");
    fake_send(m0, "{\"execute\": \"system_reset\"}");
    while (g_main_context_iteration(sys->ctx, FALSE)) {
    }
    {
        g_autofree char *first = fake_take_masked(m0);
        g_autofree char *second = fake_take_masked(m0);
        g_autofree char *both = g_strdup_printf("%s|%s", first, second);
        /* The reset runs in the main loop; when that is this thread it
         * runs at once, before the reply. */
        g_assert_cmpstr(both, ==,
                        "{\"timestamp\": T, \"event\": \"RESET\", \"data\": "
                        "{\"guest\": false, \"reason\": "
                        "\"host-qmp-system-reset\"}}|{\"return\": {}}");
    }
    fx_destroy(sys);
}

static void test_timestamp(void)
{
    FakeChardev *m0;
    CgSystem *sys = ready(&m0);
    gint64 before = g_get_real_time() / G_USEC_PER_SEC;
    g_autoptr(JsonParser) p = json_parser_new();
    g_autofree char *line = NULL;
    JsonObject *ts;

    system_emit_event(sys, "X_TEST", NULL);
    line = fake_take(m0);
    g_assert_true(json_parser_load_from_data(p, line, -1, NULL));
    ts = json_object_get_object_member(
        json_node_get_object(json_parser_get_root(p)), "timestamp");
    g_assert_cmpint(json_object_get_int_member(ts, "seconds"), >=, before);
    g_assert_cmpint(json_object_get_int_member(ts, "seconds"), <=,
                    g_get_real_time() / G_USEC_PER_SEC);
    g_assert_cmpint(json_object_get_int_member(ts, "microseconds"), >=, 0);
    g_assert_cmpint(json_object_get_int_member(ts, "microseconds"), <,
                    1000000);
    fx_destroy(sys);
}

static void test_disconnect(void)
{
    CgSystem *sys = fx_build_ok(two_monitors);
    FakeChardev *m0 = fx_chardev(sys, "m0");
    FakeChardev *m1 = fx_chardev(sys, "m1");
    g_autofree char *greeting = NULL;

    fx_start(sys);
    fx_negotiate(m0);
    fx_negotiate(m1);

    /* A client leaves in the middle of a command. */
    fake_send(m0, "{\"execute\": \"qmp_capa");
    fake_disconnect(m0);
    check_reply(m1, "{\"execute\": \"query-name\"}", "{\"return\": {}}");

    /* The next client starts from scratch: greeting, negotiation, and
     * nothing of the previous one's half command. */
    fake_connect(m0);
    greeting = fake_take(m0);
    g_assert_cmpstr(greeting, ==, fx_greeting);
    check_error(m0, "{\"execute\": \"query-name\"}", "CommandNotFound",
                "Expecting capabilities negotiation with "
                "'qmp_capabilities'");
    check_reply(m0, "{\"execute\": \"qmp_capabilities\"}", "{\"return\": {}}");

    /* A client whose writes fail does not stop events to the other. */
    m0->broken = true;
    fake_send(m0, "{\"execute\": \"query-name\"}");
    system_emit_event(sys, "X_TEST", NULL);
    {
        g_autofree char *ev = fake_take_masked(m1);
        g_assert_cmpstr(ev, ==, "{\"timestamp\": T, \"event\": \"X_TEST\"}");
    }
    g_assert_cmpstr(m0->out->str, ==, "");
    fx_destroy(sys);
}

static void test_pretty(void)
{
    static const char *const args[] = {
        "-accel", "qtest", "-chardev", "testfake,id=m0", "-mon",
        "chardev=m0,pretty=on", NULL };
    CgSystem *sys = fx_build_ok(args);
    FakeChardev *m0 = fx_chardev(sys, "m0");

    fx_start(sys);
    fake_connect(m0);
    g_string_truncate(m0->out, 0);
    fake_send(m0, "{\"execute\": \"qmp_capabilities\"}");
    g_assert_cmpstr(m0->out->str, ==,
                    "{\r\n    \"return\": {\r\n    }\r\n}\r\n");
    g_string_truncate(m0->out, 0);
    fake_send(m0, "{\"execute\": \"x-test-echo\", \"arguments\": {\"s\": "
                  "\"x\", \"l\": [], \"o\": {\"a\": [1, \"b\"]}}, \"id\": 1}");
    g_assert_cmpstr(m0->out->str, ==,
                    "{\r\n"
                    "    \"return\": {\r\n"
                    "        \"s\": \"x\",\r\n"
                    "        \"l\": [\r\n"
                    "        ],\r\n"
                    "        \"o\": {\r\n"
                    "            \"a\": [\r\n"
                    "                1,\r\n"
                    "                \"b\"\r\n"
                    "            ]\r\n"
                    "        }\r\n"
                    "    },\r\n"
                    "    \"id\": 1\r\n"
                    "}\r\n");
    fx_destroy(sys);
}

static void test_strings_out(void)
{
    FakeChardev *m0;
    CgSystem *sys = ready(&m0);

    /* Printable ASCII as is, the rest as QEMU escapes it. */
    check_reply(m0,
                "{\"execute\": \"x-test-echo\", \"arguments\": {\"s\": "
                "\"a/\\\"\\\\\\b\\f\\n\\r\\t\\u0001\\u007f\\u00e9\\ud83d"
                "\\ude00\"}}",
                "{\"return\": {\"s\": \"a/\\\"\\\\\\b\\f\\n\\r\\t\\u0001"
                "\\u007F\\u00E9\\uD83D\\uDE00\"}}");
    check_reply(m0,
                "{\"execute\": \"x-test-echo\", \"arguments\": {\"s\": \"\", "
                "\"a\": [1.0, 0.1, -0.0, 1e300, 9007199254740993]}}",
                "{\"return\": {\"s\": \"\", \"a\": [1, 0.10000000000000001, "
                "-0, 1.0000000000000001e+300, 9007199254740993]}}");
    fx_destroy(sys);
}

static void test_mon_errors(void)
{
    static const char *const no_chardev[] = { "-accel", "qtest", "-mon",
                                              "chardev=zz", NULL };
    static const char *const bad_pretty[] = {
        "-accel", "qtest", "-chardev", "testfake,id=m0", "-mon",
        "chardev=m0,pretty=maybe", NULL };
    static const char *const twice[] = {
        "-accel", "qtest", "-chardev", "testfake,id=m0", "-mon",
        "chardev=m0", "-mon", "chardev=m0", NULL };
    g_autoptr(GError) e1 = NULL;
    g_autoptr(GError) e2 = NULL;
    g_autoptr(GError) e3 = NULL;

    g_assert_null(fx_build(no_chardev, &e1));
    g_assert_cmpstr(e1->message, ==,
                    "-mon chardev=zz: no chardev with id 'zz'; define it "
                    "with -chardev socket,id=zz,path=PATH,server=on,wait=off");
    g_assert_null(fx_build(bad_pretty, &e2));
    g_assert_cmpstr(e2->message, ==,
                    "-mon chardev=m0,pretty=maybe: 'pretty' expects on or "
                    "off, got 'maybe'");
    g_assert_null(fx_build(twice, &e3));
    g_assert_cmpstr(e3->message, ==,
                    "-mon chardev=m0: chardev 'm0' is already in use by "
                    "another device or monitor; give each its own chardev");
}

/*
 * Garbage never hurts: random mixtures of JSON fragments and bytes, then
 * a reconnect, and the monitor answers as before.  The seed is fixed
 * (g_test_rand), so a failure reproduces.
 */
static void test_garbage(void)
{
    static const char *const pieces[] = {
        "{", "}", "[", "]", "\"", "'", "\\", ":", ",", " ", "\n", "1", "-",
        "0.5e", "true", "nul", "\\u00", "\"execute\"", "\"arguments\"",
        "\"qom-get\"", "\"query-status\"", "\"qmp_capabilities\"",
        "\"id\"", "\"path\"", "\"/machine\"", "\"property\"", "\"type\"",
        "\"object-add\"", "\"qom-type\"", "\"rng-builtin\"", "/*", "\x01",
        "\xff", "\xc3\xa9", "99999999999999999999", "{\"execute\":",
    };
    CgSystem *sys = fx_build_ok(one_monitor);
    FakeChardev *m0 = fx_chardev(sys, "m0");

    fx_start(sys);
    for (int round = 0; round < 300; round++) {
        g_autoptr(GString) junk = g_string_new(NULL);
        int n = g_test_rand_int_range(1, 200);

        fake_connect(m0);
        if (round % 2) {
            fake_send(m0, "{\"execute\": \"qmp_capabilities\"}");
        }
        for (int i = 0; i < n; i++) {
            if (g_test_rand_int_range(0, 4) == 0) {
                g_string_append_c(junk, (char)g_test_rand_int_range(0, 256));
            } else {
                g_string_append(junk, pieces[g_test_rand_int_range(
                                          0, G_N_ELEMENTS(pieces))]);
            }
        }
        fake_send_bytes(m0, junk->str, junk->len);
        fake_disconnect(m0);
        g_string_truncate(m0->out, 0);
    }
    fx_negotiate(m0);
    check_reply(m0, "{\"execute\": \"query-name\"}", "{\"return\": {}}");
    fx_destroy(sys);
}

static void test_quit(void)
{
    CgSystem *sys = fx_build_ok(two_monitors);
    FakeChardev *m0 = fx_chardev(sys, "m0");
    FakeChardev *m1 = fx_chardev(sys, "m1");

    fx_start(sys);
    fx_negotiate(m0);
    fx_negotiate(m1);
    /* Nothing after quit runs, even in the same piece of input. */
    fake_send(m0, "{\"execute\": \"quit\"}{\"execute\": \"cont\"}");
    {
        g_autofree char *e = fake_take_masked(m0);
        g_autofree char *r = fake_take(m0);
        g_autofree char *other = fake_take_masked(m1);
        g_assert_cmpstr(e, ==,
                        "{\"timestamp\": T, \"event\": \"SHUTDOWN\", "
                        "\"data\": {\"guest\": false, \"reason\": "
                        "\"host-qmp-quit\"}}");
        g_assert_cmpstr(r, ==, "{\"return\": {}}");
        g_assert_cmpstr(m0->out->str, ==, "");
        g_assert_cmpstr(other, ==,
                        "{\"timestamp\": T, \"event\": \"SHUTDOWN\", "
                        "\"data\": {\"guest\": false, \"reason\": "
                        "\"host-qmp-quit\"}}");
    }
    g_assert_true(sys->quit);
    g_assert_cmpint(sys->state, ==, RUN_STATE_SHUTDOWN);
    fx_destroy(sys);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qmp/protocol/greeting", test_greeting);
    g_test_add_func("/qmp/protocol/negotiation", test_negotiation);
    g_test_add_func("/qmp/protocol/id-echo", test_id_echo);
    g_test_add_func("/qmp/protocol/input-errors", test_input_errors);
    g_test_add_func("/qmp/protocol/json-errors", test_json_errors);
    g_test_add_func("/qmp/protocol/input-limits", test_input_limits);
    g_test_add_func("/qmp/protocol/arguments", test_arguments);
    g_test_add_func("/qmp/protocol/handler-errors", test_handler_errors);
    g_test_add_func("/qmp/protocol/registration", test_registration);
    g_test_add_func("/qmp/protocol/gate", test_gate);
    g_test_add_func("/qmp/protocol/events", test_events);
    g_test_add_func("/qmp/protocol/timestamp", test_timestamp);
    g_test_add_func("/qmp/protocol/disconnect", test_disconnect);
    g_test_add_func("/qmp/protocol/pretty", test_pretty);
    g_test_add_func("/qmp/protocol/strings-out", test_strings_out);
    g_test_add_func("/qmp/protocol/mon-errors", test_mon_errors);
    g_test_add_func("/qmp/protocol/garbage", test_garbage);
    g_test_add_func("/qmp/protocol/quit", test_quit);
    return g_test_run();
}
