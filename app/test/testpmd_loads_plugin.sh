#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
#
# Smoke test: dpdk-testpmd loads librte_net_fbnic.so with EAL -d, the
# driver's log types exist under pmd.net.fbnic and the driver registers.
# Usage: testpmd_loads_plugin.sh <path to librte_net_fbnic.so>

set -u
here=$(dirname "$(readlink -f "$0")")
. "$here/../../devtools/fbnic-env.sh"

plugin=$(fbnic_safe_plugin "$1") || exit 1
testpmd=$(fbnic_dpdk_tool dpdk-testpmd) || exit 1
fbnic_dpdk_cmd testpmd_cmd "$testpmd"
out=$(mktemp)
trap 'rm -f "$out"' EXIT

printf 'show port summary all\nquit\n' | timeout 60 "${testpmd_cmd[@]}" -l 0-1 --no-huge -m 256 \
	--no-shconf --no-pci -d "$plugin" --vdev net_null0 \
	--log-level='pmd.net.fbnic.*:debug' --log-level=lib.eal:debug \
	-- -i --total-num-mbufs=2048 >"$out" 2>&1
rc=$?

fail=0
expect() {
	if ! grep -q -- "$1" "$out"; then
		echo "FAIL: testpmd output lacks: $1"
		fail=1
	fi
}
[ $rc -eq 0 ] || { echo "FAIL: testpmd exited with $rc"; fail=1; }
expect "open shared lib $plugin"
expect "net_fbnic PMD loaded: PCI 1d9b:0013"
expect "Bye"
if [ $fail -ne 0 ]; then
	echo "--- testpmd output ---"
	cat "$out"
	exit 1
fi
echo "PASS: testpmd loaded $plugin and net_fbnic registered"
