/* The abstract PCI device: configuration space, BARs, capabilities, INTx. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_HW_PCI_PCI_DEVICE_H
#define CGEMU_HW_PCI_PCI_DEVICE_H

#include "hw/core/device.h"
#include "hw/pci/pci-regs.h"

G_BEGIN_DECLS

typedef struct PCIHost PCIHost;
typedef struct PCIMsix PCIMsix;

/* A BAR's address when it decodes nothing (decode off, or 0). */
#define PCI_BAR_UNMAPPED UINT64_MAX

typedef enum {
    PCI_BAR_NONE,       /* absent (or the upper half of a 64-bit BAR) */
    PCI_BAR_IO,
    PCI_BAR_MEM32,
    PCI_BAR_MEM64,
} PCIBarKind;

typedef struct PCIBar {
    PCIBarKind kind;
    bool prefetchable;
    uint64_t size;            /* a power of two */
    const MemoryOps *ops;     /* offsets are relative to the BAR */
    void *opaque;
    char *name;               /* "virtio-rng-pci 00:03.0 BAR4" */

    /* What the VMM assigned at plug time; reset restores it (0: none). */
    uint64_t assigned;

    /* Current decode: the bus address, and where it is mapped. */
    uint64_t bus_addr;        /* PCI_BAR_UNMAPPED when not decoding */
    IoRegion *region;         /* NULL when not mapped */
    AddressSpace *space;
    bool warned;              /* a mapping problem was logged already */
} PCIBar;

#define TYPE_PCI_DEVICE "pci-device"
#define CG_TYPE_PCI_DEVICE (pci_device_get_type())
CG_DECLARE_TYPE(PCIDevice, pci_device, CG, PCI_DEVICE)

/* The name of the root bus (QEMU's, which libvirt gives as bus=). */
#define PCI_ROOT_BUS_NAME "pci.0"

struct _PCIDevice {
    DeviceState parent_instance;

    /* Properties. */
    char *addr;               /* -device ...,addr=SLOT[.FN], or NULL */
    char *bus;                /* -device ...,bus=pci.0, or NULL */
    bool multifunction;

    /* Set by pci_host_plug(). */
    int devfn;                /* -1 before */
    PCIHost *host;

    /*
     * Configuration space.  A guest write changes only the bits set in
     * wmask, and clears those set in w1cmask where it writes 1.
     */
    uint8_t config[PCI_CONFIG_SIZE];
    uint8_t wmask[PCI_CONFIG_SIZE];
    uint8_t w1cmask[PCI_CONFIG_SIZE];
    uint8_t cap_next;         /* where the next capability goes */

    PCIBar bars[PCI_NUM_BARS];
    bool intx_level;          /* what the device asks for on its pin */
    PCIMsix *msix;            /* NULL without MSI-X */
};

struct _PCIDeviceClass {
    DeviceStateClass parent_class;

    /* Written into the header before realize; realize may change them. */
    uint16_t vendor_id;
    uint16_t device_id;
    uint8_t revision;
    uint32_t class_code;      /* base << 16 | sub << 8 | prog-if */
    uint16_t subsystem_vendor_id;
    uint16_t subsystem_id;
    uint8_t interrupt_pin;    /* 1 (INTA) .. 4 (INTD); 0: none */

    /*
     * Called by the device realize once the device is plugged (devfn and
     * host known) and its header is filled in: register BARs and
     * capabilities here.  The host assigns BAR addresses afterwards.
     */
    bool (*realize)(PCIDevice *pd, GError **err);
    void (*unrealize)(PCIDevice *pd);
    /* After the generic configuration space reset. */
    void (*reset)(PCIDevice *pd);
    /*
     * Device-specific registers (in capabilities): config_read may replace
     * the value read from config[]; config_write is called after config[]
     * was updated through the masks.  Offsets and sizes as the guest gave.
     */
    uint32_t (*config_read)(PCIDevice *pd, uint32_t off, unsigned size,
                            uint32_t val);
    void (*config_write)(PCIDevice *pd, uint32_t off, uint32_t val,
                         unsigned size);
};

/* "04" or "04.1" -> devfn; false for anything else. */
bool pci_parse_devfn(const char *text, int *devfn);

/*
 * The devfn the user asked for with addr=, or -1 for "first free"; an
 * unparsable addr is an error naming it.
 */
bool pci_device_requested_devfn(PCIDevice *pd, int *devfn, GError **err);

/* "virtio-rng-pci 00:03.0 (id rng0)" for messages; caller frees. */
char *pci_device_describe(PCIDevice *pd);

/*
 * Registers BAR @n (during realize).  @size must be a power of two, at
 * least 16 for memory and 4 for I/O, and an I/O BAR at most 256 bytes; a
 * 64-bit BAR also takes @n + 1.  False (a programming error in the device
 * model, reported as an error) otherwise.
 */
bool pci_register_bar(PCIDevice *pd, int n, PCIBarKind kind,
                      bool prefetchable, uint64_t size, const MemoryOps *ops,
                      void *opaque, GError **err);

/* The bus address BAR @n decodes now, or PCI_BAR_UNMAPPED. */
uint64_t pci_bar_address(PCIDevice *pd, int n);

/*
 * Adds a capability of @size bytes with @id, linked first in the list;
 * returns its offset, or 0 with @err when configuration space is full.
 * The caller fills it in and sets wmask for writable fields.
 */
uint8_t pci_add_capability(PCIDevice *pd, uint8_t id, uint8_t size,
                           GError **err);

/* Raises or lowers the device's INTx pin (the INTERRUPT_PIN register). */
void pci_set_irq(PCIDevice *pd, int level);

/* Whether the pin is asserted now: raised and not masked by INTX_DISABLE. */
bool pci_intx_asserted(PCIDevice *pd);

/* Whether the guest enabled bus mastering (DMA and MSI). */
bool pci_bus_master_enabled(PCIDevice *pd);

/*
 * Configuration space accesses by the guest (through the host): @size 1,
 * 2 or 4; @off + @size <= 256.  Reads outside the header and capabilities
 * return 0, as for reserved registers.
 */
uint32_t pci_device_config_read(PCIDevice *pd, uint32_t off, unsigned size);
void pci_device_config_write(PCIDevice *pd, uint32_t off, uint32_t val,
                             unsigned size);

/* Little-endian helpers on config[] (no masks, no side effects). */
static inline void pci_set_byte(uint8_t *p, uint8_t v)
{
    p[0] = v;
}

static inline void pci_set_word(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static inline void pci_set_long(uint8_t *p, uint32_t v)
{
    pci_set_word(p, (uint16_t)v);
    pci_set_word(p + 2, (uint16_t)(v >> 16));
}

static inline uint16_t pci_get_word(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t pci_get_long(const uint8_t *p)
{
    return pci_get_word(p) | (uint32_t)pci_get_word(p + 2) << 16;
}

G_END_DECLS

#endif
