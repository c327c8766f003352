#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
"""The far end of two model ports wired to veth pairs (wire=afpacket).

Sends count UDP/IPv4 frames into each of two interfaces (the veth ends
facing the model ports) and counts, on the other interface, the frames of
this run that come back forwarded, by the sequence number in their
payload. Used by dpdk_example_forwards_frames.sh.

    frame_peer.py IF0 IF1 COUNT DST_IP_VIA_0 DST_IP_VIA_1 [WAIT_S]
    frame_peer.py --send IF COUNT DST_IP TAG

A frame sent into IF0 goes to DST_IP_VIA_0 (a forwarding application then
sends it out of its other port, to IF1), and one sent into IF1 to
DST_IP_VIA_1. Prints "sent A B received A B" (per direction) and exits 0
when every frame came back exactly once, 1 otherwise. With --send, COUNT
frames go into IF only, to DST_IP from source MAC 02:aa:00:00:00:TAG (for
applications that receive and print, such as flow_filtering).
"""

import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
MAGIC = b"fbnicex!"


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def frame(src_ip, dst_ip, direction, seq, run, tag=1):
    payload = MAGIC + struct.pack("!BIH", direction, seq, run) + bytes(32)
    udp = struct.pack("!HHHH", 4000 + direction, 5000, 8 + len(payload), 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), seq & 0xffff, 0x4000, 64, 17,
                     0, socket.inet_aton(src_ip), socket.inet_aton(dst_ip))
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    # The model port's own address (model0 ...01, model1 ...02).
    eth = bytes.fromhex("02fb4e00000%d" % (1 + direction)) + bytes.fromhex("02aa000000%02x" % tag)
    eth += b"\x08\x00"
    return eth + ip + udp


def parse(data, run):
    """(direction, seq) of one of this run's frames, or None."""
    if len(data) < 14 + 20 + 8 + len(MAGIC) + 7 or data[12:14] != b"\x08\x00":
        return None
    ihl = (data[14] & 0xf) * 4
    p = data[14 + ihl + 8:]
    if not p.startswith(MAGIC):
        return None
    direction, seq, r = struct.unpack("!BIH", p[len(MAGIC):len(MAGIC) + 7])
    return (direction, seq) if r == run else None


def send_only(name, count, dst_ip, tag):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((name, 0))
    for seq in range(count):
        s.send(frame("198.18.10.2", dst_ip, 0, seq, 0, tag))
        if seq % 16 == 15:
            time.sleep(0.002)
    print("sent %d" % count)
    return 0


def main():
    if len(sys.argv) == 6 and sys.argv[1] == "--send":
        return send_only(sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5], 16))
    if len(sys.argv) < 6:
        print(__doc__)
        return 2
    ifs = sys.argv[1:3]
    count = int(sys.argv[3])
    dst = sys.argv[4:6]
    wait_s = float(sys.argv[6]) if len(sys.argv) > 6 else 10.0
    run = int(time.time() * 1000) & 0xffff
    socks = []
    for name in ifs:
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        s.bind((name, 0))
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
        s.setblocking(False)
        socks.append(s)
    seen = [set(), set()]
    dup = 0

    def drain():
        nonlocal dup
        for i, s in enumerate(socks):
            while True:
                try:
                    data, addr = s.recvfrom(4096)
                except BlockingIOError:
                    break
                if addr[2] == socket.PACKET_OUTGOING:
                    continue
                got = parse(data, run)
                # A frame of direction d comes back on the other interface.
                if got is None or got[0] != 1 - i:
                    continue
                if got[1] in seen[got[0]]:
                    dup += 1
                seen[got[0]].add(got[1])

    sent = [0, 0]
    for seq in range(count):
        for d in (0, 1):
            socks[d].send(frame("198.18.%d.2" % (10 + d), dst[d], d, seq, run))
            sent[d] += 1
        if seq % 16 == 15:
            drain()
            time.sleep(0.002)
    deadline = time.time() + wait_s
    while time.time() < deadline and (len(seen[0]) < count or len(seen[1]) < count):
        drain()
        time.sleep(0.01)
    time.sleep(0.2)
    drain()
    print("sent %d %d received %d %d duplicates %d" % (sent[0], sent[1], len(seen[0]),
                                                       len(seen[1]), dup))
    return 0 if len(seen[0]) == count and len(seen[1]) == count and dup == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
