#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
#
# Configure (once), build and test the tree against the DPDK installed
# where this runs (the host, or a chroot entered by devtools/chroot-run.sh),
# then print one result line for that DPDK version:
#   "LABEL (DPDK x.y.z): N passed, N failed, N skipped"
#
#   devtools/test-suites.sh LABEL BUILD_DIR [meson test arguments]
#
# Exit status: 0 when every test passed.

set -u
label=${1:?usage: $0 LABEL BUILD_DIR [meson test arguments]}
build=${2:?usage: $0 LABEL BUILD_DIR [meson test arguments]}
shift 2
top=$(readlink -f "$(dirname "$(readlink -f "$0")")/..")
ver=$(pkg-config --modversion libdpdk 2>/dev/null || echo unknown)
result() { echo "$label (DPDK $ver): $1 passed, $2 failed, $3 skipped"; }

mkdir -p "$build"
if ! FBNIC_BUILD_DIR=$build "$top/devtools/build.sh" >"$build/fbnic-build.log" 2>&1; then
	tail -40 "$build/fbnic-build.log"
	echo "test-suites: the build against DPDK $ver failed (log: $build/fbnic-build.log)"
	result 0 1 0
	exit 1
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
meson test -C "$build" --print-errorlogs "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}

count() { sed -n "s/^$1: *\([0-9][0-9]*\) *$/\1/p" "$log" | tail -1; }
ok=$(count "Ok"); xfail=$(count "Expected Fail"); fail=$(count "Fail")
xpass=$(count "Unexpected Pass"); timeout=$(count "Timeout"); skipped=$(count "Skipped")
passed=$(( ${ok:-0} + ${xfail:-0} ))
failed=$(( ${fail:-0} + ${xpass:-0} + ${timeout:-0} ))
# meson test failed without a summary (no test ran, or it crashed).
if [ -z "$ok" ] && [ "$rc" -ne 0 ]; then
	failed=$((failed + 1))
fi
result "$passed" "$failed" "${skipped:-0}"
[ "$rc" -eq 0 ] && [ "$failed" -eq 0 ]
