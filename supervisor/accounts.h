#ifndef INITD_ACCOUNTS_H
#define INITD_ACCOUNTS_H

/* Lookups in the text of /etc/passwd and /etc/group. A container image has no
 * name service but these files, and reading them directly keeps musl's nscd
 * client and stdio out of a binary that must stay small. */

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct account {
	char name[64];
	uid_t uid;
	gid_t gid;
};

/* By name when name != NULL, else by uid. */
bool passwd_find(const char *text, size_t len, const char *name, uid_t uid, struct account *out);

bool group_find(const char *text, size_t len, const char *name, gid_t *gid);

/* primary first, then every group listing user as a member, without repeats.
 * Returns the count, or -1 when more than max. */
int group_memberships(const char *text, size_t len, const char *user, gid_t primary, gid_t *groups, int max);

#endif
