/* pit.c: is there an 8254 interval timer (-machine pit=)? */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "guest.h"

#define PIT_CH2 0x42
#define PIT_MODE 0x43
#define PIT_SPEAKER 0x61        /* bit 0: channel 2 gate */

/*
 * Channel 2, the speaker's, raises no interrupt, so programming it
 * leaves the rest of the machine alone.  Program it (lobyte/hibyte,
 * mode 0, binary), then read its status back (read-back command,
 * status only): a PIT answers with the access and mode bits just
 * written, 0x30; a port nobody decodes reads 0xff.
 */
void pit_probe(Guest *g)
{
    uint8_t status;
    bool present;

    outb(PIT_SPEAKER, (uint8_t)(inb(PIT_SPEAKER) & ~1u));
    outb(PIT_MODE, 0xb0);
    outb(PIT_CH2, 0xff);
    outb(PIT_CH2, 0xff);
    outb(PIT_MODE, 0xe8);
    status = inb(PIT_CH2);
    present = (status & 0x3f) == 0x30;
    rep_line(g, "pit=%s", present ? "present" : "absent");
    if (g->opt.expect_pit >= 0) {
        check(g, present == (g->opt.expect_pit == 1), "pit");
    }
}
