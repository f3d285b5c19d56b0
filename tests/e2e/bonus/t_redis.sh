# shellcheck shell=sh
# redis and WordPress's Redis object cache: the cache is used (hits grow,
# wp_using_ext_object_cache()), the drop-in follows the WP_Object_Cache API
# across requests, the site survives redis being stopped and uses it again
# once it is back; redis itself: PID 1, users, password, memory bound,
# kill -9, graceful stop, no secret anywhere.

# shellcheck source=tests/e2e/bonus/bsvc.sh
. "$HERE/bonus/bsvc.sh"

# redis_cli ARG...: an authenticated redis-cli inside the redis container.
redis_cli() {
	docker exec "$(cid redis)" redis-cli-auth "$@"
}

# A page that runs PHP on every request: the page cache stores the home page
# for anonymous visitors, and any other query string bypasses it
# (services/nginx/page-cache.conf).
UNCACHED='/?e2e=objcache'

redis_hits() {
	redis_cli INFO stats | tr -d '\r' | sed -n 's/^keyspace_hits://p'
}

# wp_php CODE: PHP run in the wordpress container as www-data, with WordPress loaded.
wp_php() {
	docker exec -u www-data -w /var/www/html "$(cid wordpress)" php -r \
		"\$_SERVER['HTTP_HOST'] = 'localhost'; \$_SERVER['REQUEST_URI'] = '/'; require 'wp-load.php'; $1"
}

redis_users() {
	bsvc_users redis redis-server "$(docker exec "$(cid redis)" id -u redis)"
}

redis_config() {
	c=$(cid redis)
	out=$(docker exec "$c" redis-cli PING 2>&1) || true
	case $out in
	*NOAUTH*) ;;
	*) fail "PING without the password answered '$out'" || return 1 ;;
	esac
	[ "$(redis_cli PING)" = PONG ] || fail "authenticated PING failed" || return 1
	mem=$(redis_cli CONFIG GET maxmemory | tr -d '\r' | sed -n 's/^2) //p')
	policy=$(redis_cli CONFIG GET maxmemory-policy | tr -d '\r' | sed -n 's/^2) //p')
	[ "$mem" = '"67108864"' ] || fail "maxmemory is $mem" || return 1
	[ "$policy" = '"allkeys-lru"' ] || fail "maxmemory-policy is $policy" || return 1
	# The include with the password is on a tmpfs, readable by redis only.
	docker exec "$c" sh -c 'grep -q " /run/redis tmpfs " /proc/mounts' || fail "/run/redis is not a tmpfs" || return 1
	perms=$(docker exec "$c" stat -c '%U %a' /run/redis/auth.conf)
	[ "$perms" = "redis 600" ] || fail "/run/redis/auth.conf: $perms" || return 1
	echo "NOAUTH without password; maxmemory $mem, $policy"
}

ext_cache_used() {
	# shellcheck disable=SC2016 # PHP code: its $GLOBALS is PHP's.
	out=$(wp_php 'echo wp_using_ext_object_cache() ? "ext" : "none", " ", $GLOBALS["wp_object_cache"]->redis_connected() ? "connected" : "down";')
	[ "$out" = "ext connected" ] || fail "WordPress says '$out' (expected 'ext connected')"
	echo "wp_using_ext_object_cache(): true, redis connected"
}

# A few page loads: redis's keyspace_hits grow.
hits_grow() {
	h0=$(redis_hits)
	i=0
	while [ "$i" -lt 5 ]; do
		code=$(https "$UNCACHED" -o /dev/null -w '%{http_code}')
		[ "$code" = 200 ] || fail "front page: $code" || return 1
		i=$((i + 1))
	done
	h1=$(redis_hits)
	[ "$h1" -gt $((h0 + 20)) ] || fail "keyspace_hits $h0 -> $h1 after 5 page loads"
	echo "keyspace_hits $h0 -> $h1 after 5 page loads, $(redis_cli DBSIZE | tr -d '\r') keys"
}

# The drop-in's API: one process writes, a second one (another request) reads.
objcache_api() {
	c=$(cid wordpress)
	n=0
	for phase in write read; do
		out=$(docker exec -i -u www-data -w /var/www/html "$c" php -- "$phase" <"$HERE/bonus/objcache_check.php" 2>&1)
		echo "$out" | grep -q '^checks: [0-9]* failed: 0$' || fail "$phase: $out" || return 1
		n=$((n + $(echo "$out" | sed -n 's/^checks: \([0-9]*\) .*/\1/p')))
		[ "$phase" = read ] || sleep 1.2 # the 1 s TTL of one key runs out
	done
	echo "$n API checks passed across two requests"
}

# Stop redis: the site still answers 200, uncached; start it: hits grow again.
redis_down_and_back() {
	c=$(cid redis)
	t0=$(now_ms)
	docker stop -t 10 "$c" >/dev/null || fail "docker stop redis failed" || return 1
	t1=$(now_ms)
	code=$(docker inspect -f '{{.State.ExitCode}}' "$c")
	worst=0
	i=0
	while [ "$i" -lt 5 ]; do
		r=$(https "$UNCACHED" -o /dev/null -w '%{http_code} %{time_total}') || true
		[ "${r% *}" = 200 ] || { docker start "$c" >/dev/null; fail "redis down: front page answered ${r% *}"; return 1; }
		ms=$(echo "${r#* }" | awk '{ printf "%d", $1 * 1000 }')
		[ "$ms" -le "$worst" ] || worst=$ms
		i=$((i + 1))
	done
	degraded=$(wp_php 'echo wp_using_ext_object_cache() ? "ext" : "none";') || true
	docker start "$c" >/dev/null || fail "docker start redis failed" || return 1
	wait_healthy "$c" 60 || fail "redis not healthy again" || return 1
	[ "$code" = 0 ] || fail "redis exited with $code" || return 1
	[ $((t1 - t0)) -lt 3000 ] || fail "stopping redis took $((t1 - t0)) ms" || return 1
	[ "$degraded" = none ] || fail "with redis down WordPress still claims an external cache ($degraded)" || return 1
	# The drop-in waits a few seconds after a failure before trying again.
	deadline=$(($(now_ms) + 20000))
	h0=$(redis_hits)
	while :; do
		https "$UNCACHED" -o /dev/null || true
		h1=$(redis_hits)
		[ "$h1" -gt $((h0 + 20)) ] && break
		[ "$(now_ms)" -lt "$deadline" ] || fail "keyspace_hits stuck at $h1 after redis came back" || return 1
		sleep 0.5
	done
	ext_cache_used >/dev/null || return 1
	echo "redis stopped in $((t1 - t0)) ms (status 0); site 200 without it (slowest ${worst} ms); back: hits $h0 -> $h1"
}

redis_kill9() {
	restarted_in_place redis 10 redis_cli PING
}

# A hang without a death (SIGSTOP of the service's process group): only initd's
# check can tell; it restarts the service in place.
redis_hang() {
	restarted_after STOP redis 45 redis_cli PING
}

redis_no_secret() {
	bsvc_no_secret redis || return 1
	bsvc_no_secret wordpress
}

run_bonus_redis() {
	check "redis: healthy, initd PID 1, unless-stopped, redis:$VERSION, not published" bsvc_basics redis
	check "redis: redis-server runs as redis, no capability" redis_users
	check "redis: password required, 64 MB allkeys-lru, password file on tmpfs" redis_config
	check "wordpress: external object cache in use (redis connected)" ext_cache_used
	check "redis: keyspace_hits grow with page loads" hits_grow
	check "object-cache.php: WP_Object_Cache API across requests" objcache_api
	check "redis stopped: site still 200, uncached; started: cache used again" redis_down_and_back
	check "redis: kill -9 of redis-server, initd restarts it, container stays" redis_kill9
	check "redis: redis-server hangs (SIGSTOP): initd restarts it in place, answers again < 45 s" redis_hang
	check "redis: docker stop < 3 s, status 0" stops_gracefully redis 0
	check "redis, wordpress: no password in images, configs, env or argv" redis_no_secret
}
