/* The /etc/passwd and /etc/group reader. privileges.c maps the files and hands
 * their exact bytes (no terminator) to these functions, which is what is done
 * here: the first line of the input is the name looked up, the rest the file. */
#include "fuzz.h"

#include "supervisor/accounts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	gid_t groups[64];
	struct account acct;
	gid_t gid;

	if (nl == NULL || size < 4)
		return 0;
	char *name = fuzz_string(data, (size_t)(nl - data));
	size_t len = size - (size_t)(nl - data) - 1;
	/* Exactly len bytes: a read past the end of the file is an ASan report. */
	char *text = malloc(len ? len : 1);
	CHECK(text != NULL);
	memcpy(text, nl + 1, len);

	if (passwd_find(text, len, name, 0, &acct))
		CHECK(strcmp(acct.name, name) == 0);
	uid_t uid = (uid_t)(data[0] | data[1] << 8);
	if (passwd_find(text, len, NULL, uid, &acct)) {
		CHECK(acct.uid == uid);
		CHECK(acct.name[0] != '\0' && strlen(acct.name) < sizeof acct.name);
	}
	(void)group_find(text, len, name, &gid);

	int max = 1 + data[2] % 64;
	gid_t primary = (gid_t)data[3];
	int n = group_memberships(text, len, name, primary, groups, max);
	CHECK(n == -1 || (n >= 1 && n <= max));
	if (n > 0) {
		CHECK(groups[0] == primary);
		for (int i = 0; i < n; i++)
			for (int j = i + 1; j < n; j++)
				CHECK(groups[i] != groups[j]);
	}
	free(text);
	free(name);
	return 0;
}
