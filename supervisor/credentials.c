#include "supervisor/credentials.h"

#include <string.h>

#include "supervisor/accounts.h"
#include "supervisor/fmt.h"
#include "supervisor/strict.h"
#include "supervisor/userspec.h"

/* (uid_t)-1 is no id: setuid and setgroups read it as "leave unchanged". */
#define ID_MAX ((unsigned long)(uid_t)-1 - 1)

static bool numeric_id(const char *text, unsigned long *id)
{
	return parse_unsigned(text, ID_MAX, id);
}

bool credentials_resolve(const struct user_names *names, const struct account_texts *db,
			 struct privileges *out, char *err, size_t errsize)
{
	const char *user = names->user, *group = names->group;
	struct account acct;
	unsigned long id;
	bool known = passwd_find(db->passwd, db->passwd_len, user, 0, &acct) ||
		     (numeric_id(user, &id) && passwd_find(db->passwd, db->passwd_len, NULL, (uid_t)id, &acct));

	if (known) {
		out->uid = acct.uid;
		out->gid = acct.gid;
	} else if (numeric_id(user, &id)) {
		/* A uid without an account: its own number as gid, never root's group. */
		out->uid = (uid_t)id;
		out->gid = (gid_t)id;
	} else {
		fmt(err, errsize, "unknown user '%s'", user);
		return false;
	}
	if (group[0] != '\0') {
		if (!group_find(db->group, db->group_len, group, &out->gid)) {
			if (!numeric_id(group, &id)) {
				fmt(err, errsize, "unknown group '%s'", group);
				return false;
			}
			out->gid = (gid_t)id;
		}
	}
	out->ngroups = group_memberships(db->group, db->group_len, known ? acct.name : "", out->gid,
					 out->groups, MAX_GROUPS);
	if (out->ngroups < 0) {
		fmt(err, errsize, "user '%s' is in more than %d groups", user, MAX_GROUPS);
		return false;
	}
	return true;
}

bool credentials_begin(const char *userspec, bool caps_given, uint64_t caps, struct privileges *out,
		       struct user_names *names, char *err, size_t errsize)
{
	memset(out, 0, sizeof *out);
	out->change_caps = caps_given || userspec != NULL;
	out->keep = caps_given ? caps : 0;
	if (userspec == NULL)
		return true;
	if (!userspec_split(userspec, names->user, sizeof names->user, names->group, sizeof names->group)) {
		fmt(err, errsize, "bad user '%s'", userspec);
		return false;
	}
	out->change_user = true;
	return true;
}
