#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
#
# Long libFuzzer runs of every fuzz target (not a meson test, not in CI):
#
#   devtools/fuzz-long.sh [seconds-per-target]     (default 60)
#
# Builds the targets with clang -Dfuzzer=true in build-fuzz/ (or
# $FBNIC_FUZZ_BUILD_DIR), installs clang and libFuzzer from Debian when they
# are missing (root), then runs each target alone (-jobs=1) for the given
# time on a corpus kept in build-fuzz/fuzz-runs/<target>/corpus (seeded from
# the tree's corpus, if any). Prints one line per target: executions,
# executions per second and findings (crash, leak, timeout, oom files this
# run left in build-fuzz/fuzz-runs/<target>/findings). Exits 1 when anything
# was found.

set -eu
top=$(readlink -f "$(dirname "$(readlink -f "$0")")/..")
secs=${1:-60}
build=${FBNIC_FUZZ_BUILD_DIR:-$top/build-fuzz}
runs=$build/fuzz-runs

case $secs in
''|*[!0-9]*) echo "usage: $0 [seconds-per-target]" >&2; exit 2 ;;
esac

# name, ninja target, seed corpus in the tree ('' for none)
targets="
fuzz_tlv app/test/fuzz_tlv app/test/fuzz_tlv_corpus
fuzz_vfu vfio-user/tests/fuzz_vfu vfio-user/tests/fuzz_vfu_corpus
fuzz_rx_cmpl app/test/fuzz_rx_cmpl -
test_core_fuzz model/tests/test_core_fuzz -
test_fw_fuzz model/tests/test_fw_fuzz -
"

apt_install() {
	if [ "$(id -u)" != 0 ]; then
		echo "fuzz-long: $* missing; install it (as root: apt-get install $*)" >&2
		exit 1
	fi
	apt-get install -y -q "$@" >/dev/null
}

command -v clang >/dev/null || apt_install clang
fuzzer_lib=$(clang -print-file-name="libclang_rt.fuzzer-$(uname -m).a")
if [ ! -f "$fuzzer_lib" ]; then
	apt_install "libclang-rt-$(clang -dumpversion | cut -d. -f1)-dev"
fi

cd "$top"
if [ ! -f "$build/build.ninja" ]; then
	CC=clang meson setup "$build" -Dfuzzer=true >"$build.setup.log" 2>&1 || {
		cat "$build.setup.log" >&2
		exit 1
	}
	rm -f "$build.setup.log"
fi
# shellcheck disable=SC2046
ninja -C "$build" $(echo "$targets" | awk 'NF { print $2 }') >/dev/null

found=0
printf '%-16s %8s %14s %10s %9s\n' target seconds executions execs/s findings
while read -r name target seeds; do
	[ -n "$name" ] || continue
	dir=$runs/$name
	mkdir -p "$dir/corpus" "$dir/findings"
	if [ "$seeds" != - ] && [ -d "$seeds" ]; then
		cp -n "$seeds"/* "$dir/corpus/" 2>/dev/null || true
	fi
	rm -f "$dir"/fuzz-*.log
	touch "$dir/.start"
	start=$(date +%s)
	# -jobs=1: one worker, its output in fuzz-0.log of the working directory
	(cd "$dir" && "$build/$target" -jobs=1 -workers=1 -max_total_time="$secs" \
		-timeout=20 -print_final_stats=1 -artifact_prefix="$dir/findings/" \
		corpus >/dev/null 2>&1) || true
	took=$(($(date +%s) - start))
	log=$dir/fuzz-0.log
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n1)
	if [ -z "$execs" ]; then
		# Stopped by a finding: the last status line has the count so far
		execs=$(sed -n 's/^#\([0-9][0-9]*\).*/\1/p' "$log" | tail -n1)
		rate=$(sed -n 's/^#[0-9].* exec\/s: \([0-9]*\).*/\1/p' "$log" | tail -n1)
	fi
	n=$(find "$dir/findings" -type f -newer "$dir/.start" | wc -l)
	[ "$n" = 0 ] || found=1
	printf '%-16s %8s %14s %10s %9s\n' "$name" "$took" "${execs:-?}" "${rate:-?}" "$n"
done <<EOF
$targets
EOF
echo "fuzz-long: logs and findings in $runs"
exit $found
