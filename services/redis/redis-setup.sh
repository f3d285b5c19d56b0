#!/bin/sh
# initd --pre for redis, run as root before redis-server starts as redis.
# Turns the redis_password secret (a root-owned bind mount) into the config
# include that redis.conf expects, readable by redis only.
set -eu

secret=/run/secrets/redis_password
dir=/run/redis

ME=redis-setup
# shellcheck source=services/lib.sh
. /usr/local/lib/inception/lib.sh

need_secret redis_password
pw=$(cat "$secret")
# redis.conf's quoted strings take \\ and \" escapes; control characters would
# end the line.
case $pw in
*[[:cntrl:]]*) die "the password in $secret holds control characters" ;;
esac
quoted=$(printf '%s' "$pw" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g')

umask 077
mkdir -p "$dir"
chown redis:redis "$dir" /var/lib/redis
chmod 0700 "$dir"
printf 'requirepass "%s"\n' "$quoted" >"$dir/auth.conf.tmp"
chown redis:redis "$dir/auth.conf.tmp"
mv -f "$dir/auth.conf.tmp" "$dir/auth.conf"
