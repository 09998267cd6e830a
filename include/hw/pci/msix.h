/* MSI-X for PCI devices: capability, vector table and PBA in a BAR. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_HW_PCI_MSIX_H
#define CGEMU_HW_PCI_MSIX_H

#include "hw/pci/pci-device.h"

G_BEGIN_DECLS

#define PCI_MSIX_MAX_VECTORS 2048

/*
 * Gives @pd @nvectors MSI-X vectors (1..2048): a capability and a 32-bit
 * memory BAR @bar of its own holding the table at offset 0 and the
 * pending bit array after it.  Call from the device's realize.
 *
 * Delivery: msix_notify() sends the vector's message through the
 * machine's msi_send hook (installed by the board or accelerator) when
 * MSI-X is enabled, neither the function nor the vector is masked and bus
 * mastering is on; a masked vector becomes pending and is sent when
 * unmasked.  While MSI-X is enabled the device's INTx is not used.
 */
bool msix_init(PCIDevice *pd, unsigned nvectors, int bar, GError **err);

unsigned msix_nvectors(PCIDevice *pd);
bool msix_enabled(PCIDevice *pd);
void msix_notify(PCIDevice *pd, unsigned vector);
/* Whether @vector is pending (for tests and introspection). */
bool msix_is_pending(PCIDevice *pd, unsigned vector);

/* For pci-device.c: the capability's offset (0: none), power-on state,
 * and capability writes. */
uint8_t msix_cap_offset(PCIDevice *pd);
void msix_reset(PCIDevice *pd);
void msix_config_write(PCIDevice *pd, uint32_t off, unsigned size,
                       uint16_t old_ctrl);
void msix_free(PCIDevice *pd);

G_END_DECLS

#endif
