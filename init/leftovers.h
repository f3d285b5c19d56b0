#ifndef INITD_LEFTOVERS_H
#define INITD_LEFTOVERS_H

/* Sends signo to every descendant of initd. As PID 1 that is every other process
 * of the namespace (kill(-1)); as a subreaper the tree under it, read from /proc. */
void signal_descendants(int signo);

#endif
