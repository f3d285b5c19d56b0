#include <criterion/criterion.h>

#include "supervisor/timers.h"

static struct timers t;

static void fresh(void)
{
	timers_init(&t);
}

TestSuite(timers, .init = fresh);

Test(timers, none_armed_waits_for_ever)
{
	cr_expect_eq(timers_wait_ms(&t, 0), -1);
	cr_expect_eq(timers_due(&t, INT64_MAX), TIMER_SLOTS);
}

Test(timers, armed_slot_sets_the_timeout_and_comes_due)
{
	timers_set(&t, TIMER_MACHINE, 100);
	cr_expect_eq(timers_wait_ms(&t, 40), 60);
	cr_expect_eq(timers_due(&t, 99), TIMER_SLOTS);
	cr_expect_eq(timers_due(&t, 100), TIMER_MACHINE);
}

Test(timers, a_passed_deadline_means_no_sleep)
{
	timers_set(&t, TIMER_MACHINE, 100);
	cr_expect_eq(timers_wait_ms(&t, 250), 0);
	cr_expect_eq(timers_due(&t, 250), TIMER_MACHINE);
}

Test(timers, negative_disarms)
{
	timers_set(&t, TIMER_MACHINE, 100);
	timers_set(&t, TIMER_MACHINE, -5);
	cr_expect_eq(t.at_ms[TIMER_MACHINE], -1);
	cr_expect_eq(timers_wait_ms(&t, 0), -1);
}

Test(timers, time_zero_is_a_deadline)
{
	timers_set(&t, TIMER_MACHINE, 0);
	cr_expect_eq(timers_wait_ms(&t, 0), 0);
	cr_expect_eq(timers_due(&t, 0), TIMER_MACHINE);
}
