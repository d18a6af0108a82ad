/*
 * Where linux.resources go on cgroup2: the jail's top directory,
 * <cgroup2>/jail/<leaf>, with every controller the hierarchy has handed
 * down to it.
 *
 * cgroup2 gives a cgroup a controller's files only when each ancestor
 * enables it in cgroup.subtree_control.  The prison enables none (a jail
 * without limits needs none, and enabling costs every jail), so the first
 * container asking for limits enables what the root has, in the root and
 * then in <cgroup2>/jail, as runc's and crun's cgroupfs managers do along
 * their paths.  Neither holds processes (the root may: it is exempt).
 *
 * The top holds the jail's init, and a cgroup with processes of its own
 * cannot hand domain controllers (memory, io) down to its children: so the
 * limits are the top's, and cover init (a few pages, one pid) beside the
 * container's processes in its child "jail".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <linux/magic.h>

#include "oci.h"
#include "cgroupv1.h"

/* Whether the space-separated LIST holds the word W (of length N). */
static int
has_word(const char *list, const char *w, size_t n)
{
	for (const char *p = list; *p != '\0'; p += strcspn(p, " \n")) {
		p += strspn(p, " \n");
		if (strncmp(p, w, n) == 0 &&
		    (p[n] == ' ' || p[n] == '\n' || p[n] == '\0'))
			return 1;
	}
	return 0;
}

/*
 * Every controller DIR has and does not hand down yet, enabled one at a
 * time, so that one refused (a threaded-only one, say) leaves the others.
 */
static void
enable_all(int dir, const char *where)
{
	char have[512], on[512], w[80];

	if (oci_cgroup_read(dir, "cgroup.controllers", have, sizeof(have)) < 0 ||
	    oci_cgroup_read(dir, "cgroup.subtree_control", on, sizeof(on)) < 0)
		return;
	for (const char *p = have; *p != '\0'; ) {
		size_t n;

		p += strspn(p, " \n");
		if ((n = strcspn(p, " \n")) == 0)
			break;
		if (!has_word(on, p, n) && n < sizeof(w) - 1) {
			snprintf(w, sizeof(w), "+%.*s", (int)n, p);
			if (oci_cgroup_write(dir, "cgroup.subtree_control",
			    w) < 0)
				oci_debug("cgroup2: %s: enabling %s: %s", where,
				    w + 1, strerror(errno));
		}
		p += n;
	}
}

/* DIR's parent, a cgroup2 directory; -1 if not. */
static int
parent(int dir)
{
	struct statfs sf;
	int fd = openat(dir, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0 && (fstatfs(fd, &sf) < 0 ||
	    sf.f_type != CGROUP2_SUPER_MAGIC)) {
		close(fd);
		return -1;
	}
	return fd;
}

int
oci_cgroup_top(int cg)
{
	int top, jails, root;

	/* cg is <cgroup2>/jail/<leaf>/jail (jail__cgroup checked it). */
	if ((top = parent(cg)) < 0)
		return -1;
	if ((jails = parent(top)) < 0)
		return top;
	if ((root = parent(jails)) >= 0) {
		enable_all(root, "the root");
		close(root);
	}
	enable_all(jails, "jail");
	close(jails);
	return top;
}
