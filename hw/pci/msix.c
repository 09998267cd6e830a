/* MSI-X: the capability, the vector table and pending bits in a BAR. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hw/pci/msix.h"

#include "util/error.h"

#include <string.h>

struct PCIMsix {
    uint8_t cap;              /* offset of the capability */
    unsigned nvectors;
    uint64_t pba_off;         /* within the BAR; the table is at 0 */
    uint8_t *table;           /* nvectors entries of 16 bytes */
    uint8_t *pba;             /* one bit per vector, in 64-bit words */
    unsigned pba_len;
    bool warned;              /* a dropped message was logged */
};

uint8_t msix_cap_offset(PCIDevice *pd)
{
    return pd->msix ? pd->msix->cap : 0;
}

unsigned msix_nvectors(PCIDevice *pd)
{
    return pd->msix ? pd->msix->nvectors : 0;
}

static uint16_t ctrl_of(PCIDevice *pd)
{
    return pci_get_word(pd->config + pd->msix->cap + PCI_MSIX_CTRL);
}

bool msix_enabled(PCIDevice *pd)
{
    return pd->msix != NULL && (ctrl_of(pd) & PCI_MSIX_CTRL_ENABLE);
}

static bool vector_masked(PCIDevice *pd, unsigned v)
{
    const uint8_t *e = pd->msix->table + v * PCI_MSIX_ENTRY_SIZE;

    return (ctrl_of(pd) & PCI_MSIX_CTRL_MASKALL) ||
           (pci_get_long(e + PCI_MSIX_ENTRY_CTRL) & PCI_MSIX_ENTRY_MASKED);
}

bool msix_is_pending(PCIDevice *pd, unsigned vector)
{
    return pd->msix != NULL && vector < pd->msix->nvectors &&
           (pd->msix->pba[vector / 8] & (1u << (vector % 8)));
}

static void set_pending(PCIDevice *pd, unsigned v, bool on)
{
    uint8_t bit = (uint8_t)(1u << (v % 8));

    if (on) {
        pd->msix->pba[v / 8] |= bit;
    } else {
        pd->msix->pba[v / 8] &= (uint8_t)~bit;
    }
}

static void send(PCIDevice *pd, unsigned v)
{
    const uint8_t *e = pd->msix->table + v * PCI_MSIX_ENTRY_SIZE;
    uint64_t addr = pci_get_long(e + PCI_MSIX_ENTRY_ADDR_LO) |
                    (uint64_t)pci_get_long(e + PCI_MSIX_ENTRY_ADDR_HI) << 32;
    uint32_t data = pci_get_long(e + PCI_MSIX_ENTRY_DATA);
    MachineState *ms = CG_DEVICE(pd)->machine;

    /* An MSI is a memory write by the device: no bus master, no message. */
    if (!pci_bus_master_enabled(pd)) {
        return;
    }
    if (ms == NULL || ms->msi_send == NULL ||
        !ms->msi_send(ms->msi_opaque, addr, data)) {
        if (!pd->msix->warned) {
            g_autofree char *who = pci_device_describe(pd);
            cg_warn_report("%s: MSI-X vector %u (address 0x%"
                           G_GINT64_MODIFIER "x, data 0x%x) could not be "
                           "delivered", who, v, addr, data);
            pd->msix->warned = true;
        }
    }
}

void msix_notify(PCIDevice *pd, unsigned vector)
{
    if (!msix_enabled(pd) || vector >= pd->msix->nvectors) {
        return;
    }
    if (vector_masked(pd, vector)) {
        set_pending(pd, vector, true);
        return;
    }
    send(pd, vector);
}

/* Sends what became deliverable after an unmask. */
static void deliver_pending(PCIDevice *pd)
{
    if (!msix_enabled(pd)) {
        return;
    }
    for (unsigned v = 0; v < pd->msix->nvectors; v++) {
        if (msix_is_pending(pd, v) && !vector_masked(pd, v)) {
            set_pending(pd, v, false);
            send(pd, v);
        }
    }
}

static uint64_t msix_bar_read(void *opaque, uint64_t off, unsigned size)
{
    PCIDevice *pd = opaque;
    PCIMsix *m = pd->msix;
    uint64_t table_len = (uint64_t)m->nvectors * PCI_MSIX_ENTRY_SIZE;
    uint64_t v = 0;

    for (unsigned i = 0; i < size; i++) {
        uint64_t o = off + i;
        uint8_t b = 0;

        if (o < table_len) {
            b = m->table[o];
        } else if (o >= m->pba_off && o - m->pba_off < m->pba_len) {
            b = m->pba[o - m->pba_off];
        }
        v |= (uint64_t)b << (8 * i);
    }
    return v;
}

static void msix_bar_write(void *opaque, uint64_t off, uint64_t val,
                           unsigned size)
{
    PCIDevice *pd = opaque;
    PCIMsix *m = pd->msix;
    uint64_t table_len = (uint64_t)m->nvectors * PCI_MSIX_ENTRY_SIZE;
    bool ctrl_written = false;

    /* The pending bits are read-only; only the table takes writes. */
    for (unsigned i = 0; i < size; i++) {
        uint64_t o = off + i;

        if (o < table_len) {
            m->table[o] = (uint8_t)(val >> (8 * i));
            ctrl_written |= o % PCI_MSIX_ENTRY_SIZE >= PCI_MSIX_ENTRY_CTRL;
        }
    }
    if (ctrl_written) {
        deliver_pending(pd);
    }
}

static const MemoryOps msix_bar_ops = {
    .read = msix_bar_read,
    .write = msix_bar_write,
};

bool msix_init(PCIDevice *pd, unsigned nvectors, int bar, GError **err)
{
    PCIMsix *m;
    uint64_t table_len = (uint64_t)nvectors * PCI_MSIX_ENTRY_SIZE;
    uint64_t size = 4096;
    uint8_t cap;

    if (nvectors == 0 || nvectors > PCI_MSIX_MAX_VECTORS || pd->msix) {
        g_autofree char *who = pci_device_describe(pd);
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "%s: MSI-X takes 1 to %u vectors, not %u", who,
                    PCI_MSIX_MAX_VECTORS, nvectors);
        return false;
    }
    m = g_new0(PCIMsix, 1);
    m->nvectors = nvectors;
    /* As QEMU lays it out: the pending bits at 2 KiB for small tables. */
    m->pba_off = MAX(2048, (table_len + 7) & ~7ull);
    m->pba_len = (nvectors + 63) / 64 * 8;
    while (size < m->pba_off + m->pba_len) {
        size *= 2;
    }
    m->table = g_malloc0(table_len);
    m->pba = g_malloc0(m->pba_len);
    pd->msix = m;
    if (!pci_register_bar(pd, bar, PCI_BAR_MEM32, false, size, &msix_bar_ops,
                          pd, err)) {
        msix_free(pd);
        return false;
    }
    cap = pci_add_capability(pd, PCI_CAP_ID_MSIX, PCI_MSIX_CAP_SIZE, err);
    if (cap == 0) {
        msix_free(pd);
        return false;
    }
    m->cap = cap;
    pci_set_word(pd->config + cap + PCI_MSIX_CTRL,
                 (uint16_t)((nvectors - 1) & PCI_MSIX_CTRL_SIZE_MASK));
    pci_set_long(pd->config + cap + PCI_MSIX_TABLE, (uint32_t)bar);
    pci_set_long(pd->config + cap + PCI_MSIX_PBA,
                 (uint32_t)m->pba_off | (uint32_t)bar);
    /* Enable and function mask are the only writable bits. */
    pd->wmask[cap + PCI_MSIX_CTRL + 1] =
        (PCI_MSIX_CTRL_ENABLE | PCI_MSIX_CTRL_MASKALL) >> 8;
    msix_reset(pd);
    return true;
}

void msix_reset(PCIDevice *pd)
{
    PCIMsix *m = pd->msix;

    if (m == NULL) {
        return;
    }
    pci_set_word(pd->config + m->cap + PCI_MSIX_CTRL,
                 ctrl_of(pd) & PCI_MSIX_CTRL_SIZE_MASK);
    memset(m->table, 0, (size_t)m->nvectors * PCI_MSIX_ENTRY_SIZE);
    for (unsigned v = 0; v < m->nvectors; v++) {
        pci_set_long(m->table + v * PCI_MSIX_ENTRY_SIZE + PCI_MSIX_ENTRY_CTRL,
                     PCI_MSIX_ENTRY_MASKED);
    }
    memset(m->pba, 0, m->pba_len);
    m->warned = false;
}

void msix_config_write(PCIDevice *pd, uint32_t off, unsigned size,
                       uint16_t old_ctrl)
{
    uint16_t ctrl = ctrl_of(pd);
    bool was_on = (old_ctrl & PCI_MSIX_CTRL_ENABLE) &&
                  !(old_ctrl & PCI_MSIX_CTRL_MASKALL);
    bool is_on = (ctrl & PCI_MSIX_CTRL_ENABLE) &&
                 !(ctrl & PCI_MSIX_CTRL_MASKALL);

    if ((ctrl & PCI_MSIX_CTRL_ENABLE) && !(old_ctrl & PCI_MSIX_CTRL_ENABLE)) {
        /* Interrupts now go by message: drop the pin. */
        pci_set_irq(pd, 0);
    }
    if (is_on && !was_on) {
        deliver_pending(pd);
    }
}

void msix_free(PCIDevice *pd)
{
    if (pd->msix != NULL) {
        g_free(pd->msix->table);
        g_free(pd->msix->pba);
        g_clear_pointer(&pd->msix, g_free);
    }
}
