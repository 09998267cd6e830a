/* The abstract virtio-pci transport device. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_HW_VIRTIO_VIRTIO_PCI_H
#define CGEMU_HW_VIRTIO_VIRTIO_PCI_H

#include "hw/pci/pci-device.h"
#include "hw/virtio/virtio-device.h"
#include "hw/virtio/virtio.h"
#include "qom/enums.h"

G_BEGIN_DECLS

/*
 * Base of every virtio-*-pci device.  Properties as in QEMU:
 *   disable-legacy  on/off/auto (auto: the legacy interface is present,
 *                   since cgemu's PCI buses are conventional PCI)
 *   disable-modern  bool
 *   iommu_platform  (virtio-device) bool: offer VIRTIO_F_ACCESS_PLATFORM
 *   vectors         MSI-X vectors, 0 for none
 *
 * Layout, as QEMU 7.2's: BAR0 the legacy I/O registers (when legacy is
 * on), BAR1 the MSI-X table (when vectors > 0), BAR4 a 16 KiB 64-bit
 * prefetchable memory BAR with the modern regions (common configuration
 * at 0, ISR at 0x1000, device configuration at 0x2000, notifications at
 * 0x3000 with a multiplier of 4) described by vendor capabilities, plus
 * the PCI configuration access capability.  Device ID 0x1040 + type and
 * subsystem 0x1100, revision 1 when modern-only; otherwise the
 * transitional ID (0x1000 + n), the type as subsystem ID, revision 0.
 *
 * A concrete device (virtio-rng-pci) embeds its model's state and
 * provides realize_model/unrealize_model; everything else is here.
 */
#define TYPE_VIRTIO_PCI "virtio-pci"
#define CG_TYPE_VIRTIO_PCI (virtio_pci_get_type())
CG_DECLARE_TYPE(VirtIOPCIProxy, virtio_pci, CG, VIRTIO_PCI)

struct _VirtIOPCIProxy {
    PCIDevice parent_instance;

    /* Properties. */
    OnOffAuto disable_legacy;
    bool disable_modern;
    bool iommu_platform;
    uint32_t nvectors;

    /* Set at realize. */
    VirtioState *vs;
    bool legacy;              /* the legacy interface is present */
    bool modern;
    uint8_t cfg_cap;          /* offset of the PCI configuration access cap */

    /* Transport registers. */
    uint32_t dfselect;
    uint32_t gfselect;
    uint16_t queue_sel;
};

struct _VirtIOPCIProxyClass {
    PCIDeviceClass parent_class;

    /*
     * Realizes the device model with the properties set (resolving its
     * backend, calling virtio_init and virtio_add_queue) and returns its
     * state; NULL with @err.  The error names the property and the fix.
     */
    VirtioState *(*realize_model)(VirtIOPCIProxy *proxy, GError **err);
    void (*unrealize_model)(VirtIOPCIProxy *proxy);
};

/* The modern BAR's regions. */
#define VIRTIO_PCI_MODERN_BAR 4
#define VIRTIO_PCI_MSIX_BAR 1
#define VIRTIO_PCI_LEGACY_BAR 0
#define VIRTIO_PCI_REGION_SIZE 0x1000
#define VIRTIO_PCI_COMMON_OFF 0x0000
#define VIRTIO_PCI_ISR_OFF 0x1000
#define VIRTIO_PCI_DEVICE_OFF 0x2000
#define VIRTIO_PCI_NOTIFY_OFF 0x3000
#define VIRTIO_PCI_MODERN_SIZE 0x4000
#define VIRTIO_PCI_NOTIFY_MULT 4

G_END_DECLS

#endif
