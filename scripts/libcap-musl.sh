#!/bin/sh
# Build libcap.a for musl from Debian's own libcap2 source package.
# Debian's libcap.a is built against glibc and does not link with musl, and
# nothing may be downloaded from anywhere but Debian's archive, so the source
# comes through apt with a private state directory: the host's apt
# configuration is read, never changed, and root is not needed.
#
# An archive may list a source version it cannot serve (bookworm-security has
# answered 404 for every file of the libcap2 it lists), so every version apt
# knows is tried, newest first, and the first that downloads and unpacks (apt
# checks each file against the signed index) is built. The host build and an
# image build with the same suites therefore pick the same version.
#
# usage: libcap-musl.sh OUTDIR  -> OUTDIR/libcap.a, OUTDIR/include/, OUTDIR/VERSION
#   LIBCAP_VERSION=V   use exactly this source version (fail if it cannot be had)
#   APT_ETC=DIR        read the apt sources from DIR instead of /etc/apt (tests)
set -eu

me=libcap-musl.sh
out=${1:?usage: libcap-musl.sh OUTDIR}
cc=${MUSL_CC:-musl-gcc}
etc=${APT_ETC:-/etc/apt}
mkdir -p "$out"
out=$(cd "$out" && pwd)
work="$out/src"
rm -rf "$work"
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/sources.list.d"

# deb-src entries derived from the deb entries this machine already uses:
# one-line lists (debootstrap) and deb822 files (the official image) both occur.
for f in "$etc/sources.list" "$etc"/sources.list.d/*.list; do
	[ -f "$f" ] && sed -n 's/^deb \(.*\)/deb-src \1/p' "$f"
done >"$work/sources.list"
for f in "$etc"/sources.list.d/*.sources; do
	[ -f "$f" ] || continue
	sed 's/^Types:.*/Types: deb-src/' "$f" >"$work/sources.list.d/${f##*/}"
done
if ! [ -s "$work/sources.list" ] && [ -z "$(ls "$work/sources.list.d")" ]; then
	echo "$me: no apt sources in $etc to derive deb-src entries from" >&2
	exit 1
fi

apt_opts() {
	printf '%s\n' -o "Dir::Etc::SourceList=$work/sources.list" \
		-o "Dir::Etc::SourceParts=$work/sources.list.d" \
		-o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache" \
		-o Debug::NoLocking=1 -o APT::Sandbox::User=root
}
apt_private() {
	tool=$1
	shift
	# shellcheck disable=SC2046 # apt_opts prints one option word per line, none with spaces.
	"$tool" -q $(apt_opts) "$@"
}
apt_private apt-get update >"$work/apt.log" 2>&1 || { cat "$work/apt.log" >&2; exit 1; }

# Every source version of libcap2 the indexes list, newest first.
versions=$(apt_private apt-cache showsrc libcap2 2>/dev/null | sed -n 's/^Version: //p' | sort -u)
# dpkg orders versions, sort(1) does not: an insertion sort of a handful.
sorted=
for v in $versions; do
	placed=
	new=
	for w in $sorted; do
		if [ -z "$placed" ] && dpkg --compare-versions "$v" gt "$w"; then
			new="$new $v"
			placed=1
		fi
		new="$new $w"
	done
	[ -n "$placed" ] || new="$new $v"
	sorted=$new
done
if [ -n "${LIBCAP_VERSION:-}" ]; then
	sorted=$LIBCAP_VERSION
fi
if [ -z "$sorted" ]; then
	echo "$me: no source version of libcap2 is listed by the apt sources in $etc" >&2
	exit 1
fi

used=
tried=
for v in $sorted; do
	dir="$work/try-$(echo "$v" | tr ':~+' '___')"
	mkdir -p "$dir"
	if (cd "$dir" && apt_private apt-get source "libcap2=$v") >"$dir/apt.log" 2>&1; then
		srcdir=$(find "$dir" -maxdepth 1 -type d -name 'libcap2-*' | head -n 1)
		if [ -n "$srcdir" ]; then
			used=$v
			break
		fi
		reason="not unpacked"
	else
		reason=$(grep -m 1 -E '^E: ' "$dir/apt.log" | sed 's/^E: //; s/ *\[IP: [^]]*\]//') || true
		[ -n "$reason" ] || reason="apt-get source failed"
	fi
	tried="$tried
  $v: $reason"
	echo "$me: libcap2 $v cannot be had ($reason); trying the next version" >&2
done
if [ -z "$used" ]; then
	echo "$me: no version of libcap2's source could be downloaded; tried, newest first:$tried" >&2
	exit 1
fi
echo "$me: building libcap2 $used for musl"

make -C "$srcdir/libcap" CC="$cc" BUILD_CC="${BUILD_CC:-gcc}" \
	COPTS="-Oz -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables" libcap.a >"$work/build.log" 2>&1 ||
	{ tail -n 30 "$work/build.log" >&2; exit 1; }

cp "$srcdir/libcap/libcap.a" "$out/libcap.a.tmp"
rm -rf "$out/include"
mkdir -p "$out/include"
cp -R "$srcdir/libcap/include/sys" "$out/include/"
cp -R "$srcdir/libcap/include/uapi/linux" "$out/include/"
printf '%s\n' "$used" >"$out/VERSION"
mv "$out/libcap.a.tmp" "$out/libcap.a"
rm -rf "$work"
