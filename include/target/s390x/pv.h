/* IBM Z Protected Virtualization: what needs no accelerator. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_TARGET_S390X_PV_H
#define CGEMU_TARGET_S390X_PV_H

#include "hw/core/memory.h"

G_BEGIN_DECLS

/*
 * Whether any RAM region of @mem is backed by huge pages (a hugetlbfs
 * file: protected guests cannot use them); *which gets its name, which
 * the caller frees.
 */
bool s390_pv_ram_on_huge_pages(AddressSpace *mem, char **which);

G_END_DECLS

#endif
