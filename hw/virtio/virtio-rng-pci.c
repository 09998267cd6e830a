/* virtio-rng-pci: the virtio-rng model on the virtio-pci transport. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hw/virtio/virtio-pci.h"
#include "hw/virtio/virtio-rng.h"

typedef struct {
    VirtIOPCIProxy parent_instance;
    VirtIORng rng;
} VirtIORngPCI;
typedef VirtIOPCIProxyClass VirtIORngPCIClass;

#define PROP_FIRST 1

CG_DEFINE_TYPE(VirtIORngPCI, virtio_rng_pci, "virtio-rng-pci",
               CG_TYPE_VIRTIO_PCI)

static VirtioState *realize_model(VirtIOPCIProxy *proxy, GError **err)
{
    return virtio_rng_realize(&((VirtIORngPCI *)proxy)->rng, err);
}

static void unrealize_model(VirtIOPCIProxy *proxy)
{
    virtio_rng_unrealize(&((VirtIORngPCI *)proxy)->rng);
}

static void set_property(GObject *obj, guint id, const GValue *value,
                         GParamSpec *pspec)
{
    virtio_rng_set_property(&((VirtIORngPCI *)obj)->rng, id - PROP_FIRST,
                            value);
}

static void get_property(GObject *obj, guint id, GValue *value,
                         GParamSpec *pspec)
{
    virtio_rng_get_property(&((VirtIORngPCI *)obj)->rng, id - PROP_FIRST,
                            value);
}

static void finalize(GObject *obj)
{
    virtio_rng_finalize(&((VirtIORngPCI *)obj)->rng);
    G_OBJECT_CLASS(virtio_rng_pci_parent_class)->finalize(obj);
}

static void virtio_rng_pci_class_init(VirtIORngPCIClass *klass)
{
    GObjectClass *oc = G_OBJECT_CLASS(klass);
    DeviceStateClass *dc = CG_DEVICE_CLASS(klass);
    PCIDeviceClass *pc = CG_PCI_DEVICE_CLASS(klass);

    oc->set_property = set_property;
    oc->get_property = get_property;
    oc->finalize = finalize;
    dc->desc = "virtio entropy source on PCI";
    dc->user_creatable = true;
    pc->device_id = VIRTIO_PCI_DEVICE_RNG_TRANS;
    pc->class_code = PCI_CLASS_UNCLASSIFIED_OTHER;
    klass->realize_model = realize_model;
    klass->unrealize_model = unrealize_model;
    virtio_rng_install_properties(oc, PROP_FIRST);
}

static void virtio_rng_pci_init(VirtIORngPCI *self)
{
}
