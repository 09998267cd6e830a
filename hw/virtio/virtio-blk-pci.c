/* virtio-blk-pci: the virtio-blk model on the virtio-pci transport. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hw/virtio/virtio-blk.h"
#include "hw/virtio/virtio-pci.h"

typedef struct {
    VirtIOPCIProxy parent_instance;
    VirtIOBlk blk;
} VirtIOBlkPCI;
typedef VirtIOPCIProxyClass VirtIOBlkPCIClass;

#define PROP_FIRST 1

CG_DEFINE_TYPE(VirtIOBlkPCI, virtio_blk_pci, "virtio-blk-pci",
               CG_TYPE_VIRTIO_PCI)

static VirtioState *realize_model(VirtIOPCIProxy *proxy, GError **err)
{
    MachineState *ms = CG_DEVICE(proxy)->machine;
    g_autofree char *user = pci_device_describe(CG_PCI_DEVICE(proxy));

    return virtio_blk_realize(&((VirtIOBlkPCI *)proxy)->blk,
                              cg_object_get_root(CG_OBJECT(ms)), user, err);
}

static void unrealize_model(VirtIOPCIProxy *proxy)
{
    virtio_blk_unrealize(&((VirtIOBlkPCI *)proxy)->blk);
}

static void set_property(GObject *obj, guint id, const GValue *value,
                         GParamSpec *pspec)
{
    virtio_blk_set_property(&((VirtIOBlkPCI *)obj)->blk, id - PROP_FIRST,
                            value);
}

static void get_property(GObject *obj, guint id, GValue *value,
                         GParamSpec *pspec)
{
    virtio_blk_get_property(&((VirtIOBlkPCI *)obj)->blk, id - PROP_FIRST,
                            value);
}

static void finalize(GObject *obj)
{
    virtio_blk_finalize(&((VirtIOBlkPCI *)obj)->blk);
    G_OBJECT_CLASS(virtio_blk_pci_parent_class)->finalize(obj);
}

static void virtio_blk_pci_class_init(VirtIOBlkPCIClass *klass)
{
    GObjectClass *oc = G_OBJECT_CLASS(klass);
    DeviceStateClass *dc = CG_DEVICE_CLASS(klass);
    PCIDeviceClass *pc = CG_PCI_DEVICE_CLASS(klass);

    oc->set_property = set_property;
    oc->get_property = get_property;
    oc->finalize = finalize;
    dc->desc = "virtio block device on PCI";
    dc->user_creatable = true;
    pc->device_id = VIRTIO_PCI_DEVICE_BLK_TRANS;
    pc->class_code = PCI_CLASS_STORAGE_SCSI;
    klass->realize_model = realize_model;
    klass->unrealize_model = unrealize_model;
    virtio_blk_install_properties(oc, PROP_FIRST);
}

static void virtio_blk_pci_init(VirtIOBlkPCI *self)
{
    virtio_blk_init(&self->blk);
}
