/* --caps lists: the kernel's (and libcap's) names, any case, "cap_" optional, or "none". */
#include <criterion/criterion.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>

#include "supervisor/capnames.h"

#define BIT(n) (UINT64_C(1) << (n))

/* Capability numbers from linux/capability.h, written out on purpose. */
enum { CHOWN = 0, DAC_OVERRIDE = 1, FOWNER = 3, KILL = 5, SETGID = 6, SETUID = 7, NET_BIND_SERVICE = 10,
       NET_ADMIN = 12, NET_RAW = 13, SYS_CHROOT = 18, SYS_ADMIN = 21, AUDIT_READ = 37, CHECKPOINT_RESTORE = 40 };

static bool parse(const char *list, uint64_t *mask, char *bad)
{
	*mask = UINT64_C(0xdeadbeef);
	strcpy(bad, "untouched");
	return capnames_parse(list, mask, bad, 48);
}

Test(capnames, one_name_with_and_without_prefix)
{
	uint64_t mask;
	char bad[48];

	cr_assert(parse("net_bind_service", &mask, bad), "bad '%s'", bad);
	cr_assert_eq(mask, BIT(NET_BIND_SERVICE));
	cr_assert(parse("cap_net_bind_service", &mask, bad), "bad '%s'", bad);
	cr_assert_eq(mask, BIT(NET_BIND_SERVICE));
	cr_assert(parse("chown", &mask, bad), "bad '%s'", bad);
	cr_assert_eq(mask, BIT(CHOWN));
	cr_assert(parse("cap_checkpoint_restore", &mask, bad), "bad '%s'", bad);
	cr_assert_eq(mask, BIT(CHECKPOINT_RESTORE));
}

Test(capnames, any_case)
{
	static const char *const spellings[] = { "NET_BIND_SERVICE", "Net_Bind_Service", "CAP_NET_BIND_SERVICE",
						 "Cap_net_bind_service", "cAp_NeT_bInD_sErViCe" };
	uint64_t mask;
	char bad[48];

	for (size_t i = 0; i < sizeof spellings / sizeof spellings[0]; i++) {
		cr_expect(parse(spellings[i], &mask, bad), "'%s' rejected", spellings[i]);
		cr_expect_eq(mask, BIT(NET_BIND_SERVICE), "'%s'", spellings[i]);
	}
}

Test(capnames, list)
{
	uint64_t mask;
	char bad[48];

	cr_assert(parse("chown,dac_override,CAP_FOWNER,kill,setgid,setuid,net_bind_service,net_admin,net_raw,"
			"sys_chroot,sys_admin,audit_read",
			&mask, bad),
		  "bad '%s'", bad);
	cr_assert_eq(mask, BIT(CHOWN) | BIT(DAC_OVERRIDE) | BIT(FOWNER) | BIT(KILL) | BIT(SETGID) | BIT(SETUID) |
				   BIT(NET_BIND_SERVICE) | BIT(NET_ADMIN) | BIT(NET_RAW) | BIT(SYS_CHROOT) |
				   BIT(SYS_ADMIN) | BIT(AUDIT_READ));
}

Test(capnames, repeated_name_is_harmless)
{
	uint64_t mask;
	char bad[48];

	cr_assert(parse("kill,cap_kill,KILL", &mask, bad), "bad '%s'", bad);
	cr_assert_eq(mask, BIT(KILL));
}

Test(capnames, none)
{
	static const char *const spellings[] = { "none", "NONE", "None" };
	uint64_t mask;
	char bad[48];

	for (size_t i = 0; i < 3; i++) {
		cr_expect(parse(spellings[i], &mask, bad), "'%s' rejected", spellings[i]);
		cr_expect_eq(mask, UINT64_C(0), "'%s'", spellings[i]);
	}
}

Test(capnames, unknown_name_is_reported)
{
	uint64_t mask;
	char bad[48];

	cr_assert_not(parse("net_bind_service,cap_fly,chown", &mask, bad));
	cr_assert_str_eq(bad, "cap_fly");
	cr_assert_eq(mask, UINT64_C(0xdeadbeef), "the mask is left alone on failure");
	cr_assert_not(parse("fly", &mask, bad));
	cr_assert_str_eq(bad, "fly");
	cr_assert_not(parse("net_bind_servic", &mask, bad));
	cr_assert_str_eq(bad, "net_bind_servic");
	cr_assert_not(parse("chown,net-bind-service", &mask, bad));
	cr_assert_str_eq(bad, "net-bind-service");
}

Test(capnames, not_names)
{
	static const char *const bad_lists[] = { "cap_", "cap", "0", "10", "cap_10", "all", "cap_all",
						 "chown ", " chown", "chown;kill", "none,chown", "chown,none",
						 "=ep", "cap_chown=ep", "cap_cap_chown", "all=ep" };
	uint64_t mask;
	char bad[48];

	for (size_t i = 0; i < sizeof bad_lists / sizeof bad_lists[0]; i++)
		cr_expect_not(parse(bad_lists[i], &mask, bad), "'%s' accepted as %#llx", bad_lists[i],
			      (unsigned long long)mask);
}

Test(capnames, empty_items)
{
	uint64_t mask;
	char bad[48];

	cr_assert_not(parse("", &mask, bad), "an empty list");
	cr_assert_str_eq(bad, "");
	cr_assert_not(parse("chown,", &mask, bad), "a trailing comma");
	cr_assert_str_eq(bad, "");
	cr_assert_not(parse(",chown", &mask, bad), "a leading comma");
	cr_assert_not(parse("chown,,kill", &mask, bad), "an empty item");
	cr_assert_not(parse(",", &mask, bad));
}

Test(capnames, very_long_name_truncated_in_report)
{
	char list[200];
	uint64_t mask;
	char bad[8];

	memset(list, 'a', sizeof list - 1);
	list[sizeof list - 1] = '\0';
	strcpy(bad, "xxxxxxx");
	cr_assert_not(capnames_parse(list, &mask, bad, sizeof bad));
	cr_assert_str_eq(bad, "aaaaaaa");
}

/* initd's own table against libcap's names and the kernel's count: a capability
 * the kernel adds shows here first. */
Test(capnames, table_is_libcaps_and_the_kernels)
{
	int number = 0;

	for (const char *entry = capnames_table; *entry != '\0'; entry += strlen(entry) + 1, number++) {
		char name[64];
		cap_value_t value;
		snprintf(name, sizeof name, "cap_%s", entry);
		cr_expect(cap_from_name(name, &value) == 0 && value == number, "%s is %d in libcap, %d here",
			  name, (int)value, number);
	}
	cr_expect_eq(number, CAP_LAST_CAP + 1, "%d names for %d capabilities", number, CAP_LAST_CAP + 1);
}
