#include "supervisor/descendants.h"

#include <stdbool.h>
#include <string.h>

static bool is_member(pid_t pid, pid_t root, const pid_t *set, size_t count)
{
	if (pid == root)
		return true;
	for (size_t i = 0; i < count; i++)
		if (set[i] == pid)
			return true;
	return false;
}

size_t descendants_of(pid_t root, const pid_t *pids, const pid_t *ppids, size_t n, pid_t *out)
{
	size_t count = 0;
	bool grew = true;

	/* One pass per generation; a process tree is shallow, so this stays cheap. */
	while (grew) {
		grew = false;
		for (size_t i = 0; i < n; i++) {
			if (pids[i] == root || is_member(pids[i], -1, out, count))
				continue;
			if (is_member(ppids[i], root, out, count)) {
				out[count++] = pids[i];
				grew = true;
			}
		}
	}
	return count;
}

pid_t stat_parent(const char *stat_text)
{
	const char *close = strrchr(stat_text, ')');
	long ppid = 0;

	/* ") S 1234 ..." : state, then the parent pid. */
	if (close == NULL || close[1] != ' ' || close[2] == '\0' || close[3] != ' ')
		return -1;
	const char *p = close + 4;
	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		ppid = ppid * 10 + (*p - '0');
		if (ppid > 0x7fffffffL)
			return -1;
	}
	if (*p != ' ' && *p != '\0' && *p != '\n')
		return -1;
	return (pid_t)ppid;
}
