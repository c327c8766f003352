#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
#
# The Linux fbnic driver binds to the model, completes the firmware mailbox
# handshake, keeps the heartbeat going, creates eth0 with the MAC derived
# from the DSN, reports the model's firmware version and brings the link up
# at the speed of the configured link mode.

set -euo pipefail
source "$(dirname "$0")/vm_lib.sh"
vm_setup
# DSN 02:a1:b2:ff:fe:c3:d4:e5 -> MAC 02:a1:b2:c3:d4:e5 (fbnic_hw.rst 1);
# firmware 1.2.3.4 -> "01.02.03-004"; link mode 2 = 50G-CR2.
vm_run "$vm_here/guest_probe.sh" 400 -- --dsn 0x02a1b2fffec3d4e5 --fw-version 0x01020304 \
	--link-mode 2 --wire loopback
grep -q "^FAIL" "$VM_OUT/console.log" && vm_fail "guest checks failed"
grep -q "^PASS: heartbeat" "$VM_OUT/console.log" || vm_fail "guest did not finish"
echo "vm-test: probe OK"
