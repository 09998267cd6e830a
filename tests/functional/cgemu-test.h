/* cgemu-test.h: shared helpers of the tests that run guests on cgemu. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TESTS_FUNCTIONAL_CGEMU_TEST_H
#define TESTS_FUNCTIONAL_CGEMU_TEST_H

#include "guest-report.h"

#include <glib.h>

#define CGEMU_RUN_TIMEOUT_S 60
#define EXIT_PASS 1             /* the guest wrote 0 to isa-debug-exit */
#define EXIT_FAIL 3             /* the guest wrote 1 */

/*
 * What the tests need from their environment (meson sets all of it):
 *   CGEMU_SYSTEM_X86_64       the emulator
 *   CGEMU_TEST_GUEST          test-guest.elf
 *   CGEMU_TEST_BIOS           test-bios.bin
 *   CGEMU_TEST_BZIMAGE64/32   bzimage.S with and without 64-bit entry
 *   QEMU_SYSTEM_X86_64        optional: QEMU for cross-checks (else PATH)
 */
typedef struct CgemuEnv {
    const char *cgemu;
    const char *guest;
    const char *bios;
    const char *bz64;
    const char *bz32;
    char *qemu;                 /* NULL: no QEMU */
    char *qboot;                /* qboot.rom next to it, or NULL */
    char *self;                 /* this test's executable */
    gboolean kvm;               /* /dev/kvm can be opened */
    char *no_kvm_reason;        /* why not, for g_test_skip */
} CgemuEnv;

/* Fills @env; FALSE (with a message on stderr) when variables are missing. */
gboolean cgemu_env_init(CgemuEnv *env, const char *argv0);
void cgemu_env_clear(CgemuEnv *env);

void cgemu_assert_kv_at(const char *file, int line, const char *func,
                        const GuestReport *r, const char *key,
                        const char *want);
#define assert_kv(r, key, want) \
    cgemu_assert_kv_at(__FILE__, __LINE__, G_STRFUNC, (r), (key), (want))

/* Shows the run's output in the test log. */
void show_run(const GuestRun *run);
/* The process exited by itself with @status. */
void expect_status(const GuestRun *run, int status);
/* ... and printed a complete report. */
const GuestReport *expect_report(const GuestRun *run, int status);
/* A start-up error: status 1, exactly "cgemu-system-x86_64: MSG\n" on
 * stderr, nothing on stdout. */
void expect_error(const GuestRun *run, const char *message);

/* NULL-terminated argument lists. */
#define ARGS(...) ((const char *const[]){ __VA_ARGS__, NULL })
void add_args(GPtrArray *argv, const char *const *args);

/*
 * Runs @argv (a GPtrArray of strings, not yet NULL-terminated) with the
 * guard timeout, logging the command.
 */
GuestRun *run_argv(GPtrArray *argv);

/*
 * Runs the same guest configuration under QEMU (-M pc with qboot, KVM,
 * @qemu_args added to the same base options as cgemu's) and asserts that
 * both reports have the same keys with the same values, except keys
 * matching one of the glob patterns in @skip (differences by design).
 * Skips, saying why, without QEMU and qboot.  Returns FALSE when skipped.
 */
gboolean crosscheck_qemu(const CgemuEnv *env, const GuestReport *mine,
                         const char *const *qemu_args,
                         const char *const *skip);

#endif
