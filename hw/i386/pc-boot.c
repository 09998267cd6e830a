/* The pc machine's boot: choosing the loader; initrd and command line. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hw/core/loader.h"
#include "hw/i386/pc-boot.h"
#include "util/error.h"

#include <string.h>

#define PAGE_MASK ~0xfffull

bool pc_boot_place_initrd(MachineState *ms, const PcLayout *l,
                          const PcBootFiles *f, uint64_t max_end,
                          uint64_t kernel_end, uint64_t *addr, GError **err)
{
    uint64_t top = MIN(max_end, l->below_4g);

    if (f->initrd_len > top || ((top - f->initrd_len) & PAGE_MASK) <
                                   kernel_end) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "-initrd %s: %zu bytes do not fit in guest RAM between "
                    "the kernel (ending at 0x%" G_GINT64_MODIFIER "x) and "
                    "0x%" G_GINT64_MODIFIER "x; give the guest more memory "
                    "with -m", f->initrd_path, f->initrd_len, kernel_end,
                    top);
        return false;
    }
    *addr = (top - f->initrd_len) & PAGE_MASK;
    if (f->initrd_len == 0) {
        return true;    /* nothing to place, nothing to measure */
    }
    return loader_place(ms, "initrd", *addr, f->initrd, f->initrd_len, err);
}

bool pc_boot_place_cmdline(MachineState *ms, const PcBootFiles *f,
                           size_t max_len, GError **err)
{
    size_t len = strlen(f->cmdline);

    if (len > max_len) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "-append: the command line has %zu bytes; this kernel "
                    "takes at most %zu", len, max_len);
        return false;
    }
    return loader_place(ms, "cmdline", PC_BOOT_CMDLINE_ADDR, f->cmdline,
                        len + 1, err);
}

static bool load_kernel(MachineState *ms, PcLayout *l, X86BootState *boot,
                        GError **err)
{
    g_autofree char *kernel = NULL;
    g_autofree char *initrd = NULL;
    gsize kernel_len = 0, initrd_len = 0;
    PcBootFiles f = {
        .kernel_path = ms->kernel,
        .initrd_path = ms->initrd,
        .cmdline = ms->append ? ms->append : "",
    };

    if (!loader_read_file("-kernel", ms->kernel, l->ram_size, &kernel,
                          &kernel_len, err)) {
        return false;
    }
    if (ms->initrd != NULL &&
        !loader_read_file("-initrd", ms->initrd, l->ram_size, &initrd,
                          &initrd_len, err)) {
        return false;
    }
    f.kernel = (const uint8_t *)kernel;
    f.kernel_len = kernel_len;
    f.initrd = (const uint8_t *)initrd;
    f.initrd_len = initrd_len;
    if (pvh_is_elf(f.kernel, f.kernel_len)) {
        return pvh_load(ms, l, &f, boot, err);
    }
    if (linux_is_bzimage(f.kernel, f.kernel_len)) {
        return linux_load(ms, l, &f, boot, err);
    }
    g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                "-kernel %s: neither an ELF kernel with a PVH entry note nor "
                "a Linux bzImage", ms->kernel);
    return false;
}

bool pc_boot_load(MachineState *ms, PcLayout *l, X86BootState *boot,
                  GError **err)
{
    *boot = (X86BootState){ .mode = X86_BOOT_NONE };
    if (ms->kernel == NULL) {
        const char *opt = ms->initrd ? "-initrd" : "-append";
        const char *val = ms->initrd ? ms->initrd : ms->append;

        if (val != NULL) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "%s %s: only valid with -kernel (it goes to the "
                        "kernel cgemu loads)", opt, val);
            return false;
        }
    }
    if (ms->kernel != NULL && ms->firmware != NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "-kernel %s: cannot be combined with -bios %s: cgemu "
                    "boots a kernel directly, without firmware; drop -bios",
                    ms->kernel, ms->firmware);
        return false;
    }
    if (ms->firmware != NULL) {
        return pc_bios_load(ms, l, ms->firmware, boot, err);
    }
    if (ms->kernel != NULL) {
        return load_kernel(ms, l, boot, err);
    }
    return true;
}
