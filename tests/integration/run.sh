#!/bin/sh
# Integration tests: the real static binary, as PID 1 of a fresh PID namespace
# (unshare --pid --fork --mount-proc) or as a subreaper. Needs root.
# usage: run.sh BUILD/INITD [NAME-PATTERN]
set -eu

here=$(cd "$(dirname "$0")" && pwd)
BIN=$(cd "$(dirname "${1:?usage: run.sh BUILD/INITD [PATTERN]}")" && pwd)/$(basename "$1")
pattern=${2:-}
export BIN

if [ "$(id -u)" != 0 ] || ! unshare --pid --fork --mount-proc true 2>/dev/null; then
	echo "integration: cannot create PID namespaces here (root and unshare needed)" >&2
	echo "integration: 0 passed, 1 failed"
	exit 1
fi

# The orphan-storm and benchmark probe and the notify sender, built once.
SUITE_TMP=$(mktemp -d)
trap 'rm -rf "$SUITE_TMP"' EXIT INT TERM
BURST=$SUITE_TMP/burst
cc -O2 -o "$BURST" "$here/../bench/burst.c"
# A service speaking sd_notify, for the readiness and watchdog cases.
NOTIFY_SEND=$SUITE_TMP/notify-send
cc -O2 -o "$NOTIFY_SEND" "$here/notify-send.c"
export BURST NOTIFY_SEND

passed=0 failed=0 skipped=0
for file in "$here"/t_*.sh; do
	# shellcheck disable=SC2013 # test names are single words
	for name in $(sed -n 's/^\(test_[a-z0-9_]*\)() *{*$/\1/p' "$file"); do
		case "$name" in *"$pattern"*) ;; *) continue ;; esac
		T=$(mktemp -d)
		export T
		# Each case in its own shell: its variables, traps and failures stay its own.
		status=0
		(
			set -eu
			# shellcheck source=tests/integration/lib.sh
			. "$here/lib.sh"
			# shellcheck disable=SC1090
			. "$file"
			"$name"
		) || status=$?
		# The subshell is the left side of ||, where set -e does not apply: a
		# check that failed before the last one left only its reason behind.
		if [ "$status" -eq 0 ] && [ -s "$T/.why" ]; then
			status=1
		fi
		case $status in
		0)
			passed=$((passed + 1))
			echo "ok - $name"
			;;
		77)
			skipped=$((skipped + 1))
			echo "SKIP - $name: $(cat "$T/.why" 2>/dev/null)"
			;;
		*)
			failed=$((failed + 1))
			echo "FAIL - $name: $(cat "$T/.why" 2>/dev/null || echo "exit $status")"
			sed 's/^/    stderr: /' "$T/err" 2>/dev/null | head -n 8
			;;
		esac
		rm -rf "$T"
	done
done
echo "integration: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
