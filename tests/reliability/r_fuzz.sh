#!/bin/sh
# libFuzzer (ASan + UBSan) over every parser of outside input: one row per target.
# usage: r_fuzz.sh FAST|FULL   (FUZZ_SECONDS per target: 10 in FAST, 60 in FULL)
set -eu

mode=${1:-FAST}
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
case $mode in FULL) default_seconds=60 ;; *) default_seconds=10 ;; esac
seconds=${FUZZ_SECONDS:-$default_seconds}
jobs=$(nproc 2>/dev/null || echo 1)
out=$ROOT/build/fuzz
tab=$(printf '\t')

row() { printf 'ROW\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4"; }

what() {
	case $1 in
	options) echo "argv + INITD_* environment -> config; invariants: valid config, deterministic, message fits" ;;
	duration) echo "durations; parse -> format -> parse round trip, 0..24h" ;;
	signame) echo "signal names, --rewrite FROM:TO, INITD_REWRITE lists, --stop-signal; name round trip" ;;
	capnames) echo "--caps lists; mask -> libcap names -> same mask" ;;
	userspec) echo "--user USER[:GROUP] split; parts join back, fit buffers" ;;
	accounts) echo "/etc/passwd + /etc/group reader on unterminated bytes; lookups, memberships" ;;
	status) echo "status file: status_parse + statusfile_read (memfd); parse -> format -> parse" ;;
	notify) echo "sd_notify datagrams: notify_parse on unterminated bytes; messages heard by the state machine" ;;
	*) echo "$1" ;;
	esac
}

if ! ls "$out"/fuzz_* >/dev/null 2>&1; then
	row fuzz "libFuzzer harnesses" "not built ($out/fuzz_* missing: make fuzz-build needs clang)" FAILED
	exit 1
fi

# One target: its figures go to $out/run/TARGET.result as "rc<TAB>row fields".
fuzz_one() {
	t=$1
	bin=$out/fuzz_$t
	seeds=$ROOT/tests/fuzz/corpus/$t
	corpus=$out/run/$t/corpus
	artifacts=$out/run/$t/artifacts
	rm -rf "$out/run/$t"
	mkdir -p "$corpus" "$artifacts"
	set -- -max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$artifacts/"
	[ -f "$ROOT/tests/fuzz/$t.dict" ] && set -- "$@" -dict="$ROOT/tests/fuzz/$t.dict"
	rc=0
	# The new inputs go to the first directory; the committed seeds stay as they are.
	timeout $((seconds + 120)) "$bin" "$@" "$corpus" "$seeds" >"$out/run/$t.log" 2>&1 || rc=$?
	stat() { sed -n "s/^stat::$1: *//p" "$out/run/$t.log" | tail -n 1; }
	execs=$(stat number_of_executed_units)
	rate=$(stat average_exec_per_sec)
	nseeds=$(find "$seeds" -type f | wc -l)
	ncorpus=$(find "$corpus" "$seeds" -type f | wc -l)
	if [ "$rc" -eq 0 ] && [ -n "$execs" ]; then
		printf '%s\t%s\n' held "$execs execs, $rate/s, ${seconds}s; corpus $nseeds seeds -> $ncorpus" >"$out/run/$t.result"
	else
		crash=$(find "$artifacts" -type f | head -n 1)
		why=$(grep -m 1 -E 'ERROR: |invariant failed|runtime error' "$out/run/$t.log" | cut -c 1-100 || true)
		printf '%s\t%s\n' FAILED "exit $rc: ${why:-see $out/run/$t.log}; input ${crash:-none saved}" >"$out/run/$t.result"
	fi
}

targets=$(cd "$out" && for b in fuzz_*; do [ -x "$b" ] && echo "${b#fuzz_}"; done)
echo "fuzz: $(echo "$targets" | wc -w) targets, ${seconds}s each, $jobs at a time"
running=0
for t in $targets; do
	fuzz_one "$t" &
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		wait
		running=0
	fi
done
wait

failed=0
for t in $targets; do
	if [ ! -f "$out/run/$t.result" ]; then
		row fuzz "fuzz_$t: $(what "$t")" "no result (see $out/run/$t.log)" FAILED
		failed=1
		continue
	fi
	verdict=$(cut -f 1 "$out/run/$t.result")
	figures=$(cut -f 2- "$out/run/$t.result" | tr "$tab" ' ')
	row fuzz "fuzz_$t: $(what "$t")" "$figures" "$verdict"
	if [ "$verdict" != held ]; then
		failed=1
		tail -n 30 "$out/run/$t.log" | sed "s/^/fuzz_$t: /"
	fi
done
exit "$failed"
