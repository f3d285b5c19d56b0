#ifndef INITD_NOTIFY_H
#define INITD_NOTIFY_H

/* The sd_notify protocol's messages, as a service sends them to NOTIFY_SOCKET:
 * one datagram of newline-separated KEY=VALUE assignments. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bigger than any message systemd's own services send; a larger datagram is
 * dropped whole. */
#define NOTIFY_MAX 4096
#define NOTIFY_STATUS_MAX 96

struct notify_message {
	bool ready;      /* READY=1 */
	bool stopping;   /* STOPPING=1 */
	bool watchdog;   /* WATCHDOG=1 */
	bool has_status; /* STATUS= was present (it may be empty) */
	char status[NOTIFY_STATUS_MAX]; /* cut to fit, all but printable ASCII as '?' */
	int64_t extend_ms; /* EXTEND_TIMEOUT_USEC= rounded up to ms; -1 when absent */
};

/* Parses one datagram of len bytes. Unknown keys are ignored, as systemd does;
 * false for a malformed message (a NUL byte, a line without '=', a bad number
 * for a key initd uses), which is then dropped whole: msg says nothing. */
bool notify_parse(const char *data, size_t len, struct notify_message *msg);

#endif
