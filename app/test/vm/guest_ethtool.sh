#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
#
# Guest part of vm_ethtool.sh.
. /mnt/guest_lib.sh
PEER=192.168.77.2
IDX=$(cat /sys/class/net/$IF/ifindex)

sysctl -qw net.ipv6.conf.$IF.disable_ipv6=1
ip addr add 192.168.77.1/24 dev $IF
# Static neighbours: no ARP frame may land among the counted ones.
ip neigh replace $PEER lladdr "$(cat /mnt/peer.mac)" nud permanent dev $IF
check "link up" link_up 30

# Channels.
check "ethtool -L combined 4" ethtool -L $IF combined 4
ethtool -l $IF
check "ethtool -l reports 4 combined" \
	sh -c "ethtool -l $IF | sed -n '/Current/,\$p' | grep -q 'Combined:.*4'"
check "4 rx queues in sysfs" [ "$(ls -d /sys/class/net/$IF/queues/rx-* | wc -l)" = 4 ]
check "link up after the channel change" link_up 30

# Rings.
check "ethtool -G rx 512 tx 512" ethtool -G $IF rx 512 tx 512
ethtool -g $IF | sed -n '/Current/,$p'
check "ethtool -g reports rx 512" \
	sh -c "ethtool -g $IF | sed -n '/Current/,\$p' | grep -q '^RX:[[:space:]]*512'"
check "ethtool -g reports tx 512" \
	sh -c "ethtool -g $IF | sed -n '/Current/,\$p' | grep -q '^TX:[[:space:]]*512'"
check "link up after the ring change" link_up 30
check "traffic after reconfiguration" ping -c 3 -i 0.2 -W 2 $PEER

# Offloads as the Linux driver advertises them.
ethtool -k $IF >/tmp/k
for f in rx-checksumming tx-checksumming tcp-segmentation-offload receive-hashing \
	ntuple-filters; do
	check "offload $f on" grep -q "^$f: on" /tmp/k
done

# RSS: equal spreading over 3 of the 4 queues, ports in the UDP hash; 64 flows land
# where a Toeplitz reference computed from ethtool -x says they must.
check "ethtool -X equal 3" ethtool -X $IF equal 3
check "udp4 hash on addresses and ports" ethtool -N $IF rx-flow-hash udp4 sdfn
ethtool -n $IF rx-flow-hash udp4
ethtool -x $IF | head -20
python3 /mnt/rss_check.py expect $IF $PEER 40000 192.168.77.1 7000 64 >/tmp/want
python3 /mnt/rss_check.py qstats $IDX >/tmp/q0
check "64 UDP flows sent by the peer" host_do flows 120
sleep 2
python3 /mnt/rss_check.py qstats $IDX >/tmp/q1
join /tmp/q0 /tmp/q1 | awk '{ d = $3 - $2; if (d) print $1, d }' >/tmp/got
info "Toeplitz reference (queue flows): $(tr '\n' ' ' </tmp/want)"
info "measured (queue packets): $(tr '\n' ' ' </tmp/got)"
check "RSS spreads like Toeplitz" cmp -s /tmp/want /tmp/got
check "RSS uses more than one queue" [ "$(wc -l </tmp/want)" -gt 1 ]

# ntuple: steer to queue 3, then drop.
# Linux's fbnic picks the location itself (RX_CLS_LOC_ANY only).
r1=$(ethtool -N $IF flow-type udp4 dst-port 7001 action 3 | awk '/Added rule/ {print $NF}')
check "ntuple rule udp dst 7001 -> queue 3 (id $r1)" [ -n "$r1" ]
r2=$(ethtool -N $IF flow-type udp4 dst-port 7002 action -1 | awk '/Added rule/ {print $NF}')
check "ntuple rule udp dst 7002 -> drop (id $r2)" [ -n "$r2" ]
ethtool -n $IF
python3 /mnt/rss_check.py qstats $IDX >/tmp/q0
rx0=$(stat_of rx_packets)
check "10 frames to port 7001" host_do udp7001 60
sleep 2
python3 /mnt/rss_check.py qstats $IDX >/tmp/q1
join /tmp/q0 /tmp/q1 | awk '{ d = $3 - $2; if (d) print $1, d }' >/tmp/got
info "port 7001: $(tr '\n' ' ' </tmp/got)"
check "ntuple steers all 10 to queue 3" [ "$(cat /tmp/got)" = "3 10" ]
rx1=$(stat_of rx_packets)
check "10 frames to port 7002" host_do udp7002 60
sleep 2
rx2=$(stat_of rx_packets)
info "rx packets: +$((rx1 - rx0)) for 7001, +$((rx2 - rx1)) for 7002"
check "ntuple drop rule: nothing delivered" [ $((rx2 - rx1)) = 0 ]
check "delete the rules" sh -c "ethtool -N $IF delete $r1 && ethtool -N $IF delete $r2"
rx3=$(stat_of rx_packets)
check "10 frames to port 7002 again" host_do udp7002 60
sleep 2
check "without the rule port 7002 is delivered" [ $(( $(stat_of rx_packets) - rx3 )) = 10 ]
ethtool -S $IF | grep -v ": 0$"
pass "ethtool done"
finish
