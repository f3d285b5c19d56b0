# shellcheck shell=sh
# A throwaway stack beside a user's: its own compose project name, temporary
# DATA_DIR and secrets, free ports. Sourced by tests/e2e/run.sh and the stack
# rows of tests/reliability/ (POSIX sh). Expects ROOT.
#
#   teststack_compose        sets COMPOSE, or returns 1 with a message
#   teststack_env NAME PORT  sets and exports VERSION TMP PROJECT ENV_FILE
#                            SECRETS DATA PORT, writes the stack's .env through
#                            the Makefile and loads it
#   teststack_cleanup        removes the stack, its volumes, data and TMP
#   dc ARG...                compose on the test project (both compose files;
#                            more -f FILE may lead ARG)

# free_port FIRST: the first port from FIRST on that nothing listens on.
free_port() {
	p=$1
	command -v ss >/dev/null || { echo "$p"; return; }
	while [ -n "$(ss -Htln "sport = :$p")" ]; do
		p=$((p + 1))
	done
	echo "$p"
}

teststack_compose() {
	if docker compose version >/dev/null 2>&1; then
		COMPOSE="docker compose"
	elif command -v docker-compose >/dev/null; then
		COMPOSE=docker-compose
	else
		echo "neither 'docker compose' nor docker-compose is installed" >&2
		return 1
	fi
	export COMPOSE
}

# teststack_env NAME FIRST-HTTPS-PORT [FIRST-FTP-PORT]
teststack_env() {
	VERSION=$(sed -n 's/^VERSION *:= *//p' "$ROOT/Makefile")
	TMP=$(mktemp -d "/tmp/inception-$1.XXXXXX")
	PROJECT="inception-$1-$$"
	ENV_FILE="$TMP/env"
	SECRETS="$TMP/secrets"
	DATA="$TMP/data"
	PORT=$(free_port "$2")
	export VERSION TMP PROJECT ENV_FILE SECRETS DATA PORT

	# FTP (bonus) publishes its control port and 10 passive ports: free ones, away
	# from a user's stack (21, 21100-21109) and from another test run.
	ftp_port=$(free_port "${3:-12021}")
	ftp_pasv=$((${3:-12021} + 79))
	while command -v ss >/dev/null &&
		[ -n "$(ss -Htln "sport >= :$ftp_pasv and sport <= :$((ftp_pasv + 9))")" ]; do
		ftp_pasv=$((ftp_pasv + 10))
	done

	# The test stack's .env, written by the Makefile like a user's, from these values.
	LOGIN=e2e DOMAIN=e2e.42.fr DATA_DIR="$DATA" HTTPS_PORT="$PORT" \
		COMPOSE_PROJECT_NAME="$PROJECT" SECRETS_DIR="$SECRETS" WP_ADMIN_USER=e2e_chief \
		WP_USER=e2e_writer FTP_PORT="$ftp_port" FTP_PASV_MIN="$ftp_pasv" \
		FTP_PASV_MAX="$((ftp_pasv + 9))" BACKUP_KEEP=2 \
		make -C "$ROOT" --no-print-directory ENV_FILE="$ENV_FILE" env >/dev/null
	set -a
	# shellcheck disable=SC1090
	. "$ENV_FILE"
	set +a
}

dc() {
	# shellcheck disable=SC2086 # COMPOSE is "docker compose" or "docker-compose".
	INCEPTION_VERSION=$VERSION $COMPOSE --env-file "$ENV_FILE" -p "$PROJECT" \
		-f "$ROOT/docker-compose.yml" -f "$ROOT/docker-compose.bonus.yml" "$@"
}

teststack_cleanup() {
	[ -n "${TMP:-}" ] || return 0
	dc down --volumes --remove-orphans >/dev/null 2>&1 || true
	if [ -d "$DATA" ]; then
		docker run --rm --network none -v "$DATA:/data" debian:bookworm \
			rm -rf /data/wordpress /data/mariadb /data/backups >/dev/null 2>&1 || true
	fi
	rm -rf "$TMP"
}
