/*
 * Host simulator, AMD SEV model: the KVM_MEMORY_ENCRYPT_OP launch commands.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Each command first makes the checks KVM makes (arch/x86/kvm/svm/sev.c:
 * errnos such as ENOTTY before KVM_SEV_INIT, EINVAL for bad lengths,
 * EBADF when the SEV fd is not the SEV device), then plays the firmware:
 * guest state machine, status codes, launch digest and measurement.  Guest
 * memory is left in plaintext, so the guest still runs on this host.
 */
#include "hostsim-sev.h"

#include <errno.h>
#include <nettle/aes.h>
#include <nettle/ctr.h>
#include <string.h>

/* Guest memory is read and hashed in pieces of this size. */
#define SEV_HASH_CHUNK (64 * 1024)

/* Report fields (SEV API, ATTESTATION): signed bytes, then signature. */
#define SEV_REPORT_SIGNED_LEN 0x34
#define SEV_REPORT_SIG_OFF 0x40

static const char *const sev_kvm_cmd_names[] = {
    [KVM_SEV_INIT] = "INIT",
    [KVM_SEV_ES_INIT] = "ES_INIT",
    [KVM_SEV_LAUNCH_START] = "LAUNCH_START",
    [KVM_SEV_LAUNCH_UPDATE_DATA] = "LAUNCH_UPDATE_DATA",
    [KVM_SEV_LAUNCH_UPDATE_VMSA] = "LAUNCH_UPDATE_VMSA",
    [KVM_SEV_LAUNCH_SECRET] = "LAUNCH_SECRET",
    [KVM_SEV_LAUNCH_MEASURE] = "LAUNCH_MEASURE",
    [KVM_SEV_LAUNCH_FINISH] = "LAUNCH_FINISH",
    [KVM_SEV_SEND_START] = "SEND_START",
    [KVM_SEV_SEND_UPDATE_DATA] = "SEND_UPDATE_DATA",
    [KVM_SEV_SEND_UPDATE_VMSA] = "SEND_UPDATE_VMSA",
    [KVM_SEV_SEND_FINISH] = "SEND_FINISH",
    [KVM_SEV_RECEIVE_START] = "RECEIVE_START",
    [KVM_SEV_RECEIVE_UPDATE_DATA] = "RECEIVE_UPDATE_DATA",
    [KVM_SEV_RECEIVE_UPDATE_VMSA] = "RECEIVE_UPDATE_VMSA",
    [KVM_SEV_RECEIVE_FINISH] = "RECEIVE_FINISH",
    [KVM_SEV_GUEST_STATUS] = "GUEST_STATUS",
    [KVM_SEV_DBG_DECRYPT] = "DBG_DECRYPT",
    [KVM_SEV_DBG_ENCRYPT] = "DBG_ENCRYPT",
    [KVM_SEV_CERT_EXPORT] = "CERT_EXPORT",
    [KVM_SEV_GET_ATTESTATION_REPORT] = "GET_ATTESTATION_REPORT",
    [KVM_SEV_SEND_CANCEL] = "SEND_CANCEL",
};

/*
 * KVM's sev_issue_cmd(): later commands reach the firmware through the fd
 * saved at LAUNCH_START (0 before it, which is not the SEV device).  Then
 * CGEMU_HOSTSIM_FAIL may make the firmware fail.  Returns true with *ret
 * set (and the call logged) when the command fails here.
 */
static bool sev_fw_enter(SevCall *c, SevVm *vm, const char *command, int *ret)
{
    if (!sev_is_device_fd(vm->sev_fd)) {
        *ret = sev_call_errno(c, EBADF, false);
        return true;
    }
    if (sev_call_fault(c, command, ret)) {
        return true;
    }
    if (!vm->handle) {
        *ret = sev_call_fw_error(c, SEV_RET_INVALID_GUEST, false, NULL);
        return true;
    }
    return false;
}

/* psp_copy_user_blob(): the kernel's copy of a blob for the firmware. */
static int sev_copy_blob(uint64_t uaddr, uint32_t len, uint8_t **out)
{
    g_autofree uint8_t *blob = NULL;

    if (!uaddr || !len || len > SEV_FW_BLOB_MAX_SIZE) {
        return -EINVAL;
    }
    blob = g_malloc(len);
    if (hostsim_read_user(blob, uaddr, len) < 0) {
        return -EFAULT;
    }
    if (out) {
        *out = g_steal_pointer(&blob);
    }
    return 0;
}

/* sev_pin_memory(): a valid range whose pages can all be pinned. */
static int sev_check_pin(uint64_t uaddr, uint64_t len)
{
    if (len == 0 || uaddr + len < uaddr) {
        return -EINVAL;
    }
    return sev_range_mapped(uaddr, len) ? 0 : -ENOMEM;
}

static int sev_cmd_init(HostsimFd *fd, SevVm *vm, struct kvm_sev_cmd *cmd,
                        bool es)
{
    const char *name = es ? "ES_INIT" : "INIT";
    SevCall c;
    int ret;

    sev_call_begin(&c, &cmd->error, "%s", name);
    if (es && !sev_config()->es) {
        return sev_call_errno(&c, ENOTTY, false);
    }
    if (hostsim_vm_vcpu_ids(fd)->len || vm->active) {
        return sev_call_errno(&c, EINVAL, false);
    }
    if (sev_call_fault(&c, name, &ret)) {
        return ret;
    }
    vm->active = true;
    vm->es = es;
    return sev_call_ok(&c, NULL);
}

static int sev_cmd_launch_start(SevVm *vm, struct kvm_sev_cmd *cmd)
{
    const SevConfig *cfg = sev_config();
    struct kvm_sev_launch_start p;
    SevVm *other;
    uint32_t handle;
    SevCall c;
    int ret;

    sev_call_begin(&c, &cmd->error, "LAUNCH_START");
    if (!vm->active) {
        return sev_call_errno(&c, ENOTTY, false);
    }
    if (hostsim_read_user(&p, cmd->data, sizeof(p)) < 0) {
        return sev_call_errno(&c, EFAULT, false);
    }
    g_string_append_printf(c.line, " policy=0x%x handle=%u dh_len=%u "
                           "session_len=%u", p.policy, p.handle, p.dh_len,
                           p.session_len);
    if ((p.dh_uaddr && (ret = sev_copy_blob(p.dh_uaddr, p.dh_len, NULL))) ||
        (p.session_uaddr &&
         (ret = sev_copy_blob(p.session_uaddr, p.session_len, NULL)))) {
        return sev_call_errno(&c, -ret, false);
    }
    /* LAUNCH_START goes through the fd given with this very command. */
    if (!sev_is_device_fd(cmd->sev_fd)) {
        return sev_call_errno(&c, EBADF, false);
    }
    if (sev_call_fault(&c, "LAUNCH_START", &ret)) {
        return ret;
    }
    /* Sharing the key of guest @handle needs its policy, and no NOKS. */
    if (p.handle) {
        other = sev_platform_guest(p.handle);
        if (!other) {
            return sev_call_fw_error(&c, SEV_RET_INVALID_GUEST, false, NULL);
        }
        if (other->policy != p.policy || (p.policy & SEV_POLICY_NOKS)) {
            return sev_call_fw_error(&c, SEV_RET_POLICY_FAILURE, false, NULL);
        }
    }
    /* The policy may not ask for a newer API or for ES the platform lacks. */
    if (SEV_POLICY_API_MAJOR(p.policy) > cfg->api_major ||
        (SEV_POLICY_API_MAJOR(p.policy) == cfg->api_major &&
         SEV_POLICY_API_MINOR(p.policy) > cfg->api_minor) ||
        ((p.policy & SEV_POLICY_ES) && !cfg->es)) {
        return sev_call_fw_error(&c, SEV_RET_POLICY_FAILURE, false, NULL);
    }
    /*
     * KVM then binds the VM's ASID (ACTIVATE): an ES policy needs an ES
     * ASID (KVM_SEV_ES_INIT) and the reverse, and a VM's ASID carries one
     * guest only; on failure KVM decommissions the new guest.
     */
    if (!!(p.policy & SEV_POLICY_ES) != vm->es) {
        return sev_call_fw_error(&c, SEV_RET_POLICY_FAILURE, false, NULL);
    }
    if (vm->handle) {
        return sev_call_fw_error(&c, SEV_RET_ASID_OWNED, false, NULL);
    }
    handle = sev_platform_guest_add(vm);
    p.handle = handle;
    if (hostsim_write_user(cmd->data, &p, sizeof(p)) < 0) {
        sev_platform_guest_remove(handle);
        return sev_call_errno(&c, EFAULT, false);
    }
    vm->handle = handle;
    vm->policy = p.policy;
    vm->sev_fd = cmd->sev_fd;
    vm->state = SEV_GSTATE_LUPDATE;
    vm->ld = g_checksum_new(G_CHECKSUM_SHA256);
    return sev_call_ok(&c, "handle=%u", handle);
}

static int sev_cmd_update_data(SevVm *vm, struct kvm_sev_cmd *cmd)
{
    struct kvm_sev_launch_update_data p;
    g_autoptr(GChecksum) ld = NULL;
    g_autoptr(GChecksum) piece = NULL;
    g_autofree uint8_t *buf = NULL;
    g_autofree char *hex = NULL;
    uint8_t sum[SEV_DIGEST_LEN];
    gsize sum_len = sizeof(sum);
    SevCall c;
    int ret;

    sev_call_begin(&c, &cmd->error, "LAUNCH_UPDATE_DATA");
    if (!vm->active) {
        return sev_call_errno(&c, ENOTTY, false);
    }
    if (hostsim_read_user(&p, cmd->data, sizeof(p)) < 0) {
        return sev_call_errno(&c, EFAULT, false);
    }
    g_string_append_printf(c.line, " len=%u", p.len);
    if (p.len == 0 || p.uaddr + p.len < p.uaddr) {
        return sev_call_errno(&c, EINVAL, false);
    }
    /* Read (KVM pins) the whole range; the digest is kept only on success. */
    ld = vm->ld ? g_checksum_copy(vm->ld) : NULL;
    /* The digest of this piece is only for the log: skip it without. */
    piece = hostsim_log_enabled() ? g_checksum_new(G_CHECKSUM_SHA256) : NULL;
    buf = g_malloc(MIN(p.len, SEV_HASH_CHUNK));
    for (uint32_t off = 0; off < p.len; off += SEV_HASH_CHUNK) {
        uint32_t n = MIN(p.len - off, SEV_HASH_CHUNK);

        if (hostsim_read_user(buf, p.uaddr + off, n) < 0) {
            return sev_call_errno(&c, ENOMEM, false);
        }
        if (piece) {
            g_checksum_update(piece, buf, n);
        }
        if (ld) {
            g_checksum_update(ld, buf, n);
        }
    }
    if (sev_fw_enter(&c, vm, "LAUNCH_UPDATE_DATA", &ret)) {
        return ret;
    }
    if (vm->state != SEV_GSTATE_LUPDATE) {
        return sev_call_fw_error(&c, SEV_RET_INVALID_GUEST_STATE, false, NULL);
    }
    /* The firmware works on 16-byte blocks: address and length aligned. */
    if (p.uaddr % 16) {
        return sev_call_fw_error(&c, SEV_RET_INVALID_ADDRESS, false, NULL);
    }
    if (p.len % 16) {
        return sev_call_fw_error(&c, SEV_RET_INVALID_LEN, false, NULL);
    }
    g_checksum_free(vm->ld);
    vm->ld = g_steal_pointer(&ld);
    if (!piece) {
        return sev_call_ok(&c, NULL);
    }
    g_checksum_get_digest(piece, sum, &sum_len);
    hex = hostsim_hex(sum, sizeof(sum));
    return sev_call_ok(&c, "sha256=%s", hex);
}

static int sev_cmd_update_vmsa(HostsimFd *fd, SevVm *vm,
                               struct kvm_sev_cmd *cmd)
{
    const GArray *ids = hostsim_vm_vcpu_ids(fd);
    g_autofree uint8_t *block = NULL;
    SevCall c;
    int ret;

    sev_call_begin(&c, &cmd->error, "LAUNCH_UPDATE_VMSA");
    if (!vm->active || !vm->es) {
        return sev_call_errno(&c, ENOTTY, false);
    }
    g_string_append_printf(c.line, " vcpus=%u", ids->len);
    /* KVM loops over the vCPUs: with none, the firmware is not called. */
    if (ids->len == 0) {
        return sev_call_ok(&c, NULL);
    }
    /* The first vCPU's state is already encrypted. */
    if (vm->vmsa_done) {
        return sev_call_errno(&c, EINVAL, false);
    }
    if (sev_fw_enter(&c, vm, "LAUNCH_UPDATE_VMSA", &ret)) {
        return ret;
    }
    if (vm->state != SEV_GSTATE_LUPDATE) {
        return sev_call_fw_error(&c, SEV_RET_INVALID_GUEST_STATE, false, NULL);
    }
    block = g_malloc(SEV_VMSA_LEN);
    for (guint i = 0; i < ids->len; i++) {
        sev_vmsa_block(g_array_index(ids, guint32, i), block);
        g_checksum_update(vm->ld, block, SEV_VMSA_LEN);
    }
    vm->vmsa_done = true;
    return sev_call_ok(&c, NULL);
}

/*
 * SEV API, LAUNCH_MEASURE:
 * MEASURE = HMAC-SHA256(0x04 || API_MAJOR || API_MINOR || BUILD ||
 *                       POLICY (32-bit LE) || LD || MNONCE; TIK)
 */
static void sev_measure(SevVm *vm)
{
    const SevConfig *cfg = sev_config();
    uint8_t head[4] = { 0x04, cfg->api_major, cfg->api_minor, cfg->build };
    uint8_t policy[4];
    gsize len = SEV_DIGEST_LEN;
    GHmac *hmac;

    g_checksum_get_digest(vm->ld, vm->digest, &len);
    g_checksum_free(vm->ld);
    vm->ld = NULL;
    sev_put_le32(policy, vm->policy);
    hmac = g_hmac_new(G_CHECKSUM_SHA256, cfg->tik, SEV_KEY_LEN);
    g_hmac_update(hmac, head, sizeof(head));
    g_hmac_update(hmac, policy, sizeof(policy));
    g_hmac_update(hmac, vm->digest, SEV_DIGEST_LEN);
    g_hmac_update(hmac, cfg->mnonce, SEV_NONCE_LEN);
    len = SEV_MEASURE_LEN;
    g_hmac_get_digest(hmac, vm->measure, &len);
    g_hmac_unref(hmac);
}

/*
 * The kernel's length protocol shared by LAUNCH_MEASURE and
 * GET_ATTESTATION_REPORT: with len 0 the firmware reports the length it
 * needs and KVM writes it back even though the command failed.
 */
typedef struct SevBlobArg {
    uint64_t data;   /* where the {uaddr, len} argument lives */
    uint64_t uaddr;
    uint32_t *len;   /* the len field of the argument */
    size_t arg_size;
    void *arg;
} SevBlobArg;

static int sev_blob_query_done(SevBlobArg *b, uint32_t fw_len, int ret)
{
    *b->len = fw_len;
    if (hostsim_write_user(b->data, b->arg, b->arg_size) < 0) {
        return -EFAULT;
    }
    return ret;
}

static int sev_blob_out(SevCall *c, SevBlobArg *b, const uint8_t *blob,
                        uint32_t blob_len, const char *outputs)
{
    g_autofree uint8_t *padded = g_malloc0(*b->len);

    memcpy(padded, blob, MIN(blob_len, *b->len));
    if (hostsim_write_user(b->uaddr, padded, *b->len) < 0) {
        return sev_call_errno(c, EFAULT, false);
    }
    *b->len = blob_len;
    if (hostsim_write_user(b->data, b->arg, b->arg_size) < 0) {
        return sev_call_errno(c, EFAULT, false);
    }
    return outputs ? sev_call_ok(c, "%s", outputs) : sev_call_ok(c, NULL);
}

static int sev_cmd_measure(SevVm *vm, struct kvm_sev_cmd *cmd)
{
    struct kvm_sev_launch_measure p;
    SevBlobArg b = { .data = cmd->data, .len = &p.len,
                     .arg_size = sizeof(p), .arg = &p };
    uint8_t blob[SEV_MEASURE_BLOB_LEN];
    g_autofree char *outputs = NULL;
    g_autofree char *mhex = NULL;
    g_autofree char *nhex = NULL;
    uint32_t fw_len = 0;
    bool query;
    SevCall c;
    int ret;

    sev_call_begin(&c, &cmd->error, "LAUNCH_MEASURE");
    if (!vm->active) {
        return sev_call_errno(&c, ENOTTY, false);
    }
    if (hostsim_read_user(&p, cmd->data, sizeof(p)) < 0) {
        return sev_call_errno(&c, EFAULT, false);
    }
    g_string_append_printf(c.line, " len=%u", p.len);
    query = p.len == 0;
    b.uaddr = p.uaddr;
    if (!query && p.uaddr) {
        if (p.len > SEV_FW_BLOB_MAX_SIZE) {
            return sev_call_errno(&c, EINVAL, false);
        }
        fw_len = p.len;
    }
    if (sev_fw_enter(&c, vm, "LAUNCH_MEASURE", &ret)) {
        return query ? sev_blob_query_done(&b, 0, ret) : ret;
    }
    if (vm->state != SEV_GSTATE_LUPDATE) {
        ret = sev_call_fw_error(&c, SEV_RET_INVALID_GUEST_STATE, false, NULL);
        return query ? sev_blob_query_done(&b, 0, ret) : ret;
    }
    if (fw_len < SEV_MEASURE_BLOB_LEN) {
        ret = sev_call_fw_error(&c, SEV_RET_INVALID_LEN, false, "len=%u",
                                SEV_MEASURE_BLOB_LEN);
        return query ? sev_blob_query_done(&b, SEV_MEASURE_BLOB_LEN, ret)
                     : ret;
    }
    sev_measure(vm);
    vm->state = SEV_GSTATE_LSECRET;
    memcpy(blob, vm->measure, SEV_MEASURE_LEN);
    memcpy(blob + SEV_MEASURE_LEN, sev_config()->mnonce, SEV_NONCE_LEN);
    mhex = hostsim_hex(vm->measure, SEV_MEASURE_LEN);
    nhex = hostsim_hex(sev_config()->mnonce, SEV_NONCE_LEN);
    outputs = g_strdup_printf("measure=%s mnonce=%s", mhex, nhex);
    return sev_blob_out(&c, &b, blob, sizeof(blob), outputs);
}

/*
 * SEV API, LAUNCH_SECRET: the header is FLAGS (4) || IV (16) || MAC (32),
 * MAC = HMAC-SHA256(0x01 || FLAGS || IV || GUEST_LENGTH || TRANS_LENGTH ||
 *                   DATA || MEASURE; TIK), DATA the encrypted packet
 * (AES-128-CTR with TEK and IV), lengths 32-bit little-endian.
 */
static bool sev_secret_mac_ok(SevVm *vm, const uint8_t *hdr,
                              const uint8_t *trans, uint32_t guest_len,
                              uint32_t trans_len)
{
    uint8_t mac[SEV_MEASURE_LEN];
    gsize mac_len = sizeof(mac);
    uint8_t one = 0x01, lens[8];
    GHmac *hmac = g_hmac_new(G_CHECKSUM_SHA256, sev_config()->tik,
                             SEV_KEY_LEN);

    sev_put_le32(lens, guest_len);
    sev_put_le32(lens + 4, trans_len);
    g_hmac_update(hmac, &one, 1);
    g_hmac_update(hmac, hdr, 20);
    g_hmac_update(hmac, lens, sizeof(lens));
    g_hmac_update(hmac, trans, trans_len);
    g_hmac_update(hmac, vm->measure, SEV_MEASURE_LEN);
    g_hmac_get_digest(hmac, mac, &mac_len);
    g_hmac_unref(hmac);
    return memcmp(mac, hdr + 20, sizeof(mac)) == 0;
}

static void sev_aes_encrypt(const void *ctx, size_t len, uint8_t *dst,
                            const uint8_t *src)
{
    aes128_encrypt(ctx, len, dst, src);
}

static int sev_cmd_secret(SevVm *vm, struct kvm_sev_cmd *cmd)
{
    struct kvm_sev_launch_secret p;
    g_autofree uint8_t *trans = NULL;
    g_autofree uint8_t *hdr = NULL;
    g_autofree uint8_t *plain = NULL;
    struct aes128_ctx aes;
    uint8_t ctr[16];
    SevCall c;
    int ret;

    sev_call_begin(&c, &cmd->error, "LAUNCH_SECRET");
    if (!vm->active) {
        return sev_call_errno(&c, ENOTTY, false);
    }
    if (hostsim_read_user(&p, cmd->data, sizeof(p)) < 0) {
        return sev_call_errno(&c, EFAULT, false);
    }
    g_string_append_printf(c.line, " hdr_len=%u guest_len=%u trans_len=%u",
                           p.hdr_len, p.guest_len, p.trans_len);
    if ((ret = sev_check_pin(p.guest_uaddr, p.guest_len)) ||
        (ret = sev_copy_blob(p.trans_uaddr, p.trans_len, &trans)) ||
        (ret = sev_copy_blob(p.hdr_uaddr, p.hdr_len, &hdr))) {
        return sev_call_errno(&c, -ret, false);
    }
    if (sev_fw_enter(&c, vm, "LAUNCH_SECRET", &ret)) {
        return ret;
    }
    if (vm->state != SEV_GSTATE_LSECRET) {
        return sev_call_fw_error(&c, SEV_RET_INVALID_GUEST_STATE, false, NULL);
    }
    if (p.guest_uaddr % 16) {
        return sev_call_fw_error(&c, SEV_RET_INVALID_ADDRESS, false, NULL);
    }
    if (p.hdr_len != SEV_SECRET_HDR_LEN || p.guest_len % 16 ||
        p.trans_len != p.guest_len) {
        return sev_call_fw_error(&c, SEV_RET_INVALID_LEN, false, NULL);
    }
    /* FLAGS.COMPRESSED (bit 0) is not modelled, the rest is reserved. */
    if (hdr[0] | hdr[1] | hdr[2] | hdr[3]) {
        return sev_call_fw_error(&c, SEV_RET_INVALID_PARAM, false, NULL);
    }
    if (!sev_secret_mac_ok(vm, hdr, trans, p.guest_len, p.trans_len)) {
        return sev_call_fw_error(&c, SEV_RET_BAD_MEASUREMENT, false, NULL);
    }
    plain = g_malloc(p.trans_len);
    aes128_set_encrypt_key(&aes, sev_config()->tek);
    memcpy(ctr, hdr + 4, sizeof(ctr));
    ctr_crypt(&aes, sev_aes_encrypt, AES_BLOCK_SIZE, ctr, p.trans_len, plain,
              trans);
    /* A page KVM could not have pinned for writing. */
    if (hostsim_write_user(p.guest_uaddr, plain, p.guest_len) < 0) {
        return sev_call_errno(&c, ENOMEM, false);
    }
    return sev_call_ok(&c, NULL);
}

static int sev_cmd_finish(SevVm *vm, struct kvm_sev_cmd *cmd)
{
    SevCall c;
    int ret;

    sev_call_begin(&c, &cmd->error, "LAUNCH_FINISH");
    if (!vm->active) {
        return sev_call_errno(&c, ENOTTY, false);
    }
    if (sev_fw_enter(&c, vm, "LAUNCH_FINISH", &ret)) {
        return ret;
    }
    if (vm->state != SEV_GSTATE_LSECRET) {
        return sev_call_fw_error(&c, SEV_RET_INVALID_GUEST_STATE, false, NULL);
    }
    vm->state = SEV_GSTATE_RUNNING;
    return sev_call_ok(&c, NULL);
}

static int sev_cmd_status(SevVm *vm, struct kvm_sev_cmd *cmd)
{
    struct kvm_sev_guest_status st;
    SevCall c;
    int ret;

    sev_call_begin(&c, &cmd->error, "GUEST_STATUS");
    if (!vm->active) {
        return sev_call_errno(&c, ENOTTY, false);
    }
    if (sev_fw_enter(&c, vm, "GUEST_STATUS", &ret)) {
        return ret;
    }
    st.handle = vm->handle;
    st.policy = vm->policy;
    st.state = vm->state;
    cmd->error = SEV_RET_SUCCESS;
    if (hostsim_write_user(cmd->data, &st, sizeof(st)) < 0) {
        return sev_call_errno(&c, EFAULT, false);
    }
    return sev_call_ok(&c, "handle=%u policy=0x%x state=%s", st.handle,
                       st.policy, sev_gstate_name(vm->state));
}

/*
 * SEV API, ATTESTATION (API 0.23 and later): MNONCE (16) || LAUNCH_DIGEST
 * (32) || POLICY (4) || SIG_USAGE (4) || SIG_ALGO (4) || reserved (4) ||
 * SIG (144).  The simulator's signature: SHA-256 of the first 0x34 bytes
 * in the first 32 bytes of SIG, the rest zero.
 */
static void sev_report(SevVm *vm, const uint8_t *mnonce, uint8_t *report)
{
    GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
    gsize len = SEV_DIGEST_LEN;

    memset(report, 0, SEV_REPORT_LEN);
    memcpy(report, mnonce, SEV_NONCE_LEN);
    memcpy(report + 0x10, vm->digest, SEV_DIGEST_LEN);
    sev_put_le32(report + 0x30, vm->policy);
    sev_put_le32(report + 0x34, 0x1002); /* signed with the PEK */
    sev_put_le32(report + 0x38, 0x2);    /* ECDSA with SHA-256 */
    g_checksum_update(sum, report, SEV_REPORT_SIGNED_LEN);
    g_checksum_get_digest(sum, report + SEV_REPORT_SIG_OFF, &len);
    g_checksum_free(sum);
}

static int sev_cmd_report(SevVm *vm, struct kvm_sev_cmd *cmd)
{
    const SevConfig *cfg = sev_config();
    struct kvm_sev_attestation_report p;
    SevBlobArg b = { .data = cmd->data, .len = &p.len,
                     .arg_size = sizeof(p), .arg = &p };
    uint8_t mnonce[SEV_NONCE_LEN] = { 0 };
    uint8_t report[SEV_REPORT_LEN];
    uint32_t fw_len = 0;
    bool query;
    SevCall c;
    int ret;

    sev_call_begin(&c, &cmd->error, "GET_ATTESTATION_REPORT");
    if (!vm->active) {
        return sev_call_errno(&c, ENOTTY, false);
    }
    if (hostsim_read_user(&p, cmd->data, sizeof(p)) < 0) {
        return sev_call_errno(&c, EFAULT, false);
    }
    g_string_append_printf(c.line, " len=%u", p.len);
    query = p.len == 0;
    b.uaddr = p.uaddr;
    if (!query && p.uaddr) {
        if (p.len > SEV_FW_BLOB_MAX_SIZE) {
            return sev_call_errno(&c, EINVAL, false);
        }
        fw_len = p.len;
        memcpy(mnonce, p.mnonce, SEV_NONCE_LEN);
    }
    if (sev_fw_enter(&c, vm, "GET_ATTESTATION_REPORT", &ret)) {
        return query ? sev_blob_query_done(&b, 0, ret) : ret;
    }
    if (cfg->api_major == 0 && cfg->api_minor < 23) {
        ret = sev_call_fw_error(&c, SEV_RET_INVALID_COMMAND, false, NULL);
        return query ? sev_blob_query_done(&b, 0, ret) : ret;
    }
    if (vm->state != SEV_GSTATE_LSECRET && vm->state != SEV_GSTATE_RUNNING) {
        ret = sev_call_fw_error(&c, SEV_RET_INVALID_GUEST_STATE, false, NULL);
        return query ? sev_blob_query_done(&b, 0, ret) : ret;
    }
    if (fw_len < SEV_REPORT_LEN) {
        ret = sev_call_fw_error(&c, SEV_RET_INVALID_LEN, false, "len=%u",
                                SEV_REPORT_LEN);
        return query ? sev_blob_query_done(&b, SEV_REPORT_LEN, ret) : ret;
    }
    sev_report(vm, mnonce, report);
    return sev_blob_out(&c, &b, report, sizeof(report), NULL);
}

int sev_kvm_encrypt_op(HostsimFd *fd, SevVm *vm, void *arg)
{
    struct kvm_sev_cmd cmd;
    SevCall c;
    int ret;

    /* KVM accepts a NULL argument as a no-op. */
    if (!arg) {
        return 0;
    }
    if (hostsim_read_user(&cmd, (uintptr_t)arg, sizeof(cmd)) < 0) {
        sev_call_begin(&c, NULL, "MEMORY_ENCRYPT_OP");
        return sev_call_errno(&c, EFAULT, false);
    }
    switch (cmd.id) {
    case KVM_SEV_INIT:
    case KVM_SEV_ES_INIT:
        ret = sev_cmd_init(fd, vm, &cmd, cmd.id == KVM_SEV_ES_INIT);
        break;
    case KVM_SEV_LAUNCH_START:
        ret = sev_cmd_launch_start(vm, &cmd);
        break;
    case KVM_SEV_LAUNCH_UPDATE_DATA:
        ret = sev_cmd_update_data(vm, &cmd);
        break;
    case KVM_SEV_LAUNCH_UPDATE_VMSA:
        ret = sev_cmd_update_vmsa(fd, vm, &cmd);
        break;
    case KVM_SEV_LAUNCH_MEASURE:
        ret = sev_cmd_measure(vm, &cmd);
        break;
    case KVM_SEV_LAUNCH_SECRET:
        ret = sev_cmd_secret(vm, &cmd);
        break;
    case KVM_SEV_LAUNCH_FINISH:
        ret = sev_cmd_finish(vm, &cmd);
        break;
    case KVM_SEV_GUEST_STATUS:
        ret = sev_cmd_status(vm, &cmd);
        break;
    case KVM_SEV_GET_ATTESTATION_REPORT:
        ret = sev_cmd_report(vm, &cmd);
        break;
    default:
        /* Migration and debug commands are not modelled. */
        if (cmd.id < G_N_ELEMENTS(sev_kvm_cmd_names) &&
            sev_kvm_cmd_names[cmd.id]) {
            sev_call_begin(&c, NULL, "%s", sev_kvm_cmd_names[cmd.id]);
        } else {
            sev_call_begin(&c, NULL, "CMD_%u", cmd.id);
        }
        return sev_call_errno(&c, EINVAL, false);
    }
    /* KVM copies the command back for its error field. */
    if (hostsim_write_user((uintptr_t)arg, &cmd, sizeof(cmd)) < 0) {
        return -EFAULT;
    }
    return ret;
}
