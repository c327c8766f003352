#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
#
# The kernel's own NIC selftests (tools/testing/selftests/drivers/net of
# linux-source) on the Linux fbnic driver and the model: eth0 is the device
# under test, eth1 (a second fbnic of the same server, wired to the first)
# is the remote end in a network namespace. Which tests run and what they
# must show: doc/guides/nics/fbnic_model.rst, "Virtual machine".

set -euo pipefail
source "$(dirname "$0")/vm_lib.sh"
vm_setup
vm_run "$vm_here/guest_selftests.sh" 2400 --peer || true
st=$VM_OUT/selftests.txt
[ -f "$st" ] || vm_fail "guest did not run the selftests"
cat "$st" >&2
grep -q "^FAIL" "$VM_OUT/console.log" && vm_fail "guest set-up failed"
# The serial console ends lines with CR LF.
ok() {
	tr -d '\r' <"$VM_OUT/console.log" | grep -q "^ok [0-9]* $1\$" ||
		vm_fail "selftest $1 did not pass"
}
grep -q "^stats.py rc=0 " "$st" || vm_fail "stats.py failed"
ok ping.test_default_v4
ok ping.test_default_v6
grep -q "^hw/csum.py rc=0 " "$st" || vm_fail "hw/csum.py failed"
echo "vm-test: kernel selftests OK"
