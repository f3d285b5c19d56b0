#include "supervisor/exitcode.h"

#include <errno.h> /* the E* numbers; errno itself is never read here */
#include <stdlib.h> /* the W* macros: POSIX puts them here too, without wait(2) */

#include "supervisor/fmt.h"
#include "supervisor/signame.h"

int exit_code_from_wait(int wait_status)
{
	if (WIFEXITED(wait_status))
		return WEXITSTATUS(wait_status);
	if (WIFSIGNALED(wait_status))
		return EXIT_SIGNAL_BASE + WTERMSIG(wait_status);
	return 1; /* stopped or continued: not an ending, callers never pass one */
}

int exit_code_for_exec(int error)
{
	return (error == ENOENT || error == ENOTDIR) ? EXIT_NOT_FOUND : EXIT_CANNOT_EXECUTE;
}

static void describe_signal(int signo, char *buf, size_t size)
{
	char rt[SIGNAL_NAME_SIZE];
	const char *name = signal_name(signo, rt, sizeof rt);

	if (name)
		fmt(buf, size, "killed by signal %d (SIG%s)", signo, name);
	else
		fmt(buf, size, "killed by signal %d", signo);
}

void describe_wait(int wait_status, char *buf, size_t size)
{
	if (WIFSIGNALED(wait_status))
		describe_signal(WTERMSIG(wait_status), buf, size);
	else
		fmt(buf, size, "exited with status %d", exit_code_from_wait(wait_status));
}

void describe_exit_code(int code, char *buf, size_t size)
{
	if (code > EXIT_SIGNAL_BASE && code < EXIT_SIGNAL_BASE + SIGNAL_SLOTS)
		describe_signal(code - EXIT_SIGNAL_BASE, buf, size);
	else
		fmt(buf, size, "exited with status %d", code);
}
