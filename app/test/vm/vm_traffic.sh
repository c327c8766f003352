#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
#
# Traffic between the guest's fbnic port and a host veth: the model's wire
# is AF_PACKET on the host end of a veth pair whose other end sits in a
# network namespace. Ping both ways, a 4 MiB TCP transfer in each direction
# (checksummed), and packet/byte counters that agree on both ends, in the
# netdev statistics and in ethtool's MAC counters.

set -euo pipefail
source "$(dirname "$0")/vm_lib.sh"
vm_setup
vm_netns_setup

data=$FBNIC_VM_ROOT/srv/fbnic-vm/peer.$$
mkdir -p "$data"
trap 'rm -rf "$data"; vm_cleanup' EXIT
head -c 4194304 /dev/urandom >"$data/down.bin"
sha256sum <"$data/down.bin" | cut -d' ' -f1 >"$data/down.sha"
g=${data#"$FBNIC_VM_ROOT"}
# One connection each: the guest uploads to 5001 and downloads from 5002.
vm_peer timeout 600 socat -u TCP-LISTEN:5001,reuseaddr "OPEN:$g/up.bin,creat,trunc" &
vm_peer timeout 600 socat -u "OPEN:$g/down.bin" TCP-LISTEN:5002,reuseaddr &
# The same again once the peer uses checksum offload and TSO (the model's wire
# finishes and segments what the veth hands it, as the peer's NIC would).
vm_peer timeout 600 socat -u "OPEN:$g/down.bin" TCP-LISTEN:5003,reuseaddr &
cp "$data/down.sha" "$VM_OUT.down.sha"

export VM_NS VM_PEER_IF VM_GUEST_IP FBNIC_VM_ROOT
vm_run "$vm_here/guest_traffic.sh" 600 --file "$VM_OUT.down.sha" --file "$vm_here/rss_check.py" \
	--hook "bash $vm_here/host_hook.sh" -- --wire "afpacket:$VM_WIRE_IF" || true
rm -f "$VM_OUT.down.sha"
grep -q "^FAIL" "$VM_OUT/console.log" && vm_fail "guest checks failed"
grep -q "^PASS: peer offloads" "$VM_OUT/console.log" || vm_fail "guest did not finish"
up_host=$(sha256sum <"$data/up.bin" | cut -d' ' -f1)
up_guest=$(cat "$VM_OUT/up.sha")
[ "$up_host" = "$up_guest" ] || vm_fail "upload corrupted: guest $up_guest host $up_host"
echo "vm-test: traffic OK (upload $up_host)"
