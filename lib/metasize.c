/*
 * The largest meta or env value a jail may be given: FreeBSD's sysctl
 * security.jail.meta_maxbufsize, bytes with the NUL.  On Linux it is a
 * number in the file .meta_maxbufsize of the registry directory, which
 * host root writes; the directory is root's alone (jreg_open checks) and
 * hidden from every jail, so nothing inside a jail can change it.  Read
 * afresh on each use, as a sysctl is: the library's checks, libjail's
 * sizes and the prison, which decides, all see what root last wrote.
 */
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "internal.h"
#include "param.h"

#define	METASIZE_FILE	".meta_maxbufsize"

unsigned
jail_meta_maxbufsize(void)
{
	unsigned long v;
	struct stat sb;
	char buf[32], *end;
	ssize_t n;
	int dirfd, fd, e = errno;

	v = JAIL_META_MAXBUF;
	if ((dirfd = jreg_open(0)) < 0)
		goto out;
	fd = openat(dirfd, METASIZE_FILE, O_RDONLY | O_NOFOLLOW | O_CLOEXEC |
	    O_NONBLOCK);
	close(dirfd);
	if (fd < 0)
		goto out;
	/* Root's file, as the directory: anything else is not a setting. */
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) || sb.st_uid != 0 ||
	    (sb.st_mode & (S_IWGRP | S_IWOTH)) != 0 ||
	    (n = read(fd, buf, sizeof(buf) - 1)) <= 0) {
		close(fd);
		goto out;
	}
	close(fd);
	buf[n] = '\0';
	if (buf[0] < '0' || buf[0] > '9') {
		v = JAIL_META_MAXBUF;
		goto out;
	}
	v = strtoul(buf, &end, 10);
	if ((*end != '\0' && *end != '\n') || v == 0)
		v = JAIL_META_MAXBUF;	/* not a size: the default */
	else if (v > JAIL_META_CEIL)
		v = JAIL_META_CEIL;	/* what a record and a message hold */
out:
	errno = e;
	return (unsigned)v;
}

size_t
jparam_maxlen(const struct jparam_def *d)
{
	return d->keyvalue ? jail_meta_maxbufsize() : d->maxlen;
}
