#!/bin/sh
# run-test-guest.sh: the main job (make run): boot the test guest on cgemu.
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Boots tests/guest's ELF with -kernel on the pc machine under KVM with a
# virtio-rng-pci device, a writable virtio-blk-pci disk and two vCPUs, and
# prints the guest's report.  The guest ends through isa-debug-exit, so
# cgemu exits with (value << 1) | 1: 1 means every check passed.
set -eu

build=${1:-build}
bin="$build/cgemu-system-x86_64"
guest="$build/tests/guest/test-guest.elf"

if [ ! -e /dev/kvm ]; then
    echo "make run: /dev/kvm does not exist, so no guest can run here." >&2
    echo "Load the KVM module (modprobe kvm_intel or kvm_amd) and enable" >&2
    echo "virtualization in the firmware; in a VM, enable nested" >&2
    echo "virtualization on its host." >&2
    exit 1
fi
if [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then
    echo "make run: no permission to use /dev/kvm: add your user to its" >&2
    echo "group (usually 'kvm') and log in again, or run as root." >&2
    exit 1
fi

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT INT TERM
head -c 1048576 /dev/zero > "$dir/disk.img"
printf 'cgemu test disk, sector 0' | dd of="$dir/disk.img" conv=notrunc 2>/dev/null

echo "+ $bin -machine pc -accel kvm -nographic -smp 2 -kernel $guest ..."
rc=0
"$bin" -machine pc -accel kvm -nographic -smp 2 -m 256M \
    -kernel "$guest" -append "smp=2 blk-write=1" \
    -device virtio-rng-pci \
    -blockdev "driver=file,filename=$dir/disk.img,node-name=disk0" \
    -device virtio-blk-pci,drive=disk0 \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 || rc=$?

case $rc in
1) echo "make run: the test guest passed every check (exit status 1 = (0 << 1) | 1)" ;;
3) echo "make run: the test guest reported failed checks (exit status 3)" >&2; exit 1 ;;
*) echo "make run: cgemu exited with status $rc" >&2; exit 1 ;;
esac
