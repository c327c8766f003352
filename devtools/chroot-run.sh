#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fbnic PMD authors
#
# Run a command as root in the cached Debian chroot of SUITE (trixie: DPDK
# 24.11, sid: DPDK 25.11) built by devtools/chroot-env.sh:
#
#   devtools/chroot-run.sh SUITE COMMAND [ARG...]
#   devtools/chroot-run.sh trixie sh -c 'cd /work/main && meson setup /tmp/b'
#
# The chroot sees the host's /proc, /sys, /dev (with /dev/pts, /dev/shm and
# the host's hugetlbfs on /dev/hugepages, so DPDK uses the host's hugepages)
# and this checkout at the same path as on the host. The mounts exist only in
# a private mount namespace: they vanish with the command, even if it is
# killed. The command starts in the host's current directory when that is
# inside the checkout, else in /, with a clean environment (PATH, LC_ALL,
# HOME, and CI when set).
#
# FBNIC_CHROOT_TIMEOUT bounds the whole run (seconds, default 3600).
# Exit status: the command's, 124 on timeout, 125 if a mount failed, 77 if
# there is no chroot.

set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd -P)

if [ $# -lt 2 ]; then
	sed -n '4,22p' "$0" >&2
	exit 2
fi
suite=$1
shift
limit=${FBNIC_CHROOT_TIMEOUT:-3600}
case $limit in
''|*[!0-9]*) echo "chroot-run: FBNIC_CHROOT_TIMEOUT must be a number of seconds" >&2; exit 2 ;;
esac

[ "$(id -u)" = 0 ] || { echo "chroot-run: must run as root (mount, chroot)" >&2; exit 77; }
root=$("$here/devtools/chroot-env.sh" "$suite" --print) || exit 77
cache=$(dirname "$root")

# Where the command starts: the same directory when it is in the checkout.
cwd=$(pwd -P)
case $cwd/ in
"$here"/*) ;;
*) cwd=/ ;;
esac

# The host's hugetlbfs (the first one mounted); DPDK in the chroot finds it
# on /dev/hugepages through /proc/mounts.
huge=$(awk '$3 == "hugetlbfs" {print $2; exit}' /proc/self/mounts)

envs=(PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8 HOME=/root)
[ -z "${CI+set}" ] || envs+=("CI=$CI")

# A shared lock: chroot-env.sh --force waits until no command runs here.
exec 9>>"$cache/.lock"
flock -s -w 60 9 || { echo "chroot-run: $cache is being rebuilt" >&2; exit 77; }

# timeout replaces this script, so a signal to it reaches the command. It
# signals the command's whole process group, except on a terminal, where the
# command must stay in the foreground group (interactive shells, Ctrl-C).
# The lock stays held by whatever still runs in the chroot.
tmo=(timeout -k 10)
[ ! -t 0 ] || tmo+=(--foreground)
# Everything below runs in a private mount namespace.
# shellcheck disable=SC2016 # expanded by the inner shell
exec "${tmo[@]}" "$limit" unshare -m --propagation private -- /bin/bash -c '
	set -eu
	r=$1 repo=$2 huge=$3 cwd=$4 n=$5
	shift 5
	envs=("${@:1:$n}")
	shift "$n"
	fail() { echo "chroot-run: $*" >&2; exit 125; }

	mount -t proc proc "$r/proc" 2>/dev/null ||
		mount --rbind /proc "$r/proc" || fail "cannot mount /proc"
	mount --rbind /sys "$r/sys" || fail "cannot bind /sys"
	# /dev with its submounts: /dev/pts, /dev/shm, /dev/hugepages, /dev/mqueue.
	mount --rbind /dev "$r/dev" || fail "cannot bind /dev"
	if ! mountpoint -q "$r/dev/pts"; then
		mount -t devpts -o newinstance,ptmxmode=0666 devpts "$r/dev/pts" ||
			fail "cannot mount /dev/pts"
	fi
	if ! mountpoint -q "$r/dev/shm"; then
		mount -t tmpfs -o mode=1777 tmpfs "$r/dev/shm" || fail "cannot mount /dev/shm"
	fi
	if [ -n "$huge" ] && ! mountpoint -q "$r/dev/hugepages"; then
		# The host has hugetlbfs elsewhere: show it where DPDK users expect it.
		if [ -d "$r/dev/hugepages" ]; then
			mount --bind "$huge" "$r/dev/hugepages"
		else
			mkdir -p "$r/mnt/hugepages"
			mount --bind "$huge" "$r/mnt/hugepages"
		fi || fail "cannot bind the hugetlbfs $huge"
	fi
	[ -n "$huge" ] || echo "chroot-run: warning: the host has no hugetlbfs mounted" >&2
	mkdir -p "$r$repo"
	mount --rbind "$repo" "$r$repo" || fail "cannot bind $repo"

	exec chroot "$r" /usr/bin/env -i -C "$cwd" "${envs[@]}" "$@"
' chroot-run "$root" "$here" "$huge" "$cwd" "${#envs[@]}" "${envs[@]}" "$@"
