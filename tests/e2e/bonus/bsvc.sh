# shellcheck shell=sh
# Checks shared by t_redis.sh, t_adminer.sh and t_static.sh (sourced by each;
# run.sh sources only t_*.sh). Names start with bsvc_ so that they cannot
# collide with the other bonus tests, which are sourced into the same shell.

# bsvc_wait_healthy CONTAINER SECONDS: bounded wait for Docker's "healthy".
bsvc_wait_healthy() {
	deadline=$(($(now_ms) + $2 * 1000))
	while [ "$(now_ms)" -lt "$deadline" ]; do
		[ "$(docker inspect -f '{{.State.Health.Status}}' "$1" 2>/dev/null)" = healthy ] && return 0
		sleep 0.2
	done
	return 1
}

# bsvc_basics SERVICE: healthy, restart unless-stopped, image SERVICE:VERSION
# built FROM debian:bookworm, initd PID 1 with its service running, nothing
# published on the host.
bsvc_basics() {
	c=$(cid "$1")
	[ -n "$c" ] || fail "no $1 container" || return 1
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

# bsvc_kill9 SERVICE PROBE [ARG]...: kill -9 of the service's main process.
# initd starts it again, the container is not restarted, and PROBE succeeds
# again within 10 s. The restart delay is measured inside the container (the
# kill's time against the "changed" time of initd's status file): docker exec
# itself costs a few hundred ms per call here.
bsvc_kill9() {
	s=$1
	shift
	c=$(cid "$s")
	before=$(docker inspect -f '{{.RestartCount}} {{.State.StartedAt}}' "$c")
	pid=$(status_field "$s" pid)
	restarts=$(status_field "$s" restarts)
	[ -n "$pid" ] && [ "$pid" -gt 1 ] || fail "no service pid in $s's status file" || return 1
	t0=$(now_ms)
	killed=$(docker exec "$c" sh -c "date +%s%3N; kill -9 $pid") || fail "kill -9 $pid failed" || return 1
	deadline=$((t0 + 10000))
	while :; do
		st=$(docker exec "$c" cat /run/initd.status | tr '\n' ' ')
		newpid=$(echo "$st" | sed -n 's/.*pid=\([0-9]*\).*/\1/p')
		case $st in
		*state=running*) [ "$newpid" != "$pid" ] && "$@" >/dev/null 2>&1 && break ;;
		esac
		[ "$(now_ms)" -lt "$deadline" ] || fail "$s: not serving again 10 s after kill -9 ($st)" || return 1
		sleep 0.1
	done
	t1=$(now_ms)
	changed=$(echo "$st" | sed -n 's/.*changed=\([0-9]*\)\.\([0-9]*\).*/\1\2/p')
	after=$(docker inspect -f '{{.RestartCount}} {{.State.StartedAt}}' "$c")
	[ "$before" = "$after" ] || fail "the container restarted: $before -> $after" || return 1
	[ "$(echo "$st" | sed -n 's/.*restarts=\([0-9]*\).*/\1/p')" -gt "$restarts" ] ||
		fail "initd's restart count did not grow: $st" || return 1
	echo "$s: pid $pid -> $newpid, restarted by initd $((changed - killed)) ms after the kill, probe ok after $((t1 - t0)) ms (docker exec included), container not restarted"
}

# bsvc_stop SERVICE: docker stop (10 s grace) takes < 3 s and ends with
# status 0 (no SIGKILL: 137); then docker start, healthy again within 60 s.
bsvc_stop() {
	c=$(cid "$1")
	t0=$(now_ms)
	docker stop -t 10 "$c" >/dev/null || fail "docker stop failed" || return 1
	t1=$(now_ms)
	code=$(docker inspect -f '{{.State.ExitCode}}' "$c")
	docker start "$c" >/dev/null || fail "docker start failed" || return 1
	bsvc_wait_healthy "$c" 60 || fail "$1 not healthy again 60 s after docker start" || return 1
	[ "$code" = 0 ] || fail "$1 exited with $code" || return 1
	[ $((t1 - t0)) -lt 3000 ] || fail "$1: stopping took $((t1 - t0)) ms" || return 1
	echo "$1: stopped in $((t1 - t0)) ms with status 0, healthy again after start"
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
