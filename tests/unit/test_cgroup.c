/* The memory cgroup's files, read as text: where the cgroup is (from
 * /proc/self/cgroup), its oom_kill counter, its limit, and the size in words.
 * Every text is passed as an exact-size heap copy, so that ASan sees any read
 * past its length. */
#include <criterion/criterion.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "supervisor/cgroup.h"

/* An exact-size copy of text, without its terminator; free() it. */
static char *bytes_of(const char *text, size_t *len)
{
	size_t n = strlen(text);
	char *copy = malloc(n == 0 ? 1 : n);

	cr_assert_not_null(copy);
	memcpy(copy, text, n);
	*len = n;
	return copy;
}

static bool memory_path(const char *text, char *path, size_t size, bool *v1)
{
	size_t len;
	char *copy = bytes_of(text, &len);
	bool ok = cgroup_memory_path(copy, len, path, size, v1);

	free(copy);
	return ok;
}

static bool oom_kills(const char *text, uint64_t *count)
{
	size_t len;
	char *copy = bytes_of(text, &len);
	bool ok = cgroup_oom_kills(copy, len, count);

	free(copy);
	return ok;
}

static bool memory_limit(const char *text, uint64_t *bytes)
{
	size_t len;
	char *copy = bytes_of(text, &len);
	bool ok = cgroup_memory_limit(copy, len, bytes);

	free(copy);
	return ok;
}

#define expect_path(text, want, want_v1)                                                                  \
	do {                                                                                              \
		char path_[256];                                                                          \
		bool v1_ = !(want_v1);                                                                    \
		cr_expect(memory_path((text), path_, sizeof path_, &v1_), "line %d: found", __LINE__);    \
		cr_expect_str_eq(path_, (want), "line %d: path \"%s\", want \"%s\"", __LINE__, path_, (want)); \
		cr_expect_eq(v1_, (want_v1), "line %d: v1 %d, want %d", __LINE__, v1_, (want_v1));         \
	} while (0)

#define expect_size(bytes, want)                                                                      \
	do {                                                                                          \
		char buf_[32];                                                                        \
		cgroup_format_size((bytes), buf_, sizeof buf_);                                       \
		cr_expect_str_eq(buf_, (want), "line %d: %llu -> \"%s\", want \"%s\"", __LINE__,      \
				 (unsigned long long)(bytes), buf_, (want));                          \
	} while (0)

/* ------------------------------------------------------------------------- */
/* cgroup_memory_path */

Test(cgroup, v1_memory_line)
{
	expect_path("12:memory:/docker/abc\n11:cpu:/docker/abc\n1:name=systemd:/docker/abc\n", "/docker/abc", true);
	expect_path("3:cpuset:/a\n12:memory:/docker/abc\n11:pids:/b\n", "/docker/abc", true);
	expect_path("12:memory:/\n", "/", true);
}

Test(cgroup, v1_last_line_without_newline)
{
	expect_path("11:cpu:/x\n12:memory:/docker/abc", "/docker/abc", true);
}

Test(cgroup, v1_combined_controller_list)
{
	expect_path("4:cpu,memory:/x\n", "/x", true);
	expect_path("4:memory,cpu:/y\n", "/y", true);
	expect_path("4:cpu,memory,blkio:/z\n", "/z", true);
}

Test(cgroup, v1_controller_name_must_match_whole)
{
	char path[64];
	bool v1 = true;

	cr_expect_not(memory_path("4:memoryx:/a\n5:xmemory:/b\n6:cpu,memor:/c\n7:name=memory:/d\n", path, sizeof path,
				  &v1));
	cr_expect_not(v1);
}

Test(cgroup, v1_path_may_hold_colons)
{
	expect_path("12:memory:/a:b:c\n", "/a:b:c", true);
}

Test(cgroup, v2_unified_line)
{
	expect_path("0::/system.slice/docker-abc.scope\n", "/system.slice/docker-abc.scope", false);
	expect_path("0::/system.slice/docker-abc.scope", "/system.slice/docker-abc.scope", false);
	expect_path("0::/\n", "/", false);
}

Test(cgroup, hybrid_v1_memory_wins)
{
	expect_path("12:memory:/docker/abc\n1:name=systemd:/docker/abc\n0::/docker/abc-unified\n", "/docker/abc", true);
	expect_path("0::/unified\n12:memory:/docker/abc\n", "/docker/abc", true);
}

Test(cgroup, neither_listed)
{
	char path[64];
	bool v1 = true;

	cr_expect_not(memory_path("1:name=systemd:/x\n2:cpu:/y\n", path, sizeof path, &v1));
	cr_expect_not(v1);
	v1 = true;
	cr_expect_not(memory_path("", path, sizeof path, &v1));
	cr_expect_not(v1);
	cr_expect_not(memory_path("\n\n", path, sizeof path, &v1));
	cr_expect_not(memory_path("garbage without colons\n", path, sizeof path, &v1));
	cr_expect_not(memory_path("1::/not-the-unified-hierarchy\n", path, sizeof path, &v1));
}

Test(cgroup, path_too_long_for_the_buffer)
{
	char path[8];
	bool v1;

	cr_expect_not(memory_path("12:memory:/docker/abcdef\n", path, sizeof path, &v1), "v1");
	cr_expect_not(memory_path("0::/system.slice/x\n", path, sizeof path, &v1), "v2");
}

Test(cgroup, path_exactly_fits)
{
	char path[8];
	bool v1 = false;

	/* 7 characters and the terminator. */
	cr_expect(memory_path("12:memory:/abcdef\n", path, sizeof path, &v1));
	cr_expect_str_eq(path, "/abcdef");
	cr_expect(v1);
	cr_expect(memory_path("0::/abcdef\n", path, sizeof path, &v1));
	cr_expect_str_eq(path, "/abcdef");
	cr_expect_not(v1);
	cr_expect_not(memory_path("12:memory:/abcdefg\n", path, sizeof path, &v1), "one more does not");
	cr_expect_not(memory_path("0::/abcdefg\n", path, sizeof path, &v1), "one more does not");
}

/* On a hybrid host a v1 memory path too long for the buffer is no answer, not
 * a reason to fall back to the v2 "0::" line: the unified hierarchy has no
 * memory controller there. (A regression test: it once did fall back.) */
Test(cgroup, hybrid_v1_path_too_long_is_not_the_v2_path)
{
	char path[8];
	bool v1 = false;

	cr_expect_not(memory_path("12:memory:/docker/abcdef\n0::/\n", path, sizeof path, &v1),
		      "got \"%s\" (v1 %d): the v2 path stands in for a v1 memory cgroup", path, v1);
}

/* ------------------------------------------------------------------------- */
/* cgroup_oom_kills */

Test(cgroup, oom_kills_v2_memory_events)
{
	uint64_t n = 99;

	cr_expect(oom_kills("low 0\nhigh 0\nmax 12\noom 3\noom_kill 2\noom_group_kill 0\n", &n));
	cr_expect_eq(n, 2u, "oom_kill, not oom (3) nor oom_group_kill: %llu", (unsigned long long)n);
}

Test(cgroup, oom_kills_v1_oom_control)
{
	uint64_t n = 99;

	cr_expect(oom_kills("oom_kill_disable 0\nunder_oom 0\noom_kill 7\n", &n));
	cr_expect_eq(n, 7u, "%llu", (unsigned long long)n);
}

Test(cgroup, oom_kills_last_line_without_newline)
{
	uint64_t n = 99;

	cr_expect(oom_kills("oom 1\noom_kill 5", &n));
	cr_expect_eq(n, 5u);
	cr_expect(oom_kills("oom_kill 0\n", &n));
	cr_expect_eq(n, 0u);
	cr_expect(oom_kills("oom_kill 18446744073709551615\n", &n));
	cr_expect_eq(n, UINT64_MAX);
}

Test(cgroup, oom_kills_none_present)
{
	uint64_t n = 99;

	cr_expect_not(oom_kills("low 0\nhigh 0\nmax 0\noom 0\n", &n));
	cr_expect_not(oom_kills("", &n));
	cr_expect_not(oom_kills("oom_kill_disable 0", &n), "oom_kill_disable is not oom_kill");
	cr_expect_not(oom_kills("oom_kill_disable 0\n", &n));
	cr_expect_not(oom_kills("oom_kill_disable 0\nunder_oom 0\n", &n));
	cr_expect_not(oom_kills("oom_group_kill 4\n", &n));
	cr_expect_not(oom_kills(" oom_kill 4\n", &n));
	cr_expect_eq(n, 99u, "unchanged when absent");
}

Test(cgroup, oom_kills_bad_number)
{
	uint64_t n = 99;

	cr_expect_not(oom_kills("oom_kill x\n", &n));
	cr_expect_not(oom_kills("oom_kill \n", &n));
	cr_expect_not(oom_kills("oom_kill -1\n", &n));
	cr_expect_not(oom_kills("oom_kill  2\n", &n));
	cr_expect_not(oom_kills("oom_kill 2 \n", &n));
	cr_expect_not(oom_kills("oom_kill 18446744073709551616\n", &n));
	cr_expect_not(oom_kills("oom_kill 123456789012345678901234567890\n", &n));
}

/* ------------------------------------------------------------------------- */
/* cgroup_memory_limit */

Test(cgroup, limit_max_is_none)
{
	uint64_t b = 99;

	cr_expect(memory_limit("max\n", &b));
	cr_expect_eq(b, 0u);
	b = 99;
	cr_expect(memory_limit("max", &b));
	cr_expect_eq(b, 0u);
}

Test(cgroup, limit_in_bytes)
{
	uint64_t b = 0;

	cr_expect(memory_limit("67108864\n", &b));
	cr_expect_eq(b, 67108864u);
	cr_expect(memory_limit("67108864", &b));
	cr_expect_eq(b, 67108864u);
	cr_expect(memory_limit("4096\n", &b));
	cr_expect_eq(b, 4096u);
	cr_expect(memory_limit("4611686018427387903\n", &b), "just under 2^62 is a limit");
	cr_expect_eq(b, 4611686018427387903u);
}

Test(cgroup, limit_v1_no_limit)
{
	uint64_t b = 99;

	cr_expect(memory_limit("9223372036854771712\n", &b));
	cr_expect_eq(b, 0u, "%llu", (unsigned long long)b);
	b = 99;
	cr_expect(memory_limit("9223372036854775807\n", &b));
	cr_expect_eq(b, 0u);
}

Test(cgroup, limit_garbage)
{
	uint64_t b;
	static const char *const bad[] = { "", "\n", "abc\n", "-1\n", " 4096\n", "4096 \n", "4k\n", "MAX\n",
					   "max 1\n", "18446744073709551616\n", "123456789012345678901234567890\n" };

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		cr_expect_not(memory_limit(bad[i], &b), "\"%s\"", bad[i]);
}

/* ------------------------------------------------------------------------- */
/* cgroup_format_size */

Test(cgroup, format_bytes)
{
	expect_size(0, "0 bytes");
	expect_size(100, "100 bytes");
	expect_size(1023, "1023 bytes");
}

Test(cgroup, format_units)
{
	expect_size(1024, "1 KiB");
	expect_size(1536, "1.5 KiB");
	expect_size(65536, "64 KiB");
	expect_size(512 * 1024, "512 KiB");
	expect_size(1048576, "1 MiB");
	expect_size(67108864, "64 MiB");
	expect_size(1536ULL * 1024 * 1024, "1.5 GiB");
	expect_size(1ULL << 30, "1 GiB");
	expect_size(1ULL << 40, "1 TiB");
	expect_size(3ULL << 40, "3 TiB");
}

Test(cgroup, format_tenths_never_round_up_to_the_next_unit)
{
	expect_size(1048575, "1023.9 KiB");
	expect_size(67108864 + 1, "64 MiB");
}

Test(cgroup, format_large_values_do_not_overflow)
{
	expect_size(4611686018427387903ULL, "4194303.9 TiB");
	expect_size(UINT64_MAX, "16777215.9 TiB");
	expect_size(1ULL << 50, "1024 TiB");
}

Test(cgroup, format_small_buffer_terminates)
{
	char buf[4];

	memset(buf, 'x', sizeof buf);
	cgroup_format_size(67108864, buf, sizeof buf);
	cr_expect_eq(buf[sizeof buf - 1], '\0');
	cr_expect_str_eq(buf, "64 ");
}
