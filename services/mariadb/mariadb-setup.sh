#!/bin/sh
# initd --pre for mariadb, run as root before mariadbd starts as mysql.
# First start: mariadb-install-db, then one `mariadbd --bootstrap` run (no server
# in the background, nothing to wait for) that creates the WordPress database and
# user, sets the root password, removes remote root and anonymous accounts, and
# writes a verification line; completion is recorded by a marker file, because
# bootstrap can exit 0 after a failed statement and a data directory is never
# "empty" by accident (Debian's postinst, Docker's volume copy).
set -eu

datadir=/var/lib/mysql
marker="$datadir/.inception-initialised"
rundir=/run/mysqld
check="$rundir/init-check"

ME=mariadb-setup
# shellcheck source=services/lib.sh
. /usr/local/lib/inception/lib.sh

mkdir -p "$rundir"
chown mysql:mysql "$rundir" "$datadir"
chmod 0700 "$datadir"

if [ -f "$marker" ]; then
	exit 0
fi

db=${MYSQL_DATABASE:?mariadb-setup: MYSQL_DATABASE is not set}
user=${MYSQL_USER:?mariadb-setup: MYSQL_USER is not set}
for name in "$db" "$user"; do
	case $name in
	'' | *[!A-Za-z0-9_]*) die "'$name': database and user names may hold only letters, digits and _" ;;
	esac
done

secret() {
	need_secret "$1"
	value=$(cat "/run/secrets/$1")
	# SQL string literal: double every backslash, escape every quote.
	printf '%s' "$value" | sed -e 's/\\/\\\\/g' -e "s/'/\\\\'/g"
}
user_pw=$(secret db_password)
root_pw=$(secret db_root_password)

echo "mariadb-setup: first start, initialising $datadir" >&2
# Whatever is there comes from an interrupted first start: start over.
find "$datadir" -mindepth 1 -delete
log=$(mktemp)
if ! mariadb-install-db --user=mysql --datadir="$datadir" --skip-test-db \
	--auth-root-authentication-method=socket >"$log" 2>&1; then
	cat "$log" >&2
	die "mariadb-install-db failed"
fi

rm -f "$check"
# Grant tables are off in bootstrap mode until FLUSH PRIVILEGES loads them.
if ! mariadbd --user=mysql --datadir="$datadir" --bootstrap >"$log" 2>&1 <<SQL; then
FLUSH PRIVILEGES;
DELETE FROM mysql.global_priv WHERE User = '' OR (User = 'root' AND Host <> 'localhost');
FLUSH PRIVILEGES;
ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('$root_pw');
CREATE DATABASE IF NOT EXISTS \`$db\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS '$user'@'%' IDENTIFIED BY '$user_pw';
GRANT ALL PRIVILEGES ON \`$db\`.* TO '$user'@'%';
FLUSH PRIVILEGES;
SELECT CONCAT_WS(' ',
  (SELECT COUNT(*) FROM mysql.global_priv WHERE User = '$user' AND Host = '%'),
  (SELECT COUNT(*) FROM mysql.global_priv WHERE User = '' OR (User = 'root' AND Host <> 'localhost')),
  (SELECT COUNT(*) FROM mysql.global_priv WHERE User = 'root' AND Host = 'localhost' AND Priv LIKE '%mysql_native_password%'),
  (SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '$db'))
  INTO OUTFILE '$check';
SQL
	cat "$log" >&2
	die "mariadbd --bootstrap failed"
fi

result=$(cat "$check" 2>/dev/null || true)
rm -f "$check"
if [ "$result" != "1 0 1 1" ]; then
	cat "$log" >&2
	die "bootstrap did not do its work (check '$result', expected '1 0 1 1')"
fi
rm -f "$log"

touch "$marker"
echo "mariadb-setup: database '$db' and user '$user' created" >&2
