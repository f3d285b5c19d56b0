#!/bin/sh
# Take one backup now: a consistent dump of the WordPress database and an
# archive of the WordPress files, into /backups/<UTC time>/, then keep the
# BACKUP_KEEP newest. Run by crond (--scheduled) and by `make backup`.
#
# Atomic: everything is written into a hidden temporary directory, checked,
# and renamed into place last, so a backup that is listed is complete. One
# backup at a time (a lock in /backups, also taken by a restore).
set -eu
# shellcheck source=services/backup/backup-lib.sh
. /usr/local/lib/backup/backup-lib.sh

# As www-data, whoever starts it (`docker exec` runs as root by default).
if [ "$(id -u)" -eq 0 ]; then
	exec setpriv --reuid=www-data --regid=www-data --init-groups --no-new-privs "$0" "$@"
fi
trigger=manual
[ "${1-}" != --scheduled ] || trigger=schedule

if ! [ -r "$SETTINGS" ] || ! [ -r "$MY_CNF" ]; then
	die "not set up ($SETTINGS, $MY_CNF missing): is this the backup container?"
fi
DB_NAME=$(sed -n 's/^DB_NAME=//p' "$SETTINGS")
BACKUP_KEEP=$(sed -n 's/^BACKUP_KEEP=//p' "$SETTINGS")
umask 077

exec 9>>"$LOCK"
flock -w 600 9 || die "another backup or a restore has held the lock for 10 minutes"

# Leftovers of an interrupted run (crash, kill -9, stop during a backup).
for d in "$BACKUP_DIR"/.tmp-*; do
	[ -e "$d" ] || continue
	log "removing the unfinished $d"
	rm -rf "$d"
done

t0=$(date +%s%3N)
name=$(date -u +%Y%m%dT%H%M%S.%3NZ)
tmp="$BACKUP_DIR/.tmp-$name"
# A signal ends the run without leaving a partial directory behind.
trap 'rm -rf "$tmp"' EXIT
trap 'exit 143' TERM INT HUP
mkdir "$tmp"

# One REPEATABLE READ transaction: a consistent snapshot of the InnoDB tables
# without locking WordPress out. --result-file: the exit status is the dump's.
mariadb-dump --defaults-extra-file="$MY_CNF" --single-transaction --quick --routines \
	--triggers --hex-blob --no-tablespaces --default-character-set=utf8mb4 \
	--result-file="$tmp/db.sql" "$DB_NAME" || die "mariadb-dump of '$DB_NAME' failed"
tail -n 1 "$tmp/db.sql" | grep -q '^-- Dump completed' || die "the dump of '$DB_NAME' is incomplete"
gzip -6 "$tmp/db.sql"

# The files (mounted read-only here), numeric owners kept. GNU tar exits 1 when
# a file changed while it was read (WordPress writing): still a usable archive.
rc=0
tar -C "$SITE_DIR" --numeric-owner --warning=no-file-changed -czf "$tmp/wordpress.tar.gz" . || rc=$?
[ "$rc" -le 1 ] || die "tar of $SITE_DIR failed ($rc)"
[ "$rc" -eq 0 ] || log "some files changed while they were archived"
gzip -t "$tmp/wordpress.tar.gz" || die "the archive does not verify"

(cd "$tmp" && sha256sum db.sql.gz wordpress.tar.gz >SHA256SUMS)
printf 'name=%s\ntrigger=%s\ndatabase=%s\n' "$name" "$trigger" "$DB_NAME" >"$tmp/MANIFEST"
mv "$tmp" "$BACKUP_DIR/$name"
trap - EXIT

# Retention: the BACKUP_KEEP newest complete backups stay.
list_backups | sort | head -n "-$BACKUP_KEEP" | while IFS= read -r old; do
	rm -rf "${BACKUP_DIR:?}/$old"
	log "removed the old backup $old"
done

t1=$(date +%s%3N)
sizes=$(cd "$BACKUP_DIR/$name" && du -k db.sql.gz wordpress.tar.gz | awk '{ printf "%s%s %s KiB", sep, $2, $1; sep = ", " }')
log "backup $name ($trigger) done in $((t1 - t0)) ms: $sizes; $(list_backups | grep -c .) kept"
