/* POWER CPU models of the pseries machine: PVRs and device-tree facts. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_TARGET_PPC_CPU_MODELS_H
#define CGEMU_TARGET_PPC_CPU_MODELS_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

G_BEGIN_DECLS

/*
 * Logical PVRs ("architected" processor versions, PAPR): a guest running
 * in a compatibility mode sees these in its device tree instead of the
 * physical PVR of the host processor.
 */
#define PPC_LOGICAL_PVR_ISA_3_00 0x0f000005u    /* POWER9 mode */
#define PPC_LOGICAL_PVR_ISA_3_10 0x0f000006u    /* POWER10 mode */

/* A PVR's version field (upper half): the processor family. */
#define PPC_PVR_FAMILY(pvr) ((uint32_t)(pvr) >> 16)

/*
 * What the device tree says about a processor family.  Everything here
 * is what Linux reads from a cpu node (docs/system/ppc/pseries.rst lists
 * the properties and why each is there).
 */
typedef struct PpcCpuModel {
    const char *name;           /* -cpu NAME: "power9" */
    const char *dt_name;        /* node name: "PowerPC,POWER9" */
    const char *desc;
    uint32_t pvr;               /* physical PVR of the modelled revision */
    uint32_t logical_pvr;       /* its compatibility-mode PVR */
    unsigned generation;        /* 9, 10: a host runs this or older */
    uint32_t icache_size;       /* L1, bytes */
    uint32_t dcache_size;
    uint32_t cache_line;        /* L1 line and block size, bytes */
    uint32_t dec_bits;          /* decrementer width */
} PpcCpuModel;

/* Timebase frequency of POWER9 and POWER10 (PAPR requires 512 MHz). */
#define PPC_TIMEBASE_HZ 512000000u
/* The nominal clock cgemu reports (the guest keeps time by the timebase). */
#define PPC_CLOCK_HZ 1000000000u

/*
 * The CPU of a pseries machine: the -cpu model and, once known, what the
 * guest really gets.  Under KVM the physical PVR is the host's (-cpu host,
 * or a model of the host's own generation) and compat_pvr is set when an
 * older model runs on a newer host; under qtest the model's own PVR.
 */
typedef struct PpcCpuConfig {
    const PpcCpuModel *model;   /* NULL for -cpu host until KVM says */
    bool host;                  /* -cpu host */
    uint32_t pvr;               /* what cpu-version shows without compat */
    uint32_t compat_pvr;        /* 0: no compatibility mode */
} PpcCpuConfig;

/* By -cpu name (case-insensitive), or NULL. */
const PpcCpuModel *ppc_cpu_model_find(const char *name);
/* The model of the family of @pvr, or NULL for a processor cgemu lacks. */
const PpcCpuModel *ppc_cpu_model_by_pvr(uint32_t pvr);
/* The default model of the pseries machine ("power9", as QEMU 7.2). */
const PpcCpuModel *ppc_cpu_model_default(void);

/*
 * Parses the -cpu text (NULL: the default).  POWER models take no
 * features; "host" leaves the model to the accelerator.  Errors name the
 * text and list the models.
 */
bool ppc_cpu_config_parse(const char *text, PpcCpuConfig *out, GError **err);

/*
 * Fits the configuration to a host processor with physical PVR
 * @host_pvr (KVM): -cpu host becomes the host's family; an older model
 * than the host runs in its compatibility mode; a newer model than the
 * host is an error naming both.
 */
bool ppc_cpu_config_fit_host(PpcCpuConfig *cfg, uint32_t host_pvr,
                             GError **err);

/* The cpu-version the guest sees. */
uint32_t ppc_cpu_config_version(const PpcCpuConfig *cfg);

/*
 * Device-tree tables shared by every model cgemu has (ISA 3.0 and
 * later): ibm,pa-features, ibm,segment-page-sizes and
 * ibm,processor-radix-AP-encodings.  pa-features is the property's
 * bytes; the others are 32-bit cells in host order.
 */
const uint8_t *ppc_dt_pa_features(size_t *len);
const uint32_t *ppc_dt_segment_page_sizes(size_t *ncells);
const uint32_t *ppc_dt_radix_ap_encodings(size_t *ncells);

/* -cpu help: one model a line. */
void ppc_cpu_models_help(GString *out);

G_END_DECLS

#endif
