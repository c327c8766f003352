#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
#
# Soak: 1e9 frames (or FRAMES) from one model port to its cabled peer over
# 4 queue pairs with RSS, every frame reconciled per queue and per port,
# resident memory watched, every mbuf back at the end (app/fbnic-soak).
# Not part of the test suite: it takes minutes.
#
#   devtools/soak.sh [--engine-threads] [FRAMES] [MAX_SECONDS]
#
# By default the application drives both models between its bursts
# (engine=none, one lcore): about 0.75 Mpps here, 1e9 frames in ~25 min.
# --engine-threads gives each model its own thread instead, concurrent with
# the driver, both on the last CPU (engine_cpus=), the application on CPU 0.

set -eu
here=$(dirname "$(readlink -f "$0")")
build=${FBNIC_BUILD_DIR:-$here/../build}
engine=none
if [ "${1:-}" = --engine-threads ]; then
	engine=thread
	shift
fi
. "$here/fbnic-env.sh"
FBNIC_BUILD_DIR=$build "$here/build.sh" >/dev/null
plugin=$(fbnic_safe_plugin "$build/librte_net_fbnic.so")
cpus=""
if [ $engine = none ]; then
	poll=(-p "$plugin")
else
	poll=()
	cpus=,engine_cpus=$(($(nproc) - 1))
fi
exec "$build/app/fbnic-soak/fbnic-soak" -d "$plugin" -l 0 --no-huge -m 1024 \
	--iova-mode=va --no-shconf --log-level=lib.eal:warning \
	--vdev net_fbnic_model0,wire=peer:net_fbnic_model1,link_hold_off_ms=0,engine=$engine$cpus \
	--vdev net_fbnic_model1,link_hold_off_ms=0,engine=$engine$cpus \
	-- -n "${1:-1000000000}" -t "${2:-3600}" "${poll[@]}"
