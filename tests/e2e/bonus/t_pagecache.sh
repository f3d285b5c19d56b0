# shellcheck shell=sh
# nginx's page cache with the Redis object cache of `make bonus`: pages are
# stored and served (MISS then HIT), a post published is on the cached home
# page at once (the mu-plugin's purge does not depend on which object cache
# WordPress uses), and a page PHP renders with redis behind it is the one a
# visitor gets. The rules themselves are the mandatory suite's (t_cache.sh).

# shellcheck source=tests/e2e/t_cache.sh
. "$HERE/t_cache.sh"

pagecache_with_redis() {
	# shellcheck disable=SC2016 # PHP code: its $GLOBALS is PHP's.
	out=$(docker exec -u www-data -w /var/www/html "$(cid wordpress)" php -r '$_SERVER["REQUEST_URI"] = "/"; require "wp-load.php";
		echo wp_using_ext_object_cache() && $GLOBALS["wp_object_cache"]->redis_connected() ? "redis" : "no redis";')
	[ "$out" = redis ] || fail "WordPress is not on the Redis object cache: $out" || return 1
	cache_content purge >/dev/null || fail "purge failed" || return 1
	a=$(cache_status /)
	[ "$a" = MISS ] || fail "/ after a purge: $a (expected MISS)" || return 1
	hit_after_miss / >/dev/null || return 1
	echo "redis object cache in use; / MISS after a purge, then HIT"
}

pagecache_purge_with_redis() {
	# The home page, rendered with redis, is stored before the change: a
	# stale object in redis would show here as a missing post.
	purge_shows "publish (redis object cache)" / "Fresh redis post $$" cache_content publish "Fresh redis post $$"
}

run_bonus_pagecache() {
	check "page cache with redis: MISS then HIT" pagecache_with_redis
	check "page cache with redis: a post published is on the cached home page at once" pagecache_purge_with_redis
}
