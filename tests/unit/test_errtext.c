/* initd's error words against the C library's, and the fallback. */
#include <criterion/criterion.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "supervisor/errtext.h"

Test(errtext, every_known_error_reads_as_the_c_library_says)
{
	int known = 0;

	for (int error = 1; error < 134; error++) {
		char buf[24];
		const char *text = error_text(error, buf, sizeof buf);
		if (text == buf)
			continue;
		known++;
		cr_expect_str_eq(text, strerror(error), "errno %d", error);
	}
	cr_expect_geq(known, 30, "only %d errors known", known);
}

Test(errtext, the_ones_initd_meets_most_are_known)
{
	static const int errors[] = { ENOENT, EACCES, ENOEXEC, EPERM, EROFS, ENOSPC, EADDRINUSE, ECONNREFUSED,
				      ENAMETOOLONG, ENOTDIR, EAGAIN, ENOMEM, EMFILE };
	char buf[24];

	for (size_t i = 0; i < sizeof errors / sizeof errors[0]; i++)
		cr_expect_neq(error_text(errors[i], buf, sizeof buf), buf, "errno %d unknown", errors[i]);
}

Test(errtext, unknown_error_by_number)
{
	char buf[24];

	cr_expect_str_eq(error_text(EHWPOISON, buf, sizeof buf), "error 133");
	cr_expect_str_eq(error_text(0, buf, sizeof buf), "error 0");
	cr_expect_str_eq(error_text(-5, buf, sizeof buf), "error -5");
	cr_expect_str_eq(error_words(ENOENT), "No such file or directory");
}
