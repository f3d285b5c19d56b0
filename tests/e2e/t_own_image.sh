# shellcheck shell=sh
# initd in someone else's image: what a user of the initd image does in their
# own Dockerfile (debian:bookworm, a shell script as the service, initd copied
# out of initd:VERSION), built with the same builder as the stack. PID 1 must
# be initd, the service must run under it, and docker stop must stop it
# gracefully with the service's own status.

own_image_check() {
	dir=$TMP/own-image
	tag="inception-e2e-own:$$"
	mkdir -p "$dir"
	cat >"$dir/service.sh" <<'EOF'
#!/bin/sh
trap 'echo "service: stopping"; exit 0' TERM
echo "service: ready"
while :; do
	sleep 3600 &
	wait $!
done
EOF
	cat >"$dir/Dockerfile" <<EOF
FROM debian:bookworm
COPY --from=initd:$VERSION /usr/local/bin/initd /usr/local/bin/initd
COPY service.sh /usr/local/bin/service.sh
RUN chmod 0755 /usr/local/bin/service.sh
ENTRYPOINT ["/usr/local/bin/initd", "--"]
CMD ["/usr/local/bin/service.sh"]
EOF
	size=$(docker image inspect -f '{{.Size}}' "initd:$VERSION")
	[ "$size" -lt 100000 ] || fail "initd:$VERSION is $size bytes: more than the binary" || return 1
	docker build -q -t "$tag" "$dir" >"$dir/build.log" 2>&1 || fail "build: $(tail -n 5 "$dir/build.log")" || return 1
	c=$(docker run -d "$tag") || { docker rmi "$tag" >/dev/null 2>&1; fail "docker run failed"; return 1; }
	ok=0
	for _ in $(seq 50); do
		docker logs "$c" 2>&1 | grep -q 'service: ready' && { ok=1; break; }
		sleep 0.1
	done
	exe=$(docker exec "$c" readlink /proc/1/exe 2>&1)
	state=$(docker exec "$c" sed -n 's/^state=//p' /run/initd.status)
	t0=$(now_ms)
	docker stop -t 10 "$c" >/dev/null
	ms=$(($(now_ms) - t0))
	code=$(docker inspect -f '{{.State.ExitCode}}' "$c")
	logs=$(docker logs "$c" 2>&1)
	docker rm "$c" >/dev/null
	# A read-only root with no writable /run: status and health come from
	# initd's status socket, for root and for any user docker exec runs as.
	ro=$(docker run -d --read-only "$tag") || { docker rmi "$tag" >/dev/null 2>&1; fail "docker run --read-only failed"; return 1; }
	for _ in $(seq 50); do
		docker logs "$ro" 2>&1 | grep -q 'service: ready' && break
		sleep 0.1
	done
	ro_status=$(docker exec "$ro" initd status 2>&1)
	ro_health=0
	docker exec -u 65534:65534 "$ro" initd health >/dev/null 2>&1 || ro_health=$?
	ro_file=$(docker exec "$ro" sh -c 'test -e /run/initd.status && echo present || echo absent')
	docker rm -f "$ro" >/dev/null
	docker rmi "$tag" >/dev/null
	case $ro_status in
	*'state:     running'*) ;;
	*) fail "initd status on a read-only root: $ro_status" || return 1 ;;
	esac
	[ "$ro_health" = 0 ] || fail "initd health as uid 65534 on a read-only root exited $ro_health" || return 1
	[ "$ro_file" = absent ] || fail "a status file was written on a read-only root" || return 1
	[ "$ok" = 1 ] || fail "the service never said it was ready: $logs" || return 1
	[ "$exe" = /usr/local/bin/initd ] || fail "PID 1 is '$exe'" || return 1
	[ "$state" = running ] || fail "initd status says '$state'" || return 1
	echo "$logs" | grep -q 'service: stopping' || fail "the service did not get the stop signal: $logs" || return 1
	[ "$code" = 0 ] || fail "exit code $code after docker stop" || return 1
	echo "initd:$VERSION is $size bytes; PID 1 initd, service running, stopped in $ms ms with status 0; status and health on a read-only root"
}

run_own_image() {
	check "initd in a third-party image (COPY --from=initd:$VERSION): PID 1, running, graceful stop, read-only root" own_image_check
}
