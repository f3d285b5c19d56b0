#ifndef INITD_CAPNAMES_H
#define INITD_CAPNAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Capabilities 0..63: one bit each of a uint64_t mask. */
#define CAP_MASK_BITS 64

/* "net_bind_service,cap_setuid" or "none" to a mask with bit N for capability N.
 * Names are the kernel's (and libcap's), in any case, with or without the
 * "cap_" prefix. On failure the first offending name is copied to bad. */
bool capnames_parse(const char *list, uint64_t *mask, char *bad, size_t badsize);

/* Every name in number order, each ended by a NUL, the list by an empty one. */
extern const char capnames_table[];

#endif
