#!/bin/sh
# initd --pre for wordpress, run as root before php-fpm starts as www-data.
# Idempotent and safe to re-run after a crash half-way: every step checks what
# is already done (marker written last, files written to a temporary name and
# renamed, WordPress's own is_blog_installed()/username_exists()).
set -eu

src=/usr/src/wordpress
www=/var/www/html
lib=/usr/local/lib

ME=wordpress-setup
# shellcheck source=services/lib.sh
. /usr/local/lib/inception/lib.sh

# The administrator's name must not contain "admin", in any case.
admin=${WP_ADMIN_USER:?wordpress-setup: WP_ADMIN_USER is not set}
case $(printf '%s' "$admin" | tr '[:upper:]' '[:lower:]') in
*admin*) die "WP_ADMIN_USER '$admin' is refused: the administrator's name must not contain 'admin' (in any case)" ;;
esac
for var in MYSQL_DATABASE MYSQL_USER WORDPRESS_DB_HOST DOMAIN WP_TITLE WP_ADMIN_EMAIL WP_USER WP_USER_EMAIL; do
	eval "value=\${$var-}"
	[ -n "$value" ] || die "$var is not set"
done
for s in db_password wp_admin_password wp_user_password; do
	need_secret "$s"
done
port=${HTTPS_PORT:-443}
if [ "$port" = 443 ]; then
	WP_URL="https://$DOMAIN"
else
	WP_URL="https://$DOMAIN:$port"
fi
export WP_URL

# php-fpm's master runs as www-data and opens its error_log, /proc/self/fd/2:
# Docker's log pipes belong to root with mode 0600, so that open fails. Give
# www-data the two pipes (it already writes to them through inherited fds).
for fd in 1 2; do
	if [ -p "/proc/self/fd/$fd" ]; then
		chown www-data "/proc/self/fd/$fd"
	fi
done

as_www() {
	setpriv --reuid=www-data --regid=www-data --init-groups --no-new-privs "$@"
}

# Several replicas share the volume (make swarm; docs/swarm.md): one sets it
# up at a time, the others find it done. flock(2) holds across the nodes of a
# cluster too when the volume is NFS (Linux maps it to NFS's byte-range locks).
chown www-data:www-data "$www"
exec 9>>"$www/.inception-setup.lock"
flock -w 300 9 || die "another replica has held the setup lock for 300 s"

# 1. WordPress's files, copied into the volume once per version.
version=$(sed -n "s/^\$wp_version = '\(.*\)';/\1/p" "$src/wp-includes/version.php")
chown www-data:www-data "$www"
if [ "$(cat "$www/.inception-wp-version" 2>/dev/null || true)" != "$version" ]; then
	echo "wordpress-setup: copying WordPress $version into the volume" >&2
	cp -a "$src/." "$www/"
	chown -R www-data:www-data "$www"
	echo "$version" >"$www/.inception-wp-version.tmp"
	mv -f "$www/.inception-wp-version.tmp" "$www/.inception-wp-version"
fi

# 2. Salts: fresh random ones, once. The configuration: rewritten at every start,
#    so a changed domain, port or password takes effect. Readable by www-data only.
if ! [ -s "$www/wp-salts.php" ]; then
	# shellcheck disable=SC2016 # PHP code: its $k is PHP's, not the shell's.
	php -r 'echo "<?php\n";
		foreach (["AUTH_KEY", "SECURE_AUTH_KEY", "LOGGED_IN_KEY", "NONCE_KEY",
		          "AUTH_SALT", "SECURE_AUTH_SALT", "LOGGED_IN_SALT", "NONCE_SALT"] as $k)
			printf("define(%s, %s);\n", var_export($k, true), var_export(base64_encode(random_bytes(48)), true));' \
		>"$www/wp-salts.php.tmp"
	chown root:www-data "$www/wp-salts.php.tmp"
	chmod 0640 "$www/wp-salts.php.tmp"
	mv -f "$www/wp-salts.php.tmp" "$www/wp-salts.php"
fi
php "$lib/wp-config-gen.php" </run/secrets/db_password >"$www/wp-config.php.tmp"
chown root:www-data "$www/wp-config.php.tmp"
chmod 0640 "$www/wp-config.php.tmp"
mv -f "$www/wp-config.php.tmp" "$www/wp-config.php"

# 2a. Trust in the stack's own certificate, for WordPress's requests to
#     itself (WP-Cron, Site Health): the system's CAs plus tls_cert, made at
#     each start (a new certificate needs no new image) under /run, not in the
#     shared volume; the mu-plugin points WordPress's HTTP API at it, www.conf
#     PHP's curl and openssl.
need_secret tls_cert certs
install -d -o root -g www-data -m 0750 /run/wordpress
cat /etc/ssl/certs/ca-certificates.crt /run/secrets/tls_cert >/run/wordpress/ca-certificates.crt.tmp
chmod 0644 /run/wordpress/ca-certificates.crt.tmp
mv -f /run/wordpress/ca-certificates.crt.tmp /run/wordpress/ca-certificates.crt
# 2b. Our must-use plugins (the above, updates from images, XML-RPC off, the
#     page cache kept fresh),
#     replaced at every start like the configuration, so that a new image
#     updates them and an edit inside the volume does not last.
install -d -o www-data -g www-data -m 0755 "$www/wp-content/mu-plugins"
for mu in inception-mu.php:inception.php hardening.php:inception-hardening.php page-cache.php:inception-page-cache.php; do
	dest="$www/wp-content/mu-plugins/${mu#*:}"
	install -o root -g www-data -m 0644 "$lib/${mu%%:*}" "$dest.tmp"
	mv -f "$dest.tmp" "$dest"
done

# 2c. The Redis object cache, in bonus mode only (WP_REDIS_HOST set): the
#     drop-in, and the password where php-fpm (www-data) can read it, outside
#     the volume. Without WP_REDIS_HOST our drop-in is removed again, so the
#     mandatory stack runs exactly as before; someone else's is left alone.
dropin="$www/wp-content/object-cache.php"
if [ -n "${WP_REDIS_HOST-}" ]; then
	need_secret redis_password
	install -o root -g www-data -m 0640 /run/secrets/redis_password /run/wordpress/redis_password
	install -o root -g www-data -m 0644 "$lib/object-cache.php" "$dropin.tmp"
	mv -f "$dropin.tmp" "$dropin"
	as_www php "$lib/wp-redis-flush.php" "$WP_REDIS_HOST" "${WP_REDIS_PORT:-6379}" /run/wordpress/redis_password
elif [ -f "$dropin" ] && grep -q 'Inception Redis object cache' "$dropin"; then
	rm -f "$dropin"
	echo "wordpress-setup: WP_REDIS_HOST is not set: Redis object cache removed" >&2
fi

# 2d. nginx's page cache (the pagecache volume, shared with nginx), emptied at
#     every start: a new image, a restore or a changed setting may change any
#     page. Only nginx's cache files (named by an MD5), as the mu-plugin does.
#     Under make swarm the volume is a folder (shared by every node's nginx
#     and wordpress: docs/swarm.md), root's until a setup hands it over.
pages=/var/cache/inception/pages
[ ! -d /var/cache/inception ] || chown www-data:www-data /var/cache/inception
if [ -d "$pages" ]; then
	as_www find "$pages" -type f -regex '.*/[0-9a-f]\{32\}' -delete
	date +%s.%N | as_www tee /var/cache/inception/changed >/dev/null
fi

# 3. The database (bounded wait: compose already waits for it to be healthy).
as_www php "$lib/wp-dbwait.php" "${WP_DB_WAIT:-60}" </run/secrets/db_password

# 4. The site and its two users, with WordPress's own functions, as www-data.
printf '%s\n%s\n' "$(cat /run/secrets/wp_admin_password)" "$(cat /run/secrets/wp_user_password)" |
	as_www php "$lib/wp-install.php"
