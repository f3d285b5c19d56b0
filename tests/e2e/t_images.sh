# shellcheck shell=sh
# The images the stack runs: up to date with bookworm's updates and security
# fixes, trimmed like Debian's slim images (no apt lists, caches, docs, man
# pages, translations, build tools), and still holding what the services need
# at run time (CA certificates, time zones, the mariadb client tools).
# run_images N: for the N images of the running stack (3 mandatory, 8 bonus).

# The images of the stack's containers, one per line.
images_of_stack() {
	for c in $(dc ps -q); do
		docker inspect -f '{{.Config.Image}}' "$c"
	done | sort -u
}

# In each image at once (one throwaway container apiece, in parallel): the
# count of upgradable packages after a fresh `apt-get update`.
images_current() {
	for img in $IMAGES; do
		(
			n=$(docker run --rm --user 0 --entrypoint /bin/sh "$img" -c \
				'apt-get update -qq >/dev/null 2>&1 || { echo "apt-get update failed"; exit 0; }
				 apt list --upgradable 2>/dev/null | grep "upgradable from" | cut -d/ -f1 | tr "\n" " "')
			echo "$img ${n:-none}" >"$TMP/upgradable.$(echo "$img" | tr ':/' '__')"
		) &
	done
	wait
	bad=$(cat "$TMP"/upgradable.* | grep -v ' none$' || true)
	[ -z "$bad" ] || fail "upgradable packages: $bad" || return 1
	echo "$(echo "$IMAGES" | wc -w) images, 0 upgradable packages each"
}

# What a slim image does not carry, and what these must still carry.
images_slim() {
	for img in $IMAGES; do
		# The CA bundle wherever the Dockerfile installs it for a TLS client.
		ca=no
		grep -q ca-certificates "$ROOT/dockerfiles/${img%%:*}/Dockerfile" && ca=yes
		out=$(docker run --rm --user 0 --network none -e CA="$ca" --entrypoint /bin/sh "$img" -c '
			for d in /var/lib/apt/lists /usr/share/man /usr/share/info; do
				[ -z "$(find "$d" -mindepth 1 ! -type d 2>/dev/null | head -n 1)" ] || echo "files in $d"
			done
			[ -z "$(find /usr/share/doc -type f ! -name copyright | head -n 1)" ] || echo "docs in /usr/share/doc"
			[ -z "$(find /usr/share/locale -mindepth 1 -maxdepth 1 ! -name locale.alias | head -n 1)" ] || echo "translations"
			[ -z "$(find /var/cache/apt -name "*.deb" -o -name "*.bin" | head -n 1)" ] || echo "apt caches"
			for t in gcc cc make musl-gcc dpkg-source; do command -v "$t" >/dev/null && echo "build tool $t"; done
			[ -f /etc/dpkg/dpkg.cfg.d/inception-slim ] || echo "no dpkg excludes"
			[ "$CA" = no ] || [ -s /etc/ssl/certs/ca-certificates.crt ] || echo "no CA bundle"
			[ "$(TZ=Europe/Paris date -d @1700000000 +%H)" = 23 ] || echo "no time zone data"
		' 2>&1)
		[ -z "$out" ] || fail "$img: $(echo "$out" | tr '\n' ';')" || return 1
	done
	echo "no lists, caches, docs, man pages, translations or compilers; zoneinfo in each, CA bundle where installed"
}

# The mariadb client tools the services' scripts call, where they call them.
images_tools() {
	for pair in mariadb:mariadb-admin mariadb:mariadb backup:mariadb backup:mariadb-dump; do
		svc=${pair%%:*} tool=${pair#*:}
		img="$svc:$VERSION"
		case " $(echo "$IMAGES" | tr '\n' ' ') " in *" $img "*) ;; *) continue ;; esac
		docker run --rm --network none --entrypoint "$tool" "$img" --version >/dev/null 2>&1 ||
			fail "$img: $tool does not run" || return 1
		checked="${checked:-} $svc:$tool"
	done
	echo "ran:${checked:- nothing to check}"
}

run_images() {
	IMAGES=$(images_of_stack)
	n=$(echo "$IMAGES" | grep -c .)
	check "images: the stack runs $1 images of ours ($n: $(echo "$IMAGES" | tr '\n' ' '))" [ "$n" -eq "$1" ]
	check "images: no upgradable package in any (apt-get update; apt list --upgradable)" images_current
	check "images: slim as Debian's slim image, nothing needed at run time missing" images_slim
	check "images: the mariadb client tools the scripts use run" images_tools
}
