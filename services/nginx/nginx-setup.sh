#!/bin/sh
# initd --pre for nginx, run as root before the master starts.
# The certificate and key arrive as Docker secrets (bind mounts of host files,
# whose owner is the host user): copy them where the master, root without
# CAP_DAC_OVERRIDE, can read them, then check the configuration.
set -eu

src=/run/secrets
dst=/run/nginx/tls

for f in tls_cert tls_key; do
	if ! [ -r "$src/$f" ]; then
		echo "nginx-setup: missing secret $src/$f (run 'make certs')" >&2
		exit 1
	fi
done

umask 077
mkdir -p "$dst"
cp "$src/tls_cert" "$dst/cert.pem.tmp"
cp "$src/tls_key" "$dst/key.pem.tmp"
chmod 0644 "$dst/cert.pem.tmp"
chmod 0600 "$dst/key.pem.tmp"
mv -f "$dst/cert.pem.tmp" "$dst/cert.pem"
mv -f "$dst/key.pem.tmp" "$dst/key.pem"

# The page cache's folder on the pagecache volume (a tmpfs, empty after each
# start of the stack): the master, root without dac_override, could not make
# it there, and the workers (www-data) write it. Under make swarm the volume
# is a folder of DATA_DIR (shared between nodes), root's until handed over.
chown www-data:www-data /var/cache/inception
install -d -o www-data -g www-data -m 0700 /var/cache/inception/pages

# The swarm's edge listener (docs/swarm.md) only where the edge exists.
if [ "${NGINX_EDGE:-0}" = 1 ]; then
	cp /etc/nginx/inception/edge-listener.conf /run/nginx/listeners.conf
else
	: >/run/nginx/listeners.conf
fi

exec nginx -t -q
