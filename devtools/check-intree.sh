#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
#
# Build drivers/net/fbnic inside a DPDK source tree as an in-tree driver,
# then run a testpmd smoke test from that build. Works for every DPDK the
# driver supports (22.11.x, 24.11.x, 25.11.x and 26.07 or newer): for a
# release older than the driver's API, the tree also gets the compat layer
# (compat/, see doc/guides/nics/fbnic.rst). The DPDK tree is given by the
# caller (a release tarball, or "git archive" of a DPDK clone); it is
# copied, never modified.
#
# Usage: devtools/check-intree.sh <dpdk source dir> [work dir]
# Environment: FBNIC_INTREE_JOBS (ninja -j, default: all cores),
# FBNIC_INTREE_MESON_ARGS (more meson setup options, split on spaces, e.g.
# -Dplatform=generic for a build that runs on another CPU).

set -eu
src=$(readlink -f "${1:?usage: $0 <dpdk source dir> [work dir]}")
work=${2:-/var/tmp/fbnic-intree}
top=$(readlink -f "$(dirname "$(readlink -f "$0")")/..")
die() { echo "check-intree: $*" >&2; exit 1; }

[ -f "$src/drivers/net/meson.build" ] && [ -f "$src/VERSION" ] ||
	die "not a DPDK source tree: $src"
version=$(cat "$src/VERSION")
echo "check-intree: DPDK $version from $src, work directory $work"

rm -rf "$work"
mkdir -p "$work"
cp -a "$src" "$work/dpdk"
dpdk=$work/dpdk
[ ! -e "$dpdk/drivers/net/fbnic" ] || die "the tree already has drivers/net/fbnic"
cp -a "$top/drivers/net/fbnic" "$dpdk/drivers/net/fbnic"
# The compat layer sits beside the driver; its meson.build adds nothing for
# a tree of the driver's own API and refuses an unsupported version.
cp -a "$top/compat" "$dpdk/drivers/net/fbnic-compat"
python3 - "$dpdk/drivers/net/meson.build" <<'PY'
import re, sys
path = sys.argv[1]
with open(path, encoding="utf-8") as f:
    text = f.read()
text, n = re.subn(r"^drivers = \[\n", "fbnic_dpdk_version = meson.project_version()\n"
                  "subdir('fbnic-compat')\n\ndrivers = [\n        'fbnic',\n",
                  text, count=1, flags=re.M)
if n != 1:
    sys.exit("check-intree: no driver list in " + path)
with open(path, "w", encoding="utf-8") as f:
    f.write(text)
PY

cd "$dpdk"
# DPDK's own meson needs Debian's python3 with pyelftools (a pyenv python may lack it).
export PATH=/usr/bin:$PATH
meson setup build -Denable_drivers=bus/pci,bus/vdev,mempool/ring,net/null,net/fbnic \
	-Denable_apps=test-pmd -Dtests=false -Denable_docs=false -Dwerror=true \
	${FBNIC_INTREE_MESON_ARGS:-} \
	>"$work/setup.log" 2>&1 || { tail -20 "$work/setup.log"; die "meson setup failed"; }
ninja -C build ${FBNIC_INTREE_JOBS:+-j "$FBNIC_INTREE_JOBS"} >"$work/build.log" 2>&1 ||
	{ grep -B2 -A8 "error" "$work/build.log" | head -60; die "build failed"; }
so=$(ls build/drivers/librte_net_fbnic.so.*.* 2>/dev/null | head -1)
[ -n "$so" ] || die "no librte_net_fbnic.so in the build"
echo "check-intree: built $so"

# Smoke test: the tree's testpmd has the driver linked in (its PCI ID in
# the PMD info), starts, and forwards on two net_null ports.
fail=0
pmdinfo=$(python3 usertools/dpdk-pmdinfo.py build/app/dpdk-testpmd 2>&1) || true
if ! grep -q '"name": "net_fbnic"' <<<"$pmdinfo"; then
	echo "FAIL: dpdk-testpmd has no net_fbnic in its PMD info"; fail=1
elif ! grep -qi '1d9b' <<<"$pmdinfo"; then
	echo "FAIL: net_fbnic's PMD info lacks PCI vendor 1d9b"; fail=1
fi
out=$work/testpmd.log
# Non-interactive testpmd forwards until it reads a newline.
(sleep 3; echo) | timeout 60 build/app/dpdk-testpmd -l 0-1 --no-huge -m 256 --no-shconf \
	--no-pci --vdev net_null0 --vdev net_null1 -- --total-num-mbufs=2048 --tx-first \
	>"$out" 2>&1 || { echo "FAIL: testpmd failed (see $out)"; fail=1; }
grep -q "Bye" "$out" || { echo "FAIL: testpmd did not run to its end (see $out)"; fail=1; }
rx=$(sed -n 's/.*RX-packets: *\([0-9]*\).*/\1/p' "$out" | tail -1)
[ "${rx:-0}" -gt 0 ] || { echo "FAIL: testpmd forwarded no packets (see $out)"; fail=1; }
[ "$fail" = 0 ] || exit 1
echo "check-intree: DPDK $version: in-tree build of net/fbnic OK, testpmd smoke test OK" \
	"($rx packets)"
