#include "supervisor/backoff.h"


int64_t backoff_delay(int64_t min_ms, int64_t max_ms, unsigned k)
{
	int64_t delay = min_ms;

	if (delay <= 0)
		return 0;
	/* Doubling stops at the cap, so nothing can overflow whatever k is. */
	for (unsigned i = 1; i < k && delay < max_ms; i++)
		delay = delay > max_ms / 2 ? max_ms : delay * 2;
	return delay < max_ms ? delay : max_ms;
}
