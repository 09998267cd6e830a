/*
 * Host simulator, AMD SEV model: state shared by its two files.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * hostsim-sev.c is the platform side (configuration, the /dev/sev device,
 * CPUID, encrypted regions, the firmware's guest table); hostsim-sev-launch.c
 * is the KVM_MEMORY_ENCRYPT_OP side (the guest launch commands).
 */
#ifndef HOSTSIM_SEV_H
#define HOSTSIM_SEV_H

#include "hostsim.h"

#include <linux/kvm.h>
#include <linux/psp-sev.h>

/* The kernel's limit on blobs it copies for the firmware. */
#define SEV_FW_BLOB_MAX_SIZE 0x4000

/* Guest policy bits (SEV API, "Guest Policy"). */
#define SEV_POLICY_NOKS (1u << 1)
#define SEV_POLICY_ES (1u << 2)
#define SEV_POLICY_API_MAJOR(p) (((p) >> 16) & 0xff)
#define SEV_POLICY_API_MINOR(p) (((p) >> 24) & 0xff)

#define SEV_MEASURE_LEN 32
#define SEV_NONCE_LEN 16
#define SEV_KEY_LEN 16
#define SEV_DIGEST_LEN 32
/* LAUNCH_MEASURE output: MEASURE(32) || MNONCE(16). */
#define SEV_MEASURE_BLOB_LEN (SEV_MEASURE_LEN + SEV_NONCE_LEN)
/* LAUNCH_SECRET packet header: FLAGS(4) || IV(16) || MAC(32). */
#define SEV_SECRET_HDR_LEN 52
/* ATTESTATION report: 0x40 bytes of fields and a 144-byte signature. */
#define SEV_REPORT_LEN 0xd0
#define SEV_VMSA_LEN 4096

/* Firmware guest states (SEV API, "GSTATE"). */
typedef enum SevGuestState {
    SEV_GSTATE_UNINIT,
    SEV_GSTATE_LUPDATE,
    SEV_GSTATE_LSECRET,
    SEV_GSTATE_RUNNING,
    SEV_GSTATE_SUPDATE,
    SEV_GSTATE_RUPDATE,
    SEV_GSTATE_SENT,
} SevGuestState;

typedef struct SevConfig {
    bool kvm;              /* model the KVM side */
    const char *device;    /* path of the simulated device */
    unsigned device_mode;  /* SEV_DEVICE_PRESENT, ... */
    uint8_t api_major, api_minor, build;
    bool es;
    unsigned cbitpos, reduced_phys_bits;
    uint8_t tik[SEV_KEY_LEN], tek[SEV_KEY_LEN], mnonce[SEV_NONCE_LEN];
} SevConfig;

enum { SEV_DEVICE_PRESENT, SEV_DEVICE_MISSING, SEV_DEVICE_EACCES };

/* What KVM and the firmware know about one VM. */
typedef struct SevVm {
    bool active;          /* KVM_SEV_INIT or KVM_SEV_ES_INIT succeeded */
    bool es;
    bool vmsa_done;       /* vCPU state is encrypted (ES) */
    int sev_fd;           /* from LAUNCH_START; 0 before it, as in KVM */
    uint32_t handle;      /* firmware guest handle, 0 = none */
    uint32_t policy;
    SevGuestState state;
    GChecksum *ld;        /* launch digest being built */
    uint8_t digest[SEV_DIGEST_LEN];
    uint8_t measure[SEV_MEASURE_LEN];
    GArray *regions;      /* struct kvm_enc_region, registered */
} SevVm;

/* One logged call: "<COMMAND> <inputs> -> <result> <outputs>". */
typedef struct SevCall {
    GString *line;
    uint32_t *error;      /* where a firmware status goes */
} SevCall;

extern const HostsimModel hostsim_sev_model;

const SevConfig *sev_config(void);

/* --- logged results: each logs the line and returns the ioctl result --- */

void sev_call_begin(SevCall *c, uint32_t *error, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);
/* Success; @fmt (may be NULL) adds outputs after "ok". */
int sev_call_ok(SevCall *c, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* The firmware fails with @status: -EIO, status in *c->error. */
int sev_call_fw_error(SevCall *c, uint32_t status, bool injected,
                      const char *fmt, ...) G_GNUC_PRINTF(4, 5);
/* The kernel fails by itself with -@err. */
int sev_call_errno(SevCall *c, int err, bool injected);
/*
 * Count the command for fault injection; when it must fail, log the
 * failure, set *ret and return true.
 */
bool sev_call_fault(SevCall *c, const char *command, int *ret);

const char *sev_status_name(uint32_t status);
const char *sev_gstate_name(SevGuestState state);

/* --- platform bookkeeping (hostsim-sev.c) --- */

/* A new firmware guest context: its handle (1, 2, ...). */
uint32_t sev_platform_guest_add(SevVm *vm);
void sev_platform_guest_remove(uint32_t handle);
SevVm *sev_platform_guest(uint32_t handle);

/* Whether @fd is an open simulated SEV device (what KVM checks). */
bool sev_is_device_fd(int fd);

/* Whether [addr, addr + size) is mapped, without touching the pages. */
bool sev_range_mapped(uint64_t addr, uint64_t size);

static inline void sev_put_le32(uint8_t *p, uint32_t v)
{
    p[0] = v;
    p[1] = v >> 8;
    p[2] = v >> 16;
    p[3] = v >> 24;
}

/* The VMSA block the simulator measures for vCPU @id (SEV_VMSA_LEN). */
void sev_vmsa_block(uint32_t id, uint8_t *block);

/* --- launch commands (hostsim-sev-launch.c) --- */

/* KVM_MEMORY_ENCRYPT_OP on @vm_fd with the kernel's argument checks. */
int sev_kvm_encrypt_op(HostsimFd *vm_fd, SevVm *vm, void *arg);
void sev_vm_free(SevVm *vm);

#endif /* HOSTSIM_SEV_H */
