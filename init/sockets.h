#ifndef INITD_SOCKETS_H
#define INITD_SOCKETS_H
/* initd's two datagram sockets, both in the abstract namespace, so that they
 * need no writable file system: the notify socket the service reports to
 * (sd_notify), and the status socket `initd status` and `initd health` ask when
 * no status file could be written (a read-only root). */

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* A notify socket under a name the kernel picks (unique in the network
 * namespace, so initds sharing one cannot collide); its NOTIFY_SOCKET value
 * ("@" and the name) goes to name. -1 (errno set) on failure. */
int notify_open(char *name, size_t size);

/* Reads one datagram: its length, or -1 when none is waiting. sender is the
 * pid the kernel vouches for (0 when it did not say); truncated when it was
 * bigger than size. Descriptors sent along are closed. */
ssize_t notify_receive(int fd, char *buf, size_t size, pid_t *sender, bool *truncated);

/* The status socket's name for this status file in this PID namespace:
 * false when /proc cannot tell the namespace. */
bool status_socket_name(const char *status_file, char *name, size_t size);

/* The status socket, bound; -1 (errno set) on failure. */
int status_socket_open(const char *name);

/* Answers every query waiting with text. Never blocks: a reader too slow to
 * take its answer goes without. */
void status_socket_answer(int fd, const char *text, size_t len);

/* Asks the initd behind name for its status text: its length, 0 when none
 * answers (no such socket, or no answer within a second). */
size_t status_socket_ask(const char *name, char *buf, size_t size);

#endif
