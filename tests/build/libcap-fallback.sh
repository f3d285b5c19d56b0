#!/bin/sh
# Tests of scripts/libcap-musl.sh against an archive that lists source versions
# it cannot serve. Each case gives the script a private apt configuration
# (APT_ETC) holding a local flat repository whose libcap2 entries point at
# files that do not exist, alone or beside this machine's real sources.
# Needs the Debian archive (the real libcap2 source is fetched) and musl-gcc.
#
# usage: sh tests/build/libcap-fallback.sh
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SCRIPT=$ROOT/scripts/libcap-musl.sh
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM

# shellcheck source=tests/build/lib.sh
. "$ROOT/tests/build/lib.sh"

# fake_repo DIR VERSION...: a flat repository listing libcap2 at each VERSION,
# every file of which is missing.
fake_repo() {
	dir=$1
	shift
	mkdir -p "$dir"
	for v in "$@"; do
		up=${v#*:}
		cat <<EOF
Package: libcap2
Binary: libcap2, libcap-dev
Version: $v
Maintainer: Nobody <nobody@example.org>
Architecture: linux-any
Format: 3.0 (quilt)
Directory: .
Files:
 00000000000000000000000000000000 100 libcap2_$up.dsc
Checksums-Sha256:
 0000000000000000000000000000000000000000000000000000000000000000 100 libcap2_$up.dsc

EOF
	done >"$dir/Sources"
}

# An apt configuration directory: the fake repository, plus this machine's own
# sources when asked.
apt_etc() {
	etc=$1 repo=$2 with_real=$3
	mkdir -p "$etc/sources.list.d"
	echo "deb [trusted=yes] file:$repo ./" >"$etc/sources.list"
	[ "$with_real" = yes ] || return 0
	for f in /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] && cp "$f" "$etc/sources.list.d/"
	done
	[ -f /etc/apt/sources.list ] && cat /etc/apt/sources.list >>"$etc/sources.list"
	return 0
}

# 1. The newest listed version cannot be fetched: the script says so, falls
#    back to a real one, builds it and records which.
fake_repo "$TMP/repo1" 1:99.0-1
apt_etc "$TMP/etc1" "$TMP/repo1" yes
rc=0
APT_ETC="$TMP/etc1" sh "$SCRIPT" "$TMP/out1" >"$TMP/log1" 2>&1 || rc=$?
check "fallback: the build succeeds when the newest version is missing (rc $rc)" [ "$rc" -eq 0 ]
check "fallback: the missing version is named as skipped" \
	grep -q "libcap2 1:99.0-1 cannot be had" "$TMP/log1"
used=$(cat "$TMP/out1/VERSION" 2>/dev/null || echo none)
check "fallback: VERSION records a real version, not the missing one ($used)" \
	sh -c "[ '$used' != none ] && [ '$used' != 1:99.0-1 ]"
check "fallback: the version used is printed" grep -q "building libcap2 $used for musl" "$TMP/log1"
check "fallback: libcap.a and its headers are there" \
	test -s "$TMP/out1/libcap.a" -a -f "$TMP/out1/include/sys/capability.h"

# 2. Nothing can be fetched: one failure that names every version, newest first.
fake_repo "$TMP/repo2" 1:2.0-1 1:10.0-1 1:2.0-1+deb12u1
apt_etc "$TMP/etc2" "$TMP/repo2" no
rc=0
APT_ETC="$TMP/etc2" sh "$SCRIPT" "$TMP/out2" >"$TMP/log2" 2>&1 || rc=$?
check "none: the script fails (rc $rc)" [ "$rc" -ne 0 ]
check "none: no libcap.a is left behind" test ! -e "$TMP/out2/libcap.a"
check "none: one message names every version tried" \
	grep -q "no version of libcap2's source could be downloaded; tried, newest first:" "$TMP/log2"
order=$(sed -n 's/^  \(1:[^:]*\): .*/\1/p' "$TMP/log2" | tr '\n' ' ')
check "none: in dpkg order, newest first ($order)" \
	[ "$order" = "1:10.0-1 1:2.0-1+deb12u1 1:2.0-1 " ]

# 3. A pinned version that cannot be had is an error, never a silent substitute.
rc=0
LIBCAP_VERSION=1:99.0-1 APT_ETC="$TMP/etc1" sh "$SCRIPT" "$TMP/out3" >"$TMP/log3" 2>&1 || rc=$?
check "pin: LIBCAP_VERSION that cannot be had fails (rc $rc)" [ "$rc" -ne 0 ]
check "pin: and names it" grep -q "  1:99.0-1: " "$TMP/log3"

if [ "$failed" -ne 0 ]; then
	for f in "$TMP"/log*; do
		echo "--- $f"
		cat "$f"
	done
fi
echo "build: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
