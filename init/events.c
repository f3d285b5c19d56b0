#include "init/events.h"

#include <signal.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

bool events_open(struct events *ev, const struct signal_state *st)
{
	int fd = signalfd(-1, &st->wait_set, SFD_CLOEXEC | SFD_NONBLOCK);

	if (fd < 0)
		return false;
	ev->fds[0] = (struct pollfd){ .fd = fd, .events = POLLIN };
	ev->count = 1;
	return true;
}

void events_close(struct events *ev)
{
	for (nfds_t i = 0; i < ev->count; i++)
		close(ev->fds[i].fd);
	ev->count = 0;
}

struct event events_wait(struct events *ev, int64_t timeout_ms)
{
	struct event out = { .kind = EVENT_NONE };
	struct timespec ts, *timeout = NULL;

	if (timeout_ms >= 0) {
		ts.tv_sec = (time_t)(timeout_ms / 1000);
		ts.tv_nsec = (long)(timeout_ms % 1000) * 1000000L;
		timeout = &ts;
	}
	/* Every signal stays blocked during the wait (NULL mask): they are read
	 * from the signalfd, one per turn of the loop, like sigtimedwait did. */
	if (ppoll(ev->fds, ev->count, timeout, NULL) <= 0)
		return out; /* 0: the timeout; EINTR: a stop/continue; the loop re-checks both */
	if (ev->fds[0].revents & POLLIN) {
		struct signalfd_siginfo si;
		if (read(ev->fds[0].fd, &si, sizeof si) == (ssize_t)sizeof si) {
			out.kind = EVENT_SIGNAL;
			out.signo = (int)si.ssi_signo;
		}
	}
	return out;
}
