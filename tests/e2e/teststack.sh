# shellcheck shell=sh
# A throwaway stack beside a user's: its own compose project name, temporary
# DATA_DIR and secrets, free ports. Sourced by tests/e2e/run.sh and the stack
# rows of tests/reliability/ (POSIX sh). Expects ROOT.
#
#   teststack_compose        sets COMPOSE and its builder (E2E_COMPOSE), or
#                            returns 1 with a message
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

# E2E_COMPOSE picks the front-end, and with it the builder: v2 (`docker
# compose`, BuildKit), v1 (docker-compose 1.29, the legacy builder) or auto
# (the default: v2 when installed, else v1, each with its usual builder).
teststack_compose() {
	want=${E2E_COMPOSE:-auto}
	if [ "$want" = auto ]; then
		if docker compose version >/dev/null 2>&1; then want=v2; else want=v1; fi
	fi
	case $want in
	v2)
		docker compose version >/dev/null 2>&1 || { echo "Compose v2 ('docker compose') is not installed" >&2; return 1; }
		COMPOSE="docker compose"
		DOCKER_BUILDKIT=1
		BUILDER="BuildKit ($(docker buildx version 2>/dev/null | cut -d' ' -f1-2))"
		COMPOSE_VERSION=$(docker compose version --short 2>/dev/null)
		;;
	v1)
		command -v docker-compose >/dev/null || { echo "docker-compose (v1) is not installed" >&2; return 1; }
		COMPOSE=docker-compose
		DOCKER_BUILDKIT=0
		BUILDER="the legacy builder"
		COMPOSE_VERSION=$(docker-compose version --short 2>/dev/null)
		;;
	*)
		echo "E2E_COMPOSE=$want: v1, v2 or auto" >&2
		return 1
		;;
	esac
	COMPOSE_DOCKER_CLI_BUILD=$DOCKER_BUILDKIT
	export COMPOSE DOCKER_BUILDKIT COMPOSE_DOCKER_CLI_BUILD BUILDER COMPOSE_VERSION
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
