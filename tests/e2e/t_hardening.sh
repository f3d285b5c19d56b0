# shellcheck shell=sh
# Hardening of the site (docs/stack.md, "Hardening"): security headers on
# every kind of answer, no version in nginx's banner and pages, no
# X-Powered-By, no PHP run from the uploads, XML-RPC off in nginx and in
# WordPress, no file editor in wp-admin, and wp-login.php's rate limit. The
# rate limit shuts this address out of logging in for a while: run_hardening
# comes last in the suite and its rate-limit check last in it.

hardening_jar() {
	echo "$TMP/cookies.hardening"
}

# Every kind of answer: WordPress pages (a 404 of WordPress's too), static
# files, the login form, wp-admin with and without a session, nginx's own
# error pages, the health probe, the bonus paths (503 in the mandatory stack).
hardening_headers() {
	jar=$(hardening_jar)
	code=$(login "$WP_ADMIN_USER" "$(secret wp_admin_password)" "$jar")
	[ "$code" = 302 ] || fail "the administrator's login answered $code" || return 1
	seen=""
	for p in "/ 200" "/?p=1 200" "/?p=999999 404" "/wp-includes/css/dashicons.min.css 200" \
		"/wp-login.php 200" "/wp-admin/ 302" "/wp-config.php 403" "/e2e-no-such-file.php 404" \
		"/xmlrpc.php 403" "/nginx-health 204" "/site/ 503" "/adminer/ 503"; do
		r=$(security_headers "${p% *}") || fail "$r" || return 1
		[ "$r" = "$p" ] || fail "expected '$p', got '$r'" || return 1
		seen="$seen ${p#* }"
	done
	r=$(security_headers /wp-admin/ -b "$jar") || fail "$r" || return 1
	[ "$r" = "/wp-admin/ 200" ] || fail "logged-in /wp-admin/: '$r'" || return 1
	echo "12 paths + wp-admin logged in (statuses$seen 200): every header once, Server: nginx, no X-Powered-By"
}

# nginx's error pages name it, but no version (server_tokens off).
hardening_nginx_version() {
	body=$(https /e2e-no-such-file.php)
	echo "$body" | grep -q '<center>nginx</center>' || fail "not nginx's 404 page: $body" || return 1
	echo "$body" | grep -q 'nginx/[0-9]' && { fail "nginx's 404 page shows a version: $body"; return 1; }
	h=$(headers /wp-config.php)
	echo "$h" | grep -q '^server: nginx$' || fail "$(echo "$h" | grep '^server:')" || return 1
	echo "404 and 403 pages and Server header: 'nginx', no version"
}

# PHP itself (php-fpm's pools): no X-Powered-By on WordPress's pages.
hardening_powered_by() {
	for p in / /wp-login.php /wp-admin/; do
		h=$(headers "$p")
		echo "$h" | grep -qi '^x-powered-by:' && { fail "$p: $(echo "$h" | grep '^x-powered-by:')"; return 1; }
	done
	echo "no X-Powered-By on /, /wp-login.php, /wp-admin/"
}

# A PHP file in the uploads (written as www-data, as WordPress or FTP would)
# is never run. The same file elsewhere in wp-content runs, so the probe
# itself is sound and only the uploads rule stops it.
hardening_uploads() {
	c=$(cid wordpress)
	# The marker is computed, so a page that only shows the source has not run it.
	# shellcheck disable=SC2016 # PHP code
	docker exec -u www-data "$c" sh -c 'mkdir -p /var/www/html/wp-content/uploads/2026/12 &&
		for f in /var/www/html/wp-content/uploads/2026/12/e2e-probe.php /var/www/html/wp-content/e2e-probe.php; do
			echo "<?php echo \"ran-\" . (6 * 7);" >"$f"
		done' || fail "cannot write the probes as www-data" || return 1
	up=$(https /wp-content/uploads/2026/12/e2e-probe.php -w '\n%{http_code}')
	path_info=$(https /wp-content/uploads/2026/12/e2e-probe.php/x -o /dev/null -w '%{http_code}')
	outside=$(https /wp-content/e2e-probe.php)
	docker exec -u www-data "$c" rm -f /var/www/html/wp-content/uploads/2026/12/e2e-probe.php /var/www/html/wp-content/e2e-probe.php
	[ "$outside" = ran-42 ] || fail "the probe outside the uploads did not run: '$outside'" || return 1
	code=$(echo "$up" | tail -n 1)
	[ "$code" != 200 ] || fail "uploads/.../e2e-probe.php answered 200" || return 1
	echo "$up" | grep -q 'ran-42' && { fail "the probe in the uploads ran"; return 1; }
	echo "$up" | grep -q '<?php' && { fail "the probe's source was served"; return 1; }
	[ "$path_info" != 200 ] || fail "uploads/.../e2e-probe.php/x answered 200" || return 1
	echo "uploads/2026/12/e2e-probe.php: $code (with a path after it: $path_info); the same file in wp-content/ runs"
}

# XML-RPC: nginx refuses the endpoint; behind nginx, WordPress refuses every
# method that logs in (the xmlrpc_enabled filter), asked directly over FastCGI
# in the wordpress container with the administrator's real password.
hardening_xmlrpc() {
	list='<?xml version="1.0"?><methodCall><methodName>system.listMethods</methodName><params/></methodCall>'
	out=$(https /xmlrpc.php -H 'Content-Type: text/xml' --data-binary "$list" -w '\n%{http_code}')
	code=$(echo "$out" | tail -n 1)
	case $code in 403 | 404) ;; *) fail "POST /xmlrpc.php answered $code" || return 1 ;; esac
	echo "$out" | grep -q 'methodResponse' && { fail "XML-RPC answered through nginx"; return 1; }
	call="<?xml version=\"1.0\"?><methodCall><methodName>wp.getUsersBlogs</methodName><params><param><value><string>$WP_ADMIN_USER</string></value></param><param><value><string>$(secret wp_admin_password)</string></value></param></params></methodCall>"
	# The call (with the password) goes on stdin, never on a command line.
	direct=$(printf '%s' "$call" | docker exec -i "$(cid wordpress)" env REQUEST_METHOD=POST \
		CONTENT_TYPE=text/xml CONTENT_LENGTH=${#call} SCRIPT_NAME=/xmlrpc.php \
		SCRIPT_FILENAME=/var/www/html/xmlrpc.php HTTPS=on cgi-fcgi -bind -connect 127.0.0.1:9000 2>&1 |
		tr -d '\r\n\t' | sed 's/> *</></g')
	echo "$direct" | grep -q '<name>faultCode</name><value><int>405</int>' ||
		fail "wp.getUsersBlogs straight to php-fpm was not refused with fault 405: $(echo "$direct" | cut -c 1-300)" || return 1
	fault=$(echo "$direct" | sed -n 's/.*<name>faultString<\/name><value><string>\([^<]*\).*/\1/p')
	echo "POST /xmlrpc.php: $code; straight to php-fpm, wp.getUsersBlogs as the administrator: 405 '$fault'"
}

# DISALLOW_FILE_EDIT: even the administrator gets no theme or plugin editor.
hardening_file_edit() {
	jar=$(hardening_jar)
	[ -f "$jar" ] || login "$WP_ADMIN_USER" "$(secret wp_admin_password)" "$jar" >/dev/null
	users=$(https /wp-admin/users.php -b "$jar" -o /dev/null -w '%{http_code}')
	[ "$users" = 200 ] || fail "the administrator's session does not work (users.php: $users)" || return 1
	for p in theme-editor.php plugin-editor.php; do
		out=$(https "/wp-admin/$p" -b "$jar" -w '\n%{http_code}')
		code=$(echo "$out" | tail -n 1)
		[ "$code" = 403 ] || fail "/wp-admin/$p answered $code to the administrator" || return 1
		echo "$out" | grep -q 'not allowed' || fail "/wp-admin/$p: no 'not allowed'" || return 1
	done
	echo "the administrator gets 403 'not allowed' for theme-editor.php and plugin-editor.php (users.php 200)"
}

# wp-login.php: GETs are not counted; a normal login works; then a burst of
# wrong passwords is cut off with 429 by the 20th attempt.
hardening_login_rate() {
	gets=""
	for _ in $(seq 20); do
		gets="$gets $(https /wp-login.php -o /dev/null -w '%{http_code}')"
	done
	[ "$(echo "$gets" | tr ' ' '\n' | grep -c '^200$')" = 20 ] || fail "20 GETs of the form:$gets" || return 1
	https /wp-login.php -o /dev/null -c "$TMP/cookies.form"
	jar="$TMP/cookies.rate"
	code=$(login "$WP_USER" "$(secret wp_user_password)" "$jar")
	[ "$code" = 302 ] && grep -q 'wordpress_logged_in_' "$jar" ||
		fail "a normal login after 20 GETs answered $code" || return 1
	codes=""
	first=""
	i=0
	while [ "$i" -lt 20 ]; do
		i=$((i + 1))
		c=$(login "$WP_USER" "wrong-password-$i" "$TMP/cookies.bad-$i")
		codes="$codes $c"
		[ -z "$first" ] && [ "$c" = 429 ] && first=$i
	done
	[ -n "$first" ] || fail "no 429 in 20 wrong passwords:$codes" || return 1
	echo "$codes" | grep -q ' 200' || fail "not one wrong password was answered by WordPress:$codes" || return 1
	echo "20 GETs 200; login 302; 20 wrong passwords:$codes (first 429 at attempt $first)"
}

run_hardening() {
	check "hardening: security headers on every kind of answer (pages, static, wp-admin, errors, bonus paths)" hardening_headers
	check "hardening: nginx shows no version (Server header, error pages)" hardening_nginx_version
	check "hardening: PHP sends no X-Powered-By" hardening_powered_by
	check "hardening: a PHP file in wp-content/uploads is never run" hardening_uploads
	check "hardening: XML-RPC is off (nginx 403, WordPress refuses logins)" hardening_xmlrpc
	check "hardening: no theme or plugin editor, even for the administrator (DISALLOW_FILE_EDIT)" hardening_file_edit
	# Last: it locks this address out of wp-login.php for a minute.
	check "hardening: wp-login.php POSTs are rate-limited (429 by the 20th), GETs and a normal login are not" hardening_login_rate
}
