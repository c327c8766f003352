#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
#
# The kernel's own NIC selftests (tools/testing/selftests/drivers/net of
# linux-source) on the Linux fbnic driver and the model: eth0 is the device
# under test, eth1 (a second fbnic of the same server, wired to the first)
# is the remote end in a network namespace. Which tests run and what they
# must show: doc/guides/nics/fbnic_model.rst, "Virtual machine".

set -euo pipefail
source "$(dirname "$0")/vm_lib.sh"
vm_setup
vm_run "$vm_here/guest_selftests.sh" 3300 --peer || true
st=$VM_OUT/selftests.txt
[ -f "$st" ] || vm_fail "guest did not run the selftests"
cat "$st" >&2
grep -q "^FAIL" "$VM_OUT/console.log" && vm_fail "guest set-up failed"
# The serial console ends lines with CR LF.
ok() {
	tr -d '\r' <"$VM_OUT/console.log" | grep -q "^ok [0-9]* $1\$" ||
		vm_fail "selftest $1 did not pass"
}
grep -q "^stats.py rc=0 " "$st" || vm_fail "stats.py failed"
# Plain ping and XDP, generic and native (the native path is the driver's).
grep -q "^ping.py rc=0 " "$st" || vm_fail "ping.py failed"
for c in default_v4 default_v6 xdp_generic_sb xdp_generic_mb xdp_native_sb xdp_native_mb; do
	ok "ping.test_$c"
done
grep -q "^hw/csum.py rc=0 " "$st" || vm_fail "hw/csum.py failed"
# TSO, plain and through VXLAN, GRE and IP tunnels: all but ip6_ipv4, which
# the Linux driver sends through software GSO (fbnic_features_check_encap_gso
# only offloads IPv6-in-IPv6), so its "LSO enabled" count stays 0.
for c in ipv4 ipv6 vxlan4_ipv4 vxlan4_ipv6 vxlan_csum4_ipv4 vxlan_csum4_ipv6 gre4_ipv4 \
	gre4_ipv6 ip4_ipv6 ip4_ipv4 vxlan6_ipv4 vxlan6_ipv6 vxlan_csum6_ipv4 vxlan_csum6_ipv6 \
	gre6_ipv4 gre6_ipv6 ip6_ipv6; do
	ok "tso.$c"
done
echo "vm-test: kernel selftests OK"
