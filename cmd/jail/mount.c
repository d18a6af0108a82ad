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
 * File system types: nullfs is a bind mount (not recursive, as nullfs
 * does not show the mounts under its source); tmpfs is Linux's tmpfs
 * (size=, mode=, uid=, gid= as they are, inodes= as nr_inodes=);
 * cd9660, msdosfs and ext2fs are iso9660, vfat and ext4; procfs,
 * linprocfs, linsysfs, devfs and fdescfs are accepted where the jail has
 * its own (path/proc, path/sys, path/dev, path/dev/fd) and mount nothing;
 * file systems that need a daemon (fusefs) or carry the host kernel's
 * own state (devtmpfs, cgroup, debugfs, ...) are refused; any other type
 * is mounted as given, with its options passed to the kernel.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/openat2.h>

#include "jail8.h"
#include "devfs.h"

/* What mounting a type of file system means here. */
enum fskind {
	FS_BIND,	/* nullfs: a bind mount of a host directory or file */
	FS_NEW,		/* a new instance of a Linux file system */
	FS_OWN,		/* the jail always has its own: nothing to mount */
	FS_REFUSED,
};

struct fstype {
	const char	*name;		/* as fstab(5) writes it */
	enum fskind	 kind;
	const char	*arg;		/* FS_NEW: Linux's name; FS_OWN: where
					   under path the jail has its own */
	const char	*why;		/* FS_REFUSED: the reason */
};

static const char host_state[] = "it would show the host kernel's own state "
    "to the jail";

static const struct fstype fstypes[] = {
	{ "nullfs",	FS_BIND,	NULL,		NULL },
	{ "tmpfs",	FS_NEW,		"tmpfs",	NULL },
	{ "cd9660",	FS_NEW,		"iso9660",	NULL },
	{ "msdosfs",	FS_NEW,		"vfat",		NULL },
	{ "ext2fs",	FS_NEW,		"ext4",		NULL },
	{ "procfs",	FS_OWN,		"proc",		NULL },
	{ "linprocfs",	FS_OWN,		"proc",		NULL },
	{ "proc",	FS_OWN,		"proc",		NULL },
	{ "linsysfs",	FS_OWN,		"sys",		NULL },
	{ "sysfs",	FS_OWN,		"sys",		NULL },
	{ "devfs",	FS_OWN,		"dev",		NULL },
	{ "fdescfs",	FS_OWN,		"dev/fd",	NULL },
	{ "devpts",	FS_OWN,		"dev/pts",	NULL },
	{ "fusefs",	FS_REFUSED,	NULL,		"a FUSE file system needs "
	    "its daemon: mount it before the jail starts (exec.prepare)" },
	{ "unionfs",	FS_REFUSED,	NULL,		"Linux has no unionfs; "
	    "its counterpart is overlay (lowerdir=, upperdir=, workdir=)" },
	{ "swap",	FS_REFUSED,	NULL,		"swap space is not mounted" },
	{ "mqueuefs",	FS_REFUSED,	NULL,		"it would show the host's "
	    "message queues to the jail" },
	{ "mqueue",	FS_REFUSED,	NULL,		"it would show the host's "
	    "message queues to the jail" },
	{ "devtmpfs",	FS_REFUSED,	NULL,		"it holds the host's device "
	    "nodes; the jail has its own /dev" },
	{ "cgroup",	FS_REFUSED,	NULL,		host_state },
	{ "cgroup2",	FS_REFUSED,	NULL,		host_state },
	{ "debugfs",	FS_REFUSED,	NULL,		host_state },
	{ "tracefs",	FS_REFUSED,	NULL,		host_state },
	{ "securityfs",	FS_REFUSED,	NULL,		host_state },
	{ "bpf",	FS_REFUSED,	NULL,		host_state },
	{ "configfs",	FS_REFUSED,	NULL,		host_state },
	{ "efivarfs",	FS_REFUSED,	NULL,		host_state },
	{ "pstore",	FS_REFUSED,	NULL,		host_state },
	{ "binfmt_misc", FS_REFUSED,	NULL,		host_state },
	{ "fusectl",	FS_REFUSED,	NULL,		host_state },
	{ "nfsd",	FS_REFUSED,	NULL,		host_state },
	{ "rpc_pipefs",	FS_REFUSED,	NULL,		host_state },
	{ "autofs",	FS_REFUSED,	NULL,		"an automounter needs its "
	    "daemon" },
};

/* What an option of the fourth field does. */
enum optkind {
	OPT_ATTR,	/* sets a per-mount attribute */
	OPT_NOATTR,	/* undoes an earlier OPT_ATTR of the same line */
	OPT_ATIME,	/* an atime mode */
	OPT_RO,
	OPT_RW,
	OPT_NOCOVER,	/* refuse to cover a mount point */
	OPT_COVER,
	OPT_EMPTYDIR,	/* refuse a mount point that is not empty */
	OPT_FAILOK,	/* a failure to mount is only a warning */
	OPT_SKIP,	/* "xx": fstab(5)'s "ignore this line" */
	/* The kinds above take no value. */
	OPT_NOTE,	/* means nothing here: noted with -v */
	OPT_IGNORED,	/* no Linux counterpart: warned about, then ignored */
	OPT_REFUSED,
	OPT_RENAME,	/* passed to the kernel under another name */
	OPT_KERNEL,	/* passed to the kernel as it is */
};

struct optdef {
	const char	*name;		/* before any "=" */
	enum optkind	 kind;
	uint64_t	 attr;		/* OPT_ATTR, OPT_NOATTR, OPT_ATIME */
	const char	*why;		/* the note, warning or refusal; for
					   OPT_RENAME the kernel's name */
};

/* Options of every type. */
static const struct optdef options[] = {
	{ "ro",		OPT_RO,		0, NULL },
	{ "rdonly",	OPT_RO,		0, NULL },
	{ "rw",		OPT_RW,		0, NULL },
	{ "rq",		OPT_RW,		0, NULL },
	{ "nosuid",	OPT_ATTR,	MOUNT_ATTR_NOSUID, NULL },
	{ "suid",	OPT_NOATTR,	MOUNT_ATTR_NOSUID, NULL },
	{ "noexec",	OPT_ATTR,	MOUNT_ATTR_NOEXEC, NULL },
	{ "exec",	OPT_NOATTR,	MOUNT_ATTR_NOEXEC, NULL },
	{ "nodev",	OPT_ATTR,	MOUNT_ATTR_NODEV, NULL },
	{ "dev",	OPT_NOATTR,	MOUNT_ATTR_NODEV, NULL },
	{ "nosymfollow", OPT_ATTR,	MOUNT_ATTR_NOSYMFOLLOW, NULL },
	{ "symfollow",	OPT_NOATTR,	MOUNT_ATTR_NOSYMFOLLOW, NULL },
	{ "nodiratime",	OPT_ATTR,	MOUNT_ATTR_NODIRATIME, NULL },
	{ "diratime",	OPT_NOATTR,	MOUNT_ATTR_NODIRATIME, NULL },
	{ "noatime",	OPT_ATIME,	MOUNT_ATTR_NOATIME, NULL },
	{ "atime",	OPT_ATIME,	MOUNT_ATTR_RELATIME, NULL },
	{ "relatime",	OPT_ATIME,	MOUNT_ATTR_RELATIME, NULL },
	{ "strictatime", OPT_ATIME,	MOUNT_ATTR_STRICTATIME, NULL },
	{ "nocover",	OPT_NOCOVER,	0, NULL },
	{ "cover",	OPT_COVER,	0, NULL },
	{ "emptydir",	OPT_EMPTYDIR,	0, NULL },
	{ "failok",	OPT_FAILOK,	0, NULL },
	{ "xx",		OPT_SKIP,	0, NULL },
	{ "late",	OPT_NOTE,	0, "it orders mount -a at boot" },
	{ "noauto",	OPT_NOTE,	0, "it only keeps mount -a away" },
	{ "auto",	OPT_NOTE,	0, "it only concerns mount -a" },
	{ "userquota",	OPT_IGNORED,	0, "quotas are not turned on" },
	{ "groupquota",	OPT_IGNORED,	0, "quotas are not turned on" },
	{ "multilabel",	OPT_IGNORED,	0, "Linux has no MAC labels" },
	{ "acls",	OPT_IGNORED,	0, "POSIX ACLs are the file "
	    "system's own on Linux" },
	{ "nfsv4acls",	OPT_IGNORED,	0, "Linux has no NFSv4 ACLs on "
	    "local file systems" },
	{ "suiddir",	OPT_IGNORED,	0, "Linux has no suiddir" },
	{ "noclusterr",	OPT_IGNORED,	0, "Linux has no read clustering "
	    "switch" },
	{ "noclusterw",	OPT_IGNORED,	0, "Linux has no write clustering "
	    "switch" },
	{ "update",	OPT_REFUSED,	0, "jail(8) only makes new mounts" },
	{ "union",	OPT_REFUSED,	0, "Linux has no union mounts; "
	    "overlay is their counterpart" },
	{ "snapshot",	OPT_REFUSED,	0, "Linux has no UFS snapshots" },
	{ "force",	OPT_REFUSED,	0, "jail(8) does not force a mount" },
	{ "sw",		OPT_REFUSED,	0, "swap space is not mounted" },
	{ "mountprog",	OPT_REFUSED,	0, "jail(8) mounts with system "
	    "calls and runs no mount program" },
	{ "bind",	OPT_REFUSED,	0, "a bind mount is written as type "
	    "nullfs" },
	{ "rbind",	OPT_REFUSED,	0, "a bind mount is written as type "
	    "nullfs" },
	{ "remount",	OPT_REFUSED,	0, "jail(8) only makes new mounts" },
	{ "move",	OPT_REFUSED,	0, "jail(8) only makes new mounts" },
	{ NULL,		OPT_KERNEL,	0, NULL },
};

/* nullfs's own: no file system instance takes any other option. */
static const struct optdef nullfs_options[] = {
	{ "nocache",	OPT_NOTE,	0, "Linux's bind mounts share the "
	    "page cache" },
	{ "cache",	OPT_NOTE,	0, "Linux's bind mounts share the "
	    "page cache" },
	{ NULL,		OPT_REFUSED,	0, "nullfs has no such option" },
};

/* FreeBSD's tmpfs options Linux's spells differently or lacks. */
static const struct optdef tmpfs_options[] = {
	{ "inodes",	OPT_RENAME,	0, "nr_inodes" },
	{ "maxfilesize", OPT_IGNORED,	0, "Linux's tmpfs bounds only its "
	    "size" },
	{ "nonc",	OPT_IGNORED,	0, "Linux's tmpfs has no name cache "
	    "switch" },
	{ "nomtime",	OPT_IGNORED,	0, "Linux's tmpfs always keeps "
	    "mtime" },
	{ "easize",	OPT_IGNORED,	0, "Linux's tmpfs bounds only its "
	    "size" },
	{ "pgread",	OPT_IGNORED,	0, "Linux's tmpfs has no pgread" },
	{ NULL,		OPT_KERNEL,	0, NULL },
};

/* One line of mount or mount.fstab, taken apart and checked. */
struct mline {
	const char	*line;		/* as written */
	char		*where;		/* "mount" or "mount.fstab: FILE line N" */
	char		*whereline;	/* the same, with the line for "mount" */
	char		*buf;		/* the fields, decoded, NUL-terminated */
	int		 nfields;
	char		*spec, *file, *type, *opts;
	const struct fstype *fs;	/* NULL: any other type, FS_NEW */
	enum fskind	 kind;
	const char	*fstype;	/* Linux's name, FS_NEW */
	/* The options. */
	uint64_t	 attrs;		/* MOUNT_ATTR_*, not the atime mode */
	uint64_t	 atime;
	int		 atime_set, ro, nocover, emptydir, failok, skip;
	char	       **kopts;		/* for the kernel: "key" or "key=value" */
	int		 nkopts;
	/* Where. */
	char		*path;		/* the jail's path, normalised */
	char		*target;	/* FILE, normalised */
	char		*rel;		/* FILE under path; "." for path */
	char		*specrel;	/* SPEC under path, or NULL */
};

static void
mline_free(struct mline *m)
{
	free(m->where);
	free(m->whereline);
	free(m->buf);
	for (int i = 0; i < m->nkopts; i++)
		free(m->kopts[i]);
	free(m->kopts);
	free(m->path);
	free(m->target);
	free(m->rel);
	free(m->specrel);
	memset(m, 0, sizeof(*m));
}

/* Set while undoing a line that may never have been checked: its errors
   mean only that it was never mounted. */
static int silent;

/* "jail: NAME: WHERE: message". */
static void
mwarn(const struct cfjail *j, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void
mwarn(const struct cfjail *j, const char *where, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (silent)
		return;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	jail_warnx(j, "%s: %s", where, msg != NULL ? msg : fmt);
	free(msg);
}

static char *
eprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *
eprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0) {
		jail_warnx(NULL, "out of memory");
		exit(1);
	}
	return s;
}

/*
 * Decode fstab(5)'s escapes in place, as getfsent(3) and FreeBSD's jail(8)
 * (strunvis) do: \NNN in octal (\040 is a space), \\, \t, \n and \s.
 * Returns -1 on any other escape and on a NUL.
 */
static int
unescape(char *s)
{
	char *o = s;

	for (; *s != '\0'; s++, o++) {
		if (*s != '\\') {
			*o = *s;
			continue;
		}
		s++;
		if (*s >= '0' && *s <= '7') {
			int v = 0, n;

			for (n = 0; n < 3 && *s >= '0' && *s <= '7'; n++, s++)
				v = v * 8 + (*s - '0');
			s--;
			if (v == 0 || v > 255)
				return -1;
			*o = (char)v;
		} else if (*s == '\\')
			*o = '\\';
		else if (*s == 't')
			*o = '\t';
		else if (*s == 'n')
			*o = '\n';
		else if (*s == 's')
			*o = ' ';
		else
			return -1;
	}
	*o = '\0';
	return 0;
}

/*
 * The absolute path P with its empty and "." components gone and no
 * trailing "/": "/" for the root.  NULL if a component is "..", which
 * could lead anywhere.
 */
static char *
normalise(const char *p)
{
	char *out = emalloc(strlen(p) + 2), *o = out;

	while (*p != '\0') {
		size_t n;

		while (*p == '/')
			p++;
		n = strcspn(p, "/");
		if (n == 0 || (n == 1 && p[0] == '.')) {
			p += n;
			continue;
		}
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			free(out);
			return NULL;
		}
		*o++ = '/';
		memcpy(o, p, n);
		o += n;
		p += n;
	}
	if (o == out)
		*o++ = '/';
	*o = '\0';
	return out;
}

/* FILE (normalised) relative to PATH (normalised): "." for PATH, NULL if
   FILE is not under it. */
static char *
under(const char *path, const char *file)
{
	size_t n = strlen(path);

	if (strcmp(path, "/") == 0)
		return estrdup(file[1] != '\0' ? file + 1 : ".");
	if (strncmp(file, path, n) != 0)
		return NULL;
	if (file[n] == '\0')
		return estrdup(".");
	if (file[n] != '/')
		return NULL;
	return estrdup(file + n + 1);
}

static const struct fstype *
fstype_find(const char *name)
{
	for (size_t i = 0; i < sizeof(fstypes) / sizeof(fstypes[0]); i++)
		if (strcmp(fstypes[i].name, name) == 0)
			return &fstypes[i];
	return NULL;
}

/* A plausible file system type name: Linux's are short, of these. */
static int
fstype_valid(const char *t)
{
	size_t n = strlen(t);

	return n > 0 && n < 64 && strspn(t, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == n;
}

/* The definition of option KEY (KLEN bytes) in TABLE; its last entry
   (name NULL) is what any other option is. */
static const struct optdef *
opt_find(const struct optdef *table, const char *key, size_t klen)
{
	for (; table->name != NULL; table++)
		if (strlen(table->name) == klen &&
		    strncmp(table->name, key, klen) == 0)
			break;
	return table;
}

static void
kopt_add(struct mline *m, const char *opt)
{
	m->kopts = ereallocarray(m->kopts, (size_t)m->nkopts + 1,
	    sizeof(*m->kopts));
	m->kopts[m->nkopts++] = estrdup(opt);
}

/*
 * One option OPT of M's line.  QUIET: already said (the line was checked
 * when its file was read), or being undone: no notes or warnings again.
 * 0, or -1 with the message printed.
 */
static int
opt_apply(const struct cfjail *j, struct mline *m, const char *opt, int quiet)
{
	const struct optdef *type_table = NULL, *d;
	size_t klen = strcspn(opt, "=");

	if (klen == 0) {
		mwarn(j, m->whereline, "an empty option");
		return -1;
	}
	if (m->kind == FS_BIND)
		type_table = nullfs_options;
	else if (m->kind == FS_NEW && strcmp(m->fstype, "tmpfs") == 0)
		type_table = tmpfs_options;
	d = opt_find(options, opt, klen);
	if (d->name == NULL && type_table != NULL)
		d = opt_find(type_table, opt, klen);
	if (d->name != NULL && d->kind < OPT_NOTE && opt[klen] == '=') {
		mwarn(j, m->whereline, "option %s takes no value", d->name);
		return -1;
	}
	switch (d->kind) {
	case OPT_ATTR:
		m->attrs |= d->attr;
		break;
	case OPT_NOATTR:
		m->attrs &= ~d->attr;
		break;
	case OPT_ATIME:
		m->atime = d->attr;
		m->atime_set = 1;
		break;
	case OPT_RO:
		m->ro = 1;
		break;
	case OPT_RW:
		m->ro = 0;
		break;
	case OPT_NOCOVER:
		m->nocover = 1;
		break;
	case OPT_COVER:
		m->nocover = 0;
		break;
	case OPT_EMPTYDIR:
		m->emptydir = 1;
		break;
	case OPT_FAILOK:
		m->failok = 1;
		break;
	case OPT_SKIP:
		m->skip = 1;
		break;
	case OPT_NOTE:
		if (verbose > 0 && !quiet)
			jail_note(j, "%s: option %s ignored: %s\n", m->where,
			    d->name, d->why);
		break;
	case OPT_IGNORED:
		if (!quiet)
			mwarn(j, m->where, "option %.*s ignored: %s", (int)klen,
			    opt, d->why);
		break;
	case OPT_REFUSED:
		mwarn(j, m->whereline, "option %.*s: %s", (int)klen, opt,
		    d->why);
		return -1;
	case OPT_RENAME: {
		char *o = eprintf("%s%s", d->why, opt + klen);

		kopt_add(m, o);
		free(o);
		break;
	}
	case OPT_KERNEL:
		kopt_add(m, opt);
		break;
	}
	return 0;
}

/* The options field of M, comma-separated; "" is none (rw). */
static int
opts_apply(const struct cfjail *j, struct mline *m, int quiet)
{
	char *copy, *o, *next;
	int rc = 0;

	if (m->opts == NULL || *m->opts == '\0')
		return 0;
	copy = estrdup(m->opts);
	for (o = copy; rc == 0 && o != NULL; o = next) {
		if ((next = strchr(o, ',')) != NULL)
			*next++ = '\0';
		rc = opt_apply(j, m, o, quiet);
	}
	free(copy);
	return rc;
}

/* Split M's line into its fields, decoded: -1 with a message if bad. */
static int
fields_split(const struct cfjail *j, struct mline *m)
{
	char *fields[7], *s, *save = NULL;
	int n = 0;

	m->buf = estrdup(m->line);
	for (s = strtok_r(m->buf, " \t\f\v\r\n", &save); s != NULL;
	    s = strtok_r(NULL, " \t\f\v\r\n", &save)) {
		if (n == 6) {
			mwarn(j, m->whereline, "too many fields (fstab(5) has "
			    "six: SPEC FILE TYPE OPTIONS FREQ PASSNO)");
			return -1;
		}
		if (unescape(s) < 0) {
			mwarn(j, m->whereline, "fstab parse error: a bad "
			    "escape (\\NNN in octal, \\\\, \\t, \\n or \\s)");
			return -1;
		}
		fields[n++] = s;
	}
	m->nfields = n;
	if (n == 0)
		return 0;
	if (n < 3) {
		mwarn(j, m->whereline, "missing information");
		return -1;
	}
	for (int i = 4; i < n; i++)
		if (strspn(fields[i], "0123456789") != strlen(fields[i])) {
			mwarn(j, m->whereline, "%s: %s is not a number",
			    i == 4 ? "FREQ" : "PASSNO", fields[i]);
			return -1;
		}
	m->spec = fields[0];
	m->file = fields[1];
	m->type = fields[2];
	m->opts = n > 3 ? fields[3] : NULL;
	return 0;
}

/* M's type: its kind, Linux's name for it; -1 with a message if refused. */
static int
type_resolve(const struct cfjail *j, struct mline *m)
{
	if (!fstype_valid(m->type)) {
		mwarn(j, m->whereline, "%s: not a file system type", m->type);
		return -1;
	}
	m->fs = fstype_find(m->type);
	/* Linux's FUSE types: fuse, fuseblk, fuse.sshfs, ... */
	if (m->fs == NULL && (strcmp(m->type, "fuse") == 0 ||
	    strcmp(m->type, "fuseblk") == 0 || strncmp(m->type, "fuse.", 5) == 0))
		m->fs = fstype_find("fusefs");
	m->kind = m->fs != NULL ? m->fs->kind : FS_NEW;
	m->fstype = m->fs == NULL ? m->type : m->fs->arg;
	if (m->kind == FS_REFUSED) {
		mwarn(j, m->whereline, "%s: %s", m->type, m->fs->why);
		return -1;
	}
	return 0;
}

/* M's FILE and SPEC against the jail's path. */
static int
paths_resolve(const struct cfjail *j, struct mline *m)
{
	const char *path = cf_string(cfjail_find(j, "path"));

	if (path == NULL || *path == '\0') {
		mwarn(j, m->where, "no path");
		return -1;
	}
	if (path[0] != '/' || (m->path = normalise(path)) == NULL) {
		mwarn(j, m->where, "path %s: not an absolute pathname without "
		    "\"..\"", path);
		return -1;
	}
	if (m->file[0] != '/') {
		mwarn(j, m->where, "%s: not an absolute pathname", m->file);
		return -1;
	}
	if ((m->target = normalise(m->file)) == NULL) {
		mwarn(j, m->where, "%s: \"..\" is not allowed in a mount point",
		    m->file);
		return -1;
	}
	if ((m->rel = under(m->path, m->target)) == NULL) {
		mwarn(j, m->where, "%s: not under the jail's path %s", m->file,
		    m->path);
		return -1;
	}
	if (m->kind == FS_BIND || m->spec[0] == '/') {
		char *spec;

		if (m->spec[0] != '/') {
			mwarn(j, m->where, "%s: not an absolute pathname",
			    m->spec);
			return -1;
		}
		if ((spec = normalise(m->spec)) == NULL) {
			mwarn(j, m->where, "%s: \"..\" is not allowed in a "
			    "source", m->spec);
			return -1;
		}
		m->specrel = under(m->path, spec);
		free(spec);
		if (m->specrel != NULL && m->kind == FS_NEW) {
			mwarn(j, m->where, "%s: the source of a %s mount "
			    "cannot lie in the jail's path", m->spec, m->type);
			return -1;
		}
	}
	return 0;
}

/*
 * Take the line VALUE of step IP apart and check it, into M.  WHERE names
 * a mount.fstab line ("mount.fstab: FILE line N"); NULL for mount.
 * QUIET: notes and warnings about options were already given.
 */
static int
mline_parse(const struct cfjail *j, enum intparam ip, const char *value,
    const char *where, int quiet, struct mline *m)
{
	memset(m, 0, sizeof(*m));
	m->line = value;
	if (where != NULL) {
		m->where = estrdup(where);
		m->whereline = estrdup(where);
	} else {
		m->where = estrdup(intparams[ip == IP_MOUNT ? IP_MOUNT :
		    IP_MOUNT_FSTAB].name);
		m->whereline = eprintf("%s: %s", m->where, value);
	}
	if (fields_split(j, m) < 0)
		return -1;
	if (m->nfields == 0)
		return 0;
	if (type_resolve(j, m) < 0 || opts_apply(j, m, quiet) < 0)
		return -1;
	if (m->skip)
		return 0;
	return paths_resolve(j, m);
}

/* ---- Resolving inside the jail's path ---- */

static int
open_in(int root, const char *rel, int flags)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_PATH | O_CLOEXEC),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS |
		    RESOLVE_NO_MAGICLINKS,
	};

	return (int)syscall(SYS_openat2, root, rel, &how, sizeof(how));
}

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
	int fd = open_in(root, rel, 0);

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

/* A new instance of M's file system, mounted detached: -1 with a message. */
static int
new_fs(const struct cfjail *j, const struct mline *m)
{
	char klog[512];
	const char *what;
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
	what = "source";
	if (fsconfig(fs, FSCONFIG_SET_STRING, "source", m->spec, 0) < 0)
		goto fail;
	what = "ro";
	if (m->ro && fsconfig(fs, FSCONFIG_SET_FLAG, "ro", NULL, 0) < 0)
		goto fail;
	for (int i = 0; i < m->nkopts; i++) {
		char *key = estrdup(m->kopts[i]), *val = strchr(key, '=');
		int rc;

		if (val != NULL)
			*val++ = '\0';
		rc = val != NULL ?
		    fsconfig(fs, FSCONFIG_SET_STRING, key, val, 0) :
		    fsconfig(fs, FSCONFIG_SET_FLAG, key, NULL, 0);
		free(key);
		what = m->kopts[i];
		if (rc < 0)
			goto fail;
	}
	what = NULL;
	if (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		goto fail;
	if ((mnt = fsmount(fs, FSMOUNT_CLOEXEC, 0)) < 0)
		goto fail;
	close(fs);
	return mnt;
fail: {
	int e = errno;

	fs_log(fs, klog, sizeof(klog));
	if (what != NULL && strcmp(what, "source") != 0)
		mwarn(j, m->where, "%s: %s: option %s: %s", m->file, m->type,
		    what, klog[0] != '\0' ? klog : strerror(e));
	else
		mwarn(j, m->where, "%s: %s from %s: %s", m->file, m->type,
		    m->spec, klog[0] != '\0' ? klog : strerror(e));
	close(fs);
	return -1;
	}
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

static void
unrecord(struct cfjail *j, int i)
{
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
 * Unmount M's line.  Only a mount made in this run, unless the jail is
 * being stopped (or cleaned up after), when a mount of a former run is
 * looked for as FreeBSD's jail(8) does.  What is not mounted is not an
 * error: undo must work after a start that failed half-way.
 */
static int
do_unmount(struct cfjail *j, const struct mline *m)
{
	char self[64];
	const char *bad;
	int root, target = -1, id, r, rc = -1;
	int rec = recorded(j, m->target);

	if (rec < 0 && !(j->flags & (JF_STOP | JF_CLEANUP)))
		return 0;
	if ((root = open_root(j, m)) < 0)
		return -1;
	if ((target = open_in(root, m->rel, 0)) < 0) {
		if (errno == ENOENT) {
			if (rec >= 0)
				unrecord(j, rec);
			rc = 0;
		} else
			open_checked(j, m, root, m->rel, m->file);
		goto out;
	}
	if ((r = mount_root(target, &id)) <= 0) {
		if (r < 0)
			mwarn(j, m->where, "%s: %s", m->file, strerror(errno));
		else {
			if (verbose > 0)
				jail_note(j, "%s: %s: not mounted\n", m->where,
				    m->file);
			if (rec >= 0)
				unrecord(j, rec);
			rc = 0;
		}
		goto out;
	}
	if ((bad = mount_mismatch(j, m, root, target, id)) != NULL) {
		mwarn(j, m->where, "%s: %s", m->file, bad);
		goto out;
	}
	note_mount(j, m, 1);
	snprintf(self, sizeof(self), "/proc/self/fd/%d", target);
	if (umount2(self, MNT_DETACH) < 0) {
		mwarn(j, m->where, "umount %s: %s", m->file, strerror(errno));
		goto out;
	}
	if (rec >= 0)
		unrecord(j, rec);
	rc = 0;
out:
	if (target >= 0)
		close(target);
	close(root);
	return rc;
}

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

/* Where a mount.fstab line was read, for its messages, or NULL. */
static char *
fstab_where(const struct cfjail *j, const char *value)
{
	int i;

	for (i = 0; i < j->nfstab; i++)
		if (j->fstab[i] == value)
			break;
	if (i == j->nfstab)
		for (i = 0; i < j->nfstab; i++)
			if (strcmp(j->fstab[i], value) == 0)
				break;
	if (i == j->nfstab || j->fstab_where == NULL)
		return NULL;
	return eprintf("%s: %s line %d", intparams[IP_MOUNT_FSTAB].name,
	    j->fstab_where[i].file, j->fstab_where[i].line);
}

/* A line of mount or of a mount.fstab file. */
static int
mount_line(struct cfjail *j, enum intparam ip, const char *value, int undo)
{
	struct mline m;
	char *where = ip == IP__MOUNT_FROM_FSTAB ? fstab_where(j, value) : NULL;
	int rc;

	/*
	 * A fstab line was checked, and its options noted, when read.  Undoing
	 * a start, a line that does not parse was never mounted: nothing to
	 * say.
	 */
	silent = undo && !(j->flags & (JF_STOP | JF_CLEANUP));
	rc = mline_parse(j, ip, value, where, undo || where != NULL, &m);
	silent = 0;
	free(where);
	if (rc < 0 && undo && !(j->flags & (JF_STOP | JF_CLEANUP))) {
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

/* ---- mount.fstab ---- */

static void
fstab_free(struct cfjail *j)
{
	for (int i = 0; i < j->nfstab; i++)
		free(j->fstab[i]);
	free(j->fstab);
	free(j->fstab_where);
	j->fstab = NULL;
	j->fstab_where = NULL;
	j->nfstab = 0;
}

static void
fstab_add(struct cfjail *j, const char *line, const char *file, int lineno)
{
	j->fstab = ereallocarray(j->fstab, (size_t)j->nfstab + 1,
	    sizeof(*j->fstab));
	j->fstab_where = ereallocarray(j->fstab_where, (size_t)j->nfstab + 1,
	    sizeof(*j->fstab_where));
	j->fstab[j->nfstab] = estrdup(line);
	j->fstab_where[j->nfstab].file = file;
	j->fstab_where[j->nfstab].line = lineno;
	j->nfstab++;
}

/*
 * One line of FILE: without its comment ("#" to the end, as FreeBSD's
 * jail(8) cuts it) and trailing blanks; blank lines are dropped.  Each is
 * checked now, so that a bad one is reported with its file and line
 * before anything is mounted.
 */
static int
fstab_line(struct cfjail *j, char *line, size_t len, const char *file,
    int lineno)
{
	struct mline m;
	char *where;
	int rc;

	if (strlen(line) != len) {
		jail_warnx(j, "mount.fstab: %s line %d: a NUL byte", file,
		    lineno);
		return -1;
	}
	line[strcspn(line, "#")] = '\0';
	len = strlen(line);
	while (len > 0 && strchr(" \t\f\v\r\n", line[len - 1]) != NULL)
		line[--len] = '\0';
	if (line[strspn(line, " \t\f\v\r\n")] == '\0')
		return 0;
	where = eprintf("mount.fstab: %s line %d", file, lineno);
	/* Stopping, the options were noted when the jail started. */
	rc = mline_parse(j, IP__MOUNT_FROM_FSTAB, line, where,
	    (j->flags & JF_OP_MASK) == JF_STOP, &m);
	free(where);
	mline_free(&m);
	if (rc == 0)
		fstab_add(j, line, file, lineno);
	return rc;
}

/* Read FILE's lines into j->fstab; every bad line is reported. */
static int
fstab_read(struct cfjail *j, const char *file)
{
	struct stat sb;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *f;
	int fd, lineno = 0, rc = 0;

	if ((fd = open(file, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) < 0
	    || fstat(fd, &sb) < 0) {
		jail_warnx(j, "mount.fstab: %s: %s", file, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(sb.st_mode) || (f = fdopen(fd, "r")) == NULL) {
		jail_warnx(j, "mount.fstab: %s: %s", file, S_ISREG(sb.st_mode) ?
		    strerror(errno) : "not a regular file");
		close(fd);
		return -1;
	}
	while ((n = getline(&line, &cap, f)) > 0)
		if (fstab_line(j, line, (size_t)n, file, ++lineno) < 0)
			rc = -1;
	if (ferror(f)) {
		jail_warnx(j, "mount.fstab: %s: %s", file, strerror(errno));
		rc = -1;
	}
	free(line);
	fclose(f);
	return rc;
}

int
mount_read_fstab(struct cfjail *j)
{
	struct cfparam *p = j->ip[IP_MOUNT_FSTAB];
	int rc = 0;

	fstab_free(j);
	if (p == NULL)
		return 0;
	for (int i = 0; i < p->nval; i++)
		if (p->val[i][0] != '\0' && fstab_read(j, p->val[i]) < 0)
			rc = -1;
	return rc;
}
