# Makefile: thin wrapper around meson/ninja.
# SPDX-License-Identifier: GPL-2.0-or-later
#
#   make         install what is missing, configure and build
#   make check   ... and run every test
#   make run     ... and boot the test guest
#   make fuzz    the libFuzzer targets in a clang build, FUZZ_SECONDS each

BUILD ?= build
FUZZ_SECONDS ?= 60

.PHONY: all deps check run fuzz clean

all: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

deps:
	@scripts/install-deps.sh

$(BUILD)/build.ninja:
	./configure --builddir=$(BUILD)

check: all
	meson test -C $(BUILD) --print-errorlogs

run: all
	@scripts/run-test-guest.sh $(BUILD)

fuzz: deps
	scripts/fuzz.sh $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD)
