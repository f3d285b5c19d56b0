#!/bin/sh
# dockerd for one node of the test swarm (dockerfiles/swarm-node): turns the
# NODE_* environment into dockerd flags, then execs dockerd, so that initd
# supervises dockerd itself and its TERM reaches it.
#   NODE_INSECURE_REGISTRY  host:port of an HTTP registry (the swarm's own)
#   NODE_STORAGE_DRIVER     overlay2 (default) or vfs; overlay2 is probed first
#   NODE_DEBUG              1: dockerd --debug
#   NODE_DOCKERD_ARGS       more flags, split on spaces
set -eu

log() { printf 'dockerd-node: %s\n' "$*" >&2; }

# overlay2 needs a file system overlayfs accepts as upper layer (ext4, xfs):
# on the container's own overlayfs root it fails. /var/lib/docker is a volume
# for that reason; try a real overlay mount there so that a wrong setup is
# named here, then fall back to vfs (slow, a full copy per layer) rather than
# leave a node without a working engine.
probe_overlay() {
	p=/var/lib/docker/.overlay-probe
	rm -rf "$p" && mkdir -p "$p/l" "$p/u" "$p/w" "$p/m" || return 1
	if err=$(mount -t overlay overlay -o "lowerdir=$p/l,upperdir=$p/u,workdir=$p/w" "$p/m" 2>&1); then
		umount "$p/m"
		rm -rf "$p"
		return 0
	fi
	log "overlay2 unusable on $(stat -f -c %T /var/lib/docker) under /var/lib/docker: $err"
	rm -rf "$p"
	return 1
}

# tests/swarm/nodes.sh cannot use --privileged on every host (one whose
# dockerd lacks CAP_SYS_RESOURCE fails to start a privileged container), so
# it gives every capability but that one, and runc then mounts /sys and the
# cgroup v1 hierarchies read-only. dockerd must create cgroups and bridges:
# with CAP_SYS_ADMIN and no user namespace these remounts are allowed.
remount_rw() {
	awk -v t="$1" '$3 == t && $4 ~ /(^|,)ro(,|$)/ { print $2 }' /proc/mounts |
		while read -r m; do
			mount -o remount,rw "$m" 2>/dev/null ||
				mount -o remount,bind,rw "$m" ||
				log "cannot make $m writable: dockerd may fail"
		done
}
remount_rw sysfs
remount_rw cgroup

driver=${NODE_STORAGE_DRIVER:-overlay2}
if [ "$driver" = overlay2 ] && ! probe_overlay; then
	log "falling back to the vfs storage driver"
	driver=vfs
fi

# The unix socket serves the node's own CLI (initd's probes, docker exec);
# tcp://0.0.0.0:2375 serves the host-side harness. Unauthenticated and
# unencrypted: acceptable only because the nodes' network is a private test
# bridge on one machine, never published to a host port. --tls=false says
# so explicitly, which also spares the 1 s start-up delay dockerd adds
# after its warning.
set -- --host=unix:///var/run/docker.sock --host=tcp://0.0.0.0:2375 \
	--tls=false --storage-driver="$driver"
if [ -n "${NODE_INSECURE_REGISTRY:-}" ]; then
	set -- "$@" --insecure-registry="$NODE_INSECURE_REGISTRY"
fi
if [ "${NODE_DEBUG:-0}" = 1 ]; then
	set -- "$@" --debug
fi
# shellcheck disable=SC2086 # word splitting of the extra flags is the point
set -- "$@" ${NODE_DOCKERD_ARGS:-}

# A stale pid file from a SIGKILLed run (the volume outlives the container)
# would stop dockerd from starting again.
rm -f /var/run/docker.pid /run/docker/containerd/containerd.pid
log "exec dockerd $*"
exec dockerd "$@"
