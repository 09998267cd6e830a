/*
 * Host simulator, AMD SEV model: configuration, /dev/sev, CPUID, regions.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Behaviour follows the Linux UAPI (linux/psp-sev.h, linux/kvm.h), the
 * kernel's drivers/crypto/ccp/sev-dev.c and arch/x86/kvm/svm/sev.c for
 * argument checks and errnos, and the AMD SEV API specification for the
 * firmware's states and status codes.  docs/devel/hostsim.rst lists the
 * behaviour and its sources.
 */
#include "hostsim-sev.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define SEV_ENV(name) HOSTSIM_ENV_PREFIX "SEV" name

/* Certificate sizes (SEV API, "SEV Certificate Format"). */
#define SEV_CERT_LEN 0x824
#define SEV_CHAIN_LEN (3 * SEV_CERT_LEN)
#define SEV_ID_LEN 64

/* Certificate usage and algorithm codes (SEV API, Appendix C). */
enum {
    SEV_USAGE_ASK = 0x13,
    SEV_USAGE_INVALID = 0x1000,
    SEV_USAGE_OCA = 0x1001,
    SEV_USAGE_PEK = 0x1002,
    SEV_USAGE_PDH = 0x1003,
    SEV_USAGE_CEK = 0x1004,
};
enum {
    SEV_ALGO_NONE = 0,
    SEV_ALGO_RSA_SHA256 = 1,
    SEV_ALGO_ECDSA_SHA256 = 2,
    SEV_ALGO_ECDH_SHA256 = 3,
};

/* Platform states (SEV API, "PSTATE"). */
enum { SEV_PSTATE_UNINIT, SEV_PSTATE_INIT, SEV_PSTATE_WORKING };

/* Ids the kernel's /dev/sev uses for commands it does not model here. */
static const char *const sev_user_cmd_names[] = {
    [SEV_FACTORY_RESET] = "FACTORY_RESET",
    [SEV_PLATFORM_STATUS] = "PLATFORM_STATUS",
    [SEV_PEK_GEN] = "PEK_GEN",
    [SEV_PEK_CSR] = "PEK_CSR",
    [SEV_PDH_GEN] = "PDH_GEN",
    [SEV_PDH_CERT_EXPORT] = "PDH_CERT_EXPORT",
    [SEV_PEK_CERT_IMPORT] = "PEK_CERT_IMPORT",
    [SEV_GET_ID] = "GET_ID",
    [SEV_GET_ID2] = "GET_ID2",
};

static const char *const sev_env_vars[] = {
    SEV_ENV(""),
    SEV_ENV("_KVM"),
    SEV_ENV("_DEVICE"),
    SEV_ENV("_DEVICE_MODE"),
    SEV_ENV("_API"),
    SEV_ENV("_BUILD"),
    SEV_ENV("_ES"),
    SEV_ENV("_CBITPOS"),
    SEV_ENV("_REDUCED_PHYS_BITS"),
    SEV_ENV("_TIK"),
    SEV_ENV("_TEK"),
    SEV_ENV("_MNONCE"),
    NULL,
};

static const char *const sev_fault_commands[] = {
    "FACTORY_RESET", "PLATFORM_STATUS", "PEK_GEN", "PDH_GEN",
    "PDH_CERT_EXPORT", "GET_ID", "GET_ID2",
    "INIT", "ES_INIT", "LAUNCH_START", "LAUNCH_UPDATE_DATA",
    "LAUNCH_UPDATE_VMSA", "LAUNCH_MEASURE", "LAUNCH_SECRET",
    "LAUNCH_FINISH", "GUEST_STATUS", "GET_ATTESTATION_REPORT",
    "REG_REGION", "UNREG_REGION",
    NULL,
};

static const char *const sev_errno_only_commands[] = {
    "REG_REGION", "UNREG_REGION", NULL,
};

/* Status names as the SEV API specification spells them, by code. */
static const char *const sev_status_names[] = {
    "SUCCESS", "INVALID_PLATFORM_STATE", "INVALID_GUEST_STATE",
    "INVALID_CONFIG", "INVALID_LENGTH", "ALREADY_OWNED",
    "INVALID_CERTIFICATE", "POLICY_FAILURE", "INACTIVE", "INVALID_ADDRESS",
    "BAD_SIGNATURE", "BAD_MEASUREMENT", "ASID_OWNED", "INVALID_ASID",
    "WBINVD_REQUIRED", "DFFLUSH_REQUIRED", "INVALID_GUEST",
    "INVALID_COMMAND", "ACTIVE", "HWERROR_PLATFORM", "HWERROR_UNSAFE",
    "UNSUPPORTED", "INVALID_PARAM", "RESOURCE_LIMIT", "SECURE_DATA_INVALID",
};

/* The kernel UAPI's spellings where they differ (sev_ret_code). */
static const struct {
    const char *name;
    uint32_t status;
} sev_status_aliases[] = {
    { "INAVLID_CONFIG", SEV_RET_INAVLID_CONFIG },
    { "INVALID_LEN", SEV_RET_INVALID_LEN },
    { "HWSEV_RET_PLATFORM", SEV_RET_HWSEV_RET_PLATFORM },
    { "HWSEV_RET_UNSAFE", SEV_RET_HWSEV_RET_UNSAFE },
};

static const char *const sev_gstate_names[] = {
    "UNINIT", "LUPDATE", "LSECRET", "RUNNING", "SUPDATE", "RUPDATE", "SENT",
};

static const char *const sev_pstate_names[] = { "UNINIT", "INIT", "WORKING" };

static const char *const sev_device_modes[] = {
    "present", "missing", "eacces", NULL,
};

static SevConfig sev_cfg;
static GHashTable *sev_guests; /* handle -> SevVm */
static uint32_t sev_next_handle = 1;

const SevConfig *sev_config(void)
{
    return &sev_cfg;
}

const char *sev_status_name(uint32_t status)
{
    return status < G_N_ELEMENTS(sev_status_names) ? sev_status_names[status]
                                                   : "UNKNOWN";
}

const char *sev_gstate_name(SevGuestState state)
{
    return (unsigned)state < G_N_ELEMENTS(sev_gstate_names)
               ? sev_gstate_names[state] : "UNKNOWN";
}

static bool sev_parse_status(const char *name, uint32_t *status)
{
    if (g_str_has_prefix(name, "SEV_RET_")) {
        name += strlen("SEV_RET_");
    }
    for (size_t i = 0; i < G_N_ELEMENTS(sev_status_names); i++) {
        if (strcmp(name, sev_status_names[i]) == 0) {
            *status = i;
            return true;
        }
    }
    for (size_t i = 0; i < G_N_ELEMENTS(sev_status_aliases); i++) {
        if (strcmp(name, sev_status_aliases[i].name) == 0) {
            *status = sev_status_aliases[i].status;
            return true;
        }
    }
    return false;
}

/* --- logged calls --- */

void sev_call_begin(SevCall *c, uint32_t *error, const char *fmt, ...)
{
    va_list ap;

    c->line = g_string_new(NULL);
    c->error = error;
    va_start(ap, fmt);
    g_string_append_vprintf(c->line, fmt, ap);
    va_end(ap);
}

static void sev_call_finish(SevCall *c, const char *fmt, va_list ap)
{
    if (fmt) {
        g_string_append_c(c->line, ' ');
        g_string_append_vprintf(c->line, fmt, ap);
    }
    hostsim_log(&hostsim_sev_model, "%s", c->line->str);
    g_string_free(c->line, TRUE);
    c->line = NULL;
}

int sev_call_ok(SevCall *c, const char *fmt, ...)
{
    va_list ap;

    if (c->error) {
        *c->error = SEV_RET_SUCCESS;
    }
    g_string_append(c->line, " -> ok");
    va_start(ap, fmt);
    sev_call_finish(c, fmt, ap);
    va_end(ap);
    return 0;
}

int sev_call_fw_error(SevCall *c, uint32_t status, bool injected,
                      const char *fmt, ...)
{
    va_list ap;

    if (c->error) {
        *c->error = status;
    }
    g_string_append_printf(c->line, " -> error %s(%u)%s",
                           sev_status_name(status), status,
                           injected ? " injected" : "");
    va_start(ap, fmt);
    sev_call_finish(c, fmt, ap);
    va_end(ap);
    return -EIO;
}

int sev_call_errno(SevCall *c, int err, bool injected)
{
    g_string_append_printf(c->line, " -> errno %s%s", hostsim_errno_name(err),
                           injected ? " injected" : "");
    hostsim_log(&hostsim_sev_model, "%s", c->line->str);
    g_string_free(c->line, TRUE);
    c->line = NULL;
    return -err;
}

bool sev_call_fault(SevCall *c, const char *command, int *ret)
{
    HostsimFault f;

    if (!hostsim_fault_take(&hostsim_sev_model, command, &f)) {
        return false;
    }
    *ret = f.is_errno ? sev_call_errno(c, f.value, true)
                      : sev_call_fw_error(c, f.value, true, NULL);
    return true;
}

/* --- platform --- */

uint32_t sev_platform_guest_add(SevVm *vm)
{
    uint32_t handle = sev_next_handle++;

    g_hash_table_insert(sev_guests, GUINT_TO_POINTER(handle), vm);
    return handle;
}

void sev_platform_guest_remove(uint32_t handle)
{
    g_hash_table_remove(sev_guests, GUINT_TO_POINTER(handle));
}

SevVm *sev_platform_guest(uint32_t handle)
{
    return g_hash_table_lookup(sev_guests, GUINT_TO_POINTER(handle));
}

static unsigned sev_platform_state(void)
{
    return g_hash_table_size(sev_guests) ? SEV_PSTATE_WORKING
                                         : SEV_PSTATE_INIT;
}

bool sev_is_device_fd(int fd)
{
    HostsimFd *rec = hostsim_fd_lookup(fd);

    return rec && hostsim_fd_kind(rec) == HOSTSIM_FD_DEVICE &&
           hostsim_fd_owner(rec) == &hostsim_sev_model;
}

void sev_vmsa_block(uint32_t id, uint8_t *block)
{
    static const char magic[] = "CGEMU-HOSTSIM-VMSA";

    memset(block, 0, SEV_VMSA_LEN);
    memcpy(block, magic, strlen(magic));
    sev_put_le32(block + 32, id);
}

/*
 * A test certificate in the SEV certificate layout: real header fields,
 * a P-384 public key and signatures filled with a counting pattern
 * starting at @seed (documented in docs/devel/hostsim.rst).
 */
static void sev_cert(uint8_t *cert, uint8_t seed, uint32_t usage,
                     uint32_t algo, uint32_t sig1_usage, uint32_t sig1_algo,
                     uint32_t sig2_usage, uint32_t sig2_algo)
{
    static const struct {
        size_t off;
        uint8_t add;
    } fill[] = {
        { 0x014, 0x00 }, { 0x05c, 0x40 }, /* public key QX, QY */
        { 0x41c, 0x80 }, { 0x464, 0xc0 }, /* signature 1 R, S */
    };

    memset(cert, 0, SEV_CERT_LEN);
    sev_put_le32(cert, 1);
    if (usage == SEV_USAGE_PEK || usage == SEV_USAGE_PDH) {
        cert[4] = sev_cfg.api_major;
        cert[5] = sev_cfg.api_minor;
    }
    sev_put_le32(cert + 0x08, usage);
    sev_put_le32(cert + 0x0c, algo);
    sev_put_le32(cert + 0x10, 2); /* curve P-384 */
    sev_put_le32(cert + 0x414, sig1_usage);
    sev_put_le32(cert + 0x418, sig1_algo);
    sev_put_le32(cert + 0x61c, sig2_usage);
    sev_put_le32(cert + 0x620, sig2_algo);
    for (size_t f = 0; f < G_N_ELEMENTS(fill); f++) {
        for (size_t i = 0; i < 72; i++) {
            cert[fill[f].off + i] = seed + fill[f].add + i;
        }
    }
}

static void sev_pdh_blobs(uint8_t *pdh, uint8_t *chain)
{
    sev_cert(pdh, 0x10, SEV_USAGE_PDH, SEV_ALGO_ECDH_SHA256, SEV_USAGE_PEK,
             SEV_ALGO_ECDSA_SHA256, SEV_USAGE_INVALID, SEV_ALGO_NONE);
    sev_cert(chain, 0x20, SEV_USAGE_PEK, SEV_ALGO_ECDSA_SHA256, SEV_USAGE_OCA,
             SEV_ALGO_ECDSA_SHA256, SEV_USAGE_CEK, SEV_ALGO_ECDSA_SHA256);
    sev_cert(chain + SEV_CERT_LEN, 0x30, SEV_USAGE_OCA, SEV_ALGO_ECDSA_SHA256,
             SEV_USAGE_OCA, SEV_ALGO_ECDSA_SHA256, SEV_USAGE_INVALID,
             SEV_ALGO_NONE);
    sev_cert(chain + 2 * SEV_CERT_LEN, 0x40, SEV_USAGE_CEK,
             SEV_ALGO_ECDSA_SHA256, SEV_USAGE_ASK, SEV_ALGO_RSA_SHA256,
             SEV_USAGE_INVALID, SEV_ALGO_NONE);
}

static void sev_chip_id(uint8_t *id)
{
    static const char text[] = "CGEMU-HOSTSIM-CHIP-ID";

    memset(id, 0, SEV_ID_LEN);
    memcpy(id, text, strlen(text));
}

static bool sev_api_at_least(unsigned major, unsigned minor)
{
    return sev_cfg.api_major > major ||
           (sev_cfg.api_major == major && sev_cfg.api_minor >= minor);
}

/* --- /dev/sev --- */

static int sev_open(const char *path, int flags, mode_t mode)
{
    SevCall c;
    HostsimFd *rec;
    int fd;

    if (strcmp(path, sev_cfg.device) != 0) {
        return HOSTSIM_PASS;
    }
    sev_call_begin(&c, NULL, "open %s", path);
    if (sev_cfg.device_mode == SEV_DEVICE_MISSING) {
        return sev_call_errno(&c, ENOENT, false);
    }
    if (sev_cfg.device_mode == SEV_DEVICE_EACCES) {
        return sev_call_errno(&c, EACCES, false);
    }
    /* A real, private fd: an inode of its own that nothing else reuses. */
    fd = memfd_create("cgemu-hostsim-sev",
                      (flags & O_CLOEXEC) ? MFD_CLOEXEC : 0);
    if (fd < 0) {
        return sev_call_errno(&c, errno, false);
    }
    rec = hostsim_fd_track(fd, HOSTSIM_FD_DEVICE, &hostsim_sev_model, NULL);
    hostsim_fd_set_open_flags(rec, flags);
    sev_call_ok(&c, NULL);
    return fd;
}

static int sev_do_platform_status(struct sev_issue_cmd *in, uint32_t *error)
{
    struct sev_user_data_status st = {
        .api_major = sev_cfg.api_major,
        .api_minor = sev_cfg.api_minor,
        .state = sev_platform_state(),
        .flags = sev_cfg.es ? SEV_STATUS_FLAGS_CONFIG_ES : 0,
        .build = sev_cfg.build,
        .guest_count = g_hash_table_size(sev_guests),
    };
    SevCall c;
    int ret;

    sev_call_begin(&c, error, "PLATFORM_STATUS");
    if (sev_call_fault(&c, "PLATFORM_STATUS", &ret)) {
        return ret;
    }
    *error = SEV_RET_SUCCESS;
    if (hostsim_write_user(in->data, &st, sizeof(st)) < 0) {
        return sev_call_errno(&c, EFAULT, false);
    }
    return sev_call_ok(&c, "api=%u.%u build=%u state=%s flags=0x%x guests=%u",
                       st.api_major, st.api_minor, st.build,
                       sev_pstate_names[st.state], st.flags, st.guest_count);
}

static int sev_do_pdh_export(struct sev_issue_cmd *in, uint32_t *error)
{
    struct sev_user_data_pdh_cert_export arg;
    g_autofree uint8_t *pdh = NULL;
    g_autofree uint8_t *chain = NULL;
    uint32_t fw_pdh_len = 0, fw_chain_len = 0;
    SevCall c;
    int ret;

    if (hostsim_read_user(&arg, in->data, sizeof(arg)) < 0) {
        sev_call_begin(&c, error, "PDH_CERT_EXPORT");
        return sev_call_errno(&c, EFAULT, false);
    }
    sev_call_begin(&c, error, "PDH_CERT_EXPORT pdh_len=%u chain_len=%u",
                   arg.pdh_cert_len, arg.cert_chain_len);
    /* Any of these zero is the kernel's length query. */
    if (arg.pdh_cert_address && arg.pdh_cert_len && arg.cert_chain_address) {
        if (arg.pdh_cert_len > SEV_FW_BLOB_MAX_SIZE ||
            arg.cert_chain_len > SEV_FW_BLOB_MAX_SIZE) {
            return sev_call_errno(&c, EFAULT, false);
        }
        fw_pdh_len = arg.pdh_cert_len;
        fw_chain_len = arg.cert_chain_len;
    }
    if (sev_call_fault(&c, "PDH_CERT_EXPORT", &ret)) {
        /* The kernel returns whatever lengths the firmware left. */
        arg.pdh_cert_len = fw_pdh_len;
        arg.cert_chain_len = fw_chain_len;
        hostsim_write_user(in->data, &arg, sizeof(arg));
        return ret;
    }
    arg.pdh_cert_len = SEV_CERT_LEN;
    arg.cert_chain_len = SEV_CHAIN_LEN;
    if (hostsim_write_user(in->data, &arg, sizeof(arg)) < 0) {
        return sev_call_errno(&c, EFAULT, false);
    }
    if (fw_pdh_len < SEV_CERT_LEN || fw_chain_len < SEV_CHAIN_LEN) {
        return sev_call_fw_error(&c, SEV_RET_INVALID_LEN, false,
                                 "pdh_len=%u chain_len=%u", SEV_CERT_LEN,
                                 SEV_CHAIN_LEN);
    }
    pdh = g_malloc(SEV_CERT_LEN);
    chain = g_malloc(SEV_CHAIN_LEN);
    sev_pdh_blobs(pdh, chain);
    *error = SEV_RET_SUCCESS;
    if (hostsim_write_user(arg.pdh_cert_address, pdh, SEV_CERT_LEN) < 0 ||
        hostsim_write_user(arg.cert_chain_address, chain, SEV_CHAIN_LEN) < 0) {
        return sev_call_errno(&c, EFAULT, false);
    }
    return sev_call_ok(&c, NULL);
}

static int sev_do_get_id2(struct sev_issue_cmd *in, uint32_t *error)
{
    struct sev_user_data_get_id2 arg;
    uint8_t id[SEV_ID_LEN];
    uint32_t fw_len = 0;
    SevCall c;
    int ret;

    sev_call_begin(&c, error, "GET_ID2");
    /* The kernel checks the API version before reading the argument. */
    if (!sev_api_at_least(0, 16)) {
        return sev_call_errno(&c, 524, false);
    }
    if (hostsim_read_user(&arg, in->data, sizeof(arg)) < 0) {
        return sev_call_errno(&c, EFAULT, false);
    }
    g_string_append_printf(c.line, " len=%u", arg.length);
    if (arg.address && arg.length) {
        fw_len = arg.length;
    }
    if (sev_call_fault(&c, "GET_ID2", &ret)) {
        arg.length = fw_len;
        hostsim_write_user(in->data, &arg, sizeof(arg));
        return ret;
    }
    arg.length = SEV_ID_LEN;
    if (hostsim_write_user(in->data, &arg, sizeof(arg)) < 0) {
        return sev_call_errno(&c, EFAULT, false);
    }
    if (fw_len < SEV_ID_LEN) {
        return sev_call_fw_error(&c, SEV_RET_INVALID_LEN, false, "len=%u",
                                 SEV_ID_LEN);
    }
    sev_chip_id(id);
    *error = SEV_RET_SUCCESS;
    if (hostsim_write_user(arg.address, id, SEV_ID_LEN) < 0) {
        return sev_call_errno(&c, EFAULT, false);
    }
    return sev_call_ok(&c, NULL);
}

static int sev_do_get_id(struct sev_issue_cmd *in, uint32_t *error)
{
    struct sev_user_data_get_id ids = { 0 };
    SevCall c;
    int ret;

    sev_call_begin(&c, error, "GET_ID");
    if (!sev_api_at_least(0, 16)) {
        return sev_call_errno(&c, 524, false);
    }
    if (sev_call_fault(&c, "GET_ID", &ret)) {
        return ret;
    }
    sev_chip_id(ids.socket1);
    *error = SEV_RET_SUCCESS;
    if (hostsim_write_user(in->data, &ids, sizeof(ids)) < 0) {
        return sev_call_errno(&c, EFAULT, false);
    }
    return sev_call_ok(&c, NULL);
}

/* FACTORY_RESET, PEK_GEN, PDH_GEN: owner commands with no output. */
static int sev_do_owner_cmd(struct sev_issue_cmd *in, uint32_t *error,
                            const char *name, bool writable)
{
    SevCall c;
    int ret;

    sev_call_begin(&c, error, "%s", name);
    if (!writable) {
        return sev_call_errno(&c, EPERM, false);
    }
    if (in->cmd == SEV_FACTORY_RESET && g_hash_table_size(sev_guests)) {
        return sev_call_errno(&c, EBUSY, false);
    }
    if (sev_call_fault(&c, name, &ret)) {
        return ret;
    }
    return sev_call_ok(&c, NULL);
}

static int sev_device_ioctl(HostsimFd *fd, unsigned long request, void *arg)
{
    bool writable = (hostsim_fd_open_flags(fd) & O_ACCMODE) != O_RDONLY;
    struct sev_issue_cmd in;
    uint32_t error;
    SevCall c;
    int ret;

    if (request != SEV_ISSUE_CMD) {
        sev_call_begin(&c, NULL, "ioctl 0x%lx", request);
        return sev_call_errno(&c, EINVAL, false);
    }
    if (hostsim_read_user(&in, (uintptr_t)arg, sizeof(in)) < 0) {
        sev_call_begin(&c, NULL, "ISSUE_CMD");
        return sev_call_errno(&c, EFAULT, false);
    }
    /* The status field is packed: commands work on a copy of it. */
    error = in.error;
    switch (in.cmd) {
    case SEV_PLATFORM_STATUS:
        ret = sev_do_platform_status(&in, &error);
        break;
    case SEV_PDH_CERT_EXPORT:
        ret = sev_do_pdh_export(&in, &error);
        break;
    case SEV_GET_ID2:
        ret = sev_do_get_id2(&in, &error);
        break;
    case SEV_GET_ID:
        ret = sev_do_get_id(&in, &error);
        break;
    case SEV_FACTORY_RESET:
    case SEV_PEK_GEN:
    case SEV_PDH_GEN:
        ret = sev_do_owner_cmd(&in, &error, sev_user_cmd_names[in.cmd],
                               writable);
        break;
    case SEV_PEK_CSR:
    case SEV_PEK_CERT_IMPORT:
        /* Not modelled: the simulator has no keys to sign or import. */
        sev_call_begin(&c, NULL, "%s", sev_user_cmd_names[in.cmd]);
        return sev_call_errno(&c, EINVAL, false);
    default:
        sev_call_begin(&c, NULL, "ISSUE_CMD cmd=%u", in.cmd);
        return sev_call_errno(&c, EINVAL, false);
    }
    in.error = error;
    if (hostsim_write_user((uintptr_t)arg, &in, sizeof(in)) < 0) {
        return -EFAULT;
    }
    return ret;
}

/* --- KVM --- */

/*
 * KVM_GET_SUPPORTED_CPUID: the real table plus leaf 0x8000001F, within
 * the caller's nent (E2BIG when our extra entry does not fit).
 */
static int sev_supported_cpuid(HostsimFd *fd, void *arg)
{
    struct kvm_cpuid2 head;
    struct kvm_cpuid2 *cpuid = arg;
    struct kvm_cpuid_entry2 *leaf = NULL;
    uint32_t eax, ebx;
    unsigned capacity;
    int r;

    if (hostsim_read_user(&head, (uintptr_t)arg, sizeof(head)) < 0) {
        return HOSTSIM_PASS;
    }
    capacity = head.nent;
    r = hostsim_real_ioctl(hostsim_fd_number(fd), KVM_GET_SUPPORTED_CPUID,
                           arg);
    if (r < 0) {
        return -errno;
    }
    for (unsigned i = 0; i < cpuid->nent; i++) {
        struct kvm_cpuid_entry2 *e = &cpuid->entries[i];

        if (e->function == 0x80000000 && e->eax < 0x8000001f) {
            e->eax = 0x8000001f;
        }
        if (e->function == 0x8000001f) {
            leaf = e;
        }
    }
    if (!leaf) {
        if (cpuid->nent >= capacity) {
            cpuid->nent = capacity;
            return -E2BIG;
        }
        leaf = &cpuid->entries[cpuid->nent++];
    }
    eax = (1u << 1) | (sev_cfg.es ? 1u << 3 : 0);
    ebx = (sev_cfg.cbitpos & 0x3f) | (sev_cfg.reduced_phys_bits & 0x3f) << 6;
    *leaf = (struct kvm_cpuid_entry2) {
        .function = 0x8000001f,
        .eax = eax,
        .ebx = ebx,
        .ecx = 15,                  /* simultaneous encrypted guests */
        .edx = sev_cfg.es ? 8 : 1,  /* first SEV (non-ES) ASID */
    };
    hostsim_log(&hostsim_sev_model,
                "GET_SUPPORTED_CPUID -> ok 0x8000001f eax=0x%08x ebx=0x%08x",
                eax, ebx);
    return r;
}

static SevVm *sev_vm_of(HostsimFd *fd)
{
    SevVm *vm = hostsim_fd_get_data(fd, &hostsim_sev_model);

    if (!vm) {
        vm = g_new0(SevVm, 1);
        vm->regions = g_array_new(FALSE, FALSE, sizeof(struct kvm_enc_region));
        hostsim_fd_set_data(fd, &hostsim_sev_model, vm);
    }
    return vm;
}

void sev_vm_free(SevVm *vm)
{
    if (vm->ld) {
        g_checksum_free(vm->ld);
    }
    g_array_unref(vm->regions);
    g_free(vm);
}

bool sev_range_mapped(uint64_t addr, uint64_t size)
{
    long page = sysconf(_SC_PAGESIZE);
    uint64_t start = addr & ~(uint64_t)(page - 1);
    uint64_t len = addr + size - start;
    g_autofree unsigned char *vec = g_try_malloc((len + page - 1) / page);

    return vec && mincore((void *)(uintptr_t)start, len, vec) == 0;
}

static int sev_region(SevVm *vm, void *arg, bool reg)
{
    const char *name = reg ? "REG_REGION" : "UNREG_REGION";
    struct kvm_enc_region range;
    SevCall c;
    int ret;

    if (hostsim_read_user(&range, (uintptr_t)arg, sizeof(range)) < 0) {
        sev_call_begin(&c, NULL, "%s", name);
        return sev_call_errno(&c, EFAULT, false);
    }
    sev_call_begin(&c, NULL, "%s size=0x%llx", name,
                   (unsigned long long)range.size);
    if (!vm->active) {
        return sev_call_errno(&c, ENOTTY, false);
    }
    if (reg) {
        if (range.size == 0 || range.addr + range.size < range.addr) {
            return sev_call_errno(&c, EINVAL, false);
        }
        if (sev_call_fault(&c, name, &ret)) {
            return ret;
        }
        /* KVM pins the pages: an unmapped range fails as pinning does. */
        if (!sev_range_mapped(range.addr, range.size)) {
            return sev_call_errno(&c, ENOMEM, false);
        }
        g_array_append_val(vm->regions, range);
        return sev_call_ok(&c, NULL);
    }
    for (guint i = 0; i < vm->regions->len; i++) {
        struct kvm_enc_region *r = &g_array_index(vm->regions,
                                                  struct kvm_enc_region, i);

        if (r->addr == range.addr && r->size == range.size) {
            if (sev_call_fault(&c, name, &ret)) {
                return ret;
            }
            g_array_remove_index(vm->regions, i);
            return sev_call_ok(&c, NULL);
        }
    }
    return sev_call_errno(&c, EINVAL, false);
}

/* --- the model --- */

static int sev_ioctl(HostsimFd *fd, unsigned long request, void *arg)
{
    switch (hostsim_fd_kind(fd)) {
    case HOSTSIM_FD_DEVICE:
        if (hostsim_fd_owner(fd) != &hostsim_sev_model) {
            return HOSTSIM_PASS;
        }
        return sev_device_ioctl(fd, request, arg);
    case HOSTSIM_FD_KVM:
        if (sev_cfg.kvm && request == KVM_GET_SUPPORTED_CPUID) {
            return sev_supported_cpuid(fd, arg);
        }
        return HOSTSIM_PASS;
    case HOSTSIM_FD_VM:
        if (!sev_cfg.kvm) {
            return HOSTSIM_PASS;
        }
        switch (request) {
        case KVM_MEMORY_ENCRYPT_OP:
            return sev_kvm_encrypt_op(fd, sev_vm_of(fd), arg);
        case KVM_MEMORY_ENCRYPT_REG_REGION:
            return sev_region(sev_vm_of(fd), arg, true);
        case KVM_MEMORY_ENCRYPT_UNREG_REGION:
            return sev_region(sev_vm_of(fd), arg, false);
        }
        return HOSTSIM_PASS;
    default:
        return HOSTSIM_PASS;
    }
}

static void sev_fd_closed(HostsimFd *fd)
{
    SevVm *vm;

    if (hostsim_fd_kind(fd) != HOSTSIM_FD_VM) {
        return;
    }
    vm = hostsim_fd_get_data(fd, &hostsim_sev_model);
    if (!vm) {
        return;
    }
    /* KVM's VM teardown: DEACTIVATE and DECOMMISSION the guest context. */
    if (vm->handle) {
        sev_platform_guest_remove(vm->handle);
        hostsim_log(&hostsim_sev_model, "DECOMMISSION handle=%u -> ok",
                    vm->handle);
    }
    sev_vm_free(vm);
    hostsim_fd_set_data(fd, &hostsim_sev_model, NULL);
}

static bool sev_parse_api(GError **errp)
{
    const char *name = SEV_ENV("_API");
    const char *v = hostsim_env_string(name, "1.55");
    g_auto(GStrv) parts = g_strsplit(v, ".", -1);
    guint64 major, minor;

    if (g_strv_length(parts) != 2 ||
        !g_ascii_string_to_unsigned(parts[0], 10, 0, 255, &major, NULL) ||
        !g_ascii_string_to_unsigned(parts[1], 10, 0, 255, &minor, NULL)) {
        g_set_error(errp, HOSTSIM_ERROR, 0,
                    "%s='%s' is not an API version. Use MAJOR.MINOR, "
                    "e.g. 0.24", name, v);
        return false;
    }
    sev_cfg.api_major = major;
    sev_cfg.api_minor = minor;
    return true;
}

static bool sev_init(bool *active, GError **errp)
{
    unsigned build;
    bool enabled;

    if (!hostsim_env_bool(SEV_ENV(""), false, &enabled, errp) ||
        !hostsim_env_bool(SEV_ENV("_KVM"), true, &sev_cfg.kvm, errp) ||
        !hostsim_env_choice(SEV_ENV("_DEVICE_MODE"), sev_device_modes,
                            SEV_DEVICE_PRESENT, &sev_cfg.device_mode, errp) ||
        !sev_parse_api(errp) ||
        !hostsim_env_uint(SEV_ENV("_BUILD"), 29, 255, &build, errp) ||
        !hostsim_env_bool(SEV_ENV("_ES"), true, &sev_cfg.es, errp) ||
        !hostsim_env_uint(SEV_ENV("_CBITPOS"), 51, 63, &sev_cfg.cbitpos,
                          errp) ||
        !hostsim_env_uint(SEV_ENV("_REDUCED_PHYS_BITS"), 1, 63,
                          &sev_cfg.reduced_phys_bits, errp) ||
        !hostsim_env_hex(SEV_ENV("_TIK"), "000102030405060708090a0b0c0d0e0f",
                         sev_cfg.tik, SEV_KEY_LEN, errp) ||
        !hostsim_env_hex(SEV_ENV("_TEK"), "101112131415161718191a1b1c1d1e1f",
                         sev_cfg.tek, SEV_KEY_LEN, errp) ||
        !hostsim_env_hex(SEV_ENV("_MNONCE"),
                         "202122232425262728292a2b2c2d2e2f", sev_cfg.mnonce,
                         SEV_NONCE_LEN, errp)) {
        return false;
    }
    sev_cfg.build = build;
    sev_cfg.device = hostsim_env_string(SEV_ENV("_DEVICE"), "/dev/sev");
    if (sev_cfg.device[0] != '/') {
        g_set_error(errp, HOSTSIM_ERROR, 0,
                    "%s='%s' is not an absolute path. Use e.g. /dev/sev",
                    SEV_ENV("_DEVICE"), sev_cfg.device);
        return false;
    }
    sev_guests = g_hash_table_new(g_direct_hash, g_direct_equal);
    *active = enabled;
    return true;
}

const HostsimModel hostsim_sev_model = {
    .name = "sev",
    .env_vars = sev_env_vars,
    .fault_commands = sev_fault_commands,
    .errno_only_commands = sev_errno_only_commands,
    .parse_status = sev_parse_status,
    .init = sev_init,
    .open = sev_open,
    .ioctl = sev_ioctl,
    .fd_closed = sev_fd_closed,
};

HOSTSIM_MODEL_REGISTER(hostsim_sev_model);
