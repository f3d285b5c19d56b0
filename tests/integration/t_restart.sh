# Restart policy and backoff.
# shellcheck shell=sh disable=SC2016,SC2154
# (service scripts are single-quoted on purpose; rc, T, BIN and friends come from lib.sh and run.sh)

test_backoff_doubles_from_min_and_caps_at_max() {
	pid1 --backoff-min=100ms --backoff-max=400ms --max-restarts=5 -- sh -c '
		echo $(($(date +%s%N) / 1000000)) >> '"$T"'/starts; exit 1'
	expect "exit status" "$rc" 1
	expect "delays" "$(sed -n 's/.*restart [0-9]* in \([0-9]*ms\)$/\1/p' "$T/err" | tr '\n' ' ')" \
		"100ms 200ms 400ms 400ms 400ms "
	contains "give-up line" "$T/err" "giving up after 5 restarts"
	expect "runs" "$(wc -l <"$T/starts")" 6
	# The real gaps between starts: at least the delay, and not wildly more.
	set -- 100 200 400 400 400
	prev=
	while read -r t; do
		if [ -n "$prev" ]; then
			gap=$((t - prev))
			[ "$gap" -ge "$1" ] || fail "gap ${gap}ms shorter than the ${1}ms delay"
			[ "$gap" -lt $(($1 + 1500)) ] || fail "gap ${gap}ms far above the ${1}ms delay"
			shift
		fi
		prev=$t
	done <"$T/starts"
}

test_restart_line_names_the_status() {
	pid1 --backoff-min=10ms --max-restarts=1 -- sh -c 'kill -KILL $$'
	expect "exit status" "$rc" 137
	contains "restart line" "$T/err" "initd: service killed by signal 9 (SIGKILL) after .*; restart 1 in 10ms"
}

test_clean_exit_is_not_restarted_under_on_failure() {
	pid1 --backoff-min=10ms -- sh -c 'echo run >> '"$T"'/runs; exit 0'
	expect "exit status" "$rc" 0
	expect "runs" "$(wc -l <"$T/runs")" 1
}

test_failure_is_restarted_under_on_failure() {
	pid1 --backoff-min=10ms --max-restarts=2 -- sh -c 'echo run >> '"$T"'/runs; exit 2'
	expect "exit status" "$rc" 2
	expect "runs" "$(wc -l <"$T/runs")" 3
}

test_restart_always_restarts_clean_exits() {
	pid1 -r always --backoff-min=10ms --max-restarts=2 -- sh -c 'echo run >> '"$T"'/runs; exit 0'
	expect "exit status" "$rc" 0
	expect "runs" "$(wc -l <"$T/runs")" 3
}

test_restart_never() {
	pid1 -r never -- sh -c 'echo run >> '"$T"'/runs; exit 4'
	expect "exit status" "$rc" 4
	expect "runs" "$(wc -l <"$T/runs")" 1
}

test_a_stable_run_resets_the_series() {
	# Runs 1 and 2 fail at once; run 3 lasts past --stable; run 4 fails at once
	# and must wait backoff-min again, not the doubled delay.
	pid1 --backoff-min=50ms --stable=400ms --max-restarts=9 -- sh -c '
		echo run >> '"$T"'/runs
		n=$(wc -l < '"$T"'/runs)
		[ "$n" -eq 3 ] && sleep 0.6
		[ "$n" -ge 4 ] && exit 0
		exit 1'
	expect "delays" "$(sed -n 's/.*restart [0-9]* in \([0-9]*ms\)$/\1/p' "$T/err" | tr '\n' ' ')" \
		"50ms 100ms 50ms "
}

test_success_exit_code_is_not_restarted_and_initd_exits_0() {
	pid1 --backoff-min=10ms --max-restarts=2 --success-exit=143 -- sh -c 'echo run >> '"$T"'/runs; exit 143'
	expect "exit status" "$rc" 0
	expect "runs" "$(wc -l <"$T/runs")" 1
	contains "status file keeps the real status" "$T/status" "last_status=143"
}

test_success_exit_signal_is_not_restarted_and_initd_exits_0() {
	pid1 --backoff-min=10ms --max-restarts=2 --success-exit=TERM -- sh -c 'echo run >> '"$T"'/runs; kill -TERM $$'
	expect "exit status" "$rc" 0
	expect "runs" "$(wc -l <"$T/runs")" 1
}

test_success_exit_still_restarts_other_failures() {
	# From the variable as from the flag. Exit 15 is not death by TERM.
	rc=0
	INITD_SUCCESS_EXIT=143,TERM timeout 30 unshare --pid --fork --mount-proc "$BIN" --status-file="$T/status" \
		--backoff-min=10ms --max-restarts=2 -- sh -c 'echo run >> '"$T"'/runs; exit 15' \
		>"$T/out" 2>"$T/err" </dev/null || rc=$?
	expect "exit status" "$rc" 15
	expect "runs" "$(wc -l <"$T/runs")" 3
	pid1 --backoff-min=10ms --max-restarts=2 --success-exit=143,TERM -- sh -c 'echo run >> '"$T"'/runs1; exit 1'
	expect "exit status after exit 1" "$rc" 1
	expect "runs after exit 1" "$(wc -l <"$T/runs1")" 3
}
