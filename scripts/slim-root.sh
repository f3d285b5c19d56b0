#!/bin/sh
# Trim a Debian root as Debian's own slim images are trimmed, and keep it so:
# dpkg is told never to unpack documentation, man pages or translations (the
# copyright files stay: the licences require them), apt never to keep
# downloaded packages, its binary caches or translated indexes; what is there
# already is removed. Run on a root made by debootstrap (scripts/base-image.sh)
# and, as `slim-root.sh /`, in dockerfiles/base/Dockerfile, so a pulled image
# ends up the same. Idempotent.
#
# usage: slim-root.sh ROOT
set -eu

root=${1:?usage: slim-root.sh ROOT}
[ -d "$root/var/lib/dpkg" ] || { echo "slim-root.sh: $root is not a Debian root" >&2; exit 1; }

mkdir -p "$root/etc/dpkg/dpkg.cfg.d" "$root/etc/apt/apt.conf.d"
cat >"$root/etc/dpkg/dpkg.cfg.d/inception-slim" <<'EOF'
# Nothing a container reads at run time: no documentation but the licences, no
# man or info pages, no translations (scripts/slim-root.sh).
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
EOF
cat >"$root/etc/apt/apt.conf.d/inception-clean" <<'EOF'
// No package files or binary caches left in an image layer (scripts/slim-root.sh).
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
Acquire::Languages "none";
APT::AutoRemove::SuggestsImportant "false";
EOF
# No package may start its daemon while an image is built: services start under initd.
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 0755 "$root/usr/sbin/policy-rc.d"

find "$root/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete 2>/dev/null || true
find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete 2>/dev/null || true
for d in man groff info lintian linda; do
	rm -rf "${root:?}/usr/share/$d"/*
done
find "$root/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} + 2>/dev/null || true
rm -rf "${root:?}/var/lib/apt/lists"/* "$root/var/cache/apt"/*.bin \
	"$root/var/cache/apt/archives"/*.deb "$root/var/cache/debconf"/*-old \
	"$root/var/log/apt"/* "$root/var/log/dpkg.log" "$root/var/log/alternatives.log"
mkdir -p "$root/var/lib/apt/lists/partial"
