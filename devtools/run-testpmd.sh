#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
#
# Run dpdk-testpmd with the fbnic plugin loaded. EAL arguments come first,
# then "--" and testpmd arguments, as for dpdk-testpmd itself:
#   devtools/run-testpmd.sh -l 0-1 --vdev net_fbnic_model0,wire=loopback -- -i
# The plugin is taken from build/ (or $FBNIC_BUILD_DIR); when its path has a
# world-writable parent (EAL refuses those) a safe copy is used.

set -eu
here=$(dirname "$(readlink -f "$0")")
. "$here/fbnic-env.sh"
build=${FBNIC_BUILD_DIR:-$here/../build}
plugin=$(fbnic_safe_plugin "$build/librte_net_fbnic.so") || {
	echo "build the driver first: devtools/build.sh" >&2
	exit 1
}
testpmd=$(fbnic_dpdk_tool dpdk-testpmd)
exec "$testpmd" -d "$plugin" "$@"
