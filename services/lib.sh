# shellcheck shell=sh
# Shared by the services' setup scripts (initd --pre programs and the backup
# tools, POSIX sh): each image that runs one has this file at
# /usr/local/lib/inception/lib.sh, and the script sources it.

# die MESSAGE: MESSAGE on stderr, named after the script ($ME, else its file
# name), then exit 1: initd reports the --pre program's failure and stops.
die() {
	echo "${ME:-${0##*/}}: $*" >&2
	exit 1
}

# need_secret NAME [MAKE-TARGETS]: /run/secrets/NAME is there and not empty,
# or die saying which make targets make it (default: secrets).
need_secret() {
	[ -s "/run/secrets/$1" ] || die "missing or empty secret /run/secrets/$1 (run 'make ${2:-secrets}')"
}
