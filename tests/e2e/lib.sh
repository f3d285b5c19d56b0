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

# https PATH [CURL ARG]...: a request to the site with real certificate
# checking, at SITE_HOST (default 127.0.0.1; the Swarm tests: a node).
https() {
	path=$1
	shift
	curl -sS --max-time 10 --resolve "$DOMAIN:$PORT:${SITE_HOST:-127.0.0.1}" --cacert "$SECRETS/tls/cert.pem" \
		"$@" "https://$DOMAIN:$PORT$path"
}

# status_field SERVICE KEY: a field of initd's status file in that container.
status_field() {
	docker exec "$(cid "$1")" sed -n "s/^$2=//p" /run/initd.status
}

# wrk_site SECONDS PATH REPORT [WRK ARG]...: wrk, 32 connections on the
# site's PATH for SECONDS (2 threads, 10 s timeout, latency percentiles); its
# report in REPORT. WRK ARGs come first (-H 'Cookie: ...').
wrk_site() {
	secs=$1 path=$2 report=$3
	shift 3
	wrk -t2 -c32 -d"${secs}s" --timeout 10s --latency -H "Host: $DOMAIN:$PORT" "$@" \
		"https://127.0.0.1:$PORT$path" >"$report" 2>&1
}

# cookie_header JAR: the cookies of curl's cookie jar that a browser sends
# for the site's root (path /), as one Cookie: header's value.
cookie_header() {
	awk -F '\t' 'NF >= 7 && $1 !~ /^# / && $3 == "/" { printf "%s%s=%s", sep, $6, $7; sep = "; " }' "$1"
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

# docker_healthy CONTAINER: Docker's own health of the container says healthy
# and comes from initd (the image's HEALTHCHECK is `initd health`). Docker
# probes every 60 s, the first time 60 s after the start: hence the wait.
docker_healthy() {
	t=$(docker inspect -f '{{json .Config.Healthcheck.Test}}' "$1")
	[ "$t" = '["CMD","/usr/local/bin/initd","health"]' ] || fail "the healthcheck of $1 is $t" || return 1
	deadline=$(($(now_ms) + 75000))
	while [ "$(docker inspect -f '{{.State.Health.Status}}' "$1" 2>/dev/null)" != healthy ]; do
		[ "$(now_ms)" -lt "$deadline" ] ||
			fail "Docker's health of $1 is $(docker inspect -f '{{.State.Health.Status}}' "$1") 75 s on" || return 1
		sleep 0.5
	done
}

# wait_healthy CONTAINER SECONDS: bounded wait for initd's "healthy" in the
# container (what `make` waits for; Docker's own view lags up to 60 s).
wait_healthy() {
	deadline=$(($(now_ms) + $2 * 1000))
	while [ "$(now_ms)" -lt "$deadline" ]; do
		docker exec "$1" initd health >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	return 1
}

# restarted_in_place SERVICE SECONDS PROBE [ARG]...: kill -9 of the service's
# main process inside its container (restarted_after with KILL: a crash). initd starts it again (a new pid, state
# running, its restart count grown), the container is not restarted, and PROBE
# succeeds within SECONDS of the kill. The restart delay is initd's own: the
# kill's time inside the container against the "changed" time of the status
# file (a docker exec costs a few hundred ms here).
restarted_in_place() { restarted_after KILL "$@"; }

# restarted_after SIGNAL SERVICE SECONDS PROBE [ARG]...: the same for any
# signal; STOP (sent to the service's process group) makes a service that
# hangs without dying, which only initd's checks or watchdog can tell.
restarted_after() {
	sig=$1 s=$2 secs=$3
	shift 3
	c=$(cid "$s")
	before=$(docker inspect -f '{{.RestartCount}} {{.State.StartedAt}}' "$c")
	pid=$(status_field "$s" pid)
	restarts=$(status_field "$s" restarts)
	[ -n "$pid" ] && [ "$pid" -gt 1 ] || fail "no service pid in $s's status file" || return 1
	t0=$(now_ms)
	# A hang is the whole service's, workers included (a stopped nginx master
	# alone still has its workers serving): its process group, which initd
	# made. A crash is the main process's.
	target=$pid
	[ "$sig" = STOP ] && target=-$pid
	killed=$(docker exec "$c" sh -c "date +%s%3N; kill -$sig $target") || fail "kill -$sig $target failed" || return 1
	deadline=$(($(now_ms) + secs * 1000))
	while :; do
		st=$(docker exec "$c" cat /run/initd.status | tr '\n' ' ')
		newpid=$(echo "$st" | sed -n 's/.*pid=\([0-9]*\).*/\1/p')
		case $st in
		*state=running*) [ "$newpid" != "$pid" ] && "$@" >/dev/null 2>&1 && break ;;
		esac
		[ "$(now_ms)" -lt "$deadline" ] || fail "$s: not serving again $secs s after kill -$sig ($st)" || return 1
		sleep 0.1
	done
	t1=$(now_ms)
	changed=$(echo "$st" | sed -n 's/.*changed=\([0-9]*\)\.\([0-9]*\).*/\1\2/p')
	after=$(docker inspect -f '{{.RestartCount}} {{.State.StartedAt}}' "$c")
	[ "$before" = "$after" ] || fail "the container restarted: $before -> $after" || return 1
	[ "$(echo "$st" | sed -n 's/.*restarts=\([0-9]*\).*/\1/p')" -gt "$restarts" ] ||
		fail "initd's restart count did not grow: $st" || return 1
	echo "$s: pid $pid -> $newpid after SIG$sig, restarted by initd $((changed - killed)) ms after it, probe ok after $((t1 - t0)) ms (docker exec included), container not restarted"
}

# stops_gracefully SERVICE CODES: docker stop (10 s grace) ends in under 3 s
# with one of CODES (never 137, a SIGKILL); then docker start, and healthy
# again within 60 s.
stops_gracefully() {
	c=$(cid "$1")
	t0=$(now_ms)
	docker stop -t 10 "$c" >/dev/null || fail "docker stop failed" || return 1
	t1=$(now_ms)
	code=$(docker inspect -f '{{.State.ExitCode}}' "$c")
	docker start "$c" >/dev/null || fail "docker start failed" || return 1
	wait_healthy "$c" 60 || fail "$1 not healthy again 60 s after docker start" || return 1
	case " $2 " in *" $code "*) ;; *) fail "$1 exited with $code (expected: $2)" || return 1 ;; esac
	[ $((t1 - t0)) -lt 3000 ] || fail "$1: stopping took $((t1 - t0)) ms" || return 1
	echo "$1: stopped in $((t1 - t0)) ms with status $code, healthy again after start"
}

# site_answers: the front page answers 200, once.
site_answers() {
	[ "$(https / -o /dev/null -w '%{http_code}' --max-time 2 2>/dev/null || true)" = 200 ]
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

# headers PATH [CURL ARG]...: the response's status line and headers, names
# in lower case (HTTP/2 sends them so, HTTP/1.1 servers need not), no CR.
headers() {
	https "$@" -o /dev/null -D - | tr -d '\r' | awk -F ': ' -v OFS=': ' 'NR > 1 { $1 = tolower($1) } { print }'
}

# Checks run under run.sh's set -e, and dash keeps it inside $(...): a grep
# that finds nothing must not end the check silently (|| true).
#
# security_headers PATH [CURL ARG]...: the answer carries each of nginx's
# security headers (services/nginx/security-headers.conf) exactly once with
# its value (a Content-Security-Policy of the application's own may come in
# addition), a Server header without a version, no X-Powered-By; prints
# "PATH STATUS".
security_headers() {
	h=$(headers "$@") || fail "$1: curl failed" || return 1
	for want in 'strict-transport-security: max-age=31536000' 'x-content-type-options: nosniff' \
		'x-frame-options: SAMEORIGIN' 'referrer-policy: strict-origin-when-cross-origin'; do
		got=$(echo "$h" | grep "^${want%%:*}: " || true)
		[ "$got" = "$want" ] || fail "$1: '$want' expected once, got '$got'" || return 1
	done
	echo "$h" | grep -q "^content-security-policy: frame-ancestors 'self'; base-uri 'self'; object-src 'none'$" ||
		fail "$1: no Content-Security-Policy with frame-ancestors 'self': $(echo "$h" | grep '^content-security')" || return 1
	pp=$(echo "$h" | grep '^permissions-policy: ' || true)
	for f in 'camera=()' 'microphone=()' 'geolocation=()'; do
		case $pp in *"$f"*) ;; *) fail "$1: Permissions-Policy without $f: '$pp'" || return 1 ;; esac
	done
	server=$(echo "$h" | grep '^server: ' || true)
	[ "$server" = 'server: nginx' ] || fail "$1: '$server' (expected 'server: nginx', no version)" || return 1
	pw=$(echo "$h" | grep '^x-powered-by: ' || true)
	[ -z "$pw" ] || fail "$1: '$pw'" || return 1
	echo "$1 $(echo "$h" | sed -n '1s/^HTTP[^ ]* \([0-9]*\).*/\1/p')"
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
