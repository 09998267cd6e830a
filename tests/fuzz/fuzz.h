/* The interface every fuzz target implements (libFuzzer's). */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TESTS_FUZZ_FUZZ_H
#define TESTS_FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/*
 * Each target is one file defining both functions.  Built with clang and
 * -fsanitize=fuzzer (meson -Dfuzzing=true, scripts/fuzz.sh) libFuzzer
 * drives them; built normally they are linked with fuzz-main.c, which
 * replays a corpus and a bounded number of deterministic mutations (the
 * fuzz-smoke suite of make check).
 *
 * A target must be deterministic, must not leak between inputs, and
 * aborts only when an invariant of the code under test is broken.
 */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
