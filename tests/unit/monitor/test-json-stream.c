/* Unit tests: the QMP input splitter (framing, lexing, limits). */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "monitor/json-stream.h"

#include <string.h>

/* What the stream handed on, one line per value or error:
 * "V:<text>" or "E:<message>". */
typedef struct {
    GPtrArray *items;
} Sink;

static void sink_fn(void *opaque, JsonStreamKind kind, const char *text,
                    size_t len)
{
    Sink *s = opaque;

    g_assert_cmpuint(strlen(text), ==, len);
    g_ptr_array_add(s->items, g_strdup_printf("%s:%s",
                                              kind == JSON_STREAM_VALUE ? "V"
                                                                        : "E",
                                              text));
}

static Sink *sink_new(void)
{
    Sink *s = g_new0(Sink, 1);

    s->items = g_ptr_array_new_with_free_func(g_free);
    return s;
}

static void sink_free(Sink *s)
{
    g_ptr_array_unref(s->items);
    g_free(s);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(Sink, sink_free)

/* Feeds @input in one piece, then byte by byte into a second stream, and
 * checks that both give @expected (NULL-terminated). */
static void check(const char *input, const char *const *expected)
{
    for (int bytewise = 0; bytewise < 2; bytewise++) {
        g_autoptr(Sink) s = sink_new();
        g_autoptr(JsonStream) js = json_stream_new(1024, 16, sink_fn, s);
        guint n = g_strv_length((char **)expected);

        if (bytewise) {
            for (size_t i = 0; input[i]; i++) {
                json_stream_feed(js, input + i, 1);
            }
        } else {
            json_stream_feed(js, input, strlen(input));
        }
        for (guint i = 0; i < MIN(n, s->items->len); i++) {
            g_assert_cmpstr(g_ptr_array_index(s->items, i), ==, expected[i]);
        }
        g_assert_cmpuint(s->items->len, ==, n);
    }
}

static void test_split(void)
{
    check("{\"a\":1}{\"b\":2}",
          (const char *[]){ "V:{\"a\":1}", "V:{\"b\":2}", NULL });
    check("  {\"a\": [1, {\"b\": {}}]}\n\n[true]\r\n",
          (const char *[]){ "V:{\"a\": [1, {\"b\": {}}]}", "V:[true]",
                            NULL });
    /* An incomplete value waits for the rest. */
    check("{\"a\":1}{\"b\"", (const char *[]){ "V:{\"a\":1}", NULL });
}

static void test_strings(void)
{
    /* Brackets and quotes inside strings do not count. */
    check("{\"a\":\"}{][\"}",
          (const char *[]){ "V:{\"a\":\"}{][\"}", NULL });
    check("{\"a\":\"\\\"}\\\\\"}",
          (const char *[]){ "V:{\"a\":\"\\\"}\\\\\"}", NULL });
    check("{\"a\":\"\\u007b\\n\\/\"}",
          (const char *[]){ "V:{\"a\":\"\\u007b\\n\\/\"}", NULL });
    /* A top-level string is a value of its own. */
    check("\"x}\" 1 ", (const char *[]){ "V:\"x}\"", "V:1", NULL });
}

static void test_single_quotes(void)
{
    /* QEMU's extension, rewritten for json-glib: inner " escaped, \'
     * unescaped. */
    check("{'execute':'a\"b\\'c'}",
          (const char *[]){ "V:{\"execute\":\"a\\\"b'c\"}", NULL });
    check("{\"a\":\"it\\'s\"}",
          (const char *[]){ "V:{\"a\":\"it's\"}", NULL });
    check("{'a':\"'\"}", (const char *[]){ "V:{\"a\":\"'\"}", NULL });
}

static void test_tokens(void)
{
    check("[0, -1, 1.5e3, -0.25E-2, true, false, null]",
          (const char *[]){ "V:[0, -1, 1.5e3, -0.25E-2, true, false, null]",
                            NULL });
    check("[01]", (const char *[]){ "E:invalid number '01'", NULL });
    check("[1.]", (const char *[]){ "E:invalid number '1.'", NULL });
    check("[tru]", (const char *[]){ "E:invalid keyword 'tru'", NULL });
    check("[9223372036854775807, -9223372036854775808]",
          (const char *[]){
              "V:[9223372036854775807, -9223372036854775808]", NULL });
    check("[9223372036854775808]",
          (const char *[]){ "E:integer '9223372036854775808' is out of "
                            "range; QMP integers are 64-bit signed",
                            NULL });
    check("[18446744073709551663]",
          (const char *[]){ "E:integer '18446744073709551663' is out of "
                            "range; QMP integers are 64-bit signed",
                            NULL });
    check("[1e400]",
          (const char *[]){ "E:number '1e400' is out of range", NULL });
    /* A bare number at top level ends at the next delimiter. */
    check("12{}", (const char *[]){ "V:12", "V:{}", NULL });
}

static void test_bad_strings(void)
{
    check("{\"a\":\"\\u0000\"}",
          (const char *[]){ "E:\\u0000 is not allowed in a string", NULL });
    check("{\"a\":\"\\x\"}",
          (const char *[]){ "E:invalid escape sequence '\\x' in a string",
                            NULL });
    check("{\"a\":\"\\u12g4\"}",
          (const char *[]){ "E:invalid \\u escape in a string: four hex "
                            "digits expected",
                            NULL });
    check("{\"a\":\"x\ny\"}",
          (const char *[]){ "E:control character 0x0a in a string; write "
                            "it as an escape (\\n, \\u00XX)",
                            NULL });
    /* Only the first problem of a value is reported. */
    check("{\"a\":\"\\x\", \"b\": 01}",
          (const char *[]){ "E:invalid escape sequence '\\x' in a string",
                            NULL });
}

static void test_garbage(void)
{
    /* Junk between values: one error per run, however long. */
    check("}}}]]] ,,: {}",
          (const char *[]){ "E:unexpected '}' outside any value", "V:{}",
                            NULL });
    check("hello world {} bye",
          (const char *[]){ "E:invalid keyword 'hello'", "V:{}", NULL });
    check("/* c */ {}", (const char *[]){ "E:stray '/'", "V:{}", NULL });
    check("{\"a\": 1 /* c */}", (const char *[]){ "E:stray '/'", NULL });
    check("\x01{}", (const char *[]){ "E:stray byte 0x01", "V:{}", NULL });
    /* Framing counts depth only; matching brackets is json-glib's job
     * (it refuses "{]"), and what is left over is junk. */
    check("{]}}", (const char *[]){ "V:{]",
                                    "E:unexpected '}' outside any value",
                                    NULL });
}

static void test_oversize(void)
{
    g_autoptr(Sink) s = sink_new();
    g_autoptr(JsonStream) js = json_stream_new(1024, 16, sink_fn, s);
    g_autoptr(GString) big = g_string_new("{\"a\":\"");

    /* 1 MiB of string in 4 KiB pieces, with braces inside to show they
     * are still read as string bytes while the value is skipped. */
    for (int i = 0; i < 1024 * 1024 / 4; i++) {
        g_string_append(big, i % 2 ? "{}{]" : "xxxx");
    }
    g_string_append(big, "\"}{\"b\":1}");
    for (size_t off = 0; off < big->len; off += 4096) {
        json_stream_feed(js, big->str + off, MIN(4096, big->len - off));
    }
    g_assert_cmpuint(s->items->len, ==, 2);
    g_assert_cmpstr(g_ptr_array_index(s->items, 0), ==,
                    "E:the value is larger than 1024 bytes, the limit of "
                    "one QMP command; it was discarded");
    g_assert_cmpstr(g_ptr_array_index(s->items, 1), ==, "V:{\"b\":1}");
    g_assert_false(json_stream_pending(js));
}

static void test_oversize_token(void)
{
    g_autoptr(Sink) s = sink_new();
    g_autoptr(JsonStream) js = json_stream_new(16, 16, sink_fn, s);

    json_stream_feed(js, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa {}", 41);
    g_assert_cmpuint(s->items->len, ==, 2);
    g_assert_cmpstr(g_ptr_array_index(s->items, 0), ==,
                    "E:the value is larger than 16 bytes, the limit of one "
                    "QMP command; it was discarded");
    g_assert_cmpstr(g_ptr_array_index(s->items, 1), ==, "V:{}");
}

static void test_depth(void)
{
    g_autoptr(GString) deep = g_string_new(NULL);
    g_autofree char *whole = NULL;

    for (int i = 0; i < 16; i++) {
        g_string_append_c(deep, '[');
    }
    for (int i = 0; i < 16; i++) {
        g_string_append_c(deep, ']');
    }
    whole = g_strdup_printf("V:%s", deep->str);
    check(deep->str, (const char *[]){ whole, NULL });
    g_string_prepend_c(deep, '[');
    g_string_append(deep, "]{}");
    check(deep->str,
          (const char *[]){ "E:the value nests deeper than 16 levels, the "
                            "limit of one QMP command; it was discarded",
                            "V:{}", NULL });
}

/* A limit is answered when it is crossed, not when the value ends: a
 * client that never closes its brackets or its string still hears why. */
static void test_limits_answered_at_once(void)
{
    g_autoptr(Sink) s = sink_new();
    g_autoptr(JsonStream) js = json_stream_new(64, 16, sink_fn, s);

    for (int i = 0; i < 17; i++) {
        json_stream_feed(js, "[", 1);
    }
    g_assert_cmpuint(s->items->len, ==, 1);
    g_assert_cmpstr(g_ptr_array_index(s->items, 0), ==,
                    "E:the value nests deeper than 16 levels, the limit of "
                    "one QMP command; it was discarded");
    for (int i = 0; i < 17; i++) {
        json_stream_feed(js, "]", 1);
    }
    g_assert_cmpuint(s->items->len, ==, 1); /* no second answer */
    json_stream_feed(js, "{\"s\":\"", 6);
    for (int i = 0; i < 100; i++) {
        json_stream_feed(js, "x", 1);
    }
    g_assert_cmpuint(s->items->len, ==, 2);
    g_assert_cmpstr(g_ptr_array_index(s->items, 1), ==,
                    "E:the value is larger than 64 bytes, the limit of one "
                    "QMP command; it was discarded");
    json_stream_feed(js, "\"}{}", 4);
    g_assert_cmpuint(s->items->len, ==, 3);
    g_assert_cmpstr(g_ptr_array_index(s->items, 2), ==, "V:{}");
}

static void test_reset(void)
{
    g_autoptr(Sink) s = sink_new();
    g_autoptr(JsonStream) js = json_stream_new(1024, 16, sink_fn, s);

    json_stream_feed(js, "{\"execute\": \"qmp_cap", 20);
    g_assert_true(json_stream_pending(js));
    json_stream_reset(js);
    g_assert_false(json_stream_pending(js));
    json_stream_feed(js, "{}", 2);
    g_assert_cmpuint(s->items->len, ==, 1);
    g_assert_cmpstr(g_ptr_array_index(s->items, 0), ==, "V:{}");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/json-stream/split", test_split);
    g_test_add_func("/json-stream/strings", test_strings);
    g_test_add_func("/json-stream/single-quotes", test_single_quotes);
    g_test_add_func("/json-stream/tokens", test_tokens);
    g_test_add_func("/json-stream/bad-strings", test_bad_strings);
    g_test_add_func("/json-stream/garbage", test_garbage);
    g_test_add_func("/json-stream/oversize", test_oversize);
    g_test_add_func("/json-stream/oversize-token", test_oversize_token);
    g_test_add_func("/json-stream/depth", test_depth);
    g_test_add_func("/json-stream/limits-answered-at-once",
                    test_limits_answered_at_once);
    g_test_add_func("/json-stream/reset", test_reset);
    return g_test_run();
}
