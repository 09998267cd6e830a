/* QMP error shapes: every kind of bad input gets its error, never a hang. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "libqtest.h"

#include <string.h>

/* Sends @raw on the main monitor; the reply must be @klass with @desc. */
static void expect_raw_error(QTestState *s, const char *raw,
                             const char *klass, const char *desc)
{
    g_autoptr(JsonNode) reply = NULL;
    g_autofree char *got = NULL;

    qtest_qmp_send_raw(s, raw, strlen(raw));
    reply = qtest_qmp_receive(s);
    got = qtest_reply_error(reply, klass);
    g_assert_cmpstr(got, ==, desc);
}

/* The monitor still answers, and answers this command (not a leftover). */
static void assert_alive(QTestState *s)
{
    g_autoptr(JsonNode) ret = qtest_qmp_assert_success_ref(
        s, "{'execute': 'query-status'}");

    g_assert_cmpstr(json_object_get_string_member(json_node_get_object(ret),
                                                  "status"),
                    ==, "running");
}

static void test_malformed_json(const char *target)
{
    g_autoptr(QTestState) s = qtest_init(target, NULL);

    expect_raw_error(s, "{\"execute\" \"query-status\"}\n", "GenericError",
                     "JSON parse error, line 1 column 10: unexpected "
                     "string constant \"execute\", expected character "
                     "`:'");
    assert_alive(s);
}

static void test_not_an_object(const char *target)
{
    static const char *const inputs[] = { "[1, 2]\n", "\"str\"\n", "42\n",
                                          "null\n", "true\n" };
    g_autoptr(QTestState) s = qtest_init(target, NULL);

    for (size_t i = 0; i < G_N_ELEMENTS(inputs); i++) {
        expect_raw_error(s, inputs[i], "GenericError",
                         "QMP input must be a JSON object");
    }
    assert_alive(s);
}

static void test_bad_envelope(const char *target)
{
    g_autoptr(QTestState) s = qtest_init(target, NULL);

    expect_raw_error(s, "{\"execute\": 1}", "GenericError",
                     "QMP input member 'execute' must be a string");
    expect_raw_error(s, "{\"arguments\": {}}", "GenericError",
                     "QMP input lacks member 'execute'");
    expect_raw_error(s,
                     "{\"execute\": \"query-status\", \"arguments\": []}",
                     "GenericError",
                     "QMP input member 'arguments' must be an object");
    expect_raw_error(s, "{\"execute\": \"query-status\", \"foo\": 1}",
                     "GenericError",
                     "QMP input member 'foo' is unexpected; a command has "
                     "only 'execute', 'arguments' and 'id'");
    assert_alive(s);
}

static void test_unknown_command(const char *target)
{
    g_autoptr(QTestState) s = qtest_init(target, NULL);
    g_autoptr(JsonNode) reply = NULL;
    g_autofree char *desc = NULL;
    JsonObject *o;

    /* The id comes back, whatever JSON it is. */
    reply = qtest_qmp(s, "{'execute': 'no-such', 'id': {'n': [1, 'x']}}");
    o = json_node_get_object(reply);
    g_assert_true(json_object_has_member(o, "id"));
    {
        g_autofree char *id = qtest_json_to_string(
            json_object_get_member(o, "id"));
        g_assert_cmpstr(id, ==, "{\"n\":[1,\"x\"]}");
    }
    desc = qtest_reply_error(reply, "CommandNotFound");
    g_assert_cmpstr(desc, ==, "The command no-such has not been found; "
                              "query-commands lists the commands of this "
                              "binary");
}

static void test_wrong_types(const char *target)
{
    g_autoptr(QTestState) s = qtest_init(target, NULL);
    g_autofree char *d1 = NULL, *d2 = NULL, *d3 = NULL;

    d1 = qtest_qmp_assert_error(s, "GenericError",
                                "{'execute': 'qom-get', 'arguments': "
                                "{'path': 1, 'property': 'type'}}");
    g_assert_cmpstr(d1, ==, "Invalid parameter type for 'path', expected: "
                            "string; got an integer");
    d2 = qtest_qmp_assert_error(s, "GenericError",
                                "{'execute': 'qom-list-types', 'arguments': "
                                "{'abstract': 'yes'}}");
    g_assert_cmpstr(d2, ==, "Invalid parameter type for 'abstract', "
                            "expected: boolean; got a string");
    d3 = qtest_qmp_assert_error(s, "GenericError",
                                "{'execute': 'qom-list', 'arguments': "
                                "{'path': ['/machine']}}");
    g_assert_cmpstr(d3, ==, "Invalid parameter type for 'path', expected: "
                            "string; got an array");
}

static void test_missing_and_extra(const char *target)
{
    g_autoptr(QTestState) s = qtest_init(target, NULL);
    g_autofree char *d1 = NULL, *d2 = NULL;

    d1 = qtest_qmp_assert_error(s, "GenericError",
                                "{'execute': 'qom-get', 'arguments': "
                                "{'path': '/machine'}}");
    g_assert_cmpstr(d1, ==, "Parameter 'property' is missing; qom-get "
                            "takes: path, property");
    d2 = qtest_qmp_assert_error(s, "GenericError",
                                "{'execute': 'qom-get', 'arguments': "
                                "{'path': '/machine', 'property': 'type', "
                                "'x': 1}}");
    g_assert_cmpstr(d2, ==, "Parameter 'x' is unexpected; qom-get takes: "
                            "path, property");
}

/* 64 MiB in one value and one line: refused and skipped, not stored. */
static void test_huge_value(const char *target)
{
    g_autoptr(QTestState) s = qtest_init(target, NULL);
    size_t n = 64u << 20;
    g_autofree char *junk = g_malloc(n);
    static const char head[] = "{\"execute\": \"qom-get\", \"arguments\": "
                               "{\"path\": \"";
    static const char tail[] = "\", \"property\": \"type\"}}\n";
    g_autoptr(JsonNode) reply = NULL;
    g_autofree char *desc = NULL;

    memset(junk, 'a', n);
    qtest_qmp_send_raw(s, head, strlen(head));
    qtest_qmp_send_raw(s, junk, n);
    qtest_qmp_send_raw(s, tail, strlen(tail));
    reply = qtest_qmp_receive(s);
    desc = qtest_reply_error(reply, "GenericError");
    g_assert_cmpstr(desc, ==, "JSON parse error, the value is larger than "
                              "1048576 bytes, the limit of one QMP command; "
                              "it was discarded");
    assert_alive(s);
}

/* 64 MiB that cannot start a value: reported once. */
static void test_huge_garbage(const char *target)
{
    g_autoptr(QTestState) s = qtest_init(target, NULL);
    size_t n = 64u << 20;
    g_autofree char *junk = g_malloc(n);
    g_autoptr(JsonNode) reply = NULL;
    g_autofree char *desc = NULL;

    memset(junk, '}', n);
    qtest_qmp_send_raw(s, junk, n);
    qtest_qmp_send_raw(s, "\n", 1);
    reply = qtest_qmp_receive(s);
    desc = qtest_reply_error(reply, "GenericError");
    g_test_message("64 MiB of '}': %s", desc);
    g_assert_true(g_str_has_prefix(desc, "JSON parse error"));
    /* Once: the next reply is the next command's. */
    assert_alive(s);
}

static void test_deep_nesting(const char *target)
{
    g_autoptr(QTestState) s = qtest_init(target, NULL);
    GString *deep = g_string_new(NULL);

    for (int i = 0; i < 5000; i++) {
        g_string_append_c(deep, '[');
    }
    for (int i = 0; i < 5000; i++) {
        g_string_append_c(deep, ']');
    }
    g_string_append_c(deep, '\n');
    expect_raw_error(s, deep->str, "GenericError",
                     "JSON parse error, the value nests deeper than 1024 "
                     "levels, the limit of one QMP command; it was "
                     "discarded");
    g_string_free(deep, TRUE);
    assert_alive(s);
}

/* Several monitors: -qmp twice, the second one ours to misuse. */
#define EXTRA_MONITOR "-qmp unix:{tmpdir}/m2.sock,server=on,wait=off"

static QTestQmp *connect_extra(QTestState *s)
{
    g_autofree char *path = g_build_filename(qtest_tmpdir(s), "m2.sock",
                                             NULL);

    return qtest_qmp_connect(s, path);
}

static void test_before_negotiation(const char *target)
{
    g_autoptr(QTestState) s = qtest_init(target, EXTRA_MONITOR);
    QTestQmp *q = connect_extra(s);
    g_autoptr(JsonNode) r1 = NULL;
    g_autoptr(JsonNode) r2 = NULL;
    g_autoptr(JsonNode) r3 = NULL;
    g_autofree char *desc = NULL;

    r1 = qtest_qmp_conn_cmd(q, "{'execute': 'query-status'}");
    desc = qtest_reply_error(r1, "CommandNotFound");
    g_assert_cmpstr(desc, ==, "Expecting capabilities negotiation with "
                              "'qmp_capabilities'");
    r2 = qtest_qmp_conn_cmd(q, "{'execute': 'qmp_capabilities'}");
    json_node_unref(qtest_reply_return(r2));
    r3 = qtest_qmp_conn_cmd(q, "{'execute': 'query-status'}");
    json_node_unref(qtest_reply_return(r3));
    qtest_qmp_disconnect(q);
}

/*
 * A client that leaves in the middle of a command: the rest of it is
 * forgotten, the other monitor is unaffected, and the next client is
 * greeted afresh.
 */
static void test_disconnect_mid_command(const char *target)
{
    g_autoptr(QTestState) s = qtest_init(target, EXTRA_MONITOR);
    static const char half[] = "{\"execute\": \"qom-get\", \"arguments\": "
                               "{\"path\": \"/mach";
    QTestQmp *q = connect_extra(s);
    g_autoptr(JsonNode) r1 = NULL;
    g_autoptr(JsonNode) r2 = NULL;
    g_autoptr(JsonNode) r3 = NULL;

    r1 = qtest_qmp_conn_cmd(q, "{'execute': 'qmp_capabilities'}");
    json_node_unref(qtest_reply_return(r1));
    qtest_qmp_conn_send_raw(q, half, strlen(half));
    assert_alive(s);
    qtest_qmp_disconnect(q);
    assert_alive(s);

    q = connect_extra(s);
    g_assert_true(json_object_has_member(
        json_node_get_object(qtest_qmp_conn_greeting(q)), "QMP"));
    /* Not negotiated: the new client starts from scratch. */
    r2 = qtest_qmp_conn_cmd(q, "{'execute': 'query-status'}");
    g_free(qtest_reply_error(r2, "CommandNotFound"));
    r3 = qtest_qmp_conn_cmd(q, "{'execute': 'qmp_capabilities'}");
    json_node_unref(qtest_reply_return(r3));
    qtest_qmp_disconnect(q);
}

/* A client that stops half-way and stays does not block the others. */
static void test_stalled_client(const char *target)
{
    static const char half[] = "{\"execute\": \"query-";
    static const char rest[] = "status\"}\n";
    g_autoptr(QTestState) s = qtest_init(target, EXTRA_MONITOR);
    QTestQmp *q = connect_extra(s);
    g_autoptr(JsonNode) r1 = NULL;
    g_autoptr(JsonNode) r2 = NULL;

    r1 = qtest_qmp_conn_cmd(q, "{'execute': 'qmp_capabilities'}");
    json_node_unref(qtest_reply_return(r1));
    qtest_qmp_conn_send_raw(q, half, strlen(half));
    assert_alive(s);
    assert_alive(s);
    /* And it can finish its command later. */
    qtest_qmp_conn_send_raw(q, rest, strlen(rest));
    r2 = qtest_qmp_conn_receive(q);
    json_node_unref(qtest_reply_return(r2));
    qtest_qmp_disconnect(q);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_per_target("qmp-errors/malformed-json", test_malformed_json);
    qtest_add_per_target("qmp-errors/not-an-object", test_not_an_object);
    qtest_add_per_target("qmp-errors/bad-envelope", test_bad_envelope);
    qtest_add_per_target("qmp-errors/unknown-command", test_unknown_command);
    qtest_add_per_target("qmp-errors/wrong-types", test_wrong_types);
    qtest_add_per_target("qmp-errors/missing-and-extra",
                         test_missing_and_extra);
    qtest_add_per_target("qmp-errors/huge-value", test_huge_value);
    qtest_add_per_target("qmp-errors/huge-garbage", test_huge_garbage);
    qtest_add_per_target("qmp-errors/deep-nesting", test_deep_nesting);
    qtest_add_per_target("qmp-errors/before-negotiation",
                         test_before_negotiation);
    qtest_add_per_target("qmp-errors/disconnect-mid-command",
                         test_disconnect_mid_command);
    qtest_add_per_target("qmp-errors/stalled-client", test_stalled_client);
    return g_test_run();
}
