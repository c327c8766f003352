# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
#
# Host side of the vm tests (meson suite 'vm'): the Linux fbnic driver in a
# QEMU guest drives the model through fbnic-vfu-server. Source this file;
# $1 of the test is the server binary.
#
#   vm_setup           build/check the environment (exit 77 if impossible)
#   vm_netns_setup     netns + veth: the model's wire is AF_PACKET on the host
#                      end (VM_WIRE_IF), the peer (VM_PEER_IF, 192.168.77.2)
#                      sits in namespace VM_NS
#   vm_run SCRIPT ...  run SCRIPT in the guest (guest_lib.sh is next to it
#                      as /mnt/guest_lib.sh); output in VM_OUT

vm_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
vm_top=$(cd "$vm_here/../../.." && pwd)
VM_SERVER=${1:-}
VM_OUT=""
VM_FILES=""
VM_NS=""
VM_WIRE_IF=""
VM_PEER_IF=""
VM_GUEST_IP=192.168.77.1
VM_PEER_IP=192.168.77.2

vm_log() { echo "vm-test: $*" >&2; }
vm_fail() { echo "vm-test: FAIL: $*" >&2; exit 1; }

vm_cleanup() {
	if [ -n "$VM_NS" ]; then
		ip netns pids "$VM_NS" 2>/dev/null | xargs -r kill 2>/dev/null
		ip link del "$VM_WIRE_IF" 2>/dev/null
		ip netns del "$VM_NS" 2>/dev/null
	fi
	[ -n "$VM_FILES" ] && rm -rf "$VM_FILES"
	[ -n "$VM_OUT" ] && [ -z "${VM_KEEP:-}" ] && rm -rf "$VM_OUT"
	return 0
}

vm_setup() {
	local rc=0

	[ -x "$VM_SERVER" ] || vm_fail "usage: $0 PATH-TO-fbnic-vfu-server"
	[ "$(id -u)" = 0 ] || { echo "vm-test: needs root (chroot, netns)" >&2; exit 77; }
	"$vm_top/devtools/vm-env.sh" || rc=$?
	[ $rc = 77 ] && exit 77
	[ $rc = 0 ] || vm_fail "devtools/vm-env.sh failed ($rc)"
	eval "$("$vm_top/devtools/vm-env.sh" --print)"
	VM_OUT=$(mktemp -d /tmp/fbnic-vm-test.XXXXXX)
	VM_FILES=$(mktemp -d /tmp/fbnic-vm-files.XXXXXX)	# copied into the guest
	trap vm_cleanup EXIT
}

# Run a command in the peer namespace with the chroot's tools.
vm_peer() {
	ip netns exec "$VM_NS" chroot "$FBNIC_VM_ROOT" "$@"
}

vm_netns_setup() {
	local id=$$

	command -v ip >/dev/null || { echo "vm-test: no iproute2 on the host" >&2; exit 77; }
	VM_NS=fbvm$id
	VM_WIRE_IF=fbw$id
	VM_PEER_IF=fbp$id
	ip netns add "$VM_NS" || vm_fail "ip netns add"
	ip link add "$VM_WIRE_IF" type veth peer name "$VM_PEER_IF" || vm_fail "veth"
	ip link set "$VM_PEER_IF" netns "$VM_NS"
	# Nothing but the test's own traffic on the wire: no IPv6, no addresses.
	sysctl -qw "net.ipv6.conf.$VM_WIRE_IF.disable_ipv6=1"
	ip link set "$VM_WIRE_IF" mtu 9000 up
	ip netns exec "$VM_NS" sysctl -qw "net.ipv6.conf.$VM_PEER_IF.disable_ipv6=1"
	ip -n "$VM_NS" link set lo up
	ip -n "$VM_NS" link set "$VM_PEER_IF" mtu 9000 up
	ip -n "$VM_NS" addr add "$VM_PEER_IP/24" dev "$VM_PEER_IF"
	# The guest's MAC is the server's default DSN's (fbm_config_init).
	ip -n "$VM_NS" neigh replace "$VM_GUEST_IP" lladdr 02:fb:4e:00:00:01 nud permanent \
		dev "$VM_PEER_IF"
	ip netns exec "$VM_NS" cat "/sys/class/net/$VM_PEER_IF/address" >"$VM_FILES/peer.mac"
	# The model's wire finishes checksums and segments GSO frames the peer
	# leaves to offloads, but the peer's counters would then count
	# super-frames: offloads stay off so both ends count the same frames
	# (vm_traffic turns them on for a last transfer).
	vm_peer ethtool -K "$VM_PEER_IF" tx off tso off gso off gro off >/dev/null ||
		vm_fail "cannot disable offloads on $VM_PEER_IF"
	chroot "$FBNIC_VM_ROOT" ethtool -K "$VM_WIRE_IF" gro off tso off gso off >/dev/null 2>&1 ||
		true
}

# Counter of the peer interface (rx_packets, tx_bytes, ...).
vm_peer_stat() {
	ip netns exec "$VM_NS" cat "/sys/class/net/$VM_PEER_IF/statistics/$1"
}

# vm_run SCRIPT TIMEOUT [vm-run options] [-- server options]
vm_run() {
	local script=$1 limit=$2 rc=0
	shift 2
	"$vm_top/devtools/vm-run.sh" --server "$VM_SERVER" --cmd "$script" --out "$VM_OUT" \
		--timeout "$limit" --file "$vm_here/guest_lib.sh" "$@" 2>"$VM_OUT.vmrun.log" || rc=$?
	grep -E "^(PASS|FAIL|INFO|SKIP)" "$VM_OUT/console.log" 2>/dev/null | tr -d '\r' >&2
	if [ $rc != 0 ]; then
		vm_log "guest exit status $rc; vm-run said:"
		grep -v "^\[ *[0-9]" "$VM_OUT.vmrun.log" | tail -n 30 >&2
		vm_log "fbnic kernel messages:"
		grep -i fbnic "$VM_OUT/dmesg" 2>/dev/null | tail -n 40 >&2
	fi
	rm -f "$VM_OUT.vmrun.log"
	return $rc
}
