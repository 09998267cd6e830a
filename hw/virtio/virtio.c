/* The virtio core: status, feature negotiation, reset, config, notifies. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hw/virtio/virtio.h"

#include "util/error.h"

#include <string.h>

/* Large enough for every device cgemu has (virtio-blk: 60 bytes). */
#define VIRTIO_CONFIG_MAX 256

void virtio_init(VirtioState *vs, uint16_t device_id, size_t config_len,
                 const VirtioDeviceOps *ops)
{
    vs->device_id = device_id;
    vs->config_len = MIN(config_len, (size_t)VIRTIO_CONFIG_MAX);
    vs->ops = ops;
    vs->num_queues = 0;
    vs->config_vector = VIRTIO_NO_VECTOR;
}

VirtQueue *virtio_add_queue(VirtioState *vs, uint16_t num_max,
                            VirtQueueHandler handle)
{
    VirtQueue *vq;

    if (vs->num_queues >= VIRTIO_QUEUES_MAX || num_max == 0 ||
        num_max > VIRTIO_QUEUE_MAX || (num_max & (num_max - 1))) {
        return NULL;
    }
    vq = &vs->vq[vs->num_queues];
    *vq = (VirtQueue){
        .vs = vs,
        .index = (uint16_t)vs->num_queues,
        .num_max = num_max,
        .num = num_max,
        .vector = VIRTIO_NO_VECTOR,
        .handle = handle,
    };
    vs->num_queues++;
    return vq;
}

void virtio_cleanup(VirtioState *vs)
{
    g_clear_pointer(&vs->label, g_free);
    g_clear_pointer(&vs->broken_reason, g_free);
}

void virtio_bind(VirtioState *vs, const char *label, AddressSpace *dma,
                 const VirtioTransportOps *ops, void *opaque,
                 uint64_t transport_features)
{
    g_free(vs->label);
    vs->label = g_strdup(label);
    vs->dma = dma;
    vs->transport = ops;
    vs->transport_opaque = opaque;
    vs->host_features = transport_features;
    if (vs->ops->get_features != NULL) {
        vs->host_features |= vs->ops->get_features(vs);
    }
}

static void transport_notify(VirtioState *vs, uint16_t vector)
{
    if (vs->transport != NULL && vs->transport->notify != NULL) {
        vs->transport->notify(vs->transport_opaque, vector);
    }
}

void virtio_reset(VirtioState *vs)
{
    vs->status = 0;
    vs->driver_features = 0;
    vs->guest_features = 0;
    vs->isr = 0;
    vs->config_vector = VIRTIO_NO_VECTOR;
    vs->broken = false;
    g_clear_pointer(&vs->broken_reason, g_free);
    for (unsigned i = 0; i < vs->num_queues; i++) {
        VirtQueue *vq = &vs->vq[i];

        vq->ready = false;
        vq->num = vq->num_max;
        vq->desc = vq->avail = vq->used = 0;
        vq->last_avail_idx = 0;
        vq->used_idx = 0;
        vq->vector = VIRTIO_NO_VECTOR;
    }
    if (vs->ops != NULL && vs->ops->reset != NULL) {
        vs->ops->reset(vs);
    }
}

static void notify_config(VirtioState *vs)
{
    /* Drivers expect no configuration interrupt before DRIVER_OK. */
    if (!(vs->status & VIRTIO_STATUS_DRIVER_OK)) {
        return;
    }
    vs->isr |= VIRTIO_ISR_CONFIG;
    transport_notify(vs, vs->config_vector);
}

void virtio_config_changed(VirtioState *vs)
{
    vs->generation++;
    notify_config(vs);
}

void virtio_error(VirtioState *vs, const char *fmt, ...)
{
    va_list ap;

    if (vs->broken) {
        return;
    }
    va_start(ap, fmt);
    vs->broken_reason = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    vs->broken = true;
    cg_warn_report("%s: %s; the device stops until the driver resets it",
                   vs->label ? vs->label : "virtio", vs->broken_reason);
    /* Legacy drivers have no NEEDS_RESET bit to look at. */
    if (virtio_has_feature(vs, VIRTIO_F_VERSION_1)) {
        vs->status |= VIRTIO_STATUS_NEEDS_RESET;
        notify_config(vs);
    }
}

/* Why FEATURES_OK cannot be accepted, or NULL. */
static const char *features_refusal(VirtioState *vs)
{
    if (!virtio_has_feature(vs, VIRTIO_F_VERSION_1)) {
        return "the driver did not accept VIRTIO_F_VERSION_1";
    }
    if (vs->driver_features & ~vs->host_features) {
        return "the driver accepted features the device did not offer";
    }
    if ((vs->host_features & VIRTIO_BIT(VIRTIO_F_ACCESS_PLATFORM)) &&
        !virtio_has_feature(vs, VIRTIO_F_ACCESS_PLATFORM)) {
        return "the driver declined VIRTIO_F_ACCESS_PLATFORM, which this "
               "device requires (iommu_platform=on)";
    }
    return NULL;
}

bool virtio_set_status(VirtioState *vs, uint8_t val, bool modern)
{
    if (val == 0) {
        virtio_reset(vs);
        return true;
    }
    if (modern && (val & VIRTIO_STATUS_FEATURES_OK) &&
        !(vs->status & VIRTIO_STATUS_FEATURES_OK)) {
        const char *why = features_refusal(vs);

        if (why != NULL) {
            /* As QEMU: the write is dropped and the driver sees
             * FEATURES_OK clear; it is the driver's to give up.  QEMU
             * says nothing; one line helps whoever runs the host. */
            if (!vs->refusal_logged) {
                cg_warn_report("%s: FEATURES_OK refused: %s",
                               vs->label ? vs->label : "virtio", why);
                vs->refusal_logged = true;
            }
            return false;
        }
    }
    /* NEEDS_RESET stays until a reset, whatever the driver writes. */
    vs->status = val | (vs->status & VIRTIO_STATUS_NEEDS_RESET);
    return true;
}

uint32_t virtio_get_host_features(VirtioState *vs, unsigned word)
{
    return word < 2 ? (uint32_t)(vs->host_features >> (32 * word)) : 0;
}

void virtio_set_driver_features(VirtioState *vs, unsigned word,
                                uint32_t val)
{
    uint64_t mask;

    if (word >= 2 || (vs->status & VIRTIO_STATUS_FEATURES_OK)) {
        return;
    }
    mask = (uint64_t)UINT32_MAX << (32 * word);
    vs->driver_features = (vs->driver_features & ~mask) |
                          ((uint64_t)val << (32 * word));
    vs->guest_features = vs->driver_features & vs->host_features;
}

void virtio_config_read(VirtioState *vs, uint32_t off, void *buf,
                        unsigned len)
{
    uint8_t image[VIRTIO_CONFIG_MAX] = { 0 };
    uint8_t *out = buf;

    if (vs->ops->get_config != NULL) {
        vs->ops->get_config(vs, image);
    }
    for (unsigned i = 0; i < len; i++) {
        out[i] = off + i < vs->config_len ? image[off + i] : 0;
    }
}

void virtio_config_write(VirtioState *vs, uint32_t off, const void *buf,
                         unsigned len)
{
    uint8_t image[VIRTIO_CONFIG_MAX] = { 0 };
    const uint8_t *in = buf;

    if (vs->ops->set_config == NULL || off >= vs->config_len) {
        return;
    }
    if (vs->ops->get_config != NULL) {
        vs->ops->get_config(vs, image);
    }
    for (unsigned i = 0; i < len && off + i < vs->config_len; i++) {
        image[off + i] = in[i];
    }
    vs->ops->set_config(vs, image);
}

uint8_t virtio_isr_read_clear(VirtioState *vs)
{
    uint8_t v = vs->isr;

    vs->isr = 0;
    return v;
}

void virtio_queue_notify(VirtioState *vs, unsigned n)
{
    VirtQueue *vq;

    if (n >= vs->num_queues) {
        return;
    }
    vq = &vs->vq[n];
    if (!vs->broken && vq->ready && vq->handle != NULL) {
        vq->handle(vs, vq);
    }
}

void virtio_queue_enable(VirtQueue *vq)
{
    if (vq->num == 0 || vq->num > vq->num_max || (vq->num & (vq->num - 1))) {
        virtio_error(vq->vs, "queue %u: size %u is not a power of two "
                     "between 1 and %u", vq->index, vq->num, vq->num_max);
        return;
    }
    vq->ready = true;
    vq->last_avail_idx = 0;
    vq->used_idx = 0;
}

void virtio_queue_set_legacy_pfn(VirtQueue *vq, uint32_t pfn)
{
    uint64_t desc = (uint64_t)pfn << VPCI_LEGACY_PFN_SHIFT;
    uint64_t avail_end;

    if (pfn == 0) {
        vq->ready = false;
        vq->desc = vq->avail = vq->used = 0;
        return;
    }
    /* virtio 0.9: the used ring starts on the page after the avail ring
     * (flags, idx, ring[num], used_event). */
    vq->num = vq->num_max;
    vq->desc = desc;
    vq->avail = desc + (uint64_t)VRING_DESC_SIZE * vq->num;
    avail_end = vq->avail + 6 + 2ull * vq->num;
    vq->used = (avail_end + VPCI_LEGACY_ALIGN - 1) &
               ~(uint64_t)(VPCI_LEGACY_ALIGN - 1);
    virtio_queue_enable(vq);
}

uint32_t virtio_queue_get_legacy_pfn(VirtQueue *vq)
{
    return vq->ready ? (uint32_t)(vq->desc >> VPCI_LEGACY_PFN_SHIFT) : 0;
}
