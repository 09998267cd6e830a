/* virtio.c: virtio-pci transports (modern and legacy) and split virtqueues. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "virtio.h"

/* vendor-specific PCI capability holding a struct virtio_pci_cap */
#define PCI_CAP_ID_VNDR 0x09
#define CAP_COMMON 1
#define CAP_NOTIFY 2
#define CAP_ISR 3
#define CAP_DEVICE 4

/* struct virtio_pci_common_cfg */
#define CC_DEVICE_FEATURE_SELECT 0x00
#define CC_DEVICE_FEATURE 0x04
#define CC_DRIVER_FEATURE_SELECT 0x08
#define CC_DRIVER_FEATURE 0x0c
#define CC_NUM_QUEUES 0x12
#define CC_DEVICE_STATUS 0x14
#define CC_CONFIG_GENERATION 0x15
#define CC_QUEUE_SELECT 0x16
#define CC_QUEUE_SIZE 0x18
#define CC_QUEUE_ENABLE 0x1c
#define CC_QUEUE_NOTIFY_OFF 0x1e
#define CC_QUEUE_DESC 0x20
#define CC_QUEUE_DRIVER 0x28
#define CC_QUEUE_DEVICE 0x30
#define CC_MIN_LEN 0x38

/* legacy header in I/O BAR0; device config follows at 0x14 (no MSI-X) */
#define LEG_DEVICE_FEATURES 0x00
#define LEG_DRIVER_FEATURES 0x04
#define LEG_QUEUE_PFN 0x08
#define LEG_QUEUE_SIZE 0x0c
#define LEG_QUEUE_SELECT 0x0e
#define LEG_QUEUE_NOTIFY 0x10
#define LEG_STATUS 0x12
#define LEG_CONFIG 0x14
#define LEG_MIN_LEN 0x14

/* Legacy rings are laid out with the used ring on a 4 KiB boundary. */
#define VRING_ALIGN 4096
/* Modern queues are shrunk to this; legacy ones have the device's size. */
#define MODERN_QUEUE_MAX 16

static uint8_t rd8(const Region *r, uint32_t off)
{
    return r->io ? inb((uint16_t)(r->base + off)) : mmio_read8(r->base + off);
}

static uint16_t rd16(const Region *r, uint32_t off)
{
    return r->io ? inw((uint16_t)(r->base + off)) :
                   mmio_read16(r->base + off);
}

static uint32_t rd32(const Region *r, uint32_t off)
{
    return r->io ? inl((uint16_t)(r->base + off)) :
                   mmio_read32(r->base + off);
}

static void wr8(const Region *r, uint32_t off, uint8_t v)
{
    if (r->io) {
        outb((uint16_t)(r->base + off), v);
    } else {
        mmio_write8(r->base + off, v);
    }
}

static void wr16(const Region *r, uint32_t off, uint16_t v)
{
    if (r->io) {
        outw((uint16_t)(r->base + off), v);
    } else {
        mmio_write16(r->base + off, v);
    }
}

static void wr32(const Region *r, uint32_t off, uint32_t v)
{
    if (r->io) {
        outl((uint16_t)(r->base + off), v);
    } else {
        mmio_write32(r->base + off, v);
    }
}

static void wr64(const Region *r, uint32_t off, uint64_t v)
{
    wr32(r, off, (uint32_t)v);
    wr32(r, off + 4, (uint32_t)(v >> 32));
}

/* A window [off, off + len) of BAR bar, checked and mapped. */
static bool region_from_bar(VirtioDev *vd, Region *r, unsigned bar,
                            uint32_t off, uint32_t len)
{
    bool io;
    uint64_t base = pci_bar(vd->pci, bar, &io);

    if (base == 0 || (uint64_t)off + len < off) {
        return false;
    }
    if (io && base + off + len > 0x10000) {
        return false;
    }
    if (!io && !mmu_map(vd->g, base + off, len)) {
        return false;
    }
    r->valid = true;
    r->io = io;
    r->base = base + off;
    r->len = len;
    return true;
}

static void find_modern_caps(VirtioDev *vd)
{
    const PciFunc *f = vd->pci;
    uint8_t ptr;

    if (!(pci_read16(f, 0x06) & 0x10)) {
        return;
    }
    ptr = pci_read8(f, 0x34) & 0xfc;
    /* 48 capabilities fill config space: a longer chain is a loop */
    for (unsigned guard = 0; ptr >= 0x40 && guard < 48; guard++) {
        uint8_t id = pci_read8(f, ptr);
        uint8_t next = pci_read8(f, ptr + 1) & 0xfc;

        if (id == PCI_CAP_ID_VNDR && pci_read8(f, ptr + 2) >= 16) {
            uint8_t type = pci_read8(f, ptr + 3);
            uint8_t bar = pci_read8(f, ptr + 4);
            uint32_t off = pci_read32(f, ptr + 8);
            uint32_t len = pci_read32(f, ptr + 12);
            Region *r = NULL;

            switch (type) {
            case CAP_COMMON:
                r = &vd->common;
                break;
            case CAP_NOTIFY:
                r = &vd->notify;
                break;
            case CAP_ISR:
                r = &vd->isr;
                break;
            case CAP_DEVICE:
                r = &vd->devcfg;
                break;
            }
            /* The first usable capability of each type wins. */
            if (r && !r->valid && bar <= 5 &&
                region_from_bar(vd, r, bar, off, len) &&
                type == CAP_NOTIFY) {
                vd->notify_mult = pci_read32(f, ptr + 16);
            }
        }
        ptr = next;
    }
}

bool virtio_transport_init(VirtioDev *vd)
{
    find_modern_caps(vd);
    if (vd->common.valid && vd->common.len >= CC_MIN_LEN &&
        vd->notify.valid && vd->isr.valid) {
        vd->modern = true;
        return true;
    }
    /* Only transitional devices (0x1000..0x103f) have the legacy header. */
    if (vd->pci->device < 0x1040) {
        bool io;
        uint64_t base = pci_bar(vd->pci, 0, &io);

        if (io && base && base + LEG_MIN_LEN <= 0x10000) {
            vd->legacy.valid = true;
            vd->legacy.io = true;
            vd->legacy.base = base;
            vd->legacy.len = LEG_MIN_LEN;
            return true;
        }
    }
    return false;
}

uint8_t virtio_get_status(VirtioDev *vd)
{
    return vd->modern ? rd8(&vd->common, CC_DEVICE_STATUS) :
                        rd8(&vd->legacy, LEG_STATUS);
}

void virtio_set_status(VirtioDev *vd, uint8_t status)
{
    if (vd->modern) {
        wr8(&vd->common, CC_DEVICE_STATUS, status);
    } else {
        wr8(&vd->legacy, LEG_STATUS, status);
    }
}

bool virtio_reset(VirtioDev *vd)
{
    virtio_set_status(vd, 0);
    for (Wait w = wait_start(); wait_more(&w);) {
        if (virtio_get_status(vd) == 0) {
            return true;
        }
    }
    return false;
}

uint64_t virtio_get_features(VirtioDev *vd)
{
    uint64_t f;

    if (!vd->modern) {
        return rd32(&vd->legacy, LEG_DEVICE_FEATURES);
    }
    wr32(&vd->common, CC_DEVICE_FEATURE_SELECT, 0);
    f = rd32(&vd->common, CC_DEVICE_FEATURE);
    wr32(&vd->common, CC_DEVICE_FEATURE_SELECT, 1);
    f |= (uint64_t)rd32(&vd->common, CC_DEVICE_FEATURE) << 32;
    return f;
}

void virtio_set_features(VirtioDev *vd, uint64_t features)
{
    if (!vd->modern) {
        wr32(&vd->legacy, LEG_DRIVER_FEATURES, (uint32_t)features);
        return;
    }
    wr32(&vd->common, CC_DRIVER_FEATURE_SELECT, 0);
    wr32(&vd->common, CC_DRIVER_FEATURE, (uint32_t)features);
    wr32(&vd->common, CC_DRIVER_FEATURE_SELECT, 1);
    wr32(&vd->common, CC_DRIVER_FEATURE, (uint32_t)(features >> 32));
}

uint32_t virtio_cfg_read32(VirtioDev *vd, uint32_t off)
{
    if (vd->modern) {
        if (!vd->devcfg.valid || off + 4 > vd->devcfg.len) {
            return 0;
        }
        return rd32(&vd->devcfg, off);
    }
    return inl((uint16_t)(vd->legacy.base + LEG_CONFIG + off));
}

/* Two 32-bit halves; modern devices say by config_generation when the
 * value changed in between. */
uint64_t virtio_cfg_read64(VirtioDev *vd, uint32_t off)
{
    uint64_t v = 0;

    for (unsigned tries = 0; tries < 8; tries++) {
        uint8_t gen = vd->modern ?
                      rd8(&vd->common, CC_CONFIG_GENERATION) : 0;

        v = virtio_cfg_read32(vd, off) |
            ((uint64_t)virtio_cfg_read32(vd, off + 4) << 32);
        if (!vd->modern || gen == rd8(&vd->common, CC_CONFIG_GENERATION)) {
            break;
        }
    }
    return v;
}

const char *virtqueue_init(VirtioDev *vd, VirtQueue *vq, uint16_t index)
{
    uint16_t size;
    uint64_t avail_off, used_off, total;
    uint8_t *mem;

    memset(vq, 0, sizeof(*vq));
    vq->vd = vd;
    vq->index = index;
    if (vd->modern) {
        if (index >= rd16(&vd->common, CC_NUM_QUEUES)) {
            return "queue-missing";
        }
        wr16(&vd->common, CC_QUEUE_SELECT, index);
        size = rd16(&vd->common, CC_QUEUE_SIZE);
        while (size > MODERN_QUEUE_MAX) {
            size /= 2;
        }
    } else {
        wr16(&vd->legacy, LEG_QUEUE_SELECT, index);
        size = rd16(&vd->legacy, LEG_QUEUE_SIZE);
    }
    if (size == 0) {
        return "queue-size-0";
    }
    if (size & (size - 1)) {
        return "queue-size-not-power-of-2";
    }
    avail_off = 16ull * size;
    used_off = ALIGN_UP(avail_off + 6 + 2ull * size, VRING_ALIGN);
    total = used_off + ALIGN_UP(6 + 8ull * size, VRING_ALIGN);
    mem = dma_alloc(vd->g, total, VRING_ALIGN);
    if (!mem) {
        return "out-of-dma-memory";
    }
    /* Only one chain is ever in flight: zero just what the device reads. */
    memset(mem, 0, avail_off + 6 + 2ull * size);
    memset(mem + used_off, 0, 6 + 8ull * size);
    vq->size = size;
    vq->desc = (volatile VringDesc *)mem;
    vq->avail = (volatile uint16_t *)(mem + avail_off);
    vq->used = (volatile uint32_t *)(mem + used_off);
    /* We poll; interrupts would only cost exits. */
    vq->avail[0] = VRING_AVAIL_F_NO_INTERRUPT;

    if (vd->modern) {
        uint16_t noff = rd16(&vd->common, CC_QUEUE_NOTIFY_OFF);
        uint64_t at = (uint64_t)noff * vd->notify_mult;

        if (at + 2 > vd->notify.len) {
            return "notify-outside-capability";
        }
        vq->notify_at = vd->notify.base + at;
        wr16(&vd->common, CC_QUEUE_SIZE, size);
        wr64(&vd->common, CC_QUEUE_DESC, (uintptr_t)mem);
        wr64(&vd->common, CC_QUEUE_DRIVER, (uintptr_t)mem + avail_off);
        wr64(&vd->common, CC_QUEUE_DEVICE, (uintptr_t)mem + used_off);
        wr16(&vd->common, CC_QUEUE_ENABLE, 1);
        if (rd16(&vd->common, CC_QUEUE_ENABLE) != 1) {
            return "queue-enable-refused";
        }
    } else {
        wr32(&vd->legacy, LEG_QUEUE_PFN, (uint32_t)((uintptr_t)mem >> 12));
    }
    rep_line(vd->g, "%s.queue%u.size=%u", vd->key, index, size);
    return NULL;
}

static void virtqueue_notify(VirtQueue *vq)
{
    VirtioDev *vd = vq->vd;

    mem_barrier();
    if (!vd->modern) {
        wr16(&vd->legacy, LEG_QUEUE_NOTIFY, vq->index);
    } else if (vd->notify.io) {
        outw((uint16_t)vq->notify_at, vq->index);
    } else {
        mmio_write16(vq->notify_at, vq->index);
    }
}

const char *virtqueue_transfer(VirtQueue *vq, const VqBuf *bufs,
                               unsigned n, uint32_t *used_len)
{
    volatile uint16_t *used_idx = (volatile uint16_t *)vq->used + 1;
    uint32_t i;

    if (n == 0 || n > vq->size) {
        return "chain-too-long";
    }
    /* One request at a time, so the chain always starts at descriptor 0. */
    for (i = 0; i < n; i++) {
        vq->desc[i].addr = (uintptr_t)bufs[i].addr;
        vq->desc[i].len = bufs[i].len;
        vq->desc[i].flags =
            (uint16_t)((bufs[i].device_writes ? VRING_DESC_F_WRITE : 0) |
                       (i + 1 < n ? VRING_DESC_F_NEXT : 0));
        vq->desc[i].next = (uint16_t)(i + 1 < n ? i + 1 : 0);
    }
    vq->avail[2 + vq->avail_idx % vq->size] = 0;
    mem_barrier();
    vq->avail_idx++;
    vq->avail[1] = vq->avail_idx;
    virtqueue_notify(vq);

    for (Wait w = wait_start(); *used_idx == vq->last_used;) {
        if (!wait_more(&w)) {
            break;
        }
    }
    if (*used_idx == vq->last_used) {
        return "timeout";
    }
    mem_barrier();
    {
        volatile uint32_t *elem = vq->used + 1 + 2 * (vq->last_used % vq->size);

        vq->last_used++;
        if (elem[0] != 0) {
            return "used-id-mismatch";
        }
        if (used_len) {
            *used_len = elem[1];
        }
    }
    return NULL;
}
