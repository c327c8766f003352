#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
"""A PTPv2 master for DPDK's ptpclient example, over a veth end (AF_PACKET).

Two-step, layer 2 (IEEE 1588-2008 annex F: Ethernet type 0x88F7 to
01:1B:19:00:00:00), the delay request-response mechanism ptpclient uses:
every round sends Sync, then Follow_Up with the Sync's departure time
(T1), waits for the client's Delay_Req and answers Delay_Resp with its
arrival time (T4). The master's clock is the host's CLOCK_REALTIME; T1 is
read around the Sync's send, T4 is the kernel's receive time of the frame
(SO_TIMESTAMPNS).

    ptp_master.py IFNAME ROUNDS [INTERVAL_S]

Prints one line per round, "round N t1 T1 t4 T4" (ns) or "round N no
Delay_Req", and exits 0 when at least one Delay_Req was answered.
"""

import select
import socket
import struct
import sys
import time

ETH_P_1588 = 0x88F7
PTP_DST = bytes.fromhex("011b19000000")
MASTER_MAC = bytes.fromhex("02aa00000001")
# Clock identity: EUI-64 from the MAC, FF FE in the middle.
CLOCK_ID = MASTER_MAC[:3] + b"\xff\xfe" + MASTER_MAC[3:]
SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)
SCM_TIMESTAMPNS = SO_TIMESTAMPNS

SYNC, DELAY_REQ, FOLLOW_UP, DELAY_RESP = 0x0, 0x1, 0x8, 0x9
CONTROL = {SYNC: 0, DELAY_REQ: 1, FOLLOW_UP: 2, DELAY_RESP: 3}
TWO_STEP = 0x02


def timestamp(ns):
    """PTP Timestamp: 48-bit seconds, 32-bit nanoseconds."""
    sec, nsec = divmod(ns, 1000000000)
    return struct.pack("!HII", sec >> 32, sec & 0xffffffff, nsec)


def header(msg_type, length, seq, flags=0):
    return struct.pack("!BBHBBBBqI8sHHBb", msg_type, 2, length, 0, 0, flags, 0, 0, 0,
                       CLOCK_ID, 1, seq, CONTROL[msg_type], 0)


def message(msg_type, seq, body, flags=0):
    length = 34 + len(body)
    return PTP_DST + MASTER_MAC + struct.pack("!H", ETH_P_1588) + \
        header(msg_type, length, seq, flags) + body


def wait_delay_req(s, seq, timeout_s):
    """(T4 in ns, requesting port identity) of the client's Delay_Req, or None."""
    deadline = time.monotonic() + timeout_s
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        r, _, _ = select.select([s], [], [], left)
        if not r:
            return None
        data, cmsgs, _, addr = s.recvmsg(2048, socket.CMSG_SPACE(16))
        if addr[2] == socket.PACKET_OUTGOING or len(data) < 14 + 34:
            continue
        if data[12:14] != struct.pack("!H", ETH_P_1588) or (data[14] & 0xf) != DELAY_REQ:
            continue
        if struct.unpack("!H", data[14 + 30:14 + 32])[0] != seq:
            continue
        t4 = None
        for level, kind, val in cmsgs:
            if level == socket.SOL_SOCKET and kind == SCM_TIMESTAMPNS:
                sec, nsec = struct.unpack("qq", val[:16])
                t4 = sec * 1000000000 + nsec
        if t4 is None:
            t4 = time.clock_gettime_ns(time.CLOCK_REALTIME)
        return t4, data[14 + 20:14 + 30]


def main():
    ifname, rounds = sys.argv[1], int(sys.argv[2])
    interval = float(sys.argv[3]) if len(sys.argv) > 3 else 0.1
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_1588))
    s.bind((ifname, ETH_P_1588))
    s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    answered = 0
    for seq in range(rounds):
        sync = message(SYNC, seq, timestamp(0), TWO_STEP)
        before = time.clock_gettime_ns(time.CLOCK_REALTIME)
        s.send(sync)
        after = time.clock_gettime_ns(time.CLOCK_REALTIME)
        t1 = (before + after) // 2
        s.send(message(FOLLOW_UP, seq, timestamp(t1)))
        got = wait_delay_req(s, seq, 0.5)
        if got is None:
            print("round %d no Delay_Req" % seq, flush=True)
        else:
            t4, port_identity = got
            s.send(message(DELAY_RESP, seq, timestamp(t4) + port_identity))
            answered += 1
            print("round %d t1 %d t4 %d" % (seq, t1, t4), flush=True)
        time.sleep(interval)
    return 0 if answered > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
