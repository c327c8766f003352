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
