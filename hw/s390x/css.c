/* The s390x channel subsystem: subchannels, I/O instructions, programs. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hw/s390x/css.h"

#include "util/error.h"

#include <string.h>

/* Path-management control word flags. */
#define PMCW_ISC_MASK 0x3800
#define PMCW_ISC_SHIFT 11
#define PMCW_ENABLED 0x0080
#define PMCW_DNV 0x0001
#define PMCW_MODIFIABLE (PMCW_ISC_MASK | PMCW_ENABLED | 0x0060 | 0x0018)

/* Subchannel-status word, function / activity / status control. */
#define SCSW_FCTL_START 0x4000
#define SCSW_FCTL_HALT 0x2000
#define SCSW_FCTL_CLEAR 0x1000
#define SCSW_ACTL_START_PEND 0x0400
#define SCSW_STCTL_PRIMARY 0x0004
#define SCSW_STCTL_SECONDARY 0x0002
#define SCSW_STCTL_ALERT 0x0010
#define SCSW_STCTL_PENDING 0x0001
#define SCSW_FLAGS_FORMAT1 0x0080   /* F: the program was format 1 */

#define DEV_STAT_CHN_END 0x08
#define DEV_STAT_DEV_END 0x04
#define DEV_STAT_UNIT_CHECK 0x02
#define SCH_STAT_INCORR_LEN 0x40
#define SCH_STAT_PROG_CHECK 0x20
#define SCH_STAT_PROT_CHECK 0x10

#define ORB_CTRL0_FORMAT1 0x0080
#define ORB_CTRL0_RESERVED 0x0001   /* must be zero */
#define SENSE_CMD_REJECT 0x80

/* Channel programs are bounded: a loop of TICs must end. */
#define MAX_CCWS 4096

struct S390Subchannel {
    S390Css *css;
    uint8_t ssid;
    uint16_t devno;
    uint16_t schno;
    char *label;
    const S390CcwOps *ops;
    void *opaque;
    uint16_t cu_type;
    uint8_t cu_model;

    /* State the guest sees (host byte order). */
    uint32_t intparm;
    uint16_t pmcw_flags;
    uint16_t scsw_flags;
    uint16_t scsw_ctrl;
    uint32_t scsw_cpa;
    uint8_t dstat;
    uint8_t cstat;
    uint16_t scsw_count;
    uint8_t sense[32];
};

struct S390Css {
    AddressSpace *mem;
    GPtrArray *schs;            /* S390Subchannel *, owned */
    S390IoIrqFunc irq;
    void *irq_opaque;
};

static void sch_free(gpointer p)
{
    S390Subchannel *sch = p;

    g_free(sch->label);
    g_free(sch);
}

S390Css *s390_css_new(AddressSpace *mem)
{
    S390Css *css = g_new0(S390Css, 1);

    css->mem = mem;
    css->schs = g_ptr_array_new_with_free_func(sch_free);
    return css;
}

void s390_css_free(S390Css *css)
{
    if (css != NULL) {
        g_ptr_array_unref(css->schs);
        g_free(css);
    }
}

void s390_css_set_irq(S390Css *css, S390IoIrqFunc fn, void *opaque)
{
    css->irq = fn;
    css->irq_opaque = opaque;
}

/* --- device numbers ------------------------------------------------------- */

static bool parse_hex(const char *s, size_t max_digits, uint64_t max,
                      uint64_t *out)
{
    size_t n = strlen(s);
    char *end = NULL;

    if (n == 0 || n > max_digits || !g_ascii_isxdigit(s[0])) {
        return false;
    }
    *out = g_ascii_strtoull(s, &end, 16);
    return *end == '\0' && *out <= max;
}

bool s390_devno_parse(const char *text, uint8_t *ssid, uint16_t *devno,
                      GError **err)
{
    g_auto(GStrv) parts = g_strsplit(text, ".", -1);
    uint64_t c, s, d;

    if (g_strv_length(parts) != 3 || !parse_hex(parts[0], 2, 0xff, &c) ||
        !parse_hex(parts[1], 1, 0xf, &s) ||
        !parse_hex(parts[2], 4, 0xffff, &d)) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "devno '%s' is not CSSID.SSID.DEVNO in hex; write e.g. "
                    "fe.0.0001", text);
        return false;
    }
    if (c != S390_CSS_VIRTUAL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "devno '%s': virtual devices are in channel subsystem "
                    "fe; write fe.%x.%04x", text, (unsigned)s, (unsigned)d);
        return false;
    }
    if (s > S390_MAX_SSID) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "devno '%s': subchannel set %x does not exist; use 0 "
                    "to 3", text, (unsigned)s);
        return false;
    }
    *ssid = (uint8_t)s;
    *devno = (uint16_t)d;
    return true;
}

static S390Subchannel *find_devno(S390Css *css, uint8_t ssid, uint16_t devno)
{
    for (guint i = 0; i < css->schs->len; i++) {
        S390Subchannel *sch = g_ptr_array_index(css->schs, i);
        if (sch->ssid == ssid && sch->devno == devno) {
            return sch;
        }
    }
    return NULL;
}

static bool schno_used(S390Css *css, uint8_t ssid, uint32_t schno)
{
    for (guint i = 0; i < css->schs->len; i++) {
        S390Subchannel *sch = g_ptr_array_index(css->schs, i);
        if (sch->ssid == ssid && sch->schno == schno) {
            return true;
        }
    }
    return false;
}

S390Subchannel *s390_css_add(S390Css *css, bool any, uint8_t ssid,
                             uint16_t devno, const char *label,
                             uint16_t cu_type, uint8_t cu_model,
                             const S390CcwOps *ops, void *opaque,
                             GError **err)
{
    S390Subchannel *sch, *other;
    uint32_t schno = 0;

    if (any) {
        uint32_t d = 0;

        ssid = 0;
        while (d <= 0xffff && find_devno(css, 0, (uint16_t)d) != NULL) {
            d++;
        }
        if (d > 0xffff) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "%s: no free device number left in subchannel set "
                        "0; give one with devno=fe.N.XXXX", label);
            return NULL;
        }
        devno = (uint16_t)d;
    } else if ((other = find_devno(css, ssid, devno)) != NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "devno fe.%x.%04x is already used by %s; give each "
                    "device its own", ssid, devno, other->label);
        return NULL;
    }
    while (schno <= 0xffff && schno_used(css, ssid, schno)) {
        schno++;
    }
    if (schno > 0xffff) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "%s: subchannel set %x is full", label, ssid);
        return NULL;
    }
    sch = g_new0(S390Subchannel, 1);
    sch->css = css;
    sch->ssid = ssid;
    sch->devno = devno;
    sch->schno = (uint16_t)schno;
    sch->label = g_strdup(label);
    sch->ops = ops;
    sch->opaque = opaque;
    sch->cu_type = cu_type;
    sch->cu_model = cu_model;
    s390_sch_reset(sch);
    g_ptr_array_add(css->schs, sch);
    return sch;
}

void s390_css_remove(S390Css *css, S390Subchannel *sch)
{
    g_ptr_array_remove(css->schs, sch);
}

S390Subchannel *s390_css_find(S390Css *css, uint32_t schid_word)
{
    uint8_t ssid = (schid_word >> 17) & 3;

    /* Bit 15 must be one, and no other bit of the upper half set (no
     * multiple channel subsystems). */
    if ((schid_word & 0xfff90000u) != 0x00010000u) {
        return NULL;
    }
    for (guint i = 0; i < css->schs->len; i++) {
        S390Subchannel *sch = g_ptr_array_index(css->schs, i);
        if (sch->ssid == ssid && sch->schno == (schid_word & 0xffff)) {
            return sch;
        }
    }
    return NULL;
}

void s390_sch_set_label(S390Subchannel *sch, const char *label)
{
    g_free(sch->label);
    sch->label = g_strdup(label);
}

uint8_t s390_sch_ssid(const S390Subchannel *sch)
{
    return sch->ssid;
}

S390Css *s390_sch_css(S390Subchannel *sch)
{
    return sch->css;
}

const S390CcwOps *s390_sch_ops(const S390Subchannel *sch)
{
    return sch->ops;
}

void *s390_sch_opaque(const S390Subchannel *sch)
{
    return sch->opaque;
}

uint16_t s390_sch_devno(const S390Subchannel *sch)
{
    return sch->devno;
}

uint16_t s390_sch_number(const S390Subchannel *sch)
{
    return sch->schno;
}

uint32_t s390_sch_id_word(const S390Subchannel *sch)
{
    return ((uint32_t)sch->ssid << 17) | 0x10000u | sch->schno;
}

char *s390_sch_devno_text(const S390Subchannel *sch)
{
    return g_strdup_printf("fe.%x.%04x", sch->ssid, sch->devno);
}

AddressSpace *s390_sch_memory(S390Subchannel *sch)
{
    return sch->css->mem;
}

/* --- big-endian helpers --------------------------------------------------- */

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
           (uint32_t)p[2] << 8 | p[3];
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = v >> 8;
    p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, v >> 16);
    put16(p + 2, (uint16_t)v);
}

/* --- state ---------------------------------------------------------------- */

void s390_sch_reset(S390Subchannel *sch)
{
    sch->intparm = 0;
    sch->pmcw_flags = PMCW_DNV;
    sch->scsw_flags = 0;
    sch->scsw_ctrl = 0;
    sch->scsw_cpa = 0;
    sch->dstat = 0;
    sch->cstat = 0;
    sch->scsw_count = 0;
    memset(sch->sense, 0, sizeof(sch->sense));
}

bool s390_sch_status_pending(const S390Subchannel *sch)
{
    return (sch->scsw_ctrl & SCSW_STCTL_PENDING) != 0;
}

static void raise_io(S390Subchannel *sch)
{
    S390Css *css = sch->css;
    uint32_t isc = (sch->pmcw_flags & PMCW_ISC_MASK) >> PMCW_ISC_SHIFT;

    if (css->irq != NULL) {
        css->irq(css->irq_opaque, (uint16_t)((sch->ssid << 1) | 1),
                 sch->schno, sch->intparm, isc << 27);
    }
}

void s390_css_adapter_interrupt(S390Css *css, uint8_t isc)
{
    /* The adapter-interruption bit of the I/O-interruption word. */
    if (css->irq != NULL) {
        css->irq(css->irq_opaque, 0, 0, 0, ((uint32_t)isc << 27) |
                 0x80000000u);
    }
}

void s390_sch_notify(S390Subchannel *sch)
{
    /* A disabled subchannel never becomes status pending; one that is
     * already pending interrupts once, when the driver tests it. */
    if (!(sch->pmcw_flags & PMCW_ENABLED) ||
        (sch->scsw_ctrl & SCSW_STCTL_PENDING)) {
        return;
    }
    sch->scsw_ctrl = (uint16_t)((sch->scsw_ctrl & ~0x001f) |
                                SCSW_STCTL_ALERT | SCSW_STCTL_PENDING);
    raise_io(sch);
}

static void store_scsw(const S390Subchannel *sch, uint8_t *p)
{
    put16(p, sch->scsw_flags);
    put16(p + 2, sch->scsw_ctrl);
    put32(p + 4, sch->scsw_cpa);
    p[8] = sch->dstat;
    p[9] = sch->cstat;
    put16(p + 10, sch->scsw_count);
}

int s390_css_stsch(S390Subchannel *sch, uint8_t *schib)
{
    memset(schib, 0, S390_SCHIB_SIZE);
    put32(schib, sch->intparm);
    put16(schib + 4, sch->pmcw_flags);
    put16(schib + 6, sch->devno);
    schib[8] = 0x80;                    /* logical path mask */
    schib[11] = 0x80;                   /* path installed */
    schib[14] = 0xff;                   /* path operational */
    schib[15] = 0x80;                   /* path available */
    schib[16] = 0;                      /* CHPID 0 */
    store_scsw(sch, schib + 28);
    return 0;
}

int s390_css_msch(S390Subchannel *sch, const uint8_t *schib, uint16_t *pgm)
{
    uint16_t flags = get16(schib + 4);

    /* Word 1 bits 0-1 and reserved bits must be zero. */
    if ((flags & 0xc000) != 0 || (flags & 0x0700) != 0) {
        *pgm = 0x0006;
        return 0;
    }
    if (sch->scsw_ctrl & SCSW_STCTL_PENDING) {
        return 1;
    }
    if (sch->scsw_ctrl & (SCSW_FCTL_START | SCSW_FCTL_HALT |
                          SCSW_FCTL_CLEAR)) {
        return 2;
    }
    sch->intparm = get32(schib);
    sch->pmcw_flags = (uint16_t)((sch->pmcw_flags & ~PMCW_MODIFIABLE) |
                                 (flags & PMCW_MODIFIABLE));
    return 0;
}

/* --- channel programs ----------------------------------------------------- */

static bool fetch_ccw(S390Subchannel *sch, uint32_t addr, bool fmt1,
                      S390Ccw *ccw)
{
    uint8_t raw[8];

    if ((addr & 7) != 0 || !guest_ram_read(sch->css->mem, addr, raw, 8)) {
        return false;
    }
    if (fmt1) {
        ccw->cmd = raw[0];
        ccw->flags = raw[1];
        ccw->count = get16(raw + 2);
        ccw->cda = get32(raw + 4);
        return (ccw->cda & 0x80000000u) == 0;
    }
    ccw->cmd = raw[0];
    ccw->cda = (uint32_t)raw[1] << 16 | (uint32_t)raw[2] << 8 | raw[3];
    ccw->flags = raw[4];
    ccw->count = get16(raw + 6);
    return true;
}

bool s390_ccw_read(S390Subchannel *sch, const S390Ccw *ccw, void *buf,
                   uint32_t len)
{
    return len <= ccw->count &&
           guest_ram_read(sch->css->mem, ccw->cda, buf, len);
}

bool s390_ccw_write(S390Subchannel *sch, const S390Ccw *ccw,
                    const void *buf, uint32_t len)
{
    return len <= ccw->count &&
           guest_ram_write(sch->css->mem, ccw->cda, buf, len);
}

static S390CcwResult sense_id(S390Subchannel *sch, const S390Ccw *ccw,
                              uint32_t *residual)
{
    uint8_t id[8] = { 0xff };
    uint32_t len = MIN((uint32_t)ccw->count, (uint32_t)sizeof(id));

    put16(id + 1, sch->cu_type);
    id[3] = sch->cu_model;
    if (!s390_ccw_write(sch, ccw, id, len)) {
        return S390_CCW_PROTECTION;
    }
    *residual = ccw->count - len;
    return S390_CCW_OK;
}

static S390CcwResult basic_sense(S390Subchannel *sch, const S390Ccw *ccw,
                                 uint32_t *residual)
{
    uint32_t len = MIN((uint32_t)ccw->count, (uint32_t)sizeof(sch->sense));

    if (!s390_ccw_write(sch, ccw, sch->sense, len)) {
        return S390_CCW_PROTECTION;
    }
    memset(sch->sense, 0, sizeof(sch->sense));
    *residual = ccw->count - len;
    return S390_CCW_OK;
}

/* Ends the start function with @dstat/@cstat at CCW address @cpa. */
static void finish(S390Subchannel *sch, uint8_t dstat, uint8_t cstat,
                   uint32_t cpa, uint16_t count)
{
    sch->scsw_ctrl = (uint16_t)((sch->scsw_ctrl & SCSW_FCTL_START) |
                                SCSW_STCTL_PRIMARY | SCSW_STCTL_SECONDARY |
                                SCSW_STCTL_PENDING);
    if (cstat != 0 || (dstat & DEV_STAT_UNIT_CHECK)) {
        sch->scsw_ctrl |= SCSW_STCTL_ALERT;
    }
    sch->dstat = dstat;
    sch->cstat = cstat;
    sch->scsw_cpa = cpa;
    sch->scsw_count = count;
}

/* Runs the channel program at @cpa to its end. */
static void run_program(S390Subchannel *sch, uint32_t cpa, bool fmt1,
                        bool sli_all)
{
    bool tic_allowed = false;

    for (unsigned n = 0; n < MAX_CCWS; n++) {
        S390Ccw ccw;
        S390CcwResult r;
        uint32_t residual = 0;

        if (!fetch_ccw(sch, cpa, fmt1, &ccw)) {
            finish(sch, 0, SCH_STAT_PROG_CHECK, cpa, 0);
            return;
        }
        if (ccw.cmd == S390_CCW_CMD_TIC ||
            (!fmt1 && (ccw.cmd & 0xf) == S390_CCW_CMD_TIC)) {
            /* A TIC may not follow a TIC, nor start a program. */
            if (!tic_allowed || (ccw.cda & 7) != 0) {
                finish(sch, 0, SCH_STAT_PROG_CHECK, cpa + 8, 0);
                return;
            }
            tic_allowed = false;
            cpa = ccw.cda;
            continue;
        }
        /* Data chaining and indirect addressing are not offered, and a
         * zero count is invalid except for a NOOP. */
        if ((ccw.flags & (S390_CCW_FLAG_CD | S390_CCW_FLAG_IDA |
                          S390_CCW_FLAG_SUSPEND | 0x01)) != 0 ||
            (ccw.count == 0 && ccw.cmd != S390_CCW_CMD_NOOP)) {
            finish(sch, 0, SCH_STAT_PROG_CHECK, cpa + 8, ccw.count);
            return;
        }
        switch (ccw.cmd) {
        case S390_CCW_CMD_NOOP:
            r = S390_CCW_OK;
            break;
        case S390_CCW_CMD_BASIC_SENSE:
            r = basic_sense(sch, &ccw, &residual);
            break;
        case S390_CCW_CMD_SENSE_ID:
            r = sense_id(sch, &ccw, &residual);
            break;
        default:
            r = sch->ops->command(sch->opaque, sch, &ccw, &residual);
            break;
        }
        switch (r) {
        case S390_CCW_OK:
            break;
        case S390_CCW_REJECT:
            memset(sch->sense, 0, sizeof(sch->sense));
            sch->sense[0] = SENSE_CMD_REJECT;
            finish(sch, DEV_STAT_CHN_END | DEV_STAT_DEV_END |
                        DEV_STAT_UNIT_CHECK, 0, cpa + 8, ccw.count);
            return;
        case S390_CCW_PROGRAM_CHECK:
            finish(sch, 0, SCH_STAT_PROG_CHECK, cpa + 8, ccw.count);
            return;
        case S390_CCW_PROTECTION:
            finish(sch, 0, SCH_STAT_PROT_CHECK, cpa + 8, ccw.count);
            return;
        }
        if (residual != 0 && !(ccw.flags & S390_CCW_FLAG_SLI) && !sli_all) {
            finish(sch, DEV_STAT_CHN_END | DEV_STAT_DEV_END,
                   SCH_STAT_INCORR_LEN, cpa + 8, (uint16_t)residual);
            return;
        }
        if (!(ccw.flags & S390_CCW_FLAG_CC)) {
            finish(sch, DEV_STAT_CHN_END | DEV_STAT_DEV_END, 0, cpa + 8,
                   (uint16_t)residual);
            return;
        }
        tic_allowed = true;
        cpa += 8;
    }
    /* A program that never ends: the channel gives up. */
    finish(sch, 0, SCH_STAT_PROG_CHECK, cpa, 0);
}

int s390_css_ssch(S390Subchannel *sch, const uint8_t *orb, uint16_t *pgm)
{
    uint16_t ctrl0 = get16(orb + 4);
    uint32_t cpa = get32(orb + 8);
    bool fmt1 = (ctrl0 & ORB_CTRL0_FORMAT1) != 0;

    /* Reserved bits, a program address beyond 31 bits or not on a
     * doubleword: the instruction is invalid. */
    if ((ctrl0 & ORB_CTRL0_RESERVED) != 0 || (cpa & 0x80000007u) != 0 ||
        (orb[7] & 0x7f) != 0) {
        *pgm = 0x0006;
        return 0;
    }
    if (!(sch->pmcw_flags & PMCW_ENABLED)) {
        return 3;
    }
    if (sch->scsw_ctrl & SCSW_STCTL_PENDING) {
        return 1;
    }
    if (sch->scsw_ctrl & (SCSW_FCTL_START | SCSW_FCTL_HALT |
                          SCSW_FCTL_CLEAR)) {
        return 2;
    }
    sch->intparm = get32(orb);
    sch->scsw_flags = (uint16_t)((ctrl0 & 0xf000) |
                                 (fmt1 ? SCSW_FLAGS_FORMAT1 : 0));
    sch->scsw_ctrl = SCSW_FCTL_START | SCSW_ACTL_START_PEND;
    /* ORB byte 7 bit 0: suppress incorrect length for every CCW. */
    run_program(sch, cpa, fmt1, (orb[7] & 0x80) != 0);
    raise_io(sch);
    return 0;
}

int s390_css_tsch(S390Subchannel *sch, uint8_t *irb)
{
    bool pending = (sch->scsw_ctrl & SCSW_STCTL_PENDING) != 0;

    memset(irb, 0, S390_IRB_SIZE);
    store_scsw(sch, irb);
    if (!pending) {
        return 1;
    }
    /* Extended status word: a format-0 ESW without errors. */
    if (sch->dstat & DEV_STAT_UNIT_CHECK) {
        irb[12 + 1] = 0x01;             /* sense data in the ECW */
        memcpy(irb + 32, sch->sense, 32);
    }
    sch->scsw_ctrl = 0;
    sch->dstat = 0;
    sch->cstat = 0;
    return 0;
}

int s390_css_csch(S390Subchannel *sch)
{
    if (!(sch->pmcw_flags & PMCW_ENABLED)) {
        return 3;
    }
    /* Everything is synchronous: clearing only reports that it did. */
    sch->scsw_ctrl = SCSW_FCTL_CLEAR | SCSW_STCTL_PENDING;
    sch->dstat = 0;
    sch->cstat = 0;
    raise_io(sch);
    return 0;
}

int s390_css_hsch(S390Subchannel *sch)
{
    if (!(sch->pmcw_flags & PMCW_ENABLED)) {
        return 3;
    }
    if (sch->scsw_ctrl & SCSW_STCTL_PENDING) {
        return 1;
    }
    sch->scsw_ctrl = SCSW_FCTL_HALT | SCSW_STCTL_PENDING;
    sch->dstat = 0;
    sch->cstat = 0;
    raise_io(sch);
    return 0;
}
