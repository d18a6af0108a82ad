/*
 * A jail's host and domain name as its processes see them now.
 *
 * Jail root may set its host name (allow.set_hostname), and on FreeBSD
 * that is the jail's host.hostname; on Linux it lives in the jail's UTS
 * namespace, which only a process inside can read.  The prison stays in
 * that namespace (and so keeps it alive) for its whole life, and records
 * its identity; a root caller reads the names by stepping into it for an
 * uname() and straight back, instead of asking the prison.  Entering a
 * UTS namespace changes nothing but what the host name calls return, and
 * only for this thread, for those few system calls.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include "internal.h"

void
juts_names(const struct utsname *u, char *host, size_t hostlen, char *domain,
    size_t domainlen)
{
	snprintf(host, hostlen, "%s", u->nodename);
	/* The kernel's name for "no domain name". */
	snprintf(domain, domainlen, "%s",
	    strcmp(u->domainname, "(none)") == 0 ? "" : u->domainname);
}

/*
 * Back to our own namespace.  It cannot be refused (we are the root that
 * just left it), only fail to allocate; a thread left in the jail's
 * namespace would report the jail's name as the host's, so that, which
 * no caller could notice, is not an option.
 */
static void
leave(int self)
{
	for (int i = 0; setns(self, CLONE_NEWUTS) < 0; i++)
		if (i == 100)
			abort();
}

int
juts_read(int recfd, const struct jrec *r, struct utsname *u)
{
	char path[64];
	struct stat sb;
	int ns, self, rc = -1;

	if (r->uts_ino == 0 || r->pid <= 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/ns/uts", (int)r->pid);
	if ((ns = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;	/* not root: ask the prison */
	/*
	 * The namespace the record names.  The caller then checks that the
	 * prison still holds the record: then the namespace was alive all
	 * along, pinned by the prison, and no other can have its inode
	 * number; if not, what was read is thrown away.
	 */
	if (fstat(ns, &sb) < 0 || sb.st_ino != r->uts_ino ||
	    sb.st_dev != r->uts_dev) {
		close(ns);
		return -1;
	}
	self = open("/proc/thread-self/ns/uts", O_RDONLY | O_CLOEXEC);
	if (self >= 0 && setns(ns, CLONE_NEWUTS) == 0) {
		rc = uname(u);
		leave(self);
	}
	if (self >= 0)
		close(self);
	close(ns);
	return rc;
}
