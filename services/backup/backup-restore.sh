#!/bin/sh
# Restore a backup: the database (each table dropped and recreated from the
# dump) and the WordPress files (the volume made equal to the archive).
#
#   backup-restore --which [NAME]   print the backup that would be restored
#                                   (the newest without NAME); error if none
#   backup-restore NAME|latest      restore it
#
# `make restore` runs the first in the backup container, stops wordpress (and
# ftp), runs the second in a one-shot container of this image with the
# WordPress volume writable, and starts them again. Idempotent: restoring the
# same backup twice gives the same state, and an interrupted restore can be run
# again (the archive is unpacked beside the site first, and only a complete
# unpacking replaces it).
set -eu
# shellcheck source=services/backup/backup-lib.sh
. /usr/local/lib/backup/backup-lib.sh

pick() {
	if [ -n "${1-}" ] && [ "$1" != latest ]; then
		case $1 in
		*/* | .*) die "'$1' is not a backup name" ;;
		esac
		[ -f "$BACKUP_DIR/$1/SHA256SUMS" ] || die "no complete backup named '$1' (list: ls \$DATA_DIR/backups)"
		echo "$1"
		return
	fi
	latest=$(list_backups | sort | tail -n 1)
	[ -n "$latest" ] || die "no backup in \$DATA_DIR/backups yet: take one with 'make backup'"
	echo "$latest"
}

if [ "${1-}" = --which ]; then
	pick "${2-}"
	exit 0
fi

name=$(pick "${1-}")
dir="$BACKUP_DIR/$name"
db=${MYSQL_DATABASE:-wordpress}
user=${MYSQL_USER:-wpuser}
check_names "$db" "$user"
[ "$(id -u)" -eq 0 ] || die "must run as root (file owners are restored)"
if ! [ -d "$SITE_DIR" ] || ! [ -w "$SITE_DIR" ]; then
	die "$SITE_DIR is not mounted writable"
fi

(cd "$dir" && sha256sum --quiet -c SHA256SUMS) || die "backup $name is damaged (checksums differ)"

# No backup may start while the site is half restored (it would become the
# newest backup). The lock file exists: every backup creates it.
exec 9<"$LOCK"
flock -w 600 9 || die "a backup has held the lock for 10 minutes"

t0=$(date +%s%3N)
mkdir -p "$RUN_DIR"
chmod 0700 "$RUN_DIR"
write_my_cnf "$user" root
gzip -dc "$dir/db.sql.gz" >/tmp/restore.sql
mariadb --defaults-extra-file="$MY_CNF" --database="$db" </tmp/restore.sql ||
	die "the database restore from $name failed"
rm -f /tmp/restore.sql
log "database '$db' restored from $name"

# Unpack beside the site; only a complete unpacking (renamed) replaces it.
stage="$SITE_DIR/.inception-restore-$name"
for d in "$SITE_DIR"/.inception-restore-*; do
	[ -e "$d" ] && [ "$d" != "$stage" ] && rm -rf "$d"
done
if ! [ -d "$stage" ]; then
	rm -rf "$stage.partial"
	mkdir "$stage.partial"
	tar -C "$stage.partial" --numeric-owner --same-owner -xzpf "$dir/wordpress.tar.gz" ||
		die "unpacking the files of $name failed"
	mv "$stage.partial" "$stage"
fi
find "$SITE_DIR" -mindepth 1 -maxdepth 1 ! -name ".inception-restore-$name" -exec rm -rf {} +
find "$stage" -mindepth 1 -maxdepth 1 -exec mv -t "$SITE_DIR" {} +
# The site's root takes the archived owner and mode ('.' in the archive).
chown --reference="$stage" "$SITE_DIR"
chmod --reference="$stage" "$SITE_DIR"
rmdir "$stage"
t1=$(date +%s%3N)
log "files restored from $name into $SITE_DIR ($(find "$SITE_DIR" | wc -l) entries) in $((t1 - t0)) ms"
