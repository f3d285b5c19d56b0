/* The heap's only user is libcap (cap_init, cap_get_proc), and only in the
 * forked child between fork and exec: the supervisor itself never allocates
 * (its one table is mmap'd, see leftovers.c). exec throws the child's heap away
 * whole, so giving memory back piece by piece is wasted work. Defining free here
 * keeps musl's general allocator (8 KB, a sixth of the binary) out of the link;
 * malloc then resolves to musl's small bump allocator, the one musl itself uses
 * for programs that never free.
 *
 * If the parent ever needs the heap, delete this file. */

#include <stdlib.h>

void free(void *ptr)
{
	(void)ptr;
}
