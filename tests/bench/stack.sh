#!/bin/sh
# The stack benchmark (`make bench-stack`): the whole bonus stack (8 services) on
# a throwaway project of its own (tests/e2e/teststack.sh), measured from outside:
#   cold build        compose build --no-cache of every image (base image cached)
#   make bonus        to all healthy, images cached: first run, then on existing data
#   compose stop      the whole stack, median of 5 on each init, runs alternating,
#                     every exit code; then
#                     each container alone (docker stop), median of 3
#   HTTPS req/s       wrk on a static file and on the WordPress home page:
#                     from nginx's page cache, with the cache bypassed (PHP
#                     renders it), and logged in; then the time a newly
#                     published post takes to be on the cached home page
#   idle memory       each container (docker stats) and PID 1's own share (Pss)
#   versus init:true  the same stack and data on Docker's init (tini) instead of
#                     initd (tests/bench/tini.yml): its stop times (whole stack and
#                     each container), its memory and PID 1's Pss
# usage: sh tests/bench/stack.sh
#   BENCH_COLD=0        skip the cold build (said so in the table)
#   BENCH_WRK_SECONDS   per wrk run (default 20)
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
COLD=${BENCH_COLD:-1}
WRK_SECONDS=${BENCH_WRK_SECONDS:-20}
RUNS=5

if ! docker info >/dev/null 2>&1; then
	echo "bench-stack: SKIPPED (no Docker engine answers)"
	exit 0
fi
for tool in curl wrk make awk; do
	command -v "$tool" >/dev/null || { echo "bench-stack: $tool is needed (apt-get install $tool)" >&2; exit 1; }
done

BENCH_WHO=bench-stack BENCH_OTHER="init: true"
# shellcheck source=tests/bench/stacklib.sh
. "$ROOT/tests/bench/stacklib.sh"
bench_stack bench 19443 13021

# dct ARG...: compose with the init: true override on top.
dct() { dc -f "$ROOT/tests/bench/tini.yml" "$@"; }

echo "bench-stack: project $PROJECT, port $PORT, data $DATA ($COMPOSE, $(docker version -f '{{.Server.Version}}'))"
echo "bench-stack: $(nproc) cores, load before: $(cut -d ' ' -f 1-3 /proc/loadavg)"

# ---- builds and starts ------------------------------------------------------
# `make env secrets certs data-dirs shared-images` first, so that the build is
# timed alone.
stack env secrets certs data-dirs shared-images >"$TMP/prep.log" 2>&1 || { cat "$TMP/prep.log"; exit 1; }
if [ "$COLD" = 1 ]; then
	t0=$(now_ms)
	dc build --no-cache >"$TMP/build.log" 2>&1 || { tail -n 40 "$TMP/build.log"; exit 1; }
	result "cold build, 8 images (--no-cache, debian:bookworm cached)" "$(secs $(($(now_ms) - t0)))"
	# The classic builder (docker-compose 1.29's) does not take the layers of a
	# --no-cache build as cache for the next one (moby/moby#9880): the first
	# `make bonus` after it would run every apt step again. One plain build
	# leaves the cache as a user's first `make` does.
	dc build >"$TMP/build.log" 2>&1 || { tail -n 40 "$TMP/build.log"; exit 1; }
else
	result "cold build, 8 images" "SKIPPED (BENCH_COLD=0)"
fi

t0=$(now_ms)
stack bonus >"$TMP/up.log" 2>&1 || { tail -n 40 "$TMP/up.log"; exit 1; }
up_ms=$(($(now_ms) - t0))
# "Images cached" is checked, not assumed: the classic builder says which steps
# it ran again ("Running in") instead of taking them from its cache.
rerun=$(grep -c '^ ---> Running in' "$TMP/up.log" || true)
echo "   make bonus: $rerun build steps not taken from the cache" >&2
grep -B 1 '^ ---> Running in' "$TMP/up.log" | grep '^Step' | sed 's/^/   not cached: /' >&2 || true
result "make bonus to all healthy, images cached, first run (empty data)" \
	"$(secs "$up_ms")$([ "$rerun" = 0 ] || echo " (the build ran $rerun steps again)")"

# ---- throughput ---------------------------------------------------------------
# wrk_rps PATH [WRK ARG]...: requests/s of 32 connections for WRK_SECONDS, and
# what went wrong (wrk's own report goes to stderr); the req/s alone also in
# $TMP/rps.
wrk_rps() {
	p=$1
	shift
	code=$(https "$p" -o /dev/null -w '%{http_code}' "$@")
	[ "$code" = 200 ] || { echo "answers $code"; return; }
	wrk_site "$WRK_SECONDS" "$p" "$TMP/wrk.out" "$@"
	sed 's/^/   wrk: /' "$TMP/wrk.out" >&2
	# shellcheck disable=SC2046 # five words: requests req/s p99 non-2xx socket-errors
	set -- $(wrk_figures "$TMP/wrk.out")
	echo "$2" >"$TMP/rps"
	awk -v r="$2" -v p="$3" -v e="$(($4 + $5))" 'BEGIN { printf "%.0f req/s, p99 %s, %d errors\n", r, p, e }'
}
# wrk_page LABEL PATH CACHE-STATUS [WRK ARG]...: wrk_rps, and the page
# cache's verdict on a request just before and just after, which must be
# CACHE-STATUS: a row says what it measured. The req/s go to $TMP/rps-LABEL.
wrk_page() {
	label=$1 path=$2 want=$3
	shift 3
	hdr=
	[ "$#" = 0 ] || hdr=$2
	before=$(https "$path" -o /dev/null -D - ${hdr:+-H "$hdr"} | tr -d '\r' | sed -n 's/^[Xx]-[Cc]ache-[Ss]tatus: //p')
	figures=$(wrk_rps "$path" "$@")
	after=$(https "$path" -o /dev/null -D - ${hdr:+-H "$hdr"} | tr -d '\r' | sed -n 's/^[Xx]-[Cc]ache-[Ss]tatus: //p')
	cp "$TMP/rps" "$TMP/rps-$label"
	if [ "$before $after" = "$want $want" ]; then
		echo "$figures"
	else
		echo "$figures; NOT $want: X-Cache-Status ${before:-none} before, ${after:-none} after"
	fi
}
# ratio_of RPS-LABEL RPS-LABEL: "N.Nx" the first's req/s over the second's.
ratio_of() { awk -v a="$(cat "$TMP/rps-$1")" -v b="$(cat "$TMP/rps-$2")" 'BEGIN { if (b > 0) printf "%.1fx", a / b }'; }
sleep 5
result "HTTPS, static file (/wp-includes/css/dashicons.min.css, 56 KB), 32 connections" \
	"$(wrk_rps /wp-includes/css/dashicons.min.css)"

# The home page three ways, in one run: from the page cache; rendered by PHP
# each time (a query string WordPress ignores bypasses nginx's cache: the
# same page, the same work as before the cache existed); and for a logged-in
# author (her session cookie, as a browser sends it on /: never cached).
https / -o /dev/null
cached=$(wrk_page cached / HIT)
uncached=$(wrk_page uncached '/?bench=uncached' BYPASS)
jar=$TMP/bench-cookies
login "$WP_USER" "$(secret wp_user_password)" "$jar" >/dev/null
loggedin=$(wrk_page loggedin / BYPASS -H "Cookie: $(cookie_header "$jar")")
result "HTTPS, WordPress home page, anonymous, from the page cache (HIT), 32 connections" \
	"$cached; $(ratio_of cached uncached) the uncached req/s"
result "HTTPS, WordPress home page, page cache bypassed (/?bench=uncached: PHP + redis object cache), 32 connections" "$uncached"
result "HTTPS, WordPress home page, logged in (author's session cookie: PHP, never cached), 32 connections" \
	"$loggedin; $(ratio_of loggedin uncached) the uncached req/s"

# A post published (WordPress's wp_insert_post, through docker exec) while
# 32 connections load the cached home page: from the start of the publish to
# the first anonymous answer of / that shows it, polled every 50 ms; 5 posts,
# the median and the worst. The publish's own time (docker exec, PHP, the
# database) is part of it, and said apart.
publish_to_visible() {
	wrk_site 30 / "$TMP/wrk-publish.out" &
	wrk_pid=$!
	sleep 3
	: >"$TMP/visible"
	: >"$TMP/publish"
	for i in 1 2 3 4 5; do
		title="Bench post $$ $i $(date +%s%N)"
		t0=$(now_ms)
		docker exec -i -u www-data "$(cid wordpress)" php -- publish "$title" \
			<"$ROOT/tests/e2e/cache-content.php" >/dev/null || { echo "publish failed"; break; }
		t1=$(now_ms)
		until https / 2>/dev/null | grep -qF "$title"; do
			[ $(($(now_ms) - t0)) -lt 30000 ] || { echo "not visible 30 s after publish $i"; break 2; }
			sleep 0.05
		done
		t2=$(now_ms)
		echo $((t2 - t0)) >>"$TMP/visible"
		echo $((t1 - t0)) >>"$TMP/publish"
		sleep 3
	done
	wait "$wrk_pid" || true
	echo "   publish to visible (ms): $(tr '\n' ' ' <"$TMP/visible")(publish alone: $(tr '\n' ' ' <"$TMP/publish"))" >&2
	[ "$(wc -l <"$TMP/visible")" = 5 ] || return 0
	echo "median $(median <"$TMP/visible") ms, worst $(sort -n "$TMP/visible" | tail -n 1) ms (of which the publish itself: median $(median <"$TMP/publish") ms)"
}
result "newly published post on the cached home page, under 32 connections on it, 5 posts" "$(publish_to_visible)"

# ---- idle memory --------------------------------------------------------------
# pss_kb CONTAINER: PID 1's proportional set size (its own share of memory).
pss_kb() { docker exec "$1" awk '/^Pss:/ { print $2 }' /proc/1/smaps_rollup; }
# memory LABEL: one row per container, after a quiet period.
memory() {
	sleep 15
	for s in $(dc config --services); do
		id=$(cid "$s")
		use=$(docker stats --no-stream --format '{{.MemUsage}}' "$id" | awk '{ print $1 }')
		p=$(pss_kb "$id")
		echo "   $1 $s: $use, PID 1 Pss $p kB"
		printf '%s\t%s\t%s\n' "$s" "$use" "$p" >>"$TMP/mem-$1"
	done
}
# ---- stop -----------------------------------------------------------------------
# The stop of the whole stack is timed RUNS times on each init, the runs
# alternating (initd, tini, initd, ...): every run starts from containers just
# created on the same data, healthy and idle, so that neither init is measured
# on a warmer stack or a busier machine than the other (a first version timed
# all of initd's runs right after the load test, then tini's).
# up_as COMPOSE-FUNCTION: (re)create the stack on that init and wait until healthy.
up_as() {
	{ "$1" up -d && stack wait BONUS=1; } >"$TMP/up-as.log" 2>&1 || { tail -n 40 "$TMP/up-as.log" >&2; return 1; }
}
# stop_once COMPOSE-FUNCTION LABEL: one timed stop; the time goes to
# $TMP/stops-LABEL, the exit codes to $TMP/codes-LABEL.
stop_once() {
	sleep 5
	t0=$(now_ms)
	"$1" stop >/dev/null 2>&1
	echo $(($(now_ms) - t0)) >>"$TMP/stops-$2"
	for s in $(dc config --services); do
		echo "$s=$(docker inspect -f '{{.State.ExitCode}}' "$(cid "$s")")" >>"$TMP/codes-$2"
	done
}
codes() { sort -u "$TMP/codes-$1" | tr '\n' ' ' | sed 's/ $//'; }

# stop_each LABEL: each container alone, `docker stop` timed 3 times (median),
# so that one service's stop is not hidden in compose's ordered stop of all.
# Leaves "service ms exit-code" lines in $TMP/each-LABEL.
stop_each() {
	: >"$TMP/each-$1"
	for s in $(dc config --services); do
		id=$(cid "$s")
		: >"$TMP/one"
		for i in 1 2 3; do
			t0=$(now_ms)
			docker stop "$id" >/dev/null
			echo $(($(now_ms) - t0)) >>"$TMP/one"
			code=$(docker inspect -f '{{.State.ExitCode}}' "$id")
			docker start "$id" >/dev/null
			stack wait BONUS=1 >/dev/null 2>&1 || { echo "$s not healthy again after docker stop ($i)" >&2; return 1; }
		done
		echo "   $1 docker stop $s (ms): $(tr '\n' ' ' <"$TMP/one")exit $code" >&2
		echo "$s $(median <"$TMP/one") $code" >>"$TMP/each-$1"
	done
}

t0=$(now_ms)
stack down >/dev/null 2>&1
stack bonus >"$TMP/up2.log" 2>&1 || { tail -n 40 "$TMP/up2.log"; exit 1; }
result "make bonus to all healthy, images cached, existing data (after make down)" "$(secs $(($(now_ms) - t0)))"

# Idle memory on fresh containers and existing data, on both inits (not after
# the load above, which grows php-fpm and redis).
: >"$TMP/mem-initd"
: >"$TMP/mem-tini"
memory initd

: >"$TMP/stops-initd"
: >"$TMP/stops-tini"
: >"$TMP/codes-initd"
: >"$TMP/codes-tini"
for run in $(seq "$RUNS"); do
	[ "$run" = 1 ] || up_as dc
	stop_once dc initd
	up_as dct
	if [ "$run" = 1 ]; then
		init1=$(docker exec "$(cid nginx)" readlink /proc/1/exe)
		memory tini
	fi
	stop_once dct tini
done
echo "   compose stop (ms), initd: $(tr '\n' ' ' <"$TMP/stops-initd")" >&2
echo "   compose stop (ms), init: true: $(tr '\n' ' ' <"$TMP/stops-tini")" >&2
stop_initd=$(median <"$TMP/stops-initd")
stop_tini=$(median <"$TMP/stops-tini")

up_as dct
stop_each tini
up_as dc
stop_each initd
dc down >/dev/null 2>&1

ratio=$(awk -v a="$stop_initd" -v b="$stop_tini" 'BEGIN { printf "%.2fx", a / b }')
result "compose stop, whole stack, median of $RUNS, runs alternating (exit codes)" "$stop_initd ms ($(codes initd))" \
	"$stop_tini ms ($(codes tini))" "$ratio"

while read -r s ms code; do
	tms=$(awk -v s="$s" '$1 == s { print $2 }' "$TMP/each-tini")
	tcode=$(awk -v s="$s" '$1 == s { print $3 }' "$TMP/each-tini")
	result "docker stop $s alone, median of 3 (exit code)" "$ms ms ($code)" "$tms ms ($tcode)" \
		"$(awk -v a="$ms" -v b="$tms" 'BEGIN { if (b > 0) printf "%.2fx", a / b }')"
done <"$TMP/each-initd"

while IFS="$(printf '\t')" read -r s use p; do
	tp=$(awk -v s="$s" -F '\t' '$1 == s { print $3 }' "$TMP/mem-tini")
	tu=$(awk -v s="$s" -F '\t' '$1 == s { print $2 }' "$TMP/mem-tini")
	result "idle memory: $s (container; PID 1's Pss)" "$use; initd $p kB" "$tu; tini $tp kB" \
		"$(awk -v a="$p" -v b="$tp" 'BEGIN { if (b > 0) printf "%.2fx", a / b }')"
done <"$TMP/mem-initd"

{
	echo "Stack benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, Docker $(docker version -f '{{.Server.Version}}'), $COMPOSE; init: true runs $init1"
	awk -F '\t' -v head="$(printf 'what\tinitd\tinit: true (tini)\tinitd / tini')" -f "$ROOT/tests/table.awk" "$results"
} >"$TMP/table"
echo
cat "$TMP/table"

# shellcheck source=tests/results.sh
. "$ROOT/tests/results.sh"
write_results bench-stack "$ROOT/docs/results/stack-bench.md" "\`make bench-stack\`: the stack on initd and on \`init: true\`" "$TMP/table" \
	"Written by \`tests/bench/stack.sh\` (\`make bench-stack\`) at the end of each run, replacing the last; [Stack benchmark](../stack.md#stack-benchmark) says what is measured and what the figures mean." \
	"Commit $(results_commit "$ROOT"); wrk ${WRK_SECONDS} s per run."
