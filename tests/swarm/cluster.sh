#!/bin/sh
# The stack across three Swarm nodes on one machine (tests/swarm/run.sh
# cluster, in make test-swarm): docker-in-docker nodes (tests/swarm/nodes.sh),
# the stack deployed onto them through the manager with the same make swarm
# code, then a worker killed outright (SIGKILL of its node, no graceful
# leave) while visitors and a writer use the site. The nodes share one host
# folder, DATA_DIR, for the WordPress files: on one machine it stands in for
# NFS (docs/swarm.md).
set -eu

: "${ROOT:?cluster.sh: run it through tests/swarm/run.sh cluster}"
# shellcheck source=tests/swarm/lib.sh
. "$ROOT/tests/swarm/lib.sh"
E2E_COMPOSE=v2 teststack_compose
# The registry's port is the one nodes.sh made the nodes trust.
swarm_env cluster "${SWARM_CLUSTER_PORT:-21443}" 5000
NODES=swarm-test-$$
NODES_SH="$ROOT/tests/swarm/nodes.sh"
IMAGES="edge nginx wordpress mariadb registry"

cleanup() {
	rc=$?
	[ -z "${load_pid:-}" ] || kill "$load_pid" 2>/dev/null || true
	if [ "${E2E_KEEP:-0}" = 1 ]; then
		echo "swarm (cluster): left running: nodes $NODES (sh $NODES_SH down $NODES), $TMP"
		exit "$rc"
	fi
	sh "$NODES_SH" down "$NODES" >/dev/null 2>&1 || true
	teststack_cleanup
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# swarm_sh COMMAND: scripts/swarm.sh as make runs it, on the nodes' manager.
swarm_sh() {
	DOCKER_HOST=$NODES_MANAGER_HOST SWARM_REGISTRY=$NODES_REGISTRY SWARM_BUILD=0 \
		STACK_ENV=$ENV_FILE COMPOSE="$COMPOSE" VERSION=$VERSION HEALTH_TIMEOUT=300 \
		sh "$ROOT/scripts/swarm.sh" "$@"
}
mgr() { docker -H "$NODES_MANAGER_HOST" "$@"; }

echo "swarm (cluster): stack $STACK, port $PORT, nodes $NODES, shared folder $DATA"
# The images, built here as make swarm builds them; the nodes get them from
# the registry, which gets them from the manager.
sw data-dirs secrets certs >/dev/null
STACK_ENV=$ENV_FILE COMPOSE="$COMPOSE" VERSION=$VERSION sh "$ROOT/scripts/swarm.sh" build >"$TMP/build.log" 2>&1 ||
	{ tail -n 40 "$TMP/build.log"; exit 1; }

t0=$(now_ms)
if sh "$NODES_SH" up "$NODES" 3 "$DATA" >"$TMP/nodes.env" 2>"$TMP/nodes.log"; then
	# shellcheck disable=SC1091 # NODES_* lines from nodes.sh up
	. "$TMP/nodes.env"
	figure "three docker-in-docker nodes up, in one swarm" "$((($(now_ms) - t0) / 1000)) s"
	check "three docker-in-docker nodes in one swarm ($((($(now_ms) - t0) / 1000)) s): $NODES_NAMES" true
else
	check "three docker-in-docker nodes in one swarm" sh -c "tail -n 40 '$TMP/nodes.log'; false"
	exit 1
fi
SITE_HOST=$NODES_MANAGER_IP
export SITE_HOST

# shellcheck disable=SC2046 # one word per image
set -- $(for i in $IMAGES; do echo "$i:$VERSION"; done)
sh "$NODES_SH" load "$NODES" "$@" >/dev/null 2>"$TMP/load.log" || { cat "$TMP/load.log"; exit 1; }

t0=$(now_ms)
if swarm_sh up >"$TMP/up.log" 2>&1; then
	figure "make swarm's deploy across 3 nodes to every service ready (images pulled)" "$((($(now_ms) - t0) / 1000)) s"
	check "make swarm's deploy across the nodes: every service ready ($((($(now_ms) - t0) / 1000)) s)" true
else
	check "make swarm's deploy across the nodes" sh -c "tail -n 60 '$TMP/up.log'; false"
	exit 1
fi

# tasks_on SERVICE: "node state" of each task meant to run.
tasks_on() {
	mgr service ps --filter desired-state=running --format '{{.Node}} {{.CurrentState}}' "${STACK}_$1"
}
spread_and_pulled() {
	nodes=$( (tasks_on wordpress; tasks_on nginx) | cut -d' ' -f1 | sort -u | grep -c .)
	[ "$nodes" -ge 2 ] || fail "nginx and wordpress run on $nodes node(s) only"
	for ip in $NODES_IPS; do
		[ "$ip" = "$NODES_MANAGER_IP" ] && continue
		docker -H "tcp://$ip:2375" images --digests --format '{{.Repository}}' | grep -q "^$NODES_REGISTRY/" ||
			fail "node $ip has no image from the registry"
	done
	https / | grep -q "<title>[^<]*Inception" || fail "the site does not answer at $NODES_MANAGER_IP:$PORT"
	echo "nginx and wordpress on $nodes nodes; the workers pulled from $NODES_REGISTRY"
}
check "replicas spread over the nodes, images pulled from the stack's registry" spread_and_pulled

# The worker to lose: the one with the most nginx and wordpress tasks.
victim=$( (tasks_on wordpress; tasks_on nginx) | cut -d' ' -f1 | grep -v -x "${NODES_NAMES%% *}" |
	sort | uniq -c | sort -rn | awk 'NR == 1 { print $2 }')
lose_a_node() {
	[ -n "$victim" ] || fail "no nginx or wordpress task runs on a worker"
	lost=$( (tasks_on wordpress; tasks_on nginx) | grep -c "^$victim ")
	load_start lost
	n=${victim##*-}
	killed=$(sh "$NODES_SH" kill "$NODES" "$n" 2>/dev/null | sed -n 's/^NODES_KILLED_MS=//p')
	[ -n "$killed" ] || fail "could not kill node $victim"
	# Until wordpress and nginx have all their replicas running on the nodes left.
	back=
	i=0
	while [ $i -lt 120 ]; do
		w=$(tasks_on wordpress | grep -v "^$victim " | grep -c ' Running') || true
		x=$(tasks_on nginx | grep -v "^$victim " | grep -c ' Running') || true
		if [ "$w" -ge "${WP_REPLICAS:-2}" ] && [ "$x" -ge "${NGINX_REPLICAS:-2}" ]; then
			back=$(now_ms)
			break
		fi
		sleep 0.5
		i=$((i + 1))
	done
	[ -n "$back" ] || { load_stop lost >/dev/null; fail "the lost node's replicas did not run elsewhere within 60 s"; }
	# A few seconds more of visitors on the rescheduled replicas.
	sleep 5
	# shellcheck disable=SC2046 # four numbers
	set -- $(load_stop lost)
	# In flight: started before the kill. Any other failure is the site not
	# answering; and no success for longer than the failover is an outage.
	after=$(jq --argjson k "$killed" '[.failures[] | select(.start_ms >= $k)] | length' "$TMP/load-lost")
	inflight=$(jq --argjson k "$killed" '[.failures[] | select(.start_ms < $k)] | length' "$TMP/load-lost")
	gap=$(jq --argjson k "$killed" '[.ok_ms[] | select(. >= $k - 5000)] | sort | [., .[1:]] | transpose | map(select(.[1] != null) | .[1] - .[0]) | max // 0' "$TMP/load-lost")
	moved=$(awk -v ms=$((back - killed)) 'BEGIN { printf "%.1f", ms / 1000 }')
	figure "worker killed (SIGKILL): its nginx/wordpress replicas running elsewhere" "$moved s"
	figure "requests meanwhile (and 5 s after)" "$1 served, $3 failed: $inflight in flight at the kill, $after after it"
	figure "longest time without a successful answer" "$gap ms"
	echo "node $victim ($lost nginx/wordpress tasks) killed; its replicas ran elsewhere $moved s later; $1 requests, $3 failed ($inflight in flight at the kill, $after after it); longest time without an answer $gap ms; $4 comments acknowledged"
	if [ "$after" -gt 0 ]; then
		jq -r --argjson k "$killed" '.failures[] | select(.start_ms >= $k) | "\(.start_ms - $k) ms after: \(.what): \(.why)"' "$TMP/load-lost" | head -n 10
		fail "$after requests started after the kill failed"
	fi
	[ "$4" -gt 0 ] || fail "no comment was acknowledged"
}
check "a worker lost under load: its replicas run elsewhere, the site keeps answering" lose_a_node
check "every comment acknowledged before and after the loss is stored" comments_present lost

figures_write swarm-cluster.md "The stack on Docker Swarm, three nodes on one machine (make bench-swarm)" tests/swarm/cluster.sh
echo "swarm (cluster): $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
