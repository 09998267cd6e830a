/* pseries RTAS: console, time, power, and PCI configuration access. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hw/ppc/spapr.h"

#include <string.h>

/*
 * PAPR's rtas_args block: token, nargs, nret, then nargs argument words
 * and nret result words, all big-endian 32-bit; at most 16 words of
 * arguments and results together.
 */
#define RTAS_HEADER_WORDS 3
#define RTAS_MAX_WORDS 16
#define RTAS_TOKEN_BASE 0x2000u

/* PCI configuration address: reg 7:0, devfn 15:8, bus 23:16, ext 31:28. */
#define RTAS_PCI_REG(a) (((a) & 0xff) | (((a) >> 20) & 0xf00))
#define RTAS_PCI_DEVFN(a) ((int)(((a) >> 8) & 0xff))
#define RTAS_PCI_BUS(a) (((a) >> 16) & 0xff)

typedef struct RtasCall RtasCall;

typedef void (*RtasFunc)(SpaprMachineState *spapr, uint32_t nargs,
                         const uint32_t *args, uint32_t nret,
                         uint32_t *rets);

struct RtasCall {
    const char *name;
    RtasFunc fn;
};

static void set_status(uint32_t nret, uint32_t *rets, int32_t status)
{
    if (nret >= 1) {
        rets[0] = (uint32_t)status;
    }
}

static bool check_counts(uint32_t nargs, uint32_t want_args, uint32_t nret,
                         uint32_t want_rets, uint32_t *rets)
{
    if (nargs != want_args || nret != want_rets) {
        set_status(nret, rets, RTAS_OUT_PARAM_ERROR);
        return false;
    }
    return true;
}

static void rtas_display_character(SpaprMachineState *spapr, uint32_t nargs,
                                   const uint32_t *args, uint32_t nret,
                                   uint32_t *rets)
{
    g_autoptr(GPtrArray) vtys = NULL;
    uint8_t c;

    if (!check_counts(nargs, 1, nret, 1, rets)) {
        return;
    }
    vtys = spapr_vty_list(CG_MACHINE(spapr));
    if (vtys->len == 0) {
        set_status(nret, rets, RTAS_OUT_HW_ERROR);
        return;
    }
    c = (uint8_t)args[0];
    spapr_vty_put_chars(g_ptr_array_index(vtys, 0), &c, 1);
    set_status(nret, rets, RTAS_OUT_SUCCESS);
}

static void rtas_get_time_of_day(SpaprMachineState *spapr, uint32_t nargs,
                                 const uint32_t *args, uint32_t nret,
                                 uint32_t *rets)
{
    g_autoptr(GDateTime) now = g_date_time_new_now_utc();

    if (!check_counts(nargs, 0, nret, 8, rets)) {
        return;
    }
    rets[0] = RTAS_OUT_SUCCESS;
    rets[1] = (uint32_t)g_date_time_get_year(now);
    rets[2] = (uint32_t)g_date_time_get_month(now);
    rets[3] = (uint32_t)g_date_time_get_day_of_month(now);
    rets[4] = (uint32_t)g_date_time_get_hour(now);
    rets[5] = (uint32_t)g_date_time_get_minute(now);
    rets[6] = (uint32_t)g_date_time_get_second(now);
    rets[7] = (uint32_t)g_date_time_get_microsecond(now) * 1000;
}

static void rtas_power_off(SpaprMachineState *spapr, uint32_t nargs,
                           const uint32_t *args, uint32_t nret,
                           uint32_t *rets)
{
    if (!check_counts(nargs, 2, nret, 1, rets)) {
        return;
    }
    machine_request_shutdown(CG_MACHINE(spapr), SHUTDOWN_CAUSE_GUEST_SHUTDOWN);
    set_status(nret, rets, RTAS_OUT_SUCCESS);
}

static void rtas_system_reboot(SpaprMachineState *spapr, uint32_t nargs,
                               const uint32_t *args, uint32_t nret,
                               uint32_t *rets)
{
    if (!check_counts(nargs, 0, nret, 1, rets)) {
        return;
    }
    machine_request_reset(CG_MACHINE(spapr), SHUTDOWN_CAUSE_GUEST_RESET);
    set_status(nret, rets, RTAS_OUT_SUCCESS);
}

static void rtas_os_term(SpaprMachineState *spapr, uint32_t nargs,
                         const uint32_t *args, uint32_t nret, uint32_t *rets)
{
    if (!check_counts(nargs, 1, nret, 1, rets)) {
        return;
    }
    machine_request_shutdown(CG_MACHINE(spapr), SHUTDOWN_CAUSE_GUEST_PANIC);
    set_status(nret, rets, RTAS_OUT_SUCCESS);
}

/*
 * Configuration space of bus 0 of the one PHB.  An absent function (or
 * another bus) is a hardware error, as on PowerVM, and reads all-ones.
 */
static int32_t pci_config_rw(SpaprMachineState *spapr, uint32_t addr,
                             uint32_t size, bool write, uint32_t *val)
{
    uint32_t reg = RTAS_PCI_REG(addr);
    int devfn = RTAS_PCI_DEVFN(addr);

    if ((size != 1 && size != 2 && size != 4) || reg % size != 0 ||
        reg >= 0x1000) {
        return RTAS_OUT_PARAM_ERROR;
    }
    if (RTAS_PCI_BUS(addr) != 0 || pci_host_find(spapr->phb, devfn) ==
                                       NULL) {
        if (!write) {
            *val = size == 4 ? UINT32_MAX : (1u << (8 * size)) - 1;
        }
        return RTAS_OUT_HW_ERROR;
    }
    if (write) {
        pci_host_config_write(spapr->phb, devfn, reg, *val, size);
    } else {
        *val = pci_host_config_read(spapr->phb, devfn, reg, size);
    }
    return RTAS_OUT_SUCCESS;
}

static bool buid_ok(const uint32_t *hi_lo)
{
    return ((uint64_t)hi_lo[0] << 32 | hi_lo[1]) == SPAPR_PHB_BUID;
}

static void rtas_read_pci_config(SpaprMachineState *spapr, uint32_t nargs,
                                 const uint32_t *args, uint32_t nret,
                                 uint32_t *rets)
{
    uint32_t val = 0;

    if (!check_counts(nargs, 2, nret, 2, rets)) {
        return;
    }
    rets[0] = (uint32_t)pci_config_rw(spapr, args[0], args[1], false, &val);
    rets[1] = val;
}

static void rtas_write_pci_config(SpaprMachineState *spapr, uint32_t nargs,
                                  const uint32_t *args, uint32_t nret,
                                  uint32_t *rets)
{
    uint32_t val;

    if (!check_counts(nargs, 3, nret, 1, rets)) {
        return;
    }
    val = args[2];
    rets[0] = (uint32_t)pci_config_rw(spapr, args[0], args[1], true, &val);
}

static void rtas_ibm_read_pci_config(SpaprMachineState *spapr,
                                     uint32_t nargs, const uint32_t *args,
                                     uint32_t nret, uint32_t *rets)
{
    uint32_t val = 0;

    if (!check_counts(nargs, 4, nret, 2, rets)) {
        return;
    }
    if (!buid_ok(args + 1)) {
        rets[0] = (uint32_t)RTAS_OUT_PARAM_ERROR;
        rets[1] = UINT32_MAX;
        return;
    }
    rets[0] = (uint32_t)pci_config_rw(spapr, args[0], args[3], false, &val);
    rets[1] = val;
}

static void rtas_ibm_write_pci_config(SpaprMachineState *spapr,
                                      uint32_t nargs, const uint32_t *args,
                                      uint32_t nret, uint32_t *rets)
{
    uint32_t val;

    if (!check_counts(nargs, 5, nret, 1, rets)) {
        return;
    }
    if (!buid_ok(args + 1)) {
        rets[0] = (uint32_t)RTAS_OUT_PARAM_ERROR;
        return;
    }
    val = args[4];
    rets[0] = (uint32_t)pci_config_rw(spapr, args[0], args[3], true, &val);
}

/* The token of entry i is RTAS_TOKEN_BASE + i; /rtas lists them all. */
static const RtasCall calls[] = {
    { "display-character", rtas_display_character },
    { "get-time-of-day", rtas_get_time_of_day },
    { "power-off", rtas_power_off },
    { "system-reboot", rtas_system_reboot },
    { "ibm,os-term", rtas_os_term },
    { "read-pci-config", rtas_read_pci_config },
    { "write-pci-config", rtas_write_pci_config },
    { "ibm,read-pci-config", rtas_ibm_read_pci_config },
    { "ibm,write-pci-config", rtas_ibm_write_pci_config },
};

size_t spapr_rtas_count(void)
{
    return G_N_ELEMENTS(calls);
}

const char *spapr_rtas_name(size_t i)
{
    return calls[i].name;
}

uint32_t spapr_rtas_token(size_t i)
{
    return RTAS_TOKEN_BASE + (uint32_t)i;
}

static bool read_words(AddressSpace *as, uint64_t gpa, uint32_t *out,
                       uint32_t n)
{
    uint8_t buf[4 * RTAS_MAX_WORDS];

    if (!guest_ram_read(as, gpa, buf, 4ull * n)) {
        return false;
    }
    for (uint32_t i = 0; i < n; i++) {
        out[i] = (uint32_t)buf[4 * i] << 24 | (uint32_t)buf[4 * i + 1] << 16 |
                 (uint32_t)buf[4 * i + 2] << 8 | buf[4 * i + 3];
    }
    return true;
}

static bool write_words(AddressSpace *as, uint64_t gpa, const uint32_t *in,
                        uint32_t n)
{
    uint8_t buf[4 * RTAS_MAX_WORDS];

    for (uint32_t i = 0; i < n; i++) {
        buf[4 * i] = (uint8_t)(in[i] >> 24);
        buf[4 * i + 1] = (uint8_t)(in[i] >> 16);
        buf[4 * i + 2] = (uint8_t)(in[i] >> 8);
        buf[4 * i + 3] = (uint8_t)in[i];
    }
    return guest_ram_write(as, gpa, buf, 4ull * n);
}

/* Runs @call on arrays that are already in host memory. */
static void dispatch(SpaprMachineState *spapr, const RtasCall *call,
                     uint32_t nargs, const uint32_t *args, uint32_t nret,
                     uint32_t *rets)
{
    memset(rets, 0, nret * sizeof(uint32_t));
    if (call == NULL) {
        set_status(nret, rets, RTAS_OUT_PARAM_ERROR);
        return;
    }
    call->fn(spapr, nargs, args, nret, rets);
}

int64_t spapr_rtas_call(SpaprMachineState *spapr, int vcpu, uint64_t args)
{
    AddressSpace *as = CG_MACHINE(spapr)->mem;
    uint32_t head[RTAS_HEADER_WORDS];
    uint32_t in[RTAS_MAX_WORDS], out[RTAS_MAX_WORDS];
    const RtasCall *call = NULL;
    uint32_t nargs, nret;

    if (!read_words(as, args, head, RTAS_HEADER_WORDS)) {
        return H_PARAMETER;
    }
    nargs = head[1];
    nret = head[2];
    if (nargs > RTAS_MAX_WORDS || nret > RTAS_MAX_WORDS - nargs ||
        !read_words(as, args + 4 * RTAS_HEADER_WORDS, in, nargs)) {
        return H_PARAMETER;
    }
    if (head[0] >= RTAS_TOKEN_BASE &&
        head[0] - RTAS_TOKEN_BASE < G_N_ELEMENTS(calls)) {
        call = &calls[head[0] - RTAS_TOKEN_BASE];
    }
    dispatch(spapr, call, nargs, in, nret, out);
    return write_words(as, args + 4ull * (RTAS_HEADER_WORDS + nargs), out,
                       nret)
               ? H_SUCCESS
               : H_PARAMETER;
}

int64_t spapr_rtas_call_by_name(SpaprMachineState *spapr, const char *name,
                                uint32_t nargs, uint64_t args, uint32_t nret,
                                uint64_t rets)
{
    AddressSpace *as = CG_MACHINE(spapr)->mem;
    uint32_t in[RTAS_MAX_WORDS], out[RTAS_MAX_WORDS];

    if (nargs > RTAS_MAX_WORDS || nret > RTAS_MAX_WORDS - nargs ||
        !read_words(as, args, in, nargs)) {
        return H_PARAMETER;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(calls); i++) {
        if (strcmp(calls[i].name, name) == 0) {
            dispatch(spapr, &calls[i], nargs, in, nret, out);
            return write_words(as, rets, out, nret) ? H_SUCCESS
                                                    : H_PARAMETER;
        }
    }
    return H_PARAMETER;
}
