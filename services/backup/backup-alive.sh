#!/bin/bash
# initd's --check-cmd in the backup container: busybox crond answers no
# request, so its liveness is read off it. Alive means not stopped (state T: a
# SIGSTOP, a debugger), seen at the next check, and still running its jobs:
# root's crontab runs backup-heartbeat every minute, which writes the time to
# $HEARTBEAT, so a heartbeat older than three minutes means crond stopped
# scheduling (its clock ticks once a minute: a hang that leaves it running is
# seen within 3 min). bash, and nothing but builtins: a check every 10 s
# costs one process, not six.
set -u
# shellcheck source=services/backup/backup-lib.sh
. /usr/local/lib/backup/backup-lib.sh

pid=
while IFS='=' read -r key value; do
	[ "$key" = pid ] && pid=$value
done </run/initd.status
[ -n "$pid" ] || die "initd's status names no running crond"
IFS= read -r stat <"/proc/$pid/stat" || die "crond (pid $pid) is gone"
# The field after the parenthesised name (which may hold spaces) is the state.
stat=${stat##*) }
[ "${stat%% *}" != T ] || die "crond (pid $pid) is stopped"
IFS= read -r beat <"$HEARTBEAT" || die "no heartbeat in $HEARTBEAT"
printf -v now '%(%s)T' -1
[ $((now - beat)) -lt 180 ] || die "crond ran no job for $((now - beat)) s ($HEARTBEAT)"
