#ifndef INITD_STATUSFILE_H
#define INITD_STATUSFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "supervisor/status.h"

/* status_format's text goes to PATH.tmp, which is then exchanged with PATH
 * (renamed over it the first time): whoever opens PATH sees a whole record.
 * PATH.tmp keeps the previous one and is rewritten in place next time. A
 * failure is reported once; status is a convenience, never a reason to fail
 * the service. */
void statusfile_write(const char *path, const char *text, size_t len);

/* Returns false with a message (no prefix) in err. */
bool statusfile_read(const char *path, struct status_record *rec, char *err, size_t errsize);

#endif
