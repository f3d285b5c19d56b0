#include "supervisor/machine.h"

#include <signal.h>
#include <stdlib.h> /* the W* macros: POSIX puts them here too, without wait(2) */
#include <string.h>

#include "supervisor/backoff.h"
#include "supervisor/exitcode.h"

void sv_init(struct supervisor *sv, const struct sv_policy *policy)
{
	memset(sv, 0, sizeof *sv);
	sv->policy = *policy;
	sv->state = SV_STARTING;
	sv->last_status = -1;
	sv->stop_signal = policy->default_stop_signal;
	sv->deadline_ms = -1;
	sv->ready_by_ms = sv->probe_at_ms = sv->watchdog_at_ms = -1;
	sv->last_check_status = -1;
}

static struct sv_actions no_actions(void)
{
	struct sv_actions a;

	memset(&a, 0, sizeof a);
	return a;
}

static void request_spawn(struct supervisor *sv, struct sv_actions *a)
{
	sv->state = SV_STARTING;
	sv->deadline_ms = -1;
	a->spawn = sv->next_pre < sv->policy.npre ? SPAWN_PRE : SPAWN_SERVICE;
}

static void start_grace(struct supervisor *sv, int64_t now_ms)
{
	sv->deadline_ms = now_ms + sv->policy.grace_ms;
	sv->extend_limit_ms = sv->deadline_ms + SV_EXTEND_MAX_MS;
}

/* Probes, the watchdog and --ready-timeout watch a running, ready service
 * only: they end with its readiness, a probe still running with its whole
 * group. */
static void stop_watching(struct supervisor *sv, struct sv_actions *a)
{
	if (sv->probe > 0)
		a->kill_probe = sv->probe;
	sv->probe = 0;
	sv->probe_at_ms = sv->watchdog_at_ms = sv->ready_by_ms = -1;
	sv->ready = false;
}

/* The normal stop path, for a restart: stop signal, grace, SIGKILL. */
static void recover(struct supervisor *sv, struct sv_actions *a, enum sv_reason why, int64_t now_ms)
{
	stop_watching(sv, a);
	sv->recovering = true;
	sv->reason = why;
	sv->state = SV_STOPPING;
	start_grace(sv, now_ms);
	a->hung = true;
	a->signal_child = sv->stop_signal;
}

/* Checks start after --check-start, and no sooner than one interval. */
static void watch_ready(struct supervisor *sv, int64_t now_ms)
{
	const struct sv_policy *p = &sv->policy;

	sv->ready = true;
	sv->ready_by_ms = -1;
	if (p->check) {
		sv->probe_kind = PROBE_CHECK;
		sv->probe_at_ms = now_ms + (p->check_start_ms > p->check_interval_ms ? p->check_start_ms
										: p->check_interval_ms);
	} else
		sv->probe_at_ms = -1;
	if (p->watchdog_ms > 0)
		sv->watchdog_at_ms = now_ms + p->watchdog_ms;
}

/* No more starts. The child is gone; whatever else is left gets the stop signal
 * and what remains of the grace period, and initd exits with code once nothing
 * is left (sv_no_children) or SIGKILLs at the deadline. */
static void finish(struct supervisor *sv, struct sv_actions *a, int code, int64_t now_ms)
{
	sv->exit_code = code;
	if (sv->state != SV_STOPPING)
		start_grace(sv, now_ms);
	sv->state = SV_STOPPING;
	if (!sv->killed)
		a->signal_leftovers = sv->stop_signal;
}

/* An exit status and a death by signal are told apart: --success-exit=143
 * does not make a SIGTERM clean, nor TERM an exit(143). */
static bool ended_cleanly(const struct success_exit *s, int wait_status)
{
	if (WIFSIGNALED(wait_status)) {
		int signo = WTERMSIG(wait_status);
		return signo < 65 && (s->signals >> (signo - 1) & 1);
	}
	int code = exit_code_from_wait(wait_status);
	return code == 0 || (s->codes[code / 64] >> (code % 64) & 1);
}

/* What initd exits with after the last run: 0 for a clean one. */
static int last_exit_code(const struct supervisor *sv)
{
	return sv->last_status < 0 || sv->last_clean ? 0 : sv->last_status;
}

static bool wants_restart(const struct supervisor *sv, bool clean)
{
	switch (sv->policy.restart) {
	case RESTART_ALWAYS:
		return true;
	case RESTART_ON_FAILURE:
		return !clean;
	case RESTART_NEVER:
		break;
	}
	return false;
}

static void service_ended(struct supervisor *sv, struct sv_actions *a, pid_t group, int code, bool clean,
			  enum sv_reason why, int64_t ran_ms, int64_t now_ms)
{
	bool recovered = sv->recovering;

	stop_watching(sv, a);
	sv->recovering = false;
	if (recovered) {
		/* Stopped for hanging, whatever it said on the way out. */
		clean = false;
		why = sv->reason;
	}
	sv->reason = why;
	sv->last_status = code;
	sv->last_clean = clean;
	if (sv->stop_requested || (sv->state == SV_STOPPING && !recovered) || !wants_restart(sv, clean)) {
		finish(sv, a, last_exit_code(sv), now_ms);
		return;
	}
	if (ran_ms >= sv->policy.stable_ms)
		sv->failures = 0;
	if (sv->policy.max_restarts != 0 && sv->failures >= sv->policy.max_restarts) {
		a->gave_up = true;
		finish(sv, a, last_exit_code(sv), now_ms);
		return;
	}
	sv->failures++;
	sv->restarts++;
	sv->killed = false; /* a recovery's SIGKILL was for that run */
	int64_t delay = backoff_delay(sv->policy.backoff_min_ms, sv->policy.backoff_max_ms, sv->failures);
	sv->state = SV_BACKOFF;
	sv->deadline_ms = now_ms + delay;
	if (group > 0) {
		sv->stale_group = group;
		a->signal_stale = sv->stop_signal;
	}
	a->restarting = true;
	a->restart_delay_ms = delay;
	a->ran_ms = ran_ms;
}

/* code: the probe's exit code, SV_CHECK_TIMED_OUT when it was killed at --check-timeout. */
static struct sv_actions probe_ended(struct supervisor *sv, int code, bool timed_out, int64_t now_ms)
{
	struct sv_actions a = no_actions();
	const struct sv_policy *p = &sv->policy;

	if (sv->state != SV_RUNNING)
		return a;
	if (sv->probe_kind == PROBE_READY) {
		if (code == 0 && !timed_out)
			return sv_ready(sv, now_ms);
		sv->probe_at_ms = now_ms + p->ready_interval_ms;
		return a;
	}
	if (code == 0 && !timed_out) {
		sv->check_failures = 0;
	} else {
		sv->check_failures++;
		sv->last_check_status = code;
		if (sv->check_failures >= p->check_retries) {
			recover(sv, &a, REASON_UNHEALTHY, now_ms);
			return a;
		}
	}
	sv->probe_at_ms = now_ms + p->check_interval_ms;
	return a;
}

struct sv_actions sv_begin(struct supervisor *sv, int64_t now_ms)
{
	struct sv_actions a = no_actions();

	(void)now_ms;
	request_spawn(sv, &a);
	return a;
}

struct sv_actions sv_spawned(struct supervisor *sv, pid_t pid, int64_t now_ms)
{
	sv->child = pid;
	sv->child_is_service = sv->next_pre >= sv->policy.npre;
	if (sv->child_is_service) {
		const struct sv_policy *p = &sv->policy;
		sv->service_started = true;
		sv->started_ms = now_ms;
		sv->state = SV_RUNNING;
		sv->check_failures = 0;
		sv->status_text[0] = '\0';
		if (p->ready == READY_EXEC) {
			watch_ready(sv, now_ms);
		} else {
			if (p->ready_timeout_ms > 0) {
				sv->ready_by_ms = now_ms + p->ready_timeout_ms;
				sv->extend_limit_ms = sv->ready_by_ms + SV_EXTEND_MAX_MS;
			}
			if (p->ready == READY_CMD) {
				sv->probe_kind = PROBE_READY;
				sv->probe_at_ms = now_ms + p->ready_interval_ms;
			}
		}
	}
	return no_actions();
}

struct sv_actions sv_ready(struct supervisor *sv, int64_t now_ms)
{
	struct sv_actions a = no_actions();

	if (sv->state != SV_RUNNING || sv->ready)
		return a;
	stop_watching(sv, &a); /* a --ready-cmd still running says nothing more */
	watch_ready(sv, now_ms);
	a.became_ready = true;
	a.ran_ms = now_ms - sv->started_ms;
	return a;
}

static int64_t later(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

static int64_t extended(const struct supervisor *sv, int64_t deadline, int64_t extend_ms, int64_t now_ms)
{
	int64_t want = later(deadline, now_ms + extend_ms);
	return want < sv->extend_limit_ms ? want : later(deadline, sv->extend_limit_ms);
}

struct sv_actions sv_notified(struct supervisor *sv, pid_t sender, const struct notify_message *msg,
			      int64_t now_ms)
{
	struct sv_actions a = no_actions();

	if (sender <= 0 || sender != sv->child || !sv->child_is_service) {
		a.notify_dropped = true;
		return a;
	}
	if (msg->has_status)
		memcpy(sv->status_text, msg->status, sizeof sv->status_text);
	if (msg->extend_ms >= 0) {
		if (sv->state == SV_STOPPING && !sv->killed && sv->deadline_ms >= 0)
			sv->deadline_ms = extended(sv, sv->deadline_ms, msg->extend_ms, now_ms);
		else if (sv->ready_by_ms >= 0)
			sv->ready_by_ms = extended(sv, sv->ready_by_ms, msg->extend_ms, now_ms);
	}
	if (msg->watchdog && sv->watchdog_at_ms >= 0)
		sv->watchdog_at_ms = now_ms + sv->policy.watchdog_ms;
	if (msg->stopping && sv->state == SV_RUNNING) {
		stop_watching(sv, &a);
		return a;
	}
	if (msg->ready)
		return sv_ready(sv, now_ms);
	return a;
}

struct sv_actions sv_probe_spawned(struct supervisor *sv, pid_t pid, int code, int64_t now_ms)
{
	if (pid <= 0)
		return probe_ended(sv, code, false, now_ms);
	sv->probe = pid;
	sv->probe_timed_out = false;
	sv->probe_at_ms = now_ms + sv->policy.check_timeout_ms;
	return no_actions();
}

struct sv_actions sv_probe_exited(struct supervisor *sv, int wait_status, int64_t now_ms)
{
	bool timed_out = sv->probe_timed_out;

	sv->probe = 0;
	return probe_ended(sv, timed_out ? SV_CHECK_TIMED_OUT : exit_code_from_wait(wait_status), timed_out, now_ms);
}

struct sv_actions sv_spawn_failed(struct supervisor *sv, int code, int64_t now_ms)
{
	struct sv_actions a = no_actions();
	bool first_start = sv->next_pre < sv->policy.npre || !sv->service_started;

	sv->child = 0;
	if (first_start) {
		/* Restarting what can never start helps nobody. */
		sv->last_status = code;
		finish(sv, &a, code, now_ms);
	} else {
		service_ended(sv, &a, 0, code, false, REASON_EXIT, 0, now_ms);
	}
	return a;
}

struct sv_actions sv_child_exited(struct supervisor *sv, int wait_status, bool oom_killed, int64_t now_ms)
{
	struct sv_actions a = no_actions();
	int code = exit_code_from_wait(wait_status);
	pid_t pid = sv->child;

	sv->child = 0;
	if (!sv->child_is_service) {
		/* A --pre program's status is the service's "last run" only when it ends
		 * initd; a successful setup says nothing about the service. */
		if (sv->stop_requested || code != 0) {
			sv->last_status = code;
			finish(sv, &a, code, now_ms);
		} else {
			sv->next_pre++;
			request_spawn(sv, &a);
		}
		return a;
	}
	enum sv_reason why = oom_killed ? REASON_OOM : WIFSIGNALED(wait_status) ? REASON_SIGNAL : REASON_EXIT;
	service_ended(sv, &a, pid, code, ended_cleanly(&sv->policy.success, wait_status), why,
		      now_ms - sv->started_ms, now_ms);
	return a;
}

struct sv_actions sv_stop(struct supervisor *sv, int stop_signal, int64_t now_ms)
{
	struct sv_actions a = no_actions();

	if (sv->state == SV_EXITED)
		return a;
	if (sv->recovering) {
		/* A stop asked for while initd restarts a hung service: no restart
		 * then, and the recovery's deadline stands. */
		sv->recovering = false;
		sv->stop_requested = true;
		sv->stop_signal = stop_signal;
		sv->exit_code = last_exit_code(sv);
		if (sv->killed) {
			/* SIGKILLed already: as after a stop's own SIGKILL, until reaped. */
			sv->exit_code = EXIT_SIGNAL_BASE + SIGKILL;
			sv->deadline_ms = now_ms + SV_KILL_WAIT_MS;
		} else
			a.signal_child = stop_signal;
		return a;
	}
	if (sv->killed)
		return a;
	if (sv->stop_requested) {
		/* Asked again: pass it on, the deadline stays where it was. */
		if (sv->child != 0)
			a.signal_child = stop_signal;
		return a;
	}
	sv->stop_requested = true;
	sv->stop_signal = stop_signal;
	switch (sv->state) {
	case SV_STARTING:
	case SV_RUNNING:
		stop_watching(sv, &a);
		sv->exit_code = last_exit_code(sv);
		sv->state = SV_STOPPING;
		start_grace(sv, now_ms);
		if (sv->child != 0)
			a.signal_child = stop_signal;
		else
			a.signal_leftovers = stop_signal;
		break;
	case SV_BACKOFF:
		sv->stale_group = 0;
		finish(sv, &a, last_exit_code(sv), now_ms);
		break;
	case SV_STOPPING:
		/* The service already ended and leftovers are draining: they hear it too. */
		a.signal_leftovers = stop_signal;
		break;
	case SV_EXITED:
		break;
	}
	return a;
}

/* A running service's deadlines, the one due first; each is disarmed or moved
 * as it is handled, so the loop never sees the same one due twice. */
static struct sv_actions watch_deadline(struct supervisor *sv, int64_t now_ms)
{
	struct sv_actions a = no_actions();

	if (sv->ready_by_ms >= 0 && now_ms >= sv->ready_by_ms) {
		recover(sv, &a, REASON_NOT_READY, now_ms);
	} else if (sv->watchdog_at_ms >= 0 && now_ms >= sv->watchdog_at_ms) {
		sv->last_check_status = SV_WATCHDOG_SILENT;
		recover(sv, &a, REASON_UNHEALTHY, now_ms);
	} else if (sv->probe_at_ms >= 0 && now_ms >= sv->probe_at_ms) {
		sv->probe_at_ms = -1;
		if (sv->probe > 0) {
			sv->probe_timed_out = true;
			a.kill_probe = sv->probe; /* its end comes by the reap */
		} else
			a.spawn_probe = sv->probe_kind;
	}
	return a;
}

static int64_t earlier(int64_t a, int64_t b)
{
	return a < 0 ? b : b < 0 || a < b ? a : b;
}

int64_t sv_next_deadline(const struct supervisor *sv)
{
	return earlier(earlier(sv->deadline_ms, sv->ready_by_ms), earlier(sv->probe_at_ms, sv->watchdog_at_ms));
}

struct sv_actions sv_deadline(struct supervisor *sv, int64_t now_ms)
{
	struct sv_actions a = no_actions();

	if (sv->state == SV_RUNNING)
		return watch_deadline(sv, now_ms);
	if (sv->deadline_ms < 0 || now_ms < sv->deadline_ms)
		return a;
	if (sv->state == SV_BACKOFF) {
		a.kill_group = sv->stale_group;
		sv->stale_group = 0;
		request_spawn(sv, &a);
		return a;
	}
	if (sv->state != SV_STOPPING)
		return a;
	if (!sv->killed) {
		sv->killed = true;
		a.kill_all = true;
		if (sv->child != 0 && !sv->recovering)
			sv->exit_code = EXIT_SIGNAL_BASE + SIGKILL; /* replaced by the real status once reaped */
		/* A recovery waits for the reap however long it takes: initd goes on. */
		sv->deadline_ms = sv->recovering ? -1 : now_ms + SV_KILL_WAIT_MS;
		return a;
	}
	sv->state = SV_EXITED;
	sv->deadline_ms = -1;
	a.survivors = true;
	a.exit_now = true;
	a.exit_code = sv->exit_code;
	return a;
}

struct sv_actions sv_no_children(struct supervisor *sv, int64_t now_ms)
{
	struct sv_actions a = no_actions();

	(void)now_ms;
	if (sv->state != SV_STOPPING || sv->child != 0)
		return a;
	sv->state = SV_EXITED;
	sv->deadline_ms = -1;
	a.exit_now = true;
	a.exit_code = sv->exit_code;
	return a;
}

const char *sv_reason_name(enum sv_reason reason)
{
	static const char *const names[SV_REASON_COUNT] = { "none", "exit", "signal", "oom", "unhealthy", "not-ready" };

	return (unsigned)reason < SV_REASON_COUNT ? names[reason] : "unknown";
}

const char *sv_state_name(enum sv_state state)
{
	switch (state) {
	case SV_STARTING:
		return "starting";
	case SV_RUNNING:
		return "running";
	case SV_BACKOFF:
		return "backoff";
	case SV_STOPPING:
		return "stopping";
	case SV_EXITED:
		return "exited";
	}
	return "unknown";
}
