/*
 * Host simulator, IBM Z model: what the KVM part (hostsim-s390.c) and the
 * Ultravisor (hostsim-s390-uv.c) share.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HOSTSIM_S390_H
#define HOSTSIM_S390_H

#include "hostsim-fakekvm.h"

#define S390_SE_DIGEST 64

extern const HostsimModel hostsim_s390_model;

typedef enum {
    UV_OFF,                     /* not a protected VM */
    UV_ENABLED,                 /* ENABLE done */
    UV_PARMS,                   /* SE header accepted, unpacking */
    UV_VERIFIED,                /* runs protected */
} UvState;

/* One VM's configuration as the Ultravisor holds it. */
typedef struct {
    UvState state;
    uint64_t nep;               /* pages the SE header lists */
    uint8_t pld[S390_SE_DIGEST], ald[S390_SE_DIGEST], tld[S390_SE_DIGEST];
    GChecksum *pld_sum, *ald_sum, *tld_sum;
    uint64_t pages;             /* unpacked so far */
    GHashTable *unpacked;       /* guest page addresses */
} S390Uv;

void hostsim_s390_uv_init(S390Uv *uv);
void hostsim_s390_uv_clear(S390Uv *uv);
void hostsim_s390_uv_destroy(S390Uv *uv);

/*
 * KVM_S390_PV_COMMAND of @vm, whose Ultravisor state is @uv; @host_pv
 * says whether the host offers protected virtualization at all.  Returns
 * 0 or -errno as the ioctl, logs one line, takes injected faults.
 */
int hostsim_s390_pv_command(FakeKvmVm *vm, S390Uv *uv, bool host_pv,
                            void *arg);

/* The status names faults can inject (HOSTSIM_FAULT=UNPACK:ADDRESS...). */
bool hostsim_s390_uv_parse_status(const char *name, uint32_t *status);

#endif
