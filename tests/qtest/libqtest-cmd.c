/* libqtest: the qtest protocol, line by line and through helpers. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "libqtest-internal.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

/* Bulk helpers move at most this much per protocol line. */
#define BULK_CHUNK (1024 * 1024)

void qtest_cmd_send_raw(QTestState *s, const void *buf, size_t len)
{
    if (s->qtest_fd < 0) {
        qtest_fatal(s, "this cgemu has no qtest socket (accelerator is not "
                    "qtest)");
    }
    qtest_send_all(s, s->qtest_fd, buf, len, "the qtest socket");
}

char *qtest_cmd_reply(QTestState *s)
{
    for (;;) {
        guint8 *nl = s->qtest_in->len
                         ? memchr(s->qtest_in->data, '\n', s->qtest_in->len)
                         : NULL;
        char buf[65536];
        ssize_t n;

        if (nl != NULL) {
            size_t len = (size_t)(nl - s->qtest_in->data);
            char *line = g_strndup((const char *)s->qtest_in->data, len);
            g_byte_array_remove_range(s->qtest_in, 0, (guint)len + 1);
            return line;
        }
        qtest_wait_readable(s, s->qtest_fd, "a qtest reply");
        n = recv(s->qtest_fd, buf, sizeof(buf), 0);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return NULL;
        }
        g_byte_array_append(s->qtest_in, (const guint8 *)buf, (guint)n);
    }
}

char *qtest_cmd(QTestState *s, const char *fmt, ...)
{
    g_autofree char *line = NULL;
    char *reply;
    va_list ap;

    va_start(ap, fmt);
    line = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    line = g_realloc(line, strlen(line) + 2);
    strcat(line, "\n");
    qtest_cmd_send_raw(s, line, strlen(line));
    reply = qtest_cmd_reply(s);
    if (reply == NULL) {
        qtest_fatal(s, "cgemu closed the qtest connection after: %s", line);
    }
    return reply;
}

/* Sends a command that must succeed; returns what follows "OK". */
static char *cmd_ok(QTestState *s, const char *line)
{
    g_autofree char *reply = qtest_cmd(s, "%s", line);

    if (strcmp(reply, "OK") == 0) {
        return g_strdup("");
    }
    if (!g_str_has_prefix(reply, "OK ")) {
        qtest_fatal(s, "qtest '%.200s' failed: %.400s", line, reply);
    }
    return g_strdup(reply + 3);
}

static uint64_t cmd_value(QTestState *s, const char *line)
{
    g_autofree char *v = cmd_ok(s, line);
    char *end = NULL;
    uint64_t val = g_ascii_strtoull(v, &end, 16);

    if (!g_str_has_prefix(v, "0x") || end == NULL || *end != '\0') {
        qtest_fatal(s, "qtest '%s': bad value '%s'", line, v);
    }
    return val;
}

bool qtest_big_endian(QTestState *s)
{
    if (!s->endian_known) {
        g_autofree char *v = cmd_ok(s, "endianness");
        s->big_endian = strcmp(v, "big") == 0;
        s->endian_known = true;
    }
    return s->big_endian;
}

static uint64_t read_n(QTestState *s, char size, uint64_t addr)
{
    g_autofree char *line = g_strdup_printf("read%c 0x%" G_GINT64_MODIFIER
                                            "x", size, addr);
    return cmd_value(s, line);
}

static void write_n(QTestState *s, char size, uint64_t addr, uint64_t val)
{
    g_autofree char *line = g_strdup_printf(
        "write%c 0x%" G_GINT64_MODIFIER "x 0x%" G_GINT64_MODIFIER "x", size,
        addr, val);
    g_free(cmd_ok(s, line));
}

uint8_t qtest_readb(QTestState *s, uint64_t addr)
{
    return (uint8_t)read_n(s, 'b', addr);
}

uint16_t qtest_readw(QTestState *s, uint64_t addr)
{
    return (uint16_t)read_n(s, 'w', addr);
}

uint32_t qtest_readl(QTestState *s, uint64_t addr)
{
    return (uint32_t)read_n(s, 'l', addr);
}

uint64_t qtest_readq(QTestState *s, uint64_t addr)
{
    return read_n(s, 'q', addr);
}

void qtest_writeb(QTestState *s, uint64_t addr, uint8_t val)
{
    write_n(s, 'b', addr, val);
}

void qtest_writew(QTestState *s, uint64_t addr, uint16_t val)
{
    write_n(s, 'w', addr, val);
}

void qtest_writel(QTestState *s, uint64_t addr, uint32_t val)
{
    write_n(s, 'l', addr, val);
}

void qtest_writeq(QTestState *s, uint64_t addr, uint64_t val)
{
    write_n(s, 'q', addr, val);
}

static uint32_t in_n(QTestState *s, char size, uint16_t port)
{
    g_autofree char *line = g_strdup_printf("in%c 0x%x", size, port);

    return (uint32_t)cmd_value(s, line);
}

static void out_n(QTestState *s, char size, uint16_t port, uint32_t val)
{
    g_autofree char *line = g_strdup_printf("out%c 0x%x 0x%x", size, port,
                                            val);
    g_free(cmd_ok(s, line));
}

uint8_t qtest_inb(QTestState *s, uint16_t port)
{
    return (uint8_t)in_n(s, 'b', port);
}

uint16_t qtest_inw(QTestState *s, uint16_t port)
{
    return (uint16_t)in_n(s, 'w', port);
}

uint32_t qtest_inl(QTestState *s, uint16_t port)
{
    return in_n(s, 'l', port);
}

void qtest_outb(QTestState *s, uint16_t port, uint8_t val)
{
    out_n(s, 'b', port, val);
}

void qtest_outw(QTestState *s, uint16_t port, uint16_t val)
{
    out_n(s, 'w', port, val);
}

void qtest_outl(QTestState *s, uint16_t port, uint32_t val)
{
    out_n(s, 'l', port, val);
}

void qtest_memread(QTestState *s, uint64_t addr, void *buf, size_t size)
{
    uint8_t *p = buf;

    while (size > 0) {
        size_t n = MIN(size, (size_t)BULK_CHUNK);
        g_autofree char *line = g_strdup_printf(
            "read 0x%" G_GINT64_MODIFIER "x %zu", addr, n);
        g_autofree char *hex = cmd_ok(s, line);

        if (strlen(hex) != 2 + 2 * n || !g_str_has_prefix(hex, "0x")) {
            qtest_fatal(s, "qtest '%s': reply of the wrong length", line);
        }
        for (size_t i = 0; i < n; i++) {
            int hi = g_ascii_xdigit_value(hex[2 + 2 * i]);
            int lo = g_ascii_xdigit_value(hex[3 + 2 * i]);
            if (hi < 0 || lo < 0) {
                qtest_fatal(s, "qtest '%s': non-hex reply", line);
            }
            p[i] = (uint8_t)(hi << 4 | lo);
        }
        p += n;
        addr += n;
        size -= n;
    }
}

void qtest_memwrite(QTestState *s, uint64_t addr, const void *buf,
                    size_t size)
{
    const uint8_t *p = buf;

    while (size > 0) {
        size_t n = MIN(size, (size_t)BULK_CHUNK);
        GString *line = g_string_sized_new(2 * n + 64);

        g_string_printf(line, "write 0x%" G_GINT64_MODIFIER "x %zu 0x", addr,
                        n);
        for (size_t i = 0; i < n; i++) {
            g_string_append_printf(line, "%02x", p[i]);
        }
        g_free(cmd_ok(s, line->str));
        g_string_free(line, TRUE);
        p += n;
        addr += n;
        size -= n;
    }
}

void qtest_bufread(QTestState *s, uint64_t addr, void *buf, size_t size)
{
    uint8_t *p = buf;

    while (size > 0) {
        size_t n = MIN(size, (size_t)BULK_CHUNK);
        g_autofree char *line = g_strdup_printf(
            "b64read 0x%" G_GINT64_MODIFIER "x %zu", addr, n);
        g_autofree char *b64 = cmd_ok(s, line);
        gsize got = 0;
        g_autofree guchar *data = g_base64_decode(b64, &got);

        if (got != n) {
            qtest_fatal(s, "qtest '%s': %zu bytes in the reply", line,
                        (size_t)got);
        }
        memcpy(p, data, n);
        p += n;
        addr += n;
        size -= n;
    }
}

void qtest_bufwrite(QTestState *s, uint64_t addr, const void *buf,
                    size_t size)
{
    const uint8_t *p = buf;

    while (size > 0) {
        size_t n = MIN(size, (size_t)BULK_CHUNK);
        g_autofree char *b64 = g_base64_encode(p, n);
        g_autofree char *line = g_strdup_printf(
            "b64write 0x%" G_GINT64_MODIFIER "x %zu %s", addr, n, b64);

        g_free(cmd_ok(s, line));
        p += n;
        addr += n;
        size -= n;
    }
}

void qtest_memset(QTestState *s, uint64_t addr, uint8_t pattern,
                  size_t size)
{
    while (size > 0) {
        size_t n = MIN(size, (size_t)BULK_CHUNK);
        g_autofree char *line = g_strdup_printf(
            "memset 0x%" G_GINT64_MODIFIER "x %zu 0x%02x", addr, n, pattern);

        g_free(cmd_ok(s, line));
        addr += n;
        size -= n;
    }
}
