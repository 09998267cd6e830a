/* A standalone driver: a corpus and deterministic mutations, no libFuzzer. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "fuzz.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

/* Mutated inputs never grow beyond this. */
#define FUZZ_MAX_INPUT (64 * 1024)

/* Byte strings that matter to the parsers under test. */
static const char *const tokens[] = {
    "{", "}", "[", "]", "\"", "'", ",", ",,", ":", "=", "\\", "\\u0000",
    "\\ud800", "\n", "\r\n", " ", "0x", "-1", "18446744073709551616",
    "0xffffffffffffffff", "1e999", "null", "true", "help", "execute",
    "arguments", "id", "qom-get", "qom-set", "object-add", "qom-type",
    "/machine", "type", "readq", "write", "b64write", "memset", "inl",
    "outl", "read", "0x1000", "16777217", "AAAA", "==", "\xff", "\x00",
};

typedef struct Driver {
    GPtrArray *corpus;      /* GBytes * */
    GRand *rand;
    guint64 runs;
} Driver;

static void add_file(Driver *d, const char *path)
{
    g_autoptr(GError) err = NULL;
    char *data = NULL;
    gsize len = 0;

    if (!g_file_get_contents(path, &data, &len, &err)) {
        g_printerr("fuzz: %s\n", err->message);
        exit(2);
    }
    g_ptr_array_add(d->corpus, g_bytes_new_take(data, len));
}

static gint compare_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void add_path(Driver *d, const char *path)
{
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GError) err = NULL;
    GDir *dir;
    const char *name;

    if (!g_file_test(path, G_FILE_TEST_IS_DIR)) {
        add_file(d, path);
        return;
    }
    dir = g_dir_open(path, 0, &err);
    if (dir == NULL) {
        g_printerr("fuzz: %s\n", err->message);
        exit(2);
    }
    while ((name = g_dir_read_name(dir)) != NULL) {
        g_ptr_array_add(names, g_build_filename(path, name, NULL));
    }
    g_dir_close(dir);
    /* Sorted, so that the run does not depend on the directory order. */
    g_ptr_array_sort(names, compare_names);
    for (guint i = 0; i < names->len; i++) {
        add_path(d, g_ptr_array_index(names, i));
    }
}

static guint pick(Driver *d, guint n)
{
    return n ? (guint)g_rand_int_range(d->rand, 0, (gint32)n) : 0;
}

/* Inserts @n bytes at @at; @p must not point into @buf. */
static void insert_bytes(GByteArray *buf, guint at, const guint8 *p,
                         guint n)
{
    guint old = buf->len;

    g_byte_array_set_size(buf, old + n);
    memmove(buf->data + at + n, buf->data + at, old - at);
    memcpy(buf->data + at, p, n);
}

static void mutate(Driver *d, GByteArray *buf)
{
    guint len = buf->len;

    switch (pick(d, 7)) {
    case 0: /* flip a bit */
        if (len) {
            buf->data[pick(d, len)] ^= (guint8)(1u << pick(d, 8));
        }
        break;
    case 1: /* a random byte */
        if (len) {
            buf->data[pick(d, len)] = (guint8)pick(d, 256);
        }
        break;
    case 2: { /* insert a token */
        const char *t = tokens[pick(d, G_N_ELEMENTS(tokens))];
        size_t tl = t[0] ? strlen(t) : 1;
        insert_bytes(buf, pick(d, len + 1), (const guint8 *)t,
                                 (guint)tl);
        break;
    }
    case 3: /* delete a range */
        if (len) {
            guint at = pick(d, len);
            g_byte_array_remove_range(buf, at, 1 + pick(d, MIN(len - at, 16)));
        }
        break;
    case 4: /* duplicate a range */
        if (len) {
            guint at = pick(d, len);
            guint n = 1 + pick(d, MIN(len - at, 64));
            g_autofree guint8 *copy = g_memdup2(buf->data + at, n);
            insert_bytes(buf, pick(d, len + 1), copy, n);
        }
        break;
    case 5: { /* splice a piece of another input */
        GBytes *other = g_ptr_array_index(d->corpus,
                                          pick(d, d->corpus->len));
        gsize olen = 0;
        const guint8 *o = g_bytes_get_data(other, &olen);
        if (olen) {
            guint at = pick(d, (guint)olen);
            guint n = 1 + pick(d, MIN((guint)olen - at, 256));
            insert_bytes(buf, pick(d, len + 1), o + at, n);
        }
        break;
    }
    default: /* cut the end */
        if (len) {
            g_byte_array_set_size(buf, pick(d, len));
        }
        break;
    }
    if (buf->len > FUZZ_MAX_INPUT) {
        g_byte_array_set_size(buf, FUZZ_MAX_INPUT);
    }
}

static void usage(void)
{
    g_printerr("usage: fuzz-TARGET [--runs=N] [--seed=N] FILE|DIR...\n"
               "  replays every input, then N mutated ones (default "
               "1000)\n");
    exit(2);
}

int main(int argc, char **argv)
{
    Driver d = { .corpus = g_ptr_array_new_with_free_func(
                     (GDestroyNotify)g_bytes_unref),
                 .runs = 1000 };
    guint32 seed = 1;
    gint64 start;
    guint64 execs = 0;
    double secs;
    char *name;

    LLVMFuzzerInitialize(&argc, &argv);
    for (int i = 1; i < argc; i++) {
        if (g_str_has_prefix(argv[i], "--runs=")) {
            d.runs = g_ascii_strtoull(argv[i] + 7, NULL, 10);
        } else if (g_str_has_prefix(argv[i], "--seed=")) {
            seed = (guint32)g_ascii_strtoull(argv[i] + 7, NULL, 10);
        } else if (argv[i][0] == '-') {
            usage();
        } else {
            add_path(&d, argv[i]);
        }
    }
    if (d.corpus->len == 0) {
        usage();
    }
    d.rand = g_rand_new_with_seed(seed);
    start = g_get_monotonic_time();
    for (guint i = 0; i < d.corpus->len; i++) {
        gsize len = 0;
        const guint8 *data = g_bytes_get_data(g_ptr_array_index(d.corpus, i),
                                              &len);
        LLVMFuzzerTestOneInput(data, len);
        execs++;
    }
    for (guint64 r = 0; r < d.runs; r++) {
        GBytes *base = g_ptr_array_index(d.corpus, pick(&d, d.corpus->len));
        gsize len = 0;
        const guint8 *data = g_bytes_get_data(base, &len);
        g_autoptr(GByteArray) buf = g_byte_array_sized_new((guint)len + 64);
        guint n = 1 + pick(&d, 4);

        g_byte_array_append(buf, data, (guint)len);
        for (guint m = 0; m < n; m++) {
            mutate(&d, buf);
        }
        LLVMFuzzerTestOneInput(buf->data, buf->len);
        execs++;
    }
    secs = (double)(g_get_monotonic_time() - start) / G_USEC_PER_SEC;
    name = g_path_get_basename(argv[0]);
    printf("%s: %" G_GUINT64_FORMAT " inputs (%u from the corpus) in %.2f s, "
           "%.0f exec/s, seed %u\n", name, execs,
           d.corpus->len, secs, secs > 0 ? (double)execs / secs : 0.0, seed);
    g_free(name);
    g_rand_free(d.rand);
    g_ptr_array_unref(d.corpus);
    return 0;
}
