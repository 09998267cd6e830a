/* guest.h: shared declarations of the freestanding cgemu test guest. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TEST_GUEST_H
#define TEST_GUEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GUEST_REPORT_VERSION 1

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a) (((x) + (a) - 1) & ~((uint64_t)(a) - 1))
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))

/*
 * Fixed windows the guest assigns unassigned (zero) BARs from.  They lie
 * in the PCI hole of the QEMU-compatible `pc` and `q35` machines (RAM below
 * 4 GiB ends at 3.5 GiB at most there, q35's MMCONFIG is at 0xb0000000) and
 * stay clear of the top 32 MiB below 4 GiB, where firmware places its own
 * BARs and where the APIC/IOAPIC/flash live.
 */
#define PCI_MEM_WINDOW_BASE 0xe0000000u
#define PCI_MEM_WINDOW_END 0xf0000000u
#define PCI_IO_WINDOW_BASE 0xe000u
#define PCI_IO_WINDOW_END 0xf000u

#define MAX_PCI_FUNCS 32
#define MAX_VIRTIO_DEVS 8
#define DUMP_MAX_LEN 4096
#define CMDLINE_MAX 1024

/* Physical page the APs start at (SIPI vector 0x08). */
#define AP_TRAMPOLINE_PADDR 0x8000u

/* --- port and memory-mapped I/O ------------------------------------- */

static inline void outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(uint16_t port, uint16_t v)
{
    __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
    __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;

    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline uint16_t inw(uint16_t port)
{
    uint16_t v;

    __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline uint32_t inl(uint16_t port)
{
    uint32_t v;

    __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline uint8_t mmio_read8(uint64_t a)
{
    return *(volatile uint8_t *)(uintptr_t)a;
}

static inline uint16_t mmio_read16(uint64_t a)
{
    return *(volatile uint16_t *)(uintptr_t)a;
}

static inline uint32_t mmio_read32(uint64_t a)
{
    return *(volatile uint32_t *)(uintptr_t)a;
}

static inline void mmio_write8(uint64_t a, uint8_t v)
{
    *(volatile uint8_t *)(uintptr_t)a = v;
}

static inline void mmio_write16(uint64_t a, uint16_t v)
{
    *(volatile uint16_t *)(uintptr_t)a = v;
}

static inline void mmio_write32(uint64_t a, uint32_t v)
{
    *(volatile uint32_t *)(uintptr_t)a = v;
}

/* Orders ring stores before the notification that publishes them. */
static inline void mem_barrier(void)
{
    __asm__ volatile("mfence" : : : "memory");
}

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    __asm__ volatile("cpuid"
                     : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
                     : "a"(leaf), "c"(sub));
}

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;

    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ volatile("wrmsr"
                     : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/*
 * Bound of every busy-wait on a device: 2^32 TSC ticks (one to a few
 * seconds) or, should the TSC stand still, 2^24 rounds.  It only ends a
 * wait that will never succeed; a working device answers long before, so
 * no result depends on it.
 */
typedef struct Wait {
    uint64_t end;
    uint32_t rounds;
} Wait;

static inline Wait wait_start(void)
{
    Wait w = { rdtsc() + (1ull << 32), 0 };

    return w;
}

/* Call once per round; false once the bound is reached. */
static inline bool wait_more(Wait *w)
{
    __asm__ volatile("pause" : : : "memory");
    return ++w->rounds < (1u << 24) && rdtsc() < w->end;
}

/* --- state ---------------------------------------------------------- */

typedef struct Options {
    bool dump;
    uint64_t dump_gpa;
    uint64_t dump_len;
    bool blk_write;
    bool refuse_access_platform;
    unsigned smp;                 /* 0: not requested */
    int expect_access_platform;   /* -1: no expectation */
    int expect_legacy;            /* -1: no expectation */
    bool pci_reassign;
    int expect_pit;               /* -1: no expectation */
} Options;

typedef struct PciFunc {
    uint8_t dev, fn;
    uint16_t vendor, device;
    uint32_t class_code;      /* base << 16 | sub << 8 | prog-if */
    uint8_t header_type;
} PciFunc;

typedef struct Guest {
    /* the report line being built, sent in 16-byte FIFO loads */
    char line[1280];
    unsigned linelen;
    unsigned lines;
    bool uart_present;

    /* failed checks, comma-separated */
    char failed[512];
    unsigned nfailed;
    bool failed_cut;

    Options opt;
    char cmdline[CMDLINE_MAX];

    uint64_t start_info;
    uint32_t memmap_entries;
    uint64_t memmap_paddr;

    unsigned phys_bits;

    /* DMA-able memory: a bump allocator over a static, identity-mapped arena */
    uint8_t *dma_next;
    uint8_t *dma_end;

    /* extra page-table pages for mappings above 4 GiB */
    unsigned pt_pool_used;

    /* next free addresses in the BAR assignment windows */
    uint32_t mem_window_next;
    uint32_t io_window_next;

    PciFunc pci[MAX_PCI_FUNCS];
    unsigned npci;
    unsigned nvirtio;
} Guest;

/* --- lib.c ------------------------------------------------------------ */

void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
bool str_eq(const char *a, const char *b);
bool parse_u64(const char *s, size_t n, uint64_t *out);
uint32_t crc32(const void *buf, size_t n);
/* snprintf-like subset (%c %s %d %u %x, 0/width, l/ll/z); returns the
 * length written, always NUL-terminated. */
size_t vfmt(char *buf, size_t size, const char *fmt, va_list ap);
size_t fmt(char *buf, size_t size, const char *fmt, ...) PRINTF_LIKE(3, 4);
/* Uninitialised memory for devices; NULL when the arena is used up. */
void *dma_alloc(Guest *g, size_t size, size_t align);

/* --- report.c --------------------------------------------------------- */

void uart_init(Guest *g);
/* One complete report line; the format includes the "key=value" text. */
void rep_line(Guest *g, const char *fmt, ...) PRINTF_LIKE(2, 3);
/* Parts of a long line (hex dumps); the caller ends it with rep_end(). */
void rep_part(Guest *g, const char *fmt, ...) PRINTF_LIKE(2, 3);
void rep_hex(Guest *g, const void *buf, size_t n);
void rep_end(Guest *g);
/* Records and prints check.<name>=pass|fail; returns ok. */
bool check(Guest *g, bool ok, const char *name_fmt, ...) PRINTF_LIKE(3, 4);
/* Prints result and end marker, then writes the verdict to 0xf4. */
__attribute__((noreturn)) void guest_finish(Guest *g);

/* --- cmdline.c -------------------------------------------------------- */

void cmdline_parse(Guest *g);

/* --- mmu.c ------------------------------------------------------------ */

/* Makes [paddr, paddr + len) accessible; identity mapping, uncached above
 * 4 GiB.  Returns false when the range is beyond the CPU's physical
 * address width or the page-table pool is exhausted. */
bool mmu_map(Guest *g, uint64_t paddr, uint64_t len);
bool memmap_is_ram(const Guest *g, uint64_t paddr, uint64_t len);

/* --- cpu.c ------------------------------------------------------------ */

void cpu_report(Guest *g);
void smp_run(Guest *g);
void pit_probe(Guest *g);
void idt_init(Guest *g);

/* --- pci.c ------------------------------------------------------------ */

uint32_t pci_read32(const PciFunc *f, uint8_t off);
uint16_t pci_read16(const PciFunc *f, uint8_t off);
uint8_t pci_read8(const PciFunc *f, uint8_t off);
void pci_write32(const PciFunc *f, uint8_t off, uint32_t v);
void pci_write16(const PciFunc *f, uint8_t off, uint16_t v);
void pci_scan(Guest *g);
/* Base address of BAR n (0 when unassigned/invalid); *io set for I/O. */
uint64_t pci_bar(const PciFunc *f, unsigned n, bool *io);
/* Assigns every zero BAR of f (all BARs with force) from the windows.
 * Returns the number assigned, or -1 when a window is exhausted. */
int pci_assign_bars(Guest *g, const PciFunc *f, bool force);

/* --- virtio.c / virtio-dev.c ------------------------------------------ */

void virtio_probe_all(Guest *g);

#endif
