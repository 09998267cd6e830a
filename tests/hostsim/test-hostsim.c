/*
 * Tests of the host simulator in this process: pass-through, /dev/sev,
 * CPUID, the SEV launch flow and its errors, a guest that really runs.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "test-hostsim.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <linux/psp-sev.h>
#include <nettle/aes.h>
#include <nettle/ctr.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define T_MEM_SIZE 0x10000

const uint8_t t_tik[16] = { 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
                            0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f };
const uint8_t t_tek[16] = { 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
                            0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f };
const uint8_t t_mnonce[16] = { 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26,
                               0x27, 0x28, 0x29, 0x2a, 0x2b, 0x2c, 0x2d,
                               0x2e, 0x2f };

/* --- helpers --- */

int t_kvm_open(void)
{
    int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);

    if (fd < 0) {
        g_test_skip("/dev/kvm is not available on this machine");
    }
    return fd;
}

int t_vm_create(int kvm)
{
    int vm;

    do {
        vm = ioctl(kvm, KVM_CREATE_VM, 0);
    } while (vm < 0 && errno == EINTR);
    g_assert_cmpint(vm, >=, 0);
    return vm;
}

int t_sev_op(int vm, uint32_t id, void *data, int sev_fd, uint32_t *error)
{
    struct kvm_sev_cmd cmd = {
        .id = id, .data = (uintptr_t)data, .sev_fd = sev_fd,
    };
    int r = ioctl(vm, KVM_MEMORY_ENCRYPT_OP, &cmd);

    *error = cmd.error;
    return r < 0 ? -errno : r;
}

int t_sev_issue(int fd, uint32_t cmd, void *data, uint32_t *error)
{
    struct sev_issue_cmd in = { .cmd = cmd, .data = (uintptr_t)data };
    int r = ioctl(fd, SEV_ISSUE_CMD, &in);

    *error = in.error;
    return r < 0 ? -errno : r;
}

int t_region(int vm, bool reg, void *addr, uint64_t size)
{
    struct kvm_enc_region range = { .addr = (uintptr_t)addr, .size = size };
    int r = ioctl(vm, reg ? KVM_MEMORY_ENCRYPT_REG_REGION
                          : KVM_MEMORY_ENCRYPT_UNREG_REGION, &range);

    return r < 0 ? -errno : r;
}

void t_fill(uint8_t *buf, size_t len, unsigned which)
{
    for (size_t i = 0; i < len; i++) {
        switch (which) {
        case 0:
            buf[i] = i;
            break;
        case 1:
            buf[i] = 0xab;
            break;
        default:
            buf[i] = i * (5 + 2 * (which - 2)) + 3;
            break;
        }
    }
}

char *t_sha256_hex(const void *data, size_t len)
{
    return g_compute_checksum_for_data(G_CHECKSUM_SHA256, data, len);
}

void t_measure_with(const uint8_t *digest, uint32_t policy,
                    uint8_t api_major, uint8_t api_minor, uint8_t build,
                    const uint8_t *tik, const uint8_t *mnonce, uint8_t *out)
{
    uint8_t head[8] = { 0x04, api_major, api_minor, build, policy,
                        policy >> 8, policy >> 16, policy >> 24 };
    GHmac *h = g_hmac_new(G_CHECKSUM_SHA256, tik, 16);
    gsize len = 32;

    g_hmac_update(h, head, sizeof(head));
    g_hmac_update(h, digest, 32);
    g_hmac_update(h, mnonce, 16);
    g_hmac_get_digest(h, out, &len);
    g_hmac_unref(h);
}

void t_measure(const uint8_t *digest, uint32_t policy, uint8_t *out)
{
    t_measure_with(digest, policy, T_API_MAJOR, T_API_MINOR, T_BUILD, t_tik,
                   t_mnonce, out);
}

char *t_log_take(const char *path)
{
    g_autoptr(GError) err = NULL;
    char *text = NULL;

    if (!g_file_get_contents(path, &text, NULL, &err)) {
        g_assert_error(err, G_FILE_ERROR, G_FILE_ERROR_NOENT);
        return g_strdup("");
    }
    /* In place: the simulator keeps appending to the same file. */
    g_assert_cmpint(truncate(path, 0), ==, 0);
    return text;
}

const char *t_log_path(void)
{
    return g_getenv("CGEMU_HOSTSIM_LOG");
}

void t_log_reset(void)
{
    g_free(t_log_take(t_log_path()));
}

void t_assert_log(const char *expected)
{
    g_autofree char *text = t_log_take(t_log_path());

    g_assert_cmpstr(text, ==, expected);
}

void *t_map(size_t size, int prot)
{
    void *p = mmap(NULL, size, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    g_assert_true(p != MAP_FAILED);
    return p;
}

/* --- launch helpers --- */

char *t_hex(const uint8_t *data, size_t len)
{
    GString *s = g_string_new(NULL);

    for (size_t i = 0; i < len; i++) {
        g_string_append_printf(s, "%02x", data[i]);
    }
    return g_string_free(s, FALSE);
}

/* INIT and LAUNCH_START with @policy; returns the handle. */
uint32_t t_launch_start(int vm, int sev, uint32_t init, uint32_t policy)
{
    struct kvm_sev_launch_start start = { .policy = policy };
    uint32_t error;

    g_assert_cmpint(t_sev_op(vm, init, NULL, sev, &error), ==, 0);
    g_assert_cmpint(t_sev_op(vm, KVM_SEV_LAUNCH_START, &start, sev, &error),
                    ==, 0);
    g_assert_cmpuint(start.handle, >, 0);
    return start.handle;
}

void t_update_data(int vm, int sev, void *addr, uint32_t len)
{
    struct kvm_sev_launch_update_data upd = {
        .uaddr = (uintptr_t)addr, .len = len,
    };
    uint32_t error;

    g_assert_cmpint(t_sev_op(vm, KVM_SEV_LAUNCH_UPDATE_DATA, &upd, sev,
                             &error), ==, 0);
}

void t_measure_blob(int vm, int sev, uint8_t *blob)
{
    struct kvm_sev_launch_measure meas = {
        .uaddr = (uintptr_t)blob, .len = 48,
    };
    uint32_t error;

    g_assert_cmpint(t_sev_op(vm, KVM_SEV_LAUNCH_MEASURE, &meas, sev, &error),
                    ==, 0);
}

/* --- pass-through --- */

static void test_passthrough(void)
{
    g_autofree char *path = NULL;
    int fd, kvm;

    t_log_reset();
    fd = g_file_open_tmp("hostsim-XXXXXX", &path, NULL);
    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(write(fd, "abc", 3), ==, 3);
    g_assert_cmpint(ioctl(fd, KVM_GET_API_VERSION, 0), ==, -1);
    g_assert_cmpint(errno, ==, ENOTTY);
    g_assert_cmpint(close(fd), ==, 0);
    fd = open(path, O_RDONLY);
    g_assert_cmpint(fd, >=, 0);
    close(fd);
    unlink(path);

    kvm = t_kvm_open();
    if (kvm >= 0) {
        g_assert_cmpint(ioctl(kvm, KVM_GET_API_VERSION, 0), ==,
                        KVM_API_VERSION);
        g_assert_cmpint(ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_USER_MEMORY),
                        >, 0);
        close(kvm);
    }
    t_assert_log("");
}

/* --- /dev/sev --- */

static void test_sev_device(void)
{
    struct sev_user_data_status st;
    struct sev_user_data_pdh_cert_export pdh = { 0 };
    struct sev_user_data_get_id2 id = { 0 };
    g_autofree uint8_t *cert = g_malloc(0x824);
    g_autofree uint8_t *chain = g_malloc(3 * 0x824);
    g_autofree char *cert_sum = NULL;
    g_autofree char *chain_sum = NULL;
    uint8_t idbuf[64] = { 0 };
    struct sev_issue_cmd bad = { .cmd = 200 };
    uint32_t error;
    uint32_t value;
    int fd, ro;

    t_log_reset();
    fd = open("/dev/sev", O_RDWR | O_CLOEXEC);
    g_assert_cmpint(fd, >=, 0);

    memset(&st, 0xff, sizeof(st));
    g_assert_cmpint(t_sev_issue(fd, SEV_PLATFORM_STATUS, &st, &error), ==, 0);
    g_assert_cmpuint(error, ==, 0);
    g_assert_cmpuint(st.api_major, ==, T_API_MAJOR);
    g_assert_cmpuint(st.api_minor, ==, T_API_MINOR);
    g_assert_cmpuint(st.build, ==, T_BUILD);
    g_assert_cmpuint(st.state, ==, 1);
    g_assert_cmpuint(st.flags, ==, SEV_STATUS_FLAGS_CONFIG_ES);
    g_assert_cmpuint(st.guest_count, ==, 0);

    /* The kernel's length query: zero lengths in, needed lengths out. */
    g_assert_cmpint(t_sev_issue(fd, SEV_PDH_CERT_EXPORT, &pdh, &error), ==,
                    -EIO);
    g_assert_cmpuint(error, ==, SEV_RET_INVALID_LEN);
    g_assert_cmpuint(pdh.pdh_cert_len, ==, 0x824);
    g_assert_cmpuint(pdh.cert_chain_len, ==, 3 * 0x824);
    pdh.pdh_cert_address = (uintptr_t)cert;
    pdh.cert_chain_address = (uintptr_t)chain;
    g_assert_cmpint(t_sev_issue(fd, SEV_PDH_CERT_EXPORT, &pdh, &error), ==, 0);
    g_assert_cmpuint(error, ==, 0);
    memcpy(&value, cert + 8, 4);
    g_assert_cmpuint(value, ==, 0x1003); /* PDH usage */
    memcpy(&value, chain + 8, 4);
    g_assert_cmpuint(value, ==, 0x1002); /* PEK usage */
    /* Known answers, computed with Python from the documented layout. */
    cert_sum = t_sha256_hex(cert, 0x824);
    chain_sum = t_sha256_hex(chain, 3 * 0x824);
    g_assert_cmpstr(cert_sum, ==,
        "7b4790b0b00305bb049899f54998ecd148d77cbbec1d92633ffa1ae372a8f530");
    g_assert_cmpstr(chain_sum, ==,
        "d49cf759cf346ccc6ac5cec123e782c22d30d1d6291401fcc9af6e38aec3ce9e");

    g_assert_cmpint(t_sev_issue(fd, SEV_GET_ID2, &id, &error), ==, -EIO);
    g_assert_cmpuint(error, ==, SEV_RET_INVALID_LEN);
    g_assert_cmpuint(id.length, ==, 64);
    id.address = (uintptr_t)idbuf;
    g_assert_cmpint(t_sev_issue(fd, SEV_GET_ID2, &id, &error), ==, 0);
    g_assert_cmpstr((char *)idbuf, ==, "CGEMU-HOSTSIM-CHIP-ID");

    g_assert_cmpint(ioctl(fd, SEV_ISSUE_CMD, &bad), ==, -1);
    g_assert_cmpint(errno, ==, EINVAL);
    g_assert_cmpint(ioctl(fd, KVM_GET_API_VERSION, 0), ==, -1);
    g_assert_cmpint(errno, ==, EINVAL);

    /* Owner commands need the device open for writing. */
    ro = open("/dev/sev", O_RDONLY);
    g_assert_cmpint(ro, >=, 0);
    g_assert_cmpint(t_sev_issue(ro, SEV_PEK_GEN, NULL, &error), ==, -EPERM);
    g_assert_cmpint(t_sev_issue(fd, SEV_PDH_GEN, NULL, &error), ==, 0);
    close(ro);
    close(fd);

    t_assert_log(
        "sev open /dev/sev -> ok\n"
        "sev PLATFORM_STATUS -> ok api=1.55 build=29 state=INIT flags=0x100 "
        "guests=0\n"
        "sev PDH_CERT_EXPORT pdh_len=0 chain_len=0 -> error INVALID_LENGTH(4) "
        "pdh_len=2084 chain_len=6252\n"
        "sev PDH_CERT_EXPORT pdh_len=2084 chain_len=6252 -> ok\n"
        "sev GET_ID2 len=0 -> error INVALID_LENGTH(4) len=64\n"
        "sev GET_ID2 len=64 -> ok\n"
        "sev ISSUE_CMD cmd=200 -> errno EINVAL\n"
        "sev ioctl 0xae00 -> errno EINVAL\n"
        "sev open /dev/sev -> ok\n"
        "sev PEK_GEN -> errno EPERM\n"
        "sev PDH_GEN -> ok\n");
}

/* --- CPUID --- */

struct kvm_cpuid2 *t_get_cpuid(int kvm, unsigned nent, int *ret)
{
    struct kvm_cpuid2 *c = g_malloc0(sizeof(*c) +
                                     nent * sizeof(struct kvm_cpuid_entry2));

    c->nent = nent;
    *ret = ioctl(kvm, KVM_GET_SUPPORTED_CPUID, c) < 0 ? -errno : 0;
    return c;
}

struct kvm_cpuid_entry2 *t_find_leaf(struct kvm_cpuid2 *c, uint32_t fn)
{
    for (unsigned i = 0; i < c->nent; i++) {
        if (c->entries[i].function == fn) {
            return &c->entries[i];
        }
    }
    return NULL;
}

static void test_sev_cpuid(void)
{
    g_autofree struct kvm_cpuid2 *small = NULL;
    g_autofree struct kvm_cpuid2 *c = NULL;
    g_autofree struct kvm_cpuid2 *exact = NULL;
    g_autofree struct kvm_cpuid2 *short1 = NULL;
    struct kvm_cpuid_entry2 *leaf;
    int kvm = t_kvm_open();
    unsigned n;
    int ret;

    if (kvm < 0) {
        return;
    }
    t_log_reset();
    small = t_get_cpuid(kvm, 1, &ret);
    g_assert_cmpint(ret, ==, -E2BIG);
    g_assert_cmpuint(small->nent, ==, 1);
    c = t_get_cpuid(kvm, 256, &ret);
    g_assert_cmpint(ret, ==, 0);
    leaf = t_find_leaf(c, 0x8000001f);
    g_assert_nonnull(leaf);
    g_assert_cmphex(leaf->eax, ==, 0xa);  /* SEV, SEV-ES */
    g_assert_cmphex(leaf->ebx, ==, 51 | 1 << 6);
    g_assert_cmphex(t_find_leaf(c, 0x80000000)->eax, >=, 0x8000001f);
    /*
     * Exactly room for the table with the leaf works, one less is E2BIG
     * (from KVM or from the simulator, whichever added the last entry).
     */
    n = c->nent;
    exact = t_get_cpuid(kvm, n, &ret);
    g_assert_cmpint(ret, ==, 0);
    g_assert_cmpuint(exact->nent, ==, n);
    short1 = t_get_cpuid(kvm, n - 1, &ret);
    g_assert_cmpint(ret, ==, -E2BIG);
    g_assert_cmpuint(short1->nent, ==, n - 1);
    close(kvm);
    t_assert_log("sev GET_SUPPORTED_CPUID -> ok 0x8000001f eax=0x0000000a "
                 "ebx=0x00000073\n"
                 "sev GET_SUPPORTED_CPUID -> ok 0x8000001f eax=0x0000000a "
                 "ebx=0x00000073\n");
}

/* --- threads --- */

#define T_THREADS 4
#define T_CALLS 100

static gpointer status_thread(gpointer data)
{
    int fd = GPOINTER_TO_INT(data);
    struct sev_user_data_status st;
    uint32_t error;

    for (int i = 0; i < T_CALLS; i++) {
        g_assert_cmpint(t_sev_issue(fd, SEV_PLATFORM_STATUS, &st, &error),
                        ==, 0);
    }
    return NULL;
}

static void test_sev_threads(void)
{
    GThread *threads[T_THREADS];
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    int fd;

    t_log_reset();
    fd = open("/dev/sev", O_RDWR);
    g_assert_cmpint(fd, >=, 0);
    for (int i = 0; i < T_THREADS; i++) {
        threads[i] = g_thread_new("status", status_thread,
                                  GINT_TO_POINTER(fd));
    }
    for (int i = 0; i < T_THREADS; i++) {
        g_thread_join(threads[i]);
    }
    close(fd);
    text = t_log_take(t_log_path());
    lines = g_strsplit(text, "\n", -1);
    /* The open, one whole line per call, and the empty tail. */
    g_assert_cmpuint(g_strv_length(lines), ==, 2 + T_THREADS * T_CALLS);
    g_assert_cmpstr(lines[0], ==, "sev open /dev/sev -> ok");
    for (int i = 1; i <= T_THREADS * T_CALLS; i++) {
        g_assert_cmpstr(lines[i], ==,
                        "sev PLATFORM_STATUS -> ok api=1.55 build=29 "
                        "state=INIT flags=0x100 guests=0");
    }
    g_assert_cmpstr(lines[1 + T_THREADS * T_CALLS], ==, "");
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--scenario") == 0) {
        return t_child_main(argv[2]);
    }
    g_test_init(&argc, &argv, NULL);
    if (!g_getenv("LD_PRELOAD") || !t_log_path()) {
        g_printerr("run me with the host simulator preloaded and "
                   "CGEMU_HOSTSIM_SEV=1 CGEMU_HOSTSIM_LOG set "
                   "(meson test --suite hostsim does)\n");
        return 1;
    }
    g_test_add_func("/hostsim/passthrough", test_passthrough);
    g_test_add_func("/hostsim/sev/device", test_sev_device);
    g_test_add_func("/hostsim/sev/cpuid", test_sev_cpuid);
    t_launch_add_tests();
    g_test_add_func("/hostsim/sev/threads", test_sev_threads);
    t_child_add_tests();
    return g_test_run();
}
