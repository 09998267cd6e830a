#!/bin/sh
# bench-sev.sh: the time -object sev-guest adds to a launch, per MiB of
# launched (encrypted and measured) memory, under the host simulator.
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Usage: scripts/bench-sev.sh [BUILD_DIR]      (default: build)
#   RUNS=N   hyperfine runs per command (default 20)
#
# The guest is the flat test BIOS padded at the front to 64 KiB, 1, 4 and
# 16 MiB (its reset vector stays at the end), so the launched memory grows
# while what runs stays the same.  Each size runs with and without
# sev-guest, both under the simulator (LD_PRELOAD) so that only SEV's
# work differs: LAUNCH_UPDATE_DATA of the image and its copy below 1 MiB,
# LAUNCH_MEASURE, LAUNCH_FINISH, and the simulator's SHA-256 standing in
# for the firmware.  On real SEV hardware the firmware's own cost replaces
# the last part.  Prints hyperfine's table and the difference per MiB.
set -eu

build=${1:-build}
runs=${RUNS:-20}
cgemu="$build/cgemu-system-x86_64"
bios="$build/tests/guest/test-bios.bin"
lib="$build/tests/hostsim/libcgemu-hostsim.so"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT INT TERM

for f in "$cgemu" "$bios" "$lib"; do
    [ -e "$f" ] || { echo "bench-sev: $f missing; build first" >&2; exit 1; }
done
command -v hyperfine >/dev/null || { echo "bench-sev: hyperfine not found" >&2; exit 1; }

base="$cgemu -M pc -accel kvm -nodefaults -serial null \
-device isa-debug-exit,iobase=0xf4,iosize=0x04"
sev="-object sev-guest,id=sev0 -machine confidential-guest-support=sev0"
export LD_PRELOAD="$(readlink -f "$lib")" CGEMU_HOSTSIM_SEV=1
export ASAN_OPTIONS=verify_asan_link_order=0

set --
for kib in 64 1024 4096 16384; do
    img="$dir/bios-$kib.bin"
    pad=$((kib * 1024 - $(stat -c %s "$bios")))
    head -c "$pad" /dev/zero > "$img"
    cat "$bios" >> "$img"
    set -- "$@" -n "plain-${kib}K" "$base -bios $img" \
                -n "sev-${kib}K" "$base $sev -bios $img"
done
# The guest reports through isa-debug-exit: status 1 is a pass.  A
# benchmark of a failing launch would measure nothing: check each once.
i=0
for arg in "$@"; do
    i=$((i + 1))
    [ $((i % 3)) -eq 0 ] || continue
    rc=0
    sh -c "$arg" || rc=$?
    [ "$rc" -eq 1 ] || { echo "bench-sev: '$arg' exited $rc, not 1" >&2; exit 1; }
done
hyperfine -N --runs "$runs" --warmup 2 -i --export-json "$dir/r.json" "$@"

python3 - "$dir/r.json" <<'PY'
import json, sys
res = {r["command"]: r["median"] for r in json.load(open(sys.argv[1]))["results"]}
print("\nTime sev-guest adds (median), and per MiB launched:")
rows = []
for kib in (64, 1024, 4096, 16384):
    d = res["sev-%dK" % kib] - res["plain-%dK" % kib]
    # launched: the image plus its copy below 1 MiB (at most 128 KiB)
    mib = (kib + min(kib, 128)) / 1024
    rows.append((mib, d))
    print("  %6.2f MiB: +%.2f ms" % (mib, d * 1000))
(m0, d0), (m1, d1) = rows[0], rows[-1]
print("  slope: %.2f ms per MiB" % ((d1 - d0) / (m1 - m0) * 1000))
PY
