/* s390x IPL parameter blocks: the checks of DIAGNOSE 308 subcodes 5 and 8. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hw/s390x/ipl.h"

#include "util/error.h"

#define PAGE_MASK_4K 0xfffull

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
           (uint32_t)p[2] << 8 | p[3];
}

static uint64_t get64(const uint8_t *p)
{
    return (uint64_t)get32(p) << 32 | get32(p + 4);
}

uint32_t s390_iplb_len(const uint8_t *iplb)
{
    return get32(iplb);
}

#define IPLB_PBT 12

bool s390_iplb_check(const uint8_t *iplb, GError **err)
{
    uint32_t len = s390_iplb_len(iplb);

    switch (iplb[IPLB_PBT]) {
    case S390_IPL_TYPE_CCW:
        if (len >= S390_IPLB_MIN_CCW_LEN && len <= S390_IPLB_SIZE) {
            return true;
        }
        break;
    case S390_IPL_TYPE_FCP:
        if (len >= S390_IPLB_MIN_FCP_LEN && len <= S390_IPLB_SIZE) {
            return true;
        }
        break;
    default:
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "IPL block of type %u is not a CCW or FCP block",
                    iplb[IPLB_PBT]);
        return false;
    }
    g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                "IPL block of type %u has length %u, out of range",
                iplb[IPLB_PBT], len);
    return false;
}

bool s390_iplb_parse_pv(const uint8_t *iplb, AddressSpace *mem,
                        S390PvIpl *out, GError **err)
{
    uint32_t len = s390_iplb_len(iplb);
    uint32_t n;

    if (iplb[IPLB_PBT] != S390_IPL_TYPE_PV) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "IPL block type is %u, not 5 (protected virtualization)",
                    iplb[IPLB_PBT]);
        return false;
    }
    if (len < S390_IPLB_MIN_PV_LEN || len > S390_IPLB_SIZE) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "protected IPL block length %u is outside %u..%u", len,
                    S390_IPLB_MIN_PV_LEN, S390_IPLB_SIZE);
        return false;
    }
    n = get32(iplb + 0x74);
    if (n == 0 || n > S390_PV_MAX_COMPONENTS ||
        S390_IPLB_PV_COMPONENTS + n * S390_IPLB_PV_COMPONENT_SIZE > len) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "protected IPL block lists %u components, which do not "
                    "fit its length %u", n, len);
        return false;
    }
    out->header_addr = get64(iplb + 0x78);
    out->header_len = get64(iplb + 0x80);
    out->n_components = n;
    if (out->header_len > S390_PV_HEADER_MAX ||
        (mem != NULL && guest_ram_ptr(mem, out->header_addr,
                                      out->header_len) == NULL)) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "SE header (0x%" G_GINT64_MODIFIER "x bytes at 0x%"
                    G_GINT64_MODIFIER "x) is larger than two pages or not "
                    "in guest RAM", out->header_len, out->header_addr);
        return false;
    }
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *c = iplb + S390_IPLB_PV_COMPONENTS +
                           i * S390_IPLB_PV_COMPONENT_SIZE;
        S390PvComponent *comp = &out->components[i];

        comp->tweak = get64(c);
        comp->addr = get64(c + 8);
        comp->size = get64(c + 16);
        if (comp->addr & PAGE_MASK_4K) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "component %u at 0x%" G_GINT64_MODIFIER "x is not "
                        "page aligned", i, comp->addr);
            return false;
        }
        if (i > 0 && comp->tweak <= out->components[i - 1].tweak) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "component %u: tweak prefix 0x%" G_GINT64_MODIFIER
                        "x does not increase", i, comp->tweak);
            return false;
        }
    }
    return true;
}
