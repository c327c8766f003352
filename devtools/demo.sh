#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
#
# The main demo, from a fresh Debian bookworm machine (as root): install
# what is needed, build, then run dpdk-testpmd on two fbnic ports of the
# software model cabled together, forwarding frames for a few seconds and
# printing the ports' statistics.
#
#   devtools/demo.sh [--dpdk bookworm|trixie|sid]
#
# --dpdk (or FBNIC_DEMO_DPDK) picks the DPDK: bookworm's 22.11 on the host
# (the default), or trixie's 24.11 or sid's 25.11 in a cached Debian chroot
# (devtools/chroot-env.sh), built there against that DPDK.

set -eu
here=$(dirname "$(readlink -f "$0")")
top=$(readlink -f "$here/..")
dist=${FBNIC_DEMO_DPDK:-bookworm}
while [ $# -gt 0 ]; do
	case $1 in
	--dpdk) dist=${2:?--dpdk needs bookworm, trixie or sid}; shift 2 ;;
	--dpdk=*) dist=${1#--dpdk=}; shift ;;
	-h|--help) sed -n '4,14p' "$0"; exit 0 ;;
	*) echo "demo: unknown argument $1" >&2; exit 2 ;;
	esac
done

"$here/setup.sh"
case $dist in
bookworm)
	export FBNIC_BUILD_DIR=${FBNIC_BUILD_DIR:-$top/build}
	run=()
	;;
trixie|sid)
	"$here/chroot-env.sh" "$dist"
	export FBNIC_BUILD_DIR=$top/build-$dist
	run=("$here/chroot-run.sh" "$dist" env "FBNIC_BUILD_DIR=$FBNIC_BUILD_DIR")
	;;
*)
	echo "demo: --dpdk takes bookworm, trixie or sid, not '$dist'" >&2
	exit 2
	;;
esac
"${run[@]}" "$here/build.sh"
echo "demo: DPDK $("${run[@]}" pkg-config --modversion libdpdk) ($dist)"

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
} | timeout $((secs + 60)) "${run[@]}" "$here/run-testpmd.sh" -l 0-1 --in-memory \
	--iova-mode=va --no-pci \
	--vdev net_fbnic_model0,wire=peer:net_fbnic_model1 \
	--vdev net_fbnic_model1 \
	-- -i --rxq=2 --txq=2 --forward-mode=io
