#ifndef INITD_PLAN_H
#define INITD_PLAN_H

/* The questions init/run.c has between two system calls (whom to signal, with
 * what, what to say, how long to wait), answered from the configuration and the
 * supervisor's state, so that the loop carries out and never chooses. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "supervisor/loglevel.h"
#include "supervisor/machine.h"
#include "supervisor/options.h"

/* The one-line answers are inline: a call each would cost the static binary
 * more than the answer itself. */

/* The state machine's policy from the options. */
void plan_policy(const struct config *cfg, struct sv_policy *policy);

/* TERM, INT, QUIT, PWR and RTMIN+3 ask initd to stop. */
bool signal_means_stop(int signo);

/* The signals a child sets back to their default action before exec, bit N-1
 * for signal N: every one initd may stop the service or its leftovers with (the
 * stop signals, their rewrites, --stop-signal). Only these: a service may be
 * meant to inherit other ignored signals, as nohup(1) passes HUP. */
uint64_t plan_signals_to_default(const struct config *cfg);

/* A path given relative to the directory initd started in, made to hold once
 * initd has moved to /: path itself when absolute, else directory/path in buf;
 * NULL when that does not fit in size. */
const char *plan_path_from(const char *directory, const char *path, char *buf, size_t size);

/* The status socket's abstract name: one per PID namespace (where `docker
 * exec` lands) and status file, so that initds sharing a network namespace
 * (a pod) each answer for their own. */
void plan_status_socket_name(uint64_t pid_namespace, const char *status_file, char *buf, size_t size);

/* What a signal initd received leads to. */
enum plan_reaction {
	PLAN_REAP,    /* SIGCHLD: the loop reaps anyway */
	PLAN_STOP,    /* a stop request; *send is what the service should get */
	PLAN_FORWARD, /* pass *send on to the service */
	PLAN_DROP,    /* no service to pass it to */
};
enum plan_reaction plan_received(const struct config *cfg, const struct supervisor *sv, int signo, int *send);

/* The kill(2) target for a signal to the service: its group with --group, else
 * its pid; 0 when no service process exists. */
static inline pid_t plan_service_target(const struct config *cfg, const struct supervisor *sv)
{
	if (sv->child <= 0)
		return 0;
	return cfg->group ? -sv->child : sv->child;
}

/* The debug line for that signal, without the "initd: " prefix. */
void plan_describe_signal(const struct config *cfg, const struct supervisor *sv, int signo, char *buf,
			  size_t size);

/* The kill(2) target for the previous instance's group, 0 for none. */
static inline pid_t plan_stale_target(const struct supervisor *sv, const struct sv_actions *a)
{
	return a->signal_stale && sv->stale_group > 0 ? -sv->stale_group : 0;
}

/* The kill(2) target for the child's whole group at the final SIGKILL, 0 for none. */
static inline pid_t plan_child_group_target(const struct supervisor *sv)
{
	return sv->child > 0 ? -sv->child : 0;
}

/* The --pre program to spawn for SPAWN_PRE. */
static inline const char *plan_pre_program(const struct config *cfg, const struct supervisor *sv)
{
	return cfg->pre[sv->next_pre];
}

/* Whether a reaped pid is the child the state machine waits for. */
static inline bool plan_is_child(const struct supervisor *sv, pid_t pid)
{
	return pid == sv->child;
}

/* The state machine's deadline for the loop's timers (monotonic ms), negative
 * for none. */
static inline int64_t plan_deadline(const struct supervisor *sv)
{
	return sv_next_deadline(sv);
}

/* The line to print about the end of a run (wait_status >= 0) or about the
 * actions of an event; false when there is nothing to say. */
bool plan_announcement(const struct supervisor *sv, const struct sv_actions *a, int wait_status,
		       enum log_level *level, char *buf, size_t size);

#endif
