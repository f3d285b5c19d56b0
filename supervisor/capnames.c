#include "supervisor/capnames.h"

#include <string.h>

#include "supervisor/strict.h"

/* The kernel's capability names in number order, without "cap_": libcap's own
 * lookup (cap_from_name) would bring its whole text parser and strtoul into
 * the static binary, three times this table. tests/unit/test_capnames.c holds
 * every entry to libcap's name and the count to CAP_LAST_CAP. */
const char capnames_table[] =
	"chown\0dac_override\0dac_read_search\0fowner\0fsetid\0kill\0setgid\0setuid\0setpcap\0"
	"linux_immutable\0net_bind_service\0net_broadcast\0net_admin\0net_raw\0ipc_lock\0ipc_owner\0"
	"sys_module\0sys_rawio\0sys_chroot\0sys_ptrace\0sys_pacct\0sys_admin\0sys_boot\0sys_nice\0"
	"sys_resource\0sys_time\0sys_tty_config\0mknod\0lease\0audit_write\0audit_control\0setfcap\0"
	"mac_override\0mac_admin\0syslog\0wake_alarm\0block_suspend\0audit_read\0perfmon\0bpf\0"
	"checkpoint_restore\0";

#define CAP_NAME_MAX 40

/* The number of the capability called name (len bytes, lower case, no
 * prefix), -1 when none is. */
static int capability_number(const char *name, size_t len)
{
	int number = 0;

	for (const char *entry = capnames_table; *entry != '\0'; entry += strlen(entry) + 1, number++)
		if (strlen(entry) == len && memcmp(entry, name, len) == 0)
			return number;
	return -1;
}

static bool one_capability(const char *name, size_t len, uint64_t *mask)
{
	char canonical[CAP_NAME_MAX];

	if (len > 4 && (name[0] == 'c' || name[0] == 'C') && (name[1] == 'a' || name[1] == 'A') &&
	    (name[2] == 'p' || name[2] == 'P') && name[3] == '_') {
		name += 4;
		len -= 4;
	}
	if (len == 0 || len > CAP_NAME_MAX)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'))
			return false; /* a name must be a name, not a number */
		canonical[i] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
	}
	int value = capability_number(canonical, len);
	if (value < 0 || value >= CAP_MASK_BITS)
		return false;
	*mask |= UINT64_C(1) << value;
	return true;
}

bool capnames_parse(const char *list, uint64_t *mask, char *bad, size_t badsize)
{
	uint64_t result = 0;

	if (ascii_equal_nocase(list, "none")) {
		*mask = 0;
		return true;
	}
	const char *p = list;
	for (;;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (!one_capability(p, len, &result)) {
			size_t n = len < badsize - 1 ? len : badsize - 1;
			memcpy(bad, p, n);
			bad[n] = '\0';
			return false;
		}
		if (end == NULL)
			break;
		p = end + 1;
	}
	*mask = result;
	return true;
}
