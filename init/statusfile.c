#include "init/statusfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h> /* rename */
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* linux/fs.h, which musl does not carry. */
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

#include "init/log.h"
#include "supervisor/errtext.h"
#include "supervisor/fmt.h"

static bool write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		buf += n;
		len -= (size_t)n;
	}
	return true;
}

void statusfile_write(const char *path, const char *text, size_t len)
{
	static bool warned;
	char tmp[4096];
	size_t n = fmt(tmp, sizeof tmp, "%s.tmp", path);
	int fd = -1;

	/* fmt truncates: a cut name would make some other file the temporary. */
	if (len == 0 || n + 1 >= sizeof tmp) {
		errno = ENAMETOOLONG;
		goto failed;
	}
	/* The temporary is the previous record's inode, swapped out by the last
	 * exchange, rewritten in place: no inode or block is ever freed, where a
	 * rename over the old file frees one, and on ext4 mounted with discard (as
	 * here, and Docker's overlay upper layers on it) that is a synchronous
	 * discard of 0.2-0.5 ms, on initd's exit path too. So no O_TRUNC either:
	 * ftruncate cuts what is left past the new text. */
	fd = open(tmp, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		goto failed;
	if (!write_all(fd, text, len) || ftruncate(fd, (off_t)len) != 0) {
		close(fd);
		unlink(tmp);
		goto failed;
	}
	close(fd);
	/* A plain rename the first time (nothing to exchange with yet), and where
	 * the kernel or file system cannot exchange. */
	if (syscall(SYS_renameat2, AT_FDCWD, tmp, AT_FDCWD, path, RENAME_EXCHANGE) != 0 && rename(tmp, path) != 0) {
		unlink(tmp);
		goto failed;
	}
	return;
failed:
	if (!warned) {
		warned = true;
		log_msg(LOG_NOTICE, "warning: cannot write status file %s: %s; initd status asks initd itself",
			path, error_words(errno));
	}
}

bool statusfile_read(const char *path, struct status_record *rec, char *err, size_t errsize)
{
	char text[1024];
	size_t len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		fmt(err, errsize, "cannot read status file %s: %s", path, error_words(errno));
		return false;
	}
	for (;;) {
		ssize_t n = read(fd, text + len, sizeof text - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fmt(err, errsize, "cannot read status file %s: %s", path, error_words(errno));
			close(fd);
			return false;
		}
		if (n == 0 || len + (size_t)n == sizeof text) {
			len += (size_t)n;
			break;
		}
		len += (size_t)n;
	}
	close(fd);
	if (len == sizeof text || !status_parse(text, len, rec)) {
		fmt(err, errsize, "status file %s is not an initd status file", path);
		return false;
	}
	return true;
}
