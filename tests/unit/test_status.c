/* The status file's text, its parser, `initd status` words and `initd health`. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>

#include "supervisor/status.h"

#define NEWER_KEYS "ready=yes\nfailures=0\ncheck_failures=0\nlast_reason=none\noom_kills=0\ntext=\n"
static const char sample[] = "state=running\npid=42\nrestarts=3\nlast_status=137\nchanged=1763855401.123\n" NEWER_KEYS;

static struct status_record record(enum sv_state state, long pid, unsigned restarts, int last, int64_t changed)
{
	struct status_record r;

	memset(&r, 0, sizeof r);
	r.state = state;
	r.pid = pid;
	r.restarts = restarts;
	r.last_status = last;
	r.changed_ms = changed;
	r.ready = state == SV_RUNNING;
	return r;
}

static bool parse_text(const char *text, struct status_record *rec)
{
	return status_parse(text, strlen(text), rec);
}

Test(status, format_as_documented)
{
	struct status_record r = record(SV_RUNNING, 42, 3, 137, 1763855401123LL);
	char buf[256];

	size_t n = status_format(&r, buf, sizeof buf);
	cr_assert_str_eq(buf, sample);
	cr_assert_eq(n, strlen(sample));
}

Test(status, format_none_before_any_run_and_padding)
{
	struct status_record r = record(SV_STARTING, 0, 0, -1, 1005);
	char buf[256];

	cr_assert_neq(status_format(&r, buf, sizeof buf), 0u);
	cr_assert_str_eq(buf, "state=starting\npid=0\nrestarts=0\nlast_status=none\nchanged=1.005\nready=no\n"
			      "failures=0\ncheck_failures=0\nlast_reason=none\noom_kills=0\ntext=\n");
	r = record(SV_EXITED, 0, 7, 0, 1763855401000LL);
	cr_assert_neq(status_format(&r, buf, sizeof buf), 0u);
	cr_assert_str_eq(buf, "state=exited\npid=0\nrestarts=7\nlast_status=0\nchanged=1763855401.000\nready=no\n"
			      "failures=0\ncheck_failures=0\nlast_reason=none\noom_kills=0\ntext=\n");
}

Test(status, format_every_state_name)
{
	static const struct {
		enum sv_state state;
		const char *line;
	} cases[] = {
		{ SV_STARTING, "state=starting\n" }, { SV_RUNNING, "state=running\n" },
		{ SV_BACKOFF, "state=backoff\n" },   { SV_STOPPING, "state=stopping\n" },
		{ SV_EXITED, "state=exited\n" },
	};
	for (size_t i = 0; i < 5; i++) {
		struct status_record r = record(cases[i].state, 1, 0, -1, 0);
		char buf[256];
		cr_expect_neq(status_format(&r, buf, sizeof buf), 0u);
		cr_expect_eq(strncmp(buf, cases[i].line, strlen(cases[i].line)), 0, "got '%s'", buf);
	}
}

Test(status, format_too_small_returns_0)
{
	struct status_record r = record(SV_RUNNING, 42, 3, 137, 1763855401123LL);
	char buf[256];
	size_t len = strlen(sample);

	cr_assert_eq(status_format(&r, buf, len), 0u, "no room for the terminator");
	cr_assert_eq(status_format(&r, buf, len - 1), 0u);
	cr_assert_eq(status_format(&r, buf, 10), 0u);
	cr_assert_eq(status_format(&r, buf, 1), 0u);
	cr_assert_eq(status_format(&r, buf, len + 2), len);
	cr_assert_str_eq(buf, sample);
}

Test(status, parse_sample)
{
	struct status_record r;

	cr_assert(parse_text(sample, &r));
	cr_expect_eq(r.state, SV_RUNNING);
	cr_expect_eq(r.pid, 42);
	cr_expect_eq(r.restarts, 3u);
	cr_expect_eq(r.last_status, 137);
	cr_expect_eq(r.changed_ms, 1763855401123LL);
}

Test(status, round_trip)
{
	static const enum sv_state states[] = { SV_STARTING, SV_RUNNING, SV_BACKOFF, SV_STOPPING, SV_EXITED };
	static const int lasts[] = { -1, 0, 1, 126, 127, 137, 143, 255 };

	for (size_t s = 0; s < 5; s++)
		for (size_t l = 0; l < sizeof lasts / sizeof lasts[0]; l++) {
			struct status_record in = record(states[s], (long)(s * 1000 + l), (unsigned)(l * 3), lasts[l],
							 1763855401000LL + (int64_t)(s * 7 + l));
			struct status_record out;
			char buf[256];
			size_t n = status_format(&in, buf, sizeof buf);
			cr_assert_neq(n, 0u);
			cr_expect(status_parse(buf, n, &out), "'%s' does not parse back", buf);
			cr_expect_eq(out.state, in.state, "%s", buf);
			cr_expect_eq(out.pid, in.pid, "%s", buf);
			cr_expect_eq(out.restarts, in.restarts, "%s", buf);
			cr_expect_eq(out.last_status, in.last_status, "%s", buf);
			cr_expect_eq(out.changed_ms, in.changed_ms, "%s", buf);
		}
}

Test(status, round_trip_extremes)
{
	struct status_record in = record(SV_BACKOFF, 2147483647L, 4294967295u, 255, 0), out;
	char buf[256];
	size_t n = status_format(&in, buf, sizeof buf);

	cr_assert(status_parse(buf, n, &out), "'%s'", buf);
	cr_expect_eq(out.pid, 2147483647L);
	cr_expect_eq(out.restarts, 4294967295u);
	cr_expect_eq(out.changed_ms, 0);
}

Test(status, parse_without_final_newline_and_in_any_order)
{
	struct status_record r;

	cr_assert(parse_text("changed=10.500\nlast_status=none\nrestarts=1\npid=7\nstate=backoff", &r));
	cr_expect_eq(r.state, SV_BACKOFF);
	cr_expect_eq(r.pid, 7);
	cr_expect_eq(r.restarts, 1u);
	cr_expect_eq(r.last_status, -1);
	cr_expect_eq(r.changed_ms, 10500);
}

Test(status, parse_skips_unknown_keys_and_blank_lines)
{
	struct status_record r;

	cr_assert(parse_text("version=2\nstate=stopping\n\npid=0\nhostname=web-1\nrestarts=0\nlast_status=143\n"
			     "changed=1.000\nx=\n",
			     &r));
	cr_expect_eq(r.state, SV_STOPPING);
	cr_expect_eq(r.last_status, 143);
}

/* A newer writer may add a key with a long value (a command line, a path). */
Test(status, parse_skips_long_unknown_line)
{
	char text[1024];
	char value[300];
	struct status_record r;

	memset(value, 'a', sizeof value - 1);
	value[sizeof value - 1] = '\0';
	snprintf(text, sizeof text, "%scommand=%s\n", sample, value);
	cr_assert(parse_text(text, &r), "a 300-byte unknown line made the whole file unreadable");
	cr_expect_eq(r.pid, 42);
}

Test(status, parse_missing_keys)
{
	static const char *const keys[] = { "state=", "pid=", "restarts=", "last_status=", "changed=" };

	for (size_t k = 0; k < 5; k++) {
		/* The sample without the line of key k. */
		char text[256] = "";
		const char *line = sample;
		while (*line != '\0') {
			const char *nl = strchr(line, '\n');
			size_t n = (size_t)(nl - line) + 1;
			if (strncmp(line, keys[k], strlen(keys[k])) != 0)
				strncat(text, line, n);
			line += n;
		}
		struct status_record r;
		cr_expect_not(parse_text(text, &r), "accepted without %s: '%s'", keys[k], text);
	}
	struct status_record r;
	cr_expect_not(parse_text("", &r));
	cr_expect_not(status_parse(sample, 0, &r));
}

Test(status, parse_respects_len)
{
	struct status_record r;
	const char *changed = strstr(sample, "changed=");

	cr_assert_not_null(changed);
	cr_assert_not(status_parse(sample, (size_t)(changed - sample), &r), "read past len");
	cr_assert(status_parse(sample, strlen(sample), &r));
}

Test(status, parse_garbage)
{
	static const char *const bad[] = {
		"hello world\n",
		"state=running\npid=42\nrestarts=3\nlast_status=137\nchanged=1763855401.123\ngarbage\n",
		"state=bogus\npid=42\nrestarts=3\nlast_status=137\nchanged=1.123\n",
		"state=RUNNING\npid=42\nrestarts=3\nlast_status=137\nchanged=1.123\n",
		"state=running\npid=-1\nrestarts=3\nlast_status=137\nchanged=1.123\n",
		"state=running\npid=abc\nrestarts=3\nlast_status=137\nchanged=1.123\n",
		"state=running\npid=\nrestarts=3\nlast_status=137\nchanged=1.123\n",
		"state=running\npid=42\nrestarts=x\nlast_status=137\nchanged=1.123\n",
		"state=running\npid=42\nrestarts=-3\nlast_status=137\nchanged=1.123\n",
		"state=running\npid=42\nrestarts=3\nlast_status=256\nchanged=1.123\n",
		"state=running\npid=42\nrestarts=3\nlast_status=-1\nchanged=1.123\n",
		"state=running\npid=42\nrestarts=3\nlast_status=never\nchanged=1.123\n",
		"state=running\npid=42\nrestarts=3\nlast_status=137\nchanged=1763855401\n",
		"state=running\npid=42\nrestarts=3\nlast_status=137\nchanged=1.12\n",
		"state=running\npid=42\nrestarts=3\nlast_status=137\nchanged=1.1234\n",
		"state=running\npid=42\nrestarts=3\nlast_status=137\nchanged=.123\n",
		"state=running\npid=42\nrestarts=3\nlast_status=137\nchanged=x.123\n",
		"state=running\npid=42\nrestarts=3\nlast_status=137\nchanged=-1.123\n",
		"state=running \npid=42\nrestarts=3\nlast_status=137\nchanged=1.123\n",
		"state = running\npid=42\nrestarts=3\nlast_status=137\nchanged=1.123\n",
		"state=running\npid=42 \nrestarts=3\nlast_status=137\nchanged=1.123\n",
		"state=running\npid=99999999999\nrestarts=3\nlast_status=137\nchanged=1.123\n",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct status_record r;
		cr_expect_not(parse_text(bad[i], &r), "accepted '%s'", bad[i]);
	}
}

Test(status, parse_rejects_nul_byte)
{
	char text[sizeof sample];
	struct status_record r;

	memcpy(text, sample, sizeof sample);
	text[3] = '\0'; /* inside "state" */
	cr_assert_not(status_parse(text, sizeof sample - 1, &r));
}

Test(status, describe_running)
{
	struct status_record r = record(SV_RUNNING, 42, 3, 137, 1763855401123LL);
	char buf[512];

	status_describe(&r, 1763855401123LL + 5000, buf, sizeof buf);
	cr_expect_not_null(strstr(buf, "running"), "%s", buf);
	cr_expect_not_null(strstr(buf, "pid 42"), "%s", buf);
	cr_expect_not_null(strstr(buf, "restarts:  3"), "%s", buf);
	cr_expect_not_null(strstr(buf, "killed by signal 9 (SIGKILL)"), "%s", buf);
	cr_expect_not_null(strstr(buf, "5s"), "%s", buf);
	cr_expect_not_null(strstr(buf, "2025-11-22 23:50:01 UTC"), "%s", buf);
	cr_expect_eq(buf[strlen(buf) - 1], '\n');
}

Test(status, describe_without_pid_and_before_any_run)
{
	struct status_record r = record(SV_STARTING, 0, 0, -1, 1000);
	char buf[512];

	status_describe(&r, 1500, buf, sizeof buf);
	cr_expect_not_null(strstr(buf, "starting"), "%s", buf);
	cr_expect_null(strstr(buf, "pid"), "no pid to show: %s", buf);
	cr_expect_not_null(strstr(buf, "none"), "%s", buf);
	cr_expect_not_null(strstr(buf, "500ms"), "%s", buf);
	cr_expect_not_null(strstr(buf, "restarts:  0"), "%s", buf);
}

Test(status, describe_exit_status_words)
{
	struct status_record r = record(SV_EXITED, 0, 12, 1, 0);
	char buf[512];

	status_describe(&r, 0, buf, sizeof buf);
	cr_expect_not_null(strstr(buf, "exited"), "%s", buf);
	cr_expect_not_null(strstr(buf, "exited with status 1"), "%s", buf);
	cr_expect_not_null(strstr(buf, "12"), "%s", buf);
	cr_expect_not_null(strstr(buf, "1970-01-01 00:00:00 UTC"), "%s", buf);
}

Test(status, describe_long_ages)
{
	struct status_record r = record(SV_BACKOFF, 0, 1, 2, 0);
	char buf[512];

	status_describe(&r, 90 * 60000LL + 5000, buf, sizeof buf);
	cr_expect_not_null(strstr(buf, "90m05s"), "%s", buf);
	status_describe(&r, 3 * 3600000LL + 7 * 60000LL, buf, sizeof buf);
	cr_expect_not_null(strstr(buf, "3h07m"), "%s", buf);
	status_describe(&r, -5000, buf, sizeof buf); /* a clock step back */
	cr_expect_not_null(strstr(buf, "0ms"), "%s", buf);
}

Test(status, describe_truncates_safely)
{
	struct status_record r = record(SV_RUNNING, 42, 3, 137, 0);
	char buf[8];

	memset(buf, 'x', sizeof buf);
	status_describe(&r, 0, buf, sizeof buf);
	cr_assert_eq(strlen(buf), 7u);
}

Test(status, healthy_when_running_long_enough)
{
	struct status_record r = record(SV_RUNNING, 42, 0, -1, 100000);
	char why[128];

	cr_assert(status_healthy(&r, 100000, 0, why, sizeof why), "%s", why);
	cr_expect_eq(strncmp(why, "healthy", 7), 0, "%s", why);
	cr_expect_not_null(strstr(why, "42"), "%s", why);
	cr_assert(status_healthy(&r, 105000, 5000, why, sizeof why), "exactly the min uptime: %s", why);
	cr_assert(status_healthy(&r, 200000, 5000, why, sizeof why), "%s", why);
	cr_expect_null(strchr(why, '\n'));
}

Test(status, unhealthy_when_too_young)
{
	struct status_record r = record(SV_RUNNING, 42, 0, -1, 100000);
	char why[128];

	cr_assert_not(status_healthy(&r, 104999, 5000, why, sizeof why), "%s", why);
	cr_expect_eq(strncmp(why, "unhealthy", 9), 0, "%s", why);
	cr_expect_not_null(strstr(why, "5s"), "names the required uptime: %s", why);
	cr_expect_null(strchr(why, '\n'));
}

Test(status, unhealthy_unless_running)
{
	static const enum sv_state states[] = { SV_STARTING, SV_BACKOFF, SV_STOPPING, SV_EXITED };

	for (size_t i = 0; i < 4; i++) {
		struct status_record r = record(states[i], 42, 0, 1, 0);
		char why[128];
		cr_expect_not(status_healthy(&r, 1000000, 0, why, sizeof why), "%s", sv_state_name(states[i]));
		cr_expect_eq(strncmp(why, "unhealthy", 9), 0, "%s", why);
		cr_expect_not_null(strstr(why, sv_state_name(states[i])), "%s", why);
	}
}

Test(status, newer_fields_round_trip)
{
	struct status_record in = record(SV_RUNNING, 7, 9, 137, 1000), out;
	char buf[STATUS_TEXT_MAX];

	in.ready = false;
	in.check_failures = 2;
	in.failures = 4;
	in.last_reason = REASON_OOM;
	in.oom_kills = 3;
	strcpy(in.text, "Taking your SQL requests now...");
	size_t n = status_format(&in, buf, sizeof buf);
	cr_assert_neq(n, 0u);
	cr_assert(status_parse(buf, n, &out), "'%s'", buf);
	cr_expect_eq(out.ready, false);
	cr_expect_eq(out.check_failures, 2u);
	cr_expect_eq(out.failures, 4u);
	cr_expect_eq(out.last_reason, REASON_OOM);
	cr_expect_eq(out.oom_kills, 3u);
	cr_expect_str_eq(out.text, in.text);
	for (int r = 0; r < SV_REASON_COUNT; r++) {
		in.last_reason = (enum sv_reason)r;
		n = status_format(&in, buf, sizeof buf);
		cr_expect(status_parse(buf, n, &out) && out.last_reason == in.last_reason, "%s", buf);
	}
}

/* The longest record fits STATUS_TEXT_MAX: the status file is never cut. */
Test(status, longest_record_fits)
{
	struct status_record in = record(SV_STOPPING, 2147483647L, 4294967295u, 255, 999999999999999LL);
	char buf[STATUS_TEXT_MAX];

	in.check_failures = in.failures = in.oom_kills = 4294967295u;
	in.last_reason = REASON_NOT_READY;
	memset(in.text, 'x', sizeof in.text - 1);
	in.text[sizeof in.text - 1] = '\0';
	cr_expect_neq(status_format(&in, buf, sizeof buf), 0u);
}

Test(status, file_of_an_older_initd_reads_as_ready_when_running)
{
	struct status_record r;

	cr_assert(parse_text("state=running\npid=42\nrestarts=3\nlast_status=137\nchanged=1.123\n", &r));
	cr_expect(r.ready);
	cr_assert(parse_text("state=backoff\npid=0\nrestarts=3\nlast_status=137\nchanged=1.123\n", &r));
	cr_expect_not(r.ready);
}

Test(status, newer_fields_reject_bad_values)
{
	static const char *const bad[] = { "ready=maybe\n", "failures=-1\n", "check_failures=x\n",
					   "last_reason=crash\n", "oom_kills=\n" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char text[512];
		struct status_record r;
		snprintf(text, sizeof text, "state=running\npid=1\nrestarts=0\nlast_status=none\nchanged=1.000\n%s",
			 bad[i]);
		cr_expect_not(parse_text(text, &r), "accepted '%s'", bad[i]);
	}
}

Test(status, json_is_one_object_with_every_field)
{
	struct status_record r = record(SV_RUNNING, 42, 3, 137, 1763855401123LL);
	char buf[1024];

	r.failures = 1;
	r.check_failures = 2;
	r.last_reason = REASON_UNHEALTHY;
	strcpy(r.text, "say \"hi\" \\o/");
	status_json(&r, 1763855401123LL + 5000, buf, sizeof buf);
	cr_expect_str_eq(buf, "{\"state\":\"running\",\"pid\":42,\"ready\":true,\"check_failures\":2,"
			      "\"restarts_in_a_row\":1,\"restarts\":3,\"last_status\":137,\"last_reason\":\"unhealthy\","
			      "\"oom_kills\":0,\"status_text\":\"say \\\"hi\\\" \\\\o/\",\"changed\":1763855401.123,"
			      "\"for_ms\":5000}\n");
	r = record(SV_STARTING, 0, 0, -1, 0);
	status_json(&r, 0, buf, sizeof buf);
	cr_expect_not_null(strstr(buf, "\"last_status\":null,"), "%s", buf);
	cr_expect_not_null(strstr(buf, "\"ready\":false,"), "%s", buf);
}

Test(status, unhealthy_until_ready_and_while_checks_fail)
{
	struct status_record r = record(SV_RUNNING, 42, 0, -1, 0);
	char why[160];

	r.ready = false;
	cr_expect_not(status_healthy(&r, 60000, 0, why, sizeof why));
	cr_expect_not_null(strstr(why, "not ready"), "%s", why);
	r.ready = true;
	r.check_failures = 1;
	cr_expect_not(status_healthy(&r, 60000, 0, why, sizeof why));
	cr_expect_not_null(strstr(why, "1 check failed"), "%s", why);
	r.check_failures = 0;
	cr_expect(status_healthy(&r, 60000, 0, why, sizeof why), "%s", why);
}

Test(status, describe_readiness_checks_and_service_text)
{
	struct status_record r = record(SV_RUNNING, 42, 3, 137, 0);
	char buf[512];

	r.ready = false;
	r.check_failures = 2;
	r.last_reason = REASON_OOM;
	r.oom_kills = 1;
	strcpy(r.text, "Processes active: 0");
	status_describe(&r, 0, buf, sizeof buf);
	cr_expect_not_null(strstr(buf, "running (pid 42)"), "%s", buf);
	cr_expect_not_null(strstr(buf, "ready:     not yet\n"), "%s", buf);
	cr_expect_not_null(strstr(buf, "checks:    2 failed in a row"), "%s", buf);
	cr_expect_not_null(strstr(buf, "service:   Processes active: 0"), "%s", buf);
	cr_expect_not_null(strstr(buf, "(oom)"), "%s", buf);
	cr_expect_not_null(strstr(buf, "oom kills: 1"), "%s", buf);
}
