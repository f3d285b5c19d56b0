#!/bin/sh
# shellcheck disable=SC2089,SC2090 # the quotes in DEFINES are meant literally: INITD_VERSION is a C string
# Static analysis: cppcheck and clang-tidy on init/ and supervisor/, shellcheck on
# every shell script of the repository. Any finding fails its row.
# usage: r_analysis.sh FAST|FULL  (the same in both modes)
set -u

mode=${1:-FAST}
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$ROOT" || exit 1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
failed=0
echo "analysis ($mode)"

row() { printf 'ROW\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4"; }
sources=$(ls init/*.c supervisor/*.c)
nsources=$(echo "$sources" | wc -w)
# Split on spaces where used, quotes kept: INITD_VERSION stays a string literal.
DEFINES='-D_GNU_SOURCE -DINITD_VERSION="0.1.0" -I.'
CFLAGS="-std=c11 $DEFINES"
export CFLAGS

# cppcheck: suppressions live in the code, next to the line and its reason.
if command -v cppcheck >/dev/null; then
	rc=0
	# shellcheck disable=SC2086 # word splitting of the flag list is wanted
	cppcheck --enable=warning,style,performance,portability --library=posix --std=c11 \
		--inline-suppr --suppress=missingIncludeSystem --error-exitcode=1 --quiet \
		--template='{file}:{line}: {severity}: {message} [{id}]' $DEFINES init supervisor >"$T/cppcheck" 2>&1 || rc=$?
	n=$(grep -c '\[[A-Za-z0-9_]*\]$' "$T/cppcheck")
	if [ "$rc" -eq 0 ] && [ "$n" -eq 0 ]; then
		row analysis "cppcheck $(cppcheck --version | cut -d' ' -f2) warning,style,performance,portability + posix, $nsources files" "0 findings" held
	else
		row analysis "cppcheck warning,style,performance,portability + posix, $nsources files" "$n findings (exit $rc): $(head -n 1 "$T/cppcheck")" FAILED
		cat "$T/cppcheck"
		failed=1
	fi
else
	row analysis "cppcheck on init/ supervisor/" "cppcheck not installed (.ci/packages-reliability.txt)" FAILED
	failed=1
fi

# clang-tidy: the check set and its exclusions, with reasons, are in .clang-tidy.
if command -v clang-tidy >/dev/null; then
	# shellcheck disable=SC2086
	nchecks=$(clang-tidy --list-checks init/main.c -- $CFLAGS 2>/dev/null | grep -c '^    ')
	jobs=$(nproc 2>/dev/null || echo 1)
	# shellcheck disable=SC2016 # the inner shell expands them
	echo "$sources" | tr ' ' '\n' | xargs -P "$jobs" -n 4 sh -c 'clang-tidy --quiet "$@" -- $CFLAGS 2>/dev/null || echo "clang-tidy: exit $? on $*"' clang-tidy >"$T/tidy"
	n=$(grep -c -E 'warning:|error:|clang-tidy: exit' "$T/tidy")
	if [ "$n" -eq 0 ]; then
		row analysis "clang-tidy $(clang-tidy --version | sed -n 's/.*version \([0-9.]*\).*/\1/p' | head -n 1), $nchecks checks (.clang-tidy), $nsources files" "0 findings" held
	else
		row analysis "clang-tidy, $nchecks checks (.clang-tidy), $nsources files" "$n findings: $(grep -m 1 -E 'warning:|error:|clang-tidy: exit' "$T/tidy" | cut -c 1-120)" FAILED
		cat "$T/tidy"
		failed=1
	fi
else
	row analysis "clang-tidy on init/ supervisor/" "clang-tidy not installed (.ci/packages-reliability.txt)" FAILED
	failed=1
fi

# Shell scripts: tracked ones, ones not committed yet, and CI's bash script.
if command -v shellcheck >/dev/null; then
	{
		git ls-files '*.sh' 2>/dev/null
		git ls-files --others --exclude-standard '*.sh' 2>/dev/null
		echo .ci/run
	} | sort -u >"$T/scripts"
	nscripts=$(wc -l <"$T/scripts")
	rc=0
	# shellcheck disable=SC2046 # one argument per path; no path has spaces
	shellcheck -x $(cat "$T/scripts") >"$T/shellcheck" 2>&1 || rc=$?
	n=$(grep -c 'SC[0-9][0-9]*' "$T/shellcheck")
	if [ "$rc" -eq 0 ]; then
		row analysis "shellcheck $(shellcheck --version | sed -n 's/^version: //p'), every *.sh + .ci/run ($nscripts scripts)" "0 findings" held
	else
		row analysis "shellcheck, every *.sh + .ci/run ($nscripts scripts)" "$n findings (exit $rc) in $(grep '^In ' "$T/shellcheck" | cut -d' ' -f2 | sort -u | tr '\n' ' ')" FAILED
		cat "$T/shellcheck"
		failed=1
	fi
else
	row analysis "shellcheck" "shellcheck not installed (.ci/packages-reliability.txt)" FAILED
	failed=1
fi
exit "$failed"
