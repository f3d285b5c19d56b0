#!/bin/bash
# tcp-probe PORT SEND PATTERN...: a readiness or liveness probe for initd's
# --ready-cmd and --check-cmd where the image has no client for the protocol
# (or one that costs more than the service's own idle). Connects to
# 127.0.0.1:PORT, sends SEND (backslash escapes such as \r\n are expanded; empty:
# send nothing, for protocols whose server speaks first), and succeeds when the
# first line of the answer matches one of the shell PATTERNs. bash's /dev/tcp:
# no process besides bash itself. A server that never answers is ended by
# initd's --check-timeout, not here.
set -u
[ $# -ge 3 ] || {
	echo "usage: tcp-probe PORT SEND PATTERN..." >&2
	exit 2
}
port=$1 send=$2
shift 2
exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
if [ -n "$send" ]; then
	printf '%b' "$send" >&3 || exit 1
fi
IFS= read -r line <&3 || {
	echo "tcp-probe: port $port closed without an answer" >&2
	exit 1
}
line=${line%$'\r'}
for pattern in "$@"; do
	# shellcheck disable=SC2254 # the pattern is meant to match as a pattern
	case $line in $pattern) exit 0 ;; esac
done
echo "tcp-probe: port $port answered: $line" >&2
exit 1
