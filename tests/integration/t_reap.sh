# Reaping: orphans of any parent, as PID 1 and as a subreaper.
# shellcheck shell=sh disable=SC2016,SC2154
# (service scripts are single-quoted on purpose; rc, T, BIN and friends come from lib.sh and run.sh)

test_5000_orphans_leave_no_zombie() {
	pid1 -r never -- sh -c "$BURST orphans 5000 >/dev/null &&
		grep -ls '^State:.*Z' /proc/[0-9]*/status | wc -l"
	expect "exit status" "$rc" 0
	expect "zombies after the storm" "$(tr -d ' ' <"$T/out")" 0
}

test_subreaper_adopts_orphans_when_not_pid1() {
	rc=0
	timeout 30 "$BIN" --status-file="$T/status" -r never -- sh -c '
		sh -c "sleep 3 & echo \$! > '"$T"'/orphan"
		sleep 0.3
		awk "{print \$4}" /proc/$(cat '"$T"'/orphan)/stat > '"$T"'/ppid
		echo $PPID > '"$T"'/initd' >"$T/out" 2>"$T/err" || rc=$?
	expect "exit status" "$rc" 0
	expect "orphan's parent" "$(cat "$T/ppid")" "$(cat "$T/initd")"
	# initd waited for the orphan (it got the stop signal) instead of leaving it behind.
	kill -0 "$(cat "$T/orphan")" 2>/dev/null && fail "orphan still alive after initd exited"
	return 0
}
