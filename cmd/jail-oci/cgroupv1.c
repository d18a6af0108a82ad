/*
 * A container's cgroups in the cgroup v1 hierarchies (hybrid hosts, whose
 * controllers are all on v1): one directory per controller used, at the
 * same path in each (linux.cgroupsPath, else jail-oci/ID), made on first
 * use, a component at a time without following symlinks.  They are
 * listed, "<controller>\t<hierarchy>\t<path>" a line, in the state
 * directory's "cgroups", which update, exec (oci_cgroup_enter) and delete
 * (oci_cgroup_remove) read, checking each line again: a cgroup v1 mount
 * and a plain path.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <linux/magic.h>

#include "internal.h"
#include "oci.h"
#include "cgroupv1.h"

#define	CGFILE		"cgroups"

/* The mount point of controller CTL's v1 hierarchy. */
static int
v1_mount(const char *ctl, char *buf, size_t len)
{
	return jmountinfo_point("cgroup", ctl, buf, len);
}

/* A path of plain names: no "", ".", ".." (cgroupsPath, or a stored one). */
static int
plain_path(const char *p)
{
	const char *c = p;

	if (*p == '\0' || strlen(p) >= PATH_MAX - 300)
		return 0;
	while (*c != '\0') {
		size_t n = strcspn(c, "/");

		if (n == 0 || (n == 1 && c[0] == '.') ||
		    (n == 2 && c[0] == '.' && c[1] == '.') ||
		    strncmp(c, "cgroup.", 7) == 0)
			return 0;
		c += n;
		if (*c == '/')
			c++;
		if (*c == '\0' && c[-1] == '/')
			return 0;
	}
	return strchr(p, '\n') == NULL && strchr(p, '\t') == NULL;
}

/* The hierarchy's root, checked to be cgroup v1's. */
static int
open_mount(const char *mnt)
{
	struct statfs sf;
	int fd = open(mnt, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd >= 0 && (fstatfs(fd, &sf) < 0 || sf.f_type != CGROUP_SUPER_MAGIC)) {
		close(fd);
		errno = ENOTDIR;
		return -1;
	}
	return fd;
}

/* Copy a cpuset file from PARENT to the new DIR (v1 starts them empty). */
static void
cpuset_inherit(int parent, int dir, const char *file)
{
	char buf[256];

	if (oci_cgroup_read(parent, file, buf, sizeof(buf)) > 0 &&
	    oci_cgroup_write(dir, file, buf) < 0)
		oci_debug("%s: %s", file, strerror(errno));
}

/*
 * The directory REL under hierarchy MNT, made a component at a time,
 * never following a symlink (cgroupfs has none: one would not be it).
 */
static int
v1_mkdir(const char *ctl, const char *mnt, const char *rel)
{
	char comp[NAME_MAX + 1];
	const char *c = rel;
	int fd = open_mount(mnt);

	while (fd >= 0 && *c != '\0') {
		size_t n = strcspn(c, "/");
		int sub, made;

		if (n > NAME_MAX) {
			close(fd);
			errno = ENAMETOOLONG;
			return -1;
		}
		memcpy(comp, c, n);
		comp[n] = '\0';
		c += n + (c[n] == '/');
		made = mkdirat(fd, comp, 0755) == 0;
		if (!made && errno != EEXIST) {
			close(fd);
			return -1;
		}
		sub = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC);
		/* Only a new one: an existing cgroup's cpus are its owner's. */
		if (sub >= 0 && made && strcmp(ctl, "cpuset") == 0) {
			cpuset_inherit(fd, sub, "cpuset.cpus");
			cpuset_inherit(fd, sub, "cpuset.mems");
		}
		close(fd);
		fd = sub;
	}
	return fd;
}

/* The container's v1 cgroup of CTL, made on first use; -1 if none can be. */
int
oci_v1_dir(struct oci_v1 *a, const char *ctl)
{
	struct oci_v1cg *g = NULL;

	for (int i = 0; i < a->n; i++)
		if (strcmp(a->cg[i].ctl, ctl) == 0)
			g = &a->cg[i];
	if (g == NULL) {
		if (a->n == OCI_V1_MAX)
			return -1;
		g = &a->cg[a->n++];
		memset(g, 0, sizeof(*g));
		g->fd = -1;
		snprintf(g->ctl, sizeof(g->ctl), "%s", ctl);
		g->fresh = 1;
		if (v1_mount(ctl, g->mnt, sizeof(g->mnt)) < 0) {
			g->failed = 1;
			return -1;
		}
		/* Twice: a delete may remove an empty jail-oci meanwhile. */
		for (int t = 0; t < 2 && g->fd < 0; t++)
			g->fd = v1_mkdir(ctl, g->mnt, a->rel);
		if (g->fd < 0) {
			oci_warn("cgroup %s/%s: %s", g->mnt, a->rel,
			    strerror(errno));
			g->failed = 1;
		}
	}
	return g->fd;
}

int
oci_cgroup_write(int dir, const char *file, const char *val)
{
	size_t n = strlen(val);
	int fd = openat(dir, file, O_WRONLY | O_CLOEXEC | O_NOFOLLOW), ok;

	if (fd < 0)
		return -1;
	ok = write(fd, val, n) == (ssize_t)n;
	if (!ok) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	close(fd);
	return 0;
}

ssize_t
oci_cgroup_read(int dir, const char *file, char *buf, size_t len)
{
	int fd = openat(dir, file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

/* The v1 cgroups made, recorded for delete and exec. */
int
oci_v1_record(int dir, const struct oci_v1 *a)
{
	FILE *f;
	int fd, ok, any = 0;

	for (int i = 0; i < a->n; i++)
		any |= a->cg[i].fd >= 0;
	if (!any)
		return 0;
	/* Written whole, then renamed: an update never leaves half a list. */
	if ((fd = openat(dir, CGFILE ".new", O_WRONLY | O_CREAT | O_TRUNC |
	    O_NOFOLLOW | O_CLOEXEC, 0600)) < 0 ||
	    (f = fdopen(fd, "w")) == NULL) {
		if (fd >= 0)
			close(fd);
		oci_err("%s: %s", CGFILE, strerror(errno));
		return -1;
	}
	for (int i = 0; i < a->n; i++)
		if (a->cg[i].fd >= 0)
			fprintf(f, "%s\t%s\t%s\n", a->cg[i].ctl, a->cg[i].mnt,
			    a->rel);
	ok = fflush(f) == 0 && fsync(fileno(f)) == 0;
	ok = fclose(f) == 0 && ok;
	if (!ok || renameat(dir, CGFILE ".new", dir, CGFILE) < 0) {
		oci_err("%s: %s", CGFILE, strerror(errno));
		unlinkat(dir, CGFILE ".new", 0);
		return -1;
	}
	return 0;
}

/* PID into the v1 cgroup open as DIR. */
static int
enter(int dir, pid_t pid)
{
	char num[32];

	snprintf(num, sizeof(num), "%d", (int)pid);
	return oci_cgroup_write(dir, "cgroup.procs", num);
}


/* PID into A's new cgroups: a warning for each it cannot join. */
void
oci_v1_enter(struct oci_v1 *a, pid_t pid)
{
	for (int i = 0; i < a->n; i++)
		if (a->cg[i].fd >= 0 && a->cg[i].fresh &&
		    enter(a->cg[i].fd, pid) < 0)
			oci_warn("linux.resources: %s: moving process %d into "
			    "%s/%s: %s: its limits do not apply", a->cg[i].ctl,
			    (int)pid, a->cg[i].mnt, a->rel, strerror(errno));
}

void
oci_v1_close(struct oci_v1 *a)
{
	for (int i = 0; i < a->n; i++)
		if (a->cg[i].fd >= 0) {
			close(a->cg[i].fd);
			a->cg[i].fd = -1;
		}
}

/*
 * The path in each hierarchy: cgroupsPath as an absolute one (relative
 * paths too: jail-oci has no cgroup of its own to put them under), or
 * jail-oci/ID.  systemd's "slice:prefix:name" is not a path.
 */
void
oci_v1_path(struct oci_v1 *a, const char *cgpath, const char *id)
{
	const char *p = cgpath;

	while (p != NULL && *p == '/')
		p++;
	if (p != NULL && strchr(p, ':') != NULL) {
		oci_warn("linux.cgroupsPath %s: systemd's form is not "
		    "supported: jail-oci/%s instead", cgpath, id);
		p = NULL;
	} else if (p != NULL && !plain_path(p)) {
		oci_warn("linux.cgroupsPath %s: not a plain path: "
		    "jail-oci/%s instead", cgpath, id);
		p = NULL;
	}
	if (p != NULL)
		snprintf(a->rel, sizeof(a->rel), "%s", p);
	else
		snprintf(a->rel, sizeof(a->rel), "jail-oci/%s", id);
}

/*
 * Each v1 cgroup recorded in the state directory DIR, checked again as
 * it is read: a hierarchy of cgroup v1 and a plain path.  FN is called
 * with the hierarchy's root open and the path.
 */
static void
each_recorded(int dir, void (*fn)(int, const char *, const char *,
    const char *, void *), void *arg)
{
	char line[PATH_MAX + 300];
	FILE *f;
	int fd = openat(dir, CGFILE, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0 || (f = fdopen(fd, "r")) == NULL) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		char *mnt, *rel;
		int m;

		line[strcspn(line, "\n")] = '\0';
		if ((mnt = strchr(line, '\t')) == NULL ||
		    (rel = strchr(mnt + 1, '\t')) == NULL)
			continue;
		*mnt++ = '\0';
		*rel++ = '\0';
		if (*mnt != '/' || !plain_path(rel) || strlen(line) >= 32 ||
		    strlen(mnt) >= 256 || (m = open_mount(mnt)) < 0)
			continue;
		fn(m, line, mnt, rel, arg);
		close(m);
	}
	fclose(f);
}

static void
load_one(int mnt, const char *ctl, const char *mp, const char *rel,
    void *arg)
{
	struct oci_v1 *a = arg;
	struct oci_v1cg *g;

	if (a->n == OCI_V1_MAX)
		return;
	g = &a->cg[a->n];
	memset(g, 0, sizeof(*g));
	if ((g->fd = openat(mnt, rel, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) < 0)
		return;
	snprintf(g->ctl, sizeof(g->ctl), "%s", ctl);
	snprintf(g->mnt, sizeof(g->mnt), "%s", mp);
	snprintf(a->rel, sizeof(a->rel), "%s", rel);
	a->n++;
}

int
oci_v1_load(int dir, struct oci_v1 *a)
{
	each_recorded(dir, load_one, a);
	return a->n;
}

static void
enter_one(int mnt, const char *ctl, const char *mp, const char *rel,
    void *arg)
{
	pid_t pid = *(pid_t *)arg;
	int d;

	(void)ctl;
	d = openat(mnt, rel, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);

	if (d < 0 || enter(d, pid) < 0)
		oci_warn("cgroup %s/%s: moving process %d: %s", mp, rel,
		    (int)pid, strerror(errno));
	if (d >= 0)
		close(d);
}

void
oci_cgroup_enter(int dir, pid_t pid)
{
	each_recorded(dir, enter_one, &pid);
}

static void
remove_one(int mnt, const char *ctl, const char *mp, const char *rel,
    void *arg)
{
	(void)ctl;
	(void)arg;
	/* The processes may take a moment to leave once killed. */
	for (int t = 0; t < 50; t++) {
		if (unlinkat(mnt, rel, AT_REMOVEDIR) == 0 || errno == ENOENT)
			break;
		if (errno != EBUSY || t == 49) {
			oci_warn("cgroup %s/%s: %s", mp, rel, strerror(errno));
			return;
		}
		usleep(20000);
	}
	/* jail-oci/ is ours: gone with its last container. */
	if (strncmp(rel, "jail-oci/", 9) == 0 && strchr(rel + 9, '/') == NULL)
		(void)unlinkat(mnt, "jail-oci", AT_REMOVEDIR);
}

void
oci_cgroup_remove(int dir)
{
	each_recorded(dir, remove_one, NULL);
	unlinkat(dir, CGFILE, 0);
	unlinkat(dir, CGFILE ".new", 0);
}

