# shellcheck shell=sh
# The one writer of docs/results/*.md, sourced by the scripts that measure
# (tests/bench/initd.sh, stack.sh, images.sh, tests/reliability/run.sh): each
# table there is the last run's own output, never edited by hand.

# write_results WHO FILE TITLE TABLE PARAGRAPH...: FILE replaced by the record
# of this run: TITLE, the paragraphs, then TABLE (a file) in a fenced block.
# A file that cannot be written is said on stderr; the run's status stays.
write_results() {
	who=$1 file=$2 title=$3 table=$4
	shift 4
	if mkdir -p "$(dirname "$file")" && {
		printf '# %s\n' "$title"
		for para in "$@"; do printf '\n%s\n' "$para"; done
		printf '\n```\n'
		cat "$table"
		printf '```\n'
	} >"$file.tmp" && mv "$file.tmp" "$file"; then
		echo "$who: table written to $file" >&2
	else
		rm -f "$file.tmp"
		echo "$who: cannot write $file" >&2
	fi
}

# results_commit ROOT: the commit the measured tree is at (dirty if changed).
results_commit() {
	git -C "$1" describe --always --dirty 2>/dev/null || echo unknown
}
