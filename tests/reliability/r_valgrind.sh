#!/bin/bash
# valgrind memcheck over whole lifecycles of initd as PID 1, and the descriptors
# its service is born with.
# usage: r_valgrind.sh FAST|FULL  (the same cases in both modes: they take seconds)
#
# The memcheck build is build/valgrind/initd: glibc, dynamic, -O0 -g, linked with
# Debian's libcap. valgrind cannot replace malloc in a static binary (it has no
# shared object to intercept), so a static musl initd would show no heap at all.
# That build leaves init/heap.c out: its no-op free is a size trick for
# musl's child-only heap, and under glibc it would turn every free of libcap in
# the child into a leak report.
set -u

mode=${1:-FAST}
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
VG_BIN=$ROOT/build/valgrind/initd
BIN=$ROOT/build/initd
T=$(mktemp -d)
chmod 755 "$T"
trap '[ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT

row() { printf 'ROW\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4"; }
failed=0
echo "valgrind ($mode): $(valgrind --version 2>/dev/null), work in $T"

if ! command -v valgrind >/dev/null || [ ! -x "$VG_BIN" ]; then
	row valgrind "memcheck of initd lifecycles" "valgrind or $VG_BIN missing (make valgrind-build)" FAILED
	exit 1
fi
if [ "$(id -u)" != 0 ] || ! unshare --pid --fork --mount-proc true 2>/dev/null; then
	row valgrind "memcheck of initd lifecycles" "SKIPPED: needs root and unshare --pid (PID namespaces)" SKIPPED
	exit 0
fi

# The descriptors a service may have: exactly those of a shell started the same
# way without initd (0, 1, 2 and whatever this script itself inherited).
# One command, no pipeline: a shell holds the pipes of a pipeline it is setting
# up, and they would show up in its own listing.
# shellcheck disable=SC2016 # expanded by the service's shell, not this one
FDLIST='ls /proc/$$/fd > $0/fds'
fdset() { sort -n "$1" 2>/dev/null | tr '\n' ' '; }
mkdir -p "$T/baseline"
sh -c "$FDLIST" "$T/baseline" 9>/dev/null </dev/null 2>/dev/null
baseline=$(fdset "$T/baseline/fds")

# vg CASE EXPECTED-RC ARGS...: initd under memcheck as PID 1, in the background.
# valgrind writes to fd 9, which initd inherits like any descriptor of its caller.
vg_start() {
	case_dir=$T/$1
	mkdir -p "$case_dir"
	chmod 1777 "$case_dir"
	shift
	timeout -k 5 60 unshare --kill-child --pid --fork --mount-proc \
		valgrind --log-fd=9 --leak-check=full --show-leak-kinds=all \
		--errors-for-leak-kinds=definite,indirect --error-exitcode=99 --track-fds=yes \
		--trace-children=no "$VG_BIN" --status-file="$case_dir/status" "$@" \
		9>"$case_dir/vg.log" >"$case_dir/out" 2>"$case_dir/err" </dev/null &
	bg=$!
	initd_pid=
	for _ in $(seq 300); do
		u=$(pgrep -P "$bg" | head -n 1)
		[ -n "$u" ] && initd_pid=$(pgrep -P "$u" | head -n 1)
		[ -n "$initd_pid" ] && return 0
		sleep 0.02
	done
}

vg_wait() {
	rc=0
	wait "$bg" || rc=$?
}

wait_file() {
	for _ in $(seq 200); do
		[ -s "$1" ] && return 0
		sleep 0.05
	done
	return 1
}

# judge NAME WHAT EXPECTED-RC [EXTRA-CHECK-MESSAGE]: one row from the case's logs.
judge() {
	local name=$1 what=$2 want=$3 extra=${4:-}
	local log=$T/$name/vg.log problems=""
	local errors lost heap fds
	errors=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$log" | awk '{s += $1} END {print s + 0}')
	lost=$(sed -n 's/.*\(definitely\|indirectly\) lost: \([0-9,]*\) bytes.*/\2/p' "$log" | tr -d , | awk '{s += $1} END {print s + 0}')
	heap=$(sed -n 's/^==1== *total heap usage: \([0-9,]*\) allocs.*/\1/p' "$log" | head -n 1)
	# Descriptors still open when initd exits that it did not inherit: its own leaks.
	fds=$(awk '/^==1== Open file descriptor/ {fd = $5; sub(":", "", fd); getline; if ($0 !~ /inherited from parent/) print fd}' "$log" | tr '\n' ' ')
	[ "$rc" = "$want" ] || problems="$problems exit $rc (expected $want);"
	grep -q 'ERROR SUMMARY' "$log" || problems="$problems no valgrind summary;"
	[ "$errors" = 0 ] || problems="$problems $errors memcheck errors;"
	[ "$lost" = 0 ] || problems="$problems $lost bytes definitely/indirectly lost;"
	[ -z "$fds" ] || problems="$problems initd left fds $fds open;"
	[ -z "$extra" ] || problems="$problems $extra;"
	if [ -z "$problems" ]; then
		row valgrind "memcheck: $what" "exit $rc; 0 errors; 0 B definitely/indirectly lost; ${heap:-0} allocs in initd; no fd of its own open at exit" held
	else
		row valgrind "memcheck: $what" "${problems# }" FAILED
		failed=1
		sed "s/^/$name: /" "$log" | grep -v '^$' | tail -n 40
		sed "s/^/$name stderr: /" "$T/$name/err" | tail -n 10
	fi
}

# svc_fds NAME: the service's descriptors, as it listed them itself.
check_fds() {
	local got
	got=$(fdset "$T/$1/fds")
	[ "$got" = "$baseline" ] || echo "service fds '$got', expected '$baseline'"
}

# 1. Start, then a graceful stop: TERM reaches the service, which exits 0.
vg_start stop -v --grace=5s -- sh -c "$FDLIST; trap 'exit 0' TERM; echo up > \$0/up; while :; do sleep 0.05; done" "$T/stop"
wait_file "$T/stop/up"
kill -TERM "$initd_pid"
vg_wait
judge stop "initd as PID 1: start, SIGTERM, graceful stop" 0 "$(check_fds stop)"

# 2. Crashes and restarts with backoff, until --max-restarts gives up.
vg_start restart --backoff-min=20ms --backoff-max=80ms --max-restarts=4 -- sh -c 'kill -KILL $$'
vg_wait
n=$(grep -c 'restart [0-9]* in' "$T/restart/err")
judge restart "initd as PID 1: 4 crashes (SIGKILL), backoff 20-80ms, give up" 137 "$([ "$n" = 4 ] || echo "$n restart lines, expected 4")"

# 3. A service that ignores the stop signal: SIGKILL when the grace period ends.
vg_start grace --grace=300ms -- sh -c "trap '' TERM; echo up > \$0/up; while :; do sleep 0.05; done" "$T/grace"
wait_file "$T/grace/up"
kill -TERM "$initd_pid"
vg_wait
judge grace "initd as PID 1: TERM ignored, SIGKILL after --grace=300ms" 137 "$(grep -q 'grace period of 300ms over' "$T/grace/err" || echo 'no grace line')"

# 4. --pre programs before the service, which lists its descriptors.
mkdir -p "$T/pre"
printf '#!/bin/sh\necho pre >> %s\n' "$T/pre/log" >"$T/pre1.sh"
chmod 755 "$T/pre1.sh"
vg_start pre -r never --pre="$T/pre1.sh" --pre="$T/pre1.sh" -- sh -c "$FDLIST; echo svc >> \$0/log" "$T/pre"
vg_wait
judge pre "initd as PID 1: two --pre programs, then the service" 0 "$(check_fds pre; [ "$(tr '\n' ' ' <"$T/pre/log")" = "pre pre svc " ] || echo "order: $(tr '\n' ' ' <"$T/pre/log")")"

# 5. --user and --caps: the privilege drop (libcap's heap) happens in the child.
vg_start user -r never --user=nobody --caps=net_bind_service -- sh -c "$FDLIST; id -u > \$0/uid" "$T/user"
vg_wait
judge user "initd as PID 1: --user=nobody --caps=net_bind_service" 0 "$(check_fds user; [ "$(cat "$T/user/uid" 2>/dev/null)" = 65534 ] || echo "uid $(cat "$T/user/uid" 2>/dev/null)")"

# 6. A command that does not exist: the child's _exit(127) path, under memcheck too.
vg_start missing -- /nonexistent/command
vg_wait
judge missing "initd as PID 1: COMMAND not found (exit 127 at first start)" 127

# 6b. Readiness and liveness: READY=1 on the notify socket (NOTIFY_SOCKET set
# in the child), a check that always fails, the restart it causes, giving up.
cc -O2 -o "$T/notify-send" "$ROOT/tests/integration/notify-send.c"
vg_start notify --ready=notify --check-cmd=false --check-interval=50ms --check-retries=2 --max-restarts=1 \
	--backoff-min=20ms -- "$T/notify-send" READY=1 -- sh -c "trap 'exit 0' TERM; while :; do sleep 0.05; done"
vg_wait
judge notify "initd as PID 1: READY=1 by sd_notify, failing --check-cmd, restart, give up" 0 \
	"$([ "$(grep -c 'is hung' "$T/notify/err")" = 2 ] || echo "$(grep -c 'is hung' "$T/notify/err") hung lines, expected 2")"

# 7. The status and health commands read the file case 1 left.
for cmd in status health; do
	mkdir -p "$T/$cmd"
	rc=0
	valgrind --log-fd=9 --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
		--track-fds=yes "$VG_BIN" "$cmd" --status-file="$T/stop/status" 9>"$T/$cmd/vg.log" >"$T/$cmd/out" 2>"$T/$cmd/err" || rc=$?
	# initd exits after the service: the file says exited, so health answers 1.
	want=0
	[ "$cmd" = health ] && want=1
	judge "$cmd" "\`initd $cmd\` on the status file case 1 left" "$want"
done

# 8. A usage error: the message path.
mkdir -p "$T/usage"
rc=0
valgrind --log-fd=9 --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
	--track-fds=yes "$VG_BIN" --grace=soon -- true 9>"$T/usage/vg.log" >"$T/usage/out" 2>"$T/usage/err" || rc=$?
judge usage "usage error (--grace=soon)" 2

# The shipped static binary, no valgrind: the descriptors its service starts with.
if [ -x "$BIN" ]; then
	problems=""
	for c in plain user; do
		mkdir -p "$T/static-$c"
		chmod 1777 "$T/static-$c"
		set -- -r never
		[ "$c" = user ] && set -- "$@" --user=nobody --pre=/bin/true
		timeout -k 5 30 unshare --kill-child --pid --fork --mount-proc "$BIN" --status-file="$T/static-$c/status" "$@" \
			-- sh -c "$FDLIST" "$T/static-$c" 9>/dev/null >/dev/null 2>&1 </dev/null
		p=$(check_fds "static-$c")
		[ -z "$p" ] || problems="$problems $c: $p;"
	done
	if [ -z "$problems" ]; then
		row valgrind "fds of the service under build/initd (plain; --user + --pre)" "service has exactly its caller's fds: $baseline" held
	else
		row valgrind "fds of the service under build/initd (plain; --user + --pre)" "${problems# }" FAILED
		failed=1
	fi
fi
exit "$failed"
