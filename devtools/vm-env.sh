#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
#
# Build (once) and cache the environment for running the fbnic model as a PCI
# device of a virtual machine, from Debian packages only:
#   - a Debian sid chroot with QEMU (vfio-user-pci client), the Linux 7.2
#     kernel, its headers and source, and the guest tools the tests use;
#   - sid's DPDK (25.11) with its SDK, so that the PMD is built in the chroot
#     and runs in the guest on the model's PCI function (vfio-pci), and sshd
#     for test frameworks that reach the guest over SSH (DTS);
#   - the Linux fbnic module built out of tree from linux-source
#     (Debian's kernel does not enable CONFIG_FBNIC);
#   - a tiny initramfs that mounts the chroot read-only over virtio-9p as the
#     guest's root and runs /usr/local/sbin/fbnic-vm-init.
#
#   devtools/vm-env.sh [--force] [--print]
#
# The cache (FBNIC_VM_CACHE, default /var/cache/fbnic-vm) is reused: a second
# run only checks it. --print prints the shell variables of a ready
# environment (eval-able) and fails with exit 77 if there is none.
# Exit codes: 0 ready, 77 cannot be built here (not root, no network), 1 error.

set -euo pipefail

cache=${FBNIC_VM_CACHE:-/var/cache/fbnic-vm}
root=$cache/root
envfile=$cache/env.sh
# Bump when the recipe changes: older caches are then rebuilt.
recipe=11
linux_series=${FBNIC_VM_LINUX:-7.2}

die() { echo "vm-env: error: $*" >&2; exit 1; }
skip() { echo "vm-env: cannot build the VM environment: $*" >&2; exit 77; }
log() { echo "vm-env: $*" >&2; }

force=0
print=0
for a in "$@"; do
	case $a in
	--force) force=1 ;;
	--print) print=1 ;;
	-h|--help) sed -n '4,20p' "$0"; exit 0 ;;
	*) die "unknown option $a" ;;
	esac
done

ready() {
	[ -f "$envfile" ] && grep -q "^FBNIC_VM_RECIPE=$recipe\$" "$envfile"
}

if [ $print = 1 ]; then
	ready || skip "no VM environment in $cache (run devtools/vm-env.sh)"
	cat "$envfile"
	exit 0
fi
# Helpers of the kernel's NIC selftests run by the vm suite (vm_selftests.sh);
# also added to an environment built before they were needed.
selftest_helpers() {
	local kst=/usr/src/linux-source-$linux_series/tools/testing/selftests

	[ "$(id -u)" = 0 ] || return 0
	if [ ! -x "$root$kst/net/lib/csum" ]; then
		timeout 300 chroot "$root" gcc -O2 -I"$kst" -o "$kst/net/lib/csum" \
			"$kst/net/lib/csum.c" >"$cache/selftests-build.log" 2>&1 ||
			log "warning: selftest helper csum not built, see $cache/selftests-build.log"
	fi
	# ping.py's XDP cases attach this program (native and generic XDP).
	if [ ! -f "$root$kst/net/lib/xdp_dummy.bpf.o" ]; then
		timeout 300 chroot "$root" clang -O2 -g -target bpf -I/usr/include/x86_64-linux-gnu \
			-c "$kst/net/lib/xdp_dummy.bpf.c" -o "$kst/net/lib/xdp_dummy.bpf.o" \
			>>"$cache/selftests-build.log" 2>&1 ||
			log "warning: selftest helper xdp_dummy not built, see $cache/selftests-build.log"
	fi
	# toeplitz links the ynl C library, generated from the netlink specs.
	if [ ! -x "$root$kst/drivers/net/hw/toeplitz" ]; then
		timeout 900 chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
			LC_ALL=C.UTF-8 HOME=/root make -C "$kst/drivers/net/hw" \
			"$kst/drivers/net/hw/toeplitz" >>"$cache/selftests-build.log" 2>&1 ||
			log "warning: selftest helper toeplitz not built, see $cache/selftests-build.log"
	fi
}

if [ $force = 0 ] && ready; then
	selftest_helpers
	log "environment ready in $cache"
	exit 0
fi

[ "$(id -u)" = 0 ] || skip "must run as root (debootstrap, chroot)"
command -v timeout >/dev/null || die "coreutils timeout missing"

if ! command -v debootstrap >/dev/null; then
	log "installing debootstrap on the host"
	timeout 600 apt-get install -y -qq debootstrap >/dev/null ||
		skip "debootstrap is missing and apt-get could not install it"
fi

mirror=${FBNIC_VM_MIRROR:-}
if [ -z "$mirror" ] && [ -f /etc/apt/sources.list.d/debian.sources ]; then
	mirror=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources)
fi
mirror=${mirror:-http://deb.debian.org/debian}

# Stop early and clearly without network.
host=${mirror#*://}; host=${host%%/*}
timeout 30 bash -c "exec 3<>/dev/tcp/$host/80" 2>/dev/null ||
	skip "cannot reach the Debian mirror $mirror"

mkdir -p "$cache"
exec 9>"$cache/.lock"
flock -w 3600 9 || die "another vm-env.sh holds $cache/.lock"
if [ $force = 0 ] && ready; then
	log "environment ready in $cache (built concurrently)"
	exit 0
fi
rm -f "$envfile"

# in_root SECONDS COMMAND...: run a command in the chroot with a time limit.
in_root() {
	local limit=$1
	shift
	timeout "$limit" chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 HOME=/root "$@"
}

# 1. The sid chroot.
if [ ! -x "$root/usr/bin/apt-get" ] || [ ! -f "$root/.fbnic-debootstrap-done" ]; then
	log "debootstrap sid into $root (from $mirror)"
	rm -rf "$root"
	timeout 1800 debootstrap --variant=minbase --arch=amd64 sid "$root" \
		"$mirror" >"$cache/debootstrap.log" 2>&1 ||
		die "debootstrap failed, see $cache/debootstrap.log"
	touch "$root/.fbnic-debootstrap-done"
fi
# The mirror is a snapshot: its Release files may have expired.
cat >"$root/etc/apt/apt.conf.d/99fbnic-vm" <<'EOF'
Acquire::Check-Valid-Until "false";
Acquire::Retries "3";
Acquire::http::Timeout "60";
APT::Install-Recommends "false";
Dpkg::Use-Pty "false";
EOF
echo "deb $mirror sid main" >"$root/etc/apt/sources.list"
# Kernel packages must not build a Debian initramfs in the chroot.
mkdir -p "$root/etc/initramfs-tools"
echo "update_initramfs=no" >"$root/etc/initramfs-tools/update-initramfs.conf"

log "apt-get update in the chroot"
in_root 900 apt-get -qq update >"$cache/apt.log" 2>&1 ||
	die "apt-get update failed in the chroot, see $cache/apt.log"

kpkg=$(in_root 120 apt-cache depends linux-image-amd64 2>/dev/null |
	awk '/Depends: linux-image-[0-9]/{print $2; exit}')
hpkg=$(in_root 120 apt-cache depends linux-headers-amd64 2>/dev/null |
	awk '/Depends: linux-headers-[0-9]/{print $2; exit}')
case $kpkg in
linux-image-"$linux_series".*) ;;
*) die "sid's linux-image-amd64 is '$kpkg', not Linux $linux_series" ;;
esac
guest_pkgs=(iproute2 ethtool python3 iputils-ping socat iperf3 kmod procps
	busybox-static cpio xz-utils tcpdump netcat-openbsd python3-yaml
	dpdk dpdk-dev pciutils openssh-server python3-scapy lshw sudo)
build_pkgs=(make gcc libc6-dev python3-jsonschema clang libbpf-dev
	libdpdk-dev meson ninja-build pkgconf python3-pyelftools)
log "installing qemu-system-x86, $kpkg, $hpkg, linux-source-$linux_series and tools"
in_root 2400 apt-get -y -q install qemu-system-x86 "$kpkg" "$hpkg" \
	"linux-source-$linux_series" "${guest_pkgs[@]}" "${build_pkgs[@]}" \
	>>"$cache/apt.log" 2>&1 || die "package installation failed, see $cache/apt.log"
in_root 120 apt-get -q clean >/dev/null 2>&1 || true

kver=${kpkg#linux-image-}
[ -f "$root/boot/vmlinuz-$kver" ] || die "kernel image $root/boot/vmlinuz-$kver missing"
[ -d "$root/usr/src/linux-headers-$kver" ] || die "headers for $kver missing"

# 2. Linux source: the fbnic driver, its documentation and the NIC selftests.
src=$root/usr/src/linux-source-$linux_series
if [ ! -f "$src/.fbnic-unpacked-$recipe" ]; then
	log "unpacking linux-source-$linux_series (driver, selftests, ynl)"
	rm -rf "$src"
	tarball=$(ls "$root"/usr/src/linux-source-"$linux_series"*.tar.xz | head -n1)
	timeout 900 tar -xJf "$tarball" -C "$root/usr/src" --wildcards \
		"linux-source-$linux_series/drivers/net/ethernet/meta/*" \
		"linux-source-$linux_series/tools/testing/selftests/*" \
		"linux-source-$linux_series/tools/net/*" \
		"linux-source-$linux_series/tools/include/*" \
		"linux-source-$linux_series/tools/scripts/*" \
		"linux-source-$linux_series/tools/lib/*" \
		"linux-source-$linux_series/include/uapi/*" \
		"linux-source-$linux_series/Documentation/netlink/*" \
		"linux-source-$linux_series/scripts/*" \
		"linux-source-$linux_series/MAINTAINERS" ||
		die "cannot unpack $tarball"
	# ynl's code generator finds the tree's top by its MAINTAINERS file.
	touch "$src/.fbnic-unpacked-$recipe"
fi

# objtool and depmod want /proc.
proc_mounted=0
cleanup() {
	[ $proc_mounted = 1 ] && umount "$root/proc" 2>/dev/null
	return 0
}
trap cleanup EXIT
if ! mountpoint -q "$root/proc"; then
	mount -t proc proc "$root/proc" || die "cannot mount /proc in the chroot"
	proc_mounted=1
fi

# 3. The fbnic module (the driver's Kconfig selects PHYLINK, PCS_XPCS,
# PAGE_POOL, PLDMFW and NET_DEVLINK: Debian builds all of them).
log "building fbnic.ko for $kver"
drv=/usr/src/linux-source-$linux_series/drivers/net/ethernet/meta/fbnic
in_root 900 make -s -C "/usr/src/linux-headers-$kver" M="$drv" CONFIG_FBNIC=m \
	-j"$(nproc)" modules >"$cache/fbnic-build.log" 2>&1 ||
	die "building fbnic.ko failed, see $cache/fbnic-build.log"
mkdir -p "$root/lib/modules/$kver/updates"
install -m 644 "$root/$drv/fbnic.ko" "$root/lib/modules/$kver/updates/fbnic.ko"
in_root 300 depmod -a "$kver" || die "depmod failed"
in_root 60 modinfo -k "$kver" fbnic >/dev/null || die "fbnic module not found by modinfo"

# 4. Guest init: runs inside the VM on the read-only 9p root.
cat >"$root/usr/local/sbin/fbnic-vm-init" <<'EOF'
#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
#
# PID 1 of the fbnic test VM: mounts the scratch file systems and the
# host's exchange directory (/mnt, 9p tag "xfer"), runs /mnt/cmd with a
# time limit, stores its exit code in /mnt/rc and powers off.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LC_ALL=C.UTF-8 PYTHONDONTWRITEBYTECODE=1
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
for d in /tmp /run /var/tmp /var/log /root /var/lib/dhcp; do
	mount -t tmpfs tmpfs "$d" 2>/dev/null
done
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 xfer /mnt || {
	echo "fbnic-vm-init: cannot mount the exchange directory"; echo o >/proc/sysrq-trigger; }
hostname fbnic-vm
ip link set lo up
limit=$(cat /mnt/timeout 2>/dev/null || echo 600)
rc=125
if [ -x /mnt/cmd ]; then
	cd /mnt
	timeout -k 5 "$limit" /mnt/cmd </dev/null
	rc=$?
fi
echo "$rc" >/mnt/rc
dmesg >/mnt/dmesg 2>/dev/null
sync
# Power off at once (no init system to stop); -no-reboot ends QEMU.
/bin/busybox poweroff -f
echo o >/proc/sysrq-trigger
while :; do sleep 10; done
EOF
chmod 755 "$root/usr/local/sbin/fbnic-vm-init"

# 5. The initramfs: busybox, the virtio/9p modules, mount the root, switch.
log "building the initramfs"
ird=$root/tmp/fbnic-initramfs
rm -rf "$ird"
mkdir -p "$ird"/{bin,dev,proc,sys,newroot,lib/modules}
cp "$root/bin/busybox" "$ird/bin/busybox"
mods=$(in_root 60 modprobe -S "$kver" -a --show-depends virtio_pci 9pnet_virtio 9p 2>/dev/null |
	awk '$1 == "insmod" {print $2}')
: >"$ird/lib/modules/order"
for m in $mods; do
	b=$(basename "$m")
	case $b in
	*.ko.xz) xz -dc "$root/$m" >"$ird/lib/modules/${b%.xz}"; b=${b%.xz} ;;
	*.ko.zst) die "zstd-compressed modules are not supported ($b)" ;;
	*.ko) cp "$root/$m" "$ird/lib/modules/$b" ;;
	esac
	grep -qx "$b" "$ird/lib/modules/order" || echo "$b" >>"$ird/lib/modules/order"
done
grep -qx 9p.ko "$ird/lib/modules/order" || die "9p module not found for $kver"
cat >"$ird/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t devtmpfs devtmpfs /dev
for m in $(/bin/busybox cat /lib/modules/order); do
	/bin/busybox insmod /lib/modules/$m 2>/dev/null
done
if ! /bin/busybox mount -t 9p -o ro,trans=virtio,version=9p2000.L,msize=262144 root /newroot; then
	echo "initramfs: cannot mount the 9p root"
	/bin/busybox poweroff -f
fi
/bin/busybox umount /proc
/bin/busybox umount /dev
exec /bin/busybox switch_root /newroot /usr/local/sbin/fbnic-vm-init
EOF
chmod 755 "$ird/init"
in_root 120 sh -c 'cd /tmp/fbnic-initramfs && find . | cpio -o -H newc --quiet | gzip -1' \
	>"$root/boot/fbnic-vm-initrd.gz" || die "cannot pack the initramfs"
rm -rf "$ird"

# DPDK in the guest binds the model's function to vfio-pci without an IOMMU.
dpdk_ver=$(in_root 60 pkg-config --modversion libdpdk) || die "libdpdk-dev missing in the chroot"
grep -q '^CONFIG_VFIO_NOIOMMU=y' "$root/boot/config-$kver" ||
	log "warning: $kver lacks CONFIG_VFIO_NOIOMMU: DPDK cannot run in the guest"

qemu_ver=$(in_root 60 qemu-system-x86_64 --version | head -n1)
in_root 60 qemu-system-x86_64 -device help 2>/dev/null | grep -q vfio-user-pci ||
	die "$qemu_ver has no vfio-user-pci device"

cat >"$envfile.tmp" <<EOF
FBNIC_VM_RECIPE=$recipe
FBNIC_VM_CACHE=$cache
FBNIC_VM_ROOT=$root
FBNIC_VM_KVER=$kver
FBNIC_VM_KERNEL=/boot/vmlinuz-$kver
FBNIC_VM_INITRD=/boot/fbnic-vm-initrd.gz
FBNIC_VM_LINUX_SRC=/usr/src/linux-source-$linux_series
FBNIC_VM_QEMU_VERSION="$qemu_ver"
FBNIC_VM_DPDK_VERSION=$dpdk_ver
EOF
selftest_helpers
mv "$envfile.tmp" "$envfile"
log "environment ready in $cache ($kver, $qemu_ver)"
