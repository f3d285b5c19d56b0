#ifndef INITD_DURATION_H
#define INITD_DURATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DURATION_MAX_MS (24LL * 60 * 60 * 1000)

/* "250ms", "8s", "1.5s", "1m", "5" (seconds). At most DURATION_MAX_MS. */
bool duration_parse(const char *text, int64_t *ms);

/* The shortest exact spelling that duration_parse reads back: "250ms", "8s", "2m". */
void duration_format(int64_t ms, char *buf, size_t size);

#endif
