#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
#
# The main demo, from a fresh Debian bookworm machine (as root): install
# what is needed, build, then run dpdk-testpmd on two fbnic ports of the
# software model cabled together, forwarding frames for a few seconds and
# printing the ports' statistics.

set -eu
here=$(dirname "$(readlink -f "$0")")
"$here/setup.sh"
"$here/build.sh"

secs=${FBNIC_DEMO_SECONDS:-5}
echo "demo: testpmd on net_fbnic_model0 <-> net_fbnic_model1 for $secs s"
{
	sleep 2
	echo "show port info all"
	echo "start tx_first"
	sleep "$secs"
	echo "stop"
	echo "show port stats all"
	echo "show port xstats 0"
	echo "quit"
} | timeout $((secs + 60)) "$here/run-testpmd.sh" -l 0-1 --in-memory --iova-mode=va --no-pci \
	--vdev net_fbnic_model0,wire=peer:net_fbnic_model1 \
	--vdev net_fbnic_model1 \
	-- -i --rxq=2 --txq=2 --forward-mode=io
