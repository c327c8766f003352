#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors

"""Write a deliberately wrong copy of ethdev_driver.h, for the test of the ABI test.

Modes:
  size      one extra member at the start of struct rte_eth_dev: its size and
            every offset differ from librte_ethdev's;
  slots     two eth_dev_ops slots swapped: same size, wrong order;
  data      two rte_eth_dev_data members swapped: same size, wrong offsets;
  datasize  one extra member at the end of struct rte_eth_dev_data: its
            size, and so every port's place in the data memzone, differ.
The copy loses its static assertions (which would otherwise stop the
build). test_abi_layout built against it must fail; the probe-time check
must refuse a port for size and datasize.

Usage: abi-break.py <mode> <ethdev_driver.h> <output>
"""

import re
import sys


MODES = ("size", "slots", "data", "datasize")


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in MODES:
        sys.exit(__doc__)
    mode = sys.argv[1]
    with open(sys.argv[2], encoding="utf-8") as f:
        text = f.read()
    if mode == "size":
        text = replace_once(text, r"(struct (?:__rte_cache_aligned )?rte_eth_dev \{\n)",
                            "\\1\tuint8_t abi_break_pad[64];\n")
    elif mode == "slots":
        text = replace_once(text, r"(\t\w+ promiscuous_enable;\n)(\t\w+ promiscuous_disable;\n)",
                            "\\2\\1")
    elif mode == "data":
        text = replace_once(text, r"(\tuint16_t mtu;\n)(\tuint32_t min_rx_buf_size;\n)",
                            "\\2\\1")
    else:
        text = replace_once(text, r"(struct (?:__rte_cache_aligned )?rte_eth_dev_data \{\n)",
                            "\\1\tuint8_t abi_break_pad[RTE_CACHE_LINE_SIZE];\n")
    text = re.sub(r"_Static_assert\(.*?\);\n", "", text, flags=re.S)
    with open(sys.argv[3], "w", encoding="utf-8") as f:
        f.write(text)


def replace_once(text, pattern, repl):
    new, n = re.subn(pattern, repl, text, count=1)
    if n != 1:
        sys.exit("abi-break: cannot find %r" % pattern)
    return new


if __name__ == "__main__":
    main()
