/* sev-guest: AMD SEV / SEV-ES, the internal interface of its files. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_TARGET_I386_SEV_H
#define CGEMU_TARGET_I386_SEV_H

#include "accel/kvm.h"
#include "system/confidential-guest-support.h"

#include <stdint.h>

/*
 * The files of sev-guest:
 *   sev.c         the type, its properties, and the launch: kvm_init
 *                 (checks, KVM_SEV_INIT, LAUNCH_START), machine_done
 *                 (LAUNCH_UPDATE_DATA, LAUNCH_UPDATE_VMSA, LAUNCH_MEASURE),
 *                 vm_start (LAUNCH_FINISH), query hooks
 *   sev-fw.c      firmware and host helpers: error names, policy text,
 *                 base64 files, /dev/sev commands, host capability probe
 *   sev-qmp.c     query-sev, query-sev-launch-measure,
 *                 query-sev-capabilities, query-sev-attestation-report,
 *                 sev-inject-launch-secret
 */

#define TYPE_SEV_GUEST "sev-guest"

/* SEV guest policy bits (SEV API specification, "Guest Policy"). */
#define SEV_POLICY_NODBG 0x01
#define SEV_POLICY_NOKS 0x02
#define SEV_POLICY_ES 0x04
#define SEV_POLICY_NOSEND 0x08
#define SEV_POLICY_DOMAIN 0x10
#define SEV_POLICY_SEV 0x20
#define SEV_POLICY_API_MAJOR(p) (((p) >> 16) & 0xff)
#define SEV_POLICY_API_MINOR(p) (((p) >> 24) & 0xff)

/* The launch, as QMP query-sev names its states. */
typedef enum {
    SEV_STATE_UNINIT,
    SEV_STATE_LAUNCH_UPDATE,
    SEV_STATE_LAUNCH_SECRET,
    SEV_STATE_RUNNING,
    SEV_STATE_SEND_UPDATE,
    SEV_STATE_RECEIVE_UPDATE,
} SevState;

const char *sev_state_name(SevState state);

typedef struct SevGuest {
    ConfidentialGuestSupport parent_instance;

    /* Properties (QEMU's names and defaults). */
    char *sev_device;         /* "/dev/sev" */
    uint32_t policy;          /* 0x1 */
    uint32_t handle;          /* in: for key sharing; out: the guest's */
    char *dh_cert_file;
    char *session_file;
    uint32_t cbitpos;         /* 0: the host's */
    uint32_t reduced_phys_bits; /* 0: the host's */
    bool kernel_hashes;

    /* The launch. */
    int sev_fd;
    KvmState *kvm;
    SevState state;
    uint8_t api_major;
    uint8_t api_minor;
    uint8_t build_id;
    uint32_t platform_flags;  /* PLATFORM_STATUS flags */
    uint8_t measurement[48];  /* MEASURE(32) || MNONCE(16) */
    uint32_t measurement_len;
    /* The firmware's secret area (its GUID table), 0 when it has none. */
    uint64_t secret_gpa;
    uint64_t secret_size;
} SevGuest;

GType sev_guest_get_type(void);
#define CG_SEV_GUEST(obj) \
    G_TYPE_CHECK_INSTANCE_CAST((obj), sev_guest_get_type(), SevGuest)
#define CG_IS_SEV_GUEST(obj) \
    G_TYPE_CHECK_INSTANCE_TYPE((obj), sev_guest_get_type())

/* The sev-guest of @ms, or NULL when the machine has none. */
SevGuest *sev_guest_of(MachineState *ms);

/* KVM_MEMORY_ENCRYPT_OP command @id: 0 or -errno; *fw_error set. */
int sev_guest_cmd(SevGuest *sev, uint32_t id, void *data, int *fw_error);

/* True when the policy asks for SEV-ES. */
static inline bool sev_guest_es(const SevGuest *sev)
{
    return sev->policy & SEV_POLICY_ES;
}

/* --- sev-ovmf.c --------------------------------------------------------- */

/* GUIDs of the firmware table entries sev-guest reads. */
#define SEV_OVMF_SECRET_GUID "4c2eb361-7d9b-4cc3-8081-127c90d3d294"
#define SEV_OVMF_ES_RESET_GUID "00f771de-1a7e-4fcb-890e-68c77e2fb44e"

/*
 * The data of entry @guid in the GUID table at the end of firmware image
 * @image (OVMF's layout); false when there is no table or no such entry,
 * or the table is malformed.
 */
bool sev_ovmf_find(const uint8_t *image, size_t size, const char *guid,
                   const uint8_t **data, size_t *len);
/* Whether @image ends with such a table at all. */
bool sev_ovmf_has_table(const uint8_t *image, size_t size);

/* --- sev-fw.c ----------------------------------------------------------- */

/* "POLICY_FAILURE" for a firmware status code; "UNKNOWN" otherwise. */
const char *sev_fw_error_name(int code);
/*
 * How a failed command ended, for messages: "firmware error
 * POLICY_FAILURE (7): the policy is not allowed" when the firmware
 * answered, else the kernel's errno text.  @ret is the ioctl's -errno.
 */
char *sev_fw_error_text(int ret, int fw_error);

/* "0x5 (nodbg, es)", naming every set bit and the minimum API. */
char *sev_policy_describe(uint32_t policy);
/* The names of the set bits, for QMP ("nodbg", "es", ...). */
GPtrArray *sev_policy_flags(uint32_t policy);

/*
 * Reads a base64 file as libvirt writes it (whitespace allowed, strict
 * alphabet and padding).  Errors name the property and the file.
 */
bool sev_read_base64_file(const char *prop, const char *path,
                          guchar **data, gsize *len, GError **err);
/* Strict base64 decoding of QMP arguments; NULL on bad input. */
guchar *sev_base64_decode_strict(const char *text, gsize *len);

/* SEV_ISSUE_CMD on /dev/sev: 0 or -errno; *fw_error set. */
int sev_platform_cmd(int fd, int cmd, void *data, int *fw_error);

/* What the host offers, from KVM_GET_SUPPORTED_CPUID and the CPU. */
typedef struct SevHostInfo {
    char vendor[13];          /* "AuthenticAMD" */
    bool cpu_sev;             /* the CPU itself has SEV (CPUID) */
    bool kvm_sev;             /* KVM offers leaf 0x8000001F with SEV */
    bool kvm_es;              /* ... and SEV-ES */
    uint32_t cbitpos;         /* EBX[5:0] as KVM offers it */
    uint32_t reduced_phys_bits; /* EBX[11:6] */
} SevHostInfo;

/*
 * Fills @info from KVM (@kvm_dev_fd is /dev/kvm) and the host CPU.
 * False only when KVM_GET_SUPPORTED_CPUID itself fails.
 */
bool sev_host_probe(int kvm_dev_fd, SevHostInfo *info, GError **err);
/*
 * False with the reason when @info shows no usable SEV: a non-AMD CPU, an
 * AMD CPU without SEV, or KVM not offering it (kvm_amd sev=0).
 */
bool sev_host_check(const SevHostInfo *info, GError **err);

/* Opens @path for SEV commands; distinct messages for missing/denied. */
int sev_open_device(const char *path, GError **err);

#endif
