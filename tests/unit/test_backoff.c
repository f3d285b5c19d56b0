/* Restart k waits min * 2^(k-1), capped at max. Durations are at most 24 h, so
 * that is the largest max tested. */
#include <criterion/criterion.h>

#include <stdint.h>

#include "supervisor/backoff.h"

Test(backoff, doubles_from_min)
{
	static const int64_t want[] = { 250, 500, 1000, 2000, 4000, 8000, 16000 };

	for (unsigned k = 1; k <= 7; k++)
		cr_expect_eq(backoff_delay(250, 30000, k), want[k - 1], "k=%u", k);
}

Test(backoff, capped_at_max)
{
	cr_assert_eq(backoff_delay(250, 30000, 8), 30000); /* 32000 > 30000 */
	cr_assert_eq(backoff_delay(250, 30000, 9), 30000);
	cr_assert_eq(backoff_delay(250, 30000, 100), 30000);
	cr_assert_eq(backoff_delay(250, 1000, 3), 1000);
	cr_assert_eq(backoff_delay(250, 1000, 4), 1000);
	cr_assert_eq(backoff_delay(300, 1000, 3), 1000); /* 1200 capped */
	cr_assert_eq(backoff_delay(300, 1000, 2), 600);
}

Test(backoff, min_equal_max)
{
	for (unsigned k = 1; k < 10; k++)
		cr_expect_eq(backoff_delay(1000, 1000, k), 1000, "k=%u", k);
}

Test(backoff, first_restart_is_min)
{
	cr_assert_eq(backoff_delay(100, 30000, 1), 100);
	cr_assert_eq(backoff_delay(1, 86400000, 1), 1);
	cr_assert_eq(backoff_delay(7, 86400000, 2), 14);
}

Test(backoff, huge_k_does_not_overflow)
{
	cr_assert_eq(backoff_delay(250, 30000, UINT32_MAX), 30000);
	cr_assert_eq(backoff_delay(1, 86400000, 64), 86400000);
	cr_assert_eq(backoff_delay(1, 86400000, 65), 86400000);
	cr_assert_eq(backoff_delay(86400000, 86400000, UINT32_MAX), 86400000);
	cr_assert_eq(backoff_delay(1, 86400000, 27), 67108864);
	cr_assert_eq(backoff_delay(1, 86400000, 28), 86400000);
}

Test(backoff, min_zero_means_no_delay)
{
	for (unsigned k = 1; k < 70; k++)
		cr_expect_eq(backoff_delay(0, 30000, k), 0, "k=%u", k);
}

Test(backoff, max_zero_means_no_delay)
{
	cr_assert_eq(backoff_delay(0, 0, 1), 0);
	cr_assert_eq(backoff_delay(0, 0, 5), 0);
}

Test(backoff, never_above_max_never_below_min)
{
	for (int64_t min = 1; min <= 2000; min = min * 3 + 1)
		for (int64_t max = min; max <= 100000; max = max * 5 + 3)
			for (unsigned k = 1; k < 40; k++) {
				int64_t d = backoff_delay(min, max, k);
				cr_expect(d >= min && d <= max, "min %lld max %lld k %u: %lld", (long long)min,
					  (long long)max, k, (long long)d);
				if (k > 1)
					cr_expect(d == max || d == 2 * backoff_delay(min, max, k - 1),
						  "min %lld max %lld k %u: %lld", (long long)min, (long long)max, k,
						  (long long)d);
			}
}
