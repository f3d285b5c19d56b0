# shellcheck shell=sh
# What the stack benchmarks share (tests/bench/stack.sh, idle.sh, images.sh;
# sourced, POSIX sh). Expects ROOT.
#
#   bench_stack NAME HTTPS-PORT FTP-PORT   a throwaway stack of its own
#       (tests/e2e/teststack.sh and lib.sh loaded), removed on exit; $results
#       is the file of the table's rows
#   result WHAT NOW [OTHER [RATIO]]  one row, also said on stdout, as
#       "$BENCH_WHO: WHAT: NOW ($BENCH_OTHER: OTHER)"
#   secs MS, median                        "1.2 s"; the median of stdin's numbers

bench_stack() {
	# shellcheck source=tests/e2e/teststack.sh
	. "$ROOT/tests/e2e/teststack.sh"
	# shellcheck source=tests/e2e/lib.sh
	. "$ROOT/tests/e2e/lib.sh"
	teststack_compose
	teststack_env "$@"
	trap teststack_cleanup EXIT
	trap 'exit 130' INT TERM
	export ROOT
	results=$TMP/results
	: >"$results"
}

result() {
	printf '%s\t%s\t%s\t%s\n' "$1" "$2" "${3:--}" "${4:--}" >>"$results"
	echo "$BENCH_WHO: $1: $2${3:+ ($BENCH_OTHER: $3)}"
}

secs() { awk -v ms="$1" 'BEGIN { printf "%.1f s", ms / 1000 }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
