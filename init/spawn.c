#include "init/spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "supervisor/exitcode.h"

struct child_report {
	int stage;
	int error;
	int code;
};

static _Noreturn void fail_in_child(int fd, enum spawn_stage stage, int code)
{
	struct child_report report = { stage, errno, code };

	/* The parent reads this instead of EOF; nothing else can be done on error. */
	while (write(fd, &report, sizeof report) < 0 && errno == EINTR)
		;
	_exit(code);
}

/* A shell starts a background job with INT and QUIT ignored and exec keeps
 * ignored signals ignored: a service that ignores its stop signal ends only by
 * SIGKILL at the deadline. */
static void default_dispositions(uint64_t set)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };

	sigemptyset(&dfl.sa_mask);
	for (int signo = 1; signo <= 64; signo++)
		if (set & (uint64_t)1 << (signo - 1))
			sigaction(signo, &dfl, NULL);
}

extern char **environ;

/* environ with additions, each replacing a variable of its name. Built in the
 * child, whose heap exec throws away (see heap.c); putenv would bring musl's
 * realloc, and with it its whole allocator. */
static bool add_environment(char *const *add)
{
	size_t have = 0, extra = 0, n = 0;

	while (environ[have] != NULL)
		have++;
	while (add[extra] != NULL)
		extra++;
	/* Static, so that a memory checker following a failed exec sees it held. */
	static char **env;
	env = malloc((have + extra + 1) * sizeof *env);
	if (env == NULL)
		return false;
	for (size_t i = 0; i < have; i++) {
		bool replaced = false;
		for (size_t k = 0; k < extra && !replaced; k++) {
			size_t name = (size_t)(strchr(add[k], '=') - add[k]) + 1;
			replaced = strncmp(environ[i], add[k], name) == 0;
		}
		if (!replaced)
			env[n++] = environ[i];
	}
	for (size_t k = 0; k < extra; k++)
		env[n++] = add[k];
	env[n] = NULL;
	environ = env;
	return true;
}

/* The two fcntl calls below are the system call itself: musl's fcntl() adds
 * emulations (F_DUPFD_CLOEXEC for kernels before 2.6.24, F_GETOWN) that these
 * two commands never need, and weighed 423 bytes of a size-budgeted binary. */

/* The readiness pipe's write end becomes fd pass_fd_as, open across exec. */
static bool pass_fd(const struct spawn_request *req)
{
	if (req->pass_fd == req->pass_fd_as)
		return syscall(SYS_fcntl, req->pass_fd, F_SETFD, 0) == 0;
	return dup2(req->pass_fd, req->pass_fd_as) >= 0;
}

static _Noreturn void become_child(const struct spawn_request *req, int report_fd)
{
	/* The report pipe must not be where the service's fd N goes. */
	if (req->pass_fd >= 0 && report_fd == req->pass_fd_as)
		report_fd = (int)syscall(SYS_fcntl, report_fd, F_DUPFD_CLOEXEC, req->pass_fd_as + 1);
	setpgid(0, 0);
	/* Allowed from a background group because every signal is still blocked. */
	if (req->foreground)
		tcsetpgrp(STDIN_FILENO, getpid());
	/* With initd's privileges, as the directory was entered before; a command
	 * that cannot run where it is meant to is as unusable as one that cannot
	 * be executed. */
	if (req->directory != NULL && chdir(req->directory) != 0)
		fail_in_child(report_fd, STAGE_DIRECTORY, EXIT_CANNOT_EXECUTE);
	if (req->privileges != NULL && !privileges_apply(req->privileges))
		fail_in_child(report_fd, STAGE_PRIVILEGES, 1);
	if (req->pass_fd >= 0 && !pass_fd(req))
		fail_in_child(report_fd, STAGE_FDS, 1);
	if (req->environment != NULL && !add_environment(req->environment))
		fail_in_child(report_fd, STAGE_FDS, 1);
	/* While every signal is still blocked: a stop signal already queued then
	 * meets the default action, not the inherited SIG_IGN. */
	default_dispositions(req->signals_to_default);
	signals_give_back(req->signals);
	execvp(req->argv[0], req->argv);
	fail_in_child(report_fd, STAGE_EXEC, exit_code_for_exec(errno));
}

pid_t spawn_child(const struct spawn_request *req, struct spawn_failure *failure)
{
	int fds[2];

	if (pipe2(fds, O_CLOEXEC) != 0) {
		*failure = (struct spawn_failure){ STAGE_PIPE, errno, 1 };
		return -1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		*failure = (struct spawn_failure){ STAGE_FORK, errno, 1 };
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		become_child(req, fds[1]);
	}
	close(fds[1]);
	/* Both sides set the group, whichever runs first, so that a signal sent to the
	 * group right after this returns cannot miss the child. */
	setpgid(pid, pid);

	struct child_report report;
	ssize_t n;
	do
		n = read(fds[0], &report, sizeof report);
	while (n < 0 && errno == EINTR);
	close(fds[0]);
	if (n <= 0)
		return pid; /* end of file: close-on-exec closed it, exec happened */

	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	failure->stage = (enum spawn_stage)report.stage;
	failure->error = report.error;
	failure->code = report.code;
	return -1;
}
