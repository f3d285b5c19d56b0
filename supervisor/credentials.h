#ifndef INITD_CREDENTIALS_H
#define INITD_CREDENTIALS_H

/* Who the service runs as, decided from --user, --caps and the text of the
 * user and group databases; reading those files and applying the result are
 * init/privileges.c's. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "supervisor/userspec.h"

#define MAX_GROUPS 256

struct privileges {
	bool change_user;
	uid_t uid;
	gid_t gid;
	int ngroups;
	gid_t groups[MAX_GROUPS];
	bool change_caps;
	uint64_t keep; /* capabilities the service keeps */
};

/* USER and GROUP of a USER[:GROUP], GROUP "" when absent. */
struct user_names {
	char user[USERSPEC_PART_MAX];
	char group[USERSPEC_PART_MAX];
};

/* /etc/passwd and /etc/group as read, not NUL-terminated; empty when missing. */
struct account_texts {
	const char *passwd;
	size_t passwd_len;
	const char *group;
	size_t group_len;
};

/* Fills out from the options alone, and names from userspec. Returns false with
 * a message (no prefix) in err when userspec cannot be a USER[:GROUP].
 * out->change_user then says whether the databases are needed, for
 * credentials_resolve. */
bool credentials_begin(const char *userspec, bool caps_given, uint64_t caps, struct privileges *out,
		       struct user_names *names, char *err, size_t errsize);

/* Resolves USER[:GROUP] against the databases into out's ids and groups. Returns
 * false with a message (no prefix) in err. */
bool credentials_resolve(const struct user_names *names, const struct account_texts *db,
			 struct privileges *out, char *err, size_t errsize);

#endif
