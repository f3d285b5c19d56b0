#!/bin/sh
# initd --pre for backup, run as root before crond starts.
# Writes, from .env and the db_password secret: the client option file and the
# settings (in the /run/backup tmpfs, readable by www-data only), and
# www-data's crontab with BACKUP_SCHEDULE. The backups themselves are taken as
# www-data, which can read every WordPress file and owns /backups.
set -eu
# shellcheck source=services/backup/backup-lib.sh
. /usr/local/lib/backup/backup-lib.sh

db=${MYSQL_DATABASE:-wordpress}
user=${MYSQL_USER:-wpuser}
keep=${BACKUP_KEEP:-7}
schedule=${BACKUP_SCHEDULE:-0 3 * * *}

check_names "$db" "$user"
case $keep in
'' | *[!0-9]* | 0*) die "BACKUP_KEEP '$keep' must be a positive number" ;;
esac
# Five fields of digits and * , - / (busybox crond has no @daily).
echo "$schedule" | grep -Eq '^[0-9*,/-]+( +[0-9*,/-]+){4}$' ||
	die "BACKUP_SCHEDULE '$schedule' must be five cron fields, e.g. '0 3 * * *'"
[ -d "$BACKUP_DIR" ] || die "$BACKUP_DIR is missing (the backups volume is not mounted)"

chown www-data:www-data "$RUN_DIR" "$BACKUP_DIR"
chmod 0700 "$RUN_DIR" "$BACKUP_DIR"
write_my_cnf "$user" www-data:www-data
printf 'DB_NAME=%s\nBACKUP_KEEP=%s\n' "$db" "$keep" >"$SETTINGS.tmp"
chown www-data:www-data "$SETTINGS.tmp"
mv -f "$SETTINGS.tmp" "$SETTINGS"

tab=/var/spool/cron/crontabs
mkdir -p "$tab"
chmod 0700 "$tab"
# The heartbeat that initd's check (backup-alive) reads, a job of www-data's
# like the backups (with no capability; a job of root's would keep crond's
# setuid and setgid), in a folder of www-data's. It starts now, so the check
# passes until crond's first minute.
install -d -o www-data -g www-data -m 0755 "$HEARTBEAT_DIR"
setpriv --reuid=www-data --regid=www-data --init-groups /usr/local/lib/backup/backup-heartbeat
printf '# Written by backup-setup.sh from BACKUP_SCHEDULE (UTC).\n%s /usr/local/bin/backup-now --scheduled\n# The heartbeat of initd'"'"'s check (backup-alive).\n* * * * * /usr/local/lib/backup/backup-heartbeat\n' \
	"$schedule" >"$tab/www-data.tmp"
mv -f "$tab/www-data.tmp" "$tab/www-data"
echo "backup-setup: database '$db' as '$user', schedule '$schedule' (UTC), keeping $keep" >&2
