# Idle means idle: no periodic wake-ups while the service runs.
# shellcheck shell=sh disable=SC2016,SC2154
# (service scripts are single-quoted on purpose; rc, T, BIN and friends come from lib.sh and run.sh)

switches() { awk '/^(voluntary|nonvoluntary)_ctxt_switches/ {n += $2} END {print n}' "/proc/$1/status"; }

test_no_wakeups_while_the_service_runs() {
	pid1_bg -- sh -c 'trap "exit 0" TERM; echo up > '"$T"'/up; sleep 60 & wait'
	wait_for "$T/up"
	sleep 0.3
	before=$(switches "$initd_pid")
	sleep 2
	after=$(switches "$initd_pid")
	kill -TERM "$initd_pid"
	wait_bg
	expect "initd's context switches over 2 s of quiet" "$((after - before))" 0
}
