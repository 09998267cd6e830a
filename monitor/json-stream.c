/* Splitting a byte stream into JSON values, as QMP input arrives. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "monitor/json-stream.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Quoted text in messages is cut here: the input may be megabytes. */
#define QUOTE_MAX 32

struct JsonStream {
    size_t max_size;
    unsigned max_depth;
    JsonStreamFunc fn;
    void *opaque;

    GString *buf;        /* the value so far, quotes normalised */
    size_t depth;        /* open brackets */
    char quote;          /* inside a string: its quote character, else 0 */
    unsigned escape;     /* 0; 1 after '\'; 2..5 reading \u's hex digits */
    unsigned uvalue;     /* the \u escape's value so far */
    bool in_token;       /* inside a bare number or keyword */
    size_t token_start;  /* its offset in buf */
    char *error;         /* the first problem with the value, or NULL */
    bool dropping;       /* too large or deep: framing only, no storing */
    bool reported;       /* the error was sent already (at the limit) */
    bool in_value;       /* bytes of a value have been seen */
    bool junk_reported;  /* the current run of junk has had its error */
};

JsonStream *json_stream_new(size_t max_size, unsigned max_depth,
                            JsonStreamFunc fn, void *opaque)
{
    JsonStream *js = g_new0(JsonStream, 1);

    js->max_size = max_size;
    js->max_depth = max_depth;
    js->fn = fn;
    js->opaque = opaque;
    js->buf = g_string_sized_new(256);
    return js;
}

void json_stream_free(JsonStream *js)
{
    if (js == NULL) {
        return;
    }
    g_string_free(js->buf, TRUE);
    g_free(js->error);
    g_free(js);
}

static void clear_value(JsonStream *js)
{
    /* A huge value's buffer is not kept for the next one. */
    if (js->buf->allocated_len > 64 * 1024) {
        g_string_free(js->buf, TRUE);
        js->buf = g_string_sized_new(256);
    } else {
        g_string_truncate(js->buf, 0);
    }
    g_clear_pointer(&js->error, g_free);
    js->depth = 0;
    js->quote = 0;
    js->escape = 0;
    js->in_token = false;
    js->dropping = false;
    js->reported = false;
    js->in_value = false;
}

void json_stream_reset(JsonStream *js)
{
    clear_value(js);
    js->junk_reported = false;
}

bool json_stream_pending(const JsonStream *js)
{
    return js->in_value;
}

static void fail(JsonStream *js, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* Records the first problem of the current value; later ones add nothing
 * (one reply per value). */
static void fail(JsonStream *js, const char *fmt, ...)
{
    va_list ap;

    if (js->error != NULL) {
        return;
    }
    va_start(ap, fmt);
    js->error = g_strdup_vprintf(fmt, ap);
    va_end(ap);
}

/*
 * A value over a limit is answered at once, not when it ends: a client
 * that sends 2000 '[' or an endless string learns why nothing happens.
 * The rest of the value is then only framed and dropped.
 */
static void over_limit(JsonStream *js, const char *msg)
{
    fail(js, "%s", msg);
    js->dropping = true;
    js->reported = true;
    js->fn(js->opaque, JSON_STREAM_ERROR, js->error, strlen(js->error));
}

static void put(JsonStream *js, char c)
{
    if (js->dropping) {
        return;
    }
    if (js->buf->len >= js->max_size) {
        g_autofree char *msg = g_strdup_printf(
            "the value is larger than %zu bytes, the limit of one QMP "
            "command; it was discarded", js->max_size);
        over_limit(js, msg);
        return;
    }
    g_string_append_c(js->buf, c);
}

static void put_str(JsonStream *js, const char *s)
{
    for (; *s; s++) {
        put(js, *s);
    }
}

/* A value is complete: hand it on, then start afresh. */
static void finish_value(JsonStream *js)
{
    if (js->reported) {
        /* answered when the limit was crossed */
    } else if (js->error != NULL) {
        js->fn(js->opaque, JSON_STREAM_ERROR, js->error, strlen(js->error));
    } else {
        js->fn(js->opaque, JSON_STREAM_VALUE, js->buf->str, js->buf->len);
    }
    js->junk_reported = false;
    clear_value(js);
}

/* Bytes between values that cannot start one: one error per run. */
static void junk(JsonStream *js, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static void junk(JsonStream *js, const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    va_list ap;

    if (js->junk_reported) {
        return;
    }
    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    js->junk_reported = true;
    js->fn(js->opaque, JSON_STREAM_ERROR, msg, strlen(msg));
}

static bool is_token_char(guchar c)
{
    return g_ascii_isalnum(c) || c == '+' || c == '-' || c == '.';
}

/* "'abc'" or "'abc...'" for messages. */
static char *quote_text(const char *s, size_t len)
{
    if (len > QUOTE_MAX) {
        return g_strdup_printf("'%.*s...'", QUOTE_MAX, s);
    }
    return g_strdup_printf("'%.*s'", (int)len, s);
}

/* JSON's number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static bool number_syntax(const char *s, bool *integral)
{
    const char *p = s;

    *integral = true;
    if (*p == '-') {
        p++;
    }
    if (*p == '0') {
        p++;
    } else if (g_ascii_isdigit(*p)) {
        while (g_ascii_isdigit(*p)) {
            p++;
        }
    } else {
        return false;
    }
    if (*p == '.') {
        *integral = false;
        p++;
        if (!g_ascii_isdigit(*p)) {
            return false;
        }
        while (g_ascii_isdigit(*p)) {
            p++;
        }
    }
    if (*p == 'e' || *p == 'E') {
        *integral = false;
        p++;
        if (*p == '+' || *p == '-') {
            p++;
        }
        if (!g_ascii_isdigit(*p)) {
            return false;
        }
        while (g_ascii_isdigit(*p)) {
            p++;
        }
    }
    return *p == '\0';
}

/* NULL when the token is a valid number or keyword, else the message. */
static char *check_token(const char *tok, size_t len)
{
    g_autofree char *q = quote_text(tok, len);
    bool integral;

    if (g_ascii_isalpha(tok[0])) {
        if (!strcmp(tok, "true") || !strcmp(tok, "false") ||
            !strcmp(tok, "null")) {
            return NULL;
        }
        return g_strdup_printf("invalid keyword %s", q);
    }
    if (!number_syntax(tok, &integral)) {
        return g_strdup_printf("invalid number %s", q);
    }
    errno = 0;
    if (integral) {
        strtoll(tok, NULL, 10);
        if (errno == ERANGE) {
            return g_strdup_printf("integer %s is out of range; QMP "
                                   "integers are 64-bit signed", q);
        }
    } else if (isinf(g_ascii_strtod(tok, NULL))) {
        return g_strdup_printf("number %s is out of range", q);
    }
    return NULL;
}

static void end_token(JsonStream *js)
{
    g_autofree char *msg = NULL;

    js->in_token = false;
    if (js->dropping) {
        if (js->depth == 0) {
            finish_value(js); /* reports the size */
        }
        return;
    }
    msg = check_token(js->buf->str + js->token_start,
                      js->buf->len - js->token_start);
    if (msg != NULL) {
        if (js->depth == 0) {
            /* A bare word between values is junk, like a stray '}'. */
            clear_value(js);
            junk(js, "%s", msg);
            return;
        }
        fail(js, "%s", msg);
    }
    if (js->depth == 0) {
        finish_value(js);
    }
}

static void string_byte(JsonStream *js, guchar c)
{
    if (js->escape == 1) {
        js->escape = 0;
        switch (c) {
        case '"':
        case '\\':
        case '/':
        case 'b':
        case 'f':
        case 'n':
        case 'r':
        case 't':
            put(js, '\\');
            put(js, (char)c);
            return;
        case '\'':
            /* QEMU's extension; plain JSON has no \' */
            put(js, '\'');
            return;
        case 'u':
            put_str(js, "\\u");
            js->escape = 2;
            js->uvalue = 0;
            return;
        default:
            fail(js, "invalid escape sequence '\\%c' in a string",
                 g_ascii_isprint(c) ? c : '?');
            return;
        }
    }
    if (js->escape >= 2) {
        if (!g_ascii_isxdigit(c)) {
            fail(js, "invalid \\u escape in a string: four hex digits "
                     "expected");
            js->escape = 0;
            /* c still counts as a string byte */
        } else {
            put(js, (char)c);
            js->uvalue = js->uvalue * 16 + (unsigned)g_ascii_xdigit_value(c);
            if (++js->escape == 6) {
                js->escape = 0;
                if (js->uvalue == 0) {
                    fail(js, "\\u0000 is not allowed in a string");
                }
            }
            return;
        }
    }
    if (c == '\\') {
        js->escape = 1;
    } else if (c == (guchar)js->quote) {
        put(js, '"');
        js->quote = 0;
        if (js->depth == 0) {
            finish_value(js);
        }
    } else if (c == '"') {
        put_str(js, "\\\""); /* inside a single-quoted string */
    } else if (c < 0x20) {
        fail(js, "control character 0x%02x in a string; write it as an "
                 "escape (\\n, \\u00XX)", c);
    } else {
        put(js, (char)c);
    }
}

static void value_byte(JsonStream *js, guchar c)
{
    switch (c) {
    case ' ':
    case '\t':
    case '\n':
    case '\r':
        if (js->depth > 0) {
            put(js, (char)c);
        }
        return;
    case '{':
    case '[':
        js->in_value = true;
        js->depth++;
        if (js->depth > js->max_depth && !js->dropping) {
            g_autofree char *msg = g_strdup_printf(
                "the value nests deeper than %u levels, the limit of one "
                "QMP command; it was discarded", js->max_depth);
            over_limit(js, msg);
        }
        put(js, (char)c);
        return;
    case '}':
    case ']':
        if (js->depth == 0) {
            junk(js, "unexpected '%c' outside any value", c);
            return;
        }
        put(js, (char)c);
        if (--js->depth == 0) {
            finish_value(js);
        }
        return;
    case '"':
    case '\'':
        js->in_value = true;
        js->quote = (char)c;
        put(js, '"');
        return;
    case ',':
    case ':':
        if (js->depth == 0) {
            junk(js, "unexpected '%c' outside any value", c);
            return;
        }
        put(js, (char)c);
        return;
    }
    if (is_token_char(c)) {
        js->in_value = true;
        js->in_token = true;
        js->token_start = js->buf->len;
        put(js, (char)c);
        return;
    }
    if (js->depth == 0) {
        if (g_ascii_isprint(c)) {
            junk(js, "stray '%c'", c);
        } else {
            junk(js, "stray byte 0x%02x", c);
        }
        return;
    }
    if (g_ascii_isprint(c)) {
        fail(js, "stray '%c'", c);
    } else {
        fail(js, "stray byte 0x%02x", c);
    }
}

void json_stream_feed(JsonStream *js, const void *data, size_t len)
{
    const guchar *p = data;

    for (size_t i = 0; i < len; i++) {
        guchar c = p[i];

        if (js->quote != 0) {
            string_byte(js, c);
            continue;
        }
        if (js->in_token) {
            if (is_token_char(c)) {
                put(js, (char)c);
                continue;
            }
            end_token(js);
        }
        value_byte(js, c);
    }
}
