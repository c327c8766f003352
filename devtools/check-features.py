#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors

"""Check that README.md's feature table equals doc/guides/nics/features/fbnic.ini.

The README table sits between the lines "<!-- features:begin -->" and
"<!-- features:end -->", one "| feature | value |" row per ini entry.
Usage: check-features.py <source root>
"""

import configparser
import os
import re
import sys


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


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "."
    ini = ini_features(os.path.join(root, "doc/guides/nics/features/fbnic.ini"))
    readme = readme_features(os.path.join(root, "README.md"))
    bad = 0
    for k in sorted(set(ini) | set(readme)):
        if ini.get(k) != readme.get(k):
            print("feature %r: fbnic.ini says %r, README.md says %r" % (k, ini.get(k),
                                                                      readme.get(k)))
            bad += 1
    print("features: %d in fbnic.ini, %d mismatch(es)" % (len(ini), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
