/*
 * jail(8)'s mounts (jail8.h): the lines of mount and mount.fstab, made on
 * the host before the jail is created and undone, in reverse, after it is
 * removed; and mount.devfs, mount.fdescfs and mount.procfs.
 *
 * The prison builds the jail's tree from path's mount and each mount
 * under it at the moment the jail is created, so a mount made here
 * beforehand is part of the jail (idmapped with the rest, or left out and
 * listed in idmap.hidden if its file system cannot be); one made after
 * creation is not.  /proc, /sys and /dev are always the jail's own, so
 * mount.procfs, mount.fdescfs and mount.devfs have nothing to mount:
 * they are accepted and noted, and devfs_ruleset is checked against what
 * the jail's /dev holds (devfs.c).
 *
 * FreeBSD's jail(8) runs /sbin/mount and /sbin/umount.  Here they are
 * system calls, so that no name inside the jail's path is ever followed
 * out of it, whatever a jail's root has planted there:
 *
 *  - FILE, the mount point, is an absolute host path that must lie under
 *    the jail's path (".." is refused).  It is resolved below path with
 *    openat2(RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS)
 *    and the file system is attached to the descriptor that gives, with
 *    move_mount(MOVE_MOUNT_T_EMPTY_PATH): no name is looked up again.
 *  - A nullfs SPEC under the jail's path is resolved the same way; one
 *    outside it is the administrator's host path, opened as given.  The
 *    spec of any other file system must not lie under the jail's path.
 *  - To unmount, FILE is resolved the same way, the mount found there
 *    must be a mount root of the expected kind (the same directory as the
 *    nullfs source, the same file system type) with no mount below it, and
 *    it is detached with umount2("/proc/self/fd/N", MNT_DETACH) on that
 *    O_PATH descriptor: the magic link names exactly the mount checked.
 *    MNT_DETACH because the descriptor itself keeps the mount busy; a
 *    process of the host still using it keeps it until it lets go, as
 *    with umount -l.
 *
 * With -v each mount is noted as "mount -t TYPE [-o OPTIONS] SPEC FILE"
 * and each unmount as "umount -t TYPE FILE", the command lines FreeBSD's
 * jail(8) notes as "run command: /sbin/mount ..." (no program is run
 * here, hence no "run command").
 *
 * The lines are read and taken apart in fstab.c, their types and options
 * looked up in fsopts.c (mount.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "mount.h"
#include "devfs.h"
#include "internal.h"

/* Is J being stopped or cleaned up after, rather than undoing its start? */
static int
stopping(const struct cfjail *j)
{
	return (j->flags & (JF_STOP | JF_CLEANUP)) != 0;
}

/* ---- Resolving inside the jail's path ---- */

/* The jail's path, to resolve under: -1 with a message. */
static int
open_root(const struct cfjail *j, const struct mline *m)
{
	int fd = open(m->path, O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		mwarn(j, m->where, "path %s: %s", m->path, strerror(errno));
	return fd;
}

/* NAME (REL under ROOT) resolved without a symlink: -1 with a message. */
static int
open_checked(const struct cfjail *j, const struct mline *m, int root,
    const char *rel, const char *name)
{
	int fd = jfd_open_in(root, rel, 0);

	if (fd >= 0)
		return fd;
	if (errno == ELOOP)
		mwarn(j, m->where, "%s: a symbolic link on the way, which is "
		    "never followed inside a jail's path", name);
	else if (errno == EXDEV)
		mwarn(j, m->where, "%s: leads out of the jail's path", name);
	else
		mwarn(j, m->where, "%s: %s", name, strerror(errno));
	return -1;
}

/* Is FD the root of a mount?  Its mount id in *ID.  -1 if unknown. */
static int
mount_root(int fd, int *id)
{
	struct statx stx;

	if (statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW,
	    STATX_MNT_ID | STATX_INO, &stx) < 0)
		return -1;
	if (id != NULL)
		*id = (int)stx.stx_mnt_id;
	if (!(stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT)) {
		errno = ENOSYS;
		return -1;
	}
	return (stx.stx_attributes & STATX_ATTR_MOUNT_ROOT) != 0;
}

/* Is the directory FD empty? 1, 0, or -1. */
static int
dir_empty(int fd)
{
	int dfd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *d;
	DIR *dir;
	int empty = 1;

	if (dfd < 0 || (dir = fdopendir(dfd)) == NULL) {
		if (dfd >= 0)
			close(dfd);
		return -1;
	}
	while ((d = readdir(dir)) != NULL)
		if (strcmp(d->d_name, ".") != 0 && strcmp(d->d_name, "..") != 0) {
			empty = 0;
			break;
		}
	closedir(dir);
	return empty;
}

/* ---- Mounting ---- */

/* The kernel's last error message about the file system context FS. */
static void
fs_log(int fs, char *buf, size_t len)
{
	char msg[512];
	ssize_t n;

	buf[0] = '\0';
	while ((n = read(fs, msg, sizeof(msg) - 1)) > 0) {
		msg[n] = '\0';
		msg[strcspn(msg, "\n")] = '\0';
		if (msg[0] == 'e' && msg[1] == ' ')
			snprintf(buf, len, "%s", msg + 2);
	}
}

static uint64_t
mount_attrs(const struct mline *m)
{
	uint64_t a = m->attrs;

	if (m->ro)
		a |= MOUNT_ATTR_RDONLY;
	if (m->atime_set)
		a |= m->atime;
	return a;
}

/* Give the context FS one option OPT for the kernel: "key" or "key=value". */
static int
fs_option(int fs, const char *opt)
{
	char *key = estrdup(opt), *val = strchr(key, '=');
	int rc;

	if (val != NULL)
		*val++ = '\0';
	rc = val != NULL ? fsconfig(fs, FSCONFIG_SET_STRING, key, val, 0) :
	    fsconfig(fs, FSCONFIG_SET_FLAG, key, NULL, 0);
	free(key);
	return rc;
}

/*
 * Configure the context FS with M's source, "ro" and options, and create
 * the file system: -1 with errno, and in *WHAT the option refused ("source"
 * for the source; NULL if it was the creation).
 */
static int
fs_configure(int fs, const struct mline *m, const char **what)
{
	*what = "source";
	if (fsconfig(fs, FSCONFIG_SET_STRING, "source", m->spec, 0) < 0)
		return -1;
	*what = "ro";
	if (m->ro && fsconfig(fs, FSCONFIG_SET_FLAG, "ro", NULL, 0) < 0)
		return -1;
	for (int i = 0; i < m->nkopts; i++) {
		*what = m->kopts[i];
		if (fs_option(fs, m->kopts[i]) < 0)
			return -1;
	}
	*what = NULL;
	return fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0);
}

/* The message for M when the context FS failed at WHAT (fs_configure). */
static void
fs_failed(const struct cfjail *j, const struct mline *m, int fs,
    const char *what)
{
	char klog[512];
	int e = errno;

	fs_log(fs, klog, sizeof(klog));
	if (what != NULL && strcmp(what, "source") != 0)
		mwarn(j, m->where, "%s: %s: option %s: %s", m->file, m->type,
		    what, klog[0] != '\0' ? klog : strerror(e));
	else
		mwarn(j, m->where, "%s: %s from %s: %s", m->file, m->type,
		    m->spec, klog[0] != '\0' ? klog : strerror(e));
}

/* A new instance of M's file system, mounted detached: -1 with a message. */
static int
new_fs(const struct cfjail *j, const struct mline *m)
{
	const char *what = NULL;
	int fs, mnt = -1;

	if ((fs = fsopen(m->fstype, FSOPEN_CLOEXEC)) < 0) {
		if (errno == ENODEV)
			mwarn(j, m->where, "%s: Linux has no such file system "
			    "(or its module is not loaded)", m->fstype);
		else
			mwarn(j, m->where, "fsopen %s: %s", m->fstype,
			    strerror(errno));
		return -1;
	}
	if (fs_configure(fs, m, &what) == 0)
		mnt = fsmount(fs, FSMOUNT_CLOEXEC, 0);
	if (mnt < 0)
		fs_failed(j, m, fs, what);
	close(fs);
	return mnt;
}

/* Open M's nullfs source: under the jail's path as the targets are. */
static int
open_source(const struct cfjail *j, const struct mline *m, int root)
{
	int fd;

	if (m->specrel != NULL)
		return open_checked(j, m, root, m->specrel, m->spec);
	if ((fd = open(m->spec, O_PATH | O_CLOEXEC)) < 0)
		mwarn(j, m->where, "%s: %s", m->spec, strerror(errno));
	return fd;
}

/*
 * M's per-mount attributes on the detached mount MNT.  Only set, never
 * cleared: "rw" or "suid" on a clone of a read-only or nosuid mount
 * leaves it so, as nullfs cannot give more than its lower layer.
 */
static int
set_attrs(const struct cfjail *j, const struct mline *m, int mnt)
{
	struct mount_attr a = { .attr_set = mount_attrs(m) };

	if (m->atime_set)
		a.attr_clr = MOUNT_ATTR__ATIME;
	if (a.attr_set == 0 && a.attr_clr == 0)
		return 0;
	if (mount_setattr(mnt, "", AT_EMPTY_PATH, &a, sizeof(a)) < 0) {
		mwarn(j, m->where, "%s: %s: %s", m->file, m->opts,
		    strerror(errno));
		return -1;
	}
	return 0;
}

/* A clone of M's nullfs source SRC, detached. */
static int
bind_clone(const struct cfjail *j, const struct mline *m, int src)
{
	int mnt;

	mnt = open_tree(src, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC |
	    AT_EMPTY_PATH);
	if (mnt < 0)
		mwarn(j, m->where, "%s: %s", m->spec, strerror(errno));
	return mnt;
}

/* Does TARGET suit M: its kind (directory or not), nocover, emptydir? */
static int
target_check(const struct cfjail *j, const struct mline *m, int target,
    int src)
{
	struct stat tsb, ssb;
	int r;

	if (fstat(target, &tsb) < 0) {
		mwarn(j, m->where, "%s: %s", m->file, strerror(errno));
		return -1;
	}
	if (src >= 0 && fstat(src, &ssb) < 0) {
		mwarn(j, m->where, "%s: %s", m->spec, strerror(errno));
		return -1;
	}
	if (src >= 0 && S_ISDIR(ssb.st_mode) != S_ISDIR(tsb.st_mode)) {
		mwarn(j, m->where, "%s: %s", m->file, S_ISDIR(tsb.st_mode) ?
		    "a directory, and the source is not" :
		    "not a directory, and the source is one");
		return -1;
	}
	if (src < 0 && !S_ISDIR(tsb.st_mode)) {
		mwarn(j, m->where, "%s: not a directory", m->file);
		return -1;
	}
	if (m->nocover && (r = mount_root(target, NULL)) != 0) {
		mwarn(j, m->where, "%s: %s", m->file, r > 0 ?
		    "already a mount point (nocover)" : strerror(errno));
		return -1;
	}
	if (m->emptydir && S_ISDIR(tsb.st_mode) && (r = dir_empty(target)) != 1) {
		mwarn(j, m->where, "%s: %s", m->file, r == 0 ?
		    "not an empty directory (emptydir)" : strerror(errno));
		return -1;
	}
	return 0;
}

static void
record_mount(struct cfjail *j, const char *target)
{
	j->mounted = ereallocarray(j->mounted, (size_t)j->nmounted + 1,
	    sizeof(*j->mounted));
	j->mounted[j->nmounted++] = estrdup(target);
}

/* The last record of TARGET in j->mounted, or -1. */
static int
recorded(const struct cfjail *j, const char *target)
{
	for (int i = j->nmounted - 1; i >= 0; i--)
		if (strcmp(j->mounted[i], target) == 0)
			return i;
	return -1;
}

/* Forget record I of j->mounted; -1 is none. */
static void
unrecord(struct cfjail *j, int i)
{
	if (i < 0)
		return;
	free(j->mounted[i]);
	memmove(&j->mounted[i], &j->mounted[i + 1],
	    (size_t)(j->nmounted - i - 1) * sizeof(*j->mounted));
	j->nmounted--;
}

/* S with blanks and backslashes escaped as fstab(5) writes them. */
static char *
escaped(const char *s)
{
	char *out = emalloc(strlen(s) * 4 + 1), *o = out;

	for (; *s != '\0'; s++)
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\\')
			o += sprintf(o, "\\%03o", (unsigned char)*s);
		else
			*o++ = *s;
	*o = '\0';
	return out;
}

/* -v: the mount(8) or umount(8) command line that does the same. */
static void
note_mount(const struct cfjail *j, const struct mline *m, int undo)
{
	char *spec, *file, *opts;

	if (verbose <= 0)
		return;
	spec = escaped(m->spec);
	file = escaped(m->file);
	opts = escaped(m->opts != NULL ? m->opts : "");
	if (undo)
		jail_note(j, "umount -t %s %s\n", m->type, file);
	else
		jail_note(j, "mount -t %s%s%s %s %s\n", m->type,
		    *opts != '\0' ? " -o " : "", opts, spec, file);
	free(spec);
	free(file);
	free(opts);
}

/* Mount M's line: 0, or -1 with the message. */
static int
do_mount(struct cfjail *j, const struct mline *m)
{
	int root, target = -1, src = -1, mnt = -1, rc = -1;

	note_mount(j, m, 0);
	if ((root = open_root(j, m)) < 0)
		return -1;
	if ((target = open_checked(j, m, root, m->rel, m->file)) < 0)
		goto out;
	if (m->kind == FS_BIND && (src = open_source(j, m, root)) < 0)
		goto out;
	if (target_check(j, m, target, src) < 0)
		goto out;
	mnt = m->kind == FS_BIND ? bind_clone(j, m, src) : new_fs(j, m);
	if (mnt < 0 || set_attrs(j, m, mnt) < 0)
		goto out;
	if (move_mount(mnt, "", target, "", MOVE_MOUNT_F_EMPTY_PATH |
	    MOVE_MOUNT_T_EMPTY_PATH) < 0) {
		mwarn(j, m->where, "%s: %s", m->file, strerror(errno));
		goto out;
	}
	record_mount(j, m->target);
	rc = 0;
out:
	if (mnt >= 0)
		close(mnt);
	if (src >= 0)
		close(src);
	if (target >= 0)
		close(target);
	close(root);
	return rc;
}

/* ---- Unmounting ---- */

/*
 * From mountinfo, mount ID's file system type into TYPE, and how many
 * mounts have it for parent.  -1 if it is not there.
 */
static int
mountinfo_of(int id, char *type, size_t len, int *children)
{
	char *line = NULL;
	size_t cap = 0;
	FILE *f;
	int found = -1;

	*children = 0;
	if ((f = fopen("/proc/self/mountinfo", "re")) == NULL)
		return -1;
	while (getline(&line, &cap, f) > 0) {
		int mid, parent;
		char *sep;

		if (sscanf(line, "%d %d", &mid, &parent) != 2)
			continue;
		if (parent == id && mid != id)
			(*children)++;
		if (mid != id || (sep = strstr(line, " - ")) == NULL)
			continue;
		sep += 3;
		snprintf(type, len, "%.*s", (int)strcspn(sep, " \n"), sep);
		found = 0;
	}
	free(line);
	fclose(f);
	return found;
}

/* Is the mount at TARGET (id ID) what M mounts?  NULL, or what it is not. */
static const char *
mount_mismatch(const struct cfjail *j, const struct mline *m, int root,
    int target, int id)
{
	char type[64];
	int children;

	if (mountinfo_of(id, type, sizeof(type), &children) < 0)
		return "not in /proc/self/mountinfo";
	if (children > 0)
		return "other mounts lie under it: unmount them first";
	if (m->kind == FS_BIND) {
		struct stat tsb, ssb;
		int src = open_source(j, m, root);
		int same;

		if (src < 0)
			return "its source cannot be checked";
		same = fstat(src, &ssb) == 0 && fstat(target, &tsb) == 0 &&
		    ssb.st_dev == tsb.st_dev && ssb.st_ino == tsb.st_ino;
		close(src);
		return same ? NULL : "not a nullfs mount of the source";
	}
	if (strcmp(type, m->fstype) != 0)
		return "not a mount of that type";
	return NULL;
}

/*
 * Unmount the mount at TARGET (REC its record, or -1), if it is what M
 * mounts.  Not being a mount point is not an error.
 */
static int
unmount_target(struct cfjail *j, const struct mline *m, int root, int target,
    int rec)
{
	char self[64];
	const char *bad;
	int id, r;

	if ((r = mount_root(target, &id)) < 0) {
		mwarn(j, m->where, "%s: %s", m->file, strerror(errno));
		return -1;
	}
	if (r == 0) {
		if (verbose > 0)
			jail_note(j, "%s: %s: not mounted\n", m->where,
			    m->file);
		unrecord(j, rec);
		return 0;
	}
	if ((bad = mount_mismatch(j, m, root, target, id)) != NULL) {
		mwarn(j, m->where, "%s: %s", m->file, bad);
		return -1;
	}
	note_mount(j, m, 1);
	snprintf(self, sizeof(self), "/proc/self/fd/%d", target);
	if (umount2(self, MNT_DETACH) < 0) {
		mwarn(j, m->where, "umount %s: %s", m->file, strerror(errno));
		return -1;
	}
	unrecord(j, rec);
	return 0;
}

/*
 * Unmount M's line.  Only a mount made in this run, unless the jail is
 * being stopped (or cleaned up after), when a mount of a former run is
 * looked for as FreeBSD's jail(8) does.  What is not mounted is not an
 * error: undo must work after a start that failed half-way.
 */
static int
do_unmount(struct cfjail *j, const struct mline *m)
{
	int root, target, rc = -1;
	int rec = recorded(j, m->target);

	if (rec < 0 && !stopping(j))
		return 0;
	if ((root = open_root(j, m)) < 0)
		return -1;
	if ((target = jfd_open_in(root, m->rel, 0)) >= 0) {
		rc = unmount_target(j, m, root, target, rec);
		close(target);
	} else if (errno == ENOENT) {
		unrecord(j, rec);
		rc = 0;
	} else
		open_checked(j, m, root, m->rel, m->file);
	close(root);
	return rc;
}

/* ---- The lines of mount and mount.fstab ---- */

/*
 * A type the jail has its own of (procfs on path/proc, ...): nothing to
 * mount there; anywhere else it is refused.
 */
static int
own_fs(const struct cfjail *j, const struct mline *m, int undo)
{
	if (strcmp(m->rel, m->fs->arg) != 0) {
		mwarn(j, m->where, "%s on %s: the jail has its own /%s, and %s "
		    "can be mounted only there (%s/%s)", m->type, m->file,
		    m->fs->arg, m->type, strcmp(m->path, "/") == 0 ? "" :
		    m->path, m->fs->arg);
		return -1;
	}
	if (!undo && verbose > 0)
		jail_note(j, "%s: %s on %s: the jail has its own /%s, nothing "
		    "to mount\n", m->where, m->type, m->file, m->fs->arg);
	return 0;
}

/* A line of mount or of a mount.fstab file. */
static int
mount_line(struct cfjail *j, enum intparam ip, const char *value, int undo)
{
	struct mline m;
	char *where = ip == IP__MOUNT_FROM_FSTAB ? fstab_where(j, value) : NULL;
	int undoing_start = undo && !stopping(j);
	int rc;

	/*
	 * A fstab line was checked, and its options noted, when read.  Undoing
	 * a start, a line that does not parse was never mounted: nothing to
	 * say.
	 */
	rc = mline_parse(j, ip, value, where, undoing_start ? MLINE_SILENT :
	    undo || where != NULL ? MLINE_QUIET : MLINE_ALL, &m);
	free(where);
	if (rc < 0 && undoing_start) {
		mline_free(&m);
		return 0;
	}
	if (rc == 0 && m.nfields > 0 && !m.skip) {
		if (m.kind == FS_OWN)
			rc = own_fs(j, &m, undo);
		else if (undo)
			rc = do_unmount(j, &m);
		else
			rc = do_mount(j, &m);
		if (rc < 0 && !undo && m.failok) {
			mwarn(j, m.where, "%s: not mounted (failok)", m.file);
			rc = 0;
		}
	} else if (rc == 0 && m.skip && !undo && verbose > 0)
		jail_note(j, "%s: %s: skipped (xx)\n", m.where, m.file);
	mline_free(&m);
	return rc;
}

/* ---- mount.devfs, mount.fdescfs, mount.procfs ---- */

/*
 * mount.devfs: the jail always has its own /dev (the prison's, see
 * prison/rootfs.c).  What is checked is the ruleset it would be mounted
 * with, devfs_ruleset or FreeBSD's default 4: it must not ask for a
 * device the jail's /dev cannot give, nor hide one it always has.
 */
static int
devfs_step(struct cfjail *j)
{
	struct cfparam *p = j->ip[IP_MOUNT_DEVFS];
	const char *path = cf_string(cfjail_find(j, "path"));
	int ruleset = 0, r;

	if (p != NULL && !cf_bool(p)) {
		if (verbose > 0)
			jail_note(j, "mount.nodevfs: the jail has its own /dev "
			    "all the same\n");
		return 0;
	}
	if (path == NULL) {
		jail_warnx(j, "mount.devfs: no path");
		return -1;
	}
	if ((r = cf_int(j, cfjail_find(j, "devfs_ruleset"), &ruleset)) < 0)
		return -1;
	if (ruleset > 65535) {
		jail_warnx(j, "devfs_ruleset: %d out of range (0 to 65535)",
		    ruleset);
		return -1;
	}
	if (ruleset == 0)
		ruleset = DEVFS_RULESET_JAIL;
	return devfs_check_ruleset(j, ruleset);
}

/* mount.fdescfs, mount.procfs: the jail always has its own. */
static int
own_step(const struct cfjail *j, enum intparam ip)
{
	struct cfparam *p = j->ip[ip];

	if (verbose <= 0 || (p != NULL && !cf_bool(p)))
		return 0;
	jail_note(j, "%s: the jail has its own %s, nothing to mount\n",
	    intparams[ip].name, ip == IP_MOUNT_PROCFS ? "/proc" : "/dev/fd");
	return 0;
}

int
mount_step(struct cfjail *j, enum intparam ip, const char *value, int undo)
{
	switch (ip) {
	case IP_MOUNT:
	case IP__MOUNT_FROM_FSTAB:
		if (value == NULL)
			return 0;
		return mount_line(j, ip, value, undo);
	case IP_MOUNT_DEVFS:
		return undo ? 0 : devfs_step(j);
	case IP_MOUNT_FDESCFS:
	case IP_MOUNT_PROCFS:
		return undo ? 0 : own_step(j, ip);
	default:
		jail_warnx(j, "mount_step: step %d is not a mount", (int)ip);
		return -1;
	}
}
