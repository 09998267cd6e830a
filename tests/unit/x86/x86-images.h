/* x86-images.h: small PVH ELF and bzImage images for the x86 unit tests. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TESTS_UNIT_X86_IMAGES_H
#define TESTS_UNIT_X86_IMAGES_H

#include <glib.h>
#include <string.h>

/* --- building ELF images ------------------------------------------------- */

static inline void put16(guint8 *p, guint16 v)
{
    p[0] = (guint8)v;
    p[1] = (guint8)(v >> 8);
}

static inline void put32(guint8 *p, guint32 v)
{
    put16(p, (guint16)v);
    put16(p + 2, (guint16)(v >> 16));
}

static inline void put64(guint8 *p, guint64 v)
{
    put32(p, (guint32)v);
    put32(p + 4, (guint32)(v >> 32));
}

#define ELF_SIZE 0x400
#define PH_OFF 64
#define NOTE_OFF 0x100
#define LOAD_OFF 0x200

/*
 * A 64-bit ELF: PT_LOAD of 0x100 file bytes (0x1000 in memory) at 1 MiB,
 * PT_NOTE with a GNU note (8-aligned segment) then the Xen PHYS32 note.
 */
static inline guint8 *elf64_image(gsize *len, guint32 entry,
                                  guint32 desc_size)
{
    guint8 *e = g_malloc0(ELF_SIZE);
    guint8 *ph = e + PH_OFF;
    guint8 *n = e + NOTE_OFF;

    memcpy(e, "\177ELF", 4);
    e[4] = 2;                   /* 64-bit */
    e[5] = 1;                   /* little-endian */
    e[6] = 1;
    put16(e + 16, 2);           /* ET_EXEC */
    put16(e + 18, 62);          /* x86-64 */
    put32(e + 20, 1);
    put64(e + 32, PH_OFF);
    put16(e + 52, 64);
    put16(e + 54, 56);
    put16(e + 56, 2);

    put32(ph, 1);               /* PT_LOAD */
    put64(ph + 8, LOAD_OFF);
    put64(ph + 16, 0x100000);
    put64(ph + 24, 0x100000);
    put64(ph + 32, 0x100);
    put64(ph + 40, 0x1000);
    put64(ph + 48, 0x1000);

    ph += 56;
    put32(ph, 4);               /* PT_NOTE */
    put64(ph + 8, NOTE_OFF);
    put64(ph + 32, 24 + 24);
    put64(ph + 48, 8);

    /* GNU note: namesz 4, descsz 4; padded to 8 (desc at 16, next 24) */
    put32(n, 4);
    put32(n + 4, 4);
    put32(n + 8, 5);
    memcpy(n + 12, "GNU", 4);
    n += 24;
    put32(n, 4);
    put32(n + 4, desc_size);
    put32(n + 8, 18);
    memcpy(n + 12, "Xen", 4);
    put32(n + 16, entry);
    *len = ELF_SIZE;
    return e;
}

/* --- building bzImages --------------------------------------------------- */

#define BZ_SIZE 0x2000

/* Protocol 2.15, 2 setup sectors (+ boot sector), 64-bit entry. */
static inline guint8 *bz_image(gsize *len)
{
    guint8 *b = g_malloc0(BZ_SIZE);

    b[0x1f1] = 2;
    put32(b + 0x1f4, (BZ_SIZE - 0x600) / 16);
    put16(b + 0x1fe, 0xaa55);
    b[0x201] = 0x62;                /* header ends at 0x264 */
    memcpy(b + 0x202, "HdrS", 4);
    put16(b + 0x206, 0x020f);
    b[0x211] = 0x01;
    put32(b + 0x22c, 0x7fffffff);
    put32(b + 0x230, 0x200000);
    b[0x234] = 1;
    put16(b + 0x236, 0x0003);
    put32(b + 0x238, 2047);
    put64(b + 0x258, 0x1000000);
    put32(b + 0x260, 0x800000);
    *len = BZ_SIZE;
    return b;
}

#endif
