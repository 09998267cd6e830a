/* pseries boot: the ppc64 ELF kernel, the initrd, RTAS and the tree. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hw/core/loader.h"
#include "hw/ppc/spapr.h"
#include "util/error.h"

#include <string.h>

/* ELF, as the System V ABI and the 64-bit PowerPC ELF ABI define it. */
#define ELF_EHDR_SIZE 64
#define ELF_PHDR_SIZE 56
#define ELF_CLASS64 2
#define ELF_DATA_LSB 1
#define ELF_DATA_MSB 2
#define ELF_ET_EXEC 2
#define ELF_ET_DYN 3
#define ELF_EM_PPC64 21
#define ELF_PT_LOAD 1
#define ELF_MAX_PHDRS 64

/* Linux links ppc64 kernels at this address; physically they start at 0. */
#define PPC64_KERNEL_BASE 0xc000000000000000ull

#define ALIGN_64K(x) (((x) + 0xffffull) & ~0xffffull)

/*
 * The RTAS entry: the guest calls it in big-endian real mode with r3 =
 * the rtas_args block; it makes the KVMPPC_H_RTAS hypercall with r4 =
 * that block and returns.
 *     mr r4,r3 ; lis r3,0 ; ori r3,r3,0xf000 ; sc 1 ; blr
 */
static const uint8_t rtas_stub[] = {
    0x7c, 0x64, 0x1b, 0x78,
    0x3c, 0x60, 0x00, 0x00,
    0x60, 0x63, 0xf0, 0x00,
    0x44, 0x00, 0x00, 0x22,
    0x4e, 0x80, 0x00, 0x20,
};

typedef struct {
    const uint8_t *data;
    gsize len;
    bool le;
    const char *path;
} ElfImage;

static uint64_t elf_get(const ElfImage *e, uint64_t off, unsigned size)
{
    uint64_t v = 0;

    for (unsigned i = 0; i < size; i++) {
        unsigned byte = e->le ? size - 1 - i : i;
        v = v << 8 | e->data[off + byte];
    }
    return v;
}

static uint64_t kernel_phys(uint64_t addr)
{
    return addr >= PPC64_KERNEL_BASE ? addr - PPC64_KERNEL_BASE : addr;
}

static bool elf_check_header(ElfImage *e, GError **err)
{
    unsigned type, machine;

    if (e->len < ELF_EHDR_SIZE || memcmp(e->data, "\x7f" "ELF", 4) != 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "-kernel %s: not an ELF file; machine pseries boots a "
                    "ppc64 ELF kernel (vmlinux) directly", e->path);
        return false;
    }
    if (e->data[4] != ELF_CLASS64) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "-kernel %s: a 32-bit ELF; machine pseries boots 64-bit "
                    "(ppc64) kernels", e->path);
        return false;
    }
    if (e->data[5] != ELF_DATA_LSB && e->data[5] != ELF_DATA_MSB) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "-kernel %s: the ELF header gives no byte order (%u)",
                    e->path, e->data[5]);
        return false;
    }
    e->le = e->data[5] == ELF_DATA_LSB;
    type = (unsigned)elf_get(e, 16, 2);
    machine = (unsigned)elf_get(e, 18, 2);
    if (machine != ELF_EM_PPC64) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "-kernel %s: an ELF for machine %u, not ppc64 (%u); this "
                    "kernel is for another architecture", e->path, machine,
                    ELF_EM_PPC64);
        return false;
    }
    if (type != ELF_ET_EXEC && type != ELF_ET_DYN) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "-kernel %s: ELF type %u is not an executable; give the "
                    "linked kernel (vmlinux)", e->path, type);
        return false;
    }
    return true;
}

/* Bounds of the program header table, checked. */
static bool elf_phdrs(const ElfImage *e, uint64_t *off, unsigned *n,
                      GError **err)
{
    uint64_t phoff = elf_get(e, 32, 8);
    unsigned entsize = (unsigned)elf_get(e, 54, 2);
    unsigned phnum = (unsigned)elf_get(e, 56, 2);

    if (entsize != ELF_PHDR_SIZE || phnum == 0 || phnum > ELF_MAX_PHDRS ||
        !range_within(phoff, (uint64_t)phnum * ELF_PHDR_SIZE, 0, e->len)) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "-kernel %s: the ELF program headers are missing or "
                    "damaged (%u entries of %u bytes at 0x%" G_GINT64_MODIFIER
                    "x)", e->path, phnum, entsize, phoff);
        return false;
    }
    *off = phoff;
    *n = phnum;
    return true;
}

static bool place_segment(MachineState *ms, const ElfImage *e,
                          const SpaprBootState *boot, uint64_t ph,
                          GError **err)
{
    uint64_t offset = elf_get(e, ph + 8, 8);
    uint64_t paddr = kernel_phys(elf_get(e, ph + 24, 8));
    uint64_t filesz = elf_get(e, ph + 32, 8);
    uint64_t memsz = elf_get(e, ph + 40, 8);
    void *bss;

    if (filesz > memsz || !range_within(offset, filesz, 0, e->len)) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "-kernel %s: an ELF segment lies outside the file "
                    "(0x%" G_GINT64_MODIFIER "x bytes at offset 0x%"
                    G_GINT64_MODIFIER "x)", e->path, filesz, offset);
        return false;
    }
    if (!range_within(paddr, memsz, 0, boot->rtas_addr)) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "-kernel %s: a segment of 0x%" G_GINT64_MODIFIER "x bytes "
                    "at 0x%" G_GINT64_MODIFIER "x does not fit below the "
                    "firmware area at 0x%" G_GINT64_MODIFIER "x; give the "
                    "guest more memory with -m", e->path, memsz, paddr,
                    boot->rtas_addr);
        return false;
    }
    if (filesz > 0 &&
        !loader_place(ms, "kernel", paddr, e->data + offset, filesz, err)) {
        return false;
    }
    if (memsz > filesz) {
        /* The BSS: zeroed now, and again at each reset. */
        bss = guest_ram_ptr(ms->mem, paddr + filesz, memsz - filesz);
        if (bss != NULL) {
            memset(bss, 0, memsz - filesz);
        }
        return loader_record(ms, "kernel", paddr + filesz, memsz - filesz,
                             err);
    }
    return true;
}

static bool load_elf(MachineState *ms, ElfImage *e, SpaprBootState *boot,
                     GError **err)
{
    uint64_t phoff, entry;
    unsigned phnum;
    bool any = false;

    if (!elf_check_header(e, err) || !elf_phdrs(e, &phoff, &phnum, err)) {
        return false;
    }
    boot->kernel_base = UINT64_MAX;
    boot->kernel_end = 0;
    for (unsigned i = 0; i < phnum; i++) {
        uint64_t ph = phoff + (uint64_t)i * ELF_PHDR_SIZE;
        uint64_t paddr = kernel_phys(elf_get(e, ph + 24, 8));
        uint64_t memsz = elf_get(e, ph + 40, 8);

        if (elf_get(e, ph, 4) != ELF_PT_LOAD || memsz == 0) {
            continue;
        }
        if (!place_segment(ms, e, boot, ph, err)) {
            return false;
        }
        boot->kernel_base = MIN(boot->kernel_base, paddr);
        boot->kernel_end = MAX(boot->kernel_end, paddr + memsz);
        any = true;
    }
    entry = kernel_phys(elf_get(e, 24, 8));
    if (!any || entry < boot->kernel_base || entry >= boot->kernel_end) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "-kernel %s: the entry point 0x%" G_GINT64_MODIFIER "x "
                    "is not in a loaded segment", e->path, entry);
        return false;
    }
    boot->entry = entry;
    boot->kernel_le = e->le;
    boot->have_kernel = true;
    return true;
}

static bool load_initrd(MachineState *ms, SpaprBootState *boot,
                        GError **err)
{
    g_autofree char *data = NULL;
    gsize len = 0;
    uint64_t base = ALIGN_64K(boot->kernel_end);

    if (!loader_read_file("-initrd", ms->initrd, ms->ram_size, &data, &len,
                          err)) {
        return false;
    }
    if (!range_within(base, len, 0, boot->rtas_addr)) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "-initrd %s: %zu bytes do not fit in guest RAM between "
                    "the kernel (ending at 0x%" G_GINT64_MODIFIER "x) and "
                    "the firmware area at 0x%" G_GINT64_MODIFIER "x; give "
                    "the guest more memory with -m", ms->initrd, (size_t)len,
                    boot->kernel_end, boot->rtas_addr);
        return false;
    }
    boot->initrd_base = base;
    boot->initrd_size = len;
    return len == 0 || loader_place(ms, "initrd", base, data, len, err);
}

bool spapr_boot_load(MachineState *ms, SpaprBootState *boot, GError **err)
{
    g_autofree char *kernel = NULL;
    ElfImage e = { .path = ms->kernel };

    *boot = (SpaprBootState){ 0 };
    boot->fw_top = MIN(ms->ram_size, SPAPR_RMA_MAX);
    boot->fdt_addr = boot->fw_top - SPAPR_FDT_MAX_SIZE;
    boot->rtas_addr = boot->fdt_addr - SPAPR_RTAS_SIZE;
    if (ms->firmware != NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "-bios %s: machine pseries has no firmware to replace; "
                    "cgemu boots a ppc64 kernel directly with -kernel",
                    ms->firmware);
        return false;
    }
    if (ms->kernel == NULL) {
        const char *opt = ms->initrd ? "-initrd" : "-append";
        const char *val = ms->initrd ? ms->initrd : ms->append;

        if (val != NULL) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "%s %s: only valid with -kernel (it goes to the "
                        "kernel cgemu loads)", opt, val);
            return false;
        }
        return true;
    }
    if (!loader_read_file("-kernel", ms->kernel, ms->ram_size, &kernel,
                          &e.len, err)) {
        return false;
    }
    e.data = (const uint8_t *)kernel;
    if (!load_elf(ms, &e, boot, err)) {
        return false;
    }
    return ms->initrd == NULL || load_initrd(ms, boot, err);
}

bool spapr_boot_place_firmware(MachineState *ms, const SpaprBootState *boot,
                               GBytes *fdt, GError **err)
{
    gsize len = 0;
    const void *data = g_bytes_get_data(fdt, &len);

    return loader_place(ms, "rtas", boot->rtas_addr, rtas_stub,
                        sizeof(rtas_stub), err) &&
           loader_place(ms, "device-tree", boot->fdt_addr, data, len, err);
}
