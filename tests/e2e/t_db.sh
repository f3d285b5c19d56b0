# shellcheck shell=sh
# MariaDB, checked with the mariadb client from a throwaway container on the
# stack's network (the host has no route to 3306 through any published port).

# sql USER PASSWORD QUERY: run QUERY on the database server over the network.
sql() {
	docker run --rm --network "${PROJECT}_inception" -e "MYSQL_PWD=$2" --entrypoint mariadb \
		"mariadb:$VERSION" -h mariadb -P 3306 -u "$1" --connect-timeout=5 -N -B \
		"$MYSQL_DATABASE" -e "$3" 2>&1
}

wordpress_tables() {
	tables=$(sql "$MYSQL_USER" "$(secret db_password)" 'SHOW TABLES') || fail "query failed: $tables" || return 1
	for t in wp_posts wp_users wp_comments wp_options wp_usermeta; do
		echo "$tables" | grep -qx "$t" || fail "table $t missing (have: $(echo "$tables" | tr '\n' ' '))" || return 1
	done
}

two_users_in_db() {
	n=$(sql "$MYSQL_USER" "$(secret db_password)" \
		"SELECT COUNT(*) FROM wp_users WHERE user_login IN ('$WP_ADMIN_USER', '$WP_USER')") || fail "$n" || return 1
	[ "$n" = 2 ] || fail "expected the 2 users in wp_users, found $n"
}

remote_root_refused() {
	if out=$(sql root "$(secret db_root_password)" 'SELECT 1'); then
		fail "root logged in over the network: $out"
	fi
	echo "$out" | grep -Eq 'Access denied|is not allowed' || fail "unexpected error: $out"
}

anonymous_refused() {
	if out=$(sql ghost '' 'SELECT 1'); then
		fail "an unknown user without password got in: $out"
	fi
	echo "$out" | grep -Eq 'Access denied|is not allowed' || fail "unexpected error: $out"
}

root_password_set() {
	# The root password works (over the socket, inside the container); no account
	# other than root@localhost is root, and none is anonymous.
	n=$(docker exec -e "MYSQL_PWD=$(secret db_root_password)" "$(cid mariadb)" \
		mariadb -u root -N -B -e \
		"SELECT COUNT(*) FROM mysql.global_priv WHERE User = '' OR (User = 'root' AND Host <> 'localhost')") ||
		fail "root login failed: $n" || return 1
	[ "$n" = 0 ] || fail "$n anonymous or remote root accounts"
}

host_cannot_reach_3306() {
	if curl -s --max-time 3 -o /dev/null "telnet://127.0.0.1:3306" </dev/null; then
		# Something answers on the host's 3306: it must not be this stack's server.
		docker port "$(cid mariadb)" | grep -q 3306 && { fail "mariadb's 3306 is published"; return 1; }
	fi
	return 0
}

data_in_data_dir() {
	[ -f "$DATA/wordpress/wp-login.php" ] || fail "no WordPress files in $DATA/wordpress" || return 1
	[ -d "$DATA/mariadb/$MYSQL_DATABASE" ] || fail "no database in $DATA/mariadb" || return 1
	for v in wordpress mariadb; do
		dev=$(docker volume inspect -f '{{index .Options "device"}}' "${PROJECT}_$v")
		[ "$dev" = "$DATA/$v" ] || fail "volume ${PROJECT}_$v binds '$dev', not $DATA/$v" || return 1
	done
}

run_db() {
	check "the WordPress tables are in the database (mariadb client)" wordpress_tables
	check "both WordPress users are in wp_users" two_users_in_db
	check "root cannot log in from another container" remote_root_refused
	check "no anonymous account: an unknown user is refused" anonymous_refused
	check "root's password works locally; no remote root, no anonymous rows" root_password_set
	check "the database is not reachable from the host" host_cannot_reach_3306
	check "data lives in DATA_DIR through named volumes with driver_opts" data_in_data_dir
}
