/* s390x IPL: the IPL parameter blocks of DIAGNOSE 308, and what IPL loads. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_HW_S390X_IPL_H
#define CGEMU_HW_S390X_IPL_H

#include "hw/core/machine.h"

G_BEGIN_DECLS

/*
 * An IPL parameter block is one page the guest hands over with DIAGNOSE
 * 308 subcode 5 (a normal block: where to IPL from) or 8 (a block of
 * type 5, "protected virtualization": where the SE header and the
 * encrypted components of a protected image are).  All fields are
 * big-endian.  Layout of the protected block, after the 24-byte header
 * (length, version, block-0 length, type 5, flags, load parameter):
 *   0x6f  version          0x74  number of components
 *   0x78  SE header address  0x80  SE header length
 *   0x88  components, 24 bytes each: tweak prefix, address, size
 * The checks are QEMU's (DIAGNOSE 308 subcode 8): at least 148 bytes,
 * at least one component, the component list inside the block, every
 * component page aligned, tweak prefixes strictly increasing, a header
 * of at most two pages that lies in guest RAM.
 */
#define S390_IPLB_SIZE 4096
#define S390_IPL_TYPE_FCP 0x00
#define S390_IPL_TYPE_CCW 0x02
#define S390_IPL_TYPE_PV 0x05
#define S390_IPLB_MIN_CCW_LEN 200
#define S390_IPLB_MIN_FCP_LEN 384
#define S390_IPLB_MIN_PV_LEN 148
#define S390_IPLB_PV_COMPONENTS 0x88
#define S390_IPLB_PV_COMPONENT_SIZE 24
#define S390_PV_MAX_COMPONENTS                                               \
    ((S390_IPLB_SIZE - S390_IPLB_PV_COMPONENTS) / S390_IPLB_PV_COMPONENT_SIZE)
#define S390_PV_HEADER_MAX (2 * 4096)

typedef struct S390PvComponent {
    uint64_t tweak;             /* tweak prefix */
    uint64_t addr;
    uint64_t size;
} S390PvComponent;

typedef struct S390PvIpl {
    uint64_t header_addr;
    uint64_t header_len;
    unsigned n_components;
    S390PvComponent components[S390_PV_MAX_COMPONENTS];
} S390PvIpl;

/* The length field of a block (bytes 0-3). */
uint32_t s390_iplb_len(const uint8_t *iplb);

/*
 * Subcode 5: a block of a type cgemu knows (CCW or FCP) and long enough
 * for it.  False with the reason.
 */
bool s390_iplb_check(const uint8_t *iplb, GError **err);

/*
 * Subcode 8 and 10: checks a protected-virtualization block and reads
 * it.  @mem, when not NULL, must hold the SE header.
 */
bool s390_iplb_parse_pv(const uint8_t *iplb, AddressSpace *mem,
                        S390PvIpl *out, GError **err);

/*
 * Linux on s390x, loaded by the machine for -kernel: the image at 0
 * (an ELF's segments at their addresses), the command line in the
 * parameter area, the initial RAM disk at 8 MiB or after the kernel.
 */
#define S390_KERNEL_START 0x10000
#define S390_LINUX_MAGIC 0x10008        /* "S390EP" */
#define S390_INITRD_START_PTR 0x10408
#define S390_INITRD_SIZE_PTR 0x10410
#define S390_CMDLINE_MAX_PTR 0x10430
#define S390_CMDLINE 0x10480
#define S390_CMDLINE_LEGACY_MAX 896
#define S390_INITRD_START 0x800000

/*
 * Loads -kernel, -initrd and -append into @ms's RAM (through
 * loader_place) and returns the IPL PSW address; errors name the option
 * and the file.
 */
bool s390_ipl_load(MachineState *ms, uint64_t *psw_addr, GError **err);

G_END_DECLS

#endif
