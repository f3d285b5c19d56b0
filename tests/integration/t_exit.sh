# Exit status propagation: N, 128+N, 127/126, and the service's stdout untouched.
# shellcheck shell=sh disable=SC2016,SC2154
# (service scripts are single-quoted on purpose; rc, T, BIN and friends come from lib.sh and run.sh)

test_exit_code_propagates() {
	pid1 -r never -- sh -c 'exit 3'
	expect "exit status" "$rc" 3
}

test_death_by_signal_is_128_plus_n() {
	pid1 -r never -- sh -c 'kill -USR1 $$'
	expect "exit status" "$rc" 138
}

test_not_found_is_127_even_with_restart_always() {
	pid1 -r always -- /nonexistent/command
	expect "exit status" "$rc" 127
	contains "message" "$T/err" "initd: cannot execute /nonexistent/command"
}

test_not_executable_is_126() {
	printf 'data\n' >"$T/plain"
	chmod 644 "$T/plain"
	pid1 -r always -- "$T/plain"
	expect "exit status" "$rc" 126
}

test_stdout_passes_through_untouched() {
	pid1 -r never -- sh -c 'printf "hello\\nworld\\n"; printf "to stderr\\n" >&2'
	expect "exit status" "$rc" 0
	expect "stdout" "$(cat "$T/out")" "$(printf 'hello\nworld')"
	expect "stderr" "$(cat "$T/err")" "to stderr"
}

test_runs_in_an_empty_root_with_only_busybox() {
	[ -x /bin/busybox ] || { fail "busybox-static is not installed"; return 77; }
	mkdir "$T/root"
	cp "$BIN" "$T/root/initd"
	cp /bin/busybox "$T/root/busybox"
	rc=0
	timeout 30 unshare --pid --fork --root="$T/root" /initd -r never -- /busybox sh -c 'echo "pid $$"; exit 4' \
		>"$T/out" 2>"$T/err" || rc=$?
	expect "exit status" "$rc" 4
	expect "service pid" "$(cat "$T/out")" "pid 2"
	# No /run in that root: initd warns once and carries on.
	expect "warnings" "$(grep -c 'cannot write status file' "$T/err")" 1
}
