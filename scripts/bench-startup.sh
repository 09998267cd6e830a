#!/bin/sh
# bench-startup.sh: cgemu vs QEMU booting the same test guest under KVM.
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Usage: scripts/bench-startup.sh [BUILD_DIR]        (default: build)
#   RUNS=N        hyperfine runs per command (default 30)
#   RSS_RUNS=N    runs per command for peak RSS (default 10)
#   QEMU=PATH     QEMU binary (default: qemu-system-x86_64 from PATH)
#
# Side by side, in one hyperfine run per scenario, from process start to
# the guest's exit through isa-debug-exit:
#   boot       the test guest alone: cgemu pc, QEMU microvm, QEMU pc+qboot
#   devices    the test guest with virtio-rng-pci and smp=2: cgemu pc,
#              QEMU pc+qboot (microvm has no PCI by default)
#   firmware   the flat test BIOS (-bios): the shortest path to the first
#              guest instruction and out: cgemu pc, QEMU pc
#   no-pit     the test guest with -machine pit=off (no in-kernel 8254,
#              whose teardown at exit is much of the wall time): cgemu pc,
#              QEMU microvm, QEMU pc+qboot
# then the time to the guest's first serial output (startup without the
# VM teardown at exit) and the peak RSS of each command (GNU time, the
# median of RSS_RUNS).
# Every command is first run once and must print a passing report: a
# benchmark of a failing boot would measure nothing.
#
# Needs hyperfine, GNU time and python3 (Debian: hyperfine, time, python3)
# and /dev/kvm.
set -eu

build=${1:-build}
runs=${RUNS:-30}
rss_runs=${RSS_RUNS:-10}
qemu=${QEMU:-qemu-system-x86_64}
cgemu="$build/cgemu-system-x86_64"
guest="$build/tests/guest/test-guest.elf"
bios="$build/tests/guest/test-bios.bin"

die() {
    echo "bench-startup: $*" >&2
    exit 1
}

for f in "$cgemu" "$guest" "$bios"; do
    [ -e "$f" ] || die "$f is missing; build first (ninja -C $build)"
done
command -v hyperfine >/dev/null || die "hyperfine not found (apt-get install hyperfine)"
[ -x /usr/bin/time ] || die "/usr/bin/time not found (apt-get install time)"
command -v "$qemu" >/dev/null || die "$qemu not found; set QEMU=PATH"
[ -r /dev/kvm ] && [ -w /dev/kvm ] || die "/dev/kvm is not usable here"
qemu_bin=$(command -v "$qemu")
qboot="$(dirname "$(dirname "$(readlink -f "$qemu_bin")")")/share/qemu/qboot.rom"
[ -f "$qboot" ] || die "qboot.rom not found next to $qemu_bin"

common="-m 128 -nodefaults -serial stdio -device isa-debug-exit,iobase=0xf4,iosize=0x04"
qcommon="-accel kvm -no-user-config -display none -monitor none $common"

cgemu_boot="$cgemu -machine pc -accel kvm $common -kernel $guest"
microvm_boot="$qemu -M microvm $qcommon -kernel $guest"
pc_boot="$qemu -M pc $qcommon -bios $qboot -kernel $guest"

dev="-smp 2 -append smp=2 -device virtio-rng-pci,addr=3"
cgemu_dev="$cgemu_boot $dev"
pc_dev="$pc_boot $dev"

nopit="-append expect-pit=0"
cgemu_nopit="$cgemu -machine pc,pit=off -accel kvm $common -kernel $guest $nopit"
microvm_nopit="$qemu -M microvm,pit=off $qcommon -kernel $guest $nopit"
pc_nopit="$qemu -M pc,pit=off $qcommon -bios $qboot -kernel $guest $nopit"

cgemu_fw="$cgemu -machine pc -accel kvm $common -bios $bios"
pc_fw="$qemu -M pc $qcommon -bios $bios"

# A run counts when it exits with 1 (the guest wrote 0) after result=pass.
check() {
    out=$($1 2>/dev/null) && status=0 || status=$?
    [ "$status" -eq 1 ] || die "'$1' exited with $status, not 1"
    echo "$out" | grep -q '^result=pass' || die "'$1' printed no passing report"
}

for c in "$cgemu_boot" "$microvm_boot" "$pc_boot" "$cgemu_dev" "$pc_dev" \
         "$cgemu_fw" "$pc_fw" "$cgemu_nopit" "$microvm_nopit" "$pc_nopit"; do
    check "$c"
done

echo "== host: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) CPUs, $(uname -r)"
echo "== $("$cgemu" -version), $("$qemu" -version | head -1)"

bench() {
    title=$1
    shift
    echo
    echo "== $title: wall time from process start to guest exit"
    # -N: no shell in between; -i: the guests exit with status 1
    hyperfine -N -i --warmup 3 --runs "$runs" --style basic "$@"
}

bench "boot (test guest, no device)" \
    -n cgemu-pc "$cgemu_boot" -n qemu-microvm "$microvm_boot" \
    -n qemu-pc-qboot "$pc_boot"
bench "devices (virtio-rng-pci, smp=2)" \
    -n cgemu-pc "$cgemu_dev" -n qemu-pc-qboot "$pc_dev"
bench "firmware (-bios test-bios.bin)" \
    -n cgemu-pc "$cgemu_fw" -n qemu-pc "$pc_fw"
bench "no-pit (test guest, -machine pit=off)" \
    -n cgemu-pc "$cgemu_nopit" -n qemu-microvm "$microvm_nopit" \
    -n qemu-pc-qboot "$pc_nopit"

# Median time from spawning to the first byte the guest prints: startup up
# to the guest running, without the VM teardown at exit.
first_output() {
    python3 - "$runs" "$@" <<'PY'
import subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2].split()
times = []
for _ in range(runs):
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    p.stdout.read(1)
    times.append((time.perf_counter() - t0) * 1000)
    p.stdout.read()
    p.wait()
times.sort()
print("%7.1f ms (min %.1f, max %.1f)" % (times[len(times) // 2], times[0],
                                          times[-1]))
PY
}

echo
echo "== first output: median time from spawn to the guest's first serial byte"
printf '%-28s %s\n' command "median"
for pair in "cgemu-pc boot|$cgemu_boot" "qemu-microvm boot|$microvm_boot" \
            "qemu-pc-qboot boot|$pc_boot" "cgemu-pc firmware|$cgemu_fw" \
            "qemu-pc firmware|$pc_fw"; do
    printf '%-28s %s\n' "${pair%%|*}" "$(first_output "${pair#*|}")"
done

rss_log=$(mktemp)
trap 'rm -f "$rss_log"' EXIT

# Median of RSS_RUNS peak resident set sizes, in KiB.
peak_rss() {
    : > "$rss_log"
    i=0
    while [ "$i" -lt "$rss_runs" ]; do
        /usr/bin/time -a -o "$rss_log" -f '%M' $1 >/dev/null 2>&1 || true
        i=$((i + 1))
    done
    # GNU time adds "Command exited with non-zero status 1" lines
    grep -E '^[0-9]+$' "$rss_log" | sort -n |
        awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

echo
echo "== peak RSS (KiB, median of $rss_runs runs; guest RAM is 128 MiB, mostly untouched)"
printf '%-28s %10s\n' command "peak RSS"
for pair in "cgemu-pc boot|$cgemu_boot" "qemu-microvm boot|$microvm_boot" \
            "qemu-pc-qboot boot|$pc_boot" "cgemu-pc devices|$cgemu_dev" \
            "qemu-pc-qboot devices|$pc_dev" "cgemu-pc firmware|$cgemu_fw" \
            "qemu-pc firmware|$pc_fw"; do
    name=${pair%%|*}
    cmd=${pair#*|}
    printf '%-28s %10s\n' "$name" "$(peak_rss "$cmd")"
done
