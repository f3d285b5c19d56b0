#!/bin/sh
# Tests of the package scripts/make-deb.sh builds: lintian finds no error,
# its fields and files are the expected ones and hold what the build made,
# building it again from the same inputs gives the same bytes, and it
# installs, documents itself and removes cleanly in a throwaway debian:bookworm
# container. Needs a Docker engine and the Debian archive (for man-db); without
# an engine the install checks fail, they are never skipped.
#
# usage: sh tests/build/deb.sh PATH/TO/initd_VERSION_ARCH.deb BUILD/INITD
set -eu

if [ $# -ne 2 ]; then
	echo "usage: sh tests/build/deb.sh PATH/TO/initd_VERSION_ARCH.deb BUILD/INITD" >&2
	exit 2
fi
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DEB=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
INITD=$2
IMAGE=debian:bookworm
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM

# shellcheck source=tests/build/lib.sh
. "$ROOT/tests/build/lib.sh"

# has FILE TEXT: FILE has a line that is exactly TEXT.
has() { grep -qxF -- "$2" "$1"; }
# lacks FILE ERE: no line of FILE matches ERE.
lacks() { ! grep -qE -- "$2" "$1"; }
# contains TEXT PART: PART is somewhere in TEXT.
contains() { case "$1" in *"$2"*) return 0 ;; esac; return 1; }
empty() { [ -z "$1" ]; }

if [ ! -r "$DEB" ] || [ ! -x "$INITD" ]; then
	echo "FAIL no package $DEB or no executable $INITD"
	exit 1
fi
built=$("$INITD" --version)
version=$(echo "$built" | awk '{ print $2 }')
libcap=$(echo "$built" | sed -n 's/.*(libcap \(.*\))$/\1/p')
arch=$(dpkg --print-architecture)

# 1. lintian: every tag it can show, overridden ones included; only errors fail.
# With --show-overrides lintian 2.116 exits 2 even when its only error is an
# overridden one, so this run is only read and the next one is judged.
lintian -I -E --pedantic --show-overrides "$DEB" >"$TMP/lintian" 2>&1 || true
echo "--- lintian -I -E --pedantic --show-overrides $(basename "$DEB")"
cat "$TMP/lintian"
echo "---"
check "lintian: no error tag" lacks "$TMP/lintian" '^E: '
rc=0
lintian --fail-on error "$DEB" >/dev/null 2>&1 || rc=$?
check "lintian --fail-on error exits 0 (rc $rc)" [ "$rc" -eq 0 ]
warnings=$(grep -c '^W: ' "$TMP/lintian" || true)
echo "     lintian warnings: $warnings"
grep '^W: ' "$TMP/lintian" | sed 's/^/       /' || true

# 2. The control fields.
field() { dpkg-deb -f "$DEB" "$1"; }
check "file name is initd_${version}_$arch.deb" [ "$(basename "$DEB")" = "initd_${version}_$arch.deb" ]
check "Package: initd" [ "$(field Package)" = initd ]
check "Version: $version (the binary's)" [ "$(field Version)" = "$version" ]
check "Architecture: $arch" [ "$(field Architecture)" = "$arch" ]
check "Section: admin" [ "$(field Section)" = admin ]
check "Priority: optional" [ "$(field Priority)" = optional ]
field Maintainer >"$TMP/maintainer"
check "Maintainer: a name and an address ($(cat "$TMP/maintainer"))" \
	grep -qE '^[^<>]+ <[^<> ]+@[^<> ]+>$' "$TMP/maintainer"
check "Built-Using names libcap2 (= $libcap)" contains "$(field Built-Using)" "libcap2 (= $libcap)"
check "no Depends: the binary is static" [ -z "$(field Depends)" ]
dpkg-deb -f "$DEB" Description >"$TMP/description"
check "Description: a synopsis" [ "$(head -n 1 "$TMP/description" | wc -c)" -gt 10 ]
check "Description: a long description" [ "$(wc -l <"$TMP/description")" -ge 4 ]
size=$(field Installed-Size)
min=$((($(wc -c <"$INITD") + 1023) / 1024))
check "Installed-Size ($size KiB) covers the binary ($min KiB)" [ "$size" -ge "$min" ]

# 3. The files: nothing under /usr/local, every one owned by root.
dpkg-deb -c "$DEB" >"$TMP/contents"
awk '{ print $1, $2, $6 }' "$TMP/contents" | sed 's|^\([^ ]*\) \([^ ]*\) \./|\1 \2 /|' >"$TMP/files"
for f in "-rwxr-xr-x root/root /usr/bin/initd" \
	"-rw-r--r-- root/root /usr/share/man/man8/initd.8.gz" \
	"-rw-r--r-- root/root /usr/share/doc/initd/copyright" \
	"-rw-r--r-- root/root /usr/share/doc/initd/changelog.gz" \
	"-rw-r--r-- root/root /usr/share/lintian/overrides/initd"; do
	check "contents: $f" has "$TMP/files" "$f"
done
check "contents: every entry is root/root" empty "$(awk '$2 != "root/root"' "$TMP/files")"
check "contents: every directory is 0755" empty "$(awk '/^d/ && $1 != "drwxr-xr-x"' "$TMP/files")"
check "contents: nothing under /usr/local" lacks "$TMP/files" ' /usr/local(/| |$)'

mkdir "$TMP/x"
dpkg-deb -x "$DEB" "$TMP/x"
dpkg-deb -e "$DEB" "$TMP/x/DEBIAN"
check "usr/bin/initd is the build's binary" cmp -s "$TMP/x/usr/bin/initd" "$INITD"
gzip -dc "$TMP/x/usr/share/man/man8/initd.8.gz" >"$TMP/initd.8"
check "the man page is docs/initd.8" cmp -s "$TMP/initd.8" "$ROOT/docs/initd.8"
for gz in usr/share/man/man8/initd.8.gz usr/share/doc/initd/changelog.gz; do
	check "$gz stores no name and no time (gzip -n)" \
		[ "$(od -An -tx1 -j3 -N5 "$TMP/x/$gz" | tr -d ' ')" = 0000000000 ]
done
sums_ok() { (cd "$TMP/x" && md5sum --quiet -c DEBIAN/md5sums); }
check "DEBIAN/md5sums matches every file" sums_ok
check "DEBIAN/md5sums lists every file" [ "$(wc -l <"$TMP/x/DEBIAN/md5sums")" -eq "$(grep -c '^-' "$TMP/files")" ]
copyright=$TMP/x/usr/share/doc/initd/copyright
check "copyright: DEP-5 Format line" \
	has "$copyright" "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/"
check "copyright: License: Expat" has "$copyright" "License: Expat"
check "copyright: the licence text from LICENSE" \
	has "$copyright" " $(grep -m 1 '^Permission is hereby granted' "$ROOT/LICENSE")"
check "copyright: the holder from LICENSE" has "$copyright" "Copyright: $(sed -n '1s/^Copyright //p' "$ROOT/LICENSE")"
gzip -dc "$TMP/x/usr/share/doc/initd/changelog.gz" >"$TMP/changelog"
check "changelog: an entry for $version that dpkg-parsechangelog reads" \
	[ "$(dpkg-parsechangelog -l "$TMP/changelog" -S Version 2>/dev/null)" = "$version" ]

# 4. The same inputs, the same bytes: built again with the SOURCE_DATE_EPOCH
#    its files carry, the package comes out identical.
stamp=$(dpkg-deb --fsys-tarfile "$DEB" | tar -tv --full-time --utc ./usr/bin/initd | awk '{ print $4, $5 }')
epoch=$(date -u -d "$stamp" +%s)
SOURCE_DATE_EPOCH=$epoch sh "$ROOT/scripts/make-deb.sh" "$INITD" "$version" "$TMP/again" >/dev/null
check "rebuilt with SOURCE_DATE_EPOCH=$epoch ($stamp UTC), it is the same bytes" \
	cmp -s "$DEB" "$TMP/again/initd_${version}_$arch.deb"

# 5. Install, use and remove it where nothing else of ours is.
if ! docker info >/dev/null 2>&1; then
	echo "FAIL no Docker engine answers: the install test in $IMAGE cannot run"
	failed=$((failed + 1))
else
	before=$failed
	rc=0
	# shellcheck disable=SC2016 # the script is expanded by the container's shell
	timeout 600 docker run --rm -v "$(dirname "$DEB"):/pkg:ro" -e DEB="$(basename "$DEB")" \
		"$IMAGE" timeout 540 sh -c '
		set -e
		# The image is trimmed like Debian slim images: this file makes dpkg drop
		# /usr/share/man, /usr/share/doc (but copyright) and /usr/share/groff from
		# every package, which would leave initd without its man page and man-db
		# without the macros it formats pages with.
		rm -f /etc/dpkg/dpkg.cfg.d/inception-slim
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq >/dev/null
		apt-get install -y -qq --no-install-recommends man-db >/dev/null
		dpkg -i "/pkg/$DEB" >/dev/null
		echo "== version"; initd --version
		echo "== path"; command -v initd
		echo "== run"; rc=0; initd -r never -- sh -c "exit 7" || rc=$?; echo "rc=$rc"
		echo "== man"; MANWIDTH=80 man -P cat initd 2>&1
		echo "== list"; dpkg -L initd
		dpkg -r initd >/dev/null
		echo "== removed"
		for f in /usr/bin/initd /usr/share/man/man8/initd.8.gz; do
			[ -e "$f" ] && echo "left: $f"
		done
		dpkg-query -W -f "\${db:Status-Status}\n" initd 2>/dev/null || echo not-installed
	' >"$TMP/install" 2>&1 || rc=$?
	check "install in $IMAGE: the script ran to its end (rc $rc)" [ "$rc" -eq 0 ]
	# part NAME: the output under "== NAME".
	part() { awk -v n="== $1" '$0 == n { on = 1; next } /^== / { on = 0 } on' "$TMP/install"; }
	part version >"$TMP/p.version"
	check "installed initd --version is the build's ($built)" has "$TMP/p.version" "$built"
	check "installed at /usr/bin/initd" [ "$(part path)" = /usr/bin/initd ]
	check "installed initd runs a service and returns its status 7" [ "$(part run)" = rc=7 ]
	part man >"$TMP/p.man"
	check "man initd: NAME" has "$TMP/p.man" NAME
	check "man initd: its one-line description" grep -q "initd - PID 1 init and supervisor" "$TMP/p.man"
	check "man initd: an option (--restart=POLICY)" grep -q -- '--restart=POLICY' "$TMP/p.man"
	part list >"$TMP/p.list"
	for f in /usr/bin/initd /usr/share/man/man8/initd.8.gz /usr/share/doc/initd/copyright; do
		check "dpkg -L initd lists $f" has "$TMP/p.list" "$f"
	done
	part removed >"$TMP/p.removed"
	# Only a run that got as far as the removal says anything about it.
	removed() { grep -qx -- '== removed' "$TMP/install" && lacks "$TMP/p.removed" '^left: '; }
	check "dpkg -r removes /usr/bin/initd and the man page" removed
	state=$(tail -n 1 "$TMP/p.removed")
	gone() { [ "$state" = not-installed ] || [ "$state" = config-files ]; }
	check "dpkg -r leaves initd not installed ($state)" gone
	if [ "$failed" -ne "$before" ]; then
		echo "--- container output"
		cat "$TMP/install"
	fi
fi
echo "deb: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
