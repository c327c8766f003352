#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
#
# Guest part of vm_selftests.sh: the kernel's NIC selftests
# (tools/testing/selftests/drivers/net) on eth0, with eth1 (a second fbnic
# wired to the first by the model) in namespace "remote" as the peer.
. /mnt/guest_lib.sh
KSFT=/usr/src/linux-source-7.2/tools/testing/selftests

ip netns add remote
ip link set eth1 netns remote
# stats.py takes the link down: IPv6 addresses must survive it for csum.py.
sysctl -qw net.ipv6.conf.eth0.keep_addr_on_down=1
ip netns exec remote sysctl -qw net.ipv6.conf.eth1.keep_addr_on_down=1
# Not 192.0.2.0/24 nor 2001:db8::/64: tso.py puts its tunnels' inner addresses there.
ip addr add 198.51.100.1/24 dev eth0
ip addr add 2001:db8:1::1/64 dev eth0 nodad
ip -n remote addr add 198.51.100.2/24 dev eth1
ip -n remote addr add 2001:db8:1::2/64 dev eth1 nodad
ip -n remote link set lo up
ip -n remote link set eth1 up
check "eth0 link up" link_up 30
check "eth1 (remote) carrier" wait_for "ip netns exec remote cat /sys/class/net/eth1/carrier | grep -q 1" 30
check "ping the remote fbnic" ping -c 3 -W 2 198.51.100.2

export NETIF=eth0 LOCAL_V4=198.51.100.1 REMOTE_V4=198.51.100.2 LOCAL_V6=2001:db8:1::1 \
	REMOTE_V6=2001:db8:1::2 REMOTE_TYPE=netns REMOTE_ARGS=remote
: >/mnt/selftests.txt
# By hand: --file a selftests.list (one test a line, with its options, e.g.
# "hw/rss_ctx.py -t test_rss_context") and selftests.timeout (seconds).
# Each test's whole output is kept in /mnt/selftest.N.log.
if [ -f /mnt/selftests.list ]; then
	cp /mnt/selftests.list /tmp/list
else
	printf '%s\n' ping.py stats.py hw/csum.py hw/tso.py >/tmp/list
fi
limit=$(cat /mnt/selftests.timeout 2>/dev/null || echo 1500)
n=0
while read -r t args; do
	[ -n "$t" ] || continue
	n=$((n + 1))
	info "selftest $t $args"
	# shellcheck disable=SC2086
	(cd "$KSFT/drivers/net/$(dirname "$t")" &&
		timeout "$limit" python3 "./$(basename "$t")" $args) </dev/null >/mnt/selftest.$n.log 2>&1
	rc=$?
	grep -v -E "^(ok|not ok) " /mnt/selftest.$n.log | tail -n 15
	grep -E "^(ok|not ok) " /mnt/selftest.$n.log
	totals=$(grep -E "^# Totals" /mnt/selftest.$n.log | tail -n 1)
	# A case that failed runs once more, alone: these tests time traffic
	# (TCP drain within 10 s, retransmits) that TCG can be too slow for.
	# The test passes if every failed case passes the second time; both
	# results stay in the log and on the console.
	if [ $rc != 0 ]; then
		retried=0
		for c in $(sed -n 's/^not ok [0-9]* \([^ ]*\).*/\1/p' /mnt/selftest.$n.log); do
			info "selftest $t: case $c again"
			# -t takes the case's name without the test's prefix ("tso.").
			# shellcheck disable=SC2086
			(cd "$KSFT/drivers/net/$(dirname "$t")" &&
				timeout "$limit" python3 "./$(basename "$t")" $args -t "${c#*.}") \
				</dev/null >/mnt/selftest.$n.$c.log 2>&1
			grep -E "^(ok|not ok) " /mnt/selftest.$n.$c.log
			# Passed only if the case ran and passed.
			grep -q -E "^ok [0-9]+ $c( |\$)" /mnt/selftest.$n.$c.log || retried=1
		done
		[ $retried = 0 ] && rc=0 && totals="$totals (failed cases passed again alone)"
	fi
	echo "$t rc=$rc $totals" | tee -a /mnt/selftests.txt
done </tmp/list
pass "selftests done"
finish
