/* A small virtio-pci driver for unit tests, acting as a guest would. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_TESTS_UNIT_VIRTIO_VDRIVER_H
#define CGEMU_TESTS_UNIT_VIRTIO_VDRIVER_H

#include "../pci/test-machine.h"

/* Where the driver puts its rings and buffers in guest RAM. */
#define VD_RING 0x100000ull
#define VD_BUF 0x200000ull

typedef struct VDrv {
    TestMachine *tm;
    PCIDevice *pd;
    int devfn;
    bool modern;              /* drive the modern interface, else legacy */
    uint64_t bar4;
    uint32_t common, isr, device, notify, mult;   /* offsets in BAR4 */
    uint64_t io;              /* legacy BAR0 port */
    uint16_t qsize;
    uint16_t avail_idx;
    uint16_t used_seen;
} VDrv;

typedef struct VBuf {
    uint64_t gpa;
    uint32_t len;
    bool write;               /* device-writable */
} VBuf;

/* Enables decoding and bus mastering, finds the registers. */
void vdrv_open(VDrv *d, TestMachine *tm, PCIDevice *pd, bool modern);
/* The virtio capability of @type, its offset in config space (0: none). */
uint8_t vdrv_find_cap(VDrv *d, uint8_t type);

uint64_t vdrv_common_read(VDrv *d, unsigned off, unsigned size);
void vdrv_common_write(VDrv *d, unsigned off, uint64_t val, unsigned size);

uint8_t vdrv_status(VDrv *d);
void vdrv_set_status(VDrv *d, uint8_t s);
uint64_t vdrv_offered(VDrv *d);
/*
 * Reset, ACKNOWLEDGE|DRIVER, accept @accept, and (modern) FEATURES_OK.
 * Returns the status read back.
 */
uint8_t vdrv_negotiate(VDrv *d, uint64_t accept);
/* Sets up queue 0 (modern: the device's size, or @size if not 0). */
void vdrv_queue(VDrv *d, uint16_t size);
/* DRIVER_OK on top of the current status. */
void vdrv_driver_ok(VDrv *d);
/* One chain; true when the device returned it (used length). */
bool vdrv_request(VDrv *d, const VBuf *b, unsigned n, uint32_t *used_len);
uint8_t vdrv_read_isr(VDrv *d);
uint64_t vdrv_devcfg(VDrv *d, unsigned off, unsigned size);

/* Guest RAM helpers. */
void vdrv_write_ram(VDrv *d, uint64_t gpa, const void *buf, size_t len);
void vdrv_read_ram(VDrv *d, uint64_t gpa, void *buf, size_t len);

#endif
