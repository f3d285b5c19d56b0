#ifndef INITD_LOG_H
#define INITD_LOG_H

#include "supervisor/loglevel.h"

void log_set_verbosity(int verbosity);

/* One line on stderr, prefixed "initd: ", written with a single write(2) so lines
 * from initd and the service never interleave mid-line. Keeps errno. */
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
