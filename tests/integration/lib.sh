# Helpers for the integration tests: sourced by run.sh, POSIX sh.
# Every initd run is bounded by timeout, so a hang fails a case instead of the suite.
# shellcheck shell=sh disable=SC2034

# fail MESSAGE: report why the current case failed (run.sh prints it).
fail() {
	printf '%s\n' "$*" >"$T/.why"
	return 1
}

# expect WHAT ACTUAL EXPECTED
expect() {
	[ "$2" = "$3" ] || fail "$1: got '$2', expected '$3'"
}

# contains WHAT FILE TEXT
contains() {
	grep -q -- "$3" "$2" 2>/dev/null || fail "$1: '$3' not in $(head -c 300 "$2" 2>/dev/null | tr '\n' '|')"
}

# Run initd as PID 1 of a fresh PID namespace, in the foreground:
# stdout in $T/out, stderr in $T/err, exit status in $rc.
pid1() {
	rc=0
	timeout 30 unshare --pid --fork --mount-proc "$BIN" --status-file="$T/status" "$@" \
		>"$T/out" 2>"$T/err" </dev/null || rc=$?
}

# The same in the background: $initd_pid (as the host sees it) is set once it
# runs. The process tree is timeout -> unshare -> initd.
pid1_bg() {
	timeout 60 unshare --pid --fork --mount-proc "$BIN" --status-file="$T/status" "$@" \
		>"$T/out" 2>"$T/err" </dev/null &
	bg_pid=$!
	initd_pid=
	for _ in $(seq 200); do
		unshare_pid=$(pgrep -P "$bg_pid" | head -n 1 || true)
		[ -n "$unshare_pid" ] && initd_pid=$(pgrep -P "$unshare_pid" | head -n 1 || true)
		[ -n "$initd_pid" ] && return 0
		sleep 0.02
	done
	fail "initd did not start"
}

# wait_bg: wait for the background run, its status in $rc.
wait_bg() {
	rc=0
	wait "$bg_pid" || rc=$?
}

# Let an unprivileged service (--user=nobody) write into the case's directory.
open_to_all() { chmod 1777 "$T"; }

# wait_for FILE [TENTHS]: bounded wait for a file to exist (default 10 s).
wait_for() {
	n=${2:-100}
	while [ ! -s "$1" ] && [ "$n" -gt 0 ]; do
		sleep 0.1
		n=$((n - 1))
	done
	[ -s "$1" ] || fail "timed out waiting for $1"
}

# wait_state STATE [TENTHS]: bounded wait for the status file to say state=STATE.
wait_state() { wait_status_line "state=$1" "${2:-100}"; }

# wait_status_line KEY=VALUE [TENTHS]: the same for any line of the status file.
wait_status_line() {
	n=${2:-100}
	while ! grep -qx "$1" "$T/status" 2>/dev/null && [ "$n" -gt 0 ]; do
		sleep 0.1
		n=$((n - 1))
	done
	grep -qx "$1" "$T/status" 2>/dev/null || fail "status never said $1: $(tr '\n' ' ' <"$T/status" 2>/dev/null)"
}

# wait_log TEXT [TENTHS]: bounded wait for initd's stderr to contain TEXT.
wait_log() {
	n=${2:-100}
	while ! grep -q -- "$1" "$T/err" 2>/dev/null && [ "$n" -gt 0 ]; do
		sleep 0.1
		n=$((n - 1))
	done
	contains "initd's messages" "$T/err" "$1"
}

# health_is CODE WHAT: `initd health` exits CODE now.
health_is() {
	hrc=0
	"$BIN" health --status-file="$T/status" >"$T/health.out" 2>&1 || hrc=$?
	expect "health $2 ($(cat "$T/health.out"))" "$hrc" "$1"
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# A value of /proc/self/status as the service saw it, from a capture file.
field() { awk -v k="$1:" '$1 == k {print $2}' "$2"; }

# skip REASON: this machine cannot run the case; it is counted as skipped, never as passed.
skip() {
	printf '%s\n' "$*" >"$T/.why"
	exit 77
}
