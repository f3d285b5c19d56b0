# shellcheck shell=sh
# kill -9 of each service, a crash of initd itself, graceful stop, persistence.

# kill9 SERVICE: initd restarts the killed service in place, the site answers
# within 2 s.
kill9() {
	restarted_in_place "$1" 2 site_answers
}

# hang SERVICE: the service stops without dying (SIGSTOP): initd's checks
# (nginx, mariadb) or php-fpm's own watchdog pings tell, initd stops and
# restarts it in place, and the site answers again within 45 s.
hang() {
	restarted_after STOP "$1" 45 site_answers
}

# A crash of initd itself (SIGKILL of PID 1 from the host): Docker's restart
# policy brings the container back.
initd_crash() {
	c=$(cid nginx)
	n=$(docker inspect -f '{{.RestartCount}}' "$c")
	pid=$(docker inspect -f '{{.State.Pid}}' "$c")
	# `docker kill` counts as a manual stop: only a real SIGKILL from the host
	# simulates a crash, and that needs root.
	if [ "$(id -u)" -ne 0 ] && ! sudo -n true 2>/dev/null; then
		echo "not root and no sudo: crash of initd not simulated"
		return 77
	fi
	sudo=
	[ "$(id -u)" -eq 0 ] || sudo="sudo -n"
	$sudo kill -9 "$pid" || fail "cannot kill initd ($pid)" || return 1
	wait_site 20 || fail "the site did not come back within 20 s" || return 1
	[ "$(docker inspect -f '{{.RestartCount}}' "$c")" -gt "$n" ] || fail "the container was not restarted"
}

# docker compose stop: under 3 s for the whole stack, nobody SIGKILLed.
graceful_stop() {
	t0=$(now_ms)
	dc stop >/dev/null 2>&1 || fail "compose stop failed" || return 1
	t1=$(now_ms)
	date -u +%Y-%m-%dT%H:%M:%SZ >"$TMP/stopped-at"
	for s in nginx wordpress mariadb; do
		code=$(docker inspect -f '{{.State.ExitCode}}' "$(cid "$s")")
		[ "$code" = 0 ] || fail "$s exited with $code" || return 1
	done
	[ $((t1 - t0)) -lt 3000 ] || fail "stopping took $((t1 - t0)) ms"
	echo "stopped in $((t1 - t0)) ms, every exit code 0"
}

restart_after_stop() {
	stack start >"$TMP/start.log" 2>&1 || { cat "$TMP/start.log"; return 1; }
	wait_site 30 || fail "the site did not answer after start"
}

no_innodb_recovery() {
	logs=$(docker logs --since "$(cat "$TMP/stopped-at")" "$(cid mariadb)" 2>&1)
	echo "$logs" | grep -q 'ready for connections' || fail "mariadb did not start again: $logs" || return 1
	echo "$logs" | grep -i 'crash recovery' && { fail "InnoDB ran crash recovery after a clean stop"; return 1; }
	return 0
}

persistence() {
	old=$(cid wordpress)
	stack down >"$TMP/down.log" 2>&1 || { cat "$TMP/down.log"; return 1; }
	[ -z "$(dc ps -q)" ] || fail "containers left after make down" || return 1
	stack up >"$TMP/up2.log" 2>&1 || { tail -n 30 "$TMP/up2.log"; return 1; }
	[ "$(cid wordpress)" != "$old" ] || fail "make down did not remove the containers" || return 1
	comment_visible || return 1
	login_ok "$WP_ADMIN_USER" "$(secret wp_admin_password)" admin || return 1
	login_ok "$WP_USER" "$(secret wp_user_password)" user || return 1
	two_users_in_db
}

run_reliability() {
	for s in nginx wordpress mariadb; do
		check "kill -9 of $s's service: initd restarts it, container stays, site back < 2 s" kill9 "$s"
	done
	for s in nginx wordpress mariadb; do
		check "$s hangs (SIGSTOP): initd restarts it in place, site back < 45 s" hang "$s"
	done
	check "a crash of initd itself: the container comes back" initd_crash
	check "compose stop: whole stack in < 3 s, no exit 137" graceful_stop
	check "make start brings the stack back, healthy" restart_after_stop
	check "mariadb needed no InnoDB crash recovery after the stop" no_innodb_recovery
	check "make down && make up: comment, users and tables persist" persistence
}
