#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
#
# dpdk_example_forwards_frames: one of DPDK's example applications, built
# from Debian's dpdk-doc sources (app/test/examples/meson.build), on two
# model ports whose wires are veth pairs in a network namespace of this
# test (wire=afpacket). frame_peer.py, on the far ends, sends COUNT frames
# into each port and counts those the application forwarded out of the
# other. Claims: every frame came back once in each direction, the
# application's own counters (where it prints them) agree, and l3fwd-power
# (interrupt-only mode) woke on Rx queue interrupts to forward them;
# rxtx_callbacks runs with device Rx timestamps (-t).
#
# flow_filtering, which receives on one port with an rte_flow rule
# (IPv4 to 192.168.1.1 -> queue 1) and prints each frame's source MAC and
# queue: COUNT frames to 192.168.1.1 must be printed on queue 1, COUNT to
# 192.168.1.2 on queue 0.
#
# Usage: dpdk_example_forwards_frames.sh <librte_net_fbnic.so> <example> <binary>
#   example: skeleton | l2fwd | l3fwd | flow_filtering | rxtx_callbacks | l3fwd-power
# Skipped (77) without root, the ip tool or the example binary.

set -u
here=$(dirname "$(readlink -f "$0")")
. "$here/../../../devtools/fbnic-env.sh"

example=$2
binary=$3
count=${FBNIC_EXAMPLE_FRAMES:-400}
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (network namespace)"; exit 77; }
command -v ip >/dev/null || { echo "SKIP: no ip tool"; exit 77; }
[ -x "$binary" ] || { echo "SKIP: $binary not built (dpdk-doc not installed)"; exit 77; }
plugin=$(fbnic_safe_plugin "$1") || exit 1

ns=fbnic_ex_$$
out=$(mktemp)
peer_out=$(mktemp)
cleanup() {
	[ -n "${app_pid:-}" ] && kill -9 "$app_pid" 2>/dev/null
	ip netns del "$ns" 2>/dev/null
	rm -f "$out" "$peer_out"
}
trap cleanup EXIT
ip netns add "$ns" || exit 1
in_ns() { ip netns exec "$ns" "$@"; }
for i in 0 1; do
	in_ns ip link add fbex${i}m type veth peer name fbex${i}p || exit 1
	in_ns ip link set fbex${i}m up && in_ns ip link set fbex${i}p up || exit 1
	# No IPv6 router solicitations or other chatter on the wires.
	in_ns sysctl -qw net.ipv6.conf.fbex${i}m.disable_ipv6=1 net.ipv6.conf.fbex${i}p.disable_ipv6=1
done

# Line-buffered output (its start-up lines are waited for): stdbuf's
# library, preloaded after the sanitizer's runtime in a sanitized build.
stdbuf_lib=/usr/libexec/coreutils/libstdbuf.so
[ -f "$stdbuf_lib" ] || stdbuf_lib=
fbnic_dpdk_cmd --no-eal --no-leak-check run "$binary" $stdbuf_lib
export _STDBUF_O=L _STDBUF_E=L
eal=(${FBNIC_SANITIZE_EAL_ARGS:-} -l 0 --no-huge -m 512 --no-shconf --no-pci --file-prefix=fbnic_ex_$example -d "$plugin"
	--vdev net_fbnic_model0,wire=afpacket:fbex0m,link_hold_off_ms=0
	--vdev net_fbnic_model1,wire=afpacket:fbex1m,link_hold_off_ms=0
	--log-level=lib.eal:warning)
# Where frame_peer.py sends each direction: an address the application
# forwards out of the other port.
dst0=198.18.1.2
dst1=198.18.0.2
case $example in
skeleton)
	app=("${run[@]}" "${eal[@]}")
	;;
l2fwd)
	app=("${run[@]}" "${eal[@]}" -- -p 0x3 -q 2 -T 1)
	;;
flow_filtering)
	app=("${run[@]}" "${eal[@]}")
	;;
rxtx_callbacks)
	# -t: Rx timestamps from the device (RTE_ETH_RX_OFFLOAD_TIMESTAMP and
	# rte_eth_read_clock), or the example exits.
	app=("${run[@]}" "${eal[@]}" -- -t)
	;;
l3fwd-power)
	# Interrupt-only: sleeps on Rx queue interrupts, no frequency scaling.
	# Its LPM routes: 1.1.1.0/24 -> port 0, 2.1.1.0/24 -> port 1.
	app=("${run[@]}" "${eal[@]}" -- -p 0x3 -P --config="(0,0,0),(1,0,0)" --interrupt-only)
	dst0=2.1.1.2
	dst1=1.1.1.2
	;;
l3fwd)
	# LPM routes of the example: 198.18.0.0/24 -> port 0, 198.18.1.0/24 -> port 1.
	app=("${run[@]}" "${eal[@]}" -- -p 0x3 -P --config="(0,0,0),(1,0,0)")
	;;
*)
	echo "FAIL: unknown example $example"
	exit 1
	;;
esac

in_ns timeout 60 "${app[@]}" >"$out" 2>&1 &
app_pid=$!
# Up when both links are (the example printed its ports), at most 20 s.
for _ in $(seq 1 200); do
	kill -0 "$app_pid" 2>/dev/null || break
	case $example in
	skeleton | rxtx_callbacks) grep -q "Core [0-9]* forwarding packets" "$out" && break ;;
	l3fwd-power) grep -q "entering main interrupt loop" "$out" && break ;;
	l2fwd) grep -q "Port statistics" "$out" && break ;;
	l3fwd) grep -q "entering main loop on lcore" "$out" && break ;;
	flow_filtering) grep -q "initializing port: 0 done" "$out" && break ;;
	esac
	sleep 0.1
done
sleep 1

fail=0
bad() {
	echo "FAIL: $*"
	fail=1
}
kill -0 "$app_pid" 2>/dev/null || bad "$example exited early"
if [ "$example" = flow_filtering ]; then
	# It exits when it cannot create its rule.
	grep -q "Flow can't be created" "$out" && bad "the example's rule was not created"
	in_ns /usr/bin/python3 "$here/frame_peer.py" --send fbex0p "$count" 192.168.1.1 0x11
	in_ns /usr/bin/python3 "$here/frame_peer.py" --send fbex0p "$count" 192.168.1.2 0x22
	# Printed as "src=02:AA:00:00:00:11 - dst=... - queue=0x1".
	for _ in $(seq 1 100); do
		n=$(grep -c "src=02:AA:00:00:00:[12][12] .*queue=" "$out")
		[ "$n" -ge $((2 * count)) ] && break
		sleep 0.1
	done
	ruled=$(grep -c "src=02:AA:00:00:00:11 .*queue=0x1$" "$out")
	other=$(grep -c "src=02:AA:00:00:00:22 .*queue=0x0$" "$out")
	stray=$(grep "src=02:AA:00:00:00:[12][12] " "$out" | grep -c -v -E \
		"src=02:AA:00:00:00:11 .*queue=0x1$|src=02:AA:00:00:00:22 .*queue=0x0$")
	[ "$ruled" = "$count" ] || bad "$ruled of $count frames to 192.168.1.1 on queue 1"
	[ "$other" = "$count" ] || bad "$other of $count frames to 192.168.1.2 on queue 0"
	[ "$stray" = 0 ] || bad "$stray frames on another queue"
	echo "sent $count $count on queues 1 and 0: $ruled $other" >"$peer_out"
else
	in_ns /usr/bin/python3 "$here/frame_peer.py" fbex0p fbex1p "$count" $dst0 $dst1 15 \
		>"$peer_out" 2>&1 || bad "frames lost: $(cat "$peer_out")"
	grep -q "^sent $count $count received $count $count duplicates 0$" "$peer_out" ||
		bad "frame_peer: $(cat "$peer_out")"
fi

if [ "$example" = l3fwd-power ]; then
	# It forwarded while sleeping between Rx queue interrupts.
	wakes=$(grep -c "waked up from rx interrupt" "$out")
	[ "$wakes" -ge 1 ] || bad "l3fwd-power never woke on an Rx interrupt"
fi

if [ "$example" = l2fwd ]; then
	# Its 1 s statistics: the last block must show every frame both ways.
	sleep 1.5
	last=$(awk '/Aggregate statistics/ { n = 0; blk = "" } { blk = blk $0 "\n" } \
		END { printf "%s", blk }' "$out")
	rx=$(echo "$last" | awk '/Total packets received:/ { print $4 }' | tail -1)
	tx=$(echo "$last" | awk '/Total packets sent:/ { print $4 }' | tail -1)
	[ "${rx:-0}" -ge $((2 * count)) ] 2>/dev/null || bad "l2fwd received ${rx:-?} frames"
	[ "${tx:-0}" -ge $((2 * count)) ] 2>/dev/null || bad "l2fwd sent ${tx:-?} frames"
fi

kill -INT "$app_pid" 2>/dev/null
for _ in $(seq 1 50); do
	kill -0 "$app_pid" 2>/dev/null || break
	sleep 0.1
done
kill -9 "$app_pid" 2>/dev/null
wait "$app_pid" 2>/dev/null
app_pid=

if [ $fail -ne 0 ]; then
	echo "--- $example output ---"
	tail -60 "$out"
	exit 1
fi
echo "PASS: $example: $(cat "$peer_out")"
