/* pseries hypercalls that reach userspace: the console and RTAS. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hw/ppc/spapr.h"

/* H_PUT_TERM_CHAR/H_GET_TERM_CHAR carry 16 bytes in two registers. */
#define TERM_MAX 16

/* Register @r (big-endian: the first byte is the most significant). */
static void regs_to_bytes(const uint64_t *r, uint8_t *out, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        out[i] = (uint8_t)(r[i / 8] >> (56 - 8 * (i % 8)));
    }
}

static void bytes_to_regs(const uint8_t *in, size_t len, uint64_t *r)
{
    r[0] = r[1] = 0;
    for (size_t i = 0; i < len; i++) {
        r[i / 8] |= (uint64_t)in[i] << (56 - 8 * (i % 8));
    }
}

/* r4 = unit address, r5 = length, r6-r7 = the bytes. */
static int64_t h_put_term_char(SpaprMachineState *spapr, uint64_t *args)
{
    DeviceState *vty;
    uint8_t buf[TERM_MAX];

    if (args[0] > UINT32_MAX || args[1] > TERM_MAX) {
        return H_PARAMETER;
    }
    vty = spapr_vty_find(CG_MACHINE(spapr), (uint32_t)args[0]);
    if (vty == NULL) {
        return H_PARAMETER;
    }
    regs_to_bytes(args + 2, buf, (size_t)args[1]);
    spapr_vty_put_chars(vty, buf, (size_t)args[1]);
    return H_SUCCESS;
}

/* r4 = unit address; returns r4 = length, r5-r6 = the bytes. */
static int64_t h_get_term_char(SpaprMachineState *spapr, uint64_t *args)
{
    DeviceState *vty;
    uint8_t buf[TERM_MAX];
    size_t n;

    if (args[0] > UINT32_MAX) {
        return H_PARAMETER;
    }
    vty = spapr_vty_find(CG_MACHINE(spapr), (uint32_t)args[0]);
    if (vty == NULL) {
        return H_PARAMETER;
    }
    n = spapr_vty_get_chars(vty, buf, sizeof(buf));
    args[0] = n;
    bytes_to_regs(buf, n, args + 1);
    return H_SUCCESS;
}

int64_t spapr_hypercall(SpaprMachineState *spapr, unsigned vcpu, uint64_t nr,
                        uint64_t args[9])
{
    MachineState *ms = CG_MACHINE(spapr);
    int64_t ret;

    machine_lock(ms);
    switch (nr) {
    case H_PUT_TERM_CHAR:
        ret = h_put_term_char(spapr, args);
        break;
    case H_GET_TERM_CHAR:
        ret = h_get_term_char(spapr, args);
        break;
    case KVMPPC_H_RTAS:
        ret = spapr_rtas_call(spapr, (int)vcpu, args[0]);
        break;
    default:
        /* PAPR: a hypercall the platform lacks is H_FUNCTION. */
        ret = H_FUNCTION;
        break;
    }
    machine_unlock(ms);
    return ret;
}
