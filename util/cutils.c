/* Parsing numbers, sizes and booleans from option text; small helpers. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "util/cutils.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

bool cg_parse_bool(const char *s, bool *out)
{
    if (!strcmp(s, "on") || !strcmp(s, "yes") || !strcmp(s, "true")) {
        *out = true;
        return true;
    }
    if (!strcmp(s, "off") || !strcmp(s, "no") || !strcmp(s, "false")) {
        *out = false;
        return true;
    }
    return false;
}

/* Magnitude of an unsigned decimal or 0x-hex literal filling all of @s. */
static bool parse_magnitude(const char *s, uint64_t *out)
{
    int base = 10;
    char *end;
    uint64_t v;

    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    /* strtoull accepts leading blanks and signs; option text may not. */
    if (!g_ascii_isxdigit(*s) || (base == 10 && !g_ascii_isdigit(*s))) {
        return false;
    }
    errno = 0;
    v = strtoull(s, &end, base);
    if (errno != 0 || *end != '\0') {
        return false;
    }
    *out = v;
    return true;
}

bool cg_parse_uint64(const char *s, uint64_t *out)
{
    return s[0] != '-' && parse_magnitude(s, out);
}

bool cg_parse_int64(const char *s, int64_t *out)
{
    bool neg = s[0] == '-';
    uint64_t mag;

    if (!parse_magnitude(neg ? s + 1 : s, &mag)) {
        return false;
    }
    if (neg) {
        if (mag > (uint64_t)INT64_MAX + 1) {
            return false;
        }
        *out = mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag;
    } else {
        if (mag > INT64_MAX) {
            return false;
        }
        *out = (int64_t)mag;
    }
    return true;
}

static int suffix_shift(char c)
{
    switch (g_ascii_toupper(c)) {
    case 'B':
        return 0;
    case 'K':
        return 10;
    case 'M':
        return 20;
    case 'G':
        return 30;
    case 'T':
        return 40;
    case 'P':
        return 50;
    case 'E':
        return 60;
    }
    return -1;
}

bool cg_parse_size(const char *s, char default_suffix, uint64_t *out)
{
    const char *p = s;
    uint64_t whole = 0;
    double frac = 0;
    int shift;

    if (!g_ascii_isdigit(*p)) {
        return false;
    }
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        /* Hex sizes are plain byte counts. */
        return cg_parse_uint64(s, out);
    }
    while (g_ascii_isdigit(*p)) {
        unsigned d = (unsigned)(*p++ - '0');
        if (whole > (UINT64_MAX - d) / 10) {
            return false;
        }
        whole = whole * 10 + d;
    }
    if (*p == '.') {
        double scale = 0.1;
        p++;
        if (!g_ascii_isdigit(*p)) {
            return false;
        }
        while (g_ascii_isdigit(*p)) {
            frac += (*p++ - '0') * scale;
            scale /= 10;
        }
    }
    if (*p == '\0') {
        shift = suffix_shift(default_suffix);
    } else {
        shift = suffix_shift(*p);
        if (shift < 0 || p[1] != '\0') {
            return false;
        }
    }
    if (shift < 0 || (shift > 0 && whole > (UINT64_MAX >> shift))) {
        return false;
    }
    if (frac > 0) {
        double extra = floor(frac * (double)((uint64_t)1 << shift));
        uint64_t base = whole << shift;
        if (shift == 0 || extra > (double)(UINT64_MAX - base)) {
            return false;  /* fractional bytes, or overflow */
        }
        *out = base + (uint64_t)extra;
        return true;
    }
    *out = whole << shift;
    return true;
}

char *cg_format_size(uint64_t bytes)
{
    static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB",
                                         "PiB", "EiB" };
    unsigned i = 0;

    while (i + 1 < G_N_ELEMENTS(units) && bytes >= 1024 &&
           (bytes & 1023) == 0) {
        bytes >>= 10;
        i++;
    }
    return g_strdup_printf("%" G_GUINT64_FORMAT " %s", bytes, units[i]);
}

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    g_autofree size_t *row = g_new(size_t, lb + 1);

    for (size_t j = 0; j <= lb; j++) {
        row[j] = j;
    }
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t best = MIN(row[j] + 1, row[j - 1] + 1);
            row[j] = MIN(best, diag + cost);
            diag = up;
        }
    }
    return row[lb];
}

const char *cg_suggest(const char *word, const char *const *candidates,
                       size_t n)
{
    const char *best = NULL;
    size_t best_d = SIZE_MAX;
    size_t limit = strlen(word) <= 4 ? 1 : 2;

    for (size_t i = 0; i < n; i++) {
        size_t d = edit_distance(word, candidates[i]);
        if (d < best_d) {
            best_d = d;
            best = candidates[i];
        }
    }
    return best_d <= limit ? best : NULL;
}
