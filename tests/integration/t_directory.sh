# Working directories: initd itself in /, the service and --pre where initd started.
# shellcheck shell=sh disable=SC2016,SC2154
# (service scripts are single-quoted on purpose; rc, T, BIN and friends come from lib.sh and run.sh)

test_initd_moves_to_root_and_its_children_start_where_it_did() {
	mkdir "$T/wd"
	cd "$T/wd" || return
	wd=$(pwd -P)
	printf '#!/bin/sh\nreadlink /proc/$$/cwd > %s/pre_cwd\n' "$T" >"$T/pre"
	chmod 755 "$T/pre"
	pid1_bg --pre="$T/pre" -- sh -c '
		trap "exit 0" TERM
		readlink /proc/$$/cwd > '"$T"'/service_cwd
		echo up > up; while :; do sleep 0.05; done'
	wait_for "$T/wd/up"
	expect "initd's working directory" "$(readlink "/proc/$initd_pid/cwd")" /
	expect "the service's working directory" "$(cat "$T/service_cwd")" "$wd"
	expect "the --pre program's working directory" "$(cat "$T/pre_cwd")" "$wd"
	kill -TERM "$initd_pid"
	wait_bg
	expect "exit status" "$rc" 0
}

test_relative_status_file_is_still_where_initd_started() {
	mkdir "$T/wd"
	cd "$T/wd" || return
	pid1 -r never --status-file=status -- true
	expect "exit status" "$rc" 0
	contains "status file in the start directory" "$T/wd/status" "state=exited"
}

test_service_whose_directory_is_gone_is_126() {
	# The --pre program, started in that directory, removes it.
	mkdir "$T/wd"
	cd "$T/wd" || return
	wd=$(pwd -P)
	printf '#!/bin/sh\nrmdir %s\n' "$wd" >"$T/pre"
	chmod 755 "$T/pre"
	pid1 -r always --pre="$T/pre" -- sh -c "echo ran > $T/service"
	expect "exit status" "$rc" 126
	contains "message naming the directory" "$T/err" "cannot start sh in $wd: No such file or directory"
	[ ! -e "$T/service" ] || fail "the service ran without its directory"
}
