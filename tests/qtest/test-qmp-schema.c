/* query-qmp-schema: well formed, and true to what commands take and give. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "libqtest.h"

#include <gio/gio.h>
#include <string.h>

/* --- well formed ---------------------------------------------------------- */

static void test_wellformed(const char *target)
{
    g_autoptr(QTestState) qts = qtest_init(target, NULL);
    g_autoptr(QTestSchema) s = qtest_schema_fetch(qts);
    g_autoptr(JsonNode) cmds =
        qtest_qmp_checked(qts, s, "{'execute': 'query-commands'}");
    g_autoptr(JsonNode) first = qtest_qmp_assert_success_ref(
        qts, "{'execute': 'query-qmp-schema'}");
    g_autoptr(JsonNode) again =
        qtest_qmp_checked(qts, s, "{'execute': 'query-qmp-schema'}");
    g_auto(GStrv) listed = qtest_json_strings(cmds, "name");
    g_auto(GStrv) in_schema = qtest_schema_names(s, "command");
    g_auto(GStrv) events = qtest_schema_names(s, "event");
    g_autofree char *a = g_strjoinv(" ", listed);
    g_autofree char *b = g_strjoinv(" ", in_schema);
    g_autofree char *ev = g_strjoinv(" ", events);

    /* the schema has exactly the commands the binary has */
    g_assert_cmpstr(a, ==, b);
    g_assert_cmpstr(ev, ==, "POWERDOWN RESET RESUME SHUTDOWN STOP");
    /* the same answer each time: names do not depend on the call */
    g_assert_true(json_node_equal(first, again));
    /* "any" is qom-get's result; for another command it means that
     * monitor/qmp-schema.c does not describe its result */
    for (char **c = in_schema; *c != NULL; c++) {
        const char *ret = json_object_get_string_member(
            qtest_schema_entry(s, *c), "ret-type");
        if (!strcmp(ret, "any") && strcmp(*c, "qom-get") != 0) {
            g_error("%s: no result described in command_returns[]", *c);
        }
    }
}

/* --- results and events ------------------------------------------------ */

typedef struct {
    QTestState *qts;
    QTestSchema *s;
    GHashTable *covered;    /* commands whose result was checked */
} Run;

/* Runs @fmt, checks its result against the schema and counts it. */
static JsonNode *run_checked(Run *r, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static JsonNode *run_checked(Run *r, const char *fmt, ...)
{
    g_autofree char *text = NULL;
    g_autoptr(JsonParser) p = json_parser_new();
    g_autoptr(JsonNode) reply = NULL;
    const char *name;
    JsonNode *ret;
    va_list ap;

    va_start(ap, fmt);
    text = qtest_json_vformat(fmt, ap);
    va_end(ap);
    g_assert_true(json_parser_load_from_data(p, text, -1, NULL));
    name = json_object_get_string_member(
        json_node_get_object(json_parser_get_root(p)), "execute");
    reply = qtest_qmp_node(r->qts, json_parser_get_root(p));
    ret = qtest_reply_return(reply);
    qtest_schema_assert_return(r->s, name, ret);
    g_hash_table_add(r->covered, g_strdup(name));
    return ret;
}

static void expect_event(Run *r, const char *name)
{
    g_autoptr(JsonNode) ev = qtest_qmp_eventwait_ref(r->qts, name);

    qtest_schema_assert_event(r->s, ev);
}

static bool has_command(Run *r, const char *name)
{
    JsonObject *e = qtest_schema_entry(r->s, name);

    return e != NULL &&
           !strcmp(json_object_get_string_member(e, "meta-type"), "command");
}

/* A concrete device type of this binary, for device-list-properties. */
static char *some_device(Run *r)
{
    g_autoptr(JsonNode) types = run_checked(
        r, "{'execute': 'qom-list-types', 'arguments': "
           "{'implements': 'device', 'abstract': false}}");
    g_auto(GStrv) names = qtest_json_strings(types, "name");

    g_assert_nonnull(names[0]);
    return g_strdup(names[0]);
}

/* Each user-creatable type: its properties as qom-list-properties. */
static void check_creatable(Run *r)
{
    JsonObject *add = qtest_schema_entry(r->s, "object-add");
    JsonObject *args = qtest_schema_entry(
        r->s, json_object_get_string_member(add, "arg-type"));
    JsonArray *variants = json_object_get_array_member(args, "variants");

    g_assert_cmpstr(json_object_get_string_member(args, "tag"), ==,
                    "qom-type");
    g_assert_cmpuint(json_array_get_length(variants), >, 0);
    for (guint i = 0; i < json_array_get_length(variants); i++) {
        JsonObject *v = json_array_get_object_element(variants, i);
        const char *type = json_object_get_string_member(v, "case");
        JsonArray *members = json_object_get_array_member(
            qtest_schema_entry(r->s,
                               json_object_get_string_member(v, "type")),
            "members");
        g_autoptr(JsonNode) props = run_checked(
            r, "{'execute': 'qom-list-properties', 'arguments': "
               "{'typename': %s}}", type);
        g_auto(GStrv) names = qtest_json_strings(props, "name");

        for (guint j = 0; j < json_array_get_length(members); j++) {
            const char *m = json_object_get_string_member(
                json_array_get_object_element(members, j), "name");
            if (!g_strv_contains((const char *const *)names, m)) {
                g_error("object-add branch %s lists '%s', which "
                        "qom-list-properties does not", type, m);
            }
        }
    }
}

static void run_queries(Run *r)
{
    static const char *const plain[] = {
        "query-status", "query-name", "query-uuid", "query-version",
        "query-target", "query-kvm", "query-machines", "query-cpus-fast",
        "query-commands", "query-command-line-options", "query-qmp-schema",
        "qom-list-types", "query-confidential-guest-support",
        "query-cpu-definitions", "query-sev", "query-migrate-capabilities",
        "query-chardev", "query-block", "query-named-block-nodes",
        "query-blockstats",
    };
    g_autofree char *dev = some_device(r);
    g_autofree char *mem = g_strdup_printf("%s/mem", qtest_tmpdir(r->qts));

    for (size_t i = 0; i < G_N_ELEMENTS(plain); i++) {
        if (has_command(r, plain[i])) {
            json_node_unref(run_checked(r, "{'execute': %s}", plain[i]));
        }
    }
    json_node_unref(run_checked(
        r, "{'execute': 'query-command-line-options', 'arguments': "
           "{'option': 'machine'}}"));
    json_node_unref(run_checked(
        r, "{'execute': 'qom-list', 'arguments': {'path': '/machine'}}"));
    json_node_unref(run_checked(
        r, "{'execute': 'qom-get', 'arguments': {'path': '/machine', "
           "'property': 'mem-merge'}}"));
    json_node_unref(run_checked(
        r, "{'execute': 'device-list-properties', 'arguments': "
           "{'typename': %s}}", dev));
    json_node_unref(run_checked(
        r, "{'execute': 'pmemsave', 'arguments': {'val': 0, 'size': 16, "
           "'filename': %s}}", mem));
    json_node_unref(run_checked(
        r, "{'execute': 'migrate-set-capabilities', 'arguments': "
           "{'capabilities': [{'capability': 'events', 'state': true}]}}"));
    json_node_unref(run_checked(
        r, "{'execute': 'query-named-block-nodes', 'arguments': "
           "{'flat': true}}"));
    if (has_command(r, "query-cpu-model-expansion")) {
        json_node_unref(run_checked(
            r, "{'execute': 'query-cpu-model-expansion', 'arguments': "
               "{'type': 'full', 'model': {'name': 'qemu'}}}"));
    }
    check_creatable(r);
    json_node_unref(run_checked(
        r, "{'execute': 'object-add', 'arguments': {'qom-type': 'secret', "
           "'id': 'sec0', 'data': 'abc'}}"));
    json_node_unref(run_checked(
        r, "{'execute': 'object-del', 'arguments': {'id': 'sec0'}}"));
    if (!strcmp(qtest_target(r->qts), "x86_64")) {
        /* sev-guest properties can change until the machine uses it */
        json_node_unref(run_checked(
            r, "{'execute': 'object-add', 'arguments': {'qom-type': "
               "'sev-guest', 'id': 'sev0'}}"));
        json_node_unref(run_checked(
            r, "{'execute': 'qom-set', 'arguments': {'path': "
               "'/objects/sev0', 'property': 'policy', 'value': 5}}"));
    }
}

static void run_lifecycle(Run *r)
{
    json_node_unref(run_checked(r, "{'execute': 'stop'}"));
    expect_event(r, "STOP");
    json_node_unref(run_checked(r, "{'execute': 'cont'}"));
    expect_event(r, "RESUME");
    json_node_unref(run_checked(r, "{'execute': 'system_reset'}"));
    expect_event(r, "RESET");
}

/*
 * Commands this test cannot run to success, and where their results are
 * checked instead.
 */
static const struct {
    const char *command;
    const char *target;     /* NULL: every target */
} elsewhere[] = {
    /* no machine has a power button yet: the command always fails */
    { "system_powerdown", NULL },
    /* need SEV firmware: tests/sev/test-sev-qmp.c under the simulator */
    { "query-sev-capabilities", "x86_64" },
    { "query-sev-launch-measure", "x86_64" },
    { "query-sev-attestation-report", "x86_64" },
    { "sev-inject-launch-secret", "x86_64" },
    /* no object of these binaries has a property that may change after
     * creation (sev-guest is x86's) */
    { "qom-set", "ppc64" },
    { "qom-set", "s390x" },
};

static bool checked_elsewhere(const char *command, const char *target)
{
    for (size_t i = 0; i < G_N_ELEMENTS(elsewhere); i++) {
        if (!strcmp(elsewhere[i].command, command) &&
            (elsewhere[i].target == NULL ||
             !strcmp(elsewhere[i].target, target))) {
            return true;
        }
    }
    return false;
}

static void test_results(const char *target)
{
    g_autofree char *args = g_strdup_printf(
        "-name guest0 -qmp unix:{tmpdir}/m2.sock,server=on,wait=off "
        "-blockdev driver=file,filename={tmpdir}/disk.img,node-name=f0 "
        "-blockdev driver=raw,file=f0,node-name=d0 "
        "-device virtio-blk-%s,drive=d0,id=disk0",
        strcmp(target, "s390x") ? "pci" : "ccw");
    QTestOptions o = { .target = target, .prepare = qtest_prepare_disk,
                       .prepare_opaque = GSIZE_TO_POINTER(1u << 20) };
    g_autoptr(QTestState) qts = qtest_init_with(&o, args);
    g_autoptr(QTestSchema) s = qtest_schema_fetch(qts);
    g_autoptr(GHashTable) covered =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_autofree char *sock = g_strdup_printf("%s/m2.sock", qtest_tmpdir(qts));
    Run r = { qts, s, covered };
    g_auto(GStrv) cmds = NULL;
    QTestQmp *q2;
    g_autoptr(JsonNode) caps = NULL;

    /* qmp_capabilities, on a second monitor that has not negotiated */
    q2 = qtest_qmp_connect(qts, sock);
    g_assert_nonnull(qtest_qmp_conn_greeting(q2));
    caps = qtest_qmp_conn_cmd(q2, "{'execute': 'qmp_capabilities', "
                                  "'arguments': {'enable': ['no-such']}}");
    g_free(qtest_reply_error(caps, "GenericError"));
    json_node_unref(caps);
    caps = qtest_qmp_conn_cmd(q2, "{'execute': 'qmp_capabilities'}");
    qtest_schema_assert_return(s, "qmp_capabilities",
                               json_object_get_member(
                                   json_node_get_object(caps), "return"));
    g_hash_table_add(covered, g_strdup("qmp_capabilities"));
    qtest_qmp_disconnect(q2);

    run_queries(&r);
    run_lifecycle(&r);
    json_node_unref(run_checked(&r, "{'execute': 'quit'}"));
    expect_event(&r, "SHUTDOWN");
    g_assert_cmpint(qtest_wait_exit(qts), ==, 0);

    cmds = qtest_schema_names(s, "command");
    for (char **c = cmds; *c != NULL; c++) {
        bool done = g_hash_table_contains(covered, *c);

        if (done == checked_elsewhere(*c, target)) {
            g_error("%s: %s", *c,
                    done ? "listed in elsewhere[] but checked here"
                         : "its result is checked nowhere; add it to "
                           "run_queries()");
        }
    }
}

/* --- arguments ------------------------------------------------------------ */

/* A JSON value that type @type (a schema name) does not accept. */
static JsonNode *wrong_value(QTestSchema *s, const char *type)
{
    const char *meta = json_object_get_string_member(
        qtest_schema_entry(s, type), "meta-type");
    JsonNode *n = json_node_alloc();

    if (!strcmp(meta, "enum")) {
        return json_node_init_string(n, "no-such-value");
    }
    if (!strcmp(type, "str")) {
        return json_node_init_int(n, 12345);
    }
    if (!strcmp(type, "any")) {
        return json_node_init_null(n);
    }
    return json_node_init_string(n, "x");  /* int, bool, number, ... */
}

/* The error of @command with the one argument @name = @value. */
static char *refusal(QTestState *qts, const char *command, const char *name,
                     JsonNode *value)
{
    g_autoptr(JsonBuilder) b = json_builder_new();
    g_autoptr(JsonNode) cmd = NULL;
    g_autoptr(JsonNode) reply = NULL;

    json_builder_begin_object(b);
    json_builder_set_member_name(b, "execute");
    json_builder_add_string_value(b, command);
    json_builder_set_member_name(b, "arguments");
    json_builder_begin_object(b);
    json_builder_set_member_name(b, name);
    json_builder_add_value(b, value);
    json_builder_end_object(b);
    json_builder_end_object(b);
    cmd = json_builder_get_root(b);
    reply = qtest_qmp_node(qts, cmd);
    return qtest_reply_error(reply, "GenericError");
}

/*
 * Without running anything (every call is refused while its arguments
 * are checked): an undeclared argument is refused, a required one is
 * required, and each declared one refuses a value of another type.
 */
static void test_arguments(const char *target)
{
    g_autoptr(QTestState) qts = qtest_init(target, NULL);
    g_autoptr(QTestSchema) s = qtest_schema_fetch(qts);
    g_auto(GStrv) cmds = qtest_schema_names(s, "command");

    for (char **c = cmds; *c != NULL; c++) {
        JsonObject *args = qtest_schema_entry(
            s, json_object_get_string_member(qtest_schema_entry(s, *c),
                                             "arg-type"));
        JsonArray *members = json_object_get_array_member(args, "members");
        bool extra = json_object_has_member(args, "variants");
        const char *required = NULL;
        g_autofree char *d = NULL;

        if (!strcmp(*c, "qmp_capabilities")) {
            continue;   /* refused once negotiated; see test_results */
        }

        for (guint i = 0; i < json_array_get_length(members); i++) {
            JsonObject *m = json_array_get_object_element(members, i);
            const char *name = json_object_get_string_member(m, "name");
            const char *type = json_object_get_string_member(m, "type");
            g_autofree char *desc =
                refusal(qts, *c, name, wrong_value(s, type));

            if (strstr(desc, name) == NULL) {
                g_error("%s: a wrong %s gives '%s'", *c, name, desc);
            }
            if (required == NULL && !json_object_has_member(m, "default")) {
                required = name;
            }
        }
        if (required != NULL) {
            g_autofree char *want =
                g_strdup_printf("Parameter '%s' is missing", required);
            d = qtest_qmp_assert_error(
                qts, "GenericError",
                "{'execute': %s, 'arguments': {}}", *c);
            g_assert_true(g_str_has_prefix(d, want));
            g_clear_pointer(&d, g_free);
        }
        if (!extra) {
            d = qtest_qmp_assert_error(
                qts, "GenericError",
                "{'execute': %s, 'arguments': {'x-undeclared': 1}}", *c);
            g_assert_true(
                g_str_has_prefix(d, "Parameter 'x-undeclared' is unexpected"));
        }
    }
}

/* --- the notation's output in detail -------------------------------------- */

/* A few entries whose exact shape clients (libvirt) look for. */
static void test_x86_shapes(void)
{
    g_autoptr(QTestState) qts = qtest_init("x86_64", NULL);
    g_autoptr(QTestSchema) s = qtest_schema_fetch(qts);
    JsonObject *inject = qtest_schema_entry(s, "sev-inject-launch-secret");
    JsonObject *args = qtest_schema_entry(
        s, json_object_get_string_member(inject, "arg-type"));
    JsonObject *stop = qtest_schema_entry(s, "stop");
    g_autoptr(JsonNode) n = json_node_new(JSON_NODE_OBJECT);
    g_autofree char *text = NULL;

    json_node_set_object(n, args);
    text = qtest_json_to_string(n);
    g_assert_true(g_str_has_suffix(
        text, "\"members\":[{\"name\":\"packet-header\",\"type\":\"str\"},"
              "{\"name\":\"secret\",\"type\":\"str\"},{\"name\":\"gpa\","
              "\"default\":null,\"type\":\"int\"}]}"));
    /* commands without arguments or result share one empty object */
    g_assert_cmpstr(json_object_get_string_member(stop, "arg-type"), ==,
                    json_object_get_string_member(stop, "ret-type"));
    g_assert_cmpstr(json_object_get_string_member(
                        qtest_schema_entry(s, "qom-get"), "ret-type"),
                    ==, "any");
}

/* --- against QEMU ------------------------------------------------------- */

static void send_line(GOutputStream *out, const char *line)
{
    g_autoptr(GError) err = NULL;

    g_assert_true(g_output_stream_write_all(out, line, strlen(line), NULL,
                                            NULL, &err));
    g_assert_no_error(err);
}

/*
 * query-qmp-schema of qemu-system-@target, or NULL when not installed.
 * stdin stays open until the answer is in: QEMU drops queued commands
 * when its monitor sees end of file.
 */
static QTestSchema *qemu_schema(const char *target)
{
    g_autofree char *name = g_strdup_printf("qemu-system-%s", target);
    g_autofree char *qemu = g_find_program_in_path(name);
    g_autoptr(GSubprocess) p = NULL;
    g_autoptr(GDataInputStream) in = NULL;
    g_autoptr(GError) err = NULL;
    GOutputStream *out;
    QTestSchema *schema = NULL;
    char *line;

    if (qemu == NULL) {
        return NULL;
    }
    p = g_subprocess_new(G_SUBPROCESS_FLAGS_STDIN_PIPE |
                             G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                             G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                         &err, qemu, "-M", "none", "-display", "none",
                         "-nodefaults", "-no-user-config", "-qmp", "stdio",
                         NULL);
    g_assert_no_error(err);
    out = g_subprocess_get_stdin_pipe(p);
    in = g_data_input_stream_new(g_subprocess_get_stdout_pipe(p));
    send_line(out, "{\"execute\": \"qmp_capabilities\"}\n"
                   "{\"execute\": \"query-qmp-schema\"}\n");
    while (schema == NULL &&
           (line = g_data_input_stream_read_line(in, NULL, NULL, &err))) {
        g_autoptr(JsonParser) jp = json_parser_new();

        if (strstr(line, "\"return\": [") != NULL &&
            json_parser_load_from_data(jp, line, -1, NULL)) {
            JsonObject *o = json_node_get_object(json_parser_get_root(jp));
            schema = qtest_schema_new(json_object_get_member(o, "return"));
        }
        g_free(line);
    }
    g_assert_no_error(err);
    if (schema == NULL) {
        g_error("%s answered no query-qmp-schema", qemu);
    }
    send_line(out, "{\"execute\": \"quit\"}\n");
    g_assert_true(g_subprocess_wait(p, NULL, NULL));
    return schema;
}

static const char *meta(QTestSchema *s, const char *type)
{
    return json_object_get_string_member(qtest_schema_entry(s, type),
                                         "meta-type");
}

/*
 * Member @name of object type @type, its variants included, or NULL;
 * @in_variant: whether a variant has it (its branch's to require).
 */
static JsonObject *member_of(QTestSchema *s, const char *type,
                             const char *name, bool *in_variant)
{
    JsonObject *t = qtest_schema_entry(s, type);
    JsonArray *lists[1] = { json_object_get_array_member(t, "members") };
    JsonArray *variants = json_object_has_member(t, "variants")
        ? json_object_get_array_member(t, "variants") : NULL;

    for (guint i = 0; i < json_array_get_length(lists[0]); i++) {
        JsonObject *m = json_array_get_object_element(lists[0], i);
        if (!strcmp(json_object_get_string_member(m, "name"), name)) {
            return m;
        }
    }
    for (guint v = 0; variants && v < json_array_get_length(variants); v++) {
        const char *vt = json_object_get_string_member(
            json_array_get_object_element(variants, v), "type");
        JsonObject *m = member_of(s, vt, name, in_variant);
        if (m != NULL) {
            *in_variant = true;
            return m;
        }
    }
    return NULL;
}

/* Deliberate differences from QEMU 7.2, by path, and why. */
static const struct {
    const char *path;
    const char *why;
} qemu_differences[] = {
    { "query-sev/ret-type/sev-type",
      "QEMU 8.2 added it (SEV or SEV-SNP); 7.2 does not have it yet" },
};

/* Adds "@path: @what" to @diff, unless it is a deliberate difference. */
static void differ(GString *diff, const char *path, const char *what)
{
    for (size_t i = 0; i < G_N_ELEMENTS(qemu_differences); i++) {
        if (!strcmp(qemu_differences[i].path, path)) {
            return;
        }
    }
    g_string_append_printf(diff, "\n  %s: %s", path, what);
}

/*
 * Whether what cgemu's @mine promises is within what QEMU's @theirs does:
 * no member QEMU lacks, none optional that QEMU always gives, enum values
 * QEMU has.  'any' on either side accepts.  Appends differences to @diff.
 */
static void compare_types(QTestSchema *ms, const char *mine, QTestSchema *qs,
                          const char *theirs, const char *path, GString *diff,
                          unsigned depth)
{
    const char *mm = meta(ms, mine), *qm = meta(qs, theirs);

    if (!strcmp(mine, "any") || !strcmp(theirs, "any") || depth > 8) {
        return;
    }
    if (!strcmp(qm, "alternate")) {
        return;     /* several shapes: not compared */
    }
    if (strcmp(mm, qm) != 0) {
        g_autofree char *what = g_strdup_printf("%s here, %s in QEMU", mm, qm);
        differ(diff, path, what);
        return;
    }
    if (!strcmp(mm, "builtin")) {
        if (strcmp(mine, theirs) != 0) {
            g_autofree char *what =
                g_strdup_printf("%s here, %s in QEMU", mine, theirs);
            differ(diff, path, what);
        }
    } else if (!strcmp(mm, "enum")) {
        JsonArray *mv = json_object_get_array_member(
            qtest_schema_entry(ms, mine), "values");
        JsonArray *qv = json_object_get_array_member(
            qtest_schema_entry(qs, theirs), "values");

        for (guint i = 0; i < json_array_get_length(mv); i++) {
            const char *v = json_array_get_string_element(mv, i);
            bool found = false;
            for (guint j = 0; j < json_array_get_length(qv) && !found; j++) {
                found = !strcmp(json_array_get_string_element(qv, j), v);
            }
            if (!found) {
                g_autofree char *what =
                    g_strdup_printf("value '%s' is not in QEMU's enum", v);
                differ(diff, path, what);
            }
        }
    } else if (!strcmp(mm, "array")) {
        g_autofree char *sub = g_strdup_printf("%s[]", path);
        compare_types(ms,
                      json_object_get_string_member(
                          qtest_schema_entry(ms, mine), "element-type"),
                      qs,
                      json_object_get_string_member(
                          qtest_schema_entry(qs, theirs), "element-type"),
                      sub, diff, depth + 1);
    } else if (!strcmp(mm, "object")) {
        JsonArray *members = json_object_get_array_member(
            qtest_schema_entry(ms, mine), "members");

        for (guint i = 0; i < json_array_get_length(members); i++) {
            JsonObject *m = json_array_get_object_element(members, i);
            const char *name = json_object_get_string_member(m, "name");
            bool in_variant = false;
            JsonObject *q = member_of(qs, theirs, name, &in_variant);
            g_autofree char *sub = g_strdup_printf("%s/%s", path, name);

            if (q == NULL) {
                differ(diff, sub, "not in QEMU");
                continue;
            }
            /* cgemu flattens QEMU's unions: a branch's member is
             * optional in the whole */
            if (json_object_has_member(m, "default") &&
                !json_object_has_member(q, "default") && !in_variant) {
                differ(diff, sub, "optional here, always there in QEMU");
            }
            compare_types(ms, json_object_get_string_member(m, "type"), qs,
                          json_object_get_string_member(q, "type"), sub,
                          diff, depth + 1);
        }
    }
}

static void test_against_qemu(const char *target)
{
    g_autoptr(QTestSchema) qs = qemu_schema(target);
    g_autoptr(QTestState) qts = NULL;
    g_autoptr(QTestSchema) ms = NULL;
    g_autoptr(GString) diff = g_string_new(NULL);
    g_auto(GStrv) cmds = NULL;
    g_auto(GStrv) events = NULL;
    guint compared = 0;

    if (qs == NULL) {
        g_test_skip("QEMU is not installed: no comparison");
        return;
    }
    qts = qtest_init(target, NULL);
    ms = qtest_schema_fetch(qts);
    cmds = qtest_schema_names(ms, "command");
    events = qtest_schema_names(ms, "event");
    for (char **c = cmds; *c != NULL; c++) {
        JsonObject *q = qtest_schema_entry(qs, *c);
        JsonObject *m = qtest_schema_entry(ms, *c);
        g_autofree char *ap = g_strdup_printf("%s/arg-type", *c);
        g_autofree char *rp = g_strdup_printf("%s/ret-type", *c);

        if (q == NULL) {
            continue;   /* cgemu's own (query-confidential-guest-support) */
        }
        compare_types(ms, json_object_get_string_member(m, "arg-type"), qs,
                      json_object_get_string_member(q, "arg-type"), ap, diff,
                      0);
        compare_types(ms, json_object_get_string_member(m, "ret-type"), qs,
                      json_object_get_string_member(q, "ret-type"), rp, diff,
                      0);
        compared++;
    }
    for (char **e = events; *e != NULL; e++) {
        JsonObject *q = qtest_schema_entry(qs, *e);
        g_autofree char *p = g_strdup_printf("%s/data", *e);

        g_assert_nonnull(q);
        compare_types(ms,
                      json_object_get_string_member(
                          qtest_schema_entry(ms, *e), "arg-type"),
                      qs, json_object_get_string_member(q, "arg-type"), p,
                      diff, 0);
    }
    g_test_message("compared %u commands with QEMU's", compared);
    g_assert_cmpuint(compared, >, 20);
    if (diff->len > 0) {
        g_error("differences from QEMU's schema:%s", diff->str);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_per_target("qmp-schema/wellformed", test_wellformed);
    qtest_add_per_target("qmp-schema/results", test_results);
    qtest_add_per_target("qmp-schema/arguments", test_arguments);
    qtest_add_per_target("qmp-schema/qemu", test_against_qemu);
    if (qtest_binary("x86_64") != NULL) {
        g_test_add_func("/x86_64/qmp-schema/shapes", test_x86_shapes);
    }
    return g_test_run();
}
