#include "supervisor/capnames.h"

#include <string.h>
#include <sys/capability.h>

#include "supervisor/strict.h"

#define CAP_NAME_MAX 40

static bool one_capability(const char *name, size_t len, uint64_t *mask)
{
	char canonical[CAP_NAME_MAX + 5];
	size_t at = 0;
	cap_value_t value;

	if (len == 0 || len > CAP_NAME_MAX)
		return false;
	if (!(len > 4 && (name[0] == 'c' || name[0] == 'C') && (name[1] == 'a' || name[1] == 'A') &&
	      (name[2] == 'p' || name[2] == 'P') && name[3] == '_')) {
		memcpy(canonical, "cap_", 4);
		at = 4;
	}
	for (size_t i = 0; i < len; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'))
			return false; /* libcap also reads numbers; a name must be a name */
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		canonical[at++] = c;
	}
	canonical[at] = '\0';
	if (cap_from_name(canonical, &value) != 0 || value < 0 || value >= CAP_MASK_BITS)
		return false;
	*mask |= UINT64_C(1) << value;
	return true;
}

bool capnames_parse(const char *list, uint64_t *mask, char *bad, size_t badsize)
{
	uint64_t result = 0;

	if (ascii_equal_nocase(list, "none")) {
		*mask = 0;
		return true;
	}
	const char *p = list;
	for (;;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (!one_capability(p, len, &result)) {
			size_t n = len < badsize - 1 ? len : badsize - 1;
			memcpy(bad, p, n);
			bad[n] = '\0';
			return false;
		}
		if (end == NULL)
			break;
		p = end + 1;
	}
	*mask = result;
	return true;
}
