#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
#
# Soak: 1e9 frames (or FRAMES) from one model port to its cabled peer over
# 4 queue pairs with RSS, every frame reconciled per queue and per port,
# resident memory watched, every mbuf back at the end (app/fbnic-soak).
# Not part of the test suite: it takes minutes.
#
#   devtools/soak.sh [FRAMES] [MAX_SECONDS]

set -eu
here=$(dirname "$(readlink -f "$0")")
build=${FBNIC_BUILD_DIR:-$here/../build}
. "$here/fbnic-env.sh"
FBNIC_BUILD_DIR=$build "$here/build.sh" >/dev/null
plugin=$(fbnic_safe_plugin "$build/librte_net_fbnic.so")
exec "$build/app/fbnic-soak/fbnic-soak" -d "$plugin" -l 0-1 --no-huge -m 1024 --iova-mode=va \
	--no-shconf --log-level=lib.eal:warning \
	--vdev net_fbnic_model0,wire=peer:net_fbnic_model1,link_hold_off_ms=0 \
	--vdev net_fbnic_model1,link_hold_off_ms=0 \
	-- -n "${1:-1000000000}" -t "${2:-3600}"
