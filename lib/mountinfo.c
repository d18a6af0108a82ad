/*
 * Finding a file system's mount point in our mount namespace by its type
 * and a super option (the cgroup2 hierarchy for the prison, a controller's
 * v1 hierarchy for jail-oci): /proc/self/mountinfo, line by line.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* Whether the comma-separated OPTS holds OPT. */
static int
has_option(char *opts, const char *opt)
{
	char *save = NULL;

	for (char *o = strtok_r(opts, ",", &save); o != NULL;
	    o = strtok_r(NULL, ",", &save))
		if (strcmp(o, opt) == 0)
			return 1;
	return 0;
}

int
jmountinfo_point(const char *type, const char *opt, char *buf, size_t len)
{
	char line[4096], want[64];
	FILE *f;
	int found = 0;

	/* " - TYPE SOURCE SUPER-OPTIONS" ends each line. */
	if ((size_t)snprintf(want, sizeof(want), " - %s ", type) >= sizeof(want) ||
	    (f = fopen("/proc/self/mountinfo", "re")) == NULL)
		return -1;
	while (!found && fgets(line, sizeof(line), f) != NULL) {
		char *sep = strstr(line, want), *opts, *mp, *save = NULL;

		if (sep == NULL || (opts = strrchr(sep, ' ')) == NULL)
			continue;
		opts[strcspn(opts, "\n")] = '\0';
		if (opt != NULL && !has_option(opts + 1, opt))
			continue;
		/* "ID PARENT MAJ:MIN ROOT MOUNT-POINT ..." */
		strtok_r(line, " ", &save);
		for (int i = 0; i < 3; i++)
			strtok_r(NULL, " ", &save);
		mp = strtok_r(NULL, " ", &save);
		/* An escaped name (\040 and the like) is not one we use. */
		if (mp != NULL && strchr(mp, '\\') == NULL &&
		    (size_t)snprintf(buf, len, "%s", mp) < len)
			found = 1;
	}
	fclose(f);
	return found ? 0 : -1;
}
