#ifndef INITD_OUTPUT_H
#define INITD_OUTPUT_H

/* write(2) of a whole string, retried on EINTR and short writes. */
void write_text(int fd, const char *text);

#endif
