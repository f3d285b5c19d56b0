#!/bin/sh
# Packages the static initd as a Debian binary package with dpkg-deb alone:
# no source package and no debhelper, since there is nothing to configure or
# compile here that `make initd` has not done already. The same inputs always
# give the same bytes: every date is SOURCE_DATE_EPOCH (the last commit's
# time unless set), gzip stores no name or time, and dpkg-deb writes root as
# the owner of every file.
#
# usage: sh scripts/make-deb.sh BUILD/INITD VERSION OUTDIR
# DEB_MAINTAINER (optional) replaces the default Maintainer.
set -eu

if [ $# -ne 3 ]; then
	echo "usage: sh scripts/make-deb.sh BUILD/INITD VERSION OUTDIR" >&2
	exit 2
fi
INITD=$1 VERSION=$2 OUTDIR=$3
ROOT=$(cd "$(dirname "$0")/.." && pwd)
MAINTAINER=${DEB_MAINTAINER:-initd authors <initd@example.org>}

die() {
	echo "make-deb: $*" >&2
	exit 1
}

[ -x "$INITD" ] || die "$INITD is not an executable; run make initd"
[ -r "$ROOT/LICENSE" ] || die "$ROOT/LICENSE is missing"
case $VERSION in
[0-9]*) ;;
*) die "bad version '$VERSION'" ;;
esac
built=$("$INITD" --version)
case $built in
"initd $VERSION "*) ;;
*) die "$INITD says '$built', not version $VERSION" ;;
esac

if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
	SOURCE_DATE_EPOCH=$(git -C "$ROOT" log -1 --format=%ct 2>/dev/null) ||
		SOURCE_DATE_EPOCH=$(date +%s)
fi
export SOURCE_DATE_EPOCH
ARCH=$(dpkg --print-architecture)

# The binary carries musl's libc.a and libcap.a inside it. Policy 7.8 wants
# their sources named in Built-Using, and both licences want their notices
# shipped with the binary.
libcap=$(echo "$built" | sed -n 's/^initd [^ ]* (libcap \([0-9][^)]*\))$/\1/p')
[ -n "$libcap" ] || die "'$built' names no libcap2 source version"
# shellcheck disable=SC2016 # the format is dpkg-query's, not the shell's
musl=$(dpkg-query -W -f '${source:Version}' musl-dev 2>/dev/null) ||
	die "musl-dev is not installed, so the musl linked in is unknown"
musl_copyright=/usr/share/doc/musl-dev/copyright
libcap_copyright=/usr/share/doc/libcap2/copyright
for f in "$musl_copyright" "$libcap_copyright"; do
	[ -r "$f" ] || die "$f is missing: its notice must ship with the static binary"
done

umask 022
mkdir -p "$OUTDIR"
STAGE=$(mktemp -d "$OUTDIR/stage.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT INT TERM
# mktemp's 0700 would become the mode of the package's "./".
chmod 0755 "$STAGE"
DOC=$STAGE/usr/share/doc/initd

install -d "$STAGE/DEBIAN" "$STAGE/usr/bin" "$STAGE/usr/share/man/man8" \
	"$DOC/embedded/musl" "$DOC/embedded/libcap2" "$STAGE/usr/share/lintian/overrides"
install -m 0755 "$INITD" "$STAGE/usr/bin/initd"
gzip -9n <"$ROOT/docs/initd.8" >"$STAGE/usr/share/man/man8/initd.8.gz"
install -m 0644 "$musl_copyright" "$DOC/embedded/musl/copyright"
install -m 0644 "$libcap_copyright" "$DOC/embedded/libcap2/copyright"

# The licence text comes from LICENSE itself, so the two cannot disagree.
holder=$(sed -n '1s/^Copyright //p' "$ROOT/LICENSE")
[ -n "$holder" ] || die "LICENSE does not start with a Copyright line"
{
	cat <<EOF
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: initd
Comment: usr/bin/initd is linked statically with musl and libcap, whose
 Debian source versions the Built-Using field names. Their copyright notices
 and licences, as Debian ships them, are in embedded/musl/copyright and
 embedded/libcap2/copyright next to this file.

Files: *
Copyright: $holder
License: Expat
EOF
	sed '1,/^$/d; s/^$/./; s/^/ /' "$ROOT/LICENSE"
} >"$DOC/copyright"

# A native package: the changelog is changelog.gz, not changelog.Debian.gz.
{
	echo "initd ($VERSION) bookworm; urgency=medium"
	echo
	echo "  * Release $VERSION, linked with libcap2 $libcap and musl $musl."
	echo
	echo " -- $MAINTAINER  $(date -u -R -d "@$SOURCE_DATE_EPOCH")"
} | gzip -9n >"$DOC/changelog.gz"

cat >"$STAGE/usr/share/lintian/overrides/initd" <<'EOF'
# Static on purpose: initd is copied into container images whatever their C
# library, and as PID 1 it cannot depend on a loader or shared libraries.
initd: statically-linked-binary [usr/bin/initd]
EOF

# Installed-Size as dpkg-gencontrol counts it: KiB per file, rounded up, and
# one per directory.
size=$(cd "$STAGE" && find usr \( -type f -printf '%s\n' \) -o \( -type d -printf '1024\n' \) |
	awk '{ kib += int(($1 + 1023) / 1024) } END { print kib }')

cat >"$STAGE/DEBIAN/control" <<EOF
Package: initd
Version: $VERSION
Architecture: $ARCH
Maintainer: $MAINTAINER
Installed-Size: $size
Built-Using: libcap2 (= $libcap), musl (= $musl)
Section: admin
Priority: optional
Description: PID 1 init and supervisor for containers
 initd runs one service as the child of a container's PID 1 and stays out
 of its way: it reaps every zombie, forwards signals (rewriting them on
 request), restarts the service after a failure with exponential backoff,
 stops it with a grace period before SIGKILL and exits with its status.
 .
 It can run setup programs first, runs the service as another user with
 only the capabilities it names, and keeps a status file that its status
 and health commands read, ready for a container health check.
 .
 The binary is static, with musl and libcap linked in, so the one file can
 be copied into any image whatever its C library.
EOF

(cd "$STAGE" && find usr -type f | LC_ALL=C sort | xargs md5sum) >"$STAGE/DEBIAN/md5sums"
chmod 0644 "$STAGE/DEBIAN/control" "$STAGE/DEBIAN/md5sums"
find "$STAGE" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

DEB=$OUTDIR/initd_${VERSION}_$ARCH.deb
dpkg-deb --root-owner-group -Zxz --build "$STAGE" "$DEB" >/dev/null
echo "$DEB"
