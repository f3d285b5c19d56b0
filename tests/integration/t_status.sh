# The status file, `initd status` and `initd health`.
# shellcheck shell=sh disable=SC2016,SC2154
# (service scripts are single-quoted on purpose; rc, T, BIN and friends come from lib.sh and run.sh)

test_status_and_health_of_a_running_service() {
	pid1_bg -- sh -c 'trap "exit 0" TERM; while :; do sleep 0.05; done'
	wait_state running
	contains "pid line" "$T/status" '^pid=[1-9][0-9]*$'
	contains "restarts line" "$T/status" '^restarts=0$'
	rc=0
	"$BIN" status --status-file="$T/status" >"$T/status.out" 2>&1 || rc=$?
	expect "status command" "$rc" 0
	contains "status words" "$T/status.out" "state: *running (pid [0-9]*)"
	rc=0
	"$BIN" health --status-file="$T/status" >"$T/health.out" 2>&1 || rc=$?
	expect "health while running" "$rc" 0
	contains "health words" "$T/health.out" "^healthy: running"
	rc=0
	"$BIN" health --status-file="$T/status" --min-uptime=1m >"$T/health.out" 2>&1 || rc=$?
	expect "health before min uptime" "$rc" 1
	kill -TERM "$initd_pid"
	wait_bg
	contains "final state" "$T/status" '^state=exited$'
	rc=0
	"$BIN" health --status-file="$T/status" >"$T/health.out" 2>&1 || rc=$?
	expect "health once exited" "$rc" 1
}

test_status_counts_restarts_and_last_status() {
	pid1_bg --backoff-min=30s -- sh -c 'exit 3'
	wait_state backoff
	contains "restarts" "$T/status" '^restarts=1$'
	contains "last status" "$T/status" '^last_status=3$'
	contains "no pid while waiting" "$T/status" '^pid=0$'
	kill -TERM "$initd_pid"
	wait_bg
}

test_health_without_status_file_is_unhealthy() {
	rc=0
	"$BIN" health --status-file="$T/none" >"$T/out" 2>&1 || rc=$?
	expect "exit status" "$rc" 1
	rc=0
	"$BIN" status --status-file="$T/none" >"$T/out" 2>"$T/err" || rc=$?
	expect "status exit" "$rc" 1
	contains "message" "$T/err" "initd: cannot read status file"
}

test_unwritable_status_file_warns_once_and_carries_on() {
	rc=0
	timeout 30 unshare --pid --fork --mount-proc "$BIN" --status-file=/nonexistent/dir/status \
		--backoff-min=10ms --max-restarts=2 -- sh -c 'exit 5' >"$T/out" 2>"$T/err" || rc=$?
	expect "exit status" "$rc" 5
	expect "warnings" "$(grep -c 'cannot write status file' "$T/err")" 1
}

test_status_and_health_without_a_writable_file_system() {
	# No status file can be written (a read-only root with no writable /run):
	# initd answers on its status socket, to whoever is in its PID namespace
	# (docker exec lands there), root or not.
	nowhere=/nonexistent/dir/status
	pid1_bg --status-file=$nowhere -- sh -c 'trap "exit 0" TERM; echo up > '"$T"'/up; while :; do sleep 0.05; done'
	wait_for "$T/up"
	rc=0
	nsenter -t "$initd_pid" -p -- "$BIN" status --status-file=$nowhere >"$T/status.out" 2>&1 || rc=$?
	expect "status as root ($(cat "$T/status.out"))" "$rc" 0
	contains "status words" "$T/status.out" "state: *running (pid [0-9]*)"
	rc=0
	nsenter -t "$initd_pid" -p -- setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$BIN" health --status-file=$nowhere >"$T/health.out" 2>&1 || rc=$?
	expect "health as nobody ($(cat "$T/health.out"))" "$rc" 0
	rc=0
	nsenter -t "$initd_pid" -p -- "$BIN" status --json --status-file=$nowhere >"$T/json" 2>&1 || rc=$?
	contains "json" "$T/json" '^{"state":"running",'
	# Outside its namespace nothing answers and there is no file.
	rc=0
	"$BIN" health --status-file=$nowhere >"$T/health.out" 2>&1 || rc=$?
	expect "health from another namespace" "$rc" 1
	kill -TERM "$initd_pid"
	wait_bg
}

test_status_rewrites_free_no_inode() {
	# Every write after the first exchanges two inodes, PATH and PATH.tmp:
	# nothing is freed (a freed inode costs a synchronous discard on ext4
	# mounted with discard), and a second run reuses the same two.
	pid1 --backoff-min=10ms --max-restarts=2 -- sh -c 'exit 4'
	expect "first run" "$rc" 4
	before=$(stat -c %i "$T/status" "$T/status.tmp" 2>/dev/null | sort -n | tr '\n' ' ')
	pid1 --backoff-min=10ms --max-restarts=3 -- sh -c 'exit 4'
	expect "second run" "$rc" 4
	after=$(stat -c %i "$T/status" "$T/status.tmp" | sort -n | tr '\n' ' ')
	expect "inodes of the status file and its temporary" "$after" "$before"
	contains "the file says the end" "$T/status" '^state=exited$'
	contains "and the last run" "$T/status" '^last_status=4$'
}
