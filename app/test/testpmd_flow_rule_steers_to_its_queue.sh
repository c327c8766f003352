#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
#
# testpmd_flow_rule_steers_to_its_queue: the rte_flow rule of fbnic.rst,
#   flow create 1 ingress pattern eth / ipv4 dst is 192.0.2.1 /
#        udp dst is 4789 / end actions queue index 2 / end
# typed into dpdk-testpmd, on two model ports cabled together with 4 Rx
# queues each. "start tx_first 2" sends testpmd's txonly frames (one flow,
# 198.18.0.1:9 -> 192.0.2.1:4789 by --tx-ip and --tx-udp) from both ports;
# rxonly receives them. Claims:
#   - testpmd reports the rule created, and "flow list" shows it;
#   - every frame port 1 received (all of port 0's, none missed) arrived on
#     Rx queue 2, none on the other queues;
#   - port 0, whose rule drops UDP port 4790 instead, received all of port
#     1's frames, on one RSS queue.
# Usage: testpmd_flow_rule_steers_to_its_queue.sh <path to librte_net_fbnic.so>

set -u
here=$(dirname "$(readlink -f "$0")")
. "$here/../../devtools/fbnic-env.sh"

plugin=$(fbnic_safe_plugin "$1") || exit 1
testpmd=$(fbnic_dpdk_tool dpdk-testpmd) || exit 1
fbnic_dpdk_cmd testpmd_cmd "$testpmd"
out=$(mktemp)
trap 'rm -f "$out"' EXIT

fbnic_testpmd_script "$out" "${testpmd_cmd[@]}" -l 0-1 --no-huge -m 512 --no-shconf --no-pci \
	--file-prefix=fbnic_flow_rule -d "$plugin" \
	--vdev net_fbnic_model0,wire=peer:net_fbnic_model1 \
	--vdev net_fbnic_model1 \
	--log-level=lib.eal:warning \
	-- -i --rxq=4 --txq=4 --tx-ip=198.18.0.1,192.0.2.1 --tx-udp=9,4789 \
	--total-num-mbufs=16384 <<'EOF'
flow create 1 ingress pattern eth / ipv4 dst is 192.0.2.1 / udp dst is 4789 / end actions queue index 2 / end
flow create 0 ingress pattern eth / ipv4 dst is 192.0.2.1 / udp dst is 4790 / end actions drop / end
flow list 1
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
[ "$(grep -c 'Flow rule #0 created' "$out")" = 2 ] || bad "the rules were not both created"
grep -Eq '^0[[:space:]]+0[[:space:]]+0[[:space:]]+i-+[[:space:]]+ETH IPV4 UDP => QUEUE' "$out" ||
	bad "flow list 1 does not show the rule"

nic_stat() { fbnic_testpmd_stat "$out" "$@"; }

xstat() { fbnic_testpmd_xstat "$out" "$@"; }

tx0=$(nic_stat 0 TX-packets)
tx1=$(nic_stat 1 TX-packets)
rx0=$(nic_stat 0 RX-packets)
rx1=$(nic_stat 1 RX-packets)
for v in "$tx0" "$tx1" "$rx0" "$rx1"; do
	[[ "$v" =~ ^[0-9]+$ ]] || bad "unparsable statistics"
done
[ "${tx0:-0}" -gt 0 ] 2>/dev/null || bad "port 0 sent nothing"
[ "$tx0" = "$rx1" ] || bad "port 0 sent $tx0 frames, port 1 received $rx1"
[ "$tx1" = "$rx0" ] || bad "port 1 sent $tx1 frames, port 0 received $rx0"

for q in 0 1 2 3; do
	n=$(xstat 1 rx_q${q}_packets)
	want=0
	[ $q = 2 ] && want=$rx1
	[ "$n" = "$want" ] || bad "port 1: Rx queue $q received $n frames, expected $want"
done
busy=0
for q in 0 1 2 3; do
	n=$(xstat 0 rx_q${q}_packets)
	[[ "$n" =~ ^[0-9]+$ ]] || { bad "port 0: no xstat rx_q${q}_packets"; continue; }
	[ "$n" -gt 0 ] && busy=$((busy + 1))
done
[ $busy = 1 ] || bad "port 0: one flow spread over $busy queues"

if [ $fail -ne 0 ]; then
	echo "--- testpmd output ---"
	grep -v -E '^(rxb|pcie|tmi|tti|tbi|rpc|fec|pcs)_' "$out"
	exit 1
fi
echo "PASS: port 1 received all $rx1 frames of the rule's flow on queue 2"
