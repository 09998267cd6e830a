/* Splitting a byte stream into JSON values, as QMP input arrives. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_MONITOR_JSON_STREAM_H
#define CGEMU_MONITOR_JSON_STREAM_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>

G_BEGIN_DECLS

/*
 * QMP input is a stream of JSON values with nothing between them but
 * optional white space: "{...}{...}" is two commands, and one command may
 * arrive in many pieces.  JsonStream finds where each value ends (bracket
 * depth, strings and escapes, bare numbers and keywords) and lexes it on
 * the way, so that what it hands on is one value that json-glib can parse
 * alone, or an error.
 *
 * It is stricter than json-glib and as strict as QEMU where json-glib is
 * lenient: no comments, no leading zeros, no control characters in
 * strings, integers must fit in 64 bits (json-glib would wrap them), no
 * \u0000 (json-glib would cut the string there).  Like QEMU it also takes
 * single-quoted strings, rewritten to double quotes.
 *
 * Memory is bounded: a value longer than @max_size bytes, or nested deeper
 * than @max_depth, is reported once and the rest of it is skipped without
 * being stored.  A run of bytes between values that cannot start one
 * ("}}}", "hello") is reported once, however long it is.
 */
typedef enum {
    JSON_STREAM_VALUE,  /* @text is one complete value (NUL-terminated) */
    JSON_STREAM_ERROR,  /* @text is why the input was dropped */
} JsonStreamKind;

/* Called from json_stream_feed for each value or error, in order. */
typedef void (*JsonStreamFunc)(void *opaque, JsonStreamKind kind,
                               const char *text, size_t len);

typedef struct JsonStream JsonStream;

JsonStream *json_stream_new(size_t max_size, unsigned max_depth,
                            JsonStreamFunc fn, void *opaque);
void json_stream_free(JsonStream *js);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(JsonStream, json_stream_free)

void json_stream_feed(JsonStream *js, const void *buf, size_t len);
/* Forgets a partial value (the peer went away). */
void json_stream_reset(JsonStream *js);
/* Whether part of a value has been received but not its end. */
bool json_stream_pending(const JsonStream *js);

G_END_DECLS

#endif
