/* argv and the INITD_* environment -> struct config. The input is a list of
 * NUL-separated strings; one that starts with \1 goes to the environment,
 * the others to argv after "initd". Checks: no crash or overread, the message
 * of any error fits its buffer, and an accepted config is one initd can run. */
#include "fuzz.h"

#include <signal.h>

#include "supervisor/duration.h"
#include "supervisor/options.h"

#define MAX_STRINGS 48

static char prog[] = "initd";

static void check_config(const struct config *cfg, int argc, char *argv[])
{
	const int64_t durations[] = { cfg->backoff_min_ms, cfg->backoff_max_ms, cfg->stable_ms,
				      cfg->grace_ms, cfg->min_uptime_ms };

	for (size_t i = 0; i < sizeof durations / sizeof durations[0]; i++)
		CHECK(durations[i] >= 0 && durations[i] <= DURATION_MAX_MS);
	CHECK(cfg->npre <= MAX_PRE);
	CHECK(cfg->nsuccess <= MAX_SUCCESS_EXIT);
	CHECK((cfg->success.signals & ~(((uint64_t)1 << (SIGRTMAX - 1)) * 2 - 1)) == 0);
	for (unsigned i = 0; i < cfg->npre; i++)
		CHECK(cfg->pre[i] != NULL && cfg->pre[i][0] != '\0');
	CHECK(cfg->verbosity >= -1 && cfg->verbosity <= 3);
	CHECK(cfg->stop_signal >= 0 && cfg->stop_signal <= SIGRTMAX);
	CHECK(cfg->rewrite[SIGKILL] == 0 && cfg->rewrite[SIGSTOP] == 0);
	for (int s = 0; s < SIGNAL_SLOTS; s++)
		CHECK(cfg->rewrite[s] >= 0 && cfg->rewrite[s] <= SIGRTMAX);
	CHECK(cfg->status_file != NULL && cfg->status_file[0] != '\0');
	CHECK(cfg->restart == RESTART_NEVER || cfg->restart == RESTART_ON_FAILURE ||
	      cfg->restart == RESTART_ALWAYS);
	if (cfg->mode == MODE_RUN) {
		CHECK(cfg->backoff_min_ms <= cfg->backoff_max_ms);
		/* The command is the tail of argv, never anything else. */
		CHECK(cfg->command != NULL);
		CHECK(cfg->command >= argv + 1 && cfg->command < argv + argc);
		CHECK(cfg->command[argc - (cfg->command - argv)] == NULL);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[MAX_STRINGS + 2], *envp[MAX_STRINGS + 1];
	char *owned[MAX_STRINGS];
	int argc = 1, envc = 0, nowned = 0;
	struct config cfg, again;
	struct options_error err, err2;
	char message[256];

	argv[0] = prog;
	for (size_t at = 0; at < size && nowned < MAX_STRINGS;) {
		const uint8_t *nul = memchr(data + at, '\0', size - at);
		size_t len = nul ? (size_t)(nul - (data + at)) : size - at;
		char *s = fuzz_string(data + at, len);
		owned[nowned++] = s;
		if (s[0] == '\1')
			envp[envc++] = s + 1;
		else
			argv[argc++] = s;
		at += len + 1;
	}
	argv[argc] = NULL;
	envp[envc] = NULL;

	memset(message, 'x', sizeof message);
	bool ok = options_parse(&cfg, argc, argv, envp, &err);
	if (ok) {
		CHECK(err.problem == OPT_OK);
		check_config(&cfg, argc, argv);
	} else {
		CHECK(err.problem != OPT_OK);
		CHECK(memchr(err.subject, '\0', sizeof err.subject) != NULL);
		CHECK(memchr(err.value, '\0', sizeof err.value) != NULL);
	}
	options_error_message(&err, message, sizeof message);
	CHECK(memchr(message, '\0', sizeof message) != NULL);
	/* A pure function of its inputs: the same argv and environment, the same answer. */
	CHECK(options_parse(&again, argc, argv, envp, &err2) == ok);
	if (ok) {
		/* INITD_PRE's paths point into each config's own copy of the list. */
		CHECK(cfg.npre == again.npre);
		for (unsigned i = 0; i < cfg.npre; i++) {
			CHECK(strcmp(cfg.pre[i], again.pre[i]) == 0);
			cfg.pre[i] = again.pre[i] = NULL;
		}
		memset(cfg.pre_storage, 0, sizeof cfg.pre_storage);
		memset(again.pre_storage, 0, sizeof again.pre_storage);
		CHECK(memcmp(&cfg, &again, sizeof cfg) == 0);
		for (int s = 1; s < SIGNAL_SLOTS; s++)
			CHECK(options_rewritten(&cfg, s) > 0);
	} else {
		CHECK(err2.problem == err.problem && strcmp(err2.value, err.value) == 0);
	}
	for (int i = 0; i < nowned; i++)
		free(owned[i]);
	return 0;
}
