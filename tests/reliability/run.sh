#!/bin/sh
# The reliability table: runs every r_*.sh here in one mode and prints one table
# of what was tried and what held.
# usage: run.sh FAST|FULL [NAME-PATTERN]
#
# Each r_*.sh gets the mode as $1 and prints its results on stdout as
#   ROW<TAB>area<TAB>what was tried<TAB>result/figures<TAB>held|FAILED|SKIPPED
# Every other line is log. The table fails when any row is FAILED; a SKIPPED row
# must say why in its result and never counts as held.
set -eu

mode=${1:-FAST}
pattern=${2:-}
case $mode in FAST | FULL) ;; *) echo "usage: run.sh FAST|FULL [PATTERN]" >&2; exit 2 ;; esac
here=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$here/../.." && pwd)
export ROOT
tab=$(printf '\t')
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
: >"$work/rows"

# A row the runner writes itself, for scripts that broke the contract.
add_row() { printf 'ROW\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$work/rows"; }

for script in "$here"/r_*.sh; do
	[ -e "$script" ] || continue
	name=$(basename "$script" .sh)
	case $name in *"$pattern"*) ;; *) continue ;; esac
	shell="sh"
	head -n 1 "$script" | grep -q bash && shell="bash"
	echo "== $name ($mode)"
	start=$(date +%s)
	: >"$work/script-rows"
	# The script's exit status crosses the pipe through a file.
	{
		rc=0
		"$shell" "$script" "$mode" || rc=$?
		echo "$rc" >"$work/rc"
	} | while IFS= read -r line; do
		case $line in
		ROW"$tab"*) printf '%s\n' "$line" >>"$work/script-rows" ;;
		*) printf '   %s\n' "$line" ;;
		esac
	done
	rc=$(cat "$work/rc")
	echo "== $name: exit $rc, $(($(date +%s) - start)) s"
	# Malformed rows, silent scripts and unexplained failures are failures too.
	nrows=0 nfailed=0
	while IFS= read -r line; do
		nrows=$((nrows + 1))
		fields=$(printf '%s\n' "$line" | awk -F '\t' '{print NF}')
		verdict=$(printf '%s\n' "$line" | cut -f 5)
		result=$(printf '%s\n' "$line" | cut -f 4)
		if [ "$fields" != 5 ]; then
			add_row "$name" "malformed row ($fields fields)" "$(printf '%s' "$line" | tr '\t' ' ' | cut -c 1-80)" FAILED
			nfailed=$((nfailed + 1))
			continue
		fi
		case $verdict in
		held) ;;
		FAILED) nfailed=$((nfailed + 1)) ;;
		SKIPPED)
			if [ -z "$result" ]; then
				line=$(printf '%s\n' "$line" | awk -F '\t' -v OFS='\t' '{$4 = "SKIPPED without a reason"; $5 = "FAILED"; print}')
				nfailed=$((nfailed + 1))
			fi
			;;
		*)
			line=$(printf '%s\n' "$line" | awk -F '\t' -v OFS='\t' '{$4 = $4 " (verdict \"" $5 "\" unknown)"; $5 = "FAILED"; print}')
			nfailed=$((nfailed + 1))
			;;
		esac
		printf '%s\n' "$line" >>"$work/rows"
	done <"$work/script-rows"
	if [ "$nrows" -eq 0 ]; then
		add_row "$name" "$name.sh" "printed no result row (exit $rc)" FAILED
	elif [ "$rc" != 0 ] && [ "$nfailed" -eq 0 ]; then
		add_row "$name" "$name.sh" "exited $rc with no FAILED row" FAILED
	fi
done

[ -s "$work/rows" ] || add_row runner "r_*.sh matching '$pattern'" "no script ran" FAILED

held=$(cut -f 5 "$work/rows" | grep -cx held || true)
failed=$(cut -f 5 "$work/rows" | grep -cx FAILED || true)
skipped=$(cut -f 5 "$work/rows" | grep -cx SKIPPED || true)
{
	echo "Reliability ($mode), $(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -m), $(nproc) cores"
	cut -f 2- "$work/rows" | awk -F '\t' -v head="$(printf 'area\twhat was tried\tresult / figures\tverdict')" \
		-f "$ROOT/tests/table.awk"
	echo
	echo "reliability ($mode): $held held, $failed FAILED, $skipped SKIPPED (skipped rows are not passes)"
} >"$work/table"
echo
cat "$work/table"

# shellcheck source=tests/results.sh
. "$ROOT/tests/results.sh"
# Only a whole FULL run is the record (make fuzz is FULL for r_fuzz alone).
if [ "$mode" = FULL ] && [ -z "$pattern" ]; then
	write_results reliability "$ROOT/docs/results/reliability.md" "\`make reliability\`: the full reliability table" "$work/table" \
		"Written by \`tests/reliability/run.sh FULL\` (\`make reliability\`) at the end of each full run, replacing the last; [Reliability](../hacking.md#reliability) says what each area tries and what the figures mean." \
		"Commit $(results_commit "$ROOT"); FUZZ_SECONDS=${FUZZ_SECONDS:-60}."
fi
[ "$failed" -eq 0 ]
