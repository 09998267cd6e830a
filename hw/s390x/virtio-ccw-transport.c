/* The virtio-ccw transport: channel commands and driver notification. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hw/s390x/virtio-ccw.h"

#include <string.h>

/* Classic indicators are one 64-bit word: one bit a queue. */
#define CLASSIC_INDICATOR_BITS 64

static uint16_t be16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)be16(p) << 16 | be16(p + 2);
}

static uint64_t be64(const uint8_t *p)
{
    return (uint64_t)be32(p) << 32 | be32(p + 4);
}

void virtio_ccw_transport_reset(VirtioCcwTransport *t)
{
    t->revision = -1;
    t->indicators = 0;
    t->config_indicators = 0;
    t->adapter = false;
    t->summary = t->adapter_ind = t->adapter_bit = 0;
    t->isc = 0;
    if (t->vs != NULL) {
        virtio_reset(t->vs);
    }
}

/* Device reset by the driver: everything but the revision. */
static void device_reset(VirtioCcwTransport *t)
{
    int rev = t->revision;

    virtio_ccw_transport_reset(t);
    t->revision = rev;
}

/*
 * The data area must be exactly @size bytes unless the driver suppressed
 * incorrect-length indication, in which case it must be at least @size.
 */
static bool len_ok(const S390Ccw *ccw, uint32_t size)
{
    return (ccw->flags & S390_CCW_FLAG_SLI) ? ccw->count >= size
                                            : ccw->count == size;
}

static S390CcwResult set_rev(VirtioCcwTransport *t, const S390Ccw *ccw,
                             uint32_t *residual)
{
    uint8_t info[4];
    uint16_t rev, len;

    if (ccw->count < sizeof(info)) {
        return S390_CCW_PROGRAM_CHECK;
    }
    if (!s390_ccw_read(t->sch, ccw, info, sizeof(info))) {
        return S390_CCW_PROTECTION;
    }
    rev = be16(info);
    len = be16(info + 2);
    /* Revisions 1 and 2 carry no data.  A revision is set once. */
    if (ccw->count < sizeof(info) + len ||
        (!(ccw->flags & S390_CCW_FLAG_SLI) &&
         ccw->count != sizeof(info) + len)) {
        return S390_CCW_PROGRAM_CHECK;
    }
    if (t->revision >= 0 || rev == 0 || rev > t->max_rev || len != 0) {
        return S390_CCW_REJECT;
    }
    t->revision = rev;
    *residual = ccw->count - sizeof(info);
    return S390_CCW_OK;
}

static S390CcwResult rw_feat(VirtioCcwTransport *t, const S390Ccw *ccw,
                             bool write, uint32_t *residual)
{
    uint8_t desc[VIRTIO_CCW_FEAT_DESC_SIZE];
    uint32_t bits;

    if (!len_ok(ccw, sizeof(desc))) {
        return S390_CCW_PROGRAM_CHECK;
    }
    if (!s390_ccw_read(t->sch, ccw, desc, sizeof(desc))) {
        return S390_CCW_PROTECTION;
    }
    /* The feature bits are little-endian, unlike the rest (spec 4.3). */
    if (write) {
        bits = (uint32_t)desc[0] | (uint32_t)desc[1] << 8 |
               (uint32_t)desc[2] << 16 | (uint32_t)desc[3] << 24;
        if (desc[4] < 2) {
            virtio_set_driver_features(t->vs, desc[4], bits);
        }
    } else {
        bits = desc[4] < 2 ? virtio_get_host_features(t->vs, desc[4]) : 0;
        for (int i = 0; i < 4; i++) {
            desc[i] = (uint8_t)(bits >> (8 * i));
        }
        if (!s390_ccw_write(t->sch, ccw, desc, 4)) {
            return S390_CCW_PROTECTION;
        }
    }
    *residual = ccw->count - (uint32_t)sizeof(desc);
    return S390_CCW_OK;
}

static S390CcwResult rw_conf(VirtioCcwTransport *t, const S390Ccw *ccw,
                             bool write, uint32_t *residual)
{
    uint32_t len = MIN((uint32_t)ccw->count, (uint32_t)t->vs->config_len);
    g_autofree uint8_t *buf = g_malloc0(len ? len : 1);

    if (!(ccw->flags & S390_CCW_FLAG_SLI) && ccw->count > t->vs->config_len) {
        return S390_CCW_PROGRAM_CHECK;
    }
    if (write) {
        if (!s390_ccw_read(t->sch, ccw, buf, len)) {
            return S390_CCW_PROTECTION;
        }
        virtio_config_write(t->vs, 0, buf, len);
    } else {
        virtio_config_read(t->vs, 0, buf, len);
        if (!s390_ccw_write(t->sch, ccw, buf, len)) {
            return S390_CCW_PROTECTION;
        }
    }
    *residual = ccw->count - len;
    return S390_CCW_OK;
}

static S390CcwResult write_status(VirtioCcwTransport *t, const S390Ccw *ccw,
                                  uint32_t *residual)
{
    uint8_t status;

    if (!len_ok(ccw, 1)) {
        return S390_CCW_PROGRAM_CHECK;
    }
    if (!s390_ccw_read(t->sch, ccw, &status, 1)) {
        return S390_CCW_PROTECTION;
    }
    if (status == 0) {
        device_reset(t);
    } else if (!virtio_set_status(t->vs, status, true)) {
        /* FEATURES_OK refused: the driver keeps its old status. */
        return S390_CCW_REJECT;
    }
    *residual = ccw->count - 1;
    return S390_CCW_OK;
}

static S390CcwResult set_vq(VirtioCcwTransport *t, const S390Ccw *ccw,
                            uint32_t *residual)
{
    uint8_t info[VIRTIO_CCW_VQ_INFO_SIZE];
    uint64_t desc;
    uint16_t index, num;
    VirtQueue *vq;

    if (!len_ok(ccw, sizeof(info))) {
        return S390_CCW_PROGRAM_CHECK;
    }
    if (!s390_ccw_read(t->sch, ccw, info, sizeof(info))) {
        return S390_CCW_PROTECTION;
    }
    desc = be64(info);
    index = be16(info + 12);
    num = be16(info + 14);
    if (index >= t->vs->num_queues) {
        return desc == 0 ? S390_CCW_OK : S390_CCW_PROGRAM_CHECK;
    }
    vq = &t->vs->vq[index];
    if (desc == 0) {
        vq->ready = false;
        vq->desc = vq->avail = vq->used = 0;
    } else {
        if (num == 0 || num > vq->num_max || (num & (num - 1)) != 0) {
            return S390_CCW_PROGRAM_CHECK;
        }
        vq->num = num;
        vq->desc = desc;
        vq->avail = be64(info + 16);
        vq->used = be64(info + 24);
        /* Interrupts name their queue through the vector. */
        vq->vector = index;
        virtio_queue_enable(vq);
    }
    *residual = ccw->count - (uint32_t)sizeof(info);
    return S390_CCW_OK;
}

static S390CcwResult read_vq_conf(VirtioCcwTransport *t, const S390Ccw *ccw,
                                  uint32_t *residual)
{
    uint8_t conf[VIRTIO_CCW_VQ_CONF_SIZE];
    uint16_t index, num = 0;

    if (!len_ok(ccw, sizeof(conf))) {
        return S390_CCW_PROGRAM_CHECK;
    }
    if (!s390_ccw_read(t->sch, ccw, conf, 2)) {
        return S390_CCW_PROTECTION;
    }
    index = be16(conf);
    if (index < t->vs->num_queues) {
        num = t->vs->vq[index].num_max;
    }
    conf[2] = num >> 8;
    conf[3] = (uint8_t)num;
    if (!s390_ccw_write(t->sch, ccw, conf, sizeof(conf))) {
        return S390_CCW_PROTECTION;
    }
    *residual = ccw->count - (uint32_t)sizeof(conf);
    return S390_CCW_OK;
}

static S390CcwResult set_ind(VirtioCcwTransport *t, const S390Ccw *ccw,
                             bool config, uint32_t *residual)
{
    uint8_t addr[8];
    uint64_t a;

    if (!len_ok(ccw, sizeof(addr))) {
        return S390_CCW_PROGRAM_CHECK;
    }
    /* Classic queue indicators exclude adapter interruptions, and have
     * one bit per queue. */
    if (!config && (t->adapter ||
                    t->vs->num_queues > CLASSIC_INDICATOR_BITS)) {
        return S390_CCW_REJECT;
    }
    if (!s390_ccw_read(t->sch, ccw, addr, sizeof(addr))) {
        return S390_CCW_PROTECTION;
    }
    a = be64(addr);
    if (a == 0 || guest_ram_ptr(s390_sch_memory(t->sch), a, 8) == NULL) {
        return S390_CCW_PROGRAM_CHECK;
    }
    if (config) {
        t->config_indicators = a;
    } else {
        t->indicators = a;
    }
    *residual = ccw->count - (uint32_t)sizeof(addr);
    return S390_CCW_OK;
}

static S390CcwResult set_ind_adapter(VirtioCcwTransport *t,
                                     const S390Ccw *ccw, uint32_t *residual)
{
    uint8_t area[VIRTIO_CCW_THININT_SIZE];
    AddressSpace *mem = s390_sch_memory(t->sch);
    uint64_t summary, ind, bit;

    if (!len_ok(ccw, sizeof(area))) {
        return S390_CCW_PROGRAM_CHECK;
    }
    if (t->indicators != 0) {
        return S390_CCW_REJECT;
    }
    if (!s390_ccw_read(t->sch, ccw, area, sizeof(area))) {
        return S390_CCW_PROTECTION;
    }
    summary = be64(area);
    ind = be64(area + 8);
    bit = be64(area + 16);
    /* Every queue's bit must lie in RAM, and the summary byte. */
    if (summary == 0 || ind == 0 || area[24] > 7 ||
        bit > UINT64_MAX - t->vs->num_queues ||
        guest_ram_ptr(mem, summary, 1) == NULL ||
        guest_ram_ptr(mem, ind + (bit + t->vs->num_queues) / 8, 1) == NULL ||
        guest_ram_ptr(mem, ind + bit / 8, 1) == NULL) {
        return S390_CCW_PROGRAM_CHECK;
    }
    t->adapter = true;
    t->summary = summary;
    t->adapter_ind = ind;
    t->adapter_bit = bit;
    t->isc = area[24];
    *residual = ccw->count - (uint32_t)sizeof(area);
    return S390_CCW_OK;
}

S390CcwResult virtio_ccw_command(VirtioCcwTransport *t, const S390Ccw *ccw,
                                 uint32_t *residual)
{
    *residual = 0;
    if (ccw->cmd == CCW_CMD_SET_VIRTIO_REV) {
        return set_rev(t, ccw, residual);
    }
    /* Nothing before a revision is chosen: that would be legacy. */
    if (t->revision < 1) {
        return S390_CCW_REJECT;
    }
    switch (ccw->cmd) {
    case CCW_CMD_READ_FEAT:
        return rw_feat(t, ccw, false, residual);
    case CCW_CMD_WRITE_FEAT:
        return rw_feat(t, ccw, true, residual);
    case CCW_CMD_READ_CONF:
        return rw_conf(t, ccw, false, residual);
    case CCW_CMD_WRITE_CONF:
        return rw_conf(t, ccw, true, residual);
    case CCW_CMD_WRITE_STATUS:
        return write_status(t, ccw, residual);
    case CCW_CMD_READ_STATUS:
        if (t->revision < 2) {
            return S390_CCW_REJECT;
        }
        if (!len_ok(ccw, 1)) {
            return S390_CCW_PROGRAM_CHECK;
        }
        if (!s390_ccw_write(t->sch, ccw, &t->vs->status, 1)) {
            return S390_CCW_PROTECTION;
        }
        *residual = ccw->count - 1;
        return S390_CCW_OK;
    case CCW_CMD_SET_VQ:
        return set_vq(t, ccw, residual);
    case CCW_CMD_READ_VQ_CONF:
        return read_vq_conf(t, ccw, residual);
    case CCW_CMD_VDEV_RESET:
        device_reset(t);
        *residual = ccw->count;
        return S390_CCW_OK;
    case CCW_CMD_SET_IND:
        return set_ind(t, ccw, false, residual);
    case CCW_CMD_SET_CONF_IND:
        return set_ind(t, ccw, true, residual);
    case CCW_CMD_SET_IND_ADAPTER:
        return set_ind_adapter(t, ccw, residual);
    default:
        return S390_CCW_REJECT;
    }
}

/* Sets bit @mask of the guest byte at @gpa; returns the byte before. */
static uint8_t set_guest_bits(AddressSpace *mem, uint64_t gpa, uint8_t mask)
{
    uint8_t *p = guest_ram_ptr(mem, gpa, 1);

    /* The guest clears these bits concurrently: atomically. */
    return p ? __atomic_fetch_or(p, mask, __ATOMIC_SEQ_CST) : mask;
}

/* Classic indicators are a big-endian doubleword; bit n is 1 << n. */
static void set_classic(AddressSpace *mem, uint64_t word, unsigned n)
{
    set_guest_bits(mem, word + 7 - n / 8, (uint8_t)(1u << (n % 8)));
}

void virtio_ccw_transport_notify(void *opaque, uint16_t vector)
{
    VirtioCcwTransport *t = opaque;
    AddressSpace *mem = s390_sch_memory(t->sch);

    if (vector >= t->vs->num_queues) {
        /* Configuration change: classic indicators, bit 0. */
        if (t->config_indicators != 0) {
            set_classic(mem, t->config_indicators, 0);
            s390_sch_notify(t->sch);
        }
        return;
    }
    if (t->adapter) {
        uint64_t bit = t->adapter_bit + vector;

        /* Bits count from the left of each byte. */
        set_guest_bits(mem, t->adapter_ind + bit / 8,
                       (uint8_t)(0x80u >> (bit % 8)));
        if (!(set_guest_bits(mem, t->summary, 0x01) & 0x01)) {
            s390_css_adapter_interrupt(s390_sch_css(t->sch), t->isc);
        }
        return;
    }
    if (t->indicators != 0) {
        set_classic(mem, t->indicators, vector);
        s390_sch_notify(t->sch);
    }
}

static S390CcwResult ccw_command(void *opaque, S390Subchannel *sch,
                                 const S390Ccw *ccw, uint32_t *residual)
{
    return virtio_ccw_command(opaque, ccw, residual);
}

const S390CcwOps virtio_ccw_ops = {
    .command = ccw_command,
};

bool virtio_ccw_queue_notify(S390Css *css, uint32_t schid_word, uint64_t n)
{
    S390Subchannel *sch = s390_css_find(css, schid_word);
    VirtioCcwTransport *t;

    if (sch == NULL || s390_sch_ops(sch) != &virtio_ccw_ops) {
        return false;
    }
    t = s390_sch_opaque(sch);
    if (t->vs == NULL || n >= t->vs->num_queues) {
        return false;
    }
    virtio_queue_notify(t->vs, (unsigned)n);
    return true;
}
