# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
#
# Shell helpers shared by the devtools and test scripts (source this file).

fbnic_env_dir=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")

# testpmd -i on a pseudo terminal, typing the script on stdin and waiting
# for each command's prompt (app/test/testpmd_pty.py: its @until, @settle
# and @sleep lines): fbnic_testpmd_script OUT TESTPMD-COMMAND... <SCRIPT.
fbnic_testpmd_script() {
	local out=$1
	shift
	python3 "$fbnic_env_dir/../app/test/testpmd_pty.py" "$out" -- "$@"
}

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
	# A copy a running process maps is never rewritten (SIGBUS there): the
	# same bytes are kept, others come in by rename.
	if ! cmp -s "$so" "$cache/$sum/$(basename "$so")"; then
		cp "$so" "$cache/$sum/.$(basename "$so").$$" &&
			mv -f "$cache/$sum/.$(basename "$so").$$" "$cache/$sum/$(basename "$so")" ||
			return 1
	fi
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

# Set the array VAR to the command running the DPDK application TOOL with
# the LIBRARY files preloaded (for an application that has no -d option):
#   fbnic_dpdk_cmd [--no-eal] [--no-leak-check] VAR TOOL [LIBRARY...]
#   timeout 60 "${VAR[@]}" [EAL arguments] [-- application arguments]
# Under the sanitizers (meson's "sanitize" test setup, see meson.build), the
# command also preloads ASan's runtime, first: Debian's DPDK applications are
# not instrumented, our plugin is. Its first arguments are the EAL arguments
# ASan needs, unless --no-eal (an application taking none, like dpdk-dumpcap).
# --no-leak-check turns LeakSanitizer off, for an application whose own leaks
# are known (say which, where it is used).
fbnic_dpdk_cmd() {
	local _fbnic_eal=1 _fbnic_leaks=1 _fbnic_tool _fbnic_preload
	while [ "${1:-}" = --no-eal ] || [ "${1:-}" = --no-leak-check ]; do
		[ "$1" = --no-eal ] && _fbnic_eal=0
		[ "$1" = --no-leak-check ] && _fbnic_leaks=0
		shift
	done
	local -n _fbnic_cmd=$1
	_fbnic_tool=$2
	shift 2
	_fbnic_preload="$*"
	if [ -n "${FBNIC_SANITIZE_PRELOAD:-}" ]; then
		_fbnic_preload=$FBNIC_SANITIZE_PRELOAD${_fbnic_preload:+ $_fbnic_preload}
	fi
	_fbnic_cmd=()
	[ -z "$_fbnic_preload" ] || _fbnic_cmd=(env LD_PRELOAD="$_fbnic_preload")
	if [ -n "${FBNIC_SANITIZE_PRELOAD:-}" ] && [ "$_fbnic_leaks" = 0 ]; then
		_fbnic_cmd+=(ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0")
	fi
	_fbnic_cmd+=("$_fbnic_tool")
	if [ -n "${FBNIC_SANITIZE_PRELOAD:-}" ] && [ "$_fbnic_eal" = 1 ]; then
		# shellcheck disable=SC2206 # the EAL arguments are words
		_fbnic_cmd+=(${FBNIC_SANITIZE_EAL_ARGS:-})
	fi
}

# Value of "<key>:" in the "NIC statistics for port <port>" block of a
# testpmd output file (show port stats, the last one): fbnic_testpmd_stat FILE PORT KEY.
fbnic_testpmd_stat() {
	awk -v port="$2" -v key="$3:" '
		BEGIN { cur = "none" }
		/NIC statistics for port/ {
			for (i = 1; i < NF; i++)
				if ($i == "port") cur = $(i + 1)
			next
		}
		/^ *#+ *$/ { cur = "none" }
		cur == port {
			for (i = 1; i < NF; i++)
				if ($i == key) v = $(i + 1)
		}
		END { if (v != "") print v }' "$1"
}

# Value of xstat NAME in the "NIC extended statistics for port <port>" block
# (show port xstats): fbnic_testpmd_xstat FILE PORT NAME.
fbnic_testpmd_xstat() {
	awk -v port="$2" -v key="$3:" '
		BEGIN { cur = "none" }
		/NIC extended statistics for port/ {
			for (i = 1; i < NF; i++)
				if ($i == "port") cur = $(i + 1)
			next
		}
		cur == port && $1 == key { v = $2 }
		END { if (v != "") print v }' "$1"
}
