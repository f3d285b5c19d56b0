#ifndef INITD_STATUS_H
#define INITD_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "supervisor/machine.h"

struct status_record {
	enum sv_state state;
	long pid;          /* 0 when no service process exists */
	bool ready;        /* the service said so (at once with --ready=exec) */
	unsigned check_failures; /* failed --check-cmd runs in a row */
	unsigned failures; /* restarts in a row (reset by a stable run) */
	unsigned restarts; /* in all */
	int last_status;   /* -1 before the first run ended */
	enum sv_reason last_reason;
	unsigned oom_kills;
	char text[NOTIFY_STATUS_MAX]; /* the service's STATUS= */
	int64_t changed_ms; /* Unix time of the last change of state, pid or readiness */
};

/* Inline, as the loop's one use of each is smaller than a call. */

/* What the status file should say about sv now (changed_ms left 0 for the
 * caller's clock). */
static inline struct status_record status_of(const struct supervisor *sv)
{
	struct status_record rec = {
		.state = sv->state,
		.pid = sv->child_is_service ? (long)sv->child : 0,
		.ready = sv->ready,
		.check_failures = sv->check_failures,
		.failures = sv->failures,
		.restarts = sv->restarts,
		.last_status = sv->last_status,
		.last_reason = sv->reason,
		.oom_kills = sv->oom_kills,
	};

	memcpy(rec.text, sv->status_text, sizeof rec.text);
	return rec;
}

/* Whether the state, the pid or readiness differ: the status's time is the
 * time of the last such change (what `initd health` counts uptime from). */
static inline bool status_moved(const struct status_record *a, const struct status_record *b)
{
	return a->state != b->state || a->pid != b->pid || a->ready != b->ready;
}

/* Whether two records differ in anything but changed_ms: only then is the file
 * rewritten. */
static inline bool status_differs(const struct status_record *a, const struct status_record *b)
{
	return status_moved(a, b) || a->check_failures != b->check_failures || a->failures != b->failures ||
	       a->restarts != b->restarts || a->last_status != b->last_status || a->last_reason != b->last_reason ||
	       a->oom_kills != b->oom_kills || strcmp(a->text, b->text) != 0;
}

/* Room for status_format's text, whatever the record holds. */
#define STATUS_TEXT_MAX 384

/* The status file's text: "key=value" lines. Returns its length, or 0 if it did
 * not fit in size bytes with one to spare (an exact fit cannot be told from a cut). */
size_t status_format(const struct status_record *rec, char *buf, size_t size);

/* Reads what status_format wrote. Unknown keys are skipped (newer writers may
 * add some); a missing or malformed known key is an error. */
bool status_parse(const char *text, size_t len, struct status_record *rec);

/* Several lines of words for `initd status`. */
void status_describe(const struct status_record *rec, int64_t now_ms, char *buf, size_t size);

/* One JSON object, one line, for `initd status --json`. */
void status_json(const struct status_record *rec, int64_t now_ms, char *buf, size_t size);

/* For `initd health`: true when running, ready, not failing its checks, and so
 * for at least min_uptime_ms; the reason either way goes to why (one line, no
 * newline). */
bool status_healthy(const struct status_record *rec, int64_t now_ms, int64_t min_uptime_ms,
		    char *why, size_t whysize);

#endif
