# Readiness: --ready=notify (sd_notify), fd:N (s6), cmd; --ready-timeout.
# shellcheck shell=sh disable=SC2016,SC2154
# (service scripts are single-quoted on purpose; rc, T, BIN and friends come from lib.sh and run.sh)

test_notify_ready_makes_health_pass_and_keeps_status_text() {
	pid1_bg -v --ready=notify -- sh -c 'echo "$NOTIFY_SOCKET" > '"$T"'/socket; while [ ! -e '"$T"'/go ]; do sleep 0.05; done
		exec "$NOTIFY_SEND" "READY=1
STATUS=serving \"all\"" -- sleep 30'
	wait_for "$T/socket"
	contains "NOTIFY_SOCKET is abstract" "$T/socket" '^@.'
	wait_state running
	contains "not ready before READY=1" "$T/status" '^ready=no$'
	health_is 1 "before READY=1"
	contains "why" "$T/health.out" "not ready"
	touch "$T/go"
	wait_status_line ready=yes
	health_is 0 "after READY=1"
	contains "STATUS= kept" "$T/status" '^text=serving "all"$'
	"$BIN" status --json --status-file="$T/status" >"$T/json"
	contains "json ready" "$T/json" '"ready":true,'
	contains "json text" "$T/json" '"status_text":"serving \\"all\\""'
	contains "ready line" "$T/err" "service is ready after"
	kill -TERM "$initd_pid"
	wait_bg
	expect "exit status" "$rc" 143
}

test_notify_from_another_process_is_ignored() {
	pid1_bg -vvv --ready=notify -- sh -c '"$NOTIFY_SEND" --child READY=1 && echo sent > '"$T"'/sent; exec sleep 30'
	wait_for "$T/sent"
	wait_log "not the service (1 dropped)"
	contains "still not ready" "$T/status" '^ready=no$'
	health_is 1 "after a forged READY=1"
	kill -TERM "$initd_pid"
	wait_bg
}

test_malformed_and_oversized_messages_are_dropped() {
	pid1_bg -vvv --ready=notify -- sh -c '"$NOTIFY_SEND" --size=8192 READY=1; "$NOTIFY_SEND" "no equals sign"
		exec "$NOTIFY_SEND" "READY=1" -- sleep 30'
	wait_status_line ready=yes
	contains "oversized" "$T/err" "dropped a too long message"
	contains "malformed" "$T/err" "dropped a malformed message"
	kill -TERM "$initd_pid"
	wait_bg
}

test_only_the_service_sees_notify_socket() {
	printf '#!/bin/sh\nenv > %s/pre.env\n' "$T" >"$T/pre"
	chmod +x "$T/pre"
	pid1_bg --ready=notify --pre="$T/pre" --check-cmd="env > $T/check.env" --check-interval=100ms -- \
		sh -c 'env > '"$T"'/service.env; exec "$NOTIFY_SEND" READY=1 -- sleep 30'
	wait_for "$T/check.env"
	contains "the service has it" "$T/service.env" '^NOTIFY_SOCKET=@'
	grep -q NOTIFY_SOCKET "$T/pre.env" && fail "the --pre program saw NOTIFY_SOCKET"
	grep -q NOTIFY_SOCKET "$T/check.env" && fail "the check saw NOTIFY_SOCKET"
	kill -TERM "$initd_pid"
	wait_bg
}

test_fd_ready_by_a_line_and_never_on_eof() {
	pid1_bg --ready=fd:3 -- sh -c 'while [ ! -e '"$T"'/go ]; do sleep 0.05; done; echo ready >&3; exec sleep 30'
	wait_state running
	health_is 1 "before the line"
	touch "$T/go"
	wait_status_line ready=yes
	health_is 0 "after the line"
	kill -TERM "$initd_pid"
	wait_bg
	: >"$T/err"
	pid1_bg --ready=fd:5 -- sh -c 'exec 5>&-; exec sleep 30'
	wait_log "closed fd 5 without a line"
	contains "never ready" "$T/status" '^ready=no$'
	kill -TERM "$initd_pid"
	wait_bg
}

test_ready_cmd_runs_until_it_succeeds() {
	pid1_bg --ready-cmd="echo run >> $T/runs; test -e $T/go" --ready-interval=100ms -- sleep 30
	wait_for "$T/runs"
	sleep 0.3
	health_is 1 "while the ready command fails"
	touch "$T/go"
	wait_status_line ready=yes
	runs=$(wc -l <"$T/runs")
	sleep 0.5
	expect "no ready command once ready" "$(wc -l <"$T/runs")" "$runs"
	kill -TERM "$initd_pid"
	wait_bg
}

test_ready_timeout_is_a_failed_run_with_backoff() {
	pid1_bg --ready=notify --ready-timeout=300ms --backoff-min=100ms --max-restarts=2 -- \
		sh -c 'echo start >> '"$T"'/starts; trap "exit 0" TERM; while :; do sleep 0.05; done'
	wait_bg
	expect "exit status once given up" "$rc" 0
	expect "starts" "$(wc -l <"$T/starts")" 3
	contains "why" "$T/err" "service is not ready after 300ms; stopping it to restart it"
	contains "gave up" "$T/err" "giving up after 2 restarts"
	contains "reason" "$T/status" '^last_reason=not-ready$'
}

test_extend_timeout_moves_the_grace_deadline() {
	# On TERM the service asks for 3 s more and takes 1 s: past the 300 ms
	# grace, it still ends by itself. exec keeps the main pid at every step.
	cat >"$T/service" <<-EOF
	#!/bin/sh
	trap 'exec "\$NOTIFY_SEND" EXTEND_TIMEOUT_USEC=3000000 -- sh -c "sleep 1; exit 4"' TERM
	echo up > $T/up
	while :; do sleep 0.05; done
	EOF
	chmod +x "$T/service"
	pid1_bg --ready=notify -t 300ms -- "$NOTIFY_SEND" READY=1 -- "$T/service"
	wait_for "$T/up"
	wait_status_line ready=yes
	kill -TERM "$initd_pid"
	wait_bg
	expect "exit status: the service's own, after the extended grace" "$rc" 4
}
