/*
 * fstab(5)'s file system types and options (mount.h), and what each is on
 * Linux: the tables, and a line's type and options looked up in them.
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
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "mount.h"

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

/* M's type: its kind, Linux's name for it; -1 with a message if refused. */
int
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

static void
kopt_add(struct mline *m, const char *opt)
{
	m->kopts = ereallocarray(m->kopts, (size_t)m->nkopts + 1,
	    sizeof(*m->kopts));
	m->kopts[m->nkopts++] = estrdup(opt);
}

/* The definition of option OPT (KLEN bytes before any "=") for M's type:
   the options of every type first, then its own. */
static const struct optdef *
opt_lookup(const struct mline *m, const char *opt, size_t klen)
{
	const struct optdef *type_table = NULL, *d;

	if (m->kind == FS_BIND)
		type_table = nullfs_options;
	else if (m->kind == FS_NEW && strcmp(m->fstype, "tmpfs") == 0)
		type_table = tmpfs_options;
	d = opt_find(options, opt, klen);
	if (d->name == NULL && type_table != NULL)
		d = opt_find(type_table, opt, klen);
	return d;
}

/* An option D of a kind that takes no value, set in M. */
static void
opt_set(struct mline *m, const struct optdef *d)
{
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
	default:
		break;
	}
}

/*
 * One option OPT of M's line.  QUIET: already said (the line was checked
 * when its file was read), or being undone: no notes or warnings again.
 * 0, or -1 with the message printed.
 */
static int
opt_apply(const struct cfjail *j, struct mline *m, const char *opt, int quiet)
{
	const struct optdef *d;
	size_t klen = strcspn(opt, "=");

	if (klen == 0) {
		mwarn(j, m->whereline, "an empty option");
		return -1;
	}
	d = opt_lookup(m, opt, klen);
	if (d->name != NULL && d->kind < OPT_NOTE && opt[klen] == '=') {
		mwarn(j, m->whereline, "option %s takes no value", d->name);
		return -1;
	}
	switch (d->kind) {
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
	default:
		opt_set(m, d);
		break;
	}
	return 0;
}

/* The options field of M, comma-separated; "" is none (rw). */
int
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
