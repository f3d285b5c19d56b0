#include "init/signals.h"

#include <stddef.h>


/* Kernel-generated faults must kill initd with a core, not wait in a queue. */
static const int fault_signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGSYS, SIGABRT };
/* Ignored rather than waited for: initd never does terminal I/O it could be
 * stopped for, and a broken stderr pipe must not kill PID 1. */
static const int ignored_signals[] = { SIGTTIN, SIGTTOU, SIGPIPE };

void signals_take_over(struct signal_state *st)
{
	sigset_t blocked;
	struct sigaction ignore = { .sa_handler = SIG_IGN };

	sigfillset(&blocked);
	for (unsigned i = 0; i < sizeof fault_signals / sizeof fault_signals[0]; i++)
		sigdelset(&blocked, fault_signals[i]);
	sigprocmask(SIG_SETMASK, &blocked, &st->original_mask);

	sigemptyset(&ignore.sa_mask);
	sigaction(SIGTTIN, &ignore, &st->original_ttin);
	sigaction(SIGTTOU, &ignore, &st->original_ttou);
	sigaction(SIGPIPE, &ignore, &st->original_pipe);

	/* Ignored signals that stay blocked would queue up instead of vanishing. */
	sigset_t unblock;
	sigemptyset(&unblock);
	for (unsigned i = 0; i < sizeof ignored_signals / sizeof ignored_signals[0]; i++) {
		sigaddset(&unblock, ignored_signals[i]);
		sigdelset(&blocked, ignored_signals[i]);
	}
	sigprocmask(SIG_UNBLOCK, &unblock, NULL);
	st->wait_set = blocked;
}

void signals_give_back(const struct signal_state *st)
{
	sigaction(SIGTTIN, &st->original_ttin, NULL);
	sigaction(SIGTTOU, &st->original_ttou, NULL);
	sigaction(SIGPIPE, &st->original_pipe, NULL);
	sigprocmask(SIG_SETMASK, &st->original_mask, NULL);
}
