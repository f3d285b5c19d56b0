#ifndef INITD_SIGNALS_H
#define INITD_SIGNALS_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

/* What initd changed, so that its children get the original back. */
struct signal_state {
	sigset_t original_mask;
	sigset_t wait_set;
	struct sigaction original_ttin, original_ttou, original_pipe;
};

/* First thing in main: block every signal but the synchronous faults, ignore
 * terminal stops and SIGPIPE. */
void signals_take_over(struct signal_state *st);

/* In a child before exec: the original mask and dispositions. */
void signals_give_back(const struct signal_state *st);


#endif
