#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
#
# Configure (once) and build the tree in build/ (or $FBNIC_BUILD_DIR).
# Extra arguments go to meson setup on first configuration.

set -eu
top=$(dirname "$(readlink -f "$0")")/..
build=${FBNIC_BUILD_DIR:-$top/build}
cd "$top"
if [ ! -f "$build/build.ninja" ]; then
	meson setup "$build" "$@"
fi
ninja -C "$build"
