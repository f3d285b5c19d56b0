/* --user USER[:GROUP]: an accepted spec splits into two clean parts that join
 * back to the input, within the buffers the caller gave. */
#include "fuzz.h"

#include "supervisor/userspec.h"

static int clean(const char *s)
{
	return strpbrk(s, ": \t\n") == NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char user[80], group[80];

	if (size < 2)
		return 0;
	size_t usersize = 1 + data[0] % sizeof user, groupsize = 1 + data[1] % sizeof group;
	char *spec = fuzz_string(data + 2, size - 2);
	if (userspec_split(spec, user, usersize, group, groupsize)) {
		size_t ul = strlen(user), gl = strlen(group);
		CHECK(ul > 0 && ul < usersize && clean(user));
		CHECK(gl < groupsize && clean(group));
		CHECK(strncmp(spec, user, ul) == 0);
		if (gl == 0)
			CHECK(spec[ul] == '\0');
		else
			CHECK(spec[ul] == ':' && strcmp(spec + ul + 1, group) == 0);
	}
	free(spec);
	return 0;
}
