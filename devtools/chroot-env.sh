#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
#
# Build (once) and cache a Debian chroot in which the fbnic PMD is built and
# tested against Debian's own DPDK packages of another release:
#   trixie  DPDK 24.11
#   sid     DPDK 25.11
#
#   devtools/chroot-env.sh SUITE [--force] [--print]
#
# The chroot lives in FBNIC_CHROOT_CACHE (default /var/cache/fbnic-chroot)
# /SUITE/root and is reused: a second run only checks it. --force rebuilds
# it. --print prints the root path of a ready chroot and fails with exit 77
# if there is none. Enter it with devtools/chroot-run.sh SUITE COMMAND...
# The mirror is the host's (FBNIC_CHROOT_MIRROR overrides it).
# Exit codes: 0 ready, 77 cannot be built here (not root, no network,
# no debootstrap), 1 error.

set -euo pipefail

# Bump when the recipe changes: older caches are then rebuilt.
recipe=1

die() { echo "chroot-env: error: $*" >&2; exit 1; }
skip() { echo "chroot-env: cannot build the chroot: $*" >&2; exit 77; }
log() { echo "chroot-env: $*" >&2; }
usage() { sed -n '4,19p' "$0"; }

suite=""
force=0
print=0
for a in "$@"; do
	case $a in
	--force) force=1 ;;
	--print) print=1 ;;
	-h|--help) usage; exit 0 ;;
	-*) die "unknown option $a" ;;
	*)
		[ -z "$suite" ] || die "more than one suite given ($suite, $a)"
		suite=$a
		;;
	esac
done
case $suite in
trixie|sid) ;;
"") usage >&2; die "no suite given (trixie or sid)" ;;
*) die "unsupported suite '$suite' (trixie or sid)" ;;
esac

cache=${FBNIC_CHROOT_CACHE:-/var/cache/fbnic-chroot}/$suite
root=$cache/root
stamp=$cache/ready

ready() {
	[ -f "$stamp" ] && grep -qx "recipe=$recipe" "$stamp" &&
		[ -s "$cache/dpdk-version" ] &&
		[ -x "$root/usr/bin/pkg-config" ] && [ -x "$root/usr/bin/dpdk-testpmd" ]
}

if [ $print = 1 ]; then
	ready || skip "no $suite chroot in $cache (run devtools/chroot-env.sh $suite)"
	echo "$root"
	exit 0
fi

if [ $force = 0 ] && ready; then
	log "$suite chroot ready in $root (DPDK $(cat "$cache/dpdk-version"))"
	exit 0
fi

[ "$(id -u)" = 0 ] || skip "must run as root (debootstrap, chroot)"
for t in timeout flock unshare chroot mount; do
	command -v $t >/dev/null || skip "$t is missing on the host"
done

mirror=${FBNIC_CHROOT_MIRROR:-}
if [ -z "$mirror" ] && [ -f /etc/apt/sources.list.d/debian.sources ]; then
	mirror=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources)
fi
mirror=${mirror:-http://deb.debian.org/debian}

# Stop early and clearly without network.
hostport=${mirror#*://}
hostport=${hostport%%/*}
host=${hostport%%:*}
case $mirror in
https://*) port=443 ;;
*) port=80 ;;
esac
[ "$hostport" = "$host" ] || port=${hostport##*:}
timeout 30 bash -c "exec 3<>/dev/tcp/$host/$port" 2>/dev/null ||
	skip "cannot reach the Debian mirror $mirror"

# debootstrap comes from the host's own sources, which stay as they are.
if ! command -v debootstrap >/dev/null; then
	log "installing debootstrap on the host"
	apt_host=(apt-get -o DPkg::Lock::Timeout=300 -o Acquire::Retries=3
		-o Acquire::http::Timeout=60)
	if ! DEBIAN_FRONTEND=noninteractive timeout 600 "${apt_host[@]}" install -y -qq \
			--no-install-recommends debootstrap >/dev/null 2>&1; then
		timeout 600 "${apt_host[@]}" update -qq >/dev/null 2>&1 || true
		DEBIAN_FRONTEND=noninteractive timeout 600 "${apt_host[@]}" install -y -qq \
			--no-install-recommends debootstrap >/dev/null 2>&1 ||
			skip "debootstrap is missing and apt-get could not install it"
	fi
	command -v debootstrap >/dev/null || skip "debootstrap is missing"
fi
# Debian's debootstrap script for sid also bootstraps the releases after it.
script=/usr/share/debootstrap/scripts/$suite
[ -e "$script" ] || script=/usr/share/debootstrap/scripts/sid
[ -e "$script" ] || skip "this debootstrap knows neither $suite nor sid"

mkdir -p "$cache"
exec 9>"$cache/.lock"
flock -w 3600 9 || die "another chroot-env.sh or chroot-run.sh holds $cache/.lock"
if [ $force = 0 ] && ready; then
	log "$suite chroot ready in $root (built concurrently)"
	exit 0
fi
rm -f "$stamp" "$cache/dpdk-version"

# Never delete through a mount: chroot-run.sh mounts only in private
# namespaces, so a mount under the root here is someone else's.
mounted_below() {
	awk -v r="$root" '$2 == r || index($2, r "/") == 1 {found = 1} END {exit !found}' \
		/proc/self/mounts
}

# in_root SECONDS COMMAND...: run a command in the chroot with a time limit,
# a clean environment and /proc, in a private mount namespace.
in_root() {
	local limit=$1
	shift
	# shellcheck disable=SC2016 # expanded by the inner shell
	timeout -k 10 "$limit" unshare -m --propagation private -- /bin/sh -c '
		r=$1; shift
		mount -t proc proc "$r/proc" || exit 1
		exec chroot "$r" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
			DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 HOME=/root "$@"
	' in_root "$root" "$@"
}

# 1. The base system.
if [ $force = 1 ] || [ ! -x "$root/usr/bin/apt-get" ] ||
		[ ! -f "$root/.fbnic-debootstrap-done" ]; then
	mounted_below && die "something is mounted under $root: not deleting it"
	rm -rf "$root"
	log "debootstrap $suite into $root (from $mirror)"
	if ! timeout -k 10 1800 debootstrap --variant=minbase --arch=amd64 "$suite" \
			"$root" "$mirror" "$script" >"$cache/debootstrap.log" 2>&1; then
		neterr="Failed getting release file|Couldn't download|Temporary failure|Could not resolve"
		if grep -qE "$neterr" "$cache/debootstrap.log"; then
			skip "debootstrap could not download $suite from $mirror, see $cache/debootstrap.log"
		fi
		die "debootstrap failed, see $cache/debootstrap.log"
	fi
	touch "$root/.fbnic-debootstrap-done"
fi

# 2. apt: the mirror is a snapshot, its Release files may have expired.
cat >"$root/etc/apt/apt.conf.d/99fbnic-chroot" <<'EOF'
Acquire::Check-Valid-Until "false";
Acquire::Retries "3";
Acquire::http::Timeout "60";
Acquire::https::Timeout "60";
Acquire::Languages "none";
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Dpkg::Use-Pty "false";
EOF
echo "deb $mirror $suite main" >"$root/etc/apt/sources.list"
rm -f "$root/etc/apt/sources.list.d/debian.sources"
# No daemon may start inside the chroot.
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"

log "apt-get update in the $suite chroot"
if ! in_root 900 apt-get -q update >"$cache/apt.log" 2>&1; then
	grep -qE "Could not resolve|Could not connect|Temporary failure" "$cache/apt.log" &&
		skip "apt-get update could not reach $mirror, see $cache/apt.log"
	die "apt-get update failed in the chroot, see $cache/apt.log"
fi

# DPDK and the build and test tools of the project; libc6-dev because gcc
# only recommends it, clang for devtools/test.sh's clang build,
# ca-certificates for an https mirror.
packages=(dpdk dpdk-dev libdpdk-dev meson ninja-build pkg-config python3
	python3-pyelftools gcc libc6-dev clang codespell iproute2 ethtool procps file
	ca-certificates)
log "installing ${packages[*]}"
in_root 2400 apt-get -y -q install "${packages[@]}" >>"$cache/apt.log" 2>&1 ||
	die "package installation failed in the chroot, see $cache/apt.log"
in_root 300 apt-get -q clean >/dev/null 2>&1 || true

# 3. What the build will find.
ver=$(in_root 60 pkg-config --modversion libdpdk 2>/dev/null) ||
	die "pkg-config cannot find libdpdk in the chroot"
in_root 60 python3 -c 'import elftools' ||
	die "python3 in the chroot cannot import elftools"
in_root 60 sh -c 'command -v dpdk-testpmd && command -v cc && command -v clang' >/dev/null ||
	die "dpdk-testpmd, cc or clang missing in the chroot"
# shellcheck disable=SC2016 # a dpkg-query format
pkgver=$(in_root 60 dpkg-query -W -f='${Version}' libdpdk-dev 2>/dev/null || echo unknown)

echo "$ver" >"$cache/dpdk-version"
cat >"$stamp.tmp" <<EOF
recipe=$recipe
suite=$suite
root=$root
mirror=$mirror
dpdk=$ver
libdpdk-dev=$pkgver
EOF
mv "$stamp.tmp" "$stamp"
log "$suite chroot ready in $root (DPDK $ver, libdpdk-dev $pkgver)"
