#ifndef INITD_SPAWN_H
#define INITD_SPAWN_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "init/privileges.h"
#include "init/signals.h"

struct spawn_request {
	char *const *argv;
	const struct privileges *privileges; /* NULL: initd's own */
	bool foreground;                     /* take the terminal's foreground */
	const struct signal_state *signals;
	uint64_t signals_to_default;         /* plan_signals_to_default */
	const char *directory;               /* where it starts; NULL: initd's own */
	char *const *environment;            /* NAME=value to add, NULL-terminated; may be NULL */
	int pass_fd;                         /* given to the child as fd pass_fd_as; -1: none */
	int pass_fd_as;
};

enum spawn_stage { STAGE_PIPE, STAGE_FORK, STAGE_PRIVILEGES, STAGE_EXEC, STAGE_DIRECTORY, STAGE_FDS };

struct spawn_failure {
	enum spawn_stage stage;
	int error;
	int code; /* EXIT_NOT_FOUND, EXIT_CANNOT_EXECUTE (exec, or the directory), or 1 */
};

/* Forks and execs argv in a new process group. Returns the pid once exec has
 * succeeded; on failure returns -1, the child already reaped. */
pid_t spawn_child(const struct spawn_request *req, struct spawn_failure *failure);

#endif
