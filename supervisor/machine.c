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

/* No more starts. The child is gone; whatever else is left gets the stop signal
 * and what remains of the grace period, and initd exits with code once nothing
 * is left (sv_no_children) or SIGKILLs at the deadline. */
static void finish(struct supervisor *sv, struct sv_actions *a, int code, int64_t now_ms)
{
	sv->exit_code = code;
	if (sv->state != SV_STOPPING)
		sv->deadline_ms = now_ms + sv->policy.grace_ms;
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
			  int64_t ran_ms, int64_t now_ms)
{
	sv->last_status = code;
	sv->last_clean = clean;
	if (sv->stop_requested || sv->state == SV_STOPPING || !wants_restart(sv, clean)) {
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
		sv->service_started = true;
		sv->started_ms = now_ms;
		sv->state = SV_RUNNING;
	}
	return no_actions();
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
		service_ended(sv, &a, 0, code, false, 0, now_ms);
	}
	return a;
}

struct sv_actions sv_child_exited(struct supervisor *sv, int wait_status, int64_t now_ms)
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
	service_ended(sv, &a, pid, code, ended_cleanly(&sv->policy.success, wait_status), now_ms - sv->started_ms,
		      now_ms);
	return a;
}

struct sv_actions sv_stop(struct supervisor *sv, int stop_signal, int64_t now_ms)
{
	struct sv_actions a = no_actions();

	if (sv->killed || sv->state == SV_EXITED)
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
		sv->exit_code = last_exit_code(sv);
		sv->state = SV_STOPPING;
		sv->deadline_ms = now_ms + sv->policy.grace_ms;
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

struct sv_actions sv_deadline(struct supervisor *sv, int64_t now_ms)
{
	struct sv_actions a = no_actions();

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
		if (sv->child != 0)
			sv->exit_code = EXIT_SIGNAL_BASE + SIGKILL; /* replaced by the real status once reaped */
		sv->deadline_ms = now_ms + SV_KILL_WAIT_MS;
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
