#include "supervisor/notify.h"

#include <string.h>

#include "supervisor/strict.h"

/* Whether the line of len bytes is "key=" followed by its value. */
static const char *value_of(const char *line, size_t len, const char *key)
{
	size_t klen = strlen(key);

	return len > klen && memcmp(line, key, klen) == 0 && line[klen] == '=' ? line + klen + 1 : NULL;
}

static bool parse_line(const char *line, size_t len, struct notify_message *msg)
{
	const char *end = line + len, *v;
	char number[24];
	unsigned long usec;

	if (memchr(line, '=', len) == NULL)
		return false;
	if ((v = value_of(line, len, "READY")) != NULL)
		msg->ready |= end - v == 1 && *v == '1';
	else if ((v = value_of(line, len, "STOPPING")) != NULL)
		msg->stopping |= end - v == 1 && *v == '1';
	else if ((v = value_of(line, len, "WATCHDOG")) != NULL)
		msg->watchdog |= end - v == 1 && *v == '1';
	else if ((v = value_of(line, len, "STATUS")) != NULL) {
		size_t n = (size_t)(end - v);
		if (n >= sizeof msg->status)
			n = sizeof msg->status - 1;
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)v[i];
			msg->status[i] = (char)(c < 0x20 || c > 0x7e ? '?' : c);
		}
		msg->status[n] = '\0';
		msg->has_status = true;
	} else if ((v = value_of(line, len, "EXTEND_TIMEOUT_USEC")) != NULL) {
		if (!copy_span(number, sizeof number, v, (size_t)(end - v)))
			return false;
		/* More than a day is as much as a deadline can be moved anyway. */
		if (!parse_unsigned(number, 86400000000UL, &usec))
			return false;
		msg->extend_ms = (int64_t)((usec + 999) / 1000);
	}
	return true;
}

static void clear(struct notify_message *msg)
{
	memset(msg, 0, sizeof *msg);
	msg->extend_ms = -1;
}

bool notify_parse(const char *data, size_t len, struct notify_message *msg)
{
	const char *end = data + len;

	clear(msg);
	if (len == 0 || memchr(data, '\0', len) != NULL)
		return false;
	for (const char *p = data; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *stop = nl ? nl : end;
		if (stop > p && !parse_line(p, (size_t)(stop - p), msg)) {
			clear(msg); /* nothing of a malformed message counts */
			return false;
		}
		p = stop + 1;
	}
	return true;
}
