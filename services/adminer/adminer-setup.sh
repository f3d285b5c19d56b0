#!/bin/sh
# initd --pre for adminer, run as root before php-fpm starts as www-data.
set -eu

# php-fpm's master runs as www-data and opens its error_log, /proc/self/fd/2:
# Docker's log pipes belong to root with mode 0600, so that open fails. Give
# www-data the two pipes (it already writes to them through inherited fds).
for fd in 1 2; do
	if [ -p "/proc/self/fd/$fd" ]; then
		chown www-data "/proc/self/fd/$fd"
	fi
done

# A broken pool configuration stops the container here. Tested as www-data:
# as root php-fpm wants a pool user, which we do not set. Quiet when it passes;
# run again with its messages in docker logs when it does not.
as_www() {
	setpriv --reuid=www-data --regid=www-data --init-groups --no-new-privs "$@"
}
if ! as_www php-fpm8.2 -t >/dev/null 2>&1; then
	as_www php-fpm8.2 -t || true
	exit 1
fi
