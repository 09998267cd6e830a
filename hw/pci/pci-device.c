/* The abstract PCI device: bus address and identity. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hw/pci/pci-device.h"

#include "util/cutils.h"
#include "util/error.h"

#include <string.h>

enum {
    PROP_0,
    PROP_ADDR,
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

static void pci_device_set_property(GObject *obj, guint id,
                                    const GValue *value, GParamSpec *pspec)
{
    PCIDevice *pd = CG_PCI_DEVICE(obj);

    switch (id) {
    case PROP_ADDR:
        g_free(pd->addr);
        pd->addr = g_value_dup_string(value);
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
    case PROP_MULTIFUNCTION:
        g_value_set_boolean(value, pd->multifunction);
        break;
    default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(obj, id, pspec);
    }
}

static void pci_device_finalize(GObject *obj)
{
    g_free(CG_PCI_DEVICE(obj)->addr);
    G_OBJECT_CLASS(pci_device_parent_class)->finalize(obj);
}

static void pci_device_class_init(PCIDeviceClass *klass)
{
    GObjectClass *oc = G_OBJECT_CLASS(klass);
    GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

    oc->set_property = pci_device_set_property;
    oc->get_property = pci_device_get_property;
    oc->finalize = pci_device_finalize;
    CG_DEVICE_CLASS(klass)->bus_type = "PCI";
    g_object_class_install_property(
        oc, PROP_ADDR,
        g_param_spec_string("addr", "addr",
                            "Slot and function on the PCI bus, SLOT[.FN] in "
                            "hex (e.g. 04.0)", NULL, rw));
    g_object_class_install_property(
        oc, PROP_MULTIFUNCTION,
        g_param_spec_boolean("multifunction", "multifunction",
                             "Whether the slot holds several functions",
                             FALSE, rw));
}

static void pci_device_init(PCIDevice *pd)
{
    pd->devfn = -1;
}
