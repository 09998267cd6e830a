#!/bin/sh
# bench-qmp.sh: QMP round-trip latency and throughput, cgemu vs QEMU.
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Usage: scripts/bench-qmp.sh [BUILD_DIR]     (default: build)
#   N=COUNT   commands per measure (default 5000)
#   QEMU=PATH QEMU binary (default: qemu-system-x86_64 from PATH)
#
# Both emulators run the same idle machine (-M none, paused: cgemu under
# its qtest accelerator, QEMU under KVM since 7.2 takes qtest only with
# -qtest) with a QMP unix socket; scripts/qmp-bench.py drives
# each in turn with the same client.  QMP cost is the emulator's own: no
# guest runs.
set -eu

build=${1:-build}
n=${N:-5000}
qemu=${QEMU:-qemu-system-x86_64}
cgemu="$build/cgemu-system-x86_64"
here=$(dirname "$0")
dir=$(mktemp -d)
trap 'kill $pids 2>/dev/null; rm -rf "$dir"' EXIT INT TERM
pids=""

[ -x "$cgemu" ] || { echo "bench-qmp: $cgemu missing; build first" >&2; exit 1; }
command -v "$qemu" >/dev/null || { echo "bench-qmp: $qemu not found" >&2; exit 1; }

start() {
    "$@" >/dev/null 2>&1 &
    pids="$pids $!"
}

wait_sock() {
    for _ in $(seq 100); do
        [ -S "$1" ] && return 0
        sleep 0.05
    done
    echo "bench-qmp: no socket $1" >&2
    exit 1
}

start "$cgemu" -M none -accel qtest -S -qmp "unix:$dir/cgemu.sock,server=on,wait=off"
start "$qemu" -M none -accel kvm -S -display none -qmp "unix:$dir/qemu.sock,server=on,wait=off"
wait_sock "$dir/cgemu.sock"
wait_sock "$dir/qemu.sock"

echo "== cgemu ($cgemu)"
python3 "$here/qmp-bench.py" "$dir/cgemu.sock" "$n"
echo "== QEMU ($($qemu --version | head -1))"
python3 "$here/qmp-bench.py" "$dir/qemu.sock" "$n"
