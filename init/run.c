#include "run.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "duration.h"
#include "exitcode.h"
#include "fmt.h"
#include "leftovers.h"
#include "log.h"
#include "machine.h"
#include "signame.h"
#include "spawn.h"
#include "statusfile.h"

/* Once the loop runs initd may not bail out: as PID 1 its death takes the whole
 * container with it. Errors are reported and the loop goes on. */

struct runtime {
	const struct config *cfg;
	const struct privileges *privileges;
	const struct signal_state *signals;
	bool foreground;
	struct supervisor sv;
	struct status_record written; /* what the status file last said */
	bool status_written;
};

static void write_status(struct runtime *rt)
{
	struct status_record now = {
		.state = rt->sv.state,
		.pid = rt->sv.child_is_service ? (long)rt->sv.child : 0,
		.restarts = rt->sv.restarts,
		.last_status = rt->sv.last_status,
	};

	if (rt->status_written && now.state == rt->written.state && now.pid == rt->written.pid &&
	    now.restarts == rt->written.restarts && now.last_status == rt->written.last_status)
		return;
	now.changed_ms = clock_realtime_ms();
	statusfile_write(rt->cfg->status_file, &now);
	rt->written = now;
	rt->status_written = true;
}

static void send_to_child(const struct runtime *rt, int signo)
{
	pid_t child = rt->sv.child;
	char rt_name[12];
	const char *name = signal_name(signo, rt_name, sizeof rt_name);

	if (child <= 0)
		return;
	log_msg(LOG_DEBUG, "sending SIG%s to %s %d", name ? name : "?",
		rt->cfg->group ? "process group" : "process", (int)child);
	if (kill(rt->cfg->group ? -child : child, signo) != 0 && errno != ESRCH)
		log_msg(LOG_ERROR, "cannot signal the service: %s", strerror(errno));
}

static void announce(const struct runtime *rt, const struct sv_actions *a, int wait_status)
{
	char how[64];

	if (wait_status >= 0)
		describe_wait(wait_status, how, sizeof how);
	else
		describe_exit_code(rt->sv.last_status, how, sizeof how);
	if (a->restarting) {
		char ran[24], delay[24];
		duration_format(a->ran_ms, ran, sizeof ran);
		fmt(delay, sizeof delay, "%lldms", (long long)a->restart_delay_ms);
		log_msg(LOG_NOTICE, "service %s after %s; restart %u in %s", how, ran, rt->sv.restarts,
			delay);
	} else if (a->gave_up) {
		log_msg(LOG_NOTICE, "service %s; giving up after %u restarts", how, rt->sv.failures);
	} else if (wait_status >= 0) {
		log_msg(LOG_INFO, "%s %s", rt->sv.child_is_service ? "service" : "pre program", how);
	}
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
	};

	if (what == SPAWN_PRE) {
		/* A --pre program runs with initd's privileges so setup can act as root. */
		pre_argv[0] = (char *)(uintptr_t)rt->cfg->pre[rt->sv.next_pre];
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
	log_msg(LOG_ERROR, "%s %s: %s", stages[failure.stage], req.argv[0], strerror(failure.error));
	return sv_spawn_failed(&rt->sv, failure.code, now);
}

/* Carries out one event's actions, including the spawns they lead to. */
static void carry_out(struct runtime *rt, struct sv_actions a, int wait_status)
{
	for (;;) {
		if (a.restarting || a.gave_up || wait_status >= 0)
			announce(rt, &a, wait_status);
		wait_status = -1;
		if (a.signal_child)
			send_to_child(rt, a.signal_child);
		if (a.signal_stale && rt->sv.stale_group > 0)
			kill(-rt->sv.stale_group, a.signal_stale);
		if (a.signal_leftovers)
			signal_descendants(a.signal_leftovers);
		if (a.kill_all) {
			log_msg(LOG_NOTICE, "grace period of %lldms over; sending SIGKILL",
				(long long)rt->cfg->grace_ms);
			if (rt->sv.child > 0)
				kill(-rt->sv.child, SIGKILL);
			signal_descendants(SIGKILL);
		}
		if (a.kill_group > 0)
			kill(-a.kill_group, SIGKILL);
		if (a.exit_now) {
			write_status(rt);
			if (a.survivors)
				log_msg(LOG_ERROR, "processes survived SIGKILL; exiting anyway");
			log_msg(LOG_INFO, "exiting with status %d", a.exit_code);
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
			if (pid == rt->sv.child)
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
	const struct config *cfg = rt->cfg;
	int rewritten = options_rewritten(cfg, signo);

	if (signo == SIGCHLD)
		return; /* reaped at the top of the loop */
	if (signal_means_stop(signo)) {
		int stop = cfg->stop_signal ? cfg->stop_signal : rewritten;
		log_msg(LOG_INFO, "stop requested");
		carry_out(rt, sv_stop(&rt->sv, stop, clock_monotonic_ms()), -1);
		return;
	}
	if (rt->sv.child > 0)
		send_to_child(rt, rewritten);
	else
		log_msg(LOG_DEBUG, "no service running; signal %d dropped", signo);
}

_Noreturn int run_supervisor(const struct config *cfg, const struct privileges *privileges,
		   const struct signal_state *signals)
{
	struct runtime rt = {
		.cfg = cfg,
		.privileges = privileges,
		.signals = signals,
		.foreground = isatty(STDIN_FILENO) == 1,
	};
	struct sv_policy policy = {
		.restart = cfg->restart,
		.max_restarts = cfg->max_restarts,
		.backoff_min_ms = cfg->backoff_min_ms,
		.backoff_max_ms = cfg->backoff_max_ms,
		.stable_ms = cfg->stable_ms,
		.grace_ms = cfg->grace_ms,
		.npre = cfg->npre,
		.default_stop_signal = cfg->stop_signal ? cfg->stop_signal : options_rewritten(cfg, SIGTERM),
	};

	sv_init(&rt.sv, &policy);
	carry_out(&rt, sv_begin(&rt.sv, clock_monotonic_ms()), -1);
	for (;;) {
		bool none_left = reap(&rt);
		int64_t now = clock_monotonic_ms();
		if (none_left && rt.sv.state == SV_STOPPING && rt.sv.child == 0)
			carry_out(&rt, sv_no_children(&rt.sv, now), -1);
		if (rt.sv.deadline_ms >= 0 && now >= rt.sv.deadline_ms) {
			carry_out(&rt, sv_deadline(&rt.sv, now), -1);
			continue;
		}
		/* States that end within one turn of the loop are never seen by anyone;
		 * what lasts until the next wait is written before it. */
		write_status(&rt);
		siginfo_t info;
		int64_t timeout = rt.sv.deadline_ms < 0 ? -1 : rt.sv.deadline_ms - now;
		int signo = signals_wait(signals, timeout, &info);
		if (signo > 0)
			handle_signal(&rt, signo);
	}
}
