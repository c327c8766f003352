#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
#
# The whole test suite, from a fresh Debian bookworm machine (as root), on
# every DPDK version the driver supports:
#   - bookworm's DPDK 22.11 on the host: compile-only builds (clang release,
#     gcc debug and release), then every meson test suite;
#   - trixie's DPDK 24.11 and sid's DPDK 25.11, each in a cached Debian
#     chroot built from Debian packages (devtools/chroot-env.sh): the unit,
#     style, model and integration suites, on the host's hugepages;
#   - with --sanitize (the default in CI, CI=true): the unit, model,
#     integration and fuzz suites again, built with ASan and UBSan in
#     build-asan/ (the "sanitize" line; meson.build has the settings).
# Prints one result line per DPDK version, then "N passed, N failed"
# counting every version's tests. A chroot that cannot be built here is
# reported as skipped, with the reason. Exit status: 0 when every test passed.
#
#   devtools/test.sh [--sanitize | --no-sanitize] [meson test arguments for the
#                    host run, e.g. --suite unit]
#
# Environment:
#   FBNIC_TEST_CHROOTS   Debian suites to test in chroots (default "trixie sid",
#                        "" for the host only)
#   FBNIC_CHROOT_TESTS   meson test arguments in the chroots (default: the
#                        unit, style, model and integration suites)
#   FBNIC_SANITIZE_TESTS meson test arguments of the sanitized run (default:
#                        the unit, model, integration and fuzz suites)

set -u
here=$(dirname "$(readlink -f "$0")")
top=$(readlink -f "$here/..")
# CI runs the sanitized suites too: about 4 minutes more, fresh (see
# "Sanitizers" in doc/guides/nics/fbnic.rst).
sanitize=0
[ "${CI:-}" = true ] && sanitize=1
case "${1:-}" in
--sanitize) sanitize=1; shift ;;
--no-sanitize) sanitize=0; shift ;;
esac
"$here/setup.sh" || { echo "0 passed, 1 failed"; exit 1; }

passed=0
failed=0
skipped=0
summary=()

# Add a result line "LABEL (...): N passed, N failed, N skipped" to the totals.
account() {
	local line=$1 p f s
	p=$(sed -n 's/.*: \([0-9]*\) passed, [0-9]* failed.*/\1/p' <<<"$line")
	f=$(sed -n 's/.*: [0-9]* passed, \([0-9]*\) failed.*/\1/p' <<<"$line")
	s=$(sed -n 's/.*failed, \([0-9]*\) skipped.*/\1/p' <<<"$line")
	if [ -z "$p" ] || [ -z "$f" ]; then
		f=1
		p=0
		line="$line (no result: counted as 1 failed)"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + ${s:-0}))
	summary+=("$line")
}

# Temporary files of this run, outside the tree (the style suite checks the tree).
setup_log=$(mktemp)
out=$(mktemp)
trap 'rm -f "$setup_log" "$out"' EXIT

# The driver must also build clean with clang and in debug and release builds,
# and without the model (-Dmodel=false), which must leave no model code or
# header behind (check-no-model.sh; it must also fail on a build with it).
cp=0
cf=0
for cfg in "clang:release" "gcc:debug" "gcc:release" "gcc:release:nomodel"; do
	cc=${cfg%%:*}
	rest=${cfg#*:}
	type=${rest%%:*}
	opts=(-Dtests=false)
	dir=$top/build-$cc-$type
	if [ "$rest" != "$type" ]; then
		opts+=(-Dmodel=false)
		dir=$dir-nomodel
	fi
	if [ ! -f "$dir/build.ninja" ]; then
		rm -rf "$dir"
		if ! CC=$cc meson setup "$dir" --buildtype="$type" "${opts[@]}" >"$setup_log" 2>&1; then
			cat "$setup_log"
			echo "test: configure with $cc ($type ${opts[*]}) failed"
			cf=$((cf + 1))
			continue
		fi
	fi
	if ! ninja -C "$dir" >"$dir/fbnic-build.log" 2>&1; then
		tail -40 "$dir/fbnic-build.log"
		echo "test: build with $cc ($type ${opts[*]}) failed, see $dir/fbnic-build.log"
		cf=$((cf + 1))
	elif [ "$rest" != "$type" ] && ! "$here/check-no-model.sh" "$dir"; then
		echo "test: the -Dmodel=false build holds model code"
		cf=$((cf + 1))
	elif [ "$rest" = "release" ] && [ "$cc" = gcc ] &&
			"$here/check-no-model.sh" "$dir" >/dev/null; then
		echo "test: check-no-model.sh finds nothing in a build with the model"
		cf=$((cf + 1))
	else
		cp=$((cp + 1))
	fi
done
account "compile-only builds (DPDK $(pkg-config --modversion libdpdk)): $cp passed, $cf failed, 0 skipped"

"$here/test-suites.sh" "bookworm" "$top/build" "$@" | tee "$out"
account "$(tail -1 "$out")"

# The same tree under AddressSanitizer and UndefinedBehaviorSanitizer.
if [ "$sanitize" = 1 ]; then
	echo "test: sanitized build (ASan, UBSan) in build-asan"
	dir=$top/build-asan
	cmd=(setup "$dir")
	if [ -f "$dir/build.ninja" ]; then
		cmd=(configure "$dir")
	else
		rm -rf "$dir"
	fi
	if ! meson "${cmd[@]}" -Db_sanitize=address,undefined -Db_lundef=false \
			>"$setup_log" 2>&1; then
		cat "$setup_log"
		ver=$(pkg-config --modversion libdpdk)
		account "sanitize (DPDK $ver): 0 passed, 1 failed, 0 skipped (configure failed)"
	else
		sanitize_tests=${FBNIC_SANITIZE_TESTS:---suite unit --suite model \
			--suite integration --suite fuzz}
		# shellcheck disable=SC2086 # the test arguments are words
		"$here/test-suites.sh" "sanitize" "$dir" $sanitize_tests | tee "$out"
		account "$(tail -1 "$out")"
	fi
fi

chroot_tests=${FBNIC_CHROOT_TESTS:---suite unit --suite style --suite model --suite integration}
for suite in ${FBNIC_TEST_CHROOTS-trixie sid}; do
	echo "test: Debian $suite chroot"
	envlog=$(mktemp)
	"$here/chroot-env.sh" "$suite" >"$envlog" 2>&1
	rc=$?
	reason=$(tail -1 "$envlog")
	[ "$rc" -eq 0 ] || cat "$envlog"
	rm -f "$envlog"
	if [ "$rc" -eq 77 ]; then
		account "$suite: 0 passed, 0 failed, 1 skipped (chroot not available: $reason)"
		continue
	elif [ "$rc" -ne 0 ]; then
		account "$suite: 0 passed, 1 failed, 0 skipped (chroot could not be built: $reason)"
		continue
	fi
	# shellcheck disable=SC2086 # the test arguments are words
	"$here/chroot-run.sh" "$suite" "$here/test-suites.sh" "$suite" \
		"$top/build-$suite" $chroot_tests | tee "$out"
	account "$(tail -1 "$out")"
done

echo
echo "Results per DPDK version:"
for l in "${summary[@]}"; do
	echo "  $l"
done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
