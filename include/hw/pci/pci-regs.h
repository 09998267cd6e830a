/* PCI configuration space layout: offsets and bits of the type 0 header. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_HW_PCI_PCI_REGS_H
#define CGEMU_HW_PCI_PCI_REGS_H

/* Conventional PCI: 256 bytes of configuration space per function. */
#define PCI_CONFIG_SIZE 256
#define PCI_NUM_BARS 6
#define PCI_SLOTS 32
#define PCI_FUNCS 8
#define PCI_DEVFN(slot, fn) (((slot) << 3) | (fn))
#define PCI_SLOT(devfn) (((devfn) >> 3) & 0x1f)
#define PCI_FUNC(devfn) ((devfn) & 7)

/* Type 0 header. */
#define PCI_REG_VENDOR_ID 0x00
#define PCI_REG_DEVICE_ID 0x02
#define PCI_REG_COMMAND 0x04
#define PCI_REG_STATUS 0x06
#define PCI_REG_REVISION 0x08
#define PCI_REG_CLASS_PROG 0x09      /* prog-if, then sub and base class */
#define PCI_REG_CACHE_LINE 0x0c
#define PCI_REG_LATENCY 0x0d
#define PCI_REG_HEADER_TYPE 0x0e
#define PCI_REG_BAR0 0x10
#define PCI_REG_SUBSYS_VENDOR 0x2c
#define PCI_REG_SUBSYS_ID 0x2e
#define PCI_REG_ROM 0x30
#define PCI_REG_CAP_PTR 0x34
#define PCI_REG_INT_LINE 0x3c
#define PCI_REG_INT_PIN 0x3d
#define PCI_HEADER_END 0x40          /* capabilities start here */

#define PCI_HEADER_MULTIFUNCTION 0x80

/* Command register. */
#define PCI_CMD_IO 0x0001
#define PCI_CMD_MEMORY 0x0002
#define PCI_CMD_MASTER 0x0004
#define PCI_CMD_PARITY 0x0040
#define PCI_CMD_SERR 0x0100
#define PCI_CMD_INTX_DISABLE 0x0400
#define PCI_CMD_WRITABLE                                                      \
    (PCI_CMD_IO | PCI_CMD_MEMORY | PCI_CMD_MASTER | PCI_CMD_PARITY |          \
     PCI_CMD_SERR | PCI_CMD_INTX_DISABLE)

/* Status register. */
#define PCI_STATUS_INTX 0x0008       /* an INTx is pending (read-only) */
#define PCI_STATUS_CAP_LIST 0x0010
#define PCI_STATUS_W1C 0xf900        /* error bits, write 1 to clear */

/* BAR low bits. */
#define PCI_BAR_SPACE_IO 0x1
#define PCI_BAR_MEM_TYPE_64 0x4
#define PCI_BAR_MEM_PREFETCH 0x8
#define PCI_BAR_IO_MASK (~(uint64_t)0x3)
#define PCI_BAR_MEM_MASK (~(uint64_t)0xf)

/* Capability IDs. */
#define PCI_CAP_ID_VENDOR 0x09
#define PCI_CAP_ID_MSIX 0x11

/* MSI-X capability: message control, table and PBA location. */
#define PCI_MSIX_CTRL 2
#define PCI_MSIX_TABLE 4
#define PCI_MSIX_PBA 8
#define PCI_MSIX_CAP_SIZE 12
#define PCI_MSIX_CTRL_ENABLE 0x8000
#define PCI_MSIX_CTRL_MASKALL 0x4000
#define PCI_MSIX_CTRL_SIZE_MASK 0x07ff
#define PCI_MSIX_ENTRY_SIZE 16
#define PCI_MSIX_ENTRY_ADDR_LO 0
#define PCI_MSIX_ENTRY_ADDR_HI 4
#define PCI_MSIX_ENTRY_DATA 8
#define PCI_MSIX_ENTRY_CTRL 12
#define PCI_MSIX_ENTRY_MASKED 0x1

/* Class codes (base << 16 | sub << 8 | prog-if). */
#define PCI_CLASS_STORAGE_SCSI 0x010000
#define PCI_CLASS_BRIDGE_HOST 0x060000
/* base 0 (unclassified), sub 0xff: what QEMU gives virtio-rng */
#define PCI_CLASS_UNCLASSIFIED_OTHER 0x00ff00

#endif
