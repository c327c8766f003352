#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
#
# Rx cost benchmark (figures, not a test), two ways:
#
#   devtools/bench-rx.sh [RUNS]             app/fbnic-rx-bench: every frame staged in
#                                           the Rx ring before the clock starts, fbnic's
#                                           Rx schemes and net_null alternating in one
#                                           process (default 9 runs)
#   devtools/bench-rx.sh --callgrind        instructions per frame of the Rx and Tx
#                                           bursts (fbnic-rx-bench under callgrind,
#                                           which counts only those calls), per path
#   devtools/bench-rx.sh --pmd-perf [RUNS]  DPDK's pmd_perf_autotest on net_null and
#                                           fbnic, alternating (default 5 runs): the
#                                           poll_after_xmit mode, then the continuous
#                                           mode with each of its anchors (rxtx: the
#                                           whole loop; rxonly, txonly: the bursts)
#
# Both print each run, then the median cycles per packet and its ratio to
# net_null's median of the same invocation. pmd_perf_autotest starts its
# clock while the model's engine thread, which shares a core with the main
# lcore, is still delivering the staged frames: its fbnic figures include
# that wait ("IDLE n times" in its output), the first way's do not. Its
# continuous mode runs for two seconds' worth of frames at the link speed:
# the model ports report 1000 Mbit/s (link_speed=), 3 million frames, and
# their engine thread runs on CPU 0, beside the main lcore that waits for
# the worker (lcore 1), which forwards. The model's engine, not the driver,
# then sets the pace: the rxtx anchor mostly times idle polls, and the
# rxonly and txonly anchors time bursts of the few frames that arrived.
# Root with hugepages.

set -u
here=$(dirname "$(readlink -f "$0")")
build=${FBNIC_BUILD_DIR:-$here/../build}
pmd_perf=0
callgrind=0
if [ "${1:-}" = --pmd-perf ]; then
	pmd_perf=1
	shift
elif [ "${1:-}" = --callgrind ]; then
	callgrind=1
	shift
fi
. "$here/fbnic-env.sh"
FBNIC_BUILD_DIR=$build "$here/build.sh" >/dev/null || exit 1
plugin=$(fbnic_safe_plugin "$build/librte_net_fbnic.so") || exit 1
echo "CPU: $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1), $(nproc) cores," \
	"SIMD: $(grep -o -w 'sse4_2\|avx2\|avx512f\|avx512bw' /proc/cpuinfo | sort -u | tr '\n' ' ')"
echo "DPDK: $(pkg-config --modversion libdpdk 2>/dev/null || echo unknown)"
if [ $callgrind = 1 ]; then
	command -v valgrind >/dev/null || { echo "valgrind not installed"; exit 1; }
	cg=$(mktemp -d)
	trap 'rm -rf "$cg"' EXIT
	# Valgrind has no AVX-512: 64 = Scalar, 128 = SSE, 256 = AVX2. The
	# counts are of the same frames every time: one run each.
	printf '%-6s %-18s %-16s %12s %10s\n' width case bursts instructions per-frame
	for width in 64 128 256; do
		for c in net_null:rx fbnic_buffers:rx fbnic_buffers_csum:rx net_null_fwd:tx \
			fbnic_buffers_fwd:tx; do
			name=${c%:*} dir=${c#*:}
			valgrind --tool=callgrind --collect-atstart=no \
				--callgrind-out-file="$cg/out" \
				"$build/app/fbnic-rx-bench/fbnic-rx-bench" -l 0 --iova-mode=va \
				--no-shconf --no-pci --no-huge -m 1024 -d "$plugin" \
				--force-max-simd-bitwidth=$width \
				--vdev net_fbnic_model0,wire=peer:net_fbnic_model1,engine=none,link_hold_off_ms=0 \
				--vdev net_fbnic_model1,engine=none,link_hold_off_ms=0 --vdev net_null0 \
				--log-level=lib.eal:warning --log-level=pmd.net.fbnic:warning \
				-- -p "$plugin" -r 1 -o "$name" -i "$dir" >"$cg/log" 2>&1 || {
				echo "$name ($width): the run failed:"; tail -20 "$cg/log"; exit 1; }
			ir=$(sed -n 's/^summary: //p' "$cg/out")
			path=$(sed -n 's/^fbnic_buffers Rx path: \(.*\), Tx path: \(.*\)$/\1 \2/p' \
				"$cg/log")
			[ "$dir" = rx ] && path=${path% *} || path=${path#* }
			case $name in net_null*) path=net_null ;; esac
			printf '%-6s %-18s %-16s %12s %10.1f\n' "$width" "$name" "$dir ($path)" "$ir" \
				"$(echo "$ir" | awk '{ print $1 / 2048 }')"
		done
	done
	exit 0
fi
if [ $pmd_perf = 0 ]; then
	# One invocation per Rx path of the buffer scheme, EAL setting the SIMD
	# width: 64 = Scalar, 128 = SSE, 256 = AVX2, 512 = AVX-512 (each where
	# the CPU has it, else the widest below).
	for width in 64 128 256 512; do
		echo "--- --force-max-simd-bitwidth=$width"
		"$build/app/fbnic-rx-bench/fbnic-rx-bench" -l 0 --iova-mode=va --no-shconf \
			--no-pci --file-prefix "fbnic_rxbench_$$" --huge-unlink -m 1024 \
			-d "$plugin" --force-max-simd-bitwidth=$width \
			--vdev net_fbnic_model0,wire=peer:net_fbnic_model1,engine=none,link_hold_off_ms=0 \
			--vdev net_fbnic_model1,engine=none,link_hold_off_ms=0 --vdev net_null0 \
			--log-level=lib.eal:warning --log-level=pmd.net.fbnic:warning \
			-- -p "$plugin" -r "${1:-9}" || exit 1
	done
	exit 0
fi
runs=${1:-5}
dpdk_test=$(command -v dpdk-test) || { echo "dpdk-test not installed"; exit 1; }
out=$(mktemp)
trap 'rm -f "$out" /dev/hugepages/fbnic_bench_$$map_*' EXIT

# Cases: name, vdev, mode (poll_after_xmit or an anchor of the continuous mode).
model=net_fbnic_model0,link_hold_off_ms=10
names=(net_null fbnic_buffers fbnic_scalar fbnic_zero_copy)
vdevs=(net_null0 $model $model,rx_path=scalar,tx_path=scalar $model,rx_zero_copy=1)
modes=(poll_after_xmit poll_after_xmit poll_after_xmit poll_after_xmit)
for anchor in rxtx rxonly txonly; do
	names+=("net_null_$anchor" "fbnic_$anchor")
	vdevs+=(net_null0 "$model,link_speed=1000,engine_cpus=0")
	modes+=("$anchor" "$anchor")
done
declare -A results

one() {
	local cmds='set_rxtx_sc poll_after_xmit\n'

	[ "$2" = poll_after_xmit ] || cmds="set_rxtx_sc continuous\nset_rxtx_anchor $2\n"
	printf "${cmds}pmd_perf_autotest\nquit\n" |
		timeout 120 "$dpdk_test" -l 0-1 --iova-mode=va --no-shconf --no-pci \
		--file-prefix "fbnic_bench_$$" --huge-unlink -m 1024 -d "$plugin" \
		--vdev "$1" --log-level=lib.eal:warning --log-level=pmd.net.fbnic:warning \
		>"$out" 2>&1
	sed -n 's/^Result: \([0-9]*\) cycles per packet$/\1/p' "$out"
}

median() {
	printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END {
		if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2];
		else print int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

for ((r = 1; r <= runs; r++)); do
	line="run $r:"
	for i in "${!names[@]}"; do
		c=$(one "${vdevs[$i]}" "${modes[$i]}")
		if [ -z "$c" ]; then
			echo "${names[$i]}: pmd_perf_autotest gave no result:"
			tail -20 "$out"
			exit 1
		fi
		results[$i]="${results[$i]:-} $c"
		line="$line ${names[$i]} $c"
	done
	echo "$line"
done

printf '%-18s %-16s %10s %10s\n' "port" "mode" "cycles/pkt" "vs null"
for i in "${!names[@]}"; do
	# net_null's case of the same mode is the baseline.
	for ((b = 0; b < ${#names[@]}; b++)); do
		[ "${modes[$b]}" = "${modes[$i]}" ] && break
	done
	# shellcheck disable=SC2086
	m=$(median ${results[$i]})
	# shellcheck disable=SC2086
	base=$(median ${results[$b]})
	printf '%-18s %-16s %10s %9.2fx\n' "${names[$i]}" "${modes[$i]}" "$m" \
		"$(echo "$m $base" | awk '{ printf "%.2f", $1 / $2 }')"
done
