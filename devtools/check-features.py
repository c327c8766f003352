#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors

"""Check doc/guides/nics/features/fbnic.ini against the code and README.md.

- README.md's feature table equals fbnic.ini. The table sits between the
  lines "<!-- features:begin -->" and "<!-- features:end -->", one
  "| feature | value |" row per ini entry.
- Every feature fbnic.ini claims (Y or P) has its eth_dev_ops callbacks
  filled in fbnic_eth_dev_ops, or its flag or assignment in the driver's
  code, as DPDK's doc/guides/nics/features.rst describes each feature; and
  every filled callback of a feature is claimed in fbnic.ini.
Usage: check-features.py <source root>
       check-features.py --self-test <source root>   (the check of the check)
"""

import configparser
import glob
import os
import re
import sys

# What each feature of DPDK's features.rst needs in the driver: the
# eth_dev_ops callbacks ("ops") or a token of its code ("code"). A feature
# with neither (OS, architecture, documentation) is not checked against code.
FEATURES = {
    "Speed capabilities": {"code": ["speed_capa"]},
    "Link status": {"ops": ["link_update"]},
    "Link status event": {"code": ["RTE_ETH_DEV_INTR_LSC"]},
    "Removal event": {"code": ["RTE_ETH_DEV_INTR_RMV"]},
    "Rx interrupt": {"ops": ["rx_queue_intr_enable", "rx_queue_intr_disable"]},
    "Fast mbuf free": {"code": ["RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE"]},
    "Free Tx mbuf on demand": {"ops": ["tx_done_cleanup"]},
    "Queue start/stop": {"ops": ["rx_queue_start", "rx_queue_stop", "tx_queue_start",
                                 "tx_queue_stop"]},
    "Runtime Rx queue setup": {"code": ["RTE_ETH_DEV_CAPA_RUNTIME_RX_QUEUE_SETUP"]},
    "Runtime Tx queue setup": {"code": ["RTE_ETH_DEV_CAPA_RUNTIME_TX_QUEUE_SETUP"]},
    "Burst mode info": {"ops": ["rx_burst_mode_get", "tx_burst_mode_get"]},
    "Power mgmt address monitor": {"ops": ["get_monitor_addr"]},
    "MTU update": {"ops": ["mtu_set"]},
    "Scattered Rx": {"code": ["RTE_ETH_RX_OFFLOAD_SCATTER"]},
    "Buffer split on Rx": {"code": ["RTE_ETH_RX_OFFLOAD_BUFFER_SPLIT"]},
    "LRO": {"code": ["RTE_ETH_RX_OFFLOAD_TCP_LRO"]},
    "TSO": {"code": ["RTE_ETH_TX_OFFLOAD_TCP_TSO"]},
    "Promiscuous mode": {"ops": ["promiscuous_enable", "promiscuous_disable"]},
    "Allmulticast mode": {"ops": ["allmulticast_enable", "allmulticast_disable"]},
    "Unicast MAC filter": {"ops": ["mac_addr_set", "mac_addr_add", "mac_addr_remove"]},
    "Multicast MAC filter": {"ops": ["set_mc_addr_list"]},
    "RSS hash": {"code": ["RTE_ETH_RX_OFFLOAD_RSS_HASH"]},
    "RSS key update": {"ops": ["rss_hash_update", "rss_hash_conf_get"]},
    "RSS reta update": {"ops": ["reta_update", "reta_query"]},
    "VLAN filter": {"ops": ["vlan_filter_set"]},
    "Flow control": {"ops": ["flow_ctrl_get", "flow_ctrl_set"]},
    "Flow API": {"ops": ["flow_ops_get"]},
    "FEC": {"ops": ["fec_get_capability", "fec_get"]},
    "L3 checksum offload": {"code": ["RTE_ETH_RX_OFFLOAD_IPV4_CKSUM"]},
    "L4 checksum offload": {"code": ["RTE_ETH_RX_OFFLOAD_TCP_CKSUM"]},
    "Timestamp offload": {"code": ["RTE_ETH_RX_OFFLOAD_TIMESTAMP"]},
    "Packet type parsing": {"ops": ["dev_supported_ptypes_get"]},
    "Timesync": {"ops": ["timesync_enable", "timesync_disable", "timesync_read_time"]},
    "Rx descriptor status": {"code": ["rx_descriptor_status ="]},
    "Tx descriptor status": {"code": ["tx_descriptor_status ="]},
    "Basic stats": {"ops": ["stats_get", "stats_reset"]},
    "Extended stats": {"ops": ["xstats_get", "xstats_get_names", "xstats_reset"]},
    "Stats per queue": {"code": ["RTE_ETHDEV_QUEUE_STAT_CNTRS"]},
    "FW version": {"ops": ["fw_version_get"]},
    "EEPROM dump": {"ops": ["get_eeprom_length", "get_eeprom"]},
    "Module EEPROM dump": {"ops": ["get_module_info", "get_module_eeprom"]},
    "Registers dump": {"ops": ["get_reg"]},
    "Multiprocess aware": {"code": ["rte_eth_dev_attach_secondary"]},
}


def ini_features(path):
    parser = configparser.ConfigParser(delimiters=("=",), comment_prefixes=(";",))
    parser.optionxform = str
    parser.read(path, encoding="utf-8")
    return {k.strip(): v.strip() for k, v in parser["Features"].items()}


def readme_features(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"<!-- features:begin -->(.*?)<!-- features:end -->", text, re.S)
    if m is None:
        sys.exit("README.md has no <!-- features:begin --> ... <!-- features:end --> block")
    rows = {}
    for line in m.group(1).splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 2 or cells[0] in ("Feature", "") or set(cells[0]) <= set("-: "):
            continue
        rows[cells[0]] = cells[1]
    return rows


def driver_code(root):
    """The driver's sources and the callbacks its eth_dev_ops table fills."""
    code = ""
    for path in sorted(glob.glob(os.path.join(root, "drivers/net/fbnic", "*.[ch]")) +
                       glob.glob(os.path.join(root, "model/pmd", "*.[ch]"))):
        with open(path, encoding="utf-8") as f:
            code += f.read()
    m = re.search(r"const struct eth_dev_ops \w+ = \{(.*?)\n\};", code, re.S)
    if m is None:
        sys.exit("no eth_dev_ops table in drivers/net/fbnic/")
    ops = set(re.findall(r"^\s*\.(\w+)\s*=", m.group(1), re.M))
    return ops, code


def code_problems(ini, ops, code):
    """Features claimed without their code, and callbacks of unclaimed features."""
    problems = []
    for feature, value in sorted(ini.items()):
        need = FEATURES.get(feature)
        if need is None or value not in ("Y", "P"):
            continue
        for op in need.get("ops", []):
            if op not in ops:
                problems.append("feature %r = %s: eth_dev_ops.%s is not filled" %
                                (feature, value, op))
        for token in need.get("code", []):
            if token not in code:
                problems.append("feature %r = %s: the driver has no %s" %
                                (feature, value, token))
    for feature, need in sorted(FEATURES.items()):
        filled = [op for op in need.get("ops", []) if op in ops]
        if filled and ini.get(feature) not in ("Y", "P"):
            problems.append("eth_dev_ops.%s is filled, but fbnic.ini does not claim %r" %
                            (filled[0], feature))
    return problems


def readme_problems(ini, readme):
    return ["feature %r: fbnic.ini says %r, README.md says %r" % (k, ini.get(k), readme.get(k))
            for k in sorted(set(ini) | set(readme)) if ini.get(k) != readme.get(k)]


def self_test(root):
    """Each kind of mismatch must be found on a broken copy of the real inputs."""
    ini = ini_features(os.path.join(root, "doc/guides/nics/features/fbnic.ini"))
    readme = readme_features(os.path.join(root, "README.md"))
    ops, code = driver_code(root)
    failed = 0
    cases = [
        ("a claimed feature whose callback is missing",
         lambda: code_problems(ini, ops - {"get_reg"}, code), "get_reg"),
        ("a claimed feature whose flag is missing",
         lambda: code_problems(ini, ops, code.replace("RTE_ETH_DEV_INTR_RMV", "X")),
         "RTE_ETH_DEV_INTR_RMV"),
        ("a filled callback whose feature is not claimed",
         lambda: code_problems({k: v for k, v in ini.items() if k != "FW version"}, ops,
                               code), "fw_version_get"),
        ("a feature claimed with no code at all",
         lambda: code_problems(dict(ini, **{"EEPROM dump": "Y"}), ops, code),
         "get_eeprom_length"),
        ("README.md and fbnic.ini disagree",
         lambda: readme_problems(dict(ini, **{"Link status": "P"}), readme), "Link status"),
    ]
    if code_problems(ini, ops, code) or readme_problems(ini, readme):
        print("self-test: the real tree must pass first")
        return 1
    for name, run, expect in cases:
        found = run()
        if any(expect in p for p in found):
            print("self-test: caught %s" % name)
        else:
            print("self-test: MISSED %s (%s)" % (name, found))
            failed += 1
    return 1 if failed else 0


def main():
    args = sys.argv[1:]
    if args and args[0] == "--self-test":
        return self_test(args[1] if len(args) > 1 else ".")
    root = args[0] if args else "."
    ini = ini_features(os.path.join(root, "doc/guides/nics/features/fbnic.ini"))
    readme = readme_features(os.path.join(root, "README.md"))
    ops, code = driver_code(root)
    problems = readme_problems(ini, readme) + code_problems(ini, ops, code)
    for p in problems:
        print(p)
    print("features: %d in fbnic.ini, %d callbacks in eth_dev_ops, %d problem(s)" %
          (len(ini), len(ops), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
