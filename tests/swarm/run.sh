#!/bin/sh
# The stack on Docker Swarm, end to end (make test-swarm), on a throwaway
# stack of its own (own name, data, secrets, ports; a user's is not touched).
#
# usage: sh tests/swarm/run.sh [one-node|cluster]
#   one-node  this engine (made a one-node swarm when in none, and left
#             again): make swarm, what Swarm must keep (secrets, replicas,
#             the registry, visitors' addresses), a rolling update of nginx
#             and wordpress and an update Swarm must roll back, both under
#             load with 0 failed requests, make swarm-bonus, make swarm-down
#             and make swarm again
#   cluster   three docker-in-docker nodes (tests/swarm/nodes.sh): the stack
#             across them, a worker killed under load (tests/swarm/cluster.sh)
#   SWARM_BENCH=1  also HTTPS requests/s with 1 and 2 wordpress replicas and
#                  the figures written to docs/results/swarm.md (make bench-swarm)
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
MODE=${1:-one-node}
export ROOT
case $MODE in
one-node | cluster) ;;
*)
	echo "usage: sh tests/swarm/run.sh [one-node|cluster]" >&2
	exit 2
	;;
esac
if ! docker info >/dev/null 2>&1; then
	echo "swarm ($MODE): SKIPPED (no Docker engine answers)"
	exit 0
fi
for tool in curl jq openssl make /usr/bin/python3; do
	command -v "$tool" >/dev/null || { echo "swarm: $tool is needed" >&2; exit 1; }
done
docker compose version >/dev/null 2>&1 || { echo "swarm: Compose v2 is needed (sh scripts/docker-plugins.sh)" >&2; exit 1; }
if [ "$MODE" = cluster ]; then
	exec sh "$ROOT/tests/swarm/cluster.sh"
fi

# shellcheck source=tests/swarm/lib.sh
. "$ROOT/tests/swarm/lib.sh"
E2E_COMPOSE=v2 teststack_compose
swarm_env swarm "${SWARM_PORT:-20443}"
REGISTRY=127.0.0.1:$SWARM_REGISTRY_PORT
SERVICES="edge mariadb nginx registry wordpress"
swarm_before=$(docker info -f '{{.Swarm.LocalNodeState}}')

# The images the test replaces by newer ones are the user's tags too: put
# the originals back, whatever happens.
orig_nginx=$(docker image inspect -f '{{.Id}}' "nginx:$VERSION" 2>/dev/null || true)
orig_wordpress=$(docker image inspect -f '{{.Id}}' "wordpress:$VERSION" 2>/dev/null || true)
cleanup() {
	rc=$?
	[ -z "${load_pid:-}" ] || kill "$load_pid" 2>/dev/null || true
	if [ "${E2E_KEEP:-0}" = 1 ]; then
		echo "swarm: left running: ENV_FILE=$ENV_FILE (make ENV_FILE=$ENV_FILE swarm-down)"
		exit "$rc"
	fi
	# What becomes of the swarm is said (it stays while other containers run).
	sw swarm-down 2>&1 | grep 'swarm' | grep -v 'removed' || true
	[ -z "$orig_nginx" ] || docker tag "$orig_nginx" "nginx:$VERSION"
	[ -z "$orig_wordpress" ] || docker tag "$orig_wordpress" "wordpress:$VERSION"
	# Swarm removes a stack's containers a moment after its services.
	n=0
	for v in wordpress mariadb registry; do
		until docker volume rm "${STACK}_$v" >/dev/null 2>&1 || ! docker volume inspect "${STACK}_$v" >/dev/null 2>&1; do
			n=$((n + 1))
			[ $n -lt 30 ] || break
			sleep 1
		done
	done
	# The registry's names for the images, and the test's own images; an
	# image with another name too (the user's nginx:VERSION) stays.
	docker images --digests --format '{{.Repository}}:{{.Tag}} {{.Repository}}@{{.Digest}}' |
		grep "^$REGISTRY/" | tr ' ' '\n' | grep -v ':<none>$\|@<none>$' | xargs -r docker rmi >/dev/null 2>&1 || true
	docker image prune -f --filter label=inception.swarm-test >/dev/null 2>&1 || true
	teststack_cleanup
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "swarm (one-node): stack $STACK, port $PORT, registry $REGISTRY, data $DATA"
echo "swarm (one-node): Docker engine $(docker version -f '{{.Server.Version}}'), swarm $swarm_before, $COMPOSE $COMPOSE_VERSION"

# ---- make swarm ---------------------------------------------------------------
t0=$(now_ms)
if sw swarm >"$TMP/up.log" 2>&1; then
	up_s=$((($(now_ms) - t0) / 1000))
	figure "make swarm to every service ready (fresh data, images cached)" "$up_s s"
	check "make swarm: deployed, every service ready (${up_s} s)" true
else
	check "make swarm: deployed, every service ready" sh -c "tail -n 60 '$TMP/up.log'; false"
	exit 1
fi

said_one_node() {
	[ "$swarm_before" = inactive ] || { echo "the engine was in a swarm already ($swarm_before)"; return 77; }
	grep -q 'now a one-node swarm manager' "$TMP/up.log" || fail "make swarm did not say it made a swarm"
	[ "$(docker info -f '{{.Swarm.ControlAvailable}}')" = true ] || fail "this engine is no swarm manager"
}
check "no swarm before: make swarm made a one-node swarm and said so" said_one_node

services_and_replicas() {
	got=$(docker service ls --filter "label=com.docker.stack.namespace=$STACK" --format '{{.Name}} {{.Replicas}}' | sed "s/^${STACK}_//" | sort)
	[ "$(echo "$got" | cut -d' ' -f1 | tr '\n' ' ')" = "$SERVICES " ] || fail "services: $got"
	echo "$got" | grep -qx 'wordpress 2/2' || fail "wordpress is not 2 replicas: $got"
	echo "$got" | grep -qx 'mariadb 1/1' || fail "mariadb: $got"
	echo "$got" | tr '\n' ' '
}
check "services: edge, nginx, wordpress (WP_REPLICAS=2), mariadb, registry, all running" services_and_replicas

site_answers() {
	body=$(https /) || fail "no answer"
	echo "$body" | grep -q "<title>[^<]*Inception" || fail "not the WordPress home page"
	if openssl s_client -connect "127.0.0.1:$PORT" -servername "$DOMAIN" -tls1_1 </dev/null 2>&1 | grep -q 'Cipher is (NONE)\|no protocols available\|alert'; then
		echo "home page over the edge; TLS 1.1 refused"
	else
		fail "TLS 1.1 was accepted"
	fi
}
check "the site answers through the edge on port $PORT, TLS 1.2+ only" site_answers

from_registry() {
	catalog=$(curl -sf "http://$REGISTRY/v2/_catalog") || fail "the registry does not answer"
	for s in edge mariadb nginx wordpress; do
		img=$(docker service inspect -f '{{.Spec.TaskTemplate.ContainerSpec.Image}}' "${STACK}_$s")
		case $img in "$REGISTRY/$s:$VERSION@sha256:"*) ;; *) fail "$s runs $img, not from $REGISTRY" ;; esac
		echo "$catalog" | jq -e --arg s "$s" '.repositories | index($s)' >/dev/null || fail "$s is not in the registry: $catalog"
	done
	reg=$(docker service inspect -f '{{.Spec.TaskTemplate.ContainerSpec.Image}}' "${STACK}_registry")
	c=$(task_container registry)
	[ "$(docker inspect -f '{{.Path}}' "$c")" = /usr/local/bin/initd ] || fail "the registry's PID 1 is not initd"
	echo "every image pulled by digest from $REGISTRY ($reg runs the registry itself)"
}
check "images reach the nodes through the stack's own registry (initd as its PID 1)" from_registry

swarm_secrets() {
	n=$(docker secret ls --filter "label=com.docker.stack.namespace=$STACK" -q | grep -c .) || true
	[ "$n" -ge 6 ] || fail "only $n Swarm secrets"
	for s in $SERVICES; do
		spec=$(docker service inspect "${STACK}_$s")
		for f in "$SECRETS"/*.txt "$SECRETS/tls/key.pem"; do
			v=$(head -n 2 "$f" | tail -n 1)
			case $spec in *"$v"*) fail "$s's service definition holds the content of ${f##*/}" ;; esac
		done
		c=$(task_container "$s")
		env=$(docker inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$c")
		for f in "$SECRETS"/*.txt; do
			case $env in *"$(cat "$f")"*) fail "$s's environment holds ${f##*/}" ;; esac
		done
	done
	mode=$(docker exec "$(task_container nginx)" stat -c '%a %U' /run/secrets/tls_key)
	[ "$mode" = "400 root" ] || fail "nginx's tls_key secret is $mode, not 400 root"
	echo "$n Swarm secrets; none in a service definition or environment; files 0400 root"
}
check "passwords are Swarm secrets, in no service definition or environment" swarm_secrets

visitor_address() {
	ua="swarm-probe-$$"
	https / -o /dev/null -A "$ua" || fail "no answer"
	edge_ips=$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}' "$(task_container edge)")
	sleep 1
	line=$(docker service logs --raw "${STACK}_nginx" 2>/dev/null | grep "$ua" | tail -n 1)
	[ -n "$line" ] || fail "nginx logged no request of $ua"
	addr=${line%% *}
	for ip in $edge_ips; do
		[ "$addr" != "$ip" ] || fail "nginx sees the edge's address ($addr), not the visitor's"
	done
	echo "nginx logged $addr (the edge is $edge_ips)"
}
check "nginx sees the visitor's address through the edge (PROXY protocol)" visitor_address

# cgroup v1's CPU time of each wordpress task, in ns.
cpu_of_replicas() {
	for c in $(docker ps -q --no-trunc --filter "label=com.docker.swarm.service.name=${STACK}_wordpress"); do
		cat "/sys/fs/cgroup/cpuacct/docker/$c/cpuacct.usage" 2>/dev/null ||
			awk '/usage_usec/ { print $2 * 1000 }' "/sys/fs/cgroup/system.slice/docker-$c.scope/cpu.stat" 2>/dev/null
	done
}
spread() {
	before=$(cpu_of_replicas)
	[ "$(echo "$before" | grep -c .)" = 2 ] || { echo "cannot read the replicas' CPU time here"; return 77; }
	i=0
	while [ $i -lt 40 ]; do
		# A query string: past the page cache, to PHP.
		https "/?spread=$i" -o /dev/null || fail "request $i failed"
		i=$((i + 1))
	done
	after=$(cpu_of_replicas)
	printf '%s\n%s\n' "$before" "$after" | awk 'NR <= 2 { b[NR] = $1 } NR > 2 { d[NR - 2] = $1 - b[NR - 2] }
		END { t = d[1] + d[2]; if (t <= 0) exit 1
		      printf "CPU of the two replicas over 40 requests: %.0f%% and %.0f%%\n", 100 * d[1] / t, 100 * d[2] / t
		      exit !(d[1] > 0.15 * t && d[2] > 0.15 * t) }'
}
check "nginx spreads requests over both wordpress replicas" spread

# NFS cannot be mounted here (no NFS in this kernel): what is checked is the
# stack file make swarm would deploy with SWARM_NFS, and a bad value refused.
nfs_render() {
	# As a user sets it: in the stack's .env.
	{ grep -v '^SWARM_NFS=' "$ENV_FILE"; echo SWARM_NFS=10.0.0.5:/srv/inception; } >"$TMP/nfs.env"
	STACK_ENV=$TMP/nfs.env VERSION=$VERSION sh "$ROOT/scripts/swarm.sh" render "$TMP/nfs.json" || fail "render failed"
	got=$(jq -c '.volumes.wordpress.driver_opts' "$TMP/nfs.json")
	[ "$got" = '{"type":"nfs","o":"addr=10.0.0.5,nfsvers=4.1,rw,hard,timeo=600","device":":/srv/inception/wordpress"}' ] ||
		fail "the wordpress volume is $got"
	[ "$(jq -r '.volumes.pagecache.driver_opts.device' "$TMP/nfs.json")" = :/srv/inception/pagecache ] ||
		fail "the page cache volume is $(jq -c '.volumes.pagecache' "$TMP/nfs.json")"
	[ "$(jq -c '.volumes.mariadb.driver_opts.type' "$TMP/nfs.json")" = '"none"' ] || fail "mariadb's volume changed too"
	{ grep -v '^SWARM_NFS=' "$ENV_FILE"; echo SWARM_NFS=srv-only; } >"$TMP/bad.env"
	if err=$(STACK_ENV=$TMP/bad.env VERSION=$VERSION sh "$ROOT/scripts/swarm.sh" render "$TMP/bad.json" 2>&1); then
		fail "SWARM_NFS=srv-only was accepted"
	fi
	case $err in *HOST:/EXPORT*) ;; *) fail "unclear message: $err" ;; esac
	echo "wordpress volume: $got"
}
check "SWARM_NFS puts the WordPress files and the page cache on NFS in the stack file (not mounted: no NFS here)" nfs_render

# ---- rolling update under load -------------------------------------------------
# new_image NAME [DOCKERFILE-LINE]: NAME:VERSION again as a new image (a
# label that differs), as a rebuild with changes would be.
new_image() {
	printf 'FROM %s:%s\nLABEL inception.swarm-test=%s\n%s\n' "$1" "$VERSION" "$$-$(now_ms)" "${2:-}" |
		docker build -q -t "$1:$VERSION" - >/dev/null
}
spec_image() { docker service inspect -f '{{.Spec.TaskTemplate.ContainerSpec.Image}}' "${STACK}_$1"; }

rolling_update() {
	old_nginx=$(spec_image nginx) old_wp=$(spec_image wordpress)
	new_image nginx
	new_image wordpress
	load_start update
	t0=$(now_ms)
	SWARM_BUILD=0 sw swarm-update >"$TMP/update.log" 2>&1 || { load_stop update >/dev/null; cat "$TMP/update.log"; fail "make swarm-update failed"; }
	took=$((($(now_ms) - t0) / 1000))
	# shellcheck disable=SC2046 # four numbers
	set -- $(load_stop update)
	figure "rolling update of nginx and wordpress (start-first), under load" "$1 requests, $3 failed, $4 comments acknowledged, ${took} s"
	[ "$(spec_image nginx)" != "$old_nginx" ] || fail "nginx was not updated"
	[ "$(spec_image wordpress)" != "$old_wp" ] || fail "wordpress was not updated"
	if [ "$1" -eq 0 ] || [ "$4" -eq 0 ]; then fail "the load generator did not get through: $*"; fi
	[ "$3" -eq 0 ] || { load_failures update; fail "$3 of $1 requests failed"; }
	echo "$1 requests and $4 comments during the ${took} s update, 0 failed"
}
check "rolling update of nginx and wordpress under load: 0 failed requests" rolling_update
check "every comment acknowledged during the update is stored" comments_present update

rollback() {
	old_wp=$(spec_image wordpress)
	# A broken configuration: php-fpm exits at once, initd is never ready.
	new_image wordpress 'CMD ["php-fpm8.2", "-F", "-y", "/nonexistent/php-fpm.conf"]'
	load_start rollback
	t0=$(now_ms)
	if SWARM_BUILD=0 sw swarm-update >"$TMP/rollback.log" 2>&1; then
		load_stop rollback >/dev/null
		fail "make swarm-update succeeded with an image that never becomes ready"
	fi
	took=$((($(now_ms) - t0) / 1000))
	# shellcheck disable=SC2046 # four numbers
	set -- $(load_stop rollback)
	figure "update to an image never ready, rolled back by Swarm, under load" "$1 requests, $3 failed, ${took} s"
	grep -q 'rolled back.*wordpress' "$TMP/rollback.log" || { cat "$TMP/rollback.log"; fail "make swarm-update did not say wordpress was rolled back"; }
	[ "$(spec_image wordpress)" = "$old_wp" ] || fail "wordpress runs $(spec_image wordpress), not the previous $old_wp"
	[ "$1" -gt 0 ] || fail "the load generator did not get through"
	[ "$3" -eq 0 ] || { load_failures rollback; fail "$3 of $1 requests failed"; }
	echo "$1 requests during the ${took} s failed update and rollback, 0 failed"
}
check "an update whose image never becomes ready is rolled back, 0 failed requests" rollback
check "every comment acknowledged during the rollback is stored" comments_present rollback

if [ "${SWARM_BENCH:-0}" = 1 ]; then
	# rps_with N PATH: wrk's requests/s with N wordpress replicas.
	rps_with() {
		docker service scale -d "${STACK}_wordpress=$1" >/dev/null
		n=0
		until [ "$(docker service ls --filter "name=${STACK}_wordpress" --format '{{.Replicas}}')" = "$1/$1" ]; do
			n=$((n + 1))
			[ $n -lt 120 ] || { echo "wordpress did not reach $1 replicas" >&2; return 1; }
			sleep 1
		done
		wrk -t2 -c8 -d"${BENCH_WRK_SECONDS:-20}s" -H "Host: $DOMAIN" "https://127.0.0.1:$PORT$2" |
			awk '/Requests\/sec/ { print $2 }'
	}
	ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", b / a }'; }
	# A query string: a page nginx's cache never answers, PHP renders it.
	one=$(rps_with 1 "/?swarm-bench=1")
	two=$(rps_with 2 "/?swarm-bench=1")
	figure "HTTPS req/s, home page rendered by PHP (?query), 1 wordpress replica (wrk -t2 -c8)" "$one"
	figure "HTTPS req/s, home page rendered by PHP (?query), 2 wordpress replicas" "$two ($(ratio "$one" "$two"))"
	one=$(rps_with 1 /)
	two=$(rps_with 2 /)
	figure "HTTPS req/s, home page /, 1 wordpress replica" "$one"
	figure "HTTPS req/s, home page /, 2 wordpress replicas" "$two ($(ratio "$one" "$two"))"
fi

# ---- the bonus services ------------------------------------------------------------
bonus() {
	t0=$(now_ms)
	sw swarm-bonus >"$TMP/bonus.log" 2>&1 || { tail -n 40 "$TMP/bonus.log"; fail "make swarm-bonus failed"; }
	took=$((($(now_ms) - t0) / 1000))
	figure "make swarm-bonus on the running stack (10 services)" "$took s"
	n=$(docker service ls -q --filter "label=com.docker.stack.namespace=$STACK" | grep -c .)
	[ "$n" = 10 ] || fail "$n services, not 10"
	for p in /site/ /adminer/; do
		code=$(https "$p" -o /dev/null -w '%{http_code}') || true
		[ "$code" = 200 ] || fail "$p answered $code"
	done
	banner=$(timeout 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/${FTP_PORT:?} && head -n 1 <&3") || fail "no FTP banner on $FTP_PORT"
	case $banner in 220*) ;; *) fail "FTP said: $banner" ;; esac
	# Past the page cache (a query string), so that WordPress runs and uses redis.
	https "/?bonus=1" -o /dev/null || fail "no home page"
	keys=$(docker exec "$(task_container redis)" redis-cli-auth dbsize | tr -dc 0-9)
	[ "${keys:-0}" -gt 0 ] || fail "redis holds no key: WordPress does not use it"
	docker exec -u www-data "$(task_container backup)" /usr/local/bin/backup-now >"$TMP/backup.log" 2>&1 ||
		{ cat "$TMP/backup.log"; fail "backup-now failed"; }
	echo "10 services in ${took} s; /site/ and /adminer/ 200, FTP banner, $keys keys in redis, $(tail -n 1 "$TMP/backup.log")"
}
check "make swarm-bonus: the bonus services on the swarm (static, adminer, ftp, redis cache, backup)" bonus

# ---- down and up again -----------------------------------------------------------
down_keeps_data() {
	posts_before=$(https "/?rest_route=/wp/v2/comments&per_page=1" -D - -o /dev/null | tr -d '\r' | sed -n 's/^[Xx]-[Ww][Pp]-[Tt]otal: //p')
	sw swarm-down >"$TMP/down.log" 2>&1 || { cat "$TMP/down.log"; fail "make swarm-down failed"; }
	[ -z "$(docker service ls -q --filter "label=com.docker.stack.namespace=$STACK")" ] || fail "services are left"
	if ! [ -s "$DATA/wordpress/wp-config.php" ] || ! [ -d "$DATA/mariadb/mysql" ]; then fail "the data is gone"; fi
	t0=$(now_ms)
	sw swarm >"$TMP/up2.log" 2>&1 || { tail -n 40 "$TMP/up2.log"; fail "make swarm on the kept data failed"; }
	again=$((($(now_ms) - t0) / 1000))
	figure "make swarm again on kept data" "$again s"
	posts_after=$(https "/?rest_route=/wp/v2/comments&per_page=1" -D - -o /dev/null | tr -d '\r' | sed -n 's/^[Xx]-[Ww][Pp]-[Tt]otal: //p')
	if [ -z "$posts_before" ] || [ "$posts_before" != "$posts_after" ]; then
		fail "comments: $posts_before before, $posts_after after"
	fi
	echo "$posts_after comments before and after; up again in $again s"
}
check "make swarm-down keeps the data; make swarm brings it back" down_keeps_data

leaves_swarm() {
	[ "$swarm_before" = inactive ] || { echo "the engine was in a swarm before: it stays in it"; return 77; }
	sw swarm-down >"$TMP/down2.log" 2>&1 || { cat "$TMP/down2.log"; fail "make swarm-down failed"; }
	state=$(docker info -f '{{.Swarm.LocalNodeState}}')
	# It stays while other containers run (swarm.sh says why), and says so.
	if grep -q 'stays the one-node swarm.*45144' "$TMP/down2.log"; then
		[ "$state" = active ] || fail "make swarm-down said the swarm stays, and it is $state"
		echo "other containers run here: make swarm-down kept the swarm and said why"
		return 77
	fi
	grep -q 'left the one-node swarm' "$TMP/down2.log" || { cat "$TMP/down2.log"; fail "make swarm-down neither left nor said why not"; }
	[ "$state" = inactive ] || fail "make swarm-down said it left, and the engine is $state"
}
check "make swarm-down leaves the one-node swarm make swarm made" leaves_swarm

figures_write swarm.md "The stack on Docker Swarm, one node (make bench-swarm)" tests/swarm/run.sh
echo "swarm (one-node): $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
