#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
#
# Run upstream DTS, unmodified, against fbnic ports of the model in the VM
# (devtools/vm-run.sh --dpdk --peer [--links 2] --ssh):
#
#   devtools/dts/<this script> [options] DPDK_TREE [SUITE[:CASE,...]]...
#   e.g. DPDK_TREE=/var/tmp/dpdk-26.07, SUITE=hello_world, SUITE=mtu
#
# DPDK_TREE is a DPDK source tree (a release tarball or "git archive" of a
# DPDK clone), never modified. DTS comes from its dts/, and the DPDK that
# DTS tests is that tree built with drivers/net/fbnic in-tree
# (devtools/check-intree.sh) in the VM root, given to DTS as a precompiled
# build on the system under test. Without suites, every functional suite
# fbnic has the capabilities for runs.
#
# The test bed, all in one guest reached over SSH (QEMU user networking):
#   SUT  0000:01:00.0 on vfio-pci behind the virtual IOMMU, DPDK with net/fbnic
#   TG   0000:02:00.0 on the Linux fbnic driver, DTS's scapy generator
# cabled to each other by the model (one link, port-0 of each node); with
# --links 2 also SUT 0000:03:00.0 cabled to TG 0000:04:00.0 (port-1). DTS
# runs on the host in the trixie chroot (devtools/chroot-env.sh), whose
# Debian packages give its Python dependencies; the runner installs them
# with the chroot's apt, and lshw and sudo, which DTS calls on the nodes,
# with the VM root's apt.
#
# Options:
#   --out DIR       keep the results here: DTS's output (results.json, logs),
#                   the configuration, the VM's run directory; default
#                   /var/tmp/fbnic-dts.out (replaced)
#   --ssh PORT      host port forwarded to the guest's sshd (default 10022)
#   --timeout SEC   time limit of the DTS run (default 10800)
#   --smp N         guest CPUs (default 2; DTS's testpmd takes lcores 0-1)
#   --mem MB        guest memory (default 3584, of which DTS reserves 1024
#                   hugepages of 2 MiB on the SUT)
#   --server PATH   fbnic-vfu-server binary (passed to vm-run.sh)
#   --dts-timeout SEC  DTS's --timeout, for each remote command (default 60:
#                   the guest is emulated, binding a driver takes seconds)
#   --dts-verbose   DTS's --verbose
#   --links N       links between the nodes, 1 (default) or 2 (vm-run.sh
#                   --links 2): the suites that need two links run
#
# Exit status: DTS's (0 all passed or skipped), 77 if the VM environment or
# the chroot is missing, 124 on timeout, 1 on other errors.

set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
die() { echo "run-dts: error: $*" >&2; exit 1; }
log() { echo "run-dts: $*" >&2; }
usage() { sed -n '4,46p' "$0"; }

# Functional suites whose capabilities fbnic has (doc/guides/nics/fbnic_model.rst).
all_suites=(hello_world smoke_tests promisc_support mac_filter port_control port_stats
	dynamic_config dynamic_queue_conf queue_toggle mtu buffer_scatter checksum_offload rss
	unified_packet port_restart_config_persistency rx_tx_offload blocklist flow_offload)

out=/var/tmp/fbnic-dts.out
port=10022
limit=10800
smp=2
server=()
verbose=()
dts_timeout=60
mem=3584
hugepages=1024
tree=""
links=1
suites=()
while [ $# -gt 0 ]; do
	case $1 in
	--out) out=$2; shift 2 ;;
	--ssh) port=$2; shift 2 ;;
	--timeout) limit=$2; shift 2 ;;
	--smp) smp=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--server) server=(--server "$(readlink -f "$2")"); shift 2 ;;
	--dts-timeout) dts_timeout=$2; shift 2 ;;
	--dts-verbose) verbose=(--verbose); shift ;;
	--links) links=$2; shift 2 ;;
	-h|--help) usage; exit 0 ;;
	-*) usage >&2; die "unknown option $1" ;;
	*)
		if [ -z "$tree" ]; then
			tree=$(readlink -f "$1")
		else
			suites+=("$1")
		fi
		shift
		;;
	esac
done
[ -n "$tree" ] || { usage >&2; die "no DPDK source tree given"; }
if [ ! -f "$tree/dts/main.py" ] || [ ! -f "$tree/VERSION" ]; then
	die "$tree is not a DPDK source tree with dts/"
fi
for n in "$port" "$limit" "$smp" "$mem" "$dts_timeout"; do
	case $n in ''|*[!0-9]*) die "not a number: '$n'" ;; esac
done
case $links in 1|2) ;; *) die "--links must be 1 or 2, not '$links'" ;; esac
[ ${#suites[@]} -gt 0 ] || suites=("${all_suites[@]}")
[ "$(id -u)" = 0 ] || { log "must run as root (chroot, VM)"; exit 77; }
version=$(cat "$tree/VERSION")

envtext=$("$top/devtools/vm-env.sh" --print) || exit 77
eval "$envtext"
vroot=$FBNIC_VM_ROOT
"$top/devtools/chroot-env.sh" trixie || exit $?
troot=$("$top/devtools/chroot-env.sh" trixie --print) || exit 77

# 1. DTS's Python dependencies in the trixie chroot, from its own apt.
dts_pkgs=(python3-pydantic python3-fabric python3-paramiko python3-scapy python3-aenum
	python3-yaml python3-typing-extensions)
if ! "$top/devtools/chroot-run.sh" trixie python3 -c \
		'import pydantic, fabric, paramiko, scapy, aenum, yaml' 2>/dev/null; then
	log "installing ${dts_pkgs[*]} in the trixie chroot"
	FBNIC_CHROOT_TIMEOUT=1200 "$top/devtools/chroot-run.sh" trixie \
		env DEBIAN_FRONTEND=noninteractive apt-get -y -q install "${dts_pkgs[@]}" \
		>/dev/null || die "cannot install DTS's dependencies in the trixie chroot"
fi

# 2. What DTS runs on the nodes, in the VM root (its own apt).
base=/srv/fbnic-dts
mkdir -p "$vroot$base"
exec 9>"$vroot$base/.lock"
flock -w 1800 9 || die "another run-dts.sh holds $vroot$base/.lock"
if [ ! -x "$vroot/usr/bin/lshw" ] || [ ! -x "$vroot/usr/bin/sudo" ]; then
	log "installing lshw and sudo in the VM root"
	timeout 900 chroot "$vroot" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		LC_ALL=C.UTF-8 HOME=/root DEBIAN_FRONTEND=noninteractive \
		apt-get -y -q install lshw sudo >"$vroot$base/apt.log" 2>&1 ||
		die "cannot install lshw and sudo in the VM root, see $vroot$base/apt.log"
fi
# DTS runs everything through sudo, the scapy generator in an interactive
# python3 whose prompt it expects plain (sid's Python has a coloured REPL),
# with a start-up hook for sid's scapy (devtools/dts/tg-python).
mkdir -p "$vroot/etc/fbnic-dts" "$vroot$base/python"
install -m 644 "$top/devtools/dts/tg-python/sitecustomize.py" "$vroot$base/python/"
printf 'PYTHON_BASIC_REPL=1\nPYTHONPATH=%s\n' "$base/python" >"$vroot/etc/fbnic-dts/sudo.env"
echo "Defaults env_file=/etc/fbnic-dts/sudo.env" >"$vroot/etc/sudoers.d/fbnic-dts"
chmod 440 "$vroot/etc/sudoers.d/fbnic-dts"

# 3. DPDK for DTS: the tree with net/fbnic in-tree, built in the VM root
# (the guest's userspace) by check-intree.sh, for a generic x86 CPU (the
# guest's emulated CPU lacks some of the host's instructions); rebuilt when
# either source changes (dts/ is not part of the build: two trees that
# differ only there share it).
stage=$vroot$base/stage
rm -rf "$stage"
mkdir -p "$stage/dpdk" "$stage/fbnic"
tar -C "$tree" --exclude=./.git --exclude=./dts -cf - . | tar -xf - -C "$stage/dpdk"
tar -C "$top" -cf - drivers/net/fbnic compat devtools/check-intree.sh | tar -xf - -C "$stage/fbnic"
sum=$(cd "$stage" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum |
	cut -d' ' -f1)
sut_dpdk=$base/intree/dpdk
if [ "$(cat "$vroot$base/stamp" 2>/dev/null)" = "$sum" ] &&
		[ -x "$vroot$sut_dpdk/build/app/dpdk-testpmd" ]; then
	rm -rf "$stage"
else
	rm -rf "$vroot$base/src" "$vroot$base/stamp"
	mv "$stage" "$vroot$base/src"
	log "building DPDK $version with net/fbnic in the VM root ($vroot$base)"
	# In its own session (timeout makes its own process group anyway), and
	# stopped with the runner.
	build_pid=""
	trap '[ -z "$build_pid" ] || kill -- "-$build_pid" 2>/dev/null' EXIT
	trap 'exit 130' INT TERM
	# shellcheck disable=SC2016 # expanded by the inner shell
	setsid timeout -k 10 3600 unshare -m --propagation private -- /bin/sh -c '
		r=$1; shift
		mount -t proc none "$r/proc" && mount --rbind /sys "$r/sys" &&
			mount --rbind /dev "$r/dev" || exit 1
		exec chroot "$r" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
			LC_ALL=C.UTF-8 HOME=/root FBNIC_INTREE_JOBS="$(nproc)" \
			FBNIC_INTREE_MESON_ARGS=-Dplatform=generic "$@"
	' build "$vroot" "$base/src/fbnic/devtools/check-intree.sh" "$base/src/dpdk" \
		"$base/intree" >"$vroot$base/build.log" 2>&1 &
	build_pid=$!
	if ! wait "$build_pid"; then
		build_pid=""
		tail -n 30 "$vroot$base/build.log" >&2
		die "building DPDK $version with net/fbnic failed, see $vroot$base/build.log"
	fi
	build_pid=""
	echo "$sum" >"$vroot$base/stamp"
fi

# 4. DTS, its configuration and an SSH key, in the trixie chroot.
mkdir -p "$troot/var/tmp/fbnic-dts"
work=$(mktemp -d "$troot/var/tmp/fbnic-dts/run.XXXXXX")
gwork=${work#"$troot"}
vm_pid=""
dts_pid=""
cleanup() {
	[ -z "$dts_pid" ] || kill -- "-$dts_pid" 2>/dev/null
	if [ -n "$vm_pid" ]; then
		kill "$vm_pid" 2>/dev/null
		wait "$vm_pid" 2>/dev/null
	fi
	rm -rf "$work"
	return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$work/dpdk" "$work/home/.ssh" "$work/out"
tar -C "$tree" -cf - VERSION dts usertools | tar -xf - -C "$work/dpdk"
ssh-keygen -q -t ed25519 -N '' -C fbnic-dts -f "$work/home/.ssh/id_ed25519" </dev/null
cp "$work/home/.ssh/id_ed25519.pub" "$work/authorized_keys"

{
	echo "# Generated by the fbnic DTS runner (devtools/dts): the VM test bed."
	# Link N joins the SUT's function on bus 2N+1 and the TG's on 2N+2.
	for node in "SUT 1:1:vfio-pci" "TG 1:2:fbnic"; do
		IFS=: read -r name bus dpdk_drv <<<"$node"
		cat <<EOF
- name: "$name"
  hostname: "127.0.0.1:$port"
  user: root
  os: linux
  ports:
EOF
		for ((l = 0; l < links; l++)); do
			cat <<EOF
    - name: port-$l
      pci: "0000:$(printf %02x $((bus + 2 * l))):00.0"
      os_driver_for_dpdk: $dpdk_drv
      os_driver: fbnic
EOF
		done
		# The mtu suite's jumbo testpmd asks for 1.4 GB of 9200-byte mbufs.
		[ "$dpdk_drv" != vfio-pci ] || printf '  hugepages_2mb:\n    number_of: %s\n%s\n' \
			"$hugepages" "    force_first_numa: false"
	done
} >"$work/nodes.yaml"
{
	cat <<EOF
# Generated by the fbnic DTS runner (devtools/dts): DPDK $version with net/fbnic,
# prebuilt in the guest's root.
dpdk:
  lcores: "0-$((smp - 1))"
  memory_channels: 1
  build:
    dpdk_location:
      dpdk_tree: $sut_dpdk
      remote: true
    precompiled_build_dir: build
func_traffic_generator:
  type: SCAPY
perf: false
func: true
crypto: false
use_virtual_functions: false
skip_smoke_tests: true
system_under_test_node: "SUT 1"
traffic_generator_node: "TG 1"
port_topology:
EOF
	for ((l = 0; l < links; l++)); do
		echo "  - sut.port-$l <-> tg.port-$l"
	done
	echo "test_suites:"
	for s in "${suites[@]}"; do
		case $s in
		*:*)
			echo "  - test_suite: ${s%%:*}"
			echo "    test_cases: [${s#*:}]"
			;;
		*) echo "  - $s" ;;
		esac
	done
} >"$work/test_run.yaml"

# The rss suite compares the sizes the port reports with its configuration.
rpc=$top/drivers/net/fbnic/base/fbnic_rpc.h
key_size=$(sed -n 's/^#define FBNIC_RSS_KEY_SIZE[[:space:]]*\([0-9]*\).*/\1/p' "$rpc")
reta_size=$(sed -n 's/^#define FBNIC_RSS_RETA_SIZE[[:space:]]*\([0-9]*\).*/\1/p' "$rpc")
[ -n "$key_size" ] && [ -n "$reta_size" ] || die "no RSS key or RETA size in $rpc"
cat >"$work/tests_config.yaml" <<EOF
# Generated by the fbnic DTS runner (devtools/dts): fbnic's RSS sizes.
rss:
  ACTUAL_KEY_SIZE: $key_size
  ACTUAL_RETA_SIZE: $reta_size
EOF

# 5. The guest: DPDK's port on vfio-pci, the peer on fbnic, sshd; it waits
# until the host is done (the file dts-done in its run directory). DTS
# reads NAME and VERSION from os-release, and sid's has no VERSION: the
# guest gets a copy with its codename as VERSION.
cat >"$work/cmd" <<'EOF'
#!/bin/sh
. /usr/lib/os-release
{ cat /usr/lib/os-release; echo "VERSION=\"${VERSION_CODENAME:-sid}\""; } >/run/os-release
grep -q '^VERSION=' /usr/lib/os-release || mount --bind /run/os-release /usr/lib/os-release
touch /mnt/dts-ready
echo "dts guest: waiting for the host's DTS run"
while [ ! -e /mnt/dts-done ]; do
	sleep 2
done
EOF
vmlog=$work/vm-run.log
log "starting the VM (ssh on 127.0.0.1:$port)"
"$top/devtools/vm-run.sh" --dpdk --peer --links "$links" --ssh "$port" --smp "$smp" \
	--mem "$mem" --timeout $((limit + 600)) --cmd "$work/cmd" --file "$work/authorized_keys" \
	--out "$work/vm" ${server[@]+"${server[@]}"} >"$vmlog" 2>&1 &
vm_pid=$!
rundir=""
for _ in $(seq 600); do
	rundir=$(sed -n 's/^vm-run: run directory \([^ ]*\) .*/\1/p' "$vmlog")
	[ -n "$rundir" ] && break
	kill -0 "$vm_pid" 2>/dev/null || { cat "$vmlog" >&2; die "vm-run.sh failed"; }
	sleep 1
done
[ -n "$rundir" ] || die "vm-run.sh did not start the VM in 600 s, see $vmlog"
# The guest is ready when its command has started (dts-ready) and sshd
# answers with its banner.
up=0
for _ in $(seq 300); do
	kill -0 "$vm_pid" 2>/dev/null || break
	if [ -e "$rundir/dts-ready" ] &&
		timeout 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port && head -c 4 <&3" 2>/dev/null |
			grep -q SSH; then
		up=1
		break
	fi
	sleep 2
done
[ $up = 1 ] || { tail -n 40 "$vmlog" >&2; die "the guest's sshd did not answer in 600 s"; }
log "guest up; running DTS $version: ${suites[*]}"

rc=0
# shellcheck disable=SC2016 # expanded by the inner shell
FBNIC_CHROOT_TIMEOUT=$limit "$top/devtools/chroot-run.sh" trixie /bin/sh -c '
	w=$1 t=$2
	shift 2
	cd "$w/dpdk/dts" && exec env HOME="$w/home" python3 main.py \
		--nodes-config-file "$w/nodes.yaml" --test-run-config-file "$w/test_run.yaml" \
		--tests-config-file "$w/tests_config.yaml" --output-dir "$w/out" \
		--timeout "$t" "$@"
' dts "$gwork" "$dts_timeout" ${verbose[@]+"${verbose[@]}"} >"$work/dts.log" 2>&1 &
# In the background, so that a signal reaches the trap at once (timeout,
# which chroot-run.sh ends in, leads its own process group).
dts_pid=$!
wait "$dts_pid" || rc=$?
dts_pid=""
touch "$rundir/dts-done"
if ! timeout 300 tail --pid="$vm_pid" -f /dev/null; then
	log "the VM did not stop; killing it"
fi
wait "$vm_pid" 2>/dev/null || true
vm_pid=""

rm -rf "$out"
mkdir -p "$out"
cp -r "$work/out" "$work/vm" "$out/" 2>/dev/null || true
cp "$work"/*.yaml "$work/dts.log" "$vmlog" "$out/"
[ -f "$out/out/results.json" ] || { tail -n 40 "$out/dts.log" >&2; die "DTS wrote no results"; }
python3 "$top/devtools/dts/dts-results.py" --dts "$version" "$out/out/results.json" |
	tee "$out/results.txt"
log "results in $out (DTS exit status $rc)"
exit "$rc"
