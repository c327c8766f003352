# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
#
# Host helper started by vm-run.sh --hook while a guest test runs: performs
# the actions the guest asks for with /mnt/req.NAME (FBNIC_VM_RUNDIR/req.NAME)
# and answers with done.NAME. Needs VM_NS, VM_PEER_IF, VM_GUEST_IP,
# FBNIC_VM_ROOT in the environment. Actions:
#   snap*     peer interface counters -> peer.NAME (key value lines)
#   ping      5 pings from the peer to the guest -> host_ping.rc/.log
#   flows     UDP to ports 7000..7063 (one frame each, source port 40000)
#   udp7001 / udp7002   10 UDP frames to that port
#   script.*  run the file FBNIC_VM_RUNDIR/NAME.sh in the peer namespace
#   fault.NAME.on|off   switch a model fault through the server's control
#             socket (answer in fault.NAME.on|off.log)
#   offloads  checksum offload, TSO and GSO on for the peer interface
#   stats     the server's statistics -> server.stats

run=$FBNIC_VM_RUNDIR
peer() { ip netns exec "$VM_NS" chroot "$FBNIC_VM_ROOT" "$@"; }

snap() {
	local f
	for f in rx_packets rx_bytes tx_packets tx_bytes rx_dropped tx_dropped; do
		echo "$f $(ip netns exec "$VM_NS" cat /sys/class/net/$VM_PEER_IF/statistics/$f)"
	done
}

ctl() {
	python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(5)
s.connect(sys.argv[1])
s.sendall((sys.argv[2] + "\n").encode())
print(s.recv(4096).decode(), end="")
' "$run/ctl" "$*"
}

udp_send() {
	# udp_send DPORT COUNT: COUNT datagrams of 100 bytes from source port 40000
	peer python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 40000))
for i in range(int(sys.argv[3])):
    s.sendto(b"x" * 100, (sys.argv[1], int(sys.argv[2])))
' "$VM_GUEST_IP" "$1" "$2"
}

end=$((SECONDS + 3000))
while [ $SECONDS -lt $end ]; do
	for req in "$run"/req.*; do
		[ -e "$req" ] || continue
		name=${req##*/req.}
		rm -f "$req"
		case $name in
		snap*) snap >"$run/peer.$name" ;;
		ping)
			peer ping -c 5 -i 0.2 -W 2 "$VM_GUEST_IP" >"$run/host_ping.log" 2>&1
			echo $? >"$run/host_ping.rc"
			;;
		flows)
			for p in $(seq 7000 7063); do udp_send "$p" 1; done
			;;
		udp*) udp_send "${name#udp}" 10 ;;
		fault.*)
			f=${name#fault.}
			ctl fault "${f%.*}" "${f##*.}" >"$run/$name.log" 2>&1
			;;
		offloads)
			ip netns exec "$VM_NS" chroot "$FBNIC_VM_ROOT" ethtool -K "$VM_PEER_IF" \
				tx on tso on gso on >"$run/offloads.log" 2>&1
			;;
		stats) ctl stats >"$run/server.stats" 2>&1 ;;
		script.*)
			ip netns exec "$VM_NS" bash "$run/${name#script.}.sh" \
				>"$run/${name#script.}.log" 2>&1
			echo $? >"$run/${name#script.}.rc"
			;;
		esac
		: >"$run/done.$name"
	done
	sleep 0.2
done
