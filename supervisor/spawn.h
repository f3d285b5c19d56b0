#ifndef INITD_SPAWN_H
#define INITD_SPAWN_H

#include <stdbool.h>
#include <sys/types.h>

#include "privileges.h"
#include "signals.h"

struct spawn_request {
	char *const *argv;
	const struct privileges *privileges; /* NULL: initd's own */
	bool foreground;                     /* take the terminal's foreground */
	const struct signal_state *signals;
};

enum spawn_stage { STAGE_PIPE, STAGE_FORK, STAGE_PRIVILEGES, STAGE_EXEC };

struct spawn_failure {
	enum spawn_stage stage;
	int error;
	int code; /* 127 not found, 126 not executable, 1 anything else */
};

/* Forks and execs argv in a new process group. Returns the pid once exec has
 * succeeded; on failure returns -1, the child already reaped. */
pid_t spawn_child(const struct spawn_request *req, struct spawn_failure *failure);

#endif
