#!/bin/sh
# The one-way rule between the two folders: supervisor/ decides, init/ acts.
# Every supervisor/ file must stay pure: no init/ header, no system header that
# exists for I/O or kernel calls, and no call to anything but the pure libc
# functions below. Calls are judged from the compiled objects (nm -u), not the
# source text, so a macro or a header that hides a call cannot slip by.
#
# usage: sh tests/build/layers.sh [ROOT]   (ROOT: a tree to check, this one by default)
set -eu

HERE=$(cd "$(dirname "$0")/../.." && pwd)
ROOT=$(cd "${1:-$HERE}" && pwd)
CC=${HOST_CC:-cc}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM

# shellcheck source=tests/build/lib.sh
. "$HERE/tests/build/lib.sh"

# System headers a decision may use, each for what it is needed for:
#   stdarg.h stdbool.h stddef.h stdint.h limits.h: the language's own.
#   errno.h: the E* numbers an exit code is chosen by; reading errno itself is
#     a call (__errno_location) that nm refuses.
#   string.h: the mem* and str* functions, all pure.
#   sys/types.h: pid_t, uid_t and gid_t, types only.
#   signal.h: the SIG* numbers that options, names and exit codes speak in. It
#     also declares kill() and sigaction(); the nm check below is what keeps
#     those out, so the header is allowed for its constants.
#   stdlib.h: POSIX defines the W* wait-status macros here as well as in
#     sys/wait.h, which declares wait(2); exit() and malloc() are kept out by nm.
# Not allowed, for one: unistd.h, fcntl.h, stdio.h, sys/wait.h, sys/mman.h,
# sys/prctl.h, sys/syscall.h, sys/stat.h, time.h, dirent.h, sys/capability.h
# (capnames.c keeps its own table of the kernel's names).
PURE_HEADERS="errno.h stdarg.h stdbool.h stddef.h stdint.h limits.h string.h sys/types.h signal.h stdlib.h"

# Functions outside supervisor/ a decision may call: pure libc, and what the
# headers above expand to (SIGRTMIN and SIGRTMAX are calls on glibc and musl
# that read a number fixed at startup).
PURE_CALLS="memchr memcmp memcpy memmove memset strchr strcmp strcspn strlen strncmp strnlen
strrchr strspn strstr __libc_current_sigrtmin __libc_current_sigrtmax __stack_chk_fail"

# includes FILE: the headers FILE names, one a line, "<x>" or "\"x\"" kept as written.
includes() {
	sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*\([<"][^>"]*[>"]\).*/\1/p' "$1"
}

no_init_header() {
	bad=$(includes "$1" | grep '^"init/' | tr '\n' ' ' || true)
	[ -z "$bad" ] || { echo "     $2 includes ${bad% }"; return 1; }
}

only_pure_headers() {
	allowed=$PURE_HEADERS
	bad=
	for h in $(includes "$1" | sed -n 's/^<\(.*\)>$/\1/p'); do
		case " $allowed " in
		*" $h "*) ;;
		*) bad="$bad <$h>" ;;
		esac
	done
	[ -z "$bad" ] || { echo "     $2 includes$bad"; return 1; }
}

only_pure_calls() {
	allowed=" $(echo "$PURE_CALLS" | tr '\n' ' ') "
	bad=
	for s in $(nm -u "$1" | awk '{print $NF}'); do
		case "$allowed" in
		*" $s "*) continue ;;
		esac
		# Defined by another supervisor/ object: a decision calling a decision.
		grep -qx "$s" "$TMP/defined" || bad="$bad $s"
	done
	[ -z "$bad" ] || { echo "     $2 calls$bad"; return 1; }
}

cd "$ROOT"
sources=$(ls supervisor/*.c)
files=$(ls supervisor/*.c supervisor/*.h)

# -O0: no call the source makes is optimised away before nm looks.
compiled=yes
for c in $sources; do
	o=$TMP/$(basename "$c" .c).o
	if ! "$CC" -std=c11 -D_GNU_SOURCE -DINITD_VERSION='"layers"' -I. -O0 -c -o "$o" "$c" 2>"$TMP/cc.log"; then
		sed 's/^/     /' "$TMP/cc.log"
		compiled=no
	fi
done
check "supervisor/*.c compile alone with $CC -I. ($(echo "$sources" | wc -w) files)" [ "$compiled" = yes ]
nm --defined-only "$TMP"/*.o 2>/dev/null | awk 'NF == 3 {print $3}' | sort -u >"$TMP/defined" || :

for f in $files; do
	check "$f: no init/ header" no_init_header "$f" "$f"
	check "$f: system headers for constants and pure functions only" only_pure_headers "$f" "$f"
done
for c in $sources; do
	o=$TMP/$(basename "$c" .c).o
	if [ -f "$o" ]; then
		check "$c: calls nothing but pure libc and supervisor/ (nm -u)" only_pure_calls "$o" "$c"
	fi
done

echo "layers: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
