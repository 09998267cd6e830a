/* POWER CPU models of the pseries machine: PVRs and device-tree facts. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "target/ppc/cpu-models.h"

#include "util/error.h"

#include <string.h>

/*
 * PVRs of the revisions QEMU 7.2 names "power9" (power9_v2.0) and
 * "power10" (power10_v2.0), so that guests see the same cpu-version on
 * both.  L1 sizes are those of the processors' user manuals.
 */
static const PpcCpuModel models[] = {
    {
        .name = "power9",
        .dt_name = "PowerPC,POWER9",
        .desc = "IBM POWER9 (PVR 0x004e1200), Power ISA 3.0",
        .pvr = 0x004e1200,
        .logical_pvr = PPC_LOGICAL_PVR_ISA_3_00,
        .generation = 9,
        .icache_size = 32 * 1024,
        .dcache_size = 32 * 1024,
        .cache_line = 128,
        .dec_bits = 56,
    },
    {
        .name = "power10",
        .dt_name = "PowerPC,POWER10",
        .desc = "IBM POWER10 (PVR 0x00800200), Power ISA 3.1",
        .pvr = 0x00800200,
        .logical_pvr = PPC_LOGICAL_PVR_ISA_3_10,
        .generation = 10,
        .icache_size = 48 * 1024,
        .dcache_size = 32 * 1024,
        .cache_line = 128,
        .dec_bits = 56,
    },
};

const PpcCpuModel *ppc_cpu_model_find(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(models); i++) {
        if (g_ascii_strcasecmp(models[i].name, name) == 0) {
            return &models[i];
        }
    }
    return NULL;
}

const PpcCpuModel *ppc_cpu_model_by_pvr(uint32_t pvr)
{
    for (size_t i = 0; i < G_N_ELEMENTS(models); i++) {
        if (PPC_PVR_FAMILY(models[i].pvr) == PPC_PVR_FAMILY(pvr)) {
            return &models[i];
        }
    }
    return NULL;
}

const PpcCpuModel *ppc_cpu_model_default(void)
{
    return &models[0];
}

static char *model_list(void)
{
    GString *s = g_string_new(NULL);

    for (size_t i = 0; i < G_N_ELEMENTS(models); i++) {
        g_string_append_printf(s, "%s, ", models[i].name);
    }
    g_string_append(s, "host");
    return g_string_free(s, FALSE);
}

bool ppc_cpu_config_parse(const char *text, PpcCpuConfig *out, GError **err)
{
    g_autofree char *list = NULL;
    const char *comma;

    *out = (PpcCpuConfig){ 0 };
    if (text == NULL) {
        out->model = ppc_cpu_model_default();
        out->pvr = out->model->pvr;
        return true;
    }
    comma = strchr(text, ',');
    if (comma != NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "-cpu %s: POWER CPU models take no features ('%s'); "
                    "give just the model", text, comma + 1);
        return false;
    }
    if (g_ascii_strcasecmp(text, "host") == 0) {
        out->host = true;
        return true;
    }
    out->model = ppc_cpu_model_find(text);
    if (out->model == NULL) {
        list = model_list();
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "-cpu %s: unknown CPU model; the pseries machine has: %s "
                    "(-cpu help lists them)", text, list);
        return false;
    }
    out->pvr = out->model->pvr;
    return true;
}

bool ppc_cpu_config_fit_host(PpcCpuConfig *cfg, uint32_t host_pvr,
                             GError **err)
{
    const PpcCpuModel *host = ppc_cpu_model_by_pvr(host_pvr);

    if (host == NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "KVM: the host processor (PVR 0x%08x) is not one cgemu "
                    "knows; it runs POWER9 and POWER10 hosts", host_pvr);
        return false;
    }
    if (cfg->host || cfg->model == host) {
        cfg->model = host;
        cfg->pvr = host_pvr;
        cfg->compat_pvr = 0;
        return true;
    }
    if (cfg->model->generation > host->generation) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "-cpu %s: this host is a %s (PVR 0x%08x), which cannot "
                    "run a newer processor; use -cpu host or -cpu %s",
                    cfg->model->name, host->name, host_pvr, host->name);
        return false;
    }
    cfg->pvr = host_pvr;
    cfg->compat_pvr = cfg->model->logical_pvr;
    return true;
}

uint32_t ppc_cpu_config_version(const PpcCpuConfig *cfg)
{
    return cfg->compat_pvr != 0 ? cfg->compat_pvr : cfg->pvr;
}

/*
 * ibm,pa-features (PAPR "Processor Attributes"): a header (the number of
 * attribute bytes, 66, and type 0), then one bit per facility.  Byte 0
 * has the MMU, FPU, SLB, RUN, DABR, no-execute, SMT and cache-inhibited
 * large page bits; bytes 1-5 the Power ISA 2.0x facilities (VSX, DFP,
 * DSCR, CFAR, little-endian exceptions ...); from byte 16 on, one
 * facility per even byte, ISA 3.0's (Linux reads byte 40, bit 0, to
 * choose the radix MMU).  These are the bits QEMU 7.2 gives POWER9 and
 * POWER10 guests, so that a guest finds the same facilities on both.
 */
static const uint8_t pa_features[] = {
    0x42, 0x00,
    0xf6, 0x3f, 0xc7, 0xc0, 0x80, 0xf0, 0x80, 0x00,     /* 0 - 7 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,     /* 8 - 15 */
    0x80, 0x00, 0x80, 0x00, 0x80, 0x00, 0x00, 0x00,     /* 16 - 23 */
    0x80, 0x00, 0x80, 0x00, 0x80, 0x00, 0x80, 0x00,     /* 24 - 31 */
    0x80, 0x00, 0xc0, 0x00, 0x80, 0x00, 0x80, 0x00,     /* 32 - 39 */
    0x80, 0x00, 0x80, 0x00, 0x80, 0x00, 0x80, 0x00,     /* 40 - 47 */
    0x80, 0x00, 0x80, 0x00, 0x80, 0x00, 0x80, 0x00,     /* 48 - 55 */
    0x80, 0x00, 0x80, 0x00, 0x80, 0x00, 0x80, 0x00,     /* 56 - 63 */
    0x00, 0x00,                                         /* 64 - 65 */
};

/*
 * ibm,segment-page-sizes: per segment base page size, (base shift, SLB
 * encoding, count, then count pairs of (page shift, PTE encoding)).  Only
 * 4 KiB and 64 KiB pages: every POWER9 and POWER10 host backs those, and
 * a guest uses only what is listed.
 */
static const uint32_t segment_page_sizes[] = {
    12, 0x000, 1, 12, 0x0,      /* 4 KiB segments: 4 KiB pages */
    16, 0x110, 1, 16, 0x1,      /* 64 KiB segments: 64 KiB pages */
};

/* Radix page sizes: AP field (top 3 bits) and shift. */
static const uint32_t radix_ap_encodings[] = {
    0x0000000c,     /* 4 KiB, AP 0 */
    0xa0000010,     /* 64 KiB, AP 5 */
    0x20000015,     /* 2 MiB, AP 1 */
    0x4000001e,     /* 1 GiB, AP 2 */
};

const uint8_t *ppc_dt_pa_features(size_t *len)
{
    *len = sizeof(pa_features);
    return pa_features;
}

const uint32_t *ppc_dt_segment_page_sizes(size_t *ncells)
{
    *ncells = G_N_ELEMENTS(segment_page_sizes);
    return segment_page_sizes;
}

const uint32_t *ppc_dt_radix_ap_encodings(size_t *ncells)
{
    *ncells = G_N_ELEMENTS(radix_ap_encodings);
    return radix_ap_encodings;
}

void ppc_cpu_models_help(GString *out)
{
    g_string_append(out, "Available CPU models of the pseries machine:\n");
    for (size_t i = 0; i < G_N_ELEMENTS(models); i++) {
        g_string_append_printf(out, "  %-10s %s%s\n", models[i].name,
                               models[i].desc,
                               &models[i] == ppc_cpu_model_default()
                                   ? " (default)" : "");
    }
    g_string_append_printf(out, "  %-10s %s\n", "host",
                           "the host's own processor (KVM on a POWER host "
                           "only)");
}
