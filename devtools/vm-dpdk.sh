#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
#
# Build the fbnic PMD from this tree against the DPDK of the VM environment
# (devtools/vm-env.sh: Debian sid's DPDK 25.11), inside its chroot, and
# install the plugin where the guest finds it. Prints the plugin's path as
# the guest sees it (for EAL's -d).
#
#   devtools/vm-dpdk.sh
#
# The sources are copied into the chroot (the files git knows, or the tree
# without build directories) and built without the model and the tests; a
# second run with the same sources only prints the path.
# Exit codes: 0 built, 77 no VM environment, 1 error.

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
die() { echo "vm-dpdk: error: $*" >&2; exit 1; }

envtext=$("$top/devtools/vm-env.sh" --print) || exit 77
eval "$envtext"
root=$FBNIC_VM_ROOT
[ "$(id -u)" = 0 ] || die "must run as root (chroot)"

base=/srv/fbnic-dpdk
gplugin=/usr/local/lib/fbnic/librte_net_fbnic.so
mkdir -p "$root$base"
exec 9>"$root$base/.lock"
flock -w 1800 9 || die "another vm-dpdk.sh holds $root$base/.lock"

new=$root$base/src.new
rm -rf "$new"
mkdir -p "$new"
if git -C "$top" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	git -C "$top" ls-files -z --cached --others --exclude-standard |
		(cd "$top" && tar --null --ignore-failed-read -T - -cf - 2>/dev/null) |
		tar -xf - -C "$new"
else
	tar -C "$top" --exclude='./build*' --exclude='./.git' -cf - . | tar -xf - -C "$new"
fi
sum=$(cd "$new" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum |
	cut -d' ' -f1)
if [ -f "$root$gplugin" ] && [ "$(cat "$root$base/stamp" 2>/dev/null)" = "$sum" ]; then
	rm -rf "$new"
	echo "$gplugin"
	exit 0
fi
rm -rf "$root$base/src" "$root$base/build" "$root$base/stamp"
mv "$new" "$root$base/src"

in_root() {
	timeout 1200 chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		LC_ALL=C.UTF-8 HOME=/root "$@"
}
log=$root$base/build.log
echo "vm-dpdk: building the PMD against DPDK $FBNIC_VM_DPDK_VERSION in $root$base" >&2
if ! in_root meson setup "$base/build" "$base/src" -Dtests=false -Dmodel=false \
	--buildtype=debugoptimized >"$log" 2>&1 ||
	! in_root ninja -C "$base/build" -j"$(nproc)" >>"$log" 2>&1; then
	tail -n 30 "$log" >&2
	die "build failed, see $log"
fi
so=$(find "$root$base/build" -name 'librte_net_fbnic.so*' -type f | head -n 1)
[ -n "$so" ] || die "no librte_net_fbnic.so in $root$base/build"
# EAL refuses a plugin whose directory anyone may write to.
install -d -m 755 "$root${gplugin%/*}"
install -m 644 "$so" "$root$gplugin"
echo "$sum" >"$root$base/stamp"
echo "$gplugin"
