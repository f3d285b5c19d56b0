# shellcheck shell=sh
# backup (busybox crond + mariadb-dump + tar, `make backup`, `make restore`):
# a clear error without any backup; a post and a file survive the loss of every
# table and of the site's files through backup and restore; backups are
# complete or invisible, kept BACKUP_KEEP newest (2 in the test stack); the
# password lives in a 0600 option file on a tmpfs; initd PID 1, least
# privilege, kill -9, graceful stop, no secret anywhere.

bk_c() {
	cid backup
}

bk_list() {
	docker exec "$(bk_c)" sh -c 'ls -1 /backups | grep -E "^[0-9]{8}T[0-9]{6}\.[0-9]{3}Z$"' || true
}

# bk_php CODE: PHP with WordPress loaded, as www-data in the wordpress container.
bk_php() {
	docker exec -u www-data -w /var/www/html "$(cid wordpress)" php -r \
		"\$_SERVER['HTTP_HOST'] = 'localhost'; \$_SERVER['REQUEST_URI'] = '/'; require 'wp-load.php'; $1"
}

bk_basics() {
	c=$(bk_c)
	[ -n "$c" ] || fail "no backup container" || return 1
	docker_healthy "$c" || return 1
	h=$(docker inspect -f '{{.State.Health.Status}} {{.HostConfig.RestartPolicy.Name}} {{.Config.Image}}' "$c")
	[ "$h" = "healthy unless-stopped backup:$VERSION" ] || fail "backup: '$h'" || return 1
	base=$(docker image inspect -f '{{index .RootFS.Layers 0}}' "backup:$VERSION")
	[ "$base" = "$(docker image inspect -f '{{index .RootFS.Layers 0}}' debian:bookworm)" ] ||
		fail "backup:$VERSION is not built FROM debian:bookworm" || return 1
	exe=$(docker exec "$c" readlink /proc/1/exe)
	[ "$exe" = /usr/local/bin/initd ] || fail "backup: PID 1 is $exe" || return 1
	[ "$(status_field backup state)" = running ] || fail "backup: initd says '$(status_field backup state)'" || return 1
	[ -z "$(docker port "$c")" ] || fail "backup publishes $(docker port "$c")" || return 1
	ro=$(docker inspect -f '{{range .Mounts}}{{.Destination}}:{{.RW}} {{end}}' "$c")
	echo "$ro" | grep -q '/var/www/html:false' || fail "the WordPress files are not mounted read-only: $ro" || return 1
	echo "backup: $h, PID 1 initd, mounts: $ro"
}

# crond: root with setuid and setgid only (0xc0); its schedule is BACKUP_SCHEDULE,
# run as www-data.
bk_users() {
	c=$(bk_c)
	pid=$(status_field backup pid)
	line=$(procs "$c" | awk -v p="$pid" '$1 == p')
	echo "$line" | grep -q ' 0 0 00000000000000c0 busybox$' ||
		fail "crond: '$line' (expected uid 0 with only setuid,setgid)" || return 1
	tab=$(docker exec "$c" cat /var/spool/cron/crontabs/www-data | grep -v '^#' | grep -v backup-heartbeat)
	[ "$tab" = "$BACKUP_SCHEDULE /usr/local/bin/backup-now --scheduled" ] ||
		fail "www-data's crontab: '$tab' (BACKUP_SCHEDULE '$BACKUP_SCHEDULE')" || return 1
	echo "crond uid 0 CapEff 0xc0; jobs as www-data: '$tab'"
}

# The option file: 0600, www-data's, on a tmpfs, absent from the image.
bk_option_file() {
	c=$(bk_c)
	st=$(docker exec "$c" stat -c '%a %U' /run/backup/my.cnf)
	[ "$st" = "600 www-data" ] || fail "my.cnf: $st" || return 1
	fs=$(docker exec "$c" stat -f -c %T /run/backup)
	[ "$fs" = tmpfs ] || fail "/run/backup is on $fs, not a tmpfs" || return 1
	docker exec "$c" grep -qF "password=\"$(secret db_password)\"" /run/backup/my.cnf ||
		fail "my.cnf does not hold the database password" || return 1
	docker run --rm --network none --entrypoint sh "backup:$VERSION" -c 'ls -A /run/backup' | grep . &&
		fail "the image has files in /run/backup" && return 1
	echo "my.cnf: 0600 www-data on tmpfs, not in the image"
}

bk_restore_without_backup() {
	[ -z "$(bk_list)" ] || {
		echo "a backup exists already: cannot check the error"
		return 77
	}
	out=$(stack restore 2>&1) && { fail "make restore succeeded without a backup: $out"; return 1; }
	echo "$out" | grep -q 'no backup' || fail "no clear error: $out" || return 1
	docker inspect -f '{{.State.Running}}' "$(cid wordpress)" | grep -qx true ||
		fail "wordpress was stopped by a failed restore" || return 1
	echo "$out" | grep 'no backup' | head -n 1
}

# A post and an uploaded file, a backup, then every table dropped and the
# site's files deleted; make restore brings both back.
bk_roundtrip() {
	title="e2e backup post $$ $(date +%s)"
	id=$(bk_php "echo wp_insert_post(['post_title' => '$title', 'post_content' => 'nothing lost', 'post_status' => 'publish', 'post_author' => 1]);")
	case $id in '' | 0 | *[!0-9]*) fail "wp_insert_post: '$id'" || return 1 ;; esac
	f="wp-content/uploads/e2e-backup-$$.txt"
	docker exec -u www-data "$(cid wordpress)" sh -c "mkdir -p /var/www/html/wp-content/uploads && echo 'kept $$' >/var/www/html/$f"
	https "/?p=$id" | grep -qF "$title" || fail "the new post is not on the site" || return 1

	t0=$(now_ms)
	out=$(stack backup 2>&1) || fail "make backup: $out" || return 1
	t1=$(now_ms)
	name=$(echo "$out" | sed -n 's/^backup-now: backup \([^ ]*\) .*/\1/p')
	[ -n "$name" ] && [ "$(bk_list | tail -n 1)" = "$name" ] || fail "backup not listed: $out / $(bk_list)" || return 1
	echo "$name" >"$TMP/bk-name"
	size=$(du -sk "$DATA/backups/$name" 2>/dev/null | cut -f1)

	# Destroy: every table of the database, every file of the site.
	docker exec "$(cid mariadb)" sh -c 'mariadb -N -e "SELECT CONCAT(\"DROP TABLE \`\", table_name, \"\`;\") FROM information_schema.tables WHERE table_schema = \"$MYSQL_DATABASE\"" | mariadb "$MYSQL_DATABASE"'
	n=$(docker exec "$(cid mariadb)" sh -c 'mariadb -N -e "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = \"$MYSQL_DATABASE\""')
	[ "$n" = 0 ] || fail "$n tables left after dropping them" || return 1
	docker exec "$(cid wordpress)" find /var/www/html -mindepth 1 -delete
	code=$(https "/?p=$id" -o /dev/null -w '%{http_code}' || true)
	[ "$code" != 200 ] || fail "the site still answers 200 after the destruction" || return 1

	t2=$(now_ms)
	out=$(stack restore 2>&1) || fail "make restore: $out" || return 1
	t3=$(now_ms)
	echo "$out" | grep -q "restored backup $name" || fail "restored another backup than $name: $out" || return 1
	wait_site 30 || fail "the site did not come back after the restore" || return 1
	https "/?p=$id" | grep -qF "$title" || fail "the post is not back after the restore" || return 1
	got=$(https "/$f")
	[ "$got" = "kept $$" ] || fail "the uploaded file is not back: '$got'" || return 1
	owner=$(docker exec "$(cid wordpress)" stat -c '%u:%g' "/var/www/html/$f")
	[ "$owner" = 33:33 ] || fail "restored file owned by $owner" || return 1
	echo "backup $name (${size:-?} KiB) in $((t1 - t0)) ms; after dropping every table and deleting every file, make restore ($((t3 - t2)) ms) brought post $id and the upload back"
}

# Restoring the same backup again (by name) changes nothing and succeeds.
bk_restore_idempotent() {
	name=$(cat "$TMP/bk-name" 2>/dev/null) || fail "no backup from the previous check" || return 1
	before=$(docker exec "$(cid wordpress)" sh -c 'cd /var/www/html && find . -type f ! -name "wp-config.php" -exec md5sum {} + | sort | md5sum')
	out=$(stack restore BACKUP="$name" 2>&1) || fail "second make restore: $out" || return 1
	after=$(docker exec "$(cid wordpress)" sh -c 'cd /var/www/html && find . -type f ! -name "wp-config.php" -exec md5sum {} + | sort | md5sum')
	[ "$before" = "$after" ] || fail "the files differ after restoring the same backup twice" || return 1
	wait_site 30 || fail "the site did not come back" || return 1
	echo "restored $name a second time: same files, site up"
}

# A backup killed half-way is never listed; the next one removes its remains.
# Then the crontab's own command line (as crond runs it: www-data, minimal
# environment) takes a backup, and only the BACKUP_KEEP newest remain.
bk_atomic_and_retention() {
	c=$(bk_c)
	before=$(bk_list)
	docker exec "$c" sh -c 'backup-now >/dev/null 2>&1 & sleep 0.5; kill -9 $!' || true
	[ "$(bk_list)" = "$before" ] || fail "a killed backup is listed: $(bk_list)" || return 1
	line=$(docker exec "$c" cat /var/spool/cron/crontabs/www-data | grep -v '^#' | grep -v backup-heartbeat)
	cmd=$(echo "$line" | awk '{ for (i = 6; i <= NF; i++) printf "%s%s", $i, (i < NF ? " " : "") }')
	out=$(docker exec -u www-data "$c" env -i HOME=/var/www SHELL=/bin/sh PATH=/usr/bin:/bin /bin/sh -c "$cmd" 2>&1) ||
		fail "the scheduled command failed: $out" || return 1
	leftovers=$(docker exec "$c" sh -c 'ls -A /backups | grep "^\.tmp-"' || true)
	[ -z "$leftovers" ] || fail "unfinished backups left: $leftovers" || return 1
	newest=$(bk_list | tail -n 1)
	docker exec "$c" grep -qx trigger=schedule "/backups/$newest/MANIFEST" || fail "$newest is not the scheduled one" || return 1
	stack backup >/dev/null 2>&1 || fail "make backup failed" || return 1
	n=$(bk_list | grep -c .)
	[ "$n" = "$BACKUP_KEEP" ] || fail "$n backups kept, BACKUP_KEEP=$BACKUP_KEEP: $(bk_list)" || return 1
	docker exec "$c" sh -c "cd /backups/$newest && sha256sum --quiet -c SHA256SUMS" || fail "$newest does not verify" || return 1
	echo "killed backup never listed and cleaned; scheduled command works; $n kept (BACKUP_KEEP=$BACKUP_KEEP)"
}

bk_kill9() {
	restarted_in_place backup 10 true
}

# A hang without a death (SIGSTOP of the service's process group): only initd's
# check can tell; it restarts the service in place.
bk_hang() {
	restarted_after STOP backup 45 true
}

# busybox crond dies from SIGTERM: 143 is its normal stop.
bk_stop() {
	stops_gracefully backup "0 143"
}

bk_no_secret() {
	pat="$TMP/bk-patterns"
	secret_patterns "$pat" || return 1
	img="backup:$VERSION"
	found=$(secret_in_image "$img" "$pat"; secret_in_container "$(bk_c)" "$pat")
	[ -z "$found" ] || fail "a secret is in $img or the backup container:" "$found" || return 1
	echo "$img: $(grep -c . "$pat") passwords looked for, none found"
}

run_bonus_backup() {
	check "backup: healthy, unless-stopped, backup:$VERSION FROM debian:bookworm, initd PID 1, site read-only" bk_basics
	check "backup: make restore without any backup fails clearly, site left running" bk_restore_without_backup
	check "backup: crond root with setuid,setgid only; schedule from BACKUP_SCHEDULE as www-data" bk_users
	check "backup: database password in a 0600 option file on a tmpfs only" bk_option_file
	check "backup: post and upload survive dropped tables and deleted files (make backup, make restore)" bk_roundtrip
	check "backup: restoring the same backup again is harmless" bk_restore_idempotent
	check "backup: a killed backup is never listed; schedule command; BACKUP_KEEP newest kept" bk_atomic_and_retention
	check "backup: kill -9 of crond: initd restarts it, container stays" bk_kill9
	check "backup: crond hangs (SIGSTOP): initd restarts it in place, answers again < 45 s" bk_hang
	check "backup: docker stop < 3 s, no SIGKILL" bk_stop
	check "backup: no secret in the image, container config, environments or command lines" bk_no_secret
}
