#include "supervisor/duration.h"

#include <string.h>

#include "supervisor/fmt.h"

bool duration_parse(const char *text, int64_t *ms)
{
	int64_t whole = 0, frac = 0, frac_scale = 1;
	const char *p = text;
	bool digits = false;

	if (text == NULL)
		return false;
	for (; *p >= '0' && *p <= '9'; p++) {
		whole = whole * 10 + (*p - '0');
		if (whole > DURATION_MAX_MS)
			return false;
		digits = true;
	}
	if (*p == '.') {
		p++;
		bool frac_digits = false;
		for (; *p >= '0' && *p <= '9'; p++) {
			/* Digits past a microsecond of a minute cannot change the result. */
			if (frac_scale < 1000000) {
				frac = frac * 10 + (*p - '0');
				frac_scale *= 10;
			}
			frac_digits = true;
		}
		if (!frac_digits)
			return false;
	}
	if (!digits)
		return false;

	int64_t unit;
	if (strcmp(p, "ms") == 0)
		unit = 1;
	else if (strcmp(p, "s") == 0 || *p == '\0')
		unit = 1000;
	else if (strcmp(p, "m") == 0)
		unit = 60 * INT64_C(1000);
	else
		return false;

	int64_t total = whole * unit + frac * unit / frac_scale;
	if (total > DURATION_MAX_MS)
		return false;
	*ms = total;
	return true;
}

void duration_format(int64_t ms, char *buf, size_t size)
{
	if (ms != 0 && ms % 60000 == 0)
		fmt(buf, size, "%lldm", (long long)(ms / 60000));
	else if (ms != 0 && ms % 1000 == 0)
		fmt(buf, size, "%llds", (long long)(ms / 1000));
	else
		fmt(buf, size, "%lldms", (long long)ms);
}
