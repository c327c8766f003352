#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
#
# Guest helper of vm_ethtool.sh.
#   rss_check.py qstats IFINDEX          per-queue rx packets, "queue packets" lines
#   rss_check.py gso IFINDEX             tx-hw-gso-wire-packets (frames TSO made)
#   rss_check.py expect IF SRC SPORT DST PORT0 NPORTS
#                                        Toeplitz queue of each UDP flow from the
#                                        key and table ethtool -x reports, as
#                                        "queue count" lines
import ipaddress
import json
import subprocess
import sys

YNL = "/usr/src/linux-source-7.2/tools/net/ynl/pyynl/cli.py"
SPEC = "/usr/src/linux-source-7.2/Documentation/netlink/specs/netdev.yaml"


def qstats_get(ifindex, scope):
    out = subprocess.run(["python3", YNL, "--spec", SPEC, "--no-schema", "--output-json",
                          "--dump", "qstats-get", "--json",
                          json.dumps({"ifindex": ifindex, "scope": scope})],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def gso(ifindex):
    print(sum(q.get("tx-hw-gso-wire-packets", 0) for q in qstats_get(ifindex, "queue")
              if q.get("queue-type") == "tx"))


def qstats(ifindex):
    for q in qstats_get(ifindex, "queue"):
        if q.get("queue-type") == "rx":
            print(q["queue-id"], q.get("rx-packets", 0))


def rxfh(ifname):
    out = subprocess.run(["ethtool", "-x", ifname], check=True, capture_output=True,
                         text=True).stdout
    table, key, in_key = [], [], False
    for line in out.splitlines():
        line = line.strip()
        if line.startswith("RSS hash key"):
            in_key = True
            continue
        if in_key:
            if not line or line.startswith("RSS hash function"):
                in_key = False
                continue
            key += [int(b, 16) for b in line.split(":")]
            continue
        if ":" in line and line.split(":")[0].strip().isdigit():
            table += [int(v) for v in line.split(":")[1].split()]
    return table, bytes(key)


def toeplitz(key, data):
    kbits = int.from_bytes(key, "big")
    klen = len(key) * 8
    h = 0
    for i, byte in enumerate(data):
        for b in range(8):
            if byte & (0x80 >> b):
                pos = i * 8 + b
                h ^= (kbits >> (klen - 32 - pos)) & 0xffffffff
    return h


def expect(ifname, src, sport, dst, port0, nports):
    table, key = rxfh(ifname)
    counts = {}
    for port in range(port0, port0 + nports):
        data = (ipaddress.IPv4Address(src).packed + ipaddress.IPv4Address(dst).packed +
                sport.to_bytes(2, "big") + port.to_bytes(2, "big"))
        q = table[toeplitz(key, data) % len(table)]
        counts[q] = counts.get(q, 0) + 1
    for q in sorted(counts):
        print(q, counts[q])


if __name__ == "__main__":
    if sys.argv[1] == "qstats":
        qstats(int(sys.argv[2]))
    elif sys.argv[1] == "gso":
        gso(int(sys.argv[2]))
    else:
        expect(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5], int(sys.argv[6]),
               int(sys.argv[7]))
