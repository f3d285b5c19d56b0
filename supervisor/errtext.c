#include "supervisor/errtext.h"

#include <string.h>

#include "supervisor/fmt.h"

/* Each entry: the errno as one byte (Linux's numbers, all below 128 here),
 * then its text; tests/unit/test_errtext.c holds each to the C library's. */
static const char known[] =
	"\001" "Operation not permitted\0" /* EPERM */
	"\002" "No such file or directory\0" /* ENOENT */
	"\003" "No such process\0" /* ESRCH */
	"\004" "Interrupted system call\0" /* EINTR */
	"\005" "Input/output error\0" /* EIO */
	"\007" "Argument list too long\0" /* E2BIG */
	"\010" "Exec format error\0" /* ENOEXEC */
	"\011" "Bad file descriptor\0" /* EBADF */
	"\012" "No child processes\0" /* ECHILD */
	"\013" "Resource temporarily unavailable\0" /* EAGAIN */
	"\014" "Cannot allocate memory\0" /* ENOMEM */
	"\015" "Permission denied\0" /* EACCES */
	"\016" "Bad address\0" /* EFAULT */
	"\020" "Device or resource busy\0" /* EBUSY */
	"\021" "File exists\0" /* EEXIST */
	"\024" "Not a directory\0" /* ENOTDIR */
	"\025" "Is a directory\0" /* EISDIR */
	"\026" "Invalid argument\0" /* EINVAL */
	"\027" "Too many open files in system\0" /* ENFILE */
	"\030" "Too many open files\0" /* EMFILE */
	"\032" "Text file busy\0" /* ETXTBSY */
	"\034" "No space left on device\0" /* ENOSPC */
	"\036" "Read-only file system\0" /* EROFS */
	"\044" "File name too long\0" /* ENAMETOOLONG */
	"\050" "Too many levels of symbolic links\0" /* ELOOP */
	"\142" "Address already in use\0" /* EADDRINUSE */
	"\157" "Connection refused\0" /* ECONNREFUSED */
	"\172" "Disk quota exceeded\0" /* EDQUOT */
	"\046" "Function not implemented\0" /* ENOSYS */
	"\137" "Operation not supported\0" /* EOPNOTSUPP */
	"\135" "Protocol not supported\0" /* EPROTONOSUPPORT */
	"\141" "Address family not supported by protocol\0" /* EAFNOSUPPORT */
	"\132" "Message too long\0" /* EMSGSIZE */
	"\151" "No buffer space available\0" /* ENOBUFS */;

const char *error_text(int error, char *buf, size_t size)
{
	for (const char *entry = known; *entry != '\0'; entry += 1 + strlen(entry + 1) + 1)
		if ((unsigned char)entry[0] == error)
			return entry + 1;
	fmt(buf, size, "error %d", error);
	return buf;
}

const char *error_words(int error)
{
	static char buf[24];

	return error_text(error, buf, sizeof buf);
}
