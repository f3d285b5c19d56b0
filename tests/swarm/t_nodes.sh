#!/bin/sh
# t_nodes.sh: proves tests/swarm/nodes.sh gives a swarm that the stack can
# be deployed onto: 3 nodes, a registry in the swarm that the workers really
# pull from, tasks spread over every node, overlay traffic between nodes, a
# shared directory seen by all, and a killed worker's task rescheduled
# elsewhere (the time it takes is printed). Exits non-zero on any failure.
#
# Needs: the host images inception-base:$VERSION and registry:$VERSION
# (make builds them), curl on the host, GNU date. A few minutes at most.
# NODES_HEARTBEAT=1s (passed to nodes.sh up) measures a shorter swarm
# dispatcher heartbeat; T_NODES_RESTART_DELAY=0s the service's restart delay
# (Docker's default, 5s, is part of the time a lost task takes to come back).
#
# Measured on the 2-core build machine, busy with other stacks (7 runs,
# 2026-12-01): the whole test 36-54 s; up 3.4-6.1 s; loading inception-base and
# registry 3.1-10.4 s. A SIGKILLed worker is marked down 10.2-14.6 s later
# with the default 5 s heartbeat, 1.9-3.7 s with 1 s; its task runs again
# elsewhere 15.6-20.1 s / 7.2-9.5 s later, minus 5 s with a 0 s restart delay
# (11.7 s / 3.0-3.2 s). A 1 s heartbeat also takes a 4 s stall of a node
# for its death (its task moved); 5 s rode out a 9 s stall.
set -eu

VERSION=${VERSION:-0.1.0}
here=$(cd "$(dirname "$0")" && pwd)
nodes=$here/nodes.sh
# Our own name, so that parallel runs and other people's objects never meet.
NAME=tnodes$$
TIMEOUT=${T_NODES_TIMEOUT:-120}
SVC=spread
PORT=7000

log() { printf 't_nodes: %s\n' "$*" >&2; }
fail() {
	log "FAIL: $*"
	exit 1
}
now_ms() { date +%s%3N; }

shared=''
cleanup() {
	rc=$?
	trap - EXIT INT TERM
	"$nodes" down "$NAME" 2>/dev/null || log "nodes.sh down $NAME failed: remove by hand"
	# The file came from a root container: plain rm as the same root works.
	[ -z "$shared" ] || rm -rf "$shared"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

for img in "inception-base:$VERSION" "registry:$VERSION"; do
	docker image inspect "$img" >/dev/null 2>&1 ||
		fail "host image $img missing (build the stack's images first)"
done

shared=$(mktemp -d /tmp/t_nodes.XXXXXX)

# --- up ----------------------------------------------------------------
t0=$(now_ms)
out=$("$nodes" up "$NAME" 3 "$shared" /shared) || fail "nodes.sh up failed"
up_ms=$(($(now_ms) - t0))
eval "$out"
for v in NODES_MANAGER_HOST NODES_MANAGER_IP NODES_NAMES NODES_IPS NODES_REGISTRY; do
	eval "[ -n \"\${$v:-}\" ]" || fail "nodes.sh up printed no $v"
done
log "up: 3 nodes in $up_ms ms ($NODES_IPS)"
# shellcheck disable=SC2086 # the lists are space-separated on purpose
set -- $NODES_IPS
[ $# -eq 3 ] || fail "NODES_IPS has $# addresses, not 3"
ip1=$1 ip2=$2 ip3=$3

m() { docker -H "$NODES_MANAGER_HOST" "$@"; }
on() {
	h=$1
	shift
	docker -H "tcp://$h:2375" "$@"
}

# Bounded poll: wait_for SECONDS WHAT COMMAND... (COMMAND true = done).
wait_for() {
	secs=$1 what=$2
	shift 2
	n=0
	until "$@"; do
		n=$((n + 1))
		[ "$n" -lt $((secs * 4)) ] || fail "timeout (${secs}s) waiting for $what"
		sleep 0.25
	done
}

# --- images and the registry -------------------------------------------
lo=$("$nodes" load "$NAME" "inception-base:$VERSION" "registry:$VERSION") ||
	fail "nodes.sh load failed"
eval "$lo"
log "load: inception-base + registry in $NODES_LOAD_MS ms"

# Host-mode publishing on the manager only: the routing mesh needs IPVS,
# which this kernel lacks. --no-resolve-image: the image exists only on the
# manager, asking Docker Hub for its digest would just time out.
m service create -d --quiet --name registry --no-resolve-image \
	--constraint node.role==manager \
	--publish mode=host,target=5000,published=5000 "registry:$VERSION" >/dev/null ||
	fail "service create registry"
registry_up() { curl -sf -o /dev/null --max-time 2 "http://$NODES_REGISTRY/v2/"; }
wait_for 60 "the registry at $NODES_REGISTRY" registry_up

ref=$NODES_REGISTRY/inception-base:$VERSION
m tag "inception-base:$VERSION" "$ref"
m push "$ref" >/dev/null || fail "push $ref"
log "pushed $ref"

# --- a service spread over the nodes -----------------------------------
m network create -d overlay --attachable tnet >/dev/null || fail "network create tnet"
# dnsrr: VIP load balancing needs IPVS too. Each task answers a TCP
# connection with its node's name, so a connection proves which node it
# reached through the overlay.
# shellcheck disable=SC2016 # perl expands these, in the task
m service create -d --quiet --name "$SVC" --replicas 3 \
	--placement-pref spread=node.id --network tnet --endpoint-mode dnsrr \
	--hostname '{{.Node.Hostname}}' \
	--mount type=bind,src=/shared,dst=/shared --env "PORT=$PORT" \
	${T_NODES_RESTART_DELAY:+--restart-delay "$T_NODES_RESTART_DELAY"} \
	"$ref" perl -MIO::Socket::INET -e '
		my $s = IO::Socket::INET->new(LocalPort => $ENV{PORT}, Listen => 8, ReuseAddr => 1)
			or die "listen: $!";
		while (my $c = $s->accept) { print $c "$ENV{HOSTNAME}\n"; close $c }' \
	>/dev/null || fail "service create $SVC"

# "NODE STATE" of the tasks that should run, one a line.
tasks() {
	m service ps "$SVC" --filter desired-state=running \
		--format '{{.Node}} {{.CurrentState}}' 2>/dev/null
}
# True once 3 tasks run, on 3 different nodes, none on node $1 (if given).
spread_ok() {
	t=$(tasks) || return 1
	[ "$(printf '%s\n' "$t" | grep -c ' Running')" -eq 3 ] || return 1
	[ "$(printf '%s\n' "$t" | awk '{print $1}' | sort -u | wc -l)" -eq "${2:-3}" ] || return 1
	[ -z "${1:-}" ] || ! printf '%s\n' "$t" | grep -q "^$1 "
}
wait_for 90 "3 tasks of $SVC running on 3 nodes" spread_ok
log "tasks: $(tasks | awk '{print $1}' | sort | tr '\n' ' ')"

# The task container on node IP (any one).
task_on() { on "$1" ps -q --filter "label=com.docker.swarm.service.name=$SVC" | head -n 1; }
c1=$(task_on "$ip1") c2=$(task_on "$ip2") c3=$(task_on "$ip3")
if [ -z "$c1" ] || [ -z "$c2" ] || [ -z "$c3" ]; then
	fail "no task container on some node"
fi
# Each node's copy of the image came from the registry: a worker that had
# not pulled would have no task (the image exists nowhere else). Swarm pulls
# by digest, which leaves the repository with no tag: ask by repository.
for ip in "$ip2" "$ip3"; do
	[ -n "$(on "$ip" image ls -q "${ref%:*}")" ] || fail "worker $ip has no ${ref%:*} image"
done

# --- overlay connectivity ----------------------------------------------
# From node 1's task, the 3 addresses of tasks.$SVC, one connection to each:
# the names answered must be the 3 nodes, two of them across VXLAN.
# shellcheck disable=SC2016 # the task's bash expands these
probe=$(on "$ip1" exec -e "SVC=$SVC" "$c1" bash -c '
	addrs=$(getent ahostsv4 "tasks.$SVC" | awk "{print \$1}" | sort -u)
	for a in $addrs; do
		who=$(timeout 5 bash -c "exec 3<>/dev/tcp/$a/$PORT && head -n 1 <&3") ||
			who=unreachable
		echo "$a $who"
	done
	for i in /sys/class/net/eth*; do echo "mtu ${i##*/} $(cat "$i/mtu")"; done') || fail "probe from node 1's task failed"
log "overlay probe from $c1 on node 1:"
printf '%s\n' "$probe" | sed 's/^/  /' >&2
reached=$(printf '%s\n' "$probe" | awk '$2 ~ /^'"$NAME"'-[0-9]+$/ {print $2}' | sort -u | wc -l)
[ "$reached" -eq 3 ] || fail "overlay: reached $reached of 3 nodes' tasks"

# --- shared directory --------------------------------------------------
token=$NAME-$(now_ms)
on "$ip2" exec "$c2" sh -c "echo $token >/shared/from-node2" || fail "write /shared on node 2"
got=$(on "$ip3" exec "$c3" cat /shared/from-node2) || fail "read /shared on node 3"
[ "$got" = "$token" ] || fail "shared dir: node 3 read '$got', node 2 wrote '$token'"
[ "$(cat "$shared/from-node2")" = "$token" ] || fail "shared dir: host copy differs"
log "shared dir: node 2 wrote, node 3 and the host read the same"

# --- losing a worker ---------------------------------------------------
victim=$NAME-3
ko=$("$nodes" kill "$NAME" 3) || fail "nodes.sh kill failed"
eval "$ko"
down_ms='' moved_ms=''
n=0
while :; do
	now=$(now_ms)
	if [ -z "$down_ms" ] &&
		[ "$(m node inspect -f '{{.Status.State}}' "$victim" 2>/dev/null)" = down ]; then
		down_ms=$((now - NODES_KILLED_MS))
	fi
	if spread_ok "$victim" 2; then
		moved_ms=$((now - NODES_KILLED_MS))
		break
	fi
	n=$((n + 1))
	[ "$n" -lt $((TIMEOUT * 4)) ] || {
		m node ls >&2 || :
		tasks >&2 || :
		fail "$victim's task not running elsewhere ${TIMEOUT}s after the kill"
	}
	sleep 0.25
done
hb=$(m info -f '{{.Swarm.Cluster.Spec.Dispatcher.HeartbeatPeriod}}' 2>/dev/null || echo '?')
log "kill: $victim marked down after ${down_ms:-?} ms, its task running elsewhere after $moved_ms ms (dispatcher heartbeat $hb)"
printf 'T_NODES_UP_MS=%s\nT_NODES_LOAD_MS=%s\nT_NODES_DOWN_MS=%s\nT_NODES_MOVED_MS=%s\n' \
	"$up_ms" "$NODES_LOAD_MS" "${down_ms:-}" "$moved_ms"
log "PASS"
