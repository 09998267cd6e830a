/* sev-guest: entries of the firmware's GUID table (OVMF's footer). */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "sev.h"

#include <string.h>

/*
 * OVMF ends its flash image with a table of GUID-tagged entries, read
 * from the end backwards (facts from OVMF's ResetVector and QEMU's
 * pc_system_parse_ovmf_flash):
 *
 *   ... | entry data | u16 entry length | entry GUID | ... |
 *   u16 table length | table GUID | 0x20 bytes to the end of the image
 *
 * Each entry's length covers its data, the length and the GUID; the
 * table's covers every entry, its length and its GUID.  Integers are
 * little endian; GUIDs are stored in the EFI byte order.
 */
#define TABLE_FOOTER_GUID "96b582de-1fb2-45f7-baea-a366c55a082d"
#define TAIL 0x20
#define GUID_LEN 16

/* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" in EFI byte order. */
static void guid_bytes(const char *text, uint8_t out[GUID_LEN])
{
    uint8_t be[GUID_LEN];
    int n = 0;

    for (const char *c = text; *c && n < GUID_LEN; c++) {
        if (*c == '-') {
            continue;
        }
        be[n] = (uint8_t)(g_ascii_xdigit_value(c[0]) << 4 |
                          g_ascii_xdigit_value(c[1]));
        n++;
        c++;
    }
    /* The first three fields are little endian. */
    out[0] = be[3];
    out[1] = be[2];
    out[2] = be[1];
    out[3] = be[0];
    out[4] = be[5];
    out[5] = be[4];
    out[6] = be[7];
    out[7] = be[6];
    memcpy(out + 8, be + 8, 8);
}

static uint16_t le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

bool sev_ovmf_has_table(const uint8_t *image, size_t size)
{
    uint8_t footer[GUID_LEN];

    if (size < TAIL + GUID_LEN + 2) {
        return false;
    }
    guid_bytes(TABLE_FOOTER_GUID, footer);
    return memcmp(image + size - TAIL - GUID_LEN, footer, GUID_LEN) == 0;
}

bool sev_ovmf_find(const uint8_t *image, size_t size, const char *guid,
                   const uint8_t **data, size_t *len)
{
    uint8_t want[GUID_LEN];
    size_t end, table_len, start;

    if (!sev_ovmf_has_table(image, size)) {
        return false;
    }
    end = size - TAIL;                     /* one past the footer GUID */
    table_len = le16(image + end - GUID_LEN - 2);
    if (table_len < GUID_LEN + 2 || table_len > end) {
        return false;
    }
    start = end - table_len;
    end -= GUID_LEN + 2;                   /* the entries end here */
    guid_bytes(guid, want);
    while (end >= start + GUID_LEN + 2) {
        size_t entry_len = le16(image + end - GUID_LEN - 2);
        if (entry_len < GUID_LEN + 2 || entry_len > end - start) {
            return false;                  /* a malformed table */
        }
        if (memcmp(image + end - GUID_LEN, want, GUID_LEN) == 0) {
            *data = image + end - entry_len;
            *len = entry_len - GUID_LEN - 2;
            return true;
        }
        end -= entry_len;
    }
    return false;
}
