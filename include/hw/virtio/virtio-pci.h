/* The abstract virtio-pci transport device. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_HW_VIRTIO_VIRTIO_PCI_H
#define CGEMU_HW_VIRTIO_VIRTIO_PCI_H

#include "hw/pci/pci-device.h"
#include "hw/virtio/virtio-device.h"
#include "qom/enums.h"

G_BEGIN_DECLS

/*
 * Base of every virtio-*-pci device.  Properties as in QEMU:
 *   disable-legacy  on/off/auto (auto: legacy interface on a PCI bus)
 *   disable-modern  bool
 *   iommu_platform  (virtio-device) bool
 */
#define TYPE_VIRTIO_PCI "virtio-pci"
#define CG_TYPE_VIRTIO_PCI (virtio_pci_get_type())
CG_DECLARE_TYPE(VirtIOPCIProxy, virtio_pci, CG, VIRTIO_PCI)

struct _VirtIOPCIProxy {
    PCIDevice parent_instance;

    OnOffAuto disable_legacy;
    bool disable_modern;
    bool iommu_platform;
};

struct _VirtIOPCIProxyClass {
    PCIDeviceClass parent_class;
};

G_END_DECLS

#endif
