#!/bin/bash
# shellcheck disable=SC2317 # the areas are functions called through timed()
# The stack under faults, load and a hostile look, on a throwaway bonus stack of
# its own (compose project, DATA_DIR, secrets, ports: tests/e2e/teststack.sh):
#   durability  kill -9 of mariadbd while a client inserts rows one by one:
#               every acknowledged row must be there afterwards
#   load        wrk, 32 connections on https://DOMAIN/, php-fpm's master
#               killed twice meanwhile: requests/s, p99, errors; it comes back
#   tls         every protocol and cipher suite this openssl can offer, tried
#               one by one on 443: only TLS 1.2/1.3 and forward-secret AEAD
#   testssl     (FULL only, about a minute) testssl.sh against 443 with the
#               stack's name and certificate: the protocols it finds offered
#               and every finding of severity HIGH or CRITICAL
#   exposure    what the stack publishes on the host, and probes of the ports
#               that must not answer there (MariaDB, Redis, php-fpm)
#   processes   uid and effective capabilities of every process in every container
#   secrets     every generated password in image histories, configs and
#               layers, container configs and processes, and all of git history
# usage: r_stack.sh FAST|FULL   (FAST: 3 kills and 20 s of wrk; FULL: 10 and 60 s)
#   STACK_KILLS, STACK_WRK_SECONDS override those; STACK_ONLY="load tls" runs
#   only the areas named (the others print no row).
set -u

mode=${1:-FAST}
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
case $mode in
FULL) kills=${STACK_KILLS:-10} wrk_seconds=${STACK_WRK_SECONDS:-60} ;;
*) kills=${STACK_KILLS:-3} wrk_seconds=${STACK_WRK_SECONDS:-20} ;;
esac
AREAS="durability load tls exposure processes secrets"
[ "$mode" = FULL ] && AREAS="$AREAS testssl"

row() { printf 'ROW\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4"; }
# verdict AREA WHAT FIGURES PROBLEMS: held when PROBLEMS is empty.
verdict() {
	if [ -z "$4" ]; then
		row "stack-$1" "$2" "$3" held
	else
		row "stack-$1" "$2" "$3; WRONG:$4" FAILED
	fi
}
# skip_all REASON: one SKIPPED row per area, each saying why.
skip_all() {
	for a in $AREAS; do row "stack-$a" "$a checks on a running stack" "SKIPPED: $1" SKIPPED; done
	exit 0
}

docker info >/dev/null 2>&1 || skip_all "no Docker engine answers"
for tool in curl openssl make git ss; do
	command -v "$tool" >/dev/null || skip_all "$tool is not installed"
done

# shellcheck source=tests/e2e/teststack.sh
. "$ROOT/tests/e2e/teststack.sh"
# shellcheck source=tests/e2e/lib.sh
. "$ROOT/tests/e2e/lib.sh"
# shellcheck source=tests/e2e/t_db.sh
. "$ROOT/tests/e2e/t_db.sh"
teststack_compose || skip_all "no compose front-end"
teststack_env rel 17443 11021
trap teststack_cleanup EXIT
trap 'exit 130' INT TERM
export ROOT

echo "stack ($mode): project $PROJECT, port $PORT, data $DATA ($COMPOSE)"
t0=$(now_ms)
if ! stack bonus >"$TMP/up.log" 2>&1; then
	tail -n 40 "$TMP/up.log"
	for a in $AREAS; do row "stack-$a" "$a checks on a running stack" "make bonus failed (log above)" FAILED; done
	exit 1
fi
echo "stack: make bonus took $((($(now_ms) - t0) / 1000)) s"

# wait_service SERVICE OLD-PID SECONDS: initd says running, with another pid.
wait_service() {
	local deadline=$(($(now_ms) + $3 * 1000))
	while [ "$(now_ms)" -lt "$deadline" ]; do
		if [ "$(status_field "$1" state)" = running ] && [ "$(status_field "$1" pid)" != "$2" ]; then
			return 0
		fi
		sleep 0.05
	done
	return 1
}

# changed_ms SERVICE: when initd last changed the service's state, by its
# status file (same clock as the host's: one kernel), in ms.
changed_ms() {
	status_field "$1" changed | awk -F . '{ printf "%d%03d\n", $1, substr($2 "000", 1, 3) }'
}

# ---- durability -------------------------------------------------------------

# The writer: one INSERT at a time with the mariadb client, over the network
# like WordPress; an id is written to /out/acked only once the server said OK.
# Its password goes through a client option file inside the writer, never
# through its command line or environment.
start_writer() {
	docker run -d --name "$PROJECT-writer" --network "${PROJECT}_inception" \
		-e MYSQL_USER -e MYSQL_DATABASE -v "$SECRETS/db_password.txt:/run/secrets/db_password:ro" \
		-v "$1:/out" --entrypoint sh "mariadb:$VERSION" -c '
		umask 077
		printf "[client]\nuser=%s\npassword=%s\nhost=mariadb\ndatabase=%s\nconnect-timeout=2\n" \
			"$MYSQL_USER" "$(cat /run/secrets/db_password)" "$MYSQL_DATABASE" >/tmp/client.cnf
		i=0
		while [ ! -e /out/stop ]; do
			i=$((i + 1))
			if mariadb --defaults-extra-file=/tmp/client.cnf \
				-e "INSERT INTO rel_durability (id) VALUES ($i)" 2>>/out/errors; then
				echo "$i" >>/out/acked
			fi
		done' >/dev/null
}

acked() { if [ -f "$1/acked" ]; then wc -l <"$1/acked"; else echo 0; fi; }

# wait_acked DIR COUNT SECONDS
wait_acked() {
	local deadline=$(($(now_ms) + $3 * 1000))
	while [ "$(acked "$1")" -lt "$2" ]; do
		[ "$(now_ms)" -lt "$deadline" ] || return 1
		sleep 0.05
	done
}

durability() {
	local out="$TMP/durability" c k pid newpid t_kill recov="" rc=0 restarts0
	mkdir -p "$out"
	chmod 777 "$out"
	c=$(cid mariadb)
	if ! r=$(sql "$MYSQL_USER" "$(secret db_password)" \
		'CREATE TABLE rel_durability (id INT PRIMARY KEY) ENGINE=InnoDB'); then
		row stack-durability "$kills x kill -9 mariadbd during inserts" "cannot create the table: $r" FAILED
		return 1
	fi
	restarts0=$(status_field mariadb restarts)
	local started0
	started0=$(docker inspect -f '{{.RestartCount}} {{.State.StartedAt}}' "$c")
	local since
	since=$(date -u +%Y-%m-%dT%H:%M:%SZ)
	start_writer "$out"
	local t_start
	t_start=$(now_ms)
	for k in $(seq "$kills"); do
		# Kill at a random moment once the server has taken a few more rows.
		if ! wait_acked "$out" $(($(acked "$out") + 20)) 60; then
			echo "durability: no progress before kill $k: $(tail -n 3 "$out/errors" 2>/dev/null)"
			rc=1
			break
		fi
		sleep "0.$((RANDOM % 10))"
		pid=$(status_field mariadb pid)
		t_kill=$(now_ms)
		docker exec "$c" sh -c "kill -9 $pid" || { echo "kill $k: kill -9 $pid failed"; rc=1; break; }
		# Recovered: initd started mariadbd again (its backoff grows while kills
		# come faster than --stable) and a row inserted after that was taken.
		if ! wait_service mariadb "$pid" 120 || ! wait_acked "$out" $(($(acked "$out") + 1)) 60; then
			echo "durability: mariadbd not back after kill $k: $(tail -n 2 "$out/errors" 2>/dev/null)"
			rc=1
			break
		fi
		newpid=$(status_field mariadb pid)
		recov="$recov $(($(now_ms) - t_kill))"
		echo "kill $k: mariadbd $pid -> $newpid, writes again after $(($(now_ms) - t_kill)) ms"
	done
	# A few more rows after the last recovery, then stop the writer.
	wait_acked "$out" $(($(acked "$out") + 5)) 60 || rc=1
	touch "$out/stop"
	docker wait "$PROJECT-writer" >/dev/null 2>&1
	local secs=$((($(now_ms) - t_start) / 1000))
	docker rm -f "$PROJECT-writer" >/dev/null 2>&1
	sort "$out/acked" >"$out/acked.sorted"
	if ! sql "$MYSQL_USER" "$(secret db_password)" 'SELECT id FROM rel_durability ORDER BY id' >"$out/present"; then
		row stack-durability "$kills x kill -9 mariadbd during inserts" "cannot read the rows back: $(tail -n 2 "$out/present")" FAILED
		return 1
	fi
	# comm wants both lists in the same lexical order.
	sort "$out/present" -o "$out/present"
	local written lost extra present recoveries
	written=$(wc -l <"$out/acked.sorted")
	present=$(wc -l <"$out/present")
	lost=$(comm -23 "$out/acked.sorted" "$out/present" | wc -l)
	# Rows committed whose OK never reached the client (the kill came between).
	extra=$(comm -13 "$out/acked.sorted" "$out/present" | wc -l)
	recoveries=$(docker logs --since "$since" "$c" 2>&1 | grep -ci 'crash recovery' || true)
	local restarts=$(($(status_field mariadb restarts) - restarts0))
	local started1
	started1=$(docker inspect -f '{{.RestartCount}} {{.State.StartedAt}}' "$c")
	local r
	r=$(echo "$recov" | tr ' ' '\n' | sort -n | awk 'NF { a[n++] = $1 } END { if (n) printf "%d-%d ms", a[0], a[n - 1] }')
	local figures="$written rows acknowledged in $secs s, $present in the table, $lost lost, $extra unacknowledged but committed; $restarts restarts by initd, InnoDB crash recovery $recoveries times, writes back after $r"
	if [ "$rc" = 0 ] && [ "$lost" = 0 ] && [ "$written" -gt 0 ] && [ "$restarts" -ge "$kills" ] && [ "$started0" = "$started1" ]; then
		row stack-durability "$kills x kill -9 mariadbd during acknowledged inserts" "$figures" held
	else
		[ "$started0" = "$started1" ] || figures="$figures; the container restarted ($started0 -> $started1)"
		row stack-durability "$kills x kill -9 mariadbd during acknowledged inserts" "$figures" FAILED
	fi
}

# ---- load ---------------------------------------------------------------------

load() {
	local what="wrk ${wrk_seconds} s, 32 connections, https://DOMAIN/, php-fpm master kill -9 twice"
	if ! command -v wrk >/dev/null; then
		row stack-load "$what" "SKIPPED: wrk is not installed (Debian package wrk)" SKIPPED
		return 0
	fi
	local c code restarts0 started0 k pid t_kill backs="" rc=0 since
	c=$(cid wordpress)
	wait_site 60
	code=$(https / -o /dev/null -w '%{http_code}')
	if [ "$code" != 200 ]; then
		row stack-load "$what" "the home page answers $code before the run" FAILED
		return 1
	fi
	restarts0=$(status_field wordpress restarts)
	started0=$(docker inspect -f '{{.RestartCount}} {{.State.StartedAt}}' "$c")
	since=$(date -u +%Y-%m-%dT%H:%M:%SZ)
	wrk_site "$wrk_seconds" / "$TMP/wrk.out" &
	local wrk_pid=$!
	for k in 1 2; do
		sleep "$((wrk_seconds / 3))"
		pid=$(status_field wordpress pid)
		t_kill=$(now_ms)
		docker exec "$c" sh -c "kill -9 $pid" || { echo "load: kill -9 $pid failed"; rc=1; }
		if wait_service wordpress "$pid" 30; then
			# From the kill command to initd's "running" (docker exec's own
			# latency included: an upper bound).
			backs="$backs $(($(changed_ms wordpress) - t_kill))"
			echo "load: kill $k: php-fpm $pid -> $(status_field wordpress pid) after ${backs##* } ms"
		else
			echo "load: php-fpm not running again 30 s after kill $k"
			rc=1
		fi
	done
	wait "$wrk_pid" || rc=1
	sed 's/^/wrk: /' "$TMP/wrk.out"
	local rps p99 non2xx sockerr total codes window
	read -r total rps p99 non2xx sockerr < <(wrk_figures "$TMP/wrk.out")
	# What the errors were and how long they lasted, from nginx's access log:
	# 502s are answered at once, so their count says more about the request
	# rate than about the outage; the seconds in which they happened say that.
	docker logs --since "$since" "$(cid nginx)" 2>/dev/null |
		awk '$7 == "/" && $9 != 200 && $9 != 499 { print substr($4, 2), $9 }' >"$TMP/errors.log"
	codes=$(awk '{ n[$2]++ } END { for (c in n) printf "%s%d x %s", sep, n[c], c; sep = ", " }' "$TMP/errors.log")
	window=$(awk '{ print $1 }' "$TMP/errors.log" | sort -u | wc -l)
	local restarts=$(($(status_field wordpress restarts) - restarts0))
	code=$(https / -o /dev/null -w '%{http_code}')
	local ok_rps
	ok_rps=$(awk -v t="$total" -v e="$non2xx" -v s="$sockerr" -v d="$wrk_seconds" 'BEGIN { printf "%.1f", (t - e - s) / d }')
	local figures="$total requests, $rps req/s of which $ok_rps/s answered 200, p99 $p99; errors: $non2xx non-2xx/3xx (${codes:-none}, within $window distinct seconds) + $sockerr socket errors; kill -> initd running again:${backs:- ?} ms; $restarts restarts by initd; home page $code after"
	if [ "$rc" = 0 ] && [ "$rps" != - ] && [ "$restarts" -ge 2 ] && [ "$code" = 200 ] &&
		[ "$started0" = "$(docker inspect -f '{{.RestartCount}} {{.State.StartedAt}}' "$c")" ]; then
		row stack-load "$what" "$figures" held
	else
		row stack-load "$what" "$figures" FAILED
	fi
}

# ---- TLS ----------------------------------------------------------------------

# tls_try S_CLIENT-ARG...: "PROTOCOL CIPHER" when the server accepts, nothing otherwise.
tls_try() {
	timeout 10 openssl s_client -connect "127.0.0.1:$PORT" -servername "$DOMAIN" "$@" </dev/null 2>/dev/null |
		sed -n 's/^New, \(TLSv[0-9.]*\|SSLv3\), Cipher is \(.*\)$/\1 \2/p' | grep -v NONE | head -n 1
}

tls() {
	local what="every protocol and suite this openssl can offer, one at a time on 443"
	local p got accepted_protocols="" refused="" absent="" bad="" accepted12="" accepted13="" n12=0 n13=0
	for p in ssl3 tls1 tls1_1 tls1_2 tls1_3; do
		if ! openssl s_client -help 2>&1 | grep -q -- "^ *-$p "; then
			absent="$absent $p"
			continue
		fi
		got=$(tls_try "-$p" -cipher 'ALL:COMPLEMENTOFALL:@SECLEVEL=0')
		if [ -n "$got" ]; then accepted_protocols="$accepted_protocols ${got%% *}"; else refused="$refused $p"; fi
	done
	[ "$accepted_protocols" = " TLSv1.2 TLSv1.3" ] || bad="$bad protocols accepted:$accepted_protocols;"
	# TLS 1.2 and below: each suite alone, with the client's security level at 0
	# so that it offers even what it would refuse by default.
	local name proto kx mac
	while read -r name proto kx _ _ mac; do
		[ "$proto" = TLSv1.3 ] && continue
		n12=$((n12 + 1))
		got=$(tls_try -tls1_2 -cipher "$name:@SECLEVEL=0")
		[ -n "$got" ] || continue
		accepted12="$accepted12 $name"
		case "${kx#Kx=} ${mac#Mac=}" in
		'ECDH AEAD' | 'DH AEAD') ;;
		*) bad="$bad $name ($kx $mac);" ;;
		esac
	done < <(openssl ciphers -v 'ALL:COMPLEMENTOFALL:@SECLEVEL=0')
	for name in TLS_AES_128_GCM_SHA256 TLS_AES_256_GCM_SHA384 TLS_CHACHA20_POLY1305_SHA256 \
		TLS_AES_128_CCM_SHA256 TLS_AES_128_CCM_8_SHA256; do
		n13=$((n13 + 1))
		got=$(tls_try -tls1_3 -ciphersuites "$name")
		[ -n "$got" ] && accepted13="$accepted13 $name"
	done
	local figures
	figures="accepted:$accepted_protocols; refused:$refused${absent:+ (not in this openssl:$absent)}; TLS1.2 suites accepted $(echo "$accepted12" | wc -w)/$n12:$accepted12; TLS1.3 $(echo "$accepted13" | wc -w)/$n13:$accepted13"
	[ -n "$accepted12" ] || bad="$bad no TLS 1.2 suite accepted;"
	[ -n "$accepted13" ] || bad="$bad no TLS 1.3 suite accepted;"
	verdict tls "$what" "$figures" "$bad"
}

# ---- testssl.sh -----------------------------------------------------------------

# Findings testssl.sh 3.0 rates HIGH that say nothing about this server's TLS:
#   cipher_order     it wants the server to impose its order, but every suite
#                    offered is an AEAD one with forward secrecy, so the
#                    client's pick is always one of them (Mozilla's profiles
#                    leave the order to the client for that reason)
#   cert_revocation  `make certs` makes a self-signed certificate: no CA to
#                    publish a CRL or run an OCSP responder
TESTSSL_ACCEPTED="cipher_order cert_revocation"

testssl_scan() {
	local what="testssl.sh on 443 (by name, the stack's certificate as CA, no DNS)"
	if ! command -v testssl >/dev/null; then
		row stack-testssl "$what" "SKIPPED: testssl is not installed (Debian package testssl.sh)" SKIPPED
		return 0
	fi
	local csv="$TMP/testssl.csv" rc=0 bad="" offered="" accepted="" warned="" vulns=0 found=0 id sev finding
	# --ip: no resolver is asked for the name, which is there for SNI and the
	# certificate's name check only.
	timeout 600 testssl --quiet --color 0 --warnings batch --nodns none --ip 127.0.0.1 \
		--add-ca "$SECRETS/tls/cert.pem" --csvfile "$csv" "$DOMAIN:$PORT" >"$TMP/testssl.log" 2>&1 || rc=$?
	if [ ! -s "$csv" ]; then
		tail -n 20 "$TMP/testssl.log"
		row stack-testssl "$what" "no result (testssl exited $rc)" FAILED
		return 1
	fi
	# "id","host/ip","port","severity","finding","cve","cwe", every field quoted.
	while IFS='|' read -r id sev finding; do
		case $id in
		SSLv2 | SSLv3 | TLS1 | TLS1_1 | TLS1_2 | TLS1_3)
			case $finding in
			offered*) offered="$offered $id" ;;
			'not offered'*) ;;
			*) bad="$bad $id: '$finding';" ;;
			esac
			;;
		heartbleed | CCS | ticketbleed | ROBOT | secure_renego | secure_client_renego | CRIME_TLS | BREACH | \
			POODLE_SSL | fallback_SCSV | SWEET32 | FREAK | DROWN | LOGJAM | BEAST | LUCKY13 | RC4)
			vulns=$((vulns + 1))
			case $sev in OK | INFO) ;; *) found=$((found + 1)) bad="$bad $id $sev: $finding;" ;; esac
			;;
		esac
		case $sev in
		WARN) warned="$warned $id ($finding);" ;;
		HIGH | CRITICAL)
			case " $TESTSSL_ACCEPTED " in
			*" $id "*) accepted="$accepted $id ($sev: $finding);" ;;
			*) bad="$bad $id $sev: $finding;" ;;
			esac
			;;
		esac
	done < <(sed -n 's/^"\([^"]*\)","[^"]*","[^"]*","\([^"]*\)","\(.*\)","[^"]*","[^"]*"$/\1|\2|\3/p' "$csv")
	[ "$offered" = " TLS1_2 TLS1_3" ] || bad="$bad protocols offered:$offered;"
	[ "$vulns" -ge 17 ] || bad="$bad only $vulns of the 17 vulnerability tests reported;"
	local counts
	counts=$(sed -n '2,$ s/^"[^"]*","[^"]*","[^"]*","\([^"]*\)".*/\1/p' "$csv" | sort | uniq -c | awk '{ printf "%s%s %s", sep, $1, $2; sep = ", " }')
	accepted=${accepted%;}
	# A WARN is testssl's own trouble (a test it could not finish), not a finding: named, not failed.
	warned=${warned%;}
	verdict testssl "$what" "offered:$offered; $vulns vulnerability tests (heartbleed ... RC4), $found found; findings by severity: $counts; accepted HIGH:${accepted:- none}${warned:+; testssl warned:$warned}" "$bad"
}

# ---- exposure -----------------------------------------------------------------

# answers HOST PORT: something accepts a TCP connection there.
answers() { timeout 3 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null; }

exposure() {
	local what="published ports of every container; MariaDB, Redis, php-fpm probed from the host"
	local s id ports published="" bad="" host_ip p h
	for s in $(dc config --services); do
		id=$(cid "$s")
		ports=$(docker port "$id" | sed 's/ -> .*:/->/' | sort -u | tr '\n' ' ')
		[ -z "$ports" ] && continue
		local shown=$ports
		case $s in
		nginx) [ "$ports" = "443/tcp->$PORT " ] || bad="$bad nginx publishes $ports;" ;;
		ftp)
			local want="21/tcp->${FTP_PORT:?} "
			for p in $(seq "$FTP_PASV_MIN" "$FTP_PASV_MAX"); do want="$want$p/tcp->$p "; done
			if [ "$(echo "$ports" | tr ' ' '\n' | sort)" = "$(echo "$want" | tr ' ' '\n' | sort)" ]; then
				shown="21/tcp->$FTP_PORT and $FTP_PASV_MIN-$FTP_PASV_MAX/tcp (passive, same numbers inside)"
			else
				bad="$bad ftp publishes $ports (expected $want);"
			fi
			;;
		*) bad="$bad $s publishes $ports;" ;;
		esac
		published="$published $s: ${shown% };"
	done
	host_ip=$(ip -4 route get 1.1.1.1 2>/dev/null | sed -n 's/.* src \([0-9.]*\).*/\1/p')
	local probed=""
	for h in 127.0.0.1 $host_ip; do
		for p in 80 3306 6379 9000; do
			probed="$probed $h:$p"
			if answers "$h" "$p"; then
				bad="$bad $h:$p answers ($(ss -Htlnp "sport = :$p" | awk '{print $NF}' | head -n 1));"
			fi
		done
	done
	answers 127.0.0.1 "$PORT" || bad="$bad 443 (host $PORT) does not answer;"
	local figures="published:$published closed from the host:$probed"
	verdict exposure "$what" "$figures" "$bad"
}

# ---- processes ----------------------------------------------------------------

# Capability names by bit number (linux/capability.h, 0 to 40).
CAP_NAMES=(chown dac_override dac_read_search fowner fsetid kill setgid setuid setpcap
	linux_immutable net_bind_service net_broadcast net_admin net_raw ipc_lock ipc_owner
	sys_module sys_rawio sys_chroot sys_ptrace sys_pacct sys_admin sys_boot sys_nice
	sys_resource sys_time sys_tty_config mknod lease audit_write audit_control setfcap
	mac_override mac_admin syslog wake_alarm block_suspend audit_read perfmon bpf
	checkpoint_restore)

# cap_mask NAME,NAME...: the capability bit mask, as /proc/PID/status prints it.
# Names as libcap or Docker spell them (net_bind_service, CAP_NET_BIND_SERVICE).
cap_mask() {
	local mask=0 n i
	for n in ${1//,/ }; do
		n=${n,,}
		n=${n#cap_}
		[ "$n" = none ] && continue
		for i in "${!CAP_NAMES[@]}"; do
			[ "${CAP_NAMES[i]}" = "$n" ] && { mask=$((mask | 1 << i)); continue 2; }
		done
		echo "cap_mask: unknown capability $n" >&2
	done
	printf '%016x\n' "$mask"
}

# cap_names MASK: the names of the bits set in a /proc/PID/status mask.
cap_names() {
	local mask=$((16#$1)) i out=""
	for i in "${!CAP_NAMES[@]}"; do
		[ $((mask >> i & 1)) = 1 ] && out="$out,${CAP_NAMES[i]}"
	done
	echo "${out#,}"
}

# proc_table CONTAINER: "pid ppid uid capeff name" of every process, without
# the ones docker exec started (this probe, healthchecks) and their children:
# those come from outside, with Docker's default set, and are not the service.
proc_table() {
	docker exec "$1" sh -c '
		for d in /proc/[0-9]*; do
			awk -v p="${d#/proc/}" "
				/^Name:/ { n = \$2 } /^PPid:/ { pp = \$2 } /^Uid:/ { u = \$2 } /^CapEff:/ { c = \$2 }
				END { if (n != \"\") print p, pp, u, c, n }" "$d/status" 2>/dev/null
		done' | awk '
		{ line[$1] = $0; parent[$1] = $2; pids[++n] = $1 }
		END {
			for (i = 1; i <= n; i++) {
				p = pids[i]; outside = 0
				for (q = p; q != "" && q != 0 && q != 1; q = parent[q])
					if (parent[q] == 0) { outside = 1; break }
				if (!outside) print line[p]
			}
		}'
}

processes() {
	local what="uid and effective capabilities of every process in every container"
	local s id caps want container main summary="" bad="" pid uid eff name n_procs=0 initd_caps=""
	for s in $(dc config --services); do
		id=$(cid "$s")
		# The capabilities the service is meant to keep: its initd --caps.
		caps=$(docker inspect -f '{{join .Config.Entrypoint " "}}' "$id" | tr ' ' '\n' | sed -n 's/^--caps=//p')
		want=$(cap_mask "${caps:-none}")
		# What the container may hold at all (initd's own set): cap_drop ALL and
		# cap_add in the compose files; anything else means Docker's default set.
		if [ "$(docker inspect -f '{{join .HostConfig.CapDrop ","}}' "$id")" = ALL ]; then
			container=$(cap_mask "$(docker inspect -f '{{join .HostConfig.CapAdd ","}}' "$id")")
		else
			container="not narrowed (Docker's default set)"
		fi
		main=$(status_field "$s" pid)
		local mine="" n=0 table q probe
		table=$(proc_table "$id")
		# initd's probes (--ready-cmd, --check-cmd) run with the service's
		# credentials: any process below PID 1 but not below the service may
		# hold the service's capabilities, never more.
		local -A parent=()
		while read -r pid q _; do
			[ -n "$pid" ] && parent[$pid]=$q
		done <<<"$table"
		while read -r pid ppid uid eff name; do
			[ -n "$pid" ] || continue # <<< gives one empty line for an empty table
			n=$((n + 1))
			probe=0
			for ((q = ppid; q > 1 && q != ${main:-0}; q = ${parent[$q]:-0})); do :; done
			[ "$pid" != "$main" ] && [ "$q" = 1 ] && probe=1
			if [ "$pid" = 1 ]; then
				[ "$name" = initd ] || bad="$bad $s: PID 1 is $name;"
				[ "$eff" = "$container" ] ||
					bad="$bad $s: initd has $(cap_names "$eff"), the container grants $(cap_names "$container");"
				initd_caps="$initd_caps $s: $(cap_names "$eff");"
				continue
			fi
			if [ "$pid" = "$main" ]; then
				[ "$eff" = "$want" ] || bad="$bad $s: $name (main, uid $uid) has $eff, wants $want;"
				[ "$eff" = 0000000000000000 ] || mine="$mine $name(uid $uid) ${caps}"
			elif [ "$eff" != 0000000000000000 ] && ! { [ "$probe" = 1 ] && [ "$eff" = "$want" ]; }; then
				bad="$bad $s: $name ($pid, uid $uid) has $eff;"
			fi
		done <<<"$table"
		n_procs=$((n_procs + n))
		local uids
		uids=$(awk '$1 != 1 { print $3 }' <<<"$table" | sort -un | tr '\n' ',' | sed 's/,$//')
		summary="$summary $s: uids $uids${mine:+, caps:$mine};"
	done
	local figures="$n_procs processes;$summary initd (PID 1, root) holds exactly its container's cap_add, to run --pre and start, drop and stop its service:$initd_caps initd's probes at most their service's; every other process 0"
	verdict processes "$what" "$figures" "$bad"
}

# ---- secrets ------------------------------------------------------------------

secrets_scan() {
	local what="generated passwords + TLS key in image history/config/layers, containers, git history"
	local pat="$TMP/patterns" s id img found="" n_img=0 n_ctr=0 commits
	for s in "$SECRETS"/*.txt; do
		cat "$s"
		echo
	done | grep -v '^$' >"$pat"
	sed -n 2p "$SECRETS/tls/key.pem" >>"$pat"
	for s in $(dc config --services); do
		id=$(cid "$s")
		img=$(docker inspect -f '{{.Config.Image}}' "$id")
		n_img=$((n_img + 1))
		n_ctr=$((n_ctr + 1))
		found="$found$(secret_in_image "$img" "$pat" | sed "s|^| $img |; s|\$|;|")"
		found="$found$(secret_in_container "$id" "$pat" | sed "s|^| $s |; s|\$|;|")"
	done
	commits=$(git -C "$ROOT" rev-list --all | wc -l)
	git -C "$ROOT" log -p --all | grep -q -F -f "$pat" && found="$found git history;"
	git -C "$ROOT" grep -q -F -f "$pat" && found="$found tracked files;"
	local figures
	figures="$(wc -l <"$pat") secrets x $n_img images (history, config, layers), $n_ctr containers (config, environ, cmdline), git ($commits commits, every diff)"
	verdict secrets "$what" "$figures: ${found:+found in}${found:-none found}" "$found"
}

failed=0
# timed AREA-FUNCTION (STACK_ONLY="load tls" runs only those, for debugging)
timed() {
	local t
	case " ${STACK_ONLY:-$1} " in *" $1 "*) ;; *) return 0 ;; esac
	t=$(now_ms)
	"$@" || failed=1
	echo "stack: $1 took $((($(now_ms) - t) / 1000)) s"
}
timed durability
timed load
timed tls
# About a minute: the full table only.
[ "$mode" = FULL ] && timed testssl_scan
timed exposure
timed processes
timed secrets_scan
exit "$failed"
