/*
 * Tests of the host simulator: helpers shared by the test files.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The test program runs with libcgemu-hostsim.so preloaded.  It talks to
 * the simulator only through the kernel interfaces an emulator uses, and
 * computes every expected value (digests, measurements, secrets) itself.
 */
#ifndef TEST_HOSTSIM_H
#define TEST_HOSTSIM_H

#include <glib.h>
#include <linux/kvm.h>
#include <stdbool.h>
#include <stdint.h>

/* The simulator's defaults, as documented in docs/devel/hostsim.rst. */
#define T_API_MAJOR 1
#define T_API_MINOR 55
#define T_BUILD 29
extern const uint8_t t_tik[16];
extern const uint8_t t_tek[16];
extern const uint8_t t_mnonce[16];

/* /dev/kvm, or -1 after g_test_skip() when this machine has none. */
int t_kvm_open(void);
int t_vm_create(int kvm);

/* KVM_MEMORY_ENCRYPT_OP; returns 0 or -errno, *error = firmware status. */
int t_sev_op(int vm, uint32_t id, void *data, int sev_fd, uint32_t *error);
/* SEV_ISSUE_CMD on /dev/sev; returns 0 or -errno. */
int t_sev_issue(int fd, uint32_t cmd, void *data, uint32_t *error);
int t_region(int vm, bool reg, void *addr, uint64_t size);

/* Test data: piece @which (0, 1, 2, ...) of @len bytes. */
void t_fill(uint8_t *buf, size_t len, unsigned which);
char *t_sha256_hex(const void *data, size_t len);
/* MEASURE for @digest and @policy, from the SEV API's formula. */
void t_measure_with(const uint8_t *digest, uint32_t policy,
                    uint8_t api_major, uint8_t api_minor, uint8_t build,
                    const uint8_t *tik, const uint8_t *mnonce, uint8_t *out);
/* The same with the simulator's default platform and keys. */
void t_measure(const uint8_t *digest, uint32_t policy, uint8_t *out);
char *t_hex(const uint8_t *data, size_t len);

/* The test's own log (CGEMU_HOSTSIM_LOG of this process). */
const char *t_log_path(void);
/* Contents of the log at @path, which is then emptied. */
char *t_log_take(const char *path);
/* Empty this process's log. */
void t_log_reset(void);
/* Assert this process's log is exactly @expected, then empty it. */
void t_assert_log(const char *expected);

void *t_map(size_t size, int prot);
struct kvm_cpuid2 *t_get_cpuid(int kvm, unsigned nent, int *ret);
struct kvm_cpuid_entry2 *t_find_leaf(struct kvm_cpuid2 *c, uint32_t fn);

/* KVM_SEV_INIT or _ES_INIT (@init), LAUNCH_START; returns the handle. */
uint32_t t_launch_start(int vm, int sev, uint32_t init, uint32_t policy);
void t_update_data(int vm, int sev, void *addr, uint32_t len);
/* LAUNCH_MEASURE into @blob (48 bytes). */
void t_measure_blob(int vm, int sev, uint8_t *blob);

/* Tests in test-hostsim-launch.c. */
void t_launch_add_tests(void);

/* Spawned scenarios and configuration errors (test-hostsim-child.c). */
int t_child_main(const char *scenario);
void t_child_add_tests(void);

#endif /* TEST_HOSTSIM_H */
