/* libqtest itself: formatting, environment, events, cleanup on death. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "libqtest.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void test_format(void)
{
    g_autofree char *a = qtest_json_format(
        "{'execute': 'qom-get', 'arguments': {'path': %s, 'n': %d, "
        "'u': %u, 'l': %lld, 'lu': %llu, 'f': %f, 'q': 'it\\'s \"x\"', "
        "'pct': '100%%', 'null': %s}}",
        "/a\"b\\c\n", -5, 7u, -(1ll << 40), 18446744073709551615ull, 0.5,
        (const char *)NULL);

    g_assert_cmpstr(a, ==,
                    "{\"execute\": \"qom-get\", \"arguments\": {\"path\": "
                    "\"/a\\\"b\\\\c\\u000a\", \"n\": -5, \"u\": 7, \"l\": "
                    "-1099511627776, \"lu\": 18446744073709551615, \"f\": "
                    "0.5, \"q\": \"it's \\\"x\\\"\", \"pct\": \"100%\", "
                    "\"null\": null}}");
}

/* A fake cgemu: a script in a directory of the test's own. */
typedef struct FakeBinary {
    char *dir;
    char *path;
} FakeBinary;

static FakeBinary *fake_binary(const char *script)
{
    FakeBinary *fb = g_new0(FakeBinary, 1);
    g_autofree char *text = g_strdup_printf("#!/bin/sh\n%s\n", script);

    fb->dir = g_dir_make_tmp("libqtest-fake-XXXXXX", NULL);
    g_assert_nonnull(fb->dir);
    fb->path = g_build_filename(fb->dir, "cgemu", NULL);
    g_assert_true(g_file_set_contents(fb->path, text, -1, NULL));
    g_assert_cmpint(chmod(fb->path, 0700), ==, 0);
    return fb;
}

static void fake_binary_free(FakeBinary *fb)
{
    g_autofree char *pid = g_build_filename(fb->dir, "pid", NULL);

    unlink(pid);
    unlink(fb->path);
    rmdir(fb->dir);
    g_free(fb->path);
    g_free(fb->dir);
    g_free(fb);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FakeBinary, fake_binary_free)

/* The command line libqtest builds, and the environment it adds. */
static void test_argv_env(void)
{
    g_autoptr(FakeBinary) fb = fake_binary(
        "echo \"ARGS $*\" >&2; echo \"VAR $CGEMU_TEST_VAR\" >&2; "
        "echo \"ASAN $ASAN_OPTIONS\" >&2; exit 3");
    static const char *const env[] = {
        "CGEMU_TEST_VAR=hello world",
        "ASAN_OPTIONS=verify_asan_link_order=0",
        NULL,
    };
    QTestOptions opts = { .target = "x86_64", .binary = fb->path,
                          .env = env };
    const char *asan = g_getenv("ASAN_OPTIONS");
    g_autofree char *expected_asan = NULL;
    g_autoptr(GError) err = NULL;
    g_auto(GStrv) lines = NULL;
    QTestState *s;

    s = qtest_try_init(&opts, "-m 64 -name 'a b' -qtest-log {tmpdir}/l",
                       &err);
    g_assert_null(s);
    g_assert_cmpint(err->code, ==, 3);
    lines = g_strsplit(err->message, "\n", -1);
    g_assert_cmpuint(g_strv_length(lines), ==, 4);
    /* "ARGS -accel qtest -qtest unix:DIR/qtest.sock -qmp unix:DIR/..." */
    g_assert_true(g_regex_match_simple(
        "^ARGS -accel qtest -qtest unix:(/.*/cgemu-qtest-[^/]+)/qtest\\.sock "
        "-qmp unix:\\1/qmp\\.sock -m 64 -name a b -qtest-log \\1/l$",
        lines[0], 0, 0));
    g_assert_cmpstr(lines[1], ==, "VAR hello world");
    expected_asan = asan && *asan
                        ? g_strdup_printf("ASAN %s:verify_asan_link_order=0",
                                          asan)
                        : g_strdup("ASAN verify_asan_link_order=0");
    g_assert_cmpstr(lines[2], ==, expected_asan);
    g_assert_cmpstr(lines[3], ==, "");
}

/* Another accelerator: -accel NAME and no qtest socket. */
static void test_accel_option(void)
{
    g_autoptr(FakeBinary) fb = fake_binary("echo \"$*\" >&2; exit 1");
    QTestOptions opts = { .binary = fb->path, .accel = "kvm" };
    g_autoptr(GError) err = NULL;

    g_assert_null(qtest_try_init(&opts, "-m 64", &err));
    g_assert_cmpint(err->code, ==, 1);
    g_assert_true(g_regex_match_simple(
        "^-accel kvm -qmp unix:/.*/qmp\\.sock -m 64\n$", err->message, 0,
        0));
}

/* Parses "PID n DIR d" that a subprocess printed. */
static void parse_child(const char *out, pid_t *pid, char **dir)
{
    g_autoptr(GRegex) re = g_regex_new("PID ([0-9]+) DIR (\\S+)", 0, 0,
                                       NULL);
    g_autoptr(GMatchInfo) m = NULL;
    g_autofree char *p = NULL;

    g_assert_true(g_regex_match(re, out, 0, &m));
    p = g_match_info_fetch(m, 1);
    *pid = (pid_t)g_ascii_strtoll(p, NULL, 10);
    *dir = g_match_info_fetch(m, 2);
}

static void assert_gone(pid_t pid, const char *dir)
{
    /* The handler killed and reaped it before the subprocess died. */
    g_assert_cmpint(kill(pid, 0), ==, -1);
    g_assert_cmpint(errno, ==, ESRCH);
    g_assert_false(g_file_test(dir, G_FILE_TEST_EXISTS));
}

/* Run by the test program started by test_cleanup_on_death. */
static int run_and_die(const char *how, const char *report)
{
    QTestState *s = qtest_init("x86_64", NULL);
    g_autofree char *line = g_strdup_printf("PID %d DIR %s\n",
                                            (int)qtest_pid(s),
                                            qtest_tmpdir(s));

    g_assert_true(g_file_set_contents(report, line, -1, NULL));
    if (strcmp(how, "assert") == 0) {
        g_assert_cmpint(qtest_readb(s, 0x1000) + 1, ==, 0);
    } else if (strcmp(how, "sigterm") == 0) {
        raise(SIGTERM);
    } else if (strcmp(how, "segv") == 0) {
        raise(SIGSEGV);
    }
    /* "exit": leave without qtest_quit. */
    return 0;
}

/*
 * A test program that dies leaves no cgemu and no directory behind.  It
 * is a separate run of this program, not a g_test_trap_subprocess: in
 * such a subprocess GLib ends a failed assertion with _exit(), which no
 * handler sees (PR_SET_PDEATHSIG still kills cgemu there).
 */
static void test_cleanup_on_death(gconstpointer data)
{
    const char *how = data;
    g_autoptr(FakeBinary) report = fake_binary("exit 0");
    g_autofree char *path = g_build_filename(report->dir, "pid", NULL);
    g_autofree char *text = NULL;
    g_autofree char *dir = NULL;
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    g_autoptr(GError) error = NULL;
    char *argv[] = { (char *)"/proc/self/exe", NULL };
    char **envp = g_get_environ();
    int status = 0;
    pid_t pid;

    const char *asan = g_environ_getenv(envp, "ASAN_OPTIONS");
    g_autofree char *noleaks = g_strdup_printf("%s%sdetect_leaks=0",
                                               asan ? asan : "",
                                               asan ? ":" : "");

    /* Leaving without qtest_quit leaks the state, on purpose. */
    envp = g_environ_setenv(envp, "ASAN_OPTIONS", noleaks, TRUE);
    envp = g_environ_setenv(envp, "LIBQTEST_DIE", how, TRUE);
    envp = g_environ_setenv(envp, "LIBQTEST_REPORT", path, TRUE);
    /* Its TAP output (a "Bail out!") must not mix with ours. */
    g_assert_true(g_spawn_sync(NULL, argv, envp, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &status, &error));
    g_strfreev(envp);
    if (strcmp(how, "exit") == 0) {
        g_assert_cmpint(status, ==, 0);
    } else if (strcmp(how, "segv") == 0 && WIFEXITED(status)) {
        /* AddressSanitizer's handler (chained) reports and exits. */
        g_assert_cmpint(WEXITSTATUS(status), !=, 0);
        g_assert_nonnull(strstr(err, "AddressSanitizer"));
    } else {
        g_assert_true(WIFSIGNALED(status));
        g_assert_cmpint(WTERMSIG(status), ==,
                        strcmp(how, "assert") == 0   ? SIGABRT
                        : strcmp(how, "segv") == 0 ? SIGSEGV
                                                   : SIGTERM);
    }
    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    parse_child(text, &pid, &dir);
    assert_gone(pid, dir);
    if (strcmp(how, "exit") != 0) {
        /* What cgemu said is shown when the test dies. */
        g_assert_nonnull(strstr(err, "# --- cgemu stderr ---\n"));
    }
}

/* A cgemu that never connects: the wait is bounded, and ends in cleanup. */
static void test_timeout(void)
{
    g_autoptr(FakeBinary) fb = NULL;
    g_autofree char *pidfile = NULL;
    g_autofree char *text = NULL;
    pid_t pid;

    if (g_test_subprocess()) {
        QTestOptions opts = { .binary = g_getenv("LIBQTEST_FAKE") };
        g_setenv("CGEMU_QTEST_TIMEOUT", "1", TRUE);
        qtest_init_with(&opts, NULL);
        return;
    }
    fb = fake_binary("echo $$ > \"$(dirname \"$0\")/pid\"; "
                     "exec sleep 1000");
    pidfile = g_build_filename(fb->dir, "pid", NULL);
    g_setenv("LIBQTEST_FAKE", fb->path, TRUE);
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_unsetenv("LIBQTEST_FAKE");
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*timed out after 1 s waiting for cgemu to "
                              "connect to the QMP socket*");
    g_assert_true(g_file_get_contents(pidfile, &text, NULL, NULL));
    pid = (pid_t)g_ascii_strtoll(text, NULL, 10);
    g_assert_cmpint(pid, >, 0);
    g_assert_cmpint(kill(pid, 0), ==, -1);
    g_assert_cmpint(errno, ==, ESRCH);
}

/* A cgemu that crashes fails the test at qtest_quit, with its status. */
static void test_crash_detected(void)
{
    if (g_test_subprocess()) {
        QTestState *s = qtest_init("x86_64", NULL);
        /* SIGKILL: a sanitizer cannot turn it into an exit status. */
        kill(qtest_pid(s), SIGKILL);
        qtest_quit(s);
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*libqtest: cgemu-system-x86_64 ended with "
                              "status 137 (not 0 after SIGTERM)*");
}

/* A start-up failure is a result for qtest_try_init. */
static void test_start_failure(void)
{
    QTestOptions opts = { .target = "s390x" };
    g_autoptr(GError) err = NULL;

    g_assert_null(qtest_try_init(&opts, "-machine nosuch", &err));
    g_assert_cmpint(err->code, ==, 1);
    g_assert_true(g_str_has_prefix(err->message,
                                   "cgemu-system-s390x: -machine nosuch: "));
}

/* Events that arrive before a reply wait for qtest_qmp_eventwait. */
static void test_events(void)
{
    g_autoptr(QTestState) s = qtest_init("x86_64", NULL);
    g_autoptr(JsonNode) status = NULL;
    g_autoptr(JsonNode) ev = NULL;
    JsonObject *o;

    qtest_qmp_assert_success(s, "{'execute': 'stop'}");
    qtest_qmp_assert_success(s, "{'execute': 'cont'}");
    status = qtest_qmp_assert_success_ref(s, "{'execute': 'query-status'}");
    g_assert_cmpstr(json_object_get_string_member(
                        json_node_get_object(status), "status"),
                    ==, "running");
    /* Both events were buffered while the replies were read. */
    ev = qtest_qmp_eventwait_ref(s, "RESUME");
    o = json_node_get_object(ev);
    g_assert_true(json_object_has_member(o, "timestamp"));
    g_assert_nonnull(qtest_qmp_event_ref(s, "STOP"));
    g_assert_null(qtest_qmp_event_ref(s, "STOP"));

    /* quit: SHUTDOWN, then the connection closes, exit status 0. */
    qtest_qmp_assert_success(s, "{'execute': 'quit'}");
    qtest_qmp_eventwait(s, "SHUTDOWN");
    g_assert_true(qtest_qmp_wait_closed(s));
    g_assert_cmpint(qtest_wait_exit(s), ==, 0);
}

static void test_error_reply(void)
{
    g_autoptr(QTestState) s = qtest_init("ppc64", NULL);
    g_autofree char *desc = qtest_qmp_assert_error(
        s, "CommandNotFound", "{'execute': 'no-such-command'}");

    g_assert_cmpstr(desc, ==, "The command no-such-command has not been "
                              "found; query-commands lists the commands of "
                              "this binary");
}

int main(int argc, char **argv)
{
    const char *die = g_getenv("LIBQTEST_DIE");

    g_test_init(&argc, &argv, NULL);
    if (die != NULL) {
        return run_and_die(die, g_getenv("LIBQTEST_REPORT"));
    }
    g_test_add_func("/libqtest/format", test_format);
    g_test_add_func("/libqtest/argv-env", test_argv_env);
    g_test_add_func("/libqtest/accel-option", test_accel_option);
    g_test_add_func("/libqtest/start-failure", test_start_failure);
    g_test_add_data_func("/libqtest/cleanup/assert", "assert",
                         test_cleanup_on_death);
    g_test_add_data_func("/libqtest/cleanup/sigterm", "sigterm",
                         test_cleanup_on_death);
    g_test_add_data_func("/libqtest/cleanup/segv", "segv",
                         test_cleanup_on_death);
    g_test_add_data_func("/libqtest/cleanup/exit", "exit",
                         test_cleanup_on_death);
    g_test_add_func("/libqtest/timeout", test_timeout);
    g_test_add_func("/libqtest/crash-detected", test_crash_detected);
    g_test_add_func("/libqtest/events", test_events);
    g_test_add_func("/libqtest/error-reply", test_error_reply);
    return g_test_run();
}
