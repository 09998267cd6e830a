/* virtio-pci registers: modern regions (BAR4) and the legacy block (BAR0). */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "virtio-pci-internal.h"

#include "hw/pci/msix.h"

#include <string.h>

/*
 * Both register blocks are handled the same way: build an image of the
 * current values, read any bytes of it (so every access size works), and
 * for a write patch the image and apply each register the write touched.
 */
typedef struct {
    uint16_t off;
    uint8_t size;
} Field;

#define IMAGE_SIZE 0x40

static uint64_t image_get(const uint8_t *img, unsigned off, unsigned size)
{
    uint64_t v = 0;

    for (unsigned i = 0; i < size && off + i < IMAGE_SIZE; i++) {
        v |= (uint64_t)img[off + i] << (8 * i);
    }
    return v;
}

static void image_put(uint8_t *img, unsigned off, unsigned size, uint64_t v)
{
    for (unsigned i = 0; i < size && off + i < IMAGE_SIZE; i++) {
        img[off + i] = (uint8_t)(v >> (8 * i));
    }
}

static bool touches(const Field *f, uint64_t off, unsigned size)
{
    return off < (uint64_t)f->off + f->size && f->off < off + size;
}

static VirtQueue *selected_queue(VirtIOPCIProxy *p)
{
    VirtioState *vs = p->vs;

    return p->queue_sel < vs->num_queues ? &vs->vq[p->queue_sel] : NULL;
}

uint16_t virtio_pci_check_vector(VirtIOPCIProxy *p, uint32_t val)
{
    return val < msix_nvectors(CG_PCI_DEVICE(p)) ? (uint16_t)val
                                                  : VIRTIO_NO_VECTOR;
}

static void status_write(VirtIOPCIProxy *p, uint8_t val, bool modern)
{
    virtio_set_status(p->vs, val, modern);
    if (val == 0) {
        virtio_pci_update_intx(p);
    }
}

static uint8_t isr_read(VirtIOPCIProxy *p)
{
    uint8_t v = virtio_isr_read_clear(p->vs);

    virtio_pci_update_intx(p);
    return v;
}

/* --- modern: common configuration ----------------------------------------- */

static const Field common_fields[] = {
    { VPCI_COMMON_DFSELECT, 4 }, { VPCI_COMMON_DF, 4 },
    { VPCI_COMMON_GFSELECT, 4 }, { VPCI_COMMON_GF, 4 },
    { VPCI_COMMON_MSIX, 2 },     { VPCI_COMMON_NUMQ, 2 },
    { VPCI_COMMON_STATUS, 1 },   { VPCI_COMMON_CFGGEN, 1 },
    { VPCI_COMMON_Q_SELECT, 2 }, { VPCI_COMMON_Q_SIZE, 2 },
    { VPCI_COMMON_Q_MSIX, 2 },   { VPCI_COMMON_Q_ENABLE, 2 },
    { VPCI_COMMON_Q_NOFF, 2 },   { VPCI_COMMON_Q_DESCLO, 4 },
    { VPCI_COMMON_Q_DESCHI, 4 }, { VPCI_COMMON_Q_AVAILLO, 4 },
    { VPCI_COMMON_Q_AVAILHI, 4 }, { VPCI_COMMON_Q_USEDLO, 4 },
    { VPCI_COMMON_Q_USEDHI, 4 },
};

static void common_image(VirtIOPCIProxy *p, uint8_t *img)
{
    VirtioState *vs = p->vs;
    VirtQueue *vq = selected_queue(p);

    memset(img, 0, IMAGE_SIZE);
    image_put(img, VPCI_COMMON_DFSELECT, 4, p->dfselect);
    image_put(img, VPCI_COMMON_DF, 4,
              virtio_get_host_features(vs, p->dfselect));
    image_put(img, VPCI_COMMON_GFSELECT, 4, p->gfselect);
    image_put(img, VPCI_COMMON_GF, 4,
              p->gfselect < 2 ? vs->driver_features >> (32 * p->gfselect)
                              : 0);
    image_put(img, VPCI_COMMON_MSIX, 2, vs->config_vector);
    image_put(img, VPCI_COMMON_NUMQ, 2, vs->num_queues);
    image_put(img, VPCI_COMMON_STATUS, 1, vs->status);
    image_put(img, VPCI_COMMON_CFGGEN, 1, vs->generation);
    image_put(img, VPCI_COMMON_Q_SELECT, 2, p->queue_sel);
    image_put(img, VPCI_COMMON_Q_MSIX, 2, vq ? vq->vector : VIRTIO_NO_VECTOR);
    if (vq != NULL) {
        image_put(img, VPCI_COMMON_Q_SIZE, 2, vq->num);
        image_put(img, VPCI_COMMON_Q_ENABLE, 2, vq->ready);
        image_put(img, VPCI_COMMON_Q_NOFF, 2, vq->index);
        image_put(img, VPCI_COMMON_Q_DESCLO, 8, vq->desc);
        image_put(img, VPCI_COMMON_Q_AVAILLO, 8, vq->avail);
        image_put(img, VPCI_COMMON_Q_USEDLO, 8, vq->used);
    }
}

/* Sets the low or high half of a ring address, while the queue is off. */
static void set_half(uint64_t *addr, bool high, uint32_t v)
{
    if (high) {
        *addr = (*addr & UINT32_MAX) | (uint64_t)v << 32;
    } else {
        *addr = (*addr & ~(uint64_t)UINT32_MAX) | v;
    }
}

static void common_field_write(VirtIOPCIProxy *p, unsigned off, uint32_t v)
{
    VirtioState *vs = p->vs;
    VirtQueue *vq = selected_queue(p);
    bool q_idle = vq != NULL && !vq->ready;

    switch (off) {
    case VPCI_COMMON_DFSELECT:
        p->dfselect = v;
        break;
    case VPCI_COMMON_GFSELECT:
        p->gfselect = v;
        break;
    case VPCI_COMMON_GF:
        virtio_set_driver_features(vs, p->gfselect, v);
        break;
    case VPCI_COMMON_MSIX:
        vs->config_vector = virtio_pci_check_vector(p, v);
        break;
    case VPCI_COMMON_STATUS:
        status_write(p, (uint8_t)v, true);
        break;
    case VPCI_COMMON_Q_SELECT:
        p->queue_sel = (uint16_t)v;
        break;
    case VPCI_COMMON_Q_SIZE:
        if (q_idle) {
            vq->num = (uint16_t)v;
        }
        break;
    case VPCI_COMMON_Q_MSIX:
        if (vq != NULL) {
            vq->vector = virtio_pci_check_vector(p, v);
        }
        break;
    case VPCI_COMMON_Q_ENABLE:
        if (vq == NULL) {
            break;
        }
        /* As QEMU: only 1 may be written; a driver disables by reset. */
        if (v != 1) {
            virtio_error(vs, "queue %u: queue_enable written with %u; only "
                         "1 is allowed", vq->index, v);
        } else if (!vq->ready) {
            virtio_queue_enable(vq);
        }
        break;
    case VPCI_COMMON_Q_DESCLO:
    case VPCI_COMMON_Q_DESCHI:
        if (q_idle) {
            set_half(&vq->desc, off == VPCI_COMMON_Q_DESCHI, v);
        }
        break;
    case VPCI_COMMON_Q_AVAILLO:
    case VPCI_COMMON_Q_AVAILHI:
        if (q_idle) {
            set_half(&vq->avail, off == VPCI_COMMON_Q_AVAILHI, v);
        }
        break;
    case VPCI_COMMON_Q_USEDLO:
    case VPCI_COMMON_Q_USEDHI:
        if (q_idle) {
            set_half(&vq->used, off == VPCI_COMMON_Q_USEDHI, v);
        }
        break;
    default:
        break;  /* read-only */
    }
}

static void common_write(VirtIOPCIProxy *p, uint64_t off, uint64_t val,
                         unsigned size)
{
    uint8_t img[IMAGE_SIZE];

    common_image(p, img);
    image_put(img, (unsigned)off, size, val);
    for (size_t i = 0; i < G_N_ELEMENTS(common_fields); i++) {
        const Field *f = &common_fields[i];

        if (touches(f, off, size)) {
            common_field_write(p, f->off,
                               (uint32_t)image_get(img, f->off, f->size));
        }
    }
}

/* --- modern: the BAR ------------------------------------------------------ */

static uint64_t modern_read(void *opaque, uint64_t off, unsigned size)
{
    VirtIOPCIProxy *p = opaque;
    uint64_t region = off & ~(uint64_t)(VIRTIO_PCI_REGION_SIZE - 1);
    uint64_t roff = off - region;
    uint8_t buf[8] = { 0 };
    uint8_t img[IMAGE_SIZE];

    if (roff + size > VIRTIO_PCI_REGION_SIZE || size > 8) {
        return 0;
    }
    switch (region) {
    case VIRTIO_PCI_COMMON_OFF:
        if (roff >= VPCI_COMMON_SIZE) {
            return 0;
        }
        common_image(p, img);
        return image_get(img, (unsigned)roff, size);
    case VIRTIO_PCI_ISR_OFF:
        return roff == 0 ? isr_read(p) : 0;
    case VIRTIO_PCI_DEVICE_OFF:
        virtio_config_read(p->vs, (uint32_t)roff, buf, size);
        return image_get(buf, 0, size);
    default:
        return 0;
    }
}

static void modern_write(void *opaque, uint64_t off, uint64_t val,
                         unsigned size)
{
    VirtIOPCIProxy *p = opaque;
    uint64_t region = off & ~(uint64_t)(VIRTIO_PCI_REGION_SIZE - 1);
    uint64_t roff = off - region;
    uint8_t buf[8];

    if (roff + size > VIRTIO_PCI_REGION_SIZE || size > 8) {
        return;
    }
    switch (region) {
    case VIRTIO_PCI_COMMON_OFF:
        if (roff < VPCI_COMMON_SIZE) {
            common_write(p, roff, val, size);
        }
        break;
    case VIRTIO_PCI_DEVICE_OFF:
        for (unsigned i = 0; i < size; i++) {
            buf[i] = (uint8_t)(val >> (8 * i));
        }
        virtio_config_write(p->vs, (uint32_t)roff, buf, size);
        break;
    case VIRTIO_PCI_NOTIFY_OFF:
        /* The queue is the one whose notify offset was written. */
        virtio_queue_notify(p->vs, (unsigned)(roff / VIRTIO_PCI_NOTIFY_MULT));
        break;
    default:
        break;
    }
}

const MemoryOps virtio_pci_modern_ops = {
    .read = modern_read,
    .write = modern_write,
};

/* --- legacy --------------------------------------------------------------- */

static const Field legacy_fields[] = {
    { VPCI_LEGACY_HOST_FEATURES, 4 }, { VPCI_LEGACY_GUEST_FEATURES, 4 },
    { VPCI_LEGACY_QUEUE_PFN, 4 },     { VPCI_LEGACY_QUEUE_NUM, 2 },
    { VPCI_LEGACY_QUEUE_SEL, 2 },     { VPCI_LEGACY_QUEUE_NOTIFY, 2 },
    { VPCI_LEGACY_STATUS, 1 },        { VPCI_LEGACY_ISR, 1 },
    { VPCI_LEGACY_CONFIG_VECTOR, 2 }, { VPCI_LEGACY_QUEUE_VECTOR, 2 },
};

static const Field legacy_isr_field = { VPCI_LEGACY_ISR, 1 };

/* The header is 4 bytes longer while MSI-X is on (the vector registers). */
static unsigned legacy_header(VirtIOPCIProxy *p)
{
    return msix_enabled(CG_PCI_DEVICE(p)) ? VPCI_LEGACY_HEADER_MSIX
                                          : VPCI_LEGACY_HEADER;
}

static void legacy_image(VirtIOPCIProxy *p, uint8_t *img)
{
    VirtioState *vs = p->vs;
    VirtQueue *vq = selected_queue(p);

    memset(img, 0, IMAGE_SIZE);
    image_put(img, VPCI_LEGACY_HOST_FEATURES, 4,
              virtio_get_host_features(vs, 0));
    image_put(img, VPCI_LEGACY_GUEST_FEATURES, 4, vs->guest_features);
    image_put(img, VPCI_LEGACY_QUEUE_SEL, 2, p->queue_sel);
    image_put(img, VPCI_LEGACY_STATUS, 1, vs->status);
    image_put(img, VPCI_LEGACY_ISR, 1, vs->isr);
    image_put(img, VPCI_LEGACY_CONFIG_VECTOR, 2, vs->config_vector);
    image_put(img, VPCI_LEGACY_QUEUE_VECTOR, 2,
              vq ? vq->vector : VIRTIO_NO_VECTOR);
    if (vq != NULL) {
        image_put(img, VPCI_LEGACY_QUEUE_PFN, 4,
                  virtio_queue_get_legacy_pfn(vq));
        image_put(img, VPCI_LEGACY_QUEUE_NUM, 2, vq->num_max);
    }
}

static uint64_t legacy_read(void *opaque, uint64_t off, unsigned size)
{
    VirtIOPCIProxy *p = opaque;
    unsigned hdr = legacy_header(p);
    uint8_t img[IMAGE_SIZE];
    uint8_t buf[8] = { 0 };
    uint64_t v;

    if (size > 8) {
        return 0;
    }
    if (off >= hdr) {
        virtio_config_read(p->vs, (uint32_t)(off - hdr), buf, size);
        return image_get(buf, 0, size);
    }
    legacy_image(p, img);
    v = image_get(img, (unsigned)off, MIN(size, hdr - (unsigned)off));
    if (touches(&legacy_isr_field, off, size)) {
        isr_read(p);           /* reading the ISR clears it */
    }
    return v;
}

static void legacy_field_write(VirtIOPCIProxy *p, unsigned off, uint32_t v)
{
    VirtioState *vs = p->vs;
    VirtQueue *vq = selected_queue(p);

    switch (off) {
    case VPCI_LEGACY_GUEST_FEATURES:
        virtio_set_driver_features(vs, 0, v);
        break;
    case VPCI_LEGACY_QUEUE_PFN:
        if (vq != NULL) {
            virtio_queue_set_legacy_pfn(vq, v);
        }
        break;
    case VPCI_LEGACY_QUEUE_SEL:
        p->queue_sel = (uint16_t)v;
        break;
    case VPCI_LEGACY_QUEUE_NOTIFY:
        virtio_queue_notify(vs, v & 0xffff);
        break;
    case VPCI_LEGACY_STATUS:
        status_write(p, (uint8_t)v, false);
        break;
    case VPCI_LEGACY_CONFIG_VECTOR:
        vs->config_vector = virtio_pci_check_vector(p, v);
        break;
    case VPCI_LEGACY_QUEUE_VECTOR:
        if (vq != NULL) {
            vq->vector = virtio_pci_check_vector(p, v);
        }
        break;
    default:
        break;  /* read-only */
    }
}

static void legacy_write(void *opaque, uint64_t off, uint64_t val,
                         unsigned size)
{
    VirtIOPCIProxy *p = opaque;
    unsigned hdr = legacy_header(p);
    uint8_t img[IMAGE_SIZE];

    if (size > 8) {
        return;
    }
    if (off >= hdr) {
        uint8_t buf[8];

        for (unsigned i = 0; i < size; i++) {
            buf[i] = (uint8_t)(val >> (8 * i));
        }
        virtio_config_write(p->vs, (uint32_t)(off - hdr), buf, size);
        return;
    }
    legacy_image(p, img);
    image_put(img, (unsigned)off, size, val);
    for (size_t i = 0; i < G_N_ELEMENTS(legacy_fields); i++) {
        const Field *f = &legacy_fields[i];

        if (f->off < hdr && touches(f, off, MIN(size, hdr - (unsigned)off))) {
            legacy_field_write(p, f->off,
                               (uint32_t)image_get(img, f->off, f->size));
        }
    }
}

const MemoryOps virtio_pci_legacy_ops = {
    .read = legacy_read,
    .write = legacy_write,
};
