#ifndef INITD_FMT_H
#define INITD_FMT_H

#include <stdarg.h>
#include <stddef.h>

/* A small snprintf: %s %.*s %c %% and %d %u %ld %lu %lld %llu with an optional
 * width and '0' flag (%03lld). musl's printf brings floating point and wide
 * characters that initd never prints, a fifth of the binary. Always terminates
 * the buffer (when size > 0) and returns the length written, truncated to fit. */
size_t fmt(char *buf, size_t size, const char *format, ...) __attribute__((format(printf, 3, 4)));
size_t fmt_v(char *buf, size_t size, const char *format, va_list ap);

#endif
