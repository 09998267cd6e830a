/* Running an emulator binary for command-line tests. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TESTS_CLI_CLI_RUN_H
#define TESTS_CLI_CLI_RUN_H

#include <glib.h>

typedef struct CliRun {
    int status;       /* exit status; -1 when killed by a signal */
    char *out;
    char *err;
} CliRun;

/*
 * The path of cgemu-system-@target from the environment variable
 * CGEMU_SYSTEM_<TARGET> that meson sets.
 */
const char *cli_binary(const char *target);

/* Runs @binary with NULL-terminated @args, stdin from /dev/null; a guard
 * kills it after 60 s (a hang is a failure, not a measurement). */
CliRun *cli_run(const char *binary, const char *const *args);
void cli_run_free(CliRun *run);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CliRun, cli_run_free)

#endif
