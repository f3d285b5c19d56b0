#!/bin/sh
# `make e2e`: the end-to-end tests on each compose front-end this machine has.
# With both, Compose v2 + BuildKit runs the mandatory and the bonus tests (what
# most users have) and docker-compose 1.29 + the legacy builder the mandatory
# ones again (Debian 12's own); with one of them, it runs both suites. A
# front-end that is missing is reported as not run, never as passed.
#
# usage: sh tests/e2e/matrix.sh
#   E2E_REQUIRE="v1 v2"  fail unless these front-ends are installed and an
#                        engine answers (CI); without it, no engine is a SKIPPED line
set -u

here=$(cd "$(dirname "$0")" && pwd)
if ! docker info >/dev/null 2>&1; then
	if [ -n "${E2E_REQUIRE:-}" ]; then
		echo "e2e: FAILED: no Docker engine answers (start dockerd)" >&2
		exit 1
	fi
	echo "e2e: SKIPPED (no Docker engine answers)"
	exit 0
fi
have=
docker compose version >/dev/null 2>&1 && have="$have v2"
command -v docker-compose >/dev/null && have="$have v1"

missing=
for want in ${E2E_REQUIRE:-}; do
	case " $have " in *" $want "*) ;; *) missing="$missing $want" ;; esac
done
if [ -n "$missing" ]; then
	echo "e2e: FAILED: required compose front-end(s) not installed:$missing (installed:${have:- none})" >&2
	exit 1
fi

case $have in
" v2 v1") runs="v2:mandatory v2:bonus v1:mandatory" ;;
" v2") runs="v2:mandatory v2:bonus" ;;
" v1") runs="v1:mandatory v1:bonus" ;;
*)
	echo "e2e: FAILED: neither 'docker compose' nor docker-compose is installed" >&2
	exit 1
	;;
esac
case $have in *v2*) ;; *) echo "e2e: Compose v2 is not installed: its runs are NOT done (scripts/docker-plugins.sh installs it)" ;; esac
case $have in *v1*) ;; *) echo "e2e: docker-compose 1.29 is not installed: its run is NOT done (apt-get install docker-compose)" ;; esac

failed=0
summary=
for run in $runs; do
	front=${run%%:*} suite=${run#*:}
	echo "=== e2e: $suite suite on compose $front"
	rc=0
	E2E_COMPOSE=$front sh "$here/run.sh" "$suite" || rc=$?
	if [ "$rc" -eq 0 ]; then
		summary="$summary
  compose $front, $suite: passed"
	else
		summary="$summary
  compose $front, $suite: FAILED (exit $rc)"
		failed=1
	fi
done
echo "e2e:$summary"
exit "$failed"
