#include "init/run.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "init/clock.h"
#include "init/events.h"
#include "init/leftovers.h"
#include "init/log.h"
#include "init/spawn.h"
#include "init/statusfile.h"
#include "supervisor/machine.h"
#include "supervisor/plan.h"
#include "supervisor/status.h"
#include "supervisor/timers.h"

/* Once the loop runs initd may not bail out: as PID 1 its death takes the whole
 * container with it. Errors are reported and the loop goes on. */

struct runtime {
	const struct config *cfg;
	const struct privileges *privileges;
	const struct signal_state *signals;
	uint64_t signals_to_default;
	const char *directory;
	bool foreground;
	struct supervisor sv;
	struct status_record written; /* what the status file last said */
	bool status_written;
	struct events events;
	struct timers timers;
};

static void write_status(struct runtime *rt)
{
	struct status_record now = status_of(&rt->sv);

	if (rt->status_written && !status_differs(&now, &rt->written))
		return;
	now.changed_ms = clock_realtime_ms();
	statusfile_write(rt->cfg->status_file, &now);
	rt->written = now;
	rt->status_written = true;
}

static void send_to_child(const struct runtime *rt, int signo)
{
	pid_t target = plan_service_target(rt->cfg, &rt->sv);
	char line[64];

	if (target == 0)
		return;
	plan_describe_signal(rt->cfg, &rt->sv, signo, line, sizeof line);
	log_msg(LOG_DEBUG, "%s", line);
	if (kill(target, signo) != 0 && errno != ESRCH)
		log_msg(LOG_ERROR, "cannot signal the service: %s", strerror(errno));
}

static void announce(const struct runtime *rt, const struct sv_actions *a, int wait_status)
{
	enum log_level level;
	char line[256];

	if (plan_announcement(&rt->sv, a, wait_status, &level, line, sizeof line))
		log_msg(level, "%s", line);
}

static struct sv_actions spawn_requested(struct runtime *rt, enum sv_spawn what)
{
	struct spawn_failure failure;
	char *pre_argv[2] = { NULL, NULL };
	struct spawn_request req = {
		.argv = rt->cfg->command,
		.privileges = rt->privileges,
		.foreground = rt->foreground,
		.signals = rt->signals,
		.signals_to_default = rt->signals_to_default,
		.directory = rt->directory,
	};

	if (what == SPAWN_PRE) {
		/* A --pre program runs with initd's privileges so setup can act as root. */
		pre_argv[0] = (char *)(uintptr_t)plan_pre_program(rt->cfg, &rt->sv);
		req.argv = pre_argv;
		req.privileges = NULL;
	}
	pid_t pid = spawn_child(&req, &failure);
	int64_t now = clock_monotonic_ms();
	if (pid > 0) {
		log_msg(LOG_INFO, "started %s %s (pid %d)", what == SPAWN_PRE ? "pre program" : "service",
			req.argv[0], (int)pid);
		return sv_spawned(&rt->sv, pid, now);
	}
	static const char *const stages[] = { "cannot create a pipe", "cannot fork",
					      "cannot drop privileges for", "cannot execute" };
	if (failure.stage == STAGE_DIRECTORY)
		log_msg(LOG_ERROR, "cannot start %s in %s: %s", req.argv[0], req.directory,
			strerror(failure.error));
	else
		log_msg(LOG_ERROR, "%s %s: %s", stages[failure.stage], req.argv[0], strerror(failure.error));
	return sv_spawn_failed(&rt->sv, failure.code, now);
}

/* Carries out one event's actions, including the spawns they lead to. */
static void carry_out(struct runtime *rt, struct sv_actions a, int wait_status)
{
	for (;;) {
		announce(rt, &a, wait_status);
		wait_status = -1;
		if (a.signal_child)
			send_to_child(rt, a.signal_child);
		pid_t stale = plan_stale_target(&rt->sv, &a);
		if (stale != 0)
			kill(stale, a.signal_stale);
		if (a.signal_leftovers)
			signal_descendants(a.signal_leftovers);
		if (a.kill_all) {
			log_msg(LOG_NOTICE, "grace period of %lldms over; sending SIGKILL",
				(long long)rt->cfg->grace_ms);
			pid_t group = plan_child_group_target(&rt->sv);
			if (group != 0)
				kill(group, SIGKILL);
			signal_descendants(SIGKILL);
		}
		if (a.kill_group > 0)
			kill(-a.kill_group, SIGKILL);
		if (a.exit_now) {
			write_status(rt);
			if (a.survivors)
				log_msg(LOG_ERROR, "processes survived SIGKILL; exiting anyway");
			log_msg(LOG_INFO, "exiting with status %d", a.exit_code);
			events_close(&rt->events);
			exit(a.exit_code);
		}
		if (a.spawn == SPAWN_NOTHING)
			return;
		a = spawn_requested(rt, a.spawn);
	}
}

/* Reaps every child that has ended; true when none is left at all. */
static bool reap(struct runtime *rt)
{
	for (;;) {
		int status;
		pid_t pid = waitpid(-1, &status, WNOHANG);
		if (pid > 0) {
			if (plan_is_child(&rt->sv, pid))
				carry_out(rt, sv_child_exited(&rt->sv, status, clock_monotonic_ms()), status);
			else
				log_msg(LOG_DEBUG, "reaped orphan %d", (int)pid);
			continue;
		}
		if (pid == 0)
			return false;
		if (errno != EINTR)
			return errno == ECHILD;
	}
}

static void handle_signal(struct runtime *rt, int signo)
{
	int send = 0;

	switch (plan_received(rt->cfg, &rt->sv, signo, &send)) {
	case PLAN_REAP:
		return; /* reaped at the top of the loop */
	case PLAN_STOP:
		log_msg(LOG_INFO, "stop requested");
		carry_out(rt, sv_stop(&rt->sv, send, clock_monotonic_ms()), -1);
		return;
	case PLAN_FORWARD:
		send_to_child(rt, send);
		return;
	case PLAN_DROP:
		log_msg(LOG_DEBUG, "no service running; signal %d dropped", signo);
		return;
	}
}

_Noreturn int run_supervisor(const struct config *cfg, const struct privileges *privileges,
		   const struct signal_state *signals, const char *directory)
{
	struct runtime rt = {
		.cfg = cfg,
		.privileges = privileges,
		.signals = signals,
		.directory = directory,
		.signals_to_default = plan_signals_to_default(cfg),
		.foreground = isatty(STDIN_FILENO) == 1,
	};
	struct sv_policy policy;

	plan_policy(cfg, &policy);
	sv_init(&rt.sv, &policy);
	timers_init(&rt.timers);
	if (!events_open(&rt.events, signals)) {
		log_msg(LOG_ERROR, "signalfd: %s", strerror(errno));
		exit(1);
	}
	carry_out(&rt, sv_begin(&rt.sv, clock_monotonic_ms()), -1);
	for (;;) {
		bool none_left = reap(&rt);
		int64_t now = clock_monotonic_ms();
		/* sv_no_children itself tells whether initd was only waiting for that. */
		if (none_left)
			carry_out(&rt, sv_no_children(&rt.sv, now), -1);
		timers_set(&rt.timers, TIMER_MACHINE, plan_deadline(&rt.sv));
		if (timers_due(&rt.timers, now) == TIMER_MACHINE) {
			carry_out(&rt, sv_deadline(&rt.sv, now), -1);
			continue;
		}
		/* States that end within one turn of the loop are never seen by anyone;
		 * what lasts until the next wait is written before it. */
		write_status(&rt);
		struct event ev = events_wait(&rt.events, timers_wait_ms(&rt.timers, now));
		if (ev.kind == EVENT_SIGNAL)
			handle_signal(&rt, ev.signo);
	}
}
