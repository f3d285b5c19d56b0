#!/bin/bash
# Chaos: the service killed with SIGKILL again and again, at random moments, with
# initd as PID 1 of its own PID namespace. What must hold: initd never dies,
# leaves no zombie, never starts anything after a stop request, and waits
# exactly min*2^(k-1) (capped at max; k back to 1 after a run of --stable)
# before restart k, by its own log and by the clock.
# usage: r_chaos.sh FAST|FULL  (30 / 200 crashes in a row, and 5 / 20 runs of
# each single-crash case: during --pre, during the grace period, stop in backoff)
set -u

mode=${1:-FAST}
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
BIN=$ROOT/build/initd
case $mode in
FULL) crashes=${CHAOS_CRASHES:-200} runs=${CHAOS_RUNS:-20} ;;
*) crashes=${CHAOS_CRASHES:-30} runs=${CHAOS_RUNS:-5} ;;
esac
MIN=10 MAX=160 STABLE=400 # ms: small, so that 200 crashes fit in a couple of minutes
T=$(mktemp -d)
chmod 755 "$T"
trap '[ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT

row() { printf 'ROW\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4"; }
failed=0
echo "chaos ($mode): $crashes crashes in a row, $runs runs per single-crash case, work in $T"

if [ ! -x "$BIN" ]; then
	row chaos "SIGKILL storms on the service" "$BIN missing (make initd)" FAILED
	exit 1
fi
if [ "$(id -u)" != 0 ] || ! unshare --pid --fork --mount-proc true 2>/dev/null; then
	row chaos "SIGKILL storms on the service" "SKIPPED: needs root and unshare --pid (PID namespaces)" SKIPPED
	exit 0
fi

now_us() { local t=${EPOCHREALTIME/./}; echo "$((10#$t))"; }
children() { local c=""; read -r c 2>/dev/null <"/proc/$1/task/$1/children"; echo "$c"; }
alive() { [ -d "/proc/$1" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }
pause_ms() { sleep "$(printf '0.%03d' "$1")"; }

# start_initd DIR ARGS...: initd as PID 1 in the background; sets bg and initd_pid.
start_initd() {
	local dir=$1
	shift
	mkdir -p "$dir"
	timeout -k 5 300 unshare --kill-child --pid --fork --mount-proc "$BIN" --status-file="$dir/status" "$@" \
		>"$dir/out" 2>"$dir/err" </dev/null &
	bg=$!
	initd_pid=
	for _ in $(seq 500); do
		local u
		u=$(pgrep -P "$bg" | head -n 1)
		[ -n "$u" ] && initd_pid=$(pgrep -P "$u" | head -n 1)
		[ -n "$initd_pid" ] && return 0
		sleep 0.01
	done
	return 1
}

# new_child OLD-PIDS: wait (at most 5 s) for a child of initd not in OLD-PIDS
# that leads its own process group, as initd's service does. A worker left by a
# killed service is reparented to initd too, but stays in the old service's
# group: it must not be taken for the next start (a service killed before it
# forked hides its worker from the caller's list of workers).
new_child() {
	local deadline=$(($(now_us) + 5000000)) c
	while [ "$(now_us)" -lt "$deadline" ]; do
		for c in $(children "$initd_pid"); do
			case " $1 " in *" $c "*) continue ;; esac
			[ "$(awk '{print $5}' "/proc/$c/stat" 2>/dev/null)" = "$c" ] && echo "$c" && return 0
		done
		alive "$initd_pid" || return 1
	done
	return 1
}

# Zombies: a child of initd that stays in state Z for 300 ms is one initd forgot.
declare -A zseen
zombie_check() {
	local c s t
	t=$(now_us)
	for c in $(children "$initd_pid"); do
		s=$(awk '{print $3}' "/proc/$c/stat" 2>/dev/null)
		if [ "$s" = Z ]; then
			if [ -z "${zseen[$c]:-}" ]; then
				zseen[$c]=$t
			elif [ $((t - zseen[$c])) -gt 300000 ]; then
				zombies="$zombies $c"
			fi
		else
			unset "zseen[$c]"
		fi
	done
}

to_ms() { # duration_format's spelling back to ms
	case $1 in
	*ms) echo "${1%ms}" ;;
	*s) echo "$((${1%s} * 1000))" ;;
	*m) echo "$((${1%m} * 60000))" ;;
	esac
}

# ---- 1. crashes in a row --------------------------------------------------
D=$T/storm
# The service leaves a worker in its process group that ignores SIGTERM, so a
# crash leaves something behind for the backoff period (killed by us, or by initd
# before the next start).
start_initd "$D" -v --backoff-min=${MIN}ms --backoff-max=${MAX}ms --stable=${STABLE}ms --grace=2s \
	-- bash -c '(trap "" TERM; exec sleep 300) & exec sleep 300' || {
	row chaos "$crashes SIGKILLs of the service in a row" "initd did not start" FAILED
	exit 1
}
zombies="" died="" known="" kinds_now=0 kinds_mid=0 kinds_stable=0 worker_kills=0
declare -a kill_us seen_us
for k in $(seq 1 $((crashes + 1))); do
	svc=$(new_child "$known") || { died="no service start $k"; break; }
	seen_us[k]=$(now_us)
	[ "$k" -gt "$crashes" ] && break
	known="$known $svc"
	# When: at once (often before exec), within --stable, or past it (every
	# tenth crash, so that even a short run sees the series reset).
	r=$((RANDOM % 100))
	if [ $((k % 10)) -eq 5 ]; then
		r=99
	fi
	if [ "$r" -lt 25 ]; then
		kinds_now=$((kinds_now + 1))
	elif [ "$r" -lt 95 ]; then
		kinds_mid=$((kinds_mid + 1))
		pause_ms $((RANDOM % 250))
	else
		kinds_stable=$((kinds_stable + 1))
		pause_ms $((STABLE + 50 + RANDOM % 150))
	fi
	workers=$(children "$svc")
	kill_us[k]=$(now_us)
	kill -KILL "$svc" 2>/dev/null
	# Half the time, the worker it left dies too, at a random moment of the backoff.
	if [ -n "$workers" ] && [ $((RANDOM % 2)) -eq 0 ]; then
		pause_ms $((RANDOM % MAX))
		# shellcheck disable=SC2086 # a list of pids
		kill -KILL $workers 2>/dev/null && worker_kills=$((worker_kills + 1))
	fi
	known="$known $workers"
	zombie_check
	alive "$initd_pid" || { died="initd gone after crash $k"; break; }
done
starts_before_stop=$(grep -c '^initd: started service' "$D/err")
kill -TERM "$initd_pid"
rc=0
wait "$bg" || rc=$?
sleep 0.3
starts_after_stop=$(grep -c '^initd: started service' "$D/err")

# The log's restart lines: "service killed by signal 9 (SIGKILL) after RAN; restart K in Dms".
problems="" f=0 k=0 late_max=0 late_sum=0 resets=0
while read -r ran n delay; do
	k=$((k + 1))
	ran_ms=$(to_ms "$ran")
	if [ "$ran_ms" -ge "$STABLE" ]; then
		f=1
		resets=$((resets + 1))
	else
		f=$((f + 1))
	fi
	want=$MIN
	for _ in $(seq 2 "$f"); do want=$((want * 2 > MAX ? MAX : want * 2)); done
	[ "$n" = "$k" ] || problems="$problems restart $k numbered $n;"
	[ "${delay%ms}" = "$want" ] || problems="$problems restart $k after ${ran}: ${delay}, spec ${want}ms;"
	# By the clock: from our kill to the next start, at least the delay.
	if [ -n "${kill_us[k]:-}" ] && [ -n "${seen_us[k + 1]:-}" ]; then
		gap=$(((seen_us[k + 1] - kill_us[k]) / 1000))
		[ "$gap" -ge "$want" ] || problems="$problems restart $k came ${gap}ms after the kill, before its ${want}ms;"
		late=$((gap - want))
		late_sum=$((late_sum + late))
		[ "$late" -gt "$late_max" ] && late_max=$late
	fi
done < <(sed -n 's/^initd: service killed by signal 9 (SIGKILL) after \([0-9]*m*s\); restart \([0-9]*\) in \([0-9]*ms\)$/\1 \2 \3/p' "$D/err")
others=$(grep -c 'restart [0-9]* in' "$D/err")
[ -z "$died" ] || problems="$problems $died;"
[ -z "$zombies" ] || problems="$problems zombies:$zombies;"
[ "$k" = "$crashes" ] || problems="$problems $k SIGKILL restart lines for $crashes crashes;"
[ "$others" = "$k" ] || problems="$problems $others restart lines in all, $k for SIGKILL;"
[ "$rc" = 143 ] || problems="$problems exit $rc after the stop (expected 143);"
[ "$starts_after_stop" = "$starts_before_stop" ] || problems="$problems started again after the stop request;"
grep -q 'status=' "$D/status" 2>/dev/null || true
restarts_file=$(sed -n 's/^restarts=//p' "$D/status" 2>/dev/null)
[ "$restarts_file" = "$crashes" ] || problems="$problems status file restarts=$restarts_file;"
what="$crashes SIGKILLs of the service in a row (backoff ${MIN}-${MAX}ms, stable ${STABLE}ms), worker left in backoff, then TERM"
if [ -z "$problems" ]; then
	row chaos "$what" "initd alive throughout, 0 zombies; $k restart delays = spec ($resets resets after --stable); kills: $kinds_now at once, $kinds_mid within stable, $kinds_stable past it, $worker_kills workers in backoff; lateness avg $((late_sum / (k > 0 ? k : 1)))ms max ${late_max}ms; exit 143, no start after stop" held
else
	row chaos "$what" "${problems# }" FAILED
	failed=1
	tail -n 20 "$D/err"
fi

# ---- 2. SIGKILL of a --pre program ---------------------------------------
printf '#!/bin/sh\nexec sleep 30\n' >"$T/pre.sh"
chmod 755 "$T/pre.sh"
problems=""
for i in $(seq "$runs"); do
	D=$T/pre$i
	start_initd "$D" --pre="$T/pre.sh" -- bash -c "echo ran > $D/ran" || { problems="$problems run $i: initd did not start;"; continue; }
	pre=$(new_child "") || { problems="$problems run $i: no pre program;"; continue; }
	pause_ms $((RANDOM % 200))
	kill -KILL "$pre"
	rc=0
	wait "$bg" || rc=$?
	[ "$rc" = 137 ] || problems="$problems run $i: exit $rc;"
	[ ! -e "$D/ran" ] || problems="$problems run $i: the service started;"
	! grep -q 'restart [0-9]* in' "$D/err" || problems="$problems run $i: a restart;"
done
if [ -z "$problems" ]; then
	row chaos "SIGKILL of a --pre program at a random moment, $runs runs" "$runs/$runs: initd exits 137 at once, service never started, no restart" held
else
	row chaos "SIGKILL of a --pre program at a random moment, $runs runs" "${problems# }" FAILED
	failed=1
fi

# ---- 3. SIGKILL during the grace period ----------------------------------
problems="" slow=0
for i in $(seq "$runs"); do
	D=$T/grace$i
	start_initd "$D" -v --grace=3s --backoff-min=10ms -- bash -c "trap '' TERM; echo up > $D/up; exec sleep 300" || { problems="$problems run $i: initd did not start;"; continue; }
	for _ in $(seq 200); do [ -s "$D/up" ] && break; sleep 0.02; done
	svc=$(children "$initd_pid")
	t0=$(now_us)
	kill -TERM "$initd_pid"
	pause_ms $((RANDOM % 300))
	# shellcheck disable=SC2086 # a pid, or nothing (which fails the case)
	kill -KILL $svc
	rc=0
	wait "$bg" || rc=$?
	ms=$((($(now_us) - t0) / 1000))
	[ "$ms" -gt "$slow" ] && slow=$ms
	[ "$rc" = 137 ] || problems="$problems run $i: exit $rc;"
	[ "$ms" -lt 2500 ] || problems="$problems run $i: exit took ${ms}ms (grace 3s);"
	[ "$(grep -c '^initd: started service' "$D/err")" = 1 ] || problems="$problems run $i: started again after the stop;"
done
if [ -z "$problems" ]; then
	row chaos "TERM ignored, then SIGKILL of the service during --grace=3s, $runs runs" "$runs/$runs: exit 137 at once (slowest ${slow}ms), no start after the stop request" held
else
	row chaos "TERM ignored, then SIGKILL of the service during --grace=3s, $runs runs" "${problems# }" FAILED
	failed=1
fi

# ---- 4. stop request during the backoff ----------------------------------
problems="" slow=0
for i in $(seq "$runs"); do
	D=$T/backoff$i
	start_initd "$D" --backoff-min=2s -- bash -c "echo run >> $D/runs; exit 3" || { problems="$problems run $i: initd did not start;"; continue; }
	for _ in $(seq 200); do grep -qx 'state=backoff' "$D/status" 2>/dev/null && break; sleep 0.01; done
	pause_ms $((RANDOM % 500))
	t0=$(now_us)
	kill -TERM "$initd_pid"
	rc=0
	wait "$bg" || rc=$?
	ms=$((($(now_us) - t0) / 1000))
	[ "$ms" -gt "$slow" ] && slow=$ms
	[ "$rc" = 3 ] || problems="$problems run $i: exit $rc;"
	[ "$ms" -lt 1000 ] || problems="$problems run $i: exit took ${ms}ms;"
	[ "$(wc -l <"$D/runs")" = 1 ] || problems="$problems run $i: restarted after the stop;"
done
if [ -z "$problems" ]; then
	row chaos "TERM during a 2s backoff at a random moment, $runs runs" "$runs/$runs: exit 3 (the last status) within ${slow}ms, never restarted" held
else
	row chaos "TERM during a 2s backoff at a random moment, $runs runs" "${problems# }" FAILED
	failed=1
fi
exit "$failed"
