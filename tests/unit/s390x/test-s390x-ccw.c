/* Unit tests: the channel subsystem and virtio-ccw, by channel programs. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hw/s390x/virtio-ccw.h"
#include "hw/virtio/virtio-rng.h"
#include "qom/object.h"

#include <string.h>

/*
 * A machine-less set-up: 1 MiB of guest RAM, a channel subsystem, and a
 * virtio-rng model behind a virtio-ccw transport, as virtio-rng-ccw wires
 * them.  The tests are the guest's driver: they write CCWs and data into
 * RAM, START SUBCHANNEL with an ORB, and read the IRB with TEST
 * SUBCHANNEL, exactly what a Linux driver's I/O instructions do.
 */
#define RAM_SIZE 0x100000
#define PROG 0x1000         /* channel programs */
#define DATA 0x2000         /* data areas */
#define RING 0x10000        /* the virtqueue: desc, avail, used */
#define IND 0x3000          /* indicators */
#define BUF 0x4000          /* a buffer the rng fills */

typedef struct {
    uint16_t id;
    uint16_t nr;
    uint32_t parm;
    uint32_t word;
} Irq;

typedef struct {
    AddressSpace *as;
    uint8_t *ram;
    S390Css *css;
    VirtIORng rng;
    VirtioCcwTransport t;
    S390Subchannel *sch;
    GArray *irqs;
} Fx;

typedef struct {
    int cc;
    uint16_t ctrl;
    uint8_t dstat;
    uint8_t cstat;
    uint16_t count;
    uint32_t cpa;
} Status;

#define DEV_END_CHN_END 0x0c
#define UNIT_CHECK 0x02
#define PROG_CHECK 0x20
#define PROT_CHECK 0x10
#define INCORR_LEN 0x40

static void record_irq(void *opaque, uint16_t id, uint16_t nr, uint32_t parm,
                       uint32_t word)
{
    Irq irq = { id, nr, parm, word };

    g_array_append_val(opaque, irq);
}

static const VirtioTransportOps ccw_ops = {
    .notify = virtio_ccw_transport_notify,
};

static void fx_init(Fx *fx, uint16_t devno, bool any)
{
    g_autoptr(GError) err = NULL;
    VirtioState *vs;

    cg_types_init();
    memset(fx, 0, sizeof(*fx));
    fx->ram = g_malloc0(RAM_SIZE);
    fx->as = address_space_new("memory", UINT64_MAX);
    g_assert_nonnull(address_space_add_ram(fx->as, "ram", 0, RAM_SIZE,
                                           fx->ram, -1, 0, false, &err));
    fx->css = s390_css_new(fx->as);
    fx->irqs = g_array_new(FALSE, TRUE, sizeof(Irq));
    s390_css_set_irq(fx->css, record_irq, fx->irqs);
    vs = virtio_rng_realize(&fx->rng, &err);
    g_assert_no_error(err);
    fx->sch = s390_css_add(fx->css, any, 0, devno, "virtio-rng-ccw",
                           VIRTIO_CCW_CU_TYPE, VIRTIO_ID_RNG,
                           &virtio_ccw_ops, &fx->t, &err);
    g_assert_no_error(err);
    fx->t.sch = fx->sch;
    fx->t.vs = vs;
    fx->t.max_rev = VIRTIO_CCW_MAX_REV;
    virtio_bind(vs, "virtio-rng-ccw", fx->as, &ccw_ops, &fx->t,
                VIRTIO_BIT(VIRTIO_F_VERSION_1) |
                    VIRTIO_BIT(VIRTIO_F_INDIRECT_DESC));
    virtio_ccw_transport_reset(&fx->t);
}

static void fx_cleanup(Fx *fx)
{
    virtio_rng_unrealize(&fx->rng);
    virtio_rng_finalize(&fx->rng);
    virtio_cleanup(&fx->rng.vs);
    s390_css_free(fx->css);
    address_space_free(fx->as);
    g_array_unref(fx->irqs);
    g_free(fx->ram);
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

static void put64(uint8_t *p, uint64_t v)
{
    put32(p, v >> 32);
    put32(p + 4, (uint32_t)v);
}

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)get16(p) << 16 | get16(p + 2);
}

/* A format-1 CCW at @at (index @i of the program). */
static void ccw(Fx *fx, unsigned i, uint8_t cmd, uint8_t flags,
                uint16_t count, uint32_t cda)
{
    uint8_t *p = fx->ram + PROG + 8 * i;

    p[0] = cmd;
    p[1] = flags;
    put16(p + 2, count);
    put32(p + 4, cda);
}

static void enable(Fx *fx)
{
    uint8_t schib[S390_SCHIB_SIZE];
    uint16_t pgm = 0;

    g_assert_cmpint(s390_css_stsch(fx->sch, schib), ==, 0);
    put32(schib, 0x12345678);                   /* interruption parameter */
    put16(schib + 4, get16(schib + 4) | 0x0080 | (3 << 11));  /* ENA, ISC 3 */
    g_assert_cmpint(s390_css_msch(fx->sch, schib, &pgm), ==, 0);
    g_assert_cmpint(pgm, ==, 0);
}

/* START SUBCHANNEL on the program at PROG, then TEST SUBCHANNEL. */
static Status start(Fx *fx)
{
    uint8_t orb[S390_ORB_SIZE] = { 0 };
    uint8_t irb[S390_IRB_SIZE];
    uint16_t pgm = 0;
    Status st = { 0 };

    put32(orb, 0xcafe0001);
    put16(orb + 4, 0x0080);                     /* format-1 CCWs */
    put32(orb + 8, PROG);
    st.cc = s390_css_ssch(fx->sch, orb, &pgm);
    g_assert_cmpint(pgm, ==, 0);
    if (st.cc != 0) {
        return st;
    }
    g_assert_cmpint(s390_css_tsch(fx->sch, irb), ==, 0);
    st.ctrl = get16(irb + 2);
    st.cpa = get32(irb + 4);
    st.dstat = irb[8];
    st.cstat = irb[9];
    st.count = get16(irb + 10);
    return st;
}

/* One CCW, run alone; its status. */
static Status run1(Fx *fx, uint8_t cmd, uint8_t flags, uint16_t count,
                   uint32_t cda)
{
    ccw(fx, 0, cmd, flags, count, cda);
    return start(fx);
}

static void assert_ok(Status st)
{
    g_assert_cmpint(st.cc, ==, 0);
    g_assert_cmphex(st.dstat, ==, DEV_END_CHN_END);
    g_assert_cmphex(st.cstat, ==, 0);
}

static void assert_reject(Fx *fx, Status st)
{
    uint8_t *sense = fx->ram + DATA + 0x800;

    g_assert_cmpint(st.cc, ==, 0);
    g_assert_cmphex(st.dstat, ==, DEV_END_CHN_END | UNIT_CHECK);
    /* BASIC SENSE tells why: command reject. */
    assert_ok(run1(fx, S390_CCW_CMD_BASIC_SENSE, 0, 32, DATA + 0x800));
    g_assert_cmphex(sense[0], ==, 0x80);
}

static void set_rev(Fx *fx, uint16_t rev)
{
    put16(fx->ram + DATA, rev);
    put16(fx->ram + DATA + 2, 0);
    assert_ok(run1(fx, CCW_CMD_SET_VIRTIO_REV, 0, 4, DATA));
}

/* --- the channel subsystem ------------------------------------------------ */

static void test_devno(void)
{
    g_autoptr(GError) err = NULL;
    uint8_t ssid = 9;
    uint16_t devno = 0;

    g_assert_true(s390_devno_parse("fe.0.0001", &ssid, &devno, &err));
    g_assert_cmpuint(ssid, ==, 0);
    g_assert_cmphex(devno, ==, 1);
    g_assert_true(s390_devno_parse("fe.3.ffff", &ssid, &devno, &err));
    g_assert_cmpuint(ssid, ==, 3);
    g_assert_cmphex(devno, ==, 0xffff);
    g_assert_false(s390_devno_parse("0.0.0001", &ssid, &devno, &err));
    g_assert_cmpstr(err->message, ==,
                    "devno '0.0.0001': virtual devices are in channel "
                    "subsystem fe; write fe.0.0001");
    g_clear_error(&err);
    g_assert_false(s390_devno_parse("fe.4.0001", &ssid, &devno, &err));
    g_assert_cmpstr(err->message, ==,
                    "devno 'fe.4.0001': subchannel set 4 does not exist; "
                    "use 0 to 3");
    g_clear_error(&err);
    for (size_t i = 0; i < 6; i++) {
        static const char *const bad[] = { "fe.0", "fe.0.10000", "fe.0.x1",
                                           "", "fe..1", "fe.0.1.2" };
        g_assert_false(s390_devno_parse(bad[i], &ssid, &devno, &err));
        g_assert_true(g_str_has_suffix(err->message,
                                       "is not CSSID.SSID.DEVNO in hex; "
                                       "write e.g. fe.0.0001"));
        g_clear_error(&err);
    }
}

static void test_numbers(void)
{
    Fx fx;
    g_autoptr(GError) err = NULL;
    S390Subchannel *b, *c;
    uint8_t schib[S390_SCHIB_SIZE];
    g_autofree char *text = NULL;

    fx_init(&fx, 0x0001, false);
    text = s390_sch_devno_text(fx.sch);
    g_assert_cmpstr(text, ==, "fe.0.0001");
    g_assert_cmphex(s390_sch_id_word(fx.sch), ==, 0x00010000);
    /* Automatic numbers: the lowest free device and subchannel. */
    b = s390_css_add(fx.css, true, 0, 0, "b", 0x3832, 4, &virtio_ccw_ops,
                     &fx.t, &err);
    g_assert_no_error(err);
    g_assert_cmphex(s390_sch_devno(b), ==, 0);
    g_assert_cmpuint(s390_sch_number(b), ==, 1);
    c = s390_css_add(fx.css, true, 0, 0, "c", 0x3832, 4, &virtio_ccw_ops,
                     &fx.t, &err);
    g_assert_cmphex(s390_sch_devno(c), ==, 2);
    g_assert_null(s390_css_add(fx.css, false, 0, 1, "d", 0x3832, 4,
                               &virtio_ccw_ops, &fx.t, &err));
    g_assert_cmpstr(err->message, ==,
                    "devno fe.0.0001 is already used by virtio-rng-ccw; "
                    "give each device its own");
    g_assert_true(s390_css_find(fx.css, 0x00010001) == b);
    g_assert_null(s390_css_find(fx.css, 0x00010009));
    g_assert_null(s390_css_find(fx.css, 0x00000000));   /* bit 15 clear */
    g_assert_null(s390_css_find(fx.css, 0x01010000));   /* reserved bit */
    /* STORE SUBCHANNEL: device number valid, not enabled. */
    g_assert_cmpint(s390_css_stsch(fx.sch, schib), ==, 0);
    g_assert_cmphex(get16(schib + 4), ==, 0x0001);
    g_assert_cmphex(get16(schib + 6), ==, 0x0001);
    fx_cleanup(&fx);
}

static void test_subchannel_states(void)
{
    Fx fx;
    uint8_t schib[S390_SCHIB_SIZE] = { 0 };
    uint8_t orb[S390_ORB_SIZE] = { 0 };
    uint8_t irb[S390_IRB_SIZE];
    uint16_t pgm = 0;

    fx_init(&fx, 0, false);
    put32(orb + 8, PROG);
    put16(orb + 4, 0x0080);
    ccw(&fx, 0, S390_CCW_CMD_NOOP, 0, 0, 0);
    /* Not enabled: not operational. */
    g_assert_cmpint(s390_css_ssch(fx.sch, orb, &pgm), ==, 3);
    enable(&fx);
    g_assert_cmpint(s390_css_ssch(fx.sch, orb, &pgm), ==, 0);
    g_assert_cmpuint(fx.irqs->len, ==, 1);
    g_assert_cmphex(g_array_index(fx.irqs, Irq, 0).id, ==, 0x0001);
    g_assert_cmphex(g_array_index(fx.irqs, Irq, 0).parm, ==, 0);
    g_assert_cmphex(g_array_index(fx.irqs, Irq, 0).word, ==, 3u << 27);
    /* Status pending: the next start and a modify get condition 1. */
    g_assert_cmpint(s390_css_ssch(fx.sch, orb, &pgm), ==, 1);
    g_assert_true(s390_sch_status_pending(fx.sch));
    g_assert_cmpint(s390_css_msch(fx.sch, schib, &pgm), ==, 1);
    g_assert_cmpint(s390_css_tsch(fx.sch, irb), ==, 0);
    g_assert_cmphex(get16(irb + 2), ==, 0x4007);    /* start, pri, sec, pend */
    g_assert_cmpint(s390_css_tsch(fx.sch, irb), ==, 1);
    /* A malformed ORB is the guest's specification error. */
    put32(orb + 8, PROG + 4);
    g_assert_cmpint(s390_css_ssch(fx.sch, orb, &pgm), ==, 0);
    g_assert_cmphex(pgm, ==, 0x0006);
    pgm = 0;
    put32(orb + 8, 0x80000000u | PROG);
    s390_css_ssch(fx.sch, orb, &pgm);
    g_assert_cmphex(pgm, ==, 0x0006);
    pgm = 0;
    /* Reserved PMCW bits in MODIFY: specification. */
    put16(schib + 4, 0x8080);
    s390_css_msch(fx.sch, schib, &pgm);
    g_assert_cmphex(pgm, ==, 0x0006);
    /* Clear and halt make status pending; a disabled one is gone. */
    g_assert_cmpint(s390_css_hsch(fx.sch), ==, 0);
    g_assert_cmpint(s390_css_hsch(fx.sch), ==, 1);
    g_assert_cmpint(s390_css_csch(fx.sch), ==, 0);
    g_assert_cmpint(s390_css_tsch(fx.sch, irb), ==, 0);
    g_assert_cmphex(get16(irb + 2), ==, 0x1001);
    s390_sch_reset(fx.sch);
    g_assert_cmpint(s390_css_csch(fx.sch), ==, 3);
    fx_cleanup(&fx);
}

static void test_sense_id_and_programs(void)
{
    Fx fx;
    Status st;
    uint8_t *d;

    fx_init(&fx, 0, false);
    enable(&fx);
    d = fx.ram + DATA;
    assert_ok(run1(&fx, S390_CCW_CMD_SENSE_ID, S390_CCW_FLAG_SLI, 20, DATA));
    g_assert_cmphex(d[0], ==, 0xff);
    g_assert_cmphex(get16(d + 1), ==, 0x3832);
    g_assert_cmphex(d[3], ==, VIRTIO_ID_RNG);
    /* Without SLI, a short transfer is an incorrect length. */
    st = run1(&fx, S390_CCW_CMD_SENSE_ID, 0, 20, DATA);
    g_assert_cmphex(st.cstat, ==, INCORR_LEN);
    g_assert_cmpuint(st.count, ==, 12);
    /* Chained commands run in order; a TIC jumps. */
    put16(fx.ram + DATA + 0x100, 1);
    put16(fx.ram + DATA + 0x102, 0);
    ccw(&fx, 0, S390_CCW_CMD_NOOP, S390_CCW_FLAG_CC, 0, 0);
    ccw(&fx, 1, S390_CCW_CMD_TIC, 0, 0, PROG + 8 * 4);
    ccw(&fx, 2, S390_CCW_CMD_NOOP, 0, 0, 0);
    ccw(&fx, 4, CCW_CMD_SET_VIRTIO_REV, 0, 4, DATA + 0x100);
    st = start(&fx);
    assert_ok(st);
    g_assert_cmphex(st.cpa, ==, PROG + 8 * 5);
    g_assert_cmpint(fx.t.revision, ==, 1);
    /* A TIC to a TIC, data chaining, indirect addressing: program check. */
    ccw(&fx, 0, S390_CCW_CMD_NOOP, S390_CCW_FLAG_CC, 0, 0);
    ccw(&fx, 1, S390_CCW_CMD_TIC, 0, 0, PROG + 8 * 2);
    ccw(&fx, 2, S390_CCW_CMD_TIC, 0, 0, PROG);
    g_assert_cmphex(start(&fx).cstat, ==, PROG_CHECK);
    g_assert_cmphex(run1(&fx, S390_CCW_CMD_SENSE_ID, S390_CCW_FLAG_CD, 8,
                         DATA).cstat, ==, PROG_CHECK);
    g_assert_cmphex(run1(&fx, S390_CCW_CMD_SENSE_ID, S390_CCW_FLAG_IDA, 8,
                         DATA).cstat, ==, PROG_CHECK);
    g_assert_cmphex(run1(&fx, S390_CCW_CMD_SENSE_ID, 0, 0, DATA).cstat, ==,
                    PROG_CHECK);
    /* Data outside RAM: protection check. */
    g_assert_cmphex(run1(&fx, S390_CCW_CMD_SENSE_ID, S390_CCW_FLAG_SLI, 8,
                         RAM_SIZE - 4).cstat, ==, PROT_CHECK);
    /* An endless chain of NOOPs ends with a program check. */
    for (unsigned i = 0; i < 0x100; i++) {
        ccw(&fx, i, S390_CCW_CMD_NOOP, S390_CCW_FLAG_CC, 0, 0);
    }
    ccw(&fx, 0x100, S390_CCW_CMD_TIC, 0, 0, PROG);
    g_assert_cmphex(start(&fx).cstat, ==, PROG_CHECK);
    fx_cleanup(&fx);
}

/* --- virtio-ccw commands -------------------------------------------------- */

static void test_revision(void)
{
    Fx fx;

    fx_init(&fx, 0, false);
    enable(&fx);
    /* Nothing virtio before a revision: that would be legacy. */
    assert_reject(&fx, run1(&fx, CCW_CMD_READ_FEAT, 0, 5, DATA));
    put16(fx.ram + DATA, 0);
    put16(fx.ram + DATA + 2, 0);
    assert_reject(&fx, run1(&fx, CCW_CMD_SET_VIRTIO_REV, 0, 4, DATA));
    put16(fx.ram + DATA, 3);
    assert_reject(&fx, run1(&fx, CCW_CMD_SET_VIRTIO_REV, 0, 4, DATA));
    /* A length that does not match the data: program check. */
    put16(fx.ram + DATA, 2);
    g_assert_cmphex(run1(&fx, CCW_CMD_SET_VIRTIO_REV, 0, 6, DATA).cstat, ==,
                    PROG_CHECK);
    set_rev(&fx, 2);
    g_assert_cmpint(fx.t.revision, ==, 2);
    assert_reject(&fx, run1(&fx, CCW_CMD_SET_VIRTIO_REV, 0, 4, DATA));
    /* A device limited to revision 1 refuses 2. */
    fx.t.max_rev = 1;
    virtio_ccw_transport_reset(&fx.t);
    put16(fx.ram + DATA, 2);
    assert_reject(&fx, run1(&fx, CCW_CMD_SET_VIRTIO_REV, 0, 4, DATA));
    set_rev(&fx, 1);
    /* READ_STATUS needs revision 2. */
    assert_reject(&fx, run1(&fx, CCW_CMD_READ_STATUS, 0, 1, DATA));
    fx_cleanup(&fx);
}

static uint32_t read_feat(Fx *fx, uint8_t index)
{
    uint8_t *d = fx->ram + DATA;

    memset(d, 0xaa, 5);
    d[4] = index;
    assert_ok(run1(fx, CCW_CMD_READ_FEAT, 0, 5, DATA));
    /* Little-endian, unlike everything else on the channel. */
    return (uint32_t)d[0] | (uint32_t)d[1] << 8 | (uint32_t)d[2] << 16 |
           (uint32_t)d[3] << 24;
}

static void write_feat(Fx *fx, uint8_t index, uint32_t bits)
{
    uint8_t *d = fx->ram + DATA;

    for (int i = 0; i < 4; i++) {
        d[i] = (uint8_t)(bits >> (8 * i));
    }
    d[4] = index;
    assert_ok(run1(fx, CCW_CMD_WRITE_FEAT, 0, 5, DATA));
}

static Status write_status(Fx *fx, uint8_t status)
{
    fx->ram[DATA] = status;
    return run1(fx, CCW_CMD_WRITE_STATUS, 0, 1, DATA);
}

static void test_features_and_status(void)
{
    Fx fx;
    Status st;

    fx_init(&fx, 0, false);
    enable(&fx);
    set_rev(&fx, 2);
    g_assert_cmphex(read_feat(&fx, 0), ==, 1u << VIRTIO_F_INDIRECT_DESC);
    g_assert_cmphex(read_feat(&fx, 1), ==, 1u);     /* VERSION_1 */
    g_assert_cmphex(read_feat(&fx, 7), ==, 0);
    /* Lengths: exact, or at least with SLI (the rest is residual). */
    fx.ram[DATA + 4] = 0;
    g_assert_cmphex(run1(&fx, CCW_CMD_READ_FEAT, 0, 4, DATA).cstat, ==,
                    PROG_CHECK);
    g_assert_cmphex(run1(&fx, CCW_CMD_READ_FEAT, 0, 8, DATA).cstat, ==,
                    PROG_CHECK);
    st = run1(&fx, CCW_CMD_READ_FEAT, S390_CCW_FLAG_SLI, 8, DATA);
    assert_ok(st);
    g_assert_cmpuint(st.count, ==, 3);
    /* A driver that does not take VERSION_1 cannot set FEATURES_OK. */
    assert_ok(write_status(&fx, 0x03));
    write_feat(&fx, 0, 1u << VIRTIO_F_INDIRECT_DESC);
    write_feat(&fx, 1, 0);
    assert_reject(&fx, write_status(&fx, 0x0b));
    assert_ok(run1(&fx, CCW_CMD_READ_STATUS, 0, 1, DATA));
    g_assert_cmphex(fx.ram[DATA], ==, 0x03);
    write_feat(&fx, 1, 1);
    assert_ok(write_status(&fx, 0x0b));
    assert_ok(run1(&fx, CCW_CMD_READ_STATUS, 0, 1, DATA));
    g_assert_cmphex(fx.ram[DATA], ==, 0x0b);
    g_assert_true(virtio_has_feature(fx.t.vs, VIRTIO_F_VERSION_1));
    /* Status 0 and VDEV_RESET reset the device, not the revision. */
    assert_ok(write_status(&fx, 0));
    g_assert_cmpuint(fx.t.vs->status, ==, 0);
    g_assert_cmpint(fx.t.revision, ==, 2);
    assert_ok(write_status(&fx, 0x03));
    assert_ok(run1(&fx, CCW_CMD_VDEV_RESET, S390_CCW_FLAG_SLI, 1, 0));
    g_assert_cmpuint(fx.t.vs->status, ==, 0);
    g_assert_cmpint(fx.t.revision, ==, 2);
    /* virtio-rng has no configuration space. */
    g_assert_cmphex(run1(&fx, CCW_CMD_READ_CONF, 0, 4, DATA).cstat, ==,
                    PROG_CHECK);
    st = run1(&fx, CCW_CMD_READ_CONF, S390_CCW_FLAG_SLI, 4, DATA);
    assert_ok(st);
    g_assert_cmpuint(st.count, ==, 4);
    /* Unknown commands are rejected. */
    assert_reject(&fx, run1(&fx, 0x99, 0, 1, DATA));
    fx_cleanup(&fx);
}

static void test_access_platform(void)
{
    Fx fx;

    fx_init(&fx, 0, false);
    /* As iommu_platform=on makes the device offer it. */
    fx.t.vs->host_features |= VIRTIO_BIT(VIRTIO_F_ACCESS_PLATFORM);
    enable(&fx);
    set_rev(&fx, 1);
    g_assert_cmphex(read_feat(&fx, 1), ==, 3u);     /* VERSION_1, bit 33 */
    assert_ok(write_status(&fx, 0x03));
    write_feat(&fx, 1, 1);
    /* Declining ACCESS_PLATFORM: the device cannot run confidential. */
    assert_reject(&fx, write_status(&fx, 0x0b));
    write_feat(&fx, 1, 3);
    assert_ok(write_status(&fx, 0x0b));
    fx_cleanup(&fx);
}

/* SET_VQ for queue 0 (8 entries) at RING. */
static Status set_vq(Fx *fx, uint16_t index, uint16_t num, uint64_t desc)
{
    uint8_t *d = fx->ram + DATA;

    memset(d, 0, VIRTIO_CCW_VQ_INFO_SIZE);
    put64(d, desc);
    put16(d + 12, index);
    put16(d + 14, num);
    put64(d + 16, desc + 16 * num);
    put64(d + 24, desc + 0x1000);
    return run1(fx, CCW_CMD_SET_VQ, 0, VIRTIO_CCW_VQ_INFO_SIZE, DATA);
}

static void negotiate(Fx *fx)
{
    enable(fx);
    set_rev(fx, 2);
    assert_ok(write_status(fx, 0x03));
    write_feat(fx, 1, 1);
    assert_ok(write_status(fx, 0x0b));
}

static void test_queues(void)
{
    Fx fx;
    uint8_t *d;

    fx_init(&fx, 0, false);
    negotiate(&fx);
    d = fx.ram + DATA;
    put16(d, 0);
    assert_ok(run1(&fx, CCW_CMD_READ_VQ_CONF, 0, 4, DATA));
    g_assert_cmpuint(get16(d + 2), ==, VIRTIO_RNG_QUEUE_SIZE);
    put16(d, 5);
    assert_ok(run1(&fx, CCW_CMD_READ_VQ_CONF, 0, 4, DATA));
    g_assert_cmpuint(get16(d + 2), ==, 0);
    /* Sizes: a power of two up to the device's. */
    g_assert_cmphex(set_vq(&fx, 0, 3, RING).cstat, ==, PROG_CHECK);
    g_assert_cmphex(set_vq(&fx, 0, 16, RING).cstat, ==, PROG_CHECK);
    g_assert_cmphex(set_vq(&fx, 1, 8, RING).cstat, ==, PROG_CHECK);
    assert_ok(set_vq(&fx, 1, 8, 0));                /* disabling is fine */
    assert_ok(set_vq(&fx, 0, 4, RING));
    g_assert_true(fx.t.vs->vq[0].ready);
    g_assert_cmpuint(fx.t.vs->vq[0].num, ==, 4);
    g_assert_cmphex(fx.t.vs->vq[0].avail, ==, RING + 64);
    g_assert_cmphex(fx.t.vs->vq[0].used, ==, RING + 0x1000);
    assert_ok(set_vq(&fx, 0, 4, 0));
    g_assert_false(fx.t.vs->vq[0].ready);
    fx_cleanup(&fx);
}

/* The driver's @n-th request: BUF (64 bytes) for the rng, queue 0. */
static void rng_request(Fx *fx, uint16_t n)
{
    uint8_t *desc = fx->ram + RING;
    uint8_t *avail = fx->ram + RING + 16 * 8;
    uint64_t addr = BUF;
    uint32_t len = 64;
    uint16_t flags = VRING_DESC_F_WRITE, zero = 0;

    /* The rings are little-endian (virtio 1.x); one descriptor, reused. */
    memcpy(desc, &addr, 8);
    memcpy(desc + 8, &len, 4);
    memcpy(desc + 12, &flags, 2);
    memcpy(avail, &zero, 2);
    memcpy(avail + 4 + 2 * ((n - 1) % 8), &zero, 2);
    memcpy(avail + 2, &n, 2);
    g_assert_true(virtio_ccw_queue_notify(fx->css,
                                          s390_sch_id_word(fx->sch), 0));
}

static void test_classic_indicators(void)
{
    Fx fx;
    uint8_t *ind;
    uint16_t used_idx;

    fx_init(&fx, 0, false);
    negotiate(&fx);
    assert_ok(set_vq(&fx, 0, 8, RING));
    /* Indicators: an address, which must be in RAM. */
    put64(fx.ram + DATA, RAM_SIZE);
    g_assert_cmphex(run1(&fx, CCW_CMD_SET_IND, 0, 8, DATA).cstat, ==,
                    PROG_CHECK);
    put64(fx.ram + DATA, IND);
    assert_ok(run1(&fx, CCW_CMD_SET_IND, 0, 8, DATA));
    put64(fx.ram + DATA, IND + 8);
    assert_ok(run1(&fx, CCW_CMD_SET_CONF_IND, 0, 8, DATA));
    /* Classic indicators exclude adapter interruptions. */
    assert_reject(&fx, run1(&fx, CCW_CMD_SET_IND_ADAPTER, 0,
                            VIRTIO_CCW_THININT_SIZE, DATA));
    assert_ok(write_status(&fx, 0x0f));
    g_array_set_size(fx.irqs, 0);
    rng_request(&fx, 1);
    memcpy(&used_idx, fx.ram + RING + 0x1000 + 2, 2);
    g_assert_cmpuint(used_idx, ==, 1);
    g_assert_false(memcmp(fx.ram + BUF, "\0\0\0\0\0\0\0\0", 8) == 0 &&
                   memcmp(fx.ram + BUF + 8, "\0\0\0\0\0\0\0\0", 8) == 0);
    /* Bit 0 of a big-endian doubleword: the last byte's low bit. */
    ind = fx.ram + IND;
    g_assert_cmphex(ind[7], ==, 0x01);
    g_assert_cmphex(ind[0], ==, 0x00);
    /* The interruption parameter is the last START's (its ORB's). */
    g_assert_cmpuint(fx.irqs->len, ==, 1);
    g_assert_cmphex(g_array_index(fx.irqs, Irq, 0).parm, ==, 0xcafe0001);
    /* Unsolicited status: alert and pending, for TEST SUBCHANNEL. */
    g_assert_true(s390_sch_status_pending(fx.sch));
    /* A second notification while pending does not interrupt again. */
    rng_request(&fx, 2);
    memcpy(&used_idx, fx.ram + RING + 0x1000 + 2, 2);
    g_assert_cmpuint(used_idx, ==, 2);
    g_assert_cmpuint(fx.irqs->len, ==, 1);
    /* Queues that do not exist, subchannels that do not exist. */
    g_assert_false(virtio_ccw_queue_notify(fx.css, s390_sch_id_word(fx.sch),
                                           1));
    g_assert_false(virtio_ccw_queue_notify(fx.css, 0x00010005, 0));
    fx_cleanup(&fx);
}

static void test_adapter_indicators(void)
{
    Fx fx;
    uint8_t *area;

    fx_init(&fx, 0, false);
    negotiate(&fx);
    assert_ok(set_vq(&fx, 0, 8, RING));
    area = fx.ram + DATA;
    memset(area, 0, VIRTIO_CCW_THININT_SIZE);
    put64(area, IND + 0x40);                    /* summary */
    put64(area + 8, IND);                       /* queue indicators */
    put64(area + 16, 13);                       /* queue 0 is bit 13 */
    area[24] = 9;                               /* isc out of range */
    g_assert_cmphex(run1(&fx, CCW_CMD_SET_IND_ADAPTER, 0,
                         VIRTIO_CCW_THININT_SIZE, DATA).cstat, ==,
                    PROG_CHECK);
    area[24] = 6;
    assert_ok(run1(&fx, CCW_CMD_SET_IND_ADAPTER, 0, VIRTIO_CCW_THININT_SIZE,
                   DATA));
    /* Now classic indicators are refused. */
    put64(fx.ram + DATA, IND);
    assert_reject(&fx, run1(&fx, CCW_CMD_SET_IND, 0, 8, DATA));
    assert_ok(write_status(&fx, 0x0f));
    g_array_set_size(fx.irqs, 0);
    rng_request(&fx, 1);
    /* Bit 13 counts from the left: byte 1, mask 0x04. */
    g_assert_cmphex(fx.ram[IND + 1], ==, 0x04);
    g_assert_cmphex(fx.ram[IND + 0x40], ==, 0x01);
    g_assert_cmpuint(fx.irqs->len, ==, 1);
    g_assert_cmphex(g_array_index(fx.irqs, Irq, 0).word, ==,
                    0x80000000u | (6u << 27));
    /* The summary is still set: no second interruption. */
    rng_request(&fx, 2);
    g_assert_cmpuint(fx.irqs->len, ==, 1);
    fx_cleanup(&fx);
}

/* Any channel program the guest writes ends in an orderly status. */
static void test_random_programs(void)
{
    Fx fx;
    GRand *rand = g_rand_new_with_seed(0x5390);

    fx_init(&fx, 0, false);
    enable(&fx);
    for (unsigned round = 0; round < 20000; round++) {
        uint8_t orb[S390_ORB_SIZE];
        uint8_t irb[S390_IRB_SIZE];
        uint16_t pgm = 0;

        for (unsigned i = 0; i < 64; i++) {
            uint32_t v = g_rand_int(rand);
            fx.ram[PROG + i] = (uint8_t)v;
            fx.ram[DATA + i] = (uint8_t)(v >> 8);
        }
        /* Commands from the virtio set, with random operands. */
        for (unsigned i = 0; i < 8; i++) {
            static const uint8_t cmds[] = {
                0x13, 0x33, 0x12, 0x11, 0x22, 0x21, 0x31, 0x32, 0x43, 0x53,
                0x73, 0x72, 0x83, 0x03, 0x04, 0xe4, 0x08,
            };
            uint8_t *c = fx.ram + PROG + 8 * i;

            c[0] = cmds[g_rand_int_range(rand, 0, G_N_ELEMENTS(cmds))];
            put32(c + 4, g_rand_boolean(rand)
                             ? DATA + (uint32_t)g_rand_int_range(rand, 0, 64)
                             : g_rand_int(rand) & 0x7fffffff);
        }
        for (unsigned i = 0; i < S390_ORB_SIZE; i++) {
            orb[i] = (uint8_t)g_rand_int(rand);
        }
        put32(orb + 8, g_rand_boolean(rand) ? PROG : g_rand_int(rand));
        s390_css_ssch(fx.sch, orb, &pgm);
        s390_css_tsch(fx.sch, irb);
        if (round % 1000 == 0) {
            virtio_ccw_transport_reset(&fx.t);
        }
    }
    g_rand_free(rand);
    fx_cleanup(&fx);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/s390x/css/devno", test_devno);
    g_test_add_func("/s390x/css/numbers", test_numbers);
    g_test_add_func("/s390x/css/states", test_subchannel_states);
    g_test_add_func("/s390x/css/programs", test_sense_id_and_programs);
    g_test_add_func("/s390x/virtio-ccw/revision", test_revision);
    g_test_add_func("/s390x/virtio-ccw/features",
                    test_features_and_status);
    g_test_add_func("/s390x/virtio-ccw/access-platform",
                    test_access_platform);
    g_test_add_func("/s390x/virtio-ccw/queues", test_queues);
    g_test_add_func("/s390x/virtio-ccw/classic-indicators",
                    test_classic_indicators);
    g_test_add_func("/s390x/virtio-ccw/adapter-indicators",
                    test_adapter_indicators);
    g_test_add_func("/s390x/virtio-ccw/random", test_random_programs);
    return g_test_run();
}
