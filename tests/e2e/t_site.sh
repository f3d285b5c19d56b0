# shellcheck shell=sh
# WordPress through nginx: install state, static files, logins, a comment.

front_page() {
	body=$(https / -w '\n%{http_code}') || fail "curl failed" || return 1
	code=$(echo "$body" | tail -n 1)
	[ "$code" = 200 ] || fail "front page: HTTP $code" || return 1
	echo "$body" | grep -q 'install.php' && { fail "the front page points to the installer"; return 1; }
	echo "$body" | grep -q "$WP_TITLE" || fail "the site title '$WP_TITLE' is not on the front page"
}

already_installed() {
	https /wp-admin/install.php | grep 'already installed' >/dev/null || fail "install.php does not say 'already installed'"
}

static_from_volume() {
	# underscore.min.js is one of the symlinks of Debian's package: it must be a file.
	for f in /wp-includes/js/underscore.min.js /wp-includes/css/dashicons.min.css \
		/wp-content/themes/twentytwentythree/style.css; do
		code=$(https "$f" -o /dev/null -w '%{http_code}')
		[ "$code" = 200 ] || fail "$f: HTTP $code" || return 1
	done
}

config_hidden() {
	for f in /wp-config.php /wp-salts.php /.inception-wp-version; do
		body=$(https "$f" -w '\n%{http_code}')
		code=$(echo "$body" | tail -n 1)
		case $code in 403 | 404) ;; *) fail "$f: HTTP $code" || return 1 ;; esac
		echo "$body" | grep -q 'DB_PASSWORD\|define' && { fail "$f leaks its source"; return 1; }
	done
	return 0
}

# login_as USER PASSWORD: log in, then check the role through wp-admin/users.php
# (administrators only).
login_ok() {
	jar="$TMP/cookies.$1"
	code=$(login "$1" "$2" "$jar")
	[ "$code" = 302 ] || fail "wp-login.php answered $code, not 302" || return 1
	grep -q 'wordpress_logged_in_' "$jar" || fail "no wordpress_logged_in cookie for $1" || return 1
	https /wp-admin/profile.php -b "$jar" | grep "$1" >/dev/null || fail "profile.php does not show $1" || return 1
	users=$(https /wp-admin/users.php -b "$jar" -o /dev/null -w '%{http_code}')
	case $3 in
	admin) [ "$users" = 200 ] || fail "$1 cannot list users (HTTP $users): not an administrator" ;;
	user) [ "$users" = 403 ] || fail "$1 can list users (HTTP $users): an administrator" ;;
	esac
}

bad_password_refused() {
	jar="$TMP/cookies.bad"
	login "$WP_USER" "not-the-password" "$jar" >/dev/null
	grep -q 'wordpress_logged_in_' "$jar" && { fail "logged in with a wrong password"; return 1; }
	return 0
}

post_comment() {
	jar="$TMP/cookies.$WP_USER"
	[ -f "$jar" ] || login "$WP_USER" "$(secret wp_user_password)" "$jar" >/dev/null
	code=$(https /wp-comments-post.php -b "$jar" -o /dev/null -w '%{http_code}' \
		--data-urlencode "comment=$COMMENT" -d 'comment_post_ID=1' -d 'comment_parent=0')
	[ "$code" = 302 ] || fail "wp-comments-post.php answered $code" || return 1
	comment_visible
}

comment_visible() {
	https '/?p=1' | grep "$COMMENT" >/dev/null || fail "the comment '$COMMENT' is not on the post"
}

comment_refused_anonymous() {
	code=$(https /wp-comments-post.php -o /dev/null -w '%{http_code}' \
		-d 'comment=anonymous+spam' -d 'comment_post_ID=1' -d 'author=x' -d 'email=x@example.org')
	[ "$code" != 302 ] || fail "an anonymous comment was accepted"
}

run_site() {
	check "the site answers (HTTP 200 over verified TLS), no install page" front_page
	check "install.php says WordPress is already installed" already_installed
	check "nginx serves static files from the wordpress volume" static_from_volume
	check "wp-config.php and dot files are never served" config_hidden
	check "the administrator '$WP_ADMIN_USER' logs in and is an administrator" \
		login_ok "$WP_ADMIN_USER" "$(secret wp_admin_password)" admin
	check "the user '$WP_USER' logs in and is not an administrator" \
		login_ok "$WP_USER" "$(secret wp_user_password)" user
	check "a wrong password is refused" bad_password_refused
	check "'$WP_USER' posts a comment that then appears" post_comment
	check "an anonymous visitor cannot comment" comment_refused_anonymous
}
