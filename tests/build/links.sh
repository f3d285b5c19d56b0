#!/bin/sh
# Every relative link of the documentation resolves: the file (or folder) it
# names exists, and its #anchor, if any, is a heading of the target file under
# GitHub's rules (lowercase; every character but letters, digits, spaces, `-`
# and `_` dropped; each space a `-`; a repeated heading gets -1, -2, ...).
# Links with a scheme (https:, mailto:) are not followed; links inside code
# (fenced blocks, `spans`) are not links.
#
# usage: sh tests/build/links.sh [FILE.md...]
#   default: README.md, docs/*.md and docs/results/*.md of this repository
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM
LC_ALL=C
export LC_ALL

# shellcheck source=tests/build/lib.sh
. "$ROOT/tests/build/lib.sh"

# anchors FILE: the anchor of each heading of FILE, one per line.
anchors() {
	awk '
	/^[ ]*(```|~~~)/ { fenced = !fenced; next }
	fenced { next }
	/^##?#?#?#?#?[ \t]/ {
		h = $0
		sub(/^#+[ \t]+/, "", h)
		sub(/[ \t]+#+[ \t]*$/, "", h)
		sub(/[ \t]+$/, "", h)
		h = tolower(h)
		gsub(/[^a-z0-9 _-]/, "", h)
		gsub(/ /, "-", h)
		if (h in seen) { seen[h]++; print h "-" seen[h] } else { seen[h] = 0; print h }
	}' "$1"
}

# links FILE: "LINE TARGET" for each inline link or image of FILE outside code.
links() {
	awk '
	/^[ ]*(```|~~~)/ { fenced = !fenced; next }
	fenced { next }
	{
		line = $0
		gsub(/`[^`]*`/, "", line)
		while (match(line, /\]\([^)]*\)/)) {
			target = substr(line, RSTART + 2, RLENGTH - 3)
			sub(/[ \t].*$/, "", target)
			print NR " " target
			line = substr(line, RSTART + RLENGTH)
		}
	}' "$1"
}

# resolves FILE TARGET: TARGET, written in FILE, names something that exists.
resolves() {
	path=${2%%#*}
	anchor=
	case $2 in *"#"*) anchor=${2#*#} ;; esac
	if [ -z "$path" ]; then
		dest=$1
	else
		dest=$(dirname "$1")/$path
	fi
	[ -e "$dest" ] || { echo "     $dest does not exist"; return 1; }
	[ -n "$anchor" ] || return 0
	[ -f "$dest" ] || { echo "     $dest is not a file: no #$anchor in it"; return 1; }
	anchors "$dest" >"$TMP/anchors"
	grep -qxF -- "$anchor" "$TMP/anchors" || { echo "     no heading of $dest has the anchor #$anchor"; return 1; }
}

if [ "$#" -eq 0 ]; then
	cd "$ROOT"
	set -- README.md docs/*.md docs/results/*.md
fi
for file in "$@"; do
	[ -f "$file" ] || { check "$file exists" false; continue; }
	links "$file" >"$TMP/links"
	while read -r line target; do
		case $target in
		"" | [a-zA-Z]*:*) continue ;; # no target, or a scheme: not ours to check
		esac
		check "$file:$line $target" resolves "$file" "$target"
	done <"$TMP/links"
done

echo "links: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
