# shellcheck shell=sh
# initd as PID 1, users and capabilities of every service process, healthchecks,
# restart policies, and the admin-name rule.

initd_is_pid1() {
	for s in nginx wordpress mariadb; do
		c=$(cid "$s")
		exe=$(docker exec "$c" readlink /proc/1/exe)
		[ "$exe" = /usr/local/bin/initd ] || fail "$s: PID 1 is $exe" || return 1
		state=$(status_field "$s" state)
		[ "$state" = running ] || fail "$s: initd says '$state'" || return 1
	done
}

# users CONTAINER COMM: "uid capeff nonewprivs" of every process named COMM.
users_of() {
	procs "$1" | awk -v n="$2" '$5 == n { print $2, $4, $3 }' | sort -u
}

nginx_users() {
	c=$(cid nginx)
	master=$(status_field nginx pid)
	line=$(procs "$c" | awk -v p="$master" '$1 == p')
	# net_bind_service (10), setuid (7), setgid (6): 0x4c0, nothing else.
	echo "$line" | grep -q ' 0 0 00000000000004c0 nginx$' ||
		fail "nginx master: '$line' (expected uid 0 with only net_bind_service,setuid,setgid)" || return 1
	workers=$(procs "$c" | awk -v p="$master" '$5 == "nginx" && $1 != p { print $2, $4 }' | sort -u)
	[ "$workers" = "33 0000000000000000" ] || fail "nginx workers: '$workers' (expected www-data, no capability)"
}

php_users() {
	u=$(users_of "$(cid wordpress)" php-fpm8.2)
	[ "$u" = "33 0000000000000000 1" ] || fail "php-fpm processes: '$u' (expected www-data, no capability, no_new_privs)"
}

mariadb_users() {
	c=$(cid mariadb)
	uid=$(docker exec "$c" id -u mysql)
	u=$(users_of "$c" mariadbd)
	[ "$u" = "$uid 0000000000000000 1" ] || fail "mariadbd: '$u' (expected mysql ($uid), no capability, no_new_privs)"
}

no_nginx_elsewhere() {
	for s in wordpress mariadb; do
		docker exec "$(cid "$s")" sh -c 'command -v nginx' && { fail "$s has nginx"; return 1; }
	done
	docker exec "$(cid wordpress)" sh -c 'command -v apache2 || dpkg -s apache2 2>/dev/null' &&
		fail "wordpress has apache2"
	return 0
}

healthchecks_and_restart() {
	for s in nginx wordpress mariadb; do
		c=$(cid "$s")
		docker_healthy "$c" || return 1
		h=$(docker inspect -f '{{.State.Health.Status}} {{.HostConfig.RestartPolicy.Name}}' "$c")
		case $h in
		'healthy unless-stopped' | 'healthy always' | 'healthy on-failure') ;;
		*) fail "$s: health and restart policy '$h'" || return 1 ;;
		esac
	done
}

# Debian's mariadbd and php-fpm8.2 speak sd_notify (both link libsystemd): with
# --ready=notify in their images, initd hears READY=1 and their STATUS= lines.
ready_by_notify() {
	for s in wordpress mariadb; do
		json=$(docker exec "$(cid "$s")" initd status --json) || fail "$s: initd status --json failed" || return 1
		case $json in
		*'"ready":true,'*) ;;
		*) fail "$s: not ready by notify: $json" || return 1 ;;
		esac
		text=$(echo "$json" | sed -n 's/.*"status_text":"\([^"]*\)".*/\1/p')
		[ -n "$text" ] || fail "$s: no STATUS= text: $json" || return 1
		echo "$s: $text"
	done
}

images_tagged() {
	for s in nginx wordpress mariadb; do
		img=$(docker inspect -f '{{.Config.Image}}' "$(cid "$s")")
		[ "$img" = "$s:$VERSION" ] || fail "$s runs image '$img', expected $s:$VERSION" || return 1
		base=$(docker image inspect -f '{{index .RootFS.Layers 0}}' "$img")
		[ "$base" = "$(docker image inspect -f '{{index .RootFS.Layers 0}}' debian:bookworm)" ] ||
			fail "$img is not built FROM debian:bookworm" || return 1
	done
}

# The wordpress image with a forbidden administrator name: initd's --pre refuses
# it at once, whatever the case, with a message that says why.
admin_name_refused() {
	for name in admin Administrator SiteADMIN; do
		if out=$(docker run --rm --network none -e "WP_ADMIN_USER=$name" "wordpress:$VERSION" 2>&1); then
			fail "WP_ADMIN_USER=$name was accepted: $out" || return 1
		fi
		echo "$out" | grep -q "WP_ADMIN_USER '$name' is refused" || fail "no clear error for $name: $out" || return 1
	done
	# The same run with an acceptable name gets past the rule (and stops later).
	out=$(docker run --rm --network none -e "WP_ADMIN_USER=chief" "wordpress:$VERSION" 2>&1) || true
	echo "$out" | grep -q 'is refused' && { fail "an acceptable name was refused: $out"; return 1; }
	return 0
}

run_procs() {
	check "initd is PID 1 in every container, service running" initd_is_pid1
	check "nginx: master root with 3 capabilities, workers www-data" nginx_users
	check "php-fpm: every process www-data, no capability" php_users
	check "mariadbd runs as mysql, no capability" mariadb_users
	check "no nginx in wordpress/mariadb, no apache anywhere" no_nginx_elsewhere
	check "every service healthy, with a restart policy" healthchecks_and_restart
	check "mariadbd and php-fpm ready by sd_notify, their STATUS= kept" ready_by_notify
	check "images named like their service, tagged $VERSION, FROM debian:bookworm" images_tagged
	check "an administrator name containing 'admin' is refused" admin_name_refused
}
