/* The small snprintf: the conversions initd uses, widths, zero padding, truncation. */
#include <criterion/criterion.h>

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "supervisor/fmt.h"

Test(fmt, plain_text_and_percent)
{
	char buf[64];

	cr_assert_eq(fmt(buf, sizeof buf, "hello"), 5u);
	cr_assert_str_eq(buf, "hello");
	cr_assert_eq(fmt(buf, sizeof buf, "%s", ""), 0u);
	cr_assert_str_eq(buf, "");
	cr_assert_eq(fmt(buf, sizeof buf, "100%%"), 4u);
	cr_assert_str_eq(buf, "100%");
}

Test(fmt, signed_numbers)
{
	char buf[64];

	fmt(buf, sizeof buf, "%d %d %d", 0, 42, -7);
	cr_assert_str_eq(buf, "0 42 -7");
	fmt(buf, sizeof buf, "%d|%d", INT_MAX, INT_MIN);
	cr_assert_str_eq(buf, "2147483647|-2147483648");
	fmt(buf, sizeof buf, "%ld|%ld", LONG_MAX, LONG_MIN);
	cr_assert_str_eq(buf, "9223372036854775807|-9223372036854775808");
	fmt(buf, sizeof buf, "%lld|%lld", LLONG_MAX, LLONG_MIN);
	cr_assert_str_eq(buf, "9223372036854775807|-9223372036854775808");
}

Test(fmt, unsigned_numbers)
{
	char buf[64];

	fmt(buf, sizeof buf, "%u %u", 0u, UINT_MAX);
	cr_assert_str_eq(buf, "0 4294967295");
	fmt(buf, sizeof buf, "%lu", ULONG_MAX);
	cr_assert_str_eq(buf, "18446744073709551615");
	fmt(buf, sizeof buf, "%llu", ULLONG_MAX);
	cr_assert_str_eq(buf, "18446744073709551615");
}

Test(fmt, width_and_zero_padding)
{
	char buf[64];

	fmt(buf, sizeof buf, "[%5d]", 42);
	cr_assert_str_eq(buf, "[   42]");
	fmt(buf, sizeof buf, "[%05d]", 42);
	cr_assert_str_eq(buf, "[00042]");
	fmt(buf, sizeof buf, "[%5d]", -42);
	cr_assert_str_eq(buf, "[  -42]");
	fmt(buf, sizeof buf, "[%05d]", -42);
	cr_assert_str_eq(buf, "[-0042]");
	fmt(buf, sizeof buf, "[%03lld]", 5LL);
	cr_assert_str_eq(buf, "[005]");
	fmt(buf, sizeof buf, "[%03lld]", 123LL);
	cr_assert_str_eq(buf, "[123]");
	fmt(buf, sizeof buf, "[%03lld]", 12345LL);
	cr_assert_str_eq(buf, "[12345]", "width is a minimum");
	fmt(buf, sizeof buf, "[%02u]", 7u);
	cr_assert_str_eq(buf, "[07]");
	fmt(buf, sizeof buf, "%lld.%03lld", 1763855401LL, 5LL);
	cr_assert_str_eq(buf, "1763855401.005");
}

Test(fmt, strings_and_chars)
{
	char buf[64];

	fmt(buf, sizeof buf, "%s=%s", "state", "running");
	cr_assert_str_eq(buf, "state=running");
	fmt(buf, sizeof buf, "--%.*s", 5, "grace=5s");
	cr_assert_str_eq(buf, "--grace");
	fmt(buf, sizeof buf, "[%.*s]", 0, "abc");
	cr_assert_str_eq(buf, "[]");
	fmt(buf, sizeof buf, "[%.*s]", 10, "abc");
	cr_assert_str_eq(buf, "[abc]");
	fmt(buf, sizeof buf, "%c%c%c", 'a', '-', 'Z');
	cr_assert_str_eq(buf, "a-Z");
	fmt(buf, sizeof buf, "%s", "");
	cr_assert_str_eq(buf, "");
}

Test(fmt, matches_snprintf_for_what_initd_prints)
{
	char a[128], b[128];
	static const long long values[] = { 0, 1, -1, 9, 10, 99, 100, -100, 86400000, 1763855401123LL };

	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
		long long v = values[i];
		fmt(a, sizeof a, "%lld|%03lld|%02lld|%d|%u|%ld", v, v, v, (int)v, (unsigned)v, (long)v);
		snprintf(b, sizeof b, "%lld|%03lld|%02lld|%d|%u|%ld", v, v, v, (int)v, (unsigned)v, (long)v);
		cr_expect_str_eq(a, b, "%lld", v);
	}
}

Test(fmt, truncation_always_terminates)
{
	char buf[8];

	memset(buf, 'x', sizeof buf);
	size_t n = fmt(buf, 4, "hello %d", 12345);
	cr_assert_str_eq(buf, "hel");
	cr_assert_eq(n, 3u, "the length written, truncated");
	cr_assert_eq(buf[4], 'x', "nothing past size");
	n = fmt(buf, 1, "hello");
	cr_assert_str_eq(buf, "");
	cr_assert_eq(n, 0u);
	n = fmt(buf, sizeof buf, "%s", "1234567890");
	cr_assert_str_eq(buf, "1234567");
	cr_assert_eq(n, 7u);
	n = fmt(buf, sizeof buf, "%05d", -123456);
	cr_assert_str_eq(buf, "-123456");
	cr_assert_eq(n, 7u);
}

Test(fmt, size_zero_writes_nothing)
{
	char buf[4] = { 'q', 'q', 'q', 'q' };

	cr_assert_eq(fmt(buf, 0, "hello"), 0u);
	cr_assert_eq(buf[0], 'q');
}

Test(fmt, unknown_conversion_is_shown)
{
	char buf[32];

	fmt(buf, sizeof buf, "a%xb", 5u);
	cr_assert_str_eq(buf, "a%xb");
}

/* %.*s reads no further than the precision: a name cut out of a buffer has no
 * terminator (under ASan a read past it fails the test). */
Test(fmt, precision_stops_before_an_unterminated_end)
{
	char *name = malloc(5);
	char buf[16];

	cr_assert_not_null(name);
	memcpy(name, "b333d", 5);
	cr_expect_eq(fmt(buf, sizeof buf, "@%.*s", 5, name), 6u);
	cr_expect_str_eq(buf, "@b333d");
	free(name);
}
