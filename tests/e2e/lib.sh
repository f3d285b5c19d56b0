# shellcheck shell=sh
# Helpers of the end-to-end tests, sourced by run.sh (POSIX sh).
# Expects: ROOT, ENV_FILE, PROJECT, DOMAIN, PORT, SECRETS, DATA, VERSION, COMPOSE,
# and dc from teststack.sh.

passed=0
failed=0
skipped=0

# check DESCRIPTION COMMAND [ARG]...: one test; COMMAND's output is shown on failure.
check() {
	desc=$1
	shift
	status=0
	out=$("$@" 2>&1) || status=$?
	if [ "$status" -eq 0 ]; then
		passed=$((passed + 1))
		echo "ok   - $desc"
		# A check may end with one line of measurements: show it.
		last=$(printf '%s\n' "$out" | tail -n 1)
		[ -z "$last" ] || echo "       $last"
	elif [ "$status" -eq 77 ]; then
		# Could not be run here: said so, never counted as passed.
		skipped=$((skipped + 1))
		echo "SKIP - $desc: $(printf '%s\n' "$out" | tail -n 1)"
	else
		failed=$((failed + 1))
		echo "FAIL - $desc"
		printf '%s\n' "$out" | tail -n 20 | sed 's/^/       /'
	fi
}

# fail MESSAGE: print it and return 1 (for check functions).
fail() {
	echo "$*"
	return 1
}

now_ms() {
	date +%s%3N
}

# stack TARGET...: the Makefile's targets on the test stack.
stack() {
	make -C "$ROOT" --no-print-directory ENV_FILE="$ENV_FILE" "$@"
}

# cid SERVICE: the service's container id, running or stopped (v2's `ps -q`
# lists only running containers without -a).
cid() {
	dc ps -a -q "$1"
}

# https PATH [CURL ARG]...: a request to the site with real certificate checking.
https() {
	path=$1
	shift
	curl -sS --max-time 10 --resolve "$DOMAIN:$PORT:127.0.0.1" --cacert "$SECRETS/tls/cert.pem" \
		"$@" "https://$DOMAIN:$PORT$path"
}

# status_field SERVICE KEY: a field of initd's status file in that container.
status_field() {
	docker exec "$(cid "$1")" sed -n "s/^$2=//p" /run/initd.status
}

# wrk_site SECONDS PATH REPORT: wrk, 32 connections on the site's PATH for
# SECONDS (2 threads, 10 s timeout, latency percentiles); its report in REPORT.
wrk_site() {
	wrk -t2 -c32 -d"$1s" --timeout 10s --latency -H "Host: $DOMAIN:$PORT" \
		"https://127.0.0.1:$PORT$2" >"$3" 2>&1
}

# wrk_figures REPORT: "requests req/s p99 non-2xx socket-errors" from a wrk
# report: "-" for a figure it does not give, 0 for errors it does not report.
wrk_figures() {
	awk '/ requests in / { t = $1 } /^Requests\/sec:/ { r = $2 } $1 == "99%" { p = $2 }
		/Non-2xx or 3xx responses:/ { e = $NF } /Socket errors:/ { gsub(",", ""); s = $4 + $6 + $8 + $10 }
		END { print (t == "" ? "-" : t), (r == "" ? "-" : r), (p == "" ? "-" : p), e + 0, s + 0 }' "$1"
}

# secret_in_image IMAGE PATTERNS: where in IMAGE a line of the file PATTERNS
# occurs: "history", "config", "layers" (every layer's content), one a line;
# nothing when nowhere. The matched text, a secret, is never printed.
secret_in_image() {
	docker history --no-trunc "$1" | grep -q -F -f "$2" && echo history
	docker image inspect "$1" | grep -q -F -f "$2" && echo config
	docker save "$1" | grep -a -q -F -f "$2" && echo layers
	return 0
}

# secret_in_container CONTAINER PATTERNS: the same for a container: "container
# config", "process environ or cmdline" (any process running in it).
secret_in_container() {
	docker inspect "$1" | grep -q -F -f "$2" && echo "container config"
	docker exec "$1" sh -c 'cat /proc/[0-9]*/environ /proc/[0-9]*/cmdline 2>/dev/null' |
		grep -a -q -F -f "$2" && echo "process environ or cmdline"
	return 0
}

# secret NAME: a generated password.
secret() {
	cat "$SECRETS/$1.txt"
}

# secret_patterns FILE [tls]: every generated password (one per name of
# services/secrets.list that `make secrets` made) and, with tls, a line of the
# TLS key, one per line into FILE; never an empty line (grep -F -f would match
# everything) and never an empty FILE.
secret_patterns() {
	{
		while read -r name; do
			case $name in '' | '#'*) continue ;; esac
			[ -s "$SECRETS/$name.txt" ] && secret "$name" && echo
		done <"$ROOT/services/secrets.list"
		[ "${2:-}" != tls ] || sed -n 2p "$SECRETS/tls/key.pem"
	} | grep -v '^$' >"$1"
	[ -s "$1" ] || fail "no secret to look for in $SECRETS"
}

# wait_site SECONDS: poll the front page until it answers 200 (bounded).
wait_site() {
	deadline=$(($(now_ms) + $1 * 1000))
	while [ "$(now_ms)" -lt "$deadline" ]; do
		code=$(https / -o /dev/null -w '%{http_code}' --max-time 2 2>/dev/null || true)
		[ "$code" = 200 ] && return 0
		sleep 0.1
	done
	return 1
}

# login USER PASSWORD JAR: log in through wp-login.php, cookies into JAR.
login() {
	rm -f "$3"
	https /wp-login.php -o /dev/null -c "$3" -b 'wordpress_test_cookie=WP%20Cookie%20check' \
		--data-urlencode "log=$1" --data-urlencode "pwd=$2" \
		--data-urlencode "redirect_to=https://$DOMAIN:$PORT/wp-admin/" \
		-d 'wp-submit=Log+In' -d 'testcookie=1' -w '%{http_code}\n'
}

# procs CONTAINER: "pid uid nonewprivs capeff comm" for every process in it.
procs() {
	docker exec "$1" sh -c '
		for d in /proc/[0-9]*; do
			[ -r "$d/status" ] || continue
			awk -v p="${d#/proc/}" "
				/^Name:/ { n = \$2 }
				/^Uid:/ { u = \$2 }
				/^NoNewPrivs:/ { nnp = \$2 }
				/^CapEff:/ { c = \$2 }
				END { print p, u, nnp, c, n }" "$d/status" 2>/dev/null
		done'
}
