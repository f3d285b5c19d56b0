#include "init/oom.h"

#include <fcntl.h>
#include <limits.h>
#include <unistd.h>

#include "supervisor/cgroup.h"
#include "supervisor/fmt.h"

static char directory[PATH_MAX]; /* the cgroup's directory, where the limit is read */

static size_t read_at_start(int fd, char *buf, size_t size)
{
	ssize_t n = pread(fd, buf, size - 1, 0);
	return n > 0 ? (size_t)n : 0;
}

static size_t read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	size_t n = read_at_start(fd, buf, size);
	close(fd);
	return n;
}

static uint64_t counter(const struct oom_watch *w)
{
	char text[512];
	uint64_t count = 0;
	size_t n = read_at_start(w->fd, text, sizeof text);

	cgroup_oom_kills(text, n, &count);
	return count;
}

void oom_open(struct oom_watch *w)
{
	char text[2048], path[PATH_MAX], cgroup[PATH_MAX - 64];
	size_t n = read_file("/proc/self/cgroup", text, sizeof text);

	w->fd = -1;
	if (n == 0 || !cgroup_memory_path(text, n, cgroup, sizeof cgroup, &w->v1))
		return;
	/* The cgroup's own directory as the host names it, or, inside a
	 * container, the container's cgroup mounted at the root. */
	const char *root = w->v1 ? "/sys/fs/cgroup/memory" : "/sys/fs/cgroup";
	const char *file = w->v1 ? "memory.oom_control" : "memory.events";
	for (int attempt = 0; attempt < 2 && w->fd < 0; attempt++) {
		fmt(directory, sizeof directory, "%s%s", root, attempt == 0 ? cgroup : "");
		fmt(path, sizeof path, "%s/%s", directory, file);
		w->fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	if (w->fd >= 0)
		w->seen = w->at_start = counter(w);
}

uint64_t oom_new_kills(struct oom_watch *w)
{
	if (w->fd < 0)
		return 0;
	uint64_t now = counter(w), fresh = now > w->seen ? now - w->seen : 0;
	w->seen = now;
	return fresh;
}

uint64_t oom_limit(const struct oom_watch *w)
{
	char path[PATH_MAX + 32], text[32];
	uint64_t bytes = 0;

	if (w->fd < 0)
		return 0;
	fmt(path, sizeof path, "%s/%s", directory, w->v1 ? "memory.limit_in_bytes" : "memory.max");
	size_t n = read_file(path, text, sizeof text);
	if (n == 0 || !cgroup_memory_limit(text, n, &bytes))
		return 0;
	return bytes;
}
