/* Signal names (--stop-signal, --rewrite FROM:TO, INITD_REWRITE's list): a known
 * name or number maps to 1..SIGRTMAX, and the name initd prints for it reads back
 * as the same signal. The rewrite pairs go through the real option parser. */
#include "fuzz.h"

#include <signal.h>

#include "supervisor/options.h"
#include "supervisor/signame.h"

static void check_rewrites(const struct config *cfg)
{
	for (int from = 0; from < SIGNAL_SLOTS; from++) {
		int to = cfg->rewrite[from];
		if (to == 0)
			continue;
		CHECK(from != 0 && from != SIGKILL && from != SIGSTOP);
		CHECK(to > 0 && to <= SIGRTMAX);
	}
}

/* -Wwrite-strings: argv strings are writable arrays, as the kernel gives them. */
static char prog[] = "initd", cmd[] = "true", stop[] = "--stop-signal";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size);
	char buf[12], *flag = NULL, *var = NULL;
	int signo = signal_from_text(text);

	CHECK(signo == -1 || (signo > 0 && signo <= SIGRTMAX));
	if (signo > 0) {
		const char *name = signal_name(signo, buf, sizeof buf);
		if (name != NULL)
			CHECK(signal_from_text(name) == signo);
	}

	struct config cfg;
	struct options_error err;
	size_t n = strlen(text);
	flag = malloc(n + sizeof "--rewrite=");
	var = malloc(n + sizeof "INITD_REWRITE=");
	CHECK(flag != NULL && var != NULL);
	memcpy(flag, "--rewrite=", 10);
	memcpy(flag + 10, text, n + 1);
	memcpy(var, "INITD_REWRITE=", 14);
	memcpy(var + 14, text, n + 1);

	char *argv_flag[] = { prog, flag, cmd, NULL };
	if (options_parse(&cfg, 3, argv_flag, NULL, &err))
		check_rewrites(&cfg);
	char *argv_plain[] = { prog, cmd, NULL };
	char *envp[] = { var, NULL };
	if (options_parse(&cfg, 2, argv_plain, envp, &err))
		check_rewrites(&cfg);
	char *argv_stop[] = { prog, stop, text, cmd, NULL };
	if (options_parse(&cfg, 4, argv_stop, NULL, &err))
		CHECK(cfg.stop_signal == signo);
	else
		CHECK(signo <= 0);
	free(flag);
	free(var);
	free(text);
	return 0;
}
