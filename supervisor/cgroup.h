#ifndef INITD_CGROUP_H
#define INITD_CGROUP_H

/* Reading the kernel's memory-cgroup files to tell an OOM kill from any other
 * SIGKILL: where the files are (from /proc/self/cgroup), the oom_kill counter
 * and the limit. cgroup v2 counts in memory.events, v1 in memory.oom_control;
 * both hold an "oom_kill N" line. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* From /proc/self/cgroup's text: the memory cgroup's path (v1 "N:memory:/p",
 * else v2 "0::/p") into path, and whether it is v1. false when neither is
 * listed. */
bool cgroup_memory_path(const char *text, size_t len, char *path, size_t size, bool *v1);

/* The "oom_kill N" counter of a memory.events or memory.oom_control text;
 * false when it has none. */
bool cgroup_oom_kills(const char *text, size_t len, uint64_t *count);

/* memory.max or memory.limit_in_bytes: the limit in bytes, or 0 for none
 * ("max", or v1's "no limit" of nearly 2^63). false when it is not a number. */
bool cgroup_memory_limit(const char *text, size_t len, uint64_t *bytes);

/* "64 MiB", "1.5 GiB", "512 KiB", "100 bytes". */
void cgroup_format_size(uint64_t bytes, char *buf, size_t size);

#endif
