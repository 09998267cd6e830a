/* qtest protocol: every command's exact reply, limits and bad lines. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "libqtest.h"

#include <string.h>
#include <unistd.h>

/* RAM on every board (RAM starts at 0 everywhere, and is >= 128 MiB). */
#define RAM_ADDR 0x200000ull
/* Backed by nothing on any board. */
#define UNBACKED 0xfff0000000000000ull

static bool is_big(const char *target)
{
    return strcmp(target, "x86_64") != 0;
}

static void assert_reply(QTestState *s, const char *line,
                         const char *expected)
{
    g_autofree char *r = qtest_cmd(s, "%s", line);

    g_assert_cmpstr(r, ==, expected);
}

static void test_endianness(const char *target)
{
    g_autoptr(QTestState) s = qtest_init(target, "-machine none");

    assert_reply(s, "endianness", is_big(target) ? "OK big" : "OK little");
    g_assert_true(qtest_big_endian(s) == is_big(target));
}

/* Scalar accesses see memory in the guest's byte order, as in QEMU. */
static void test_scalar(const char *target)
{
    g_autoptr(QTestState) s = qtest_init(target, NULL);
    bool big = is_big(target);

    assert_reply(s, "writeq 0x200000 0x0102030405060708", "OK");
    assert_reply(s, "readq 0x200000", "OK 0x0102030405060708");
    assert_reply(s, "readb 0x200000",
                 big ? "OK 0x0000000000000001" : "OK 0x0000000000000008");
    assert_reply(s, "readw 0x200000",
                 big ? "OK 0x0000000000000102" : "OK 0x0000000000000708");
    assert_reply(s, "readl 0x200000",
                 big ? "OK 0x0000000001020304" : "OK 0x0000000005060708");
    assert_reply(s, "read 0x200000 8",
                 big ? "OK 0x0102030405060708" : "OK 0x0807060504030201");

    assert_reply(s, "writeb 0x200001 0xaa", "OK");
    assert_reply(s, "writew 0x200002 0xbbcc", "OK");
    assert_reply(s, "writel 0x200004 0x11223344", "OK");
    assert_reply(s, "read 0x200000 8",
                 big ? "OK 0x01aabbcc11223344" : "OK 0x08aaccbb44332211");

    /* Numbers are C notation: decimal and octal too. */
    assert_reply(s, "writeb 2097152 255", "OK");
    assert_reply(s, "readb 010000000", "OK 0x00000000000000ff");

    g_assert_cmphex(qtest_readq(s, RAM_ADDR), ==,
                    (big ? 0xffaabbcc11223344ull : 0x11223344bbccaaffull));
    qtest_writel(s, RAM_ADDR + 8, 0xcafef00d);
    g_assert_cmphex(qtest_readl(s, RAM_ADDR + 8), ==, 0xcafef00d);
    qtest_writew(s, RAM_ADDR + 8, 0x1234);
    g_assert_cmphex(qtest_readw(s, RAM_ADDR + 8), ==, 0x1234);
    qtest_writeb(s, RAM_ADDR + 8, 0x56);
    g_assert_cmphex(qtest_readb(s, RAM_ADDR + 8), ==, 0x56);
    qtest_writeq(s, RAM_ADDR + 8, 0x8877665544332211ull);
    g_assert_cmphex(qtest_readq(s, RAM_ADDR + 8), ==, 0x8877665544332211ull);
}

static void test_bulk(const char *target)
{
    g_autoptr(QTestState) s = qtest_init(target, NULL);

    assert_reply(s, "write 0x200000 4 0xdeadbeef", "OK");
    assert_reply(s, "read 0x200000 4", "OK 0xdeadbeef");
    assert_reply(s, "b64read 0x200000 4", "OK 3q2+7w==");
    assert_reply(s, "b64write 0x200000 4 AQIDBA==", "OK");
    assert_reply(s, "read 0x200000 4", "OK 0x01020304");
    assert_reply(s, "memset 0x200000 6 0x5a", "OK");
    assert_reply(s, "read 0x200000 8", "OK 0x5a5a5a5a5a5a0000");
    /* Short data is padded with zeros, as QEMU does; hex in any case. */
    assert_reply(s, "write 0x200000 4 0xAB", "OK");
    assert_reply(s, "read 0x200000 4", "OK 0xab000000");
    /* memset of nothing is allowed and changes nothing. */
    assert_reply(s, "memset 0x200000 0 0x11", "OK");
    assert_reply(s, "read 0x200000 1", "OK 0xab");
}

/* The helpers split transfers larger than one line (1 MiB pieces). */
static void test_bulk_helpers(const char *target)
{
    g_autoptr(QTestState) s = qtest_init(target, NULL);
    size_t size = 1536 * 1024;
    g_autofree uint8_t *data = g_malloc(size);
    g_autofree uint8_t *back = g_malloc(size);
    GRand *rand = g_rand_new_with_seed(42);

    for (size_t i = 0; i < size; i++) {
        data[i] = (uint8_t)g_rand_int(rand);
    }
    g_rand_free(rand);

    qtest_memwrite(s, RAM_ADDR, data, size);
    qtest_bufread(s, RAM_ADDR, back, size);
    g_assert_true(memcmp(data, back, size) == 0);

    memset(back, 0, size);
    qtest_memset(s, RAM_ADDR, 0, size);
    qtest_memread(s, RAM_ADDR, back, size);
    g_assert_cmpuint(back[0], ==, 0);
    g_assert_cmpuint(back[size - 1], ==, 0);

    qtest_bufwrite(s, RAM_ADDR, data, size);
    qtest_memread(s, RAM_ADDR, back, size);
    g_assert_true(memcmp(data, back, size) == 0);
}

/* Unbacked addresses read as all-ones and drop writes (memory.h). */
static void test_unbacked(const char *target)
{
    g_autoptr(QTestState) s = qtest_init(target, NULL);

    assert_reply(s, "readq 0xfff0000000000000", "OK 0xffffffffffffffff");
    assert_reply(s, "writel 0xfff0000000000000 0x1", "OK");
    assert_reply(s, "readl 0xfff0000000000000", "OK 0x00000000ffffffff");
    assert_reply(s, "read 0xfff0000000000000 3", "OK 0xffffff");
    assert_reply(s, "write 0xfff0000000000000 2 0x0102", "OK");
    assert_reply(s, "b64read 0xfff0000000000000 3", "OK ////");
    /* The top of the address space, without wrapping. */
    assert_reply(s, "readq 0xfffffffffffffff8", "OK 0xffffffffffffffff");
    assert_reply(s, "readb 0xffffffffffffffff", "OK 0x00000000000000ff");
    assert_reply(s, "read 0xffffffffffffffff 1", "OK 0xff");
    /* Across the end of RAM into nothing: the backed part is RAM. */
    g_assert_cmphex(qtest_readq(s, UNBACKED), ==, ~0ull);
}

static void test_ports(const char *target)
{
    g_autoptr(QTestState) s = qtest_init(target, NULL);
    g_autofree char *fail = NULL;

    if (strcmp(target, "x86_64") == 0) {
        /* Nothing at 0xf0f0: all-ones, printed with at least 4 digits
         * for every size, as QEMU does. */
        assert_reply(s, "inb 0xf0f0", "OK 0x00ff");
        assert_reply(s, "inw 0xf0f0", "OK 0xffff");
        assert_reply(s, "inl 0xf0f0", "OK 0xffffffff");
        assert_reply(s, "outb 0xf0f0 0x12", "OK");
        assert_reply(s, "outw 0xf0f0 0x1234", "OK");
        assert_reply(s, "outl 0xf0f0 0x12345678", "OK");
        assert_reply(s, "inb 0xffff", "OK 0x00ff");
        assert_reply(s, "inw 0xffff",
                     "FAIL inw: PORT 0xffff is too large; the most is "
                     "0xfffe");
        assert_reply(s, "outb 0x10000 1",
                     "FAIL outb: PORT 0x10000 is too large; the most is "
                     "0xffff");
        assert_reply(s, "outw 0x80 0x10000",
                     "FAIL outw: VAL 0x10000 is too large; the most is "
                     "0xffff");
        return;
    }
    fail = g_strdup_printf("FAIL inb: the machine of cgemu-system-%s has "
                           "no I/O port space; reach devices through MMIO "
                           "with readb/writeb and friends", target);
    assert_reply(s, "inb 0x80", fail);
    g_free(fail);
    fail = g_strdup_printf("FAIL outl: the machine of cgemu-system-%s has "
                           "no I/O port space; reach devices through MMIO "
                           "with readb/writeb and friends", target);
    assert_reply(s, "outl 0xcf8 0x80000000", fail);
}

static const struct {
    const char *line;
    const char *reply;
} bad_lines[] = {
    { "", "FAIL empty line; expected a command such as 'readl ADDR'" },
    { "   \t ", "FAIL empty line; expected a command such as 'readl ADDR'" },
    { "foo", "FAIL unknown command 'foo'" },
    { "READB 0", "FAIL unknown command 'READB'" },
    { "readb", "FAIL usage: readb ADDR" },
    { "readb 0 1", "FAIL usage: readb ADDR" },
    { "writel 0x1000", "FAIL usage: writel ADDR VAL" },
    { "write 0x1000 4", "FAIL usage: write ADDR LEN 0xDATA" },
    { "endianness now", "FAIL usage: endianness" },
    { "readb zzz",
      "FAIL readb: ADDR 'zzz' is not an unsigned number (write it in "
      "decimal, 0x hex or 0 octal)" },
    { "readb -1",
      "FAIL readb: ADDR '-1' is not an unsigned number (write it in "
      "decimal, 0x hex or 0 octal)" },
    { "readb 0x",
      "FAIL readb: ADDR '0x' is not an unsigned number (write it in "
      "decimal, 0x hex or 0 octal)" },
    { "readb 08",
      "FAIL readb: ADDR '08' is not an unsigned number (write it in "
      "decimal, 0x hex or 0 octal)" },
    { "readl 0x100000000000000000000",
      "FAIL readl: ADDR '0x100000000000000000000' is not an unsigned "
      "number (write it in decimal, 0x hex or 0 octal)" },
    { "readl 0xfffffffffffffffe",
      "FAIL readl: ADDR 0xfffffffffffffffe is too large; the most is "
      "0xfffffffffffffffc" },
    { "writeb 0x1000 0x1ff",
      "FAIL writeb: VAL 0x1ff is too large; the most is 0xff" },
    { "writew 0x1000 0x10000",
      "FAIL writew: VAL 0x10000 is too large; the most is 0xffff" },
    { "read 0x1000 0", "FAIL read: LEN must be at least 1" },
    { "b64read 0x1000 0", "FAIL b64read: LEN must be at least 1" },
    { "read 0x1000 0x10000000000",
      "FAIL read: LEN 1099511627776 is over the limit of 16777216 bytes a "
      "command; split the access" },
    { "memset 0x1000 16777217 0",
      "FAIL memset: LEN 16777217 is over the limit of 16777216 bytes a "
      "command; split the access" },
    { "read 0xffffffffffffffff 2",
      "FAIL read: ADDR 0xffffffffffffffff + LEN 2 runs past the end of the "
      "address space" },
    { "memset 0x1000 4 0x100",
      "FAIL memset: VAL 0x100 is too large; the most is 0xff" },
    { "write 0x1000 2 1234", "FAIL write: DATA '1234' must start with 0x" },
    { "write 0x1000 2 0x123", "FAIL write: DATA has 3 hex digits; give two "
                              "a byte" },
    { "write 0x1000 2 0x123456",
      "FAIL write: DATA has 3 bytes, more than LEN 2" },
    { "write 0x1000 2 0xzz",
      "FAIL write: DATA has a non-hex character at 'zz'" },
    { "b64write 0x1000 4 !!!!",
      "FAIL b64write: DATA is not base64 of at most LEN bytes (A-Z a-z 0-9 "
      "+ /, padded with = to a multiple of 4)" },
    { "b64write 0x1000 4 AQID",
      "FAIL b64write: DATA decodes to 3 bytes, but LEN is 4" },
    { "b64write 0x1000 2 AQIDBA==",
      "FAIL b64write: DATA is not base64 of at most LEN bytes (A-Z a-z 0-9 "
      "+ /, padded with = to a multiple of 4)" },
    { "b64write 0x1000 4 AQ=DBA==",
      "FAIL b64write: DATA is not base64 of at most LEN bytes (A-Z a-z 0-9 "
      "+ /, padded with = to a multiple of 4)" },
    { "clock_step", "FAIL clock_step is not supported: cgemu has no virtual "
                    "clock" },
    { "irq_intercept_in /machine",
      "FAIL irq_intercept_in is not supported: interrupt lines are not "
      "visible to qtest" },
    /* Bytes that are not text are quoted back escaped, and cut. */
    { "\x01\x7f\\zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz",
      "FAIL unknown command '\\x01\\x7f\\x5czzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"
      "zzzzzzz...'" },
};

static void test_malformed(const char *target)
{
    g_autoptr(QTestState) s = qtest_init(target, NULL);

    for (size_t i = 0; i < G_N_ELEMENTS(bad_lines); i++) {
        g_test_message("line: %s", bad_lines[i].line);
        assert_reply(s, bad_lines[i].line, bad_lines[i].reply);
    }
    /* Still answering, with RAM untouched by the refused writes. */
    assert_reply(s, "writel 0x1000 0x12345678", "OK");
    assert_reply(s, "read 0x1000 4",
                 is_big(target) ? "OK 0x12345678" : "OK 0x78563412");
    /* A trailing CR is a blank; blanks may repeat. */
    assert_reply(s, "readb  0x1000\r",
                 is_big(target) ? "OK 0x0000000000000012"
                                : "OK 0x0000000000000078");
}

static void test_nul_byte(const char *target)
{
    g_autoptr(QTestState) s = qtest_init(target, NULL);
    static const char line[] = "readb 0\0x1000\n";
    g_autofree char *r = NULL;

    qtest_cmd_send_raw(s, line, sizeof(line) - 1);
    r = qtest_cmd_reply(s);
    g_assert_cmpstr(r, ==, "FAIL the line contains a NUL byte");
    assert_reply(s, "endianness", is_big(target) ? "OK big" : "OK little");
}

/* A line over the limit gets one FAIL; the next line is served. */
static void test_long_line(const char *target)
{
    g_autoptr(QTestState) s = qtest_init(target, NULL);
    size_t len = 40 * 1024 * 1024;
    g_autofree char *junk = g_malloc(len);
    g_autofree char *r = NULL;

    memset(junk, 'a', len);
    qtest_cmd_send_raw(s, "write 0x1000 4 0x", 17);
    qtest_cmd_send_raw(s, junk, len);
    qtest_cmd_send_raw(s, "\n", 1);
    r = qtest_cmd_reply(s);
    g_assert_cmpstr(r, ==, "FAIL the line is longer than 33554560 bytes");
    assert_reply(s, "endianness", is_big(target) ? "OK big" : "OK little");
}

/* The largest transfers allowed work. */
static void test_max_len(const char *target)
{
    g_autoptr(QTestState) s = qtest_init(target, "-m 256");
    g_autofree char *r = qtest_cmd(s, "read 0x1000000 16777216");

    g_assert_cmpuint(strlen(r), ==, 5 + 2 * 16777216);
    g_assert_true(g_str_has_prefix(r, "OK 0x"));
    assert_reply(s, "memset 0x1000000 16777216 0x11", "OK");
    assert_reply(s, "read 0x1fffffe 2", "OK 0x1111");
}

/* -qtest-log: every request and reply, in order, with a time. */
static void test_log(const char *target)
{
    g_autoptr(QTestState) s = qtest_init(target,
                                         "-qtest-log {tmpdir}/qtest.log");
    g_autofree char *path = g_build_filename(qtest_tmpdir(s), "qtest.log",
                                             NULL);
    g_autofree char *log = NULL;
    g_autoptr(GRegex) re = NULL;

    assert_reply(s, "writeb 0x1000 0x5", "OK");
    assert_reply(s, "bogus", "FAIL unknown command 'bogus'");
    g_assert_true(g_file_get_contents(path, &log, NULL, NULL));
    re = g_regex_new("^\\[I \\+[0-9]+\\.[0-9]{6}\\] OPENED\n"
                     "\\[R \\+[0-9.]+\\] endianness\n"
                     "\\[S \\+[0-9.]+\\] OK (big|little)\n"
                     "\\[R \\+[0-9.]+\\] writeb 0x1000 0x5\n"
                     "\\[S \\+[0-9.]+\\] OK\n"
                     "\\[R \\+[0-9.]+\\] bogus\n"
                     "\\[S \\+[0-9.]+\\] FAIL unknown command 'bogus'\n$",
                     0, 0, NULL);
    g_test_message("log:\n%s", log);
    g_assert_true(g_regex_match(re, log, 0, NULL));
}

/* -qtest chardev:ID, on a server chardev; a client that leaves in the
 * middle of a line does not leave it behind for the next one. */
static void test_chardev_reconnect(const char *target)
{
    QTestOptions opts = { .target = target, .no_qtest = true };
    g_autoptr(QTestState) s = qtest_init_with(
        &opts, "-chardev socket,id=qt,path={tmpdir}/qt.sock,server=on,"
               "wait=off -qtest chardev:qt");
    g_autofree char *path = g_build_filename(qtest_tmpdir(s), "qt.sock",
                                             NULL);
    char buf[64] = "";
    ssize_t n = 0;
    int fd;

    fd = qtest_socket_connect(path);
    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(write(fd, "readl 0x10", 10), ==, 10);
    close(fd);

    fd = qtest_socket_connect(path);
    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(write(fd, "endianness\n", 11), ==, 11);
    for (size_t got = 0; got == 0 || buf[got - 1] != '\n'; got += (size_t)n) {
        n = read(fd, buf + got, sizeof(buf) - 1 - got);
        g_assert_cmpint(n, >, 0);
    }
    close(fd);
    g_assert_cmpstr(buf, ==, is_big(target) ? "OK big\n" : "OK little\n");
}

static void expect_start_failure(const char *target, const char *args,
                                 const char *message)
{
    QTestOptions opts = { .target = target, .no_qtest = true };
    g_autoptr(GError) err = NULL;
    QTestState *s = qtest_try_init(&opts, args, &err);
    g_autofree char *expected = g_strdup_printf("cgemu-system-%s: %s\n",
                                                target, message);

    g_assert_null(s);
    g_assert_cmpint(err->code, ==, 1);
    g_assert_cmpstr(err->message, ==, expected);
}

static void test_start_errors(const char *target)
{
    expect_start_failure(target, "-qtest chardev:nosuch",
                         "-qtest chardev:nosuch: no chardev with id "
                         "'nosuch'; define it first with -chardev "
                         "BACKEND,id=nosuch");
    expect_start_failure(target,
                         "-qtest unix:/nonexistent/q.sock "
                         "-qtest-log /nonexistent/log",
                         "-qtest-log /nonexistent/log: cannot open the file: "
                         "No such file or directory");
    expect_start_failure(target,
                         "-chardev null,id=n -mon chardev=n "
                         "-qtest chardev:n",
                         "-qtest chardev:n: chardev 'n' is already in use "
                         "by another device or monitor; give each its own "
                         "chardev");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_per_target("protocol/endianness", test_endianness);
    qtest_add_per_target("protocol/scalar", test_scalar);
    qtest_add_per_target("protocol/bulk", test_bulk);
    qtest_add_per_target("protocol/bulk-helpers", test_bulk_helpers);
    qtest_add_per_target("protocol/unbacked", test_unbacked);
    qtest_add_per_target("protocol/ports", test_ports);
    qtest_add_per_target("protocol/malformed", test_malformed);
    qtest_add_per_target("protocol/nul-byte", test_nul_byte);
    qtest_add_per_target("protocol/long-line", test_long_line);
    qtest_add_per_target("protocol/max-len", test_max_len);
    qtest_add_per_target("protocol/log", test_log);
    qtest_add_per_target("protocol/chardev-reconnect",
                         test_chardev_reconnect);
    qtest_add_per_target("protocol/start-errors", test_start_errors);
    return g_test_run();
}
