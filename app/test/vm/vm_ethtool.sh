#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
#
# ethtool on the Linux fbnic driver against the model: channels (-l/-L),
# rings (-g/-G), offloads (-k), RSS (-x/-X: 64 UDP flows land on the queues
# a Toeplitz reference computes from the reported key and table) and ntuple
# rules (-N: steer to a queue, drop).

set -euo pipefail
source "$(dirname "$0")/vm_lib.sh"
vm_setup
vm_netns_setup
export VM_NS VM_PEER_IF VM_GUEST_IP FBNIC_VM_ROOT
vm_run "$vm_here/guest_ethtool.sh" 600 --file "$vm_here/rss_check.py" --file "$VM_FILES/peer.mac" \
	--hook "bash $vm_here/host_hook.sh" -- --wire "afpacket:$VM_WIRE_IF" || true
grep -q "^FAIL" "$VM_OUT/console.log" && vm_fail "guest checks failed"
grep -q "^PASS: ethtool done" "$VM_OUT/console.log" || vm_fail "guest did not finish"
echo "vm-test: ethtool OK"
