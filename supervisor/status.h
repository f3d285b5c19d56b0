#ifndef INITD_STATUS_H
#define INITD_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "supervisor/machine.h"

struct status_record {
	enum sv_state state;
	long pid;          /* 0 when no service process exists */
	unsigned restarts;
	int last_status;   /* -1 before the first run ended */
	int64_t changed_ms; /* Unix time of the last state change */
};

/* Inline, as the loop's one use of each is smaller than a call. */

/* What the status file should say about sv now (changed_ms left 0 for the
 * caller's clock). */
static inline struct status_record status_of(const struct supervisor *sv)
{
	struct status_record rec = {
		.state = sv->state,
		.pid = sv->child_is_service ? (long)sv->child : 0,
		.restarts = sv->restarts,
		.last_status = sv->last_status,
	};

	return rec;
}

/* Whether two records differ in anything but changed_ms: only then is the file
 * rewritten, so that its time is the time of the last real change. */
static inline bool status_differs(const struct status_record *a, const struct status_record *b)
{
	return a->state != b->state || a->pid != b->pid || a->restarts != b->restarts ||
	       a->last_status != b->last_status;
}

/* The status file's text: "key=value" lines. Returns its length, or 0 if it did
 * not fit in size bytes with one to spare (an exact fit cannot be told from a cut). */
size_t status_format(const struct status_record *rec, char *buf, size_t size);

/* Reads what status_format wrote. Unknown keys are skipped (newer writers may
 * add some); a missing or malformed known key is an error. */
bool status_parse(const char *text, size_t len, struct status_record *rec);

/* Several lines of words for `initd status`. */
void status_describe(const struct status_record *rec, int64_t now_ms, char *buf, size_t size);

/* For `initd health`: true when running for at least min_uptime_ms; the reason
 * either way goes to why (one line, no newline). */
bool status_healthy(const struct status_record *rec, int64_t now_ms, int64_t min_uptime_ms,
		    char *why, size_t whysize);

#endif
