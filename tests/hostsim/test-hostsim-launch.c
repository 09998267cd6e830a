/*
 * Tests of the host simulator: the SEV launch flow, its errors, SEV-ES and
 * a guest that really runs after a simulated launch.
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

static void t_aes128_encrypt(const void *ctx, size_t len, uint8_t *dst,
                        const uint8_t *src)
{
    aes128_encrypt(ctx, len, dst, src);
}

/* A guest owner's LAUNCH_SECRET packet for @plain, IV 0x30..0x3f. */
static void make_secret(const uint8_t *measure, const uint8_t *plain,
                        uint32_t len, uint8_t *hdr, uint8_t *trans)
{
    struct aes128_ctx aes;
    uint8_t ctr[16], lens[8];
    uint8_t one = 1;
    gsize mac_len = 32;
    GHmac *h;

    memset(hdr, 0, 52);
    for (int i = 0; i < 16; i++) {
        hdr[4 + i] = 0x30 + i;
    }
    memcpy(ctr, hdr + 4, 16);
    aes128_set_encrypt_key(&aes, t_tek);
    ctr_crypt(&aes, t_aes128_encrypt, AES_BLOCK_SIZE, ctr, len, trans, plain);
    for (int i = 0; i < 4; i++) {
        lens[i] = len >> (8 * i);
        lens[4 + i] = len >> (8 * i);
    }
    h = g_hmac_new(G_CHECKSUM_SHA256, t_tik, sizeof(t_tik));
    g_hmac_update(h, &one, 1);
    g_hmac_update(h, hdr, 20);
    g_hmac_update(h, lens, 8);
    g_hmac_update(h, trans, len);
    g_hmac_update(h, measure, 32);
    g_hmac_get_digest(h, hdr + 20, &mac_len);
    g_hmac_unref(h);
}

static void test_sev_launch(void)
{
    static const size_t sizes[] = { 4096, 64, 8192 };
    static const char secret[] = "cgemu-hostsim launch secret 0001";
    /* Known answers, computed with Python's hmac/hashlib and openssl. */
    static const char want_measure[] =
        "0372b75012a0b542c8fab87dfc022d1c1497c9d54b66814b641707adaa99083f";
    static const char want_trans[] =
        "8b4223a2301570744c7e57506c27916197828c46b67709573627355cc048bb58";
    static const char want_mac[] =
        "57f18e39ea0d2d694a8f36521a5dbf432418562bf98e5be80b515d5c13769088";
    struct kvm_sev_launch_measure meas = { 0 };
    struct kvm_sev_launch_secret sec;
    struct kvm_sev_guest_status gs;
    struct kvm_sev_attestation_report rep = { 0 };
    g_autoptr(GChecksum) ld = g_checksum_new(G_CHECKSUM_SHA256);
    g_autoptr(GString) expect = g_string_new(NULL);
    g_autofree char *mhex = NULL;
    g_autofree char *thex = NULL;
    g_autofree char *machex = NULL;
    g_autofree char *sig = NULL;
    g_autofree char *sig_got = NULL;
    uint8_t digest[32], measure[32], blob[48], hdr[52], trans[32];
    uint8_t report[0xd0];
    gsize dlen = 32;
    uint32_t error, policy, handle;
    uint8_t *mem;
    size_t off = 0;
    int kvm, vm, sev;

    kvm = t_kvm_open();
    if (kvm < 0) {
        return;
    }
    t_log_reset();
    vm = t_vm_create(kvm);
    sev = open("/dev/sev", O_RDWR);
    handle = t_launch_start(vm, sev, KVM_SEV_INIT, 0x1);
    g_string_append_printf(expect,
        "sev open /dev/sev -> ok\n"
        "sev INIT -> ok\n"
        "sev LAUNCH_START policy=0x1 handle=0 dh_len=0 session_len=0 -> ok "
        "handle=%u\n"
        "sev REG_REGION size=0x10000 -> ok\n", handle);

    mem = t_map(T_MEM_SIZE, PROT_READ | PROT_WRITE);
    g_assert_cmpint(t_region(vm, true, mem, T_MEM_SIZE), ==, 0);
    for (unsigned i = 0; i < G_N_ELEMENTS(sizes); i++) {
        g_autofree char *sum = NULL;

        t_fill(mem + off, sizes[i], i);
        t_update_data(vm, sev, mem + off, sizes[i]);
        g_checksum_update(ld, mem + off, sizes[i]);
        sum = t_sha256_hex(mem + off, sizes[i]);
        g_string_append_printf(expect, "sev LAUNCH_UPDATE_DATA len=%zu -> ok "
                               "sha256=%s\n", sizes[i], sum);
        off += sizes[i];
    }
    /* Left in plaintext: the guest on this host must still run it. */
    g_assert_cmpuint(mem[1], ==, 1);

    g_assert_cmpint(t_sev_op(vm, KVM_SEV_LAUNCH_MEASURE, &meas, sev, &error),
                    ==, -EIO);
    g_assert_cmpuint(error, ==, SEV_RET_INVALID_LEN);
    g_assert_cmpuint(meas.len, ==, 48);
    meas.uaddr = (uintptr_t)blob;
    g_assert_cmpint(t_sev_op(vm, KVM_SEV_LAUNCH_MEASURE, &meas, sev, &error),
                    ==, 0);
    g_assert_cmpuint(error, ==, 0);
    g_assert_cmpuint(meas.len, ==, 48);
    g_checksum_get_digest(ld, digest, &dlen);
    t_measure(digest, 0x1, measure);
    g_assert_cmpmem(blob, 32, measure, 32);
    g_assert_cmpmem(blob + 32, 16, t_mnonce, 16);
    mhex = t_hex(blob, 32);
    g_assert_cmpstr(mhex, ==, want_measure);
    g_string_append_printf(expect,
        "sev LAUNCH_MEASURE len=0 -> error INVALID_LENGTH(4) len=48\n"
        "sev LAUNCH_MEASURE len=48 -> ok measure=%s "
        "mnonce=202122232425262728292a2b2c2d2e2f\n", mhex);

    g_assert_cmpint(t_sev_op(vm, KVM_SEV_GUEST_STATUS, &gs, sev, &error),
                    ==, 0);
    g_assert_cmpuint(gs.handle, ==, handle);
    g_assert_cmpuint(gs.policy, ==, 0x1);
    g_assert_cmpuint(gs.state, ==, 2); /* LSECRET */

    make_secret(measure, (const uint8_t *)secret, 32, hdr, trans);
    thex = t_hex(trans, 32);
    machex = t_hex(hdr + 20, 32);
    g_assert_cmpstr(thex, ==, want_trans);
    g_assert_cmpstr(machex, ==, want_mac);
    sec = (struct kvm_sev_launch_secret) {
        .hdr_uaddr = (uintptr_t)hdr, .hdr_len = 52,
        .guest_uaddr = (uintptr_t)(mem + 0x8000), .guest_len = 32,
        .trans_uaddr = (uintptr_t)trans, .trans_len = 32,
    };
    /* Malformed packets, then a bad MAC: nothing reaches the guest. */
    {
        static const struct {
            int64_t guest_off;
            uint32_t guest_len, trans_len, hdr_len;
            uint8_t flags;
            uint32_t status;
        } bad[] = {
            { 8, 32, 32, 52, 0, SEV_RET_INVALID_ADDRESS },
            { 0, 24, 24, 52, 0, SEV_RET_INVALID_LEN },
            { 0, 32, 16, 52, 0, SEV_RET_INVALID_LEN },
            { 0, 32, 32, 48, 0, SEV_RET_INVALID_LEN },
            { 0, 32, 32, 52, 1, SEV_RET_INVALID_PARAM },
        };

        for (unsigned i = 0; i < G_N_ELEMENTS(bad); i++) {
            struct kvm_sev_launch_secret b = sec;

            b.guest_uaddr += bad[i].guest_off;
            b.guest_len = bad[i].guest_len;
            b.trans_len = bad[i].trans_len;
            b.hdr_len = bad[i].hdr_len;
            hdr[0] = bad[i].flags;
            g_assert_cmpint(t_sev_op(vm, KVM_SEV_LAUNCH_SECRET, &b, sev,
                                     &error), ==, -EIO);
            g_assert_cmpuint(error, ==, bad[i].status);
            hdr[0] = 0;
        }
    }
    hdr[20] ^= 1;
    g_assert_cmpint(t_sev_op(vm, KVM_SEV_LAUNCH_SECRET, &sec, sev, &error),
                    ==, -EIO);
    g_assert_cmpuint(error, ==, SEV_RET_BAD_MEASUREMENT);
    g_assert_cmpuint(mem[0x8000], ==, 0);
    hdr[20] ^= 1;
    g_assert_cmpint(t_sev_op(vm, KVM_SEV_LAUNCH_SECRET, &sec, sev, &error),
                    ==, 0);
    g_assert_cmpmem(mem + 0x8000, 32, secret, 32);

    g_assert_cmpint(t_sev_op(vm, KVM_SEV_LAUNCH_FINISH, NULL, sev, &error),
                    ==, 0);
    g_assert_cmpint(t_sev_op(vm, KVM_SEV_GUEST_STATUS, &gs, sev, &error),
                    ==, 0);
    g_assert_cmpuint(gs.state, ==, 3); /* RUNNING */

    g_assert_cmpint(t_sev_op(vm, KVM_SEV_GET_ATTESTATION_REPORT, &rep, sev,
                             &error), ==, -EIO);
    g_assert_cmpuint(error, ==, SEV_RET_INVALID_LEN);
    g_assert_cmpuint(rep.len, ==, 0xd0);
    memset(rep.mnonce, 0x5a, 16);
    rep.uaddr = (uintptr_t)report;
    g_assert_cmpint(t_sev_op(vm, KVM_SEV_GET_ATTESTATION_REPORT, &rep, sev,
                             &error), ==, 0);
    g_assert_cmpmem(report, 16, rep.mnonce, 16);
    g_assert_cmpmem(report + 0x10, 32, digest, 32);
    memcpy(&policy, report + 0x30, 4);
    g_assert_cmphex(policy, ==, 0x1);
    sig = t_sha256_hex(report, 0x34);
    sig_got = t_hex(report + 0x40, 32);
    g_assert_cmpstr(sig_got, ==, sig);

    g_assert_cmpint(t_region(vm, false, mem, T_MEM_SIZE), ==, 0);
    close(vm);
    close(sev);
    close(kvm);
    munmap(mem, T_MEM_SIZE);
    g_string_append_printf(expect,
        "sev GUEST_STATUS -> ok handle=%u policy=0x1 state=LSECRET\n"
        "sev LAUNCH_SECRET hdr_len=52 guest_len=32 trans_len=32 -> error "
        "INVALID_ADDRESS(9)\n"
        "sev LAUNCH_SECRET hdr_len=52 guest_len=24 trans_len=24 -> error "
        "INVALID_LENGTH(4)\n"
        "sev LAUNCH_SECRET hdr_len=52 guest_len=32 trans_len=16 -> error "
        "INVALID_LENGTH(4)\n"
        "sev LAUNCH_SECRET hdr_len=48 guest_len=32 trans_len=32 -> error "
        "INVALID_LENGTH(4)\n"
        "sev LAUNCH_SECRET hdr_len=52 guest_len=32 trans_len=32 -> error "
        "INVALID_PARAM(22)\n"
        "sev LAUNCH_SECRET hdr_len=52 guest_len=32 trans_len=32 -> error "
        "BAD_MEASUREMENT(11)\n"
        "sev LAUNCH_SECRET hdr_len=52 guest_len=32 trans_len=32 -> ok\n"
        "sev LAUNCH_FINISH -> ok\n"
        "sev GUEST_STATUS -> ok handle=%u policy=0x1 state=RUNNING\n"
        "sev GET_ATTESTATION_REPORT len=0 -> error INVALID_LENGTH(4) "
        "len=208\n"
        "sev GET_ATTESTATION_REPORT len=208 -> ok\n"
        "sev UNREG_REGION size=0x10000 -> ok\n"
        "sev DECOMMISSION handle=%u -> ok\n", handle, handle, handle);
    t_assert_log(expect->str);
}

/* Commands out of order and bad arguments, each with its error. */
static void test_sev_errors(void)
{
    struct kvm_sev_launch_start start = { .policy = 0x1 };
    struct kvm_sev_launch_update_data upd;
    struct kvm_sev_launch_measure meas;
    struct kvm_sev_launch_secret sec;
    struct kvm_sev_attestation_report rep = { 0 };
    struct kvm_sev_guest_status gs;
    g_autoptr(GChecksum) empty = g_checksum_new(G_CHECKSUM_SHA256);
    g_autoptr(GString) expect = g_string_new(NULL);
    g_autofree char *mhex = NULL;
    uint8_t blob[48], hdr[52] = { 0 }, trans[16] = { 0 };
    uint8_t digest[32], measure[32];
    gsize dlen = 32;
    uint32_t error, handle, handle2;
    uint8_t *mem, *none;
    int kvm, vm, vm2, sev;

    kvm = t_kvm_open();
    if (kvm < 0) {
        return;
    }
    t_log_reset();
    vm = t_vm_create(kvm);
    sev = open("/dev/sev", O_RDWR);
    mem = t_map(0x1000, PROT_READ | PROT_WRITE);
    none = t_map(0x1000, PROT_NONE);

    /* KVM: SEV commands before KVM_SEV_INIT, INIT twice. */
    g_assert_cmpint(t_sev_op(vm, KVM_SEV_LAUNCH_START, &start, sev, &error),
                    ==, -ENOTTY);
    g_assert_cmpint(t_sev_op(vm, KVM_SEV_GUEST_STATUS, &gs, sev, &error),
                    ==, -ENOTTY);
    g_assert_cmpint(t_sev_op(vm, KVM_SEV_INIT, NULL, sev, &error), ==, 0);
    g_assert_cmpint(t_sev_op(vm, KVM_SEV_INIT, NULL, sev, &error), ==,
                    -EINVAL);
    /* Before LAUNCH_START KVM has no SEV fd for the firmware. */
    upd = (struct kvm_sev_launch_update_data) { (uintptr_t)mem, 16 };
    g_assert_cmpint(t_sev_op(vm, KVM_SEV_LAUNCH_UPDATE_DATA, &upd, sev,
                             &error), ==, -EBADF);
    g_assert_cmpint(t_sev_op(vm, KVM_SEV_LAUNCH_START, &start, kvm, &error),
                    ==, -EBADF);

    /* Firmware: policies the platform cannot honour, unknown handle. */
    start.policy = 0xff0001;
    g_assert_cmpint(t_sev_op(vm, KVM_SEV_LAUNCH_START, &start, sev, &error),
                    ==, -EIO);
    g_assert_cmpuint(error, ==, SEV_RET_POLICY_FAILURE);
    start.policy = 0x5;
    g_assert_cmpint(t_sev_op(vm, KVM_SEV_LAUNCH_START, &start, sev, &error),
                    ==, -EIO);
    g_assert_cmpuint(error, ==, SEV_RET_POLICY_FAILURE);
    start.policy = 0x1;
    start.handle = 999;
    g_assert_cmpint(t_sev_op(vm, KVM_SEV_LAUNCH_START, &start, sev, &error),
                    ==, -EIO);
    g_assert_cmpuint(error, ==, SEV_RET_INVALID_GUEST);
    start.handle = 0;
    start.dh_uaddr = (uintptr_t)mem;
    start.dh_len = 0x5000;
    g_assert_cmpint(t_sev_op(vm, KVM_SEV_LAUNCH_START, &start, sev, &error),
                    ==, -EINVAL);
    start.dh_uaddr = 0;
    start.dh_len = 0;
    g_assert_cmpint(t_sev_op(vm, KVM_SEV_LAUNCH_START, &start, sev, &error),
                    ==, 0);
    handle = start.handle;
    start.handle = 0;
    g_assert_cmpint(t_sev_op(vm, KVM_SEV_LAUNCH_START, &start, sev, &error),
                    ==, -EIO);
    g_assert_cmpuint(error, ==, SEV_RET_ASID_OWNED);

    /* LUPDATE: no secret, no finish, no report yet. */
    sec = (struct kvm_sev_launch_secret) {
        .hdr_uaddr = (uintptr_t)hdr, .hdr_len = 52,
        .guest_uaddr = (uintptr_t)mem, .guest_len = 16,
        .trans_uaddr = (uintptr_t)trans, .trans_len = 16,
    };
    g_assert_cmpint(t_sev_op(vm, KVM_SEV_LAUNCH_SECRET, &sec, sev, &error),
                    ==, -EIO);
    g_assert_cmpuint(error, ==, SEV_RET_INVALID_GUEST_STATE);
    g_assert_cmpint(t_sev_op(vm, KVM_SEV_LAUNCH_FINISH, NULL, sev, &error),
                    ==, -EIO);
    g_assert_cmpuint(error, ==, SEV_RET_INVALID_GUEST_STATE);
    g_assert_cmpint(t_sev_op(vm, KVM_SEV_GET_ATTESTATION_REPORT, &rep, sev,
                             &error), ==, -EIO);
    g_assert_cmpuint(error, ==, SEV_RET_INVALID_GUEST_STATE);
    g_assert_cmpuint(rep.len, ==, 0);

    /* LAUNCH_UPDATE_DATA: 16-byte alignment, kernel range checks. */
    upd = (struct kvm_sev_launch_update_data) { (uintptr_t)mem + 8, 16 };
    g_assert_cmpint(t_sev_op(vm, KVM_SEV_LAUNCH_UPDATE_DATA, &upd, sev,
                             &error), ==, -EIO);
    g_assert_cmpuint(error, ==, SEV_RET_INVALID_ADDRESS);
    upd = (struct kvm_sev_launch_update_data) { (uintptr_t)mem, 24 };
    g_assert_cmpint(t_sev_op(vm, KVM_SEV_LAUNCH_UPDATE_DATA, &upd, sev,
                             &error), ==, -EIO);
    g_assert_cmpuint(error, ==, SEV_RET_INVALID_LEN);
    upd = (struct kvm_sev_launch_update_data) { (uintptr_t)mem, 0 };
    g_assert_cmpint(t_sev_op(vm, KVM_SEV_LAUNCH_UPDATE_DATA, &upd, sev,
                             &error), ==, -EINVAL);
    upd = (struct kvm_sev_launch_update_data) { (uintptr_t)none, 4096 };
    g_assert_cmpint(t_sev_op(vm, KVM_SEV_LAUNCH_UPDATE_DATA, &upd, sev,
                             &error), ==, -ENOMEM);
    g_assert_cmpint(t_sev_op(vm, KVM_SEV_LAUNCH_UPDATE_VMSA, NULL, sev,
                             &error), ==, -ENOTTY);

    /* A measurement buffer too small, then the real one: LSECRET. */
    meas = (struct kvm_sev_launch_measure) { (uintptr_t)blob, 16 };
    g_assert_cmpint(t_sev_op(vm, KVM_SEV_LAUNCH_MEASURE, &meas, sev, &error),
                    ==, -EIO);
    g_assert_cmpuint(error, ==, SEV_RET_INVALID_LEN);
    g_assert_cmpuint(meas.len, ==, 16);
    t_measure_blob(vm, sev, blob);
    g_checksum_get_digest(empty, digest, &dlen);
    t_measure(digest, 0x1, measure);
    g_assert_cmpmem(blob, 32, measure, 32);
    mhex = t_hex(measure, 32);
    upd = (struct kvm_sev_launch_update_data) { (uintptr_t)mem, 16 };
    g_assert_cmpint(t_sev_op(vm, KVM_SEV_LAUNCH_UPDATE_DATA, &upd, sev,
                             &error), ==, -EIO);
    g_assert_cmpuint(error, ==, SEV_RET_INVALID_GUEST_STATE);
    meas = (struct kvm_sev_launch_measure) { (uintptr_t)blob, 48 };
    g_assert_cmpint(t_sev_op(vm, KVM_SEV_LAUNCH_MEASURE, &meas, sev, &error),
                    ==, -EIO);
    g_assert_cmpuint(error, ==, SEV_RET_INVALID_GUEST_STATE);

    /* Regions and commands KVM rejects by itself. */
    g_assert_cmpint(t_region(vm, false, mem, 0x1000), ==, -EINVAL);
    g_assert_cmpint(t_region(vm, true, mem, 0), ==, -EINVAL);
    g_assert_cmpint(t_sev_op(vm, 99, NULL, sev, &error), ==, -EINVAL);
    g_assert_cmpint(t_sev_op(vm, KVM_SEV_DBG_DECRYPT, NULL, sev, &error), ==,
                    -EINVAL);

    /* Sharing the key of @handle: same policy, no NOKS. */
    vm2 = t_vm_create(kvm);
    g_assert_cmpint(t_sev_op(vm2, KVM_SEV_INIT, NULL, sev, &error), ==, 0);
    start = (struct kvm_sev_launch_start) { .handle = handle, .policy = 0x3 };
    g_assert_cmpint(t_sev_op(vm2, KVM_SEV_LAUNCH_START, &start, sev, &error),
                    ==, -EIO);
    g_assert_cmpuint(error, ==, SEV_RET_POLICY_FAILURE);
    start = (struct kvm_sev_launch_start) { .handle = handle, .policy = 0x1 };
    g_assert_cmpint(t_sev_op(vm2, KVM_SEV_LAUNCH_START, &start, sev, &error),
                    ==, 0);
    handle2 = start.handle;
    g_assert_cmpuint(handle2, !=, handle);
    close(vm2);

    /* KVM reaches the firmware through the fd of LAUNCH_START. */
    close(sev);
    g_assert_cmpint(t_sev_op(vm, KVM_SEV_GUEST_STATUS, &gs, sev, &error),
                    ==, -EBADF);
    close(vm);
    close(kvm);
    munmap(mem, 0x1000);
    munmap(none, 0x1000);

    g_string_append_printf(expect,
        "sev open /dev/sev -> ok\n"
        "sev LAUNCH_START -> errno ENOTTY\n"
        "sev GUEST_STATUS -> errno ENOTTY\n"
        "sev INIT -> ok\n"
        "sev INIT -> errno EINVAL\n"
        "sev LAUNCH_UPDATE_DATA len=16 -> errno EBADF\n"
        "sev LAUNCH_START policy=0x1 handle=0 dh_len=0 session_len=0 -> "
        "errno EBADF\n"
        "sev LAUNCH_START policy=0xff0001 handle=0 dh_len=0 session_len=0 -> "
        "error POLICY_FAILURE(7)\n"
        "sev LAUNCH_START policy=0x5 handle=0 dh_len=0 session_len=0 -> "
        "error POLICY_FAILURE(7)\n"
        "sev LAUNCH_START policy=0x1 handle=999 dh_len=0 session_len=0 -> "
        "error INVALID_GUEST(16)\n"
        "sev LAUNCH_START policy=0x1 handle=0 dh_len=20480 session_len=0 -> "
        "errno EINVAL\n"
        "sev LAUNCH_START policy=0x1 handle=0 dh_len=0 session_len=0 -> ok "
        "handle=%u\n"
        "sev LAUNCH_START policy=0x1 handle=0 dh_len=0 session_len=0 -> "
        "error ASID_OWNED(12)\n"
        "sev LAUNCH_SECRET hdr_len=52 guest_len=16 trans_len=16 -> error "
        "INVALID_GUEST_STATE(2)\n"
        "sev LAUNCH_FINISH -> error INVALID_GUEST_STATE(2)\n"
        "sev GET_ATTESTATION_REPORT len=0 -> error INVALID_GUEST_STATE(2)\n"
        "sev LAUNCH_UPDATE_DATA len=16 -> error INVALID_ADDRESS(9)\n"
        "sev LAUNCH_UPDATE_DATA len=24 -> error INVALID_LENGTH(4)\n"
        "sev LAUNCH_UPDATE_DATA len=0 -> errno EINVAL\n"
        "sev LAUNCH_UPDATE_DATA len=4096 -> errno ENOMEM\n"
        "sev LAUNCH_UPDATE_VMSA -> errno ENOTTY\n"
        "sev LAUNCH_MEASURE len=16 -> error INVALID_LENGTH(4) len=48\n"
        "sev LAUNCH_MEASURE len=48 -> ok measure=%s "
        "mnonce=202122232425262728292a2b2c2d2e2f\n"
        "sev LAUNCH_UPDATE_DATA len=16 -> error INVALID_GUEST_STATE(2)\n"
        "sev LAUNCH_MEASURE len=48 -> error INVALID_GUEST_STATE(2)\n"
        "sev UNREG_REGION size=0x1000 -> errno EINVAL\n"
        "sev REG_REGION size=0x0 -> errno EINVAL\n"
        "sev CMD_99 -> errno EINVAL\n"
        "sev DBG_DECRYPT -> errno EINVAL\n"
        "sev INIT -> ok\n"
        "sev LAUNCH_START policy=0x3 handle=%u dh_len=0 session_len=0 -> "
        "error POLICY_FAILURE(7)\n"
        "sev LAUNCH_START policy=0x1 handle=%u dh_len=0 session_len=0 -> ok "
        "handle=%u\n"
        "sev DECOMMISSION handle=%u -> ok\n"
        "sev GUEST_STATUS -> errno EBADF\n"
        "sev DECOMMISSION handle=%u -> ok\n",
        handle, mhex, handle, handle, handle2, handle2, handle);
    t_assert_log(expect->str);
}

/* The VMSA block the simulator documents for vCPU @id. */
static void vmsa_block(uint32_t id, uint8_t *block)
{
    memset(block, 0, 4096);
    memcpy(block, "CGEMU-HOSTSIM-VMSA", 18);
    for (int i = 0; i < 4; i++) {
        block[32 + i] = id >> (8 * i);
    }
}

static void test_sev_es(void)
{
    g_autoptr(GChecksum) ld = g_checksum_new(G_CHECKSUM_SHA256);
    g_autoptr(GString) expect = g_string_new(NULL);
    g_autofree char *mhex = NULL;
    uint8_t block[4096], digest[32], measure[32], blob[48];
    gsize dlen = 32;
    uint32_t error, handle;
    int kvm, vm, vm2, sev, cpu0, cpu1, cpu2;
    uint8_t *mem;

    kvm = t_kvm_open();
    if (kvm < 0) {
        return;
    }
    t_log_reset();
    vm = t_vm_create(kvm);
    sev = open("/dev/sev", O_RDWR);
    g_assert_cmpint(t_sev_op(vm, KVM_SEV_ES_INIT, NULL, sev, &error), ==, 0);
    cpu0 = ioctl(vm, KVM_CREATE_VCPU, 0);
    cpu1 = ioctl(vm, KVM_CREATE_VCPU, 1);
    g_assert_cmpint(cpu0, >=, 0);
    g_assert_cmpint(cpu1, >=, 0);
    {
        struct kvm_sev_launch_start start = { .policy = 0x5 };

        g_assert_cmpint(t_sev_op(vm, KVM_SEV_LAUNCH_START, &start, sev,
                                 &error), ==, 0);
        handle = start.handle;
    }
    mem = t_map(0x1000, PROT_READ | PROT_WRITE);
    t_fill(mem, 0x1000, 0);
    t_update_data(vm, sev, mem, 0x1000);
    g_checksum_update(ld, mem, 0x1000);
    g_assert_cmpint(t_sev_op(vm, KVM_SEV_LAUNCH_UPDATE_VMSA, NULL, sev,
                             &error), ==, 0);
    for (uint32_t id = 0; id < 2; id++) {
        vmsa_block(id, block);
        g_checksum_update(ld, block, sizeof(block));
    }
    /* The vCPUs' state is encrypted now. */
    g_assert_cmpint(t_sev_op(vm, KVM_SEV_LAUNCH_UPDATE_VMSA, NULL, sev,
                             &error), ==, -EINVAL);
    t_measure_blob(vm, sev, blob);
    g_checksum_get_digest(ld, digest, &dlen);
    t_measure(digest, 0x5, measure);
    g_assert_cmpmem(blob, 32, measure, 32);
    mhex = t_hex(measure, 32);

    /* KVM_SEV_INIT only before the first vCPU. */
    vm2 = t_vm_create(kvm);
    cpu2 = ioctl(vm2, KVM_CREATE_VCPU, 0);
    g_assert_cmpint(cpu2, >=, 0);
    g_assert_cmpint(t_sev_op(vm2, KVM_SEV_INIT, NULL, sev, &error), ==,
                    -EINVAL);
    close(cpu2);
    close(vm2);
    close(cpu0);
    close(cpu1);
    close(vm);
    close(sev);
    close(kvm);
    munmap(mem, 0x1000);

    g_string_append_printf(expect,
        "sev open /dev/sev -> ok\n"
        "sev ES_INIT -> ok\n"
        "sev LAUNCH_START policy=0x5 handle=0 dh_len=0 session_len=0 -> ok "
        "handle=%u\n"
        "sev LAUNCH_UPDATE_DATA len=4096 -> ok sha256="
        "c8f5d0341d54d951a71b136e6e2afcb14d11ed8489a7ae126a8fee0df6ecf193\n"
        "sev LAUNCH_UPDATE_VMSA vcpus=2 -> ok\n"
        "sev LAUNCH_UPDATE_VMSA vcpus=2 -> errno EINVAL\n"
        "sev LAUNCH_MEASURE len=48 -> ok measure=%s "
        "mnonce=202122232425262728292a2b2c2d2e2f\n"
        "sev INIT -> errno EINVAL\n"
        "sev DECOMMISSION handle=%u -> ok\n", handle, mhex, handle);
    t_assert_log(expect->str);
}

/*
 * Real mode: mov eax, 0x8000001f; cpuid; mov eax, ebx; mov dx, 0x10;
 * out dx, eax; hlt.
 */
static const uint8_t guest_code[] = {
    0x66, 0xb8, 0x1f, 0x00, 0x00, 0x80, 0x0f, 0xa2, 0x66, 0x89, 0xd8,
    0xba, 0x10, 0x00, 0x66, 0xef, 0xf4,
};

/* Run @cpu until an exit other than an interruption. */
static struct kvm_run *run_vcpu(int cpu, struct kvm_run *run)
{
    int r;

    do {
        r = ioctl(cpu, KVM_RUN, 0);
    } while ((r < 0 && errno == EINTR) ||
             (r == 0 && run->exit_reason == KVM_EXIT_INTR));
    g_assert_cmpint(r, ==, 0);
    return run;
}

static void test_sev_guest_runs(void)
{
    struct kvm_userspace_memory_region slot;
    g_autofree struct kvm_cpuid2 *cpuid = NULL;
    g_autoptr(GString) expect = g_string_new(NULL);
    g_autofree char *sum = NULL;
    g_autofree char *mhex = NULL;
    struct kvm_sregs sregs;
    struct kvm_regs regs = { .rip = 0x1000, .rflags = 0x2 };
    struct kvm_run *run;
    uint8_t blob[48], digest[32], measure[32];
    uint32_t error, handle, value;
    int kvm, vm, sev, cpu, ret;
    long run_size;
    uint8_t *mem;

    kvm = t_kvm_open();
    if (kvm < 0) {
        return;
    }
    t_log_reset();
    vm = t_vm_create(kvm);
    sev = open("/dev/sev", O_RDWR);
    handle = t_launch_start(vm, sev, KVM_SEV_INIT, 0x1);
    mem = t_map(T_MEM_SIZE, PROT_READ | PROT_WRITE);
    slot = (struct kvm_userspace_memory_region) {
        .slot = 0, .guest_phys_addr = 0, .memory_size = T_MEM_SIZE,
        .userspace_addr = (uintptr_t)mem,
    };
    g_assert_cmpint(ioctl(vm, KVM_SET_USER_MEMORY_REGION, &slot), ==, 0);
    g_assert_cmpint(t_region(vm, true, mem, T_MEM_SIZE), ==, 0);
    memcpy(mem + 0x1000, guest_code, sizeof(guest_code));
    t_update_data(vm, sev, mem + 0x1000, 32);
    t_measure_blob(vm, sev, blob);
    g_assert_cmpint(t_sev_op(vm, KVM_SEV_LAUNCH_FINISH, NULL, sev, &error),
                    ==, 0);

    cpu = ioctl(vm, KVM_CREATE_VCPU, 0);
    g_assert_cmpint(cpu, >=, 0);
    cpuid = t_get_cpuid(kvm, 256, &ret);
    g_assert_cmpint(ret, ==, 0);
    g_assert_cmpint(ioctl(cpu, KVM_SET_CPUID2, cpuid), ==, 0);
    run_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
    g_assert_cmpint(run_size, >, 0);
    run = mmap(NULL, run_size, PROT_READ | PROT_WRITE, MAP_SHARED, cpu, 0);
    g_assert_true(run != MAP_FAILED);
    g_assert_cmpint(ioctl(cpu, KVM_GET_SREGS, &sregs), ==, 0);
    sregs.cs.base = 0;
    sregs.cs.selector = 0;
    g_assert_cmpint(ioctl(cpu, KVM_SET_SREGS, &sregs), ==, 0);
    g_assert_cmpint(ioctl(cpu, KVM_SET_REGS, &regs), ==, 0);

    /* The guest sees the simulated CPUID leaf and reports its EBX. */
    run_vcpu(cpu, run);
    g_assert_cmpuint(run->exit_reason, ==, KVM_EXIT_IO);
    g_assert_cmpuint(run->io.port, ==, 0x10);
    g_assert_cmpuint(run->io.size, ==, 4);
    memcpy(&value, (uint8_t *)run + run->io.data_offset, 4);
    g_assert_cmphex(value, ==, 51 | 1 << 6);
    run_vcpu(cpu, run);
    g_assert_cmpuint(run->exit_reason, ==, KVM_EXIT_HLT);

    munmap(run, run_size);
    close(cpu);
    close(vm);
    close(sev);
    close(kvm);
    {
        gsize dlen = 32;
        GChecksum *ld = g_checksum_new(G_CHECKSUM_SHA256);

        g_checksum_update(ld, mem + 0x1000, 32);
        g_checksum_get_digest(ld, digest, &dlen);
        g_checksum_free(ld);
    }
    t_measure(digest, 0x1, measure);
    g_assert_cmpmem(blob, 32, measure, 32);
    mhex = t_hex(measure, 32);
    sum = t_sha256_hex(mem + 0x1000, 32);
    munmap(mem, T_MEM_SIZE);
    g_string_append_printf(expect,
        "sev open /dev/sev -> ok\n"
        "sev INIT -> ok\n"
        "sev LAUNCH_START policy=0x1 handle=0 dh_len=0 session_len=0 -> ok "
        "handle=%u\n"
        "sev REG_REGION size=0x10000 -> ok\n"
        "sev LAUNCH_UPDATE_DATA len=32 -> ok sha256=%s\n"
        "sev LAUNCH_MEASURE len=48 -> ok measure=%s "
        "mnonce=202122232425262728292a2b2c2d2e2f\n"
        "sev LAUNCH_FINISH -> ok\n"
        "sev GET_SUPPORTED_CPUID -> ok 0x8000001f eax=0x0000000a "
        "ebx=0x00000073\n"
        "sev DECOMMISSION handle=%u -> ok\n", handle, sum, mhex, handle);
    t_assert_log(expect->str);
}


void t_launch_add_tests(void)
{
    g_test_add_func("/hostsim/sev/launch", test_sev_launch);
    g_test_add_func("/hostsim/sev/errors", test_sev_errors);
    g_test_add_func("/hostsim/sev/es", test_sev_es);
    g_test_add_func("/hostsim/sev/guest-runs", test_sev_guest_runs);
}
