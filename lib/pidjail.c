/*
 * jail_pid_getid(3): which jail a process is in, seen from the host (what
 * FreeBSD's ps -J and pgrep -j go by).
 *
 * By the process's cgroup, not its namespaces.  Every process of a jail
 * is in the jail's cgroup, <cgroup2>/jail/<jid>.<random>.<prison pid>, or
 * below it: born there (clone3 into the cgroup), or moved there by
 * jail_attach.  A jailed process cannot leave that subtree: moving needs
 * write access to the cgroup.procs of a common ancestor, host root's,
 * and the jail's cgroup namespace is rooted at the jail's cgroup.  Any
 * namespaces it makes inside the jail change nothing of that.  Namespaces
 * would not do: a process that unshares a pid or user namespace no longer
 * matches the jail's.  The name found is checked against the jail's
 * registry record, so a cgroup of a dead jail, or one that merely looks
 * like a jail's, counts as no jail.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "jail.h"
#include "internal.h"

/*
 * The leaf of the jail's cgroup that the v2 line of /proc/PID/cgroup
 * (in LINE) puts the process under, "<jid>.<random>.<prison pid>" into
 * LEAF, and its jid; 0 if it is under none.
 */
static int
leaf_of(const char *line, char *leaf, size_t len)
{
	const char *p, *e;
	char *end;
	long jid;

	if (strncmp(line, "0::/jail/", 9) != 0)
		return 0;
	p = line + 9;
	e = p + strcspn(p, "/\n");
	if ((size_t)(e - p) >= len)
		return 0;
	memcpy(leaf, p, (size_t)(e - p));
	leaf[e - p] = '\0';
	jid = strtol(leaf, &end, 10);
	if (end == leaf || *end != '.' || jid <= 0 || jid > JAIL_MAX)
		return 0;
	return (int)jid;
}

JAIL_EXPORT int
jail_pid_getid(pid_t pid)
{
	char path[64], line[4096], leaf[128] = "";
	struct jrec r;
	size_t ll;
	FILE *f;
	int pidfd, jid = 0, dirfd, alive;

	if (pid <= 0)
		return jfail(EINVAL, "process %d: not a process id", (int)pid);
	/*
	 * The pidfd holds the process, not its number: if it is still
	 * there after the read, the cgroup read was its own.
	 */
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0)
		return jfail(errno == ESRCH ? ESRCH : errno,
		    "process %d not found", (int)pid);
	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
	if ((f = fopen(path, "re")) == NULL) {
		close(pidfd);
		return jfail(errno == ENOENT ? ESRCH : errno,
		    "process %d not found", (int)pid);
	}
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "0::", 3) == 0) {
			jid = leaf_of(line, leaf, sizeof(leaf));
			break;
		}
	fclose(f);
	alive = syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0) == 0 ||
	    errno == EPERM;
	close(pidfd);
	if (!alive)
		return jfail(ESRCH, "process %d not found", (int)pid);
	/*
	 * A jailed caller sees its own jail as the whole system (FreeBSD's
	 * jails see themselves as jail 0), and has no registry to trust.
	 */
	if (jid == 0 || jail_caller_jailed())
		return 0;
	/* The jail of that jid must be the one of that very cgroup. */
	if ((dirfd = jreg_open(0)) < 0)
		return 0;
	if (jreg_read(dirfd, jid, &r) == 1) {
		r.cgroup[sizeof(r.cgroup) - 1] = '\0';
		ll = strlen(leaf);
		if (strlen(r.cgroup) <= ll + 6 ||
		    strcmp(r.cgroup + strlen(r.cgroup) - ll, leaf) != 0 ||
		    strncmp(r.cgroup + strlen(r.cgroup) - ll - 6, "/jail/", 6) != 0)
			jid = 0;
	} else
		jid = 0;
	close(dirfd);
	return jid;
}
