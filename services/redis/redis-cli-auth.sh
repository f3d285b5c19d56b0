#!/bin/sh
# redis-cli authenticated with the redis_password secret, for the healthcheck
# and for people: `redis-cli-auth PING`, `redis-cli-auth INFO stats`.
# The password goes through a pipe (printf is a shell builtin), never through
# argv or the environment, where `ps` and /proc/PID/environ would show it.
set -eu

secret=/run/secrets/redis_password
[ -r "$secret" ] || {
	echo "redis-cli-auth: cannot read $secret" >&2
	exit 1
}
pw=$(sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' "$secret")
# redis-cli reads commands from a non-terminal stdin, one per line; the first
# answer is AUTH's "OK", which is dropped; an AUTH error fails the command.
out=$({
	printf 'AUTH "%s"\n' "$pw"
	printf '%s\n' "$*"
} | redis-cli -h "${REDIS_CLI_HOST:-127.0.0.1}" --no-raw 2>&1)
first=$(printf '%s\n' "$out" | head -n 1)
[ "$first" = OK ] || {
	echo "redis-cli-auth: AUTH failed: $first" >&2
	exit 1
}
printf '%s\n' "$out" | sed 1d
