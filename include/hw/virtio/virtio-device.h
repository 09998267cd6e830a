/* The virtio-device interface: what every virtio device has, any transport. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_HW_VIRTIO_VIRTIO_DEVICE_H
#define CGEMU_HW_VIRTIO_VIRTIO_DEVICE_H

#include "hw/core/device.h"

G_BEGIN_DECLS

/*
 * "virtio-device" is an interface rather than a class so that a device can
 * be both a virtio device and a device of its transport's bus
 * (virtio-rng-pci is a pci-device; virtio-rng-ccw a ccw device) with one
 * object, while "-global virtio-device.iommu_platform=on" and the
 * confidential-guest default still reach every virtio device.
 *
 * The interface declares the "iommu_platform" property (bool, default
 * off: offer VIRTIO_F_ACCESS_PLATFORM); implementations override it with
 * g_object_class_override_property().
 */
#define TYPE_VIRTIO_DEVICE "virtio-device"
#define CG_TYPE_VIRTIO_DEVICE (virtio_device_get_type())
G_DECLARE_INTERFACE(VirtioDevice, virtio_device, CG, VIRTIO_DEVICE,
                    DeviceState)

struct _VirtioDeviceInterface {
    GTypeInterface parent_iface;
};

G_END_DECLS

#endif
