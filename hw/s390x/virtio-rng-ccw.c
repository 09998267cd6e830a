/* virtio-rng-ccw: the virtio-rng model on the virtio-ccw transport. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hw/s390x/virtio-ccw.h"
#include "hw/virtio/virtio-rng.h"

typedef struct {
    VirtioCcwDevice parent_instance;
    VirtIORng rng;
} VirtIORngCcw;
typedef VirtioCcwDeviceClass VirtIORngCcwClass;

#define PROP_FIRST 1

CG_DEFINE_TYPE(VirtIORngCcw, virtio_rng_ccw, "virtio-rng-ccw",
               CG_TYPE_VIRTIO_CCW)

static VirtioState *realize_model(VirtioCcwDevice *dev, GError **err)
{
    return virtio_rng_realize(&((VirtIORngCcw *)dev)->rng, err);
}

static void unrealize_model(VirtioCcwDevice *dev)
{
    virtio_rng_unrealize(&((VirtIORngCcw *)dev)->rng);
}

static void set_property(GObject *obj, guint id, const GValue *value,
                         GParamSpec *pspec)
{
    virtio_rng_set_property(&((VirtIORngCcw *)obj)->rng, id - PROP_FIRST,
                            value);
}

static void get_property(GObject *obj, guint id, GValue *value,
                         GParamSpec *pspec)
{
    virtio_rng_get_property(&((VirtIORngCcw *)obj)->rng, id - PROP_FIRST,
                            value);
}

static void finalize(GObject *obj)
{
    virtio_rng_finalize(&((VirtIORngCcw *)obj)->rng);
    G_OBJECT_CLASS(virtio_rng_ccw_parent_class)->finalize(obj);
}

static void virtio_rng_ccw_class_init(VirtIORngCcwClass *klass)
{
    GObjectClass *oc = G_OBJECT_CLASS(klass);
    DeviceStateClass *dc = CG_DEVICE_CLASS(klass);

    oc->set_property = set_property;
    oc->get_property = get_property;
    oc->finalize = finalize;
    dc->desc = "virtio entropy source on a channel subsystem";
    dc->user_creatable = true;
    klass->realize_model = realize_model;
    klass->unrealize_model = unrealize_model;
    virtio_rng_install_properties(oc, PROP_FIRST);
}

static void virtio_rng_ccw_init(VirtIORngCcw *self)
{
}
