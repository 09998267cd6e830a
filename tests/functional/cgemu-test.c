/* cgemu-test.c: shared helpers of the tests that run guests on cgemu. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "cgemu-test.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

static char *find_qboot(const char *qemu)
{
    g_autofree char *real = g_canonicalize_filename(qemu, NULL);
    g_autofree char *bindir = g_path_get_dirname(real);
    g_autofree char *prefix = g_path_get_dirname(bindir);
    char *path = g_build_filename(prefix, "share", "qemu", "qboot.rom", NULL);

    if (g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
        return path;
    }
    g_free(path);
    return NULL;
}

gboolean cgemu_env_init(CgemuEnv *env, const char *argv0)
{
    int fd;

    memset(env, 0, sizeof(*env));
    env->cgemu = g_getenv("CGEMU_SYSTEM_X86_64");
    env->guest = g_getenv("CGEMU_TEST_GUEST");
    env->bios = g_getenv("CGEMU_TEST_BIOS");
    env->bz64 = g_getenv("CGEMU_TEST_BZIMAGE64");
    env->bz32 = g_getenv("CGEMU_TEST_BZIMAGE32");
    if (!env->cgemu || !env->guest || !env->bios || !env->bz64 ||
        !env->bz32) {
        g_printerr("CGEMU_SYSTEM_X86_64, CGEMU_TEST_GUEST, CGEMU_TEST_BIOS "
                   "and CGEMU_TEST_BZIMAGE64/32 must be set: run this "
                   "through 'meson test'\n");
        return FALSE;
    }
    env->self = g_canonicalize_filename(argv0, NULL);
    fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        env->no_kvm_reason =
            g_strdup_printf("/dev/kvm cannot be opened (%s): guests cannot "
                            "run here", g_strerror(errno));
    } else {
        env->kvm = TRUE;
        close(fd);
    }
    env->qemu = g_strdup(g_getenv("QEMU_SYSTEM_X86_64"));
    if (env->qemu == NULL) {
        env->qemu = g_find_program_in_path("qemu-system-x86_64");
    }
    if (env->qemu != NULL) {
        env->qboot = find_qboot(env->qemu);
    }
    return TRUE;
}

void cgemu_env_clear(CgemuEnv *env)
{
    g_free(env->qemu);
    g_free(env->qboot);
    g_free(env->self);
    g_free(env->no_kvm_reason);
}

void cgemu_assert_kv_at(const char *file, int line, const char *func,
                        const GuestReport *r, const char *key,
                        const char *want)
{
    const char *got = guest_report_get(r, key);

    if (g_strcmp0(got, want) != 0) {
        g_autofree char *msg =
            g_strdup_printf("report: %s=%s, expected %s", key,
                            got ? got : "(absent)", want ? want : "(absent)");
        g_assertion_message(G_LOG_DOMAIN, file, line, func, msg);
    }
}

void show_run(const GuestRun *run)
{
    g_test_message("stdout:\n%s", run->out);
    g_test_message("stderr:\n%s", run->err);
}

void expect_status(const GuestRun *run, int status)
{
    if (run->timed_out || !run->exited || run->exit_status != status) {
        show_run(run);
    }
    g_assert_false(run->timed_out);
    g_assert_true(run->exited);
    g_assert_cmpint(run->exit_status, ==, status);
}

const GuestReport *expect_report(const GuestRun *run, int status)
{
    expect_status(run, status);
    if (run->report == NULL) {
        show_run(run);
    }
    g_assert_no_error(run->report_error);
    g_assert_nonnull(run->report);
    return run->report;
}

void expect_error(const GuestRun *run, const char *message)
{
    g_autofree char *want =
        g_strdup_printf("cgemu-system-x86_64: %s\n", message);

    expect_status(run, 1);
    g_assert_cmpstr(run->err, ==, want);
    g_assert_cmpstr(run->out, ==, "");
}

void add_args(GPtrArray *argv, const char *const *args)
{
    for (const char *const *a = args; a && *a; a++) {
        g_ptr_array_add(argv, g_strdup(*a));
    }
}

GuestRun *run_argv(GPtrArray *argv)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *cmd = NULL;
    GuestRun *run;

    g_ptr_array_add(argv, NULL);
    cmd = g_strjoinv(" ", (char **)argv->pdata);
    g_test_message("running: %s", cmd);
    run = guest_run((const char *const *)argv->pdata, CGEMU_RUN_TIMEOUT_S,
                    &err);
    g_assert_no_error(err);
    g_ptr_array_remove_index(argv, argv->len - 1);
    return run;
}

static gboolean skipped(const char *key, const char *const *skip)
{
    for (const char *const *p = skip; p && *p; p++) {
        if (g_pattern_match_simple(*p, key)) {
            return TRUE;
        }
    }
    return FALSE;
}

gboolean crosscheck_qemu(const CgemuEnv *env, const GuestReport *mine,
                         const char *const *qemu_args,
                         const char *const *skip)
{
    g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GuestRun) ref = NULL;
    const GuestReport *r;
    guint compared = 0;

    if (env->qemu == NULL || env->qboot == NULL) {
        g_test_skip("qemu-system-x86_64 with qboot.rom not found: the "
                    "cross-check with QEMU is skipped");
        return FALSE;
    }
    g_ptr_array_add(argv, g_strdup(env->qemu));
    add_args(argv, ARGS("-M", "pc", "-accel", "kvm", "-m", "128",
                        "-nodefaults", "-no-user-config", "-display", "none",
                        "-monitor", "none", "-serial", "stdio", "-device",
                        "isa-debug-exit,iobase=0xf4,iosize=0x04", "-bios",
                        env->qboot));
    add_args(argv, qemu_args);
    ref = run_argv(argv);
    r = expect_report(ref, guest_report_passed(mine) ? EXIT_PASS : EXIT_FAIL);
    for (guint i = 0; i < guest_report_size(r); i++) {
        const char *key = guest_report_key(r, i);

        if (!skipped(key, skip)) {
            assert_kv(mine, key, guest_report_get(r, key));
            compared++;
        }
    }
    for (guint i = 0; i < guest_report_size(mine); i++) {
        const char *key = guest_report_key(mine, i);

        if (!skipped(key, skip) && !guest_report_has(r, key)) {
            g_autofree char *msg = g_strdup_printf(
                "cgemu reports %s=%s, QEMU has no such key", key,
                guest_report_get(mine, key));
            g_assertion_message(G_LOG_DOMAIN, __FILE__, __LINE__,
                                G_STRFUNC, msg);
        }
    }
    g_test_message("cross-check: %u keys equal", compared);
    g_assert_cmpuint(compared, >, 20);
    return TRUE;
}
