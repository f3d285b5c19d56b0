#!/bin/sh
# The stack's idle cost and start-up (`make bench-idle`, and the end of `make
# bench-stack`): on a throwaway project of its own (tests/e2e/teststack.sh),
#   start-up   `make` / `make bonus` to every service ready by initd's verdict,
#              images cached, fresh (empty) data: median of 3
#   idle CPU   CPU time per minute of the whole machine (/proc/stat) with the
#              stack up and at rest, minus the same with it down, in the same
#              run; and the part of it that is Docker's and the containers'
#              (dockerd, containerd, the shims, every container's cgroup);
#              for the stack as it is and with the Docker healthchecks it had
#              before (every 2 s: tests/bench/healthcheck-2s*.yml)
# Another busy process on the machine shows in the whole-machine figure (seen
# here: the sandbox's own agent process and the kernel's DAMON thread, kdamond,
# up to 0.8 s a minute between them): the Docker-and-containers figure, also up
# minus down, is the stack's own.
# usage: sh tests/bench/idle.sh
#   BENCH_IDLE_SECONDS   per measurement (default 60)
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SECONDS_EACH=${BENCH_IDLE_SECONDS:-60}
SETTLE=20

if ! docker info >/dev/null 2>&1; then
	echo "bench-idle: SKIPPED (no Docker engine answers)"
	exit 0
fi
for tool in curl make awk; do
	command -v "$tool" >/dev/null || { echo "bench-idle: $tool is needed (apt-get install $tool)" >&2; exit 1; }
done

BENCH_WHO=bench-idle BENCH_OTHER=before
# shellcheck source=tests/bench/stacklib.sh
. "$ROOT/tests/bench/stacklib.sh"
bench_stack bench-idle 21443 15021

echo "bench-idle: project $PROJECT, port $PORT ($COMPOSE, Docker $(docker version -f '{{.Server.Version}}'))"
echo "bench-idle: $(nproc) cores, load before: $(cut -d ' ' -f 1-3 /proc/loadavg)"
stack env secrets certs data-dirs shared-images >"$TMP/prep.log" 2>&1 || { cat "$TMP/prep.log"; exit 1; }
dc build >"$TMP/build.log" 2>&1 || { tail -n 40 "$TMP/build.log"; exit 1; }

# fresh_data: the stack down and its data folders empty (files of container uids).
fresh_data() {
	stack down >/dev/null 2>&1
	docker run --rm --network none -v "$DATA:/data" debian:bookworm \
		rm -rf /data/wordpress /data/mariadb /data/backups >/dev/null 2>&1
	stack data-dirs >/dev/null
}

# ---- start-up ------------------------------------------------------------------
# startup TARGET: median of 3 `make TARGET` on fresh data, in ms.
startup() {
	: >"$TMP/starts"
	for _ in 1 2 3; do
		fresh_data
		t0=$(now_ms)
		stack "$1" >"$TMP/up.log" 2>&1 || { tail -n 40 "$TMP/up.log" >&2; exit 1; }
		echo $(($(now_ms) - t0)) >>"$TMP/starts"
	done
	echo "   make $1 (ms): $(tr '\n' ' ' <"$TMP/starts")" >&2
	median <"$TMP/starts"
}
result "make to every service ready, images cached, fresh data, median of 3" "$(secs "$(startup up)")" \
	"12-15 s (issue 15's measurement)"
result "make bonus to every service ready, images cached, fresh data, median of 3" "$(secs "$(startup bonus)")" \
	"15.3 s (docs/results/stack-bench.md, 2026-11-23)"

# ---- idle CPU ------------------------------------------------------------------
hz=$(getconf CLK_TCK)
# machine_ticks: busy clock ticks of the whole machine (user nice system irq softirq steal).
machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
# docker_ns: CPU nanoseconds of Docker's daemons, of the project's containers'
# shims and of every process in the project's containers, each process's own
# time plus that of the children it reaped: a docker exec's runc and probe are
# reaped by the shim, initd's checks by initd, so each is counted once. dockerd
# and containerd serve every project: another one's builds show here too.
docker_ns() {
	ids=$(docker ps -q --no-trunc --filter "label=com.docker.compose.project=$PROJECT")
	pids=$(pgrep -x dockerd; pgrep -x containerd)
	for id in $ids; do
		pids="$pids $(pgrep -f -- "containerd-shim.* -id $id")"
		for procs in "/sys/fs/cgroup/cpuacct/docker/$id/cgroup.procs" \
			"/sys/fs/cgroup/system.slice/docker-$id.scope/cgroup.procs"; do
			[ -r "$procs" ] && pids="$pids $(cat "$procs")"
		done
	done
	for pid in $pids; do
		# utime stime cutime cstime: fields 14-17, counted after the ") ".
		sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null
	done | awk -v hz="$hz" '{ s += $12 + $13 + $14 + $15 } END { printf "%.0f\n", s * 1e9 / hz }'
}
# measure LABEL: CPU seconds per minute, "machine docker", over SECONDS_EACH.
# Containers that start or stop inside the window would skew the cgroup sum:
# nothing does (the stack is at rest, SETTLE seconds after ready).
measure() {
	m0=$(machine_ticks) d0=$(docker_ns)
	sleep "$SECONDS_EACH"
	m1=$(machine_ticks) d1=$(docker_ns)
	awk -v m="$((m1 - m0))" -v d0="$d0" -v d1="$d1" -v hz="$hz" -v s="$SECONDS_EACH" \
		'BEGIN { printf "%.3f %.3f\n", m / hz * 60 / s, (d1 - d0) / 1e9 * 60 / s }' | tee -a "$TMP/m-$1"
}
# idle_as TARGET LABEL [OVERRIDE...]: the stack up (TARGET) with the override
# files, at rest, measured.
idle_as() {
	target=$1 label=$2
	shift 2
	stack down >/dev/null 2>&1
	if [ $# -gt 0 ]; then
		files="-f $ROOT/docker-compose.yml"
		[ "$target" = bonus ] && files="$files -f $ROOT/docker-compose.bonus.yml"
		for o in "$@"; do files="$files -f $ROOT/tests/bench/$o"; done
		# shellcheck disable=SC2086 # $files: -f FILE pairs
		dc_only() { INCEPTION_VERSION=$VERSION $COMPOSE --env-file "$ENV_FILE" -p "$PROJECT" $files "$@"; }
		dc_only up -d >"$TMP/up.log" 2>&1 || { tail -n 40 "$TMP/up.log" >&2; exit 1; }
		stack wait "BONUS=$([ "$target" = bonus ] && echo 1 || echo 0)" >>"$TMP/up.log" 2>&1 ||
			{ tail -n 40 "$TMP/up.log" >&2; exit 1; }
	else
		stack "$target" >"$TMP/up.log" 2>&1 || { tail -n 40 "$TMP/up.log" >&2; exit 1; }
	fi
	sleep "$SETTLE"
	echo "   $label: $(measure "$label")" >&2
}
idle_down() {
	stack down >/dev/null 2>&1
	sleep "$SETTLE"
	echo "   stack down: $(measure down)" >&2
}

: >"$TMP/m-down"
idle_down
idle_as up mandatory
idle_as up mandatory-before healthcheck-2s.yml
idle_as bonus bonus
idle_as bonus bonus-before healthcheck-2s.yml healthcheck-2s.bonus.yml
idle_down
stack down >/dev/null 2>&1

# The machine at rest without the stack: the mean of the two "down" windows,
# for both figures (dockerd and containerd tick on their own, too).
base=$(awk '{ m += $1; d += $2; n++ } END { printf "%.3f %.3f", m / n, d / n }' "$TMP/m-down")
# figure LABEL: "machine; Docker and containers" of one measurement, each minus base.
figure() {
	awk -v b="$base" 'BEGIN { split(b, z, " ") }
		{ printf "%.2f s/min (Docker and containers: %.2f)", $1 - z[1], $2 - z[2] }' "$TMP/m-$1"
}
ratio() {
	awk -v b="$base" 'BEGIN { split(b, z, " ") } NR == FNR { a = $2 - z[2]; next }
		{ if ($2 - z[2] > 0) printf "%.2fx", a / ($2 - z[2]) }' "$TMP/m-$1" "$TMP/m-$2"
}
result "idle CPU, mandatory stack at rest (whole machine up minus down; Docker's own part)" "$(figure mandatory)" \
	"$(figure mandatory-before)" "$(ratio mandatory mandatory-before)"
result "idle CPU, bonus stack at rest (whole machine up minus down; Docker's own part)" "$(figure bonus)" \
	"$(figure bonus-before)" "$(ratio bonus bonus-before)"
result "the machine without the stack (mean of two windows)" "$(awk -v b="$base" 'BEGIN { split(b, z, " "); printf "%.2f s/min (Docker: %.2f)", z[1], z[2] }')"

{
	echo "Idle and start-up benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, Docker $(docker version -f '{{.Server.Version}}'), $COMPOSE; ${SECONDS_EACH} s per window"
	awk -F '\t' -v head="$(printf 'what\tnow\tbefore (Docker healthchecks every 2 s)\tnow / before (Docker part)')" -f "$ROOT/tests/table.awk" "$results"
} >"$TMP/table"
echo
cat "$TMP/table"

# shellcheck source=tests/results.sh
. "$ROOT/tests/results.sh"
write_results bench-idle "$ROOT/docs/results/stack-idle.md" "\`make bench-idle\`: the stack at rest and its start-up" "$TMP/table" \
	"Written by \`tests/bench/idle.sh\` (\`make bench-idle\`, also run by \`make bench-stack\`) at the end of each run, replacing the last; [Health and idle cost](../stack.md#health-and-idle-cost) says what is measured." \
	"Commit $(results_commit "$ROOT")."
