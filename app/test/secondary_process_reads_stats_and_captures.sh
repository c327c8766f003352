#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
#
# test_secondary_process_reads_stats_and_captures: a dpdk-testpmd primary
# (hugepages, shared configuration) forwards frames on a model port with a
# loopback wire. Secondary processes attached to it:
#   - dpdk-proc-info --stats reports the port's non-zero packet counters;
#   - dpdk-proc-info --xstats reports the hardware counters by name, the
#     MAC frame counters non-zero (published by the primary in shared memory:
#     a secondary never touches the device);
#   - dpdk-proc-info --show-port --firmware-version --show-rss-reta report
#     the firmware version, the 54-byte RSS key and the 256-entry RETA;
#   - dpdk-dumpcap captures frames of the port into a pcapng file.
# Skipped (exit 77) without free hugepages.
# Usage: secondary_process_reads_stats_and_captures.sh <path to librte_net_fbnic.so>

set -u
here=$(dirname "$(readlink -f "$0")")
. "$here/../../devtools/fbnic-env.sh"

free=$(awk '/HugePages_Free/ { print $2 }' /proc/meminfo)
if [ "${free:-0}" -lt 256 ] || ! grep -qs hugetlbfs /proc/mounts; then
	echo "SKIP: needs 256 free 2 MiB hugepages (devtools/setup.sh)"
	exit 77
fi

plugin=$(fbnic_safe_plugin "$1") || exit 1
testpmd=$(fbnic_dpdk_tool dpdk-testpmd) || exit 1
procinfo=$(fbnic_dpdk_tool dpdk-proc-info) || exit 1
dumpcap=$(command -v dpdk-dumpcap || true)
fbnic_dpdk_cmd testpmd_cmd "$testpmd"
# Under LeakSanitizer (meson.build), the secondaries are not checked for leaks:
# DPDK 22.11's vdev bus leaks, in a secondary, the rte_devargs of each vdev it
# learns from the primary (136 bytes and their empty argument string), and
# Debian's dpdk-dumpcap its own EAL arguments. The primary is checked.
fbnic_dpdk_cmd --no-leak-check procinfo_cmd "$procinfo"

prefix=fbnic_pinfo_$$
work=$(mktemp -d)
fifo=$work/cmd
mkfifo "$fifo"
pid=
cleanup() {
	exec 3>&- 2>/dev/null
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill "$pid" 2>/dev/null
		sleep 1
		kill -9 "$pid" 2>/dev/null
	fi
	rm -rf "$work"
	rm -rf "/var/run/dpdk/$prefix" 2>/dev/null
	# The primary keeps its hugepage files for secondaries: free them.
	rm -f /dev/hugepages/"$prefix"map_* 2>/dev/null
}
trap cleanup EXIT

fail=0
bad() {
	echo "FAIL: $*"
	fail=1
}

# The primary reads its commands from the fifo, kept open on fd 3.
timeout 120 "${testpmd_cmd[@]}" -l 0-1 -m 256 --file-prefix="$prefix" --no-pci -d "$plugin" \
	--vdev net_fbnic_model0,wire=loopback --log-level=lib.eal:warning \
	-- -i --total-num-mbufs=4096 <"$fifo" >"$work/testpmd.out" 2>&1 &
pid=$!
exec 3>"$fifo"

for _ in $(seq 1 300); do
	grep -q "testpmd>" "$work/testpmd.out" && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.1
done
grep -q "testpmd>" "$work/testpmd.out" || { bad "testpmd did not come up"; }

# The first burst must not meet a link still training: wait for it (bounded).
for _ in $(seq 1 50); do
	echo "show port info 0" >&3
	sleep 0.2
	grep -q "Link status: up" "$work/testpmd.out" && break
done
grep -q "Link status: up" "$work/testpmd.out" || bad "the link did not come up"

# io forwarding on a loopback wire: the first burst circulates for ever.
echo "start tx_first" >&3
sleep 2

timeout 60 "${procinfo_cmd[@]}" --file-prefix="$prefix" -d "$plugin" \
	--log-level=lib.eal:warning -- --stats >"$work/stats.out" 2>&1 ||
	bad "dpdk-proc-info --stats failed"
timeout 60 "${procinfo_cmd[@]}" --file-prefix="$prefix" -d "$plugin" \
	--log-level=lib.eal:warning -- --xstats >"$work/xstats.out" 2>&1 ||
	bad "dpdk-proc-info --xstats failed"

rxp=$(awk '/RX-packets:/ { print $2; exit }' "$work/stats.out")
txp=$(awk '/TX-packets:/ { print $2; exit }' "$work/stats.out")
[[ "${rxp:-x}" =~ ^[0-9]+$ ]] && [ "$rxp" -gt 0 ] || bad "--stats: RX-packets '$rxp'"
[[ "${txp:-x}" =~ ^[0-9]+$ ]] && [ "$txp" -gt 0 ] || bad "--stats: TX-packets '$txp'"

timeout 60 "${procinfo_cmd[@]}" --file-prefix="$prefix" -d "$plugin" \
	--log-level=lib.eal:warning -- --show-port --firmware-version --show-rss-reta \
	>"$work/show.out" 2>&1 ||
	bad "dpdk-proc-info --show-port failed"
grep -q "firmware version: 25.5.7.0" "$work/show.out" || bad "--firmware-version: no version"
grep -q "key len : 54" "$work/show.out" || bad "--show-port: RSS key length not 54"
reta=$(grep -c "RSS RETA configuration: hash index=" "$work/show.out")
[ "$reta" = 256 ] || bad "--show-rss-reta: $reta entries, expected 256"

hw_rx=$(awk '$1 == "mac_rx_ok_frames:" { print $2; exit }' "$work/xstats.out")
hw_tx=$(awk '$1 == "mac_tx_ok_frames:" { print $2; exit }' "$work/xstats.out")
[[ "${hw_rx:-x}" =~ ^[0-9]+$ ]] && [ "$hw_rx" -gt 0 ] || bad "--xstats: mac_rx_ok_frames '$hw_rx'"
[[ "${hw_tx:-x}" =~ ^[0-9]+$ ]] && [ "$hw_tx" -gt 0 ] || bad "--xstats: mac_tx_ok_frames '$hw_tx'"
grep -q "rx_q0_packets" "$work/xstats.out" || bad "--xstats: no per-queue counters"

if [ -n "$dumpcap" ]; then
	# dumpcap has no -d: the plugin is preloaded so the secondary knows the port.
	# Mempool drivers register in load order and the primary uses dumpcap's
	# mempool by ops index: preload the ones testpmd links, in its order.
	pools=$(ldd "$testpmd" | awk '$3 ~ /librte_mempool_/ { printf "%s ", $3 }')
	# shellcheck disable=SC2086 # the libraries are words
	fbnic_dpdk_cmd --no-eal --no-leak-check dumpcap_cmd "$dumpcap" $pools "$plugin"
	timeout 60 "${dumpcap_cmd[@]}" --file-prefix="$prefix" -i net_fbnic_model0 \
		-c 16 -a duration:10 -q -w "$work/cap.pcapng" >"$work/dumpcap.out" 2>&1 ||
		bad "dpdk-dumpcap failed"
	size=$(stat -c %s "$work/cap.pcapng" 2>/dev/null || echo 0)
	# pcapng section + interface blocks are ~ 200 bytes; 16 frames of 64 bytes add > 1 KiB.
	[ "$size" -gt 1024 ] || bad "dumpcap wrote $size bytes"
else
	echo "note: dpdk-dumpcap not installed, capture not checked"
fi

echo "stop" >&3
echo "quit" >&3
exec 3>&-
for _ in $(seq 1 200); do
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.1
done
kill -0 "$pid" 2>/dev/null && bad "testpmd did not quit"
wait "$pid" 2>/dev/null
rc=$?
[ "$rc" -eq 0 ] || bad "testpmd exited with $rc"
pid=

if [ $fail -ne 0 ]; then
	for f in testpmd.out stats.out xstats.out show.out dumpcap.out; do
		[ -f "$work/$f" ] || continue
		echo "--- $f ---"
		grep -v -E '^ *(rxb|pcie|tmi|tti|tbi|rpc|fec|pcs)_' "$work/$f" | head -80
	done
	exit 1
fi
echo "PASS: secondary saw RX $rxp / TX $txp packets, MAC RX $hw_rx / TX $hw_tx frames," \
	"dumpcap wrote ${size:-?} bytes"
