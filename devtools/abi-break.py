#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors

"""Write a deliberately wrong copy of ethdev_driver.h, for the test of the ABI test.

Modes:
  size   one extra member at the start of struct rte_eth_dev: its size and
         every offset differ from librte_ethdev's;
  slots  two eth_dev_ops slots swapped: same size, wrong order;
  data   two rte_eth_dev_data members swapped: same size, wrong offsets.
The copy loses its static assertions (which would otherwise stop the
build). test_abi_layout built against it must fail.

Usage: abi-break.py <mode> <ethdev_driver.h> <output>
"""

import re
import sys


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("size", "slots", "data"):
        sys.exit(__doc__)
    mode = sys.argv[1]
    with open(sys.argv[2], encoding="utf-8") as f:
        text = f.read()
    if mode == "size":
        text = replace_once(text, "struct rte_eth_dev {\n",
                            "struct rte_eth_dev {\n\tuint8_t abi_break_pad[64];\n")
    elif mode == "slots":
        text = replace_once(text,
                            "\teth_stats_get_t stats_get;\n\teth_stats_reset_t stats_reset;\n",
                            "\teth_stats_reset_t stats_reset;\n\teth_stats_get_t stats_get;\n")
    else:
        text = replace_once(text, "\tuint16_t mtu;\n\tuint32_t min_rx_buf_size;\n",
                            "\tuint32_t min_rx_buf_size;\n\tuint16_t mtu;\n")
    text = re.sub(r"_Static_assert\(.*?\);\n", "", text, flags=re.S)
    with open(sys.argv[3], "w", encoding="utf-8") as f:
        f.write(text)


def replace_once(text, old, new):
    if old not in text:
        sys.exit("abi-break: cannot find %r" % old)
    return text.replace(old, new, 1)


if __name__ == "__main__":
    main()
