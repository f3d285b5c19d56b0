#include "init/leftovers.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "init/log.h"
#include "supervisor/errtext.h"
#include "supervisor/descendants.h"
#include "supervisor/fmt.h"
#include "supervisor/strict.h"

/* mmap instead of malloc: the table is needed once or twice in initd's life,
 * and keeping malloc out of the parent keeps musl's allocator out of the binary. */
struct process_table {
	pid_t *pids, *ppids, *found;
	size_t count, room;
};

static bool table_grow(struct process_table *t)
{
	size_t room = t->room ? t->room * 2 : 4096;
	size_t bytes = room * 3 * sizeof(pid_t);
	/* fd -1 is what MAP_ANONYMOUS asks for; cppcheck's posix library wants >= 0. */
	/* cppcheck-suppress invalidFunctionArg */
	pid_t *block = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (block == MAP_FAILED)
		return false;
	if (t->room) {
		memcpy(block, t->pids, t->count * sizeof(pid_t));
		memcpy(block + room, t->ppids, t->count * sizeof(pid_t));
		munmap(t->pids, t->room * 3 * sizeof(pid_t));
	}
	t->pids = block;
	t->ppids = block + room;
	t->found = block + 2 * room;
	t->room = room;
	return true;
}

static bool table_add(struct process_table *t, pid_t pid, pid_t ppid)
{
	if (t->count == t->room && !table_grow(t))
		return false;
	t->pids[t->count] = pid;
	t->ppids[t->count] = ppid;
	t->count++;
	return true;
}

static pid_t read_parent(int proc_fd, const char *pid_name)
{
	char path[32], text[512];
	ssize_t n;

	fmt(path, sizeof path, "%s/stat", pid_name);
	int fd = openat(proc_fd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	do
		n = read(fd, text, sizeof text - 1);
	while (n < 0 && errno == EINTR);
	close(fd);
	if (n <= 0)
		return -1;
	text[n] = '\0';
	return stat_parent(text);
}

/* The kernel's record layout for getdents64: every member must be declared for
 * d_name to sit at the right offset, used or not. */
struct linux_dirent64 {
	/* cppcheck-suppress unusedStructMember */
	uint64_t d_ino;
	/* cppcheck-suppress unusedStructMember */
	int64_t d_off;
	unsigned short d_reclen;
	/* cppcheck-suppress unusedStructMember */
	unsigned char d_type;
	char d_name[];
};

static bool read_processes(struct process_table *t)
{
	char buf[4096];
	unsigned long pid;
	long n;
	int proc = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (proc < 0)
		return false;
	while ((n = syscall(SYS_getdents64, proc, buf, sizeof buf)) > 0) {
		for (long at = 0; at < n;) {
			struct linux_dirent64 *d = (struct linux_dirent64 *)(void *)(buf + at);
			at += d->d_reclen;
			if (!parse_unsigned(d->d_name, (unsigned long)INT_MAX, &pid))
				continue;
			pid_t ppid = read_parent(proc, d->d_name);
			if (ppid >= 0 && !table_add(t, (pid_t)pid, ppid)) {
				close(proc);
				return false;
			}
		}
	}
	close(proc);
	return n == 0;
}

/* Orphans reparent to initd, so with no child left there is no descendant
 * either, and the walk over /proc (an open per process) can be skipped. */
static bool has_children(void)
{
	siginfo_t info;

	return waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) == 0;
}

void signal_descendants(int signo)
{
	struct process_table table = { 0 };

	if (!has_children())
		return;
	if (getpid() == 1) {
		kill(-1, signo);
		return;
	}
	if (read_processes(&table) && table.count > 0) {
		size_t n = descendants_of(getpid(), table.pids, table.ppids, table.count, table.found);
		for (size_t i = 0; i < n; i++)
			kill(table.found[i], signo);
	} else if (table.count == 0) {
		log_msg(LOG_ERROR, "cannot list processes to signal leftovers: %s", error_words(errno));
	}
	if (table.room)
		munmap(table.pids, table.room * 3 * sizeof(pid_t));
}
