#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
#
# Guest part of vm_traffic.sh.
. /mnt/guest_lib.sh
PEER=192.168.77.2

sysctl -qw net.ipv6.conf.$IF.disable_ipv6=1
ip addr add 192.168.77.1/24 dev $IF
check "link up" link_up 30
sleep 2

snap() {
	local f
	for f in rx_packets rx_bytes tx_packets tx_bytes rx_missed_errors; do
		echo "$f $(stat_of $f)"
	done
	ethtool -S $IF --groups eth-mac | awk '$1 == "eth-mac-FramesTransmittedOK:" ||
		$1 == "eth-mac-FramesReceivedOK:" { sub("eth-mac-", "", $1); sub(":", "", $1);
		print $1, $2 }'
}
val() { awk -v k="$2" '$1 == k {print $2}' "$1"; }

snap >/tmp/g.A
check "host snapshot A" host_do snapA
check "ping the peer (5/5)" ping -c 5 -i 0.2 -W 2 $PEER
check "peer pings us" host_do ping 60
check "peer ping 5/5 (rc $(cat /mnt/host_ping.rc))" [ "$(cat /mnt/host_ping.rc)" = 0 ]

IDX=$(cat /sys/class/net/$IF/ifindex)
gso0=$(python3 /mnt/rss_check.py gso $IDX)
head -c 4194304 /dev/urandom >/tmp/up.bin
sha256sum </tmp/up.bin | cut -d' ' -f1 >/mnt/up.sha
check "TCP upload 4 MiB" timeout 120 socat -u OPEN:/tmp/up.bin TCP:$PEER:5001
gso1=$(python3 /mnt/rss_check.py gso $IDX)
info "frames made by TSO during the upload: $((gso1 - gso0)) (tx-hw-gso-wire-packets)"
check "the upload used TSO (segments checked by the peer's TCP and SHA-256)" \
	[ $((gso1 - gso0)) -gt 0 ]
check "TCP download 4 MiB" timeout 120 socat -u TCP:$PEER:5002 CREATE:/tmp/down.bin
got=$(sha256sum </tmp/down.bin | cut -d' ' -f1)
check "download intact ($got)" [ "$got" = "$(cat /mnt/*.down.sha)" ]
sleep 2
snap >/tmp/g.B
check "host snapshot B" host_do snapB

d() { echo $(( $(val /tmp/g.B "$1") - $(val /tmp/g.A "$1") )); }
p() { echo $(( $(val /mnt/peer.snapB "$1") - $(val /mnt/peer.snapA "$1") )); }
info "guest tx $(d tx_packets) pkts $(d tx_bytes) B; peer rx $(p rx_packets) pkts $(p rx_bytes) B"
info "guest rx $(d rx_packets) pkts $(d rx_bytes) B; peer tx $(p tx_packets) pkts $(p tx_bytes) B"
info "MAC tx $(d FramesTransmittedOK) rx $(d FramesReceivedOK)"
check "guest tx packets = peer rx packets" [ "$(d tx_packets)" = "$(p rx_packets)" ]
# A frame the port had no room for is counted in rx_missed (the model's
# AF_PACKET socket queue stands for the RX packet buffer): every frame the
# peer sent is received or counted, none vanishes.
info "guest drops: rx_dropped $(stat_of rx_dropped) rx_missed $(d rx_missed_errors)"
check "guest rx packets + rx_missed = peer tx packets" \
	[ $(( $(d rx_packets) + $(d rx_missed_errors) )) = "$(p tx_packets)" ]
check "guest tx bytes = peer rx bytes" [ "$(d tx_bytes)" = "$(p rx_bytes)" ]
if [ "$(d rx_missed_errors)" = 0 ]; then
	check "guest rx bytes = peer tx bytes" [ "$(d rx_bytes)" = "$(p tx_bytes)" ]
else
	check "guest rx bytes < peer tx bytes" [ "$(d rx_bytes)" -lt "$(p tx_bytes)" ]
fi
check "ethtool MAC FramesTransmittedOK = netdev tx packets" \
	[ "$(d FramesTransmittedOK)" = "$(d tx_packets)" ]
# Frames dropped in the RX packet buffer were received by the MAC first.
check "ethtool MAC FramesReceivedOK = netdev rx packets + rx_missed" \
	[ "$(d FramesReceivedOK)" = $(( $(d rx_packets) + $(d rx_missed_errors) )) ]
check "transfer moved > 8 MiB" [ $(( $(d tx_bytes) + $(d rx_bytes) )) -gt 8388608 ]
pass "counters compared"
ethtool -S $IF | grep -v ": 0$"

# The peer now leaves checksums and segmentation to its "NIC": the model's
# wire must finish and cut its TSO super-frames, or nothing arrives intact.
check "peer offloads on" host_do offloads
check "TCP download 4 MiB, peer with TSO" timeout 120 socat -u TCP:$PEER:5003 CREATE:/tmp/down2.bin
got=$(sha256sum </tmp/down2.bin | cut -d' ' -f1)
check "download with peer TSO intact ($got)" [ "$got" = "$(cat /mnt/*.down.sha)" ]
check "server statistics" host_do stats
seg=$(grep -o 'wire_rx_segmented [0-9]*' /mnt/server.stats | head -n 1 | awk '{print $2}')
info "super-frames the wire segmented: ${seg:-none}"
check "the wire segmented the peer's super-frames" [ "${seg:-0}" -gt 0 ]
pass "peer offloads"
finish
