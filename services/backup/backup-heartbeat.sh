#!/bin/sh
# root's crond job, every minute: the time, for backup-alive (initd's check).
set -eu
# shellcheck source=services/backup/backup-lib.sh
. /usr/local/lib/backup/backup-lib.sh
date +%s >"$HEARTBEAT.tmp"
mv -f "$HEARTBEAT.tmp" "$HEARTBEAT"
