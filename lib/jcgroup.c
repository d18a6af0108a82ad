/*
 * jail__cgroup: where a jail's processes are, for those who act on all of
 * them at once (jail-oci).  The directory is the one the jail's prison
 * hands over for entering it, and its path the one the prison wrote in
 * the jail's registry record: nothing a process inside the jail can name
 * or change (both are root's, outside the jail's cgroup namespace).  The
 * path is checked to be that very directory, so a record and a prison
 * that disagree (a jid reused meanwhile) give an error, not another
 * jail's cgroup.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "jail.h"
#include "internal.h"
#include "attach.h"
#include "jcgroup.h"

int
jail__cgroup(int jid, char *path, size_t len)
{
	struct jail_entry e;
	struct jrec r;
	struct stat a, b;
	const char *rel;
	int sock, dirfd, fd = -1, ok;

	if ((sock = jcl_connect(jid)) < 0)
		return jfail(ENOENT, "jail %d not found", jid);
	ok = jail_entry_get(sock, jid, &e, jail_errmsg, JAIL_ERRMSGLEN) == 0;
	close(sock);
	if (!ok)
		return -1;
	if ((dirfd = jreg_open(0)) < 0) {
		jail_entry_free(&e);
		return jfail(ENOENT, "jail %d not found", jid);
	}
	ok = jreg_read(dirfd, jid, &r) == 1;
	close(dirfd);
	r.cgroup[sizeof(r.cgroup) - 1] = '\0';
	/* "<cgroup2 mount>/jail/<leaf>": the part from "jail/" on. */
	if (!ok || r.cgroup[0] != '/' ||
	    (rel = strstr(r.cgroup, "/jail/")) == NULL ||
	    (size_t)snprintf(path, len, "%s/jail", rel + 1) >= len) {
		jail_entry_free(&e);
		return jfail(ENOENT, "jail %d not found", jid);
	}
	{
		char full[sizeof(r.cgroup) + 8];
		int pfd;

		snprintf(full, sizeof(full), "%s/jail", r.cgroup);
		pfd = open(full, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC);
		ok = pfd >= 0 && fstat(pfd, &a) == 0 &&
		    fstat(e.cgfd, &b) == 0 && a.st_dev == b.st_dev &&
		    a.st_ino == b.st_ino;
		if (pfd >= 0)
			close(pfd);
	}
	if (!ok) {
		jail_entry_free(&e);
		return jfail(ESTALE, "jail %d: its cgroup is not its record's",
		    jid);
	}
	fd = e.cgfd;
	e.cgfd = -1;
	jail_entry_free(&e);
	return fd;
}
