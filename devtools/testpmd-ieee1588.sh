#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
#
# Build (once) and cache a dpdk-testpmd with its ieee1588 forwarding mode,
# which Debian's testpmd lacks: testpmd's own sources, from Debian's source
# package of the installed DPDK (same version), compiled against the
# installed DPDK with RTE_LIBRTE_IEEE1588 defined. Prints its path.
#
#   devtools/testpmd-ieee1588.sh
#
# The source package comes through a private apt configuration (deb-src of
# the system's own suite, in the cache directory); the system's apt sources
# are not touched. Driver-specific testpmd commands (mlx5, i40e, ...) are
# left out: their headers are not installed.
# Cache: FBNIC_TESTPMD_CACHE (default /var/cache/fbnic-testpmd)/<version>/.
# Exit codes: 0 built or cached, 77 cannot be built here (no root, no
# network, version not in the archive), 1 error.

set -euo pipefail

die() { echo "testpmd-ieee1588: error: $*" >&2; exit 1; }
skip() { echo "testpmd-ieee1588: cannot build: $*" >&2; exit 77; }

ver=$(dpkg-query -W -f '${Version}' libdpdk-dev 2>/dev/null) ||
	skip "libdpdk-dev is not installed"
cache=${FBNIC_TESTPMD_CACHE:-/var/cache/fbnic-testpmd}
dir=$cache/$ver
bin=$dir/dpdk-testpmd
if [ -x "$bin" ]; then
	echo "$bin"
	exit 0
fi
[ "$(id -u)" = 0 ] || skip "must run as root (apt)"
for t in apt-get gcc pkg-config tar flock; do
	command -v $t >/dev/null || skip "$t is missing"
done

mkdir -p "$dir"
exec 9>"$dir/.lock"
flock -w 900 9 || die "another build holds $dir/.lock"
if [ -x "$bin" ]; then
	echo "$bin"
	exit 0
fi

# deb-src lines for this system's suites, on its own mirror.
. /etc/os-release
suite=${VERSION_CODENAME:-}
[ -n "$suite" ] || suite=$(sed -n 's/^deb [^ ]* \([a-z]*\) .*/\1/p' /etc/apt/sources.list 2>/dev/null |
	head -n 1)
[ -n "$suite" ] || skip "unknown Debian suite"
mirror=""
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
	mirror=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources)
elif [ -f /etc/apt/sources.list ]; then
	mirror=$(awk '$1 == "deb" {print $2; exit}' /etc/apt/sources.list)
fi
mirror=${mirror:-http://deb.debian.org/debian}
apt=$dir/apt
mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/src"
{
	echo "deb-src $mirror $suite main"
	case $suite in
	sid|unstable) ;;
	*)
		echo "deb-src $mirror $suite-updates main"
		echo "deb-src ${mirror%/debian}/debian-security $suite-security main"
		;;
	esac
} >"$apt/sources.list"
opts=(-o "Dir::Etc::SourceList=$apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
	-o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache"
	-o Acquire::Check-Valid-Until=false -o Acquire::Retries=3
	-o Acquire::http::Timeout=60)
timeout 600 apt-get "${opts[@]}" -qq update >"$apt/log" 2>&1 ||
	skip "apt-get update of $apt/sources.list failed, see $apt/log"
(cd "$apt/src" && timeout 900 apt-get "${opts[@]}" -qq source --download-only "dpdk=$ver") \
	>>"$apt/log" 2>&1 || skip "no source package dpdk=$ver, see $apt/log"
orig=$(ls "$apt"/src/dpdk_*.orig.tar.* 2>/dev/null | head -n 1)
[ -n "$orig" ] || die "no orig tarball in $apt/src"

src=$dir/src
rm -rf "$src"
mkdir -p "$src"
tar -xf "$orig" -C "$src" --strip-components=1 --wildcards '*/app/test-pmd/*' \
	'*/lib/eal/linux/include/*' || die "cannot unpack $orig"
# Leave the driver-specific commands out: Debian installs no headers of
# theirs. The installed build configuration is included, minus the drivers.
mkdir -p "$src/shim"
{
	echo "#include_next <rte_build_config.h>"
	for d in NET_MLX5 NET_BNXT NET_I40E NET_IXGBE NET_DPAA NET_BOND CRYPTO_SCHEDULER; do
		echo "#undef RTE_$d"
	done
} >"$src/shim/rte_build_config.h"
# shellcheck disable=SC2046 # pkg-config prints one word per flag
if ! (cd "$src/app/test-pmd" && timeout 900 gcc -O2 -w -DALLOW_EXPERIMENTAL_API \
	-DALLOW_INTERNAL_API -DRTE_LIBRTE_IEEE1588 -I"$src/shim" -I. \
	-I"$src/lib/eal/linux/include" $(pkg-config --cflags libdpdk) ./*.c \
	-o "$bin.tmp" $(pkg-config --libs libdpdk) -lm -lpthread \
	$(ls /usr/lib/*/libjansson.so >/dev/null 2>&1 && echo -ljansson)) \
	>"$dir/build.log" 2>&1; then
	tail -n 20 "$dir/build.log" >&2
	die "testpmd did not build, see $dir/build.log"
fi
mv "$bin.tmp" "$bin"
rm -rf "$src" "$apt/src"
echo "testpmd-ieee1588: built $bin (DPDK $ver)" >&2
echo "$bin"
