# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
"""Python start-up hook of DTS's traffic generator in the fbnic VM.

devtools/dts/run-dts.sh puts this directory on PYTHONPATH for the commands
DTS runs through sudo in the guest. DTS's scapy sniffer captures with
filter="inbound". Scapy 2.8 (Debian sid, the guest's userspace) compiles
every filter on a "dead" libpcap handle once it can guess the link type,
and libpcap 1.11 refuses direction qualifiers there ("not a live
capture"). When that happens, compile the filter again on the interface
itself, as scapy did before 2.8: same BPF program, DTS unchanged.
"""

import importlib.abc
import importlib.util
import sys

_MODULE = "scapy.arch.common"


def _patch(common):
    original = common.compile_filter

    def compile_filter(filter_exp, iface=None, linktype=None, promisc=False):
        try:
            return original(filter_exp, iface, linktype, promisc)
        except common.Scapy_Exception as e:
            if not iface or linktype is not None or "not a live capture" not in str(e):
                raise
        # Without a link-type guess scapy opens the interface live.
        guesses = common.ARPHRD_TO_DLT
        common.ARPHRD_TO_DLT = {}
        try:
            return original(filter_exp, iface, None, promisc)
        finally:
            common.ARPHRD_TO_DLT = guesses

    common.compile_filter = compile_filter


class _ScapyHook(importlib.abc.MetaPathFinder):
    """Patch scapy.arch.common right after it is executed, before its users import it."""

    def find_spec(self, name, path, target=None):
        if name != _MODULE:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            return spec
        exec_module = spec.loader.exec_module

        def exec_and_patch(module):
            exec_module(module)
            _patch(module)

        spec.loader.exec_module = exec_and_patch
        return spec


sys.meta_path.insert(0, _ScapyHook())
