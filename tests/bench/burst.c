/* Benchmark service, run under each init as PID 1.
 *   burst orphans N   make N orphans that exit at the same moment, print the ms
 *                     from their release until the init has reaped every one
 *   burst wait FILE   create FILE, then wait for a signal (default actions)
 *   burst closefds PROGRAM [ARG]...   exec PROGRAM with only fds 0, 1, 2 open
 *   burst reap PROGRAM [ARG]...       the reference reaper: run PROGRAM, reap with
 *                     a bare sigtimedwait + waitpid(-1, WNOHANG) loop, no more */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Every process of the namespace but PID 1, this one and its parent (a shell
 * may run it): a reaped orphan disappears from /proc, a zombie does not. */
static int others(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0, self = getpid(), parent = getppid();
	while ((e = readdir(d)) != NULL) {
		int pid = atoi(e->d_name);
		if (pid > 1 && pid != self && pid != parent)
			n++;
	}
	closedir(d);
	return n;
}

static int orphans(int count)
{
	int release[2], ready[2];
	if (pipe(release) || pipe(ready))
		return perror("pipe"), 1;
	pid_t middle = fork();
	if (middle == 0) {
		close(release[1]);
		close(ready[0]);
		for (int i = 0; i < count; i++) {
			pid_t p = fork();
			if (p < 0)
				_exit(1);
			if (p == 0) {
				char c;
				close(ready[1]);
				/* Blocks until the write end closes: all exit together. */
				while (read(release[0], &c, 1) < 0)
					;
				_exit(0);
			}
		}
		_exit(0); /* the N children become orphans of PID 1 */
	}
	close(release[0]);
	close(ready[1]);
	int status;
	waitpid(middle, &status, 0);
	char c;
	while (read(ready[0], &c, 1) > 0) /* EOF once every child closed it */
		;
	if (others() < count)
		return fprintf(stderr, "burst: only %d orphans\n", others()), 1;
	double t0 = now_ms();
	close(release[1]);
	/* Nap between scans so that the probe does not take a core from the init
	 * it is measuring (2 cores here); 1 ms of resolution is plenty. */
	struct timespec nap = { 0, 1000000 };
	while (others() > 0)
		nanosleep(&nap, NULL);
	printf("%.1f\n", now_ms() - t0);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "orphans") == 0)
		return orphans(atoi(argv[2]));
	if (argc == 3 && strcmp(argv[1], "wait") == 0) {
		int fd = open(argv[2], O_WRONLY | O_CREAT, 0644);
		if (fd < 0)
			return 1;
		close(fd);
		for (;;)
			pause();
	}
	if (argc >= 3 && strcmp(argv[1], "closefds") == 0) {
		for (int fd = 3; fd < 1024; fd++)
			close(fd);
		execvp(argv[2], argv + 2);
		perror(argv[2]);
		return 127;
	}
	if (argc >= 3 && strcmp(argv[1], "reap") == 0) {
		sigset_t all, none;
		sigfillset(&all);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &all, NULL);
		pid_t child = fork();
		if (child == 0) {
			sigprocmask(SIG_SETMASK, &none, NULL);
			execvp(argv[2], argv + 2);
			_exit(127);
		}
		for (;;) {
			siginfo_t info;
			int status;
			pid_t pid;
			sigtimedwait(&all, &info, NULL);
			while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
				if (pid == child)
					return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
		}
	}
	fprintf(stderr, "usage: burst orphans N | burst wait FILE | burst closefds|reap PROGRAM [ARG]...\n");
	return 2;
}
