/* s390x IPL of a Linux kernel: -kernel, -initrd and -append in guest RAM. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hw/s390x/ipl.h"

#include "hw/core/loader.h"
#include "util/error.h"

#include <elf.h>
#include <string.h>

#define MIB (1024 * 1024ull)

static uint16_t be16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)be16(p) << 16 | be16(p + 2);
}

static uint64_t be64(const uint8_t *p)
{
    return (uint64_t)be32(p) << 32 | be32(p + 4);
}

static void put_be64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++) {
        p[i] = (uint8_t)(v >> (56 - 8 * i));
    }
}

static bool is_elf(const char *data, gsize len)
{
    return len >= 4 && memcmp(data, ELFMAG, SELFMAG) == 0;
}

/*
 * A big-endian ELF64 for s390: every PT_LOAD segment at its physical
 * address.  Returns the highest address loaded and the entry point.
 */
static bool load_elf(MachineState *ms, const char *path, const uint8_t *d,
                     gsize len, uint64_t *end, uint64_t *entry, GError **err)
{
    uint64_t phoff;
    uint16_t phnum, phentsize;

    if (len < 64 || d[EI_CLASS] != ELFCLASS64 || d[EI_DATA] != ELFDATA2MSB ||
        be16(d + 18) != EM_S390) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "-kernel %s: not a 64-bit big-endian s390x ELF image",
                    path);
        return false;
    }
    *entry = be64(d + 24);
    phoff = be64(d + 32);
    phentsize = be16(d + 54);
    phnum = be16(d + 56);
    *end = 0;
    if (phentsize < 56 || phoff > len ||
        (uint64_t)phnum * phentsize > len - phoff) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "-kernel %s: the ELF program headers lie outside the "
                    "file", path);
        return false;
    }
    for (uint16_t i = 0; i < phnum; i++) {
        const uint8_t *ph = d + phoff + (uint64_t)i * phentsize;
        uint64_t off = be64(ph + 8), paddr = be64(ph + 24);
        uint64_t filesz = be64(ph + 32), memsz = be64(ph + 40);
        g_autofree uint8_t *seg = NULL;

        if (be32(ph) != PT_LOAD || memsz == 0) {
            continue;
        }
        if (filesz > memsz || off > len || filesz > len - off ||
            memsz > UINT64_MAX - paddr) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "-kernel %s: ELF segment %u is malformed", path, i);
            return false;
        }
        if (memsz > ms->ram_size) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "-kernel %s: ELF segment %u (0x%" G_GINT64_MODIFIER
                        "x bytes) is larger than guest RAM", path, i, memsz);
            return false;
        }
        seg = g_malloc0(memsz);
        memcpy(seg, d + off, filesz);
        if (!loader_place(ms, "kernel", paddr, seg, memsz, err)) {
            return false;
        }
        *end = MAX(*end, paddr + memsz);
    }
    return true;
}

/* The kernel's own limit on the command line, if it states one. */
static uint64_t cmdline_max(MachineState *ms)
{
    const uint8_t *p = guest_ram_ptr(ms->mem, S390_CMDLINE_MAX_PTR, 8);
    uint64_t v = p ? be64(p) : 0;

    return v ? v : S390_CMDLINE_LEGACY_MAX;
}

static bool load_initrd(MachineState *ms, uint64_t kernel_end, bool is_linux,
                        GError **err)
{
    g_autofree char *data = NULL;
    gsize len = 0;
    uint64_t at = S390_INITRD_START;
    uint8_t ptrs[16];

    /* At 8 MiB, or on the first MiB boundary a MiB past the kernel. */
    while (kernel_end + MIB > at) {
        at += MIB;
    }
    if (at >= ms->ram_size) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "-initrd %s: no room in guest RAM after the kernel; "
                    "give the guest more memory with -m", ms->initrd);
        return false;
    }
    if (!loader_read_file("-initrd", ms->initrd, ms->ram_size - at, &data,
                          &len, err) ||
        !loader_place(ms, "initrd", at, data, len, err)) {
        return false;
    }
    if (is_linux) {
        put_be64(ptrs, at);
        put_be64(ptrs + 8, len);
        return loader_place(ms, "initrd parameters", S390_INITRD_START_PTR,
                            ptrs, sizeof(ptrs), err);
    }
    return true;
}

bool s390_ipl_load(MachineState *ms, uint64_t *psw_addr, GError **err)
{
    g_autofree char *data = NULL;
    gsize len = 0;
    uint64_t end = 0, entry = 0;
    bool is_linux;

    *psw_addr = 0;
    if (ms->firmware != NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "-bios %s: cgemu has no s390-ccw firmware loader; boot "
                    "the kernel directly with -kernel", ms->firmware);
        return false;
    }
    if (ms->kernel == NULL) {
        if (ms->initrd != NULL || ms->append != NULL) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "%s needs -kernel", ms->initrd ? "-initrd"
                                                       : "-append");
            return false;
        }
        return true;
    }
    if (!loader_read_file("-kernel", ms->kernel, ms->ram_size, &data, &len,
                          err)) {
        return false;
    }
    if (is_elf(data, len)) {
        if (!load_elf(ms, ms->kernel, (const uint8_t *)data, len, &end,
                      &entry, err)) {
            return false;
        }
    } else {
        const uint8_t *magic, *psw;

        if (!loader_place(ms, "kernel", 0, data, len, err)) {
            return false;
        }
        end = len;
        magic = guest_ram_ptr(ms->mem, S390_LINUX_MAGIC, 6);
        psw = guest_ram_ptr(ms->mem, 4, 4);
        /* Linux says so; anything else starts at its short IPL PSW. */
        entry = magic && memcmp(magic, "S390EP", 6) == 0
                    ? S390_KERNEL_START
                    : (psw ? be32(psw) & 0x7fffffffu : 0);
    }
    /* Old kernels' ELF entry is the SALIPL loader at 0x800. */
    is_linux = entry == S390_KERNEL_START || entry == 0x800;
    *psw_addr = is_linux ? S390_KERNEL_START : entry;
    if (ms->append != NULL && ms->append[0] != '\0') {
        uint64_t need = strlen(ms->append) + 1, max;

        if (!is_linux) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "-append: %s is not a Linux kernel (no S390EP "
                        "magic, entry 0x%" G_GINT64_MODIFIER "x), so it has "
                        "no command line", ms->kernel, entry);
            return false;
        }
        max = cmdline_max(ms);
        if (need > max) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "-append: the command line needs %" G_GUINT64_FORMAT
                        " bytes with its final NUL; this kernel takes at "
                        "most %" G_GUINT64_FORMAT, need, max);
            return false;
        }
        if (!loader_place(ms, "cmdline", S390_CMDLINE, ms->append, need,
                          err)) {
            return false;
        }
    }
    return ms->initrd == NULL || load_initrd(ms, end, is_linux, err);
}
