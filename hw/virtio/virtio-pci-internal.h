/* Shared between the files of the virtio-pci transport only. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_HW_VIRTIO_VIRTIO_PCI_INTERNAL_H
#define CGEMU_HW_VIRTIO_VIRTIO_PCI_INTERNAL_H

#include "hw/virtio/virtio-pci.h"

/* Register handlers of BAR4 (modern regions) and BAR0 (legacy block);
 * the opaque is the VirtIOPCIProxy. */
extern const MemoryOps virtio_pci_modern_ops;
extern const MemoryOps virtio_pci_legacy_ops;

/* After the ISR changed: INTx follows it unless MSI-X is enabled. */
void virtio_pci_update_intx(VirtIOPCIProxy *proxy);

/* A vector the driver wrote, or VIRTIO_NO_VECTOR when there is no such
 * MSI-X vector (the driver reads that back and knows). */
uint16_t virtio_pci_check_vector(VirtIOPCIProxy *proxy, uint32_t val);

#endif
