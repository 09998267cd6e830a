/* Numbers from the virtio 1.x specification that the device side uses. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_HW_VIRTIO_VIRTIO_REGS_H
#define CGEMU_HW_VIRTIO_VIRTIO_REGS_H

/* Device status bits. */
#define VIRTIO_STATUS_ACKNOWLEDGE 0x01
#define VIRTIO_STATUS_DRIVER 0x02
#define VIRTIO_STATUS_DRIVER_OK 0x04
#define VIRTIO_STATUS_FEATURES_OK 0x08
#define VIRTIO_STATUS_NEEDS_RESET 0x40
#define VIRTIO_STATUS_FAILED 0x80

/* Transport and ring feature bits (bit numbers). */
#define VIRTIO_F_NOTIFY_ON_EMPTY 24
#define VIRTIO_F_ANY_LAYOUT 27
#define VIRTIO_F_INDIRECT_DESC 28
#define VIRTIO_F_EVENT_IDX 29
#define VIRTIO_F_VERSION_1 32
#define VIRTIO_F_ACCESS_PLATFORM 33

#define VIRTIO_BIT(n) (1ull << (n))

/* Split virtqueue flags. */
#define VRING_DESC_F_NEXT 1
#define VRING_DESC_F_WRITE 2
#define VRING_DESC_F_INDIRECT 4
#define VRING_AVAIL_F_NO_INTERRUPT 1
#define VRING_DESC_SIZE 16
#define VRING_USED_ELEM_SIZE 8

/* ISR bits (PCI) and the "no vector" value of the MSI-X registers. */
#define VIRTIO_ISR_QUEUE 0x1
#define VIRTIO_ISR_CONFIG 0x2
#define VIRTIO_NO_VECTOR 0xffff

/* Device types. */
#define VIRTIO_ID_NET 1
#define VIRTIO_ID_BLOCK 2
#define VIRTIO_ID_RNG 4

/* virtio-pci. */
#define VIRTIO_PCI_VENDOR 0x1af4
#define VIRTIO_PCI_DEVICE_MODERN_BASE 0x1040
#define VIRTIO_PCI_DEVICE_BLK_TRANS 0x1001
#define VIRTIO_PCI_DEVICE_RNG_TRANS 0x1005
/* Subsystem device ID QEMU gives modern-only devices. */
#define VIRTIO_PCI_SUBSYS_MODERN 0x1100

#define VIRTIO_PCI_CAP_COMMON 1
#define VIRTIO_PCI_CAP_NOTIFY 2
#define VIRTIO_PCI_CAP_ISR 3
#define VIRTIO_PCI_CAP_DEVICE 4
#define VIRTIO_PCI_CAP_PCI_CFG 5

/* struct virtio_pci_common_cfg */
#define VPCI_COMMON_DFSELECT 0x00
#define VPCI_COMMON_DF 0x04
#define VPCI_COMMON_GFSELECT 0x08
#define VPCI_COMMON_GF 0x0c
#define VPCI_COMMON_MSIX 0x10
#define VPCI_COMMON_NUMQ 0x12
#define VPCI_COMMON_STATUS 0x14
#define VPCI_COMMON_CFGGEN 0x15
#define VPCI_COMMON_Q_SELECT 0x16
#define VPCI_COMMON_Q_SIZE 0x18
#define VPCI_COMMON_Q_MSIX 0x1a
#define VPCI_COMMON_Q_ENABLE 0x1c
#define VPCI_COMMON_Q_NOFF 0x1e
#define VPCI_COMMON_Q_DESCLO 0x20
#define VPCI_COMMON_Q_DESCHI 0x24
#define VPCI_COMMON_Q_AVAILLO 0x28
#define VPCI_COMMON_Q_AVAILHI 0x2c
#define VPCI_COMMON_Q_USEDLO 0x30
#define VPCI_COMMON_Q_USEDHI 0x34
#define VPCI_COMMON_SIZE 0x38

/* The legacy (virtio 0.9) register block in I/O BAR0. */
#define VPCI_LEGACY_HOST_FEATURES 0x00
#define VPCI_LEGACY_GUEST_FEATURES 0x04
#define VPCI_LEGACY_QUEUE_PFN 0x08
#define VPCI_LEGACY_QUEUE_NUM 0x0c
#define VPCI_LEGACY_QUEUE_SEL 0x0e
#define VPCI_LEGACY_QUEUE_NOTIFY 0x10
#define VPCI_LEGACY_STATUS 0x12
#define VPCI_LEGACY_ISR 0x13
#define VPCI_LEGACY_CONFIG_VECTOR 0x14    /* only while MSI-X is enabled */
#define VPCI_LEGACY_QUEUE_VECTOR 0x16
#define VPCI_LEGACY_HEADER 0x14           /* without MSI-X */
#define VPCI_LEGACY_HEADER_MSIX 0x18
#define VPCI_LEGACY_PFN_SHIFT 12
#define VPCI_LEGACY_ALIGN 4096

/* virtio-blk. */
#define VIRTIO_BLK_F_SEG_MAX 2
#define VIRTIO_BLK_F_RO 5
#define VIRTIO_BLK_F_BLK_SIZE 6
#define VIRTIO_BLK_F_FLUSH 9
#define VIRTIO_BLK_T_IN 0
#define VIRTIO_BLK_T_OUT 1
#define VIRTIO_BLK_T_FLUSH 4
#define VIRTIO_BLK_T_GET_ID 8
#define VIRTIO_BLK_T_BARRIER 0x80000000u  /* legacy flag, ignored */
#define VIRTIO_BLK_S_OK 0
#define VIRTIO_BLK_S_IOERR 1
#define VIRTIO_BLK_S_UNSUPP 2
#define VIRTIO_BLK_ID_BYTES 20
#define VIRTIO_BLK_SECTOR 512

#endif
