/* duration_parse on any text; whatever it accepts must survive
 * parse -> format -> parse unchanged and stay within 0..24 h. */
#include "fuzz.h"

#include "supervisor/duration.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size);
	char buf[32];
	int64_t ms = -1, again = -1;

	if (duration_parse(text, &ms)) {
		CHECK(ms >= 0 && ms <= DURATION_MAX_MS);
		duration_format(ms, buf, sizeof buf);
		CHECK(strlen(buf) < sizeof buf - 1);
		CHECK(duration_parse(buf, &again));
		CHECK(again == ms);
	} else {
		CHECK(ms == -1); /* a rejected text leaves the output alone */
	}
	/* The other direction: any in-range value formats to something readable. */
	if (size >= sizeof(int64_t)) {
		int64_t v;
		memcpy(&v, data, sizeof v);
		v = (int64_t)((uint64_t)v % (uint64_t)(DURATION_MAX_MS + 1));
		duration_format(v, buf, sizeof buf);
		CHECK(duration_parse(buf, &again) && again == v);
	}
	free(text);
	return 0;
}
