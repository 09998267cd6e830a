/* Fuzz target: the QMP stream splitter alone, checked against json-glib. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "fuzz.h"

#include "monitor/json-stream.h"

#include <json-glib/json-glib.h>
#include <string.h>

/*
 * Limits are small here (4 KiB, depth 16) so that the fuzzer reaches
 * them.  The splitter frames and lexes; the grammar inside a value is
 * json-glib's to check (a "JSON parse error" reply), so a value it hands
 * on may still be refused by json-glib.  Invariants checked:
 *  - feeding the same bytes in one piece or byte by byte gives the same
 *    values and errors in the same order, and the same pending state;
 *  - an error has a message; no text has a NUL inside;
 *  - input that json-glib reads as an object or array is either refused
 *    (the splitter is stricter: leading zeros, control characters,
 *    64-bit overflow, \u0000) or its first value is handed on equal to
 *    what json-glib read (json-glib ignores what follows the first value).
 *    Input with single quotes is left out: json-glib reads them as raw
 *    strings, QMP as QEMU does (escapes, and '"' as a plain character).
 */
#define MAX_SIZE 4096
#define MAX_DEPTH 16

static void collect(void *opaque, JsonStreamKind kind, const char *text,
                    size_t len)
{
    GPtrArray *events = opaque;

    g_assert(strlen(text) == len);
    g_assert(kind == JSON_STREAM_VALUE || len > 0);
    g_ptr_array_add(events, g_strdup_printf("%c%s",
                                            kind == JSON_STREAM_VALUE ? 'V'
                                                                      : 'E',
                                            text));
}

static JsonNode *parse(const char *text, gssize len)
{
    g_autoptr(JsonParser) parser = json_parser_new();
    JsonNode *root;

    if (!json_parser_load_from_data(parser, text, len, NULL)) {
        return NULL;
    }
    root = json_parser_get_root(parser);
    return root ? json_node_copy(root) : NULL;
}

/* The one-value invariant, for input json-glib accepts. */
static void check_single(const uint8_t *data, size_t size, GPtrArray *events)
{
    g_autoptr(JsonNode) expected = NULL;
    g_autoptr(JsonNode) got = NULL;
    const char *ev;

    if (size > MAX_SIZE || memchr(data, '\0', size) != NULL ||
        memchr(data, '\'', size) != NULL) {
        return;
    }
    expected = parse((const char *)data, (gssize)size);
    if (expected == NULL ||
        !(JSON_NODE_HOLDS_OBJECT(expected) ||
          JSON_NODE_HOLDS_ARRAY(expected))) {
        return;
    }
    for (guint i = 0; i < events->len; i++) {
        if (((const char *)g_ptr_array_index(events, i))[0] == 'E') {
            return;
        }
    }
    /* json-glib ignores what follows the first value; so does this. */
    if (events->len == 0) {
        g_error("a whole value in, nothing out: %.*s", (int)size, data);
    }
    ev = g_ptr_array_index(events, 0);
    got = parse(ev + 1, -1);
    if (got == NULL || !json_node_equal(expected, got)) {
        g_error("the splitter changed the value %.*s into %s", (int)size,
                data, ev + 1);
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_autoptr(GPtrArray) whole = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) bytes = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(JsonStream) a = json_stream_new(MAX_SIZE, MAX_DEPTH, collect,
                                              whole);
    g_autoptr(JsonStream) b = json_stream_new(MAX_SIZE, MAX_DEPTH, collect,
                                              bytes);

    json_stream_feed(a, data, size);
    for (size_t i = 0; i < size; i++) {
        json_stream_feed(b, data + i, 1);
    }
    g_assert(json_stream_pending(a) == json_stream_pending(b));
    g_assert(whole->len == bytes->len);
    for (guint i = 0; i < whole->len; i++) {
        g_assert(strcmp(g_ptr_array_index(whole, i),
                        g_ptr_array_index(bytes, i)) == 0);
    }
    check_single(data, size, whole);
    json_stream_reset(a);
    g_assert(!json_stream_pending(a));
    return 0;
}
