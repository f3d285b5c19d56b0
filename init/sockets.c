#include "init/sockets.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "supervisor/fmt.h"
#include "supervisor/plan.h"
#include "supervisor/strict.h"

/* An abstract address: a NUL, then the name, no terminator. */
static socklen_t abstract_address(struct sockaddr_un *addr, const char *name)
{
	size_t len = strnlen(name, sizeof addr->sun_path - 1);

	memset(addr, 0, sizeof *addr);
	addr->sun_family = AF_UNIX;
	memcpy(addr->sun_path + 1, name, len);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + len);
}

static int datagram_socket(void)
{
	return socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
}

/* Binding only the family asks the kernel for a fresh abstract name. */
static bool autobind(int fd)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };

	return bind(fd, (struct sockaddr *)&addr, sizeof addr.sun_family) == 0;
}

int notify_open(char *name, size_t size)
{
	struct sockaddr_un addr;
	socklen_t len = sizeof addr;
	int on = 1, fd = datagram_socket();

	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &on, sizeof on) != 0 || !autobind(fd) ||
	    getsockname(fd, (struct sockaddr *)&addr, &len) != 0) {
		close(fd);
		return -1;
	}
	size_t n = len - offsetof(struct sockaddr_un, sun_path) - 1;
	fmt(name, size, "@%.*s", (int)n, addr.sun_path + 1);
	return fd;
}

ssize_t notify_receive(int fd, char *buf, size_t size, pid_t *sender, bool *truncated)
{
	union {
		struct cmsghdr align;
		char space[CMSG_SPACE(sizeof(struct ucred)) + CMSG_SPACE(16 * sizeof(int))];
	} control;
	struct iovec iov = { .iov_base = buf, .iov_len = size };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.space,
			      .msg_controllen = sizeof control.space };
	ssize_t n;

	do
		n = recvmsg(fd, &msg, MSG_DONTWAIT | MSG_TRUNC | MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	*sender = 0;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level != SOL_SOCKET)
			continue;
		if (c->cmsg_type == SCM_CREDENTIALS) {
			struct ucred cred;
			memcpy(&cred, CMSG_DATA(c), sizeof cred);
			*sender = cred.pid;
		} else if (c->cmsg_type == SCM_RIGHTS) {
			/* A file-descriptor store initd does not keep. */
			size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
			for (size_t i = 0; i < count; i++) {
				int passed;
				memcpy(&passed, CMSG_DATA(c) + i * sizeof(int), sizeof passed);
				close(passed);
			}
		}
	}
	*truncated = (size_t)n > size || (msg.msg_flags & MSG_TRUNC);
	return *truncated ? (ssize_t)size : n;
}

/* The PID namespace's inode, which stat would report, is also in the text of
 * its link, "pid:[4026531836]" (namespaces(7)): readlink keeps musl's stat
 * family (fstatat and its fallbacks, about 800 bytes) out of the binary, once
 * map_file in privileges.c needs no fstat either. */
bool status_socket_name(const char *status_file, char *name, size_t size)
{
	char link[32];
	ssize_t n = readlink("/proc/self/ns/pid", link, sizeof link - 1);
	unsigned long inode;

	if (n < 7 || memcmp(link, "pid:[", 5) != 0 || link[n - 1] != ']')
		return false;
	link[n - 1] = '\0';
	if (!parse_unsigned(link + 5, ULONG_MAX, &inode))
		return false;
	plan_status_socket_name((uint64_t)inode, status_file, name, size);
	return true;
}

int status_socket_open(const char *name)
{
	struct sockaddr_un addr;
	socklen_t len = abstract_address(&addr, name);
	int fd = datagram_socket();

	if (fd >= 0 && bind(fd, (struct sockaddr *)&addr, len) != 0) {
		int error = errno;
		close(fd);
		errno = error;
		return -1;
	}
	return fd;
}

void status_socket_answer(int fd, const char *text, size_t len)
{
	struct sockaddr_un from;
	char query[16];

	for (;;) {
		socklen_t from_len = sizeof from;
		ssize_t n = recvfrom(fd, query, sizeof query, MSG_DONTWAIT, (struct sockaddr *)&from, &from_len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return;
		/* An unbound asker has no address to answer to. */
		if (from_len > sizeof from.sun_family)
			sendto(fd, text, len, MSG_DONTWAIT | MSG_NOSIGNAL, (struct sockaddr *)&from, from_len);
	}
}

size_t status_socket_ask(const char *name, char *buf, size_t size)
{
	struct sockaddr_un addr;
	socklen_t len = abstract_address(&addr, name);
	int fd = datagram_socket();
	ssize_t n = -1;

	if (fd < 0)
		return 0;
	if (autobind(fd) && sendto(fd, "status", 6, MSG_NOSIGNAL, (struct sockaddr *)&addr, len) == 6) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (poll(&p, 1, 1000) == 1)
			n = recv(fd, buf, size, MSG_DONTWAIT | MSG_TRUNC);
	}
	close(fd);
	return n > 0 && (size_t)n < size ? (size_t)n : 0;
}
