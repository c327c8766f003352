#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
#
# The kernel's checkpatch.pl with the options of DPDK's devtools/checkpatches.sh,
# over whole files (-f) rather than patches: every C file git tracks, or the
# files given. Run by the style suite; setup.sh fetches checkpatch.pl.
#
#   devtools/checkpatch.sh [--checkpatch <checkpatch.pl>] [file...]
#
# Files under drivers/net/ get checkpatch's strict checks (CHECK:), as they do
# for DPDK patches. What is not reported, beyond DPDK's own ignore list (each
# a form checkpatch cannot tell from the kernel idiom it wants):
#   - CAMELCASE for identifiers of C and of DPDK (PRIx64, _Static_assert, ...);
#   - in compat/: COMPLEX_MACRO and PREFER_DEFINED_ATTRIBUTE_MACRO, the form of
#     the DPDK macros those headers reproduce for older DPDK versions;
#   - in the test programs (app/test, model/tests, vfio-user/tests):
#     MACRO_WITH_FLOW_CONTROL, the assertion macros that end a failed test
#     (as DPDK's TEST_ASSERT does);
#   - base/fbnic_csr.h: MACRO_ARG_REUSE in the field and rounding macros, whose
#     arguments are masks and sizes;
#   - base/fbnic_hw_stats.c: COMPLEX_MACRO and MACRO_ARG_REUSE in the macros
#     that expand to a group of rows of the counter table;
#   - model/: FUNCTION_ARGUMENTS in the macro that declares a block's register
#     handlers, and PREFER_DEFINED_ATTRIBUTE_MACRO (plain C: no kernel or DPDK
#     attribute macros), as in the test kit (app/test/kit/).
# Prints one line per finding and exits 1 if there is any.

set -u
here=$(dirname "$(readlink -f "$0")")
root=$(readlink -f "$here/..")
checkpatch=/var/cache/fbnic-checkpatch/scripts/checkpatch.pl
if [ "${1:-}" = --checkpatch ]; then
	checkpatch=$2
	shift 2
fi
[ -f "$checkpatch" ] || { echo "checkpatch.pl not found ($checkpatch): run devtools/setup.sh"; exit 77; }

# DPDK's devtools/checkpatches.sh options (its codespell run is the style check's).
ignore=LINUX_VERSION_CODE,ENOSYS,FILE_PATH_CHANGES,MAINTAINERS_STYLE,SPDX_LICENSE_TAG
ignore+=,VOLATILE,PREFER_PACKED,PREFER_ALIGNED,PREFER_PRINTF,STRLCPY,MSLEEP
ignore+=,PREFER_KERNEL_TYPES,PREFER_FALLTHROUGH,BIT_MACRO,CONST_STRUCT,SPLIT_STRING
ignore+=,LONG_LINE_STRING,C99_COMMENT_TOLERANCE,LINE_SPACING,PARENTHESIS_ALIGNMENT
ignore+=,NETWORKING_BLOCK_COMMENT_STYLE,NEW_TYPEDEFS,COMPARISON_TO_NULL,AVOID_BUG
ignore+=,EXPORT_SYMBOL,BAD_REPORTED_BY_LINK
options=(--no-tree --max-line-length=100 --show-types --ignore="$ignore" --terse
	--no-summary -f)

if [ $# -gt 0 ]; then
	files=("$@")
else
	cd "$root" || exit 1
	mapfile -t files < <(git ls-files '*.c' '*.h')
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# Two processes (the machines have two cores); checkpatch leaves a cache of
# camel-case names in its working directory.
printf '%s\0' "${files[@]}" |
	xargs -0 -P 2 -n 16 perl "$checkpatch" "${options[@]}" >"$out/all" 2>&1
rm -f .checkpatch-camelcase.*
grep -v -E 'CHECK:CAMELCASE: Avoid CamelCase: <(PRI[diouxX](8|16|32|64|PTR)|SCN[a-z]+[0-9]+|_Static_assert|_Alignas|_Bool)>' \
	"$out/all" |
	grep -v -E '^compat/.*(COMPLEX_MACRO|PREFER_DEFINED_ATTRIBUTE_MACRO):' |
	grep -v -E '^(app/test|model/tests|vfio-user/tests)/.*MACRO_WITH_FLOW_CONTROL:' |
	grep -v -E '^drivers/net/fbnic/base/fbnic_csr\.h:.*MACRO_ARG_REUSE:' |
	grep -v -E '^drivers/net/fbnic/base/fbnic_hw_stats\.c:.*(COMPLEX_MACRO|MACRO_ARG_REUSE):' |
	grep -v -E '^model/fbm_internal\.h:.*FUNCTION_ARGUMENTS:' |
	grep -v -E '^(model/[^/]*|app/test/kit/[^/]*):.*PREFER_DEFINED_ATTRIBUTE_MACRO:' \
	>"$out/kept"
cat "$out/kept"
n=$(grep -c -E ': (ERROR|WARNING|CHECK):' "$out/kept")
echo "checkpatch: ${#files[@]} file(s) checked, $n finding(s)"
[ "$n" = 0 ]
