#!/bin/sh
# Make sure the image every Dockerfile builds on, debian:bookworm, exists:
# already here, pulled, or made with debootstrap when no registry answers.
#
# A debootstrap-made root carries what Debian's official bookworm image carries
# where it matters to users: the three suites (bookworm, bookworm-updates,
# bookworm-security, so images get security fixes) and the docker-clean and
# no-languages apt settings. It is trimmed as Debian's slim image is (no
# documentation, man pages or translations, now or from later installs) and
# upgraded before it is imported. dockerfiles/base/Dockerfile applies the same
# settings to a pulled image and upgrades it again on every refresh.
#
# usage: base-image.sh [--force]   --force: make it again even if it exists
#   BASE_IMAGE (default debian:bookworm)
set -eu

me=base-image.sh
image=${BASE_IMAGE:-debian:bookworm}
here=$(cd "$(dirname "$0")" && pwd)

if [ "${1:-}" != --force ]; then
	docker image inspect "$image" >/dev/null 2>&1 && exit 0
	timeout 120 docker pull "$image" >/dev/null 2>&1 && exit 0
	echo "$me: $image cannot be pulled: making it with debootstrap (about a minute)"
fi
command -v debootstrap >/dev/null || { echo "$me: debootstrap is needed (apt-get install debootstrap)" >&2; exit 1; }
sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
root=$(mktemp -d)
log=$(mktemp)
cleanup() { $sudo rm -rf "$root"; rm -f "$log"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# With no mirror argument debootstrap uses its own default mirror, and writes
# it into the root's sources.list: the other suites are derived from it.
if ! $sudo debootstrap --variant=minbase bookworm "$root" >"$log" 2>&1; then
	tail -n 20 "$log" >&2
	exit 1
fi
mirror=$(sed -n 's/^deb \([^ ]*\) bookworm main$/\1/p' "$root/etc/apt/sources.list" | head -n 1)
[ -n "$mirror" ] || { echo "$me: no mirror in the new root's sources.list" >&2; exit 1; }
# The security archive sits beside the main one, as in the official image.
security=${BASE_SECURITY_URI:-$mirror-security}
$sudo rm -f "$root/etc/apt/sources.list"
$sudo sh -c "cat >'$root/etc/apt/sources.list.d/debian.sources'" <<EOF
Types: deb
URIs: $mirror
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
$sudo sh "$here/slim-root.sh" "$root"
$sudo chroot "$root" sh -c 'apt-get -q update && DEBIAN_FRONTEND=noninteractive apt-get -q -y upgrade && apt-get clean' >"$log" 2>&1 ||
	{ tail -n 20 "$log" >&2; exit 1; }
$sudo sh "$here/slim-root.sh" "$root"
$sudo tar -C "$root" -c . | docker import - "$image" >/dev/null
echo "$me: imported $image ($(docker image inspect -f '{{.Size}}' "$image" | awk '{printf "%.0f MB", $1 / 1e6}'))"
