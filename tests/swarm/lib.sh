# shellcheck shell=sh
# What the Swarm tests share (tests/swarm/run.sh; sourced, POSIX sh). Expects
# ROOT, and after swarm_env: the test stack's values (tests/e2e/teststack.sh).
#
#   swarm_env NAME PORT [REG] a throwaway stack's .env, secrets and data
#   sw TARGET...             the Makefile's swarm targets on it
#   task_container SERVICE   a running container of the service on this engine
#   (and tests/e2e/lib.sh's: check, https PATH at SITE_HOST, a node's address)
#   load_start NAME          visitors and a writer (loadgen.py) until load_stop
#   load_stop NAME           their summary: "requests ok failed acknowledged"
#   load_failures NAME       the failed requests, one per line
#   comments_present NAME    every comment the writer had acknowledged is there
#   figure WHAT VALUE        one measured row; figures_write FILE TITLE BY
#                            writes them to docs/results/FILE (SWARM_BENCH=1)

# shellcheck source=tests/e2e/teststack.sh
. "$ROOT/tests/e2e/teststack.sh"
# shellcheck source=tests/e2e/lib.sh
. "$ROOT/tests/e2e/lib.sh"

PY=/usr/bin/python3

# swarm_env NAME FIRST-HTTPS-PORT [REGISTRY-PORT]
swarm_env() {
	# The registry's host port too: away from a user's (5000) and other runs.
	SWARM_REGISTRY_PORT=${3:-$(free_port 15000)}
	export SWARM_REGISTRY_PORT
	teststack_env "$1" "$2"
	STACK=$PROJECT
}

sw() {
	make -C "$ROOT" --no-print-directory ENV_FILE="$ENV_FILE" "$@"
}

task_container() {
	docker ps -q --filter "label=com.docker.swarm.service.name=${STACK}_$1" | head -n 1
}

load_start() {
	rm -f "$TMP/load-$1" "$TMP/load-$1.stop"
	WP_ADMIN_USER=$WP_ADMIN_USER "$PY" "$ROOT/tests/swarm/loadgen.py" "${SITE_HOST:-127.0.0.1}" "$PORT" "$DOMAIN" \
		"$TMP/load-$1" 3 "$SECRETS/wp_admin_password.txt" 2>"$TMP/load-$1.err" &
	# shellcheck disable=SC2034 # the callers' cleanup ends it
	load_pid=$!
	# A few requests before anything happens, so that "0 failed" is about a
	# site that answered before and after.
	sleep 3
}

# Called in $(...), a subshell that cannot wait for the generator: its
# summary file appears once its last request has ended (at most 30 s).
load_stop() {
	touch "$TMP/load-$1.stop"
	n=0
	while ! [ -s "$TMP/load-$1" ] && [ $n -lt 160 ]; do
		sleep 0.25
		n=$((n + 1))
	done
	[ -s "$TMP/load-$1" ] || {
		cat "$TMP/load-$1.err" >&2
		echo "0 0 1 0"
		return 0
	}
	jq -r '"\(.requests) \(.ok) \(.failed) \(.acknowledged | length)"' "$TMP/load-$1"
}

load_failures() {
	jq -r '.failures[] | "\(.ms) \(.what): \(.why)"' "$TMP/load-$1" 2>/dev/null | head -n 20
}

# WordPress's REST API lists approved comments to anyone: every id the writer
# was answered with must be among them (the admin's comments are approved).
comments_present() {
	ids=$(jq -r '.acknowledged[]' "$TMP/load-$1")
	[ -n "$ids" ] || fail "the writer had no comment acknowledged"
	missing=
	for chunk in $(echo "$ids" | awk '{ printf "%s%s", (NR % 50 == 1 ? (NR > 1 ? "\n" : "") : ","), $1 } END { print "" }'); do
		got=$(https "/?rest_route=/wp/v2/comments&include=$chunk&per_page=100&_fields=id") ||
			fail "the REST API did not answer"
		for id in $(echo "$chunk" | tr ',' ' '); do
			echo "$got" | jq -e --argjson id "$id" 'map(.id) | index($id)' >/dev/null || missing="$missing $id"
		done
	done
	[ -z "$missing" ] || fail "acknowledged but missing:$missing"
	echo "all $(echo "$ids" | grep -c .) acknowledged comments are there"
}

figure() { printf '%s\t%s\n' "$1" "$2" >>"$TMP/figures"; }

figures_write() {
	[ "${SWARM_BENCH:-0}" = 1 ] && [ -s "$TMP/figures" ] || return 0
	# shellcheck source=tests/results.sh
	. "$ROOT/tests/results.sh"
	awk -F '\t' '{ printf "%-72s %s\n", $1, $2 }' "$TMP/figures" >"$TMP/table"
	write_results swarm "$ROOT/docs/results/$1" "$2" "$TMP/table" \
		"Measured by $3 (SWARM_BENCH=1, make bench-swarm) at $(results_commit "$ROOT") on $(date -u +%Y-%m-%d), $(nproc) cores, Docker $(docker version -f '{{.Server.Version}}'). The load: 3 visitors fetching the home page, in turn from the page cache and with a query string that PHP renders, each request on a new TLS connection, and one logged-in writer posting a comment every 0.5 s."
}
