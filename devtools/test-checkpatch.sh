#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
#
# Test of devtools/checkpatch.sh: a driver file with one known problem per
# line must give exactly those findings, the C and DPDK names it lets pass
# must pass, and a clean file gives none.
#   devtools/test-checkpatch.sh <checkpatch.sh>

set -u
wrapper=$(readlink -f "$1")
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/drivers/net/x"
spdx='/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 x
 */
'
cat >"$dir/drivers/net/x/bad.c" <<END
${spdx}
#include <inttypes.h>
#include <stdio.h>

static int tbl[4];

int
f(int a)
{
	int n = sizeof(tbl) / sizeof(tbl[0]);

	if (a) n = 2;
	if (a==3)
		n = 4;
	return n;
}
END
cat >"$dir/drivers/net/x/good.c" <<END
${spdx}
#include <inttypes.h>
#include <stdio.h>

_Static_assert(sizeof(uint64_t) == 8, "size");

void
g(uint64_t v, char *buf, size_t len)
{
	snprintf(buf, len, "%" PRIx64, v);
}
END
cd "$dir" || exit 1
git init -q . && git -c user.name=t -c user.email=t@t commit -q --allow-empty -m t || exit 1
fail=0
out=$("$wrapper" drivers/net/x/bad.c)
rc=$?
for want in "bad.c:13: WARNING:ARRAY_SIZE" "bad.c:15: ERROR:TRAILING_STATEMENTS" \
	    "bad.c:16: ERROR:SPACING"; do
	grep -q "$want" <<<"$out" || { echo "not reported: $want"; fail=1; }
done
n=$(grep -c -E ': (ERROR|WARNING|CHECK):' <<<"$out")
[ $rc = 1 ] && [ "$n" = 3 ] || { echo "bad.c: exit $rc, $n findings, want 1 and 3:"; echo "$out"; fail=1; }
out=$("$wrapper" drivers/net/x/good.c)
rc=$?
[ $rc = 0 ] || { echo "good.c: exit $rc:"; echo "$out"; fail=1; }
[ -z "$(ls -A "$dir" | grep -v '^\.git$\|^drivers$')" ] || { echo "checkpatch left its cache behind"; fail=1; }
[ $fail = 0 ] && echo PASS || echo FAIL
exit $fail
