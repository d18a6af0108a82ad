/*
 * The jail's root file system, built by jail init's first self while it is
 * still host root in a mount namespace of its own (see build.c).
 *
 * The tree is assembled mount by mount, never cloned recursively: path's
 * own mount and each mount visible under it are cloned one at a time,
 * made nodev (device nodes come only from the jail's /dev) and, with a
 * private uid range, idmapped through the jail's user namespace, so that
 * a file owned by uid 0 on disk is owned by the jail's root and nothing
 * the jail creates is owned by a host user.  An overlay mount, which
 * cannot be idmapped, is replaced by a new overlay of idmapped layers
 * (overlay.c).  A mount whose file system cannot be idmapped otherwise is
 * left out (its mount point shows what lies under it) and reported.
 * /proc, /sys and /dev are the jail's own instances, with the sensitive
 * parts masked; with path=/ so are /run and /tmp.
 * /dev/jail is where the prison publishes the jail's view of itself.
 *
 * Every path is resolved below a directory fd without following symlinks
 * (openat2), so nothing the jail's files name can redirect a mount.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <linux/magic.h>

#include "internal.h"
#include "prison.h"

#define	DEVPTS_TTY_GID	5	/* the tty group, inside the jail */
/* idmapped_clone: overlay.c failed and said why in c->err. */
#define	OVERLAY_FAILED	(-2)

/* Mount MNT on TARGET (both fds); closes nothing. */
static int
attach(int mnt, int target)
{
	return move_mount(mnt, "", target, "", MOVE_MOUNT_F_EMPTY_PATH |
	    MOVE_MOUNT_T_EMPTY_PATH);
}

/* Set ATTRS on the detached mount MNT, idmapped when the jail has a range. */
static int
set_attrs(const struct rootfs *c, int mnt, uint64_t attrs, int idmap)
{
	struct mount_attr a = { .attr_set = attrs };

	if (idmap && c->userns >= 0) {
		a.attr_set |= MOUNT_ATTR_IDMAP;
		a.userns_fd = (uint64_t)c->userns;
	}
	if (a.attr_set == 0)
		return 0;
	return mount_setattr(mnt, "", AT_EMPTY_PATH, &a, sizeof(a));
}

/* A new file system instance, mounted detached. */
static int
new_fs(const struct rootfs *c, const char *type, const char *const *opts,
    uint64_t attrs, int idmap)
{
	int fs, mnt;

	if ((fs = fsopen(type, FSOPEN_CLOEXEC)) < 0)
		return -1;
	for (; opts != NULL && opts[0] != NULL; opts += 2)
		if (fsconfig(fs, FSCONFIG_SET_STRING, opts[0], opts[1], 0) < 0)
			goto fail;
	if (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		goto fail;
	mnt = fsmount(fs, FSMOUNT_CLOEXEC, 0);
	close(fs);
	if (mnt >= 0 && set_attrs(c, mnt, attrs, idmap) < 0) {
		int e = errno;

		close(mnt);
		errno = e;
		return -1;
	}
	return mnt;
fail:
	close(fs);
	return -1;
}

/*
 * The mount at FD cloned for the jail: M, the plain clone, when it takes
 * the idmap; else, for an overlay mount, a new overlay of idmapped layers
 * (overlay.c); REAL is FD's path, or NULL for the mount point itself.
 * -1 with errno from the idmap when neither works.
 */
static int
idmapped_clone(struct rootfs *c, int fd, int m, const char *real)
{
	struct statfs sf;
	struct statx stx;
	int e;

	if (set_attrs(c, m, MOUNT_ATTR_NODEV, 1) == 0)
		return m;
	e = errno;
	close(m);
	if (e != EINVAL || c->userns < 0 || fstatfs(fd, &sf) < 0 ||
	    sf.f_type != OVERLAYFS_SUPER_MAGIC ||
	    statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &stx) < 0 ||
	    !(stx.stx_mask & STATX_MNT_ID)) {
		errno = e;
		return -1;
	}
	m = overlay_clone(c, (int)stx.stx_mnt_id, real);
	return m < 0 ? OVERLAY_FAILED : m;
}

/* Note a mount point the jail will not see. */
void
rootfs_hide(struct rootfs *c, const char *rel)
{
	size_t len = strlen(c->hidden);

	snprintf(c->hidden + len, sizeof(c->hidden) - len, "%s/%s",
	    len > 0 ? " " : "", rel);
}

/* Cover REL under ROOT with an empty read-only object; absent is fine. */
static int
mask(struct rootfs *c, int root, const char *base, const char *rel)
{
	struct stat sb;
	int t, m, rc;

	if ((t = jfd_open_in(root, rel, 0)) < 0) {
		if (errno == ENOENT)
			return 0;
		return jerr(c->err, c->errlen, errno, "%s/%s: %s", base, rel,
		    strerror(errno));
	}
	if (fstat(t, &sb) < 0) {
		close(t);
		return jerr(c->err, c->errlen, errno, "%s/%s", base, rel);
	}
	m = open_tree(c->masks, S_ISDIR(sb.st_mode) ? "d" : "f",
	    OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	rc = m < 0 ? -1 : attach(m, t);
	if (rc < 0)
		jerr(c->err, c->errlen, errno, "mask %s/%s: %s", base, rel,
		    strerror(errno));
	if (m >= 0)
		close(m);
	close(t);
	return rc;
}

/* Remount REL under ROOT read-only, as a bind of itself. */
static int
readonly(struct rootfs *c, int root, const char *base, const char *rel)
{
	struct mount_attr ro = { .attr_set = MOUNT_ATTR_RDONLY |
	    MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC };
	int t, m, rc = -1;

	if ((t = jfd_open_in(root, rel, 0)) < 0)
		return errno == ENOENT ? 0 : jerr(c->err, c->errlen, errno,
		    "%s/%s: %s", base, rel, strerror(errno));
	m = open_tree(t, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH |
	    AT_RECURSIVE);
	if (m >= 0 && mount_setattr(m, "", AT_EMPTY_PATH | AT_RECURSIVE, &ro,
	    sizeof(ro)) == 0 && attach(m, t) == 0)
		rc = 0;
	else
		jerr(c->err, c->errlen, errno, "read-only %s/%s: %s", base, rel,
		    strerror(errno));
	if (m >= 0)
		close(m);
	close(t);
	return rc;
}

/*
 * What jailed root could read or write in a fresh procfs and must not:
 * kernel memory and addresses, the kernel's configuration, other users'
 * keys and key quotas, timer and scheduler internals, the kernel log,
 * sysrq, hardware inventories (runc's, crun's and podman's lists: podman
 * also masks /sys/dev/block, the host's block devices).  Files that need
 * a capability of the host's user namespace to open (kpageflags and kin)
 * are left alone: jailed root has none, and every mask costs each jail's
 * creation.
 */
static const char *const proc_masks[] = {
	"kcore", "keys", "key-users", "config.gz", "latency_stats",
	"timer_list", "timer_stats", "sched_debug", "sysrq-trigger", "kmsg",
	"acpi", "asound", "scsi", "interrupts", "slabinfo", "vmallocinfo", NULL,
};
static const char *const proc_readonly[] = { "sys", "bus", "fs", "irq", NULL };
static const char *const sys_masks[] = {
	"firmware", "devices/virtual/powercap", "kernel/debug",
	"kernel/security", "kernel/tracing", "kernel/vmcoreinfo", "fs/bpf",
	"fs/selinux", "dev/block",
	NULL,
};

/*
 * A new instance of TYPE mounted on REL under ROOT; returns the mount, or
 * ABSENT when REL does not exist (the jail's tree need not have it).
 */
#define	ABSENT	(-2)
static int
mount_new_at(struct rootfs *c, int root, const char *rel, const char *type,
    const char *const *opts, uint64_t attrs, int idmap)
{
	int t, m;

	if ((t = jfd_open_in(root, rel, O_DIRECTORY)) < 0)
		return errno == ENOENT ? ABSENT : jerr(c->err, c->errlen, errno,
		    "path/%s: %s", rel, strerror(errno));
	m = new_fs(c, type, opts, attrs, idmap);
	if (m < 0 || attach(m, t) < 0) {
		jerr(c->err, c->errlen, errno, "mount %s on /%s: %s", type, rel,
		    strerror(errno));
		if (m >= 0)
			close(m);
		m = -1;
	}
	close(t);
	return m;
}

/* Cover each of REL under the mount M; then close M. */
static int
mask_all(struct rootfs *c, int m, const char *base, const char *const *rel,
    const char *const *ro)
{
	int rc = 0;

	for (; rc == 0 && *rel != NULL; rel++)
		rc = mask(c, m, base, *rel);
	for (; rc == 0 && ro != NULL && *ro != NULL; ro++)
		rc = readonly(c, m, base, *ro);
	close(m);
	return rc;
}

static int
mount_proc(struct rootfs *c, int root)
{
	int m = mount_new_at(c, root, "proc", "proc", NULL, MOUNT_ATTR_NOSUID |
	    MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, 0);

	if (m < 0)
		return m == ABSENT ? 0 : -1;
	return mask_all(c, m, "/proc", proc_masks, proc_readonly);
}

static int
mount_sys(struct rootfs *c, int root)
{
	int m = mount_new_at(c, root, "sys", "sysfs", NULL, MOUNT_ATTR_RDONLY |
	    MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, 0);

	if (m < 0)
		return m == ABSENT ? 0 : -1;
	return mask_all(c, m, "/sys", sys_masks, NULL);
}

static const struct devnode {
	const char	*name;
	unsigned	 major, minor;
} devnodes[] = {
	{ "null", 1, 3 }, { "zero", 1, 5 }, { "full", 1, 7 },
	{ "random", 1, 8 }, { "urandom", 1, 9 }, { "tty", 5, 0 },
};

static const char *const devlinks[][2] = {
	{ "ptmx", "pts/ptmx" }, { "fd", "/proc/self/fd" },
	{ "stdin", "/proc/self/fd/0" }, { "stdout", "/proc/self/fd/1" },
	{ "stderr", "/proc/self/fd/2" },
};

/*
 * The jail's devpts: its own instance, so its ptys are its own, with at
 * most JAIL_MAXPTY of them (the host keeps kernel.pty.reserve for itself).
 */
static int
mount_devpts(struct rootfs *c, int dev)
{
	char gid[16], max[16];
	const char *const opts[] = { "mode", "0620", "ptmxmode", "0666",
	    "gid", gid, "max", max, NULL };
	int pts, ptsdir;

	snprintf(gid, sizeof(gid), "%u", c->idbase + DEVPTS_TTY_GID);
	snprintf(max, sizeof(max), "%d", JAIL_MAXPTY);
	ptsdir = openat(dev, "pts", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	pts = new_fs(c, "devpts", opts, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC, 0);
	if (ptsdir < 0 || pts < 0 || attach(pts, ptsdir) < 0) {
		int e = errno;

		if (pts >= 0)
			close(pts);
		if (ptsdir >= 0)
			close(ptsdir);
		errno = e;
		return -1;
	}
	close(pts);
	close(ptsdir);
	return 0;
}

/*
 * /dev/jail: where the prison publishes what the jail's processes may
 * read of their own jail (prison/snapshot.c, lib/jsysctl.h).  A tmpfs of
 * its own, mounted read-only in the jail, and not idmapped, so that its
 * files are host root's: to the jail they belong to no one it has, and
 * even jailed root cannot write them.  The mount is locked read-only
 * when the jail's own mount namespace is made (build.c).  The prison
 * keeps a writable clone, made here while the mount is still ours and
 * in our namespace, and writes through it; c->snapfd.
 */
static int
mount_snapshot(struct rootfs *c, int dev)
{
	static const char *const opts[] = { "mode", "0555", "size", "64k",
	    "nr_inodes", "16", NULL };
	struct mount_attr ro = { .attr_set = MOUNT_ATTR_RDONLY };
	int t, m, w = -1;

	t = openat(dev, "jail", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	m = t < 0 ? -1 : new_fs(c, "tmpfs", opts, MOUNT_ATTR_NOSUID |
	    MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, 0);
	if (m >= 0 && attach(m, t) == 0 && (w = open_tree(m, "",
	    OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH)) >= 0 &&
	    mount_setattr(m, "", AT_EMPTY_PATH, &ro, sizeof(ro)) == 0) {
		close(m);
		close(t);
		c->snapfd = w;
		return 0;
	}
	jerr(c->err, c->errlen, errno, "mount /dev/jail: %s", strerror(errno));
	if (w >= 0)
		close(w);
	if (m >= 0)
		close(m);
	if (t >= 0)
		close(t);
	return -1;
}

/*
 * A private /dev: tmpfs, the safe nodes, and a devpts of its own.  The
 * nodes are made while the tmpfs is detached and not yet idmapped (host
 * root has no id on an idmapped mount), then it is idmapped, so that the
 * jail sees them as its root's, and mounted.  The mounts found under
 * path/dev (below ORIG, named CANON) come back on top (devbinds.c).
 */
static int
mount_dev(struct rootfs *c, int orig, int root, const char *canon)
{
	static const char *const tmpopts[] = { "mode", "0755", "size", "1m", NULL };
	struct devbinds db;
	int t, m = -1, rc = -1;

	if ((t = jfd_open_in(root, "dev", O_DIRECTORY)) < 0)
		return errno == ENOENT ? 0 : jerr(c->err, c->errlen, errno,
		    "path/dev: %s", strerror(errno));
	if (devbinds_find(c, orig, canon, &db) < 0) {
		close(t);
		return -1;
	}
	m = new_fs(c, "tmpfs", tmpopts, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC, 0);
	if (m < 0)
		goto fail;
	for (size_t i = 0; i < sizeof(devnodes) / sizeof(devnodes[0]); i++)
		if (mknodat(m, devnodes[i].name, S_IFCHR | 0666,
		    makedev(devnodes[i].major, devnodes[i].minor)) < 0 ||
		    fchmodat(m, devnodes[i].name, 0666, 0) < 0)
			goto fail;
	for (size_t i = 0; i < sizeof(devlinks) / sizeof(devlinks[0]); i++)
		if (symlinkat(devlinks[i][1], m, devlinks[i][0]) < 0)
			goto fail;
	/* The mount point of the jail's mqueue, mounted in build.c. */
	if (c->mqueue && mkdirat(m, "mqueue", 0755) < 0)
		goto fail;
	if (mkdirat(m, "pts", 0755) < 0 || mkdirat(m, "shm", 01777) < 0 ||
	    fchmodat(m, "shm", 01777, 0) < 0 || mkdirat(m, "jail", 0555) < 0)
		goto fail;
	if (devbinds_prepare(c, m, &db) < 0)
		goto out;
	if (set_attrs(c, m, 0, 1) < 0 || attach(m, t) < 0 ||
	    mount_devpts(c, m) < 0 || mount_snapshot(c, m) < 0)
		goto fail;
	if (devbinds_attach(c, m, &db) < 0)
		goto out;
	rc = 0;
	goto out;
fail:
	jerr(c->err, c->errlen, errno, "populate /dev: %s", strerror(errno));
out:
	devbinds_free(&db);
	if (m >= 0)
		close(m);
	close(t);
	return rc;
}

/* The tmpfs the masks are cut from: an empty directory and an empty file. */
static int
make_masks(struct rootfs *c)
{
	static const char *const opts[] = { "mode", "0555", "size", "4k", NULL };
	struct mount_attr ro = { .attr_set = MOUNT_ATTR_RDONLY |
	    MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC };
	int fd;

	c->masks = new_fs(c, "tmpfs", opts, 0, 0);
	if (c->masks < 0 || mkdirat(c->masks, "d", 0555) < 0 ||
	    (fd = openat(c->masks, "f", O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC,
	    0)) < 0)
		return jerr(c->err, c->errlen, errno, "mask tmpfs: %s",
		    strerror(errno));
	close(fd);
	if (mount_setattr(c->masks, "", AT_EMPTY_PATH, &ro, sizeof(ro)) < 0)
		return jerr(c->err, c->errlen, errno, "mask tmpfs: %s",
		    strerror(errno));
	return 0;
}

/* path=/ shares the host's tree: its own /run and /tmp hide the host's. */
static int
private_tmp(struct rootfs *c, int root, const char *rel, const char *mode)
{
	const char *const opts[] = { "mode", mode, NULL };
	int m = mount_new_at(c, root, rel, "tmpfs", opts, MOUNT_ATTR_NOSUID |
	    MOUNT_ATTR_NODEV, 1);

	if (m < 0)
		return m == ABSENT ? 0 : -1;
	close(m);
	return 0;
}

/* The directories whose host mounts the jail never sees: its own are there. */
static int
replaced(const struct rootfs *c, const char *rel)
{
	static const char *const own[] = { "proc", "sys", "dev" };
	static const char *const own_root[] = { "run", "tmp" };

	for (size_t i = 0; i < 3; i++) {
		size_t n = strlen(own[i]);

		if (strncmp(rel, own[i], n) == 0 && (rel[n] == '\0' ||
		    rel[n] == '/'))
			return 1;
	}
	for (size_t i = 0; c->whole_host && i < 2; i++) {
		size_t n = strlen(own_root[i]);

		if (strncmp(rel, own_root[i], n) == 0 && (rel[n] == '\0' ||
		    rel[n] == '/'))
			return 1;
	}
	return 0;
}

/* Undo mountinfo's octal escapes (\040 for a space) in place. */
void
rootfs_unescape(char *s)
{
	char *o = s;

	for (; *s != '\0'; s++, o++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' &&
		    s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*o = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 +
			    (s[3] - '0'));
			s += 3;
		} else
			*o = *s;
	}
	*o = '\0';
}

/*
 * Clone one visible mount (mount id ID at REL below the original tree
 * ORIG) into the jail's tree TREE.  Mounts covered by another, or under a
 * mount that was left out, are not visible and are skipped.
 */
static int
add_submount(struct rootfs *c, int orig, int tree, int id, const char *rel)
{
	struct statx stx;
	int src, m, dst, rc;

	if ((src = jfd_open_in(orig, rel, 0)) < 0)
		return 0;
	if (statx(src, "", AT_EMPTY_PATH, STATX_MNT_ID, &stx) < 0 ||
	    !(stx.stx_mask & STATX_MNT_ID) || stx.stx_mnt_id != (uint64_t)id) {
		close(src);
		return 0;
	}
	m = open_tree(src, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC |
	    AT_EMPTY_PATH);
	if (m < 0) {
		close(src);
		return jerr(c->err, c->errlen, errno, "clone mount /%s: %s", rel,
		    strerror(errno));
	}
	m = idmapped_clone(c, src, m, NULL);
	close(src);
	if (m == OVERLAY_FAILED)
		return -1;
	if (m < 0) {
		if (errno != EINVAL && errno != EPERM && errno != EOPNOTSUPP)
			return jerr(c->err, c->errlen, errno, "mount /%s: %s",
			    rel, strerror(errno));
		rootfs_hide(c, rel);
		return 0;
	}
	if ((dst = jfd_open_in(tree, rel, 0)) < 0) {
		close(m);
		rootfs_hide(c, rel);
		return 0;
	}
	rc = attach(m, dst);
	if (rc < 0)
		jerr(c->err, c->errlen, errno, "mount /%s: %s", rel,
		    strerror(errno));
	close(dst);
	close(m);
	return rc;
}

/* Every mount under path (named CANON in mountinfo), in mount order. */
static int
add_submounts(struct rootfs *c, int orig, int tree, const char *canon)
{
	size_t clen = strcmp(canon, "/") == 0 ? 0 : strlen(canon);
	char *line = NULL;
	size_t cap = 0;
	FILE *f;
	int rc = 0;

	if ((f = fopen("/proc/self/mountinfo", "re")) == NULL)
		return jerr(c->err, c->errlen, errno, "mountinfo: %s",
		    strerror(errno));
	while (rc == 0 && getline(&line, &cap, f) > 0) {
		char mp[4096];
		int id;

		if (sscanf(line, "%d %*d %*s %*s %4095s", &id, mp) != 2)
			continue;
		rootfs_unescape(mp);
		if (strncmp(mp, canon, clen) != 0 || mp[clen] != '/' ||
		    mp[clen + 1] == '\0' || replaced(c, mp + clen + 1))
			continue;
		rc = add_submount(c, orig, tree, id, mp + clen + 1);
	}
	free(line);
	fclose(f);
	return rc;
}

/* path's own mount, cloned onto path: the top of the jail's tree. */
static int
root_mount(struct rootfs *c, int orig, const char *real)
{
	int m;

	m = open_tree(orig, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC |
	    AT_EMPTY_PATH);
	if (m < 0)
		return jerr(c->err, c->errlen, errno, "bind %s: %s", c->path,
		    strerror(errno));
	if ((m = idmapped_clone(c, orig, m, real)) == OVERLAY_FAILED)
		return -1;
	if (m < 0) {
		int e = errno;

		if (c->userns >= 0 && (e == EINVAL || e == EPERM ||
		    e == EOPNOTSUPP))
			return jerr(c->err, c->errlen, EINVAL, "path %s: its file "
			    "system cannot be idmapped for a private uid range; "
			    "idmap=identity makes the jail's root the host's "
			    "root on files (weaker, see jail(8))", c->path);
		return jerr(c->err, c->errlen, e, "mount %s: %s", c->path,
		    strerror(e));
	}
	if (attach(m, orig) < 0) {
		close(m);
		return jerr(c->err, c->errlen, errno, "bind %s: %s", c->path,
		    strerror(errno));
	}
	return m;
}

int
rootfs_build(struct rootfs *c)
{
	char canon[64], real[4096];
	int orig, tree = -1, rc = -1;
	ssize_t n;

	if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
		return jerr(c->err, c->errlen, errno, "make / a slave: %s",
		    strerror(errno));
	orig = open(c->path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (orig < 0)
		return jerr(c->err, c->errlen, errno, "path %s: %s", c->path,
		    strerror(errno));
	/* The name mountinfo uses for path, whatever links led to it. */
	snprintf(canon, sizeof(canon), "/proc/self/fd/%d", orig);
	if ((n = readlink(canon, real, sizeof(real) - 1)) <= 0) {
		jerr(c->err, c->errlen, errno, "path %s: %s", c->path,
		    strerror(errno));
		goto out;
	}
	real[n] = '\0';
	c->whole_host = strcmp(real, "/") == 0;
	if ((tree = root_mount(c, orig, real)) < 0 ||
	    add_submounts(c, orig, tree, real) < 0 || make_masks(c) < 0)
		goto out;
	if (c->whole_host && (private_tmp(c, tree, "run", "0755") < 0 ||
	    private_tmp(c, tree, "tmp", "1777") < 0 ||
	    mask(c, tree, "", jreg_path() + 1) < 0))
		goto out;
	if (mount_proc(c, tree) < 0 || mount_sys(c, tree) < 0 ||
	    mount_dev(c, orig, tree, real) < 0)
		goto out;
	/* pivot_root(".", "."): the old root ends up under the new, then goes. */
	if (fchdir(tree) < 0 || syscall(SYS_pivot_root, ".", ".") < 0 ||
	    umount2(".", MNT_DETACH) < 0 || chdir("/") < 0) {
		jerr(c->err, c->errlen, errno, "pivot_root: %s", strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (c->masks >= 0)
		close(c->masks);
	if (tree >= 0)
		close(tree);
	close(orig);
	return rc;
}
