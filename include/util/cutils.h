/* Parsing numbers, sizes and booleans from option text; small helpers. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_UTIL_CUTILS_H
#define CGEMU_UTIL_CUTILS_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

G_BEGIN_DECLS

/* on/off, yes/no, true/false (exactly these, lower case, as QEMU). */
bool cg_parse_bool(const char *s, bool *out);

/*
 * Whole-string integers: decimal or 0x-prefixed hex, optional leading '-'
 * for the signed form.  False on empty input, trailing characters or
 * overflow; @out is untouched then.
 */
bool cg_parse_int64(const char *s, int64_t *out);
bool cg_parse_uint64(const char *s, uint64_t *out);

/*
 * Sizes: a number with an optional fraction and a suffix B, K, M, G, T, P
 * or E (either case, powers of 1024).  @default_suffix applies when there is
 * none ('B' for byte properties; 'M' for -m, as QEMU).
 */
bool cg_parse_size(const char *s, char default_suffix, uint64_t *out);

/* "512 MiB"-style text for messages; caller frees. */
char *cg_format_size(uint64_t bytes);

/*
 * The candidate closest to @word by edit distance, when close enough to be
 * a likely typo; NULL otherwise.  For "did you mean ...?" hints.
 */
const char *cg_suggest(const char *word, const char *const *candidates,
                       size_t n);

G_END_DECLS

#endif
