#!/bin/sh
# initd --pre for ftp, run as root before vsftpd starts.
# Creates the FTP user (uid and gid of www-data, home and chroot the WordPress
# files, no shell), sets its password from the secret, copies the certificate
# and key where only root reads them, and writes the final configuration with
# the passive-mode settings of .env. Idempotent: every start does it all again.
set -eu

conf=/run/vsftpd/vsftpd.conf
tls=/run/vsftpd/tls
site=/var/www/html

ME=ftp-setup
# shellcheck source=services/lib.sh
. /usr/local/lib/inception/lib.sh

user=${FTP_USER:?ftp-setup: FTP_USER is not set}
min=${FTP_PASV_MIN:-21100}
max=${FTP_PASV_MAX:-21109}
addr=${FTP_PASV_ADDRESS:-127.0.0.1}

case $user in
[a-z_]*) ;;
*) die "FTP_USER '$user': must start with a lower-case letter or _" ;;
esac
case $user in
*[!a-z0-9_-]* | ?????????????????????????????????*) die "FTP_USER '$user': lower-case letters, digits, _ and - only, at most 32" ;;
esac
for p in "$min" "$max"; do
	case $p in
	'' | *[!0-9]*) die "FTP_PASV_MIN/FTP_PASV_MAX must be port numbers (got '$min'-'$max')" ;;
	esac
done
if [ "$min" -lt 1024 ] || [ "$max" -gt 65535 ] || [ "$min" -gt "$max" ]; then
	die "passive ports $min-$max: need 1024 <= FTP_PASV_MIN <= FTP_PASV_MAX <= 65535"
fi
# vsftpd wants a numeric address here (no resolver at startup).
echo "$addr" | grep -Eq '^([0-9]{1,3}\.){3}[0-9]{1,3}$' ||
	die "FTP_PASV_ADDRESS '$addr' must be an IPv4 address that FTP clients can reach"
for s in ftp_password tls_cert tls_key; do
	need_secret "$s" "secrets certs"
done
case $(cat /run/secrets/ftp_password) in
*:* | *'
'*) die "the FTP password must not contain ':' or a newline" ;;
esac

# The FTP user is www-data under another name (same uid and gid, so uploads
# belong to WordPress), with the site as home and no shell.
if id -u "$user" >/dev/null 2>&1; then
	usermod --non-unique --uid 33 --gid www-data --home "$site" --shell /usr/sbin/nologin "$user"
else
	useradd --non-unique --uid 33 --gid www-data --no-create-home --home-dir "$site" \
		--shell /usr/sbin/nologin "$user"
fi
# chpasswd reads "user:password" on its standard input: the password is never
# an argument of any process.
printf '%s:%s\n' "$user" "$(cat /run/secrets/ftp_password)" | chpasswd
printf '%s\n' "$user" >/etc/vsftpd.userlist

umask 077
mkdir -p "$tls"
cp /run/secrets/tls_cert "$tls/cert.pem.tmp"
cp /run/secrets/tls_key "$tls/key.pem.tmp"
mv -f "$tls/cert.pem.tmp" "$tls/cert.pem"
mv -f "$tls/key.pem.tmp" "$tls/key.pem"

# The benchmarks' healthchecks (tests/bench/*.yml) log in for real (TLS, PAM,
# chroot, a passive listing); initd's own check reads the banner only:
# credentials in a root-only file, never on its command line.
printf 'machine 127.0.0.1 login %s password %s\n' "$user" "$(cat /run/secrets/ftp_password)" \
	>/run/vsftpd/health.netrc.tmp
mv -f /run/vsftpd/health.netrc.tmp /run/vsftpd/health.netrc

{
	cat /etc/vsftpd/inception.conf
	echo "pasv_min_port=$min"
	echo "pasv_max_port=$max"
	echo "pasv_address=$addr"
} >"$conf.tmp"
chmod 0600 "$conf.tmp"
mv -f "$conf.tmp" "$conf"

[ -d "$site" ] || die "$site is missing (the wordpress volume is not mounted)"
echo "ftp-setup: user '$user' (uid 33) chrooted to $site, passive ports $min-$max announced as $addr" >&2
