/*
 * Reading the jail's /etc/passwd and /etc/group by hand.  Once a process
 * has entered the jail it must never load code from it, so getpwnam(3)
 * and its NSS modules are out; these files are parsed strictly instead.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "passwd.h"

#define	MAXFILE	(1 << 20)

/* Read a regular file of at most MAXFILE bytes; NUL-terminated, malloc'ed. */
static char *
slurp(const char *path)
{
	struct stat sb;
	char *buf;
	size_t off = 0;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) || sb.st_size > MAXFILE ||
	    (buf = malloc((size_t)sb.st_size + 1)) == NULL) {
		close(fd);
		return NULL;
	}
	while (off < (size_t)sb.st_size &&
	    (n = read(fd, buf + off, (size_t)sb.st_size - off)) > 0)
		off += (size_t)n;
	close(fd);
	buf[off] = '\0';
	return buf;
}

/* A strictly decimal id in range, or -1. */
static long
parse_id(const char *s)
{
	char *end;
	long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (*end != '\0' || errno != 0 || v < 0 || v > 0x7ffffffe)
		return -1;
	return v;
}

/* Split LINE on ':' into at most N fields; returns the count. */
static int
split(char *line, char **f, int n)
{
	int i = 0;

	f[i++] = line;
	for (char *p = line; *p != '\0' && i < n; p++)
		if (*p == ':') {
			*p = '\0';
			f[i++] = p + 1;
		}
	return i;
}

int
jpw_lookup(const char *name, uid_t uid, struct jpw *out)
{
	char *buf, *line, *save = NULL, *f[7];
	int found = 0;

	if ((buf = slurp("/etc/passwd")) == NULL)
		return 0;
	for (line = strtok_r(buf, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		long u, g;

		if (split(line, f, 7) != 7)
			continue;
		if ((u = parse_id(f[2])) < 0 || (g = parse_id(f[3])) < 0)
			continue;
		if (name != NULL ? strcmp(f[0], name) != 0 : (uid_t)u != uid)
			continue;
		if (strlen(f[0]) >= sizeof(out->name) ||
		    strlen(f[5]) >= sizeof(out->home) ||
		    strlen(f[6]) >= sizeof(out->shell))
			continue;
		strcpy(out->name, f[0]);
		strcpy(out->home, f[5][0] != '\0' ? f[5] : "/");
		strcpy(out->shell, f[6][0] != '\0' ? f[6] : "/bin/sh");
		out->uid = (uid_t)u;
		out->gid = (gid_t)g;
		found = 1;
		break;
	}
	free(buf);
	return found;
}

int
jpw_groups(const char *user, gid_t primary, gid_t *groups, int max)
{
	char *buf, *line, *save = NULL, *f[4], *m, *msave;
	int n = 0;

	groups[n++] = primary;
	if ((buf = slurp("/etc/group")) == NULL)
		return n;
	for (line = strtok_r(buf, "\n", &save); line != NULL && n < max;
	    line = strtok_r(NULL, "\n", &save)) {
		long g;

		if (split(line, f, 4) != 4 || (g = parse_id(f[2])) < 0 ||
		    (gid_t)g == primary)
			continue;
		msave = NULL;
		for (m = strtok_r(f[3], ",", &msave); m != NULL;
		    m = strtok_r(NULL, ",", &msave))
			if (strcmp(m, user) == 0) {
				groups[n++] = (gid_t)g;
				break;
			}
	}
	free(buf);
	return n;
}
