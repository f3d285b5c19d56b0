#ifndef INITD_OOM_H
#define INITD_OOM_H
/* The kernel's OOM kills in initd's memory cgroup (the container's), read from
 * its oom_kill counter, read-only. No cgroup to read: everything here is off. */

#include <stdbool.h>
#include <stdint.h>

struct oom_watch {
	int fd;           /* memory.events (v2) or memory.oom_control (v1); -1: off */
	bool v1;          /* v1 cannot wake a poll: the loop looks once a second */
	uint64_t seen;    /* the counter when last read */
	uint64_t at_start;
};

void oom_open(struct oom_watch *w);

/* Kills since the last call (and updates w->seen). */
uint64_t oom_new_kills(struct oom_watch *w);

/* The memory limit in bytes, 0 when none or unknown. */
uint64_t oom_limit(const struct oom_watch *w);

#endif
