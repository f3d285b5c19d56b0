#!/bin/sh
# Checks docs/initd.8 against the binary's own `--help`, so that neither can
# change without the other: the usage forms, every option tag (short form,
# long form and argument, word for word), the defaults --help shows, the
# INITD_<NAME> variable of each option, the version, and a rendering without
# a single groff or man warning (lintian runs the same man command).
# --self-test breaks copies of the page in four ways and expects each to fail.
#
# usage: sh tests/build/manpage.sh BUILD/INITD [MANPAGE]
#        sh tests/build/manpage.sh --self-test BUILD/INITD
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SELF=$0
self_test=no
if [ "${1:-}" = --self-test ]; then
	self_test=yes
	shift
fi
[ $# -ge 1 ] || {
	echo "usage: sh tests/build/manpage.sh [--self-test] BUILD/INITD [MANPAGE]" >&2
	exit 2
}
INITD=$1
PAGE=${2:-$ROOT/docs/initd.8}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM
TAB=$(printf '\t')

# shellcheck source=tests/build/lib.sh
. "$ROOT/tests/build/lib.sh"

# contains TEXT PART...: TEXT holds one of the PARTs.
contains() {
	text=$1
	shift
	for part in "$@"; do
		case "$text" in *"$part"*) return 0 ;; esac
	done
	return 1
}

finish() {
	echo "manpage: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}

if [ "$self_test" = yes ]; then
	page=$ROOT/docs/initd.8
	# mutant NAME: a broken copy of the page; the check must reject it.
	mutant() {
		rc=0
		sh "$SELF" "$INITD" "$TMP/$1.8" >"$TMP/$1.log" 2>&1 || rc=$?
		check "self-test: a page with $2 is rejected (rc $rc)" [ "$rc" -ne 0 ]
	}
	rc=0
	sh "$SELF" "$INITD" "$page" >"$TMP/intact.log" 2>&1 || rc=$?
	check "self-test: the page as it is passes (rc $rc)" [ "$rc" -eq 0 ]
	# The .TP that opens the --stable entry is held back until the next line
	# shows whose it is; the entry then goes, up to the next .TP.
	awk 'held { held = 0; if (index($0, "\\fB\\-\\-stable\\fR") == 1) { skip = 1; next } print ".TP" }
	     /^\.TP$/ { skip = 0; held = 1; next }
	     !skip' "$page" >"$TMP/no-option.8"
	mutant no-option "the --stable entry deleted"
	sed 's/^The default is 8s\.$/The default is 5s./' "$page" >"$TMP/default.8"
	mutant default "a wrong default for --grace"
	sed 's/^\.SH ENVIRONMENT$/.TP\n\\fB\\-\\-bogus\\fR\nNot an option of initd.\n&/' "$page" >"$TMP/extra.8"
	mutant extra "an option --help does not have"
	sed 's/^\.SH SIGNALS$/.XX undefined\n&/' "$page" >"$TMP/warning.8"
	mutant warning "a groff warning"
	if [ "$failed" -ne 0 ]; then
		for f in "$TMP"/*.log; do
			echo "--- $f"
			cat "$f"
		done
	fi
	finish
	exit
fi

if [ ! -x "$INITD" ] || [ ! -r "$PAGE" ]; then
	echo "FAIL no executable $INITD or no readable $PAGE"
	exit 1
fi
"$INITD" --help >"$TMP/help" || {
	echo "FAIL $INITD --help exits non-zero"
	exit 1
}

# The page as plain text on lines too long to wrap and without hyphenation, so
# that each paragraph is one line and every word is whole.
groff -man -Tascii -P-cbou -rLL=2000n -rHY=0 "$PAGE" 2>/dev/null >"$TMP/text"

# section NAME: the rendered lines under the heading NAME.
section() {
	awk -v name="$1" '$0 == name { on = 1; next } on && /^[A-Z]/ { exit } on' "$TMP/text"
}

# --help's option lines as OPTION-COLUMN<TAB>VARIABLE<TAB>DEFAULT. A default is
# a parenthesised duration, number or path, or the word before "(default)".
awk -v tab="$TAB" '
/^  +-/ {
	line = $0
	sub(/^ +/, "", line)
	if (match(line, /  +/)) {
		col = substr(line, 1, RSTART - 1)
		desc = substr(line, RSTART + RLENGTH)
	} else {
		col = line
		desc = ""
	}
	name = col
	sub(/^.*--/, "", name)
	sub(/[=[].*$/, "", name)
	var = ""
	if (name != "help" && name != "version") {
		var = "INITD_" toupper(name)
		gsub(/-/, "_", var)
	}
	def = ""
	rest = desc
	while (match(rest, /\([^()]*\)/)) {
		inner = substr(rest, RSTART + 1, RLENGTH - 2)
		before = substr(rest, 1, RSTART - 1)
		if (inner == "default") {
			sub(/ +$/, "", before)
			sub(/^.* /, "", before)
			def = before
		} else if (inner ~ /^[0-9][0-9.]*(ms|s|m)?$/ || inner ~ /^\//)
			def = inner
		rest = substr(rest, RSTART + RLENGTH)
	}
	print col tab var tab def
}' "$TMP/help" >"$TMP/help.opts"

# The page's OPTIONS entries as TAG<TAB>TEXT: a tag starts with "-" at the
# section's indentation, its text is indented under it.
section OPTIONS | awk -v tab="$TAB" '
function flush() { if (tag != "") print tag tab body; tag = "" }
substr($0, 1, 8) == "       -" {
	flush()
	tag = $0
	sub(/^ +/, "", tag)
	sub(/ +$/, "", tag)
	body = ""
	# A tag narrower than the indentation shares its line with the text.
	if (match(tag, /  +/)) {
		body = substr(tag, RSTART + RLENGTH)
		tag = substr(tag, 1, RSTART - 1)
	}
	next
}
tag != "" && substr($0, 1, 14) == "              " {
	l = $0
	gsub(/^ +| +$/, "", l)
	gsub(/  +/, " ", l)
	body = body (body == "" ? "" : " ") l
	next
}
NF == 0 { next }
{ flush() }
END { flush() }' >"$TMP/page.opts"

# 1. The version and the usage forms.
version=$("$INITD" --version | awk '{ print $1 " " $2 }')
check "the page's .TH names \"$version\"" contains "$(sed -n 's/^\.TH //p' "$PAGE")" "\"$version\""
awk '/^Usage: / { on = 1; sub(/^Usage: /, "") } on && NF == 0 { exit }
     on { $1 = $1; print }' "$TMP/help" >"$TMP/usage"
section SYNOPSIS | awk 'NF { $1 = $1; print }' >"$TMP/synopsis"
while IFS= read -r form; do
	check "SYNOPSIS: $form" grep -qxF "$form" "$TMP/synopsis"
done <"$TMP/usage"
check "SYNOPSIS has as many forms as --help ($(wc -l <"$TMP/usage"))" \
	[ "$(wc -l <"$TMP/synopsis")" -eq "$(wc -l <"$TMP/usage")" ]

# 2. Every option of --help, its default and its variable, in its own entry.
[ -s "$TMP/help.opts" ] || echo "FAIL no option lines found in --help"
while IFS="$TAB" read -r col var def; do
	text=$(awk -F "$TAB" -v t="$col" '$1 == t { print $2 }' "$TMP/page.opts")
	check "OPTIONS: $col" [ -n "$text" ]
	if [ -n "$def" ]; then
		check "OPTIONS: $col: \"The default is $def.\"" contains "$text" "The default is $def."
	fi
	if [ -n "$var" ]; then
		check "OPTIONS: $col: \"Variable: $var\"" contains "$text" "Variable: $var." "Variable: $var,"
	fi
done <"$TMP/help.opts"

# 3. Nothing the binary does not have.
extra=$(cut -f1 "$TMP/page.opts" | while IFS= read -r tag; do
	cut -f1 "$TMP/help.opts" | grep -qxF -- "$tag" || echo "$tag"
done | paste -sd, -)
check "OPTIONS: no entry that --help lacks${extra:+ (extra: $extra)}" [ -z "$extra" ]
section ENVIRONMENT | awk '/^       INITD_/ { print $1 }' | sort >"$TMP/env.page"
cut -f2 "$TMP/help.opts" | grep . | sort >"$TMP/env.help"
missing=$(comm -23 "$TMP/env.help" "$TMP/env.page" | paste -sd, -)
unknown=$(comm -13 "$TMP/env.help" "$TMP/env.page" | paste -sd, -)
check "ENVIRONMENT lists every option's variable${missing:+ (missing: $missing)}" [ -z "$missing" ]
check "ENVIRONMENT lists no other INITD_ variable${unknown:+ (unknown: $unknown)}" [ -z "$unknown" ]

# 4. Rendered as man-db and lintian render it, without a warning.
groff -man -Tutf8 -ww -z "$PAGE" 2>"$TMP/groff.err" || echo "groff exited non-zero" >>"$TMP/groff.err"
check "groff -man -Tutf8 -ww: no warning" [ ! -s "$TMP/groff.err" ]
LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z "$PAGE" >/dev/null 2>"$TMP/man.err" ||
	echo "man exited non-zero" >>"$TMP/man.err"
check "man --warnings -l: no warning" [ ! -s "$TMP/man.err" ]
cat "$TMP/groff.err" "$TMP/man.err"

finish
