/* --user=USER[:GROUP]: both parts non-empty, one colon at most, no white space. */
#include <criterion/criterion.h>

#include <string.h>

#include "supervisor/userspec.h"

Test(userspec, user_only)
{
	char user[64] = "x", group[64] = "x";

	cr_assert(userspec_split("nginx", user, sizeof user, group, sizeof group));
	cr_assert_str_eq(user, "nginx");
	cr_assert_str_eq(group, "", "no GROUP given");
}

Test(userspec, user_and_group)
{
	char user[64], group[64];

	cr_assert(userspec_split("www-data:adm", user, sizeof user, group, sizeof group));
	cr_assert_str_eq(user, "www-data");
	cr_assert_str_eq(group, "adm");
}

Test(userspec, numbers)
{
	char user[64], group[64];

	cr_assert(userspec_split("1000:1000", user, sizeof user, group, sizeof group));
	cr_assert_str_eq(user, "1000");
	cr_assert_str_eq(group, "1000");
	cr_assert(userspec_split("65534", user, sizeof user, group, sizeof group));
	cr_assert_str_eq(user, "65534");
	cr_assert_str_eq(group, "");
	cr_assert(userspec_split("0:0", user, sizeof user, group, sizeof group));
	cr_assert_str_eq(user, "0");
	cr_assert_str_eq(group, "0");
}

Test(userspec, malformed)
{
	static const char *const bad[] = { "",      ":",      ":grp",   "usr:",   "a:b:c",  "a::b",
					   "a b",   "a:b c",  " a",     "a\t",    "a\n",    "a:\tb",
					   "::",    "usr: grp" };

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char user[64] = "keep", group[64] = "keep";
		cr_expect_not(userspec_split(bad[i], user, sizeof user, group, sizeof group), "'%s' accepted", bad[i]);
	}
}

Test(userspec, too_long_for_the_buffers)
{
	char user[8], group[8];

	cr_assert(userspec_split("seven77:group77", user, sizeof user, group, sizeof group));
	cr_assert_str_eq(user, "seven77");
	cr_assert_str_eq(group, "group77");
	cr_assert_not(userspec_split("eight888", user, sizeof user, group, sizeof group));
	cr_assert_not(userspec_split("u:eight888", user, sizeof user, group, sizeof group));
}
