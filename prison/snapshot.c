/*
 * What the jail's processes may read of their own jail, published in its
 * /dev/jail/sysctl: FreeBSD's security.jail.* values (lib/jsysctl.h).
 *
 * A snapshot, not a channel: nothing in the jail talks to us for it, and
 * we never read what is there.  /dev/jail is a tmpfs of its own, mounted
 * read-only and locked so in the jail (rootfs.c); we write through a
 * writable clone of it that jail init handed us (pr->snapfd), which no
 * process of the jail holds.  The file is written whole under another
 * name and renamed over the old one, so a reader sees the values before
 * a change or after it, never half of each.  If it cannot be written it
 * is taken away: a reader is better told nothing than told stale values.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "jsysctl.h"
#include "prison.h"

#define	TMPNAME	".sysctl.new"

int
snapshot_write(struct prison *pr, char *err, size_t errlen)
{
	static char buf[JSC_SNAPSHOT_MAX];
	ssize_t len;
	int fd, e;

	if (pr->snapfd < 0)
		return 0;	/* the jail's tree has no /dev */
	len = jsc_snapshot(&pr->st, buf, sizeof(buf));
	if (len < 0) {
		e = EOVERFLOW;
		goto fail;
	}
	fd = openat(pr->snapfd, TMPNAME, O_WRONLY | O_CREAT | O_TRUNC |
	    O_NOFOLLOW | O_CLOEXEC, 0444);
	if (fd < 0) {
		e = errno;
		goto fail;
	}
	if (write(fd, buf, (size_t)len) != len) {
		e = errno != 0 ? errno : EIO;
		close(fd);
		unlinkat(pr->snapfd, TMPNAME, 0);
		goto fail;
	}
	close(fd);
	if (renameat(pr->snapfd, TMPNAME, pr->snapfd, JSC_FILE) < 0) {
		e = errno;
		unlinkat(pr->snapfd, TMPNAME, 0);
		goto fail;
	}
	return 0;
fail:
	unlinkat(pr->snapfd, JSC_FILE, 0);
	return jerr(err, errlen, e, "publish %s: %s", JSC_SNAPSHOT,
	    strerror(e));
}
