/* The qtest protocol: a test drives guest memory and ports line by line. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_ACCEL_QTEST_H
#define CGEMU_ACCEL_QTEST_H

#include "hw/core/memory.h"
#include "qom/object.h"

#include <stdbool.h>
#include <stddef.h>

G_BEGIN_DECLS

/*
 * With -qtest, no vCPU runs; a test reads and writes the guest through a
 * line protocol on a chardev, with QEMU's command names and replies.  One
 * request line gets exactly one reply line ("OK ..." or "FAIL reason"),
 * in order.  docs/devel/qtest.rst lists every command and reply.
 *
 * Numbers are unsigned, in C notation (decimal, 0x hex, 0 octal), as QEMU
 * reads them.  Unlike QEMU, which asserts on many malformed lines, cgemu
 * answers every line: a missing, extra or unparsable argument, a value
 * wider than the access, a range that wraps past 2^64, a length over
 * QTEST_MAX_LEN or a line over QTEST_MAX_LINE is "FAIL <reason>".
 */

/* The most bytes one read/write/b64read/b64write/memset may cover. */
#define QTEST_MAX_LEN (16u * 1024 * 1024)
/* The longest request line: "write ADDR LEN 0x" + 2 hex digits a byte. */
#define QTEST_MAX_LINE (2 * QTEST_MAX_LEN + 128)

/* What one command acts on. */
typedef struct QtestTarget {
    AddressSpace *mem;      /* guest-physical memory; NULL: no machine yet,
                             * every command but endianness fails */
    AddressSpace *io;       /* x86 ports; NULL: in/out commands fail */
    GRecMutex *lock;        /* held around every access; NULL: none */
    bool big_endian;        /* readw/l/q and writew/l/q byte order */
    const char *binary;     /* "cgemu-system-ppc64", for messages */
    struct _MachineState *machine; /* for board calls (rtas); may be NULL */
} QtestTarget;

/*
 * Executes one request line (without its newline; NUL-terminated, any
 * bytes) against @t and returns the reply line without its newline.  Never
 * fails: problems are "FAIL ..." replies.
 */
char *qtest_execute(const QtestTarget *t, const char *line);

/* Whether cgemu-system-@target runs a big-endian guest (ppc64, s390x). */
bool qtest_target_big_endian(const char *target);

/*
 * The server: the protocol on a chardev.  @spec is the -qtest argument
 * ("unix:PATH", "chardev:ID", ...); a new chardev is named "qtest".  The
 * machine is looked up as @root's child "machine" at each command, so the
 * server may be created before the machine (the lifecycle creates chardevs
 * first).  @log_path (-qtest-log) receives every request and reply, with
 * the time since the server started; NULL: no log.
 */
typedef struct QtestServer QtestServer;

QtestServer *qtest_server_new(CgObject *root, const char *spec,
                              const char *target, const char *log_path,
                              GError **err);
/* Detaches from the chardev and closes the log; NULL is fine. */
void qtest_server_free(QtestServer *qs);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(QtestServer, qtest_server_free)

G_END_DECLS

#endif
