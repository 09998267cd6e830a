#!/bin/sh
# run-test-guest.sh: the main job, booting the test guest on cgemu (make run).
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu
build=${1:-build}
bin="$build/cgemu-system-x86_64"

"$bin" -version
"$bin" -machine help
echo "make run: booting the test guest lands with the x86 machine; until then"
echo "this shows the binary's version and machines."
