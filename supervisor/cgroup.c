#include "supervisor/cgroup.h"

#include <string.h>

#include "supervisor/fmt.h"
#include "supervisor/strict.h"

/* The line after "prefix" in text, copied into out (cut at a newline). */
static bool line_after(const char *text, size_t len, const char *prefix, char *out, size_t size)
{
	size_t plen = strlen(prefix);
	const char *end = text + len;

	for (const char *p = text; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *stop = nl ? nl : end;
		if ((size_t)(stop - p) >= plen && memcmp(p, prefix, plen) == 0)
			return copy_span(out, size, p + plen, (size_t)(stop - p) - plen);
		p = stop + 1;
	}
	return false;
}

bool cgroup_memory_path(const char *text, size_t len, char *path, size_t size, bool *v1)
{
	const char *end = text + len;

	/* v1: "4:memory:/docker/abc"; the controller list may name several. */
	for (const char *p = text; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *stop = nl ? nl : end;
		const char *c1 = memchr(p, ':', (size_t)(stop - p));
		const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(stop - c1 - 1)) : NULL;
		if (c2 != NULL) {
			for (const char *w = c1 + 1; w < c2;) {
				const char *comma = memchr(w, ',', (size_t)(c2 - w));
				const char *wend = comma ? comma : c2;
				if (wend - w == 6 && memcmp(w, "memory", 6) == 0) {
					/* v1's memory controller, even too long a path, is the answer. */
					if (!copy_span(path, size, c2 + 1, (size_t)(stop - c2 - 1)))
						return false;
					*v1 = true;
					return true;
				}
				w = wend + 1;
			}
		}
		p = stop + 1;
	}
	*v1 = false;
	return line_after(text, len, "0::", path, size);
}

bool cgroup_oom_kills(const char *text, size_t len, uint64_t *count)
{
	char value[24];
	unsigned long n;

	if (!line_after(text, len, "oom_kill ", value, sizeof value) || !parse_unsigned(value, ~0UL, &n))
		return false;
	*count = n;
	return true;
}

bool cgroup_memory_limit(const char *text, size_t len, uint64_t *bytes)
{
	char value[24];
	unsigned long n;
	size_t vlen = memchr(text, '\n', len) ? (size_t)((const char *)memchr(text, '\n', len) - text) : len;

	if (!copy_span(value, sizeof value, text, vlen))
		return false;
	if (strcmp(value, "max") == 0) {
		*bytes = 0;
		return true;
	}
	if (!parse_unsigned(value, ~0UL, &n))
		return false;
	/* v1 says "no limit" with the largest page-aligned number below 2^63. */
	*bytes = n >= (1ULL << 62) ? 0 : n;
	return true;
}

void cgroup_format_size(uint64_t bytes, char *buf, size_t size)
{
	static const char units[][4] = { "KiB", "MiB", "GiB", "TiB" };
	uint64_t scale = 1024;
	int unit = 0;

	if (bytes < 1024) {
		fmt(buf, size, "%llu bytes", (unsigned long long)bytes);
		return;
	}
	while (unit < 3 && bytes >= scale * 1024) {
		scale *= 1024;
		unit++;
	}
	/* One decimal, only when it says something: 64 MiB, 1.5 GiB. */
	uint64_t tenths = bytes % scale * 10 / scale;
	if (tenths != 0)
		fmt(buf, size, "%llu.%llu %s", (unsigned long long)(bytes / scale), (unsigned long long)tenths,
		    units[unit]);
	else
		fmt(buf, size, "%llu %s", (unsigned long long)(bytes / scale), units[unit]);
}
