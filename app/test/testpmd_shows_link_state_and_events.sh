#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
#
# testpmd_shows_link_state_and_events: what dpdk-testpmd shows of the link of model ports.
#   - a port probed with fault=link_down reports its link down;
#   - a healthy port reports link up at 100 Gbps and testpmd prints the LSC
#     event the driver raised when the link came up after start;
#   - "set link-down" / "set link-up" move the reported link down and up again.
# Usage: testpmd_shows_link_state_and_events.sh <path to librte_net_fbnic.so>

set -u
here=$(dirname "$(readlink -f "$0")")
. "$here/../../devtools/fbnic-env.sh"

plugin=$(fbnic_safe_plugin "$1") || exit 1
testpmd=$(fbnic_dpdk_tool dpdk-testpmd) || exit 1
fbnic_dpdk_cmd testpmd_cmd "$testpmd"
out=$(mktemp)
trap 'rm -f "$out"' EXIT

# testpmd waits up to 9 s for links to come up (port 0 never does) before
# its first prompt.
fbnic_testpmd_script "$out" "${testpmd_cmd[@]}" -l 0-1 --no-huge -m 512 --no-shconf --no-pci \
	--file-prefix=fbnic_link -d "$plugin" \
	--vdev net_fbnic_model0,wire=loopback,fault=link_down \
	--vdev net_fbnic_model1,wire=loopback \
	--log-level=lib.eal:warning \
	-- -i --total-num-mbufs=4096 <<'EOF'
show port info 0
@until 30 ^Link status: up :: show port info 1
set link-down port 1
show port info 1
set link-up port 1
@until 30 ^Link status: up :: show port info 1
EOF
rc=$?

fail=0
bad() {
	echo "FAIL: $*"
	fail=1
}
[ $rc -eq 0 ] || bad "testpmd exited with $rc"

# The "Link status:" lines of the successive "show port info" outputs, a
# repeated one (a command repeated until the link is up) once.
mapfile -t links < <(awk '
	/Infos for port/ { for (i = 1; i < NF; i++) if ($i == "port") port = $(i + 1) }
	/^Link status:/ { s = port ":" $3; if (s != last) print s; last = s }' "$out")
expect=("0:down" "1:up" "1:down" "1:up")
[ "${links[*]}" = "${expect[*]}" ] ||
	bad "link states '${links[*]}', expected '${expect[*]}'"
grep -q "Port 1: link state change event" "$out" || bad "no LSC event printed for port 1"
grep -q "Link speed: 100 Gbps" "$out" || bad "no 100 Gbps link"

if [ $fail -ne 0 ]; then
	echo "--- testpmd output ---"
	cat "$out"
	exit 1
fi
echo "PASS: link states ${links[*]}, LSC event printed"
