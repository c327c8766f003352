#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
"""Print DTS's results.json as one line per test case and counts per suite.

    python3 devtools/dts/<this script> [--dts VERSION] OUT/results.json

A suite skipped or failed as a whole (capability, topology, set-up error)
is one line with the case "-". The reason of every result that is not a
pass follows it, on one line.
"""

import argparse
import collections
import json
import sys

STEPS = ("setup", "teardown", "result", "reason")


def one_line(text):
    """DTS reasons are exceptions' texts, often over several lines."""
    return " ".join(str(text).split())


def case_rows(suites):
    """Yield (suite, case, result, reason) for every case DTS reported."""
    for suite, node in suites.items():
        cases = [k for k in node if k not in STEPS]
        setup = node.get("setup", {})
        if not cases:
            result = node.get("result") or setup.get("result", "ERROR")
            reason = node.get("reason") or setup.get("reason", "")
            yield suite, "-", result, reason
            continue
        for case in cases:
            leaf = node[case]
            yield suite, case, leaf.get("result", "ERROR"), leaf.get("reason", "")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dts", default="?", help="the DTS version, for the heading")
    parser.add_argument("results", help="DTS's results.json")
    args = parser.parse_args()
    with open(args.results, encoding="utf-8") as f:
        results = json.load(f)

    print(f"DTS {args.dts} on fbnic")
    counts = collections.OrderedDict()
    for suite, case, result, reason in case_rows(results.get("test_suites", {})):
        line = f"{suite:32} {case:45} {result}"
        if result != "PASS" and reason:
            line += f"  {one_line(reason)}"
        print(line)
        counts.setdefault(suite, collections.Counter())[result] += 1
    print()
    total = collections.Counter()
    for suite, c in counts.items():
        total.update(c)
        print(f"{suite:32} " + ", ".join(f"{n} {r.lower()}" for r, n in sorted(c.items())))
    print("total: " + ", ".join(f"{n} {r.lower()}" for r, n in sorted(total.items())))
    for err in results.get("execution_errors", []):
        print(f"execution error: {one_line(err)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
