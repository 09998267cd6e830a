/* The abstract virtio-pci transport device: properties. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hw/virtio/virtio-pci.h"

enum {
    PROP_0,
    PROP_DISABLE_LEGACY,
    PROP_DISABLE_MODERN,
    PROP_IOMMU_PLATFORM,
};

CG_DEFINE_TYPE_EXTENDED(VirtIOPCIProxy, virtio_pci, TYPE_VIRTIO_PCI,
                        CG_TYPE_PCI_DEVICE, G_TYPE_FLAG_ABSTRACT,
                        G_IMPLEMENT_INTERFACE(CG_TYPE_VIRTIO_DEVICE, NULL))

static void virtio_pci_set_property(GObject *obj, guint id,
                                    const GValue *value, GParamSpec *pspec)
{
    VirtIOPCIProxy *p = CG_VIRTIO_PCI(obj);

    switch (id) {
    case PROP_DISABLE_LEGACY:
        p->disable_legacy = g_value_get_enum(value);
        break;
    case PROP_DISABLE_MODERN:
        p->disable_modern = g_value_get_boolean(value);
        break;
    case PROP_IOMMU_PLATFORM:
        p->iommu_platform = g_value_get_boolean(value);
        break;
    default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(obj, id, pspec);
    }
}

static void virtio_pci_get_property(GObject *obj, guint id, GValue *value,
                                    GParamSpec *pspec)
{
    VirtIOPCIProxy *p = CG_VIRTIO_PCI(obj);

    switch (id) {
    case PROP_DISABLE_LEGACY:
        g_value_set_enum(value, p->disable_legacy);
        break;
    case PROP_DISABLE_MODERN:
        g_value_set_boolean(value, p->disable_modern);
        break;
    case PROP_IOMMU_PLATFORM:
        g_value_set_boolean(value, p->iommu_platform);
        break;
    default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(obj, id, pspec);
    }
}

static void virtio_pci_class_init(VirtIOPCIProxyClass *klass)
{
    GObjectClass *oc = G_OBJECT_CLASS(klass);
    GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

    oc->set_property = virtio_pci_set_property;
    oc->get_property = virtio_pci_get_property;
    g_object_class_install_property(
        oc, PROP_DISABLE_LEGACY,
        g_param_spec_enum("disable-legacy", "disable-legacy",
                          "Turn off the legacy (virtio 0.9) interface; "
                          "auto keeps it on a PCI bus",
                          CG_TYPE_ON_OFF_AUTO, ON_OFF_AUTO_AUTO, rw));
    g_object_class_install_property(
        oc, PROP_DISABLE_MODERN,
        g_param_spec_boolean("disable-modern", "disable-modern",
                             "Turn off the modern (virtio 1.x) interface",
                             FALSE, rw));
    g_object_class_override_property(oc, PROP_IOMMU_PLATFORM,
                                     "iommu_platform");
}

static void virtio_pci_init(VirtIOPCIProxy *p)
{
    p->disable_legacy = ON_OFF_AUTO_AUTO;
}
