/* virtio.h: the test guest's virtio-pci transport and split virtqueues. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TEST_GUEST_VIRTIO_H
#define TEST_GUEST_VIRTIO_H

#include "guest.h"

#define VIRTIO_VENDOR 0x1af4

#define VIRTIO_STATUS_ACKNOWLEDGE 0x01
#define VIRTIO_STATUS_DRIVER 0x02
#define VIRTIO_STATUS_DRIVER_OK 0x04
#define VIRTIO_STATUS_FEATURES_OK 0x08
#define VIRTIO_STATUS_NEEDS_RESET 0x40
#define VIRTIO_STATUS_FAILED 0x80

#define VIRTIO_F_VERSION_1 (1ull << 32)
#define VIRTIO_F_ACCESS_PLATFORM (1ull << 33)

#define VIRTIO_TYPE_BLK 2
#define VIRTIO_TYPE_RNG 4

/* A register block: a window of a memory or an I/O BAR. */
typedef struct Region {
    bool valid;
    bool io;
    uint64_t base;
    uint32_t len;
} Region;

typedef struct VirtioDev {
    Guest *g;
    const PciFunc *pci;
    unsigned idx;
    char key[16];                 /* "virtio.N", prefix of report keys */
    unsigned type;
    bool modern;
    Region common, notify, isr, devcfg;   /* modern interface */
    uint32_t notify_mult;
    Region legacy;                         /* legacy interface: I/O BAR0 */
    uint64_t offered;
    uint64_t accepted;
} VirtioDev;

typedef struct __attribute__((packed)) VringDesc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
} VringDesc;

#define VRING_DESC_F_NEXT 1
#define VRING_DESC_F_WRITE 2
#define VRING_AVAIL_F_NO_INTERRUPT 1

typedef struct VirtQueue {
    VirtioDev *vd;
    uint16_t index;
    uint16_t size;
    volatile VringDesc *desc;
    volatile uint16_t *avail;     /* flags, idx, ring[size], used_event */
    volatile uint32_t *used;      /* flags|idx, then {id, len}[size] */
    uint16_t avail_idx;
    uint16_t last_used;
    uint64_t notify_at;           /* modern: address within the notify BAR */
} VirtQueue;

typedef struct VqBuf {
    void *addr;
    uint32_t len;
    bool device_writes;
} VqBuf;

bool virtio_transport_init(VirtioDev *vd);
/* Writes 0 and waits until the device reads back 0. */
bool virtio_reset(VirtioDev *vd);
uint8_t virtio_get_status(VirtioDev *vd);
void virtio_set_status(VirtioDev *vd, uint8_t status);
uint64_t virtio_get_features(VirtioDev *vd);
void virtio_set_features(VirtioDev *vd, uint64_t features);
uint32_t virtio_cfg_read32(VirtioDev *vd, uint32_t off);
uint64_t virtio_cfg_read64(VirtioDev *vd, uint32_t off);
/* NULL on success, or what went wrong. */
const char *virtqueue_init(VirtioDev *vd, VirtQueue *vq, uint16_t index);
/* Submits one chain and polls the used ring for it.  NULL on success. */
const char *virtqueue_transfer(VirtQueue *vq, const VqBuf *bufs,
                               unsigned n, uint32_t *used_len);

void virtio_rng_run(VirtioDev *vd);
void virtio_blk_run(VirtioDev *vd);

#endif
