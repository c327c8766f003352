#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
#
# Check that a build configured with -Dmodel=false holds no code of the
# software model: no fbm_ symbol in the plugin (nm -D) or in any object or
# static library of the build (nm), no net_fbnic_model vdev in the plugin,
# and no model header in its install (meson install into a scratch DESTDIR).
#
#   devtools/check-no-model.sh BUILD_DIR
#
# Exit status 0 when the build is model-free; 1, with one line per finding,
# otherwise (devtools/test.sh also runs it on a build with the model, which
# must fail).

set -u
dir=${1:?usage: check-no-model.sh BUILD_DIR}
bad=0
found() { echo "check-no-model: $*"; bad=1; }

plugin=$(find "$dir" -maxdepth 1 -name 'librte_net_fbnic.so*' -type f | head -1)
[ -n "$plugin" ] || { echo "check-no-model: no librte_net_fbnic.so in $dir"; exit 1; }

n=$(nm -D --defined-only "$plugin" | grep -c ' fbm_\| rte_pmd_fbnic_model')
[ "$n" -eq 0 ] || found "$plugin exports $n model symbols (nm -D)"
n=$(nm "$plugin" 2>/dev/null | grep -c ' fbm_')
[ "$n" -eq 0 ] || found "$plugin holds $n fbm_ symbols (nm)"
if grep -q -a net_fbnic_model "$plugin"; then
	found "$plugin registers the net_fbnic_model vdev"
fi

while IFS= read -r obj; do
	n=$(nm "$obj" 2>/dev/null | grep -c ' fbm_')
	[ "$n" -eq 0 ] || found "$obj holds $n fbm_ symbols"
done < <(find "$dir" \( -name '*.o' -o -name '*.a' \) -type f)

dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
if meson install -C "$dir" --destdir "$dest" >/dev/null 2>&1; then
	while IFS= read -r f; do
		found "the install has the model header ${f#"$dest"}"
	done < <(find "$dest" \( -name 'rte_pmd_fbnic*.h' -o -name 'fbnic_model*.h' \
		-o -name 'fbm_*.h' \))
	while IFS= read -r f; do
		found "the install has the model program ${f#"$dest"}"
	done < <(find "$dest" -name 'fbnic-vfu-server' -type f)
else
	found "meson install failed in $dir"
fi

[ "$bad" -eq 0 ] && echo "check-no-model: $dir is free of the model"
exit "$bad"
