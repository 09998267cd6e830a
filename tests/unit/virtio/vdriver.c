/* A small virtio-pci driver for unit tests, acting as a guest would. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "vdriver.h"

#include "hw/virtio/virtio-regs.h"

#include <string.h>

void vdrv_write_ram(VDrv *d, uint64_t gpa, const void *buf, size_t len)
{
    g_assert_true(guest_ram_write(CG_MACHINE(d->tm)->mem, gpa, buf, len));
}

void vdrv_read_ram(VDrv *d, uint64_t gpa, void *buf, size_t len)
{
    g_assert_true(guest_ram_read(CG_MACHINE(d->tm)->mem, gpa, buf, len));
}

static uint32_t cfg(VDrv *d, unsigned off, unsigned size)
{
    return tm_cfg_read(d->tm, d->devfn, off, size);
}

uint8_t vdrv_find_cap(VDrv *d, uint8_t type)
{
    uint8_t ptr = (uint8_t)cfg(d, 0x34, 1);

    for (int guard = 0; ptr != 0 && guard < 48; guard++) {
        if (cfg(d, ptr, 1) == 0x09 && cfg(d, ptr + 3, 1) == type) {
            return ptr;
        }
        ptr = (uint8_t)cfg(d, ptr + 1, 1);
    }
    return 0;
}

void vdrv_open(VDrv *d, TestMachine *tm, PCIDevice *pd, bool modern)
{
    uint8_t c;

    memset(d, 0, sizeof(*d));
    d->tm = tm;
    d->pd = pd;
    d->devfn = pd->devfn;
    d->modern = modern;
    tm_cfg_write(tm, d->devfn, 4, 0x7, 2);
    d->io = cfg(d, 0x10, 4) & ~3u;
    d->bar4 = (cfg(d, 0x20, 4) & ~0xfu) | (uint64_t)cfg(d, 0x24, 4) << 32;
    if ((c = vdrv_find_cap(d, VIRTIO_PCI_CAP_COMMON)) != 0) {
        d->common = cfg(d, c + 8, 4);
    }
    if ((c = vdrv_find_cap(d, VIRTIO_PCI_CAP_ISR)) != 0) {
        d->isr = cfg(d, c + 8, 4);
    }
    if ((c = vdrv_find_cap(d, VIRTIO_PCI_CAP_DEVICE)) != 0) {
        d->device = cfg(d, c + 8, 4);
    }
    if ((c = vdrv_find_cap(d, VIRTIO_PCI_CAP_NOTIFY)) != 0) {
        d->notify = cfg(d, c + 8, 4);
        d->mult = cfg(d, c + 16, 4);
    }
}

uint64_t vdrv_common_read(VDrv *d, unsigned off, unsigned size)
{
    return tm_mem_read(d->tm, d->bar4 + d->common + off, size);
}

void vdrv_common_write(VDrv *d, unsigned off, uint64_t val, unsigned size)
{
    tm_mem_write(d->tm, d->bar4 + d->common + off, val, size);
}

uint8_t vdrv_status(VDrv *d)
{
    return d->modern ? (uint8_t)vdrv_common_read(d, VPCI_COMMON_STATUS, 1)
                     : (uint8_t)tm_io_read(d->tm, d->io + VPCI_LEGACY_STATUS,
                                           1);
}

void vdrv_set_status(VDrv *d, uint8_t s)
{
    if (d->modern) {
        vdrv_common_write(d, VPCI_COMMON_STATUS, s, 1);
    } else {
        tm_io_write(d->tm, d->io + VPCI_LEGACY_STATUS, s, 1);
    }
}

uint64_t vdrv_offered(VDrv *d)
{
    uint64_t f;

    if (!d->modern) {
        return tm_io_read(d->tm, d->io + VPCI_LEGACY_HOST_FEATURES, 4);
    }
    vdrv_common_write(d, VPCI_COMMON_DFSELECT, 0, 4);
    f = vdrv_common_read(d, VPCI_COMMON_DF, 4);
    vdrv_common_write(d, VPCI_COMMON_DFSELECT, 1, 4);
    return f | vdrv_common_read(d, VPCI_COMMON_DF, 4) << 32;
}

uint8_t vdrv_negotiate(VDrv *d, uint64_t accept)
{
    vdrv_set_status(d, 0);
    g_assert_cmphex(vdrv_status(d), ==, 0);
    vdrv_set_status(d, VIRTIO_STATUS_ACKNOWLEDGE);
    vdrv_set_status(d, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
    if (!d->modern) {
        tm_io_write(d->tm, d->io + VPCI_LEGACY_GUEST_FEATURES,
                    (uint32_t)accept, 4);
        return vdrv_status(d);
    }
    vdrv_common_write(d, VPCI_COMMON_GFSELECT, 0, 4);
    vdrv_common_write(d, VPCI_COMMON_GF, (uint32_t)accept, 4);
    vdrv_common_write(d, VPCI_COMMON_GFSELECT, 1, 4);
    vdrv_common_write(d, VPCI_COMMON_GF, (uint32_t)(accept >> 32), 4);
    vdrv_set_status(d, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
                           VIRTIO_STATUS_FEATURES_OK);
    return vdrv_status(d);
}

static uint64_t avail_at(VDrv *d)
{
    return VD_RING + 16ull * d->qsize;
}

static uint64_t used_at(VDrv *d)
{
    return (avail_at(d) + 6 + 2ull * d->qsize + 4095) & ~4095ull;
}

void vdrv_queue(VDrv *d, uint16_t size)
{
    static const uint8_t zero[0x3000];

    vdrv_write_ram(d, VD_RING, zero, sizeof(zero));
    d->avail_idx = 0;
    d->used_seen = 0;
    if (!d->modern) {
        tm_io_write(d->tm, d->io + VPCI_LEGACY_QUEUE_SEL, 0, 2);
        d->qsize = (uint16_t)tm_io_read(d->tm, d->io + VPCI_LEGACY_QUEUE_NUM,
                                        2);
        tm_io_write(d->tm, d->io + VPCI_LEGACY_QUEUE_PFN, VD_RING >> 12, 4);
        return;
    }
    vdrv_common_write(d, VPCI_COMMON_Q_SELECT, 0, 2);
    d->qsize = size ? size
                    : (uint16_t)vdrv_common_read(d, VPCI_COMMON_Q_SIZE, 2);
    vdrv_common_write(d, VPCI_COMMON_Q_SIZE, d->qsize, 2);
    vdrv_common_write(d, VPCI_COMMON_Q_DESCLO, VD_RING, 4);
    vdrv_common_write(d, VPCI_COMMON_Q_DESCHI, 0, 4);
    vdrv_common_write(d, VPCI_COMMON_Q_AVAILLO, avail_at(d), 4);
    vdrv_common_write(d, VPCI_COMMON_Q_AVAILHI, 0, 4);
    vdrv_common_write(d, VPCI_COMMON_Q_USEDLO, used_at(d), 4);
    vdrv_common_write(d, VPCI_COMMON_Q_USEDHI, 0, 4);
    vdrv_common_write(d, VPCI_COMMON_Q_ENABLE, 1, 2);
}

void vdrv_driver_ok(VDrv *d)
{
    vdrv_set_status(d, vdrv_status(d) | VIRTIO_STATUS_DRIVER_OK);
}

bool vdrv_request(VDrv *d, const VBuf *b, unsigned n, uint32_t *used_len)
{
    uint16_t idx;
    uint32_t elem[2];

    for (unsigned i = 0; i < n; i++) {
        uint8_t desc[16];
        uint64_t addr = htole64(b[i].gpa);
        uint32_t len = htole32(b[i].len);
        uint16_t flags = htole16((b[i].write ? VRING_DESC_F_WRITE : 0) |
                                 (i + 1 < n ? VRING_DESC_F_NEXT : 0));
        uint16_t next = htole16((uint16_t)(i + 1));

        memcpy(desc, &addr, 8);
        memcpy(desc + 8, &len, 4);
        memcpy(desc + 12, &flags, 2);
        memcpy(desc + 14, &next, 2);
        vdrv_write_ram(d, VD_RING + 16 * i, desc, 16);
    }
    idx = htole16(0);
    vdrv_write_ram(d, avail_at(d) + 4 + 2 * (d->avail_idx % d->qsize), &idx,
                   2);
    d->avail_idx++;
    idx = htole16(d->avail_idx);
    vdrv_write_ram(d, avail_at(d) + 2, &idx, 2);
    if (d->modern) {
        tm_mem_write(d->tm, d->bar4 + d->notify + d->mult * 0, 0, 2);
    } else {
        tm_io_write(d->tm, d->io + VPCI_LEGACY_QUEUE_NOTIFY, 0, 2);
    }
    vdrv_read_ram(d, used_at(d) + 2, &idx, 2);
    if (le16toh(idx) == d->used_seen) {
        return false;
    }
    vdrv_read_ram(d, used_at(d) + 4 + 8 * (d->used_seen % d->qsize), elem,
                  8);
    d->used_seen++;
    g_assert_cmpuint(le32toh(elem[0]), ==, 0);
    if (used_len != NULL) {
        *used_len = le32toh(elem[1]);
    }
    return true;
}

uint8_t vdrv_read_isr(VDrv *d)
{
    return d->modern ? (uint8_t)tm_mem_read(d->tm, d->bar4 + d->isr, 1)
                     : (uint8_t)tm_io_read(d->tm, d->io + VPCI_LEGACY_ISR, 1);
}

uint64_t vdrv_devcfg(VDrv *d, unsigned off, unsigned size)
{
    if (d->modern) {
        return tm_mem_read(d->tm, d->bar4 + d->device + off, size);
    }
    return tm_io_read(d->tm, d->io + VPCI_LEGACY_HEADER + off, size);
}
