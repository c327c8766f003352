#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
#
# dpdk_example_ptpclient_syncs_to_a_master: DPDK's ptpclient example, built
# from Debian's dpdk-doc sources (app/test/examples/meson.build), on a model
# port whose wire is a veth pair in a network namespace of this test
# (wire=afpacket). ptp_master.py, on the far end, is a two-step layer-2
# PTPv2 master running on the host's CLOCK_REALTIME. ptpclient takes Rx
# stamps of Sync and Tx stamps of its Delay_Req from the device (timesync),
# steps its PTP clock by each measured offset (rte_eth_timesync_adjust_time)
# and prints "Delta between master and slave clocks:<ns>ns". Claims:
#   - the master answered at least half of its ROUNDS Delay_Reqs, and
#     ptpclient printed a delta for at least half of the rounds;
#   - the first delta is the whole offset of the new port's clock (more
#     than 1 s away from the master's wall clock);
#   - the offset converges: after that first step, most deltas are within
#     BOUND_NS (100 us) and so is their median. The model stamps a frame
#     from the veth with the kernel's receive time, so engine scheduling
#     does not add to the path asymmetry (seen: within 40 us). A round
#     whose Tx stamp came after the 1 ms ptpclient waits for it (a loaded
#     machine) yields a delta of half the wall clock; those are counted
#     out of bound, not excused.
# Usage: dpdk_example_ptpclient_syncs_to_a_master.sh <librte_net_fbnic.so> <dpdk-ptpclient>
# Skipped (77) without root, the ip tool or the example binary.

set -u
here=$(dirname "$(readlink -f "$0")")
. "$here/../../../devtools/fbnic-env.sh"

binary=$2
rounds=${FBNIC_PTP_ROUNDS:-30}
bound_ns=${FBNIC_PTP_BOUND_NS:-100000}
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (network namespace)"; exit 77; }
command -v ip >/dev/null || { echo "SKIP: no ip tool"; exit 77; }
[ -x "$binary" ] || { echo "SKIP: $binary not built (dpdk-doc not installed)"; exit 77; }
plugin=$(fbnic_safe_plugin "$1") || exit 1
engine_cpu=$(($(nproc) > 1 ? 1 : 0))

ns=fbnic_ptp_$$
out=$(mktemp)
master_out=$(mktemp)
cleanup() {
	[ -n "${app_pid:-}" ] && kill -9 "$app_pid" 2>/dev/null
	ip netns del "$ns" 2>/dev/null
	rm -f "$out" "$master_out"
}
trap cleanup EXIT
ip netns add "$ns" || exit 1
in_ns() { ip netns exec "$ns" "$@"; }
in_ns ip link add fbptpm type veth peer name fbptpp || exit 1
in_ns ip link set fbptpm up && in_ns ip link set fbptpp up || exit 1
in_ns sysctl -qw net.ipv6.conf.fbptpm.disable_ipv6=1 net.ipv6.conf.fbptpp.disable_ipv6=1

stdbuf_lib=/usr/libexec/coreutils/libstdbuf.so
[ -f "$stdbuf_lib" ] || stdbuf_lib=
fbnic_dpdk_cmd --no-eal --no-leak-check run "$binary" $stdbuf_lib
export _STDBUF_O=L _STDBUF_E=L
# -T 0: ptpclient must not set the host's clock. The engine thread runs on
# the other CPU: ptpclient busy-polls lcore 0 and waits at most 1 ms for a
# Tx stamp, which an engine sharing its CPU would not deliver in time.
app=("${run[@]}" ${FBNIC_SANITIZE_EAL_ARGS:-} -l 0 --no-huge -m 512 --no-shconf --no-pci
	--file-prefix=fbnic_ex_ptpclient -d "$plugin"
	--vdev net_fbnic_model0,wire=afpacket:fbptpm,link_hold_off_ms=0,engine_cpus=$engine_cpu
	--log-level=lib.eal:warning -- -p 0x1 -T 0)

in_ns timeout 60 "${app[@]}" >"$out" 2>&1 &
app_pid=$!
for _ in $(seq 1 200); do
	kill -0 "$app_pid" 2>/dev/null || break
	grep -q "Waiting for SYNC packets" "$out" && break
	sleep 0.1
done
sleep 1

fail=0
bad() {
	echo "FAIL: $*"
	fail=1
}
kill -0 "$app_pid" 2>/dev/null || bad "ptpclient exited early"
# The master beside ptpclient on CPU 0, leaving CPU 1 to the engine, which
# then sends each Delay_Req within the 1 ms ptpclient waits for its stamp.
in_ns taskset -c 0 /usr/bin/python3 "$here/ptp_master.py" fbptpp "$rounds" 0.1 >"$master_out" 2>&1 ||
	bad "the master got no Delay_Req"
sleep 0.5
kill -INT "$app_pid" 2>/dev/null
for _ in $(seq 1 50); do
	kill -0 "$app_pid" 2>/dev/null || break
	sleep 0.1
done
kill -9 "$app_pid" 2>/dev/null
wait "$app_pid" 2>/dev/null
app_pid=

answered=$(grep -c "^round [0-9]* t1 " "$master_out")
[ "$answered" -ge $((rounds / 2)) ] || bad "the master answered $answered of $rounds rounds"
mapfile -t deltas < <(grep -a -o "Delta between master and slave clocks:-\?[0-9]*ns" "$out" |
	sed 's/.*clocks://; s/ns$//')
n=${#deltas[@]}
[ "$n" -ge $((rounds / 2)) ] || bad "ptpclient printed $n deltas for $rounds rounds"
within=0
median=
if [ "$n" -ge 6 ]; then
	abs() { local v=$1; echo "${v#-}"; }
	first=$(abs "${deltas[0]}")
	[ "$first" -gt 1000000000 ] || bad "first delta ${deltas[0]} ns: the clocks started close"
	after=()
	for ((i = 1; i < n; i++)); do
		d=$(abs "${deltas[i]}")
		after+=("$d")
		[ "$d" -le "$bound_ns" ] && within=$((within + 1))
	done
	median=$(printf "%s\n" "${after[@]}" | sort -n | sed -n "$(((n - 1 + 1) / 2))p")
	[ $((2 * within)) -gt $((n - 1)) ] ||
		bad "$within of $((n - 1)) deltas after the first within $bound_ns ns"
	[ "$median" -le "$bound_ns" ] || bad "median delta $median ns beyond $bound_ns ns"
fi

if [ $fail -ne 0 ]; then
	echo "--- master ---"
	tail -20 "$master_out"
	echo "--- ptpclient deltas: ${deltas[*]:-none}"
	echo "--- ptpclient output ---"
	tail -40 "$out" | tr -d '\033'
	exit 1
fi
echo "PASS: $answered rounds; first delta ${deltas[0]} ns, then $within of $((n - 1))" \
	"within $bound_ns ns, median $median ns; last five: ${deltas[*]: -5}"
