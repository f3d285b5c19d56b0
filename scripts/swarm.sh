#!/bin/sh
# The stack on Docker Swarm (mk/swarm.mk; docs/swarm.md): the same compose
# files plus docker-compose.swarm.yml, rendered into one stack file, images
# pushed to the stack's own registry, deployed, waited for.
#
# usage: swarm.sh up          make swarm / make swarm-bonus (BONUS=1)
#        swarm.sh update      make swarm-update: fresh images, rolled out
#        swarm.sh down        make swarm-down: the stack removed, data kept
#        swarm.sh render FILE the stack file alone (what up would deploy)
#        swarm.sh wait        until every service has its tasks, healthy
#        swarm.sh build       the stack's images (the registry's and edge's too)
# Talks to whichever engine `docker` talks to (DOCKER_HOST): a manager.
#   SWARM_REGISTRY   where nodes pull from (default 127.0.0.1:$SWARM_REGISTRY_PORT,
#                    right for one node; several nodes: the registry node's
#                    address, see docs/swarm.md)
#   SWARM_BUILD=0    push the images this engine already has, build nothing
#   SWARM_ADVERTISE_ADDR  the address `docker swarm init` advertises when
#                    there is no swarm yet (default 127.0.0.1: one node)
set -eu

: "${ROOT:?swarm.sh: ROOT is not set (run it through make)}"
STACK_SH_LIB=1
# shellcheck source=scripts/stack.sh
. "$ROOT/scripts/stack.sh"

load_env
STACK=$COMPOSE_PROJECT_NAME
: "${SWARM_REGISTRY_PORT:=5000}"
REGISTRY=${SWARM_REGISTRY:-127.0.0.1:$SWARM_REGISTRY_PORT}
export SWARM_REGISTRY_PORT
# Per stack: a test's stack and a user's may be deployed at the same time.
WORK="$ROOT/build/swarm/$STACK"
mkdir -p "$WORK"

# The stack's compose files, in the order they merge (the bonus file with BONUS=1).
files() {
	echo "$ROOT/docker-compose.yml"
	[ "${BONUS:-0}" = 1 ] && echo "$ROOT/docker-compose.bonus.yml"
	echo "$ROOT/docker-compose.swarm.yml"
}
# Compose v2 merges the files (`!reset` and all) and resolves the variables;
# docker-compose 1.29 cannot render JSON, and Swarm itself ignores `build`.
dcs() {
	docker compose version >/dev/null 2>&1 ||
		die "make swarm needs Compose v2 ('docker compose'): sh scripts/docker-plugins.sh installs it"
	command -v jq >/dev/null || die "make swarm needs jq (apt-get install jq)"
	fs=
	for f in $(files); do fs="$fs -f $f"; done
	# shellcheck disable=SC2086 # one word per -f and file (the repository's paths)
	docker compose --env-file "$STACK_ENV" -p "$STACK" $fs "$@"
}

# render OUT: the stack file. `docker stack deploy` (Docker 20.10's and
# later CLIs alike) reads a version 3 file: no long depends_on (Swarm starts
# services in no order; each one waits for what it needs, initd's readiness
# sees to that), no build, no restart (deploy.restart_policy instead), no
# compose project names. What YAML merging cannot express is added here, for
# every service the files define, the bonus ones too:
#   image            from the stack's registry, except the registry's own
#   endpoint_mode    dnsrr, and ports in host mode: virtual IPs and the
#                    routing mesh need IPVS in the kernel, DNS round robin
#                    and host ports work with or without it
#   secrets          files of mode 0400 owned by root, as compose's were
#                    (Swarm would make them readable by every user)
#   healthcheck      initd's verdict every 5 s, not 60: a new task joins DNS
#                    and an update moves on once Swarm has seen it healthy;
#                    a task not ready after 60 s + 3 probes has failed
#   SWARM_NFS        (HOST:/EXPORT, when set) the WordPress files and the page
#                    cache on NFS, EXPORT/wordpress and EXPORT/pagecache, which
#                    every node mounts itself: tasks on several nodes share
#                    them (the local driver's nfs type; docs/swarm.md)
render() {
	dcs config --format json >"$WORK/merged.json"
	nfs_addr="" nfs_path=""
	if [ -n "${SWARM_NFS:-}" ]; then
		case $SWARM_NFS in
		?*:/*) nfs_addr=${SWARM_NFS%%:/*} nfs_path=/${SWARM_NFS#*:/} nfs_path=${nfs_path%/} ;;
		*) die "SWARM_NFS='$SWARM_NFS': give it as HOST:/EXPORT (10.0.0.5:/srv/inception)" ;;
		esac
	fi
	jq --arg reg "$REGISTRY" --arg nfs_addr "$nfs_addr" --arg nfs_path "$nfs_path" '
		del(.name)
		| .version = "3.8"
		| .services |= with_entries(
			.key as $name
			| .value |= (
				del(.build, .depends_on, .restart, .container_name, .pull_policy)
				| with_entries(select(.value != null))
				| (if $name == "registry" then . else .image = ($reg + "/" + .image) end)
				| .deploy = ((.deploy // {}) | del(.resources) | .endpoint_mode = "dnsrr")
				| (if .ports then .ports |= map(.mode = "host" | .published |= tonumber) else . end)
				| (if .secrets then .secrets |= map(.target |= sub("^/run/secrets/"; "")
					| .uid = "0" | .gid = "0" | .mode = 256) else . end)
				| .healthcheck = {test: ["CMD", "/usr/local/bin/initd", "health"],
					interval: "5s", timeout: "5s", retries: 3, start_period: "60s"}))
		| .networks |= map_values(del(.name))
		| .volumes |= map_values(del(.name))
		| (if $nfs_addr != "" then reduce ("wordpress", "pagecache") as $v (.;
			.volumes[$v].driver_opts = {type: "nfs", o: ("addr=" + $nfs_addr + ",nfsvers=4.1,rw,hard,timeo=600"),
				device: (":" + $nfs_path + "/" + $v)}) else . end)
		| .secrets |= map_values(del(.name))
		' "$WORK/merged.json" >"$1.tmp"
	mv -f "$1.tmp" "$1"
}

# The engine we talk to is a swarm manager; without a swarm, it becomes a
# one-node swarm (and its node is labelled as made by us, so that swarm-down
# undoes exactly that).
ensure_swarm() {
	state=$(docker info -f '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}')
	case $state in
	"active true") ;;
	"active false") die "this engine is a swarm worker: run make swarm on a manager" ;;
	inactive*)
		addr=${SWARM_ADVERTISE_ADDR:-127.0.0.1}
		docker swarm init --advertise-addr "$addr" >/dev/null
		docker node update --label-add inception.one-node-swarm=made-by-make-swarm "$(docker info -f "{{.Swarm.NodeID}}")" >/dev/null
		echo "$me: this engine was in no swarm: it is now a one-node swarm manager (advertising $addr; make swarm-down leaves it)"
		;;
	*) die "the engine's swarm state is '$state' (docker info)" ;;
	esac
}

# label_once LABEL: the node we talk to carries LABEL=true unless a node does.
label_once() {
	for n in $(docker node ls -q); do
		[ "$(docker node inspect -f "{{index .Spec.Labels \"$1\"}}" "$n")" = true ] && return 0
	done
	docker node update --label-add "$1=true" "$(docker info -f "{{.Swarm.NodeID}}")" >/dev/null
	echo "$me: node $(docker info -f '{{.Name}}') labelled $1=true"
}

# The services of the stack, one name per line.
services() {
	docker service ls --filter "label=com.docker.stack.namespace=$STACK" --format '{{.Name}}'
}

# update_marks: "service:started-at" of each service's last update, so that
# a wait after a deploy tells this deploy's updates from earlier ones.
update_marks() {
	for s in $(services); do
		echo "$s:$(docker service inspect -f '{{if .UpdateStatus}}{{.UpdateStatus.StartedAt}}{{end}}' "$s" | tr -d ' ')"
	done
}

# converged SERVICE: its tasks meant to run are all running, as many as it
# wants (one per node for a global one) and all on the image of its current
# spec (after a rollback: the previous one). Swarm calls a task running only
# once its container is healthy.
converged() {
	set -- "$1" "$(docker service inspect -f '{{.Spec.TaskTemplate.ContainerSpec.Image}} {{if .Spec.Mode.Replicated}}{{.Spec.Mode.Replicated.Replicas}}{{else}}global{{end}}' "$1")"
	img=${2% *} want=${2#* }
	tasks=$(docker service ps -q --filter desired-state=running "$1")
	[ -n "$tasks" ] || return 1
	# shellcheck disable=SC2086 # one word per task id
	states=$(docker inspect -f '{{.Spec.ContainerSpec.Image}} {{.Status.State}}' $tasks)
	[ "$want" = global ] || [ "$(echo "$states" | grep -c .)" = "$want" ] || return 1
	! echo "$states" | grep -q -v -x -F "$img running"
}

# wait_services MARKS [NAME...]: bounded by HEALTH_TIMEOUT, every service of
# the stack (or the named ones) converged, with no update going on; one that
# Swarm rolled back since MARKS (update_marks before the deploy) is reported,
# with Swarm's reason, and fails the wait.
wait_services() {
	marks=$1
	shift
	deadline=$(($(date +%s) + ${HEALTH_TIMEOUT:-300}))
	while :; do
		pending="" rolled=""
		for s in $(services); do
			if [ $# -gt 0 ]; then
				case " $* " in *" ${s#"${STACK}"_} "*) ;; *) continue ;; esac
			fi
			st=$(docker service inspect -f '{{if .UpdateStatus}}{{.UpdateStatus.State}}|{{.UpdateStatus.StartedAt}}{{end}}' "$s")
			state=${st%%|*} started=$(echo "${st#*|}" | tr -d ' ')
			case $state in
			updating | rollback_started | paused | rollback_paused) pending="$pending $s($state)" ;;
			rollback_completed)
				case " $marks " in *" $s:$started "*) ;; *) rolled="$rolled $s" ;; esac
				;;
			esac
			converged "$s" || pending="$pending $s"
		done
		[ -n "$pending" ] || break
		if [ "$(date +%s)" -ge "$deadline" ]; then
			for s in $pending; do
				docker service ps --no-trunc --format '{{.Name}} {{.CurrentState}} {{.Error}}' "${s%%(*}" | head -n 5 >&2
			done
			die "not ready after ${HEALTH_TIMEOUT:-300} s:$pending"
		fi
		sleep 1
	done
	if [ -n "$rolled" ]; then
		for s in $rolled; do
			echo "$me: $s: $(docker service inspect -f '{{.UpdateStatus.Message}}' "$s")" >&2
		done
		die "Swarm rolled back:$rolled"
	fi
	echo "$me: every service of stack $STACK has its tasks, healthy"
}

# stack_deploy FILE [FLAG...]: its messages only when it fails (it warns, for
# instance, that the registry's own image is in no registry, which is meant).
stack_deploy() {
	f=$1
	shift
	docker stack deploy "$@" -c "$f" "$STACK" >"$WORK/deploy.log" 2>&1 || {
		cat "$WORK/deploy.log" >&2
		die "docker stack deploy failed"
	}
}

# The registry first (from the image of its own node), then every image
# pushed to it, then the whole stack.
deploy() {
	render "$WORK/stack.json"
	marks=$(update_marks | tr '\n' ' ')
	jq '.services |= {registry} | .volumes |= {registry} | del(.secrets)' "$WORK/stack.json" >"$WORK/registry.json"
	stack_deploy "$WORK/registry.json"
	wait_services "$marks" registry
	images=$(jq -r '.services[] | .image' "$WORK/stack.json" | grep "^$REGISTRY/" | sort -u)
	for img in $images; do
		docker tag "${img#"$REGISTRY"/}" "$img"
		docker push -q "$img" >/dev/null || die "pushing $img failed"
	done
	echo "$me: pushed $(echo "$images" | grep -c .) images to the registry at $REGISTRY"
	for s in $(services); do echo "$s $(spec_image "$s")"; done >"$WORK/images.before"
	stack_deploy "$WORK/stack.json" --prune
	wait_services "$marks"
	# What this deploy changed, so that an update says what it rolled.
	while read -r s img; do
		now=$(spec_image "$s" 2>/dev/null) || continue
		[ "$now" = "$img" ] || echo "$me: ${s#"${STACK}"_} now runs ${now##*@}"
	done <"$WORK/images.before"
}

spec_image() {
	docker service inspect -f '{{.Spec.TaskTemplate.ContainerSpec.Image}}' "$1"
}

build() {
	[ "${SWARM_BUILD:-1}" = 1 ] || return 0
	dcs build
}

up() {
	[ -z "$(dc ps -q 2>/dev/null)" ] ||
		die "the compose stack $STACK runs here: make down first (both would own port $HTTPS_PORT and the data)"
	ensure_swarm
	label_once inception.registry
	label_once inception.mariadb
	t0=$(date +%s)
	build
	deploy
	echo "$me: stack $STACK deployed on the swarm in $(($(date +%s) - t0)) s ($(docker node ls -q | grep -c .) nodes)"
	banner
}

# New images are pushed under the same tags; `docker stack deploy` sees new
# digests and rolls exactly the services whose image changed, each by its
# update_config (start-first for nginx and wordpress); an update that fails
# is rolled back by Swarm, and this says so and fails.
update() {
	[ -n "$(services)" ] || die "stack $STACK is not deployed (make swarm)"
	if docker service inspect "${STACK}_redis" >/dev/null 2>&1; then BONUS=1; fi
	build
	deploy
}

down() {
	if [ -n "$(docker service ls -q --filter "label=com.docker.stack.namespace=$STACK" 2>/dev/null)" ]; then
		docker stack rm "$STACK" >/dev/null
		# The network goes when its last task has: wait, so that `make swarm`
		# right after finds nothing half-removed.
		deadline=$(($(date +%s) + 60))
		while [ -n "$(docker ps -q --filter "label=com.docker.stack.namespace=$STACK")" ] ||
			docker network inspect "${STACK}_inception" >/dev/null 2>&1; do
			[ "$(date +%s)" -lt "$deadline" ] || die "stack $STACK still has containers after 60 s"
			sleep 1
		done
		echo "$me: stack $STACK removed; the data in $DATA_DIR is kept"
	else
		echo "$me: stack $STACK is not deployed"
	fi
	if [ "$(docker info -f '{{.Swarm.ControlAvailable}}' 2>/dev/null)" = true ] &&
		[ "$(docker node inspect -f '{{index .Spec.Labels "inception.one-node-swarm"}}' self)" = made-by-make-swarm ] &&
		[ "$(docker node ls -q | grep -c .)" = 1 ] &&
		[ -z "$(docker service ls -q)" ]; then
		# Leaving a swarm breaks Docker's DNS in the bridge networks of
		# containers that run at that moment (moby/moby#45144, Docker 20.10
		# and later): a compose stack beside would lose its names until its
		# containers are recreated. Then the swarm stays.
		others=$(docker ps -q | grep -c .) || true
		if [ "$others" -gt 0 ]; then
			echo "$me: this engine stays the one-node swarm make swarm made: leaving it now would break Docker's DNS for the $others containers running here (moby/moby#45144); 'docker swarm leave --force' once they are stopped"
		else
			docker swarm leave --force >/dev/null
			echo "$me: left the one-node swarm make swarm had made"
		fi
	fi
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case $cmd in
up) up ;;
update) update ;;
down) down ;;
render) render "${1:?usage: swarm.sh render FILE}" ;;
wait) wait_services "$(update_marks | tr '\n' ' ')" ;;
build) build ;;
*) die "swarm.sh: unknown command '$cmd' (up, update, down, render, wait, build)" ;;
esac
