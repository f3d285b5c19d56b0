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
	size_t n = fmt(buf, size, "state=%s\npid=%ld\nrestarts=%u\nlast_status=%s\nchanged=%lld.%03lld\n",
		       sv_state_name(rec->state), rec->pid, rec->restarts, last,
		       (long long)(ms / 1000), (long long)(ms % 1000));
	return n + 1 >= size ? 0 : n; /* a full buffer may have been cut */
}

static bool parse_state(const char *value, enum sv_state *state)
{
	for (int s = 0; s < SV_STATE_COUNT; s++)
		if (strcmp(value, sv_state_name((enum sv_state)s)) == 0) {
			*state = (enum sv_state)s;
			return true;
		}
	return false;
}

/* "1763855401.123": seconds with exactly three decimals. */
static bool parse_time(const char *value, int64_t *ms)
{
	const char *dot = strchr(value, '.');
	unsigned long sec, frac;
	char whole[24];

	if (dot == NULL || (size_t)(dot - value) >= sizeof whole || strlen(dot + 1) != 3)
		return false;
	memcpy(whole, value, (size_t)(dot - value));
	whole[dot - value] = '\0';
	if (!parse_unsigned(whole, 1UL << 40, &sec) || !parse_unsigned(dot + 1, 999, &frac))
		return false;
	*ms = (int64_t)sec * 1000 + (int64_t)frac;
	return true;
}

enum { KEY_STATE = 1, KEY_PID = 2, KEY_RESTARTS = 4, KEY_LAST = 8, KEY_CHANGED = 16,
       KEY_ALL = KEY_STATE | KEY_PID | KEY_RESTARTS | KEY_LAST | KEY_CHANGED };

static bool parse_line(const char *key, const char *value, struct status_record *rec, unsigned *seen)
{
	unsigned long n;

	if (strcmp(key, "state") == 0) {
		*seen |= KEY_STATE;
		return parse_state(value, &rec->state);
	}
	if (strcmp(key, "pid") == 0) {
		*seen |= KEY_PID;
		if (!parse_unsigned(value, 0x7fffffffUL, &n))
			return false;
		rec->pid = (long)n;
		return true;
	}
	if (strcmp(key, "restarts") == 0) {
		*seen |= KEY_RESTARTS;
		if (!parse_unsigned(value, 0xffffffffUL, &n))
			return false;
		rec->restarts = (unsigned)n;
		return true;
	}
	if (strcmp(key, "last_status") == 0) {
		*seen |= KEY_LAST;
		if (strcmp(value, "none") == 0) {
			rec->last_status = -1;
			return true;
		}
		if (!parse_unsigned(value, 255, &n))
			return false;
		rec->last_status = (int)n;
		return true;
	}
	if (strcmp(key, "changed") == 0) {
		*seen |= KEY_CHANGED;
		return parse_time(value, &rec->changed_ms);
	}
	return true;
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
		char key[16];
		size_t klen = eq ? (size_t)(eq - p) : 0, vlen = eq ? (size_t)(stop - eq - 1) : 0;

		if (stop == p) {
			p = stop + 1;
			continue;
		}
		if (eq == NULL)
			return false;
		/* Keys this reader does not know may carry anything: skip them whole. */
		if (klen < sizeof key) {
			memcpy(key, p, klen);
			key[klen] = '\0';
			bool known = strcmp(key, "state") == 0 || strcmp(key, "pid") == 0 ||
				     strcmp(key, "restarts") == 0 || strcmp(key, "last_status") == 0 ||
				     strcmp(key, "changed") == 0;
			if (known) {
				char value[64];
				if (vlen >= sizeof value)
					return false;
				memcpy(value, eq + 1, vlen);
				value[vlen] = '\0';
				if (!parse_line(key, value, rec, &seen))
					return false;
			}
		}
		p = stop + 1;
	}
	return seen == KEY_ALL;
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
	char age[24], last[48], when[32];

	format_age(now_ms - rec->changed_ms, age, sizeof age);
	if (rec->last_status < 0)
		fmt(last, sizeof last, "none yet");
	else
		describe_exit_code(rec->last_status, last, sizeof last);
	format_utc(rec->changed_ms, when, sizeof when);
	if (rec->pid > 0)
		fmt(buf, size,
			 "state:     %s (pid %ld) for %s\nrestarts:  %u\nlast run:  %s\nsince:     %s\n",
			 sv_state_name(rec->state), rec->pid, age, rec->restarts, last, when);
	else
		fmt(buf, size, "state:     %s for %s\nrestarts:  %u\nlast run:  %s\nsince:     %s\n",
			 sv_state_name(rec->state), age, rec->restarts, last, when);
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
	if (up < min_uptime_ms) {
		char need[24];
		duration_format(min_uptime_ms, need, sizeof need);
		fmt(why, whysize, "unhealthy: running for %s, less than %s", age, need);
		return false;
	}
	fmt(why, whysize, "healthy: running (pid %ld) for %s", rec->pid, age);
	return true;
}
