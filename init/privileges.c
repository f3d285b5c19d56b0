#include "init/privileges.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/capability.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "supervisor/capnames.h"

/* A read-only view of a whole file; empty when it does not exist. */
struct mapped {
	const char *text;
	size_t len;
};

/* The size from lseek rather than fstat: the same for a regular file, and
 * musl's fstat brings fstatat and its fallbacks (see sockets.c). */
static struct mapped map_file(const char *path)
{
	struct mapped m = { "", 0 };
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return m;
	off_t size = lseek(fd, 0, SEEK_END);
	if (size > 0) {
		void *p = mmap(NULL, (size_t)size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (p != MAP_FAILED) {
			m.text = p;
			m.len = (size_t)size;
		}
	}
	close(fd);
	return m;
}

static void unmap_file(struct mapped m)
{
	if (m.len > 0)
		munmap((void *)(uintptr_t)m.text, m.len);
}

bool privileges_resolve(const char *userspec, bool caps_given, uint64_t caps,
			struct privileges *out, char *err, size_t errsize)
{
	struct user_names names;

	if (!credentials_begin(userspec, caps_given, caps, out, &names, err, errsize))
		return false;
	if (!out->change_user)
		return true;
	struct mapped passwd = map_file("/etc/passwd");
	struct mapped groups = map_file("/etc/group");
	struct account_texts db = { passwd.text, passwd.len, groups.text, groups.len };
	bool ok = credentials_resolve(&names, &db, out, err, errsize);
	unmap_file(passwd);
	unmap_file(groups);
	return ok;
}

/* Where the plain numbers are the old 16-bit-id calls (i386, 32-bit arm), the
 * 32-bit ones, as musl's own wrappers use; x86_64 and arm64 have only these. */
#ifdef SYS_setuid32
#define SYS_SETUID SYS_setuid32
#define SYS_SETGID SYS_setgid32
#define SYS_SETGROUPS SYS_setgroups32
#else
#define SYS_SETUID SYS_setuid
#define SYS_SETGID SYS_setgid
#define SYS_SETGROUPS SYS_setgroups
#endif

/* libcap's cap_setgroups and cap_setuid, step for step, but with the ids set
 * by their system calls: libcap calls musl's setgid, setgroups and setuid,
 * which change every thread of the process together (__synccall and its
 * semaphores, 2.6 KB), and the forked child that runs this has one thread.
 * The capability the change needs is raised in the effective set around it
 * and the effective set cleared after, errno kept from the change. */
static int change_ids(const struct privileges *p, cap_value_t needed)
{
	cap_t working = cap_get_proc();

	if (working == NULL)
		return -1;
	cap_set_flag(working, CAP_EFFECTIVE, 1, &needed, CAP_SET);
	/* Leaving uid 0 empties the permitted set unless it is kept. */
	if (needed == CAP_SETUID)
		prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0);
	int rc = cap_set_proc(working);
	if (rc == 0 && needed == CAP_SETGID) {
		rc = (int)syscall(SYS_SETGID, p->gid);
		if (rc == 0)
			rc = (int)syscall(SYS_SETGROUPS, (size_t)p->ngroups, p->groups);
	} else if (rc == 0) {
		rc = (int)syscall(SYS_SETUID, p->uid);
	}
	int error = errno;
	if (needed == CAP_SETUID)
		prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
	cap_clear_flag(working, CAP_EFFECTIVE);
	cap_set_proc(working);
	cap_free(working);
	errno = error;
	return rc;
}

bool privileges_apply(const struct privileges *p)
{
	if (!p->change_caps)
		return true;
	/* The bounding set first, while initd's full set still allows dropping from it. */
	for (cap_value_t c = 0; c < (cap_value_t)cap_max_bits(); c++)
		if (!(p->keep & (UINT64_C(1) << c)) && cap_drop_bound(c) != 0 && errno != EINVAL)
			return false;
	/* Groups before gid before uid: each step needs the privilege the next drops. */
	if (p->change_user) {
		if (change_ids(p, CAP_SETGID) != 0)
			return false;
		if (change_ids(p, CAP_SETUID) != 0)
			return false;
	}

	cap_t caps = cap_init();
	if (caps == NULL)
		return false;
	for (cap_value_t c = 0; c < CAP_MASK_BITS; c++) {
		if (!(p->keep & (UINT64_C(1) << c)))
			continue;
		cap_set_flag(caps, CAP_PERMITTED, 1, &c, CAP_SET);
		cap_set_flag(caps, CAP_EFFECTIVE, 1, &c, CAP_SET);
		cap_set_flag(caps, CAP_INHERITABLE, 1, &c, CAP_SET);
	}
	int rc = cap_set_proc(caps);
	cap_free(caps);
	if (rc != 0)
		return false;

	/* Without ambient capabilities an unprivileged exec would lose them all. */
	if (cap_reset_ambient() != 0 && errno != EINVAL)
		return false;
	if (p->change_user) {
		for (cap_value_t c = 0; c < CAP_MASK_BITS; c++)
			if ((p->keep & (UINT64_C(1) << c)) && cap_set_ambient(c, CAP_SET) != 0)
				return false;
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
			return false;
	}
	return true;
}
