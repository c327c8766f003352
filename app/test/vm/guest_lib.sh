# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
#
# Guest side of the vm tests: sourced by the scripts that run in the VM.
# /mnt is the run directory shared with the host.

FAILS=0
IF=${IF:-eth0}
PCI=0000:01:00.0

pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
info() { echo "INFO: $*"; }
check() {
	# check "description" test-args...
	local what=$1
	shift
	if "$@"; then pass "$what"; else fail "$what"; fi
}
finish() {
	echo "INFO: $FAILS failure(s)"
	[ "$FAILS" = 0 ]
	exit $?
}

# Wait up to $2 seconds for command $1 (a string) to succeed.
wait_for() {
	local i
	for i in $(seq "$2"); do
		sh -c "$1" >/dev/null 2>&1 && return 0
		sleep 1
	done
	return 1
}

# Ask the host hook for an action and wait for it (files in /mnt).
host_do() {
	rm -f "/mnt/done.$1"
	: >"/mnt/req.$1"
	wait_for "[ -e /mnt/done.$1 ]" "${2:-60}"
}

link_up() {
	ip link set "$IF" up
	wait_for "[ \"\$(cat /sys/class/net/$IF/carrier 2>/dev/null)\" = 1 ]" "${1:-30}"
}

stat_of() { cat "/sys/class/net/$IF/statistics/$1"; }

# Sum of an ethtool -S counter family (e.g. rx-.*packets) over queues.
ethtool_sum() {
	ethtool -S "$IF" | awk -v re="$1" '$1 ~ re {s += $2} END {print s + 0}'
}
