/* The abstract PCI device: configuration space, BARs and their decoding. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hw/pci/pci-device.h"

#include "hw/pci/msix.h"
#include "hw/pci/pci-host.h"
#include "util/cutils.h"
#include "util/error.h"

#include <string.h>

enum {
    PROP_0,
    PROP_ADDR,
    PROP_BUS,
    PROP_MULTIFUNCTION,
};

CG_DEFINE_ABSTRACT_TYPE(PCIDevice, pci_device, TYPE_PCI_DEVICE,
                        CG_TYPE_DEVICE)

bool pci_parse_devfn(const char *text, int *devfn)
{
    g_auto(GStrv) parts = g_strsplit(text, ".", 3);
    uint64_t slot, fn = 0;

    if (parts[0] == NULL || g_strv_length(parts) > 2 ||
        !g_ascii_isxdigit(parts[0][0])) {
        return false;
    }
    /* QEMU writes slots in hex without a prefix ("addr=0a.0"). */
    {
        g_autofree char *hex = g_strconcat("0x", parts[0], NULL);
        if (!cg_parse_uint64(hex, &slot) || slot > 31) {
            return false;
        }
    }
    if (parts[1] != NULL &&
        (!cg_parse_uint64(parts[1], &fn) || fn > 7)) {
        return false;
    }
    *devfn = (int)(slot << 3 | fn);
    return true;
}

bool pci_device_requested_devfn(PCIDevice *pd, int *devfn, GError **err)
{
    if (pd->addr == NULL) {
        *devfn = -1;
        return true;
    }
    if (!pci_parse_devfn(pd->addr, devfn)) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "%s: invalid addr '%s'; expected SLOT or SLOT.FN in hex, "
                    "slot 00..1f, function 0..7 (e.g. addr=04.0)",
                    cg_object_type_name(CG_OBJECT(pd)), pd->addr);
        return false;
    }
    return true;
}

char *pci_device_describe(PCIDevice *pd)
{
    const char *id = CG_DEVICE(pd)->id;
    GString *s = g_string_new(cg_object_type_name(CG_OBJECT(pd)));

    if (pd->devfn >= 0) {
        g_string_append_printf(s, " 00:%02x.%x", PCI_SLOT(pd->devfn),
                               PCI_FUNC(pd->devfn));
    }
    if (id != NULL) {
        g_string_append_printf(s, " (id %s)", id);
    }
    return g_string_free(s, FALSE);
}

static uint16_t cfg_word(PCIDevice *pd, unsigned off)
{
    return pci_get_word(pd->config + off);
}

bool pci_bus_master_enabled(PCIDevice *pd)
{
    return (cfg_word(pd, PCI_REG_COMMAND) & PCI_CMD_MASTER) != 0;
}

/* --- BARs ---------------------------------------------------------------- */

static bool is_pow2(uint64_t v)
{
    return v != 0 && (v & (v - 1)) == 0;
}

bool pci_register_bar(PCIDevice *pd, int n, PCIBarKind kind,
                      bool prefetchable, uint64_t size, const MemoryOps *ops,
                      void *opaque, GError **err)
{
    g_autofree char *who = pci_device_describe(pd);
    uint8_t *mask = pd->wmask + PCI_REG_BAR0 + 4 * n;
    uint64_t sizemask = ~(size - 1);
    bool ok = n >= 0 && n < PCI_NUM_BARS && is_pow2(size);

    if (ok) {
        switch (kind) {
        case PCI_BAR_IO:
            ok = size >= 4 && size <= 256;
            break;
        case PCI_BAR_MEM32:
            ok = size >= 16 && size <= (1ull << 31);
            break;
        case PCI_BAR_MEM64:
            ok = size >= 16 && n + 1 < PCI_NUM_BARS &&
                 pd->bars[n + 1].kind == PCI_BAR_NONE;
            break;
        default:
            ok = false;
        }
    }
    if (!ok || pd->bars[n].kind != PCI_BAR_NONE ||
        (n > 0 && pd->bars[n - 1].kind == PCI_BAR_MEM64)) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "%s: cannot register BAR%d of kind %d and size 0x%"
                    G_GINT64_MODIFIER "x", who, n, kind, size);
        return false;
    }
    pd->bars[n] = (PCIBar){
        .kind = kind,
        .prefetchable = prefetchable && kind != PCI_BAR_IO,
        .size = size,
        .ops = ops,
        .opaque = opaque,
        .name = g_strdup_printf("%s BAR%d", who, n),
        .bus_addr = PCI_BAR_UNMAPPED,
    };
    if (kind == PCI_BAR_IO) {
        pci_set_long(mask, (uint32_t)(sizemask & PCI_BAR_IO_MASK));
    } else {
        pci_set_long(mask, (uint32_t)(sizemask & PCI_BAR_MEM_MASK));
    }
    if (kind == PCI_BAR_MEM64) {
        pci_set_long(mask + 4, (uint32_t)(sizemask >> 32));
    }
    return true;
}

/* The low bits a BAR register always reads back (its kind). */
static uint32_t bar_type_bits(const PCIBar *bar)
{
    switch (bar->kind) {
    case PCI_BAR_IO:
        return PCI_BAR_SPACE_IO;
    case PCI_BAR_MEM64:
        return PCI_BAR_MEM_TYPE_64 |
               (bar->prefetchable ? PCI_BAR_MEM_PREFETCH : 0);
    case PCI_BAR_MEM32:
        return bar->prefetchable ? PCI_BAR_MEM_PREFETCH : 0;
    default:
        return 0;
    }
}

uint64_t pci_bar_address(PCIDevice *pd, int n)
{
    const PCIBar *bar;
    uint16_t cmd = cfg_word(pd, PCI_REG_COMMAND);
    uint32_t lo;
    uint64_t addr;

    if (n < 0 || n >= PCI_NUM_BARS) {
        return PCI_BAR_UNMAPPED;
    }
    bar = &pd->bars[n];
    lo = pci_get_long(pd->config + PCI_REG_BAR0 + 4 * n);
    switch (bar->kind) {
    case PCI_BAR_IO:
        if (!(cmd & PCI_CMD_IO)) {
            return PCI_BAR_UNMAPPED;
        }
        addr = lo & PCI_BAR_IO_MASK;
        break;
    case PCI_BAR_MEM32:
        if (!(cmd & PCI_CMD_MEMORY)) {
            return PCI_BAR_UNMAPPED;
        }
        addr = lo & PCI_BAR_MEM_MASK;
        break;
    case PCI_BAR_MEM64:
        if (!(cmd & PCI_CMD_MEMORY)) {
            return PCI_BAR_UNMAPPED;
        }
        addr = (lo & PCI_BAR_MEM_MASK) |
               (uint64_t)pci_get_long(pd->config + PCI_REG_BAR0 + 4 * n + 4)
                   << 32;
        break;
    default:
        return PCI_BAR_UNMAPPED;
    }
    /* 0 is how firmware and guests say "not assigned"; never decode it. */
    if (addr == 0 || addr + (bar->size - 1) < addr) {
        return PCI_BAR_UNMAPPED;
    }
    return addr;
}

static void bar_unmap(PCIBar *bar)
{
    if (bar->region != NULL) {
        address_space_remove_io(bar->space, bar->region);
        bar->region = NULL;
        bar->space = NULL;
    }
}

/*
 * A guest may program any value into a BAR.  Where the result cannot be
 * mapped (outside the host's windows, over RAM or another device), the BAR
 * stays unmapped and the problem is logged once, until the guest moves it
 * somewhere that works.
 */
static void bar_warn(PCIBar *bar, uint64_t addr, const char *why)
{
    if (!bar->warned) {
        cg_warn_report("%s: not mapped at 0x%" G_GINT64_MODIFIER "x: %s; "
                       "it stays unmapped until the guest moves it",
                       bar->name, addr, why);
        bar->warned = true;
    }
}

static void bar_update(PCIDevice *pd, int n)
{
    PCIBar *bar = &pd->bars[n];
    uint64_t addr = pci_bar_address(pd, n);
    g_autoptr(GError) local = NULL;
    AddressSpace *space;
    uint64_t cpu;

    if (addr == bar->bus_addr) {
        return;
    }
    bar->bus_addr = addr;
    if (addr == PCI_BAR_UNMAPPED) {
        bar_unmap(bar);
        bar->warned = false;
        return;
    }
    if (pd->host == NULL ||
        !pci_host_translate(pd->host, bar->kind, addr, bar->size, &space,
                            &cpu)) {
        bar_unmap(bar);
        bar_warn(bar, addr, "outside the PCI host's address windows");
        return;
    }
    if (bar->region != NULL && bar->space == space) {
        if (address_space_move_io(space, bar->region, cpu, &local)) {
            bar->warned = false;
            return;
        }
        bar_unmap(bar);
    } else {
        bar_unmap(bar);
        bar->region = address_space_add_io(space, bar->name, cpu, bar->size,
                                           bar->ops, bar->opaque, &local);
        if (bar->region != NULL) {
            bar->space = space;
            bar->warned = false;
            return;
        }
    }
    bar_warn(bar, addr, local->message);
}

static void update_mappings(PCIDevice *pd)
{
    for (int n = 0; n < PCI_NUM_BARS; n++) {
        if (pd->bars[n].kind != PCI_BAR_NONE) {
            bar_update(pd, n);
        }
    }
}

/* --- capabilities and INTx ------------------------------------------------ */

uint8_t pci_add_capability(PCIDevice *pd, uint8_t id, uint8_t size,
                           GError **err)
{
    unsigned off = pd->cap_next;

    if (size < 2 || off + size > PCI_CONFIG_SIZE) {
        g_autofree char *who = pci_device_describe(pd);
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "%s: no room for a capability of %u bytes in "
                    "configuration space", who, size);
        return 0;
    }
    pd->config[off] = id;
    pd->config[off + 1] = pd->config[PCI_REG_CAP_PTR];
    pd->config[PCI_REG_CAP_PTR] = (uint8_t)off;
    pci_set_word(pd->config + PCI_REG_STATUS,
                 cfg_word(pd, PCI_REG_STATUS) | PCI_STATUS_CAP_LIST);
    pd->cap_next = (uint8_t)MIN((off + size + 3) & ~3u, 0xffu);
    return (uint8_t)off;
}

bool pci_intx_asserted(PCIDevice *pd)
{
    return pd->intx_level && pd->config[PCI_REG_INT_PIN] != 0 &&
           !(cfg_word(pd, PCI_REG_COMMAND) & PCI_CMD_INTX_DISABLE);
}

void pci_set_irq(PCIDevice *pd, int level)
{
    uint16_t status = cfg_word(pd, PCI_REG_STATUS);

    if (pd->intx_level == (level != 0)) {
        return;
    }
    pd->intx_level = level != 0;
    /* The status bit shows the request even while INTX_DISABLE masks it. */
    status = pd->intx_level ? status | PCI_STATUS_INTX
                            : status & ~PCI_STATUS_INTX;
    pci_set_word(pd->config + PCI_REG_STATUS, status);
    if (pd->host != NULL) {
        pci_host_update_intx(pd->host, pd);
    }
}

/* --- configuration space accesses --------------------------------------- */

static bool overlaps(uint32_t a, unsigned alen, uint32_t b, unsigned blen)
{
    return a < b + blen && b < a + alen;
}

uint32_t pci_device_config_read(PCIDevice *pd, uint32_t off, unsigned size)
{
    PCIDeviceClass *pc = CG_PCI_DEVICE_GET_CLASS(pd);
    uint32_t val = 0;

    if ((size != 1 && size != 2 && size != 4) || off >= PCI_CONFIG_SIZE ||
        size > PCI_CONFIG_SIZE - off) {
        return size >= 4 ? UINT32_MAX : (1u << (8 * size)) - 1;
    }
    for (unsigned i = 0; i < size; i++) {
        val |= (uint32_t)pd->config[off + i] << (8 * i);
    }
    if (pc->config_read != NULL) {
        val = pc->config_read(pd, off, size, val);
    }
    return val;
}

void pci_device_config_write(PCIDevice *pd, uint32_t off, uint32_t val,
                             unsigned size)
{
    PCIDeviceClass *pc = CG_PCI_DEVICE_GET_CLASS(pd);
    uint16_t old_cmd = cfg_word(pd, PCI_REG_COMMAND);
    uint16_t old_msix_ctrl = 0;
    uint8_t msix_cap = 0;

    if ((size != 1 && size != 2 && size != 4) || off >= PCI_CONFIG_SIZE ||
        size > PCI_CONFIG_SIZE - off) {
        return;
    }
    if (pd->msix != NULL) {
        msix_cap = msix_cap_offset(pd);
        old_msix_ctrl = cfg_word(pd, msix_cap + PCI_MSIX_CTRL);
    }
    for (unsigned i = 0; i < size; i++) {
        uint8_t b = (uint8_t)(val >> (8 * i));
        uint8_t *c = &pd->config[off + i];

        *c = (uint8_t)((*c & ~pd->wmask[off + i]) | (b & pd->wmask[off + i]));
        *c &= (uint8_t)~(b & pd->w1cmask[off + i]);
    }
    if (pc->config_write != NULL) {
        pc->config_write(pd, off, val, size);
    }
    if (overlaps(off, size, PCI_REG_COMMAND, 2) ||
        overlaps(off, size, PCI_REG_BAR0, 4 * PCI_NUM_BARS)) {
        update_mappings(pd);
    }
    if (((old_cmd ^ cfg_word(pd, PCI_REG_COMMAND)) & PCI_CMD_INTX_DISABLE) &&
        pd->host != NULL) {
        pci_host_update_intx(pd->host, pd);
    }
    if (msix_cap != 0 && overlaps(off, size, msix_cap, PCI_MSIX_CAP_SIZE)) {
        msix_config_write(pd, off, size, old_msix_ctrl);
    }
}

/* --- life cycle ----------------------------------------------------------- */

static void init_header(PCIDevice *pd)
{
    PCIDeviceClass *pc = CG_PCI_DEVICE_GET_CLASS(pd);
    uint8_t *c = pd->config;

    memset(pd->config, 0, sizeof(pd->config));
    memset(pd->wmask, 0, sizeof(pd->wmask));
    memset(pd->w1cmask, 0, sizeof(pd->w1cmask));
    pci_set_word(c + PCI_REG_VENDOR_ID, pc->vendor_id);
    pci_set_word(c + PCI_REG_DEVICE_ID, pc->device_id);
    c[PCI_REG_REVISION] = pc->revision;
    c[PCI_REG_CLASS_PROG] = (uint8_t)pc->class_code;
    c[PCI_REG_CLASS_PROG + 1] = (uint8_t)(pc->class_code >> 8);
    c[PCI_REG_CLASS_PROG + 2] = (uint8_t)(pc->class_code >> 16);
    c[PCI_REG_HEADER_TYPE] = pd->multifunction ? PCI_HEADER_MULTIFUNCTION : 0;
    pci_set_word(c + PCI_REG_SUBSYS_VENDOR, pc->subsystem_vendor_id);
    pci_set_word(c + PCI_REG_SUBSYS_ID, pc->subsystem_id);
    c[PCI_REG_INT_PIN] = pc->interrupt_pin;

    pci_set_word(pd->wmask + PCI_REG_COMMAND, PCI_CMD_WRITABLE);
    pci_set_word(pd->w1cmask + PCI_REG_STATUS, PCI_STATUS_W1C);
    pd->wmask[PCI_REG_CACHE_LINE] = 0xff;
    pd->wmask[PCI_REG_LATENCY] = 0xff;
    pd->wmask[PCI_REG_INT_LINE] = 0xff;
    pd->cap_next = PCI_HEADER_END;
}

static void release_resources(PCIDevice *pd)
{
    for (int n = 0; n < PCI_NUM_BARS; n++) {
        bar_unmap(&pd->bars[n]);
        g_clear_pointer(&pd->bars[n].name, g_free);
        pd->bars[n] = (PCIBar){ .bus_addr = PCI_BAR_UNMAPPED };
    }
    msix_free(pd);
}

static bool pci_device_realize(DeviceState *dev, GError **err)
{
    PCIDevice *pd = CG_PCI_DEVICE(dev);
    PCIDeviceClass *pc = CG_PCI_DEVICE_GET_CLASS(pd);

    if (pd->host == NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "%s is not attached to a PCI bus",
                    cg_object_type_name(CG_OBJECT(pd)));
        return false;
    }
    init_header(pd);
    if (pc->realize != NULL && !pc->realize(pd, err)) {
        release_resources(pd);
        pci_host_unplug(pd->host, pd);
        return false;
    }
    pci_host_assign_bars(pd->host, pd);
    /* A device added to a running machine starts from its reset state. */
    CG_DEVICE_GET_CLASS(dev)->reset(dev);
    return true;
}

static void pci_device_unrealize(DeviceState *dev)
{
    PCIDevice *pd = CG_PCI_DEVICE(dev);
    PCIDeviceClass *pc = CG_PCI_DEVICE_GET_CLASS(pd);

    if (pc->unrealize != NULL) {
        pc->unrealize(pd);
    }
    release_resources(pd);
}

static void pci_device_reset(DeviceState *dev)
{
    PCIDevice *pd = CG_PCI_DEVICE(dev);
    PCIDeviceClass *pc = CG_PCI_DEVICE_GET_CLASS(pd);
    uint8_t *c = pd->config;
    uint8_t line = 0;

    pci_set_word(c + PCI_REG_COMMAND, 0);
    pci_set_word(c + PCI_REG_STATUS,
                 cfg_word(pd, PCI_REG_STATUS) & PCI_STATUS_CAP_LIST);
    c[PCI_REG_CACHE_LINE] = 0;
    c[PCI_REG_LATENCY] = 0;
    for (int n = 0; n < PCI_NUM_BARS; n++) {
        const PCIBar *bar = &pd->bars[n];
        uint8_t *reg = c + PCI_REG_BAR0 + 4 * n;

        if (bar->kind == PCI_BAR_NONE) {
            continue;
        }
        pci_set_long(reg, (uint32_t)bar->assigned | bar_type_bits(bar));
        if (bar->kind == PCI_BAR_MEM64) {
            pci_set_long(reg + 4, (uint32_t)(bar->assigned >> 32));
        }
    }
    if (pd->host != NULL && c[PCI_REG_INT_PIN] != 0) {
        const PCIHostConfig *hc = pci_host_get_config(pd->host);
        if (hc->intx_line != NULL) {
            line = hc->intx_line(hc->opaque, PCI_SLOT(pd->devfn),
                                 c[PCI_REG_INT_PIN] - 1);
        }
    }
    c[PCI_REG_INT_LINE] = line;
    msix_reset(pd);
    update_mappings(pd);
    pci_set_irq(pd, 0);
    if (pc->reset != NULL) {
        pc->reset(pd);
    }
}

static void pci_device_set_property(GObject *obj, guint id,
                                    const GValue *value, GParamSpec *pspec)
{
    PCIDevice *pd = CG_PCI_DEVICE(obj);

    switch (id) {
    case PROP_ADDR:
        g_free(pd->addr);
        pd->addr = g_value_dup_string(value);
        break;
    case PROP_BUS:
        g_free(pd->bus);
        pd->bus = g_value_dup_string(value);
        break;
    case PROP_MULTIFUNCTION:
        pd->multifunction = g_value_get_boolean(value);
        break;
    default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(obj, id, pspec);
    }
}

static void pci_device_get_property(GObject *obj, guint id, GValue *value,
                                    GParamSpec *pspec)
{
    PCIDevice *pd = CG_PCI_DEVICE(obj);

    switch (id) {
    case PROP_ADDR:
        g_value_set_string(value, pd->addr);
        break;
    case PROP_BUS:
        g_value_set_string(value, pd->bus);
        break;
    case PROP_MULTIFUNCTION:
        g_value_set_boolean(value, pd->multifunction);
        break;
    default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(obj, id, pspec);
    }
}

static void pci_device_finalize(GObject *obj)
{
    PCIDevice *pd = CG_PCI_DEVICE(obj);

    release_resources(pd);
    g_free(pd->addr);
    g_free(pd->bus);
    G_OBJECT_CLASS(pci_device_parent_class)->finalize(obj);
}

static void pci_device_class_init(PCIDeviceClass *klass)
{
    GObjectClass *oc = G_OBJECT_CLASS(klass);
    DeviceStateClass *dc = CG_DEVICE_CLASS(klass);
    GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

    oc->set_property = pci_device_set_property;
    oc->get_property = pci_device_get_property;
    oc->finalize = pci_device_finalize;
    dc->bus_type = "PCI";
    dc->realize = pci_device_realize;
    dc->unrealize = pci_device_unrealize;
    dc->reset = pci_device_reset;
    g_object_class_install_property(
        oc, PROP_ADDR,
        g_param_spec_string("addr", "addr",
                            "Slot and function on the PCI bus, SLOT[.FN] in "
                            "hex (e.g. 04.0)", NULL, rw));
    g_object_class_install_property(
        oc, PROP_BUS,
        g_param_spec_string("bus", "bus",
                            "The PCI bus: " PCI_ROOT_BUS_NAME " (the root "
                            "bus, the only one; the default)", NULL, rw));
    g_object_class_install_property(
        oc, PROP_MULTIFUNCTION,
        g_param_spec_boolean("multifunction", "multifunction",
                             "Whether the slot holds several functions",
                             FALSE, rw));
}

static void pci_device_init(PCIDevice *pd)
{
    pd->devfn = -1;
    for (int n = 0; n < PCI_NUM_BARS; n++) {
        pd->bars[n].bus_addr = PCI_BAR_UNMAPPED;
    }
}
