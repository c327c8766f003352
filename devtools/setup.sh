#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
#
# Prepare a Debian bookworm machine for building and testing the fbnic PMD:
# Debian's DPDK 22.11 and build tools, the kernel's checkpatch.pl (for the
# style suite, unpacked from Debian's linux-source package into
# /var/cache/fbnic-checkpatch, not installed), and hugepages. Idempotent: a
# second run changes nothing and takes a second. Must run as root.
#
# Environment: FBNIC_HUGEPAGES (2 MiB pages to reserve, default 1024).

set -u
pages=${FBNIC_HUGEPAGES:-1024}
packages=(dpdk dpdk-dev libdpdk-dev meson ninja-build pkg-config python3 python3-pyelftools
	gcc clang codespell iproute2 ethtool procps perl xz-utils dpdk-doc)
checkpatch_dir=/var/cache/fbnic-checkpatch

step() { echo "setup: $*"; }
die() { echo "setup: ERROR: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root (installs packages, reserves hugepages); try: sudo $0"
command -v apt-get >/dev/null || die "apt-get not found: this script supports Debian (bookworm)"

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	step "installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq || die "apt-get update failed (network or mirror problem)"
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
		die "apt-get install ${missing[*]} failed"
else
	step "packages present"
fi

ver=$(pkg-config --modversion libdpdk 2>/dev/null) || die "pkg-config cannot find libdpdk"
step "DPDK $ver"

# checkpatch.pl and its data files, from bookworm's linux-source (downloaded
# with the host's apt configuration, unpacked here only).
if [ ! -f "$checkpatch_dir/scripts/checkpatch.pl" ]; then
	step "fetching checkpatch.pl from linux-source"
	work=$(mktemp -d)
	src=$(apt-cache depends linux-source 2>/dev/null |
		sed -n 's/.*Depends: \(linux-source-[0-9.]*\)$/\1/p' | head -1)
	if [ -n "$src" ] && (cd "$work" && apt-get download -qq "$src" 2>/dev/null) &&
	   dpkg-deb --fsys-tarfile "$work"/"$src"_*.deb |
		tar -xO --wildcards "./usr/src/$src.tar.xz" |
		tar -xJ -C "$work" --wildcards "$src/scripts/checkpatch.pl" \
			"$src/scripts/spelling.txt" "$src/scripts/const_structs.checkpatch"; then
		mkdir -p "$checkpatch_dir/scripts"
		cp "$work/$src"/scripts/* "$checkpatch_dir/scripts/"
		step "checkpatch.pl of $src in $checkpatch_dir"
	else
		echo "setup: WARNING: could not fetch checkpatch.pl: the style suite skips it" >&2
	fi
	rm -rf "$work"
else
	step "checkpatch.pl present"
fi

# Hugepages: hugetlbfs on /dev/hugepages and enough free 2 MiB pages.
if ! grep -qs " /dev/hugepages hugetlbfs " /proc/mounts; then
	mkdir -p /dev/hugepages || die "cannot create /dev/hugepages"
	mount -t hugetlbfs nodev /dev/hugepages ||
		die "cannot mount hugetlbfs on /dev/hugepages (container without privileges?)"
	step "mounted hugetlbfs on /dev/hugepages"
fi
nr=/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages
[ -e "$nr" ] || die "no 2 MiB hugepage support in this kernel ($nr missing)"
cur=$(cat "$nr")
if [ "$cur" -lt "$pages" ]; then
	echo "$pages" > "$nr" 2>/dev/null || die "cannot write $nr (read-only /sys?)"
	cur=$(cat "$nr")
	[ "$cur" -ge "$pages" ] ||
		echo "setup: WARNING: only $cur of $pages hugepages could be reserved" >&2
fi
step "$cur hugepages of 2 MiB reserved"
exit 0
