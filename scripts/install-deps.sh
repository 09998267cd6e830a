#!/bin/sh
# install-deps.sh: install the Debian packages cgemu's build and tests need.
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Idempotent: a package already installed is not touched, and nothing runs
# apt-get when everything is present.  Usage: scripts/install-deps.sh [--with-reference]
#   --with-reference  also install QEMU 7.2 (reference emulator for the
#                     cross-check tests and the benchmarks; never a build
#                     dependency of cgemu itself)
set -eu

# Build: compiler, meson/ninja, GLib/GObject/GIO, json-glib, libfdt, UAPI headers.
BUILD_PKGS="gcc make pkg-config meson ninja-build libglib2.0-dev libjson-glib-dev
libfdt-dev linux-libc-dev"
# Tests only: clang + libFuzzer runtime (fuzz targets), dtc (device tree
# checks), nettle (AES in the host simulator), socat (hand-driven QMP in
# tests), hyperfine (benchmarks), sanitizer runtimes come with gcc.
TEST_PKGS="clang libclang-rt-14-dev device-tree-compiler nettle-dev socat
hyperfine python3 time"
REF_PKGS="qemu-system-x86 qemu-system-ppc qemu-system-misc"

want="$BUILD_PKGS $TEST_PKGS"
if [ "${1:-}" = "--with-reference" ]; then
    want="$want $REF_PKGS"
fi

missing=""
for p in $want; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
        missing="$missing $p"
    fi
done

if [ -z "$missing" ]; then
    echo "install-deps: all packages present"
    exit 0
fi

echo "install-deps: missing:$missing"
if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: not root; run as root (or: sudo apt-get install$missing)" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq || echo "install-deps: apt-get update failed; trying with the current package lists" >&2
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
