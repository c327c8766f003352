#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
#
# testpmd_cable_delivers_every_frame: dpdk-testpmd with two model ports cabled together
# (wire=peer), 4 queues each. "start tx_first 2" sends 2 bursts per queue
# on both ports (256 frames: the model's cable buffers 512); the forwarding mode is rxonly so that nothing is in flight
# once the bursts have arrived (with io forwarding frames would still be on
# the cable at "stop"). Claims:
#   - every frame one port sent was received by the other: packet and byte
#     counts equal, no frame missed, no error;
#   - RSS spread the flows (--txonly-multi-flow) over all 4 Rx queues;
#   - the hardware counters (xstats) agree with the software counters:
#     MAC frames equal, MAC bytes = software bytes + 4 bytes of FCS per frame.
# Usage: testpmd_cable_delivers_every_frame.sh <path to librte_net_fbnic.so>

set -u
here=$(dirname "$(readlink -f "$0")")
. "$here/../../devtools/fbnic-env.sh"

plugin=$(fbnic_safe_plugin "$1") || exit 1
testpmd=$(fbnic_dpdk_tool dpdk-testpmd) || exit 1
fbnic_dpdk_cmd testpmd_cmd "$testpmd"
out=$(mktemp)
trap 'rm -f "$out"' EXIT

# A fixed RSS key (Microsoft's 40-byte key, continued to the 54 bytes the
# device takes), so that the queue spread is the same on every run.
key=6d5a56da255b0ec24167253d43a38fb0d0ca2bcbae7b30b477cb2da38030f20c6a42b73bbeac01fa
key=${key}0123456789abcdef0123456789ab
fbnic_testpmd_script "$out" "${testpmd_cmd[@]}" -l 0-1 --no-huge -m 512 --no-shconf --no-pci \
	--file-prefix=fbnic_cable -d "$plugin" \
	--vdev net_fbnic_model0,wire=peer:net_fbnic_model1 \
	--vdev net_fbnic_model1 \
	--log-level=lib.eal:warning \
	-- -i --rxq=4 --txq=4 --txonly-multi-flow --total-num-mbufs=16384 <<EOF
port config 0 rss-hash-key ipv4 $key
port config 1 rss-hash-key ipv4 $key
# Hash UDP ports too: testpmd's multi-flow varies the source IP up to
# 23.x and the UDP source port since.
port config all rss ipv4-udp
set fwd rxonly
start tx_first 2
# Until every frame has arrived: the counters stop moving.
@settle show port stats all
stop
show port stats all
show port xstats all
EOF
rc=$?

fail=0
bad() {
	echo "FAIL: $*"
	fail=1
}

[ $rc -eq 0 ] || bad "testpmd exited with $rc"

nic_stat() { fbnic_testpmd_stat "$out" "$@"; }

xstat() { fbnic_testpmd_xstat "$out" "$@"; }

declare -A rx rxb tx txb
for p in 0 1; do
	rx[$p]=$(nic_stat $p RX-packets)
	rxb[$p]=$(nic_stat $p RX-bytes)
	tx[$p]=$(nic_stat $p TX-packets)
	txb[$p]=$(nic_stat $p TX-bytes)
	missed=$(nic_stat $p RX-missed)
	rxerr=$(nic_stat $p RX-errors)
	txerr=$(nic_stat $p TX-errors)
	for v in "${rx[$p]}" "${rxb[$p]}" "${tx[$p]}" "${txb[$p]}" "$missed" "$rxerr" "$txerr"; do
		[[ "$v" =~ ^[0-9]+$ ]] || { bad "port $p: unparsable statistics"; break; }
	done
	[ "${tx[$p]:-0}" -gt 0 ] 2>/dev/null || bad "port $p sent nothing"
	[ "${missed:-1}" = 0 ] || bad "port $p: RX-missed $missed"
	[ "${rxerr:-1}" = 0 ] || bad "port $p: RX-errors $rxerr"
	[ "${txerr:-1}" = 0 ] || bad "port $p: TX-errors $txerr"
done

for pair in "0 1" "1 0"; do
	set -- $pair
	[ "${tx[$1]}" = "${rx[$2]}" ] ||
		bad "port $1 sent ${tx[$1]} frames, port $2 received ${rx[$2]}"
	[ "${txb[$1]}" = "${rxb[$2]}" ] ||
		bad "port $1 sent ${txb[$1]} bytes, port $2 received ${rxb[$2]}"
done

for p in 0 1; do
	hw_tx=$(xstat $p mac_tx_ok_frames)
	hw_rx=$(xstat $p mac_rx_ok_frames)
	hw_txb=$(xstat $p mac_tx_ok_bytes)
	hw_rxb=$(xstat $p mac_rx_ok_bytes)
	[ "$hw_tx" = "${tx[$p]}" ] || bad "port $p: mac_tx_ok_frames $hw_tx, software ${tx[$p]}"
	[ "$hw_rx" = "${rx[$p]}" ] || bad "port $p: mac_rx_ok_frames $hw_rx, software ${rx[$p]}"
	[ "$hw_txb" = "$(( ${txb[$p]:-0} + 4 * ${tx[$p]:-0} ))" ] ||
		bad "port $p: mac_tx_ok_bytes $hw_txb, software ${txb[$p]} + FCS"
	[ "$hw_rxb" = "$(( ${rxb[$p]:-0} + 4 * ${rx[$p]:-0} ))" ] ||
		bad "port $p: mac_rx_ok_bytes $hw_rxb, software ${rxb[$p]} + FCS"
	sum=0
	for q in 0 1 2 3; do
		n=$(xstat $p rx_q${q}_packets)
		[[ "$n" =~ ^[0-9]+$ ]] || { bad "port $p: no xstat rx_q${q}_packets"; continue; }
		[ "$n" -gt 0 ] || bad "port $p: Rx queue $q received nothing (RSS)"
		sum=$((sum + n))
	done
	[ "$sum" = "${rx[$p]}" ] || bad "port $p: Rx queues sum to $sum, port says ${rx[$p]}"
done

if [ $fail -ne 0 ]; then
	echo "--- testpmd output ---"
	grep -v -E '^(rxb|pcie|tmi|tti|tbi|rpc|fec|pcs)_' "$out"
	exit 1
fi
echo "PASS: port 0 -> 1: ${tx[0]} frames / ${txb[0]} bytes, port 1 -> 0: ${tx[1]} frames" \
	"/ ${txb[1]} bytes, hardware counters agree"
