/* virtio-blk-ccw: the virtio-blk model on the virtio-ccw transport. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hw/s390x/virtio-ccw.h"
#include "hw/virtio/virtio-blk.h"

typedef struct {
    VirtioCcwDevice parent_instance;
    VirtIOBlk blk;
} VirtIOBlkCcw;
typedef VirtioCcwDeviceClass VirtIOBlkCcwClass;

#define PROP_FIRST 1

CG_DEFINE_TYPE(VirtIOBlkCcw, virtio_blk_ccw, "virtio-blk-ccw",
               CG_TYPE_VIRTIO_CCW)

static VirtioState *realize_model(VirtioCcwDevice *dev, GError **err)
{
    MachineState *ms = CG_DEVICE(dev)->machine;
    g_autofree char *user = virtio_ccw_describe(dev);

    return virtio_blk_realize(&((VirtIOBlkCcw *)dev)->blk,
                              cg_object_get_root(CG_OBJECT(ms)), user, err);
}

static void unrealize_model(VirtioCcwDevice *dev)
{
    virtio_blk_unrealize(&((VirtIOBlkCcw *)dev)->blk);
}

static void set_property(GObject *obj, guint id, const GValue *value,
                         GParamSpec *pspec)
{
    virtio_blk_set_property(&((VirtIOBlkCcw *)obj)->blk, id - PROP_FIRST,
                            value);
}

static void get_property(GObject *obj, guint id, GValue *value,
                         GParamSpec *pspec)
{
    virtio_blk_get_property(&((VirtIOBlkCcw *)obj)->blk, id - PROP_FIRST,
                            value);
}

static void finalize(GObject *obj)
{
    virtio_blk_finalize(&((VirtIOBlkCcw *)obj)->blk);
    G_OBJECT_CLASS(virtio_blk_ccw_parent_class)->finalize(obj);
}

static void virtio_blk_ccw_class_init(VirtIOBlkCcwClass *klass)
{
    GObjectClass *oc = G_OBJECT_CLASS(klass);
    DeviceStateClass *dc = CG_DEVICE_CLASS(klass);

    oc->set_property = set_property;
    oc->get_property = get_property;
    oc->finalize = finalize;
    dc->desc = "virtio block device on a channel subsystem";
    dc->user_creatable = true;
    klass->realize_model = realize_model;
    klass->unrealize_model = unrealize_model;
    virtio_blk_install_properties(oc, PROP_FIRST);
}

static void virtio_blk_ccw_init(VirtIOBlkCcw *self)
{
    virtio_blk_init(&self->blk);
}
