#!/bin/sh
# The images benchmark (`make bench-images`): how big the 8 images are and how
# long a cold build of them takes, measured in one run.
#   sizes        each image, and the 8 together with shared layers counted
#                once (summed over the distinct layers of the Docker engine's
#                own layer store, as `docker system df` counts them)
#   cold build   the shared stages and the 8 images, every step run again
#                (--no-cache; debian:bookworm cached), with docker-compose 1.29
#                and the legacy builder, then with Compose v2 and BuildKit
#   before       with BENCH_BEFORE=REF (a git revision), REF's images too, built
#                from REF's own Dockerfiles on a base made the way REF made it
#                (plain debootstrap minbase), tagged apart (before-*), removed after
# usage: sh tests/bench/images.sh    BENCH_COLD=0 skips the cold builds
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
COLD=${BENCH_COLD:-1}
BEFORE=${BENCH_BEFORE:-}
LAYERDB=$(docker info -f '{{.DockerRootDir}}' 2>/dev/null)/image/$(docker info -f '{{.Driver}}' 2>/dev/null)/layerdb/sha256

if ! docker info >/dev/null 2>&1; then
	echo "bench-images: FAILED: no Docker engine answers" >&2
	exit 1
fi
[ -d "$LAYERDB" ] || { echo "bench-images: cannot read the layer store $LAYERDB (root needed)" >&2; exit 1; }

# shellcheck source=tests/e2e/teststack.sh
. "$ROOT/tests/e2e/teststack.sh"
# shellcheck source=tests/e2e/lib.sh
. "$ROOT/tests/e2e/lib.sh"
teststack_env bench-images 20443 14021
trap teststack_cleanup EXIT
trap 'exit 130' INT TERM
export ROOT
results=$TMP/results
: >"$results"
result() {
	printf '%s\t%s\t%s\n' "$1" "$2" "${3:--}" >>"$results"
	echo "bench-images: $1: $2${3:+ (before: $3)}"
}
mb() { awk -v b="$1" 'BEGIN { printf "%.0f MB", b / 1e6 }'; }
secs() { awk -v ms="$1" 'BEGIN { printf "%.0f s", ms / 1000 }'; }

# chains IMAGE: the chain id of each of the image's layers, the key of the
# layer store (each layer's id folded with the ids below it).
chains() {
	prev=
	for d in $(docker image inspect -f '{{range .RootFS.Layers}}{{.}} {{end}}' "$1"); do
		if [ -z "$prev" ]; then
			prev=$d
		else
			prev=sha256:$(printf '%s %s' "$prev" "$d" | sha256sum | cut -d ' ' -f 1)
		fi
		echo "${prev#sha256:}"
	done
}
# total IMAGE...: bytes of the distinct layers of all of them.
total() {
	for i in "$@"; do chains "$i"; done | sort -u | while read -r c; do cat "$LAYERDB/$c/size"; echo; done |
		awk '{ s += $1 } END { printf "%.0f\n", s }'
}
size_of() { docker image inspect -f '{{.Size}}' "$1"; }

E2E_COMPOSE=auto teststack_compose
services=$(dc config --services | sort)
stack env secrets certs data-dirs >"$TMP/prep.log" 2>&1 || { cat "$TMP/prep.log"; exit 1; }

# ---- cold builds --------------------------------------------------------------
# cold FRONT: the shared stages and the 8 images without the cache, timed.
cold() {
	t0=$(now_ms)
	E2E_COMPOSE=$1 teststack_compose
	{
		stack base-image &&
			DOCKER_BUILDKIT=$DOCKER_BUILDKIT docker build --no-cache -q -t "inception-base:$VERSION" \
				-f "$ROOT/dockerfiles/base/Dockerfile" "$ROOT" &&
			DOCKER_BUILDKIT=$DOCKER_BUILDKIT docker build --no-cache -q --build-arg "INCEPTION_VERSION=$VERSION" \
				-t "initd:$VERSION" -f "$ROOT/dockerfiles/initd/Dockerfile" "$ROOT" &&
			if [ "$1" = v1 ]; then dc build --no-cache --parallel; else dc build --no-cache; fi
	} >"$TMP/build-$1.log" 2>&1 || { tail -n 40 "$TMP/build-$1.log" >&2; return 1; }
	echo $(($(now_ms) - t0))
}
if [ "$COLD" = 1 ]; then
	for front in v1 v2; do
		if E2E_COMPOSE=$front teststack_compose 2>/dev/null; then
			ms=$(cold "$front")
			result "cold build, shared stages + 8 images: $COMPOSE $COMPOSE_VERSION, $BUILDER" "$(secs "$ms")"
		else
			result "cold build on compose $front" "not run: compose $front is not installed"
		fi
	done
else
	result "cold builds" "not run (BENCH_COLD=0)"
fi
# The sizes below are of what a user's `make` builds: make sure all 8 exist.
{ stack shared-images && dc build; } >"$TMP/build.log" 2>&1 || { tail -n 40 "$TMP/build.log" >&2; exit 1; }

# ---- the images as REF built them ---------------------------------------------
before_tag() { echo "before-$1:$(echo "$BEFORE" | tr -c 'A-Za-z0-9_.\n-' _)"; }
if [ -n "$BEFORE" ]; then
	rev=$(git -C "$ROOT" rev-parse --short "$BEFORE")
	wt=$TMP/before
	git -C "$ROOT" worktree add -q --detach "$wt" "$rev"
	base="before-debian:bookworm"
	root=$TMP/before-root
	debootstrap --variant=minbase bookworm "$root" >"$TMP/debootstrap.log" 2>&1 ||
		{ tail -n 20 "$TMP/debootstrap.log" >&2; exit 1; }
	tar -C "$root" -c . | docker import - "$base" >/dev/null
	rm -rf "$root"
	for s in $services; do
		sed "s|^FROM debian:bookworm|FROM $base|" "$wt/dockerfiles/$s/Dockerfile" >"$wt/Dockerfile.$s"
		DOCKER_BUILDKIT=0 docker build -q -t "$(before_tag "$s")" -f "$wt/Dockerfile.$s" "$wt" >"$TMP/before-$s.log" 2>&1 ||
			{ tail -n 30 "$TMP/before-$s.log" >&2; exit 1; }
	done
	git -C "$ROOT" worktree remove --force "$wt"
fi

# ---- sizes -----------------------------------------------------------------------
now_set=''
before_set=
for s in $services; do
	now_set="$now_set $s:$VERSION"
	b=
	if [ -n "$BEFORE" ]; then
		b=$(mb "$(size_of "$(before_tag "$s")")")
		before_set="$before_set $(before_tag "$s")"
	fi
	result "size: $s" "$(mb "$(size_of "$s:$VERSION")")" "$b"
done
b=
# shellcheck disable=SC2086 # one image name per word
[ -z "$BEFORE" ] || b=$(mb "$(total $before_set)")
# shellcheck disable=SC2086
result "size: the 8 together, shared layers once" "$(mb "$(total $now_set)")" "$b"
b=
[ -z "$BEFORE" ] || b=$(mb "$(size_of before-debian:bookworm)")
result "size: debian:bookworm, the base" "$(mb "$(size_of debian:bookworm)")" "$b"
if [ -n "$BEFORE" ]; then
	# shellcheck disable=SC2086
	docker rmi $before_set before-debian:bookworm >/dev/null 2>&1 || true
fi

{
	echo "Images benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, Docker $(docker version -f '{{.Server.Version}}')${BEFORE:+; before: $BEFORE ($rev)}"
	awk -F '\t' -v head="$(printf 'what\tnow\tbefore')" -f "$ROOT/tests/table.awk" "$results"
} >"$TMP/table"
echo
cat "$TMP/table"

# shellcheck source=tests/results.sh
. "$ROOT/tests/results.sh"
write_results bench-images "$ROOT/docs/results/images.md" "\`make bench-images\`: image sizes and cold builds" "$TMP/table" \
	"Written by \`tests/bench/images.sh\` (\`make bench-images\`) at the end of each run, replacing the last; [Images: sizes and cold builds](../stack.md#images-sizes-and-cold-builds) says what the figures mean." \
	"Commit $(results_commit "$ROOT")${BEFORE:+; the before column is $BEFORE ($rev), built from its own Dockerfiles}."
