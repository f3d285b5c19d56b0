#!/bin/sh
# The options table of docs/initd.md against `initd --help`, so that the two
# cannot drift (the man page has its own check, tests/build/manpage.sh): the
# same long options with the same short forms, each with its INITD_<NAME>
# variable (all but --help and --version), and the default --help shows.
#
# usage: sh tests/build/options-doc.sh BUILD/INITD [DOC]
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
INITD=${1:?usage: sh tests/build/options-doc.sh BUILD/INITD [DOC]}
DOC=${2:-$ROOT/docs/initd.md}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM
# shellcheck source=tests/build/lib.sh
. "$ROOT/tests/build/lib.sh"

# --help's option lines: "  -t, --grace=DUR   text (8s)" -> "grace t (8s)".
"$INITD" --help | sed -n 's/^ *\(-\([A-Za-z]\), \)\{0,1\}--\([a-z-]*\)[^ ]*  *\(.*\)$/\3 \2|\4/p' >"$TMP/help"
# The doc's table rows: "| `-t, --grace=DURATION` | `INITD_GRACE` | `8s` | ...".
awk '/^## Options$/ { on = 1; next } /^## / { on = 0 } on && /^\| `-/' "$DOC" >"$TMP/rows"

# holds TEXT PART: PART is somewhere in TEXT.
holds() { case $1 in *"$2"*) return 0 ;; esac; return 1; }

check "--help lists options ($(wc -l <"$TMP/help"))" test -s "$TMP/help"
check "the doc's options table has rows ($(wc -l <"$TMP/rows"))" test -s "$TMP/rows"

long_of_help() { cut -d ' ' -f 1 "$TMP/help" | sort; }
long_of_doc() { sed -n 's/^| `\(-[A-Za-z], \)\{0,1\}--\([a-z-]*\).*/\2/p' "$TMP/rows" | sort; }
same_options() {
	long_of_help >"$TMP/h"
	long_of_doc >"$TMP/d"
	diff "$TMP/h" "$TMP/d" >"$TMP/diff" || { sed 's/^/     /' "$TMP/diff"; return 1; }
}
check "the same long options in both (< --help only, > doc only)" same_options

while read -r name rest; do
	short=${rest%%|*}
	text=${rest#*|}
	row=$(grep -m 1 -E -- "^\| \`(-[A-Za-z], )?--${name}[=\`]" "$TMP/rows" || true)
	[ -n "$row" ] || continue
	if [ -n "$short" ]; then
		check "--$name: short form -$short in the doc" holds "$row" "\`-$short, --"
	fi
	case $name in
	help | version) ;;
	*)
		var=INITD_$(echo "$name" | tr 'a-z-' 'A-Z_')
		check "--$name: its variable $var in the doc" holds "$row" "\`$var\`"
		;;
	esac
	# A value in parentheses at the end of --help's line, such as (250ms),
	# is the default (words such as "repeatable" are not).
	def=$(echo "$text" | sed -n 's/.*(\([0-9/][^()]*\))$/\1/p')
	case $def in
	'' | *' '*) ;;
	*) check "--$name: the default $def in the doc" holds "$row" "| \`$def\` |" ;;
	esac
done <"$TMP/help"

echo "options-doc: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
