#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
#
# telemetry_reads_sensors_and_self_test: the driver's telemetry commands,
# asked over DPDK's telemetry socket of a dpdk-testpmd running one model
# port. Claims:
#   - /fbnic/sensors,0 gives the model firmware's temperature and voltage
#     (45000 mC, 850 mV);
#   - /fbnic/self_test,0 passes (the mailbox TEST echo came back whole);
#   - /fbnic/fw_log,0,1 turns log streaming on and lines arrive;
#   - a bad port or parameter gets {"error": <negative errno>}.
# Usage: telemetry_reads_sensors_and_self_test.sh <path to librte_net_fbnic.so>

set -u
here=$(dirname "$(readlink -f "$0")")
. "$here/../../devtools/fbnic-env.sh"

plugin=$(fbnic_safe_plugin "$1") || exit 1
testpmd=$(fbnic_dpdk_tool dpdk-testpmd) || exit 1
fbnic_dpdk_cmd testpmd_cmd "$testpmd"
prefix=fbnic_tel_$$
out=$(mktemp)
res=$(mktemp)
trap 'rm -f "$out" "$res"' EXIT

{
	sleep 12
	echo "quit"
} | timeout 60 "${testpmd_cmd[@]}" -l 0-1 --no-huge -m 512 --file-prefix=$prefix --no-pci \
	-d "$plugin" --vdev net_fbnic_model0,wire=loopback,link_hold_off_ms=0 \
	--log-level=lib.eal:warning --log-level=pmd.net.fbnic.mbox:info \
	-- -i --total-num-mbufs=4096 >"$out" 2>&1 &
tpmd=$!

/usr/bin/python3 - "$prefix" >"$res" 2>&1 <<'PY'
import json, os, socket, sys, time

path = "/var/run/dpdk/%s/dpdk_telemetry.v2" % sys.argv[1]
for _ in range(100):
    if os.path.exists(path):
        break
    time.sleep(0.1)
time.sleep(1.5)     # the port probed and started by testpmd
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.connect(path)
json.loads(s.recv(16384).decode())

def ask(cmd):
    s.send(cmd.encode())
    return json.loads(s.recv(16384).decode())[cmd.split(",")[0]]

print("sensors", json.dumps(ask("/fbnic/sensors,0")))
print("self_test", json.dumps(ask("/fbnic/self_test,0")))
print("fw_log_on", json.dumps(ask("/fbnic/fw_log,0,1")))
time.sleep(1.5)
print("fw_log", json.dumps(ask("/fbnic/fw_log,0")))
print("bad_port", json.dumps(ask("/fbnic/sensors,7")))
print("bad_param", json.dumps(ask("/fbnic/fw_log,0,2")))
print("fw_log_off", json.dumps(ask("/fbnic/fw_log,0,0")))
PY
py_rc=$?
wait $tpmd

fail=0
bad() {
	echo "FAIL: $*"
	fail=1
}
line() { sed -n "s/^$1 //p" "$res"; }

[ $py_rc -eq 0 ] || bad "telemetry client failed"
[ "$(line sensors)" = '{"temperature_mC": 45000, "voltage_mV": 850}' ] ||
	bad "sensors: $(line sensors)"
[ "$(line self_test)" = '{"result": "pass", "error": 0}' ] || bad "self_test: $(line self_test)"
[[ "$(line fw_log_on)" == '{"enabled": 1, '*'"error": 0}' ]] || bad "fw_log on: $(line fw_log_on)"
lines=$(line fw_log | sed -n 's/.*"lines": \([0-9]*\).*/\1/p')
[ "${lines:-0}" -ge 1 ] 2>/dev/null || bad "no firmware log line: $(line fw_log)"
[ "$(line bad_port)" = "{\"error\": -$(( $(printf '%d' 19) ))}" ] || bad "bad port: $(line bad_port)"
[ "$(line bad_param)" = '{"error": -22}' ] || bad "bad parameter: $(line bad_param)"
[[ "$(line fw_log_off)" == '{"enabled": 0, '*'"error": 0}' ]] || bad "fw_log off: $(line fw_log_off)"

if [ $fail -ne 0 ]; then
	echo "--- telemetry ---"
	cat "$res"
	echo "--- testpmd output ---"
	cat "$out"
	exit 1
fi
echo "PASS: $(line sensors), self-test $(line self_test), $lines firmware log line(s)"
