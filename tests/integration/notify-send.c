/*
 * notify-send: a test helper for the integration tests (never shipped) that
 * plays a service speaking systemd's sd_notify protocol to initd: each message
 * is one AF_UNIX datagram to $NOTIFY_SOCKET, "@name" meaning a Linux abstract
 * socket. No SCM_CREDENTIALS is sent: the kernel attaches the sender's real
 * credentials itself when the receiver has SO_PASSCRED, which is the point.
 * Options: see usage() below.
 */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static struct sockaddr_un sa = { .sun_family = AF_UNIX };
static socklen_t salen;
static const char *name;
static char fill[(1 << 20) + 1]; /* --size=N: N is at most 1 MiB */

static void usage(void)
{
	fputs("usage: notify-send [--child] [--size=N] [--repeat=MS [--count=K]] MESSAGE"
	      " [-- COMMAND [ARG]...]\n", stderr);
	exit(2);
}

/* Digits only: strtol alone would accept "-1", " 5" and "". */
static long number(const char *s, long min, long max)
{
	char *end;

	if (!isdigit((unsigned char)*s))
		usage();
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || *end || v < min || v > max)
		usage();
	return v;
}

static void send_or_die(int fd, const char *buf, size_t n)
{
	if (sendto(fd, buf, n, 0, (const struct sockaddr *)&sa, salen) < 0) {
		fprintf(stderr, "notify-send: sending %zu bytes to %s: %s\n", n, name, strerror(errno));
		exit(1);
	}
}

int main(int argc, char **argv)
{
	long size = -1, repeat_ms = 0, count = 0;
	int child = 0, i;

	for (i = 1; i < argc && strncmp(argv[i], "--", 2) == 0 && argv[i][2]; i++) {
		if (strcmp(argv[i], "--child") == 0)
			child = 1;
		else if (strncmp(argv[i], "--size=", 7) == 0)
			size = number(argv[i] + 7, 0, 1L << 20);
		else if (strncmp(argv[i], "--repeat=", 9) == 0)
			repeat_ms = number(argv[i] + 9, 1, 86400000L);
		else if (strncmp(argv[i], "--count=", 8) == 0)
			count = number(argv[i] + 8, 1, 1000000000L);
		else
			usage();
	}
	if (i >= argc || strcmp(argv[i], "--") == 0)
		usage();
	const char *msg = argv[i++];
	char **command = i < argc ? argv + i + 1 : NULL;
	/* A repeating sender never gets to exec; an empty MESSAGE cannot fill N bytes. */
	if ((command && (strcmp(argv[i], "--") != 0 || !*command)) || (count && !repeat_ms) ||
	    (repeat_ms && command) || (size > 0 && !*msg))
		usage();

	name = getenv("NOTIFY_SOCKET");
	if (!name || !*name) {
		fputs("notify-send: NOTIFY_SOCKET is not set\n", stderr);
		return 1;
	}
	size_t len = strlen(name);
	int path = name[0] != '@';
	/* A path needs room for its NUL; an abstract name has none, '@' becomes a leading NUL. */
	if (len > sizeof(sa.sun_path) - path) {
		fprintf(stderr, "notify-send: NOTIFY_SOCKET is too long: %s\n", name);
		return 1;
	}
	memcpy(sa.sun_path, name, len);
	salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len + path);
	if (!path)
		sa.sun_path[0] = '\0';

	const char *buf = msg;
	size_t n = strlen(msg);
	if (size >= 0) {
		for (long k = 0; k < size; k++)
			fill[k] = msg[(size_t)k % n];
		buf = fill;
		n = (size_t)size;
	}

	/* CLOEXEC: the exec'd command must not inherit a socket it never asked for. */
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		perror("notify-send: socket");
		return 1;
	}
	/* A datagram bigger than the send buffer fails with EMSGSIZE before initd ever sees
	 * it: grow the buffer (past wmem_max if root) so oversize tests reach the receiver. */
	int sndbuf = (int)n + 4096;
	if (n > 65536 && setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof(sndbuf)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));

	/* --child: the datagram comes from a pid other than the caller's, a forged sender. */
	pid_t pid = child ? fork() : 0;
	if (pid < 0) {
		perror("notify-send: fork");
		return 1;
	}
	if (pid > 0) {
		int status;
		if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
			return 1;
		if (WEXITSTATUS(status))
			return WEXITSTATUS(status);
	} else {
		/* A forged pinger must not outlive the service that started it. */
		if (child)
			prctl(PR_SET_PDEATHSIG, SIGKILL);
		send_or_die(fd, buf, n);
		/* A service that pings; with --count it then hangs: alive but silent. */
		if (repeat_ms) {
			struct timespec ts = { .tv_sec = repeat_ms / 1000, .tv_nsec = repeat_ms % 1000 * 1000000L };
			for (long sent = 1; !count || sent < count; sent++) {
				nanosleep(&ts, NULL);
				send_or_die(fd, buf, n);
			}
			for (;;)
				pause();
		}
		if (child)
			_exit(0);
	}

	/* Exec in this very process: the pid that sent the datagram stays the main pid. */
	if (command) {
		execvp(command[0], command);
		fprintf(stderr, "notify-send: cannot exec %s: %s\n", command[0], strerror(errno));
		return 127;
	}
	return 0;
}
