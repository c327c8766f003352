#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
#
# The whole test suite, from a fresh Debian bookworm machine (as root):
# install, build (gcc; plus compile-only clang and debug builds), run every
# meson test suite, and end with the line "N passed, N failed".
# Exit status: 0 when every test passed.
#
# Arguments are passed to meson test (e.g. --suite unit).

set -u
here=$(dirname "$(readlink -f "$0")")
top=$(readlink -f "$here/..")
"$here/setup.sh" || exit 1

build=$top/build
"$here/build.sh" || { echo "0 passed, 1 failed"; exit 1; }

# The driver must also build clean with clang and in a debug build.
extra_fail=0
for cfg in "clang:release" "gcc:debug" "gcc:release"; do
	cc=${cfg%%:*}
	type=${cfg##*:}
	dir=$top/build-$cc-$type
	if [ ! -f "$dir/build.ninja" ]; then
		CC=$cc meson setup "$dir" --buildtype="$type" -Dtests=false >/dev/null ||
			{ echo "test: configure with $cc ($type) failed"; extra_fail=1; continue; }
	fi
	ninja -C "$dir" >/dev/null || { echo "test: build with $cc ($type) failed"; extra_fail=1; }
done

log=$(mktemp)
trap 'rm -f "$log"' EXIT
meson test -C "$build" --print-errorlogs "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}

count() { sed -n "s/^$1: *\([0-9][0-9]*\) *$/\1/p" "$log" | tail -1; }
ok=$(count "Ok"); xfail=$(count "Expected Fail"); fail=$(count "Fail")
xpass=$(count "Unexpected Pass"); timeout=$(count "Timeout"); skipped=$(count "Skipped")
passed=$(( ${ok:-0} + ${xfail:-0} ))
failed=$(( ${fail:-0} + ${xpass:-0} + ${timeout:-0} + extra_fail ))
if [ -z "$ok" ] && [ "$rc" -ne 0 ]; then
	failed=$((failed + 1))
fi
echo "$passed passed, $failed failed, ${skipped:-0} skipped"
[ "$rc" -eq 0 ] && [ "$failed" -eq 0 ]
