/* Helpers for the pseries and pef-guest tests: files, dtc, hostsim. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TESTS_QTEST_PPC_PPC_TEST_H
#define TESTS_QTEST_PPC_PPC_TEST_H

#include "libqtest.h"

#include <stdint.h>

/* A private directory for one test's files, removed with its contents. */
typedef struct PpcDir {
    char *path;
} PpcDir;

PpcDir *ppc_dir_new(void);
void ppc_dir_free(PpcDir *d);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(PpcDir, ppc_dir_free)
/* @name inside the directory (the caller frees). */
char *ppc_dir_file(PpcDir *d, const char *name);

/*
 * A ppc64 ELF kernel (big-endian unless @le) with one PT_LOAD of 0x100
 * bytes (byte i = i * 3 + 5) at physical 0, linked at
 * 0xc000000000000000, entry at 0x10; written to @path.
 */
void ppc_write_kernel(const char *path, bool le);
#define PPC_KERNEL_SIZE 0x100
#define PPC_KERNEL_ENTRY 0x10

/*
 * Runs cgemu-system-ppc64 with @args (shell words) and @env (NULL or
 * "NAME=VALUE"..., NULL-terminated, added to the inherited environment);
 * returns the exit status and the stderr text.
 */
int ppc_run(const char *args, const char *const *env, char **err);

/* The blob at @path after fdt_check_full (the test fails otherwise). */
GBytes *ppc_read_dtb(const char *path);
/* `dtc -I dtb -O dts` of @path. */
char *ppc_dtc(const char *path);

/* --- the host simulator (POWER KVM) --- */

typedef struct PpcSim {
    PpcDir *dir;
    char *log;
    GPtrArray *env;     /* "NAME=VALUE", NULL-terminated */
} PpcSim;

/*
 * The environment of one cgemu run under the simulator with
 * CGEMU_HOSTSIM_KVM_ARCH=ppc64, its log in a private directory, and
 * @extra ("CGEMU_HOSTSIM_FAIL=...", NULL-terminated; may be NULL).
 */
PpcSim *ppc_sim_new(const char *const *extra);
void ppc_sim_free(PpcSim *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(PpcSim, ppc_sim_free)

/* Starts cgemu-system-ppc64 -accel kvm under @sim (QMP, no qtest). */
QTestState *ppc_sim_start(PpcSim *sim, const char *args);
QTestState *ppc_sim_try_start(PpcSim *sim, const char *args, GError **err);
/* The log's lines that start with @prefix ("ppc ", "kvm ", NULL: all). */
char **ppc_sim_log(PpcSim *sim, const char *prefix);
/*
 * Waits (bounded by $CGEMU_QTEST_TIMEOUT, like every libqtest wait) until
 * the log has a line equal to @line.
 */
void ppc_sim_wait_line(PpcSim *sim, const char *line);

/* Member @member of the reply's "return" (must succeed). */
char *ppc_qom_get_json(QTestState *s, const char *path, const char *prop);

#endif
