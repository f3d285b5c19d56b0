#ifndef INITD_ERRTEXT_H
#define INITD_ERRTEXT_H

#include <stddef.h>

/* strerror for the errors initd can meet (exec, fork, files, sockets, the
 * privilege drop), in glibc's words; "error N" for the rest. musl's strerror
 * brings a table of every errno, a twentieth of the static binary. */
const char *error_text(int error, char *buf, size_t size);

/* The same, for a log line: one call per message, so one buffer will do. */
const char *error_words(int error);

#endif
