/* One QMP conversation: greeting, negotiation, dispatch, events. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_MONITOR_QMP_SESSION_H
#define CGEMU_MONITOR_QMP_SESSION_H

#include "system/system.h"

#include <stdbool.h>
#include <stddef.h>

G_BEGIN_DECLS

/*
 * The protocol without the transport: bytes in (qmp_session_feed), whole
 * messages out (the output function gets one reply, event or greeting per
 * call, with its "\r\n").  monitor.c binds it to a chardev; tests and the
 * fuzzer drive it directly.
 *
 * Limits: one command is at most QMP_MAX_INPUT_SIZE bytes of JSON and
 * nests at most QMP_MAX_DEPTH levels; beyond that it gets an error reply
 * and is skipped without being stored.
 */
#define QMP_MAX_INPUT_SIZE (1024 * 1024)
#define QMP_MAX_DEPTH 1024

typedef void (*QmpOutputFunc)(void *opaque, const char *text, size_t len);

typedef struct QmpSession QmpSession;

QmpSession *qmp_session_new(CgSystem *sys, bool pretty, QmpOutputFunc out,
                            void *opaque);
void qmp_session_free(QmpSession *s);

/* A client connected: forget the previous one's state, send the
 * greeting. */
void qmp_session_open(QmpSession *s);
/* The client went away: forget its negotiation and partial input. */
void qmp_session_close(QmpSession *s);
/* Input; each complete command is executed before this returns. */
void qmp_session_feed(QmpSession *s, const void *buf, size_t len);
/* Sends an event, if the client has negotiated capabilities.  @data may
 * be NULL; it is not consumed.  An empty @data is left out, as QEMU
 * does for events without data. */
void qmp_session_event(QmpSession *s, const char *name, JsonNode *data);
bool qmp_session_negotiated(const QmpSession *s);

G_END_DECLS

#endif
