/* mmu.c: identity mappings above 4 GiB, made when the guest needs them. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "guest.h"

#define PTE_P 0x01ull
#define PTE_RW 0x02ull
#define PTE_PWT 0x08ull
#define PTE_PCD 0x10ull
#define PTE_PS 0x80ull
#define PTE_ADDR 0x000ffffffffff000ull
#define PAGE_2M (2ull << 20)
#define FOUR_GIB (4ull << 30)
#define PT_POOL_PAGES 8

/* Built by start.S; the pool extends it.  Never holds a C-bit. */
extern uint64_t pml4[512];

static uint64_t pt_pool[PT_POOL_PAGES][512]
    __attribute__((aligned(4096), section(".bss.noinit")));

static uint64_t *next_level(Guest *g, uint64_t *entry)
{
    uint64_t *page;

    if (*entry & PTE_P) {
        return (uint64_t *)(uintptr_t)(*entry & PTE_ADDR);
    }
    if (g->pt_pool_used == PT_POOL_PAGES) {
        return NULL;
    }
    page = pt_pool[g->pt_pool_used++];
    memset(page, 0, 4096);
    *entry = (uint64_t)(uintptr_t)page | PTE_P | PTE_RW;
    return page;
}

static unsigned phys_bits(Guest *g)
{
    if (!g->phys_bits) {
        uint32_t r[4];

        cpuid(0x80000000, 0, r);
        if (r[0] >= 0x80000008 && r[0] <= 0x8000ffff) {
            cpuid(0x80000008, 0, r);
            g->phys_bits = r[0] & 0xff;
        } else {
            g->phys_bits = 36;
        }
    }
    return g->phys_bits;
}

bool mmu_map(Guest *g, uint64_t paddr, uint64_t len)
{
    uint64_t end = paddr + len;
    unsigned bits = phys_bits(g);

    if (end < paddr || (bits < 64 && end > (1ull << bits))) {
        return false;
    }
    for (uint64_t a = paddr & ~(PAGE_2M - 1); a < end; a += PAGE_2M) {
        uint64_t *pdpt, *pd;

        if (a < FOUR_GIB) {
            continue;
        }
        pdpt = next_level(g, &pml4[(a >> 39) & 511]);
        if (!pdpt) {
            return false;
        }
        if ((pdpt[(a >> 30) & 511] & (PTE_P | PTE_PS)) == (PTE_P | PTE_PS)) {
            continue;
        }
        pd = next_level(g, &pdpt[(a >> 30) & 511]);
        if (!pd) {
            return false;
        }
        /* Not present before, so no stale TLB entry to flush. */
        pd[(a >> 21) & 511] = a | PTE_P | PTE_RW | PTE_PS | PTE_PWT | PTE_PCD;
    }
    return true;
}
