#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
#
# testpmd_shows_module_eeprom: "show port N module_eeprom" (the command's
# name in DPDK 22.11, 24.11 and 25.11) prints the model's QSFP28 module:
#   - 640 bytes (SFF-8636 page 0 and upper pages 1 to 3);
#   - byte 0 and byte 128 hold the identifier 0x11 (QSFP28);
#   - bytes 148..163 spell the vendor name "FBNIC MODEL";
#   - bytes 191 and 223 are the check codes CC_BASE and CC_EXT of the
#     bytes printed before them;
#   - the port forwards frames afterwards.
# Usage: testpmd_shows_module_eeprom.sh <path to librte_net_fbnic.so>

set -u
here=$(dirname "$(readlink -f "$0")")
. "$here/../../devtools/fbnic-env.sh"

plugin=$(fbnic_safe_plugin "$1") || exit 1
testpmd=$(fbnic_dpdk_tool dpdk-testpmd) || exit 1
fbnic_dpdk_cmd testpmd_cmd "$testpmd"
out=$(mktemp)
trap 'rm -f "$out"' EXIT

fbnic_testpmd_script "$out" "${testpmd_cmd[@]}" -l 0-1 --no-huge -m 512 --no-shconf --no-pci \
	--file-prefix=fbnic_module_eeprom -d "$plugin" \
	--vdev net_fbnic_model0,wire=loopback \
	--log-level=lib.eal:warning \
	-- -i --total-num-mbufs=4096 <<'EOF'
show port 0 module_eeprom
start tx_first
@until 30 RX-packets:\s+[1-9] :: show port stats 0
stop
EOF
rc=$?

fail=0
bad() {
	echo "FAIL: $*"
	fail=1
}
[ $rc -eq 0 ] || bad "testpmd exited with $rc"

# rte_hexdump lines: "00000010: 11 08 00 ..." -> one byte per line, in order.
mapfile -t bytes < <(awk '
	/^[0-9A-F][0-9A-F]*: / { for (i = 2; i <= NF && $i != "|"; i++) print toupper($i) }' "$out")
[ "${#bytes[@]}" -eq 640 ] || bad "${#bytes[@]} bytes printed, expected 640"
if [ "${#bytes[@]}" -ge 224 ]; then
	[ "${bytes[0]}" = 11 ] || bad "identifier 0x${bytes[0]}, expected 0x11 (QSFP28)"
	[ "${bytes[128]}" = 11 ] || bad "upper page 0 identifier 0x${bytes[128]}"
	name=""
	for ((i = 148; i < 164; i++)); do
		name+=$(printf "\\x${bytes[i]}")
	done
	[ "$name" = "FBNIC MODEL     " ] || bad "vendor name '$name'"
	sum() {
		local s=0 j
		for ((j = $1; j <= $2; j++)); do
			s=$(( (s + 16#${bytes[j]}) & 0xff ))
		done
		printf "%02X" "$s"
	}
	[ "$(sum 128 190)" = "${bytes[191]}" ] ||
		bad "CC_BASE 0x${bytes[191]}, the bytes add up to 0x$(sum 128 190)"
	[ "$(sum 192 222)" = "${bytes[223]}" ] ||
		bad "CC_EXT 0x${bytes[223]}, the bytes add up to 0x$(sum 192 222)"
fi
rx=$(awk '/Forward statistics for port 0/ { f = 1 } f && /RX-packets:/ { print $2; exit }' "$out")
[ "${rx:-0}" -gt 0 ] || bad "port 0 received no frame after the EEPROM read"

if [ $fail -ne 0 ]; then
	echo "--- testpmd output ---"
	cat "$out"
	exit 1
fi
echo "PASS: 640 module bytes, QSFP28 '$name', check codes right, $rx frames after"
