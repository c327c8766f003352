#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
#
# testpmd_ieee1588_stamps_ptp_on_a_cable: dpdk-testpmd's ieee1588
# forwarding between two model ports cabled together (wire=peer). The
# ieee1588 engine sends every PTP Sync back out of the port it came in on,
# so one Sync on the cable goes back and forth between the two ports, each
# time stamped on Rx and on Tx. testpmd cannot build a PTP frame: a net_pcap
# port (port 0) reads one from a pcap file, and io forwarding on ports 0
# and 1 puts it on the cable, into port 2, which is not polled yet
# (--no-flush-rx keeps it there). Port 2 has the Rx timestamp offload, so
# the frame waiting there was stamped on arrival.
# Then ieee1588 forwarding runs on ports 1 and 2 for a second. Claims:
#   - both cabled ports report the Sync "filtered by hardware", print an Rx
#     timestamp and a Tx timestamp validated by the driver, many times;
#   - no "not timestamped", "RX timestamp registers not valid" or "not
#     filtered" line; at most one Tx stamp in 20 later than testpmd's 1 ms;
#   - each port's Rx timestamps increase.
# The ieee1588 mode exists only in a testpmd built with -DRTE_LIBRTE_IEEE1588,
# which Debian's is not: devtools/testpmd-ieee1588.sh builds one (once) from
# Debian's source package of the installed DPDK. FBNIC_TESTPMD names another
# testpmd. The test is skipped (77) when neither can be had and testpmd
# refuses the mode (test_timesync's ieee1588_echo_on_a_cable checks the
# same through ethdev).
# Usage: testpmd_ieee1588_stamps_ptp_on_a_cable.sh <path to librte_net_fbnic.so>

set -u
here=$(dirname "$(readlink -f "$0")")
. "$here/../../devtools/fbnic-env.sh"

plugin=$(fbnic_safe_plugin "$1") || exit 1
if [ -z "${FBNIC_TESTPMD:-}" ]; then
	FBNIC_TESTPMD=$("$here/../../devtools/testpmd-ieee1588.sh") || FBNIC_TESTPMD=dpdk-testpmd
fi
testpmd=$(fbnic_dpdk_tool "$FBNIC_TESTPMD") || exit 1
fbnic_dpdk_cmd testpmd_cmd "$testpmd"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=$work/out

# One PTPv2 Sync to 01:1b:19:00:00:00 (IEEE 1588 annex F), padded to 60 bytes.
python3 - "$work/sync.pcap" <<'PY'
import struct, sys
frame = bytes.fromhex('011b19000000' '02fb4e0000aa') + struct.pack('!H', 0x88f7)
ptp = bytearray(44)
ptp[0] = 0x00			# transportSpecific 0, messageType Sync
ptp[1] = 0x02			# versionPTP 2
ptp[2:4] = struct.pack('!H', 44)
frame += bytes(ptp)
frame += bytes(60 - len(frame))
with open(sys.argv[1], 'wb') as f:
    f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    f.write(struct.pack('<IIII', 1, 0, len(frame), len(frame)) + frame)
PY

# testpmd runs on a pty (testpmd_pty.py): each step waits for what testpmd
# prints, bounded in time, so a loaded machine only makes it slower.
python3 - "$out" "${testpmd_cmd[@]}" -l 0-1 --no-huge -m 512 --no-shconf --no-pci \
	--file-prefix=fbnic_ieee1588 -d "$plugin" \
	--vdev "net_pcap0,rx_pcap=$work/sync.pcap,tx_pcap=$work/tx.pcap" \
	--vdev net_fbnic_model1,wire=peer:net_fbnic_model2 \
	--vdev net_fbnic_model2 \
	--log-level=lib.eal:warning \
	-- -i --no-flush-rx --total-num-mbufs=8192 <<PY
import sys
sys.path.insert(0, "$here")
from testpmd_pty import Testpmd, PROMPT


def step(what, ok):
    if not ok:
        print("step failed: " + what)
        tp.quit(30)
        sys.exit(3)


tp = Testpmd(sys.argv[2:], sys.argv[1])
step("first prompt", tp.expect(PROMPT, 120))
# Port 2 stamps what it receives from its start on.
for c in ("port stop 2", "port config 2 rx_offload timestamp on", "port start 2",
          "set portlist 0,1", "set fwd io", "start"):
    step(c, tp.cmd(c) is not None)
# The Sync from the pcap port goes to port 1 and over the cable to port 2,
# which is not polled: it waits there.
step("port 1 sends the Sync", tp.poll("show port stats 1", r"TX-packets:\s+[1-9]", 30))
for c in ("stop", "set portlist 1,2"):
    step(c, tp.cmd(c) is not None)
out = tp.cmd("set fwd ieee1588")
step("set fwd ieee1588", out is not None)
if "Bad arguments" in out:
    tp.quit(60)
    sys.exit(77)
# From here on forwarding prints line after line, the prompt among them.
mark = len(tp.text)
step("start", tp.cmd("start", until=r"^ieee1588 packet forwarding") is not None)
for p in (1, 2):
    tp.count_at_least(r"^Port %d TX timestamp value" % p, 20, 30, mark)
step("stop", tp.cmd("stop", until=r"^Done\\.") is not None)
rc = tp.quit(60)
sys.exit(4 if rc is None else rc)
PY
rc=$?

fail=0
bad() {
	echo "FAIL: $*"
	fail=1
}

if [ $rc -eq 77 ]; then
	echo "SKIP: $testpmd has no ieee1588 forwarding (built without RTE_LIBRTE_IEEE1588)"
	exit 77
fi
[ $rc -eq 0 ] || bad "testpmd exited with $rc"
for p in 1 2; do
	sync=$(grep -c "^Port $p IEEE1588 PTP V2 SYNC Message filtered by hardware" "$out")
	rx=$(grep -c "^Port $p RX timestamp value [0-9]* s [0-9]* ns" "$out")
	tx=$(grep -c "^Port $p TX timestamp value [0-9]* s [0-9]* ns validated" "$out")
	[ "$sync" -ge 10 ] || bad "port $p: $sync PTP Sync received (at least 10 expected)"
	[ "$rx" -ge 10 ] || bad "port $p: $rx Rx timestamps printed"
	[ "$tx" -ge 10 ] || bad "port $p: $tx Tx timestamps printed"
	# Rx timestamps of one port only go forward.
	grep "^Port $p RX timestamp value [0-9]* s [0-9]* ns$" "$out" | awk -v p=$p '
		{ t = $6 * 1000000000 + $8; if (NR > 1 && t <= last) { bad = 1 }; last = t }
		END { if (bad) { print "FAIL: port " p ": Rx timestamps not increasing"; exit 1 } }' ||
		fail=1
	# testpmd waits 1 ms for a Tx stamp: a busy host may miss a few.
	late=$(grep -c "^Port $p TX timestamp registers not valid" "$out")
	[ $((late * 20)) -le "$tx" ] || bad "port $p: $late Tx stamps later than 1 ms, $tx in time"
done
for msg in "not timestamped" "RX timestamp registers not valid" "not filtered by hardware" \
	"incorrectly detected"; do
	! grep -q "$msg" "$out" || bad "testpmd says: $(grep -m1 "$msg" "$out")"
done

if [ $fail -ne 0 ]; then
	echo "--- testpmd output (first 20 and last 60 lines) ---"
	head -n 20 "$out"
	echo "[...]"
	tail -n 60 "$out"
	exit 1
fi
echo "PASS: ieee1588 forwarding on the cable:" \
	"$(grep -c '^Port 1 RX timestamp' "$out") Rx stamps on port 1," \
	"$(grep -c '^Port 2 RX timestamp' "$out") on port 2," \
	"$(grep -c 'TX timestamp value' "$out") Tx stamps validated"
grep -m2 'timestamp value' "$out"
