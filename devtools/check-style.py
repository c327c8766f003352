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
- test names, in the meson files of app/, model/tests and vfio-user/tests
  (the rule of app/test/meson.build): an executable a test runs is named
  after its first C file (test_x.c: test_x, or test_x_<variant>), and a
  test or benchmark after the program it runs (the executable, or the
  script without .sh) or after a C function of the program's sources, in
  either case with an optional _<variant>; a short interpreter runs each
  file (loops, assignments) to know the names it gives;
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


# ---- test names ----

TEST_NAME_DIRS = ("app/", "model/tests/", "vfio-user/tests/")


class Unknown:
    """A value the checker cannot know (another file's variable, a build object)."""

    def __repr__(self):
        return "<unknown>"


UNKNOWN = Unknown()


class Exe:
    def __init__(self, name, sources):
        self.name = name
        self.sources = sources


class Prog:
    def __init__(self, name):
        self.name = name


MESON_TOKEN = re.compile(r"""\s*(?:(?P<str>'(?:[^'\\]|\\.)*')|(?P<num>\d+)|"""
                         r"""(?P<id>[A-Za-z_]\w*)|"""
                         r"""(?P<op>==|!=|<=|>=|\+=|[-+*/%?:.,()\[\]{}<>=]))""")


def meson_tokens(text):
    toks, pos = [], 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = MESON_TOKEN.match(text, pos)
        if m is None:
            raise ValueError("cannot read %r" % text[pos:pos + 20])
        pos = m.end()
        kind = m.lastgroup
        val = m.group(kind)
        if kind == "str":
            val = re.sub(r"\\(.)", r"\1", val[1:-1])
        elif kind == "num":
            val = int(val)
        toks.append((kind, val))
    return toks


class MesonExpr:
    """Recursive descent over the tokens of one expression; values are str,
    int, bool, list, Exe, Prog or UNKNOWN."""

    def __init__(self, toks, env):
        self.toks = toks
        self.i = 0
        self.env = env

    def peek(self, k=0):
        return self.toks[self.i + k] if self.i + k < len(self.toks) else (None, None)

    def op(self, *vals):
        """The next token is one of these operators."""
        return self.peek()[0] == "op" and self.peek()[1] in vals

    def take(self, val=None):
        tok = self.peek()
        if val is not None and tok[1] != val:
            raise ValueError("expected %r, got %r" % (val, tok[1]))
        self.i += 1
        return tok

    def expr(self):
        cond = self.or_expr()
        if self.op("?"):
            self.take("?")
            a = self.expr()
            self.take(":")
            b = self.expr()
            if isinstance(cond, bool):
                return a if cond else b
            return UNKNOWN
        return cond

    def or_expr(self):
        v = self.and_expr()
        while self.peek() == ("id", "or"):
            self.take()
            w = self.and_expr()
            v = (v or w) if isinstance(v, bool) and isinstance(w, bool) else UNKNOWN
        return v

    def and_expr(self):
        v = self.not_expr()
        while self.peek() == ("id", "and"):
            self.take()
            w = self.not_expr()
            v = (v and w) if isinstance(v, bool) and isinstance(w, bool) else UNKNOWN
        return v

    def not_expr(self):
        if self.peek() == ("id", "not"):
            self.take()
            v = self.not_expr()
            return (not v) if isinstance(v, bool) else UNKNOWN
        return self.cmp_expr()

    def cmp_expr(self):
        v = self.add_expr()
        op = self.peek()[1] if self.peek()[0] in ("op", "id") else None
        if self.peek() == ("id", "not") and self.peek(1) == ("id", "in"):
            self.take()
            op = "not in"
        if op in ("==", "!=", "<", ">", "<=", ">=", "in", "not in"):
            self.take()
            w = self.add_expr()
            if UNKNOWN in (v, w) or isinstance(v, (Exe, Prog)) or isinstance(w, (Exe, Prog)):
                return UNKNOWN
            try:
                return {"==": lambda: v == w, "!=": lambda: v != w, "<": lambda: v < w,
                        ">": lambda: v > w, "<=": lambda: v <= w, ">=": lambda: v >= w,
                        "in": lambda: v in w, "not in": lambda: v not in w}[op]()
            except TypeError:
                return UNKNOWN
        return v

    def add_expr(self):
        v = self.mul_expr()
        while self.op("+", "-"):
            op = self.take()[1]
            w = self.mul_expr()
            if op == "+" and isinstance(v, list):
                v = v + (w if isinstance(w, list) else [w])
            elif op == "+" and isinstance(v, str) and isinstance(w, str):
                v = v + w
            elif op == "-" and isinstance(v, int) and isinstance(w, int):
                v = v - w
            else:
                v = UNKNOWN
        return v

    def mul_expr(self):
        v = self.unary()
        while self.op("/", "*", "%"):
            op = self.take()[1]
            w = self.unary()
            if op == "/" and isinstance(w, str):
                # path join; an unknown root keeps the known tail
                v = (v if isinstance(v, str) else "<?>") + "/" + w
            else:
                v = UNKNOWN
        return v

    def unary(self):
        if self.op("-"):
            self.take()
            v = self.unary()
            return -v if isinstance(v, int) else UNKNOWN
        return self.postfix()

    def call_args(self):
        args, kwargs = [], {}
        self.take("(")
        while not self.op(")"):
            if self.peek()[0] == "id" and self.peek(1) == ("op", ":"):
                key = self.take()[1]
                self.take(":")
                kwargs[key] = self.expr()
            else:
                args.append(self.expr())
            if self.op(","):
                self.take()
        self.take(")")
        return args, kwargs

    def postfix(self):
        v = self.primary()
        while True:
            if self.op("["):
                self.take()
                k = self.expr()
                self.take("]")
                v = v[k] if isinstance(v, list) and isinstance(k, int) and \
                    -len(v) <= k < len(v) else UNKNOWN
            elif self.op("."):
                self.take()
                self.take()
                if self.op("("):
                    self.call_args()
                v = UNKNOWN
            else:
                return v

    def primary(self):
        kind, val = self.take()
        if kind in ("str", "num"):
            return val
        if kind == "op" and val == "(":
            v = self.expr()
            self.take(")")
            return v
        if kind == "op" and val == "[":
            items = []
            while not self.op("]"):
                items.append(self.expr())
                if self.op(","):
                    self.take()
            self.take("]")
            return items
        if kind == "op" and val == "{":
            depth = 1
            while depth:
                t = self.take()[1]
                depth += {"{": 1, "}": -1}.get(t, 0)
            return UNKNOWN
        if kind == "id":
            if val in ("true", "false"):
                return val == "true"
            if self.op("("):
                args, kwargs = self.call_args()
                return meson_call(val, args, kwargs)
            return self.env.get(val, UNKNOWN)
        raise ValueError("unexpected %r" % val)


def meson_flat(v):
    if isinstance(v, list):
        return [x for e in v for x in meson_flat(e)]
    return [v]


def meson_call(name, args, kwargs):
    if name == "executable" and args and isinstance(args[0], str):
        return Exe(args[0], [s for s in meson_flat(args[1:]) if isinstance(s, str)])
    if name == "find_program" and args and isinstance(args[0], str):
        return Prog(re.sub(r"\.(sh|py)$", "", os.path.basename(args[0])))
    if name == "files":
        return meson_flat(args)
    if name in ("test", "benchmark"):
        return ("test", name, args, kwargs)
    return UNKNOWN


def meson_statements(lines):
    """(line number, text) of each statement: lines joined while a bracket is open."""
    out, buf, start, depth = [], "", 0, 0
    for no, line in enumerate(lines, 1):
        code = meson_code(line)
        if not code.strip() and depth == 0:
            continue
        if depth == 0:
            start = no
        buf += " " + code
        for m in re.finditer(r"'(?:[^'\\]|\\.)*'|[()\[\]{}]", code):
            depth += {"(": 1, "[": 1, "{": 1, ")": -1, "]": -1, "}": -1}.get(m.group(0), 0)
        if depth <= 0:
            out.append((start, buf.strip()))
            buf, depth = "", 0
    return out


def meson_blocks(stmts, i, end_words):
    """Nested statement lists: ('stmt', no, text) or ('foreach', no, head, body) or
    ('if', no, [(cond, body)...])."""
    body = []
    while i < len(stmts):
        no, text = stmts[i]
        word = text.split()[0] if text.split() else ""
        word = re.match(r"\w*", word).group(0)
        if word in end_words:
            return body, i
        if word == "foreach":
            inner, i = meson_blocks(stmts, i + 1, ("endforeach",))
            body.append(("foreach", no, text[len("foreach"):].strip(), inner))
        elif word == "if":
            branches, cond = [], text[2:].strip()
            while True:
                inner, i = meson_blocks(stmts, i + 1, ("elif", "else", "endif"))
                branches.append((cond, inner))
                if i >= len(stmts):
                    break
                kw = re.match(r"\w+", stmts[i][1]).group(0)
                if kw == "endif":
                    break
                cond = stmts[i][1][len(kw):].strip() if kw == "elif" else "true"
            body.append(("if", no, branches))
        else:
            body.append(("stmt", no, text))
        i += 1
    return body, i


def meson_eval(text, env):
    p = MesonExpr(meson_tokens(text), env)
    v = p.expr()
    if p.i != len(p.toks):
        raise ValueError("trailing %r" % (p.peek()[1],))
    return v


def meson_run(body, env, found):
    """Run the statements; found gets (line, kind, name, program) of each test."""
    for node in body:
        if node[0] == "foreach":
            _, no, head, inner = node
            names, _, seq = head.partition(":")
            names = [n.strip() for n in names.split(",")]
            try:
                values = meson_eval(seq, env)
            except ValueError:
                values = UNKNOWN
            if not isinstance(values, list):
                found.append((no, "unreadable", head, None))
                continue
            for v in values:
                if len(names) == 1:
                    env[names[0]] = v
                else:
                    for n, x in zip(names, v if isinstance(v, list) else []):
                        env[n] = x
                meson_run(inner, env, found)
        elif node[0] == "if":
            _, no, branches = node
            for cond, inner in branches:
                try:
                    c = meson_eval(cond, env)
                except ValueError:
                    c = UNKNOWN
                if c is False:
                    continue
                meson_run(inner, env, found)
                if c is True:
                    break
        else:
            _, no, text = node
            m = re.match(r"(\w+)\s*(\+?=)(?!=)\s*(.*)$", text)
            expr = m.group(3) if m else text
            if not re.search(r"\b(executable|find_program|test|benchmark|files)\s*\(|\[|'",
                             expr) and m is None:
                continue
            try:
                v = meson_eval(expr, env)
            except (ValueError, IndexError):
                v = UNKNOWN
                if re.match(r"(test|benchmark)\s*\(", expr):
                    found.append((no, "unreadable", expr[:40], None))
            if m:
                if m.group(2) == "+=" and isinstance(env.get(m.group(1)), list):
                    v = env[m.group(1)] + (v if isinstance(v, list) else [v])
                env[m.group(1)] = v
            if isinstance(v, tuple) and v and v[0] == "test":
                _, kind, args, _ = v
                found.append((no, kind, args[0] if args else UNKNOWN,
                              args[1] if len(args) > 1 else UNKNOWN))


C_FUNC_DEF = re.compile(r"^([A-Za-z_]\w*)\(", re.M)


def c_functions(root, d, sources):
    names = set()
    for s in sources:
        if not s.endswith(".c") or s.startswith("<?>"):
            continue
        p = os.path.normpath(os.path.join(root, d, s))
        try:
            with open(p, encoding="utf-8") as f:
                names.update(C_FUNC_DEF.findall(f.read()))
        except OSError:
            pass
    return names


def named_after(name, bases):
    return any(name == b or name.startswith(b + "_") for b in bases)


def check_test_names(root, path, lines, problems):
    """The naming rule of app/test/meson.build for the tests of one meson file."""
    try:
        body, _ = meson_blocks(meson_statements(lines), 0, ())
    except (ValueError, IndexError, AttributeError) as e:
        problems.append("%s:1: meson: cannot read the file for its test names (%s)" % (path, e))
        return
    found = []
    meson_run(body, {}, found)
    d = os.path.dirname(path)
    seen = set()
    for no, kind, name, prog in found:
        if kind == "unreadable":
            problems.append("%s:%d: meson: cannot tell the test names of '%s'" % (path, no, name))
            continue
        if not isinstance(name, str):
            problems.append("%s:%d: meson: a %s name that is not a string the checker can read"
                            % (path, no, kind))
            continue
        if isinstance(prog, Exe):
            csrc = [s for s in prog.sources if s.endswith(".c")]
            cbase = os.path.basename(csrc[0])[:-2] if csrc else None
            if kind == "test" and cbase is not None and not named_after(prog.name, [cbase]) \
                    and (no, prog.name) not in seen:
                seen.add((no, prog.name))
                problems.append("%s:%d: meson: executable '%s' is not named after its C "
                                "file %s.c" % (path, no, prog.name, cbase))
            bases = {prog.name} | c_functions(root, d, prog.sources)
            what = "its program '%s' or a function of %s" % (prog.name, ", ".join(
                os.path.basename(s) for s in csrc) or "its sources")
        elif isinstance(prog, Prog):
            bases = {prog.name}
            what = "its script '%s'" % prog.name
        else:
            continue    # a program of another kind (py3): no rule
        if not named_after(name, bases):
            problems.append("%s:%d: meson: %s '%s' is not named after %s" % (path, no, kind, name,
                                                                          what))


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
    if os.path.basename(path) == "meson.build" and path.startswith(TEST_NAME_DIRS):
        check_test_names(root, path, lines, problems)


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
