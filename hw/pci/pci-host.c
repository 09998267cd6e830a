/* A PCI host bridge: bus 0, slots, config access, BAR windows, INTx. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hw/pci/pci-host.h"

#include "util/error.h"

#include <string.h>

#define PCI_DEVFNS (PCI_SLOTS * PCI_FUNCS)
#define CF8_PORT 0xcf8
#define CF8_ENABLE 0x80000000u

struct PCIHost {
    DeviceState parent_instance;

    PCIHostConfig cfg;
    char *name;
    PCIDevice *devs[PCI_DEVFNS];   /* references */

    /* Type 1 mechanism: the latched address and the 0xcf9 byte. */
    IoRegion *conf_region;
    uint32_t conf_addr;
    uint8_t cf9;

    /* Next free bus address in each window (the VMM's BAR allocator). */
    uint64_t next_io;
    uint64_t next_mmio32;
    uint64_t next_mmio64;

    uint8_t intx[PCI_SLOTS];       /* bit N: pin N is asserted */
};

typedef DeviceStateClass PCIHostClass;

CG_DEFINE_TYPE(PCIHost, pci_host, TYPE_PCI_HOST, CG_TYPE_DEVICE)

/* --- the bridge function at 00.0 ----------------------------------------- */

#define TYPE_PCI_HOST_BRIDGE "pci-host-bridge"
typedef struct {
    PCIDevice parent_instance;
} PCIHostBridge;
typedef PCIDeviceClass PCIHostBridgeClass;

CG_DEFINE_TYPE(PCIHostBridge, pci_host_bridge, TYPE_PCI_HOST_BRIDGE,
               CG_TYPE_PCI_DEVICE)

static bool pci_host_bridge_realize(PCIDevice *pd, GError **err)
{
    const PCIHostConfig *c = pci_host_get_config(pd->host);

    if (c->bridge_vendor_id != 0) {
        pci_set_word(pd->config + PCI_REG_VENDOR_ID, c->bridge_vendor_id);
        pci_set_word(pd->config + PCI_REG_DEVICE_ID, c->bridge_device_id);
        pd->config[PCI_REG_REVISION] = c->bridge_revision;
    }
    return true;
}

static void pci_host_bridge_class_init(PCIHostBridgeClass *pc)
{
    CG_DEVICE_CLASS(pc)->desc = "Host bridge function of a PCI host";
    pc->vendor_id = 0x8086;     /* an Intel 82441FX (i440FX), as QEMU's pc */
    pc->device_id = 0x1237;
    pc->revision = 0x02;
    pc->class_code = PCI_CLASS_BRIDGE_HOST;
    pc->realize = pci_host_bridge_realize;
}

static void pci_host_bridge_init(PCIHostBridge *self)
{
}

/* --- configuration space -------------------------------------------------- */

static uint32_t all_ones(unsigned size)
{
    return size >= 4 ? UINT32_MAX : (1u << (8 * size)) - 1;
}

PCIDevice *pci_host_find(PCIHost *h, int devfn)
{
    return devfn >= 0 && devfn < PCI_DEVFNS ? h->devs[devfn] : NULL;
}

uint32_t pci_host_config_read(PCIHost *h, int devfn, uint32_t offset,
                              unsigned size)
{
    PCIDevice *pd = pci_host_find(h, devfn);

    if (pd == NULL || !CG_DEVICE(pd)->realized ||
        (size != 1 && size != 2 && size != 4) || offset >= PCI_CONFIG_SIZE ||
        size > PCI_CONFIG_SIZE - offset) {
        return all_ones(size);
    }
    return pci_device_config_read(pd, offset, size);
}

void pci_host_config_write(PCIHost *h, int devfn, uint32_t offset,
                           uint32_t val, unsigned size)
{
    PCIDevice *pd = pci_host_find(h, devfn);

    if (pd == NULL || !CG_DEVICE(pd)->realized) {
        return;
    }
    pci_device_config_write(pd, offset, val, size);
}

/*
 * The type 1 mechanism: 0xcf8 holds enable (bit 31), bus, device,
 * function and dword register; 0xcfc-0xcff are that dword, reachable by
 * byte, word or dword.  Only bus 0 exists.
 */
static bool conf_target(PCIHost *h, int *devfn, uint32_t *reg)
{
    uint32_t a = h->conf_addr;

    if (!(a & CF8_ENABLE) || ((a >> 16) & 0xff) != 0) {
        return false;
    }
    *devfn = (int)((a >> 8) & 0xff);
    *reg = a & 0xfc;
    return true;
}

static uint64_t conf_read(void *opaque, uint64_t off, unsigned size)
{
    PCIHost *h = opaque;
    int devfn;
    uint32_t reg;

    if (off < 4) {
        if (off == 0 && size == 4) {
            return h->conf_addr;
        }
        if (off == 1 && size == 1) {
            return h->cf9;
        }
        return (h->conf_addr >> (8 * off)) & all_ones(size);
    }
    if (size > 4 || off - 4 + size > 4 || !conf_target(h, &devfn, &reg)) {
        return size >= 8 ? UINT64_MAX : all_ones(size);
    }
    return pci_host_config_read(h, devfn, reg + (uint32_t)(off - 4), size);
}

static void conf_write(void *opaque, uint64_t off, uint64_t val,
                       unsigned size)
{
    PCIHost *h = opaque;
    int devfn;
    uint32_t reg;

    if (off < 4) {
        /* Only a dword write latches an address, as on the PIIX. */
        if (off == 0 && size == 4) {
            h->conf_addr = (uint32_t)val;
        } else if (off == 1 && size == 1) {
            h->cf9 = (uint8_t)val;
            if (h->cfg.cf9_write != NULL) {
                h->cfg.cf9_write(h->cfg.opaque, (uint8_t)val);
            }
        }
        return;
    }
    if (size > 4 || off - 4 + size > 4 || !conf_target(h, &devfn, &reg)) {
        return;
    }
    pci_host_config_write(h, devfn, reg + (uint32_t)(off - 4), (uint32_t)val,
                          size);
}

static const MemoryOps conf_ops = {
    .read = conf_read,
    .write = conf_write,
};

/* --- windows and BAR assignment ------------------------------------------- */

static bool in_window(const PCIHostWindow *w, uint64_t addr, uint64_t size)
{
    return w->size != 0 && range_within(addr, size, w->base, w->size);
}

bool pci_host_translate(PCIHost *h, PCIBarKind kind, uint64_t bus_addr,
                        uint64_t size, AddressSpace **space,
                        uint64_t *cpu_addr)
{
    MachineState *ms = CG_DEVICE(h)->machine;
    const PCIHostWindow *w = NULL;

    if (kind == PCI_BAR_IO) {
        if (in_window(&h->cfg.io, bus_addr, size)) {
            w = &h->cfg.io;
            *space = h->cfg.io_in_memory ? ms->mem : ms->io;
        }
    } else if (in_window(&h->cfg.mmio32, bus_addr, size)) {
        w = &h->cfg.mmio32;
        *space = ms->mem;
    } else if (kind == PCI_BAR_MEM64 &&
               in_window(&h->cfg.mmio64, bus_addr, size)) {
        w = &h->cfg.mmio64;
        *space = ms->mem;
    }
    if (w == NULL || *space == NULL ||
        bus_addr + w->cpu_offset + (size - 1) < bus_addr + w->cpu_offset) {
        return false;
    }
    *cpu_addr = bus_addr + w->cpu_offset;
    return true;
}

/* Naturally aligned bump allocation; 0 means "did not fit". */
static uint64_t window_alloc(const PCIHostWindow *w, uint64_t *next,
                             uint64_t size)
{
    uint64_t base;

    if (w->size == 0) {
        return 0;
    }
    if (*next < w->base) {
        *next = w->base;
    }
    base = (*next + size - 1) & ~(size - 1);
    if (base == 0) {
        base = size;            /* 0 reads as "unassigned" to guests */
    }
    if (base < *next || !range_within(base, size, w->base, w->size)) {
        return 0;
    }
    *next = base + size;
    return base;
}

void pci_host_assign_bars(PCIHost *h, PCIDevice *pd)
{
    for (int n = 0; n < PCI_NUM_BARS; n++) {
        PCIBar *bar = &pd->bars[n];
        uint64_t at = 0;

        switch (bar->kind) {
        case PCI_BAR_IO:
            at = window_alloc(&h->cfg.io, &h->next_io, bar->size);
            break;
        case PCI_BAR_MEM32:
            at = window_alloc(&h->cfg.mmio32, &h->next_mmio32, bar->size);
            break;
        case PCI_BAR_MEM64:
            /* Below 4 GiB when it fits, as SeaBIOS does. */
            at = window_alloc(&h->cfg.mmio32, &h->next_mmio32, bar->size);
            if (at == 0) {
                at = window_alloc(&h->cfg.mmio64, &h->next_mmio64, bar->size);
            }
            break;
        default:
            continue;
        }
        bar->assigned = at;
        if (at == 0) {
            cg_warn_report("%s: no room in the PCI host's %s window; left "
                           "unassigned for the guest to place", bar->name,
                           bar->kind == PCI_BAR_IO ? "I/O" : "memory");
        }
    }
}

/* --- INTx ----------------------------------------------------------------- */

void pci_host_update_intx(PCIHost *h, PCIDevice *pd)
{
    int slot = PCI_SLOT(pd->devfn);
    uint8_t now = 0;

    if (pd->devfn < 0) {
        return;
    }
    for (int fn = 0; fn < PCI_FUNCS; fn++) {
        PCIDevice *f = h->devs[PCI_DEVFN(slot, fn)];
        uint8_t pin = f ? f->config[PCI_REG_INT_PIN] : 0;

        if (f != NULL && pin >= 1 && pin <= 4 && pci_intx_asserted(f)) {
            now |= (uint8_t)(1u << (pin - 1));
        }
    }
    for (int pin = 0; pin < 4; pin++) {
        uint8_t bit = (uint8_t)(1u << pin);

        if ((now ^ h->intx[slot]) & bit) {
            if (h->cfg.set_intx != NULL) {
                h->cfg.set_intx(h->cfg.opaque, slot, pin, (now & bit) != 0);
            }
        }
    }
    h->intx[slot] = now;
}

/* --- plugging ------------------------------------------------------------- */

static char *describe_slot(PCIHost *h, int devfn)
{
    return pci_device_describe(h->devs[devfn]);
}

static bool check_multifunction(PCIHost *h, PCIDevice *pd, int devfn,
                                GError **err)
{
    int slot = PCI_SLOT(devfn);
    PCIDevice *f0 = h->devs[PCI_DEVFN(slot, 0)];

    if (PCI_FUNC(devfn) != 0 && f0 != NULL && !f0->multifunction) {
        g_autofree char *other = describe_slot(h, PCI_DEVFN(slot, 0));
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "PCI function %02x.%x needs function %02x.0 to be "
                    "multifunction, but %s is not; add multifunction=on "
                    "to it", slot, PCI_FUNC(devfn), slot, other);
        return false;
    }
    if (PCI_FUNC(devfn) == 0 && !pd->multifunction) {
        for (int fn = 1; fn < PCI_FUNCS; fn++) {
            if (h->devs[PCI_DEVFN(slot, fn)] != NULL) {
                g_autofree char *other = describe_slot(h, PCI_DEVFN(slot, fn));
                g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                            "PCI slot %02x already has function %x (%s); "
                            "add multifunction=on to the device at %02x.0",
                            slot, fn, other, slot);
                return false;
            }
        }
    }
    return true;
}

static int first_free_slot(PCIHost *h)
{
    for (int slot = 0; slot < PCI_SLOTS; slot++) {
        bool empty = true;

        for (int fn = 0; fn < PCI_FUNCS && empty; fn++) {
            empty = h->devs[PCI_DEVFN(slot, fn)] == NULL;
        }
        if (empty) {
            return PCI_DEVFN(slot, 0);
        }
    }
    return -1;
}

bool pci_host_plug(PCIHost *h, DeviceState *dev, GError **err)
{
    PCIDevice *pd;
    int devfn;

    if (!CG_IS_PCI_DEVICE(dev)) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "%s is not a PCI device; it cannot plug into %s",
                    cg_object_type_name(CG_OBJECT(dev)), h->name);
        return false;
    }
    pd = CG_PCI_DEVICE(dev);
    if (pd->host != NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "%s is already plugged",
                    cg_object_type_name(CG_OBJECT(dev)));
        return false;
    }
    if (pd->bus != NULL && strcmp(pd->bus, PCI_ROOT_BUS_NAME) != 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "bus=%s: there is no such bus; %s has one PCI bus, "
                    PCI_ROOT_BUS_NAME " (leave bus= out, or give bus="
                    PCI_ROOT_BUS_NAME ")", pd->bus, h->name);
        return false;
    }
    if (!pci_device_requested_devfn(pd, &devfn, err)) {
        return false;
    }
    if (devfn < 0) {
        devfn = first_free_slot(h);
        if (devfn < 0) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "no free slot left on PCI bus %s (all 32 slots are "
                        "in use)", h->name);
            return false;
        }
    } else if (h->devs[devfn] != NULL) {
        g_autofree char *other = describe_slot(h, devfn);
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "PCI address %02x.%x is already in use by %s; choose "
                    "another addr= or leave it out", PCI_SLOT(devfn),
                    PCI_FUNC(devfn), other);
        return false;
    } else if (!check_multifunction(h, pd, devfn, err)) {
        return false;
    }
    h->devs[devfn] = g_object_ref(pd);
    pd->devfn = devfn;
    pd->host = h;
    return true;
}

void pci_host_unplug(PCIHost *h, PCIDevice *pd)
{
    int devfn = pd->devfn;

    if (pd->host != h || devfn < 0 || h->devs[devfn] != pd) {
        return;
    }
    pd->intx_level = false;
    pci_host_update_intx(h, pd);
    h->devs[devfn] = NULL;
    pd->host = NULL;
    pd->devfn = -1;
    g_object_unref(pd);
}

void pci_host_foreach(PCIHost *h, void (*fn)(PCIDevice *pd, void *opaque),
                      void *opaque)
{
    for (int devfn = 0; devfn < PCI_DEVFNS; devfn++) {
        if (h->devs[devfn] != NULL) {
            fn(h->devs[devfn], opaque);
        }
    }
}

const PCIHostConfig *pci_host_get_config(PCIHost *h)
{
    return &h->cfg;
}

MachineState *pci_host_machine(PCIHost *h)
{
    return CG_DEVICE(h)->machine;
}

/* --- creation ------------------------------------------------------------- */

static bool check_window(const char *what, const PCIHostWindow *w,
                         GError **err)
{
    if (w->size != 0 && (w->base + (w->size - 1) < w->base ||
                         w->base + w->cpu_offset < w->base ||
                         w->base + w->cpu_offset + (w->size - 1) <
                             w->base + w->cpu_offset)) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "PCI host: the %s window 0x%" G_GINT64_MODIFIER "x+0x%"
                    G_GINT64_MODIFIER "x wraps around", what, w->base,
                    w->size);
        return false;
    }
    return true;
}

static bool create_bridge(PCIHost *h, GError **err)
{
    g_autoptr(PCIDevice) b = g_object_new(pci_host_bridge_get_type(), NULL);
    DeviceState *dev = CG_DEVICE(b);

    dev->machine = CG_DEVICE(h)->machine;
    b->addr = g_strdup("00.0");
    if (!cg_object_add_child(CG_OBJECT(h), "bridge", CG_OBJECT(b), err)) {
        return false;
    }
    if (!pci_host_plug(h, dev, err) ||
        !CG_DEVICE_GET_CLASS(dev)->realize(dev, err)) {
        cg_object_unparent(CG_OBJECT(b));
        return false;
    }
    dev->realized = true;
    return true;
}

PCIHost *pci_host_create(MachineState *ms, const PCIHostConfig *cfg,
                         GError **err)
{
    g_autoptr(PCIHost) h = NULL;
    const char *name = cfg->name ? cfg->name : "pci-host";

    if (cfg->mmio32.size == 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "PCI host %s: a 32-bit memory window is required", name);
        return NULL;
    }
    if (!check_window("32-bit memory", &cfg->mmio32, err) ||
        !check_window("64-bit memory", &cfg->mmio64, err) ||
        !check_window("I/O", &cfg->io, err)) {
        return NULL;
    }
    if (!range_within(cfg->mmio32.base, cfg->mmio32.size, 0, 1ull << 32)) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "PCI host %s: the 32-bit memory window 0x%"
                    G_GINT64_MODIFIER "x+0x%" G_GINT64_MODIFIER "x goes "
                    "beyond 4 GiB", name, cfg->mmio32.base, cfg->mmio32.size);
        return NULL;
    }
    if ((cfg->claim_cf8 || (cfg->io.size && !cfg->io_in_memory)) &&
        ms->io == NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "PCI host %s: the machine has no I/O port space for "
                    "%s", name, cfg->claim_cf8 ? "0xcf8/0xcfc"
                                               : "the I/O window");
        return NULL;
    }
    h = g_object_new(CG_TYPE_PCI_HOST, NULL);
    h->cfg = *cfg;
    h->name = g_strdup(name);
    h->cfg.name = h->name;
    CG_DEVICE(h)->machine = ms;
    if (cfg->claim_cf8) {
        h->conf_region = address_space_add_io(ms->io, "pci-config", CF8_PORT,
                                              8, &conf_ops, h, err);
        if (h->conf_region == NULL) {
            return NULL;
        }
    }
    if (!cg_object_add_child(CG_OBJECT(ms), name, CG_OBJECT(h), err)) {
        return NULL;
    }
    if (!cfg->no_bridge_function && !create_bridge(h, err)) {
        cg_object_unparent(CG_OBJECT(h));
        return NULL;
    }
    CG_DEVICE(h)->realized = true;
    return h; /* borrowed: the tree holds it; our reference is dropped */
}

static void pci_host_reset(DeviceState *dev)
{
    PCIHost *h = CG_PCI_HOST(dev);

    h->conf_addr = 0;
    h->cf9 = 0;
}

static void pci_host_dispose(GObject *obj)
{
    PCIHost *h = CG_PCI_HOST(obj);
    MachineState *ms = CG_DEVICE(h)->machine;

    if (h->conf_region != NULL) {
        address_space_remove_io(ms->io, h->conf_region);
        h->conf_region = NULL;
    }
    for (int devfn = 0; devfn < PCI_DEVFNS; devfn++) {
        PCIDevice *pd = h->devs[devfn];

        if (pd != NULL) {
            h->devs[devfn] = NULL;
            pd->host = NULL;
            g_object_unref(pd);
        }
    }
    G_OBJECT_CLASS(pci_host_parent_class)->dispose(obj);
}

static void pci_host_finalize(GObject *obj)
{
    g_free(CG_PCI_HOST(obj)->name);
    G_OBJECT_CLASS(pci_host_parent_class)->finalize(obj);
}

static void pci_host_class_init(PCIHostClass *dc)
{
    G_OBJECT_CLASS(dc)->dispose = pci_host_dispose;
    G_OBJECT_CLASS(dc)->finalize = pci_host_finalize;
    dc->desc = "PCI host bridge and bus 0";
    dc->reset = pci_host_reset;
}

static void pci_host_init(PCIHost *h)
{
}
