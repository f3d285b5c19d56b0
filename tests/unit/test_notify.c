/* The sd_notify messages a service sends to NOTIFY_SOCKET, parsed from the
 * datagram's bytes. Every message is parsed from an exact-size heap copy (no
 * terminator), so that ASan sees any read past its length. */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "supervisor/notify.h"

static struct notify_message msg;

/* notify_parse over exactly len bytes of data, with nothing after them. */
static bool parse_bytes(const char *data, size_t len)
{
	char *copy = malloc(len == 0 ? 1 : len);
	bool ok;

	cr_assert_not_null(copy);
	memcpy(copy, data, len);
	ok = notify_parse(copy, len, &msg);
	free(copy);
	return ok;
}

static bool parse(const char *text)
{
	return parse_bytes(text, strlen(text));
}

/* A message that says nothing initd uses. */
static void expect_empty_message(const char *what)
{
	cr_expect_not(msg.ready, "%s: ready", what);
	cr_expect_not(msg.stopping, "%s: stopping", what);
	cr_expect_not(msg.watchdog, "%s: watchdog", what);
	cr_expect_not(msg.has_status, "%s: has_status", what);
	cr_expect_str_eq(msg.status, "", "%s: status", what);
	cr_expect_eq(msg.extend_ms, -1, "%s: extend_ms %lld", what, (long long)msg.extend_ms);
}

/* ------------------------------------------------------------------------- */

Test(notify, ready)
{
	cr_assert(parse("READY=1"));
	cr_expect(msg.ready);
	cr_expect_not(msg.stopping);
	cr_expect_not(msg.watchdog);
	cr_expect_not(msg.has_status);
	cr_expect_eq(msg.extend_ms, -1);
}

Test(notify, stopping)
{
	cr_assert(parse("STOPPING=1"));
	cr_expect(msg.stopping);
	cr_expect_not(msg.ready);
	cr_expect_not(msg.watchdog);
}

Test(notify, watchdog)
{
	cr_assert(parse("WATCHDOG=1"));
	cr_expect(msg.watchdog);
	cr_expect_not(msg.ready);
	cr_expect_not(msg.stopping);
}

Test(notify, only_one_means_yes)
{
	static const char *const not_ready[] = { "READY=0", "READY=", "READY=11", "READY=yes", "READY= 1",
						 "READY=1 ", "READY=true" };

	for (size_t i = 0; i < sizeof not_ready / sizeof not_ready[0]; i++) {
		cr_expect(parse(not_ready[i]), "%s is well formed", not_ready[i]);
		cr_expect_not(msg.ready, "%s is not ready", not_ready[i]);
	}
	cr_expect(parse("STOPPING=0"));
	cr_expect_not(msg.stopping);
	cr_expect(parse("WATCHDOG=2"));
	cr_expect_not(msg.watchdog);
	cr_expect(parse("WATCHDOG=trigger"), "systemd's WATCHDOG=trigger is not a keep-alive");
	cr_expect_not(msg.watchdog);
}

Test(notify, key_must_match_whole)
{
	/* A longer key that starts like one initd knows is another, unknown, key. */
	cr_expect(parse("READYX=1"));
	cr_expect_not(msg.ready);
	cr_expect(parse("XREADY=1"));
	cr_expect_not(msg.ready);
	cr_expect(parse("ready=1"), "keys are case-sensitive");
	cr_expect_not(msg.ready);
	cr_expect(parse("STATUSES=x"));
	cr_expect_not(msg.has_status);
}

Test(notify, several_assignments_in_one_datagram)
{
	cr_assert(parse("READY=1\nSTATUS=up and running\nWATCHDOG=1\nEXTEND_TIMEOUT_USEC=5000000\n"));
	cr_expect(msg.ready);
	cr_expect(msg.watchdog);
	cr_expect_not(msg.stopping);
	cr_expect(msg.has_status);
	cr_expect_str_eq(msg.status, "up and running");
	cr_expect_eq(msg.extend_ms, 5000);
}

Test(notify, trailing_newline_or_none)
{
	cr_assert(parse("STATUS=a\nREADY=1"));
	cr_expect(msg.ready);
	cr_expect_str_eq(msg.status, "a");
	cr_assert(parse("STATUS=a\nREADY=1\n"));
	cr_expect(msg.ready);
	cr_expect_str_eq(msg.status, "a", "the newline is not part of the value");
}

Test(notify, empty_lines_are_skipped)
{
	cr_assert(parse("\n\nREADY=1\n\n\nSTOPPING=1\n\n"));
	cr_expect(msg.ready);
	cr_expect(msg.stopping);
	cr_expect(parse("\n"), "a datagram of one empty line says nothing, and is no error");
	expect_empty_message("\\n");
}

Test(notify, later_assignment_does_not_unset_a_flag)
{
	cr_assert(parse("READY=1\nREADY=0"));
	cr_expect(msg.ready);
}

Test(notify, status_empty)
{
	cr_assert(parse("STATUS="));
	cr_expect(msg.has_status, "an empty STATUS= clears the text: it is present");
	cr_expect_str_eq(msg.status, "");
	cr_expect_not(msg.ready);
}

Test(notify, status_with_text)
{
	cr_assert(parse("STATUS=Processing requests: 42 (x=1)"));
	cr_expect(msg.has_status);
	cr_expect_str_eq(msg.status, "Processing requests: 42 (x=1)", "an '=' in the value is kept");
}

Test(notify, status_last_one_wins)
{
	cr_assert(parse("STATUS=first one, rather long\nSTATUS=2nd"));
	cr_expect_str_eq(msg.status, "2nd");
}

Test(notify, status_cut_to_fit)
{
	char text[8 + 300];
	char want[NOTIFY_STATUS_MAX];

	memcpy(text, "STATUS=", 7);
	for (size_t i = 0; i < 300; i++)
		text[7 + i] = (char)('a' + i % 26);
	text[7 + 300] = '\0';
	memcpy(want, text + 7, NOTIFY_STATUS_MAX - 1);
	want[NOTIFY_STATUS_MAX - 1] = '\0';
	cr_assert(parse(text), "a long status is cut, not refused");
	cr_expect(msg.has_status);
	cr_expect_eq(strlen(msg.status), (size_t)NOTIFY_STATUS_MAX - 1);
	cr_expect_str_eq(msg.status, want);
}

Test(notify, status_exactly_at_the_limit)
{
	char text[8 + NOTIFY_STATUS_MAX];

	memcpy(text, "STATUS=", 7);
	memset(text + 7, 'x', NOTIFY_STATUS_MAX - 1);
	text[7 + NOTIFY_STATUS_MAX - 1] = '\0';
	cr_assert(parse(text));
	cr_expect_eq(strlen(msg.status), (size_t)NOTIFY_STATUS_MAX - 1);
	text[7 + NOTIFY_STATUS_MAX - 2] = '\0';
	cr_assert(parse(text));
	cr_expect_eq(strlen(msg.status), (size_t)NOTIFY_STATUS_MAX - 2);
}

Test(notify, status_unprintable_bytes_become_question_marks)
{
	/* Tab, ESC, DEL, and UTF-8 "é" (two bytes): a status line is one line of ASCII. */
	cr_assert(parse("STATUS=a\tb\x1b[31mc\x7f" "d\xc3\xa9" "e"));
	cr_expect_str_eq(msg.status, "a?b?[31mc?d??e");
	cr_assert(parse("STATUS=\r"));
	cr_expect_str_eq(msg.status, "?");
	cr_assert(parse("STATUS= ~"));
	cr_expect_str_eq(msg.status, " ~", "space and tilde are the printable range's ends");
}

Test(notify, extend_timeout_rounds_up_to_ms)
{
	static const struct {
		const char *text;
		long long ms;
	} cases[] = {
		{ "EXTEND_TIMEOUT_USEC=0", 0 },
		{ "EXTEND_TIMEOUT_USEC=1", 1 },
		{ "EXTEND_TIMEOUT_USEC=999", 1 },
		{ "EXTEND_TIMEOUT_USEC=1000", 1 },
		{ "EXTEND_TIMEOUT_USEC=1001", 2 },
		{ "EXTEND_TIMEOUT_USEC=2000", 2 },
		{ "EXTEND_TIMEOUT_USEC=30000000", 30000 },
		{ "EXTEND_TIMEOUT_USEC=86400000000", 86400000 },
		{ "EXTEND_TIMEOUT_USEC=086400000000", 86400000 },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cr_expect(parse(cases[i].text), "%s", cases[i].text);
		cr_expect_eq(msg.extend_ms, cases[i].ms, "%s: %lld ms, want %lld", cases[i].text,
			     (long long)msg.extend_ms, cases[i].ms);
	}
}

Test(notify, extend_timeout_absent)
{
	cr_assert(parse("READY=1\nSTATUS=x"));
	cr_expect_eq(msg.extend_ms, -1);
}

Test(notify, extend_timeout_bad_numbers_are_malformed)
{
	static const char *const bad[] = {
		"EXTEND_TIMEOUT_USEC=",
		"EXTEND_TIMEOUT_USEC=-1",
		"EXTEND_TIMEOUT_USEC=+1",
		"EXTEND_TIMEOUT_USEC=abc",
		"EXTEND_TIMEOUT_USEC=10s",
		"EXTEND_TIMEOUT_USEC=1.5",
		"EXTEND_TIMEOUT_USEC= 1",
		"EXTEND_TIMEOUT_USEC=1 ",
		"EXTEND_TIMEOUT_USEC=0x10",
		"EXTEND_TIMEOUT_USEC=86400000001",
		"EXTEND_TIMEOUT_USEC=99999999999999999999",
		"EXTEND_TIMEOUT_USEC=18446744073709551616",
		"EXTEND_TIMEOUT_USEC=1000000000000000000000000000000",
		"READY=1\nEXTEND_TIMEOUT_USEC=x\nSTATUS=ok",
	};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		cr_expect_not(parse(bad[i]), "%s is malformed", bad[i]);
}

Test(notify, malformed_message_is_dropped_whole)
{
	/* What came before the bad line is not reported either. */
	cr_expect_not(parse("READY=1\nSTATUS=x\nEXTEND_TIMEOUT_USEC=-5"));
	expect_empty_message("after a bad number");
	cr_expect_not(parse("READY=1\nnonsense"));
	expect_empty_message("after a line without '='");
}

Test(notify, nul_byte_anywhere_is_malformed)
{
	static const char ready[] = "READY=1\nSTATUS=ok";
	size_t len = sizeof ready - 1;

	for (size_t at = 0; at < len; at++) {
		char copy[sizeof ready];
		memcpy(copy, ready, sizeof ready);
		copy[at] = '\0';
		cr_expect_not(parse_bytes(copy, len), "a NUL at %zu", at);
	}
	cr_expect_not(parse_bytes("READY=1\0", 8), "a trailing NUL counted in len");
	cr_expect_not(parse_bytes("\0", 1));
}

Test(notify, line_without_equals_is_malformed)
{
	static const char *const bad[] = { "READY", "READY1", "READY=1\nhello", "hello\nREADY=1", " ", "READY=1\n \n" };

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		cr_expect_not(parse(bad[i]), "\"%s\" is malformed", bad[i]);
}

Test(notify, unknown_keys_are_ignored)
{
	cr_assert(parse("MAINPID=1234\nFDSTORE=1\nX_FOO=bar\nERRNO=2\nBUSERROR=x.y\nRELOADING=1\nMONOTONIC_USEC=1"));
	expect_empty_message("unknown keys");
	cr_assert(parse("MAINPID=1234\nREADY=1\nX_FOO=bar"));
	cr_expect(msg.ready);
	cr_expect(parse("=1"), "an empty key is unknown, not malformed");
	cr_expect(parse("X="));
}

Test(notify, zero_length_is_malformed)
{
	cr_expect_not(parse_bytes("", 0));
	expect_empty_message("empty datagram");
	cr_expect_eq(msg.extend_ms, -1);
}

Test(notify, message_is_reset_each_parse)
{
	cr_assert(parse("READY=1\nSTOPPING=1\nWATCHDOG=1\nSTATUS=x\nEXTEND_TIMEOUT_USEC=5"));
	cr_assert(parse("X_FOO=bar"));
	expect_empty_message("second parse");
}

Test(notify, never_reads_past_len)
{
	/* The bytes after len belong to someone else: they change nothing. */
	static const char data[] = "READY=1\nSTATUS=abcdef\nEXTEND_TIMEOUT_USEC=1000";

	cr_assert(parse_bytes(data, 7));
	cr_expect(msg.ready);
	cr_expect_not(msg.has_status);
	cr_assert(parse_bytes(data, 18));
	cr_expect_str_eq(msg.status, "abc");
	cr_assert(parse_bytes(data, sizeof data - 3));
	cr_expect_eq(msg.extend_ms, 1, "\"1000\" cut to \"10\" (us) at len");
	cr_expect_not(parse_bytes(data, 5), "\"READY\" without its '='");
	cr_expect(parse_bytes(data, 6));
	cr_expect_not(msg.ready, "\"READY=\" cut before its value");
}

Test(notify, longest_datagram)
{
	char *big = malloc(NOTIFY_MAX);

	cr_assert_not_null(big);
	memset(big, '\n', NOTIFY_MAX);
	memcpy(big, "READY=1", 7);
	memcpy(big + NOTIFY_MAX - 10, "WATCHDOG=1", 10);
	cr_expect(notify_parse(big, NOTIFY_MAX, &msg));
	cr_expect(msg.ready);
	cr_expect(msg.watchdog);
	free(big);
}
