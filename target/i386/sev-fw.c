/* sev-guest: firmware and host helpers (errors, policy, files, probes). */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "sev.h"

#include "util/error.h"

#include <cpuid.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <linux/psp-sev.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static const struct {
    const char *name;
    const char *text;
} fw_errors[] = {
    [SEV_RET_SUCCESS] = { "SUCCESS", "success" },
    [SEV_RET_INVALID_PLATFORM_STATE] = { "INVALID_PLATFORM_STATE",
                                         "the platform state is invalid" },
    [SEV_RET_INVALID_GUEST_STATE] = { "INVALID_GUEST_STATE",
                                      "the guest state is invalid" },
    [SEV_RET_INAVLID_CONFIG] = { "INVALID_CONFIG",
                                 "the platform configuration is invalid" },
    [SEV_RET_INVALID_LEN] = { "INVALID_LENGTH", "a buffer is too small" },
    [SEV_RET_ALREADY_OWNED] = { "ALREADY_OWNED",
                                "the platform is already owned" },
    [SEV_RET_INVALID_CERTIFICATE] = { "INVALID_CERTIFICATE",
                                      "a certificate is invalid" },
    [SEV_RET_POLICY_FAILURE] = { "POLICY_FAILURE",
                                 "the policy is not allowed" },
    [SEV_RET_INACTIVE] = { "INACTIVE", "the guest is not active" },
    [SEV_RET_INVALID_ADDRESS] = { "INVALID_ADDRESS",
                                  "an address is invalid" },
    [SEV_RET_BAD_SIGNATURE] = { "BAD_SIGNATURE", "a signature is bad" },
    [SEV_RET_BAD_MEASUREMENT] = { "BAD_MEASUREMENT",
                                  "the measurement does not match" },
    [SEV_RET_ASID_OWNED] = { "ASID_OWNED", "the ASID is already owned" },
    [SEV_RET_INVALID_ASID] = { "INVALID_ASID", "the ASID is invalid" },
    [SEV_RET_WBINVD_REQUIRED] = { "WBINVD_REQUIRED", "WBINVD is required" },
    [SEV_RET_DFFLUSH_REQUIRED] = { "DFFLUSH_REQUIRED",
                                   "DF_FLUSH is required" },
    [SEV_RET_INVALID_GUEST] = { "INVALID_GUEST",
                                "the guest handle is invalid" },
    [SEV_RET_INVALID_COMMAND] = { "INVALID_COMMAND",
                                  "the command is invalid" },
    [SEV_RET_ACTIVE] = { "ACTIVE", "the guest is active" },
    [SEV_RET_HWSEV_RET_PLATFORM] = { "HWERROR_PLATFORM",
                                     "a hardware error occurred" },
    [SEV_RET_HWSEV_RET_UNSAFE] = { "HWERROR_UNSAFE",
                                   "the hardware is unsafe" },
    [SEV_RET_UNSUPPORTED] = { "UNSUPPORTED",
                              "the feature is not supported" },
    [SEV_RET_INVALID_PARAM] = { "INVALID_PARAM", "a parameter is invalid" },
    [SEV_RET_RESOURCE_LIMIT] = { "RESOURCE_LIMIT",
                                 "a firmware resource is depleted" },
    [SEV_RET_SECURE_DATA_INVALID] = { "SECURE_DATA_INVALID",
                                      "a part-specific integrity check "
                                      "failed" },
};

const char *sev_fw_error_name(int code)
{
    if (code < 0 || (size_t)code >= G_N_ELEMENTS(fw_errors) ||
        fw_errors[code].name == NULL) {
        return "UNKNOWN";
    }
    return fw_errors[code].name;
}

char *sev_fw_error_text(int ret, int fw_error)
{
    /* The kernel reports firmware failures as EIO with the status set. */
    if (ret == -EIO && fw_error > 0) {
        const char *text = (size_t)fw_error < G_N_ELEMENTS(fw_errors) &&
                                   fw_errors[fw_error].text
                               ? fw_errors[fw_error].text
                               : "unknown status";
        return g_strdup_printf("firmware error %s (%d): %s",
                               sev_fw_error_name(fw_error), fw_error, text);
    }
    return g_strdup_printf("the kernel refused it: %s", g_strerror(-ret));
}

static const char *const policy_bit_names[] = {
    "nodbg", "noks", "es", "nosend", "domain", "sev",
};

GPtrArray *sev_policy_flags(uint32_t policy)
{
    GPtrArray *out = g_ptr_array_new();

    for (size_t i = 0; i < G_N_ELEMENTS(policy_bit_names); i++) {
        if (policy & (1u << i)) {
            g_ptr_array_add(out, (gpointer)policy_bit_names[i]);
        }
    }
    return out;
}

char *sev_policy_describe(uint32_t policy)
{
    g_autoptr(GPtrArray) flags = sev_policy_flags(policy);
    GString *s = g_string_new(NULL);

    g_string_append_printf(s, "0x%x (", policy);
    for (guint i = 0; i < flags->len; i++) {
        g_string_append_printf(s, "%s%s", i ? ", " : "",
                               (char *)g_ptr_array_index(flags, i));
    }
    if (SEV_POLICY_API_MAJOR(policy) || SEV_POLICY_API_MINOR(policy)) {
        g_string_append_printf(s, "%sapi>=%u.%u", flags->len ? ", " : "",
                               SEV_POLICY_API_MAJOR(policy),
                               SEV_POLICY_API_MINOR(policy));
    } else if (flags->len == 0) {
        g_string_append(s, "no restrictions");
    }
    if (policy & 0xffc0u) {
        g_string_append_printf(s, ", reserved bits 0x%x", policy & 0xffc0u);
    }
    g_string_append_c(s, ')');
    return g_string_free(s, FALSE);
}

static int b64_value(char c)
{
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
        return c - '0' + 52;
    }
    return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/*
 * GLib's decoder accepts anything and silently skips what it does not
 * know; a typo in a launch blob must be an error instead.
 */
guchar *sev_base64_decode_strict(const char *text, gsize *len)
{
    g_autoptr(GString) clean = g_string_new(NULL);
    size_t pad = 0;

    for (const char *c = text; *c; c++) {
        if (g_ascii_isspace(*c)) {
            continue;
        }
        if (*c == '=') {
            pad++;
        } else if (pad > 0 || b64_value(*c) < 0) {
            return NULL;
        }
        g_string_append_c(clean, *c);
    }
    if (clean->len == 0 || clean->len % 4 != 0 || pad > 2) {
        return NULL;
    }
    return g_base64_decode(clean->str, len);
}

bool sev_read_base64_file(const char *prop, const char *path,
                          guchar **data, gsize *len, GError **err)
{
    g_autofree char *text = NULL;
    g_autoptr(GError) local = NULL;

    if (!g_file_get_contents(path, &text, NULL, &local)) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "sev-guest: %s=%s: %s", prop, path, local->message);
        return false;
    }
    *data = sev_base64_decode_strict(text, len);
    if (*data == NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "sev-guest: %s=%s is not valid base64; give the file "
                    "the guest owner produced (e.g. with sevctl), unchanged",
                    prop, path);
        return false;
    }
    return true;
}

int sev_platform_cmd(int fd, int cmd, void *data, int *fw_error)
{
    struct sev_issue_cmd arg = {
        .cmd = (__u32)cmd,
        .data = (__u64)(uintptr_t)data,
    };
    int r = ioctl(fd, SEV_ISSUE_CMD, &arg);

    *fw_error = (int)arg.error;
    return r < 0 ? -errno : r;
}

int sev_open_device(const char *path, GError **err)
{
    int fd = open(path, O_RDWR | O_CLOEXEC);
    int e = errno;

    if (fd >= 0) {
        return fd;
    }
    if (e == ENOENT || e == ENXIO || e == ENODEV) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "sev-guest: sev-device=%s does not exist: the host has "
                    "no SEV firmware interface; load the ccp module on an "
                    "AMD host with SEV enabled in the BIOS, or point "
                    "sev-device at the right node", path);
    } else if (e == EACCES || e == EPERM) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "sev-guest: cannot open sev-device=%s: permission "
                    "denied; run cgemu as a user that may open it (often "
                    "root or the kvm group)", path);
    } else {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "sev-guest: cannot open sev-device=%s: %s", path,
                    g_strerror(e));
    }
    return -1;
}

static struct kvm_cpuid2 *supported_cpuid(int fd, GError **err)
{
    for (unsigned n = 64; n <= 4096; n *= 2) {
        struct kvm_cpuid2 *c = g_malloc0(sizeof(*c) +
                                         n * sizeof(struct kvm_cpuid_entry2));
        c->nent = n;
        if (ioctl(fd, KVM_GET_SUPPORTED_CPUID, c) == 0) {
            return c;
        }
        g_free(c);
        if (errno != E2BIG) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "sev-guest: KVM_GET_SUPPORTED_CPUID failed: %s",
                        g_strerror(errno));
            return NULL;
        }
    }
    g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                "sev-guest: KVM_GET_SUPPORTED_CPUID returned too many leaves");
    return NULL;
}

bool sev_host_probe(int kvm_dev_fd, SevHostInfo *info, GError **err)
{
    g_autofree struct kvm_cpuid2 *c = NULL;
    unsigned a, b, cx, d;

    memset(info, 0, sizeof(*info));
    __cpuid(0, a, b, cx, d);
    memcpy(info->vendor, &b, 4);
    memcpy(info->vendor + 4, &d, 4);
    memcpy(info->vendor + 8, &cx, 4);
    if (__get_cpuid_max(0x80000000, NULL) >= 0x8000001f) {
        __cpuid(0x8000001f, a, b, cx, d);
        info->cpu_sev = a & (1u << 1);
    }

    c = supported_cpuid(kvm_dev_fd, err);
    if (c == NULL) {
        return false;
    }
    for (unsigned i = 0; i < c->nent; i++) {
        struct kvm_cpuid_entry2 *e = &c->entries[i];
        if (e->function == 0x8000001f) {
            info->kvm_sev = e->eax & (1u << 1);
            info->kvm_es = e->eax & (1u << 3);
            info->cbitpos = e->ebx & 0x3f;
            info->reduced_phys_bits = (e->ebx >> 6) & 0x3f;
        }
    }
    return true;
}

bool sev_host_check(const SevHostInfo *info, GError **err)
{
    if (info->kvm_sev) {
        return true;
    }
    if (strcmp(info->vendor, "AuthenticAMD") != 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "sev-guest: this host's CPU (%s) has no AMD SEV; "
                    "sev-guest needs an AMD EPYC host with SEV enabled",
                    info->vendor);
    } else if (info->cpu_sev) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "sev-guest: the CPU has SEV but KVM does not offer it; "
                    "load kvm_amd with sev=1 (see "
                    "/sys/module/kvm_amd/parameters/sev) and enable SEV "
                    "in the host kernel (mem_encrypt=on)");
    } else {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "sev-guest: this AMD CPU offers no SEV (CPUID "
                    "0x8000001F); enable SEV/SME in the host's BIOS, or use "
                    "an EPYC host that has it");
    }
    return false;
}
