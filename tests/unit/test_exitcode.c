/* Wait status to exit code: exit N -> N, signal N -> 128+N. */
#include <criterion/criterion.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "supervisor/exitcode.h"

/* The kernel's encodings, written out so that the test does not borrow the
 * macros the code under test relies on. */
static int exited(int code)
{
	return (code & 0xff) << 8;
}

static int signaled(int signo, bool core)
{
	return (signo & 0x7f) | (core ? 0x80 : 0);
}

Test(exitcode, encodings_match_the_kernel)
{
	/* Sanity of the helpers against the libc macros. */
	cr_assert(WIFEXITED(exited(3)));
	cr_assert_eq(WEXITSTATUS(exited(3)), 3);
	cr_assert(WIFSIGNALED(signaled(9, false)));
	cr_assert_eq(WTERMSIG(signaled(9, false)), 9);
	cr_assert(WCOREDUMP(signaled(11, true)));
}

Test(exitcode, exit_code_is_passed_through)
{
	static const int codes[] = { 0, 1, 2, 3, 42, 126, 127, 128, 137, 143, 200, 254, 255 };

	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
		cr_expect_eq(exit_code_from_wait(exited(codes[i])), codes[i], "exit %d", codes[i]);
}

Test(exitcode, signal_is_128_plus_n)
{
	cr_assert_eq(exit_code_from_wait(signaled(SIGKILL, false)), 137);
	cr_assert_eq(exit_code_from_wait(signaled(SIGTERM, false)), 143);
	cr_assert_eq(exit_code_from_wait(signaled(SIGHUP, false)), 129);
	cr_assert_eq(exit_code_from_wait(signaled(SIGINT, false)), 130);
	for (int s = 1; s <= 64; s++)
		if (s != SIGSTOP) /* 0x7f is not a signal death, and 19 is fine anyway */
			cr_expect_eq(exit_code_from_wait(signaled(s, false)), 128 + s, "signal %d", s);
}

Test(exitcode, core_dump_does_not_change_the_code)
{
	cr_assert_eq(exit_code_from_wait(signaled(SIGSEGV, true)), 139);
	cr_assert_eq(exit_code_from_wait(signaled(SIGABRT, true)), 134);
	cr_assert_eq(exit_code_from_wait(signaled(SIGQUIT, true)), 131);
}

Test(exitcode, describe_exit)
{
	char buf[64];

	describe_wait(exited(1), buf, sizeof buf);
	cr_assert_str_eq(buf, "exited with status 1");
	describe_wait(exited(0), buf, sizeof buf);
	cr_assert_str_eq(buf, "exited with status 0");
	describe_wait(exited(255), buf, sizeof buf);
	cr_assert_str_eq(buf, "exited with status 255");
}

Test(exitcode, describe_signal)
{
	char buf[64];

	describe_wait(signaled(SIGKILL, false), buf, sizeof buf);
	cr_assert_str_eq(buf, "killed by signal 9 (SIGKILL)");
	describe_wait(signaled(SIGTERM, false), buf, sizeof buf);
	cr_assert_str_eq(buf, "killed by signal 15 (SIGTERM)");
	describe_wait(signaled(SIGSEGV, true), buf, sizeof buf);
	cr_assert_str_eq(buf, "killed by signal 11 (SIGSEGV)");
	describe_wait(signaled(SIGRTMIN + 2, false), buf, sizeof buf);
	char want[64];
	snprintf(want, sizeof want, "killed by signal %d (SIGRTMIN+2)", SIGRTMIN + 2);
	cr_assert_str_eq(buf, want);
}

Test(exitcode, describe_unnamed_signal)
{
	char buf[64];

	/* glibc keeps 32 and 33 for itself: no name, but still a number. */
	if (SIGRTMIN > 32) {
		describe_wait(signaled(32, false), buf, sizeof buf);
		cr_assert_str_eq(buf, "killed by signal 32");
	}
}

Test(exitcode, describe_mapped_codes)
{
	char buf[64];

	describe_exit_code(137, buf, sizeof buf);
	cr_assert_str_eq(buf, "killed by signal 9 (SIGKILL)");
	describe_exit_code(143, buf, sizeof buf);
	cr_assert_str_eq(buf, "killed by signal 15 (SIGTERM)");
	describe_exit_code(129, buf, sizeof buf);
	cr_assert_str_eq(buf, "killed by signal 1 (SIGHUP)");
	describe_exit_code(1, buf, sizeof buf);
	cr_assert_str_eq(buf, "exited with status 1");
	describe_exit_code(0, buf, sizeof buf);
	cr_assert_str_eq(buf, "exited with status 0");
	describe_exit_code(127, buf, sizeof buf);
	cr_assert_str_eq(buf, "exited with status 127");
	describe_exit_code(128, buf, sizeof buf);
	cr_assert_str_eq(buf, "exited with status 128");
	describe_exit_code(255, buf, sizeof buf);
	cr_assert_str_eq(buf, "exited with status 255");
}

Test(exitcode, describe_round_trip_with_mapping)
{
	for (int s = 1; s <= 31; s++) {
		char a[64], b[64];
		if (s == SIGSTOP)
			continue;
		describe_wait(signaled(s, false), a, sizeof a);
		describe_exit_code(exit_code_from_wait(signaled(s, false)), b, sizeof b);
		cr_expect_str_eq(a, b, "signal %d", s);
	}
}

Test(exitcode, describe_truncates)
{
	char buf[10];

	memset(buf, 'x', sizeof buf);
	describe_wait(signaled(SIGKILL, false), buf, sizeof buf);
	cr_assert_str_eq(buf, "killed by");
}

Test(exitcode, exec_failure_codes)
{
	cr_expect_eq(exit_code_for_exec(ENOENT), 127, "no such file");
	cr_expect_eq(exit_code_for_exec(ENOTDIR), 127, "a path component is no directory");
	cr_expect_eq(exit_code_for_exec(EACCES), 126);
	cr_expect_eq(exit_code_for_exec(ENOEXEC), 126);
	cr_expect_eq(exit_code_for_exec(E2BIG), 126);
}
