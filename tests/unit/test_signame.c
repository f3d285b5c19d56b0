/* Signal names: with or without SIG, any case, numbers, RTMIN+N / RTMAX-N. */
#include <criterion/criterion.h>

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "supervisor/signame.h"

struct named {
	const char *text;
	int signo;
};

static const struct named classic[] = {
	{ "HUP", SIGHUP },     { "INT", SIGINT },       { "QUIT", SIGQUIT },   { "ILL", SIGILL },
	{ "TRAP", SIGTRAP },   { "ABRT", SIGABRT },     { "BUS", SIGBUS },     { "FPE", SIGFPE },
	{ "KILL", SIGKILL },   { "USR1", SIGUSR1 },     { "SEGV", SIGSEGV },   { "USR2", SIGUSR2 },
	{ "PIPE", SIGPIPE },   { "ALRM", SIGALRM },     { "TERM", SIGTERM },   { "CHLD", SIGCHLD },
	{ "CONT", SIGCONT },   { "STOP", SIGSTOP },     { "TSTP", SIGTSTP },   { "TTIN", SIGTTIN },
	{ "TTOU", SIGTTOU },   { "URG", SIGURG },       { "XCPU", SIGXCPU },   { "XFSZ", SIGXFSZ },
	{ "VTALRM", SIGVTALRM }, { "PROF", SIGPROF },   { "WINCH", SIGWINCH }, { "IO", SIGIO },
	{ "PWR", SIGPWR },     { "SYS", SIGSYS },       { "STKFLT", SIGSTKFLT },
};

#define NCLASSIC (sizeof classic / sizeof classic[0])

Test(signame, names_without_sig)
{
	for (size_t i = 0; i < NCLASSIC; i++)
		cr_expect_eq(signal_from_text(classic[i].text), classic[i].signo, "'%s'", classic[i].text);
}

Test(signame, names_with_sig)
{
	for (size_t i = 0; i < NCLASSIC; i++) {
		char text[32];
		snprintf(text, sizeof text, "SIG%s", classic[i].text);
		cr_expect_eq(signal_from_text(text), classic[i].signo, "'%s'", text);
	}
}

Test(signame, any_case)
{
	const struct named cases[] = {
		{ "term", SIGTERM },    { "Term", SIGTERM },   { "sigterm", SIGTERM }, { "SigQuit", SIGQUIT },
		{ "hup", SIGHUP },      { "sIgUsR1", SIGUSR1 }, { "winch", SIGWINCH }, { "sigkill", SIGKILL },
		{ "rtmin", SIGRTMIN },  { "sigrtmax", SIGRTMAX }, { "rtmin+1", SIGRTMIN + 1 },
		{ "SigRtMax-2", SIGRTMAX - 2 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		cr_expect_eq(signal_from_text(cases[i].text), cases[i].signo, "'%s'", cases[i].text);
}

Test(signame, aliases_are_read)
{
	cr_assert_eq(signal_from_text("IOT"), SIGABRT);
	cr_assert_eq(signal_from_text("SIGCLD"), SIGCHLD);
	cr_assert_eq(signal_from_text("POLL"), SIGIO);
}

Test(signame, numbers)
{
	cr_assert_eq(signal_from_text("15"), SIGTERM);
	cr_assert_eq(signal_from_text("9"), SIGKILL);
	cr_assert_eq(signal_from_text("1"), SIGHUP);
	cr_assert_eq(signal_from_text("3"), SIGQUIT);
	char text[16];
	snprintf(text, sizeof text, "%d", SIGRTMAX);
	cr_assert_eq(signal_from_text(text), SIGRTMAX);
	snprintf(text, sizeof text, "%d", SIGRTMIN);
	cr_assert_eq(signal_from_text(text), SIGRTMIN);
}

Test(signame, zero_and_out_of_range_numbers)
{
	static const char *const bad[] = { "0", "00", "65", "99", "-1", "-15", "+15", "4294967311",
					   "18446744073709551631", "1000" };
	char above[16];

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		cr_expect_eq(signal_from_text(bad[i]), -1, "'%s'", bad[i]);
	snprintf(above, sizeof above, "%d", SIGRTMAX + 1);
	cr_expect_eq(signal_from_text(above), -1, "'%s'", above);
}

Test(signame, realtime_offsets)
{
	char text[32];
	int span = SIGRTMAX - SIGRTMIN;

	cr_assert_eq(signal_from_text("RTMIN"), SIGRTMIN);
	cr_assert_eq(signal_from_text("RTMAX"), SIGRTMAX);
	cr_assert_eq(signal_from_text("RTMIN+0"), SIGRTMIN);
	cr_assert_eq(signal_from_text("RTMAX-0"), SIGRTMAX);
	cr_assert_eq(signal_from_text("RTMIN+2"), SIGRTMIN + 2);
	cr_assert_eq(signal_from_text("SIGRTMIN+2"), SIGRTMIN + 2);
	cr_assert_eq(signal_from_text("RTMAX-1"), SIGRTMAX - 1);
	cr_assert_eq(signal_from_text("SIGRTMAX-1"), SIGRTMAX - 1);
	snprintf(text, sizeof text, "RTMIN+%d", span);
	cr_assert_eq(signal_from_text(text), SIGRTMAX, "'%s'", text);
	snprintf(text, sizeof text, "RTMAX-%d", span);
	cr_assert_eq(signal_from_text(text), SIGRTMIN, "'%s'", text);
	snprintf(text, sizeof text, "RTMIN+%d", span + 1);
	cr_assert_eq(signal_from_text(text), -1, "'%s' beyond RTMAX", text);
	snprintf(text, sizeof text, "RTMAX-%d", span + 1);
	cr_assert_eq(signal_from_text(text), -1, "'%s' below RTMIN", text);
}

Test(signame, realtime_malformed)
{
	static const char *const bad[] = { "RTMIN+", "RTMAX-", "RTMIN-1", "RTMAX+1", "RTMIN+x",
					   "RTMIN+-1", "RTMIN++1", "RTMIN+ 1", "RTMIN+1 ", "RTMI",
					   "RTMINX", "RT", "RTMIN1", "RTMAX1", "SIGRTMIN+",
					   "RTMIN+99999999999999999999" };

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		cr_expect_eq(signal_from_text(bad[i]), -1, "'%s'", bad[i]);
}

Test(signame, garbage)
{
	static const char *const bad[] = { "", "SIG", "sig", "SIGSIGTERM", "TERMS", "TER", " TERM",
					   "TERM ", "SIG TERM", "SIG-TERM", "15x", "x15", "NOSUCH",
					   "SIGFOO", "1.5", "ZERO" };

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		cr_expect_eq(signal_from_text(bad[i]), -1, "'%s'", bad[i]);
	cr_assert_eq(signal_from_text(NULL), -1);
}

Test(signame, names_of_classic_signals)
{
	for (size_t i = 0; i < NCLASSIC; i++) {
		char buf[12];
		const char *name = signal_name(classic[i].signo, buf, sizeof buf);
		cr_expect_not_null(name, "signal %d has no name", classic[i].signo);
		if (name != NULL)
			cr_expect_str_eq(name, classic[i].text, "signal %d", classic[i].signo);
	}
}

Test(signame, aliases_are_never_printed)
{
	char buf[12];

	cr_assert_str_eq(signal_name(SIGABRT, buf, sizeof buf), "ABRT");
	cr_assert_str_eq(signal_name(SIGCHLD, buf, sizeof buf), "CHLD");
	cr_assert_str_eq(signal_name(SIGIO, buf, sizeof buf), "IO");
}

Test(signame, realtime_names)
{
	char buf[12];

	cr_assert_str_eq(signal_name(SIGRTMIN + 2, buf, sizeof buf), "RTMIN+2");
	cr_assert_str_eq(signal_name(SIGRTMAX - 1, buf, sizeof buf), "RTMAX-1");
	cr_assert_str_eq(signal_name(SIGRTMIN + 1, buf, sizeof buf), "RTMIN+1");
	cr_assert_str_eq(signal_name(SIGRTMAX - 3, buf, sizeof buf), "RTMAX-3");
}

Test(signame, unknown_numbers_have_no_name)
{
	char buf[12];

	cr_assert_null(signal_name(0, buf, sizeof buf));
	cr_assert_null(signal_name(-1, buf, sizeof buf));
	cr_assert_null(signal_name(SIGRTMAX + 1, buf, sizeof buf));
	cr_assert_null(signal_name(65, buf, sizeof buf));
	cr_assert_null(signal_name(1000, buf, sizeof buf));
}

/* number -> name -> number for every signal that has a name, with and without SIG,
 * and number -> text -> number. */
Test(signame, round_trip_every_signal)
{
	int named = 0;

	for (int signo = 1; signo <= SIGRTMAX; signo++) {
		char buf[12], text[32];
		const char *name = signal_name(signo, buf, sizeof buf);
		if (signo <= 31 || signo >= SIGRTMIN)
			cr_expect_not_null(name, "signal %d has no name", signo);
		if (name != NULL) {
			named++;
			cr_expect_eq(signal_from_text(name), signo, "'%s' for %d", name, signo);
			snprintf(text, sizeof text, "SIG%s", name);
			cr_expect_eq(signal_from_text(text), signo, "'%s' for %d", text, signo);
		}
		snprintf(text, sizeof text, "%d", signo);
		if (signo <= 31 || signo >= SIGRTMIN)
			cr_expect_eq(signal_from_text(text), signo, "'%s'", text);
	}
	cr_assert_eq(named, 31 + (SIGRTMAX - SIGRTMIN + 1));
}
