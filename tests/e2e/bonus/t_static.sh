# shellcheck shell=sh
# The static site through nginx's TLS entry point at /site/: its pages with
# their types, no PHP; its absence gives a clean 503 while WordPress goes on;
# its container: PID 1, users, kill -9, stop.

# shellcheck source=tests/e2e/bonus/bsvc.sh
. "$HERE/bonus/bsvc.sh"

static_users() {
	bsvc_users static lighttpd 33
}

static_pages() {
	for f in "/site/ text/html" "/site/style.css text/css" "/site/app.js text/javascript"; do
		r=$(https "${f% *}" -o /dev/null -w '%{http_code} %{content_type}')
		case $r in
		"200 ${f#* }"*) ;;
		*) fail "${f% *}: $r" || return 1 ;;
		esac
	done
	page=$(https /site/)
	for w in initd Inception style.css app.js; do
		echo "$page" | grep -q "$w" || fail "/site/ does not mention $w" || return 1
	done
	loc=$(https /site -o /dev/null -w '%{http_code} %{redirect_url}')
	[ "$loc" = "301 https://$DOMAIN:$PORT/site/" ] || fail "/site redirects to '$loc'" || return 1
	# No PHP: a .php path is a plain 404, never executed or sent as source.
	code=$(https /site/index.php -o /dev/null -w '%{http_code}')
	[ "$code" = 404 ] || fail "/site/index.php answered $code" || return 1
	docker exec "$(cid static)" sh -c 'command -v php' && { fail "php in the static image"; return 1; }
	echo "/site/ html, css and js 200 with their types; /site -> /site/; .php 404"
}

# Without the static container (stopped: its name leaves Docker's DNS) /site/
# answers a clean 503 and WordPress is untouched; then it comes back.
static_absent() {
	c=$(cid static)
	docker stop -t 10 "$c" >/dev/null || fail "docker stop failed" || return 1
	# || true: the container must be started again whatever these answer.
	site=$(https /site/ -o /dev/null -w '%{http_code} %{time_total}') || true
	front=$(https / -o /dev/null -w '%{http_code}') || true
	docker start "$c" >/dev/null || fail "docker start failed" || return 1
	wait_healthy "$c" 60 || fail "static not healthy again" || return 1
	[ "${site% *}" = 503 ] || fail "/site/ without its container: $site" || return 1
	[ "$front" = 200 ] || fail "the front page answered $front while static was away" || return 1
	code=$(https /site/ -o /dev/null -w '%{http_code}')
	[ "$code" = 200 ] || fail "/site/ answered $code after static came back" || return 1
	echo "static away: /site/ 503 in ${site#* } s, / 200; back: /site/ 200"
}

# nginx's security headers on the proxied pages and on lighttpd's own 404.
static_headers() {
	for p in "/site/ 200" "/site/style.css 200" "/site/app.js 200" "/site/e2e-no-such-file 404"; do
		r=$(security_headers "${p% *}") || fail "$r" || return 1
		[ "$r" = "$p" ] || fail "expected '$p', got '$r'" || return 1
	done
	echo "/site/ pages, its css, js and 404: every security header once, Server: nginx"
}

# nginx replaces lighttpd's Server header: ask lighttpd itself, from the
# nginx container (the static image has no HTTP client).
static_no_version() {
	h=$(docker exec "$(cid nginx)" curl -sS --max-time 5 -D - -o /dev/null http://static:8080/ | tr -d '\r') ||
		fail "lighttpd did not answer: $h" || return 1
	echo "$h" | head -n 1 | grep -q ' 200' || fail "lighttpd: $(echo "$h" | head -n 1)" || return 1
	server=$(echo "$h" | grep -i '^server:' || true)
	[ -z "$server" ] || fail "lighttpd sends '$server'" || return 1
	echo "lighttpd on static:8080 answers without a Server header"
}

static_kill9() {
	restarted_in_place static 10 https /site/ -f -o /dev/null
}

# A hang without a death (SIGSTOP of the service's process group): only initd's
# check can tell; it restarts the service in place.
static_hang() {
	restarted_after STOP static 45 https /site/ -f -o /dev/null
}

run_bonus_static() {
	check "static: healthy, initd PID 1, unless-stopped, static:$VERSION, not published" bsvc_basics static
	check "static: lighttpd runs as www-data, no capability" static_users
	check "static: the site at https://.../site/ through nginx, no PHP" static_pages
	check "static: security headers on /site/ (pages and errors)" static_headers
	check "static: lighttpd sends no Server header (no version)" static_no_version
	check "static: container away -> /site/ 503, WordPress still 200" static_absent
	check "static: kill -9 of lighttpd, initd restarts it, container stays" static_kill9
	check "static: lighttpd hangs (SIGSTOP): initd restarts it in place, answers again < 45 s" static_hang
	check "static: docker stop < 3 s, status 0" stops_gracefully static 0
	check "static: no password in its image, config, env or argv" bsvc_no_secret static
}
