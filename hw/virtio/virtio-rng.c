/* virtio-rng: the entropy device model, independent of the transport. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hw/virtio/virtio-rng.h"

#include "qom/property.h"
#include "util/error.h"

/* A request larger than this gets only this much: the driver asks again. */
#define RNG_REQUEST_MAX 65536

static VirtIORng *rng_of(VirtioState *vs)
{
    return (VirtIORng *)((char *)vs - G_STRUCT_OFFSET(VirtIORng, vs));
}

static RngBackend *backend(VirtIORng *r)
{
    return r->rng ? r->rng : r->builtin;
}

/* Fills the device-writable buffers; returns the bytes written. */
static size_t fill(VirtIORng *r, VirtQueueElement *elem)
{
    size_t want = (size_t)MIN(elem->in_len, (uint64_t)RNG_REQUEST_MAX);
    size_t done = 0;

    for (unsigned i = 0; i < elem->in_num && done < want; i++) {
        struct iovec *v = &elem->sg[elem->out_num + i];
        size_t ask = MIN(v->iov_len, want - done);
        g_autoptr(GError) err = NULL;
        ssize_t n = rng_backend_fill(backend(r), v->iov_base, ask, &err);

        if (n < 0 && !r->warned) {
            cg_warn_report("%s: %s; the guest gets no bytes for now",
                           r->vs.label,
                           err ? err->message : "the rng backend failed");
            r->warned = true;
        }
        if (n <= 0) {
            break;
        }
        done += (size_t)n;
        if ((size_t)n < ask) {
            break;
        }
    }
    return done;
}

static void rng_handle(VirtioState *vs, VirtQueue *vq)
{
    VirtIORng *r = rng_of(vs);
    VirtQueueElement *elem;
    bool pushed = false;

    while ((elem = virtqueue_pop(vq)) != NULL) {
        virtqueue_push(vq, elem, (uint32_t)fill(r, elem));
        pushed = true;
    }
    if (pushed) {
        virtqueue_notify(vq);
    }
}

static const VirtioDeviceOps rng_ops = {
    .get_features = NULL,
};

VirtioState *virtio_rng_realize(VirtIORng *r, GError **err)
{
    GType builtin = cg_type_lookup(TYPE_RNG_BUILTIN);

    if (r->rng == NULL) {
        if (builtin == 0) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "no rng backend: give rng=ID of an rng-random object");
            return NULL;
        }
        r->builtin = g_object_new(builtin, NULL);
    }
    virtio_init(&r->vs, VIRTIO_ID_RNG, 0, &rng_ops);
    virtio_add_queue(&r->vs, VIRTIO_RNG_QUEUE_SIZE, rng_handle);
    return &r->vs;
}

void virtio_rng_unrealize(VirtIORng *r)
{
    g_clear_object(&r->builtin);
}

void virtio_rng_finalize(VirtIORng *r)
{
    g_clear_object(&r->builtin);
    g_clear_object(&r->rng);
}

void virtio_rng_install_properties(GObjectClass *oc, guint first_id)
{
    g_object_class_install_property(
        oc, first_id + VIRTIO_RNG_PROP_RNG,
        cg_param_spec_link("rng",
                           "Id of the rng-backend object (rng-random, "
                           "rng-builtin) the bytes come from; default: an "
                           "internal rng-builtin",
                           CG_TYPE_RNG_BACKEND,
                           G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
}

void virtio_rng_set_property(VirtIORng *r, guint prop, const GValue *value)
{
    if (prop == VIRTIO_RNG_PROP_RNG) {
        g_clear_object(&r->rng);
        r->rng = g_value_dup_object(value);
    }
}

void virtio_rng_get_property(VirtIORng *r, guint prop, GValue *value)
{
    if (prop == VIRTIO_RNG_PROP_RNG) {
        g_value_set_object(value, r->rng);
    }
}
