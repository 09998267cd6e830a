/* libqtest internals shared by its process and QMP halves. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TESTS_QTEST_LIBQTEST_INTERNAL_H
#define TESTS_QTEST_LIBQTEST_INTERNAL_H

#include "libqtest.h"

/* One QMP connection: the main one, or an extra one of a test. */
struct QTestQmp {
    QTestState *s;
    int fd;
    GByteArray *in;           /* bytes received, not yet a message */
    GQueue *events;           /* JsonNode *, in arrival order */
    GQueue *replies;          /* non-event messages read ahead */
    JsonNode *greeting;
    bool eof;
};

struct QTestState {
    char *target;
    char *binary;
    char *dir;                /* private temporary directory */
    pid_t pid;
    int pidfd;                /* -1 where pidfd_open is unavailable */
    int slot;                 /* in the crash-cleanup registry */
    bool exited;              /* reaped; @status is valid */
    int status;               /* as from waitpid */
    bool status_checked;      /* qtest_wait_exit returned it */

    QTestQmp *qmp;            /* the main QMP connection, or NULL */
    GPtrArray *conns;         /* extra QTestQmp * still open */

    int qtest_fd;             /* -1: no qtest socket */
    GByteArray *qtest_in;
    bool endian_known;
    bool big_endian;

    unsigned timeout_ms;      /* for every wait */
};

/*
 * Ends the test program: prints @fmt and cgemu's stderr, kills and reaps
 * cgemu and removes its directory, then aborts (the registry's handler
 * finds nothing left to do).
 */
void qtest_fatal(QTestState *s, const char *fmt, ...) G_GNUC_PRINTF(2, 3)
    G_GNUC_NORETURN;

/*
 * Waits until @fd is readable (or at end of file) within the timeout;
 * dies on timeout naming @what.
 */
void qtest_wait_readable(QTestState *s, int fd, const char *what);

/* Writes all of @buf; false (errno set) when the peer has gone. */
bool qtest_try_send_all(int fd, const void *buf, size_t len);
/* Writes all of @buf; dies when cgemu has gone. */
void qtest_send_all(QTestState *s, int fd, const void *buf, size_t len,
                    const char *what);

/* A connection on @fd (taken), without reading anything yet. */
QTestQmp *qtest_qmp_conn_new(QTestState *s, int fd);
/* Closes and frees @q (not removing it from s->conns). */
void qtest_qmp_conn_free(QTestQmp *q);
/* Reads the greeting; false when cgemu closed the connection first. */
bool qtest_qmp_read_greeting(QTestQmp *q);
/*
 * QMP start-up of the main connection: greeting and capabilities.  False
 * (no error: the caller looks at the exit) when cgemu closed the
 * connection first.
 */
bool qtest_qmp_handshake(QTestQmp *q);

#endif
