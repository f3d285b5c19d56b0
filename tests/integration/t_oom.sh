# OOM kills named: initd in a memory cgroup of its own with a 32 MiB limit
# (cgroup v1 here, as on these machines; v2's files are unit-tested on fixtures).
# shellcheck shell=sh disable=SC2016,SC2154
# (service scripts are single-quoted on purpose; rc, T, BIN and friends come from lib.sh and run.sh)

# memory_cgroup: make $T's cgroup with the limit, path in $cg; false when this
# machine has no writable v1 memory controller (the case is then skipped).
memory_cgroup() {
	own=$(sed -n 's/^[0-9]*:\([a-z,]*,\)\{0,1\}memory\(,[a-z,]*\)\{0,1\}:\(.*\)$/\3/p' /proc/self/cgroup)
	[ -n "$own" ] && [ -d "/sys/fs/cgroup/memory$own" ] || return 1
	cg=/sys/fs/cgroup/memory$own/initd-test-$$
	mkdir "$cg" 2>/dev/null || return 1
	echo 33554432 >"$cg/memory.limit_in_bytes" || return 1
	# Without a swap limit the kernel would swap rather than kill.
	[ ! -e "$cg/memory.memsw.limit_in_bytes" ] || echo 33554432 >"$cg/memory.memsw.limit_in_bytes"
}

# in_cgroup ARGS...: pid1 run inside $cg.
in_cgroup() {
	rc=0
	sh -c 'echo $$ > "$0/cgroup.procs"; shift; exec "$@"' "$cg" x \
		timeout 30 unshare --pid --fork --mount-proc "$BIN" --status-file="$T/status" "$@" \
		>"$T/out" 2>"$T/err" </dev/null || rc=$?
}

drop_cgroup() { rmdir "$cg" 2>/dev/null || true; }

test_service_killed_by_the_oom_killer_is_named() {
	memory_cgroup || skip "no writable cgroup v1 memory controller"
	in_cgroup -r never -- awk 'BEGIN { s = "x"; while (1) s = s s }'
	drop_cgroup
	expect "exit status" "$rc" 137
	contains "message" "$T/err" "service killed by the kernel's OOM killer (limit 32 MiB)"
	contains "reason" "$T/status" '^last_reason=oom$'
	contains "count" "$T/status" '^oom_kills=1$'
}

test_oom_kill_of_a_worker_is_logged_within_a_second() {
	memory_cgroup || skip "no writable cgroup v1 memory controller"
	in_cgroup -r never -- sh -c 'awk "BEGIN { s = \"x\"; while (1) s = s s }"; sleep 1.5; exit 3'
	drop_cgroup
	expect "exit status: the service's own" "$rc" 3
	contains "message" "$T/err" "the kernel's OOM killer killed 1 process of the service (limit 32 MiB)"
	contains "not the service" "$T/status" '^last_reason=exit$'
}
