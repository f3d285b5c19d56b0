#ifndef INITD_EXITCODE_H
#define INITD_EXITCODE_H

#include <stddef.h>

/* 128+N: the shell's convention for "ended by signal N". */
#define EXIT_SIGNAL_BASE 128

/* The shell's codes for a command that cannot be run. */
#define EXIT_CANNOT_EXECUTE 126
#define EXIT_NOT_FOUND 127

/* The exit code for an exec(2) that failed with errno error. */
int exit_code_for_exec(int error);

/* The status every init agrees on: the exit code, or 128+N after signal N. */
int exit_code_from_wait(int wait_status);

/* "exited with status 1", "killed by signal 9 (SIGKILL)". */
void describe_wait(int wait_status, char *buf, size_t size);

/* The same words for an exit code already mapped (128+N reads as a signal). */
void describe_exit_code(int code, char *buf, size_t size);

#endif
