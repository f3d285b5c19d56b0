/* Users and groups read from the text of /etc/passwd and /etc/group. */
#include <criterion/criterion.h>

#include <string.h>

#include "supervisor/accounts.h"

static const char passwd[] = "root:x:0:0:root:/root:/bin/sh\n"
			     "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
			     "# a comment\n"
			     "\n"
			     "broken line\n"
			     "bad:x:abc:1::/:/bin/false\n"
			     "www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\n"
			     "nginx:x:101:101:nginx user,,,:/nonexistent:/bin/false\n"
			     "twin:x:33:7::/:/bin/false\n"
			     "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin";

static const char group[] = "root:x:0:\n"
			    "adm:x:4:syslog,nginx\n"
			    "www-data:x:33:\n"
			    "nginx:x:101:\n"
			    "video:x:44:alice,nginx,bob\n"
			    "audio:x:29:nginxx,xnginx\n"
			    "weird:x:notanumber:nginx\n"
			    "staff:x:50:alice\n"
			    "nogroup:x:65534:";

Test(accounts, passwd_by_name)
{
	struct account a;

	cr_assert(passwd_find(passwd, strlen(passwd), "nginx", 0, &a));
	cr_expect_str_eq(a.name, "nginx");
	cr_expect_eq(a.uid, 101u);
	cr_expect_eq(a.gid, 101u);
	cr_assert(passwd_find(passwd, strlen(passwd), "root", 12345, &a));
	cr_expect_eq(a.uid, 0u);
	cr_expect_eq(a.gid, 0u);
	cr_assert(passwd_find(passwd, strlen(passwd), "nobody", 0, &a), "last line without a newline");
	cr_expect_eq(a.uid, 65534u);
	cr_expect_eq(a.gid, 65534u);
}

Test(accounts, passwd_by_uid_first_match)
{
	struct account a;

	cr_assert(passwd_find(passwd, strlen(passwd), NULL, 33, &a));
	cr_expect_str_eq(a.name, "www-data");
	cr_expect_eq(a.gid, 33u);
	cr_assert(passwd_find(passwd, strlen(passwd), NULL, 0, &a));
	cr_expect_str_eq(a.name, "root");
}

Test(accounts, passwd_not_found)
{
	struct account a;

	cr_assert_not(passwd_find(passwd, strlen(passwd), "ngin", 0, &a), "a prefix is not a name");
	cr_assert_not(passwd_find(passwd, strlen(passwd), "nginxx", 0, &a));
	cr_assert_not(passwd_find(passwd, strlen(passwd), "bad", 0, &a), "a line with a bad uid");
	cr_assert_not(passwd_find(passwd, strlen(passwd), "broken line", 0, &a));
	cr_assert_not(passwd_find(passwd, strlen(passwd), NULL, 4242, &a));
	cr_assert_not(passwd_find(passwd, strlen(passwd), "x", 0, &a), "a password field is not a name");
	cr_assert_not(passwd_find("", 0, "root", 0, &a));
}

Test(accounts, passwd_respects_len)
{
	struct account a;
	const char *nobody = strstr(passwd, "nobody");

	cr_assert_not_null(nobody);
	cr_assert_not(passwd_find(passwd, (size_t)(nobody - passwd), "nobody", 0, &a));
	/* Cut inside the line: "nobody:x:655" has no gid field, so it is no entry. */
	cr_assert_not(passwd_find(passwd, (size_t)(nobody - passwd) + 12, "nobody", 0, &a));
	cr_assert(passwd_find(passwd, strlen(passwd), "nobody", 0, &a));
}

Test(accounts, group_by_name)
{
	gid_t gid = 999;

	cr_assert(group_find(group, strlen(group), "adm", &gid));
	cr_expect_eq(gid, 4u);
	cr_assert(group_find(group, strlen(group), "nogroup", &gid), "last line without a newline");
	cr_expect_eq(gid, 65534u);
	cr_assert(group_find(group, strlen(group), "root", &gid));
	cr_expect_eq(gid, 0u);
}

Test(accounts, group_not_found)
{
	gid_t gid = 999;

	cr_assert_not(group_find(group, strlen(group), "ad", &gid));
	cr_assert_not(group_find(group, strlen(group), "weird", &gid), "a bad gid");
	cr_assert_not(group_find(group, strlen(group), "missing", &gid));
	cr_assert_eq(gid, 999u);
}

Test(accounts, memberships_primary_first_no_repeats)
{
	gid_t groups[8];

	int n = group_memberships(group, strlen(group), "nginx", 101, groups, 8);
	cr_assert_eq(n, 3, "primary, adm, video (got %d)", n);
	cr_expect_eq(groups[0], 101u);
	cr_expect_eq(groups[1], 4u);
	cr_expect_eq(groups[2], 44u);
}

Test(accounts, memberships_exact_names_only)
{
	gid_t groups[8];

	/* "nginxx" and "xnginx" in audio are other users. */
	int n = group_memberships(group, strlen(group), "nginx", 101, groups, 8);
	for (int i = 0; i < n; i++)
		cr_expect_neq(groups[i], 29u);
	n = group_memberships(group, strlen(group), "alice", 1000, groups, 8);
	cr_assert_eq(n, 3);
	cr_expect_eq(groups[0], 1000u);
	cr_expect_eq(groups[1], 44u);
	cr_expect_eq(groups[2], 50u);
}

Test(accounts, memberships_primary_also_listed)
{
	gid_t groups[8];

	int n = group_memberships(group, strlen(group), "alice", 50, groups, 8);
	cr_assert_eq(n, 2);
	cr_expect_eq(groups[0], 50u);
	cr_expect_eq(groups[1], 44u);
}

Test(accounts, memberships_none)
{
	gid_t groups[8];

	int n = group_memberships(group, strlen(group), "nobody", 65534, groups, 8);
	cr_assert_eq(n, 1);
	cr_expect_eq(groups[0], 65534u);
}

Test(accounts, memberships_too_many)
{
	gid_t groups[2];

	cr_assert_eq(group_memberships(group, strlen(group), "nginx", 101, groups, 2), -1);
	cr_assert_eq(group_memberships(group, strlen(group), "nginx", 101, groups, 0), -1);
}

/* Found by fuzz_accounts: a NUL inside a name field came back as a shorter name,
 * so uid 1000 below was reported as "root" and would have been given root's
 * supplementary groups. Such an entry is skipped like any malformed line. */
Test(accounts, nul_in_name_is_not_a_shorter_name)
{
	static const char text[] = "root\0evil:x:1000:1000::/:/bin/sh\n"
				   "user:x:1000:1000::/home/user:/bin/sh\n";
	struct account a;

	cr_assert(passwd_find(text, sizeof text - 1, NULL, 1000, &a));
	cr_expect_str_eq(a.name, "user");
	cr_expect_not(passwd_find(text, 33, NULL, 1000, &a), "the NUL entry alone matches nothing");
}
