#ifndef INITD_SIGNAME_H
#define INITD_SIGNAME_H

/* "TERM", "SIGTERM", "term", "15", "RTMIN+2", "SIGRTMAX-1": the signal number,
 * or -1 when the text names no signal of this system. */
int signal_from_text(const char *text);

/* "TERM" for SIGTERM, "RTMIN+2" for real-time signals; NULL when unknown. The
 * buffer is used for real-time names only and needs 12 bytes. */
const char *signal_name(int signo, char *buf, unsigned long size);

#endif
