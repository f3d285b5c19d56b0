# shellcheck shell=sh
# ftp (vsftpd, explicit FTPS into the WordPress files): an upload over FTPS is
# served by the site and belongs to www-data; plain-text logins and clear data
# connections are refused; jailed in the site; TLS 1.2+; initd PID 1, least
# privilege, kill -9, graceful stop, no secret anywhere.
# Uses FTP_PORT, FTP_USER (from the test stack's .env, sourced by run.sh).

# ftp_netrc: the FTP credentials for curl, in a file (never on a command line).
ftp_netrc() {
	n="$TMP/ftp.netrc"
	(umask 077 && printf 'machine %s login %s password %s\n' "$DOMAIN" "$FTP_USER" "$(secret ftp_password)" >"$n")
	echo "$n"
}

# ftps URLPATH [CURL ARG]...: curl over explicit FTPS with the stack's
# certificate verified for $DOMAIN (which --resolve points at this host).
ftps() {
	p=$1
	shift
	curl -sS --max-time 15 --ssl-reqd --resolve "$DOMAIN:$FTP_PORT:127.0.0.1" \
		--cacert "$SECRETS/tls/cert.pem" --netrc-file "$(ftp_netrc)" "$@" "ftp://$DOMAIN:$FTP_PORT$p"
}


ftp_basics() {
	c=$(cid ftp)
	[ -n "$c" ] || fail "no ftp container" || return 1
	docker_healthy "$c" || return 1
	h=$(docker inspect -f '{{.State.Health.Status}} {{.HostConfig.RestartPolicy.Name}} {{.Config.Image}}' "$c")
	[ "$h" = "healthy unless-stopped ftp:$VERSION" ] || fail "ftp: '$h'" || return 1
	base=$(docker image inspect -f '{{index .RootFS.Layers 0}}' "ftp:$VERSION")
	[ "$base" = "$(docker image inspect -f '{{index .RootFS.Layers 0}}' debian:bookworm)" ] ||
		fail "ftp:$VERSION is not built FROM debian:bookworm" || return 1
	exe=$(docker exec "$c" readlink /proc/1/exe)
	[ "$exe" = /usr/local/bin/initd ] || fail "ftp: PID 1 is $exe" || return 1
	[ "$(status_field ftp state)" = running ] || fail "ftp: initd says '$(status_field ftp state)'" || return 1
	ports=$(docker port "$c" | sed 's/ -> .*:/->/' | sort -u | tr '\n' ' ')
	echo "$ports" | grep -q "21/tcp->$FTP_PORT " || fail "control port not published as $FTP_PORT: $ports" || return 1
	echo "$ports" | grep -q "$FTP_PASV_MIN/tcp->$FTP_PASV_MIN " || fail "passive ports not published as themselves: $ports" || return 1
	echo "ftp: $h, PID 1 initd, published: $(echo "$ports" | wc -w) ports"
}

# The listener: root with exactly net_bind_service, sys_chroot, setuid, setgid
# and chown (0x404c1); logged-in sessions: uid 33 with no capability.
ftp_users() {
	c=$(cid ftp)
	master=$(status_field ftp pid)
	line=$(procs "$c" | awk -v p="$master" '$1 == p')
	echo "$line" | grep -q ' 0 0 00000000000404c1 vsftpd$' ||
		fail "vsftpd listener: '$line' (expected uid 0, only 5 capabilities)" || return 1
	# Hold a session open (a slow download, 6 s at most) and look at its processes.
	(ftps /wp-includes/js/dist/components.js -o /dev/null --limit-rate 100k --max-time 6 >/dev/null 2>&1 &)
	deadline=$(($(now_ms) + 5000))
	sess=
	while [ -z "$sess" ] && [ "$(now_ms)" -lt "$deadline" ]; do
		sess=$(procs "$c" | awk '$5 == "vsftpd" && $2 == 33 { print $2, $4 }' | sort -u)
		sleep 0.1
	done
	[ "$sess" = "33 0000000000000000" ] || fail "logged-in session processes: '$sess' (expected uid 33, no capability)" || return 1
	others=$(procs "$c" | awk -v p="$master" '$5 == "vsftpd" && $1 != p && $4 != "0000000000000000"')
	[ -z "$others" ] || fail "vsftpd processes with capabilities besides the listener: $others" || return 1
	echo "listener uid 0 CapEff 0x404c1; sessions uid 33 CapEff 0"
}

ftp_upload_served() {
	name="e2e-ftp-$$-$(date +%s).txt"
	content="uploaded over FTPS $(date +%s%N)"
	printf '%s\n' "$content" >"$TMP/$name"
	ftps "/$name" -T "$TMP/$name" || fail "FTPS upload failed" || return 1
	got=$(https "/$name") || fail "GET /$name failed" || return 1
	[ "$got" = "$content" ] || fail "the site served '$got' instead of '$content'" || return 1
	owner=$(docker exec "$(cid wordpress)" stat -c '%u:%g %a' "/var/www/html/$name")
	[ "$owner" = "33:33 644" ] || fail "uploaded file is $owner, expected www-data (33:33) 644" || return 1
	# WordPress (php-fpm as www-data) can change what came in through FTP.
	docker exec -u www-data "$(cid wordpress)" sh -c "echo x >>/var/www/html/$name && rm /var/www/html/$name" ||
		fail "www-data cannot modify or remove the uploaded file" || return 1
	echo "uploaded $name, served by nginx, owned by 33:33 mode 644, writable by WordPress"
}

# A login without TLS: vsftpd answers USER/PASS with 530 before any password.
ftp_plain_refused() {
	out=$(curl -sS -v --max-time 10 --netrc-file "$(ftp_netrc)" --resolve "$DOMAIN:$FTP_PORT:127.0.0.1" \
		"ftp://$DOMAIN:$FTP_PORT/" -l 2>&1) && { fail "a plain-text login was accepted: $out"; return 1; }
	echo "$out" | grep -q '^< 530' || fail "no 530 for a plain-text login: $out" || return 1
	echo "$out" | grep '^< 530' | head -n 1
}

# TLS on the control connection only (curl --ftp-ssl-control): data refused.
ftp_clear_data_refused() {
	printf 'x\n' >"$TMP/clear.txt"
	out=$(curl -sS -v --max-time 10 --ftp-ssl-control --resolve "$DOMAIN:$FTP_PORT:127.0.0.1" \
		--cacert "$SECRETS/tls/cert.pem" --netrc-file "$(ftp_netrc)" -T "$TMP/clear.txt" \
		"ftp://$DOMAIN:$FTP_PORT/e2e-clear.txt" 2>&1) && { fail "a clear data connection was accepted"; return 1; }
	echo "$out" | grep -q '^< 522' || fail "no 522 for a clear data connection: $out" || return 1
	echo "$out" | grep '^< 522' | head -n 1
}

# The greeting, before any login or TLS, names no server or version.
ftp_banner() {
	out=$(curl -sS -v --max-time 10 "ftp://127.0.0.1:$FTP_PORT/" 2>&1 | tr -d '\r')
	banner=$(echo "$out" | sed -n 's/^< 220[ -]//p' | head -n 1)
	[ -n "$banner" ] || fail "no 220 greeting: $out" || return 1
	case $banner in
	*[vV][sS][fF][tT][pP][dD]* | *[0-9].[0-9]*) fail "the greeting says '$banner'" || return 1 ;;
	esac
	echo "220 $banner"
}

ftp_chrooted() {
	pwd=$(ftps / -l -v -Q PWD 2>&1 | tr -d '\r' | sed -n 's/^< 257 //p' | head -n 1)
	[ "$pwd" = '"/" is the current directory' ] || fail "PWD after login: '$pwd'" || return 1
	list=$(ftps / -l) || fail "listing / failed" || return 1
	echo "$list" | grep -qx wp-login.php || fail "/ is not the site: $list" || return 1
	ftps /etc/passwd -o /dev/null 2>/dev/null && { fail "/etc/passwd could be read"; return 1; }
	ftps /../../../etc/passwd -o /dev/null 2>/dev/null && { fail "../../../etc/passwd could be read"; return 1; }
	echo "jailed: / is the WordPress root ($(echo "$list" | grep -c .) entries), /etc unreachable"
}

ftp_tls_versions() {
	for v in tls1_2 tls1_3; do
		out=$(openssl s_client -connect "127.0.0.1:$FTP_PORT" -starttls ftp -"$v" </dev/null 2>&1) || true
		echo "$out" | grep -q 'Cipher is (NONE)' && { fail "$v refused: $out"; return 1; }
		echo "$out" | grep -Eq '^New, TLSv1\.[23]' || fail "$v: no session: $out" || return 1
	done
	out=$(openssl s_client -connect "127.0.0.1:$FTP_PORT" -starttls ftp -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0' </dev/null 2>&1) || true
	echo "$out" | grep -q 'Cipher is (NONE)' || fail "TLS 1.1 accepted: $out" || return 1
	echo "TLS 1.2 and 1.3 accepted, TLS 1.1 refused"
}

ftp_listing_ok() {
	ftps / -l >/dev/null
}

ftp_kill9() {
	restarted_in_place ftp 10 ftp_listing_ok
}

# A hang without a death (SIGSTOP of the service's process group): only initd's
# check can tell; it restarts the service in place.
ftp_hang() {
	restarted_after STOP ftp 45 ftp_listing_ok
}

# vsftpd has no graceful-stop handler and dies from SIGTERM (143), which is
# its normal stop.
ftp_stop() {
	stops_gracefully ftp "0 143"
}

# None of the generated passwords nor the TLS key in the image, the container's
# configuration, or any environment or command line in it.
ftp_no_secret() {
	pat="$TMP/ftp-patterns"
	secret_patterns "$pat" tls || return 1
	img="ftp:$VERSION"
	found=$(secret_in_image "$img" "$pat"; secret_in_container "$(cid ftp)" "$pat")
	[ -z "$found" ] || fail "a secret is in $img or the ftp container:" "$found" || return 1
	echo "$img: $(grep -c . "$pat") secrets looked for, none found"
}

run_bonus_ftp() {
	check "ftp: healthy, unless-stopped, ftp:$VERSION FROM debian:bookworm, initd PID 1, ports published" ftp_basics
	check "ftp: an FTPS upload is served by the site, owned by www-data" ftp_upload_served
	check "ftp: a plain-text login is refused (530)" ftp_plain_refused
	check "ftp: a clear data connection is refused (522)" ftp_clear_data_refused
	check "ftp: the greeting shows no server name or version" ftp_banner
	check "ftp: the user is jailed in the WordPress files" ftp_chrooted
	check "ftp: TLS 1.2/1.3 only" ftp_tls_versions
	check "ftp: listener root with 5 capabilities, sessions www-data with none" ftp_users
	check "ftp: kill -9 of vsftpd: initd restarts it, container stays" ftp_kill9
	check "ftp: vsftpd hangs (SIGSTOP): initd restarts it in place, answers again < 45 s" ftp_hang
	check "ftp: docker stop < 3 s, no SIGKILL" ftp_stop
	check "ftp: no secret in the image, container config, environments or command lines" ftp_no_secret
}
