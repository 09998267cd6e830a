/* Fuzz target: the qtest protocol, lines against RAM, MMIO and ports. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "fuzz.h"

#include "accel/qtest.h"

#include <string.h>

/*
 * One small machine-like layout per input: 64 KiB of RAM at 0x1000, a
 * device register block at 0x100000 and one at port 0x3f8 whose reads
 * return what was written.  The first input byte picks the byte order;
 * the rest is request lines.
 */
#define RAM_BASE 0x1000
#define RAM_SIZE 0x10000
#define MMIO_BASE 0x100000
#define MMIO_SIZE 0x100

typedef struct Regs {
    uint8_t bytes[MMIO_SIZE];
} Regs;

static uint64_t regs_read(void *opaque, uint64_t offset, unsigned size)
{
    Regs *r = opaque;
    uint64_t v = 0;

    g_assert(size == 1 || size == 2 || size == 4 || size == 8);
    g_assert(offset + size <= MMIO_SIZE);
    for (unsigned i = 0; i < size; i++) {
        v |= (uint64_t)r->bytes[offset + i] << (8 * i);
    }
    return v;
}

static void regs_write(void *opaque, uint64_t offset, uint64_t value,
                       unsigned size)
{
    Regs *r = opaque;

    g_assert(size == 1 || size == 2 || size == 4 || size == 8);
    g_assert(offset + size <= MMIO_SIZE);
    for (unsigned i = 0; i < size; i++) {
        r->bytes[offset + i] = (uint8_t)(value >> (8 * i));
    }
}

static const MemoryOps regs_ops = {
    .read = regs_read,
    .write = regs_write,
};

/*
 * Bulk commands between 1 MiB and the protocol's limit are valid but,
 * under the fuzzer's instrumentation, take seconds each on unbacked
 * addresses; they are left out (the limit itself, and transfers at it,
 * are in test-qtest-protocol).  Lengths over the limit are refused at
 * once and stay in.
 */
static bool too_slow(const char *line)
{
    static const char *const bulk[] = { "read", "write", "b64read",
                                        "b64write", "memset", NULL };
    g_auto(GStrv) w = g_strsplit_set(line, " \t\r", -1);
    guint64 len;
    int n = 0;
    char *args[3] = { NULL };

    for (char **p = w; *p != NULL && n < 3; p++) {
        if (**p != '\0') {
            args[n++] = *p;
        }
    }
    if (n < 3 || !g_strv_contains(bulk, args[0])) {
        return false;
    }
    len = g_ascii_strtoull(args[2], NULL, 0);
    return len > 1024 * 1024 && len <= QTEST_MAX_LEN;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    return 0;
}

/* A reply is one line of printable text starting with OK or FAIL. */
static void check_reply(const char *reply)
{
    g_assert(g_str_has_prefix(reply, "OK") ||
             g_str_has_prefix(reply, "FAIL "));
    for (const char *p = reply; *p; p++) {
        g_assert(*p >= 0x20 && *p < 0x7f);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_autofree uint8_t *ram = g_malloc0(RAM_SIZE);
    g_autofree char *text = NULL;
    Regs mmio = { { 0 } }, ports = { { 0 } };
    QtestTarget t = { .binary = "cgemu-system-fuzz" };
    GRecMutex lock;
    char *line, *next;

    if (size == 0) {
        return 0;
    }
    g_rec_mutex_init(&lock);
    t.big_endian = data[0] & 1;
    t.lock = &lock;
    t.mem = address_space_new("memory", UINT64_MAX);
    address_space_add_ram(t.mem, "ram", RAM_BASE, RAM_SIZE, ram, -1, 0,
                          false, NULL);
    address_space_add_io(t.mem, "regs", MMIO_BASE, MMIO_SIZE, &regs_ops,
                         &mmio, NULL);
    if (data[0] & 2) {
        t.io = address_space_new("io", 0x10000);
        address_space_add_io(t.io, "uart", 0x3f8, 8, &regs_ops, &ports,
                             NULL);
    }
    /* The server cuts lines at '\n' and refuses NULs; so does this. */
    text = g_strndup((const char *)data + 1, size - 1);
    for (line = text; line != NULL; line = next) {
        g_autofree char *reply = NULL;

        next = strchr(line, '\n');
        if (next != NULL) {
            *next++ = '\0';
        }
        if (too_slow(line)) {
            continue;
        }
        reply = qtest_execute(&t, line);
        check_reply(reply);
    }
    address_space_free(t.mem);
    if (t.io != NULL) {
        address_space_free(t.io);
    }
    g_rec_mutex_clear(&lock);
    return 0;
}
