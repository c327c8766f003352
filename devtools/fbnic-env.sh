# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
#
# Shell helpers shared by the devtools and test scripts (source this file).

# EAL refuses to load a plugin (-d) from a directory that is, or has a
# parent that is, world-writable (e.g. a build tree under /tmp). Print a
# path EAL accepts: the plugin itself when its directories are safe, else
# a copy in a root- or user-owned cache directory.
fbnic_safe_plugin() {
	local so=$1 dir cache sum
	so=$(readlink -f "$so") || return 1
	[ -f "$so" ] || { echo "plugin not found: $1" >&2; return 1; }
	dir=$(dirname "$so")
	while [ "$dir" != "/" ]; do
		if [ -n "$(find "$dir" -maxdepth 0 -perm -0002 2>/dev/null)" ]; then
			break
		fi
		dir=$(dirname "$dir")
	done
	if [ "$dir" = "/" ]; then
		echo "$so"
		return 0
	fi
	if [ "$(id -u)" = 0 ]; then
		cache=/var/cache/fbnic-pmd/plugins
	else
		cache=${HOME:?}/.cache/fbnic-pmd/plugins
	fi
	sum=$(sha256sum "$so" | cut -c1-16)
	mkdir -p "$cache/$sum" && chmod 755 "$cache" "$cache/$sum" || return 1
	cp "$so" "$cache/$sum/" || return 1
	echo "$cache/$sum/$(basename "$so")"
}

# Find a DPDK tool (dpdk-testpmd, dpdk-proc-info ...) or fail with a hint.
fbnic_dpdk_tool() {
	local t
	t=$(command -v "$1") || {
		echo "$1 not found: install Debian's dpdk package (devtools/setup.sh)" >&2
		return 1
	}
	echo "$t"
}
