#!/bin/sh
# nodes.sh: a multi-node Docker Swarm made of docker-in-docker containers on
# one machine (image swarm-node, dockerfiles/swarm-node), for end-to-end tests
# of the stack on Swarm without a second machine.
#
#   nodes.sh up NAME COUNT SHARED_DIR [MOUNT_AT]
#       network NAME, nodes NAME-1..NAME-COUNT (NAME-1 the manager, the
#       others workers), SHARED_DIR bind-mounted at MOUNT_AT (default: the
#       same path) in every node; prints on stdout, for eval:
#         NODES_MANAGER_HOST=tcp://IP1:2375
#         NODES_MANAGER_IP=IP1
#         NODES_NAMES="NAME-1 NAME-2 ..."
#         NODES_IPS="IP1 IP2 ..."
#         NODES_REGISTRY=IP1:5000
#   nodes.sh load NAME IMAGE...   host images into the manager; prints
#         NODES_LOAD_MS=N
#   nodes.sh kill NAME N          SIGKILL node N; prints NODES_KILLED_MS=EPOCH_MS
#   nodes.sh down NAME            remove nodes, their volumes, the network
#
# Every nested command goes to a node's API over tcp (docker -H
# tcp://IP:2375), never through docker exec: that is also how the engineer
# who deploys onto these nodes reaches them. Diagnostics go to stderr, so
# that stdout stays evaluable.
#
# Environment: VERSION (image tag, 0.1.0), NODES_HEARTBEAT (swarm dispatcher
# heartbeat period, e.g. 1s; Docker's default is 5s), NODES_TIMEOUT (seconds
# per wait, 90), NODES_STORAGE_DRIVER (passed to the nodes' dockerd).
# Needs GNU date (%N) for millisecond times, as Debian has.
set -eu

VERSION=${VERSION:-0.1.0}
IMAGE=swarm-node:$VERSION
TIMEOUT=${NODES_TIMEOUT:-90}
# Every object this script makes carries this label, and down removes only
# labelled objects: the engine is shared with other people's work.
LABEL=inception.swarm-nodes

log() { printf 'nodes.sh: %s\n' "$*" >&2; }
die() {
	log "error: $*"
	exit 1
}
now_ms() { date +%s%3N; }

usage() {
	sed -n '2,20s/^# \{0,1\}//p' "$0" >&2
	exit 2
}

# Both the script and the build context are found from here, so that the
# script works from any current directory.
root=$(cd "$(dirname "$0")/../.." && pwd)

valid_name() {
	case $1 in
	'' | *[!A-Za-z0-9_.-]* | [!A-Za-z0-9]*) die "bad NAME '$1' (letters, digits, _ . -)" ;;
	esac
}

# --- subnets -----------------------------------------------------------
ip2int() {
	# shellcheck disable=SC2086 # the split on dots is the point
	(IFS=. && set -- $1 && echo $((($1 << 24) + ($2 << 16) + ($3 << 8) + $4)))
}

# Every subnet that any network of this engine uses (local and swarm scope),
# as "start end" integers.
used_ranges() {
	docker network ls -q | while read -r id; do
		docker network inspect -f '{{range .IPAM.Config}}{{.Subnet}} {{end}}' "$id" 2>/dev/null || :
	done | tr ' ' '\n' | grep '^[0-9.]*/[0-9]*$' | while IFS=/ read -r a n; do
		s=$(ip2int "$a")
		z=$((1 << (32 - n)))
		s=$((s - s % z))
		echo "$s $((s + z - 1))"
	done
}

# The first 10.231.K.0/24 (K from 0) that overlaps no existing network.
# Not atomic: two concurrent ups could pick the same one, and then
# docker network create fails on the overlap, which is a clear error.
pick_subnet() {
	ranges=$(used_ranges)
	k=0
	while [ "$k" -le 255 ]; do
		s=$(ip2int "10.231.$k.0")
		e=$((s + 255))
		clash=$(printf '%s\n' "$ranges" | while read -r a b; do
			if [ -n "$a" ] && [ "$a" -le "$e" ] && [ "$b" -ge "$s" ]; then echo x; fi
		done)
		if [ -z "$clash" ]; then
			echo "10.231.$k"
			return 0
		fi
		k=$((k + 1))
	done
	die "no free /24 in 10.231.0.0/16"
}

# --- nodes -------------------------------------------------------------
node_ip() {
	docker inspect -f "{{(index .NetworkSettings.Networks \"$1\").IPAddress}}" "$1-$2" 2>/dev/null ||
		die "no node $1-$2 (nodes.sh up first?)"
}

ndocker() {
	h=$1
	shift
	docker -H "tcp://$h:2375" "$@"
}

# Bounded wait for a node's dockerd: a node that exits or never answers is
# reported with its own log, which says why (storage driver, iptables...).
wait_dockerd() {
	c=$1 ip=$2
	t=0
	while ! ndocker "$ip" version >/dev/null 2>&1; do
		if [ "$(docker inspect -f '{{.State.Running}}' "$c" 2>/dev/null)" != true ]; then
			docker logs --tail 40 "$c" >&2 2>&1 || :
			die "$c exited before its dockerd answered (log above)"
		fi
		if [ "$t" -ge $((TIMEOUT * 5)) ]; then
			docker logs --tail 40 "$c" >&2 2>&1 || :
			die "$c: no answer from tcp://$ip:2375 in ${TIMEOUT}s (log above)"
		fi
		sleep 0.2
		t=$((t + 1))
	done
}

build_image() {
	docker image inspect "$IMAGE" >/dev/null 2>&1 && return 0
	log "building $IMAGE"
	docker image inspect "inception-base:$VERSION" >/dev/null 2>&1 ||
		die "inception-base:$VERSION missing: build the stack's images first (make)"
	docker build -q -t "$IMAGE" --build-arg "INCEPTION_VERSION=$VERSION" \
		-f "$root/dockerfiles/swarm-node/Dockerfile" "$root" >&2 ||
		die "docker build of $IMAGE failed"
}

cmd_up() {
	if [ $# -lt 3 ] || [ $# -gt 4 ]; then usage; fi
	name=$1 count=$2 shared=$3 at=${4:-$3}
	valid_name "$name"
	case $count in '' | *[!0-9]* | 0*) die "bad COUNT '$count'" ;; esac
	[ "$count" -le 200 ] || die "COUNT $count: at most 200"
	case $shared in /*) ;; *) die "SHARED_DIR must be an absolute path" ;; esac
	case $at in /*) ;; *) die "MOUNT_AT must be an absolute path" ;; esac
	[ -d "$shared" ] || die "SHARED_DIR $shared is not a directory"
	if docker network inspect "$name" >/dev/null 2>&1 ||
		docker container inspect "$name-1" >/dev/null 2>&1; then
		die "$name exists already: nodes.sh down $name first"
	fi
	t0=$(now_ms)
	build_image

	net=$(pick_subnet)
	docker network create --driver bridge --subnet "$net.0/24" --gateway "$net.1" \
		--label "$LABEL=$name" "$name" >/dev/null || die "docker network create $name failed"
	log "network $name: $net.0/24"

	# Fixed addresses (.11, .12...): the registry's address (node 1's) is
	# known before any node starts, and given to every dockerd at start.
	registry=$net.11:5000
	names='' ips=''
	i=1
	while [ "$i" -le "$count" ]; do
		c=$name-$i ip=$net.$((10 + i))
		docker volume create --label "$LABEL=$name" "$c-docker" >/dev/null
		# Not --privileged: on a Docker host lacking CAP_SYS_RESOURCE (this
		# one) runc cannot grant it and a privileged container fails to
		# start. Every other capability, no seccomp/AppArmor filter and
		# writable /proc/sys are what a nested dockerd needs; dockerd-node
		# remounts /sys and the cgroups writable. --stop-timeout outlasts
		# initd's 20 s grace, so docker stop lets dockerd stop its tasks.
		docker run -d --name "$c" --hostname "$c" --label "$LABEL=$name" \
			--network "$name" --ip "$ip" \
			--cap-add ALL --cap-drop SYS_RESOURCE \
			--security-opt seccomp=unconfined --security-opt apparmor=unconfined \
			--security-opt systempaths=unconfined \
			-v "$c-docker:/var/lib/docker" -v "$shared:$at" \
			--stop-timeout 25 \
			-e "NODE_INSECURE_REGISTRY=$registry" \
			${NODES_STORAGE_DRIVER:+-e "NODE_STORAGE_DRIVER=$NODES_STORAGE_DRIVER"} \
			"$IMAGE" >/dev/null || die "docker run $c failed"
		names="$names $c" ips="$ips $ip"
		i=$((i + 1))
	done
	names=${names# } ips=${ips# }

	i=1
	for ip in $ips; do
		wait_dockerd "$name-$i" "$ip"
		i=$((i + 1))
	done
	log "$count dockerd answer after $(($(now_ms) - t0)) ms"

	ip1=$net.11
	set -- --advertise-addr "$ip1" --listen-addr "$ip1:2377"
	if [ -n "${NODES_HEARTBEAT:-}" ]; then
		set -- "$@" --dispatcher-heartbeat "$NODES_HEARTBEAT"
	fi
	ndocker "$ip1" swarm init "$@" >/dev/null || die "swarm init on $name-1 failed"
	token=$(ndocker "$ip1" swarm join-token -q worker) || die "no worker join token"
	i=2
	while [ "$i" -le "$count" ]; do
		ip=$net.$((10 + i))
		ndocker "$ip" swarm join --token "$token" --advertise-addr "$ip" \
			--listen-addr "$ip:2377" "$ip1:2377" >/dev/null ||
			die "$name-$i could not join the swarm at $ip1:2377"
		i=$((i + 1))
	done

	t=0
	while :; do
		ready=$(ndocker "$ip1" node ls --format '{{.Status}}' 2>/dev/null | grep -c '^Ready$' || :)
		[ "$ready" = "$count" ] && break
		if [ "$t" -ge $((TIMEOUT * 5)) ]; then
			ndocker "$ip1" node ls >&2 || :
			die "only ${ready:-0} of $count nodes Ready after ${TIMEOUT}s"
		fi
		sleep 0.2
		t=$((t + 1))
	done
	log "swarm of $count nodes Ready after $(($(now_ms) - t0)) ms"

	printf 'NODES_MANAGER_HOST=tcp://%s:2375\n' "$ip1"
	printf 'NODES_MANAGER_IP=%s\n' "$ip1"
	printf 'NODES_NAMES="%s"\n' "$names"
	printf 'NODES_IPS="%s"\n' "$ips"
	printf 'NODES_REGISTRY=%s\n' "$registry"
}

cmd_load() {
	[ $# -ge 2 ] || usage
	name=$1
	shift
	valid_name "$name"
	ip1=$(node_ip "$name" 1)
	t0=$(now_ms)
	# One stream for all images: shared layers cross once.
	docker save "$@" | ndocker "$ip1" load >&2 || die "loading $* into $name-1 failed"
	ms=$(($(now_ms) - t0))
	log "loaded $* into $name-1 in $ms ms"
	printf 'NODES_LOAD_MS=%s\n' "$ms"
}

cmd_kill() {
	[ $# -eq 2 ] || usage
	name=$1 n=$2
	valid_name "$name"
	case $n in '' | *[!0-9]*) die "bad node number '$n'" ;; esac
	docker container inspect "$name-$n" >/dev/null 2>&1 || die "no node $name-$n"
	# SIGKILL, not docker stop or swarm leave: the node vanishes without a
	# word to the manager, which must notice by missed heartbeats.
	docker kill "$name-$n" >/dev/null || die "docker kill $name-$n failed"
	ms=$(now_ms)
	log "killed $name-$n at $ms"
	printf 'NODES_KILLED_MS=%s\n' "$ms"
}

cmd_down() {
	[ $# -eq 1 ] || usage
	name=$1
	valid_name "$name"
	ids=$(docker ps -aq --filter "label=$LABEL=$name")
	# shellcheck disable=SC2086 # one id per word
	[ -z "$ids" ] || docker rm -f -v $ids >/dev/null
	vols=$(docker volume ls -q --filter "label=$LABEL=$name")
	# shellcheck disable=SC2086 # one name per word
	[ -z "$vols" ] || docker volume rm $vols >/dev/null
	nets=$(docker network ls -q --filter "label=$LABEL=$name")
	# shellcheck disable=SC2086 # one id per word
	[ -z "$nets" ] || docker network rm $nets >/dev/null
	log "$name down"
}

[ $# -ge 1 ] || usage
sub=$1
shift
case $sub in
up) cmd_up "$@" ;;
load) cmd_load "$@" ;;
kill) cmd_kill "$@" ;;
down) cmd_down "$@" ;;
*) usage ;;
esac
