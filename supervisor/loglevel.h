#ifndef INITD_LOGLEVEL_H
#define INITD_LOGLEVEL_H

/* How loud a message is. Decisions pick the level; init/log.c compares it with
 * the configured verbosity and writes. */
enum log_level { LOG_ERROR = -1, LOG_NOTICE = 0, LOG_INFO = 1, LOG_DEBUG = 2 };

#endif
