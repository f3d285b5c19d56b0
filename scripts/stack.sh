#!/bin/sh
# The stack's make targets that are more than a line or two of shell, here so
# that shellcheck reads them (mk/stack.mk calls one subcommand per target).
# make exports what they need: ROOT (the repository), STACK_ENV (the .env
# file, absolute), COMPOSE ("docker compose" or docker-compose), BONUS (1: the
# bonus file is part of `up`), HEALTH_TIMEOUT (s), BASE_IMAGE, VERSION.
#
# usage: stack.sh compose ARG...     compose on the project, both files
#        stack.sh compose-up ARG...  compose on the files `up` uses (BONUS)
#        stack.sh data-dirs          $DATA_DIR's volume folders
#        stack.sh recreate           the running stack again on new images
#        stack.sh env-file EXAMPLE   write $STACK_ENV from EXAMPLE (once)
#        stack.sh secrets            random passwords for every secret name
#        stack.sh certs              a self-signed certificate for $DOMAIN
#        stack.sh wait               until every container is healthy
#        stack.sh banner             where the site is, once it is up
#        stack.sh status             initd status inside each container
#        stack.sh hosts              $DOMAIN in /etc/hosts
#        stack.sh remove-data        $DATA_DIR's content, whoever owns it
#        stack.sh backup             one backup now (the bonus backup service)
#        stack.sh restore [NAME]     the newest backup (or NAME), see mk/backup.mk
set -eu

me="make"
die() {
	echo "$me: $*" >&2
	exit 1
}
: "${ROOT:?stack.sh: ROOT is not set (run it through make)}"
: "${STACK_ENV:?stack.sh: STACK_ENV is not set (run it through make)}"

# The .env's values, exported so that compose and its containers see them.
load_env() {
	[ -f "$STACK_ENV" ] || die "$STACK_ENV is missing (run make env)"
	set -a
	# shellcheck disable=SC1090 # the file is the user's .env
	. "$STACK_ENV"
	: "${SECRETS_DIR:=./secrets}"
	set +a
	INCEPTION_VERSION=${VERSION:?stack.sh: VERSION is not set}
	export INCEPTION_VERSION
}

# dc ARG...: compose on both files (acts on whatever of the project runs);
# dc_up ARG...: on the files `up` uses (the bonus one only when BONUS=1).
dc_base() {
	# shellcheck disable=SC2086 # COMPOSE is "docker compose" or docker-compose
	${COMPOSE:?stack.sh: COMPOSE is not set} --env-file "$STACK_ENV" -p "$COMPOSE_PROJECT_NAME" \
		-f "$ROOT/docker-compose.yml" "$@"
}
dc() { dc_base -f "$ROOT/docker-compose.bonus.yml" "$@"; }
dc_up() {
	if [ "${BONUS:-0}" = 1 ]; then dc "$@"; else dc_base "$@"; fi
}

# Each KEY=default line of the example is replaced by $KEY from the
# environment when set; defaults may refer to keys above them (${LOGIN}).
# Values with characters a shell would read specially are single-quoted,
# so a quote itself cannot be allowed in one.
env_file() {
	example=$1
	[ -f "$STACK_ENV" ] && { touch "$STACK_ENV"; return 0; }
	USER_NAME=$(id -un)
	export USER_NAME
	while IFS= read -r line; do
		case $line in
		[A-Z]*=*)
			key=${line%%=*}
			eval "val=\${$key-}"
			[ -n "$val" ] || eval "val=\"${line#*=}\""
			case $val in *"'"*) die "$key: a quote is not allowed in '$val'" ;; esac
			export "$key=$val"
			case $val in
			*[!A-Za-z0-9_./@:+-]*) printf "%s='%s'\n" "$key" "$val" ;;
			*) printf '%s=%s\n' "$key" "$val" ;;
			esac
			;;
		*) printf '%s\n' "$line" ;;
		esac
	done <"$example" >"$STACK_ENV.tmp"
	mv -f "$STACK_ENV.tmp" "$STACK_ENV"
	echo "$me: wrote $STACK_ENV"
}

data_dirs() {
	load_env
	# pagecache: make swarm's page cache (a tmpfs under compose).
	mkdir -p "$DATA_DIR/wordpress" "$DATA_DIR/mariadb" "$DATA_DIR/backups" "$DATA_DIR/pagecache"
}

# After `make refresh` built new images: the stack that runs (mandatory or
# bonus: redis tells) recreated on them and waited for; volumes untouched.
recreate() {
	load_env
	if [ -z "$(dc ps -q 2>/dev/null)" ]; then
		echo "$me: images refreshed; the stack is not running"
		return 0
	fi
	if [ -n "$(dc ps -q redis 2>/dev/null)" ]; then BONUS=1; else BONUS=0; fi
	dc_up up -d
	wait_healthy
	banner
}

# Random passwords, once, for every name of services/secrets.list (mode 0600).
secrets() {
	load_env
	umask 077
	mkdir -p "$SECRETS_DIR"
	while read -r s; do
		case $s in '' | '#'*) continue ;; esac
		f="$SECRETS_DIR/$s.txt"
		[ -s "$f" ] && continue
		LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c 24 >"$f.tmp"
		mv -f "$f.tmp" "$f"
		echo "$me: generated $f"
	done <"$ROOT/services/secrets.list"
}

# A self-signed certificate for $DOMAIN, made again when the domain changed.
certs() {
	load_env
	d="$SECRETS_DIR/tls"
	if [ -s "$d/key.pem" ] &&
		openssl x509 -in "$d/cert.pem" -noout -checkhost "$DOMAIN" 2>/dev/null | grep -q 'does match'; then
		return 0
	fi
	command -v openssl >/dev/null || die "openssl is needed to make the certificate (apt-get install openssl)"
	umask 077
	mkdir -p "$d"
	openssl req -x509 -newkey rsa:2048 -sha256 -nodes -days 825 -subj "/CN=$DOMAIN" \
		-addext "subjectAltName=DNS:$DOMAIN" -keyout "$d/key.pem" -out "$d/cert.pem" 2>/dev/null
	chmod 0644 "$d/cert.pem"
	echo "$me: generated a self-signed certificate for $DOMAIN in $d"
}

# Bounded by HEALTH_TIMEOUT seconds: every container of the project healthy by
# its initd's own verdict (`initd health`: running, ready, passing its checks),
# and at least as many as `up` started. initd is asked directly, four times a
# second: Docker's healthcheck asks it too, but only every 60 s and first 60 s
# after the start (Docker 20.10 has no start_interval), which would make the
# wait, not the services, the slow part. A container whose PID 1 is not initd
# (tests/bench/tini.yml) is judged by Docker's healthcheck instead. A
# container that exits, or whose service initd restarts 3 times during the
# wait, ends it at once, with the logs.
wait_healthy() {
	load_env
	timeout=${HEALTH_TIMEOUT:-300}
	ids=$(dc ps -q)
	want=$(dc_up config --services | grep -c .)
	total=$(echo "$ids" | grep -c .) || true
	[ "$total" -ge "$want" ] || die "expected $want containers, found: $ids"
	deadline=$(($(date +%s) + timeout))
	pending=$ids
	seen=
	while :; do
		left=
		for id in $pending; do
			# shellcheck disable=SC2046 # four words: name, state, PID 1's path, health
			set -- $(docker inspect -f '{{.Name}} {{.State.Status}} {{.Path}} {{if .State.Health}}{{.State.Health.Status}}{{end}}' "$id")
			case $2 in exited | dead)
				echo "$me: $1 $2" >&2
				dc logs --tail=40 >&2
				exit 1
				;;
			esac
			if [ "$3" = /usr/local/bin/initd ]; then
				docker exec "$id" initd health >/dev/null 2>&1 && continue
				n=$(docker exec "$id" initd status --json 2>/dev/null | sed -n 's/.*"restarts":\([0-9]*\).*/\1/p')
				# The first count seen is the baseline: restarts before this wait are not its business.
				case $seen in *" $id:"*) ;; *) seen="$seen $id:${n:-0}" ;; esac
				was=${seen##*" $id:"}
				if [ "${n:-0}" -ge $((${was%% *} + 3)) ]; then
					echo "$me: $1: initd restarted its service $((n - ${was%% *})) times during this wait" >&2
					docker logs --tail=40 "$id" >&2
					exit 1
				fi
			elif [ "${4:-}" = healthy ]; then
				continue
			fi
			left="$left $id"
		done
		pending=$left
		[ -n "$pending" ] || break
		if [ "$(date +%s)" -ge "$deadline" ]; then
			echo "$me: not healthy after $timeout s:$pending" >&2
			dc ps >&2
			dc logs --tail=40 >&2
			exit 1
		fi
		sleep 0.25
	done
	echo "$me: all $total services are healthy"
}

# Where the site is and who can log in, once it is up.
banner() {
	load_env
	port=""
	[ "$HTTPS_PORT" = 443 ] || port=":$HTTPS_PORT"
	echo "$me: the site is up: https://$DOMAIN$port/ (admin: https://$DOMAIN$port/wp-admin/)"
	echo "$me: administrator '$WP_ADMIN_USER', user '$WP_USER'; passwords in $SECRETS_DIR/*.txt"
	echo "$me: run 'make hosts' once if $DOMAIN does not resolve to this machine"
}

# initd's own view of each service (state, pid, restarts, last exit status).
status() {
	load_env
	for s in $(dc config --services); do
		id=$(dc ps -q "$s" 2>/dev/null) || id=
		[ -n "$id" ] || continue
		echo "== $s"
		docker exec "$id" initd status || true
	done
}

# Point the domain at this machine (idempotent; needs root for /etc/hosts).
hosts() {
	load_env
	if grep -Eq "^[^#]*[[:space:]]$DOMAIN([[:space:]]|\$)" /etc/hosts; then
		echo "$me: $DOMAIN is already in /etc/hosts"
		return 0
	fi
	if [ -w /etc/hosts ]; then
		printf '127.0.0.1\t%s\n' "$DOMAIN" >>/etc/hosts
	else
		printf '127.0.0.1\t%s\n' "$DOMAIN" | sudo tee -a /etc/hosts >/dev/null
	fi
	echo "$me: added $DOMAIN to /etc/hosts"
}

# The data folders' files belong to container uids: they are removed from
# inside a throwaway container when the base image is there.
remove_data() {
	load_env
	[ -d "$DATA_DIR" ] || return 0
	if docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
		docker run --rm --network none -v "$DATA_DIR:/data" "$BASE_IMAGE" \
			rm -rf /data/wordpress /data/mariadb /data/backups
	else
		rm -rf "$DATA_DIR/wordpress" "$DATA_DIR/mariadb" "$DATA_DIR/backups"
	fi
	rmdir "$DATA_DIR" 2>/dev/null || true
	echo "$me: removed the data in $DATA_DIR"
}

# The running backup container's id, or a clear error.
backup_container() {
	c=$(dc ps -q backup 2>/dev/null) || c=
	if [ -z "$c" ] || [ "$(docker inspect -f '{{.State.Running}}' "$c")" != true ]; then
		die "the backup service is not running (start the bonus stack: make bonus)"
	fi
	echo "$c"
}

backup() {
	load_env
	c=$(backup_container)
	docker exec -u www-data "$c" /usr/local/bin/backup-now
}

# The restore runs in a one-shot container of the backup image, on the same
# network, volumes (the WordPress one writable there) and secret as the backup
# container, found through its mounts so that compose's naming does not matter.
# The restore keeps chown, fowner and dac_override (www-data's files with their
# owners and modes); the container holds those and setpcap, which initd needs
# to narrow the bounding set to them. wordpress and ftp, when they run, are
# stopped meanwhile and started again whatever the restore's outcome.
restore() {
	load_env
	c=$(backup_container)
	# shellcheck disable=SC2086 # no name, or one name
	name=$(docker exec "$c" /usr/local/bin/backup-restore --which ${1:-}) || exit 1
	img=$(docker inspect -f '{{.Config.Image}}' "$c")
	net=$(docker inspect -f '{{range $k, $v := .NetworkSettings.Networks}}{{$k}}{{end}}' "$c")
	mount_of() {
		docker inspect -f "{{range .Mounts}}{{if eq .Destination \"$1\"}}{{.$2}}{{end}}{{end}}" "$c"
	}
	wp=$(mount_of /var/www/html Name)
	bk=$(mount_of /backups Name)
	pw=$(mount_of /run/secrets/db_password Source)
	if [ -z "$net" ] || [ -z "$wp" ] || [ -z "$bk" ] || [ -z "$pw" ]; then
		die "cannot find the backup container's network, volumes or secret"
	fi
	running=
	for s in wordpress ftp; do
		id=$(dc ps -q "$s" 2>/dev/null) || id=
		[ -n "$id" ] && [ "$(docker inspect -f '{{.State.Running}}' "$id")" = true ] && running="$running $s"
	done
	echo "$me: restoring backup $name (stopping:${running:- nothing})"
	# shellcheck disable=SC2086 # one word per service
	[ -z "$running" ] || dc stop $running
	rc=0
	docker run --rm --network "$net" \
		-v "$wp:/var/www/html" -v "$bk:/backups:ro" -v "$pw:/run/secrets/db_password:ro" \
		--tmpfs /run/backup:mode=0700,noexec,nosuid,size=1m \
		-e MYSQL_DATABASE="${MYSQL_DATABASE:-wordpress}" -e MYSQL_USER="${MYSQL_USER:-wpuser}" \
		--security-opt no-new-privileges --cap-drop ALL --cap-add CHOWN --cap-add DAC_OVERRIDE \
		--cap-add FOWNER --cap-add SETPCAP \
		--entrypoint /usr/local/bin/initd "$img" \
		--restart=never --caps=chown,fowner,dac_override -- /usr/local/bin/backup-restore "$name" || rc=$?
	# shellcheck disable=SC2086
	[ -z "$running" ] || dc start $running
	[ "$rc" -eq 0 ] || die "restore of $name failed ($rc)"
	BONUS=1 wait_healthy
	echo "$me: restored backup $name"
}

# scripts/swarm.sh sources the functions above, not the commands below.
[ -z "${STACK_SH_LIB:-}" ] || return 0

cmd=${1:-}
[ $# -gt 0 ] && shift
case $cmd in
compose)
	load_env
	dc "$@"
	;;
compose-up)
	load_env
	dc_up "$@"
	;;
data-dirs) data_dirs ;;
recreate) recreate ;;
env-file) env_file "${1:?usage: stack.sh env-file EXAMPLE}" ;;
secrets) secrets ;;
certs) certs ;;
wait) wait_healthy ;;
banner) banner ;;
status) status ;;
hosts) hosts ;;
remove-data) remove_data ;;
backup) backup ;;
restore) restore "${1:-}" ;;
*) die "stack.sh: unknown command '$cmd' (compose, compose-up, data-dirs, recreate, env-file, secrets, certs, wait, banner, status, hosts, remove-data, backup, restore)" ;;
esac
