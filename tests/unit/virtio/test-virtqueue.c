/* Unit tests: the virtio core's negotiation and the split ring walker. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hw/virtio/virtio.h"
#include "qom/object.h"

#include <string.h>

/*
 * Guest memory: RAM at 0-1 MiB and, adjacent, 1 MiB-1 MiB+64 KiB (a
 * second region, so buffers can span two), ROM at 2 MiB.  The queue has 8
 * entries: descriptors at 0x1000, available ring at 0x2000, used at 0x3000.
 */
#define RAM1 0x100000
#define RAM2 0x10000
#define ROM_AT 0x200000
#define DESC 0x1000
#define AVAIL 0x2000
#define USED 0x3000
#define QSIZE 8

typedef struct {
    VirtioState vs;
    AddressSpace *as;
    uint8_t *ram1, *ram2, *rom;
    GPtrArray *popped;        /* VirtQueueElement */
    unsigned notifies;
    uint16_t last_vector;
    uint16_t avail_idx;
    bool push_on_pop;
} Fix;

static Fix *fix_of(VirtioState *vs)
{
    return (Fix *)((char *)vs - G_STRUCT_OFFSET(Fix, vs));
}

static void handle(VirtioState *vs, VirtQueue *vq)
{
    Fix *f = fix_of(vs);
    VirtQueueElement *e;

    while ((e = virtqueue_pop(vq)) != NULL) {
        if (f->push_on_pop) {
            virtqueue_push(vq, e, (uint32_t)e->in_len);
            virtqueue_notify(vq);
        } else {
            g_ptr_array_add(f->popped, e);
        }
    }
}

static void get_config(VirtioState *vs, uint8_t *c)
{
    for (unsigned i = 0; i < 8; i++) {
        c[i] = (uint8_t)(0xa0 + i);
    }
}

static void transport_notify(void *opaque, uint16_t vector)
{
    Fix *f = opaque;

    f->notifies++;
    f->last_vector = vector;
}

static const VirtioDeviceOps dev_ops = { .get_config = get_config };
static const VirtioTransportOps transport_ops = { .notify = transport_notify };

static void put16(Fix *f, uint64_t gpa, uint16_t v)
{
    uint16_t le = htole16(v);

    g_assert_true(guest_ram_write(f->as, gpa, &le, 2));
}

static uint32_t get32(Fix *f, uint64_t gpa)
{
    uint32_t v;

    g_assert_true(guest_ram_read(f->as, gpa, &v, 4));
    return le32toh(v);
}

static void set_desc(Fix *f, uint64_t table, unsigned i, uint64_t addr,
                     uint32_t len, uint16_t flags, uint16_t next)
{
    uint8_t d[16];
    uint64_t a = htole64(addr);
    uint32_t l = htole32(len);
    uint16_t fl = htole16(flags), n = htole16(next);

    memcpy(d, &a, 8);
    memcpy(d + 8, &l, 4);
    memcpy(d + 12, &fl, 2);
    memcpy(d + 14, &n, 2);
    g_assert_true(guest_ram_write(f->as, table + 16 * i, d, 16));
}

/* Makes @head available and kicks the queue. */
static void submit(Fix *f, uint16_t head)
{
    put16(f, AVAIL + 4 + 2 * (f->avail_idx % QSIZE), head);
    f->avail_idx++;
    put16(f, AVAIL + 2, f->avail_idx);
    virtio_queue_notify(&f->vs, 0);
}

static void setup_queue(Fix *f)
{
    VirtQueue *vq = &f->vs.vq[0];

    vq->num = QSIZE;
    vq->desc = DESC;
    vq->avail = AVAIL;
    vq->used = USED;
    virtio_queue_enable(vq);
}

/* A modern driver: VERSION_1 accepted, DRIVER_OK. */
static void drive_modern(Fix *f)
{
    virtio_set_status(&f->vs, 0x03, true);
    virtio_set_driver_features(&f->vs, 1, 1);
    g_assert_true(virtio_set_status(&f->vs, 0x0b, true));
    setup_queue(f);
    g_assert_true(virtio_set_status(&f->vs, 0x0f, true));
}

static void fix_setup(Fix *f, gconstpointer data)
{
    g_autoptr(GError) err = NULL;

    f->as = address_space_new("memory", UINT64_MAX);
    f->ram1 = g_malloc0(RAM1);
    f->ram2 = g_malloc0(RAM2);
    f->rom = g_malloc0(0x1000);
    g_assert_nonnull(address_space_add_ram(f->as, "ram1", 0, RAM1, f->ram1,
                                           -1, 0, false, &err));
    g_assert_nonnull(address_space_add_ram(f->as, "ram2", RAM1, RAM2,
                                           f->ram2, -1, 0, false, &err));
    g_assert_nonnull(address_space_add_ram(f->as, "rom", ROM_AT, 0x1000,
                                           f->rom, -1, 0, true, &err));
    f->popped = g_ptr_array_new_with_free_func(
        (GDestroyNotify)virtqueue_element_free);
    virtio_init(&f->vs, 99, 8, &dev_ops);
    g_assert_nonnull(virtio_add_queue(&f->vs, QSIZE, handle));
    virtio_bind(&f->vs, "test-virtio", f->as, &transport_ops, f,
                VIRTIO_BIT(VIRTIO_F_VERSION_1) |
                    VIRTIO_BIT(VIRTIO_F_INDIRECT_DESC));
    virtio_reset(&f->vs);
}

static void fix_teardown(Fix *f, gconstpointer data)
{
    g_ptr_array_unref(f->popped);
    virtio_cleanup(&f->vs);
    address_space_free(f->as);
    g_free(f->ram1);
    g_free(f->ram2);
    g_free(f->rom);
}

static void assert_broken(Fix *f, const char *reason)
{
    g_assert_true(f->vs.broken);
    g_assert_cmpstr(f->vs.broken_reason, ==, reason);
    g_assert_cmpuint(f->popped->len, ==, 0);
}

/* --- well-formed requests ------------------------------------------------- */

static void test_good_chain(Fix *f, gconstpointer data)
{
    VirtQueueElement *e;
    uint8_t out[16] = "0123456789abcdef";
    uint8_t back[16];

    drive_modern(f);
    memcpy(f->ram1 + 0x10000, out, 16);
    set_desc(f, DESC, 0, 0x10000, 16, VRING_DESC_F_NEXT, 1);
    set_desc(f, DESC, 1, 0x11000, 100, VRING_DESC_F_WRITE, 0);
    submit(f, 0);
    g_assert_false(f->vs.broken);
    g_assert_cmpuint(f->popped->len, ==, 1);
    e = g_ptr_array_steal_index(f->popped, 0);
    g_assert_cmpuint(e->head, ==, 0);
    g_assert_cmpuint(e->out_num, ==, 1);
    g_assert_cmpuint(e->in_num, ==, 1);
    g_assert_cmpuint(e->out_len, ==, 16);
    g_assert_cmpuint(e->in_len, ==, 100);
    g_assert_true(e->sg[0].iov_base == f->ram1 + 0x10000);
    g_assert_cmpuint(virtqueue_elem_read(e, 4, back, 16), ==, 12);
    g_assert_cmpmem(back, 12, out + 4, 12);
    g_assert_cmpuint(virtqueue_elem_write(e, 98, "xyz", 3), ==, 2);
    g_assert_cmpmem(f->ram1 + 0x11000 + 98, 2, "xy", 2);
    /* A device claiming more than the buffers is clamped. */
    virtqueue_push(&f->vs.vq[0], e, 1000);
    virtqueue_notify(&f->vs.vq[0]);
    g_assert_cmphex(get32(f, USED) >> 16, ==, 1);       /* used idx */
    g_assert_cmphex(get32(f, USED + 4), ==, 0);          /* id */
    g_assert_cmphex(get32(f, USED + 8), ==, 100);        /* len */
    g_assert_cmpuint(f->notifies, ==, 1);
    g_assert_cmphex(f->last_vector, ==, VIRTIO_NO_VECTOR);
    g_assert_cmphex(virtio_isr_read_clear(&f->vs), ==, VIRTIO_ISR_QUEUE);
    g_assert_cmphex(f->vs.isr, ==, 0);
}

static void test_no_interrupt(Fix *f, gconstpointer data)
{
    drive_modern(f);
    f->push_on_pop = true;
    put16(f, AVAIL, VRING_AVAIL_F_NO_INTERRUPT);
    set_desc(f, DESC, 3, 0x10000, 8, VRING_DESC_F_WRITE, 0);
    submit(f, 3);
    submit(f, 3);
    g_assert_cmphex(get32(f, USED) >> 16, ==, 2);
    g_assert_cmphex(get32(f, USED + 12), ==, 3);
    g_assert_cmpuint(f->notifies, ==, 0);
    g_assert_cmphex(f->vs.isr, ==, 0);
}

static void test_indirect(Fix *f, gconstpointer data)
{
    VirtQueueElement *e;

    drive_modern(f);
    set_desc(f, 0x20000, 0, 0x10000, 16, VRING_DESC_F_NEXT, 1);
    set_desc(f, 0x20000, 1, 0x11000, 512,
             VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, 2);
    set_desc(f, 0x20000, 2, 0x12000, 1, VRING_DESC_F_WRITE, 0);
    set_desc(f, DESC, 0, 0x20000, 48, VRING_DESC_F_INDIRECT, 0);
    submit(f, 0);
    g_assert_false(f->vs.broken);
    e = g_ptr_array_index(f->popped, 0);
    g_assert_cmpuint(e->out_num, ==, 1);
    g_assert_cmpuint(e->in_num, ==, 2);
    g_assert_cmpuint(e->in_len, ==, 513);
}

static void test_split_regions(Fix *f, gconstpointer data)
{
    VirtQueueElement *e;

    drive_modern(f);
    /* One buffer across the boundary of two RAM regions: two pieces. */
    set_desc(f, DESC, 0, RAM1 - 8, 16, VRING_DESC_F_WRITE, 0);
    submit(f, 0);
    e = g_ptr_array_index(f->popped, 0);
    g_assert_cmpuint(e->in_num, ==, 2);
    g_assert_true(e->sg[0].iov_base == f->ram1 + RAM1 - 8);
    g_assert_true(e->sg[1].iov_base == f->ram2);
    g_assert_cmpuint(e->sg[1].iov_len, ==, 8);
    /* Device-readable data may come from ROM. */
    set_desc(f, DESC, 1, ROM_AT, 16, 0, 0);
    submit(f, 1);
    g_assert_false(f->vs.broken);
    g_assert_cmpuint(f->popped->len, ==, 2);
}

/* --- malformed requests --------------------------------------------------- */

static void test_out_of_ram(Fix *f, gconstpointer data)
{
    drive_modern(f);
    set_desc(f, DESC, 0, 0x40000000, 16, 0, 0);
    submit(f, 0);
    assert_broken(f, "queue 0: request 0 has a buffer outside guest RAM "
                     "(descriptor address 0x40000000)");
    /* NEEDS_RESET (VERSION_1 was negotiated) and a config interrupt. */
    g_assert_cmphex(f->vs.status, ==, 0x4f);
    g_assert_cmphex(f->vs.isr, ==, VIRTIO_ISR_CONFIG);
    g_assert_cmpuint(f->notifies, ==, 1);
}

static void test_wrap(Fix *f, gconstpointer data)
{
    drive_modern(f);
    set_desc(f, DESC, 0, 0xfffffffffffff000ull, 0x2000, 0, 0);
    submit(f, 0);
    assert_broken(f, "queue 0: request 0 has a buffer that wraps around the "
                     "address space (descriptor address 0xfffffffffffff000)");
}

static void test_end_of_ram(Fix *f, gconstpointer data)
{
    drive_modern(f);
    /* Starts in RAM, runs past its end into nothing. */
    set_desc(f, DESC, 0, RAM1 + RAM2 - 4, 8, 0, 0);
    submit(f, 0);
    assert_broken(f, "queue 0: request 0 has a buffer outside guest RAM "
                     "(descriptor address 0x10fffc)");
}

static void test_loop(Fix *f, gconstpointer data)
{
    drive_modern(f);
    set_desc(f, DESC, 0, 0x10000, 16, VRING_DESC_F_NEXT, 1);
    set_desc(f, DESC, 1, 0x10000, 16, VRING_DESC_F_NEXT, 0);
    submit(f, 0);
    assert_broken(f, "queue 0: request 0 has a descriptor chain that loops "
                     "or is longer than its table (descriptor address "
                     "0x10000)");
}

static void test_loop_indirect(Fix *f, gconstpointer data)
{
    drive_modern(f);
    set_desc(f, 0x20000, 0, 0x10000, 16, VRING_DESC_F_NEXT, 1);
    set_desc(f, 0x20000, 1, 0x10000, 16, VRING_DESC_F_NEXT, 0);
    set_desc(f, DESC, 2, 0x20000, 32, VRING_DESC_F_INDIRECT, 0);
    submit(f, 2);
    assert_broken(f, "queue 0: request 2 has a descriptor chain that loops "
                     "or is longer than its table (descriptor address "
                     "0x10000)");
}

static void test_next_out_of_range(Fix *f, gconstpointer data)
{
    drive_modern(f);
    set_desc(f, DESC, 0, 0x10000, 16, VRING_DESC_F_NEXT, QSIZE);
    submit(f, 0);
    assert_broken(f, "queue 0: request 0 has a next index beyond the end of "
                     "the table (descriptor address 0x10000)");
}

static void test_zero_length(Fix *f, gconstpointer data)
{
    drive_modern(f);
    set_desc(f, DESC, 0, 0x10000, 0, 0, 0);
    submit(f, 0);
    assert_broken(f, "queue 0: request 0 has a zero-length buffer "
                     "(descriptor address 0x10000)");
}

static void test_order(Fix *f, gconstpointer data)
{
    drive_modern(f);
    set_desc(f, DESC, 0, 0x10000, 16, VRING_DESC_F_WRITE | VRING_DESC_F_NEXT,
             1);
    set_desc(f, DESC, 1, 0x11000, 16, 0, 0);
    submit(f, 0);
    assert_broken(f, "queue 0: request 0 has a device-readable buffer after "
                     "a device-writable one (descriptor address 0x11000)");
}

static void test_indirect_nested(Fix *f, gconstpointer data)
{
    drive_modern(f);
    set_desc(f, 0x20000, 0, 0x21000, 16, VRING_DESC_F_INDIRECT, 0);
    set_desc(f, DESC, 0, 0x20000, 16, VRING_DESC_F_INDIRECT, 0);
    submit(f, 0);
    assert_broken(f, "queue 0: request 0 has an indirect descriptor inside "
                     "an indirect table (descriptor address 0x21000)");
}

static void test_indirect_bad_size(Fix *f, gconstpointer data)
{
    drive_modern(f);
    set_desc(f, DESC, 0, 0x20000, 20, VRING_DESC_F_INDIRECT, 0);
    submit(f, 0);
    assert_broken(f, "queue 0: request 0 has an indirect table that is "
                     "empty, not a whole number of descriptors, or over 1024 "
                     "of them (descriptor address 0x20000)");
}

static void test_indirect_with_next(Fix *f, gconstpointer data)
{
    drive_modern(f);
    set_desc(f, DESC, 0, 0x20000, 16,
             VRING_DESC_F_INDIRECT | VRING_DESC_F_NEXT, 1);
    submit(f, 0);
    assert_broken(f, "queue 0: request 0 has an indirect descriptor that is "
                     "not alone in its chain (descriptor address 0x20000)");
}

static void test_indirect_outside(Fix *f, gconstpointer data)
{
    drive_modern(f);
    set_desc(f, DESC, 0, RAM1 + RAM2 - 16, 32, VRING_DESC_F_INDIRECT, 0);
    submit(f, 0);
    assert_broken(f, "queue 0: request 0 has an indirect table outside guest "
                     "RAM (descriptor address 0x10fff0)");
}

static void test_too_many_buffers(Fix *f, gconstpointer data)
{
    uint64_t table = 0x30000;

    drive_modern(f);
    /* 1024 descriptors (the most a table may have), one of which spans
     * two RAM regions: 1025 buffers. */
    for (unsigned i = 0; i < 1024; i++) {
        set_desc(f, table, i, i == 1023 ? RAM1 - 1 : 0x10000 + i, 2,
                 i < 1023 ? VRING_DESC_F_NEXT : 0, (uint16_t)(i + 1));
    }
    set_desc(f, DESC, 0, table, 1024 * 16, VRING_DESC_F_INDIRECT, 0);
    submit(f, 0);
    assert_broken(f, "queue 0: request 0 has more than 1024 buffers in one "
                     "request (descriptor address 0xfffff)");
}

static void test_rom_write(Fix *f, gconstpointer data)
{
    drive_modern(f);
    set_desc(f, DESC, 0, ROM_AT, 16, VRING_DESC_F_WRITE, 0);
    submit(f, 0);
    assert_broken(f, "queue 0: request 0 has a device-writable buffer in ROM "
                     "(descriptor address 0x200000)");
}

static void test_bad_rings(Fix *f, gconstpointer data)
{
    VirtQueue *vq = &f->vs.vq[0];

    drive_modern(f);
    vq->used = ROM_AT;
    submit(f, 0);
    assert_broken(f, "queue 0: its used ring at 0x200000 is not in writable "
                     "guest RAM");
    virtio_set_status(&f->vs, 0, true);
    drive_modern(f);
    vq->desc = DESC + 8;
    submit(f, 0);
    assert_broken(f, "queue 0: misaligned rings (descriptors 0x1008, "
                     "available 0x2000, used 0x3000)");
    virtio_set_status(&f->vs, 0, true);
    drive_modern(f);
    vq->avail = 0x7fff0000;
    virtio_queue_notify(&f->vs, 0);
    assert_broken(f, "queue 0: its available ring at 0x7fff0000 is not in "
                     "guest RAM");
}

static void test_avail_index(Fix *f, gconstpointer data)
{
    drive_modern(f);
    put16(f, AVAIL + 2, 20);
    virtio_queue_notify(&f->vs, 0);
    assert_broken(f, "queue 0: the available index moved by 20, more than "
                  "the 8 entries of the queue");
}

static void test_head_range(Fix *f, gconstpointer data)
{
    drive_modern(f);
    submit(f, QSIZE);
    assert_broken(f, "queue 0: request head 8 is beyond the 8 descriptors");
}

static void test_bad_size(Fix *f, gconstpointer data)
{
    VirtQueue *vq = &f->vs.vq[0];

    vq->num = 6;
    virtio_queue_enable(vq);
    g_assert_false(vq->ready);
    assert_broken(f, "queue 0: size 6 is not a power of two between 1 and 8");
}

static void test_broken_until_reset(Fix *f, gconstpointer data)
{
    drive_modern(f);
    f->vs.config_vector = 3;
    set_desc(f, DESC, 0, 0x40000000, 16, 0, 0);
    submit(f, 0);
    g_assert_true(f->vs.broken);
    g_assert_cmphex(f->last_vector, ==, 3);
    /* The driver writes status: NEEDS_RESET stays. */
    virtio_set_status(&f->vs, 0x0f, true);
    g_assert_cmphex(f->vs.status, ==, 0x4f);
    /* Good requests are ignored until a reset. */
    set_desc(f, DESC, 1, 0x10000, 16, 0, 0);
    submit(f, 1);
    g_assert_cmpuint(f->popped->len, ==, 0);
    virtio_set_status(&f->vs, 0, true);
    g_assert_false(f->vs.broken);
    g_assert_null(f->vs.broken_reason);
    g_assert_cmphex(f->vs.status, ==, 0);
    g_assert_cmphex(f->vs.config_vector, ==, VIRTIO_NO_VECTOR);
    g_assert_false(f->vs.vq[0].ready);
    f->avail_idx = 0;
    drive_modern(f);
    submit(f, 1);
    g_assert_cmpuint(f->popped->len, ==, 1);
}

static void test_legacy_broken(Fix *f, gconstpointer data)
{
    /* A legacy driver: no VERSION_1, so no NEEDS_RESET bit to show. */
    virtio_set_status(&f->vs, 0x03, false);
    virtio_queue_set_legacy_pfn(&f->vs.vq[0], DESC >> 12);
    g_assert_cmphex(f->vs.vq[0].avail, ==, DESC + 16 * QSIZE);
    g_assert_cmphex(f->vs.vq[0].used, ==, DESC + 0x1000);
    g_assert_cmpuint(virtio_queue_get_legacy_pfn(&f->vs.vq[0]), ==, 1);
    virtio_set_status(&f->vs, 0x07, false);
    put16(f, DESC + 16 * QSIZE + 2, 1);
    put16(f, DESC + 16 * QSIZE + 4, 0);
    set_desc(f, DESC, 0, 0x50000000, 4, 0, 0);
    virtio_queue_notify(&f->vs, 0);
    g_assert_true(f->vs.broken);
    g_assert_cmphex(f->vs.status, ==, 0x07);
    virtio_queue_set_legacy_pfn(&f->vs.vq[0], 0);
    g_assert_false(f->vs.vq[0].ready);
}

/* --- negotiation and config ----------------------------------------------- */

static void test_negotiation(Fix *f, gconstpointer data)
{
    VirtioState *vs = &f->vs;

    vs->host_features |= VIRTIO_BIT(VIRTIO_F_ACCESS_PLATFORM);
    g_assert_cmphex(virtio_get_host_features(vs, 0), ==, 1u << 28);
    g_assert_cmphex(virtio_get_host_features(vs, 1), ==, 3);
    g_assert_cmphex(virtio_get_host_features(vs, 2), ==, 0);

    /* Declining ACCESS_PLATFORM: FEATURES_OK is refused and reads clear. */
    virtio_set_status(vs, 0x03, true);
    virtio_set_driver_features(vs, 1, 1);
    g_assert_false(virtio_set_status(vs, 0x0b, true));
    g_assert_cmphex(vs->status, ==, 0x03);
    /* Accepting it: fine. */
    virtio_set_driver_features(vs, 1, 3);
    g_assert_true(virtio_set_status(vs, 0x0b, true));
    g_assert_cmphex(vs->status, ==, 0x0b);
    g_assert_true(virtio_has_feature(vs, VIRTIO_F_ACCESS_PLATFORM));
    /* Features are frozen once accepted. */
    virtio_set_driver_features(vs, 1, 0);
    g_assert_true(virtio_has_feature(vs, VIRTIO_F_VERSION_1));

    /* Without VERSION_1, or with a bit that was not offered: refused. */
    virtio_set_status(vs, 0, true);
    virtio_set_driver_features(vs, 1, 2);
    g_assert_false(virtio_set_status(vs, 0x0b, true));
    virtio_set_driver_features(vs, 1, 3);
    virtio_set_driver_features(vs, 0, 1u << 5);
    g_assert_cmphex(vs->guest_features, ==, 3ull << 32);
    g_assert_false(virtio_set_status(vs, 0x0b, true));
    /* The legacy interface has no such step. */
    virtio_set_status(vs, 0, true);
    virtio_set_driver_features(vs, 0, 1u << 28);
    g_assert_true(virtio_set_status(vs, 0x07, false));
    g_assert_cmphex(vs->status, ==, 0x07);
    g_assert_cmphex(vs->guest_features, ==, 1u << 28);
}

static void test_refusal_logged_once(void)
{
    if (g_test_subprocess()) {
        Fix f = { 0 };

        fix_setup(&f, NULL);
        f.vs.host_features |= VIRTIO_BIT(VIRTIO_F_ACCESS_PLATFORM);
        for (int i = 0; i < 3; i++) {
            virtio_set_status(&f.vs, 0, true);
            virtio_set_status(&f.vs, 0x03, true);
            virtio_set_driver_features(&f.vs, 1, 1);
            g_assert_false(virtio_set_status(&f.vs, 0x0b, true));
        }
        fix_teardown(&f, NULL);
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed();
    g_test_trap_assert_stderr(
        "*warning: test-virtio: FEATURES_OK refused: the driver declined "
        "VIRTIO_F_ACCESS_PLATFORM, which this device requires "
        "(iommu_platform=on)\n");
    g_test_trap_assert_stderr_unmatched("*refused*refused*");
}

static void test_config(Fix *f, gconstpointer data)
{
    uint8_t buf[4];

    virtio_config_read(&f->vs, 6, buf, 4);
    g_assert_cmpmem(buf, 4, "\xa6\xa7\x00\x00", 4);
    virtio_config_read(&f->vs, 100, buf, 2);
    g_assert_cmpmem(buf, 2, "\x00\x00", 2);
    /* No set_config: writes are dropped, nothing breaks. */
    virtio_config_write(&f->vs, 0, "zz", 2);
    virtio_config_read(&f->vs, 0, buf, 2);
    g_assert_cmpmem(buf, 2, "\xa0\xa1", 2);
    /* A configuration change bumps the generation; no interrupt before
     * DRIVER_OK. */
    virtio_config_changed(&f->vs);
    g_assert_cmpuint(f->vs.generation, ==, 1);
    g_assert_cmpuint(f->notifies, ==, 0);
    drive_modern(f);
    virtio_config_changed(&f->vs);
    g_assert_cmpuint(f->notifies, ==, 1);
    g_assert_cmphex(f->vs.isr, ==, VIRTIO_ISR_CONFIG);
    /* Unknown queues are ignored. */
    virtio_queue_notify(&f->vs, 5);
    g_assert_false(f->vs.broken);
}

#define ADD(path, fn)                                                         \
    g_test_add("/virtio/" path, Fix, NULL, fix_setup, fn, fix_teardown)

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    cg_types_init();
    ADD("ring/good-chain", test_good_chain);
    ADD("ring/no-interrupt", test_no_interrupt);
    ADD("ring/indirect", test_indirect);
    ADD("ring/split-regions", test_split_regions);
    ADD("ring/bad/out-of-ram", test_out_of_ram);
    ADD("ring/bad/wrap", test_wrap);
    ADD("ring/bad/end-of-ram", test_end_of_ram);
    ADD("ring/bad/loop", test_loop);
    ADD("ring/bad/loop-indirect", test_loop_indirect);
    ADD("ring/bad/next-out-of-range", test_next_out_of_range);
    ADD("ring/bad/zero-length", test_zero_length);
    ADD("ring/bad/order", test_order);
    ADD("ring/bad/indirect-nested", test_indirect_nested);
    ADD("ring/bad/indirect-size", test_indirect_bad_size);
    ADD("ring/bad/indirect-with-next", test_indirect_with_next);
    ADD("ring/bad/indirect-outside", test_indirect_outside);
    ADD("ring/bad/too-many-buffers", test_too_many_buffers);
    ADD("ring/bad/rom-write", test_rom_write);
    ADD("ring/bad/rings", test_bad_rings);
    ADD("ring/bad/avail-index", test_avail_index);
    ADD("ring/bad/head", test_head_range);
    ADD("ring/bad/queue-size", test_bad_size);
    ADD("ring/broken-until-reset", test_broken_until_reset);
    ADD("ring/legacy-broken", test_legacy_broken);
    ADD("negotiation", test_negotiation);
    ADD("config", test_config);
    g_test_add_func("/virtio/negotiation/refusal-logged-once",
                    test_refusal_logged_once);
    return g_test_run();
}
