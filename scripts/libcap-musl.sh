#!/bin/sh
# Build libcap.a for musl from Debian's own libcap2 source package.
# Debian's libcap.a is built against glibc and does not link with musl, and
# nothing may be downloaded from anywhere but Debian's archive, so the source
# comes through apt with a private state directory: the host's apt
# configuration is read, never changed, and root is not needed.
#
# usage: libcap-musl.sh OUTDIR      -> OUTDIR/libcap.a, OUTDIR/include/
set -eu

out=${1:?usage: libcap-musl.sh OUTDIR}
cc=${MUSL_CC:-musl-gcc}
mkdir -p "$out"
out=$(cd "$out" && pwd)
work="$out/src"
rm -rf "$work"
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/sources.list.d"

# deb-src entries derived from the deb entries this machine already uses:
# one-line lists (debootstrap) and deb822 files (the official image) both occur.
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
	[ -f "$f" ] && sed -n 's/^deb /deb-src /p' "$f"
done >"$work/sources.list"
for f in /etc/apt/sources.list.d/*.sources; do
	[ -f "$f" ] || continue
	sed 's/^Types:.*/Types: deb-src/' "$f" >"$work/sources.list.d/$(basename "$f")"
done
if ! [ -s "$work/sources.list" ] && [ -z "$(ls "$work/sources.list.d")" ]; then
	echo "libcap-musl.sh: no apt sources found to derive deb-src entries from" >&2
	exit 1
fi

apt_private() {
	apt-get -q \
		-o Dir::Etc::SourceList="$work/sources.list" \
		-o Dir::Etc::SourceParts="$work/sources.list.d" \
		-o Dir::State::Lists="$work/lists" \
		-o Dir::Cache="$work/cache" \
		-o Debug::NoLocking=1 \
		"$@"
}
apt_private update >"$work/apt.log" 2>&1 || { cat "$work/apt.log" >&2; exit 1; }
(cd "$work" && apt_private source libcap2) >>"$work/apt.log" 2>&1 ||
	{ cat "$work/apt.log" >&2; exit 1; }

srcdir=$(find "$work" -maxdepth 1 -type d -name 'libcap2-*' | head -n 1)
[ -n "$srcdir" ] || { echo "libcap-musl.sh: libcap2 source not unpacked" >&2; exit 1; }

make -C "$srcdir/libcap" CC="$cc" BUILD_CC="${BUILD_CC:-gcc}" \
	COPTS="-Os -ffunction-sections -fdata-sections" libcap.a >"$work/build.log" 2>&1 ||
	{ tail -n 30 "$work/build.log" >&2; exit 1; }

cp "$srcdir/libcap/libcap.a" "$out/libcap.a.tmp"
rm -rf "$out/include"
mkdir -p "$out/include"
cp -R "$srcdir/libcap/include/sys" "$out/include/"
cp -R "$srcdir/libcap/include/uapi/linux" "$out/include/"
mv "$out/libcap.a.tmp" "$out/libcap.a"
rm -rf "$work"
