#ifndef INITD_MACHINE_H
#define INITD_MACHINE_H

/* The supervisor's decisions, as a pure state machine: each event takes the
 * current time and returns the actions for the shell to carry out. Nothing here
 * makes a system call, so every transition is unit-tested without processes. */

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "supervisor/notify.h"
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

/* How far EXTEND_TIMEOUT_USEC= may move a deadline past the one first set: a
 * service asks for more time, it cannot ask for ever. */
#define SV_EXTEND_MAX_MS 300000

/* Why the last run ended, for the status and its readers. */
enum sv_reason {
	REASON_NONE,      /* no run has ended yet */
	REASON_EXIT,      /* it exited by itself */
	REASON_SIGNAL,    /* a signal ended it */
	REASON_OOM,       /* the kernel's OOM killer ended it */
	REASON_UNHEALTHY, /* initd stopped it: checks failed or the watchdog went quiet */
	REASON_NOT_READY, /* initd stopped it: not ready by --ready-timeout */
};
#define SV_REASON_COUNT (REASON_NOT_READY + 1)

/* The helper processes initd runs beside the service. */
enum sv_probe { PROBE_NONE, PROBE_READY, PROBE_CHECK };

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
	enum ready_mode ready;
	int64_t ready_interval_ms, ready_timeout_ms;
	bool check;                  /* a --check-cmd is set */
	int64_t check_interval_ms, check_timeout_ms, check_start_ms;
	unsigned check_retries;
	int64_t watchdog_ms;         /* 0: none */
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
	/* Whether the service works: readiness, then liveness. */
	bool ready;            /* this run said it is ready (once per run) */
	bool recovering;       /* stopping a hung or never-ready service, to restart it */
	enum sv_reason reason; /* why the last run ended, or why it is being stopped */
	int64_t ready_by_ms;   /* --ready-timeout's end for this run; -1 when none */
	int64_t extend_limit_ms; /* how far EXTEND_TIMEOUT_USEC= may move the deadline waited on */
	enum sv_probe probe_kind; /* the probe running (probe != 0) or to run next */
	pid_t probe;
	bool probe_timed_out;
	int64_t probe_at_ms;   /* the next probe's start, or the running one's timeout; -1 */
	unsigned check_failures; /* failed checks in a row */
	int last_check_status; /* the last failed check's exit code, or one of: */
#define SV_CHECK_TIMED_OUT (-1)
#define SV_WATCHDOG_SILENT (-2)
	int64_t watchdog_at_ms; /* no WATCHDOG=1 by then: hung; -1 when none */
	unsigned oom_kills;    /* in the service's cgroup since initd started */
	char status_text[96];  /* the service's last STATUS= */
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
	enum sv_probe spawn_probe;  /* run --ready-cmd or --check-cmd now */
	pid_t kill_probe;           /* SIGKILL this probe's group */
	bool became_ready;          /* one line: ready, and after how long */
	bool hung;                  /* one line: why the service is being restarted */
	bool notify_dropped;        /* the message came from another process */
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

/* The child (pid sv->child) ended with this wait status; oom_killed when the
 * kernel's OOM killer did it. A service that ends cleanly (status 0 or
 * --success-exit) is not restarted under on-failure and initd then exits 0. */
struct sv_actions sv_child_exited(struct supervisor *sv, int wait_status, bool oom_killed, int64_t now_ms);

/* The service says it is ready: READY=1, its line on fd N, or a --ready-cmd
 * that exited 0. Counts once per run, and only while it runs. */
struct sv_actions sv_ready(struct supervisor *sv, int64_t now_ms);

/* A notify message from process sender. Only the service's main process is
 * heard (a->notify_dropped otherwise). READY=1 is sv_ready; WATCHDOG=1 gives it
 * another --watchdog; STOPPING=1 makes it not ready, and no check or watchdog
 * holds its stop against it; EXTEND_TIMEOUT_USEC= moves the end of a stop's
 * grace period, or of --ready-timeout, to no sooner than that from now (within
 * SV_EXTEND_MAX_MS of the first); STATUS= is kept for the status. */
struct sv_actions sv_notified(struct supervisor *sv, pid_t sender, const struct notify_message *msg,
			      int64_t now_ms);

/* The probe asked for (a->spawn_probe) runs with this pid, or could not start
 * (pid <= 0, code is its exit code: a failed run of it). */
struct sv_actions sv_probe_spawned(struct supervisor *sv, pid_t pid, int code, int64_t now_ms);

/* The probe (pid sv->probe) ended with this wait status. */
struct sv_actions sv_probe_exited(struct supervisor *sv, int wait_status, int64_t now_ms);

/* The earliest deadline of all (stop, backoff, readiness, probes, watchdog),
 * negative for none: the loop sleeps until then and calls sv_deadline. */
int64_t sv_next_deadline(const struct supervisor *sv);

/* A stop signal arrived (signal_means_stop); stop_signal is what the service should receive. */
struct sv_actions sv_stop(struct supervisor *sv, int stop_signal, int64_t now_ms);

/* The deadline passed. */
struct sv_actions sv_deadline(struct supervisor *sv, int64_t now_ms);

/* waitpid reported that no child is left at all. */
struct sv_actions sv_no_children(struct supervisor *sv, int64_t now_ms);

const char *sv_state_name(enum sv_state state);
const char *sv_reason_name(enum sv_reason reason);

#endif
