#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
"""Guest part of vm_dpdk.sh: DPDK's testpmd with the fbnic PMD on the
model's PCI function 0000:01:00.0, bound to vfio-pci (no-IOMMU mode).

The port's wire is AF_PACKET on a host veth; frame_echo.py on the other
end of that veth sends frames that testpmd forwards back (io forwarding,
loop topology). Prints PASS/FAIL/INFO lines like guest_lib.sh.
"""

import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testpmd_pty  # noqa: E402  (shipped beside this script)

PCI = "0000:01:00.0"
PLUGIN = os.environ.get("FBNIC_DPDK_PLUGIN", "")
MAC = "02:fb:4e:00:00:01"
PREFIX = "fbvm"
FAILS = 0


def say(kind, msg):
    print("%s: %s" % (kind, msg), flush=True)


def check(what, cond):
    global FAILS
    if cond:
        say("PASS", what)
    else:
        say("FAIL", what)
        FAILS += 1
    return cond


def wait_for(pred, seconds, step=0.5):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(step)
    return pred()


def host_do(name, seconds=60):
    """Ask the host hook for an action (host_hook.sh) and wait for it."""
    done = "/mnt/done." + name
    if os.path.exists(done):
        os.unlink(done)
    open("/mnt/req." + name, "w").close()
    return wait_for(lambda: os.path.exists(done), seconds)


def peer_snap(name):
    host_do(name)
    vals = {}
    with open("/mnt/peer." + name) as f:
        for line in f:
            k, v = line.split()
            vals[k] = int(v)
    return vals


def echo(count, run):
    """frame_echo.py on the host end: (rc, sent, sent_bytes, got, got_bytes)."""
    name = "echo%d" % run
    with open("/mnt/%s.sh" % name, "w") as f:
        f.write('exec python3 "$FBNIC_VM_RUNDIR/frame_echo.py" "$VM_PEER_IF" %d %s %d\n' %
                (count, MAC, run))
    if not host_do("script." + name, 180):
        return (-1, 0, 0, 0, 0)
    line = open("/mnt/%s.log" % name).read().strip()
    rc = int(open("/mnt/%s.rc" % name).read())
    say("INFO", "peer: " + line)
    m = re.search(r"sent (\d+) bytes (\d+) received (\d+) bytes (\d+)", line)
    if not m:
        return (rc if rc else -1, 0, 0, 0, 0)
    return (rc,) + tuple(int(x) for x in m.groups())


def msix(vector):
    """Interrupts the guest kernel took on the port's MSI-X vector."""
    tag = "vfio-msix[%d](%s)" % (vector, PCI)
    with open("/proc/interrupts") as f:
        for line in f:
            if line.rstrip().endswith(tag):
                fields = line.split()[1:]
                return sum(int(x) for x in fields if x.isdigit())
    return -1


class Testpmd(testpmd_pty.Testpmd):
    """testpmd on the port, its output logged to /mnt/testpmd.log."""

    def __init__(self, eal, args):
        cmd = ["dpdk-testpmd"] + eal + ["--"] + args
        say("INFO", " ".join(cmd))
        super().__init__(cmd, "/mnt/testpmd.log")

    def cmd(self, line, seconds=60, until=testpmd_pty.PROMPT):
        out = super().cmd(line, seconds, until)
        if out is None:
            say("INFO", "testpmd: no prompt after '%s'" % line)
            return ""
        return out

    def events(self, what):
        return len(re.findall(r"Port 0: %s event" % what, self.text))


def port_stats(tp):
    out = tp.cmd("show port stats 0")
    vals = {}
    for k in ("RX-packets", "RX-bytes", "TX-packets", "TX-bytes", "RX-missed", "RX-errors"):
        m = re.search(r"%s:\s+(\d+)" % k, out)
        vals[k] = int(m.group(1)) if m else -1
    return vals


def pcs_callbacks(tp):
    """The PMD's count of its PCS vector callbacks (an xstat)."""
    m = re.search(r"intr_pcs_callbacks:\s+(\d+)", tp.cmd("show port xstats 0"))
    return int(m.group(1)) if m else -1


def link_is(tp, state, seconds):
    return wait_for(lambda: ("Link status: %s" % state) in tp.cmd("show port info 0", 20),
                    seconds, 1)


def forward(tp, count, run, what):
    """Forward count frames from the peer and back; check both ends agree."""
    tp.cmd("clear port stats all")
    a = peer_snap("snapA%d" % run)
    rc, sent, sent_bytes, got, got_bytes = echo(count, run)
    b = peer_snap("snapB%d" % run)
    s = port_stats(tp)
    say("INFO", "%s: testpmd %s" % (what, s))
    check("%s: every frame came back once (%d of %d)" % (what, got, sent),
          rc == 0 and got == count)
    check("%s: testpmd RX-packets = peer sent (%d, %d)" % (what, s["RX-packets"], sent),
          s["RX-packets"] == sent)
    check("%s: testpmd TX-packets = peer received (%d, %d)" % (what, s["TX-packets"], got),
          s["TX-packets"] == got)
    check("%s: testpmd RX-bytes = peer sent bytes (%d, %d)" %
          (what, s["RX-bytes"], sent_bytes), s["RX-bytes"] == sent_bytes)
    check("%s: testpmd TX-bytes = peer received bytes (%d, %d)" %
          (what, s["TX-bytes"], got_bytes), s["TX-bytes"] == got_bytes)
    dtx = b["tx_packets"] - a["tx_packets"]
    drx = b["rx_packets"] - a["rx_packets"]
    check("%s: veth counters: peer tx %d = testpmd rx, peer rx %d = testpmd tx" %
          (what, dtx, drx), dtx == s["RX-packets"] and drx == s["TX-packets"])
    return s


def devbind():
    out = subprocess.run(["dpdk-devbind.py", "--status-dev", "net"], capture_output=True,
                         text=True, timeout=60).stdout
    sys.stdout.write(out)
    line = [ln for ln in out.splitlines() if ln.startswith(PCI)]
    check("dpdk-devbind.py --status lists %s bound to vfio-pci (%s)" %
          (PCI, line[0] if line else "absent"), bool(line) and "drv=vfio-pci" in line[0])
    ids = [open("/sys/bus/pci/devices/%s/%s" % (PCI, f)).read().strip()
           for f in ("vendor", "device")]
    check("the function is 1d9b:0013 (%s:%s)" % tuple(ids), ids == ["0x1d9b", "0x0013"])


def proc_info(rx_expected):
    """dpdk-proc-info, a secondary process, reads the running port."""
    eal = ["--file-prefix", PREFIX, "-d", PLUGIN, "--log-level", "lib.eal:error"]
    out = {}
    for opt in ("--stats", "--xstats"):
        r = subprocess.run(["dpdk-proc-info"] + eal + ["--", opt], capture_output=True,
                           text=True, timeout=120)
        with open("/mnt/proc-info%s.log" % opt, "w") as f:
            f.write(r.stdout + r.stderr)
        out[opt] = (r.returncode, r.stdout)
    rc, text = out["--stats"]
    rx = re.search(r"RX-packets:\s+(\d+)", text)
    check("dpdk-proc-info --stats: RX-packets %s, expected %d (status %d)" %
          (rx and rx.group(1), rx_expected, rc),
          rc == 0 and rx is not None and int(rx.group(1)) == rx_expected)
    rc, text = out["--xstats"]
    good = re.search(r"rx_good_packets:\s+(\d+)", text)
    names = len(re.findall(r"^\s*\S+:\s+\d+\s*$", text, re.M))
    check("dpdk-proc-info --xstats: rx_good_packets %s, expected %d, %d counters with "
          "the device's (status %d)" % (good and good.group(1), rx_expected, names, rc),
          rc == 0 and good is not None and int(good.group(1)) == rx_expected and
          re.search(r"rpc_oversize_errors:\s+0", text) is not None)


def start_testpmd():
    eal = ["-l", "0-1", "-n", "1", "--file-prefix", PREFIX, "-a", PCI, "-d", PLUGIN]
    args = ["-i", "--port-topology=loop", "--nb-cores=1", "--rxq=1", "--txq=1",
            "--total-num-mbufs=4096"]
    tp = Testpmd(eal, args)
    if tp.expect(r"testpmd> ", 240) is None:
        say("INFO", "testpmd output: " + tp.text[-2000:])
        return tp, False
    return tp, True


def main():
    if not PLUGIN or not os.path.exists(PLUGIN):
        say("FAIL", "no plugin in FBNIC_DPDK_PLUGIN (%r)" % PLUGIN)
        return 1
    devbind()
    tp, ok = start_testpmd()
    check("EAL -a %s probed the port and testpmd started" % PCI, ok)
    if not ok:
        tp.quit(10)
        return 1
    errors = re.findall(r"^(?:EAL|fbnic):.*rror.*$", tp.text, re.M)
    check("no EAL or PMD error at probe (%s)" % "; ".join(errors), not errors)
    info = tp.cmd("show port info 0")
    check("port 0 is %s on net_fbnic" % PCI,
          re.search(r"Device name: %s" % PCI, info) is not None and
          re.search(r"Driver name: net_fbnic", info) is not None)
    check("link up", link_is(tp, "up", 60))
    tp.cmd("set fwd io")
    tp.cmd("start")
    s = forward(tp, 1000, 1, "io forwarding")
    proc_info(s["RX-packets"])

    # Link changes: the PCS's MSI-X vector (1) wakes the PMD, testpmd gets
    # the events; the interrupt count shows the vector delivered them.
    m0, ev0, cb0 = msix(1), tp.events("link state change"), pcs_callbacks(tp)
    check("link_down fault on", host_do("fault.link_down.on"))
    check("link down seen", link_is(tp, "down", 30))
    check("link_down fault off", host_do("fault.link_down.off"))
    check("link up again", link_is(tp, "up", 60))
    tp.pump(1)
    m1, ev1, cb1 = msix(1), tp.events("link state change"), pcs_callbacks(tp)
    say("INFO", "PCS vector interrupts %d -> %d, PMD callbacks %d -> %d, link events "
        "%d -> %d" % (m0, m1, cb0, cb1, ev0, ev1))
    check("link state change events delivered (%d)" % (ev1 - ev0), ev1 - ev0 >= 2)
    check("the function raised MSI-X vector 1 (%d interrupts)" % (m1 - m0),
          m0 >= 0 and m1 - m0 >= 2)
    check("the PMD's PCS vector callback ran for them (%d), not only the alarm" %
          (cb1 - cb0), cb0 >= 0 and cb1 - cb0 >= 2)
    tp.cmd("stop")

    # Stop/start, then a device reset: the port forwards again each time.
    tp.cmd("port stop 0")
    out = tp.cmd("port start 0", 120)
    check("port stop/start", "Fail" not in out and "rror" not in out)
    check("link up after port start", link_is(tp, "up", 60))
    tp.cmd("start")
    forward(tp, 300, 2, "after stop/start")
    tp.cmd("stop")
    tp.cmd("port stop 0")
    out = tp.cmd("port reset 0", 120)
    check("port reset 0", "Fail" not in out and "rror" not in out)
    out = tp.cmd("port start 0", 120)
    check("port start after reset", "Fail" not in out and "rror" not in out)
    check("link up after reset", link_is(tp, "up", 60))
    tp.cmd("start")
    forward(tp, 300, 3, "after reset")

    # Surprise removal: the function stops answering (reads all ones). The
    # PMD reports it, testpmd closes the port and detaches the device.
    check("surprise_removal fault on", host_do("fault.surprise_removal.on"))
    gone = tp.expect(r"Port 0: device removal event", 30)
    check("device removal event", gone is not None)
    check("the PMD logged the removal", tp.expect(r"device removed", 10) is not None)
    check("testpmd detaches the device", tp.expect(r"Removing a device", 30) is not None)
    # Releasing the vfio device resets the function, and the guest kernel
    # waits up to 65 s for one that does not answer after its FLR: the
    # function comes back, and the detach finishes.
    check("surprise_removal fault off", host_do("fault.surprise_removal.off"))
    check("device detached, no port left",
          tp.expect(r"Device is detached\s+Now total ports is 0", 90) is not None)
    out = tp.cmd("show port info 0", 30)
    check("testpmd still answers, port 0 gone", "Invalid port 0" in out)
    rc = tp.quit(60)
    say("INFO", "testpmd exit status %s" % rc)
    check("testpmd exits cleanly after the removal (status %s)" % rc, rc == 0)

    # The function answers again: a new process probes it and forwards.
    tp, ok = start_testpmd()
    check("probe again after the device came back", ok)
    if ok:
        check("link up after the device came back", link_is(tp, "up", 60))
        tp.cmd("set fwd io")
        tp.cmd("start")
        forward(tp, 300, 4, "after removal")
        tp.cmd("stop")
    rc = tp.quit(60)
    check("testpmd exits cleanly (status %s)" % rc, rc == 0)
    say("PASS" if FAILS == 0 else "FAIL", "dpdk done")
    say("INFO", "%d failure(s)" % FAILS)
    return 0 if FAILS == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
