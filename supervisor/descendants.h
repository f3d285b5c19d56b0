#ifndef INITD_DESCENDANTS_H
#define INITD_DESCENDANTS_H

#include <stddef.h>
#include <sys/types.h>

/* Given every process as (pid, ppid) pairs, writes the descendants of root into
 * out (room for n) and returns how many there are, the order of out being the order
 * in which they were found, generation by generation. Cycles and unknown
 * parents are ignored. */
size_t descendants_of(pid_t root, const pid_t *pids, const pid_t *ppids, size_t n, pid_t *out);

/* Reads the parent pid from the text of /proc/PID/stat; -1 when malformed. The
 * command name may hold spaces and parentheses, so parsing starts after the last ')'. */
pid_t stat_parent(const char *stat_text);

#endif
