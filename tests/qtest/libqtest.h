/* libqtest: start a cgemu binary and drive it over QMP and qtest. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TESTS_QTEST_LIBQTEST_H
#define TESTS_QTEST_LIBQTEST_H

#include <glib.h>
#include <json-glib/json-glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

G_BEGIN_DECLS

/*
 * A QTestState is one running cgemu process with a private temporary
 * directory holding its QMP and qtest sockets (the harness listens, cgemu
 * connects as a client), and its stdout and stderr.  Everything is undone
 * by qtest_quit(), and also when the test dies first: the process is
 * killed and reaped and the directory removed from an abort/signal
 * handler and at exit, and the kernel kills cgemu if the test process
 * vanishes without a handler (PR_SET_PDEATHSIG).  Every wait is bounded
 * ($CGEMU_QTEST_TIMEOUT seconds, default 60); a wait that times out or
 * finds cgemu gone ends the test program with cgemu's stderr printed.
 *
 * Binaries come from $CGEMU_SYSTEM_<TARGET> (tests/qtest/meson.build sets
 * them), e.g. CGEMU_SYSTEM_X86_64.  docs/devel/qtest.rst has examples.
 */
typedef struct QTestState QTestState;

typedef struct QTestOptions {
    const char *target;       /* "x86_64", "ppc64", "s390x" */
    const char *binary;       /* a path instead of the target's binary */
    /*
     * NULL or "qtest": -accel qtest and a qtest socket.  Anything else
     * ("kvm") is passed as -accel NAME, without a qtest socket (the
     * memory and port helpers are then unavailable).
     */
    const char *accel;
    bool no_qmp;              /* start without a QMP monitor */
    /* -accel qtest without the harness's qtest socket (a test that gives
     * its own -qtest). */
    bool no_qtest;
    /*
     * Extra environment, "NAME=VALUE" entries, NULL-terminated; the rest
     * is inherited.  ASAN_OPTIONS and UBSAN_OPTIONS are appended to the
     * inherited value (':' between) so that meson's settings stay, e.g.
     * { "LD_PRELOAD=/path/libhostsim.so",
     *   "ASAN_OPTIONS=verify_asan_link_order=0", NULL }.
     */
    const char *const *env;
    /*
     * Called with the private directory before cgemu starts, to put files
     * there that the arguments name as {tmpdir}/... (disk images,
     * configuration for a preloaded library).
     */
    void (*prepare)(const char *dir, void *opaque);
    void *prepare_opaque;
    /*
     * Descriptors of the test that cgemu inherits under the same numbers
     * (as libvirt passes files: -add-fd set=0,fd=N); -1-terminated.
     */
    const int *pass_fds;
} QTestOptions;

/* Error domain of qtest_try_init: the code is cgemu's exit status. */
#define QTEST_ERROR (qtest_error_quark())
GQuark qtest_error_quark(void);

/*
 * Starts cgemu-system-@target with @args (shell words, may be NULL),
 * waits until the machine is built and QMP capabilities are negotiated.
 * Fails the test when cgemu does not start.  "{tmpdir}" in @args stands
 * for the private directory ("-qtest-log {tmpdir}/log").
 */
QTestState *qtest_init(const char *target, const char *args);
QTestState *qtest_initf(const char *target, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);
QTestState *qtest_init_with(const QTestOptions *opts, const char *args);
/*
 * As qtest_init_with, but a cgemu that exits during start-up is a result,
 * not a failure: NULL, with @err's code its exit status (128+N for a
 * signal N) and message everything it wrote to stderr.
 */
QTestState *qtest_try_init(const QTestOptions *opts, const char *args,
                           GError **err);

/*
 * Stops cgemu (SIGTERM, then SIGKILL after the timeout), reaps it and
 * removes the directory.  Unless qtest_wait_exit() already collected the
 * exit, an exit other than status 0 after SIGTERM (a crash, a sanitizer
 * report) fails the test.  NULL is fine.
 */
void qtest_quit(QTestState *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(QTestState, qtest_quit)

/* Waits for cgemu to exit by itself: its exit status, or 128+signal. */
int qtest_wait_exit(QTestState *s);

pid_t qtest_pid(QTestState *s);
/* The private directory; files put there are removed with it. */
const char *qtest_tmpdir(QTestState *s);
/* What cgemu wrote to stderr / stdout so far (the caller frees). */
char *qtest_stderr(QTestState *s);
char *qtest_stdout(QTestState *s);
const char *qtest_target(QTestState *s);

/*
 * Registers @fn as "/@target/@path" for each target whose binary is
 * configured, in the order x86_64, ppc64, s390x; @fn gets the target.
 */
void qtest_add_per_target(const char *path, void (*fn)(const char *target));
/* The binary of @target from the environment, or NULL. */
const char *qtest_binary(const char *target);

/* ---- QMP ---- */

/*
 * Commands are written as JSON with printf conversions, and single quotes
 * may stand for double quotes: qtest_qmp(s, "{'execute': 'qom-get',
 * 'arguments': {'path': %s, 'property': 'type'}}", path).  A conversion
 * inserts a JSON value: %s a string (quoted and escaped; NULL is null),
 * %d %i %u %ld %li %lu %lld %lli %llu (PRId64/PRIu64) an integer, %f a
 * number; %% is '%'.  Conversions go outside quotes.  The text must be one
 * JSON object (a test bug otherwise); use qtest_qmp_send_raw for bad
 * input.
 */
char *qtest_json_format(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
char *qtest_json_vformat(const char *fmt, va_list ap) G_GNUC_PRINTF(1, 0);

/* Sends a command and returns its reply ({"return"...} or {"error"...});
 * events that arrive before it are kept for the event functions. */
JsonNode *qtest_qmp(QTestState *s, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
JsonNode *qtest_vqmp(QTestState *s, const char *fmt, va_list ap)
    G_GNUC_PRINTF(2, 0);
/* The same with a command built with json-glib. */
JsonNode *qtest_qmp_node(QTestState *s, JsonNode *cmd);

/* Sends without waiting; qtest_qmp_receive() gets the reply. */
void qtest_qmp_send(QTestState *s, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Sends bytes as they are (malformed input, partial commands). */
void qtest_qmp_send_raw(QTestState *s, const void *buf, size_t len);
/* The next message that is not an event. */
JsonNode *qtest_qmp_receive(QTestState *s);
/*
 * True when cgemu closed the QMP connection: waits for the next message
 * or end of file; a message (kept for qtest_qmp_receive) gives false.
 */
bool qtest_qmp_wait_closed(QTestState *s);

/* The reply must be a success: its "return" value, or nothing. */
JsonNode *qtest_qmp_assert_success_ref(QTestState *s, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);
void qtest_qmp_assert_success(QTestState *s, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);
/* The reply must be an error of class @klass: its "desc" (freed by the
 * caller). */
char *qtest_qmp_assert_error(QTestState *s, const char *klass,
                             const char *fmt, ...) G_GNUC_PRINTF(3, 4);

/* The greeting cgemu sent ({"QMP": {...}}). */
JsonNode *qtest_qmp_greeting(QTestState *s);

/*
 * Waits for event @name (one seen earlier counts) and returns it whole
 * ({"event", "data", "timestamp"}), removing it from the buffer.
 */
JsonNode *qtest_qmp_eventwait_ref(QTestState *s, const char *name);
void qtest_qmp_eventwait(QTestState *s, const char *name);
/* An event @name already received, or NULL; does not wait. */
JsonNode *qtest_qmp_event_ref(QTestState *s, const char *name);

/* The "return" value of @reply (a new reference); fails the test when
 * @reply is an error. */
JsonNode *qtest_reply_return(JsonNode *reply);
/* The "desc" of error @reply, whose class must be @klass (NULL: any);
 * fails the test otherwise. */
char *qtest_reply_error(JsonNode *reply, const char *klass);

/*
 * Extra QMP clients, for tests of several monitors: connects to a socket
 * cgemu listens on (e.g. -qmp unix:{tmpdir}/m2.sock,server=on,wait=off)
 * and reads the greeting, without negotiating.  Connections still open
 * are closed by qtest_quit.
 */
typedef struct QTestQmp QTestQmp;
QTestQmp *qtest_qmp_connect(QTestState *s, const char *path);
void qtest_qmp_disconnect(QTestQmp *q);
JsonNode *qtest_qmp_conn_greeting(QTestQmp *q);
/* Sends a command (formatted as for qtest_qmp) and returns its reply. */
JsonNode *qtest_qmp_conn_cmd(QTestQmp *q, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);
void qtest_qmp_conn_send_raw(QTestQmp *q, const void *buf, size_t len);
JsonNode *qtest_qmp_conn_receive(QTestQmp *q);
bool qtest_qmp_conn_wait_closed(QTestQmp *q);

/* Member @member (a string) of each object of @array, sorted. */
char **qtest_json_strings(JsonNode *array, const char *member);
/* JSON text of @node, compact, for messages and comparisons. */
char *qtest_json_to_string(JsonNode *node);

/* ---- the QMP schema (libqtest-schema.c) ---- */

/*
 * A query-qmp-schema answer, indexed by name.  Building it fails the test
 * when the answer is malformed: a name defined twice, a type named but
 * not defined, an unknown meta-type, a command or event whose arg-type is
 * not an object.
 */
typedef struct QTestSchema QTestSchema;
QTestSchema *qtest_schema_new(JsonNode *answer);
/* query-qmp-schema of @qts. */
QTestSchema *qtest_schema_fetch(QTestState *qts);
void qtest_schema_free(QTestSchema *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(QTestSchema, qtest_schema_free)

/* The entry @name (command, event or type), or NULL. */
JsonObject *qtest_schema_entry(QTestSchema *s, const char *name);
/* Sorted names of the entries of meta-type @meta ("command", "event"). */
char **qtest_schema_names(QTestSchema *s, const char *meta);
/*
 * NULL when @value fits type @type; otherwise where and why not
 * ("/props/core-id: not a int").  Objects may have no member the schema
 * does not list, and must have every member it does not mark optional.
 */
char *qtest_schema_mismatch(QTestSchema *s, const char *type,
                            JsonNode *value);
/* Fails the test unless @ret fits the ret-type of @command. */
void qtest_schema_assert_return(QTestSchema *s, const char *command,
                                JsonNode *ret);
/* Fails the test unless @event is in the schema and its data fits. */
void qtest_schema_assert_event(QTestSchema *s, JsonNode *event);
/* As qtest_qmp_assert_success_ref, and checks the return value. */
JsonNode *qtest_qmp_checked(QTestState *qts, QTestSchema *s,
                            const char *fmt, ...) G_GNUC_PRINTF(3, 4);

/*
 * A QTestOptions.prepare for a disk image: "disk.img" of @opaque bytes
 * (GSIZE_TO_POINTER), zero-filled, in the private directory.
 */
void qtest_prepare_disk(const char *dir, void *opaque);

/* A client socket connected to the unix socket @path (-1 on failure). */
int qtest_socket_connect(const char *path);

/* ---- qtest protocol ---- */

/* Sends one line and returns the reply line (no newline), unchecked. */
char *qtest_cmd(QTestState *s, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Sends raw bytes on the qtest socket; replies are read with
 * qtest_cmd_reply. */
void qtest_cmd_send_raw(QTestState *s, const void *buf, size_t len);
char *qtest_cmd_reply(QTestState *s);

/* These fail the test unless the reply is "OK ...". */
bool qtest_big_endian(QTestState *s);
uint8_t qtest_readb(QTestState *s, uint64_t addr);
uint16_t qtest_readw(QTestState *s, uint64_t addr);
uint32_t qtest_readl(QTestState *s, uint64_t addr);
uint64_t qtest_readq(QTestState *s, uint64_t addr);
void qtest_writeb(QTestState *s, uint64_t addr, uint8_t val);
void qtest_writew(QTestState *s, uint64_t addr, uint16_t val);
void qtest_writel(QTestState *s, uint64_t addr, uint32_t val);
void qtest_writeq(QTestState *s, uint64_t addr, uint64_t val);
uint8_t qtest_inb(QTestState *s, uint16_t port);
uint16_t qtest_inw(QTestState *s, uint16_t port);
uint32_t qtest_inl(QTestState *s, uint16_t port);
void qtest_outb(QTestState *s, uint16_t port, uint8_t val);
void qtest_outw(QTestState *s, uint16_t port, uint16_t val);
void qtest_outl(QTestState *s, uint16_t port, uint32_t val);
/* Bulk transfers in hex (read/write) and base64 (b64read/b64write), in
 * pieces the protocol accepts. */
void qtest_memread(QTestState *s, uint64_t addr, void *buf, size_t size);
void qtest_memwrite(QTestState *s, uint64_t addr, const void *buf,
                    size_t size);
void qtest_bufread(QTestState *s, uint64_t addr, void *buf, size_t size);
void qtest_bufwrite(QTestState *s, uint64_t addr, const void *buf,
                    size_t size);
void qtest_memset(QTestState *s, uint64_t addr, uint8_t pattern,
                  size_t size);

G_END_DECLS

#endif
