# shellcheck shell=sh
# Shared by backup-setup.sh, backup-now and backup-restore (POSIX sh, sourced).
# shellcheck disable=SC2034 # the variables are used by the scripts that source this.

BACKUP_DIR=/backups
SITE_DIR=/var/www/html
RUN_DIR=/run/backup
MY_CNF=$RUN_DIR/my.cnf
SETTINGS=$RUN_DIR/settings
# Written every minute by a crond job of www-data's, read by backup-alive.sh
# (initd's check, root with only setuid and setgid: no way into www-data's
# 0700 $RUN_DIR).
HEARTBEAT_DIR=/run/heartbeat
HEARTBEAT=$HEARTBEAT_DIR/crond
LOCK=$BACKUP_DIR/.lock
# Backup names: UTC time to the millisecond, so that names sort by age.
NAME_GLOB='[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]T[0-9][0-9][0-9][0-9][0-9][0-9].[0-9][0-9][0-9]Z'

# shellcheck source=services/lib.sh
. /usr/local/lib/inception/lib.sh

log() {
	echo "${0##*/}: $*"
}

# check_names DB USER: the database and account names from .env, as the
# mariadb image accepts them.
check_names() {
	for n in "$1" "$2"; do
		case $n in
		'' | *[!A-Za-z0-9_]*) die "'$n': database and user names may hold only letters, digits and _" ;;
		esac
	done
}

# write_my_cnf USER OWNER: the client option file with the password from the
# db_password secret, mode 0600, in $RUN_DIR (a tmpfs: never in an image or a
# volume). Clients read it with --defaults-extra-file, so no password is ever
# an argument or an environment variable.
write_my_cnf() {
	need_secret db_password
	# Option-file string: backslashes and double quotes escaped.
	pw=$(sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' /run/secrets/db_password)
	(
		umask 077
		printf '[client]\nhost=mariadb\nport=3306\nprotocol=tcp\nuser=%s\npassword="%s"\n' \
			"$1" "$pw" >"$MY_CNF.tmp"
	)
	chown "$2" "$MY_CNF.tmp"
	mv -f "$MY_CNF.tmp" "$MY_CNF"
	pw=
}

# list_backups: complete backups, oldest first (temporary ones start with '.').
list_backups() {
	for d in "$BACKUP_DIR"/$NAME_GLOB; do
		[ -f "$d/SHA256SUMS" ] && echo "${d##*/}"
	done
	return 0
}
