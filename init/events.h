#ifndef INITD_EVENTS_H
#define INITD_EVENTS_H
/* The loop's one wait point: a poll over file descriptors, with the earliest
 * timer as its timeout. Signals arrive through one of them, a signalfd of every
 * signal initd waits for (all blocked since main's first line), so an event
 * source that is a descriptor (a socket, a pipe from a child, an inotify fd)
 * joins the same wait and nothing is ever handled in a signal handler. */

#include <poll.h>
#include <stdbool.h>
#include <stdint.h>

#include "init/signals.h"

/* Room for the signalfd and the other sources: the notify socket, the status
 * socket, a readiness pipe, the OOM counter. */
enum { EVENT_FDS = 6 };

struct events {
	struct pollfd fds[EVENT_FDS];
	nfds_t count; /* fds[0] is the signalfd */
};

enum event_kind {
	EVENT_NONE,   /* the timeout, or a wait interrupted by a stop/continue */
	EVENT_SIGNAL, /* signo is set */
	EVENT_READY,  /* fd can be read (or has hung up, or has an error) */
};

struct event {
	enum event_kind kind;
	int signo;
	int fd;
};

/* The signalfd for the signals st waits for; false (errno set) if the kernel
 * refuses one. Close-on-exec: no child ever sees it. */
bool events_open(struct events *ev, const struct signal_state *st);

/* Closes the wait point's descriptors before initd exits: whoever runs initd
 * (a test harness, valgrind's fd tracking) gets back exactly the fds it gave. */
void events_close(struct events *ev);

/* Adds fd to the wait, for events (POLLIN, or POLLPRI for a cgroup file);
 * false when the table is full. */
bool events_watch(struct events *ev, int fd, short events);

/* Takes fd out of the wait and closes it. */
void events_drop(struct events *ev, int fd);

/* Waits at most timeout_ms (negative: for ever) for the first event. */
struct event events_wait(struct events *ev, int64_t timeout_ms);

#endif
