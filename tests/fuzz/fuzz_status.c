/* The status file reader (`initd status`, `initd health`): status_parse on any
 * bytes, and statusfile_read on the same bytes as a real file (a memfd). A file
 * it accepts must format back to text that parses to the same record, and the
 * words printed for it must fit their buffers. */
#include "fuzz.h"

#include <sys/mman.h>
#include <unistd.h>

#include "init/statusfile.h"
#include "supervisor/status.h"

static int memfd = -1;
static char path[64];

static void same(const struct status_record *a, const struct status_record *b)
{
	CHECK(a->state == b->state && a->pid == b->pid && a->restarts == b->restarts &&
	      a->last_status == b->last_status && a->changed_ms == b->changed_ms);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct status_record rec, again, fromfile;
	char text[256], words[512], why[160], err[256];

	if (memfd < 0) {
		memfd = memfd_create("status", MFD_CLOEXEC);
		CHECK(memfd >= 0);
		snprintf(path, sizeof path, "/proc/self/fd/%d", memfd);
	}
	/* Exactly size bytes, no terminator: the parser must respect len. */
	char *copy = malloc(size ? size : 1);
	CHECK(copy != NULL);
	memcpy(copy, data, size);
	bool ok = status_parse(copy, size, &rec);

	CHECK(ftruncate(memfd, 0) == 0);
	CHECK(pwrite(memfd, data, size, 0) == (ssize_t)size);
	bool file_ok = statusfile_read(path, &fromfile, err, sizeof err);
	/* The reader takes at most 1 KiB; a bigger file is refused, not cut. */
	CHECK(file_ok == (ok && size < 1024));
	if (file_ok)
		same(&rec, &fromfile);

	if (ok) {
		CHECK(rec.state >= SV_STARTING && rec.state <= SV_EXITED);
		CHECK(rec.last_status >= -1 && rec.last_status <= 255);
		size_t n = status_format(&rec, text, sizeof text);
		CHECK(n > 0);
		CHECK(status_parse(text, n, &again));
		same(&rec, &again);
		int64_t now = rec.changed_ms + (size > 0 ? (int64_t)data[0] * 1000 - 100000 : 0);
		memset(words, 'x', sizeof words);
		status_describe(&rec, now, words, sizeof words);
		CHECK(memchr(words, '\0', sizeof words) != NULL);
		status_healthy(&rec, now, (int64_t)(size % 7) * 1000, why, sizeof why);
		CHECK(memchr(why, '\0', sizeof why) != NULL);
	}
	free(copy);
	return 0;
}
