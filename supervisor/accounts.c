#include "supervisor/accounts.h"

#include <string.h>

#include "supervisor/strict.h"

#define MAX_FIELDS 7

/* Splits one line at ':' into at most MAX_FIELDS fields (pointer and length). */
struct fields {
	const char *at[MAX_FIELDS];
	size_t len[MAX_FIELDS];
	int count;
};

static const char *next_line(const char *p, const char *end, struct fields *f)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	const char *stop = nl ? nl : end;

	f->count = 0;
	while (f->count < MAX_FIELDS) {
		const char *colon = memchr(p, ':', (size_t)(stop - p));
		const char *field_end = colon ? colon : stop;
		f->at[f->count] = p;
		f->len[f->count] = (size_t)(field_end - p);
		f->count++;
		if (colon == NULL)
			break;
		p = colon + 1;
	}
	return nl ? nl + 1 : end;
}

static bool field_is(const struct fields *f, int i, const char *text)
{
	size_t n = strlen(text);

	return f->len[i] == n && memcmp(f->at[i], text, n) == 0;
}

static bool field_id(const struct fields *f, int i, unsigned long *id)
{
	char digits[16];

	if (f->len[i] == 0 || !copy_span(digits, sizeof digits, f->at[i], f->len[i]))
		return false;
	return parse_unsigned(digits, 0xfffffffeUL, id);
}

bool passwd_find(const char *text, size_t len, const char *name, uid_t uid, struct account *out)
{
	const char *end = text + len;
	struct fields f;
	unsigned long u, g;

	for (const char *p = text; p < end;) {
		p = next_line(p, end, &f);
		/* A NUL inside the name would cut the copy short: uid 1000's entry
		 * "root\0x" must not come back as "root" and lend it root's groups. */
		if (f.count < 4 || f.len[0] == 0 || f.len[0] >= sizeof out->name ||
		    memchr(f.at[0], '\0', f.len[0]) != NULL)
			continue;
		if (!field_id(&f, 2, &u) || !field_id(&f, 3, &g))
			continue;
		if (name != NULL ? !field_is(&f, 0, name) : (uid_t)u != uid)
			continue;
		memcpy(out->name, f.at[0], f.len[0]);
		out->name[f.len[0]] = '\0';
		out->uid = (uid_t)u;
		out->gid = (gid_t)g;
		return true;
	}
	return false;
}

bool group_find(const char *text, size_t len, const char *name, gid_t *gid)
{
	const char *end = text + len;
	struct fields f;
	unsigned long g;

	for (const char *p = text; p < end;) {
		p = next_line(p, end, &f);
		if (f.count >= 3 && field_is(&f, 0, name) && field_id(&f, 2, &g)) {
			*gid = (gid_t)g;
			return true;
		}
	}
	return false;
}

static bool listed(const char *members, size_t len, const char *user)
{
	size_t n = strlen(user);

	for (const char *p = members, *end = members + len; p < end;) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *stop = comma ? comma : end;
		if ((size_t)(stop - p) == n && memcmp(p, user, n) == 0)
			return true;
		p = stop + 1;
	}
	return false;
}

static bool add_group(gid_t *groups, int *count, int max, gid_t gid)
{
	for (int i = 0; i < *count; i++)
		if (groups[i] == gid)
			return true;
	if (*count == max)
		return false;
	groups[(*count)++] = gid;
	return true;
}

int group_memberships(const char *text, size_t len, const char *user, gid_t primary, gid_t *groups, int max)
{
	const char *end = text + len;
	struct fields f;
	unsigned long g;
	int count = 0;

	if (!add_group(groups, &count, max, primary))
		return -1;
	for (const char *p = text; p < end;) {
		p = next_line(p, end, &f);
		if (f.count < 4 || !field_id(&f, 2, &g) || !listed(f.at[3], f.len[3], user))
			continue;
		if (!add_group(groups, &count, max, (gid_t)g))
			return -1;
	}
	return count;
}
