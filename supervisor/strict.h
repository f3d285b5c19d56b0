#ifndef INITD_STRICT_H
#define INITD_STRICT_H

#include <stdbool.h>
#include <stddef.h>

/* Whole-string decimal parse: no sign, no spaces, no trailing text, no overflow. */
bool parse_unsigned(const char *text, unsigned long max, unsigned long *out);

/* Yes/no words of environment variables: 1/0, yes/no, true/false, on/off. */
bool parse_bool(const char *text, bool *out);

/* Case-insensitive ASCII comparison, independent of the locale. */
bool ascii_equal_nocase(const char *a, const char *b);

/* The n bytes at src as a string in dst; false, dst untouched, when they and
 * the terminator do not fit in size bytes. One copy for the parsers' fields. */
bool copy_span(char *dst, size_t size, const char *src, size_t n);

/* Copy at most size-1 bytes and always terminate; never fails. */
void copy_truncated(char *dst, size_t size, const char *src);

#endif
