/* Which binary has a type this one lacks, for "wrong binary" errors. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "system/system.h"

#include <string.h>

/*
 * Types register themselves in the binary that has them, so a binary
 * cannot know another's types by looking; this table exists only to turn
 * "unknown type" into "use that binary instead" for the names users most
 * often carry from one target to another.  It never decides what exists.
 */
static const struct {
    const char *type;
    const char *binary;
} hints[] = {
    { "sev-guest", "cgemu-system-x86_64" },
    { "pc", "cgemu-system-x86_64" },
    { "pc-machine", "cgemu-system-x86_64" },
    { "isa-debug-exit", "cgemu-system-x86_64" },
    { "pef-guest", "cgemu-system-ppc64" },
    { "pseries", "cgemu-system-ppc64" },
    { "pseries-machine", "cgemu-system-ppc64" },
    { "spapr-vty", "cgemu-system-ppc64" },
    { "s390-pv-guest", "cgemu-system-s390x" },
    { "s390-ccw-virtio", "cgemu-system-s390x" },
    { "s390-ccw-virtio-machine", "cgemu-system-s390x" },
    { "virtio-rng-ccw", "cgemu-system-s390x" },
    { "virtio-blk-ccw", "cgemu-system-s390x" },
};

const char *cg_type_foreign_binary(const char *type_name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(hints); i++) {
        if (!strcmp(hints[i].type, type_name)) {
            return hints[i].binary;
        }
    }
    return NULL;
}
