#!/bin/sh
# End-to-end tests of the stack: start it under its own compose project name,
# temporary DATA_DIR, secrets and port (a user's stack and data are never
# touched), check every requirement with real clients, clean up on exit.
#
# usage: sh tests/e2e/run.sh [mandatory|bonus]
#   mandatory (default): `make up`, the mandatory services and their checks.
#   bonus: `make bonus`, then every tests/e2e/bonus/t_NAME.sh (each defines
#          run_bonus_NAME), on a stack of its own.
#   E2E_PORT=N      host port for nginx's 443 (default: the first free from 18443)
#   E2E_FTP_PORT=N  bonus: first FTP control port tried (default 12021; the
#                   passive block is the first free ten from that port + 79)
#   E2E_KEEP=1      leave the test stack running at the end (for debugging)
#   E2E_COMPOSE=v1|v2|auto  the compose front-end and builder (teststack.sh)
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/tests/e2e"
MODE=${1:-mandatory}
case $MODE in
mandatory) UP_TARGET=up ;;
bonus) UP_TARGET=bonus ;;
*)
	echo "usage: sh tests/e2e/run.sh [mandatory|bonus]" >&2
	exit 2
	;;
esac

if ! docker info >/dev/null 2>&1; then
	echo "e2e ($MODE): SKIPPED (no Docker engine answers)"
	exit 0
fi
for tool in curl openssl make; do
	command -v "$tool" >/dev/null || { echo "e2e: $tool is needed" >&2; exit 1; }
done
# shellcheck source=tests/e2e/teststack.sh
. "$HERE/teststack.sh"
teststack_compose || exit 1
teststack_env "e2e-$MODE" "${E2E_PORT:-18443}" "${E2E_FTP_PORT:-12021}"
COMMENT="e2e comment $$ $(date +%s)"
export ROOT

cleanup() {
	rc=$?
	if [ "${E2E_KEEP:-0}" = 1 ]; then
		echo "e2e: left running: ENV_FILE=$ENV_FILE (make ENV_FILE=$ENV_FILE down)"
		exit "$rc"
	fi
	teststack_cleanup
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# shellcheck source=tests/e2e/lib.sh
. "$HERE/lib.sh"
if [ "$MODE" = mandatory ]; then
	# shellcheck source=tests/e2e/t_network.sh
	. "$HERE/t_network.sh"
	# shellcheck source=tests/e2e/t_site.sh
	. "$HERE/t_site.sh"
	# shellcheck source=tests/e2e/t_browser.sh
	. "$HERE/t_browser.sh"
	# shellcheck source=tests/e2e/t_cache.sh
	. "$HERE/t_cache.sh"
	# shellcheck source=tests/e2e/t_db.sh
	. "$HERE/t_db.sh"
	# shellcheck source=tests/e2e/t_procs.sh
	. "$HERE/t_procs.sh"
	# shellcheck source=tests/e2e/t_secrets.sh
	. "$HERE/t_secrets.sh"
	# shellcheck source=tests/e2e/t_reliability.sh
	. "$HERE/t_reliability.sh"
	# shellcheck source=tests/e2e/t_images.sh
	. "$HERE/t_images.sh"
	# shellcheck source=tests/e2e/t_own_image.sh
	. "$HERE/t_own_image.sh"
	# shellcheck source=tests/e2e/t_hardening.sh
	. "$HERE/t_hardening.sh"
else
	for t in "$HERE"/bonus/t_*.sh; do
		[ -f "$t" ] || continue
		# shellcheck disable=SC1090
		. "$t"
	done
fi

start=$(now_ms)
echo "e2e ($MODE): project $PROJECT, port $PORT, data $DATA"
echo "e2e ($MODE): $COMPOSE $COMPOSE_VERSION, $BUILDER, Docker engine $(docker version -f '{{.Server.Version}}')"

t0=$(now_ms)
if stack "$UP_TARGET" >"$TMP/up.log" 2>&1; then
	check "make $UP_TARGET: the stack is up and healthy ($((($(now_ms) - t0) / 1000)) s)" true
else
	check "make $UP_TARGET: the stack is up and healthy" sh -c "tail -n 60 '$TMP/up.log'; false"
	echo "e2e ($MODE): $passed passed, $failed failed, $skipped skipped"
	exit 1
fi

if [ "$MODE" = mandatory ]; then
	run_network
	run_site
	run_browser
	run_cache
	run_db
	run_procs
	run_secrets
	run_reliability
	run_images 3
	run_own_image
	# Last: its rate-limit check locks this address out of wp-login.php.
	run_hardening
else
	for t in "$HERE"/bonus/t_*.sh; do
		[ -f "$t" ] || continue
		name=${t##*/t_}
		"run_bonus_${name%.sh}"
	done
fi

echo "e2e ($MODE): finished in $((($(now_ms) - start) / 1000)) s"
echo "e2e ($MODE): $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
