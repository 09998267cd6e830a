# Makefile: thin wrapper around meson/ninja.
# SPDX-License-Identifier: GPL-2.0-or-later
#
#   make         install what is missing, configure and build
#   make check   ... and run every test
#   make run     ... and boot the test guest

BUILD ?= build

.PHONY: all deps check run clean

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

clean:
	rm -rf $(BUILD)
