# Bad input: exit 2 and one line naming the problem, with a hint to --help.
# shellcheck shell=sh disable=SC2016,SC2154
# (service scripts are single-quoted on purpose; rc, T, BIN and friends come from lib.sh and run.sh)

usage_error() { # usage_error WHAT ARGS...: exit 2, one stderr line, mentions --help
	what=$1
	shift
	rc=0
	timeout 10 "$BIN" "$@" >"$T/out" 2>"$T/err" || rc=$?
	expect "$what: exit status" "$rc" 2
	expect "$what: lines on stderr" "$(wc -l <"$T/err")" 1
	contains "$what: prefix" "$T/err" "^initd: "
	contains "$what: hint" "$T/err" "initd --help"
}

test_bad_input_is_exit_2_with_one_line() {
	usage_error "unknown option" --no-such-option -- true
	contains "names the option" "$T/err" "'--no-such-option'"
	usage_error "missing value" --grace
	usage_error "bad duration" --grace=soon -- true
	contains "names the value" "$T/err" "'soon'"
	usage_error "bad signal" --stop-signal=SIGNOPE -- true
	usage_error "bad rewrite" --rewrite=TERM -- true
	usage_error "bad policy" --restart=sometimes -- true
	usage_error "bad number" --max-restarts=-1 -- true
	usage_error "no command"
	usage_error "no command after --" -r never --
	usage_error "min above max" --backoff-min=2s --backoff-max=1s -- true
}

test_bad_success_exit_list_is_exit_2_naming_the_item() {
	usage_error "code above 255" --success-exit=143,256 -- true
	contains "names the option and the item" "$T/err" "^initd: --success-exit: bad exit status '256'"
	usage_error "unknown signal" --success-exit=TERM,NOPE -- true
	contains "names the item" "$T/err" "'NOPE'"
	usage_error "empty item" --success-exit=143,,TERM -- true
	contains "names the empty item" "$T/err" "bad exit status ''"
	usage_error "empty list" --success-exit= -- true
	usage_error "too many" --success-exit=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16 \
		--success-exit=17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33 -- true
	contains "says the limit" "$T/err" "more than 32"
	rc=0
	INITD_SUCCESS_EXIT=1,x timeout 10 "$BIN" -- true >"$T/out" 2>"$T/err" || rc=$?
	expect "bad variable: exit status" "$rc" 2
	contains "names the variable" "$T/err" "^initd: INITD_SUCCESS_EXIT: bad exit status 'x'"
}

test_bad_variable_is_a_usage_error_naming_it() {
	rc=0
	INITD_GRACE=soon timeout 10 "$BIN" -- true >"$T/out" 2>"$T/err" || rc=$?
	expect "exit status" "$rc" 2
	contains "names the variable" "$T/err" "INITD_GRACE"
}

test_help_and_version() {
	rc=0
	"$BIN" --help >"$T/out" 2>&1 || rc=$?
	expect "help exit" "$rc" 0
	contains "usage line" "$T/out" "^Usage: initd"
	rc=0
	"$BIN" -V >"$T/out" 2>&1 || rc=$?
	expect "version exit" "$rc" 0
	contains "version" "$T/out" "^initd [0-9]"
	# The libcap2 source version the build used, as scripts/libcap-musl.sh recorded it.
	recorded=$(cat "$(dirname "$BIN")/libcap-musl/VERSION")
	contains "libcap version" "$T/out" "(libcap $recorded)\$"
}

test_variables_apply_and_a_flag_wins() {
	rc=0
	INITD_RESTART=never timeout 30 "$BIN" --status-file="$T/status" -- sh -c "echo run >> $T/runs; exit 3" \
		>"$T/out" 2>"$T/err" || rc=$?
	expect "INITD_RESTART=never" "$(wc -l <"$T/runs")" 1
	rm -f "$T/runs"
	rc=0
	INITD_RESTART=never INITD_BACKOFF_MIN=10ms timeout 30 "$BIN" --status-file="$T/status" \
		-r on-failure --max-restarts=1 -- sh -c "echo run >> $T/runs; exit 3" >"$T/out" 2>"$T/err" || rc=$?
	expect "flag over variable" "$(wc -l <"$T/runs")" 2
	contains "variable's backoff" "$T/err" "restart 1 in 10ms"
}
