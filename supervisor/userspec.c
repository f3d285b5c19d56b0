#include "supervisor/userspec.h"

#include <string.h>

static bool valid_part(const char *start, size_t len)
{
	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++)
		if (start[i] == ':' || start[i] == ' ' || start[i] == '\t' || start[i] == '\n')
			return false;
	return true;
}

bool userspec_split(const char *spec, char *user, size_t usersize, char *group, size_t groupsize)
{
	const char *colon = strchr(spec, ':');
	size_t ulen = colon ? (size_t)(colon - spec) : strlen(spec);
	size_t glen = colon ? strlen(colon + 1) : 0;

	if (!valid_part(spec, ulen) || ulen >= usersize)
		return false;
	if (colon && (!valid_part(colon + 1, glen) || glen >= groupsize))
		return false;
	memcpy(user, spec, ulen);
	user[ulen] = '\0';
	if (colon)
		memcpy(group, colon + 1, glen);
	group[glen] = '\0';
	return true;
}
