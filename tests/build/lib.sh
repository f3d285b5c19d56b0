# shellcheck shell=sh
# The one check helper of the build tests (sourced by tests/build/*.sh): a
# line per check, counted in $passed and $failed for the script's summary.
passed=0
failed=0

# check WHAT COMMAND...: ok when COMMAND succeeds, FAIL otherwise.
check() {
	what=$1
	shift
	if "$@"; then
		passed=$((passed + 1))
		echo "ok   $what"
	else
		failed=$((failed + 1))
		echo "FAIL $what"
	fi
}
