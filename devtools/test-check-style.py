#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors

"""Test of the style checker: a tree with one known problem per rule must
give exactly those problems, and a clean tree none."""

import os
import subprocess
import sys
import tempfile

SPDX = "/* SPDX-License-Identifier: BSD-3-Clause\n * Copyright(c) 2026 x\n */\n"
MESON = "# SPDX-License-Identifier: BSD-3-Clause\n# Copyright(c) 2026 x\n\n"
CASES = {
    "drivers/net/x/ok.c": SPDX + "int\nf(void)\n{\n\treturn 0;\n}\n",
    "drivers/net/x/nospdx.c": "int g;\n",
    "drivers/net/x/trailing.c": SPDX + "int h; \n",
    "drivers/net/x/spaces.c": SPDX + "void\nk(void)\n{\n    k();\n}\n",
    "drivers/net/x/long.c": SPDX + "int " + "a" * 100 + ";\n",
    "drivers/net/x/panic.c": SPDX + "void\nm(void)\n{\n\trte_panic(\"x\");\n}\n",
    "drivers/net/x/print.c": SPDX + "void\nn(void)\n{\n\tprintf(\"x\");\n}\n",
    "drivers/net/x/compat.c": SPDX + "#if RTE_VERSION >= RTE_VERSION_NUM(23, 0, 0, 0)\n#endif\n",
    "ok/meson.build": MESON + "if x\n    y = files(\n            'a.c',\n            'b.c',\n    )\n"
                      "endif\nz = ['c', 'd']\n",
    "tab/meson.build": MESON + "if x\n\ty = 1\nendif\n",
    "odd/meson.build": MESON + "if x\n  y = 1\nendif\n",
    "listindent/meson.build": MESON + "y = files(\n    'a.c',\n)\n",
    "comma/meson.build": MESON + "y = [\n        'a',\n        'b'\n]\n",
    "two/meson.build": MESON + "y = files(\n        'a.c', 'b.c',\n)\n",
    # Test names (app/test/meson.build): after the program, or the function it runs.
    "app/good/test_sel.c": SPDX + "int\nlink_goes_up(void)\n{\n\treturn 0;\n}\n",
    "app/good/meson.build": MESON + "exe = executable('test_sel', 'test_sel.c')\n"
                            "test('test_sel', exe)\ntest('test_sel_zero_copy', exe)\n"
                            "foreach t : [['link_goes_up', 60]]\n"
                            "    test(t[0], exe, args: [t[0]], timeout: t[1])\n"
                            "endforeach\ntest('link_goes_up_twice', exe)\n"
                            "test('test_scr', find_program('test_scr.sh'))\n"
                            "test('style', py3, args: ['x'])\n",
    "app/bad/test_sel.c": SPDX + "int\nlink_goes_up(void)\n{\n\treturn 0;\n}\n",
    "app/bad/meson.build": MESON + "exe = executable('test-sel', 'test_sel.c')\n"
                           "test('sel', exe)\n"
                           "test('scr', find_program('test_scr.sh'))\n"
                           "foreach t : ['link_goes_up', 'link_goes_dwon']\n"
                           "    test(t, executable('test_sel', 'test_sel.c'), args: [t])\n"
                           "endforeach\n",
}
EXPECT = {
    "nospdx.c:1: missing SPDX",
    "trailing.c:4: trailing whitespace",
    "spaces.c:7: indented with spaces",
    "long.c:4: 105 columns",
    "panic.c:7: rte_panic/rte_exit/printf",
    "print.c:7: rte_panic/rte_exit/printf",
    "compat.c:4: DPDK version/compat #if",
    "tab/meson.build:5: meson: indented with a tab",
    "odd/meson.build:5: meson: indent of 2 spaces",
    "listindent/meson.build:5: meson: list entry not indented 8 spaces",
    "comma/meson.build:6: meson: list entry without a trailing comma",
    "two/meson.build:5: meson: more than one list entry on a line",
    "bad/meson.build:5: meson: executable 'test-sel' is not named after its C file test_sel.c",
    "bad/meson.build:5: meson: test 'sel' is not named after its program 'test-sel'",
    "bad/meson.build:6: meson: test 'scr' is not named after its script 'test_scr'",
    "bad/meson.build:8: meson: test 'link_goes_dwon' is not named after its program 'test_sel'",
}
# The files of a clean tree.
CLEAN = ("drivers/net/x/ok.c", "ok/meson.build", "app/good/test_sel.c", "app/good/meson.build")


def run(checker, root):
    res = subprocess.run([sys.executable, checker, root], capture_output=True, text=True,
                 env=dict(os.environ, PATH="/nonexistent"))
    return res.returncode, [l for l in res.stdout.splitlines() if not l.startswith(
        ("style:", "codespell"))]


def main():
    checker = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as root:
        for path, text in CASES.items():
            os.makedirs(os.path.join(root, os.path.dirname(path)), exist_ok=True)
            with open(os.path.join(root, path), "w", encoding="utf-8") as f:
                f.write(text)
        rc, lines = run(checker, root)
        missing = [e for e in EXPECT if not any(e in l for l in lines)]
        extra = [l for l in lines if not any(e in l for e in EXPECT)]
        ok = rc == 1 and not missing and not extra and len(lines) == len(EXPECT)
        for m in missing:
            print("not reported:", m)
        for e in extra:
            print("unexpected:", e)
        for path in list(CASES):
            if path not in CLEAN:
                os.remove(os.path.join(root, path))
        rc, lines = run(checker, root)
        if rc != 0 or lines:
            print("clean tree reported:", lines)
            ok = False
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
