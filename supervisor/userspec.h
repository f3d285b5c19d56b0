#ifndef INITD_USERSPEC_H
#define INITD_USERSPEC_H

#include <stdbool.h>
#include <stddef.h>

/* Room for either part of a USER[:GROUP]; longer names are refused. */
#define USERSPEC_PART_MAX 64

/* "USER" or "USER:GROUP": both parts non-empty, no second colon, no white space.
 * group is set to "" when absent. */
bool userspec_split(const char *spec, char *user, size_t usersize, char *group, size_t groupsize);

#endif
