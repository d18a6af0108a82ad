/*
 * config.json's mounts: made under root.path before the jail is created,
 * in a mount namespace of create's own (and then root.readonly,
 * linux.maskedPaths and linux.readonlyPaths, paths.c).
 *
 * The prison is started by this process when the jail is created
 * (jail_set, lib/client.c) and builds the jail's tree from path's mount
 * and each mount visible under path at that moment, one at a time and
 * idmapped (prison/rootfs.c).  So create unshares its mount namespace,
 * makes / a recursive slave (the host's mounts still come in, ours never
 * go out), mounts here, then creates the jail: the prison inherits the
 * namespace and clones the mounts into the jail.  Nothing ever appears on
 * the host, and nothing needs unmounting at delete: the namespace goes
 * with its last process, the prison, when the jail is removed.
 *
 * Every destination is resolved below root.path without following a
 * symlink or leaving it (jfd_open_in), and a missing one is made there,
 * component by component, with mkdirat or an O_EXCL|O_NOFOLLOW openat
 * (an empty file, for a bind of a file): nothing in the image can send a
 * mount to a host path.  A bind's source is the engine's host path; one
 * inside root.path is resolved the same way.
 *
 * /proc, /sys and /dev are always the jail's own instances (proc, a
 * read-only sysfs, a tmpfs /dev with devpts, /dev/shm and, with its own
 * IPC namespace, /dev/mqueue), with the
 * sensitive parts masked.  The engines' mounts of those file systems at
 * those places are therefore satisfied by the jail and not made; other
 * destinations below /proc and /sys are refused.  A bind of a file or a
 * directory below /dev (Kubernetes' /dev/termination-log) is made under
 * root.path like any other, and the prison carries it into the jail's
 * /dev (prison/devbinds.c); a device node, or a destination on one of
 * the jail's own entries, is refused here first, with a clearer word.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include <jansson.h>

#include "internal.h"
#include "oci.h"
#include "mounts.h"

/* What the jail itself provides: accepted, not made. */
static const struct own {
	const char	*dest;
	const char	*types[3];
	const char	*note;		/* NULL: the jail has it */
} own[] = {
	{ "/proc", { "proc" }, NULL },
	{ "/sys", { "sysfs" }, NULL },
	{ "/dev", { "tmpfs" }, NULL },
	{ "/dev/pts", { "devpts" }, NULL },
	{ "/dev/shm", { "tmpfs", "bind" }, NULL },
	{ "/dev/mqueue", { "mqueue" },
	    "the jail's, with an ipc namespace; none with the host's" },
	{ "/sys/fs/cgroup", { "cgroup", "cgroup2" },
	    "the jail's /sys/fs/cgroup is empty" },
};

/* The jail's own entries of /dev: no bind covers them. */
static const char *const own_dev[] = {
	"null", "zero", "full", "random", "urandom", "tty", "ptmx", "fd",
	"stdin", "stdout", "stderr", "pts", "jail", "mqueue",
};

/* May DEST (normalized, below /dev) be a bind's destination? */
static int
dev_dest(const char *dest)
{
	const char *n = dest + strlen("/dev/");
	size_t l = strcspn(n, "/");

	for (size_t i = 0; i < sizeof(own_dev) / sizeof(own_dev[0]); i++)
		if (strlen(own_dev[i]) == l && strncmp(n, own_dev[i], l) == 0) {
			oci_err("mount %s: not supported: /dev/%s is the "
			    "jail's own", dest, own_dev[i]);
			return -1;
		}
	return 0;
}

/* Is P (normalized) DIR or below it? */
int
oci_below(const char *p, const char *dir)
{
	size_t n = strlen(dir);

	return strncmp(p, dir, n) == 0 && (p[n] == '\0' || p[n] == '/');
}

/* Is P under one of the jail's own instances? */
int
oci_jails_own(const char *p)
{
	return oci_below(p, "/proc") || oci_below(p, "/sys") || oci_below(p, "/dev");
}

/*
 * DEST as an absolute path without "//", "." or a trailing "/", into
 * OUT; ".." is refused rather than interpreted.
 */
int
oci_normalize(const char *what, const char *dest, char *out, size_t len)
{
	size_t o = 0;
	const char *s = dest, *e;

	if (*dest != '/') {
		oci_err("config.json: %s %s: not an absolute path", what, dest);
		return -1;
	}
	for (; *s != '\0'; s = e) {
		while (*s == '/')
			s++;
		if (*s == '\0')
			break;
		e = strchrnul(s, '/');
		if (e - s == 1 && s[0] == '.')
			continue;
		if (e - s == 2 && s[0] == '.' && s[1] == '.') {
			oci_err("config.json: %s %s: \"..\" is not allowed",
			    what, dest);
			return -1;
		}
		if (o + 1 + (size_t)(e - s) + 1 > len) {
			oci_err("config.json: %s %s: too long", what, dest);
			return -1;
		}
		out[o++] = '/';
		memcpy(out + o, s, (size_t)(e - s));
		o += (size_t)(e - s);
	}
	if (o == 0)
		out[o++] = '/';
	out[o] = '\0';
	return 0;
}

/*
 * DEST (normalized) below ROOT as an O_PATH descriptor, made if missing:
 * directories, and for FILE an empty file as its last component.
 */
static int
make_dest(int root, const char *dest, int file)
{
	char path[PATH_MAX];
	char *slash;
	int t, parent, rc;

	if ((t = jfd_open_in(root, dest, 0)) >= 0 || errno != ENOENT)
		goto out;
	snprintf(path, sizeof(path), "%s", dest);
	slash = strrchr(path, '/');
	*slash = '\0';
	if ((parent = make_dest(root, path[0] != '\0' ? path : "/", 0)) < 0)
		return -1;
	if (file)
		rc = openat(parent, slash + 1, O_WRONLY | O_CREAT | O_EXCL |
		    O_NOFOLLOW | O_CLOEXEC, 0644);
	else
		rc = mkdirat(parent, slash + 1, 0755);
	if (file && rc >= 0)
		close(rc);
	close(parent);
	if (rc < 0 && errno != EEXIST) {
		oci_err("mount destination %s: %s", dest, strerror(errno));
		return -1;
	}
	t = jfd_open_in(root, dest, file ? 0 : O_DIRECTORY);
out:
	if (t < 0)
		oci_err("mount destination %s: %s", dest, errno == ELOOP ?
		    "a symlink (not followed)" : strerror(errno));
	return t;
}


static const struct flagopt {
	const char	*name;
	uint64_t	 set, clr;
} flagopts[] = {
	{ "ro", MOUNT_ATTR_RDONLY, 0 }, { "rw", 0, MOUNT_ATTR_RDONLY },
	{ "nosuid", MOUNT_ATTR_NOSUID, 0 }, { "suid", 0, MOUNT_ATTR_NOSUID },
	{ "nodev", MOUNT_ATTR_NODEV, 0 }, { "dev", 0, MOUNT_ATTR_NODEV },
	{ "noexec", MOUNT_ATTR_NOEXEC, 0 }, { "exec", 0, MOUNT_ATTR_NOEXEC },
	{ "noatime", MOUNT_ATTR_NOATIME, MOUNT_ATTR__ATIME },
	{ "relatime", MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME },
	{ "strictatime", MOUNT_ATTR_STRICTATIME, MOUNT_ATTR__ATIME },
	{ "nodiratime", MOUNT_ATTR_NODIRATIME, 0 },
	{ "diratime", 0, MOUNT_ATTR_NODIRATIME },
	{ "atime", 0, 0 }, { "defaults", 0, 0 }, { "async", 0, 0 },
	{ "nosymfollow", MOUNT_ATTR_NOSYMFOLLOW, 0 },
	{ "symfollow", 0, MOUNT_ATTR_NOSYMFOLLOW },
	/* crun's and podman's hints to themselves */
	{ "tmpcopyup", 0, 0 }, { "notmpcopyup", 0, 0 }, { "copy", 0, 0 },
	{ "nocopy", 0, 0 }, { "z", 0, 0 }, { "Z", 0, 0 },
};

static int
parse_opts(json_t *a, const char *dest, struct mopts *o)
{
	size_t i, dl = 0;
	json_t *v;

	memset(o, 0, sizeof(*o));
	if (a != NULL && !json_is_array(a)) {
		oci_err("config.json: mount %s: options: not an array", dest);
		return -1;
	}
	json_array_foreach(a, i, v) {
		const char *s = json_string_value(v);
		size_t k;

		if (s == NULL) {
			oci_err("config.json: mount %s: options: not strings",
			    dest);
			return -1;
		}
		for (k = 0; k < sizeof(flagopts) / sizeof(flagopts[0]); k++)
			if (strcmp(s, flagopts[k].name) == 0)
				break;
		if (k < sizeof(flagopts) / sizeof(flagopts[0])) {
			o->set = (o->set & ~(flagopts[k].clr |
			    flagopts[k].set)) | flagopts[k].set;
			o->clr = (o->clr & ~(flagopts[k].set |
			    flagopts[k].clr)) | flagopts[k].clr;
			continue;
		}
		if (strcmp(s, "bind") == 0 || strcmp(s, "rbind") == 0) {
			o->bind = 1;
			o->recursive |= s[0] == 'r';
			continue;
		}
		if (strcmp(s, "private") == 0 || strcmp(s, "rprivate") == 0 ||
		    strcmp(s, "slave") == 0 || strcmp(s, "rslave") == 0 ||
		    strcmp(s, "unbindable") == 0 ||
		    strcmp(s, "runbindable") == 0) {
			const char *b = s + (s[0] == 'r');

			o->propagation = b[0] == 'p' ? MS_PRIVATE : b[0] == 's' ?
			    MS_SLAVE : MS_UNBINDABLE;
			continue;
		}
		if (strcmp(s, "shared") == 0 || strcmp(s, "rshared") == 0) {
			oci_err("mount %s: %s propagation: not supported (a "
			    "jail's mounts never reach the host)", dest, s);
			return -1;
		}
		if (strchr(s, ',') != NULL || dl + strlen(s) + 2 >
		    sizeof(o->data)) {
			oci_err("config.json: mount %s: option %s: not valid",
			    dest, s);
			return -1;
		}
		dl += (size_t)snprintf(o->data + dl, sizeof(o->data) - dl,
		    "%s%s", dl > 0 ? "," : "", s);
	}
	return 0;
}

/* Set O's attributes on the detached mount M. */
static int
set_attrs(int m, const struct mopts *o, const char *dest)
{
	struct mount_attr a = { .attr_set = o->set, .attr_clr = o->clr,
	    .propagation = o->propagation };

	if ((a.attr_set | a.attr_clr) == 0 && a.propagation == 0)
		return 0;
	if (mount_setattr(m, "", AT_EMPTY_PATH | (o->recursive ?
	    AT_RECURSIVE : 0), &a, sizeof(a)) < 0) {
		oci_err("mount %s: options: %s", dest, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * A bind's source: the engine's host path (relative: to the bundle); one
 * inside root.path is resolved there like a destination.
 */
static int
open_source(const struct oci_bundle *b, int root, const char *src,
    int recursive)
{
	char path[PATH_MAX];
	size_t rl = strlen(b->rootfs);
	int fd, m;

	if (*src == '/')
		snprintf(path, sizeof(path), "%s", src);
	else
		snprintf(path, sizeof(path), "%s/%s", b->bundle, src);
	if (strncmp(path, b->rootfs, rl) == 0 && (path[rl] == '/' ||
	    path[rl] == '\0'))
		fd = jfd_open_in(root, path[rl] != '\0' ? path + rl : "/", 0);
	else
		fd = open(path, O_PATH | O_CLOEXEC);
	if (fd < 0) {
		oci_err("mount source %s: %s", src, strerror(errno));
		return -1;
	}
	m = open_tree(fd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC |
	    AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0));
	if (m < 0)
		oci_err("mount source %s: %s", src, strerror(errno));
	close(fd);
	return m;
}

/* A new instance of TYPE with O's data options ("key=value" or "key"). */
int
oci_new_instance(const char *type, const char *source, const struct mopts *o,
    const char *dest)
{
	char data[sizeof(o->data)], *tok, *save = NULL;
	int fs, m;

	if ((fs = fsopen(type, FSOPEN_CLOEXEC)) < 0) {
		oci_err("mount %s: %s: %s", dest, type, strerror(errno));
		return -1;
	}
	/* The source names it in /proc/mounts, as mount(8)'s would. */
	if (source != NULL && *source != '\0' &&
	    fsconfig(fs, FSCONFIG_SET_STRING, "source", source, 0) < 0) {
		oci_err("mount %s: source %s: %s", dest, source,
		    strerror(errno));
		close(fs);
		return -1;
	}
	snprintf(data, sizeof(data), "%s", o->data);
	for (tok = strtok_r(data, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');
		int rc;

		if (eq != NULL) {
			*eq = '\0';
			rc = fsconfig(fs, FSCONFIG_SET_STRING, tok, eq + 1, 0);
		} else
			rc = fsconfig(fs, FSCONFIG_SET_FLAG, tok, NULL, 0);
		if (rc < 0) {
			oci_err("mount %s: %s option %s: %s", dest, type, tok,
			    strerror(errno));
			close(fs);
			return -1;
		}
	}
	if (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0 ||
	    (m = fsmount(fs, FSMOUNT_CLOEXEC, 0)) < 0) {
		oci_err("mount %s: %s: %s", dest, type, strerror(errno));
		close(fs);
		return -1;
	}
	close(fs);
	return m;
}

/* One entry of mounts. */
static int
one_mount(const struct oci_bundle *b, int root, json_t *e)
{
	const char *d = json_string_value(json_object_get(e, "destination"));
	const char *type = json_string_value(json_object_get(e, "type"));
	const char *src = json_string_value(json_object_get(e, "source"));
	char dest[PATH_MAX];
	struct mopts o;
	struct stat st;
	int m, t, rc;

	if (!json_is_object(e) || d == NULL) {
		oci_err("config.json: mounts: an entry without a destination");
		return -1;
	}
	if (oci_normalize("mount", d, dest, sizeof(dest)) < 0 ||
	    parse_opts(json_object_get(e, "options"), dest, &o) < 0)
		return -1;
	if (type == NULL || *type == '\0' || strcmp(type, "none") == 0)
		type = o.bind ? "bind" : "";
	else if (strcmp(type, "bind") == 0)
		o.bind = 1;
	for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++) {
		if (strcmp(dest, own[i].dest) != 0)
			continue;
		for (size_t k = 0; k < 3 && own[i].types[k] != NULL; k++)
			if (strcmp(type, own[i].types[k]) == 0) {
				oci_debug("mount %s (%s): the jail's own%s%s",
				    dest, type, own[i].note ? "; " : "",
				    own[i].note ? own[i].note : "");
				return 0;
			}
	}
	if (o.bind && oci_below(dest, "/dev") && strcmp(dest, "/dev") != 0) {
		if (dev_dest(dest) < 0)
			return -1;
	} else if (oci_jails_own(dest)) {
		oci_err("mount %s (%s): not supported: /dev, /proc and /sys "
		    "are the jail's own instances", dest, type);
		return -1;
	}
	if (strcmp(dest, "/") == 0) {
		oci_err("mount /: not supported: root.path is the jail's root");
		return -1;
	}
	if (o.bind) {
		if (src == NULL) {
			oci_err("config.json: mount %s: bind without a source",
			    dest);
			return -1;
		}
		if (o.data[0] != '\0') {
			oci_err("mount %s: bind option %s: not supported",
			    dest, o.data);
			return -1;
		}
		if ((m = open_source(b, root, src, o.recursive)) < 0)
			return -1;
	} else if (strcmp(type, "tmpfs") == 0) {
		if ((m = oci_new_instance(type, src, &o, dest)) < 0)
			return -1;
	} else {
		oci_err("mount %s: type %s: not supported", dest,
		    *type != '\0' ? type : "(none)");
		return -1;
	}
	if (set_attrs(m, &o, dest) < 0 || fstat(m, &st) < 0) {
		close(m);
		return -1;
	}
	if (oci_below(dest, "/dev") && (S_ISCHR(st.st_mode) ||
	    S_ISBLK(st.st_mode))) {
		oci_err("mount %s: source %s: a device node: not supported "
		    "(the jail's /dev has only its own nodes)", dest, src);
		close(m);
		return -1;
	}
	if ((t = make_dest(root, dest, !S_ISDIR(st.st_mode))) < 0) {
		close(m);
		return -1;
	}
	rc = move_mount(m, "", t, "", MOVE_MOUNT_F_EMPTY_PATH |
	    MOVE_MOUNT_T_EMPTY_PATH);
	if (rc < 0)
		oci_err("mount %s: %s", dest, strerror(errno));
	else
		oci_debug("mounted %s on %s", type, dest);
	close(t);
	close(m);
	return rc;
}

int
oci_mounts_make(const struct oci_bundle *b)
{
	json_t *c = b->config, *mounts = json_object_get(c, "mounts");
	json_t *e;
	size_t i;
	int root, rc = -1;

	if (mounts != NULL && !json_is_array(mounts)) {
		oci_err("config.json: mounts: not an array");
		return -1;
	}
	/* Kept for the runtime's hooks (hooks.c), which run in the host's. */
	oci_host_mntns = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	if (unshare(CLONE_NEWNS) < 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0) {
		oci_err("a mount namespace of our own: %s", strerror(errno));
		return -1;
	}
	if ((root = open(b->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) {
		oci_err("root.path %s: %s", b->rootfs, strerror(errno));
		return -1;
	}
	json_array_foreach(mounts, i, e)
		if (one_mount(b, root, e) < 0)
			goto out;
	if (oci_paths_make(b, &root) < 0)	/* paths.c */
		goto out;
	rc = 0;
out:
	close(root);
	return rc;
}
