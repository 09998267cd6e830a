/* cgemu_main: parse, build, run, tear down; the exit status. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "system/system.h"

#include "util/error.h"

int cgemu_main(int argc, char **argv, const char *target)
{
    g_autoptr(CgConfig) cfg = cg_config_new(target);
    g_autoptr(GError) err = NULL;
    g_autofree char *prg = g_path_get_basename(argv[0]);
    CgSystem *sys;
    int status;

    g_set_prgname(prg);
    cg_types_init();

    if (!cg_config_parse(cfg, argc, argv, &err)) {
        cg_error_report_err(err);
        return 1;
    }
    cg_log_set_timestamps(cfg->msg_timestamp);

    sys = system_new(target, cfg);
    if (cfg->help != HELP_NONE) {
        status = system_answer_help(sys) ? 0 : 1;
        system_free(sys);
        return status;
    }
    if (!system_build(sys, &err)) {
        cg_error_report_err(err);
        system_free(sys);
        return 1;
    }
    /* Requests made during start-up (a board that has finished its job,
     * like dumpdtb) are handled before anything runs. */
    while (g_main_context_iteration(sys->ctx, FALSE)) {
    }
    status = sys->quit ? sys->exit_status : system_run(sys);
    system_free(sys);
    return status;
}
