#ifndef INITD_RUN_H
#define INITD_RUN_H

#include "options.h"
#include "privileges.h"
#include "signals.h"

/* Supervises cfg->command until it is over; never returns (exits with the
 * service's status). */
_Noreturn int run_supervisor(const struct config *cfg, const struct privileges *privileges,
			     const struct signal_state *signals);

#endif
