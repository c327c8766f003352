#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
#
# Faults injected into the model at run time (server control socket) are
# reported by the Linux driver as on hardware: loss of link, a firmware that
# fails every request (devlink health "fw" error), and recovery from both.

set -euo pipefail
source "$(dirname "$0")/vm_lib.sh"
vm_setup
vm_netns_setup
export VM_NS VM_PEER_IF VM_GUEST_IP FBNIC_VM_ROOT
vm_run "$vm_here/guest_faults.sh" 600 --hook "bash $vm_here/host_hook.sh" \
	-- --wire "afpacket:$VM_WIRE_IF" || true
grep -q "^FAIL" "$VM_OUT/console.log" && vm_fail "guest checks failed"
grep -q "^PASS: faults done" "$VM_OUT/console.log" || vm_fail "guest did not finish"
echo "vm-test: faults OK"
