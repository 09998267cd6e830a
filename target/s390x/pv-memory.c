/* IBM Z Protected Virtualization: the guest memory it cannot use. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "target/s390x/pv.h"

#include <linux/magic.h>
#include <sys/vfs.h>

bool s390_pv_ram_on_huge_pages(AddressSpace *mem, char **which)
{
    const GPtrArray *ram = address_space_ram(mem);

    for (guint i = 0; i < ram->len; i++) {
        const RamRegion *r = g_ptr_array_index(ram, i);
        struct statfs fs;

        if (r->fd >= 0 && fstatfs(r->fd, &fs) == 0 &&
            fs.f_type == HUGETLBFS_MAGIC) {
            *which = g_strdup(r->name);
            return true;
        }
    }
    return false;
}
