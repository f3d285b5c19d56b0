#include "supervisor/status.h"

#include <string.h>

#include "supervisor/duration.h"
#include "supervisor/exitcode.h"
#include "supervisor/fmt.h"
#include "supervisor/strict.h"

size_t status_format(const struct status_record *rec, char *buf, size_t size)
{
	char last[16];
	int64_t ms = rec->changed_ms < 0 ? 0 : rec->changed_ms;

	if (rec->last_status < 0)
		fmt(last, sizeof last, "none");
	else
		fmt(last, sizeof last, "%d", rec->last_status);
	size_t n = fmt(buf, size,
		       "state=%s\npid=%ld\nrestarts=%u\nlast_status=%s\nchanged=%lld.%03lld\nready=%s\n"
		       "failures=%u\ncheck_failures=%u\nlast_reason=%s\noom_kills=%u\ntext=%s\n",
		       sv_state_name(rec->state), rec->pid, rec->restarts, last, (long long)(ms / 1000),
		       (long long)(ms % 1000), rec->ready ? "yes" : "no", rec->failures, rec->check_failures,
		       sv_reason_name(rec->last_reason), rec->oom_kills, rec->text);
	return n + 1 >= size ? 0 : n; /* a full buffer may have been cut */
}

/* "1763855401.123": seconds with exactly three decimals. */
static bool parse_time(const char *value, int64_t *ms)
{
	const char *dot = strchr(value, '.');
	unsigned long sec, frac;
	char whole[24];

	if (dot == NULL || strlen(dot + 1) != 3 || !copy_span(whole, sizeof whole, value, (size_t)(dot - value)))
		return false;
	if (!parse_unsigned(whole, 1UL << 40, &sec) || !parse_unsigned(dot + 1, 999, &frac))
		return false;
	*ms = (int64_t)sec * 1000 + (int64_t)frac;
	return true;
}

/* A name among count names from name_of, as its number; -1 when none. */
static int name_number(const char *value, int count, const char *(*name_of)(int))
{
	for (int i = 0; i < count; i++)
		if (strcmp(value, name_of(i)) == 0)
			return i;
	return -1;
}

static const char *state_name(int i)
{
	return sv_state_name((enum sv_state)i);
}

static const char *reason_name(int i)
{
	return sv_reason_name((enum sv_reason)i);
}

/* The keys in the order status_format writes them; the first five are required
 * (the format's first version had only those). */
static const char *const keys[] = { "state", "pid", "restarts", "last_status", "changed", "ready",
				     "failures", "check_failures", "last_reason", "oom_kills", "text" };
enum { KEYS = sizeof keys / sizeof keys[0], KEYS_REQUIRED = (1u << 5) - 1 };

static bool parse_count(const char *value, unsigned *out)
{
	unsigned long n;

	if (!parse_unsigned(value, 0xffffffffUL, &n))
		return false;
	*out = (unsigned)n;
	return true;
}

static bool parse_line(int key, const char *value, struct status_record *rec)
{
	unsigned long n;
	int i;

	switch (key) {
	case 0:
		if ((i = name_number(value, SV_STATE_COUNT, state_name)) < 0)
			return false;
		rec->state = (enum sv_state)i;
		return true;
	case 1:
		if (!parse_unsigned(value, 0x7fffffffUL, &n))
			return false;
		rec->pid = (long)n;
		return true;
	case 2:
		return parse_count(value, &rec->restarts);
	case 3:
		rec->last_status = -1;
		if (strcmp(value, "none") == 0)
			return true;
		if (!parse_unsigned(value, 255, &n))
			return false;
		rec->last_status = (int)n;
		return true;
	case 4:
		return parse_time(value, &rec->changed_ms);
	case 5:
		return parse_bool(value, &rec->ready);
	case 6:
		return parse_count(value, &rec->failures);
	case 7:
		return parse_count(value, &rec->check_failures);
	case 8:
		if ((i = name_number(value, SV_REASON_COUNT, reason_name)) < 0)
			return false;
		rec->last_reason = (enum sv_reason)i;
		return true;
	default:
		if (key == 9)
			return parse_count(value, &rec->oom_kills);
		if (strlen(value) >= sizeof rec->text)
			return false;
		copy_truncated(rec->text, sizeof rec->text, value);
		return true;
	}
}

bool status_parse(const char *text, size_t len, struct status_record *rec)
{
	unsigned seen = 0;
	const char *end = text + len;

	memset(rec, 0, sizeof *rec);
	if (memchr(text, '\0', len) != NULL)
		return false;
	for (const char *p = text; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *stop = nl ? nl : end;
		const char *eq = memchr(p, '=', (size_t)(stop - p));
		size_t klen = eq ? (size_t)(eq - p) : 0, vlen = eq ? (size_t)(stop - eq - 1) : 0;

		if (stop == p) {
			p = stop + 1;
			continue;
		}
		if (eq == NULL)
			return false;
		/* Keys this reader does not know may carry anything: skip them whole. */
		for (int k = 0; k < KEYS; k++) {
			if (strlen(keys[k]) != klen || memcmp(p, keys[k], klen) != 0)
				continue;
			char value[NOTIFY_STATUS_MAX + 8];
			if (!copy_span(value, sizeof value, eq + 1, vlen) || !parse_line(k, value, rec))
				return false;
			seen |= 1u << k;
		}
		p = stop + 1;
	}
	/* A writer from before readiness: running meant ready. */
	if (!(seen & 1u << 5))
		rec->ready = rec->state == SV_RUNNING;
	return (seen & KEYS_REQUIRED) == KEYS_REQUIRED;
}

static void civil_from_days(int64_t days, int64_t *year, unsigned *month, unsigned *day)
{
	days += 719468;
	int64_t era = (days >= 0 ? days : days - 146096) / 146097;
	unsigned doe = (unsigned)(days - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*day = doy - (153 * mp + 2) / 5 + 1;
	*month = mp < 10 ? mp + 3 : mp - 9;
	*year = (int64_t)yoe + era * 400 + (*month <= 2);
}

static void format_utc(int64_t unix_ms, char *buf, size_t size)
{
	int64_t secs = unix_ms / 1000, days = secs / 86400, rem = secs % 86400;
	int64_t year;
	unsigned month, day;

	if (rem < 0) {
		rem += 86400;
		days--;
	}
	civil_from_days(days, &year, &month, &day);
	fmt(buf, size, "%lld-%02u-%02u %02lld:%02lld:%02lld UTC", (long long)year, month, day,
	    (long long)(rem / 3600), (long long)(rem / 60 % 60), (long long)(rem % 60));
}

static void format_age(int64_t ms, char *buf, size_t size)
{
	if (ms < 0)
		ms = 0;
	if (ms < 1000)
		fmt(buf, size, "%lldms", (long long)ms);
	else if (ms < 120000)
		fmt(buf, size, "%llds", (long long)(ms / 1000));
	else if (ms < 2 * 3600000LL)
		fmt(buf, size, "%lldm%02llds", (long long)(ms / 60000), (long long)(ms / 1000 % 60));
	else
		fmt(buf, size, "%lldh%02lldm", (long long)(ms / 3600000), (long long)(ms / 60000 % 60));
}

void status_describe(const struct status_record *rec, int64_t now_ms, char *buf, size_t size)
{
	char age[24], last[48], when[32], pid[24] = "", ready[24] = "", checks[48] = "", oom[32] = "";
	char text[NOTIFY_STATUS_MAX + 16] = "";

	format_age(now_ms - rec->changed_ms, age, sizeof age);
	if (rec->last_status < 0)
		fmt(last, sizeof last, "none yet");
	else
		describe_exit_code(rec->last_status, last, sizeof last);
	format_utc(rec->changed_ms, when, sizeof when);
	if (rec->pid > 0)
		fmt(pid, sizeof pid, " (pid %ld)", rec->pid);
	if (rec->state == SV_RUNNING)
		fmt(ready, sizeof ready, "ready:     %s\n", rec->ready ? "yes" : "not yet");
	if (rec->check_failures > 0)
		fmt(checks, sizeof checks, "checks:    %u failed in a row\n", rec->check_failures);
	if (rec->text[0] != '\0')
		fmt(text, sizeof text, "service:   %s\n", rec->text);
	if (rec->oom_kills > 0)
		fmt(oom, sizeof oom, "oom kills: %u\n", rec->oom_kills);
	fmt(buf, size, "state:     %s%s for %s\n%s%s%srestarts:  %u (%u in a row)\nlast run:  %s (%s)\n%ssince:     %s\n",
	    sv_state_name(rec->state), pid, age, ready, checks, text, rec->restarts, rec->failures, last,
	    sv_reason_name(rec->last_reason), oom, when);
}

void status_json(const struct status_record *rec, int64_t now_ms, char *buf, size_t size)
{
	char last[8] = "null", text[2 * NOTIFY_STATUS_MAX];
	size_t n = 0;
	int64_t ms = rec->changed_ms < 0 ? 0 : rec->changed_ms;

	if (rec->last_status >= 0)
		fmt(last, sizeof last, "%d", rec->last_status);
	/* The text is printable ASCII already (notify_parse); only these two need escaping. */
	for (const char *c = rec->text; *c != '\0' && n + 3 < sizeof text; c++) {
		if (*c == '"' || *c == '\\')
			text[n++] = '\\';
		text[n++] = (char)((unsigned char)*c < 0x20 ? '?' : *c);
	}
	text[n] = '\0';
	fmt(buf, size,
	    "{\"state\":\"%s\",\"pid\":%ld,\"ready\":%s,\"check_failures\":%u,\"restarts_in_a_row\":%u,"
	    "\"restarts\":%u,\"last_status\":%s,\"last_reason\":\"%s\",\"oom_kills\":%u,\"status_text\":\"%s\","
	    "\"changed\":%lld.%03lld,\"for_ms\":%lld}\n",
	    sv_state_name(rec->state), rec->pid, rec->ready ? "true" : "false", rec->check_failures, rec->failures,
	    rec->restarts, last, sv_reason_name(rec->last_reason), rec->oom_kills, text, (long long)(ms / 1000),
	    (long long)(ms % 1000), (long long)(now_ms > ms ? now_ms - ms : 0));
}

bool status_healthy(const struct status_record *rec, int64_t now_ms, int64_t min_uptime_ms,
		    char *why, size_t whysize)
{
	char age[24];
	int64_t up = now_ms - rec->changed_ms;

	format_age(up, age, sizeof age);
	if (rec->state != SV_RUNNING) {
		fmt(why, whysize, "unhealthy: service is %s", sv_state_name(rec->state));
		return false;
	}
	if (!rec->ready) {
		fmt(why, whysize, "unhealthy: service is not ready yet (running for %s)", age);
		return false;
	}
	if (rec->check_failures > 0) {
		fmt(why, whysize, "unhealthy: %u check%s failed in a row", rec->check_failures,
		    rec->check_failures == 1 ? "" : "s");
		return false;
	}
	if (up < min_uptime_ms) {
		char need[24];
		duration_format(min_uptime_ms, need, sizeof need);
		fmt(why, whysize, "unhealthy: ready for %s, less than %s", age, need);
		return false;
	}
	fmt(why, whysize, "healthy: running and ready (pid %ld) for %s", rec->pid, age);
	return true;
}
