/*
 * Mounts found under path/dev, carried into the jail's own /dev.
 *
 * The jail's /dev is the prison's tmpfs (rootfs.c), which covers
 * whatever was under path/dev.  Engines and admins still bind files and
 * directories there: Kubernetes binds /dev/termination-log into every
 * container, and a mount.fstab line may bind a directory below
 * path/dev.  Each such mount visible under path/dev in the creating
 * mount namespace is cloned, alone, and attached at the same place in
 * the jail's /dev, so the jail sees what the host bound and nothing the
 * host did not.
 *
 * What is never carried: a device node (the jail's nodes are the fixed
 * safe set, and a clone is always nodev and nosuid anyway), a mount over
 * one of the jail's own entries (/dev/null, /dev/pts, /dev/jail, ...),
 * which is refused rather than silently shadowed; and anything under a
 * path/dev that is itself a mount point, such as the host's /dev with
 * path=/: that whole /dev is what the jail's replaces.
 *
 * The mount points are made in the jail's tmpfs while it is detached and
 * not yet idmapped (host root has no id on an idmapped mount), one
 * component at a time without following a symlink; a mount nested in an
 * earlier one finds its mount point there, as on the host.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "internal.h"
#include "prison.h"

struct devbind {
	char	rel[PATH_MAX];	/* below dev/ */
	int	m;		/* the clone; -1 once attached or hidden */
	int	dir;		/* its root is a directory */
	int	nested;		/* below an earlier one's mount point */
};

/* The jail's own entries of /dev (rootfs.c), never covered. */
static const char *const own[] = {
	"null", "zero", "full", "random", "urandom", "tty", "ptmx", "fd",
	"stdin", "stdout", "stderr", "pts", "jail", "mqueue",
};

/* Is REL's first component one of the jail's own entries? */
static const char *
owns(const char *rel)
{
	size_t n = strcspn(rel, "/");

	for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++)
		if (strlen(own[i]) == n && strncmp(rel, own[i], n) == 0)
			return own[i];
	return NULL;
}

/* Is A a proper ancestor of B? */
static int
ancestor(const char *a, const char *b)
{
	size_t n = strlen(a);

	return strncmp(a, b, n) == 0 && b[n] == '/';
}

void
devbinds_free(struct devbinds *d)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].m >= 0)
			close(d->v[i].m);
	free(d->v);
	d->v = NULL;
	d->n = 0;
}

/* The mount ID at dev/REL below ORIG, if visible there: add its clone. */
static int
add(struct rootfs *c, int orig, struct devbinds *d, int id, const char *rel)
{
	char path[PATH_MAX + 8];
	struct devbind *b, *v;
	struct statx stx;
	const char *o;
	int src, m;

	snprintf(path, sizeof(path), "dev/%s", rel);
	if ((src = jfd_open_in(orig, path, 0)) < 0)
		return 0;
	if (statx(src, "", AT_EMPTY_PATH, STATX_MNT_ID | STATX_TYPE, &stx) < 0 ||
	    !(stx.stx_mask & STATX_MNT_ID) || stx.stx_mnt_id != (uint64_t)id) {
		close(src);	/* covered by another mount: not visible */
		return 0;
	}
	if ((o = owns(rel)) != NULL) {
		close(src);
		return jerr(c->err, c->errlen, EINVAL, "mount on path/dev/%s: "
		    "the jail's /dev has its own %s, which nothing covers",
		    rel, o);
	}
	if (S_ISCHR(stx.stx_mode) || S_ISBLK(stx.stx_mode)) {
		close(src);
		return jerr(c->err, c->errlen, EPERM, "mount on path/dev/%s: "
		    "a device node; the jail's /dev has only its own nodes",
		    rel);
	}
	m = open_tree(src, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC |
	    AT_EMPTY_PATH);
	close(src);
	if (m < 0)
		return jerr(c->err, c->errlen, errno, "clone mount /dev/%s: %s",
		    rel, strerror(errno));
	if ((v = realloc(d->v, (d->n + 1) * sizeof(*v))) == NULL) {
		close(m);
		return jerr(c->err, c->errlen, ENOMEM, "/dev mounts: %s",
		    strerror(ENOMEM));
	}
	d->v = v;
	b = &d->v[d->n++];
	snprintf(b->rel, sizeof(b->rel), "%s", rel);
	b->m = m;
	b->dir = S_ISDIR(stx.stx_mode);
	b->nested = 0;
	for (size_t i = 0; i + 1 < d->n; i++)
		if (ancestor(d->v[i].rel, rel))
			b->nested = 1;
	return 0;
}

int
devbinds_find(struct rootfs *c, int orig, const char *canon,
    struct devbinds *d)
{
	char dev[PATH_MAX];
	char *line = NULL;
	size_t cap = 0, dl;
	FILE *f;
	int rc = 0, whole = 0;

	d->v = NULL;
	d->n = 0;
	if (c->whole_host)
		return 0;
	dl = (size_t)snprintf(dev, sizeof(dev), "%s/dev", canon);
	if ((f = fopen("/proc/self/mountinfo", "re")) == NULL)
		return jerr(c->err, c->errlen, errno, "mountinfo: %s",
		    strerror(errno));
	while (rc == 0 && getline(&line, &cap, f) > 0) {
		char mp[PATH_MAX];
		int id;

		if (sscanf(line, "%d %*d %*s %*s %4095s", &id, mp) != 2)
			continue;
		rootfs_unescape(mp);
		if (strcmp(mp, dev) == 0)
			whole = 1;
		else if (strncmp(mp, dev, dl) == 0 && mp[dl] == '/' &&
		    mp[dl + 1] != '\0')
			rc = add(c, orig, d, id, mp + dl + 1);
	}
	free(line);
	fclose(f);
	if (rc < 0 || whole)
		devbinds_free(d);
	return rc;
}

/* Make REL's mount point (a directory if DIR) below the tmpfs DEV. */
static int
make_point(struct rootfs *c, int dev, const char *rel, int dir)
{
	char buf[PATH_MAX], *s, *e;
	int cur = dev, next, rc;

	snprintf(buf, sizeof(buf), "%s", rel);
	for (s = buf; (e = strchr(s, '/')) != NULL; s = e + 1) {
		*e = '\0';
		if (mkdirat(cur, s, 0755) < 0 && errno != EEXIST)
			goto fail;
		next = openat(cur, s, O_PATH | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC);
		if (cur != dev)
			close(cur);
		if ((cur = next) < 0)
			goto fail;
	}
	if (dir)
		rc = mkdirat(cur, s, 0755);
	else if ((rc = openat(cur, s, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0644)) >= 0)
		rc = close(rc);
	if (rc < 0 && errno != EEXIST)
		goto fail;
	if (cur != dev)
		close(cur);
	return 0;
fail:
	rc = errno;
	if (cur >= 0 && cur != dev)
		close(cur);
	return jerr(c->err, c->errlen, rc, "mount point /dev/%s: %s", rel,
	    strerror(rc));
}

int
devbinds_prepare(struct rootfs *c, int dev, struct devbinds *d)
{
	for (size_t i = 0; i < d->n; i++)
		if (!d->v[i].nested && make_point(c, dev, d->v[i].rel,
		    d->v[i].dir) < 0)
			return -1;
	return 0;
}

int
devbinds_attach(struct rootfs *c, int dev, struct devbinds *d)
{
	struct mount_attr a = { .attr_set = MOUNT_ATTR_NODEV |
	    MOUNT_ATTR_NOSUID };
	char path[PATH_MAX + 8];

	if (c->userns >= 0) {
		a.attr_set |= MOUNT_ATTR_IDMAP;
		a.userns_fd = (uint64_t)c->userns;
	}
	for (size_t i = 0; i < d->n; i++) {
		struct devbind *b = &d->v[i];
		int t, rc, hidden = 0;

		/* Under one left out: its mount point is not there. */
		for (size_t k = 0; k < i; k++)
			if (d->v[k].m >= 0 && ancestor(d->v[k].rel, b->rel))
				hidden = 1;
		if (!hidden && mount_setattr(b->m, "", AT_EMPTY_PATH, &a,
		    sizeof(a)) < 0) {
			if (errno != EINVAL && errno != EPERM &&
			    errno != EOPNOTSUPP)
				return jerr(c->err, c->errlen, errno,
				    "mount /dev/%s: %s", b->rel,
				    strerror(errno));
			hidden = 1;	/* its file system takes no idmap */
		}
		if (hidden) {
			snprintf(path, sizeof(path), "dev/%s", b->rel);
			rootfs_hide(c, path);
			continue;	/* b->m stays open: a mark for below */
		}
		if ((t = jfd_open_in(dev, b->rel, 0)) < 0)
			return jerr(c->err, c->errlen, errno, "mount point "
			    "/dev/%s: %s", b->rel, strerror(errno));
		rc = move_mount(b->m, "", t, "", MOVE_MOUNT_F_EMPTY_PATH |
		    MOVE_MOUNT_T_EMPTY_PATH);
		close(t);
		if (rc < 0)
			return jerr(c->err, c->errlen, errno, "mount /dev/%s: %s",
			    b->rel, strerror(errno));
		close(b->m);
		b->m = -1;
	}
	return 0;
}
