#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
#
# dpdk-pmdinfo.py on the built plugin lists net_fbnic with PCI 1d9b:0013
# and its vfio-pci kernel module dependency.
# Usage: pmdinfo_lists_pci_id.sh <path to librte_net_fbnic.so>

set -u
tool=$(command -v dpdk-pmdinfo.py) || { echo "dpdk-pmdinfo.py not installed"; exit 77; }
out=$(/usr/bin/python3 "$tool" "$1" 2>&1) || { echo "FAIL: $out"; exit 1; }
echo "$out"
/usr/bin/python3 - "$out" <<'PY' || exit 1
import json, sys
info = json.loads(sys.argv[1])
drv = [d for d in info if d.get("name") == "net_fbnic"]
assert drv, "net_fbnic not listed"
ids = drv[0].get("pci_ids", [])
assert {"vendor": "1d9b", "device": "0013"} in ids, "PCI ID 1d9b:0013 missing: %r" % ids
assert "vfio-pci" in drv[0].get("kmod", ""), "kmod dependency missing"
print("PASS: net_fbnic claims 1d9b:0013, kmod %s" % drv[0]["kmod"])
PY
