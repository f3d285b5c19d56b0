/* Descendants of a process from (pid, ppid) pairs, and the parent from /proc/PID/stat. */
#include <criterion/criterion.h>

#include <stdbool.h>
#include <string.h>

#include "supervisor/descendants.h"

#define NPROC(a) (sizeof(a) / sizeof((a)[0]))

static bool contains(const pid_t *set, size_t n, pid_t pid)
{
	for (size_t i = 0; i < n; i++)
		if (set[i] == pid)
			return true;
	return false;
}

/* out holds exactly the pids of want, each once. */
static void expect_set(const pid_t *out, size_t n, const pid_t *want, size_t nwant)
{
	cr_expect_eq(n, nwant, "found %zu, want %zu", n, nwant);
	for (size_t i = 0; i < nwant; i++)
		cr_expect(contains(out, n, want[i]), "%d missing", (int)want[i]);
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			cr_expect_neq(out[i], out[j], "%d found twice", (int)out[i]);
}

Test(descendants, chain)
{
	static const pid_t pids[] = { 1, 10, 20, 30 };
	static const pid_t ppids[] = { 0, 1, 10, 20 };
	pid_t out[4];

	size_t n = descendants_of(1, pids, ppids, NPROC(pids), out);
	cr_assert_eq(n, 3u);
	cr_expect_eq(out[0], 10);
	cr_expect_eq(out[1], 20);
	cr_expect_eq(out[2], 30);
}

Test(descendants, chain_listed_backwards)
{
	static const pid_t pids[] = { 30, 20, 10, 1 };
	static const pid_t ppids[] = { 20, 10, 1, 0 };
	static const pid_t want[] = { 10, 20, 30 };
	pid_t out[4];

	size_t n = descendants_of(1, pids, ppids, NPROC(pids), out);
	expect_set(out, n, want, NPROC(want));
	cr_expect_eq(out[0], 10, "the child is found first");
	cr_expect_eq(out[2], 30);
}

Test(descendants, middle_of_chain)
{
	static const pid_t pids[] = { 1, 10, 20, 30 };
	static const pid_t ppids[] = { 0, 1, 10, 20 };
	static const pid_t want[] = { 30 };
	pid_t out[4];

	size_t n = descendants_of(20, pids, ppids, NPROC(pids), out);
	expect_set(out, n, want, NPROC(want));
	cr_expect_eq(descendants_of(30, pids, ppids, NPROC(pids), out), 0u, "a leaf has none");
}

Test(descendants, siblings_and_their_children)
{
	static const pid_t pids[] = { 1, 10, 11, 12, 13, 14, 15 };
	static const pid_t ppids[] = { 0, 1, 1, 1, 11, 13, 12 };
	static const pid_t want[] = { 10, 11, 12, 13, 14, 15 };
	pid_t out[7];

	size_t n = descendants_of(1, pids, ppids, NPROC(pids), out);
	expect_set(out, n, want, NPROC(want));
}

Test(descendants, unrelated_processes_left_out)
{
	/* root 5 has 6 and 7 (7 a child of 6); 2 and 3 and their children are someone else's. */
	static const pid_t pids[] = { 1, 2, 3, 5, 6, 7, 8, 9 };
	static const pid_t ppids[] = { 0, 1, 2, 1, 5, 6, 2, 3 };
	static const pid_t want[] = { 6, 7 };
	pid_t out[8];

	size_t n = descendants_of(5, pids, ppids, NPROC(pids), out);
	expect_set(out, n, want, NPROC(want));
	cr_expect_not(contains(out, n, 5), "the root is not its own descendant");
	cr_expect_not(contains(out, n, 1), "nor is its parent");
}

Test(descendants, pid_1_sees_everything)
{
	static const pid_t pids[] = { 1, 2, 3, 4, 5 };
	static const pid_t ppids[] = { 0, 1, 2, 3, 1 };
	static const pid_t want[] = { 2, 3, 4, 5 };
	pid_t out[5];

	size_t n = descendants_of(1, pids, ppids, NPROC(pids), out);
	expect_set(out, n, want, NPROC(want));
}

Test(descendants, cycles_terminate)
{
	/* 100 <-> 101 is a cycle unrelated to the root; 7 is its own parent. */
	static const pid_t pids[] = { 1, 10, 100, 101, 7 };
	static const pid_t ppids[] = { 0, 1, 101, 100, 7 };
	static const pid_t want[] = { 10 };
	pid_t out[5];

	size_t n = descendants_of(1, pids, ppids, NPROC(pids), out);
	expect_set(out, n, want, NPROC(want));
}

Test(descendants, cycle_through_the_root)
{
	/* A torn snapshot: the root's parent appears as its child. */
	static const pid_t pids[] = { 10, 20, 30 };
	static const pid_t ppids[] = { 20, 10, 20 };
	static const pid_t want[] = { 20, 30 };
	pid_t out[3];

	size_t n = descendants_of(10, pids, ppids, NPROC(pids), out);
	expect_set(out, n, want, NPROC(want));
	cr_expect_not(contains(out, n, 10));
}

Test(descendants, unknown_parents_ignored)
{
	static const pid_t pids[] = { 1, 10, 50, 51 };
	static const pid_t ppids[] = { 0, 1, 999, 50 };
	static const pid_t want[] = { 10 };
	pid_t out[4];

	size_t n = descendants_of(1, pids, ppids, NPROC(pids), out);
	expect_set(out, n, want, NPROC(want));
}

Test(descendants, empty_and_absent_root)
{
	static const pid_t pids[] = { 1, 2 };
	static const pid_t ppids[] = { 0, 1 };
	pid_t out[2] = { -5, -5 };

	cr_assert_eq(descendants_of(1, pids, ppids, 0, out), 0u);
	cr_assert_eq(out[0], -5);
	cr_assert_eq(descendants_of(77, pids, ppids, NPROC(pids), out), 0u);
}

Test(descendants, deep_chain_in_worst_order)
{
	enum { DEPTH = 500 };
	static pid_t pids[DEPTH + 1], ppids[DEPTH + 1], out[DEPTH + 1];

	/* pid k+2 is the child of pid k+1, listed deepest first. */
	for (int k = 0; k <= DEPTH; k++) {
		pids[k] = DEPTH + 1 - k + 1;
		ppids[k] = DEPTH + 1 - k;
	}
	size_t n = descendants_of(1, pids, ppids, DEPTH + 1, out);
	cr_assert_eq(n, (size_t)DEPTH + 1);
	for (pid_t p = 2; p <= DEPTH + 2; p++)
		cr_expect(contains(out, n, p), "%d missing", (int)p);
}

Test(descendants, stat_parent_plain)
{
	cr_assert_eq(stat_parent("1234 (bash) S 1 1234 1234 34816 1234 4194560 1000 0 0 0\n"), 1);
	cr_assert_eq(stat_parent("42 (nginx) R 7 42 42 0 -1"), 7);
	cr_assert_eq(stat_parent("1 (initd) S 0 1 1 0 -1 4194560"), 0);
	cr_assert_eq(stat_parent("99 (x) Z 12345\n"), 12345);
	cr_assert_eq(stat_parent("99 (x) S 2147483647 1"), 2147483647);
}

Test(descendants, stat_parent_name_with_spaces_and_parens)
{
	cr_assert_eq(stat_parent("42 (my prog) S 7 42 42 0"), 7);
	cr_assert_eq(stat_parent("42 (a) b) c) S 99 1 1"), 99);
	cr_assert_eq(stat_parent("42 ((sd-pam)) S 100 1 1"), 100);
	cr_assert_eq(stat_parent("42 ()) S 5 1 1"), 5);
	cr_assert_eq(stat_parent("42 () S 6 1 1"), 6);
	/* A name crafted to look like the rest of the line. */
	cr_assert_eq(stat_parent("42 (evil) S 1 ) R 8 1 1 0"), 8);
	cr_assert_eq(stat_parent("42 ( ) S 1 1 ) S 9 1 1"), 9);
}

Test(descendants, stat_parent_malformed)
{
	static const char *const bad[] = {
		"",          "42 bash S 1 1", "42 (x)",      "42 (x) ",      "42 (x) S",       "42 (x) S ",
		"42 (x)S 1", "42 (x) S x",    "42 (x) S -1", "42 (x) S 1x 1", "42 (x) SS 1",   "42 (x)  S 1",
		"42 (x) S 99999999999 1",     "42 (x) S +1", ")",            "42 (x) S  1",
	};

	for (size_t i = 0; i < NPROC(bad); i++)
		cr_expect_eq(stat_parent(bad[i]), -1, "'%s'", bad[i]);
}
