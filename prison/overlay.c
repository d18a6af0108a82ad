/*
 * An overlayfs mount in a jail with a private uid range (rootfs.c).
 *
 * An overlay mount cannot be idmapped (the kernel refuses
 * MOUNT_ATTR_IDMAP on it), but an overlay can be made of idmapped
 * layers.  So where path is, or has under it, an overlay mount, the jail
 * gets a new overlay instance instead of a clone: the same lower layers
 * (in order), the same upper layer, each cloned and idmapped through the
 * jail's user namespace, with the original's other super options and
 * its ro/nosuid/noexec mount flags.  Writes in the jail land in the same
 * upper directory, with the same on-disk owners as on a plain directory
 * root (jail root's files are uid 0 on disk).
 *
 * The layers are read from the original's super options in mountinfo:
 * the kernel has no other way to name them.  They are the host
 * administrator's paths (an engine's storage), resolved in our mount
 * namespace, a copy of the host's; each must be an absolute path to a
 * directory.
 *
 * The upper layer's work directory is not shared with the original
 * mount: overlayfs empties its work directory when it mounts, and two
 * instances working in one are undefined behaviour.  The jail gets a
 * work directory of its own, a new sibling of upperdir on the same file
 * system (named jail<jid>.work.<random>), which the prison removes when
 * the jail is gone (overlay_cleanup).  The upper directory itself is
 * shared with the original mount, as it must be for the jail's writes to
 * be the container's; a change made through one instance may not show
 * through the other's cached view until it looks the file up again (the
 * kernel warns of the shared upperdir in its log).
 *
 * Overlayfs copies up, makes whiteouts and chowns with the credentials
 * of whoever created it.  Host root (fsuid 0) has no id on the jail's
 * idmapped upper layer (copy-up fails with EOVERFLOW), so the overlay is
 * created with fsuid and fsgid set to the jail's root (host id idbase)
 * and the file capabilities raised again, and our credentials are put
 * back after.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/fsuid.h>
#include <sys/mount.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/capability.h>

#include "internal.h"
#include "prison.h"

#define	OVL_MAXLAYERS	128	/* overlayfs's own limit is 500 */
#define	OVL_RMDEPTH	8	/* work directories hold work/ and index/ */

#ifndef FSCONFIG_SET_FD
#define	FSCONFIG_SET_FD	5
#endif

struct ovl {
	char	*lower[OVL_MAXLAYERS];
	int	 ndata;		/* the last ndata lowers are data-only */
	int	 nlower;
	char	*upper;
	char	*opts[32];	/* other super options, key[=value] */
	int	 nopts;
	uint64_t attrs;		/* the mount's ro/nosuid/noexec */
};

/* One octal escape of mountinfo at S (\ooo) into *C; its length or 0. */
static int
octal(const char *s, char *c)
{
	if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' &&
	    s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
		*c = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
		return 4;
	}
	return 0;
}

/*
 * Split the raw lowerdir value in place.  A raw ':' separates layers, and
 * "::" starts the data-only ones; an escaped character (\ooo) is literal,
 * except that an escaped backslash quotes the character after it, as in
 * the lowerdir= string overlayfs was given.
 */
static int
split_lower(struct ovl *o, char *s)
{
	char *out = s, c;
	int quote = 0, n, data = 0;

	o->lower[o->nlower++] = out;
	for (; *s != '\0'; ) {
		if (!quote && *s == ':') {
			*out++ = '\0';
			s++;
			if (*s == ':') {
				if (data)
					return -1;
				data = 1;
				s++;
			}
			if (o->nlower == OVL_MAXLAYERS)
				return -1;
			if (data)
				o->ndata++;
			o->lower[o->nlower++] = out;
			continue;
		}
		if ((n = octal(s, &c)) == 0) {
			c = *s;
			n = 1;
		}
		s += n;
		if (!quote && n == 4 && c == '\\') {
			quote = 1;
			continue;
		}
		quote = 0;
		*out++ = c;
	}
	*out = '\0';
	return 0;
}

/* Undo the octal escapes of S in place. */
static void
unoctal(char *s)
{
	char *o = s;
	int n;

	while (*s != '\0') {
		if ((n = octal(s, o)) == 0)
			*o = *s, n = 1;
		s += n;
		o++;
	}
	*o = '\0';
}

/*
 * The super options of overlay mount MNTID (into BUF, split into O), its
 * mount flags, and the root of the mount within the overlay (ROOT).
 */
static int
read_mount(struct rootfs *c, int mntid, struct ovl *o, char **buf,
    char *root, size_t rootlen, char *mp, size_t mplen)
{
	char *line = NULL, *p, *super, *save;
	size_t cap = 0;
	FILE *f;
	int found = 0;

	if ((f = fopen("/proc/self/mountinfo", "re")) == NULL)
		return jerr(c->err, c->errlen, errno, "mountinfo: %s",
		    strerror(errno));
	while (!found && getline(&line, &cap, f) > 0) {
		char r[4096], point[4096], mopts[512], type[64];
		int id, n;

		if (sscanf(line, "%d %*d %*s %4095s %4095s %511s%n", &id, r,
		    point, mopts, &n) != 4 || id != mntid)
			continue;
		if ((p = strstr(line + n, " - ")) == NULL ||
		    sscanf(p, " - %63s", type) != 1 || strcmp(type, "overlay") != 0)
			break;
		/* " - overlay SOURCE SUPEROPTS": superopts run to the end. */
		if ((p = strchr(p + 3, ' ')) == NULL ||
		    (p = strchr(p + 1, ' ')) == NULL)
			break;
		super = p + 1;
		super[strcspn(super, "\n")] = '\0';
		unoctal(r);
		snprintf(root, rootlen, "%s", r);
		unoctal(point);
		snprintf(mp, mplen, "%s", point);
		for (char *t = strtok_r(mopts, ",", &save); t != NULL;
		    t = strtok_r(NULL, ",", &save)) {
			if (strcmp(t, "ro") == 0)
				o->attrs |= MOUNT_ATTR_RDONLY;
			else if (strcmp(t, "nosuid") == 0)
				o->attrs |= MOUNT_ATTR_NOSUID;
			else if (strcmp(t, "noexec") == 0)
				o->attrs |= MOUNT_ATTR_NOEXEC;
		}
		*buf = strdup(super);
		found = 1;
	}
	free(line);
	fclose(f);
	if (!found || *buf == NULL)
		return jerr(c->err, c->errlen, EINVAL, "path %s: overlay mount "
		    "%d not found in mountinfo", c->path, mntid);
	/* Options are separated by raw commas; commas in values are escaped. */
	for (char *t = strtok_r(*buf, ",", &save); t != NULL;
	    t = strtok_r(NULL, ",", &save)) {
		if (strncmp(t, "lowerdir=", 9) == 0) {
			if (o->nlower > 0 || split_lower(o, t + 9) < 0)
				return jerr(c->err, c->errlen, EINVAL, "path %s: "
				    "overlay lowerdir not understood", c->path);
		} else if (strncmp(t, "upperdir=", 9) == 0) {
			unoctal(o->upper = t + 9);
		} else if (strncmp(t, "workdir=", 8) == 0 ||
		    strcmp(t, "rw") == 0) {
			/* Ours is another; rw is the default. */
		} else if (o->nopts < (int)(sizeof(o->opts) / sizeof(o->opts[0]))) {
			unoctal(t);
			o->opts[o->nopts++] = t;
		} else
			return jerr(c->err, c->errlen, EINVAL, "path %s: too many "
			    "overlay options", c->path);
	}
	if (o->nlower == 0)
		return jerr(c->err, c->errlen, EINVAL, "path %s: overlay mount "
		    "without lowerdir", c->path);
	return 0;
}

/* A host directory named by the overlay, as an O_PATH fd; checked. */
static int
open_layer(struct rootfs *c, const char *path)
{
	struct stat sb;
	int fd;

	if (path[0] != '/')
		return jerr(c->err, c->errlen, EINVAL, "path %s: overlay layer "
		    "%s is not an absolute path", c->path, path);
	/* The administrator's path: links in it are theirs (podman's l/). */
	fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0 && fstat(fd, &sb) == 0 && S_ISDIR(sb.st_mode))
		return fd;
	if (fd >= 0) {
		close(fd);
		errno = ENOTDIR;
	}
	return jerr(c->err, c->errlen, errno, "overlay layer %s: %s", path,
	    strerror(errno));
}

/* DIR (an fd) cloned alone and idmapped through the jail's namespace. */
static int
idmapped(struct rootfs *c, int dir, const char *name)
{
	struct mount_attr a = { .attr_set = MOUNT_ATTR_IDMAP | MOUNT_ATTR_NODEV,
	    .userns_fd = (uint64_t)c->userns };
	int m;

	m = open_tree(dir, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC |
	    AT_EMPTY_PATH);
	if (m >= 0 && mount_setattr(m, "", AT_EMPTY_PATH, &a, sizeof(a)) == 0)
		return m;
	jerr(c->err, c->errlen, errno, "overlay layer %s: cannot be idmapped: "
	    "%s", name, strerror(errno));
	if (m >= 0)
		close(m);
	return -1;
}

/*
 * Our credentials for files become the jail root's (host id idbase), with
 * the file capabilities that the change of fsuid drops put back; SAVED
 * keeps what to restore.
 */
static int
creds_jail_root(const struct rootfs *c, struct __user_cap_data_struct *saved)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, saved) < 0)
		return -1;
	setfsgid(c->idbase);
	setfsuid(c->idbase);
	if ((uint32_t)setfsuid((uid_t)-1) != c->idbase ||
	    (uint32_t)setfsgid((gid_t)-1) != c->idbase)
		return errno = EPERM, -1;
	memcpy(d, saved, sizeof(d));
	d[0].effective = d[0].permitted;
	d[1].effective = d[1].permitted;
	return (int)syscall(SYS_capset, &h, d);
}

static void
creds_restore(struct __user_cap_data_struct *saved)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };

	setfsuid(0);
	setfsgid(0);
	(void)syscall(SYS_capset, &h, saved);
}

/*
 * Note the jail's work directory PARENT/NAME for overlay_cleanup; a list
 * too long to hold it fails (a truncated name would leave it behind).
 */
static int
note_work(struct rootfs *c, const char *parent, const char *name)
{
	size_t len = strlen(c->ovlwork);
	int n;

	n = snprintf(c->ovlwork + len, sizeof(c->ovlwork) - len, "%s/%s\n",
	    parent, name);
	if (n < 0 || (size_t)n >= sizeof(c->ovlwork) - len) {
		c->ovlwork[len] = '\0';
		return errno = ENAMETOOLONG, -1;
	}
	return 0;
}

/*
 * The jail's work directory, made beside UPPER below the idmapped clone
 * UMNT of upper's parent; its name in NAME.  Made with the jail root's
 * credentials (creds_jail_root), so its owner on disk is 0.
 */
static int
make_work(struct rootfs *c, int umnt, char *name, size_t namelen)
{
	for (int tries = 0; tries < 16; tries++) {
		unsigned r;

		if (getrandom(&r, sizeof(r), 0) != sizeof(r))
			return -1;
		snprintf(name, namelen, "jail%d.work.%08x", c->jid, r);
		if (mkdirat(umnt, name, 0700) == 0)
			return openat(umnt, name, O_PATH | O_DIRECTORY |
			    O_NOFOLLOW | O_CLOEXEC);
		if (errno != EEXIST)
			return -1;
	}
	return -1;
}

/* The overlay O, made of idmapped layers; a detached mount. */
static int
build(struct rootfs *c, struct ovl *o)
{
	struct __user_cap_data_struct saved[2];
	char *parent = NULL, name[64], *slash;
	int fs = -1, m = -1, fd = -1, umnt = -1, up = -1, work = -1, pfd = -1;
	int changed = 0, layers[OVL_MAXLAYERS], nlayers = 0;

	if ((fs = fsopen("overlay", FSOPEN_CLOEXEC)) < 0) {
		jerr(c->err, c->errlen, errno, "overlay: %s", strerror(errno));
		goto out;
	}
	for (int i = 0; i < o->nlower; i++) {
		const char *key = i >= o->nlower - o->ndata ? "datadir+" :
		    "lowerdir+";

		if ((fd = open_layer(c, o->lower[i])) < 0 ||
		    (m = idmapped(c, fd, o->lower[i])) < 0)
			goto out;
		/* Kept open until the overlay is made: closing unmounts. */
		layers[nlayers++] = m;
		m = -1;
		if (fsconfig(fs, FSCONFIG_SET_FD, key, NULL, layers[nlayers - 1])
		    < 0) {
			jerr(c->err, c->errlen, errno, "overlay layer %s: %s",
			    o->lower[i], strerror(errno));
			goto out;
		}
		close(fd);
		fd = -1;
	}
	for (int i = 0; i < o->nopts; i++) {
		char *eq = strchr(o->opts[i], '=');
		int rc;

		if (eq != NULL) {
			*eq = '\0';
			rc = fsconfig(fs, FSCONFIG_SET_STRING, o->opts[i], eq + 1, 0);
			*eq = '=';
		} else
			rc = fsconfig(fs, FSCONFIG_SET_FLAG, o->opts[i], NULL, 0);
		if (rc < 0) {
			jerr(c->err, c->errlen, errno, "overlay option %s: %s",
			    o->opts[i], strerror(errno));
			goto out;
		}
	}
	if (creds_jail_root(c, saved) < 0) {
		jerr(c->err, c->errlen, errno, "overlay credentials: %s",
		    strerror(errno));
		goto out;
	}
	changed = 1;
	if (o->upper != NULL) {
		/* upperdir and our workdir: one idmapped clone of its parent. */
		if ((parent = strdup(o->upper)) == NULL ||
		    (slash = strrchr(parent, '/')) == NULL || slash[1] == '\0') {
			jerr(c->err, c->errlen, EINVAL, "overlay upperdir %s: "
			    "not understood", o->upper);
			goto out;
		}
		*slash = '\0';
		if ((pfd = open_layer(c, parent[0] ? parent : "/")) < 0 ||
		    (umnt = idmapped(c, pfd, parent)) < 0)
			goto out;
		up = openat(umnt, slash + 1, O_PATH | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC);
		if (up < 0) {
			jerr(c->err, c->errlen, errno, "overlay upperdir %s: %s",
			    o->upper, strerror(errno));
			goto out;
		}
		if ((work = make_work(c, umnt, name, sizeof(name))) < 0) {
			jerr(c->err, c->errlen, errno, "overlay work directory "
			    "in %s: %s", parent, strerror(errno));
			goto out;
		}
		if (note_work(c, parent, name) < 0) {
			jerr(c->err, c->errlen, errno, "overlay work directory "
			    "in %s: too many overlays", parent);
			(void)unlinkat(umnt, name, AT_REMOVEDIR);
			goto out;
		}
		if (fsconfig(fs, FSCONFIG_SET_FD, "upperdir", NULL, up) < 0 ||
		    fsconfig(fs, FSCONFIG_SET_FD, "workdir", NULL, work) < 0) {
			jerr(c->err, c->errlen, errno, "overlay upperdir %s: %s",
			    o->upper, strerror(errno));
			goto out;
		}
	}
	if (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0 ||
	    (m = fsmount(fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_NODEV | o->attrs)) < 0) {
		/* index=on and nfs_export=on lock upperdir to one instance. */
		jerr(c->err, c->errlen, errno, "overlay for %s: %s%s", c->path,
		    strerror(errno), errno == EBUSY ? " (its upper directory "
		    "is locked by the original mount: index=on?)" : "");
		m = -1;
	}
out:
	if (changed)
		creds_restore(saved);
	while (nlayers > 0)
		close(layers[--nlayers]);
	free(parent);
	if (fd >= 0)
		close(fd);
	if (pfd >= 0)
		close(pfd);
	if (umnt >= 0)
		close(umnt);
	if (up >= 0)
		close(up);
	if (work >= 0)
		close(work);
	if (fs >= 0)
		close(fs);
	return m;
}

int
overlay_clone(struct rootfs *c, int mntid, const char *real)
{
	struct ovl o = { .nlower = 0 };
	char *buf = NULL, root[4096], mp[4096], rel[8192];
	const char *sub = "";
	size_t n;
	int m = -1, t;

	if (read_mount(c, mntid, &o, &buf, root, sizeof(root), mp,
	    sizeof(mp)) == 0)
		m = build(c, &o);
	free(buf);
	if (m < 0)
		return -1;
	/* Where REAL lies below the mount point. */
	n = strcmp(mp, "/") == 0 ? 0 : strlen(mp);
	if (real != NULL && strncmp(real, mp, n) == 0 &&
	    (real[n] == '/' || real[n] == '\0'))
		sub = real + n + strspn(real + n, "/");
	/* A bind of part of an overlay, or path below its mount point. */
	snprintf(rel, sizeof(rel), "%s%s%s", root + strspn(root, "/"),
	    root[strspn(root, "/")] != '\0' && sub[0] != '\0' ? "/" : "", sub);
	if (rel[0] == '\0')
		return m;
	t = open_tree(m, rel, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	if (t < 0)
		jerr(c->err, c->errlen, errno, "overlay for %s: /%s: %s", c->path,
		    rel, strerror(errno));
	close(m);
	return t;
}

/* Remove NAME below DIR and all it holds, never following a link. */
static void
remove_tree(int dir, const char *name, int depth)
{
	DIR *d;
	struct dirent *e;
	int fd;

	if (unlinkat(dir, name, AT_REMOVEDIR) == 0 || errno == ENOENT)
		return;
	if (depth == 0 || (fd = openat(dir, name, O_RDONLY | O_DIRECTORY |
	    O_NOFOLLOW | O_CLOEXEC)) < 0) {
		unlinkat(dir, name, 0);
		return;
	}
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (e->d_type == DT_DIR)
			remove_tree(fd, e->d_name, depth - 1);
		else
			unlinkat(fd, e->d_name, 0);
	}
	closedir(d);
	unlinkat(dir, name, AT_REMOVEDIR);
}

void
overlay_cleanup(char *list)
{
	char *save;

	for (char *p = strtok_r(list, "\n", &save); p != NULL;
	    p = strtok_r(NULL, "\n", &save)) {
		char *slash = strrchr(p, '/');
		int dir;

		/* Only what make_work named: jail<jid>.work.<hex>. */
		if (slash == NULL || strncmp(slash + 1, "jail", 4) != 0 ||
		    strstr(slash + 1, ".work.") == NULL)
			continue;
		*slash = '\0';
		dir = open(p[0] ? p : "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (dir >= 0) {
			remove_tree(dir, slash + 1, OVL_RMDEPTH);
			close(dir);
		}
	}
	list[0] = '\0';
}
