/* pci.c: PCI bus 0 through 0xcf8/0xcfc, and BAR assignment. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "guest.h"

#define PCI_ADDR 0xcf8
#define PCI_DATA 0xcfc
#define PCI_COMMAND 0x04
#define PCI_CMD_DECODE 0x3
#define PCI_BAR0 0x10

static uint32_t cfg_addr(const PciFunc *f, uint8_t off)
{
    return 0x80000000u | ((uint32_t)f->dev << 11) | ((uint32_t)f->fn << 8) |
           (off & 0xfcu);
}

uint32_t pci_read32(const PciFunc *f, uint8_t off)
{
    outl(PCI_ADDR, cfg_addr(f, off));
    return inl(PCI_DATA);
}

uint16_t pci_read16(const PciFunc *f, uint8_t off)
{
    outl(PCI_ADDR, cfg_addr(f, off));
    return inw(PCI_DATA + (off & 2));
}

uint8_t pci_read8(const PciFunc *f, uint8_t off)
{
    outl(PCI_ADDR, cfg_addr(f, off));
    return inb(PCI_DATA + (off & 3));
}

void pci_write32(const PciFunc *f, uint8_t off, uint32_t v)
{
    outl(PCI_ADDR, cfg_addr(f, off));
    outl(PCI_DATA, v);
}

void pci_write16(const PciFunc *f, uint8_t off, uint16_t v)
{
    outl(PCI_ADDR, cfg_addr(f, off));
    outw(PCI_DATA + (off & 2), v);
}

void pci_scan(Guest *g)
{
    bool overflow = false;

    for (uint8_t dev = 0; dev < 32; dev++) {
        uint8_t nfn = 1;

        for (uint8_t fn = 0; fn < nfn; fn++) {
            PciFunc f = { .dev = dev, .fn = fn };
            uint32_t id = pci_read32(&f, 0);

            if ((id & 0xffff) == 0xffff || (id & 0xffff) == 0) {
                continue;
            }
            f.vendor = (uint16_t)id;
            f.device = (uint16_t)(id >> 16);
            f.class_code = pci_read32(&f, 0x08) >> 8;
            f.header_type = pci_read8(&f, 0x0e);
            if (fn == 0 && (f.header_type & 0x80)) {
                nfn = 8;
            }
            if (g->npci == MAX_PCI_FUNCS) {
                overflow = true;
                continue;
            }
            g->pci[g->npci++] = f;
        }
    }
    rep_line(g, "pci.functions=%u", g->npci);
    for (unsigned i = 0; i < g->npci; i++) {
        const PciFunc *f = &g->pci[i];

        rep_line(g, "pci.%u.bdf=00:%02x.%u", i, f->dev, f->fn);
        rep_line(g, "pci.%u.id=%04x:%04x", i, f->vendor, f->device);
        rep_line(g, "pci.%u.class=%06x", i, f->class_code);
    }
    if (overflow) {
        rep_line(g, "pci.overflow=1");
        check(g, false, "pci.scan");
    }
}

uint64_t pci_bar(const PciFunc *f, unsigned n, bool *io)
{
    uint8_t off = (uint8_t)(PCI_BAR0 + 4 * n);
    uint32_t v;

    if (n > 5) {
        return 0;
    }
    v = pci_read32(f, off);
    *io = v & 1;
    if (*io) {
        return v & ~3u;
    }
    if (((v >> 1) & 3) == 2) {
        if (n == 5) {
            return 0;
        }
        return (v & ~0xfull) | ((uint64_t)pci_read32(f, off + 4) << 32);
    }
    return v & ~0xfu;
}

/* Size of the BAR at off from the bits that stay writable; 0: no BAR. */
static uint64_t bar_size(const PciFunc *f, uint8_t off, bool io, bool is64)
{
    uint32_t lo = pci_read32(f, off);
    uint32_t hi = is64 ? pci_read32(f, off + 4) : 0;
    uint32_t raw_lo, raw_hi = 0xffffffffu;
    uint64_t mask;

    pci_write32(f, off, 0xffffffffu);
    raw_lo = pci_read32(f, off);
    pci_write32(f, off, lo);
    if (is64) {
        pci_write32(f, off + 4, 0xffffffffu);
        raw_hi = pci_read32(f, off + 4);
        pci_write32(f, off + 4, hi);
    }
    if (io) {
        mask = (raw_lo & ~3u) | 0xffffffffffff0000ull;
    } else {
        mask = ((uint64_t)raw_hi << 32) | (raw_lo & ~0xfu);
    }
    if (mask == 0 || (io && (raw_lo & ~3u) == 0) ||
        (!io && !is64 && (raw_lo & ~0xfu) == 0)) {
        return 0;
    }
    return ~mask + 1;
}

int pci_assign_bars(Guest *g, const PciFunc *f, bool force)
{
    uint16_t cmd = pci_read16(f, PCI_COMMAND);
    int assigned = 0;

    if (!g->mem_window_next) {
        g->mem_window_next = PCI_MEM_WINDOW_BASE;
        g->io_window_next = PCI_IO_WINDOW_BASE;
    }
    /* No decoding while BARs hold sizing patterns. */
    pci_write16(f, PCI_COMMAND, cmd & ~PCI_CMD_DECODE);
    for (unsigned n = 0; n < 6; n++) {
        uint8_t off = (uint8_t)(PCI_BAR0 + 4 * n);
        uint32_t v = pci_read32(f, off);
        bool io = v & 1;
        bool is64 = !io && ((v >> 1) & 3) == 2 && n < 5;
        bool cur_io;
        uint64_t size, base;

        if (pci_bar(f, n, &cur_io) != 0 && !force) {
            n += is64;
            continue;
        }
        size = bar_size(f, off, io, is64);
        if (size == 0) {
            n += is64;
            continue;
        }
        if (io) {
            base = ALIGN_UP(g->io_window_next, size);
            if (size > 0x1000 || base + size > PCI_IO_WINDOW_END) {
                assigned = -1;
                break;
            }
            g->io_window_next = (uint32_t)(base + size);
        } else {
            base = ALIGN_UP(g->mem_window_next, size);
            if (size > (1ull << 30) || base + size > PCI_MEM_WINDOW_END) {
                assigned = -1;
                break;
            }
            g->mem_window_next = (uint32_t)(base + size);
        }
        pci_write32(f, off, (uint32_t)base);
        if (is64) {
            pci_write32(f, off + 4, 0);
        }
        assigned++;
        n += is64;
    }
    pci_write16(f, PCI_COMMAND, cmd);
    return assigned;
}
