#ifndef INITD_MACHINE_H
#define INITD_MACHINE_H

/* The supervisor's decisions, as a pure state machine: each event takes the
 * current time and returns the actions for the shell to carry out. Nothing here
 * makes a system call, so every transition is unit-tested without processes. */

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "supervisor/options.h"

enum sv_state {
	SV_STARTING, /* a --pre program runs, or the service is being spawned */
	SV_RUNNING,
	SV_BACKOFF,  /* waiting to restart */
	SV_STOPPING, /* no more starts: waiting for the child and leftovers to end */
	SV_EXITED,
};

/* How many states there are, for whoever walks them all. */
#define SV_STATE_COUNT (SV_EXITED + 1)

/* After SIGKILL, how long to wait for the kernel to finish the victims before
 * exiting anyway (a process stuck in uninterruptible sleep must not hold PID 1). */
#define SV_KILL_WAIT_MS 2000

struct sv_policy {
	enum restart_policy restart;
	unsigned max_restarts;
	int64_t backoff_min_ms, backoff_max_ms, stable_ms, grace_ms;
	unsigned npre;
	int default_stop_signal; /* for leftovers when no stop was requested */
	struct success_exit success; /* endings that count as clean, besides status 0 */
};

struct supervisor {
	struct sv_policy policy;
	enum sv_state state;
	unsigned next_pre;     /* the --pre program running or to run next */
	bool child_is_service; /* false while a --pre program is the child */
	pid_t child;           /* 0 when no child of ours is running */
	pid_t stale_group;     /* process group of the previous instance */
	bool service_started;  /* the service has been exec'd at least once */
	int64_t started_ms;
	unsigned failures;     /* consecutive restarts that did not reach stable */
	unsigned restarts;     /* all restarts */
	int last_status;       /* exit status of the last run, -1 before any */
	bool last_clean;       /* and it was status 0 or one of --success-exit */
	int stop_signal;
	bool stop_requested;
	bool killed;           /* SIGKILL sent to everything */
	int64_t deadline_ms;   /* backoff end or grace end; -1 when none */
	int exit_code;
};

enum sv_spawn { SPAWN_NOTHING, SPAWN_PRE, SPAWN_SERVICE };

struct sv_actions {
	enum sv_spawn spawn;        /* SPAWN_PRE runs pre[sv->next_pre] */
	int signal_child;           /* send to the child (its group with --group) */
	int signal_stale;           /* send to the previous instance's group */
	int signal_leftovers;       /* send to every descendant */
	pid_t kill_group;           /* SIGKILL this group before spawning */
	bool kill_all;              /* SIGKILL the child's group and every descendant */
	bool exit_now;
	int exit_code;
	/* What to tell the user. */
	bool restarting;            /* one line: status, run time, restart number, delay */
	int64_t restart_delay_ms;
	int64_t ran_ms;
	bool gave_up;
	bool survivors;             /* something outlived SIGKILL */
};

void sv_init(struct supervisor *sv, const struct sv_policy *policy);

/* The first start: the first --pre program, or the service. */
struct sv_actions sv_begin(struct supervisor *sv, int64_t now_ms);

/* The requested spawn succeeded (exec happened) with this pid. */
struct sv_actions sv_spawned(struct supervisor *sv, pid_t pid, int64_t now_ms);

/* The requested spawn failed before exec: code is 127/126 for exec errors (126
 * also when its directory cannot be entered), 1 for anything else. At the first
 * start of the service, and for --pre programs, initd exits with it; later it
 * counts as a failed run. */
struct sv_actions sv_spawn_failed(struct supervisor *sv, int code, int64_t now_ms);

/* The child (pid sv->child) ended with this wait status. A service that ends
 * cleanly (status 0 or --success-exit) is not restarted under on-failure and
 * initd then exits 0. */
struct sv_actions sv_child_exited(struct supervisor *sv, int wait_status, int64_t now_ms);

/* A stop signal arrived (signal_means_stop); stop_signal is what the service should receive. */
struct sv_actions sv_stop(struct supervisor *sv, int stop_signal, int64_t now_ms);

/* The deadline passed. */
struct sv_actions sv_deadline(struct supervisor *sv, int64_t now_ms);

/* waitpid reported that no child is left at all. */
struct sv_actions sv_no_children(struct supervisor *sv, int64_t now_ms);

const char *sv_state_name(enum sv_state state);

#endif
