# Stopping: SIGTERM, rewrite, stop signal, grace period, leftovers.
# shellcheck shell=sh disable=SC2016,SC2154
# (service scripts are single-quoted on purpose; rc, T, BIN and friends come from lib.sh and run.sh)

test_sigterm_reaches_service_and_status_propagates() {
	pid1_bg -- sh -c 'trap "echo TERM > '"$T"'/got; exit 7" TERM; echo up > '"$T"'/up; while :; do sleep 0.05; done'
	wait_for "$T/up"
	t0=$(now_ms)
	kill -TERM "$initd_pid"
	wait_bg
	took=$(($(now_ms) - t0))
	expect "exit status" "$rc" 7
	expect "signal seen by the service" "$(cat "$T/got")" TERM
	[ "$took" -lt 3000 ] || fail "exit took ${took}ms"
}

test_ignored_sigterm_is_killed_after_grace_with_its_children() {
	rc=0
	"$BIN" --status-file="$T/status" -t 1s -- sh -c '
		sh -c "trap \"\" TERM; exec sleep 300" & echo $! > '"$T"'/grandchild
		trap "" TERM; echo up > '"$T"'/up
		while :; do sleep 0.05; done' >"$T/out" 2>"$T/err" </dev/null &
	initd=$!
	wait_for "$T/up"
	t0=$(now_ms)
	kill -TERM "$initd"
	wait "$initd" || rc=$?
	took=$(($(now_ms) - t0))
	expect "exit status" "$rc" 137
	[ "$took" -ge 900 ] || fail "SIGKILL came after ${took}ms, before the 1s grace"
	[ "$took" -lt 5000 ] || fail "exit took ${took}ms"
	sleep 0.2
	if kill -0 "$(cat "$T/grandchild")" 2>/dev/null; then
		fail "the service's child survived initd"
	fi
	contains "message" "$T/err" "sending SIGKILL"
}

test_rewrite_term_to_quit() {
	pid1_bg --rewrite=TERM:QUIT -- sh -c '
		trap "echo TERM > '"$T"'/got; exit 1" TERM
		trap "echo QUIT > '"$T"'/got; exit 0" QUIT
		echo up > '"$T"'/up; while :; do sleep 0.05; done'
	wait_for "$T/up"
	kill -TERM "$initd_pid"
	wait_bg
	expect "signal seen by the service" "$(cat "$T/got")" QUIT
	expect "exit status" "$rc" 0
}

test_stop_signal_option() {
	pid1_bg --stop-signal=INT -- sh -c '
		trap "echo TERM > '"$T"'/got; exit 1" TERM
		trap "echo INT > '"$T"'/got; exit 0" INT
		echo up > '"$T"'/up; while :; do sleep 0.05; done'
	wait_for "$T/up"
	kill -TERM "$initd_pid"
	wait_bg
	expect "signal seen by the service" "$(cat "$T/got")" INT
	expect "exit status" "$rc" 0
}

test_leftovers_get_the_stop_signal_before_sigkill() {
	# The service exits 0 (no restart); a leftover that handles TERM must hear it.
	pid1 -t 5s -- sh -c '
		sh -c "trap \"echo TERM > '"$T"'/leftover; exit 0\" TERM; while :; do sleep 0.05; done" &
		sleep 0.3; exit 0'
	expect "exit status" "$rc" 0
	expect "leftover's signal" "$(cat "$T/leftover" 2>/dev/null)" TERM
}

test_stop_during_backoff_exits_at_once_with_last_status() {
	pid1_bg --backoff-min=20s --backoff-max=20s -- sh -c 'exit 3'
	wait_state backoff
	t0=$(now_ms)
	kill -TERM "$initd_pid"
	wait_bg
	took=$(($(now_ms) - t0))
	expect "exit status" "$rc" 3
	[ "$took" -lt 2000 ] || fail "exit took ${took}ms"
}

test_no_restart_after_stop_request() {
	pid1_bg -r always --backoff-min=50ms -- sh -c '
		echo run >> '"$T"'/runs
		trap "exit 5" TERM; while :; do sleep 0.05; done'
	wait_for "$T/runs"
	kill -TERM "$initd_pid"
	wait_bg
	expect "exit status" "$rc" 5
	expect "runs" "$(wc -l <"$T/runs")" 1
}

# stop_by SIGNAL: a stop request by SIGNAL reaches the service as --stop-signal
# TERM; forwarded instead, SIGNAL would kill it and on-failure restart it.
stop_by() {
	pid1_bg --stop-signal=TERM -t 5s -- sh -c '
		trap "echo TERM > '"$T"'/got; exit 0" TERM
		echo up > '"$T"'/up; while :; do sleep 0.05; done'
	wait_for "$T/up"
	t0=$(now_ms)
	kill "-$1" "$initd_pid"
	wait_bg
	took=$(($(now_ms) - t0))
	expect "exit status after $1" "$rc" 0
	expect "signal seen by the service after $1" "$(cat "$T/got" 2>/dev/null)" TERM
	[ "$took" -lt 3000 ] || fail "exit after $1 took ${took}ms"
	rm -f "$T/up" "$T/got"
}

test_sigpwr_means_stop() {
	stop_by PWR
}

test_rtmin_3_means_stop_in_both_numberings() {
	# 37 is SIGRTMIN+3 for glibc (systemd-nspawn), 38 for musl (busybox kill).
	stop_by 37
	stop_by 38
}
