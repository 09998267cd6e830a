/* main.c: the test guest's sequence: boot info, CPU, PCI, virtio, dump. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "guest.h"

#define HVM_START_MAGIC 0x336ec578u
#define MEMMAP_TYPE_RAM 1

void guest_main(uint32_t start_info);

/* Layout of the PVH hvm_start_info structure (version 1). */
typedef struct __attribute__((packed)) StartInfo {
    uint32_t magic;
    uint32_t version;
    uint32_t flags;
    uint32_t nr_modules;
    uint64_t modlist_paddr;
    uint64_t cmdline_paddr;
    uint64_t rsdp_paddr;
    uint64_t memmap_paddr;
    uint32_t memmap_entries;
    uint32_t reserved;
} StartInfo;

typedef struct __attribute__((packed)) MemmapEntry {
    uint64_t addr;
    uint64_t size;
    uint32_t type;
    uint32_t reserved;
} MemmapEntry;

bool memmap_is_ram(const Guest *g, uint64_t paddr, uint64_t len)
{
    const MemmapEntry *e = (const MemmapEntry *)(uintptr_t)g->memmap_paddr;

    for (uint32_t i = 0; i < g->memmap_entries; i++) {
        if (e[i].type == MEMMAP_TYPE_RAM && paddr >= e[i].addr &&
            paddr + len <= e[i].addr + e[i].size) {
            return true;
        }
    }
    return false;
}

static void boot_info(Guest *g, uint32_t paddr)
{
    const StartInfo *si = (const StartInfo *)(uintptr_t)paddr;
    bool ok = paddr != 0 && si->magic == HVM_START_MAGIC;
    uint64_t ram = 0;

    rep_line(g, "boot.protocol=pvh");
    rep_line(g, "boot.start-info=%s", ok ? "ok" : "invalid");
    check(g, ok, "boot.start-info");
    if (!ok) {
        return;
    }
    g->start_info = paddr;
    rep_line(g, "boot.start-info-version=%u", si->version);
    rep_line(g, "boot.modules=%u", si->nr_modules);
    rep_line(g, "boot.rsdp=0x%llx", (unsigned long long)si->rsdp_paddr);
    if (si->version >= 1 && si->memmap_paddr &&
        mmu_map(g, si->memmap_paddr,
                (uint64_t)si->memmap_entries * sizeof(MemmapEntry))) {
        const MemmapEntry *e =
            (const MemmapEntry *)(uintptr_t)si->memmap_paddr;

        g->memmap_paddr = si->memmap_paddr;
        g->memmap_entries = si->memmap_entries;
        for (uint32_t i = 0; i < si->memmap_entries; i++) {
            if (e[i].type == MEMMAP_TYPE_RAM) {
                ram += e[i].size;
            }
        }
    }
    rep_line(g, "boot.memmap-entries=%u", g->memmap_entries);
    rep_line(g, "boot.ram-kib=%llu", (unsigned long long)(ram >> 10));

    if (si->cmdline_paddr && mmu_map(g, si->cmdline_paddr, CMDLINE_MAX)) {
        const char *c = (const char *)(uintptr_t)si->cmdline_paddr;
        size_t n = 0;

        while (n < CMDLINE_MAX - 1 && c[n]) {
            g->cmdline[n] = c[n];
            n++;
        }
        g->cmdline[n] = '\0';
        if (c[n]) {
            rep_line(g, "cmdline.truncated=1");
            check(g, false, "cmdline.length");
        }
    }
}

static void dump_memory(Guest *g)
{
    const Options *o = &g->opt;
    const char *err = NULL;

    if (!o->dump) {
        return;
    }
    rep_line(g, "dump.gpa=0x%llx", (unsigned long long)o->dump_gpa);
    rep_line(g, "dump.len=%llu", (unsigned long long)o->dump_len);
    if (o->dump_len > DUMP_MAX_LEN) {
        err = "too-long";
    } else if (!mmu_map(g, o->dump_gpa, o->dump_len)) {
        err = "unmappable";
    }
    if (err) {
        rep_line(g, "dump.error=%s", err);
    } else {
        const void *p = (const void *)(uintptr_t)o->dump_gpa;

        rep_line(g, "dump.crc32=0x%08x", crc32(p, o->dump_len));
        rep_part(g, "dump.hex=");
        rep_hex(g, p, o->dump_len);
        rep_end(g);
    }
    check(g, err == NULL, "dump");
}

void guest_main(uint32_t start_info)
{
    Guest guest;
    Guest *g = &guest;

    memset(g, 0, sizeof(*g));
    uart_init(g);
    idt_init(g);
    /* Firmware may have left a line unfinished: start on a fresh one. */
    rep_end(g);
    g->lines = 0;
    rep_line(g, "report.begin=cgemu-test-guest");
    rep_line(g, "report.version=%u", GUEST_REPORT_VERSION);
    boot_info(g, start_info);
    rep_line(g, "cmdline=%s", g->cmdline);
    cmdline_parse(g);
    cpu_report(g);
    smp_run(g);
    pit_probe(g);
    pci_scan(g);
    virtio_probe_all(g);
    dump_memory(g);
    guest_finish(g);
}
