# Liveness: --check-cmd restarts a hung service, --watchdog, and what never runs a check.
# shellcheck shell=sh disable=SC2016,SC2154
# (service scripts are single-quoted on purpose; rc, T, BIN and friends come from lib.sh and run.sh)

test_failing_checks_restart_the_service_in_place() {
	pid1_bg --check-cmd="test ! -e $T/hang" --check-interval=100ms --check-retries=3 --backoff-min=100ms -- \
		sh -c 'echo $$ >> '"$T"'/pids; trap "exit 0" TERM; while :; do sleep 0.05; done'
	wait_for "$T/pids"
	wait_state running
	health_is 0 "while checks pass"
	touch "$T/hang"
	wait_log "service is hung: 3 checks failed in a row, the last exited with status 1; stopping it to restart it"
	rm -f "$T/hang"
	wait_status_line restarts=1
	wait_status_line state=running
	expect "runs" "$(wc -l <"$T/pids")" 2
	contains "reason" "$T/status" '^last_reason=unhealthy$'
	health_is 0 "once restarted and passing"
	kill -TERM "$initd_pid"
	wait_bg
	expect "exit status" "$rc" 0
}

test_a_stopped_service_gets_the_stop_signal_not_sigkill() {
	# First run: the service stops itself (SIGSTOP) and its checks fail. initd
	# follows its stop signal with SIGCONT, so the trap runs long before the
	# 20 s grace period would end in SIGKILL.
	pid1_bg --check-cmd="test ! -e $T/stopped" --check-interval=100ms --check-retries=2 --grace=20s \
		--backoff-min=100ms -- sh -c 'echo $$ >> '"$T"'/pids; trap "echo term >> '"$T"'/got; exit 0" TERM
		if [ "$(wc -l < '"$T"'/pids)" -eq 1 ]; then touch '"$T"'/stopped; kill -STOP $$; fi
		rm -f '"$T"'/stopped; while :; do sleep 0.05; done'
	wait_log "service is hung: 2 checks failed in a row"
	wait_status_line restarts=1 50
	contains "the trap ran" "$T/got" '^term$'
	if grep -q "sending SIGKILL" "$T/err"; then fail "the stopped service was SIGKILLed"; fi
	kill -TERM "$initd_pid"
	wait_bg
	expect "exit status" "$rc" 0
}

test_a_success_resets_the_count() {
	# Fails every other run: never three in a row, never a restart.
	pid1_bg --check-cmd="if [ -e $T/odd ]; then rm $T/odd; exit 1; else touch $T/odd; fi" \
		--check-interval=50ms --check-retries=2 -- sleep 30
	sleep 1.2
	contains "no restart" "$T/status" '^restarts=0$'
	kill -TERM "$initd_pid"
	wait_bg
}

test_hanging_check_is_killed_with_its_group_and_reaped() {
	pid1_bg --check-cmd="sleep 300 & echo \$! > $T/grandchild; exec sleep 301" --check-timeout=200ms \
		--check-interval=100ms --check-retries=2 --backoff-min=5s -- sleep 30
	wait_log "the last timed out after 200ms"
	wait_state backoff
	# In backoff initd has no child: the check and its grandchild were killed
	# (one group) and reaped, zombies included.
	for _ in $(seq 20); do
		pgrep -P "$initd_pid" >/dev/null || break
		sleep 0.1
	done
	left=$(ps -o pid=,stat=,args= --ppid "$initd_pid" | tr '\n' '|')
	expect "initd's children in backoff" "$left" ""
	kill -TERM "$initd_pid"
	wait_bg
}

test_no_checks_during_backoff_or_stopping() {
	pid1_bg --check-cmd="echo check >> $T/checks" --check-interval=50ms --backoff-min=1s -- sh -c 'exit 1'
	sleep 1.5
	[ -e "$T/checks" ] && fail "a check ran while the service was not running: $(wc -l <"$T/checks")"
	kill -TERM "$initd_pid"
	wait_bg
	pid1_bg -t 1s --check-cmd="echo check >> $T/checks" --check-interval=50ms -- \
		sh -c 'trap "" TERM; while :; do sleep 0.05; done'
	wait_for "$T/checks"
	kill -TERM "$initd_pid"
	sleep 0.1
	before=$(wc -l <"$T/checks")
	wait_bg
	expect "checks while stopping" "$(wc -l <"$T/checks")" "$before"
}

test_check_runs_as_the_service_user() {
	open_to_all
	pid1_bg --user=nobody --check-cmd="id -u > $T/check.uid" --check-interval=100ms -- sh -c 'id -u > '"$T"'/service.uid; exec sleep 30'
	wait_for "$T/check.uid"
	expect "check uid" "$(cat "$T/check.uid")" "$(cat "$T/service.uid")"
	expect "not root" "$(cat "$T/check.uid")" "$(id -u nobody)"
	kill -TERM "$initd_pid"
	wait_bg
}

test_watchdog_silence_restarts_the_service() {
	# Pings for half a second, then hangs (alive, silent).
	pid1_bg --ready=notify --watchdog=300ms --backoff-min=5s -- sh -c 'echo "$WATCHDOG_USEC" > '"$T"'/usec
		exec "$NOTIFY_SEND" READY=1 -- "$NOTIFY_SEND" --repeat=100 --count=5 WATCHDOG=1'
	wait_for "$T/usec"
	expect "WATCHDOG_USEC" "$(cat "$T/usec")" 300000
	wait_log "service sent no WATCHDOG=1 for 300ms; stopping it to restart it" 50
	wait_state backoff
	contains "reason" "$T/status" '^last_reason=unhealthy$'
	kill -TERM "$initd_pid"
	wait_bg
}

test_watchdog_needs_notify() {
	pid1 --watchdog=1s -- true
	expect "usage error" "$rc" 2
	contains "message" "$T/err" "needs --ready=notify"
}
