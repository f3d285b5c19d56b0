#include "init/log.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "supervisor/fmt.h"

static int current_verbosity;

void log_set_verbosity(int verbosity)
{
	current_verbosity = verbosity;
}

void log_msg(enum log_level level, const char *format, ...)
{
	char line[512] = "initd: ";
	const size_t prefix = 7;
	int saved_errno = errno;
	va_list ap;

	if ((int)level > current_verbosity)
		return;
	va_start(ap, format);
	size_t len = prefix + fmt_v(line + prefix, sizeof line - prefix - 1, format, ap);
	va_end(ap);
	line[len++] = '\n';
	/* Nothing useful can be done when stderr is gone. */
	while (write(STDERR_FILENO, line, len) < 0 && errno == EINTR)
		;
	errno = saved_errno;
}
