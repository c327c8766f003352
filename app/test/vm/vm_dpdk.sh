#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
#
# The PMD on its PCI path: DPDK in the guest (sid's DPDK 25.11 and this
# tree's PMD built for it, devtools/vm-dpdk.sh) drives the model's PCI
# function through vfio-pci. dpdk-devbind.py lists the function, EAL -a
# probes it, testpmd forwards frames from a host veth back to it with equal
# counts at both ends, link changes arrive on the PCS's MSI-X vector, port
# stop/start and reset keep it working, dpdk-proc-info reads its counters,
# and a surprise removal is reported and survived (guest_dpdk.py).

set -euo pipefail
source "$(dirname "$0")/vm_lib.sh"
vm_setup
vm_netns_setup
export VM_NS VM_PEER_IF VM_GUEST_IP FBNIC_VM_ROOT
vm_run "$vm_here/guest_dpdk.py" 900 --dpdk --file "$vm_here/frame_echo.py" \
	--file "$vm_here/../testpmd_pty.py" \
	--hook "bash $vm_here/host_hook.sh" -- --wire "afpacket:$VM_WIRE_IF" || true
grep -q "^FAIL" "$VM_OUT/console.log" && vm_fail "guest checks failed"
grep -q "^PASS: dpdk done" "$VM_OUT/console.log" || vm_fail "guest did not finish"
echo "vm-test: DPDK on the PCI function OK"
