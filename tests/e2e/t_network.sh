# shellcheck shell=sh
# TLS, ports and the network, checked with openssl s_client, curl and docker.

# handshake VERSION [OPENSSL ARG]...: print s_client's summary of one handshake.
handshake() {
	v=$1
	shift
	openssl s_client -connect "127.0.0.1:$PORT" -servername "$DOMAIN" "-$v" "$@" </dev/null 2>&1
}

tls_accepted() {
	out=$(handshake "$1") || fail "handshake failed: $out" || return 1
	echo "$out" | grep -q "^New, $2, Cipher is " || fail "no $2 in: $out" || return 1
	cipher=$(echo "$out" | sed -n "s/^New, $2, Cipher is //p" | head -n 1)
	case $cipher in
	*GCM* | *CHACHA20*) echo "$2 with $cipher" ;;
	*) fail "not an AEAD cipher: '$cipher'" ;;
	esac
}

# OpenSSL 3 refuses TLS < 1.2 on its own at security level 1: @SECLEVEL=0 makes
# the client willing, so only the server can refuse. A failed handshake still
# prints "Protocol : TLSv1.1": judge by the exit status and "Cipher is (NONE)".
tls_refused() {
	if out=$(handshake "$1" -cipher 'DEFAULT:@SECLEVEL=0'); then
		echo "$out" | grep -q 'Cipher is (NONE)' || fail "$1 was accepted: $out"
	fi
}

cbc_refused() {
	if out=$(handshake tls1_2 -cipher 'ECDHE-RSA-AES128-SHA256:ECDHE-RSA-AES128-SHA:AES128-SHA'); then
		echo "$out" | grep -q 'Cipher is (NONE)' || fail "a CBC cipher was accepted: $out"
	fi
}

# What nginx really loaded (nginx -T), beside what the handshakes show.
nginx_config() {
	conf=$(docker exec "$(cid nginx)" nginx -T 2>/dev/null) || fail "nginx -T failed" || return 1
	protos=$(echo "$conf" | sed -n 's/^[[:space:]]*ssl_protocols[[:space:]]*\(.*\);/\1/p' | sort -u)
	[ "$protos" = "TLSv1.2 TLSv1.3" ] || fail "ssl_protocols: '$protos'" || return 1
	listens=$(echo "$conf" | sed -n 's/^[[:space:]]*listen[[:space:]]*\([^;]*\);/\1/p' | sort -u)
	[ "$listens" = "443 ssl http2 default_server" ] || fail "listen directives: '$listens'"
}

only_443_published() {
	p=$(docker port "$(cid nginx)")
	[ -n "$p" ] || fail "nginx publishes nothing" || return 1
	echo "$p" | grep -v "^443/tcp -> .*:$PORT\$" && { fail "nginx publishes more than 443: $p"; return 1; }
	for s in wordpress mariadb; do
		p=$(docker port "$(cid "$s")")
		[ -z "$p" ] || fail "$s publishes $p" || return 1
	done
	echo "only 443/tcp -> $PORT"
}

# Listening TCP sockets in the nginx container, from /proc/net/tcp{,6}, but
# Docker's embedded DNS server (127.0.0.11, hex 0B00007F, on a random port).
only_443_listening() {
	ports=$(docker exec "$(cid nginx)" sh -c 'cat /proc/net/tcp /proc/net/tcp6 2>/dev/null' |
		awk '$4 == "0A" { split($2, a, ":"); if (a[1] != "0B00007F") print a[2] }' | sort -u)
	[ "$ports" = 01BB ] || fail "nginx listens on (hex) ports: $ports"
}

port_80_closed() {
	ip=$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$(cid nginx)")
	if curl -s --max-time 5 -o /dev/null "http://$ip:80/"; then
		fail "http://$ip:80/ answered"
	fi
	rc=0
	curl -s --max-time 5 -o /dev/null "http://$ip:80/" || rc=$?
	[ "$rc" -eq 7 ] || fail "expected 'connection refused' (curl 7) on $ip:80, got curl $rc"
	curl -sk --max-time 5 -o /dev/null "https://$ip:443/" || fail "443 does not answer on $ip, so the 80 test proves nothing"
}

one_bridge_network() {
	net="${PROJECT}_inception"
	[ "$(docker network inspect -f '{{.Driver}}' "$net")" = bridge ] || fail "$net is not a bridge network" || return 1
	for s in nginx wordpress mariadb; do
		nets=$(docker inspect -f '{{.HostConfig.NetworkMode}} {{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}' "$(cid "$s")")
		[ "$nets" = "$net $net " ] || fail "$s: networks '$nets', expected only $net" || return 1
	done
}

mariadb_not_published() {
	for s in mariadb wordpress; do
		b=$(docker inspect -f '{{json .HostConfig.PortBindings}}' "$(cid "$s")")
		case $b in '{}' | null) ;; *) fail "$s has port bindings: $b" || return 1 ;; esac
	done
}

run_network() {
	check "TLS 1.2 accepted, AEAD cipher" tls_accepted tls1_2 TLSv1.2
	check "TLS 1.3 accepted, AEAD cipher" tls_accepted tls1_3 TLSv1.3
	check "TLS 1.1 refused" tls_refused tls1_1
	check "TLS 1.0 refused" tls_refused tls1
	check "TLS 1.2 CBC ciphers refused" cbc_refused
	check "nginx's loaded config: ssl_protocols TLSv1.2 TLSv1.3, one listen on 443" nginx_config
	check "only 443 is published on the host" only_443_published
	check "nginx listens on 443 only (nothing on 80)" only_443_listening
	check "port 80 of nginx refuses connections" port_80_closed
	check "one user-defined bridge network, no host network" one_bridge_network
	check "mariadb and wordpress publish no port on the host" mariadb_not_published
}
