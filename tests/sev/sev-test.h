/* Helpers for the sev-guest tests under the host simulator. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TESTS_SEV_SEV_TEST_H
#define TESTS_SEV_SEV_TEST_H

#include "libqtest.h"

#include <stdint.h>

/*
 * Keys and nonce the tests give the simulator (not its defaults, so a
 * test that passes proves the configuration reached it).  On real
 * hardware TIK/TEK come from the guest owner's session and MNONCE is
 * random.
 */
#define SEV_TEST_TIK "f0e1d2c3b4a5968778695a4b3c2d1e0f"
#define SEV_TEST_TEK "00112233445566778899aabbccddeeff"
#define SEV_TEST_MNONCE "5a5b5c5d5e5f60616263646566676869"

typedef struct SevEnv {
    char *dir;        /* private directory, removed by sev_env_free */
    char *log;        /* the simulator's call log */
    char *serial;     /* the guest's serial output (-serial file:...) */
    GPtrArray *env;   /* "NAME=VALUE", NULL-terminated */
    const int *pass_fds;  /* for -add-fd: as QTestOptions.pass_fds */
} SevEnv;

/*
 * The environment of one cgemu run under the simulator with SEV on:
 * LD_PRELOAD, the keys above, the log in a private directory, and
 * @extra ("CGEMU_HOSTSIM_FAIL=...", NULL-terminated; may be NULL).
 */
SevEnv *sev_env_new(const char *const *extra);
void sev_env_free(SevEnv *e);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SevEnv, sev_env_free)

/* Starts cgemu-system-x86_64 -accel kvm with @args under @e. */
QTestState *sev_start(SevEnv *e, const char *args);
/* As sev_start, but start-up failing is the result: NULL and @err with
 * the exit status as code and stderr as message. */
QTestState *sev_try_start(SevEnv *e, const char *args, GError **err);

/* The log's "sev ..." lines, each cut before " -> " when @calls_only. */
char **sev_log_lines(SevEnv *e, bool calls_only);
/* The serial output so far. */
char *sev_serial(SevEnv *e);

/* Paths of the test guest ELF and flat BIOS (from meson). */
const char *sev_test_guest(void);
const char *sev_test_bios(void);

/* 16 bytes from 32 hex digits. */
void sev_hex16(const char *hex, uint8_t out[16]);

/*
 * The launch measurement the SEV API defines, computed here:
 * HMAC-SHA256(TIK, 0x04 || major || minor || build || policy (LE32) ||
 * digest || mnonce).
 */
void sev_expected_measure(uint8_t major, uint8_t minor, uint8_t build,
                          uint32_t policy, const uint8_t digest[32],
                          const uint8_t mnonce[16], const uint8_t tik[16],
                          uint8_t out[32]);

/*
 * A launch secret as a guest owner builds it: @packet = AES-128-CTR(TEK,
 * IV, @plain) and @header = FLAGS(0) || IV || MAC, MAC =
 * HMAC-SHA256(TIK, 0x01 || FLAGS || IV || len || len || packet ||
 * measure).  @len must be a multiple of 16.
 */
void sev_build_secret(const uint8_t tik[16], const uint8_t tek[16],
                      const uint8_t iv[16], const uint8_t measure[32],
                      const uint8_t *plain, size_t len, uint8_t header[52],
                      uint8_t *packet);

/* QMP helpers: a string or integer member of the reply's "return". */
char *sev_qmp_str(QTestState *s, const char *cmd, const char *member);
int64_t sev_qmp_int(QTestState *s, const char *cmd, const char *member);

/*
 * The 48-byte MEASURE || MNONCE from query-sev-launch-measure.
 */
void sev_query_measure(QTestState *s, uint8_t out[48]);

#endif
