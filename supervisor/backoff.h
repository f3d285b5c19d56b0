#ifndef INITD_BACKOFF_H
#define INITD_BACKOFF_H

#include <stdint.h>

/* Delay before restart k (k >= 1) of a series: min * 2^(k-1), capped at max. */
int64_t backoff_delay(int64_t min_ms, int64_t max_ms, unsigned k);

#endif
