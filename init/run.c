#include "init/run.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "init/clock.h"
#include "init/events.h"
#include "init/leftovers.h"
#include "init/log.h"
#include "init/oom.h"
#include "init/sockets.h"
#include "init/spawn.h"
#include "init/statusfile.h"
#include "supervisor/errtext.h"
#include "supervisor/cgroup.h"
#include "supervisor/duration.h"
#include "supervisor/fmt.h"
#include "supervisor/machine.h"
#include "supervisor/notify.h"
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
	char status_text[STATUS_TEXT_MAX]; /* the same, as the status socket answers */
	size_t status_len;
	struct events events;
	struct timers timers;
	int notify_fd, status_fd, ready_pipe; /* -1 when none */
	char *service_env[3];  /* NOTIFY_SOCKET and WATCHDOG_USEC with --ready=notify */
	char notify_env[64], watchdog_env[48];
	unsigned notify_dropped;
	struct oom_watch oom;
};

static void write_status(struct runtime *rt)
{
	struct status_record now = status_of(&rt->sv);

	if (rt->status_written && !status_differs(&now, &rt->written))
		return;
	/* The time says since when the state holds: a check failing or a new
	 * STATUS= line does not reset it. */
	now.changed_ms = rt->status_written && !status_moved(&now, &rt->written) ? rt->written.changed_ms
										: clock_realtime_ms();
	rt->status_len = status_format(&now, rt->status_text, sizeof rt->status_text);
	statusfile_write(rt->cfg->status_file, rt->status_text, rt->status_len);
	rt->written = now;
	rt->status_written = true;
}

static void close_ready_pipe(struct runtime *rt)
{
	if (rt->ready_pipe >= 0)
		events_drop(&rt->events, rt->ready_pipe);
	rt->ready_pipe = -1;
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
		log_msg(LOG_ERROR, "cannot signal the service: %s", error_words(errno));
}

static void announce(const struct runtime *rt, const struct sv_actions *a, int wait_status)
{
	enum log_level level;
	char line[256];

	if (plan_announcement(&rt->sv, a, wait_status, &level, line, sizeof line))
		log_msg(level, "%s", line);
}

static void report_spawn_failure(const struct spawn_request *req, const struct spawn_failure *failure)
{
	static const char *const stages[] = { "cannot create a pipe", "cannot fork", "cannot drop privileges for",
					      "cannot execute", "", "cannot pass the readiness fd to" };
	if (failure->stage == STAGE_DIRECTORY)
		log_msg(LOG_ERROR, "cannot start %s in %s: %s", req->argv[0], req->directory, error_words(failure->error));
	else
		log_msg(LOG_ERROR, "%s %s: %s", stages[failure->stage], req->argv[0], error_words(failure->error));
}

static struct spawn_request request_for(const struct runtime *rt)
{
	struct spawn_request req = {
		.argv = rt->cfg->command,
		.privileges = rt->privileges,
		.foreground = rt->foreground,
		.signals = rt->signals,
		.signals_to_default = rt->signals_to_default,
		.directory = rt->directory,
		.pass_fd = -1,
	};
	return req;
}

/* --ready-cmd and --check-cmd: the service's user, groups and capabilities,
 * their own process group (spawn_child's), never the terminal or NOTIFY_SOCKET. */
static struct sv_actions spawn_probe(struct runtime *rt, enum sv_probe what)
{
	struct spawn_failure failure;
	struct spawn_request req = request_for(rt);
	static char sh[] = "/bin/sh", dash_c[] = "-c";
	char *argv[4] = { sh, dash_c, NULL, NULL };

	argv[2] = (char *)(uintptr_t)(what == PROBE_READY ? rt->cfg->ready_cmd : rt->cfg->check_cmd);
	req.argv = argv;
	req.foreground = false;
	pid_t pid = spawn_child(&req, &failure);
	if (pid <= 0)
		report_spawn_failure(&req, &failure);
	else
		log_msg(LOG_DEBUG, "running the %s command (pid %d)", what == PROBE_READY ? "ready" : "check", (int)pid);
	return sv_probe_spawned(&rt->sv, pid, pid > 0 ? 0 : failure.code, clock_monotonic_ms());
}

static struct sv_actions spawn_requested(struct runtime *rt, enum sv_spawn what)
{
	struct spawn_failure failure;
	char *pre_argv[2] = { NULL, NULL };
	struct spawn_request req = request_for(rt);
	int ready_pipe[2] = { -1, -1 };

	if (what == SPAWN_PRE) {
		/* A --pre program runs with initd's privileges so setup can act as root. */
		pre_argv[0] = (char *)(uintptr_t)plan_pre_program(rt->cfg, &rt->sv);
		req.argv = pre_argv;
		req.privileges = NULL;
	} else {
		req.environment = rt->service_env[0] != NULL ? rt->service_env : NULL;
		if (rt->cfg->ready == READY_FD) {
			if (pipe2(ready_pipe, O_CLOEXEC) != 0)
				log_msg(LOG_ERROR, "cannot create the readiness pipe: %s", error_words(errno));
			req.pass_fd = ready_pipe[1];
			req.pass_fd_as = rt->cfg->ready_fd;
		}
	}
	pid_t pid = spawn_child(&req, &failure);
	int64_t now = clock_monotonic_ms();
	if (ready_pipe[1] >= 0) {
		close(ready_pipe[1]);
		if (pid > 0 && events_watch(&rt->events, ready_pipe[0], POLLIN))
			rt->ready_pipe = ready_pipe[0];
		else
			close(ready_pipe[0]);
	}
	if (pid > 0) {
		log_msg(LOG_INFO, "started %s %s (pid %d)", what == SPAWN_PRE ? "pre program" : "service",
			req.argv[0], (int)pid);
		return sv_spawned(&rt->sv, pid, now);
	}
	report_spawn_failure(&req, &failure);
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
		/* A hung service may be a stopped one (SIGSTOP, a debugger): as
		 * systemd does, let it see the stop signal instead of waiting for
		 * the grace period's SIGKILL. */
		if (a.hung)
			send_to_child(rt, SIGCONT);
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
		if (a.kill_probe > 0)
			kill(-a.kill_probe, SIGKILL);
		if (a.spawn_probe != PROBE_NONE) {
			a = spawn_probe(rt, a.spawn_probe);
			continue;
		}
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

/* New OOM kills in the container; whether one of them was the service's
 * (its SIGKILL came with one) is the caller's to say. */
static bool oom_killed(struct runtime *rt, bool service)
{
	uint64_t fresh = oom_new_kills(&rt->oom);
	char limit[24] = "none";
	uint64_t bytes;

	if (fresh == 0)
		return false;
	rt->sv.oom_kills = (unsigned)(rt->oom.seen - rt->oom.at_start);
	if ((bytes = oom_limit(&rt->oom)) != 0)
		cgroup_format_size(bytes, limit, sizeof limit);
	if (service)
		log_msg(LOG_ERROR, "service killed by the kernel's OOM killer (limit %s)", limit);
	else
		log_msg(LOG_ERROR, "the kernel's OOM killer killed %llu process%s of the service (limit %s)",
			(unsigned long long)fresh, fresh == 1 ? "" : "es", limit);
	return true;
}

/* Reaps every child that has ended; true when none is left at all. */
static bool reap(struct runtime *rt)
{
	for (;;) {
		int status;
		pid_t pid = waitpid(-1, &status, WNOHANG);
		if (pid > 0) {
			if (pid == rt->sv.probe) {
				carry_out(rt, sv_probe_exited(&rt->sv, status, clock_monotonic_ms()), -1);
			} else if (plan_is_child(&rt->sv, pid)) {
				bool oom = rt->sv.child_is_service && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL &&
					   oom_killed(rt, true);
				if (rt->sv.child_is_service)
					close_ready_pipe(rt);
				carry_out(rt, sv_child_exited(&rt->sv, status, oom, clock_monotonic_ms()), status);
			} else
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

static void read_notify(struct runtime *rt)
{
	char data[NOTIFY_MAX];
	struct notify_message msg;
	pid_t sender;
	bool truncated;
	ssize_t n;

	while ((n = notify_receive(rt->notify_fd, data, sizeof data, &sender, &truncated)) >= 0) {
		if (truncated || !notify_parse(data, (size_t)n, &msg)) {
			log_msg(LOG_DEBUG, "notify: dropped a %s message from pid %d", truncated ? "too long" : "malformed",
				(int)sender);
			continue;
		}
		struct sv_actions a = sv_notified(&rt->sv, sender, &msg, clock_monotonic_ms());
		if (a.notify_dropped)
			log_msg(LOG_DEBUG, "notify: dropped a message from pid %d, not the service (%u dropped)",
				(int)sender, ++rt->notify_dropped);
		carry_out(rt, a, -1);
	}
}

/* s6's convention: a line on fd N says ready; end of file before one, never. */
static void read_ready_pipe(struct runtime *rt)
{
	char data[256];
	/* poll said readable: this read does not block (and the service's end
	 * stays a plain blocking pipe, as s6 gives it). */
	ssize_t n = read(rt->ready_pipe, data, sizeof data);

	if (n < 0)
		return; /* EINTR: the next turn */
	if (n > 0 && memchr(data, '\n', (size_t)n) == NULL)
		return;
	if (n == 0)
		log_msg(LOG_NOTICE, "service closed fd %d without a line: it will not be ready", rt->cfg->ready_fd);
	close_ready_pipe(rt);
	if (n > 0)
		carry_out(rt, sv_ready(&rt->sv, clock_monotonic_ms()), -1);
}

static void handle_fd(struct runtime *rt, int fd)
{
	if (fd == rt->notify_fd)
		read_notify(rt);
	else if (fd == rt->status_fd)
		status_socket_answer(fd, rt->status_text, rt->status_len);
	else if (fd == rt->ready_pipe)
		read_ready_pipe(rt);
	else if (fd == rt->oom.fd)
		oom_killed(rt, false);
}

/* The service's NOTIFY_SOCKET (and WATCHDOG_USEC), and the status socket. */
static void open_sockets(struct runtime *rt)
{
	const struct config *cfg = rt->cfg;
	char name[128];

	if (cfg->ready == READY_NOTIFY) {
		rt->notify_fd = notify_open(name, sizeof name);
		if (rt->notify_fd < 0 || !events_watch(&rt->events, rt->notify_fd, POLLIN)) {
			log_msg(LOG_ERROR, "cannot open the notify socket: %s", error_words(errno));
			exit(1);
		}
		fmt(rt->notify_env, sizeof rt->notify_env, "NOTIFY_SOCKET=%s", name);
		rt->service_env[0] = rt->notify_env;
		if (cfg->watchdog_ms > 0) {
			fmt(rt->watchdog_env, sizeof rt->watchdog_env, "WATCHDOG_USEC=%lld",
			    (long long)cfg->watchdog_ms * 1000);
			rt->service_env[1] = rt->watchdog_env;
		}
	}
	if (status_socket_name(cfg->status_file, name, sizeof name)) {
		rt->status_fd = status_socket_open(name);
		if (rt->status_fd < 0 || !events_watch(&rt->events, rt->status_fd, POLLIN))
			log_msg(LOG_NOTICE, "warning: cannot open the status socket: %s; initd status reads %s only",
				error_words(errno), cfg->status_file);
	}
	oom_open(&rt->oom);
	/* v2 says when the counter moves; v1 cannot, so a limited v1 cgroup is
	 * looked at once a second (see the loop). Watched either way, so that it is
	 * closed with the others at exit: with no events asked, it never fires. */
	if (rt->oom.fd >= 0 && !events_watch(&rt->events, rt->oom.fd, rt->oom.v1 ? 0 : POLLPRI)) {
		close(rt->oom.fd);
		rt->oom.fd = -1;
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
		.notify_fd = -1,
		.status_fd = -1,
		.ready_pipe = -1,
	};
	struct sv_policy policy;

	plan_policy(cfg, &policy);
	sv_init(&rt.sv, &policy);
	timers_init(&rt.timers);
	if (!events_open(&rt.events, signals)) {
		log_msg(LOG_ERROR, "signalfd: %s", error_words(errno));
		exit(1);
	}
	open_sockets(&rt);
	bool oom_polled = rt.oom.fd >= 0 && rt.oom.v1 && oom_limit(&rt.oom) != 0;
	carry_out(&rt, sv_begin(&rt.sv, clock_monotonic_ms()), -1);
	for (;;) {
		bool none_left = reap(&rt);
		int64_t now = clock_monotonic_ms();
		/* sv_no_children itself tells whether initd was only waiting for that. */
		if (none_left)
			carry_out(&rt, sv_no_children(&rt.sv, now), -1);
		timers_set(&rt.timers, TIMER_MACHINE, plan_deadline(&rt.sv));
		if (oom_polled && rt.timers.at_ms[TIMER_OOM] < 0)
			timers_set(&rt.timers, TIMER_OOM, now + 1000);
		enum timer_slot due = timers_due(&rt.timers, now);
		if (due == TIMER_MACHINE) {
			carry_out(&rt, sv_deadline(&rt.sv, now), -1);
			continue;
		}
		if (due == TIMER_OOM) {
			timers_set(&rt.timers, TIMER_OOM, -1);
			oom_killed(&rt, false);
			continue;
		}
		/* States that end within one turn of the loop are never seen by anyone;
		 * what lasts until the next wait is written before it. */
		write_status(&rt);
		struct event ev = events_wait(&rt.events, timers_wait_ms(&rt.timers, now));
		if (ev.kind == EVENT_SIGNAL)
			handle_signal(&rt, ev.signo);
		else if (ev.kind == EVENT_READY)
			handle_fd(&rt, ev.fd);
	}
}
