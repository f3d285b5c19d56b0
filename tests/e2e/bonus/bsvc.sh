# shellcheck shell=sh
# Checks shared by t_redis.sh, t_adminer.sh and t_static.sh (sourced by each;
# run.sh sources only t_*.sh). Names start with bsvc_ so that they cannot
# collide with the other bonus tests, which are sourced into the same shell.
# The kill -9 and docker stop checks are tests/e2e/lib.sh's, for every suite.

# bsvc_basics SERVICE: healthy, restart unless-stopped, image SERVICE:VERSION
# built FROM debian:bookworm, initd PID 1 with its service running, nothing
# published on the host.
bsvc_basics() {
	c=$(cid "$1")
	[ -n "$c" ] || fail "no $1 container" || return 1
	docker_healthy "$c" || return 1
	h=$(docker inspect -f '{{.State.Health.Status}} {{.HostConfig.RestartPolicy.Name}} {{.Config.Image}}' "$c")
	[ "$h" = "healthy unless-stopped $1:$VERSION" ] || fail "$1: '$h'" || return 1
	base=$(docker image inspect -f '{{index .RootFS.Layers 0}}' "$1:$VERSION")
	[ "$base" = "$(docker image inspect -f '{{index .RootFS.Layers 0}}' debian:bookworm)" ] ||
		fail "$1:$VERSION is not built FROM debian:bookworm" || return 1
	exe=$(docker exec "$c" readlink /proc/1/exe)
	[ "$exe" = /usr/local/bin/initd ] || fail "$1: PID 1 is $exe" || return 1
	state=$(status_field "$1" state)
	[ "$state" = running ] || fail "$1: initd says '$state'" || return 1
	ports=$(docker port "$c")
	[ -z "$ports" ] || fail "$1 publishes $ports" || return 1
	echo "$1: $h, PID 1 initd, nothing published"
}

# bsvc_users SERVICE COMM UID: every process named COMM runs as UID with no
# capability and no_new_privs (root here is initd, its --pre and probes only).
bsvc_users() {
	c=$(cid "$1")
	u=$(procs "$c" | awk -v n="$2" '$5 == n { print $2, $4, $3 }' | sort -u)
	[ "$u" = "$3 0000000000000000 1" ] ||
		fail "$2 in $1: '$u' (expected uid $3, no capability, no_new_privs)" || return 1
	echo "$2: uid $3, CapEff 0, NoNewPrivs 1 ($(procs "$c" | awk -v n="$2" '$5 == n' | grep -c .) processes)"
}



# bsvc_no_secret SERVICE: none of the generated passwords in the image's
# history, configuration or layers, nor in the container's configuration,
# nor in any environment or command line of its processes.
bsvc_no_secret() {
	pat="$TMP/bsvc-patterns"
	secret_patterns "$pat" || return 1
	img="$1:$VERSION"
	found=$(secret_in_image "$img" "$pat"; secret_in_container "$(cid "$1")" "$pat")
	[ -z "$found" ] || fail "a secret is in $img or the $1 container:" "$found" || return 1
	echo "$img: $(grep -c . "$pat") passwords looked for, none found"
}
