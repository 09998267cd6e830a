/*
 * Tests of the host simulator that need another configuration: fault
 * injection, device modes, platform variants and configuration errors.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The simulator reads its configuration once, when it is loaded, so each
 * case runs this program again ("--scenario NAME") with its own
 * environment and log, and the parent checks the exit status and the log.
 */
#include "test-hostsim.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <linux/psp-sev.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define T_MNONCE_HEX "202122232425262728292a2b2c2d2e2f"

typedef struct Scenario {
    const char *name;
    const char *const *env; /* NAME, VALUE, ..., NULL */
    bool needs_kvm;
    void (*child)(void);
    char *(*expected)(void); /* the log the child leaves */
} Scenario;

static int open_sev(void)
{
    int fd = open("/dev/sev", O_RDWR);

    g_assert_cmpint(fd, >=, 0);
    return fd;
}

static int open_kvm(void)
{
    int fd = open("/dev/kvm", O_RDWR);

    g_assert_cmpint(fd, >=, 0);
    return fd;
}

/* The real host has SEV: what the kernel does is then not ours to test. */
static bool real_sev_host(void)
{
    return access("/dev/sev", F_OK) == 0;
}

/* --- fault injection --- */

static void child_fail_launch_start(void)
{
    struct kvm_sev_launch_start start = { .policy = 0x1 };
    struct sev_user_data_status st;
    int kvm = open_kvm(), vm = t_vm_create(kvm), sev = open_sev();
    uint32_t error;

    g_assert_cmpint(t_sev_op(vm, KVM_SEV_INIT, NULL, sev, &error), ==, 0);
    for (int i = 0; i < 2; i++) {
        g_assert_cmpint(t_sev_op(vm, KVM_SEV_LAUNCH_START, &start, sev,
                                 &error), ==, -EIO);
        g_assert_cmpuint(error, ==, SEV_RET_POLICY_FAILURE);
        g_assert_cmpuint(start.handle, ==, 0);
    }
    g_assert_cmpint(t_sev_issue(sev, SEV_PLATFORM_STATUS, &st, &error), ==, 0);
    g_assert_cmpuint(st.guest_count, ==, 0);
}

static char *expect_fail_launch_start(void)
{
    return g_strdup(
        "sev open /dev/sev -> ok\n"
        "sev INIT -> ok\n"
        "sev LAUNCH_START policy=0x1 handle=0 dh_len=0 session_len=0 -> "
        "error POLICY_FAILURE(7) injected\n"
        "sev LAUNCH_START policy=0x1 handle=0 dh_len=0 session_len=0 -> "
        "error POLICY_FAILURE(7) injected\n"
        "sev PLATFORM_STATUS -> ok api=1.55 build=29 state=INIT flags=0x100 "
        "guests=0\n");
}

/* Pieces 2, 3, 4 of 16 bytes; the second update fails. */
static void child_fail_update_nth(void)
{
    g_autoptr(GChecksum) ld = g_checksum_new(G_CHECKSUM_SHA256);
    struct kvm_sev_launch_update_data upd;
    int kvm = open_kvm(), vm = t_vm_create(kvm), sev = open_sev();
    uint8_t *mem = t_map(0x1000, PROT_READ | PROT_WRITE);
    uint8_t blob[48], digest[32], measure[32];
    gsize len = 32;
    uint32_t error;

    g_assert_cmpuint(t_launch_start(vm, sev, KVM_SEV_INIT, 0x1), ==, 1);
    for (unsigned i = 0; i < 3; i++) {
        t_fill(mem + 16 * i, 16, 2 + i);
        upd = (struct kvm_sev_launch_update_data) {
            (uintptr_t)(mem + 16 * i), 16,
        };
        if (i == 1) {
            g_assert_cmpint(t_sev_op(vm, KVM_SEV_LAUNCH_UPDATE_DATA, &upd, sev,
                                     &error), ==, -EIO);
            g_assert_cmpuint(error, ==, SEV_RET_RESOURCE_LIMIT);
        } else {
            t_update_data(vm, sev, mem + 16 * i, 16);
            g_checksum_update(ld, mem + 16 * i, 16);
        }
    }
    /* The failed call is not in the launch digest. */
    t_measure_blob(vm, sev, blob);
    g_checksum_get_digest(ld, digest, &len);
    t_measure(digest, 0x1, measure);
    g_assert_cmpmem(blob, 32, measure, 32);
    close(vm);
}

static char *expect_fail_update_nth(void)
{
    uint8_t buf[16], digest[32], measure[32];
    g_autoptr(GChecksum) ld = g_checksum_new(G_CHECKSUM_SHA256);
    g_autofree char *s2 = NULL;
    g_autofree char *s4 = NULL;
    g_autofree char *mhex = NULL;
    gsize len = 32;

    t_fill(buf, 16, 2);
    s2 = t_sha256_hex(buf, 16);
    g_checksum_update(ld, buf, 16);
    t_fill(buf, 16, 4);
    s4 = t_sha256_hex(buf, 16);
    g_checksum_update(ld, buf, 16);
    g_checksum_get_digest(ld, digest, &len);
    t_measure(digest, 0x1, measure);
    mhex = t_hex(measure, 32);
    return g_strdup_printf(
        "sev open /dev/sev -> ok\n"
        "sev INIT -> ok\n"
        "sev LAUNCH_START policy=0x1 handle=0 dh_len=0 session_len=0 -> ok "
        "handle=1\n"
        "sev LAUNCH_UPDATE_DATA len=16 -> ok sha256=%s\n"
        "sev LAUNCH_UPDATE_DATA len=16 -> error RESOURCE_LIMIT(23) "
        "injected\n"
        "sev LAUNCH_UPDATE_DATA len=16 -> ok sha256=%s\n"
        "sev LAUNCH_MEASURE len=48 -> ok measure=%s mnonce=" T_MNONCE_HEX
        "\n"
        "sev DECOMMISSION handle=1 -> ok\n", s2, s4, mhex);
}

static void child_fail_number(void)
{
    struct sev_user_data_status st;
    uint32_t error;

    g_assert_cmpint(t_sev_issue(open_sev(), SEV_PLATFORM_STATUS, &st, &error),
                    ==, -EIO);
    g_assert_cmpuint(error, ==, 0x13);
}

static char *expect_fail_number(void)
{
    return g_strdup("sev open /dev/sev -> ok\n"
                    "sev PLATFORM_STATUS -> error HWERROR_PLATFORM(19) "
                    "injected\n");
}

static void child_fail_list(void)
{
    struct sev_user_data_get_id2 id = { 0 };
    int kvm = open_kvm(), vm = t_vm_create(kvm), sev = open_sev();
    uint8_t *mem = t_map(0x1000, PROT_READ | PROT_WRITE);
    uint32_t error = 0x77;

    g_assert_cmpint(t_sev_issue(sev, SEV_GET_ID2, &id, &error), ==, -EIO);
    g_assert_cmpuint(error, ==, SEV_RET_INVALID_PLATFORM_STATE);
    g_assert_cmpuint(id.length, ==, 0);
    g_assert_cmpint(t_sev_issue(sev, SEV_GET_ID2, &id, &error), ==, -EIO);
    g_assert_cmpuint(error, ==, SEV_RET_INVALID_LEN);
    g_assert_cmpuint(id.length, ==, 64);
    /* An errno fault: the kernel fails, the firmware status is untouched. */
    {
        struct kvm_sev_cmd cmd = { .id = KVM_SEV_INIT, .error = 0x77,
                                   .sev_fd = sev };

        g_assert_cmpint(ioctl(vm, KVM_MEMORY_ENCRYPT_OP, &cmd), ==, -1);
        g_assert_cmpint(errno, ==, EBUSY);
        g_assert_cmpuint(cmd.error, ==, 0x77);
    }
    g_assert_cmpint(t_sev_op(vm, KVM_SEV_INIT, NULL, sev, &error), ==, 0);
    g_assert_cmpint(t_region(vm, true, mem, 0x1000), ==, -ENOMEM);
    g_assert_cmpint(t_region(vm, true, mem, 0x1000), ==, -ENOMEM);
}

static char *expect_fail_list(void)
{
    return g_strdup(
        "sev open /dev/sev -> ok\n"
        "sev GET_ID2 len=0 -> error INVALID_PLATFORM_STATE(1) injected\n"
        "sev GET_ID2 len=0 -> error INVALID_LENGTH(4) len=64\n"
        "sev INIT -> errno EBUSY injected\n"
        "sev INIT -> ok\n"
        "sev REG_REGION size=0x1000 -> errno ENOMEM injected\n"
        "sev REG_REGION size=0x1000 -> errno ENOMEM injected\n");
}

/* --- device and platform variants --- */

static void child_device_missing(void)
{
    g_assert_cmpint(open("/dev/sev", O_RDWR), ==, -1);
    g_assert_cmpint(errno, ==, ENOENT);
}

static char *expect_device_missing(void)
{
    return g_strdup("sev open /dev/sev -> errno ENOENT\n");
}

static void child_device_eacces(void)
{
    g_assert_cmpint(open("/dev/sev", O_RDWR), ==, -1);
    g_assert_cmpint(errno, ==, EACCES);
}

static char *expect_device_eacces(void)
{
    return g_strdup("sev open /dev/sev -> errno EACCES\n");
}

static void child_device_path(void)
{
    struct sev_user_data_status st;
    int fd = openat(AT_FDCWD, "/dev/sev-hostsim", O_RDWR | O_CLOEXEC);
    uint32_t error;

    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(t_sev_issue(fd, SEV_PLATFORM_STATUS, &st, &error), ==, 0);
    g_assert_cmpint(fcntl(fd, F_GETFD), ==, FD_CLOEXEC);
}

static char *expect_device_path(void)
{
    return g_strdup("sev open /dev/sev-hostsim -> ok\n"
                    "sev PLATFORM_STATUS -> ok api=1.55 build=29 state=INIT "
                    "flags=0x100 guests=0\n");
}

/* Without the model everything reaches the real kernel. */
static void child_disabled(void)
{
    int kvm = open_kvm(), vm = t_vm_create(kvm);
    uint32_t error;

    if (real_sev_host()) {
        return;
    }
    g_assert_cmpint(open("/dev/sev", O_RDWR), ==, -1);
    g_assert_cmpint(errno, ==, ENOENT);
    g_assert_cmpint(t_sev_op(vm, KVM_SEV_INIT, NULL, 0, &error), ==, -ENOTTY);
}

static char *expect_empty(void)
{
    return g_strdup("");
}

/* /dev/sev simulated, KVM left alone. */
static void child_kvm_off(void)
{
    struct sev_user_data_status st;
    int kvm = open_kvm(), vm = t_vm_create(kvm), sev = open_sev();
    g_autofree struct kvm_cpuid2 *c = NULL;
    uint32_t error;
    int ret;

    g_assert_cmpint(t_sev_issue(sev, SEV_PLATFORM_STATUS, &st, &error), ==, 0);
    c = t_get_cpuid(kvm, 256, &ret);
    g_assert_cmpint(ret, ==, 0);
    if (!real_sev_host()) {
        g_assert_cmpint(t_sev_op(vm, KVM_SEV_INIT, NULL, sev, &error), ==,
                        -ENOTTY);
    }
}

static char *expect_kvm_off(void)
{
    return g_strdup("sev open /dev/sev -> ok\n"
                    "sev PLATFORM_STATUS -> ok api=1.55 build=29 state=INIT "
                    "flags=0x100 guests=0\n");
}

static void child_no_es(void)
{
    struct kvm_sev_launch_start start = { .policy = 0x5 };
    struct sev_user_data_status st;
    g_autofree struct kvm_cpuid2 *c = NULL;
    int kvm = open_kvm(), vm = t_vm_create(kvm), sev = open_sev();
    uint32_t error;
    int ret;

    g_assert_cmpint(t_sev_issue(sev, SEV_PLATFORM_STATUS, &st, &error), ==, 0);
    g_assert_cmpuint(st.flags, ==, 0);
    g_assert_cmpint(t_sev_op(vm, KVM_SEV_ES_INIT, NULL, sev, &error), ==,
                    -ENOTTY);
    g_assert_cmpint(t_sev_op(vm, KVM_SEV_INIT, NULL, sev, &error), ==, 0);
    g_assert_cmpint(t_sev_op(vm, KVM_SEV_LAUNCH_START, &start, sev, &error),
                    ==, -EIO);
    g_assert_cmpuint(error, ==, SEV_RET_POLICY_FAILURE);
    c = t_get_cpuid(kvm, 256, &ret);
    g_assert_cmpint(ret, ==, 0);
    g_assert_cmphex(t_find_leaf(c, 0x8000001f)->eax, ==, 0x2);
}

static char *expect_no_es(void)
{
    return g_strdup(
        "sev open /dev/sev -> ok\n"
        "sev PLATFORM_STATUS -> ok api=1.55 build=29 state=INIT flags=0x0 "
        "guests=0\n"
        "sev ES_INIT -> errno ENOTTY\n"
        "sev INIT -> ok\n"
        "sev LAUNCH_START policy=0x5 handle=0 dh_len=0 session_len=0 -> "
        "error POLICY_FAILURE(7)\n"
        "sev GET_SUPPORTED_CPUID -> ok 0x8000001f eax=0x00000002 "
        "ebx=0x00000073\n");
}

static const uint8_t old_tik[16] = {
    0xff, 0xee, 0xdd, 0xcc, 0xbb, 0xaa, 0x99, 0x88,
    0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0x00,
};
static const uint8_t old_mnonce[16] = {
    0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
    0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf,
};

/* Older firmware, other keys and C-bit: what follows from each. */
static void child_old_api(void)
{
    struct kvm_sev_launch_start start = { .policy = 0x18000001 };
    struct kvm_sev_attestation_report rep = { 0 };
    struct sev_user_data_get_id2 id = { 0 };
    struct sev_user_data_status st;
    g_autofree struct kvm_cpuid2 *c = NULL;
    int kvm = open_kvm(), vm = t_vm_create(kvm), sev = open_sev();
    uint8_t *mem = t_map(0x1000, PROT_READ | PROT_WRITE);
    uint8_t blob[48], digest[32], measure[32];
    uint32_t error;
    int ret;

    g_assert_cmpint(t_sev_issue(sev, SEV_GET_ID2, &id, &error), ==, -524);
    g_assert_cmpint(t_sev_issue(sev, SEV_PLATFORM_STATUS, &st, &error), ==, 0);
    g_assert_cmpuint(st.api_major, ==, 0);
    g_assert_cmpuint(st.api_minor, ==, 15);
    g_assert_cmpuint(st.build, ==, 7);
    g_assert_cmpint(t_sev_op(vm, KVM_SEV_INIT, NULL, sev, &error), ==, 0);
    /* Policy asks for API 0.24. */
    g_assert_cmpint(t_sev_op(vm, KVM_SEV_LAUNCH_START, &start, sev, &error),
                    ==, -EIO);
    g_assert_cmpuint(error, ==, SEV_RET_POLICY_FAILURE);
    start.policy = 0x0f000001;
    g_assert_cmpint(t_sev_op(vm, KVM_SEV_LAUNCH_START, &start, sev, &error),
                    ==, 0);
    t_fill(mem, 16, 3);
    t_update_data(vm, sev, mem, 16);
    t_measure_blob(vm, sev, blob);
    {
        g_autoptr(GChecksum) ld = g_checksum_new(G_CHECKSUM_SHA256);
        gsize len = 32;

        g_checksum_update(ld, mem, 16);
        g_checksum_get_digest(ld, digest, &len);
    }
    t_measure_with(digest, 0x0f000001, 0, 15, 7, old_tik, old_mnonce,
                   measure);
    g_assert_cmpmem(blob, 32, measure, 32);
    g_assert_cmpmem(blob + 32, 16, old_mnonce, 16);
    /* ATTESTATION came with API 0.23. */
    g_assert_cmpint(t_sev_op(vm, KVM_SEV_GET_ATTESTATION_REPORT, &rep, sev,
                             &error), ==, -EIO);
    g_assert_cmpuint(error, ==, SEV_RET_INVALID_COMMAND);
    c = t_get_cpuid(kvm, 256, &ret);
    g_assert_cmpint(ret, ==, 0);
    g_assert_cmphex(t_find_leaf(c, 0x8000001f)->ebx, ==, 47 | 5 << 6);
}

static char *expect_old_api(void)
{
    uint8_t buf[16], digest[32], measure[32];
    g_autofree char *sum = NULL;
    g_autofree char *mhex = NULL;
    gsize len = 32;
    GChecksum *ld = g_checksum_new(G_CHECKSUM_SHA256);

    t_fill(buf, 16, 3);
    sum = t_sha256_hex(buf, 16);
    g_checksum_update(ld, buf, 16);
    g_checksum_get_digest(ld, digest, &len);
    g_checksum_free(ld);
    t_measure_with(digest, 0x0f000001, 0, 15, 7, old_tik, old_mnonce,
                   measure);
    mhex = t_hex(measure, 32);
    return g_strdup_printf(
        "sev open /dev/sev -> ok\n"
        "sev GET_ID2 -> errno ENOTSUPP\n"
        "sev PLATFORM_STATUS -> ok api=0.15 build=7 state=INIT flags=0x100 "
        "guests=0\n"
        "sev INIT -> ok\n"
        "sev LAUNCH_START policy=0x18000001 handle=0 dh_len=0 session_len=0 "
        "-> error POLICY_FAILURE(7)\n"
        "sev LAUNCH_START policy=0xf000001 handle=0 dh_len=0 session_len=0 "
        "-> ok handle=1\n"
        "sev LAUNCH_UPDATE_DATA len=16 -> ok sha256=%s\n"
        "sev LAUNCH_MEASURE len=48 -> ok measure=%s "
        "mnonce=a0a1a2a3a4a5a6a7a8a9aaabacadaeaf\n"
        "sev GET_ATTESTATION_REPORT len=0 -> error INVALID_COMMAND(17)\n"
        "sev GET_SUPPORTED_CPUID -> ok 0x8000001f eax=0x0000000a "
        "ebx=0x0000016f\n", sum, mhex);
}

#define ENV(...) ((const char *const[]) { __VA_ARGS__, NULL })

static const Scenario scenarios[] = {
    { "fail-launch-start",
      ENV("CGEMU_HOSTSIM_FAIL", "LAUNCH_START:POLICY_FAILURE"), true,
      child_fail_launch_start, expect_fail_launch_start },
    { "fail-update-nth",
      ENV("CGEMU_HOSTSIM_FAIL", "LAUNCH_UPDATE_DATA:RESOURCE_LIMIT@2"), true,
      child_fail_update_nth, expect_fail_update_nth },
    { "fail-number", ENV("CGEMU_HOSTSIM_FAIL", "PLATFORM_STATUS:0x13"), false,
      child_fail_number, expect_fail_number },
    { "fail-list",
      ENV("CGEMU_HOSTSIM_FAIL", "INIT:EBUSY@1,sev.GET_ID2:"
          "INVALID_PLATFORM_STATE@1,REG_REGION:ENOMEM"), true,
      child_fail_list, expect_fail_list },
    { "device-missing", ENV("CGEMU_HOSTSIM_SEV_DEVICE_MODE", "missing"),
      false, child_device_missing, expect_device_missing },
    { "device-eacces", ENV("CGEMU_HOSTSIM_SEV_DEVICE_MODE", "eacces"), false,
      child_device_eacces, expect_device_eacces },
    { "device-path", ENV("CGEMU_HOSTSIM_SEV_DEVICE", "/dev/sev-hostsim"),
      false, child_device_path, expect_device_path },
    { "disabled", ENV("CGEMU_HOSTSIM_SEV", "0"), true, child_disabled,
      expect_empty },
    { "kvm-off", ENV("CGEMU_HOSTSIM_SEV_KVM", "0"), true, child_kvm_off,
      expect_kvm_off },
    { "no-es", ENV("CGEMU_HOSTSIM_SEV_ES", "0"), true, child_no_es,
      expect_no_es },
    { "old-api",
      ENV("CGEMU_HOSTSIM_SEV_API", "0.15", "CGEMU_HOSTSIM_SEV_BUILD", "7",
          "CGEMU_HOSTSIM_SEV_CBITPOS", "47",
          "CGEMU_HOSTSIM_SEV_REDUCED_PHYS_BITS", "5",
          "CGEMU_HOSTSIM_SEV_TIK", "ffeeddccbbaa99887766554433221100",
          "CGEMU_HOSTSIM_SEV_MNONCE", "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf"),
      true, child_old_api, expect_old_api },
};

int t_child_main(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(scenarios); i++) {
        if (strcmp(scenarios[i].name, name) == 0) {
            scenarios[i].child();
            return 0;
        }
    }
    g_printerr("unknown scenario %s\n", name);
    return 1;
}

/* Run @argv with the parent's environment plus @env; its exit status. */
static int spawn(const char *const *argv, const char *const *env,
                 const char *log, char **err_out)
{
    g_auto(GStrv) envp = g_get_environ();
    g_autoptr(GError) err = NULL;
    int status;

    envp = g_environ_unsetenv(envp, "CGEMU_HOSTSIM_LOG");
    if (log) {
        envp = g_environ_setenv(envp, "CGEMU_HOSTSIM_LOG", log, TRUE);
    }
    for (const char *const *e = env; e && *e; e += 2) {
        envp = g_environ_setenv(envp, e[0], e[1], TRUE);
    }
    g_assert_true(g_spawn_sync(NULL, (char **)argv, envp,
                               G_SPAWN_SEARCH_PATH |
                               G_SPAWN_STDOUT_TO_DEV_NULL,
                               NULL, NULL, NULL, err_out, &status, &err));
    g_assert_no_error(err);
    return status;
}

static void test_scenario(gconstpointer data)
{
    const Scenario *s = data;
    g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);
    g_autofree char *dir = g_dir_make_tmp("hostsim-XXXXXX", NULL);
    g_autofree char *log = g_build_filename(dir, "log", NULL);
    g_autofree char *stderr_text = NULL;
    g_autofree char *text = NULL;
    g_autofree char *expected = NULL;
    const char *argv[] = { exe, "--scenario", s->name, NULL };
    int status;

    if (s->needs_kvm && access("/dev/kvm", R_OK | W_OK) != 0) {
        g_test_skip("/dev/kvm is not available on this machine");
        return;
    }
    g_assert_nonnull(exe);
    g_assert_nonnull(dir);
    status = spawn(argv, s->env, log, &stderr_text);
    if (!g_spawn_check_wait_status(status, NULL)) {
        g_printerr("scenario %s failed:\n%s", s->name, stderr_text);
    }
    g_assert_true(g_spawn_check_wait_status(status, NULL));
    text = t_log_take(log);
    expected = s->expected();
    g_assert_cmpstr(text, ==, expected);
    unlink(log);
    rmdir(dir);
}

/* --- configuration errors --- */

typedef struct ConfigCase {
    const char *name;
    const char *const *env;
    const char *message; /* stderr, or its start when it ends with "..." */
} ConfigCase;

static const ConfigCase config_cases[] = {
    { "unknown-variable", ENV("CGEMU_HOSTSIM_SEV_TYPO", "1"),
      "unknown variable CGEMU_HOSTSIM_SEV_TYPO. Known variables: "
      "CGEMU_HOSTSIM_LOG, CGEMU_HOSTSIM_FAIL, CGEMU_HOSTSIM_SEV, "
      "CGEMU_HOSTSIM_SEV_KVM, ..." },
    { "bool", ENV("CGEMU_HOSTSIM_SEV", "yes"),
      "CGEMU_HOSTSIM_SEV='yes' is not a boolean. Use 0 or 1" },
    { "hex", ENV("CGEMU_HOSTSIM_SEV_TIK", "abc"),
      "CGEMU_HOSTSIM_SEV_TIK='abc' is not 16 bytes of hex. Use exactly 32 "
      "hex digits" },
    { "number", ENV("CGEMU_HOSTSIM_SEV_CBITPOS", "64"),
      "CGEMU_HOSTSIM_SEV_CBITPOS='64' is not a number. Use a decimal number "
      "from 0 to 63" },
    { "api", ENV("CGEMU_HOSTSIM_SEV_API", "1"),
      "CGEMU_HOSTSIM_SEV_API='1' is not an API version. Use MAJOR.MINOR, "
      "e.g. 0.24" },
    { "choice", ENV("CGEMU_HOSTSIM_SEV_DEVICE_MODE", "gone"),
      "CGEMU_HOSTSIM_SEV_DEVICE_MODE='gone' is not valid. Use one of: "
      "present, missing, eacces" },
    { "device-path", ENV("CGEMU_HOSTSIM_SEV_DEVICE", "sev"),
      "CGEMU_HOSTSIM_SEV_DEVICE='sev' is not an absolute path. Use e.g. "
      "/dev/sev" },
    { "fail-command", ENV("CGEMU_HOSTSIM_FAIL", "LAUNCH_BEGIN:INACTIVE"),
      "unknown command 'LAUNCH_BEGIN' in CGEMU_HOSTSIM_FAIL. Known commands: "
      "sev.FACTORY_RESET, sev.PLATFORM_STATUS, ..." },
    { "fail-error", ENV("CGEMU_HOSTSIM_FAIL", "LAUNCH_START:INVALID_POLICY"),
      "unknown error 'INVALID_POLICY' for sev.LAUNCH_START in "
      "CGEMU_HOSTSIM_FAIL. Use a sev status name or number, or an errno "
      "name such as EBUSY" },
    { "fail-errno-only", ENV("CGEMU_HOSTSIM_FAIL", "REG_REGION:7"),
      "'7' is not an errno name; sev.REG_REGION in CGEMU_HOSTSIM_FAIL fails "
      "only with an errno such as ENOMEM" },
    { "fail-nth", ENV("CGEMU_HOSTSIM_FAIL", "INIT:EBUSY@0"),
      "'@0' in CGEMU_HOSTSIM_FAIL entry 'INIT:EBUSY@0' is not a call "
      "number. Use @N with N = 1, 2, ..." },
    { "fail-no-error", ENV("CGEMU_HOSTSIM_FAIL", "INIT"),
      "'INIT' in CGEMU_HOSTSIM_FAIL has no error. Write COMMAND:ERROR[@N], "
      "e.g. LAUNCH_START:POLICY_FAILURE" },
    { "fail-model", ENV("CGEMU_HOSTSIM_FAIL", "nosuch.INIT:EBUSY"),
      "unknown model 'nosuch' in CGEMU_HOSTSIM_FAIL entry 'nosuch.INIT'. "
      "Known models: sev, kvm, ppc, s390" },
    { "fail-disabled",
      ENV("CGEMU_HOSTSIM_SEV", "0", "CGEMU_HOSTSIM_FAIL", "INIT:EBUSY"),
      "command INIT in CGEMU_HOSTSIM_FAIL belongs to model sev, which is not "
      "enabled" },
    { "log", ENV("CGEMU_HOSTSIM_LOG", "/nonexistent/hostsim.log"),
      "cannot open log CGEMU_HOSTSIM_LOG='/nonexistent/hostsim.log': No such "
      "file or directory. Use a writable path" },
};

/* The simulator refuses to run with a bad configuration, whatever runs. */
static void test_config(gconstpointer data)
{
    const ConfigCase *cc = data;
    const char *argv[] = { "true", NULL };
    g_autofree char *err = NULL;
    g_autofree char *want = g_strdup_printf("cgemu-hostsim: %s\n",
                                            cc->message);
    g_autoptr(GError) error = NULL;
    int status = spawn(argv, cc->env, NULL, &err);

    g_assert_false(g_spawn_check_wait_status(status, &error));
    g_assert_error(error, G_SPAWN_EXIT_ERROR, 99);
    if (g_str_has_suffix(cc->message, "...")) {
        want[strlen(want) - 4] = '\0';
        g_assert_true(g_str_has_prefix(err, want));
    } else {
        g_assert_cmpstr(err, ==, want);
    }
}

void t_child_add_tests(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(scenarios); i++) {
        g_autofree char *path = g_strdup_printf("/hostsim/scenario/%s",
                                                scenarios[i].name);

        g_test_add_data_func(path, &scenarios[i], test_scenario);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(config_cases); i++) {
        g_autofree char *path = g_strdup_printf("/hostsim/config/%s",
                                                config_cases[i].name);

        g_test_add_data_func(path, &config_cases[i], test_config);
    }
}
