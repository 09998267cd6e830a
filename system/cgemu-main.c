/* cgemu_main: parse, build, run, tear down; the exit status. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "system/daemon.h"
#include "system/system.h"

#include "util/error.h"

int cgemu_main(int argc, char **argv, const char *target)
{
    g_autoptr(CgConfig) cfg = cg_config_new(target);
    g_autoptr(GError) err = NULL;
    g_autofree char *prg = g_path_get_basename(argv[0]);
    CgSystem *sys;
    Daemon *daemon;
    int status;

    g_set_prgname(prg);
    cg_types_init();

    if (!cg_config_parse(cfg, argc, argv, &err)) {
        cg_error_report_err(err);
        return 1;
    }
    cg_log_set_timestamps(cfg->msg_timestamp);

    if (cfg->help != HELP_NONE) {
        sys = system_new(target, cfg);
        status = system_answer_help(sys) ? 0 : 1;
        system_free(sys);
        return status;
    }
    /* Before any thread exists: -daemonize forks here. */
    daemon = daemon_start(cfg, &status, &err);
    if (daemon == NULL) {
        if (status < 0) {
            cg_error_report_err(err);
            return 1;
        }
        return status; /* the parent of a daemon */
    }
    sys = system_new(target, cfg);
    if (!system_build(sys, &err)) {
        cg_error_report_err(err);
        system_free(sys);
        daemon_finish(daemon, 1);
        return 1;
    }
    /* Requests made during start-up (a board that has finished its job,
     * like dumpdtb) are handled before anything runs. */
    while (g_main_context_iteration(sys->ctx, FALSE)) {
    }
    daemon_ready(daemon, 0);
    status = sys->quit ? sys->exit_status : system_run(sys);
    system_free(sys);
    daemon_finish(daemon, status);
    return status;
}
