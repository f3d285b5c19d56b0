#ifndef INITD_SIGNAME_H
#define INITD_SIGNAME_H

/* Room for every signal number 1..64 as an index (0 unused). */
#define SIGNAL_SLOTS 65

/* "TERM", "SIGTERM", "term", "15", "RTMIN+2", "SIGRTMAX-1": the signal number,
 * or -1 when the text names no signal of this system. */
int signal_from_text(const char *text);

/* Room for any name signal_name builds ("RTMIN+15" and the like). */
#define SIGNAL_NAME_SIZE 12

/* "TERM" for SIGTERM, "RTMIN+2" for real-time signals; NULL when unknown. The
 * buffer is used for real-time names only and needs SIGNAL_NAME_SIZE bytes. */
const char *signal_name(int signo, char *buf, unsigned long size);

#endif
