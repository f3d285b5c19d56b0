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

bool events_watch(struct events *ev, int fd, short events)
{
	if (ev->count == EVENT_FDS)
		return false;
	ev->fds[ev->count++] = (struct pollfd){ .fd = fd, .events = events };
	return true;
}

void events_drop(struct events *ev, int fd)
{
	for (nfds_t i = 1; i < ev->count; i++)
		if (ev->fds[i].fd == fd) {
			ev->fds[i] = ev->fds[--ev->count];
			break;
		}
	close(fd);
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
		return out;
	}
	/* One source a turn; one that stays ready is seen again next turn. */
	for (nfds_t i = 1; i < ev->count; i++)
		if (ev->fds[i].revents != 0) {
			out.kind = EVENT_READY;
			out.fd = ev->fds[i].fd;
			break;
		}
	return out;
}
