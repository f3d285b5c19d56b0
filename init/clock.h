#ifndef INITD_CLOCK_H
#define INITD_CLOCK_H

#include <stdint.h>

/* Deadlines live on the monotonic clock, so a wall-clock jump neither fires a
 * restart early nor holds a grace period open. */
int64_t clock_monotonic_ms(void);

/* For humans and the status file. */
int64_t clock_realtime_ms(void);

#endif
