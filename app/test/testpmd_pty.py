# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
"""dpdk-testpmd -i on a pseudo terminal, driven command by command.

A test waits for what testpmd prints instead of sleeping: each command
waits for the next prompt, and expect()/count_at_least() wait (bounded)
for output that forwarding prints on its own. The whole output, with
carriage returns removed, is kept in .text and copied to a log file.
"""

import os
import pty
import re
import select
import subprocess
import time

PROMPT = r"testpmd> "


class Testpmd:
    """One testpmd process on a pty."""

    def __init__(self, argv, log=None):
        master, slave = pty.openpty()
        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave,
                                     close_fds=True, start_new_session=True)
        os.close(slave)
        self.fd = master
        self.text = ""
        self.log = open(log, "a") if log else None

    def pump(self, seconds):
        """Read what testpmd printed within seconds; False if nothing."""
        r, _, _ = select.select([self.fd], [], [], max(seconds, 0))
        if not r:
            return False
        try:
            data = os.read(self.fd, 65536).decode(errors="replace")
        except OSError:
            return False
        if not data:
            return False
        data = data.replace("\r", "")
        self.text += data
        if self.log:
            self.log.write(data)
            self.log.flush()
        return True

    def alive(self):
        return self.proc.poll() is None

    def expect(self, pattern, seconds, start=0):
        """The first match of pattern in the output from start on, or None
        once seconds have passed or testpmd has exited."""
        end = time.monotonic() + seconds
        rx = re.compile(pattern, re.M)
        while True:
            m = rx.search(self.text, start)
            if m:
                return m
            left = end - time.monotonic()
            if left <= 0:
                return None
            if not self.pump(min(left, 0.5)) and not self.alive():
                return rx.search(self.text, start)

    def count_at_least(self, pattern, n, seconds, start=0):
        """Wait until pattern matches n times from start on; the count."""
        end = time.monotonic() + seconds
        rx = re.compile(pattern, re.M)
        while True:
            found = len(rx.findall(self.text, start))
            left = end - time.monotonic()
            if found >= n or left <= 0:
                return found
            if not self.pump(min(left, 0.5)) and not self.alive():
                return len(rx.findall(self.text, start))

    def cmd(self, line, seconds=60, until=PROMPT):
        """Type line; what testpmd printed before its next prompt (or the
        until pattern: while forwarding prints, the prompt can be split by
        other lines), or None when it did not come within seconds."""
        mark = len(self.text)
        try:
            os.write(self.fd, (line + "\n").encode())
        except OSError:
            return None
        # The echo of the line comes first: look for the prompt after it.
        m = self.expect(until, seconds, mark + len(line))
        if m is None:
            return None
        return self.text[mark:m.start()]

    def poll(self, line, pattern, seconds, step=0.2):
        """Repeat a command until its output matches pattern; the match."""
        end = time.monotonic() + seconds
        while True:
            out = self.cmd(line, max(end - time.monotonic(), 1))
            m = re.search(pattern, out or "", re.M)
            if m or time.monotonic() >= end or not self.alive():
                return m
            time.sleep(step)

    def quit(self, seconds=60):
        """Type quit; testpmd's exit status, or None if it had to be killed."""
        try:
            os.write(self.fd, b"quit\n")
        except OSError:
            pass
        end = time.monotonic() + seconds
        rc = None
        while time.monotonic() < end:
            self.pump(0.2)
            rc = self.proc.poll()
            if rc is not None:
                break
        if rc is None:
            self.proc.kill()
            self.proc.wait()
        while self.pump(0):
            pass
        os.close(self.fd)
        if self.log:
            self.log.close()
        return rc


USAGE = """usage: testpmd_pty.py OUT -- TESTPMD-COMMAND...  <SCRIPT

Runs testpmd -i on a pty, types SCRIPT's lines and writes all it printed
to OUT. A line is a testpmd command (the next prompt is awaited) or:
  @until SECONDS REGEX :: COMMAND   repeat COMMAND until its output matches
  @settle COMMAND                   repeat COMMAND until two outputs agree
                                    (counters stopped moving), at most 30 s
  @sleep SECONDS                    let testpmd run that long
Empty lines and lines starting with # are skipped; a last "quit" is typed
when the script has none. Exit status: testpmd's; 3 when a step did not
complete in time (printed), 4 when testpmd had to be killed."""


def run_script(out, argv, lines):
    tp = Testpmd(argv, out)
    if tp.expect(PROMPT, 120) is None:
        print("testpmd_pty: no first prompt")
        tp.quit(10)
        return 3
    for n, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        ok = True
        if line == "quit":
            break
        if line.startswith("@until "):
            seconds, rest = line[len("@until "):].split(" ", 1)
            pattern, command = rest.split(" :: ", 1)
            ok = tp.poll(command, pattern, float(seconds)) is not None
        elif line.startswith("@settle "):
            command = line[len("@settle "):]
            end = time.monotonic() + 30
            last = None
            ok = False
            while time.monotonic() < end and tp.alive():
                now = tp.cmd(command)
                if now is not None and now == last:
                    ok = True
                    break
                last = now
                time.sleep(0.5)
        elif line.startswith("@sleep "):
            end = time.monotonic() + float(line[len("@sleep "):])
            while time.monotonic() < end:
                tp.pump(end - time.monotonic())
        else:
            ok = tp.cmd(line) is not None
        if not ok:
            print("testpmd_pty: line %d did not complete: %s" % (n, line))
            tp.quit(30)
            return 3
    rc = tp.quit(60)
    return 4 if rc is None else rc


if __name__ == "__main__":
    import sys

    if len(sys.argv) < 4 or sys.argv[2] != "--":
        print(USAGE)
        sys.exit(2)
    sys.exit(run_script(sys.argv[1], sys.argv[3:], sys.stdin.read().splitlines()))
