/* Running an emulator binary for command-line tests. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "cli-run.h"

#include <gio/gio.h>

const char *cli_binary(const char *target)
{
    g_autofree char *var = g_ascii_strup(target, -1);
    g_autofree char *name = g_strdup_printf("CGEMU_SYSTEM_%s", var);
    const char *path = g_getenv(name);

    if (path == NULL) {
        g_error("%s is not set; run the test through meson", name);
    }
    return path;
}

static gboolean guard(gpointer sp)
{
    g_subprocess_force_exit(sp);
    return G_SOURCE_REMOVE;
}

CliRun *cli_run(const char *binary, const char *const *args)
{
    g_autoptr(GPtrArray) argv = g_ptr_array_new();
    g_autoptr(GError) err = NULL;
    g_autoptr(GSubprocess) sp = NULL;
    CliRun *run = g_new0(CliRun, 1);
    guint timer;

    g_ptr_array_add(argv, (gpointer)binary);
    for (const char *const *a = args; *a; a++) {
        g_ptr_array_add(argv, (gpointer)*a);
    }
    g_ptr_array_add(argv, NULL);
    sp = g_subprocess_newv((const char *const *)argv->pdata,
                           G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE |
                               G_SUBPROCESS_FLAGS_STDIN_INHERIT,
                           &err);
    g_assert_no_error(err);
    timer = g_timeout_add_seconds(60, guard, sp);
    g_subprocess_communicate_utf8(sp, NULL, NULL, &run->out, &run->err,
                                  &err);
    g_source_remove(timer);
    g_assert_no_error(err);
    run->status = g_subprocess_get_if_exited(sp)
                      ? g_subprocess_get_exit_status(sp)
                      : -1;
    return run;
}

void cli_run_free(CliRun *run)
{
    if (run != NULL) {
        g_free(run->out);
        g_free(run->err);
        g_free(run);
    }
}
