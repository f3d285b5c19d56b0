# shellcheck shell=sh
# No secret in any image layer, image config, container config or git.

# The generated passwords and a line of the TLS key, one per line.
write_patterns() {
	secret_patterns "$TMP/patterns" tls
}

no_secret_in_images() {
	write_patterns || return 1
	for s in nginx wordpress mariadb; do
		found=$(secret_in_image "$s:$VERSION" "$TMP/patterns")
		[ -z "$found" ] || fail "a secret is in $s:$VERSION:" "$found" || return 1
	done
}

no_secret_in_containers() {
	write_patterns || return 1
	for s in nginx wordpress mariadb; do
		found=$(secret_in_container "$(cid "$s")" "$TMP/patterns")
		[ -z "$found" ] || fail "a secret is in the $s container:" "$found" || return 1
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
	write_patterns || return 1
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
