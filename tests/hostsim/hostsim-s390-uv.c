/*
 * Host simulator, IBM Z model: the Ultravisor behind KVM_S390_PV_COMMAND.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A state machine per VM: ENABLE, SET_SEC_PARMS (the SE header's magic,
 * version and lengths checked), UNPACK of whole pages (each page once,
 * its address, tweak and contents folded into digests), VERIFY (the page
 * count and the three digests must equal the header's), then protected
 * until DISABLE.  PREP_RESET and UNSHARE_ALL change nothing modelled.
 * The real Ultravisor's interface is not public: the checks follow the
 * kernel's documentation, the return codes and the digest scheme are
 * this model's own (docs/devel/hostsim.rst).
 */
#include "hostsim-s390.h"

#include "../../include/target/s390x/kvm-s390-abi.h"

#include <errno.h>
#include <string.h>

#define M (&hostsim_s390_model)
#define PAGE 4096ull
/* The kernel takes an SE header of at most two pages. */
#define PV_HEADER_MAX (2 * PAGE)

/* The SE header as this model reads it (big-endian fields). */
#define SE_MAGIC "IBMSecEx"
#define SE_VERSION 0x00000100u
#define SE_OFF_VERSION 8
#define SE_OFF_PHS 12
#define SE_OFF_NKS 32
#define SE_OFF_SEA 40
#define SE_OFF_NEP 48
#define SE_OFF_PLD 224
#define SE_OFF_ALD 288
#define SE_OFF_TLD 352
#define SE_FIXED 416            /* up to the key slots */
#define SE_KEY_SLOT 80
#define SE_TAG 16
#define SE_DIGEST S390_SE_DIGEST

/* The model's Ultravisor return codes (UVC rc). */
#define UV_RC_OK 0x0001
#define UV_RC_STATE 0x0100
#define UV_RC_MAGIC 0x0102
#define UV_RC_VERSION 0x0103
#define UV_RC_LENGTH 0x0104
#define UV_RC_CONTENT 0x0105
#define UV_RC_ADDRESS 0x0106
#define UV_RC_UNPACKED 0x0107
#define UV_RC_VERIFY 0x0108
#define UV_RC_RESOURCE 0x0109

static const struct {
    const char *name;
    uint32_t rc;
} uv_rcs[] = {
    { "INVALID_STATE", UV_RC_STATE },
    { "HEADER_MAGIC", UV_RC_MAGIC },
    { "HEADER_VERSION", UV_RC_VERSION },
    { "HEADER_LENGTH", UV_RC_LENGTH },
    { "HEADER_CONTENT", UV_RC_CONTENT },
    { "PAGE_ADDRESS", UV_RC_ADDRESS },
    { "PAGE_UNPACKED", UV_RC_UNPACKED },
    { "VERIFY_FAILED", UV_RC_VERIFY },
    { "NO_RESOURCES", UV_RC_RESOURCE },
};

void hostsim_s390_uv_init(S390Uv *uv)
{
    memset(uv, 0, sizeof(*uv));
    uv->unpacked = g_hash_table_new_full(g_int64_hash, g_int64_equal,
                                         g_free, NULL);
}

void hostsim_s390_uv_clear(S390Uv *uv)
{
    uv->state = UV_OFF;
    uv->pages = 0;
    uv->nep = 0;
    g_clear_pointer(&uv->pld_sum, g_checksum_free);
    g_clear_pointer(&uv->ald_sum, g_checksum_free);
    g_clear_pointer(&uv->tld_sum, g_checksum_free);
    g_hash_table_remove_all(uv->unpacked);
}

void hostsim_s390_uv_destroy(S390Uv *uv)
{
    hostsim_s390_uv_clear(uv);
    g_clear_pointer(&uv->unpacked, g_hash_table_unref);
}

static const char *const cmd_names[] = {
    [KVM_PV_ENABLE] = "ENABLE",
    [KVM_PV_DISABLE] = "DISABLE",
    [KVM_PV_SET_SEC_PARMS] = "SET_SEC_PARMS",
    [KVM_PV_UNPACK] = "UNPACK",
    [KVM_PV_VERIFY] = "VERIFY",
    [KVM_PV_PREP_RESET] = "PREP_RESET",
    [KVM_PV_UNSHARE_ALL] = "UNSHARE_ALL",
};

static const char *rc_name(uint32_t rc)
{
    for (size_t i = 0; i < G_N_ELEMENTS(uv_rcs); i++) {
        if (uv_rcs[i].rc == rc) {
            return uv_rcs[i].name;
        }
    }
    return "UV";
}

bool hostsim_s390_uv_parse_status(const char *name, uint32_t *status)
{
    for (size_t i = 0; i < G_N_ELEMENTS(uv_rcs); i++) {
        if (strcmp(uv_rcs[i].name, name) == 0) {
            *status = uv_rcs[i].rc;
            return true;
        }
    }
    return false;
}

static uint64_t be64(const uint8_t *p)
{
    uint64_t v = 0;

    for (int i = 0; i < 8; i++) {
        v = v << 8 | p[i];
    }
    return v;
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
           (uint32_t)p[2] << 8 | p[3];
}

static void put_be64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++) {
        p[i] = (uint8_t)(v >> (56 - 8 * i));
    }
}

/* One PV command's outcome: what the kernel returns and the UV said. */
typedef struct {
    int ret;                    /* 0 or -errno */
    uint16_t rc, rrc;
    bool injected;
} Outcome;

/* A UV failure: the kernel reports it as @err with the UV's codes. */
static Outcome uv_fail(int err, uint16_t rc, uint16_t rrc)
{
    return (Outcome){ .ret = -err, .rc = rc, .rrc = rrc };
}

/* The SE header checks (SET_SEC_PARMS). */
static Outcome uv_set_sec_parms(S390Uv *uv, const uint8_t *h,
                                uint64_t len)
{
    uint64_t nks, sea, phs;

    if (uv->state != UV_ENABLED) {
        return uv_fail(EINVAL, UV_RC_STATE, 0);
    }
    if (len < SE_FIXED + SE_TAG || memcmp(h, SE_MAGIC, 8) != 0) {
        return uv_fail(EINVAL, len < 8 ? UV_RC_LENGTH : UV_RC_MAGIC, 0);
    }
    if (be32(h + SE_OFF_VERSION) != SE_VERSION) {
        return uv_fail(EINVAL, UV_RC_VERSION, 0);
    }
    phs = be32(h + SE_OFF_PHS);
    if (phs != len) {
        return uv_fail(EINVAL, UV_RC_LENGTH, 1);
    }
    nks = be64(h + SE_OFF_NKS);
    sea = be64(h + SE_OFF_SEA);
    if (nks == 0 || nks > 64 || sea > PV_HEADER_MAX ||
        phs != SE_FIXED + nks * SE_KEY_SLOT + sea + SE_TAG) {
        return uv_fail(EINVAL, UV_RC_CONTENT, 0);
    }
    uv->nep = be64(h + SE_OFF_NEP);
    memcpy(uv->pld, h + SE_OFF_PLD, SE_DIGEST);
    memcpy(uv->ald, h + SE_OFF_ALD, SE_DIGEST);
    memcpy(uv->tld, h + SE_OFF_TLD, SE_DIGEST);
    uv->pld_sum = g_checksum_new(G_CHECKSUM_SHA512);
    uv->ald_sum = g_checksum_new(G_CHECKSUM_SHA512);
    uv->tld_sum = g_checksum_new(G_CHECKSUM_SHA512);
    uv->pages = 0;
    uv->state = UV_PARMS;
    return (Outcome){ 0 };
}

/* The kernel unpacks page by page: the UV sees tweak prefix and offset. */
static Outcome uv_unpack(FakeKvmVm *vm, S390Uv *uv,
                         const struct kvm_s390_pv_unp *u, uint64_t *done)
{
    *done = 0;
    if (uv->state != UV_PARMS) {
        return uv_fail(EINVAL, UV_RC_STATE, 0);
    }
    for (uint64_t off = 0; off < u->size; off += PAGE) {
        uint64_t gpa = u->addr + off;
        uint8_t page[PAGE], buf[16];

        if (!fakekvm_guest_read(vm, gpa, page, sizeof(page))) {
            return uv_fail(EINVAL, UV_RC_ADDRESS, 0);
        }
        if (g_hash_table_contains(uv->unpacked, &gpa)) {
            return uv_fail(EINVAL, UV_RC_UNPACKED, 0);
        }
        g_hash_table_add(uv->unpacked, g_memdup2(&gpa, sizeof(gpa)));
        put_be64(buf, gpa);
        g_checksum_update(uv->ald_sum, buf, 8);
        put_be64(buf, u->tweak);
        put_be64(buf + 8, off);
        g_checksum_update(uv->tld_sum, buf, 16);
        g_checksum_update(uv->pld_sum, page, sizeof(page));
        uv->pages++;
        (*done)++;
    }
    return (Outcome){ 0 };
}

static bool digest_is(GChecksum *sum, const uint8_t *want)
{
    g_autoptr(GChecksum) copy = g_checksum_copy(sum);
    uint8_t got[SE_DIGEST];
    gsize len = sizeof(got);

    g_checksum_get_digest(copy, got, &len);
    return memcmp(got, want, SE_DIGEST) == 0;
}

static Outcome uv_verify(S390Uv *uv)
{
    if (uv->state != UV_PARMS) {
        return uv_fail(EINVAL, UV_RC_STATE, 0);
    }
    if (uv->pages != uv->nep) {
        return uv_fail(EINVAL, UV_RC_VERIFY, 1);
    }
    if (!digest_is(uv->ald_sum, uv->ald)) {
        return uv_fail(EINVAL, UV_RC_VERIFY, 2);
    }
    if (!digest_is(uv->tld_sum, uv->tld)) {
        return uv_fail(EINVAL, UV_RC_VERIFY, 3);
    }
    if (!digest_is(uv->pld_sum, uv->pld)) {
        return uv_fail(EINVAL, UV_RC_VERIFY, 4);
    }
    uv->state = UV_VERIFIED;
    return (Outcome){ 0 };
}

/* "PV NAME vm=N[ ARGS] -> RESULT": one line per command. */
static void log_outcome(FakeKvmVm *vm, const char *name, const char *args,
                        Outcome o, const char *extra)
{
    g_autofree char *head = g_strdup_printf("PV %s vm=%u%s%s", name,
                                            fakekvm_vm_index(vm),
                                            args ? " " : "",
                                            args ? args : "");

    if (o.ret == 0) {
        hostsim_log(M, "%s -> ok%s", head, extra ? extra : "");
    } else if (o.rc != 0 && o.rc != UV_RC_OK) {
        hostsim_log(M, "%s -> error %s(0x%04x) rrc=0x%04x%s", head,
                    rc_name(o.rc), o.rc, o.rrc,
                    o.injected ? " injected" : "");
    } else {
        hostsim_log(M, "%s -> errno %s%s", head, hostsim_errno_name(-o.ret),
                    o.injected ? " injected" : "");
    }
}

int hostsim_s390_pv_command(FakeKvmVm *vm, S390Uv *uv, bool host_pv,
                            void *arg)
{
    struct kvm_pv_cmd cmd;
    g_autofree uint8_t *hdr = NULL;
    g_autofree char *args = NULL;
    g_autofree char *extra = NULL;
    struct kvm_s390_pv_sec_parm parm;
    struct kvm_s390_pv_unp unp;
    const char *name;
    HostsimFault fault;
    Outcome o = { 0 };
    uint64_t pages = 0;

    if (hostsim_read_user(&cmd, (uintptr_t)arg, sizeof(cmd)) < 0) {
        return -EFAULT;
    }
    name = cmd.cmd < G_N_ELEMENTS(cmd_names) && cmd_names[cmd.cmd]
               ? cmd_names[cmd.cmd]
               : NULL;
    if (name == NULL) {
        args = g_strdup_printf("cmd=%u", cmd.cmd);
    }
    /* The kernel's own checks: a host without PV has no such command;
     * ENABLE only when not protected, everything else only when. */
    if (!host_pv || cmd.flags != 0 || name == NULL ||
        (cmd.cmd == KVM_PV_ENABLE) == (uv->state != UV_OFF)) {
        log_outcome(vm, name ? name : "CMD", args,
                    (Outcome){ .ret = -EINVAL }, NULL);
        return -EINVAL;
    }
    switch (cmd.cmd) {
    case KVM_PV_SET_SEC_PARMS:
        if (hostsim_read_user(&parm, cmd.data, sizeof(parm)) < 0) {
            log_outcome(vm, name, NULL, (Outcome){ .ret = -EFAULT }, NULL);
            return -EFAULT;
        }
        args = g_strdup_printf("len=%llu", (unsigned long long)parm.length);
        if (parm.length == 0 || parm.length > PV_HEADER_MAX) {
            log_outcome(vm, name, args, (Outcome){ .ret = -EINVAL }, NULL);
            return -EINVAL;
        }
        hdr = g_malloc0(parm.length);
        if (hostsim_read_user(hdr, parm.origin, parm.length) < 0) {
            log_outcome(vm, name, args, (Outcome){ .ret = -EFAULT }, NULL);
            return -EFAULT;
        }
        break;
    case KVM_PV_UNPACK:
        if (hostsim_read_user(&unp, cmd.data, sizeof(unp)) < 0) {
            log_outcome(vm, name, NULL, (Outcome){ .ret = -EFAULT }, NULL);
            return -EFAULT;
        }
        args = g_strdup_printf("addr=0x%llx size=0x%llx tweak=0x%llx",
                               (unsigned long long)unp.addr,
                               (unsigned long long)unp.size,
                               (unsigned long long)unp.tweak);
        /* Whole pages only, checked before the Ultravisor is asked. */
        if (unp.size == 0 || ((unp.addr | unp.size) & (PAGE - 1))) {
            log_outcome(vm, name, args, (Outcome){ .ret = -EINVAL }, NULL);
            return -EINVAL;
        }
        break;
    default:
        break;
    }
    if (hostsim_fault_take(M, name, &fault)) {
        o = fault.is_errno ? (Outcome){ .ret = -(int)fault.value }
                           : uv_fail(cmd.cmd == KVM_PV_ENABLE ? EIO : EINVAL,
                                     (uint16_t)fault.value, 0);
        o.injected = true;
    } else {
        switch (cmd.cmd) {
        case KVM_PV_ENABLE:
            uv->state = UV_ENABLED;
            break;
        case KVM_PV_DISABLE:
            hostsim_s390_uv_clear(uv);
            break;
        case KVM_PV_SET_SEC_PARMS:
            o = uv_set_sec_parms(uv, hdr, parm.length);
            break;
        case KVM_PV_UNPACK:
            o = uv_unpack(vm, uv, &unp, &pages);
            extra = g_strdup_printf(" pages=%llu",
                                    (unsigned long long)pages);
            break;
        case KVM_PV_VERIFY:
            o = uv_verify(uv);
            break;
        default:
            /* PREP_RESET and UNSHARE_ALL change nothing modelled. */
            break;
        }
    }
    if (o.ret == 0) {
        o.rc = UV_RC_OK;
    }
    cmd.rc = o.rc;
    cmd.rrc = o.rrc;
    if (hostsim_write_user((uintptr_t)arg, &cmd, sizeof(cmd)) < 0) {
        return -EFAULT;
    }
    log_outcome(vm, name, args, o, o.ret == 0 ? extra : NULL);
    return o.ret;
}
