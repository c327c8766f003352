#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
#
# Build drivers/net/fbnic inside a DPDK source tree, as an in-tree driver
# with DPDK's own driver-SDK headers: proves the directory can be dropped
# into DPDK unchanged. The DPDK tree is given by the caller (e.g. an
# extracted release tarball); it is copied, never modified.
#
# Usage: devtools/check-intree.sh <dpdk source dir> [work dir]

set -eu
src=$(readlink -f "${1:?usage: $0 <dpdk source dir> [work dir]}")
work=${2:-/var/tmp/fbnic-intree}
top=$(dirname "$(readlink -f "$0")")/..
[ -f "$src/drivers/net/meson.build" ] || { echo "not a DPDK source tree: $src" >&2; exit 1; }

rm -rf "$work"
mkdir -p "$work"
cp -a "$src" "$work/dpdk"
cp -a "$top/drivers/net/fbnic" "$work/dpdk/drivers/net/fbnic"
# Register the driver in drivers/net/meson.build's list.
sed -i "0,/^drivers = \[/s//drivers = [\n        'fbnic',/" "$work/dpdk/drivers/net/meson.build"

cd "$work/dpdk"
meson setup build -Denable_drivers=bus/pci,bus/vdev,mempool/ring,net/fbnic \
	-Ddisable_apps='*' -Dtests=false -Denable_docs=false >/dev/null
ninja -C build drivers/librte_net_fbnic.so.23.0 drivers/librte_net_fbnic.a
echo "in-tree build of net/fbnic OK: $(ls "$work"/dpdk/build/drivers/librte_net_fbnic.so.*.*)"
