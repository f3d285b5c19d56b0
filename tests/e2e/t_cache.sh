# shellcheck shell=sh
# nginx's page cache (services/nginx/page-cache.conf, docs/stack.md "Page
# cache"): an anonymous visitor is served a stored page from the second
# request on; each rule that keeps a request away from the cache, checked on
# its own (a logged-in user after a real login, a commenter's and the other
# WordPress cookies, a POST, wp-admin, wp-login.php, the REST API both ways,
# WP-Cron, query strings, a response that sets a cookie, a page rendered while
# the content changed); the security headers on a HIT; publishing, editing,
# approving a comment and switching the theme each show at once to an
# anonymous visitor; Site Health's page cache test passes.

CACHE_PHP=$ROOT/tests/e2e/cache-content.php

# cache_status PATH [CURL ARG]...: the X-Cache-Status of one answer, "none" without it.
cache_status() {
	s=$(headers "$@" | sed -n 's/^x-cache-status: //p')
	echo "${s:-none}"
}

# cache_content ARG...: cache-content.php in the wordpress container (www-data).
cache_content() {
	docker exec -i -u www-data "$(cid wordpress)" php -- "$@" <"$CACHE_PHP"
}

# hit_after_miss PATH: a page no purge has touched in this second: the first
# request stores it (MISS, or HIT when it already was), the next one is a HIT.
# Prints both statuses.
hit_after_miss() {
	a=$(cache_status "$1")
	b=$(cache_status "$1")
	case $a in MISS | HIT | EXPIRED) ;; *) fail "$1: first answer $a (expected MISS or HIT)" || return 1 ;; esac
	[ "$b" = HIT ] || fail "$1: second answer $b (expected HIT)" || return 1
	echo "$1: $a then $b"
}

cache_anonymous() {
	t="Cache anonymous $$ $(date +%s)"
	cache_content publish "$t" >/dev/null || fail "publish failed" || return 1
	a=$(cache_status /)
	[ "$a" = MISS ] || fail "/ right after a purge: $a (expected MISS)" || return 1
	hit_after_miss / >/dev/null || return 1
	body=$(https /)
	echo "$body" | grep -qF "$t" || fail "the HIT does not show the newest post" || return 1
	echo "$body" | grep -q 'wp-admin-bar' && { fail "the anonymous HIT has an admin bar"; return 1; }
	hit_after_miss '/?p=1' >/dev/null || return 1
	echo "/: MISS then HIT, newest post on it; /?p=1 (plain permalink): HIT from its second request"
}

cache_security_headers() {
	[ "$(cache_status /)" = HIT ] || fail "/ is not a HIT" || return 1
	security_headers / >/dev/null || return 1
	h=$(headers /)
	echo "$h" | grep -q '^x-cache-status: HIT$' || fail "second answer not a HIT" || return 1
	echo "$h" | grep -q '^set-cookie:' && { fail "a HIT carries Set-Cookie"; return 1; }
	echo "a HIT carries every security header once, no Set-Cookie"
}

# A real login (wp-login.php) and the home page with its cookies: never the
# anonymous copy, and its own page (admin bar) never stored for visitors.
cache_logged_in() {
	jar="$TMP/cookies.cache"
	code=$(login "$WP_ADMIN_USER" "$(secret wp_admin_password)" "$jar")
	[ "$code" = 302 ] || fail "login answered $code" || return 1
	hit_after_miss / >/dev/null || return 1
	for i in 1 2; do
		s=$(cache_status / -b "$jar")
		[ "$s" = BYPASS ] || fail "logged in, request $i: $s (expected BYPASS)" || return 1
	done
	https / -b "$jar" | grep -q 'wp-admin-bar' || fail "the logged-in page has no admin bar: not the user's own page" || return 1
	[ "$(cache_status /)" = HIT ] || fail "anonymous after the logged-in visits: not a HIT" || return 1
	https / | grep -q 'wp-admin-bar' && { fail "an anonymous visitor got the logged-in page"; return 1; }
	echo "after a real login: BYPASS twice, admin bar; visitors still get the anonymous HIT"
}

# Cookies by name: each of WordPress's own (the values do not matter to
# nginx) bypasses; cookies of no meaning to WordPress do not.
cache_cookies() {
	hit_after_miss / >/dev/null || return 1
	hash=0123456789abcdef0123456789abcdef
	for c in "comment_author_$hash=visitor" "comment_author_email_$hash=v%40example.org" \
		"wp-postpass_$hash=x" "wordpress_logged_in_$hash=x" "wordpress_sec_$hash=x" "wordpress_$hash=x"; do
		s=$(cache_status / -b "$c")
		[ "$s" = BYPASS ] || fail "cookie ${c%%=*}: $s (expected BYPASS)" || return 1
	done
	for c in 'wordpress_test_cookie=WP%20Cookie%20check' '_pk_id=1' 'theme=dark'; do
		s=$(cache_status / -b "$c")
		[ "$s" = HIT ] || fail "cookie ${c%%=*}: $s (expected HIT: it is no WordPress session)" || return 1
	done
	echo "BYPASS: comment_author_, wp-postpass_, wordpress_logged_in_, wordpress_sec_, wordpress_<hash>; HIT: test cookie and others"
}

cache_post() {
	hit_after_miss / >/dev/null || return 1
	for i in 1 2; do
		s=$(cache_status / -X POST -d 'e2e=1')
		case $s in HIT) fail "POST $i was served from the cache" || return 1 ;; esac
	done
	echo "POST /: X-Cache-Status $s (nginx looks at the cache for GET and HEAD only)"
}

# PATH...: each answers BYPASS, twice.
cache_bypassed() {
	for p in "$@"; do
		for i in 1 2; do
			s=$(cache_status "$p")
			[ "$s" = BYPASS ] || fail "$p, request $i: $s (expected BYPASS)" || return 1
		done
	done
	echo "BYPASS twice: $*"
}

# A response that sets a cookie is never stored (nginx's default, relied
# upon): a probe page in the site's root that only sets one.
cache_set_cookie() {
	w=$(cid wordpress)
	docker exec -u www-data "$w" sh -c "printf '%s\n' '<?php setcookie(\"e2e_probe\", \"1\"); echo \"probe\";' >/var/www/html/e2e-set-cookie.php"
	a=$(cache_status /e2e-set-cookie.php)
	b=$(cache_status /e2e-set-cookie.php)
	sc=$(headers /e2e-set-cookie.php | grep -c '^set-cookie: e2e_probe=' || true)
	docker exec "$w" rm -f /var/www/html/e2e-set-cookie.php
	[ "$sc" = 1 ] || fail "the probe sent no Set-Cookie" || return 1
	[ "$a" = MISS ] && [ "$b" = MISS ] || fail "a Set-Cookie response: $a then $b (expected MISS, MISS: never stored)" || return 1
	echo "Set-Cookie response: MISS, MISS (never stored)"
}

# A 404 through a URL the rules let through (/?p=N): WordPress marks it
# no-cache, and only 200 and 301 have a lifetime: never stored.
cache_404_not_stored() {
	a=$(cache_status '/?p=999999')
	b=$(cache_status '/?p=999999')
	h=$(headers '/?p=999999')
	echo "$h" | head -n 1 | grep -q ' 404' || fail "/?p=999999 is not a 404: $(echo "$h" | head -n 1)" || return 1
	[ "$a" = MISS ] && [ "$b" = MISS ] || fail "a 404: $a then $b (expected MISS, MISS: never stored)" || return 1
	echo "/?p=999999: 404, MISS, MISS ($(echo "$h" | grep '^cache-control:'))"
}

# A page whose rendering began before the last change is not stored (the
# mu-plugin's X-Accel-Expires: 0): with the change time set in the future,
# every page is such a page.
cache_changed_during_render() {
	w=$(cid wordpress)
	cache_content purge >/dev/null || fail "purge failed" || return 1
	docker exec -u www-data "$w" sh -c 'echo 99999999999 >/var/cache/inception/changed'
	a=$(cache_status '/?p=1')
	b=$(cache_status '/?p=1')
	docker exec -u www-data "$w" sh -c 'date +%s.%N >/var/cache/inception/changed'
	[ "$a" = MISS ] && [ "$b" = MISS ] || fail "rendered during a change: $a then $b (expected MISS, MISS)" || return 1
	hit_after_miss '/?p=1' >/dev/null || fail "not stored again after the change" || return 1
	echo "rendered during a change: MISS, MISS; afterwards MISS then HIT"
}

# purge_shows WHAT PATH TEXT COMMAND...: PATH is a HIT without TEXT; after
# COMMAND (a change through WordPress), the very next anonymous request
# shows TEXT. Prints the time from the change's start to that answer.
purge_shows() {
	what=$1 path=$2 text=$3
	shift 3
	hit_after_miss "$path" >/dev/null || return 1
	https "$path" | grep -qF "$text" && { fail "$path already shows '$text' before: $what"; return 1; }
	t0=$(now_ms)
	"$@" >/dev/null || fail "$what: the change failed" || return 1
	body=$(https "$path")
	t1=$(now_ms)
	echo "$body" | grep -qF "$text" || fail "$path does not show '$text' right after: $what (stale page)" || return 1
	echo "$what: on $path $((t1 - t0)) ms after the change began (change included)"
}

cache_purge_publish() {
	purge_shows "publish" / "Fresh post $$" cache_content publish "Fresh post $$"
}

cache_purge_edit() {
	id=$(cache_content publish "Edit me $$") || fail "publish failed" || return 1
	echo "$id" >"$TMP/cache-post"
	purge_shows "edit of the title" / "Edited title $$" cache_content edit "$id" "Edited title $$"
}

cache_purge_comment() {
	id=$(cat "$TMP/cache-post" 2>/dev/null) || fail "no post from the edit check" || return 1
	cid=$(cache_content comment "$id" "Held comment $$") || fail "comment failed" || return 1
	# Held: not public yet, and the page may stay as it is.
	hit_after_miss "/?p=$id" >/dev/null || return 1
	https "/?p=$id" | grep -qF "Held comment $$" && { fail "a held comment is public"; return 1; }
	purge_shows "approval of a comment" "/?p=$id" "Held comment $$" cache_content approve "$cid"
}

# A theme of two files, switched to and back: both switches show at once.
cache_purge_theme() {
	w=$(cid wordpress)
	d=/var/www/html/wp-content/themes/e2e-cache-theme
	docker exec -u www-data "$w" sh -c "mkdir -p $d && printf '/*\nTheme Name: e2e cache theme\n*/\n' >$d/style.css &&
		printf '%s\n' '<?php echo \"e2e cache theme $$\";' >$d/index.php"
	out=$(purge_shows "theme switch" / "e2e cache theme $$" cache_content theme e2e-cache-theme) || {
		cache_content theme twentytwentythree >/dev/null 2>&1
		docker exec "$w" rm -rf "$d"
		fail "$out"
		return 1
	}
	cache_content theme twentytwentythree || fail "switch back failed" || return 1
	body=$(https /)
	docker exec "$w" rm -rf "$d"
	echo "$body" | grep -qF "e2e cache theme $$" && { fail "after switching back, / still shows the test theme"; return 1; }
	echo "$out; switched back: gone at once"
}

# Site Health's own test (WP_Site_Health::get_test_page_cache: three loopback
# requests of the home page), run by WordPress in the container.
cache_site_health() {
	# shellcheck disable=SC2016 # PHP code: its $r is PHP's.
	out=$(docker exec -u www-data -w /var/www/html "$(cid wordpress)" php -r '
		$_SERVER["REQUEST_URI"] = "/"; require "wp-load.php";
		require_once ABSPATH . "wp-admin/includes/class-wp-site-health.php";
		$r = WP_Site_Health::get_instance()->get_test_page_cache();
		echo $r["status"], " | ", $r["label"], " | ", wp_strip_all_tags($r["description"]);') ||
		fail "the test did not run: $out" || return 1
	case $out in
	good*) ;;
	*) fail "Site Health's page cache test: $out" || return 1 ;;
	esac
	echo "$out" | sed 's/ | Page cache enhances.*following HTTP client caching response headers:[^.]*\.\(.*\)/ |\1/' | cut -c 1-320
}

run_cache() {
	check "page cache: an anonymous visitor: MISS, then HIT (home page, a post)" cache_anonymous
	check "page cache: a HIT carries the security headers and no cookie" cache_security_headers
	check "page cache: after a real login the user never gets a cached page (BYPASS)" cache_logged_in
	check "page cache: a commenter's and WordPress's session cookies bypass it, other cookies do not" cache_cookies
	check "page cache: a POST is never answered from it" cache_post
	check "page cache: wp-admin, wp-login.php, the REST API (/wp-json/, ?rest_route=), wp-cron.php bypass it" \
		cache_bypassed /wp-admin/ /wp-admin/admin-ajax.php /wp-login.php /wp-json/ '/?rest_route=/' /wp-cron.php
	check "page cache: query strings bypass it (search, preview, tracking), but one numeric public variable" \
		cache_bypassed '/?s=cache' '/?p=1&preview=true' '/?utm_source=e2e' '/?replytocom=1'
	check "page cache: a response that sets a cookie is never stored" cache_set_cookie
	check "page cache: a 404 (WordPress says no-cache) is never stored" cache_404_not_stored
	check "page cache: a page rendered while the content changed is not stored" cache_changed_during_render
	check "page cache: a post published is on the cached home page at once" cache_purge_publish
	check "page cache: a post's new title is there at once" cache_purge_edit
	check "page cache: an approved comment is on its post at once" cache_purge_comment
	check "page cache: a theme switch shows at once" cache_purge_theme
	check "page cache: Site Health's page cache test passes" cache_site_health
}
