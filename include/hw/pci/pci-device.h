/* The abstract PCI device. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_HW_PCI_PCI_DEVICE_H
#define CGEMU_HW_PCI_PCI_DEVICE_H

#include "hw/core/device.h"

G_BEGIN_DECLS

#define TYPE_PCI_DEVICE "pci-device"
#define CG_TYPE_PCI_DEVICE (pci_device_get_type())
CG_DECLARE_TYPE(PCIDevice, pci_device, CG, PCI_DEVICE)

struct _PCIDevice {
    DeviceState parent_instance;

    char *addr;               /* -device ...,addr=SLOT[.FN], or NULL */
    bool multifunction;
    int devfn;                /* assigned when plugged, -1 before */
};

struct _PCIDeviceClass {
    DeviceStateClass parent_class;

    uint16_t vendor_id;
    uint16_t device_id;
    uint8_t revision;
    uint32_t class_code;      /* base << 16 | sub << 8 | prog-if */
    uint16_t subsystem_vendor_id;
    uint16_t subsystem_id;
};

/* "04" or "04.1" -> devfn; false for anything else. */
bool pci_parse_devfn(const char *text, int *devfn);

/*
 * The devfn the user asked for with addr=, or -1 for "first free"; an
 * unparsable addr is an error naming it.
 */
bool pci_device_requested_devfn(PCIDevice *pd, int *devfn, GError **err);

G_END_DECLS

#endif
