#!/bin/sh
# Runs each libFuzzer target of tests/fuzz for a while (make fuzz).
# SPDX-License-Identifier: GPL-2.0-or-later
#
# usage: scripts/fuzz.sh [SECONDS] [TARGET...]
#   SECONDS  per target (default 60)
#   TARGET   qtest, keyval, json-stream, qmp (default: all)
# Environment: FUZZ_BUILD_DIR (default build-fuzz in the source tree).
#
# Configures a separate clang build with -Dfuzzing=true, AddressSanitizer
# and UndefinedBehaviorSanitizer, and coverage instrumentation for all of
# cgemu's code (-fsanitize=fuzzer-no-link), then runs each target on its
# seed corpus (tests/fuzz/corpus/TARGET) plus what earlier runs found
# (BUILD/fuzz-corpus/TARGET).  Crashing inputs land in
# BUILD/fuzz-artifacts/.  Exits non-zero if any target found one.
set -eu

src=$(cd "$(dirname "$0")/.." && pwd)
build=${FUZZ_BUILD_DIR:-$src/build-fuzz}
secs=${1:-60}
[ $# -gt 0 ] && shift
targets=${*:-qtest keyval json-stream qmp}

case $secs in
    ''|*[!0-9]*) echo "fuzz.sh: SECONDS must be a number, got '$secs'" >&2
                 exit 2 ;;
esac
if ! command -v clang >/dev/null; then
    echo "fuzz.sh: clang is needed (apt-get install clang)" >&2
    exit 2
fi

if [ ! -f "$build/build.ninja" ]; then
    # Others' code is built too (it is linked in); a clang-only warning
    # there must not stop fuzzing, hence werror=false.
    CC=clang meson setup "$build" "$src" \
        -Dfuzzing=true \
        -Db_sanitize=address,undefined \
        -Db_lundef=false \
        -Dwerror=false \
        -Dc_args=-fsanitize=fuzzer-no-link \
        -Dc_link_args=-fsanitize=fuzzer-no-link
fi
for t in $targets; do
    ninja -C "$build" "tests/fuzz/fuzz-$t"
done

mkdir -p "$build/fuzz-artifacts"
status=0
summary=""
for t in $targets; do
    corpus="$build/fuzz-corpus/$t"
    log="$build/fuzz-$t.log"
    mkdir -p "$corpus"
    echo "== fuzz-$t for $secs s"
    if ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
       UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1} \
       "$build/tests/fuzz/fuzz-$t" \
           -max_total_time="$secs" -timeout=30 -max_len=8192 \
           -print_final_stats=1 \
           -artifact_prefix="$build/fuzz-artifacts/$t-" \
           "$corpus" "$src/tests/fuzz/corpus/$t" >"$log" 2>&1; then
        result=ok
    else
        result="FAILED (see $log and $build/fuzz-artifacts)"
        status=1
    fi
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
    summary="$summary
fuzz-$t: ${execs:-?} executions, ${rate:-?} exec/s, ${cov:-cov: ?}, \
$(ls "$corpus" | wc -l) corpus inputs: $result"
done
echo "$summary"
exit $status
