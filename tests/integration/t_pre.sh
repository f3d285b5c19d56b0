# --pre programs: order, privileges, failure, and a stop while they run.
# shellcheck shell=sh disable=SC2016,SC2154
# (service scripts are single-quoted on purpose; rc, T, BIN and friends come from lib.sh and run.sh)

make_pre() { # make_pre NAME BODY
	printf '#!/bin/sh\n%s\n' "$2" >"$T/$1"
	chmod 755 "$T/$1"
}

test_pre_programs_run_in_order_as_root_before_the_service() {
	make_pre pre1 "echo \"pre1 \$(id -u)\" >> $T/log"
	make_pre pre2 "echo \"pre2 \$(id -u)\" >> $T/log"
	open_to_all
	touch "$T/log" && chmod 666 "$T/log"
	pid1 -r never --user=nobody --pre="$T/pre1" --pre="$T/pre2" -- sh -c "echo \"svc \$(id -u)\" >> $T/log"
	expect "exit status" "$rc" 0
	expect "order and users" "$(tr '\n' ' ' <"$T/log")" "pre1 0 pre2 0 svc 65534 "
}

test_failing_pre_stops_initd_with_its_status() {
	make_pre pre1 "exit 4"
	pid1 -r always --pre="$T/pre1" -- sh -c "echo ran > $T/service"
	expect "exit status" "$rc" 4
	[ ! -e "$T/service" ] || fail "the service started after a failed --pre"
}

test_missing_pre_is_127() {
	pid1 --pre=/nonexistent/setup -- true
	expect "exit status" "$rc" 127
}

test_sigterm_during_pre_stops_cleanly() {
	make_pre pre1 "trap 'echo TERM > $T/got; exit 9' TERM; echo up > $T/up; while :; do sleep 0.05; done"
	pid1_bg --pre="$T/pre1" -- sh -c "echo ran > $T/service"
	wait_for "$T/up"
	kill -TERM "$initd_pid"
	wait_bg
	expect "exit status" "$rc" 9
	expect "pre's signal" "$(cat "$T/got")" TERM
	[ ! -e "$T/service" ] || fail "the service started after a stop request"
}

test_initd_pre_variable_is_a_colon_list() {
	make_pre pre1 "echo pre1 >> $T/log"
	make_pre pre2 "echo pre2 >> $T/log"
	rc=0
	INITD_PRE="$T/pre1:$T/pre2" timeout 30 unshare --pid --fork --mount-proc "$BIN" --status-file="$T/status" \
		-r never -- sh -c "echo svc >> $T/log" >"$T/out" 2>"$T/err" || rc=$?
	expect "exit status" "$rc" 0
	expect "order" "$(tr '\n' ' ' <"$T/log")" "pre1 pre2 svc "
}
