/* Strict parsing helpers: whole-string numbers, yes/no words, ASCII case. */
#include <criterion/criterion.h>

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "supervisor/strict.h"

Test(strict, unsigned_accepts_whole_decimal)
{
	unsigned long v = 99;

	cr_assert(parse_unsigned("0", 10, &v));
	cr_assert_eq(v, 0UL);
	cr_assert(parse_unsigned("42", 100, &v));
	cr_assert_eq(v, 42UL);
	cr_assert(parse_unsigned("007", 100, &v));
	cr_assert_eq(v, 7UL);
}

Test(strict, unsigned_limit_is_inclusive)
{
	unsigned long v = 0;

	cr_assert(parse_unsigned("64", 64, &v));
	cr_assert_eq(v, 64UL);
	cr_assert_not(parse_unsigned("65", 64, &v));
	cr_assert(parse_unsigned("255", 255, &v));
	cr_assert_not(parse_unsigned("256", 255, &v));
}

/* A limit below 9 (the -v level is at most 3) must still bound every digit. */
Test(strict, unsigned_limit_below_a_digit)
{
	static const struct {
		const char *text;
		unsigned long max;
	} over[] = { { "4", 3 }, { "5", 3 }, { "9", 3 }, { "19", 3 }, { "1", 0 }, { "10", 3 } };
	unsigned long v = 0;

	cr_assert(parse_unsigned("3", 3, &v));
	cr_assert_eq(v, 3UL);
	cr_assert(parse_unsigned("0", 0, &v));
	cr_assert_eq(v, 0UL);
	for (size_t i = 0; i < sizeof over / sizeof over[0]; i++) {
		v = 777;
		cr_expect_not(parse_unsigned(over[i].text, over[i].max, &v), "'%s' accepted with max %lu (got %lu)",
			      over[i].text, over[i].max, v);
	}
}

Test(strict, unsigned_rejects_garbage_and_leaves_output)
{
	static const char *const bad[] = { "", "-1", "+1", " 1", "1 ", "1x", "x1", "0x10",
					   "1.0", "1e3", "１" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		unsigned long v = 12345;
		cr_expect_not(parse_unsigned(bad[i], 1000000, &v), "accepted '%s'", bad[i]);
		cr_expect_eq(v, 12345UL, "'%s' wrote the output", bad[i]);
	}
	unsigned long v = 1;
	cr_assert_not(parse_unsigned(NULL, 10, &v));
}

Test(strict, unsigned_no_overflow_at_ulong_max)
{
	unsigned long v = 0;
	char text[64];

	snprintf(text, sizeof text, "%lu", ULONG_MAX);
	cr_assert(parse_unsigned(text, ULONG_MAX, &v));
	cr_assert_eq(v, ULONG_MAX);
	/* One more than ULONG_MAX (18446744073709551616) must not wrap around. */
	cr_assert_not(parse_unsigned("18446744073709551616", ULONG_MAX, &v));
	cr_assert_not(parse_unsigned("99999999999999999999999", ULONG_MAX, &v));
}

Test(strict, bool_words_in_any_case)
{
	static const char *const yes[] = { "1", "yes", "YES", "Yes", "true", "TRUE", "on", "On" };
	static const char *const no[] = { "0", "no", "NO", "false", "False", "off", "OFF" };

	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		bool b = false;
		cr_expect(parse_bool(yes[i], &b), "'%s' rejected", yes[i]);
		cr_expect(b, "'%s' read as false", yes[i]);
	}
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
		bool b = true;
		cr_expect(parse_bool(no[i], &b), "'%s' rejected", no[i]);
		cr_expect_not(b, "'%s' read as true", no[i]);
	}
}

Test(strict, bool_rejects_other_words)
{
	static const char *const bad[] = { "", "2", "y", "n", "yess", "t", "truee", " 1", "1 ",
					   "maybe", "enable" };

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		bool b = true;
		cr_expect_not(parse_bool(bad[i], &b), "'%s' accepted", bad[i]);
	}
}

Test(strict, equal_nocase)
{
	cr_assert(ascii_equal_nocase("TERM", "term"));
	cr_assert(ascii_equal_nocase("", ""));
	cr_assert(ascii_equal_nocase("RtMiN", "rtmin"));
	cr_assert_not(ascii_equal_nocase("TERM", "TER"));
	cr_assert_not(ascii_equal_nocase("TER", "TERM"));
	cr_assert_not(ascii_equal_nocase("TERM", "TERN"));
	cr_assert_not(ascii_equal_nocase("", "a"));
	/* Only letters fold: '@' (0x40) and '`' (0x60) are not a case pair. */
	cr_assert_not(ascii_equal_nocase("@", "`"));
	cr_assert_not(ascii_equal_nocase("[", "{"));
}

Test(strict, copy_truncated_fits_and_truncates)
{
	char buf[6];

	memset(buf, 'x', sizeof buf);
	copy_truncated(buf, sizeof buf, "abc");
	cr_assert_str_eq(buf, "abc");
	copy_truncated(buf, sizeof buf, "abcdef");
	cr_assert_str_eq(buf, "abcde");
	copy_truncated(buf, sizeof buf, "abcde");
	cr_assert_str_eq(buf, "abcde");
	copy_truncated(buf, 1, "zzz");
	cr_assert_str_eq(buf, "");
	copy_truncated(buf, sizeof buf, "");
	cr_assert_str_eq(buf, "");
}

Test(strict, copy_truncated_zero_size_writes_nothing)
{
	char buf[2] = { 'q', 'r' };

	copy_truncated(buf, 0, "abc");
	cr_assert_eq(buf[0], 'q');
	cr_assert_eq(buf[1], 'r');
}

Test(strict, copy_span_fits_or_leaves_dst_alone)
{
	char buf[4];

	cr_assert(copy_span(buf, sizeof buf, "abcdef", 3));
	cr_assert_str_eq(buf, "abc");
	cr_assert_not(copy_span(buf, sizeof buf, "wxyz", 4)); /* no room for the terminator */
	cr_assert_str_eq(buf, "abc");
	cr_assert(copy_span(buf, sizeof buf, "", 0));
	cr_assert_str_eq(buf, "");
	cr_assert_not(copy_span(buf, 0, "", 0));
}
