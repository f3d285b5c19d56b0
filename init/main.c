#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "init/clock.h"
#include "init/log.h"
#include "init/output.h"
#include "init/privileges.h"
#include "init/run.h"
#include "init/signals.h"
#include "init/sockets.h"
#include "init/statusfile.h"
#include "supervisor/errtext.h"
#include "supervisor/fmt.h"
#include "supervisor/options.h"
#include "supervisor/plan.h"

extern char **environ;

/* The libcap2 source version linked in, recorded by scripts/libcap-musl.sh: which
 * one the build picked depends on what the archive could serve that day. */
#ifndef INITD_LIBCAP_VERSION
#define INITD_LIBCAP_VERSION "the system's"
#endif

static const char help_text[] =
	"Usage: initd [OPTION]... [--] COMMAND [ARG]...\n"
	"       initd status [--status-file=PATH] [--json]\n"
	"       initd health [--status-file=PATH] [--min-uptime=DURATION]\n"
	"\n"
	"Runs COMMAND as a supervised service: reaps every zombie, forwards signals,\n"
	"restarts the service with exponential backoff, stops it with a deadline and\n"
	"exits with its status. Every option also reads INITD_<NAME> (a flag wins).\n"
	"\n"
	"  -r, --restart=POLICY      never, on-failure (default) or always\n"
	"      --success-exit=LIST   also success: exit codes, signals (repeatable)\n"
	"      --max-restarts=N      give up after N quick restarts in a row (0: never)\n"
	"      --backoff-min=DUR     first restart delay (250ms)\n"
	"      --backoff-max=DUR     delay cap (30s); restart k waits min*2^(k-1)\n"
	"      --stable=DUR          a run this long resets the series (10s)\n"
	"  -t, --grace=DUR           from the stop signal to SIGKILL (8s)\n"
	"      --stop-signal=SIG     signal that stops the service (the received one)\n"
	"      --rewrite=FROM:TO     rewrite a signal before forwarding (repeatable)\n"
	"  -g, --group               signal the service's whole process group\n"
	"  -u, --user=USER[:GROUP]   run the service as USER (no_new_privs is set)\n"
	"      --caps=CAP,...|none   capabilities the service keeps\n"
	"      --pre=PATH            run PATH first, as initd's user (repeatable)\n"
	"      --ready=HOW           exec (default), notify, fd:N or cmd\n"
	"      --ready-cmd=CMD       ready once sh -c CMD exits 0 (implies --ready=cmd)\n"
	"      --ready-interval=DUR  between --ready-cmd runs (1s)\n"
	"      --ready-timeout=DUR   not ready by then: a failed run (0: wait for ever)\n"
	"      --check-cmd=CMD       liveness check, sh -c CMD, as the service's user\n"
	"      --check-interval=DUR  between checks (10s)\n"
	"      --check-timeout=DUR   a check still running then has failed (3s)\n"
	"      --check-retries=N     failures in a row that mean hung: restart (3)\n"
	"      --check-start=DUR     no check this long after ready (0)\n"
	"      --watchdog=DUR        with notify: no WATCHDOG=1 this long means hung\n"
	"      --status-file=PATH    state file (/run/initd.status)\n"
	"      --json                status: one JSON object\n"
	"      --min-uptime=DUR      health: required uptime (0)\n"
	"  -v, --verbose             more messages (repeatable)\n"
	"  -q, --quiet               errors only\n"
	"  -h, --help                this help\n"
	"  -V, --version             the version\n"
	"\n"
	"Durations: 250ms, 8s, 1.5s, 1m; a bare number is seconds.\n"
	"Signals: TERM, SIGQUIT, 15, RTMIN+1.\n"
	"Exit status: the service's; 128+N after signal N; 2 usage error;\n"
	"126/127 COMMAND not executable/not found; 1 failure of initd.\n";

/* initd itself first (its status socket: live, and the only way on a
 * read-only root), then the file it writes. */
static bool read_status(const struct config *cfg, struct status_record *rec, char *err, size_t errsize)
{
	char name[128], text[STATUS_TEXT_MAX];
	size_t len;

	if (status_socket_name(cfg->status_file, name, sizeof name) &&
	    (len = status_socket_ask(name, text, sizeof text)) > 0 && status_parse(text, len, rec))
		return true;
	return statusfile_read(cfg->status_file, rec, err, errsize);
}

static int show_status(const struct config *cfg)
{
	struct status_record rec;
	char err[256], text[640];

	if (!read_status(cfg, &rec, err, sizeof err)) {
		log_msg(LOG_ERROR, "%s", err);
		return 1;
	}
	if (cfg->json)
		status_json(&rec, clock_realtime_ms(), text, sizeof text);
	else
		status_describe(&rec, clock_realtime_ms(), text, sizeof text);
	write_text(STDOUT_FILENO, text);
	return 0;
}

static int check_health(const struct config *cfg)
{
	struct status_record rec;
	char err[256], why[160], line[300];

	if (!read_status(cfg, &rec, err, sizeof err)) {
		fmt(line, sizeof line, "unhealthy: %s\n", err);
		write_text(STDOUT_FILENO, line);
		return 1;
	}
	bool healthy = status_healthy(&rec, clock_realtime_ms(), cfg->min_uptime_ms, why, sizeof why);
	fmt(line, sizeof line, "%s\n", why);
	write_text(STDOUT_FILENO, line);
	return healthy ? 0 : 1;
}

/* The directory initd started in, with a relative --status-file joined to it:
 * initd leaves that directory, and the status socket's name comes from the
 * absolute path, for initd and for `initd status` alike. NULL (errno set) when
 * either cannot be had; the status file is then left as given. */
static const char *starting_directory(struct config *cfg)
{
	static char directory[PATH_MAX], status_file[PATH_MAX];

	if (getcwd(directory, sizeof directory) == NULL)
		return NULL;
	errno = ENAMETOOLONG; /* what is left to say if the status file's path cannot be joined */
	const char *status = plan_path_from(directory, cfg->status_file, status_file, sizeof status_file);
	if (status == NULL)
		return NULL;
	cfg->status_file = status;
	return directory;
}

/* initd moves to / so that it never holds a mount busy for as long as the
 * container runs; its children go back by the path. A descriptor of the
 * directory would hold the mount just the same. NULL when initd stays put. */
static const char *leave_directory(struct config *cfg)
{
	const char *directory = starting_directory(cfg);

	if (directory != NULL && chdir("/") == 0)
		return directory;
	log_msg(LOG_NOTICE, "warning: cannot leave the working directory (%s); staying in it", error_words(errno));
	return NULL;
}

int main(int argc, char *argv[])
{
	/* Before anything else, so that no signal can arrive unhandled. */
	static struct signal_state signals;
	static struct config cfg;
	static struct privileges privileges;
	struct options_error err;
	char message[256];

	signals_take_over(&signals);
	if (!options_parse(&cfg, argc, argv, environ, &err)) {
		options_error_message(&err, message, sizeof message);
		log_msg(LOG_ERROR, "%s", message);
		return 2;
	}
	log_set_verbosity(cfg.verbosity);
	switch (cfg.mode) {
	case MODE_HELP:
		write_text(STDOUT_FILENO, help_text);
		return 0;
	case MODE_VERSION:
		write_text(STDOUT_FILENO, "initd " INITD_VERSION " (libcap " INITD_LIBCAP_VERSION ")\n");
		return 0;
	case MODE_STATUS:
		starting_directory(&cfg);
		return show_status(&cfg);
	case MODE_HEALTH:
		starting_directory(&cfg);
		return check_health(&cfg);
	case MODE_RUN:
		break;
	}
	if (!privileges_resolve(cfg.user, cfg.caps_given, cfg.caps, &privileges, message, sizeof message)) {
		log_msg(LOG_ERROR, "--user: %s; try 'initd --help'", message);
		return 2;
	}
	/* Orphans reparent to the nearest subreaper: outside PID 1 that has to be us. */
	if (getpid() != 1 && prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0)
		log_msg(LOG_NOTICE, "warning: cannot become a child subreaper; orphans will escape");
	run_supervisor(&cfg, &privileges, &signals, leave_directory(&cfg));
}
