#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors

"""Style check of the tree, run as a meson test (suite "style").

Checks every file git tracks (or, outside git, every file below the root):
- an SPDX-License-Identifier line near the top of code, build and doc files;
- no trailing whitespace, no carriage returns;
- C files: tabs for indentation and at most 100 columns (tab = 8);
- meson files, by the rules of DPDK's devtools/check-meson.py: spaces for
  indentation (four per level), and in a files( or "= [" list one entry
  per line, indented eight spaces more than the line that opens it, with
  a trailing comma; at most 100 columns;
- drivers/: no rte_panic(), rte_exit() or printf(), no DPDK version or
  compat #if (the compat layer is selected by include path only);
- codespell over code and docs when it is installed.
Prints one line per problem and exits 1 if there is any.
"""

import os
import re
import shutil
import subprocess
import sys

SPDX_EXT = (".c", ".h", ".py", ".sh", ".rst", ".ini", ".build", ".txt")
SPDX_NAMES = ("meson.build", "meson_options.txt", "run")
NO_SPDX = ("LICENSE", "README.md", "MAINTAINERS", ".gitignore")
TAB_EXT = (".c", ".h")
MESON_NAMES = ("meson.build", "meson_options.txt")
MAX_COLS = 100
FORBIDDEN = re.compile(r"\b(rte_panic|rte_exit|printf)\s*\(")
# The driver builds against compat/ purely by include path: no version switches.
COMPAT_SWITCH = re.compile(r"^\s*#\s*(if|ifdef|ifndef|elif)\b.*(RTE_VERSION|COMPAT|DPDK_2)")
BAD_INDENT = re.compile(r"^ +(?![ *])\S")


def tracked_files(root):
    try:
        out = subprocess.run(["git", "-C", root, "ls-files", "-co", "--exclude-standard"],
                             check=True, capture_output=True, text=True).stdout
        files = [f for f in out.splitlines() if f]
    except (OSError, subprocess.CalledProcessError):
        files = []
        for d, dirs, names in os.walk(root):
            dirs[:] = [x for x in dirs if not x.startswith((".", "build"))]
            files += [os.path.relpath(os.path.join(d, n), root) for n in names]
    return sorted(f for f in files if os.path.isfile(os.path.join(root, f)))


def wants_spdx(path):
    name = os.path.basename(path)
    if name in NO_SPDX:
        return False
    return name in SPDX_NAMES or name.endswith(SPDX_EXT)


def columns(line):
    return len(line.expandtabs(8))


def meson_code(line):
    """The code part of a meson line (comments cut, as check-meson.py does)."""
    if line.lstrip().startswith("#"):
        return ""
    if "#" in line:
        return line[:line.index("#")].rstrip()
    return line.rstrip()


def check_meson(path, lines, problems):
    """DPDK's meson rules: space indentation, and files()/array lists one entry
    per line, double-indented, each with a trailing comma."""
    in_list = False
    indent = ""
    for no, line in enumerate(lines, 1):
        code = meson_code(line)
        if not code.strip():
            continue
        if re.match(r"^ *\t", code):
            problems.append("%s:%d: meson: indented with a tab, use spaces" % (path, no))
        lead = len(code) - len(code.lstrip(" "))
        if lead % 4:
            problems.append("%s:%d: meson: indent of %d spaces, not a multiple of 4"
                            % (path, no, lead))
        if code.endswith("files(") or code.endswith("= ["):
            in_list = True
            indent = " " * (lead + 8)
            continue
        if in_list and (code.endswith((")", "]")) or code.strip().startswith((")", "]"))):
            in_list = False
            continue
        if not in_list or "[" in code or "]" in code:
            continue
        if not code.startswith(indent) or code[len(indent)] == " ":
            problems.append("%s:%d: meson: list entry not indented %d spaces"
                            % (path, no, len(indent)))
        if not code.endswith(","):
            problems.append("%s:%d: meson: list entry without a trailing comma" % (path, no))
        elif len(code.split(",")) > 2:
            problems.append("%s:%d: meson: more than one list entry on a line" % (path, no))


def check_file(root, path, problems):
    try:
        with open(os.path.join(root, path), encoding="utf-8") as f:
            text = f.read()
    except UnicodeDecodeError:
        return  # binary data (pcap samples, corpora)
    lines = text.split("\n")
    if wants_spdx(path) and "SPDX-License-Identifier:" not in "\n".join(lines[:5]):
        problems.append("%s:1: missing SPDX-License-Identifier header" % path)
    is_tab = path.endswith(TAB_EXT)
    is_meson = os.path.basename(path) in MESON_NAMES
    in_driver = path.startswith("drivers/")
    for no, line in enumerate(lines, 1):
        if "\r" in line:
            problems.append("%s:%d: carriage return" % (path, no))
        if line != line.rstrip():
            problems.append("%s:%d: trailing whitespace" % (path, no))
        if is_tab and BAD_INDENT.match(line):
            problems.append("%s:%d: indented with spaces, use tabs" % (path, no))
        if is_tab or is_meson:
            if columns(line) > MAX_COLS:
                problems.append("%s:%d: %d columns (max %d)" % (path, no, columns(line),
                                                                MAX_COLS))
        if in_driver and path.endswith((".c", ".h")) and FORBIDDEN.search(line):
            problems.append("%s:%d: rte_panic/rte_exit/printf in a driver" % (path, no))
        if in_driver and path.endswith((".c", ".h")) and COMPAT_SWITCH.search(line):
            problems.append("%s:%d: DPDK version/compat #if in a driver" % (path, no))
    if is_meson:
        check_meson(path, lines, problems)


def codespell(root, files, problems):
    tool = shutil.which("codespell")
    if tool is None:
        print("codespell not installed: spelling not checked")
        return
    targets = [f for f in files if f.endswith((".c", ".h", ".py", ".sh", ".rst", ".md"))]
    if not targets:
        return
    res = subprocess.run([tool, "-q", "3", "-L", "bu,te,ser,fo,ue,ot,nd,ans,ba,iff,synopsys,als,hda,wr"]
                         + targets, cwd=root, capture_output=True, text=True)
    for line in res.stdout.splitlines():
        problems.append(line)


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.getcwd()
    files = tracked_files(root)
    problems = []
    for path in files:
        check_file(root, path, problems)
    codespell(root, files, problems)
    for p in problems:
        print(p)
    print("style: %d file(s) checked, %d problem(s)" % (len(files), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
