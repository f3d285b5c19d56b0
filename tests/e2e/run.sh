#!/bin/sh
# End-to-end tests of the stack: start it under its own compose project name,
# temporary DATA_DIR, secrets and port (a user's stack and data are never
# touched), check every requirement with real clients, clean up on exit.
#
# usage: sh tests/e2e/run.sh
#   E2E_PORT=N      host port for nginx's 443 (default: the first free from 18443)
#   E2E_KEEP=1      leave the test stack running at the end (for debugging)
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/tests/e2e"

if ! docker info >/dev/null 2>&1; then
	echo "e2e: SKIPPED (no Docker engine answers)"
	exit 0
fi
for tool in curl openssl make; do
	command -v "$tool" >/dev/null || { echo "e2e: $tool is needed" >&2; exit 1; }
done
if docker compose version >/dev/null 2>&1; then
	COMPOSE="docker compose"
elif command -v docker-compose >/dev/null; then
	COMPOSE=docker-compose
else
	echo "e2e: neither 'docker compose' nor docker-compose is installed" >&2
	exit 1
fi

free_port() {
	p=${E2E_PORT:-18443}
	command -v ss >/dev/null || { echo "$p"; return; }
	while [ -n "$(ss -Htln "sport = :$p")" ]; do
		p=$((p + 1))
	done
	echo "$p"
}

VERSION=$(sed -n 's/^VERSION *:= *//p' "$ROOT/Makefile")
TMP=$(mktemp -d /tmp/inception-e2e.XXXXXX)
PROJECT="inception-e2e-$$"
ENV_FILE="$TMP/env"
SECRETS="$TMP/secrets"
DATA="$TMP/data"
PORT=$(free_port)
COMMENT="e2e comment $$ $(date +%s)"
export VERSION TMP PROJECT ENV_FILE SECRETS DATA PORT COMPOSE ROOT

cleanup() {
	rc=$?
	if [ "${E2E_KEEP:-0}" = 1 ]; then
		echo "e2e: left running: ENV_FILE=$ENV_FILE (make ENV_FILE=$ENV_FILE down)"
		exit "$rc"
	fi
	dc down --volumes --remove-orphans >/dev/null 2>&1 || true
	if [ -d "$DATA" ]; then
		docker run --rm --network none -v "$DATA:/data" debian:bookworm \
			rm -rf /data/wordpress /data/mariadb >/dev/null 2>&1 || true
	fi
	rm -rf "$TMP"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# shellcheck source=tests/e2e/lib.sh
. "$HERE/lib.sh"
# shellcheck source=tests/e2e/t_network.sh
. "$HERE/t_network.sh"
# shellcheck source=tests/e2e/t_site.sh
. "$HERE/t_site.sh"
# shellcheck source=tests/e2e/t_db.sh
. "$HERE/t_db.sh"
# shellcheck source=tests/e2e/t_procs.sh
. "$HERE/t_procs.sh"
# shellcheck source=tests/e2e/t_secrets.sh
. "$HERE/t_secrets.sh"
# shellcheck source=tests/e2e/t_reliability.sh
. "$HERE/t_reliability.sh"

start=$(now_ms)
echo "e2e: project $PROJECT, port $PORT, data $DATA ($COMPOSE)"

# The test stack's .env, written by the Makefile like a user's, from these values.
LOGIN=e2e DOMAIN=e2e.42.fr DATA_DIR="$DATA" HTTPS_PORT="$PORT" \
	COMPOSE_PROJECT_NAME="$PROJECT" SECRETS_DIR="$SECRETS" WP_ADMIN_USER=e2e_chief \
	WP_USER=e2e_writer stack env >/dev/null
set -a
# shellcheck disable=SC1090
. "$ENV_FILE"
set +a

t0=$(now_ms)
if stack up >"$TMP/up.log" 2>&1; then
	check "make up: the stack is up and healthy ($((($(now_ms) - t0) / 1000)) s)" true
else
	check "make up: the stack is up and healthy" sh -c "tail -n 60 '$TMP/up.log'; false"
	echo "e2e: $passed passed, $failed failed, $skipped skipped"
	exit 1
fi

run_network
run_site
run_db
run_procs
run_secrets
run_reliability

echo "e2e: finished in $((($(now_ms) - start) / 1000)) s"
echo "e2e: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
