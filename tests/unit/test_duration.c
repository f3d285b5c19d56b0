/* Durations: decimal number, optional ms/s/m suffix, bare number = seconds, <= 24 h. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>

#include "supervisor/duration.h"

struct good {
	const char *text;
	int64_t ms;
};

static void expect_good(const struct good *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int64_t ms = -12345;
		cr_expect(duration_parse(cases[i].text, &ms), "'%s' rejected", cases[i].text);
		cr_expect_eq(ms, cases[i].ms, "'%s': got %lld ms, want %lld", cases[i].text,
			     (long long)ms, (long long)cases[i].ms);
	}
}

static void expect_bad(const char *const *texts, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int64_t ms = -12345;
		cr_expect_not(duration_parse(texts[i], &ms), "'%s' accepted as %lld ms", texts[i],
			      (long long)ms);
		cr_expect_eq(ms, -12345, "'%s' wrote the output", texts[i]);
	}
}

Test(duration, every_suffix)
{
	static const struct good cases[] = {
		{ "250ms", 250 }, { "8s", 8000 }, { "1m", 60000 }, { "0ms", 0 },
		{ "1ms", 1 },     { "30s", 30000 }, { "10m", 600000 },
	};
	expect_good(cases, sizeof cases / sizeof cases[0]);
}

Test(duration, bare_number_is_seconds)
{
	static const struct good cases[] = {
		{ "5", 5000 }, { "0", 0 }, { "1", 1000 }, { "86400", 86400000 }, { "1.5", 1500 },
	};
	expect_good(cases, sizeof cases / sizeof cases[0]);
}

Test(duration, decimals)
{
	static const struct good cases[] = {
		{ "1.5s", 1500 },  { "0.25s", 250 }, { "0.001s", 1 }, { "1.5m", 90000 },
		{ "0.5m", 30000 }, { "2.75s", 2750 }, { "0.1m", 6000 }, { "1.0s", 1000 },
		{ "10.000s", 10000 },
	};
	expect_good(cases, sizeof cases / sizeof cases[0]);
}

Test(duration, limit_is_24_hours_inclusive)
{
	static const struct good ok[] = {
		{ "1440m", DURATION_MAX_MS },
		{ "86400s", DURATION_MAX_MS },
		{ "86400000ms", DURATION_MAX_MS },
		{ "86400", DURATION_MAX_MS },
		{ "1439.5m", DURATION_MAX_MS - 30000 },
	};
	static const char *const over[] = { "1441m", "86401s", "86400001ms", "86400.001s", "1440.1m",
					    "86401", "1440.0001m" };

	cr_assert_eq(DURATION_MAX_MS, 86400000LL);
	expect_good(ok, sizeof ok / sizeof ok[0]);
	expect_bad(over, sizeof over / sizeof over[0]);
}

Test(duration, huge_numbers_do_not_overflow)
{
	static const char *const huge[] = {
		"9223372036854775807ms", "9223372036854775808ms", "99999999999999999999999999s",
		"18446744073709551616", "153722867280912930m", "307445734561825861m",
		"1.99999999999999999999999999999m",
	};
	/* The last one is below the limit and must still parse (to about 2 minutes). */
	expect_bad(huge, sizeof huge / sizeof huge[0] - 1);
	int64_t ms = 0;
	cr_assert(duration_parse(huge[6], &ms));
	cr_assert(ms >= 119999 && ms <= 120000, "got %lld", (long long)ms);
}

Test(duration, garbage)
{
	static const char *const bad[] = {
		"",     "s",   "ms",  "m",   "1.",   ".5",   "5x",  "x5",  "5 s", " 5",  "5 ",
		"-1",   "-1s", "+1s", "1h",  "1d",   "1sec", "1ms5", "1.2.3", "1..2", "5mss",
		"5sm",  "1e3", "0x10", "soon", "1,5s", "5us", "5ns", "1..", "..", ".",  "1.s",
		".5s",  "5\n", "1m30s",
	};
	expect_bad(bad, sizeof bad / sizeof bad[0]);
}

Test(duration, null_is_rejected)
{
	int64_t ms = 7;

	cr_assert_not(duration_parse(NULL, &ms));
	cr_assert_eq(ms, 7);
}

Test(duration, format_shortest_exact_spelling)
{
	static const struct good cases[] = {
		{ "250ms", 250 }, { "8s", 8000 },     { "2m", 120000 }, { "0ms", 0 },
		{ "1500ms", 1500 }, { "90s", 90000 }, { "1440m", DURATION_MAX_MS },
		{ "1ms", 1 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char buf[32];
		duration_format(cases[i].ms, buf, sizeof buf);
		cr_expect_str_eq(buf, cases[i].text, "%lld ms", (long long)cases[i].ms);
	}
}

Test(duration, format_parse_round_trip)
{
	static const int64_t values[] = { 0, 1, 7, 250, 999, 1000, 1001, 8000, 59999, 60000,
					  61000, 90000, 3600000, DURATION_MAX_MS - 1, DURATION_MAX_MS };

	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
		char buf[32];
		int64_t back = -1;
		duration_format(values[i], buf, sizeof buf);
		cr_expect(duration_parse(buf, &back), "'%s' (from %lld) does not parse", buf,
			  (long long)values[i]);
		cr_expect_eq(back, values[i], "'%s' read back as %lld", buf, (long long)back);
	}
}

Test(duration, format_truncates_in_small_buffer)
{
	char buf[4];

	memset(buf, 'x', sizeof buf);
	duration_format(250, buf, sizeof buf);
	cr_assert_eq(buf[3], '\0');
	cr_assert_str_eq(buf, "250");
}
