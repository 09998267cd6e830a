/* The virtio-device interface: what every virtio device has, any transport. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hw/virtio/virtio-device.h"

#include "qom/property.h"

CG_DEFINE_INTERFACE(VirtioDevice, virtio_device, TYPE_VIRTIO_DEVICE,
                    CG_TYPE_DEVICE)

static void virtio_device_default_init(VirtioDeviceInterface *iface)
{
    /* Not a static name: GLib stores it as "iommu-platform". */
    g_object_interface_install_property(
        iface,
        cg_param_spec_keep_name(
            g_param_spec_boolean("iommu_platform", NULL,
                                 "Offer VIRTIO_F_ACCESS_PLATFORM: the device "
                                 "accesses guest memory only as the platform "
                                 "allows (needed by confidential guests)",
                                 FALSE,
                                 G_PARAM_READWRITE | G_PARAM_STATIC_BLURB),
            "iommu_platform"));
}
