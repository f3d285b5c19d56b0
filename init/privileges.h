#ifndef INITD_PRIVILEGES_H
#define INITD_PRIVILEGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "supervisor/credentials.h"

/* Resolves USER[:GROUP] with the user and group databases, before anything runs,
 * so that a typo is a clear error instead of a crash loop. Returns false with a
 * message (no prefix) in err. */
bool privileges_resolve(const char *userspec, bool caps_given, uint64_t caps,
			struct privileges *out, char *err, size_t errsize);

/* In the child, before exec: bounding set, groups, gid, uid, then the kept
 * capabilities (ambient across the uid change) and no_new_privs. Returns false
 * with errno set. */
bool privileges_apply(const struct privileges *p);

#endif
