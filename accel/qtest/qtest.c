/* The qtest accelerator and its protocol: no vCPU runs, a test drives. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Three parts: the accelerator type (nothing executes), the commands (one
 * request line in, one reply line out; pure, also driven by the fuzzer),
 * and the server that reads lines from a chardev and writes replies and
 * the -qtest-log.
 */
#include "accel/accel.h"
#include "accel/qtest.h"

#include "chardev/char.h"
#include "hw/core/machine.h"
#include "util/error.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

typedef struct {
    AccelState parent_instance;
} QtestAccel;
typedef AccelStateClass QtestAccelClass;

CG_DEFINE_TYPE(QtestAccel, qtest_accel, "qtest-accel", CG_TYPE_ACCEL)

static void qtest_accel_class_init(QtestAccelClass *klass)
{
    klass->name = "qtest";
    klass->desc = "no CPU execution; the guest is driven by a test "
                  "through the qtest protocol";
}

static void qtest_accel_init(QtestAccel *self)
{
}

/* Commands. */

/* Longest piece of a bad word quoted back in a FAIL reply. */
#define QUOTE_MAX 40
/* memset writes through a buffer of this size. */
#define MEMSET_CHUNK (64u * 1024)

typedef struct Request {
    const QtestTarget *t;
    const char *name;
    char **argv;        /* argv[0] is the first argument, not the name */
    unsigned size;      /* access size of the b/w/l/q forms */
} Request;

typedef char *(*CmdFunc)(Request *req);

typedef struct Command {
    const char *name;
    const char *usage;      /* arguments, for "FAIL usage: ..." */
    unsigned argc;
    unsigned size;
    CmdFunc fn;
} Command;

/* Bytes a client sent, made printable and short enough to quote. */
static char *quote(const char *word)
{
    GString *s = g_string_new(NULL);
    size_t n = strlen(word);

    for (size_t i = 0; i < n && i < QUOTE_MAX; i++) {
        unsigned char c = (unsigned char)word[i];
        if (c >= 0x20 && c < 0x7f && c != '\\') {
            g_string_append_c(s, (char)c);
        } else {
            g_string_append_printf(s, "\\x%02x", c);
        }
    }
    if (n > QUOTE_MAX) {
        g_string_append(s, "...");
    }
    return g_string_free(s, FALSE);
}

static char *fail(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

static char *fail(const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    va_list ap;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    return g_strdup_printf("FAIL %s", msg);
}

/* Unsigned C notation, as QEMU reads it: 10, 0xa, 012. */
static bool parse_u64(const char *s, uint64_t *out)
{
    char *end = NULL;
    guint64 v;

    if (!g_ascii_isdigit(s[0])) {
        return false;
    }
    errno = 0;
    v = g_ascii_strtoull(s, &end, 0);
    if (errno != 0 || end == s || *end != '\0') {
        return false;
    }
    *out = v;
    return true;
}

/* Argument @i as a number no larger than @max; a reply on failure. */
static char *get_num(Request *req, unsigned i, const char *what,
                     uint64_t max, uint64_t *out)
{
    g_autofree char *q = NULL;

    if (!parse_u64(req->argv[i], out)) {
        q = quote(req->argv[i]);
        return fail("%s: %s '%s' is not an unsigned number (write it in "
                    "decimal, 0x hex or 0 octal)", req->name, what, q);
    }
    if (*out > max) {
        return fail("%s: %s 0x%" G_GINT64_MODIFIER "x is too large; the "
                    "most is 0x%" G_GINT64_MODIFIER "x", req->name, what,
                    *out, max);
    }
    return NULL;
}

static uint64_t width_max(unsigned size)
{
    return size >= 8 ? UINT64_MAX : (UINT64_C(1) << (8 * size)) - 1;
}

static char *need_memory(Request *req)
{
    if (req->t->mem == NULL) {
        return fail("%s: the machine is not created yet", req->name);
    }
    return NULL;
}

/* ADDR and LEN of the bulk commands, checked against wrapping and size. */
static char *get_range(Request *req, bool allow_empty, uint64_t *addr,
                       uint64_t *len)
{
    char *r;

    if ((r = need_memory(req)) != NULL ||
        (r = get_num(req, 0, "ADDR", UINT64_MAX, addr)) != NULL ||
        (r = get_num(req, 1, "LEN", UINT64_MAX, len)) != NULL) {
        return r;
    }
    if (*len == 0 && !allow_empty) {
        return fail("%s: LEN must be at least 1", req->name);
    }
    if (*len > QTEST_MAX_LEN) {
        return fail("%s: LEN %" G_GUINT64_FORMAT " is over the limit of %u "
                    "bytes a command; split the access", req->name, *len,
                    QTEST_MAX_LEN);
    }
    if (*len > 0 && *addr > UINT64_MAX - (*len - 1)) {
        return fail("%s: ADDR 0x%" G_GINT64_MODIFIER "x + LEN %"
                    G_GUINT64_FORMAT " runs past the end of the address "
                    "space", req->name, *addr, *len);
    }
    return NULL;
}

static void qtest_access(const QtestTarget *t, AddressSpace *as,
                         uint64_t addr, void *buf, uint64_t len,
                         bool is_write)
{
    if (t->lock != NULL) {
        g_rec_mutex_lock(t->lock);
    }
    address_space_rw(as, addr, buf, len, is_write);
    if (t->lock != NULL) {
        g_rec_mutex_unlock(t->lock);
    }
}

static uint64_t from_bytes(const uint8_t *b, unsigned size, bool big)
{
    uint64_t v = 0;

    for (unsigned i = 0; i < size; i++) {
        v |= (uint64_t)b[big ? size - 1 - i : i] << (8 * i);
    }
    return v;
}

static void to_bytes(uint8_t *b, uint64_t v, unsigned size, bool big)
{
    for (unsigned i = 0; i < size; i++) {
        b[big ? size - 1 - i : i] = (uint8_t)(v >> (8 * i));
    }
}

static char *cmd_readx(Request *req)
{
    uint8_t buf[8];
    uint64_t addr;
    char *r;

    if ((r = need_memory(req)) != NULL ||
        (r = get_num(req, 0, "ADDR", UINT64_MAX - (req->size - 1),
                     &addr)) != NULL) {
        return r;
    }
    qtest_access(req->t, req->t->mem, addr, buf, req->size, false);
    return g_strdup_printf("OK 0x%016" G_GINT64_MODIFIER "x",
                           from_bytes(buf, req->size, req->t->big_endian));
}

static char *cmd_writex(Request *req)
{
    uint8_t buf[8];
    uint64_t addr, val;
    char *r;

    if ((r = need_memory(req)) != NULL ||
        (r = get_num(req, 0, "ADDR", UINT64_MAX - (req->size - 1),
                     &addr)) != NULL ||
        (r = get_num(req, 1, "VAL", width_max(req->size), &val)) != NULL) {
        return r;
    }
    to_bytes(buf, val, req->size, req->t->big_endian);
    qtest_access(req->t, req->t->mem, addr, buf, req->size, true);
    return g_strdup("OK");
}

static char *need_ports(Request *req)
{
    if (req->t->io == NULL) {
        return fail("%s: the machine of %s has no I/O port space; reach "
                    "devices through MMIO with readb/writeb and friends",
                    req->name, req->t->binary ? req->t->binary : "cgemu");
    }
    return NULL;
}

static char *cmd_inx(Request *req)
{
    uint8_t buf[4];
    uint64_t port;
    char *r;

    if ((r = need_memory(req)) != NULL || (r = need_ports(req)) != NULL ||
        (r = get_num(req, 0, "PORT", 0x10000 - req->size, &port)) != NULL) {
        return r;
    }
    qtest_access(req->t, req->t->io, port, buf, req->size, false);
    /* QEMU prints port values with at least four digits, for every size. */
    return g_strdup_printf("OK 0x%04" G_GINT64_MODIFIER "x",
                           from_bytes(buf, req->size, false));
}

static char *cmd_outx(Request *req)
{
    uint8_t buf[4];
    uint64_t port, val;
    char *r;

    if ((r = need_memory(req)) != NULL || (r = need_ports(req)) != NULL ||
        (r = get_num(req, 0, "PORT", 0x10000 - req->size, &port)) != NULL ||
        (r = get_num(req, 1, "VAL", width_max(req->size), &val)) != NULL) {
        return r;
    }
    to_bytes(buf, val, req->size, false);
    qtest_access(req->t, req->t->io, port, buf, req->size, true);
    return g_strdup("OK");
}

static char *cmd_read(Request *req)
{
    static const char digits[] = "0123456789abcdef";
    g_autofree uint8_t *buf = NULL;
    uint64_t addr, len;
    char *out, *p;
    char *r;

    if ((r = get_range(req, false, &addr, &len)) != NULL) {
        return r;
    }
    buf = g_malloc(len);
    qtest_access(req->t, req->t->mem, addr, buf, len, false);
    out = g_malloc(5 + 2 * len + 1);
    p = g_stpcpy(out, "OK 0x");
    for (uint64_t i = 0; i < len; i++) {
        *p++ = digits[buf[i] >> 4];
        *p++ = digits[buf[i] & 15];
    }
    *p = '\0';
    return out;
}

static char *cmd_write(Request *req)
{
    const char *hex = req->argv[2];
    g_autofree uint8_t *buf = NULL;
    uint64_t addr, len;
    size_t ndigits;
    char *r;

    if ((r = get_range(req, false, &addr, &len)) != NULL) {
        return r;
    }
    if (hex[0] != '0' || (hex[1] != 'x' && hex[1] != 'X')) {
        g_autofree char *q = quote(hex);
        return fail("write: DATA '%s' must start with 0x", q);
    }
    hex += 2;
    ndigits = strlen(hex);
    if (ndigits % 2 != 0) {
        return fail("write: DATA has %zu hex digits; give two a byte",
                    ndigits);
    }
    if (ndigits / 2 > len) {
        return fail("write: DATA has %zu bytes, more than LEN %"
                    G_GUINT64_FORMAT, ndigits / 2, len);
    }
    /* Shorter data is padded with zeros, as QEMU does. */
    buf = g_malloc0(len);
    for (size_t i = 0; i < ndigits; i++) {
        int d = g_ascii_xdigit_value(hex[i]);
        if (d < 0) {
            g_autofree char *q = quote(hex + i);
            return fail("write: DATA has a non-hex character at '%s'", q);
        }
        buf[i / 2] |= (uint8_t)(d << (i % 2 ? 0 : 4));
    }
    qtest_access(req->t, req->t->mem, addr, buf, len, true);
    return g_strdup("OK");
}

static char *cmd_b64read(Request *req)
{
    g_autofree uint8_t *buf = NULL;
    g_autofree char *enc = NULL;
    uint64_t addr, len;
    char *r;

    if ((r = get_range(req, false, &addr, &len)) != NULL) {
        return r;
    }
    buf = g_malloc(len);
    qtest_access(req->t, req->t->mem, addr, buf, len, false);
    enc = g_base64_encode(buf, len);
    return g_strdup_printf("OK %s", enc);
}

/* Standard base64 with its padding; GLib's decoder skips bad characters. */
static bool b64_valid(const char *s)
{
    size_t n = strlen(s), pad = 0;

    if (n % 4 != 0) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '=') {
            if (i + 2 < n) {
                return false;
            }
            pad++;
        } else if (pad > 0 ||
                   !(g_ascii_isalnum(c) || c == '+' || c == '/')) {
            return false;
        }
    }
    return true;
}

static char *cmd_b64write(Request *req)
{
    g_autofree guchar *data = NULL;
    uint64_t addr, len;
    gsize n = 0;
    char *r;

    if ((r = get_range(req, false, &addr, &len)) != NULL) {
        return r;
    }
    if (strlen(req->argv[2]) > 4 * ((len + 2) / 3) ||
        !b64_valid(req->argv[2])) {
        return fail("b64write: DATA is not base64 of at most LEN bytes "
                    "(A-Z a-z 0-9 + /, padded with = to a multiple of 4)");
    }
    data = g_base64_decode(req->argv[2], &n);
    if (n != len) {
        return fail("b64write: DATA decodes to %zu bytes, but LEN is %"
                    G_GUINT64_FORMAT, (size_t)n, len);
    }
    qtest_access(req->t, req->t->mem, addr, data, len, true);
    return g_strdup("OK");
}

static char *cmd_memset(Request *req)
{
    g_autofree uint8_t *buf = NULL;
    uint64_t addr, len, val;
    char *r;

    if ((r = get_range(req, true, &addr, &len)) != NULL ||
        (r = get_num(req, 2, "VAL", 0xff, &val)) != NULL) {
        return r;
    }
    buf = g_malloc(MIN(len, MEMSET_CHUNK) + 1);
    memset(buf, (int)val, MIN(len, MEMSET_CHUNK));
    while (len > 0) {
        uint64_t n = MIN(len, MEMSET_CHUNK);
        qtest_access(req->t, req->t->mem, addr, buf, n, true);
        addr += n;
        len -= n;
    }
    return g_strdup("OK");
}

/* The most argument or result words an RTAS call takes here. */
#define QTEST_RTAS_MAX_WORDS 16

static char *cmd_rtas(Request *req)
{
    MachineState *ms = req->t->machine;
    MachineStateClass *mc;
    uint64_t nargs, args, nret, rets;
    int64_t r;
    char *fail_reply;

    if (ms == NULL || (mc = CG_MACHINE_GET_CLASS(ms))->qtest_rtas == NULL) {
        return fail("rtas: machine %s has no RTAS (pseries has)",
                    ms ? CG_MACHINE_GET_CLASS(ms)->name : "(none)");
    }
    if ((fail_reply = get_num(req, 1, "NARGS", QTEST_RTAS_MAX_WORDS,
                              &nargs)) != NULL ||
        (fail_reply = get_num(req, 2, "ARGS", UINT64_MAX, &args)) != NULL ||
        (fail_reply = get_num(req, 3, "NRET", QTEST_RTAS_MAX_WORDS,
                              &nret)) != NULL ||
        (fail_reply = get_num(req, 4, "RETS", UINT64_MAX, &rets)) != NULL) {
        return fail_reply;
    }
    if (req->t->lock) {
        g_rec_mutex_lock(req->t->lock);
    }
    r = mc->qtest_rtas(ms, req->argv[0], (uint32_t)nargs, args,
                       (uint32_t)nret, rets);
    if (req->t->lock) {
        g_rec_mutex_unlock(req->t->lock);
    }
    /* QEMU prints the status as unsigned: -4 is 18446744073709551612. */
    return g_strdup_printf("OK %" G_GUINT64_FORMAT, (uint64_t)r);
}

static char *cmd_endianness(Request *req)
{
    return g_strdup(req->t->big_endian ? "OK big" : "OK little");
}

static const Command commands[] = {
    { "readb", "ADDR", 1, 1, cmd_readx },
    { "readw", "ADDR", 1, 2, cmd_readx },
    { "readl", "ADDR", 1, 4, cmd_readx },
    { "readq", "ADDR", 1, 8, cmd_readx },
    { "writeb", "ADDR VAL", 2, 1, cmd_writex },
    { "writew", "ADDR VAL", 2, 2, cmd_writex },
    { "writel", "ADDR VAL", 2, 4, cmd_writex },
    { "writeq", "ADDR VAL", 2, 8, cmd_writex },
    { "inb", "PORT", 1, 1, cmd_inx },
    { "inw", "PORT", 1, 2, cmd_inx },
    { "inl", "PORT", 1, 4, cmd_inx },
    { "outb", "PORT VAL", 2, 1, cmd_outx },
    { "outw", "PORT VAL", 2, 2, cmd_outx },
    { "outl", "PORT VAL", 2, 4, cmd_outx },
    { "read", "ADDR LEN", 2, 0, cmd_read },
    { "write", "ADDR LEN 0xDATA", 3, 0, cmd_write },
    { "b64read", "ADDR LEN", 2, 0, cmd_b64read },
    { "b64write", "ADDR LEN BASE64", 3, 0, cmd_b64write },
    { "memset", "ADDR LEN VAL", 3, 0, cmd_memset },
    { "endianness", "", 0, 0, cmd_endianness },
    { "rtas", "NAME NARGS ARGS NRET RETS", 5, 0, cmd_rtas },
};

/* QEMU commands cgemu knows of but does not have, and why. */
static const struct {
    const char *name;
    const char *why;
} missing[] = {
    { "clock_step", "cgemu has no virtual clock" },
    { "clock_set", "cgemu has no virtual clock" },
    { "irq_intercept_in", "interrupt lines are not visible to qtest" },
    { "irq_intercept_out", "interrupt lines are not visible to qtest" },
    { "set_irq_in", "interrupt lines are not visible to qtest" },
    { "module_load", "cgemu has no loadable modules" },
};

char *qtest_execute(const QtestTarget *t, const char *line)
{
    g_auto(GStrv) words = NULL;
    g_autoptr(GPtrArray) args = g_ptr_array_new();
    Request req = { .t = t };
    const char *name;

    /* Runs of blanks separate words; a trailing CR (telnet, socat crlf)
     * is a blank too. */
    words = g_strsplit_set(line, " \t\r", -1);
    for (char **w = words; *w != NULL; w++) {
        if (**w != '\0') {
            g_ptr_array_add(args, *w);
        }
    }
    if (args->len == 0) {
        return fail("empty line; expected a command such as 'readl ADDR'");
    }
    name = g_ptr_array_index(args, 0);
    g_ptr_array_add(args, NULL);

    for (size_t i = 0; i < G_N_ELEMENTS(commands); i++) {
        const Command *c = &commands[i];
        if (strcmp(c->name, name) != 0) {
            continue;
        }
        if (args->len - 2 != c->argc) {
            return fail("usage: %s%s%s", c->name, *c->usage ? " " : "",
                        c->usage);
        }
        req.name = c->name;
        req.argv = (char **)args->pdata + 1;
        req.size = c->size;
        return c->fn(&req);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(missing); i++) {
        if (strcmp(missing[i].name, name) == 0) {
            return fail("%s is not supported: %s", name, missing[i].why);
        }
    }
    {
        g_autofree char *q = quote(name);
        return fail("unknown command '%s'", q);
    }
}

bool qtest_target_big_endian(const char *target)
{
    return target != NULL &&
           (strcmp(target, "ppc64") == 0 || strcmp(target, "s390x") == 0);
}

/* The server. */

/* Input is taken in pieces of this size; lines are handled at once. */
#define RECEIVE_CHUNK 65536

struct QtestServer {
    CgObject *root;         /* borrowed: the tree outlives the server */
    Chardev *chr;           /* borrowed: the tree owns it */
    char *binary;
    bool big_endian;
    GByteArray *line;       /* the request received so far */
    bool skipping;          /* an overlong line, answered, until its end */
    FILE *log;
    gint64 start_us;
};

static void log_line(QtestServer *qs, char kind, const char *text,
                     size_t len)
{
    double t;

    if (qs->log == NULL) {
        return;
    }
    t = (double)(g_get_monotonic_time() - qs->start_us) / G_USEC_PER_SEC;
    fprintf(qs->log, "[%c +%.6f] ", kind, t);
    fwrite(text, 1, len, qs->log);
    fputc('\n', qs->log);
    fflush(qs->log);
}

static void reply(QtestServer *qs, char *text)
{
    size_t len = strlen(text);

    log_line(qs, 'S', text, len);
    /* One write, so that the newline never travels alone. */
    text = g_realloc(text, len + 2);
    text[len] = '\n';
    text[len + 1] = '\0';
    chardev_write(qs->chr, text, len + 1);
    g_free(text);
}

static void handle_line(QtestServer *qs, const char *line, size_t len)
{
    CgObject *obj = cg_object_get_child(qs->root, "machine");
    QtestTarget t = {
        .big_endian = qs->big_endian,
        .binary = qs->binary,
    };

    log_line(qs, 'R', line, len);
    if (memchr(line, '\0', len) != NULL) {
        reply(qs, g_strdup("FAIL the line contains a NUL byte"));
        return;
    }
    if (obj != NULL && CG_IS_MACHINE(obj)) {
        MachineState *ms = CG_MACHINE(obj);
        t.mem = ms->mem;
        t.io = ms->io;
        t.lock = &ms->lock;
        t.machine = ms;
    }
    reply(qs, qtest_execute(&t, line));
}

static size_t qtest_can_receive(void *opaque)
{
    return RECEIVE_CHUNK;
}

static void qtest_receive(void *opaque, const uint8_t *buf, size_t len)
{
    QtestServer *qs = opaque;

    while (len > 0) {
        const uint8_t *nl = memchr(buf, '\n', len);
        size_t n = nl ? (size_t)(nl - buf) : len;

        if (!qs->skipping) {
            if (qs->line->len + n > QTEST_MAX_LINE) {
                reply(qs, g_strdup_printf("FAIL the line is longer than "
                                          "%u bytes", QTEST_MAX_LINE));
                g_byte_array_set_size(qs->line, 0);
                qs->skipping = true;
            } else {
                g_byte_array_append(qs->line, buf, (guint)n);
            }
        }
        if (nl == NULL) {
            return;
        }
        if (!qs->skipping) {
            /* NUL-terminated for the parser, without the newline. */
            g_byte_array_append(qs->line, (const guint8 *)"", 1);
            handle_line(qs, (const char *)qs->line->data,
                        qs->line->len - 1);
        }
        g_byte_array_set_size(qs->line, 0);
        qs->skipping = false;
        buf += n + 1;
        len -= n + 1;
    }
}

static void qtest_event(void *opaque, CharEvent event)
{
    QtestServer *qs = opaque;
    const char *what = event == CHR_EVENT_OPENED ? "OPENED" : "CLOSED";

    /* A new client starts with a clean slate. */
    g_byte_array_set_size(qs->line, 0);
    qs->skipping = false;
    log_line(qs, 'I', what, strlen(what));
}

static const CharFrontendOps qtest_fe_ops = {
    .can_receive = qtest_can_receive,
    .receive = qtest_receive,
    .event = qtest_event,
};

QtestServer *qtest_server_new(CgObject *root, const char *spec,
                              const char *target, const char *log_path,
                              GError **err)
{
    g_autoptr(QtestServer) qs = g_new0(QtestServer, 1);

    qs->root = root;
    qs->binary = g_strdup_printf("cgemu-system-%s", target);
    qs->big_endian = qtest_target_big_endian(target);
    qs->line = g_byte_array_new();
    qs->start_us = g_get_monotonic_time();
    /* QEMU's spelling for "no log". */
    if (log_path != NULL && strcmp(log_path, "none") != 0) {
        qs->log = g_fopen(log_path, "we");
        if (qs->log == NULL) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "-qtest-log %s: cannot open the file: %s", log_path,
                        g_strerror(errno));
            return NULL;
        }
    }
    qs->chr = chardev_new_from_spec(root, spec, "qtest", err);
    if (qs->chr == NULL) {
        g_prefix_error(err, "-qtest %s: ", spec);
        return NULL;
    }
    if (!chardev_attach(qs->chr, &qtest_fe_ops, qs, err)) {
        qs->chr = NULL;
        g_prefix_error(err, "-qtest %s: ", spec);
        return NULL;
    }
    return g_steal_pointer(&qs);
}

void qtest_server_free(QtestServer *qs)
{
    if (qs == NULL) {
        return;
    }
    if (qs->chr != NULL) {
        chardev_detach(qs->chr);
    }
    if (qs->log != NULL) {
        fclose(qs->log);
    }
    g_byte_array_unref(qs->line);
    g_free(qs->binary);
    g_free(qs);
}
