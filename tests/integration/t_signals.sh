# Forwarding: HUP without restart, --group, the child's signal mask and dispositions.
# shellcheck shell=sh disable=SC2016,SC2154
# (service scripts are single-quoted on purpose; rc, T, BIN and friends come from lib.sh and run.sh)

test_hup_is_forwarded_without_restart() {
	pid1_bg -- sh -c '
		trap "echo HUP >> '"$T"'/got" HUP
		trap "exit 0" TERM
		echo up > '"$T"'/up; while :; do sleep 0.05; done'
	wait_for "$T/up"
	kill -HUP "$initd_pid"
	wait_for "$T/got"
	kill -HUP "$initd_pid"
	sleep 0.3
	expect "HUPs received" "$(wc -l <"$T/got")" 2
	contains "still running" "$T/status" "state=running"
	contains "no restart" "$T/status" "restarts=0"
	kill -TERM "$initd_pid"
	wait_bg
	expect "exit status" "$rc" 0
}

test_group_reaches_the_whole_process_group() {
	pid1_bg --group -- sh -c '
		sh -c "trap \"echo USR1 > '"$T"'/grandchild; exit 0\" USR1; echo up > '"$T"'/up; while :; do sleep 0.05; done" &
		trap "" USR1
		trap "exit 0" TERM
		while :; do sleep 0.05; done'
	wait_for "$T/up"
	kill -USR1 "$initd_pid"
	wait_for "$T/grandchild" 50
	expect "grandchild's signal" "$(cat "$T/grandchild")" USR1
	kill -TERM "$initd_pid"
	wait_bg
}

test_without_group_only_the_service_is_signalled() {
	pid1_bg -- sh -c '
		sh -c "trap \"echo USR1 > '"$T"'/grandchild; exit 0\" USR1; echo up > '"$T"'/up; while :; do sleep 0.05; done" &
		trap "echo USR1 > '"$T"'/service" USR1
		trap "exit 0" TERM
		while :; do sleep 0.05; done'
	wait_for "$T/up"
	kill -USR1 "$initd_pid"
	wait_for "$T/service" 50
	sleep 0.3
	[ ! -e "$T/grandchild" ] || fail "the grandchild got a signal meant for the service alone"
	kill -TERM "$initd_pid"
	wait_bg
}

test_service_gets_a_clean_signal_mask_and_no_stray_fds() {
	# Every descriptor above 2 is closed first (burst closefds), so only initd
	# could add one. Whatever this shell inherits as ignored, the service must
	# too, but for the stop signals (TERM INT QUIT PWR, 37 and 38): initd gives
	# those back their default action.
	# The shell's own mask (/proc/$$): awk's would be awk's, and gawk ignores PIPE.
	ign=$(awk '/^SigIgn/ {print $2}' /proc/$$/status)
	printf '%016x\n' $((0x$ign & ~0x3020004006)) >"$T/expected_ign"
	rc=0
	timeout 30 unshare --pid --fork --mount-proc "$BURST" closefds "$BIN" --status-file="$T/status" -r never -- \
		sh -c 'cat /proc/self/status > '"$T"'/proc_status; ls /proc/$$/fd > '"$T"'/fds; true' \
		>"$T/out" 2>"$T/err" </dev/null || rc=$?
	expect "exit status" "$rc" 0
	expect "blocked signals" "$(field SigBlk "$T/proc_status")" 0000000000000000
	expect "ignored signals" "$(field SigIgn "$T/proc_status")" "$(cat "$T/expected_ign")"
	# Listed into a file (a pipe's ends would be the shell's own while ls reads
	# its descriptors, a race that showed under load); the shell keeps a copy
	# of stdout for the redirection, so the same listing without initd is the
	# expected one.
	"$BURST" closefds sh -c 'ls /proc/$$/fd > '"$T"'/fds.expected; true' </dev/null >/dev/null 2>&1
	expect "open descriptors" "$(sort -n "$T/fds" | tr '\n' ' ')" "$(sort -n "$T/fds.expected" | tr '\n' ' ')"
	contains "the listing" "$T/fds.expected" '^2$'
}

test_stop_signal_inherited_as_ignored_reaches_the_service() {
	# A non-interactive shell starts a background job with INT and QUIT ignored
	# (no timeout(1) in between: it would catch them and exec with defaults).
	# The service shell can trap QUIT only if initd gave it back its default:
	# a shell cannot trap what it inherits ignored, and the grace would end it.
	timeout 30 sh -c '"$@" & echo $! > "$0"; wait $!' "$T/initd.pid" \
		"$BIN" --status-file="$T/status" --rewrite=TERM:QUIT -t 5s -- sh -c '
		cat /proc/$$/status > '"$T"'/service_status
		trap "echo QUIT > '"$T"'/got; exit 0" QUIT
		echo up > '"$T"'/up; while :; do sleep 0.05; done' \
		>"$T/out" 2>"$T/err" </dev/null &
	# shellcheck disable=SC2034 # wait_bg (lib.sh) waits for it
	bg_pid=$!
	wait_for "$T/initd.pid"
	wait_for "$T/up"
	initd=$(cat "$T/initd.pid")
	ign=$(field SigIgn "/proc/$initd/status")
	expect "INT and QUIT ignored in initd (SigIgn $ign)" $((0x$ign & 0x6)) 6
	service_ign=$(field SigIgn "$T/service_status")
	expect "INT and QUIT not ignored in the service (SigIgn $service_ign)" $((0x$service_ign & 0x6)) 0
	t0=$(now_ms)
	kill -TERM "$initd"
	wait_bg
	took=$(($(now_ms) - t0))
	expect "signal seen by the service" "$(cat "$T/got" 2>/dev/null)" QUIT
	expect "exit status" "$rc" 0
	[ "$took" -lt 3000 ] || fail "exit took ${took}ms: the grace, not the service's trap"
}
