/* The PVH boot loader: an ELF kernel with a Xen PHYS32 entry note. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hw/core/loader.h"
#include "hw/i386/pc-boot.h"
#include "le-bytes.h"
#include "util/error.h"

#include <string.h>

#define ELF_CLASS32 1
#define ELF_CLASS64 2
#define ELF_DATA_LSB 1
#define EM_386 3
#define EM_X86_64 62
#define PT_LOAD 1
#define PT_NOTE 4
#define PN_XNUM 0xffff
#define XEN_ELFNOTE_PHYS32_ENTRY 18

#define HVM_START_MAGIC 0x336ec578u
#define HVM_START_INFO_SIZE 56
#define HVM_MEMMAP_ENTRY_SIZE 24
#define HVM_MODLIST_ENTRY_SIZE 32

#define PVH_SELECTOR_CS 0x10
#define PVH_SELECTOR_DS 0x18

/* Field offsets of the 32- and 64-bit ELF layouts. */
typedef struct {
    size_t ehdr_size, phoff, phentsize, phnum;
    size_t phdr_size, p_offset, p_paddr, p_filesz, p_memsz, p_align;
    bool wide;
} ElfLayout;

static const ElfLayout elf32 = {
    .ehdr_size = 52, .phoff = 28, .phentsize = 42, .phnum = 44,
    .phdr_size = 32, .p_offset = 4, .p_paddr = 12, .p_filesz = 16,
    .p_memsz = 20, .p_align = 28, .wide = false,
};

static const ElfLayout elf64 = {
    .ehdr_size = 64, .phoff = 32, .phentsize = 54, .phnum = 56,
    .phdr_size = 56, .p_offset = 8, .p_paddr = 24, .p_filesz = 32,
    .p_memsz = 40, .p_align = 48, .wide = true,
};

static uint64_t word_at(const ElfLayout *el, const uint8_t *p)
{
    return el->wide ? le64_at(p) : le32_at(p);
}

bool pvh_is_elf(const uint8_t *data, size_t len)
{
    return len >= 4 && memcmp(data, "\177ELF", 4) == 0;
}

static bool fail(GError **err, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static bool fail(GError **err, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    g_propagate_error(err, g_error_new_valist(CG_ERROR, CG_ERROR_GENERIC,
                                              fmt, ap));
    va_end(ap);
    return false;
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
    return (v + a - 1) & ~(a - 1);
}

/* Looks for the PHYS32 entry note in one PT_NOTE segment. */
static bool scan_notes(const uint8_t *p, uint64_t size, uint64_t align,
                       bool *found, uint32_t *entry, GError **err)
{
    uint64_t off = 0;

    while (size - off >= 12) {
        uint64_t namesz = le32_at(p + off);
        uint64_t descsz = le32_at(p + off + 4);
        uint32_t type = le32_at(p + off + 8);
        uint64_t name_off = off + 12;
        /* Padding aligns offsets from the segment start, not sizes. */
        uint64_t desc_off = align_up(name_off + namesz, align);
        uint64_t next = align_up(desc_off + descsz, align);

        /* The sizes are 32-bit, so none of the sums above overflows. */
        if (desc_off > size || next > size + align - 1 ||
            desc_off + descsz > size) {
            return fail(err, "an ELF note runs past the end of its PT_NOTE "
                        "segment");
        }
        if (type == XEN_ELFNOTE_PHYS32_ENTRY && namesz == 4 &&
            memcmp(p + name_off, "Xen", 4) == 0) {
            uint64_t v;

            if (descsz == 4) {
                v = le32_at(p + desc_off);
            } else if (descsz == 8) {
                v = le64_at(p + desc_off);
            } else {
                return fail(err, "the PVH entry note has a %" G_GUINT64_FORMAT
                            "-byte value; 4 or 8 expected", descsz);
            }
            if (v > UINT32_MAX) {
                return fail(err, "the PVH entry point 0x%" G_GINT64_MODIFIER
                            "x is above 4 GiB; it must be a 32-bit address",
                            v);
            }
            *found = true;
            *entry = (uint32_t)v;
            return true;
        }
        off = MIN(next, size);
    }
    return true;
}

bool pvh_parse(const uint8_t *data, size_t len, PvhImage *img, GError **err)
{
    const ElfLayout *el;
    uint64_t phoff, phentsize, phnum;
    bool found = false;
    bool entry_loaded = false;

    memset(img, 0, sizeof(*img));
    if (!pvh_is_elf(data, len) || len < 20) {
        return fail(err, "not an ELF file");
    }
    if (data[4] != ELF_CLASS32 && data[4] != ELF_CLASS64) {
        return fail(err, "unknown ELF class %u", data[4]);
    }
    el = data[4] == ELF_CLASS64 ? &elf64 : &elf32;
    if (data[5] != ELF_DATA_LSB) {
        return fail(err, "a big-endian ELF cannot be an x86 kernel");
    }
    if (len < el->ehdr_size) {
        return fail(err, "the ELF header is cut short");
    }
    if (le16_at(data + 18) != EM_X86_64 && le16_at(data + 18) != EM_386) {
        return fail(err, "the ELF is for machine %u, not x86",
                    le16_at(data + 18));
    }
    phoff = word_at(el, data + el->phoff);
    phentsize = le16_at(data + el->phentsize);
    phnum = le16_at(data + el->phnum);
    if (phnum == 0 || phnum == PN_XNUM) {
        return fail(err, "the ELF has %s program headers",
                    phnum == 0 ? "no" : "too many");
    }
    if (phentsize < el->phdr_size) {
        return fail(err, "ELF program headers of %" G_GUINT64_FORMAT
                    " bytes are too small", phentsize);
    }
    if (phoff > len || phnum * phentsize > len - phoff) {
        return fail(err, "the ELF program headers lie outside the file");
    }

    img->segments = g_array_new(FALSE, TRUE, sizeof(PvhSegment));
    for (uint64_t i = 0; i < phnum; i++) {
        const uint8_t *ph = data + phoff + i * phentsize;
        uint32_t type = le32_at(ph);
        PvhSegment seg = {
            .offset = word_at(el, ph + el->p_offset),
            .paddr = word_at(el, ph + el->p_paddr),
            .filesz = word_at(el, ph + el->p_filesz),
            .memsz = word_at(el, ph + el->p_memsz),
        };

        if (type != PT_LOAD && type != PT_NOTE) {
            continue;
        }
        if (seg.offset > len || seg.filesz > len - seg.offset) {
            pvh_image_clear(img);
            return fail(err, "ELF segment %" G_GUINT64_FORMAT " lies outside "
                        "the file", i);
        }
        if (type == PT_NOTE) {
            uint64_t align = word_at(el, ph + el->p_align) == 8 ? 8 : 4;

            if (!found && !scan_notes(data + seg.offset, seg.filesz, align,
                                      &found, &img->entry, err)) {
                pvh_image_clear(img);
                return false;
            }
            continue;
        }
        if (seg.filesz > seg.memsz) {
            pvh_image_clear(img);
            return fail(err, "ELF segment %" G_GUINT64_FORMAT " has more "
                        "file bytes than memory bytes", i);
        }
        if (seg.memsz == 0) {
            continue;
        }
        if (seg.paddr >= PC_4G || seg.memsz > PC_4G - seg.paddr) {
            pvh_image_clear(img);
            return fail(err, "ELF segment %" G_GUINT64_FORMAT " (0x%"
                        G_GINT64_MODIFIER "x+0x%" G_GINT64_MODIFIER "x) does "
                        "not lie below 4 GiB", i, seg.paddr, seg.memsz);
        }
        g_array_append_val(img->segments, seg);
    }
    if (!found) {
        pvh_image_clear(img);
        return fail(err, "the ELF has no PVH entry note "
                    "(XEN_ELFNOTE_PHYS32_ENTRY); cgemu boots ELF kernels "
                    "through PVH only");
    }
    for (guint i = 0; i < img->segments->len; i++) {
        PvhSegment *s = &g_array_index(img->segments, PvhSegment, i);
        entry_loaded |= img->entry >= s->paddr &&
                        img->entry - s->paddr < s->memsz;
    }
    if (!entry_loaded) {
        uint32_t entry = img->entry;

        pvh_image_clear(img);
        return fail(err, "the PVH entry point 0x%x lies outside every "
                    "loadable segment", entry);
    }
    return true;
}

void pvh_image_clear(PvhImage *img)
{
    if (img->segments != NULL) {
        g_array_unref(img->segments);
    }
    memset(img, 0, sizeof(*img));
}

static bool place_segments(MachineState *ms, const PvhImage *img,
                           const PcBootFiles *f, uint64_t *end,
                           GError **err)
{
    *end = 0;
    for (guint i = 0; i < img->segments->len; i++) {
        const PvhSegment *s = &g_array_index(img->segments, PvhSegment, i);
        uint8_t *dst;

        if (s->paddr < PC_HIGH_RAM_BASE) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "-kernel %s: ELF segment at 0x%" G_GINT64_MODIFIER
                        "x lies below 1 MiB, where the boot structures go",
                        f->kernel_path, s->paddr);
            return false;
        }
        dst = guest_ram_ptr(ms->mem, s->paddr, s->memsz);
        if (dst == NULL) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "-kernel %s: ELF segment 0x%" G_GINT64_MODIFIER "x+0x%"
                        G_GINT64_MODIFIER "x does not fit in guest RAM; "
                        "give the guest more memory with -m",
                        f->kernel_path, s->paddr, s->memsz);
            return false;
        }
        memcpy(dst, f->kernel + s->offset, s->filesz);
        memset(dst + s->filesz, 0, s->memsz - s->filesz);
        if (!loader_record(ms, "kernel", s->paddr, s->memsz, err)) {
            return false;
        }
        *end = MAX(*end, s->paddr + s->memsz);
    }
    return true;
}

bool pvh_load(MachineState *ms, const PcLayout *l, const PcBootFiles *f,
              X86BootState *boot, GError **err)
{
    g_autoptr(GArray) e820 = pc_e820_table(l);
    uint8_t info[HVM_START_INFO_SIZE] = { 0 };
    uint8_t modlist[HVM_MODLIST_ENTRY_SIZE] = { 0 };
    g_autofree uint8_t *memmap = NULL;
    uint64_t kernel_end, initrd_addr = 0;
    uint32_t entry;
    PvhImage img;
    bool ok;

    if (!pvh_parse(f->kernel, f->kernel_len, &img, err)) {
        g_prefix_error(err, "-kernel %s: ", f->kernel_path);
        return false;
    }
    ok = place_segments(ms, &img, f, &kernel_end, err);
    entry = img.entry;
    pvh_image_clear(&img);
    if (!ok) {
        return false;
    }
    if (f->initrd != NULL &&
        !pc_boot_place_initrd(ms, l, f, PC_4G, kernel_end, &initrd_addr,
                              err)) {
        return false;
    }
    if (!pc_boot_place_cmdline(ms, f, PC_BOOT_CMDLINE_MAX - 1, err)) {
        return false;
    }

    memmap = g_malloc0(e820->len * HVM_MEMMAP_ENTRY_SIZE);
    for (guint i = 0; i < e820->len; i++) {
        const E820Entry *e = &g_array_index(e820, E820Entry, i);
        uint8_t *p = memmap + i * HVM_MEMMAP_ENTRY_SIZE;

        put_le64(p, e->addr);
        put_le64(p + 8, e->size);
        put_le32(p + 16, e->type);
    }
    if (!loader_place(ms, "pvh.memmap", PC_BOOT_MEMMAP_ADDR, memmap,
                      e820->len * HVM_MEMMAP_ENTRY_SIZE, err)) {
        return false;
    }
    if (f->initrd != NULL) {
        put_le64(modlist, initrd_addr);
        put_le64(modlist + 8, f->initrd_len);
        if (!loader_place(ms, "pvh.modlist", PC_BOOT_MODLIST_ADDR, modlist,
                          sizeof(modlist), err)) {
            return false;
        }
    }

    put_le32(info, HVM_START_MAGIC);
    put_le32(info + 4, 1);                          /* version */
    put_le32(info + 12, f->initrd != NULL);         /* nr_modules */
    put_le64(info + 16, f->initrd ? PC_BOOT_MODLIST_ADDR : 0);
    put_le64(info + 24, PC_BOOT_CMDLINE_ADDR);
    put_le64(info + 40, PC_BOOT_MEMMAP_ADDR);
    put_le32(info + 48, e820->len);
    if (!loader_place(ms, "pvh.start_info", PC_BOOT_INFO_ADDR, info,
                      sizeof(info), err)) {
        return false;
    }

    *boot = (X86BootState){
        .mode = X86_BOOT_PROT32,
        .rip = entry,
        .rbx = PC_BOOT_INFO_ADDR,
        .cs = PVH_SELECTOR_CS,
        .ds = PVH_SELECTOR_DS,
    };
    return true;
}
