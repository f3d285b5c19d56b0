#include "supervisor/options.h"

#include <signal.h>
#include <stddef.h>
#include <string.h>

#include "supervisor/capnames.h"
#include "supervisor/duration.h"
#include "supervisor/fmt.h"
#include "supervisor/signame.h"
#include "supervisor/strict.h"
#include "supervisor/userspec.h"

enum option_id {
	O_RESTART,
	O_MAX_RESTARTS,
	O_SUCCESS_EXIT,
	O_BACKOFF_MIN,
	O_BACKOFF_MAX,
	O_STABLE,
	O_GRACE,
	O_STOP_SIGNAL,
	O_REWRITE,
	O_GROUP,
	O_USER,
	O_CAPS,
	O_PRE,
	O_STATUS_FILE,
	O_READY,
	O_READY_CMD,
	O_READY_INTERVAL,
	O_READY_TIMEOUT,
	O_CHECK_CMD,
	O_CHECK_INTERVAL,
	O_CHECK_TIMEOUT,
	O_CHECK_RETRIES,
	O_CHECK_START,
	O_WATCHDOG,
	O_MIN_UPTIME,
	O_JSON,
	O_VERBOSE,
	O_QUIET,
	O_HELP,
	O_VERSION,
	O_COUNT
};

/* Which command reads an option. */
enum { FOR_RUN = 1, FOR_STATUS = 2, FOR_HEALTH = 4, FOR_ALL = 7 };

/* Every option but --help and --version also reads INITD_<NAME>, its long name
 * in capitals with '_' for '-' (variable_name builds it: cheaper than storing
 * 28 names). A duration option names its field in struct config by its offset,
 * so that apply_value parses all eleven in one place. The pointer first, then
 * bytes: 16 bytes an entry. */
struct option_spec {
	const char *long_name;
	unsigned char modes;
	char short_name;
	bool takes_value;
	bool has_variable;
	unsigned char duration_at; /* offsetof(struct config, ..._ms); 0: not a duration */
};
_Static_assert(offsetof(struct config, watchdog_ms) < 256, "duration_at is a byte");

static const struct option_spec specs[O_COUNT] = {
	[O_RESTART] = { "restart", FOR_RUN, 'r', true, true, 0 },
	[O_MAX_RESTARTS] = { "max-restarts", FOR_RUN, 0, true, true, 0 },
	[O_SUCCESS_EXIT] = { "success-exit", FOR_RUN, 0, true, true, 0 },
	[O_BACKOFF_MIN] = { "backoff-min", FOR_RUN, 0, true, true, offsetof(struct config, backoff_min_ms) },
	[O_BACKOFF_MAX] = { "backoff-max", FOR_RUN, 0, true, true, offsetof(struct config, backoff_max_ms) },
	[O_STABLE] = { "stable", FOR_RUN, 0, true, true, offsetof(struct config, stable_ms) },
	[O_GRACE] = { "grace", FOR_RUN, 't', true, true, offsetof(struct config, grace_ms) },
	[O_STOP_SIGNAL] = { "stop-signal", FOR_RUN, 0, true, true, 0 },
	[O_REWRITE] = { "rewrite", FOR_RUN, 0, true, true, 0 },
	[O_GROUP] = { "group", FOR_RUN, 'g', false, true, 0 },
	[O_USER] = { "user", FOR_RUN, 'u', true, true, 0 },
	[O_CAPS] = { "caps", FOR_RUN, 0, true, true, 0 },
	[O_PRE] = { "pre", FOR_RUN, 0, true, true, 0 },
	[O_STATUS_FILE] = { "status-file", FOR_ALL, 0, true, true, 0 },
	[O_READY] = { "ready", FOR_RUN, 0, true, true, 0 },
	[O_READY_CMD] = { "ready-cmd", FOR_RUN, 0, true, true, 0 },
	[O_READY_INTERVAL] = { "ready-interval", FOR_RUN, 0, true, true, offsetof(struct config, ready_interval_ms) },
	[O_READY_TIMEOUT] = { "ready-timeout", FOR_RUN, 0, true, true, offsetof(struct config, ready_timeout_ms) },
	[O_CHECK_CMD] = { "check-cmd", FOR_RUN, 0, true, true, 0 },
	[O_CHECK_INTERVAL] = { "check-interval", FOR_RUN, 0, true, true, offsetof(struct config, check_interval_ms) },
	[O_CHECK_TIMEOUT] = { "check-timeout", FOR_RUN, 0, true, true, offsetof(struct config, check_timeout_ms) },
	[O_CHECK_RETRIES] = { "check-retries", FOR_RUN, 0, true, true, 0 },
	[O_CHECK_START] = { "check-start", FOR_RUN, 0, true, true, offsetof(struct config, check_start_ms) },
	[O_WATCHDOG] = { "watchdog", FOR_RUN, 0, true, true, offsetof(struct config, watchdog_ms) },
	[O_MIN_UPTIME] = { "min-uptime", FOR_HEALTH, 0, true, true, offsetof(struct config, min_uptime_ms) },
	[O_JSON] = { "json", FOR_STATUS, 0, false, true, 0 },
	[O_VERBOSE] = { "verbose", FOR_ALL, 'v', false, true, 0 },
	[O_QUIET] = { "quiet", FOR_ALL, 'q', false, true, 0 },
	[O_HELP] = { "help", FOR_ALL, 'h', false, false, 0 },
	[O_VERSION] = { "version", FOR_ALL, 'V', false, false, 0 },
};

struct parser {
	struct config *cfg;
	struct options_error *err;
	bool from_env;
	bool flag_seen[O_COUNT]; /* a flag replaces what the variable set */
	bool variable_bad[O_COUNT];
	struct options_error variable_error[O_COUNT];
};

static bool fail(struct parser *p, enum options_problem problem, const char *subject,
		 const char *value)
{
	p->err->problem = problem;
	copy_truncated(p->err->subject, sizeof p->err->subject, subject ? subject : "");
	copy_truncated(p->err->value, sizeof p->err->value, value ? value : "");
	return false;
}

static bool parse_rewrite_pair(const char *text, int *from, int *to)
{
	char left[24];
	const char *colon = strchr(text, ':');

	if (colon == NULL || !copy_span(left, sizeof left, text, (size_t)(colon - text)))
		return false;
	*from = signal_from_text(left);
	*to = signal_from_text(colon + 1);
	/* KILL and STOP never reach initd; rewriting from them would be a no-op that hides a typo. */
	return *from > 0 && *to > 0 && *from < SIGNAL_SLOTS && *from != SIGKILL && *from != SIGSTOP;
}

/* INITD_REWRITE holds a comma-separated list; a --rewrite flag holds one pair. */
static bool apply_rewrites(struct parser *p, const char *subject, const char *value)
{
	char item[48];
	const char *at = value;

	for (;;) {
		const char *comma = p->from_env ? strchr(at, ',') : NULL;
		size_t len = comma ? (size_t)(comma - at) : strlen(at);
		int from, to;
		if (!copy_span(item, sizeof item, at, len) || !parse_rewrite_pair(item, &from, &to))
			return fail(p, OPT_BAD_REWRITE, subject, value);
		p->cfg->rewrite[from] = to;
		if (comma == NULL)
			return true;
		at = comma + 1;
	}
}

/* A bare number is an exit status, so a signal by number is written SIG15. */
static bool add_success_exit(struct success_exit *s, const char *item)
{
	unsigned long number;
	char head[4];
	int signo;

	if (parse_unsigned(item, 255, &number)) {
		s->codes[number / 64] |= (uint64_t)1 << (number % 64);
		return true;
	}
	copy_truncated(head, sizeof head, item);
	if (ascii_equal_nocase(head, "SIG") && parse_unsigned(item + 3, (unsigned long)SIGRTMAX, &number))
		signo = (int)number;
	else
		signo = signal_from_text(item);
	if (signo <= 0)
		return false;
	s->signals |= (uint64_t)1 << (signo - 1);
	return true;
}

/* A comma-separated list in a flag as in the variable; flags add up. */
static bool apply_success_exit(struct parser *p, const char *subject, const char *value)
{
	char item[24];
	const char *at = value;

	for (;;) {
		const char *comma = strchr(at, ',');
		size_t len = comma ? (size_t)(comma - at) : strlen(at);
		/* Too long for any name or number: copied cut short, still refused. */
		copy_truncated(item, len < sizeof item ? len + 1 : sizeof item, at);
		if (len >= sizeof item || !add_success_exit(&p->cfg->success, item))
			return fail(p, OPT_BAD_SUCCESS_EXIT, subject, item);
		if (++p->cfg->nsuccess > MAX_SUCCESS_EXIT)
			return fail(p, OPT_TOO_MANY_SUCCESS_EXIT, subject, value);
		if (comma == NULL)
			return true;
		at = comma + 1;
	}
}

static bool add_pre(struct parser *p, const char *subject, const char *path)
{
	if (*path == '\0')
		return fail(p, OPT_BAD_PATH, subject, path);
	if (p->cfg->npre == MAX_PRE)
		return fail(p, OPT_TOO_MANY_PRE, subject, path);
	p->cfg->pre[p->cfg->npre++] = path;
	return true;
}

/* INITD_PRE is colon-separated like PATH. The environment is not ours to cut
 * into pieces, so the list is split in a copy that the config owns. */
static bool apply_pre(struct parser *p, const char *subject, const char *value)
{
	char *copy = p->cfg->pre_storage;

	if (!p->from_env)
		return add_pre(p, subject, value);
	size_t len = strlen(value);
	if (len >= sizeof p->cfg->pre_storage)
		return fail(p, OPT_BAD_PATH, subject, value);
	memcpy(copy, value, len + 1);
	p->cfg->npre = 0;
	for (char *at = copy;;) {
		char *colon = strchr(at, ':');
		if (colon != NULL)
			*colon = '\0';
		if (!add_pre(p, subject, at))
			return false;
		if (colon == NULL)
			return true;
		at = colon + 1;
	}
}

/* An interval of 0 would run a probe in a busy loop. */
static bool must_be_positive(enum option_id id)
{
	return id == O_READY_INTERVAL || id == O_CHECK_INTERVAL || id == O_CHECK_TIMEOUT;
}

static bool apply_ready(struct parser *p, const char *subject, const char *value)
{
	static const char *const modes[] = { "exec", "notify", "fd:", "cmd" };
	unsigned long fd;

	for (int mode = 0; mode < 4; mode++) {
		if (mode == READY_FD) {
			if (strncmp(value, "fd:", 3) != 0)
				continue;
			if (!parse_unsigned(value + 3, READY_FD_MAX, &fd) || fd < 3)
				break;
			p->cfg->ready_fd = (int)fd;
		} else if (strcmp(value, modes[mode]) != 0)
			continue;
		p->cfg->ready = (enum ready_mode)mode;
		return true;
	}
	return fail(p, OPT_BAD_READY, subject, value);
}

static bool apply_value(struct parser *p, enum option_id id, const char *subject, const char *value)
{
	struct config *cfg = p->cfg;
	unsigned long number;
	bool flag;

	if (specs[id].duration_at != 0) {
		int64_t *ms = (int64_t *)(void *)((char *)cfg + specs[id].duration_at);
		if (!duration_parse(value, ms) || (must_be_positive(id) && *ms <= 0))
			return fail(p, OPT_BAD_DURATION, subject, value);
		return true;
	}
	switch (id) {
	case O_RESTART:
		if (strcmp(value, "never") == 0)
			cfg->restart = RESTART_NEVER;
		else if (strcmp(value, "on-failure") == 0)
			cfg->restart = RESTART_ON_FAILURE;
		else if (strcmp(value, "always") == 0)
			cfg->restart = RESTART_ALWAYS;
		else
			return fail(p, OPT_BAD_POLICY, subject, value);
		return true;
	case O_MAX_RESTARTS:
		if (!parse_unsigned(value, 1000000000UL, &number))
			return fail(p, OPT_BAD_NUMBER, subject, value);
		cfg->max_restarts = (unsigned)number;
		return true;
	case O_SUCCESS_EXIT:
		return apply_success_exit(p, subject, value);
	case O_CHECK_RETRIES:
		if (!parse_unsigned(value, 1000000UL, &number) || number == 0)
			return fail(p, OPT_BAD_NUMBER, subject, value);
		cfg->check_retries = (unsigned)number;
		return true;
	case O_READY:
		return apply_ready(p, subject, value);
	case O_READY_CMD:
	case O_CHECK_CMD:
		if (*value == '\0')
			return fail(p, OPT_BAD_COMMAND, subject, value);
		if (id == O_CHECK_CMD)
			cfg->check_cmd = value;
		else
			cfg->ready_cmd = value;
		return true;
	case O_JSON:
		return parse_bool(value, &cfg->json) || fail(p, OPT_BAD_BOOL, subject, value);
	case O_STOP_SIGNAL: {
		int signo = signal_from_text(value);
		if (signo <= 0)
			return fail(p, OPT_BAD_SIGNAL, subject, value);
		cfg->stop_signal = signo;
		return true;
	}
	case O_REWRITE:
		return apply_rewrites(p, subject, value);
	case O_USER: {
		char user[USERSPEC_PART_MAX], group[USERSPEC_PART_MAX];
		if (!userspec_split(value, user, sizeof user, group, sizeof group))
			return fail(p, OPT_BAD_USER, subject, value);
		cfg->user = value;
		return true;
	}
	case O_CAPS: {
		char bad[48];
		if (!capnames_parse(value, &cfg->caps, bad, sizeof bad))
			return fail(p, OPT_BAD_CAPS, subject, bad);
		cfg->caps_given = true;
		return true;
	}
	case O_PRE:
		return apply_pre(p, subject, value);
	case O_STATUS_FILE:
		if (*value == '\0')
			return fail(p, OPT_BAD_PATH, subject, value);
		cfg->status_file = value;
		return true;
	case O_GROUP: /* only variables reach here with a value */
		if (!parse_bool(value, &flag))
			return fail(p, OPT_BAD_BOOL, subject, value);
		cfg->group = flag;
		return true;
	case O_QUIET:
		if (!parse_bool(value, &flag))
			return fail(p, OPT_BAD_BOOL, subject, value);
		if (flag)
			cfg->verbosity = VERBOSITY_QUIET;
		return true;
	case O_VERBOSE:
		if (!parse_unsigned(value, VERBOSITY_MAX, &number))
			return fail(p, OPT_BAD_NUMBER, subject, value);
		if (cfg->verbosity != VERBOSITY_QUIET)
			cfg->verbosity = (int)number;
		return true;
	case O_BACKOFF_MIN: /* the durations: parsed above */
	case O_BACKOFF_MAX:
	case O_STABLE:
	case O_GRACE:
	case O_MIN_UPTIME:
	case O_READY_INTERVAL:
	case O_READY_TIMEOUT:
	case O_CHECK_INTERVAL:
	case O_CHECK_TIMEOUT:
	case O_CHECK_START:
	case O_WATCHDOG:
	case O_HELP:
	case O_VERSION:
	case O_COUNT:
		break;
	}
	return true;
}

/* A flag given on the command line replaces the variable's value entirely, even
 * for the options that accumulate (--pre, --rewrite, --success-exit, -v). */
static void forget_variable(struct parser *p, enum option_id id)
{
	if (p->flag_seen[id])
		return;
	p->flag_seen[id] = true;
	if (id == O_PRE) {
		/* No entry may keep pointing into the discarded INITD_PRE list. */
		p->cfg->npre = 0;
		memset(p->cfg->pre, 0, sizeof p->cfg->pre);
	} else if (id == O_REWRITE)
		memset(p->cfg->rewrite, 0, sizeof p->cfg->rewrite);
	else if (id == O_SUCCESS_EXIT) {
		memset(&p->cfg->success, 0, sizeof p->cfg->success);
		p->cfg->nsuccess = 0;
	}
	else if (id == O_VERBOSE || id == O_QUIET) {
		p->flag_seen[O_VERBOSE] = p->flag_seen[O_QUIET] = true;
		p->cfg->verbosity = VERBOSITY_DEFAULT;
	}
}

static void apply_flag(struct parser *p, enum option_id id)
{
	forget_variable(p, id);
	switch (id) {
	case O_GROUP:
		p->cfg->group = true;
		break;
	case O_VERBOSE:
		if (p->cfg->verbosity >= 0 && p->cfg->verbosity < VERBOSITY_MAX)
			p->cfg->verbosity++;
		break;
	case O_QUIET:
		p->cfg->verbosity = VERBOSITY_QUIET;
		break;
	case O_JSON:
		p->cfg->json = true;
		break;
	case O_HELP:
		p->cfg->mode = MODE_HELP;
		break;
	case O_VERSION:
		if (p->cfg->mode != MODE_HELP)
			p->cfg->mode = MODE_VERSION;
		break;
	default:
		break;
	}
}

static unsigned mode_bit(enum run_mode mode)
{
	return mode == MODE_STATUS ? FOR_STATUS : mode == MODE_HEALTH ? FOR_HEALTH : FOR_RUN;
}

/* Room for "INITD_" and the longest long name ("check-interval"), and more. */
enum { VARIABLE_NAME_SIZE = 32 };

/* "ready-cmd" -> "INITD_READY_CMD". */
static void variable_name(const char *long_name, char *buf, size_t size)
{
	size_t n = fmt(buf, size, "INITD_%s", long_name);

	for (size_t i = 0; i < n; i++)
		if (buf[i] == '-')
			buf[i] = '_';
		else if (buf[i] >= 'a' && buf[i] <= 'z')
			buf[i] = (char)(buf[i] - 'a' + 'A');
}

static const char *env_lookup(char *const envp[], const char *name)
{
	size_t len = strlen(name);

	for (size_t i = 0; envp != NULL && envp[i] != NULL; i++)
		if (strncmp(envp[i], name, len) == 0 && envp[i][len] == '=')
			return envp[i] + len + 1;
	return NULL;
}

/* A bad variable is an error only if no flag replaces it, so its error waits
 * until the command line has been read. */
static void apply_environment(struct parser *p, char *const envp[], unsigned mode)
{
	struct options_error *real = p->err;

	p->from_env = true;
	for (int id = 0; id < O_COUNT; id++) {
		const struct option_spec *s = &specs[id];
		char variable[VARIABLE_NAME_SIZE];
		if (!s->has_variable || !(s->modes & mode))
			continue;
		variable_name(s->long_name, variable, sizeof variable);
		const char *value = env_lookup(envp, variable);
		/* An empty variable is the same as an unset one, as in most shells' idiom. */
		if (value == NULL || *value == '\0')
			continue;
		p->err = &p->variable_error[id];
		p->variable_bad[id] = !apply_value(p, (enum option_id)id, variable, value);
	}
	p->err = real;
	p->from_env = false;
}

static bool variables_valid(struct parser *p)
{
	for (int id = 0; id < O_COUNT; id++)
		if (p->variable_bad[id] && !p->flag_seen[id]) {
			*p->err = p->variable_error[id];
			return false;
		}
	return true;
}

static int find_long(const char *name, size_t len, unsigned mode)
{
	for (int id = 0; id < O_COUNT; id++)
		if ((specs[id].modes & mode) && strlen(specs[id].long_name) == len &&
		    strncmp(specs[id].long_name, name, len) == 0)
			return id;
	return -1;
}

static int find_short(char c, unsigned mode)
{
	for (int id = 0; id < O_COUNT; id++)
		if ((specs[id].modes & mode) && specs[id].short_name == c)
			return id;
	return -1;
}

/* "--name", "--name=value" or "--name value". Returns the number of argv entries used, 0 on error. */
static int parse_long(struct parser *p, int argc, char *const argv[], int i, unsigned mode)
{
	const char *arg = argv[i] + 2;
	const char *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
	int id = find_long(arg, len, mode);
	char subject[sizeof p->err->subject];

	fmt(subject, sizeof subject, "--%.*s", (int)(len < 30 ? len : 30), arg);
	if (id < 0)
		return fail(p, OPT_UNKNOWN_OPTION, "", argv[i]), 0;
	if (!specs[id].takes_value) {
		if (eq)
			return fail(p, OPT_UNEXPECTED_VALUE, subject, eq + 1), 0;
		apply_flag(p, (enum option_id)id);
		return 1;
	}
	const char *value = eq ? eq + 1 : (i + 1 < argc ? argv[i + 1] : NULL);
	if (value == NULL)
		return fail(p, OPT_MISSING_VALUE, subject, ""), 0;
	forget_variable(p, (enum option_id)id);
	if (!apply_value(p, (enum option_id)id, subject, value))
		return 0;
	return eq ? 1 : 2;
}

/* "-gv", "-t5s", "-t 5s". Returns the number of argv entries used, 0 on error. */
static int parse_short(struct parser *p, int argc, char *const argv[], int i, unsigned mode)
{
	for (const char *c = argv[i] + 1; *c != '\0'; c++) {
		int id = find_short(*c, mode);
		char subject[3] = { '-', *c, '\0' };
		if (id < 0)
			return fail(p, OPT_UNKNOWN_OPTION, "", subject), 0;
		if (!specs[id].takes_value) {
			apply_flag(p, (enum option_id)id);
			continue;
		}
		const char *value = c[1] != '\0' ? c + 1 : (i + 1 < argc ? argv[i + 1] : NULL);
		if (value == NULL)
			return fail(p, OPT_MISSING_VALUE, subject, ""), 0;
		forget_variable(p, (enum option_id)id);
		if (!apply_value(p, (enum option_id)id, subject, value))
			return 0;
		return c[1] != '\0' ? 1 : 2;
	}
	return 1;
}

static void set_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->mode = MODE_RUN;
	cfg->restart = RESTART_ON_FAILURE;
	cfg->backoff_min_ms = 250;
	cfg->backoff_max_ms = 30000;
	cfg->stable_ms = 10000;
	cfg->grace_ms = 8000;
	cfg->status_file = "/run/initd.status";
	cfg->ready_interval_ms = 1000;
	cfg->check_interval_ms = 10000;
	cfg->check_timeout_ms = 3000;
	cfg->check_retries = 3;
	cfg->verbosity = VERBOSITY_DEFAULT;
}

bool options_parse(struct config *cfg, int argc, char *const argv[], char *const envp[],
		   struct options_error *err)
{
	struct parser p = { .cfg = cfg, .err = err };
	int i = 1;

	set_defaults(cfg);
	err->problem = OPT_OK;
	err->subject[0] = err->value[0] = '\0';
	if (argc > 1 && strcmp(argv[1], "status") == 0) {
		cfg->mode = MODE_STATUS;
		i = 2;
	} else if (argc > 1 && strcmp(argv[1], "health") == 0) {
		cfg->mode = MODE_HEALTH;
		i = 2;
	}
	unsigned mode = mode_bit(cfg->mode);

	apply_environment(&p, envp, mode);
	while (i < argc) {
		const char *arg = argv[i];
		int used;
		if (strcmp(arg, "--") == 0) {
			i++;
			break;
		}
		if (arg[0] != '-' || arg[1] == '\0')
			break;
		used = arg[1] == '-' ? parse_long(&p, argc, argv, i, mode)
				     : parse_short(&p, argc, argv, i, mode);
		if (used == 0)
			return false;
		i += used;
	}
	if (cfg->mode == MODE_HELP || cfg->mode == MODE_VERSION)
		return true;
	if (!variables_valid(&p))
		return false;
	if (cfg->mode != MODE_RUN) {
		if (i < argc)
			return fail(&p, OPT_UNEXPECTED_ARGUMENT, "", argv[i]);
		return true;
	}
	if (cfg->backoff_min_ms > cfg->backoff_max_ms) {
		char both[sizeof err->value];
		char lo[16], hi[16];
		duration_format(cfg->backoff_min_ms, lo, sizeof lo);
		duration_format(cfg->backoff_max_ms, hi, sizeof hi);
		fmt(both, sizeof both, "%s > %s", lo, hi);
		return fail(&p, OPT_BACKOFF_RANGE, "--backoff-min", both);
	}
	/* --ready-cmd says how readiness is known; --ready=cmd alone has nothing to run. */
	if (cfg->ready_cmd != NULL && cfg->ready == READY_EXEC)
		cfg->ready = READY_CMD;
	if (cfg->ready == READY_CMD && cfg->ready_cmd == NULL)
		return fail(&p, OPT_READY_CMD_MISSING, "--ready", "cmd");
	if (cfg->watchdog_ms > 0 && cfg->ready != READY_NOTIFY)
		return fail(&p, OPT_WATCHDOG_NEEDS_NOTIFY, "--watchdog", "");
	if (i >= argc)
		return fail(&p, OPT_NO_COMMAND, "", "");
	cfg->command = argv + i;
	return true;
}

void options_error_message(const struct options_error *err, char *buf, unsigned long size)
{
	const char *s = err->subject, *v = err->value;
	const char *hint = "; try 'initd --help'";

	switch (err->problem) {
	case OPT_OK:
		fmt(buf, size, "no error");
		return;
	case OPT_UNKNOWN_OPTION:
		fmt(buf, size, "unknown option '%s'%s", v, hint);
		return;
	case OPT_MISSING_VALUE:
		fmt(buf, size, "%s needs a value%s", s, hint);
		return;
	case OPT_UNEXPECTED_VALUE:
		fmt(buf, size, "%s takes no value (got '%s')%s", s, v, hint);
		return;
	case OPT_BAD_POLICY:
		fmt(buf, size, "%s: bad restart policy '%s' (never, on-failure or always)%s", s, v, hint);
		return;
	case OPT_BAD_NUMBER:
		fmt(buf, size, "%s: bad number '%s'%s", s, v, hint);
		return;
	case OPT_BAD_DURATION:
		fmt(buf, size, "%s: bad duration '%s' (e.g. 250ms, 8s, 1m; at most 24h)%s", s, v, hint);
		return;
	case OPT_BAD_SIGNAL:
		fmt(buf, size, "%s: bad signal '%s' (e.g. TERM, SIGQUIT, 15)%s", s, v, hint);
		return;
	case OPT_BAD_REWRITE:
		fmt(buf, size, "%s: bad rewrite '%s' (FROM:TO, e.g. TERM:QUIT)%s", s, v, hint);
		return;
	case OPT_BAD_BOOL:
		fmt(buf, size, "%s: bad boolean '%s' (1/0, yes/no, true/false)%s", s, v, hint);
		return;
	case OPT_BAD_USER:
		fmt(buf, size, "%s: bad user '%s' (USER or USER:GROUP)%s", s, v, hint);
		return;
	case OPT_BAD_CAPS:
		fmt(buf, size, "%s: unknown capability '%s' (e.g. net_bind_service, or none)%s", s, v, hint);
		return;
	case OPT_BAD_PATH:
		fmt(buf, size, "%s: bad path '%s'%s", s, v, hint);
		return;
	case OPT_TOO_MANY_PRE:
		fmt(buf, size, "%s: more than %d programs%s", s, MAX_PRE, hint);
		return;
	case OPT_BAD_SUCCESS_EXIT:
		fmt(buf, size, "%s: bad exit status '%s' (0-255 or a signal, e.g. 143,TERM)%s", s, v, hint);
		return;
	case OPT_TOO_MANY_SUCCESS_EXIT:
		fmt(buf, size, "%s: more than %d exit statuses%s", s, MAX_SUCCESS_EXIT, hint);
		return;
	case OPT_BACKOFF_RANGE:
		fmt(buf, size, "--backoff-min is above --backoff-max (%s)%s", v, hint);
		return;
	case OPT_BAD_READY:
		fmt(buf, size, "%s: bad readiness '%s' (exec, notify, fd:N with N 3-%d, or cmd)%s", s, v, READY_FD_MAX,
		    hint);
		return;
	case OPT_READY_CMD_MISSING:
		fmt(buf, size, "--ready=cmd needs --ready-cmd=COMMAND%s", hint);
		return;
	case OPT_WATCHDOG_NEEDS_NOTIFY:
		fmt(buf, size, "--watchdog needs --ready=notify (the service pings with WATCHDOG=1)%s", hint);
		return;
	case OPT_BAD_COMMAND:
		fmt(buf, size, "%s: empty command%s", s, hint);
		return;
	case OPT_NO_COMMAND:
		fmt(buf, size, "no COMMAND given%s", hint);
		return;
	case OPT_UNEXPECTED_ARGUMENT:
		fmt(buf, size, "unexpected argument '%s'%s", v, hint);
		return;
	}
	fmt(buf, size, "usage error%s", hint);
}

int options_rewritten(const struct config *cfg, int signo)
{
	if (signo > 0 && signo < SIGNAL_SLOTS && cfg->rewrite[signo] != 0)
		return cfg->rewrite[signo];
	return signo;
}
