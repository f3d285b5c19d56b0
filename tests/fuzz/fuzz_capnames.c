/* --caps lists: an accepted list is a mask of capabilities libcap knows, and
 * writing that mask back as names parses to the same mask. */
#include "fuzz.h"

#include <sys/capability.h>

#include "supervisor/capnames.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char bad[48];
	size_t badsize;
	uint64_t mask = 0, again = 0;

	if (size == 0)
		return 0;
	/* The caller's buffer size varies too: a cut name must still be terminated. */
	badsize = 1 + data[0] % sizeof bad;
	char *text = fuzz_string(data + 1, size - 1);
	memset(bad, 'x', sizeof bad);
	if (!capnames_parse(text, &mask, bad, badsize)) {
		CHECK(memchr(bad, '\0', badsize) != NULL);
		free(text);
		return 0;
	}
	char list[64 * 32] = "";
	size_t at = 0;
	for (int cap = 0; cap < 64; cap++) {
		if (!(mask & (UINT64_C(1) << cap)))
			continue;
		CHECK(cap_valid(cap));
		char *name = cap_to_name((cap_value_t)cap);
		CHECK(name != NULL);
		size_t n = strlen(name);
		CHECK(at + n + 2 < sizeof list);
		if (at > 0)
			list[at++] = ',';
		memcpy(list + at, name, n + 1);
		at += n;
		cap_free(name);
	}
	if (at > 0) {
		CHECK(capnames_parse(list, &again, bad, sizeof bad));
		CHECK(again == mask);
	}
	free(text);
	return 0;
}
