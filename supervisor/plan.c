#include "supervisor/plan.h"

#include <signal.h>
#include <string.h>

#include "supervisor/duration.h"
#include "supervisor/exitcode.h"
#include "supervisor/fmt.h"
#include "supervisor/signame.h"

/* Without --stop-signal the service gets what initd received, rewritten. */
static int stop_signal_for(const struct config *cfg, int received)
{
	return cfg->stop_signal ? cfg->stop_signal : options_rewritten(cfg, received);
}

void plan_policy(const struct config *cfg, struct sv_policy *policy)
{
	*policy = (struct sv_policy){
		.restart = cfg->restart,
		.max_restarts = cfg->max_restarts,
		.backoff_min_ms = cfg->backoff_min_ms,
		.backoff_max_ms = cfg->backoff_max_ms,
		.stable_ms = cfg->stable_ms,
		.grace_ms = cfg->grace_ms,
		.npre = cfg->npre,
		.default_stop_signal = stop_signal_for(cfg, SIGTERM),
		.success = cfg->success,
		.ready = cfg->ready,
		.ready_interval_ms = cfg->ready_interval_ms,
		.ready_timeout_ms = cfg->ready_timeout_ms,
		.check = cfg->check_cmd != NULL,
		.check_interval_ms = cfg->check_interval_ms,
		.check_timeout_ms = cfg->check_timeout_ms,
		.check_start_ms = cfg->check_start_ms,
		.check_retries = cfg->check_retries,
		.watchdog_ms = cfg->watchdog_ms,
	};
}

/* systemd-nspawn stops a container with what glibc calls SIGRTMIN+3: glibc
 * keeps two real-time signals for itself, musl three, so the number it sends is
 * this one whatever SIGRTMIN says here. */
#define NSPAWN_HALT_SIGNAL (32 + 2 + 3)

bool signal_means_stop(int signo)
{
	/* PWR is how LXC asks; RTMIN+3 is also taken in this libc's numbering, as
	 * a musl kill(1) names it. SIGRTMIN is known only at run time. */
	return signo == SIGTERM || signo == SIGINT || signo == SIGQUIT || signo == SIGPWR ||
	       signo == NSPAWN_HALT_SIGNAL || signo == SIGRTMIN + 3;
}

static uint64_t signal_bit(int signo)
{
	return signo > 0 && signo < SIGNAL_SLOTS ? (uint64_t)1 << (signo - 1) : 0;
}

uint64_t plan_signals_to_default(const struct config *cfg)
{
	uint64_t set = signal_bit(cfg->stop_signal);

	for (int signo = 1; signo < SIGNAL_SLOTS; signo++)
		if (signal_means_stop(signo))
			set |= signal_bit(signo) | signal_bit(options_rewritten(cfg, signo));
	/* Their action cannot be changed, and sigaction would only say so. */
	return set & ~(signal_bit(SIGKILL) | signal_bit(SIGSTOP));
}

const char *plan_path_from(const char *directory, const char *path, char *buf, size_t size)
{
	if (path[0] == '/')
		return path;
	/* "/" joined as is would read "//file". */
	size_t dir_len = strcmp(directory, "/") == 0 ? 0 : strlen(directory);
	if (dir_len + 1 + strlen(path) >= size)
		return NULL;
	fmt(buf, size, "%.*s/%s", (int)dir_len, directory, path);
	return buf;
}

void plan_status_socket_name(uint64_t pid_namespace, const char *status_file, char *buf, size_t size)
{
	/* FNV-1a: a path of any length in a name of fixed length. */
	uint64_t hash = 14695981039346656037ULL;

	for (const char *c = status_file; *c != '\0'; c++)
		hash = (hash ^ (unsigned char)*c) * 1099511628211ULL;
	fmt(buf, size, "initd-status/%llu/%llu", (unsigned long long)pid_namespace, (unsigned long long)hash);
}

enum plan_reaction plan_received(const struct config *cfg, const struct supervisor *sv, int signo, int *send)
{
	if (signo == SIGCHLD)
		return PLAN_REAP;
	if (signal_means_stop(signo)) {
		*send = stop_signal_for(cfg, signo);
		return PLAN_STOP;
	}
	*send = options_rewritten(cfg, signo);
	return sv->child > 0 ? PLAN_FORWARD : PLAN_DROP;
}

void plan_describe_signal(const struct config *cfg, const struct supervisor *sv, int signo, char *buf,
			  size_t size)
{
	char rt_name[SIGNAL_NAME_SIZE];
	const char *name = signal_name(signo, rt_name, sizeof rt_name);

	fmt(buf, size, "sending SIG%s to %s %d", name ? name : "?", cfg->group ? "process group" : "process",
	    (int)sv->child);
}

/* Why a running service is being stopped and restarted. */
static void describe_hang(const struct supervisor *sv, char *buf, size_t size)
{
	const struct sv_policy *p = &sv->policy;
	char limit[24], last[48];

	if (sv->reason == REASON_NOT_READY) {
		duration_format(p->ready_timeout_ms, limit, sizeof limit);
		fmt(buf, size, "is not ready after %s", limit);
	} else if (sv->last_check_status == SV_WATCHDOG_SILENT) {
		duration_format(p->watchdog_ms, limit, sizeof limit);
		fmt(buf, size, "sent no WATCHDOG=1 for %s", limit);
	} else {
		if (sv->last_check_status == SV_CHECK_TIMED_OUT) {
			duration_format(p->check_timeout_ms, limit, sizeof limit);
			fmt(last, sizeof last, "timed out after %s", limit);
		} else
			describe_exit_code(sv->last_check_status, last, sizeof last);
		fmt(buf, size, "is hung: %u check%s failed in a row, the last %s", sv->check_failures,
		    sv->check_failures == 1 ? "" : "s", last);
	}
}

bool plan_announcement(const struct supervisor *sv, const struct sv_actions *a, int wait_status,
		       enum log_level *level, char *buf, size_t size)
{
	char how[96];

	if (a->became_ready) {
		char ran[24];
		duration_format(a->ran_ms, ran, sizeof ran);
		*level = LOG_INFO;
		fmt(buf, size, "service is ready after %s", ran);
		return true;
	}
	if (a->hung) {
		describe_hang(sv, how, sizeof how);
		*level = LOG_NOTICE;
		fmt(buf, size, "service %s; stopping it to restart it", how);
		return true;
	}
	if (!a->restarting && !a->gave_up && wait_status < 0)
		return false;
	if (wait_status >= 0)
		describe_wait(wait_status, how, sizeof how);
	else
		describe_exit_code(sv->last_status, how, sizeof how);
	if (a->restarting) {
		char ran[24];
		duration_format(a->ran_ms, ran, sizeof ran);
		*level = LOG_NOTICE;
		fmt(buf, size, "service %s after %s; restart %u in %lldms", how, ran, sv->restarts,
		    (long long)a->restart_delay_ms);
	} else if (a->gave_up) {
		*level = LOG_NOTICE;
		fmt(buf, size, "service %s; giving up after %u restarts", how, sv->failures);
	} else {
		*level = LOG_INFO;
		fmt(buf, size, "%s %s", sv->child_is_service ? "service" : "pre program", how);
	}
	return true;
}
