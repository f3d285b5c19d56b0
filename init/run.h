#ifndef INITD_RUN_H
#define INITD_RUN_H

#include "init/privileges.h"
#include "init/signals.h"
#include "supervisor/options.h"

/* Supervises cfg->command until it is over; never returns (exits with the
 * service's status). Children start in directory (NULL: initd's own). */
_Noreturn int run_supervisor(const struct config *cfg, const struct privileges *privileges,
			     const struct signal_state *signals, const char *directory);

#endif
