#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
"""The host end of a guest port that forwards every frame back (testpmd io
forwarding with --port-topology=loop).

    frame_echo.py IFNAME COUNT DST_MAC [RUN]

Sends COUNT frames of ethertype 0x88b5 (local experimental) into IFNAME,
paced in bursts of 32, each with a sequence number, and counts the frames
of this run that come back. Prints one line:

    sent N bytes B received N bytes B duplicates D foreign F

(bytes without FCS) and exits 0 when every frame came back exactly once.
Bounded: at most 10 s of waiting after the last frame.
"""

import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
ETHERTYPE = 0x88B5
MAGIC = b"fbnicvm!"
PACKET_OUTGOING = 4


def frame(dst, src, run, seq):
    # Three sizes: byte counts then check more than a frame count.
    pad = (0, 40, 400)[seq % 3]
    body = MAGIC + struct.pack("!HI", run, seq) + bytes(32 + pad)
    return dst + src + struct.pack("!H", ETHERTYPE) + body


def main():
    if len(sys.argv) < 4:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    ifname, count = sys.argv[1], int(sys.argv[2])
    dst = bytes.fromhex(sys.argv[3].replace(":", ""))
    run = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((ifname, 0))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    src = s.getsockname()[4]
    seen = {}
    sent_bytes = 0
    foreign = 0

    def drain(deadline):
        nonlocal foreign
        while time.monotonic() < deadline and len(seen) < count:
            s.settimeout(max(0.001, deadline - time.monotonic()))
            try:
                data, addr = s.recvfrom(65536)
            except socket.timeout:
                return
            if addr[2] == PACKET_OUTGOING:
                continue
            off = 14
            if data[12:14] != struct.pack("!H", ETHERTYPE) or \
                    data[off:off + len(MAGIC)] != MAGIC:
                foreign += 1
                continue
            r, seq = struct.unpack("!HI", data[off + len(MAGIC):off + len(MAGIC) + 6])
            if r != run:
                foreign += 1
                continue
            seen.setdefault(seq, [0, len(data)])[0] += 1

    for first in range(0, count, 32):
        for seq in range(first, min(count, first + 32)):
            f = frame(dst, src, run, seq)
            s.send(f)
            sent_bytes += len(f)
        drain(time.monotonic() + 0.02)
    end = time.monotonic() + 10
    while len(seen) < count and time.monotonic() < end:
        drain(end)
    # Late duplicates.
    drain(time.monotonic() + 0.5)
    got = sum(n for n, _ in seen.values())
    got_bytes = sum(n * size for n, size in seen.values())
    dups = got - len(seen)
    print("sent %d bytes %d received %d bytes %d duplicates %d foreign %d" %
          (count, sent_bytes, got, got_bytes, dups, foreign))
    return 0 if len(seen) == count and dups == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
