#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
#
# Guest part of vm_faults.sh.
. /mnt/guest_lib.sh
PCI_DEV=pci/$PCI
carrier() { cat /sys/class/net/$IF/carrier 2>/dev/null; }
# The count of the fw reporter ("state error error 2": the number after "error").
fw_errors() {
	devlink health show $PCI_DEV reporter fw | grep -o 'error [0-9][0-9]*' | awk '{print $2}' |
		head -n 1
}

# No "Firmware did not respond to heartbeat message" in the last 20 s.
no_recent_miss() {
	local now last
	now=$(cut -d. -f1 /proc/uptime)
	last=$(dmesg | grep "did not respond to heartbeat" | tail -n 1 |
		sed 's/^\[ *\([0-9]*\)\..*/\1/')
	[ -z "$last" ] || [ $((last + 20)) -lt "$now" ]
}

ip addr add 192.168.77.1/24 dev $IF
check "link up" link_up 30

# Loss of signal: the PCS drops the link, Linux reports it, and back.
check "fault link_down on" host_do fault.link_down.on
check "carrier lost within 15 s" wait_for "[ \"\$(cat /sys/class/net/$IF/carrier)\" = 0 ]" 15
check "Linux logged 'Link is Down'" sh -c "dmesg | grep -q 'eth0: Link is Down'"
check "fault link_down off" host_do fault.link_down.off
check "carrier back within 30 s" link_up 30
check "Linux logged 'Link is Up' again" \
	sh -c "[ \$(dmesg | grep -c 'eth0: Link is Up') -ge 2 ]"
check "ping after the link came back" ping -c 3 -i 0.2 -W 2 192.168.77.2

# Firmware that completes every request with an error: no heartbeat reply,
# Linux's health check reports a firmware crash through devlink.
e0=$(fw_errors)
check "fault fw_error_replies on" host_do fault.fw_error_replies.on
for _ in $(seq 40); do
	[ "$(fw_errors)" -gt "${e0:-0}" ] && break
	sleep 1
done
e1=$(fw_errors)
devlink health show $PCI_DEV reporter fw
dmesg | grep -E "fbnic [0-9a-f:.]+:" | tail -n 8
check "firmware fault reported by devlink health (errors $e0 -> $e1)" [ "${e1:-0}" -gt "${e0:-0}" ]
check "fault fw_error_replies off" host_do fault.fw_error_replies.off
# A recovery attempted while the fault was still on fails and is retried
# (one more report); once it succeeds the count stays put.
sleep 25
e2=$(fw_errors)
sleep 20
e3=$(fw_errors)
info "fw errors after the fault: $e1, +25 s $e2, +45 s $e3"
check "healthy again: no new firmware error for 20 s ($e2 -> $e3)" [ "$e3" = "$e2" ]
check "heartbeat answered again: no 'did not respond' in the last 20 s" no_recent_miss
check "link up after firmware recovery" link_up 30
check "ping after firmware recovery" ping -c 3 -i 0.2 -W 2 192.168.77.2

# The fw reporter's dump is the firmware's coredump, read over the mailbox
# in TLV_MAX_DATA pieces; the model's starts with "FBMCORE1".
devlink health dump clear $PCI_DEV reporter fw 2>/dev/null
devlink health dump show $PCI_DEV reporter fw >/tmp/dump.txt 2>&1
info "fw coredump: $(wc -c </tmp/dump.txt) bytes of devlink output: $(head -c 120 /tmp/dump.txt | tr -s ' \n' ' ')"
check "devlink fw dump holds the firmware coredump" \
	sh -c "tr -d ' \n\t' </tmp/dump.txt | grep -qi 46424d434f524531"

# A silent firmware (no ready signal, no replies): note what Linux does.
check "fault fw_silent on" host_do fault.fw_silent.on
sleep 25
info "fw_silent 25 s: $(devlink health show $PCI_DEV reporter fw | tr -s ' \n' ' ')"
dmesg | grep -E "fbnic [0-9a-f:.]+:" | tail -n 5
check "fault fw_silent off" host_do fault.fw_silent.off
pass "faults done"
finish
