#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
#
# Start a QEMU virtual machine with the fbnic model as a PCI device
# (vfio-user), running Debian's Linux 7.2 and the Linux fbnic driver:
#
#   devtools/vm-env.sh                  # once: builds and caches the environment
#   devtools/vm-run.sh                  # a root shell in the VM, fbnic loaded
#
# Options:
#   --server PATH     fbnic-vfu-server binary (default: the newest of
#                     build*/vfio-user/ in the tree that runs on this host)
#   --cmd FILE        run FILE in the guest instead of a shell (non-interactive);
#                     the guest sees the run directory as /mnt (its cwd)
#   --out DIR         keep the run directory (console log, guest dmesg, files)
#   --timeout SEC     guest time limit (default 600; interactive: 86400)
#   --smp N, --mem MB guest CPUs (default 2) and memory (default 1024)
#   --no-fbnic        do not load the fbnic module before the command
#   --file PATH       copy PATH into the run directory (repeatable)
#   --hook CMD        run CMD on the host while the guest runs, with
#                     FBNIC_VM_RUNDIR set (stopped when the guest is done)
#   --peer            a second fbnic (eth1) wired to the first (--wire peer)
#   --links N         with --peer: N pairs of wired functions (1 or 2; default
#                     1); the second pair, 0000:03:00.0 wired to 0000:04:00.0,
#                     comes from a second server (sockets fbnic2.sock and
#                     fbnic3.sock, control socket RUNDIR/ctl2, log
#                     server2.log) with the same options and DSNs (so MAC
#                     addresses) two above the first pair's
#   --dpdk            DPDK in the guest: build the PMD for the guest's DPDK
#                     (devtools/vm-dpdk.sh), give the guest a virtual IOMMU
#                     (intel-iommu), reserve hugepages and bind 0000:01:00.0 to
#                     vfio-pci (with --links 2 also 0000:03:00.0); the
#                     command finds the plugin in $FBNIC_DPDK_PLUGIN (default
#                     memory 2048)
#   --ssh PORT        QEMU user networking with 127.0.0.1:PORT forwarded to the
#                     guest's sshd (interface mgmt0, 10.0.2.15); root logs in
#                     with the keys of RUNDIR/authorized_keys (give it with --file)
#   --                the rest are fbnic-vfu-server options (--wire, --fault ...)
#
# The server's control socket is RUNDIR/ctl (see fbnic-vfu-server --help),
# the second link's RUNDIR/ctl2; RUNDIR is printed at start and exported to
# --cmd as FBNIC_VM_RUNDIR.
# Exit status: the guest command's, 77 if the environment is missing,
# 124 on timeout, 125 if the guest never ran the command.

set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
server=""
cmd=""
out=""
limit=""
smp=2
mem=""
load_fbnic=1
dpdk=0
ssh_port=""
files=()
hook=""
peer=0
links=1
hook_pid=""
srv_args=()
while [ $# -gt 0 ]; do
	case $1 in
	--server) server=$2; shift 2 ;;
	--cmd) cmd=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--timeout) limit=$2; shift 2 ;;
	--smp) smp=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--no-fbnic) load_fbnic=0; shift ;;
	--file) files+=("$2"); shift 2 ;;
	--hook) hook=$2; shift 2 ;;
	--peer) peer=1; shift ;;
	--links) links=$2; shift 2 ;;
	--dpdk) dpdk=1; shift ;;
	--ssh) ssh_port=$2; shift 2 ;;
	--) shift; srv_args=("$@"); break ;;
	-h|--help) sed -n '4,44p' "$0"; exit 0 ;;
	*) echo "vm-run: unknown option $1" >&2; exit 2 ;;
	esac
done

envtext=$("$here/devtools/vm-env.sh" --print) || exit 77
eval "$envtext"
root=$FBNIC_VM_ROOT
plugin=""
if [ $dpdk = 1 ]; then
	plugin=$("$here/devtools/vm-dpdk.sh") || exit $?
	mem=${mem:-2048}
fi
mem=${mem:-1024}
case $links in
1) ;;
2) [ $peer = 1 ] || { echo "vm-run: --links 2 needs --peer" >&2; exit 2; } ;;
*) echo "vm-run: bad --links '$links' (1 or 2)" >&2; exit 2 ;;
esac
# The functions DPDK gets with --dpdk: the first of each pair.
dpdk_bdfs=(0000:01:00.0)
[ "$links" = 1 ] || dpdk_bdfs+=(0000:03:00.0)
case $ssh_port in
""|*[!0-9]*) [ -z "$ssh_port" ] || { echo "vm-run: bad --ssh port '$ssh_port'" >&2; exit 2; } ;;
esac

if [ -z "$server" ]; then
	# The newest build that runs here: a chroot's build (build-trixie ...)
	# may need a newer C library than the host's.
	while read -r cand; do
		if "$cand" --help >/dev/null 2>&1; then
			server=$cand
			break
		fi
	done < <(ls -t "$here"/build*/vfio-user/fbnic-vfu-server 2>/dev/null || true)
	[ -n "$server" ] || { echo "vm-run: no fbnic-vfu-server built (ninja -C build)" >&2; exit 2; }
fi
[ -x "$server" ] || { echo "vm-run: $server is not executable" >&2; exit 2; }

# The run directory lives in the chroot: QEMU runs there and shares it with the guest.
mkdir -p "$root/srv/fbnic-vm"
run=$(mktemp -d "$root/srv/fbnic-vm/run.XXXXXX")
grun=${run#"$root"}
export FBNIC_VM_RUNDIR=$run
srv_pid=""
srv2_pid=""
qemu_pid=""
cleanup() {
	[ -n "$qemu_pid" ] && kill "$qemu_pid" 2>/dev/null
	[ -n "$hook_pid" ] && kill -- "-$hook_pid" 2>/dev/null
	for p in $srv_pid $srv2_pid; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	if [ -n "$out" ]; then
		mkdir -p "$out" && cp -r "$run"/. "$out"/ 2>/dev/null
		rm -f "$out"/*.sock "$out"/ctl "$out"/ctl2
	fi
	rm -rf "$run"
	return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

interactive=0
if [ -z "$cmd" ]; then
	interactive=1
	limit=${limit:-86400}
	cat >"$run/cmd" <<'EOS'
#!/bin/sh
echo "fbnic VM: Linux $(uname -r); 'ip link', 'ethtool -i eth0', 'dmesg'; exit (or Ctrl-D) powers off"
exec setsid -c /bin/bash -l </dev/ttyS0 >/dev/ttyS0 2>&1
EOS
else
	limit=${limit:-600}
	cp "$cmd" "$run/cmd"
fi
chmod 755 "$run/cmd"
echo "$limit" >"$run/timeout"
for f in ${files[@]+"${files[@]}"}; do
	cp "$f" "$run/"
done
# The guest's set-up before the command: the fbnic module, DPDK, sshd.
mv "$run/cmd" "$run/cmd.user"
{
	echo "#!/bin/sh"
	[ $load_fbnic = 0 ] || echo 'modprobe fbnic || echo "vm-run: modprobe fbnic failed"'
	if [ $dpdk = 1 ]; then
		cat <<EOS
export FBNIC_DPDK_PLUGIN=$plugin
EOS
		cat <<'EOS'
mkdir -p /dev/hugepages
mount -t hugetlbfs nodev /dev/hugepages
echo "${FBNIC_VM_HUGEPAGES:-384}" >/proc/sys/vm/nr_hugepages
# The function sits behind the virtual IOMMU: vfio-pci with type 1 IOMMU
# mappings, DPDK's IOVAs are its virtual addresses.
modprobe vfio-pci || echo "vm-run: modprobe vfio-pci failed"
EOS
		for bdf in "${dpdk_bdfs[@]}"; do
			cat <<EOS
[ -e /sys/bus/pci/devices/$bdf/iommu_group ] || echo "vm-run: $bdf has no IOMMU group"
dpdk-devbind.py -b vfio-pci $bdf || echo "vm-run: cannot bind $bdf to vfio-pci"
EOS
		done
	fi
	if [ -n "$ssh_port" ]; then
		cat <<'EOS'
modprobe virtio_net
for n in /sys/class/net/*; do
	case $(readlink "$n/device/driver") in
	*/virtio_net) ip link set "${n##*/}" name mgmt0 ;;
	esac
done
ip link set mgmt0 up && ip addr add 10.0.2.15/24 dev mgmt0 &&
	ip route add default via 10.0.2.2 || echo "vm-run: no management interface"
mkdir -p /run/sshd /run/fbnic-ssh
ssh-keygen -q -t ed25519 -N '' -f /run/fbnic-ssh/host_ed25519 </dev/null
/usr/sbin/sshd -h /run/fbnic-ssh/host_ed25519 -o PidFile=/run/sshd.pid \
	-o AuthorizedKeysFile=/mnt/authorized_keys -o StrictModes=no \
	-o PermitRootLogin=prohibit-password -o UseDNS=no || echo "vm-run: sshd failed"
EOS
	fi
	echo 'exec /mnt/cmd.user'
} >"$run/cmd"
chmod 755 "$run/cmd"

# Waits for a server's socket; false if the server has exited first.
wait_socket() {
	for _ in $(seq 100); do
		[ -S "$1" ] && return 0
		kill -0 "$2" 2>/dev/null || return 1
		sleep 0.1
	done
	[ -S "$1" ]
}
peer_srv=()
peer_dev=()
if [ $peer = 1 ]; then
	peer_srv=(--peer-socket "$run/fbnic1.sock" --wire peer)
	peer_dev=(-device pcie-root-port,id=rp1,chassis=2,slot=2
		-device "{\"driver\":\"vfio-user-pci\",\"bus\":\"rp1\",\"socket\":{\"path\":\"$grun/fbnic1.sock\",\"type\":\"unix\"}}")
fi
"$server" --socket "$run/fbnic0.sock" --control "$run/ctl" ${peer_srv[@]+"${peer_srv[@]}"} \
	${srv_args[@]+"${srv_args[@]}"} 2>"$run/server.log" &
srv_pid=$!
if ! wait_socket "$run/fbnic0.sock" "$srv_pid"; then
	cat "$run/server.log" >&2
	echo "vm-run: server did not start" >&2
	exit 1
fi
if [ $peer = 1 ]; then
	wait_socket "$run/fbnic1.sock" "$srv_pid" || true
fi
if [ "$links" = 2 ]; then
	# The second link: a server of its own, whose DSNs (the source of the
	# MAC addresses) follow the first server's two.
	dsn=0x02fb4efffe000001	# the model's default (fbm_config_init())
	for ((i = 0; i < ${#srv_args[@]}; i++)); do
		case ${srv_args[i]} in
		--dsn) dsn=${srv_args[i + 1]:-$dsn} ;;
		--dsn=*) dsn=${srv_args[i]#--dsn=} ;;
		esac
	done
	dsn2=$(printf '0x%016x' $((dsn + 2)))
	"$server" --socket "$run/fbnic2.sock" --control "$run/ctl2" \
		--peer-socket "$run/fbnic3.sock" --wire peer \
		${srv_args[@]+"${srv_args[@]}"} --dsn "$dsn2" 2>"$run/server2.log" &
	srv2_pid=$!
	if ! wait_socket "$run/fbnic2.sock" "$srv2_pid" ||
			! wait_socket "$run/fbnic3.sock" "$srv2_pid"; then
		cat "$run/server2.log" >&2
		echo "vm-run: the second link's server did not start" >&2
		exit 1
	fi
	for n in 2 3; do
		peer_dev+=(-device "pcie-root-port,id=rp$n,chassis=$((n + 1)),slot=$((n + 1))"
			-device "{\"driver\":\"vfio-user-pci\",\"bus\":\"rp$n\",\"socket\":{\"path\":\"$grun/fbnic$n.sock\",\"type\":\"unix\"}}")
	done
fi
if [ -n "$hook" ]; then
	setsid sh -c "$hook" >"$run/hook.log" 2>&1 &
	hook_pid=$!
fi
echo "vm-run: run directory $run (server control socket $run/ctl)" >&2

# DPDK's vfio-pci needs an IOMMU: Debian's kernel has no vfio no-IOMMU mode.
# caching-mode lets QEMU see every mapping the guest makes (vfio needs it);
# the host-side drivers keep identity mappings (iommu=pt).
iommu=()
kargs=""
if [ $dpdk = 1 ]; then
	iommu=(-device "intel-iommu,caching-mode=on,aw-bits=48")
	kargs=" intel_iommu=on iommu=pt"
fi

# QEMU runs in the chroot, in a private mount namespace with its own /proc
# (the 9p server needs /proc/self/fd); nothing stays mounted afterwards.
qemu=(unshare --mount --propagation private -- /bin/sh -c
	'mount -t proc proc "$0/proc" && exec chroot "$0" "$@"' "$root"
	/usr/bin/qemu-system-x86_64
	-machine q35,memory-backend=mem -accel tcg -cpu max -smp "$smp" -m "$mem"
	-object "memory-backend-memfd,id=mem,size=${mem}M,share=on"
	-nodefaults -display none -no-reboot
	-kernel "$FBNIC_VM_KERNEL" -initrd "$FBNIC_VM_INITRD"
	-append "console=ttyS0 panic=-1 loglevel=6 net.ifnames=0$kargs"
	${iommu[@]+"${iommu[@]}"}
	-virtfs "local,path=/,mount_tag=root,security_model=none,readonly=on,multidevs=remap"
	-virtfs "local,path=$grun,mount_tag=xfer,security_model=none"
	-device pcie-root-port,id=rp0,chassis=1,slot=1
	-device "{\"driver\":\"vfio-user-pci\",\"bus\":\"rp0\",\"socket\":{\"path\":\"$grun/fbnic0.sock\",\"type\":\"unix\"}}"
	${peer_dev[@]+"${peer_dev[@]}"})
if [ -n "$ssh_port" ]; then
	qemu+=(-netdev "user,id=mgmt,hostfwd=tcp:127.0.0.1:$ssh_port-:22"
		-device "virtio-net-pci,netdev=mgmt")
fi

if [ $interactive = 1 ]; then
	"${qemu[@]}" -serial mon:stdio
	rc=$(cat "$run/rc" 2>/dev/null || echo 125)
	exit "$rc"
fi

"${qemu[@]}" -serial "file:$grun/console.log" </dev/null &
qemu_pid=$!
rc=0
if ! timeout $((limit + 120)) tail --pid="$qemu_pid" -f /dev/null; then
	rc=124
	kill "$qemu_pid" 2>/dev/null
fi
wait "$qemu_pid" 2>/dev/null || true
qemu_pid=""
if [ $rc = 0 ]; then
	rc=$(cat "$run/rc" 2>/dev/null || echo 125)
fi
if [ "$rc" != 0 ]; then
	echo "vm-run: guest command exit status $rc; console:" >&2
	tail -n 60 "$run/console.log" >&2 2>/dev/null || true
	echo "vm-run: server log:" >&2
	tail -n 20 "$run/server.log" >&2 2>/dev/null || true
	if [ "$links" = 2 ]; then
		echo "vm-run: second link's server log:" >&2
		tail -n 20 "$run/server2.log" >&2 2>/dev/null || true
	fi
fi
exit "$rc"
