/* -bios: a flat firmware image below 4 GiB and mirrored below 1 MiB. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hw/core/loader.h"
#include "hw/i386/pc-boot.h"
#include "util/error.h"

#define PAGE_SIZE 0x1000ull

bool pc_bios_load(MachineState *ms, PcLayout *l, const char *path,
                  X86BootState *boot, GError **err)
{
    g_autofree char *data = NULL;
    gsize len = 0;
    uint64_t isa_len;

    if (!loader_read_file("-bios", path, PC_BIOS_MAX, &data, &len, err)) {
        return false;
    }
    /* Whole pages: the image becomes a read-only KVM memory slot. */
    if (len == 0 || len % PAGE_SIZE != 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "-bios %s: the image has %zu bytes; it must be a "
                    "non-zero multiple of 4 KiB, at most 16 MiB", path,
                    (size_t)len);
        return false;
    }
    isa_len = MIN(len, PC_BIOS_ISA_MAX);
    if (machine_add_ram(ms, "pc.bios", PC_4G - len, len, true, err) == NULL ||
        machine_add_ram(ms, "isa-bios", PC_HIGH_RAM_BASE - isa_len, isa_len,
                        true, err) == NULL) {
        return false;
    }
    if (!loader_place(ms, "bios", PC_4G - len, data, len, err) ||
        !loader_place(ms, "bios.isa", PC_HIGH_RAM_BASE - isa_len,
                      data + len - isa_len, isa_len, err)) {
        return false;
    }
    l->bios_size = len;
    *boot = (X86BootState){ .mode = X86_BOOT_RESET };
    return true;
}
