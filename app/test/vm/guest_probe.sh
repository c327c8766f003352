#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
#
# Guest part of vm_probe.sh.
. /mnt/guest_lib.sh

drv=$(basename "$(readlink /sys/bus/pci/devices/$PCI/driver 2>/dev/null)")
check "driver fbnic bound to $PCI (got '$drv')" [ "$drv" = fbnic ]
check "PCI ID 1d9b:0013" [ "$(cat /sys/bus/pci/devices/$PCI/vendor):$(cat /sys/bus/pci/devices/$PCI/device)" = 0x1d9b:0x0013 ]
dmesg | grep -i fbnic
check "no mailbox or firmware error at probe" \
	sh -c '! dmesg | grep -E "fbnic [0-9a-f:.]+:.*(did not enter ready|timed out|[Ff]ailed|crash|rror)"'
mac=$(cat /sys/class/net/$IF/address 2>/dev/null)
check "MAC from the DSN: $mac" [ "$mac" = 02:a1:b2:c3:d4:e5 ]
ethtool -i $IF
fw=$(ethtool -i $IF | awk '/^firmware-version:/ {print $2}')
check "firmware version $fw" sh -c "case '$fw' in 01.02.03-004*) true ;; *) false ;; esac"
check "link up within 30 s" link_up 30
speed=$(cat /sys/class/net/$IF/speed 2>/dev/null)
check "speed of link mode 50G-CR2: $speed" [ "$speed" = 50000 ]
ethtool $IF | grep -E "Speed|Lanes|Duplex|Link detected"
check "ownership taken: open succeeded" sh -c "ip link show $IF | grep -q 'state UP'"
# Heartbeat every 10 s (fbnic_hw.rst 6.7): after 25 s the fw health reporter is clean.
sleep 25
devlink health show pci/$PCI reporter fw 2>&1 | tee /tmp/health
check "heartbeat: firmware health reporter has no error after 25 s" \
	grep -q "error 0" /tmp/health
check "link still up after 25 s" [ "$(cat /sys/class/net/$IF/carrier)" = 1 ]
ip link set $IF down
check "no firmware error after close (ownership release)" \
	sh -c '! dmesg | grep -E "fbnic [0-9a-f:.]+:.*(timed out|crash|[Ff]ailed|rror)"'
finish
