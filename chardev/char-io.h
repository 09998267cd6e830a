/* Shared plumbing of fd-based chardev backends (stdio, socket). */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_CHARDEV_CHAR_IO_H
#define CGEMU_CHARDEV_CHAR_IO_H

#include "chardev/char.h"

/*
 * Reads @fd in the main loop and hands bytes to the chardev's frontend as
 * fast as it takes them: when the frontend has no room the reader stops
 * watching the fd until char_reader_resume() (from accept_input).  On end
 * of file or a read error it stops and calls @eof.
 */
typedef struct CharReader {
    Chardev *chr;
    int fd;
    GSource *source;
    void (*eof)(Chardev *chr);
} CharReader;

void char_reader_start(CharReader *r, Chardev *chr, int fd,
                       void (*eof)(Chardev *chr));
void char_reader_stop(CharReader *r);
void char_reader_resume(CharReader *r);

/* Writes all of @buf to @fd (blocking on EAGAIN); -1 with errno on error. */
ssize_t char_write_all(int fd, const uint8_t *buf, size_t len);

#endif
