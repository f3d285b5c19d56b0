#include "exitcode.h"

#include <sys/wait.h>

#include "fmt.h"
#include "signame.h"

int exit_code_from_wait(int wait_status)
{
	if (WIFEXITED(wait_status))
		return WEXITSTATUS(wait_status);
	if (WIFSIGNALED(wait_status))
		return 128 + WTERMSIG(wait_status);
	return 1; /* stopped or continued: not an ending, callers never pass one */
}

static void describe_signal(int signo, char *buf, size_t size)
{
	char rt[12];
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
	if (code > 128 && code < 128 + 65)
		describe_signal(code - 128, buf, size);
	else
		fmt(buf, size, "exited with status %d", code);
}
