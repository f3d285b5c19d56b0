# shellcheck shell=sh
# Adminer through nginx's TLS entry point at /adminer/: the login page, a real
# login into MariaDB with the WordPress user (the table list shows), a refused
# wrong password; its container: PID 1, users, no apache, kill -9, stop.

# shellcheck source=tests/e2e/bonus/bsvc.sh
. "$HERE/bonus/bsvc.sh"

adminer_users() {
	bsvc_users adminer php-fpm8.2 33
}

adminer_no_apache() {
	c=$(cid adminer)
	docker exec "$c" sh -c 'command -v apache2 || dpkg -s apache2 2>/dev/null | head -n 2' &&
		fail "adminer has apache2" && return 1
	docker exec "$c" test -f /usr/share/adminer/adminer.php || fail "Debian's adminer package is not installed" || return 1
	echo "Debian's adminer $(docker exec "$c" dpkg-query -W -f '${Version}' adminer), no apache2"
}

adminer_page() {
	out=$(https /adminer/ -w '\n%{http_code}')
	status=$(echo "$out" | tail -n 1)
	[ "$status" = 200 ] || fail "/adminer/ answered $status" || return 1
	echo "$out" | grep -q '<title>Login - Adminer</title>' || fail "no Adminer login page" || return 1
	echo "$out" | grep -q 'name="auth\[password\]"' || fail "no password field" || return 1
	loc=$(https /adminer -o /dev/null -w '%{http_code} %{redirect_url}')
	[ "$loc" = "301 https://$DOMAIN:$PORT/adminer/" ] || fail "/adminer redirects to '$loc'" || return 1
	echo "/adminer/ 200 (login form) over TLS, /adminer -> /adminer/"
}

# adminer_login PASSWORD JAR: Adminer's login form, after a first visit for
# its session cookie; prints the HTTP status and the redirect target.
adminer_login() {
	rm -f "$2"
	https /adminer/ -o /dev/null -c "$2" -b "$2"
	https /adminer/ -o /dev/null -c "$2" -b "$2" -w '%{http_code} %{redirect_url}' \
		--data-urlencode 'auth[driver]=server' --data-urlencode 'auth[server]=mariadb' \
		--data-urlencode "auth[username]=$MYSQL_USER" --data-urlencode "auth[password]=$1" \
		--data-urlencode "auth[db]=$MYSQL_DATABASE"
}

adminer_tables() {
	jar="$TMP/adminer.jar"
	r=$(adminer_login "$(secret db_password)" "$jar")
	case $r in
	302\ *username=*) ;;
	*) fail "login answered '$r'" || return 1 ;;
	esac
	page=$(https "/adminer/?server=mariadb&username=$MYSQL_USER&db=$MYSQL_DATABASE" -b "$jar" -c "$jar")
	for t in wp_posts wp_users wp_options wp_comments; do
		echo "$page" | grep -q ">$t<" || fail "table $t not listed: $(echo "$page" | grep -o '<title>[^<]*')" || return 1
	done
	n=$(echo "$page" | grep -o '>wp_[a-z_]*<' | sort -u | grep -c .)
	echo "logged in as $MYSQL_USER, $n WordPress tables listed"
}

# Adminer keeps the credentials and redirects in any case; the next page
# tries them: an error, the login form again, no table list.
adminer_wrong_password() {
	jar="$TMP/adminer-bad.jar"
	adminer_login "not-the-password" "$jar" >/dev/null
	page=$(https "/adminer/?server=mariadb&username=$MYSQL_USER&db=$MYSQL_DATABASE" -b "$jar" -c "$jar")
	echo "$page" | grep -q '>wp_posts<' && { fail "tables listed with a wrong password"; return 1; }
	echo "$page" | grep -q 'name="auth\[password\]"' || fail "no login form after a wrong password" || return 1
	err=$(echo "$page" | grep -o "<div class='error'>[^<]*" | head -n 1)
	[ -n "$err" ] || fail "no error message after a wrong password" || return 1
	echo "wrong password: ${err#*>}"
}

# nginx's set, one copy each (Adminer's own X-Frame-Options: deny and its
# Referrer-Policy are replaced; its stricter Content-Security-Policy stays
# beside ours), and no version of PHP or Adminer in any header.
adminer_headers() {
	r=$(security_headers /adminer/) || fail "$r" || return 1
	[ "$r" = "/adminer/ 200" ] || fail "expected '/adminer/ 200', got '$r'" || return 1
	h=$(headers /adminer/)
	v=$(echo "$h" | grep -iE '(php|adminer)[^a-z]?[0-9]' || true)
	[ -z "$v" ] || fail "a version in a header: $v" || return 1
	csp=$(echo "$h" | grep -c '^content-security-policy:' || true)
	echo "/adminer/: every security header once, $csp Content-Security-Policy headers (Adminer's and ours), no X-Powered-By, no version"
}

adminer_kill9() {
	restarted_in_place adminer 10 https /adminer/ -f -o /dev/null
}

# A hang without a death (SIGSTOP of the service's process group): only initd's
# watchdog can tell; it restarts the service in place.
adminer_hang() {
	restarted_after STOP adminer 45 https /adminer/ -f -o /dev/null
}

run_bonus_adminer() {
	check "adminer: healthy, initd PID 1, unless-stopped, adminer:$VERSION, not published" bsvc_basics adminer
	check "adminer: php-fpm runs as www-data, no capability" adminer_users
	check "adminer: Debian's package on php-fpm, no apache2" adminer_no_apache
	check "adminer: login page at https://.../adminer/ through nginx" adminer_page
	check "adminer: security headers, no X-Powered-By, no version in its headers" adminer_headers
	check "adminer: login into MariaDB as the WordPress user lists the tables" adminer_tables
	check "adminer: a wrong password is refused" adminer_wrong_password
	check "adminer: kill -9 of php-fpm, initd restarts it, container stays" adminer_kill9
	check "adminer: php-fpm hangs (SIGSTOP): initd restarts it in place, answers again < 45 s" adminer_hang
	check "adminer: docker stop < 3 s, status 0" stops_gracefully adminer 0
	check "adminer: no password in its image, config, env or argv" bsvc_no_secret adminer
}
