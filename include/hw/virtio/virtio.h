/* The virtio core: device state, negotiation, split virtqueues. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_HW_VIRTIO_VIRTIO_H
#define CGEMU_HW_VIRTIO_VIRTIO_H

#include "hw/core/memory.h"
#include "hw/virtio/virtio-regs.h"

#include <stdbool.h>
#include <stdint.h>
#include <sys/uio.h>

G_BEGIN_DECLS

/*
 * Three parts, so that a device model is written once for every transport:
 *
 *  - a device model (virtio-rng.c, virtio-blk.c) embeds a VirtioState,
 *    calls virtio_init() and virtio_add_queue() when it is realized, and
 *    fills in VirtioDeviceOps;
 *  - a transport (virtio-pci.c now; virtio-ccw later) owns the registers
 *    the guest sees, calls virtio_bind() once with its interrupt hook and
 *    the features it adds (VERSION_1, ACCESS_PLATFORM), then forwards the
 *    driver's accesses to the virtio_* functions below;
 *  - this core keeps the negotiated state and walks the rings.
 *
 * Everything runs with the machine lock held.  Nothing a guest writes can
 * make these functions crash: a ring or buffer the guest misprograms
 * marks the device broken (virtio_error: NEEDS_RESET and a configuration
 * interrupt once VERSION_1 is negotiated, as QEMU does) and the device
 * then ignores its queues until the driver resets it.
 */

#define VIRTIO_QUEUE_MAX 1024     /* largest queue size */
#define VIRTIO_QUEUES_MAX 8       /* queues per device */
#define VIRTIO_SEGS_MAX 1024      /* buffers per request (UIO_MAXIOV) */

typedef struct VirtioState VirtioState;
typedef struct VirtQueue VirtQueue;

/* The driver made buffers available on @vq. */
typedef void (*VirtQueueHandler)(VirtioState *vs, VirtQueue *vq);

typedef struct VirtioDeviceOps {
    /* The model's own feature bits (the transport adds its own). */
    uint64_t (*get_features)(VirtioState *vs);
    /* Fills the configuration space image, vs->config_len bytes. */
    void (*get_config)(VirtioState *vs, uint8_t *config);
    /* The driver wrote @config (the whole image); NULL: read-only. */
    void (*set_config)(VirtioState *vs, const uint8_t *config);
    /* Back to power-on state, after the core reset its own. */
    void (*reset)(VirtioState *vs);
} VirtioDeviceOps;

typedef struct VirtioTransportOps {
    /*
     * An interrupt: vs->isr was just updated; @vector is the queue's or
     * the configuration's MSI-X vector (VIRTIO_NO_VECTOR when none).
     */
    void (*notify)(void *opaque, uint16_t vector);
} VirtioTransportOps;

struct VirtQueue {
    VirtioState *vs;
    uint16_t index;
    uint16_t num_max;         /* the device's size */
    uint16_t num;             /* the driver's size (power of two) */
    bool ready;               /* addresses set and enabled by the driver */
    uint64_t desc;            /* guest-physical ring addresses */
    uint64_t avail;
    uint64_t used;
    uint16_t last_avail_idx;  /* next available entry to take */
    uint16_t used_idx;        /* next used entry to write */
    uint16_t vector;          /* MSI-X vector, VIRTIO_NO_VECTOR if none */
    VirtQueueHandler handle;
};

struct VirtioState {
    /* Set by virtio_init (the model). */
    uint16_t device_id;       /* VIRTIO_ID_* */
    const VirtioDeviceOps *ops;
    size_t config_len;
    unsigned num_queues;
    VirtQueue vq[VIRTIO_QUEUES_MAX];

    /* Set by virtio_bind (the transport). */
    char *label;              /* "virtio-rng-pci 00:03.0 (id rng0)" */
    AddressSpace *dma;        /* guest memory (no vIOMMU: physical) */
    const VirtioTransportOps *transport;
    void *transport_opaque;
    uint64_t host_features;   /* offered */

    /* Negotiated state; virtio_reset() clears it. */
    uint64_t driver_features; /* as the driver wrote them */
    uint64_t guest_features;  /* accepted: driver_features & offered */
    uint8_t status;
    uint8_t isr;
    uint8_t generation;       /* bumped when the device changes config */
    uint16_t config_vector;
    bool broken;
    char *broken_reason;      /* the first error since the last reset */
    bool refusal_logged;      /* a FEATURES_OK refusal was logged once */
};

/* --- for device models ---------------------------------------------------- */

void virtio_init(VirtioState *vs, uint16_t device_id, size_t config_len,
                 const VirtioDeviceOps *ops);
/* Adds queue vs->num_queues; @num_max a power of two <= VIRTIO_QUEUE_MAX. */
VirtQueue *virtio_add_queue(VirtioState *vs, uint16_t num_max,
                            VirtQueueHandler handle);
/* Frees what virtio_init and virtio_bind allocated. */
void virtio_cleanup(VirtioState *vs);

static inline bool virtio_has_feature(const VirtioState *vs, unsigned bit)
{
    return (vs->guest_features & VIRTIO_BIT(bit)) != 0;
}

/*
 * The guest did something the device cannot follow: log it once (naming
 * the device), mark the device broken and tell the driver.
 */
void virtio_error(VirtioState *vs, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/*
 * One request taken from the available ring: its buffers in the
 * driver's order, device-readable ("out") first, then device-writable
 * ("in"), each a host pointer into checked guest RAM.
 */
typedef struct VirtQueueElement {
    uint16_t head;
    unsigned out_num;
    unsigned in_num;
    uint64_t out_len;         /* bytes in the out buffers */
    uint64_t in_len;
    struct iovec *sg;         /* out_num + in_num entries */
} VirtQueueElement;

/*
 * The next request, or NULL when there is none or the ring is malformed
 * (then the device is broken).  Every descriptor is checked: in RAM,
 * address + length without overflow, non-empty, device-writable ones not
 * in ROM, readable before writable, chains not longer than the table (so
 * no loops), indirect tables of whole descriptors and not nested, at most
 * VIRTIO_SEGS_MAX buffers.
 */
VirtQueueElement *virtqueue_pop(VirtQueue *vq);
/*
 * Returns @elem to the used ring with @len bytes written by the device,
 * and frees it.  Call virtqueue_notify() after a batch.
 */
void virtqueue_push(VirtQueue *vq, VirtQueueElement *elem, uint32_t len);
/* Interrupts the driver unless it asked for no interrupts. */
void virtqueue_notify(VirtQueue *vq);
void virtqueue_element_free(VirtQueueElement *elem);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VirtQueueElement, virtqueue_element_free)

/* Copies from the out buffers starting at @offset; returns bytes copied. */
size_t virtqueue_elem_read(const VirtQueueElement *elem, uint64_t offset,
                           void *buf, size_t len);
/* Copies into the in buffers starting at @offset; returns bytes copied. */
size_t virtqueue_elem_write(const VirtQueueElement *elem, uint64_t offset,
                            const void *buf, size_t len);

/* --- for transports ------------------------------------------------------- */

/*
 * Connects the model to its transport (at realize): offered features are
 * the model's plus @transport_features.  @label names the device in
 * messages.
 */
void virtio_bind(VirtioState *vs, const char *label, AddressSpace *dma,
                 const VirtioTransportOps *ops, void *opaque,
                 uint64_t transport_features);

/* Device reset: status 0, features, queues, vectors and ISR cleared. */
void virtio_reset(VirtioState *vs);

/*
 * A status write.  0 resets.  Setting FEATURES_OK (modern interface) is
 * refused -- the write is dropped, so FEATURES_OK reads back clear, as in
 * QEMU -- when the driver did not accept VERSION_1, accepted a feature
 * that was not offered, or declined VIRTIO_F_ACCESS_PLATFORM while the
 * device offers it (the device then cannot run confidential: its DMA
 * would bypass the platform's protection).  Returns false when refused.
 * @modern: the write came through the modern interface.
 */
bool virtio_set_status(VirtioState *vs, uint8_t val, bool modern);

/* Offered / accepted feature bits, 32 at a time (@word 0 or 1). */
uint32_t virtio_get_host_features(VirtioState *vs, unsigned word);
/* Ignored once FEATURES_OK is set; legacy drivers write word 0 only. */
void virtio_set_driver_features(VirtioState *vs, unsigned word,
                                uint32_t val);

/* Configuration space, byte-addressed; out of range reads 0. */
void virtio_config_read(VirtioState *vs, uint32_t off, void *buf,
                        unsigned len);
void virtio_config_write(VirtioState *vs, uint32_t off, const void *buf,
                         unsigned len);
/* The device changed its configuration (generation, interrupt). */
void virtio_config_changed(VirtioState *vs);

/* Reads and clears the ISR. */
uint8_t virtio_isr_read_clear(VirtioState *vs);

/*
 * The driver notified queue @n: runs its handler when the queue is ready
 * and the device not broken.  An index past the last queue is ignored.
 */
void virtio_queue_notify(VirtioState *vs, unsigned n);

/*
 * Marks @vq ready after the driver set it up (modern: queue_enable=1;
 * legacy: a PFN).  A size that is 0, above num_max or not a power of two
 * breaks the device.
 */
void virtio_queue_enable(VirtQueue *vq);

/* Legacy: rings laid out from one guest page frame, as virtio 0.9 does. */
void virtio_queue_set_legacy_pfn(VirtQueue *vq, uint32_t pfn);
uint32_t virtio_queue_get_legacy_pfn(VirtQueue *vq);

G_END_DECLS

#endif
