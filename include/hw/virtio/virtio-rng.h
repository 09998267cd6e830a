/* virtio-rng: the entropy device model, for any transport. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_HW_VIRTIO_VIRTIO_RNG_H
#define CGEMU_HW_VIRTIO_VIRTIO_RNG_H

#include "backends/rng.h"
#include "hw/virtio/virtio.h"

G_BEGIN_DECLS

/*
 * One queue of 8 entries; each request's device-writable buffers are
 * filled from the backend (at most 64 KiB a request), which never blocks:
 * when the backend has nothing right now the request completes with 0
 * bytes and the driver asks again.
 *
 * Property (installed on the transport's class):
 *   rng   link to an rng-backend object (-object rng-random,id=ID or
 *         rng-builtin); default: a private rng-builtin
 */
typedef struct VirtIORng {
    VirtioState vs;
    RngBackend *rng;          /* the "rng" property (a reference) */
    RngBackend *builtin;      /* the default, owned */
    bool warned;              /* a backend error was logged */
} VirtIORng;

#define VIRTIO_RNG_QUEUE_SIZE 8

/* Installs the model's properties as @first_id, @first_id + 1, ... */
enum { VIRTIO_RNG_PROP_RNG, VIRTIO_RNG_N_PROPS };
void virtio_rng_install_properties(GObjectClass *oc, guint first_id);
void virtio_rng_set_property(VirtIORng *r, guint prop, const GValue *value);
void virtio_rng_get_property(VirtIORng *r, guint prop, GValue *value);

VirtioState *virtio_rng_realize(VirtIORng *r, GError **err);
void virtio_rng_unrealize(VirtIORng *r);
/* Drops the references the properties hold (instance finalize). */
void virtio_rng_finalize(VirtIORng *r);

G_END_DECLS

#endif
