#ifndef INITD_OPTIONS_H
#define INITD_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "supervisor/signame.h"

#define MAX_PRE 16
/* --success-exit items in all: a bound on what a typo can run up to, far above
 * what a service documents. */
#define MAX_SUCCESS_EXIT 32

enum run_mode { MODE_RUN, MODE_STATUS, MODE_HEALTH, MODE_HELP, MODE_VERSION };
enum restart_policy { RESTART_NEVER, RESTART_ON_FAILURE, RESTART_ALWAYS };
/* How initd learns that the service is ready (--ready). */
enum ready_mode { READY_EXEC, READY_NOTIFY, READY_FD, READY_CMD };

/* --ready=fd:N: above stdio, below what any service's fd table needs. */
#define READY_FD_MAX 1023

/* Message levels: a message is printed when its level <= the configured verbosity. */
enum { VERBOSITY_QUIET = -1, VERBOSITY_DEFAULT = 0, VERBOSITY_MAX = 3 };

/* The endings --success-exit counts as clean, besides exit status 0. */
struct success_exit {
	uint64_t codes[4]; /* exit status N: bit N % 64 of codes[N / 64] */
	uint64_t signals;  /* death by signal N: bit N - 1 */
};

struct config {
	enum run_mode mode;
	enum restart_policy restart;
	unsigned max_restarts;
	unsigned nsuccess;            /* items given, for MAX_SUCCESS_EXIT */
	struct success_exit success;
	int64_t backoff_min_ms, backoff_max_ms, stable_ms, grace_ms, min_uptime_ms;
	int64_t ready_interval_ms, ready_timeout_ms;
	int64_t check_interval_ms, check_timeout_ms, check_start_ms, watchdog_ms;
	uint64_t caps;                /* bit N keeps capability N */
	const char *user;             /* USER[:GROUP] as given, NULL when none */
	const char *pre[MAX_PRE];
	const char *status_file;
	const char *ready_cmd, *check_cmd;
	char *const *command;         /* NULL-terminated, points into argv */
	int stop_signal;              /* 0: the received signal, rewritten */
	int rewrite[SIGNAL_SLOTS];    /* rewrite[from] = to, 0 when none */
	unsigned npre;
	enum ready_mode ready;
	int ready_fd;                 /* N of --ready=fd:N */
	unsigned check_retries;
	int verbosity;
	bool group;
	bool caps_given;
	bool json;                    /* initd status --json */
	char pre_storage[1024];       /* INITD_PRE, split at its colons */
};

enum options_problem {
	OPT_OK,
	OPT_UNKNOWN_OPTION,
	OPT_MISSING_VALUE,
	OPT_UNEXPECTED_VALUE,
	OPT_BAD_POLICY,
	OPT_BAD_NUMBER,
	OPT_BAD_DURATION,
	OPT_BAD_SIGNAL,
	OPT_BAD_REWRITE,
	OPT_BAD_BOOL,
	OPT_BAD_USER,
	OPT_BAD_CAPS,
	OPT_BAD_PATH,
	OPT_TOO_MANY_PRE,
	OPT_BAD_SUCCESS_EXIT,
	OPT_TOO_MANY_SUCCESS_EXIT,
	OPT_BACKOFF_RANGE,
	OPT_BAD_READY,
	OPT_BAD_COMMAND,
	OPT_READY_CMD_MISSING,
	OPT_WATCHDOG_NEEDS_NOTIFY,
	OPT_NO_COMMAND,
	OPT_UNEXPECTED_ARGUMENT,
};

struct options_error {
	enum options_problem problem;
	char subject[40]; /* "--grace", "-t" or "INITD_GRACE" */
	char value[80];   /* the offending text, truncated */
};

/* Reads argv (argv[0] is the program) and the environment (NULL-terminated
 * "NAME=value" strings; may be NULL). On success returns true and fills cfg; the
 * command and string options point into argv or envp. On failure returns false
 * and describes the problem in err. */
bool options_parse(struct config *cfg, int argc, char *const argv[], char *const envp[],
		   struct options_error *err);

/* The one-line usage error, without the "initd: " prefix or a newline. */
void options_error_message(const struct options_error *err, char *buf, unsigned long size);

/* The signal sent to the service for a received one: the rewrite if any, else itself. */
int options_rewritten(const struct config *cfg, int signo);

#endif
