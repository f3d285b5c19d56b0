#!/bin/sh
# Install Compose v2 and buildx as Docker CLI plugins on Debian 12, whose own
# archive has neither (only docker-compose 1.29 and the legacy builder).
# Debian 13's packages of both are static Go binaries (their one dependency is
# libc6 >= 2.34, which bookworm has): they are fetched from the Debian 13 suite
# of the archive this machine already uses, with a private apt state (the
# machine's sources, pins and package database are not changed), unpacked with
# dpkg-deb and copied into the plugin folder Docker searches.
#
# usage: docker-plugins.sh [PLUGIN_DIR]   (default /usr/libexec/docker/cli-plugins)
#   DEBIAN_NEXT (default trixie): the suite to take them from
set -eu

me=docker-plugins.sh
dest=${1:-/usr/libexec/docker/cli-plugins}
suite=${DEBIAN_NEXT:-trixie}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/parts" "$work/pkgs"

# The main archive's address, as this machine's sources give it (deb822 or
# one-line); the security archive is another one and is skipped.
uri=$(
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk 'BEGIN { RS = ""; FS = "\n" }
			/(^|\n)Suites:[^\n]*bookworm( |\n|$)/ {
				for (i = 1; i <= NF; i++) if ($i ~ /^URIs:/) { sub(/^URIs: */, "", $i); split($i, u, " "); print u[1] }
			}' "$f"
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		sed -n 's/^deb \(\[[^]]*\] \)\{0,1\}\([^ ]*\) bookworm .*main.*/\2/p' "$f"
	done
)
uri=$(echo "$uri" | grep -v -- '-security' | head -n 1)
[ -n "$uri" ] || { echo "$me: no bookworm entry in this machine's apt sources to take the archive's address from" >&2; exit 1; }

cat >"$work/parts/next.sources" <<EOF
Types: deb
URIs: $uri
Suites: $suite
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
: >"$work/sources.list"
: >"$work/preferences"
apt_private() {
	apt-get -q -o Dir::Etc::SourceList="$work/sources.list" -o Dir::Etc::SourceParts="$work/parts" \
		-o Dir::Etc::Preferences="$work/preferences" -o Dir::Etc::PreferencesParts="$work/parts" \
		-o Dir::State::Lists="$work/lists" -o Dir::Cache="$work/cache" \
		-o Debug::NoLocking=1 -o APT::Sandbox::User=root "$@"
}
apt_private update >"$work/apt.log" 2>&1 || { cat "$work/apt.log" >&2; exit 1; }
(cd "$work/pkgs" && apt_private download docker-compose docker-buildx) >>"$work/apt.log" 2>&1 ||
	{ cat "$work/apt.log" >&2; exit 1; }

mkdir -p "$dest"
for deb in "$work"/pkgs/*.deb; do
	dpkg-deb -x "$deb" "$work/root"
done
for plugin in docker-compose docker-buildx; do
	bin=$(find "$work/root" -path '*/cli-plugins/*' -name "$plugin" -type f | head -n 1)
	[ -n "$bin" ] || { echo "$me: $plugin is not in its package as a CLI plugin" >&2; exit 1; }
	install -m 0755 "$bin" "$dest/$plugin"
done
echo "$me: in $dest: $("$dest/docker-compose" version | head -n 1); $("$dest/docker-buildx" version | head -n 1)"
