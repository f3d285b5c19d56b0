# shellcheck shell=sh
# No secret in any image layer, image config, container config or git.

# The generated passwords and a line of the TLS key, one per line.
secret_patterns() {
	for s in db_password db_root_password wp_admin_password wp_user_password; do
		secret "$s"
		echo
	done
	sed -n 2p "$SECRETS/tls/key.pem"
}

# Never an empty pattern: grep -F -f would match every line.
write_patterns() {
	secret_patterns | grep -v '^$' >"$TMP/patterns"
}

no_secret_in_images() {
	write_patterns
	for s in nginx wordpress mariadb; do
		img="$s:$VERSION"
		if docker history --no-trunc "$img" | grep -F -f "$TMP/patterns"; then
			fail "a secret is in the history of $img" || return 1
		fi
		if docker image inspect "$img" | grep -F -f "$TMP/patterns"; then
			fail "a secret is in the config of $img" || return 1
		fi
		# Every layer's content.
		if docker save "$img" | grep -a -F -f "$TMP/patterns" >/dev/null; then
			fail "a secret is in a layer of $img" || return 1
		fi
	done
}

no_secret_in_containers() {
	write_patterns
	for s in nginx wordpress mariadb; do
		if docker inspect "$(cid "$s")" | grep -F -f "$TMP/patterns"; then
			fail "a secret is in the configuration of the $s container" || return 1
		fi
		if docker exec "$(cid "$s")" sh -c 'cat /proc/[0-9]*/environ /proc/[0-9]*/cmdline 2>/dev/null' |
			grep -a -F -f "$TMP/patterns" >/dev/null; then
			fail "a secret is in a process environment or command line in $s" || return 1
		fi
	done
}

no_secret_in_git() {
	if ! command -v git >/dev/null || ! git -C "$ROOT" rev-parse --git-dir >/dev/null 2>&1; then
		echo "no git repository here"
		return 77
	fi
	tracked=$(git -C "$ROOT" ls-files -- .env secrets data)
	[ -z "$tracked" ] || fail "tracked: $tracked" || return 1
	for f in .env secrets/x.txt; do
		git -C "$ROOT" check-ignore -q "$f" || fail "$f is not git-ignored" || return 1
	done
	write_patterns
	if git -C "$ROOT" grep -F -f "$TMP/patterns"; then
		fail "a generated secret is in a tracked file"
	fi
	return 0
}

run_secrets() {
	check "no secret in any image's history, config or layers" no_secret_in_images
	check "no secret in container configs, environments or command lines" no_secret_in_containers
	check "no secret committed; .env and secrets/ are git-ignored" no_secret_in_git
}
