#!/bin/sh
# initd's --check-cmd in the backup container: busybox crond answers no
# request, so its liveness is read off it. Alive means not stopped (state T: a
# SIGSTOP, a debugger), seen at the next check, and still running its jobs:
# backup-setup.sh installs one that touches $HEARTBEAT every minute, so a
# heartbeat older than three minutes means crond stopped scheduling (its clock
# ticks once a minute: a hang that leaves it running is seen within 3 min).
set -eu
# shellcheck source=services/backup/backup-lib.sh
. /usr/local/lib/backup/backup-lib.sh

pid=$(initd status --json | sed -n 's/.*"pid":\([0-9][0-9]*\).*/\1/p')
[ -n "$pid" ] || die "initd names no running crond"
# Field 3 of /proc/PID/stat, after the parenthesised name.
state=$(sed 's/.*) //' "/proc/$pid/stat" | cut -d ' ' -f 1)
[ "$state" != T ] || die "crond (pid $pid) is stopped"
[ -n "$(find "$HEARTBEAT" -mmin -3 2>/dev/null)" ] || die "crond ran no job for 3 minutes ($HEARTBEAT)"
