/* Shared plumbing of fd-based chardev backends (stdio, socket). */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "chardev/char-io.h"

#include <errno.h>
#include <glib-unix.h>
#include <poll.h>
#include <unistd.h>

static gboolean reader_ready(gint fd, GIOCondition cond, gpointer opaque)
{
    CharReader *r = opaque;
    uint8_t buf[4096];
    size_t room = chardev_can_receive(r->chr);
    ssize_t n;

    if (room == 0) {
        /* Resumed by char_reader_resume() once the frontend has room. */
        r->source = NULL;
        return G_SOURCE_REMOVE;
    }
    n = read(fd, buf, MIN(room, sizeof(buf)));
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
        return G_SOURCE_CONTINUE;
    }
    if (n <= 0) {
        r->source = NULL;
        if (r->eof) {
            r->eof(r->chr);
        }
        return G_SOURCE_REMOVE;
    }
    chardev_receive(r->chr, buf, (size_t)n);
    return G_SOURCE_CONTINUE;
}

static void arm(CharReader *r)
{
    if (r->source != NULL || r->fd < 0) {
        return;
    }
    r->source = g_unix_fd_source_new(r->fd, G_IO_IN | G_IO_HUP | G_IO_ERR);
    g_source_set_callback(r->source, G_SOURCE_FUNC(reader_ready), r, NULL);
    g_source_attach(r->source, NULL);
    g_source_unref(r->source);
}

void char_reader_start(CharReader *r, Chardev *chr, int fd,
                       void (*eof)(Chardev *chr))
{
    char_reader_stop(r);
    r->chr = chr;
    r->fd = fd;
    r->eof = eof;
    arm(r);
}

void char_reader_stop(CharReader *r)
{
    if (r->source != NULL) {
        g_source_destroy(r->source);
        r->source = NULL;
    }
    r->fd = -1;
}

void char_reader_resume(CharReader *r)
{
    arm(r);
}

ssize_t char_write_all(int fd, const uint8_t *buf, size_t len)
{
    size_t done = 0;

    while (done < len) {
        ssize_t n = write(fd, buf + done, len - done);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (errno == EAGAIN) {
                struct pollfd p = { .fd = fd, .events = POLLOUT };
                poll(&p, 1, -1);
                continue;
            }
            return -1;
        }
        done += (size_t)n;
    }
    return (ssize_t)done;
}
