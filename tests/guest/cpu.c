/* cpu.c: CPUID report, AP start-up, and exception reporting. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "guest.h"

#define MSR_APIC_BASE 0x1b
#define APIC_BASE_X2APIC (1ull << 10)
#define APIC_BASE_ENABLE (1ull << 11)
#define APIC_BASE_ADDR 0xffffff000ull
#define APIC_SVR 0xf0
#define APIC_ICR_LO 0x300
#define APIC_ICR_HI 0x310
#define X2APIC_MSR(off) (0x800 + ((off) >> 4))
#define ICR_BUSY (1u << 12)
/* destination shorthand "all excluding self", level assert */
#define ICR_ALL_BUT_SELF (3u << 18)
#define ICR_ASSERT (1u << 14)
#define ICR_INIT (5u << 8)
#define ICR_STARTUP (6u << 8)

typedef struct __attribute__((packed)) IdtGate {
    uint16_t off_lo;
    uint16_t sel;
    uint8_t ist;
    uint8_t type;
    uint16_t off_mid;
    uint32_t off_hi;
    uint32_t reserved;
} IdtGate;

typedef struct ExcFrame {
    uint64_t vector;
    uint64_t error;
    uint64_t rip;
    uint64_t cs;
    uint64_t rflags;
    uint64_t rsp;
    uint64_t ss;
} ExcFrame;

/* 32 stubs, 16 bytes apart (start.S) */
extern const uint8_t exc_stubs[];
extern const uint8_t ap_trampoline[], ap_trampoline_count[];
extern const uint8_t ap_trampoline_end[];
void guest_exception(ExcFrame *f);

static IdtGate idt[32] __attribute__((aligned(16)));
/*
 * The one place the guest keeps a pointer in static storage: an exception
 * arrives with no argument, and its report must continue the current one.
 */
static Guest *exc_guest;

void idt_init(Guest *g)
{
    struct __attribute__((packed)) {
        uint16_t limit;
        uint64_t base;
    } desc = { sizeof(idt) - 1, (uint64_t)(uintptr_t)idt };

    for (unsigned i = 0; i < ARRAY_SIZE(idt); i++) {
        uint64_t a = (uintptr_t)exc_stubs + 16 * i;

        idt[i].off_lo = (uint16_t)a;
        idt[i].sel = 0x08;
        idt[i].ist = 0;
        idt[i].type = 0x8e;              /* present, interrupt gate */
        idt[i].off_mid = (uint16_t)(a >> 16);
        idt[i].off_hi = (uint32_t)(a >> 32);
        idt[i].reserved = 0;
    }
    exc_guest = g;
    __asm__ volatile("lidt %0" : : "m"(desc));
}

void guest_exception(ExcFrame *f)
{
    Guest *g = exc_guest;
    static bool nested;
    uint64_t cr2;

    if (nested || !g) {
        /* A fault while reporting a fault: just stop, failed. */
        outl(0xf4, 1);
        for (;;) {
            __asm__ volatile("cli; hlt");
        }
    }
    nested = true;
    __asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
    if (g->linelen) {
        rep_end(g);    /* finish the line the fault interrupted */
    }
    rep_line(g, "exception.vector=%llu", (unsigned long long)f->vector);
    rep_line(g, "exception.error=0x%llx", (unsigned long long)f->error);
    rep_line(g, "exception.rip=0x%llx", (unsigned long long)f->rip);
    rep_line(g, "exception.cr2=0x%llx", (unsigned long long)cr2);
    check(g, false, "exception");
    guest_finish(g);
}

void cpu_report(Guest *g)
{
    uint32_t r[4];
    uint32_t max_ext;
    char vendor[13];
    uint32_t sev_eax = 0, sev_ebx = 0;
    unsigned phys_bits = 0;
    bool sev_leaf;

    cpuid(0, 0, r);
    memcpy(vendor, &r[1], 4);
    memcpy(vendor + 4, &r[3], 4);
    memcpy(vendor + 8, &r[2], 4);
    vendor[12] = '\0';
    for (unsigned i = 0; i < 12; i++) {
        if (vendor[i] < 0x20 || vendor[i] > 0x7e) {
            vendor[i] = '?';
        }
    }
    rep_line(g, "cpu.vendor=%s", vendor);
    rep_line(g, "cpu.max-leaf=0x%x", r[0]);

    cpuid(0x80000000, 0, r);
    max_ext = r[0];
    if (max_ext < 0x80000000 || max_ext > 0x8000ffff) {
        max_ext = 0;
    }
    rep_line(g, "cpu.max-ext-leaf=0x%x", max_ext);
    if (max_ext >= 0x80000008) {
        cpuid(0x80000008, 0, r);
        phys_bits = r[0] & 0xff;
    }
    rep_line(g, "cpu.phys-bits=%u", phys_bits);

    /* Report only: there is no memory encryption to turn on here. */
    sev_leaf = max_ext >= 0x8000001f;
    if (sev_leaf) {
        cpuid(0x8000001f, 0, r);
        sev_eax = r[0];
        sev_ebx = r[1];
    }
    rep_line(g, "cpu.sev-leaf=%s", sev_leaf ? "present" : "absent");
    rep_line(g, "cpu.8000001f.eax=0x%x", sev_eax);
    rep_line(g, "cpu.8000001f.ebx=0x%x", sev_ebx);
    rep_line(g, "cpu.sme=%u", sev_eax & 1);
    rep_line(g, "cpu.sev=%u", (sev_eax >> 1) & 1);
    rep_line(g, "cpu.sev-es=%u", (sev_eax >> 3) & 1);
    rep_line(g, "cpu.cbitpos=%u", sev_ebx & 0x3f);
    rep_line(g, "cpu.reduced-phys-bits=%u", (sev_ebx >> 6) & 0x3f);
}

static void apic_write(uint64_t base, bool x2, uint32_t off, uint32_t v)
{
    if (x2) {
        wrmsr(X2APIC_MSR(off), v);
    } else {
        mmio_write32(base + off, v);
    }
}

static uint32_t apic_read(uint64_t base, bool x2, uint32_t off)
{
    return x2 ? (uint32_t)rdmsr(X2APIC_MSR(off)) : mmio_read32(base + off);
}

static bool apic_ipi(uint64_t base, bool x2, uint32_t icr)
{
    if (x2) {
        /* x2APIC: one 64-bit write, no delivery status to wait for */
        wrmsr(X2APIC_MSR(APIC_ICR_LO), icr);
        return true;
    }
    mmio_write32(base + APIC_ICR_HI, 0);
    mmio_write32(base + APIC_ICR_LO, icr);
    for (Wait w = wait_start(); wait_more(&w);) {
        if (!(mmio_read32(base + APIC_ICR_LO) & ICR_BUSY)) {
            return true;
        }
    }
    return false;
}

/*
 * INIT-SIPI-SIPI broadcast to all other CPUs.  The delays real hardware
 * wants between the steps are left out: virtual CPUs latch INIT and SIPI
 * in order, and the count below is what matters.
 */
void smp_run(Guest *g)
{
    const size_t tsize = (size_t)(ap_trampoline_end - ap_trampoline);
    const size_t count_off = (size_t)(ap_trampoline_count - ap_trampoline);
    volatile uint16_t *count;
    unsigned want = g->opt.smp;
    uint64_t msr, base;
    bool x2, ok = true;
    unsigned online;

    rep_line(g, "smp.requested=%u", want);
    if (!want) {
        return;
    }
    if (g->memmap_entries &&
        !memmap_is_ram(g, AP_TRAMPOLINE_PADDR, 4096)) {
        rep_line(g, "smp.error=trampoline-page-not-ram");
        check(g, false, "cpus");
        return;
    }
    memcpy((void *)(uintptr_t)AP_TRAMPOLINE_PADDR, ap_trampoline, tsize);
    count = (volatile uint16_t *)(uintptr_t)(AP_TRAMPOLINE_PADDR + count_off);
    *count = 0;

    msr = rdmsr(MSR_APIC_BASE);
    if (!(msr & APIC_BASE_ENABLE)) {
        msr |= APIC_BASE_ENABLE;
        wrmsr(MSR_APIC_BASE, msr);
    }
    x2 = (msr & APIC_BASE_X2APIC) != 0;
    base = msr & APIC_BASE_ADDR;
    if (!x2 && !mmu_map(g, base, 4096)) {
        rep_line(g, "smp.error=apic-unmappable");
        check(g, false, "cpus");
        return;
    }
    apic_write(base, x2, APIC_SVR, apic_read(base, x2, APIC_SVR) | 0x1ff);

    if (want > 1) {
        uint32_t vec = AP_TRAMPOLINE_PADDR >> 12;

        ok = apic_ipi(base, x2, ICR_ALL_BUT_SELF | ICR_ASSERT | ICR_INIT) &&
             apic_ipi(base, x2, ICR_ALL_BUT_SELF | ICR_ASSERT |
                      ICR_STARTUP | vec) &&
             apic_ipi(base, x2, ICR_ALL_BUT_SELF | ICR_ASSERT |
                      ICR_STARTUP | vec);
        for (Wait w = wait_start(); ok && *count < want - 1;) {
            if (!wait_more(&w)) {
                break;
            }
        }
    }
    if (!ok) {
        rep_line(g, "smp.error=ipi-not-delivered");
    }
    online = 1 + *count;
    rep_line(g, "cpus.online=%u", online);
    check(g, ok && online == want, "cpus");
}
