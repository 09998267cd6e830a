/* The abstract virtio-pci transport: properties, layout, interrupts. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "virtio-pci-internal.h"

#include "hw/pci/msix.h"
#include "util/error.h"

enum {
    PROP_0,
    PROP_DISABLE_LEGACY,
    PROP_DISABLE_MODERN,
    PROP_IOMMU_PLATFORM,
    PROP_VECTORS,
};

CG_DEFINE_TYPE_EXTENDED(VirtIOPCIProxy, virtio_pci, TYPE_VIRTIO_PCI,
                        CG_TYPE_PCI_DEVICE, G_TYPE_FLAG_ABSTRACT,
                        G_IMPLEMENT_INTERFACE(CG_TYPE_VIRTIO_DEVICE, NULL))

/* The virtio_pci_cap structure, and the PCI configuration access one. */
#define VCAP_LEN 2
#define VCAP_TYPE 3
#define VCAP_BAR 4
#define VCAP_OFFSET 8
#define VCAP_LENGTH 12
#define VCAP_SIZE 16
#define VCAP_NOTIFY_MULT 16
#define VCAP_NOTIFY_SIZE 20
#define VCAP_CFG_DATA 16
#define VCAP_CFG_SIZE 20

/* --- interrupts ----------------------------------------------------------- */

void virtio_pci_update_intx(VirtIOPCIProxy *p)
{
    PCIDevice *pd = CG_PCI_DEVICE(p);

    if (!msix_enabled(pd)) {
        pci_set_irq(pd, p->vs->isr != 0);
    }
}

static void virtio_pci_notify(void *opaque, uint16_t vector)
{
    VirtIOPCIProxy *p = opaque;
    PCIDevice *pd = CG_PCI_DEVICE(p);

    if (msix_enabled(pd)) {
        if (vector != VIRTIO_NO_VECTOR) {
            msix_notify(pd, vector);
        }
    } else {
        pci_set_irq(pd, p->vs->isr != 0);
    }
}

static const VirtioTransportOps virtio_pci_transport = {
    .notify = virtio_pci_notify,
};

/* --- the PCI configuration access capability ------------------------------ */

/*
 * The driver names a BAR, an offset and a length (1, 2 or 4) in the
 * capability, then reads or writes pci_cfg_data to access that BAR
 * through configuration space (for firmware that cannot map BARs).
 */
static bool cfg_window(VirtIOPCIProxy *p, const PCIBar **bar, uint32_t *off,
                       unsigned *len)
{
    PCIDevice *pd = CG_PCI_DEVICE(p);
    const uint8_t *cap = pd->config + p->cfg_cap;
    uint8_t n = cap[VCAP_BAR];

    *off = pci_get_long(cap + VCAP_OFFSET);
    *len = pci_get_long(cap + VCAP_LENGTH);
    if (n >= PCI_NUM_BARS || pd->bars[n].kind == PCI_BAR_NONE ||
        (*len != 1 && *len != 2 && *len != 4) ||
        !range_within(*off, *len, 0, pd->bars[n].size)) {
        return false;
    }
    *bar = &pd->bars[n];
    return true;
}

static bool touches_cfg_data(VirtIOPCIProxy *p, uint32_t off, unsigned size)
{
    uint32_t data = p->cfg_cap + VCAP_CFG_DATA;

    return p->cfg_cap != 0 && off < data + 4 && data < off + size;
}

static uint32_t virtio_pci_config_read(PCIDevice *pd, uint32_t off,
                                       unsigned size, uint32_t val)
{
    VirtIOPCIProxy *p = CG_VIRTIO_PCI(pd);
    uint8_t *data = pd->config + p->cfg_cap + VCAP_CFG_DATA;
    const PCIBar *bar;
    uint32_t boff;
    unsigned len;

    if (!touches_cfg_data(p, off, size) || !cfg_window(p, &bar, &boff, &len)) {
        return val;
    }
    pci_set_long(data, (uint32_t)bar->ops->read(bar->opaque, boff, len));
    val = 0;
    for (unsigned i = 0; i < size; i++) {
        val |= (uint32_t)pd->config[off + i] << (8 * i);
    }
    return val;
}

static void virtio_pci_config_write(PCIDevice *pd, uint32_t off, uint32_t val,
                                    unsigned size)
{
    VirtIOPCIProxy *p = CG_VIRTIO_PCI(pd);
    const PCIBar *bar;
    uint32_t boff;
    unsigned len;

    if (!touches_cfg_data(p, off, size) || !cfg_window(p, &bar, &boff, &len)) {
        return;
    }
    bar->ops->write(bar->opaque, boff,
                    pci_get_long(pd->config + p->cfg_cap + VCAP_CFG_DATA) &
                        (len == 4 ? UINT32_MAX : (1u << (8 * len)) - 1),
                    len);
}

/* --- realize -------------------------------------------------------------- */

static bool add_vendor_cap(PCIDevice *pd, uint8_t type, uint8_t size,
                           uint32_t offset, uint32_t length, uint8_t *at,
                           GError **err)
{
    uint8_t cap = pci_add_capability(pd, PCI_CAP_ID_VENDOR, size, err);
    uint8_t *c = pd->config + cap;

    if (cap == 0) {
        return false;
    }
    c[VCAP_LEN] = size;
    c[VCAP_TYPE] = type;
    c[VCAP_BAR] = type == VIRTIO_PCI_CAP_PCI_CFG ? 0 : VIRTIO_PCI_MODERN_BAR;
    pci_set_long(c + VCAP_OFFSET, offset);
    pci_set_long(c + VCAP_LENGTH, length);
    if (at != NULL) {
        *at = cap;
    }
    return true;
}

static bool add_modern(VirtIOPCIProxy *p, GError **err)
{
    PCIDevice *pd = CG_PCI_DEVICE(p);
    uint8_t notify = 0, cfg = 0;

    if (!pci_register_bar(pd, VIRTIO_PCI_MODERN_BAR, PCI_BAR_MEM64, true,
                          VIRTIO_PCI_MODERN_SIZE, &virtio_pci_modern_ops, p,
                          err) ||
        !add_vendor_cap(pd, VIRTIO_PCI_CAP_COMMON, VCAP_SIZE,
                        VIRTIO_PCI_COMMON_OFF, VIRTIO_PCI_REGION_SIZE, NULL,
                        err) ||
        !add_vendor_cap(pd, VIRTIO_PCI_CAP_ISR, VCAP_SIZE, VIRTIO_PCI_ISR_OFF,
                        VIRTIO_PCI_REGION_SIZE, NULL, err) ||
        !add_vendor_cap(pd, VIRTIO_PCI_CAP_DEVICE, VCAP_SIZE,
                        VIRTIO_PCI_DEVICE_OFF, VIRTIO_PCI_REGION_SIZE, NULL,
                        err) ||
        !add_vendor_cap(pd, VIRTIO_PCI_CAP_NOTIFY, VCAP_NOTIFY_SIZE,
                        VIRTIO_PCI_NOTIFY_OFF, VIRTIO_PCI_REGION_SIZE,
                        &notify, err) ||
        !add_vendor_cap(pd, VIRTIO_PCI_CAP_PCI_CFG, VCAP_CFG_SIZE, 0, 0, &cfg,
                        err)) {
        return false;
    }
    pci_set_long(pd->config + notify + VCAP_NOTIFY_MULT,
                 VIRTIO_PCI_NOTIFY_MULT);
    /* The driver chooses bar, offset and length, and writes the data. */
    pd->wmask[cfg + VCAP_BAR] = 0xff;
    pci_set_long(pd->wmask + cfg + VCAP_OFFSET, UINT32_MAX);
    pci_set_long(pd->wmask + cfg + VCAP_LENGTH, UINT32_MAX);
    pci_set_long(pd->wmask + cfg + VCAP_CFG_DATA, UINT32_MAX);
    p->cfg_cap = cfg;
    return true;
}

static uint64_t pow2_ceil(uint64_t v)
{
    uint64_t r = 1;

    while (r < v) {
        r <<= 1;
    }
    return r;
}

static bool check_interfaces(VirtIOPCIProxy *p, GError **err)
{
    const char *nick = p->disable_legacy == ON_OFF_AUTO_AUTO ? "auto" : "off";

    /* Every PCI bus of cgemu is conventional PCI: auto means legacy on. */
    p->legacy = p->disable_legacy != ON_OFF_AUTO_ON;
    p->modern = !p->disable_modern;
    if (!p->legacy && !p->modern) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "disable-legacy=on and disable-modern=on leave the device "
                    "no interface; turn one of them off");
        return false;
    }
    if (p->iommu_platform && !p->modern) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "iommu_platform=on needs the modern virtio interface, "
                    "but disable-modern=on turns it off; use "
                    "disable-modern=off,disable-legacy=on");
        return false;
    }
    if (p->iommu_platform && p->legacy) {
        /* QEMU refuses too: a legacy driver cannot accept the feature. */
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "iommu_platform=on needs a modern-only device, but the "
                    "legacy interface is on (disable-legacy=%s); add "
                    "disable-legacy=on", nick);
        return false;
    }
    return true;
}

static bool virtio_pci_realize(PCIDevice *pd, GError **err)
{
    VirtIOPCIProxy *p = CG_VIRTIO_PCI(pd);
    VirtIOPCIProxyClass *vc = CG_VIRTIO_PCI_GET_CLASS(p);
    MachineState *ms = CG_DEVICE(pd)->machine;
    g_autofree char *label = NULL;
    uint64_t features = VIRTIO_BIT(VIRTIO_F_INDIRECT_DESC);
    VirtioState *vs;

    if (!check_interfaces(p, err)) {
        return false;
    }
    if (p->nvectors > PCI_MSIX_MAX_VECTORS) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "vectors=%u is too many; MSI-X has at most %u",
                    p->nvectors, PCI_MSIX_MAX_VECTORS);
        return false;
    }
    if (vc->realize_model == NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "%s has no virtio device model to realize",
                    cg_object_type_name(CG_OBJECT(p)));
        return false;
    }
    vs = vc->realize_model(p, err);
    if (vs == NULL) {
        return false;
    }
    p->vs = vs;
    pci_set_word(pd->config + PCI_REG_VENDOR_ID, VIRTIO_PCI_VENDOR);
    pci_set_word(pd->config + PCI_REG_SUBSYS_VENDOR, VIRTIO_PCI_VENDOR);
    if (!p->legacy) {
        pci_set_word(pd->config + PCI_REG_DEVICE_ID,
                     VIRTIO_PCI_DEVICE_MODERN_BASE + vs->device_id);
        pci_set_word(pd->config + PCI_REG_SUBSYS_ID, VIRTIO_PCI_SUBSYS_MODERN);
        pd->config[PCI_REG_REVISION] = 1;
    } else {
        pci_set_word(pd->config + PCI_REG_SUBSYS_ID, vs->device_id);
        pd->config[PCI_REG_REVISION] = 0;
    }
    if (p->legacy &&
        !pci_register_bar(pd, VIRTIO_PCI_LEGACY_BAR, PCI_BAR_IO, false,
                          pow2_ceil(VPCI_LEGACY_HEADER_MSIX + vs->config_len),
                          &virtio_pci_legacy_ops, p, err)) {
        goto fail;
    }
    if (p->modern) {
        if (!add_modern(p, err)) {
            goto fail;
        }
        features |= VIRTIO_BIT(VIRTIO_F_VERSION_1);
    }
    if (p->nvectors > 0 &&
        !msix_init(pd, p->nvectors, VIRTIO_PCI_MSIX_BAR, err)) {
        goto fail;
    }
    if (p->iommu_platform) {
        features |= VIRTIO_BIT(VIRTIO_F_ACCESS_PLATFORM);
    }
    label = pci_device_describe(pd);
    virtio_bind(vs, label, ms->mem, &virtio_pci_transport, p, features);
    return true;

fail:
    if (vc->unrealize_model != NULL) {
        vc->unrealize_model(p);
    }
    virtio_cleanup(vs);
    p->vs = NULL;
    return false;
}

static void virtio_pci_unrealize(PCIDevice *pd)
{
    VirtIOPCIProxy *p = CG_VIRTIO_PCI(pd);
    VirtIOPCIProxyClass *vc = CG_VIRTIO_PCI_GET_CLASS(p);

    if (p->vs == NULL) {
        return;
    }
    if (vc->unrealize_model != NULL) {
        vc->unrealize_model(p);
    }
    virtio_cleanup(p->vs);
    p->vs = NULL;
}

static void virtio_pci_reset(PCIDevice *pd)
{
    VirtIOPCIProxy *p = CG_VIRTIO_PCI(pd);

    p->dfselect = 0;
    p->gfselect = 0;
    p->queue_sel = 0;
    if (p->vs != NULL) {
        virtio_reset(p->vs);
    }
}

/* --- properties ----------------------------------------------------------- */

static void virtio_pci_set_property(GObject *obj, guint id,
                                    const GValue *value, GParamSpec *pspec)
{
    VirtIOPCIProxy *p = CG_VIRTIO_PCI(obj);

    switch (id) {
    case PROP_DISABLE_LEGACY:
        p->disable_legacy = g_value_get_enum(value);
        break;
    case PROP_DISABLE_MODERN:
        p->disable_modern = g_value_get_boolean(value);
        break;
    case PROP_IOMMU_PLATFORM:
        p->iommu_platform = g_value_get_boolean(value);
        break;
    case PROP_VECTORS:
        p->nvectors = g_value_get_uint(value);
        break;
    default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(obj, id, pspec);
    }
}

static void virtio_pci_get_property(GObject *obj, guint id, GValue *value,
                                    GParamSpec *pspec)
{
    VirtIOPCIProxy *p = CG_VIRTIO_PCI(obj);

    switch (id) {
    case PROP_DISABLE_LEGACY:
        g_value_set_enum(value, p->disable_legacy);
        break;
    case PROP_DISABLE_MODERN:
        g_value_set_boolean(value, p->disable_modern);
        break;
    case PROP_IOMMU_PLATFORM:
        g_value_set_boolean(value, p->iommu_platform);
        break;
    case PROP_VECTORS:
        g_value_set_uint(value, p->nvectors);
        break;
    default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(obj, id, pspec);
    }
}

static void virtio_pci_class_init(VirtIOPCIProxyClass *klass)
{
    GObjectClass *oc = G_OBJECT_CLASS(klass);
    PCIDeviceClass *pc = CG_PCI_DEVICE_CLASS(klass);
    GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

    oc->set_property = virtio_pci_set_property;
    oc->get_property = virtio_pci_get_property;
    pc->vendor_id = VIRTIO_PCI_VENDOR;
    pc->subsystem_vendor_id = VIRTIO_PCI_VENDOR;
    pc->interrupt_pin = 1;
    pc->realize = virtio_pci_realize;
    pc->unrealize = virtio_pci_unrealize;
    pc->reset = virtio_pci_reset;
    pc->config_read = virtio_pci_config_read;
    pc->config_write = virtio_pci_config_write;
    g_object_class_install_property(
        oc, PROP_DISABLE_LEGACY,
        g_param_spec_enum("disable-legacy", "disable-legacy",
                          "Turn off the legacy (virtio 0.9) interface; "
                          "auto keeps it on a PCI bus",
                          CG_TYPE_ON_OFF_AUTO, ON_OFF_AUTO_AUTO, rw));
    g_object_class_install_property(
        oc, PROP_DISABLE_MODERN,
        g_param_spec_boolean("disable-modern", "disable-modern",
                             "Turn off the modern (virtio 1.x) interface",
                             FALSE, rw));
    g_object_class_install_property(
        oc, PROP_VECTORS,
        g_param_spec_uint("vectors", "vectors",
                          "Number of MSI-X vectors; 0 for none (INTx only)",
                          0, PCI_MSIX_MAX_VECTORS, 2, rw));
    g_object_class_override_property(oc, PROP_IOMMU_PLATFORM,
                                     "iommu_platform");
}

static void virtio_pci_init(VirtIOPCIProxy *p)
{
    p->disable_legacy = ON_OFF_AUTO_AUTO;
    p->nvectors = 2;
}
