/*
 * root.readonly, linux.maskedPaths and linux.readonlyPaths: made under
 * root.path, after the bundle's mounts and in the same mount namespace of
 * create's own (mounts.c), so that the prison clones them into the jail.
 * Each path is resolved below root.path without following a symlink
 * (jfd_open_in); one that is absent is nothing to hide.  Below /proc and
 * /sys, which are the jail's own instances, only what every jail masks
 * or makes read-only already (prison/rootfs.c) is accepted: anything
 * else is refused, since nothing made here reaches them.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include <jansson.h>

#include "internal.h"
#include "oci.h"
#include "mounts.h"

/*
 * The paths below /proc and /sys that every jail masks or makes
 * read-only (prison/rootfs.c's lists); a masked path is also read-only.
 * All of /sys is read-only.
 */
static const char *const jail_masked[] = {
	"/proc/kcore", "/proc/keys", "/proc/key-users", "/proc/config.gz",
	"/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
	"/proc/sched_debug", "/proc/sysrq-trigger", "/proc/kmsg",
	"/proc/acpi", "/proc/asound", "/proc/scsi", "/proc/interrupts",
	"/proc/slabinfo", "/proc/vmallocinfo", "/sys/firmware",
	"/sys/devices/virtual/powercap", "/sys/kernel/debug",
	"/sys/kernel/security", "/sys/kernel/tracing",
	"/sys/kernel/vmcoreinfo", "/sys/fs/bpf", "/sys/fs/selinux",
	"/sys/dev/block", NULL,
};
static const char *const jail_readonly[] = {
	"/proc/sys", "/proc/bus", "/proc/fs", "/proc/irq", "/sys", NULL,
};

static int
listed(const char *p, const char *const *list)
{
	for (; *list != NULL; list++)
		if (oci_below(p, *list))
			return 1;
	return 0;
}

/* The read-only tmpfs masks are cut from: "d", an empty directory, "f", a file. */
static int
mask_source(void)
{
	struct mount_attr ro = { .attr_set = MOUNT_ATTR_RDONLY |
	    MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC };
	struct mopts o = { .data = "mode=0555,size=4k" };
	int m, fd;

	if ((m = oci_new_instance("tmpfs", "tmpfs", &o, "(masks)")) < 0)
		return -1;
	/* Readable and empty, as runc's /dev/null: reading a masked file works. */
	if (mkdirat(m, "d", 0555) < 0 || (fd = openat(m, "f", O_CREAT |
	    O_EXCL | O_WRONLY | O_CLOEXEC, 0444)) < 0) {
		oci_err("mask tmpfs: %s", strerror(errno));
		close(m);
		return -1;
	}
	close(fd);
	if (mount_setattr(m, "", AT_EMPTY_PATH, &ro, sizeof(ro)) < 0) {
		oci_err("mask tmpfs: %s", strerror(errno));
		close(m);
		return -1;
	}
	return m;
}

/*
 * maskedPaths (MASKS >= 0) or readonlyPaths: each path under the root
 * covered by an empty read-only object or made a read-only bind of
 * itself; absent ones are nothing to hide.  Below /proc and /sys only
 * what every jail covers already is accepted.
 */
static int
cover(int root, json_t *a, const char *what, int masks)
{
	char p[PATH_MAX];
	size_t i;
	json_t *v;

	if (a != NULL && !json_is_array(a)) {
		oci_err("config.json: linux.%s: not an array", what);
		return -1;
	}
	json_array_foreach(a, i, v) {
		struct mount_attr ro = { .attr_set = MOUNT_ATTR_RDONLY };
		struct stat st;
		int t, m, rc;

		if (!json_is_string(v)) {
			oci_err("config.json: linux.%s: not strings", what);
			return -1;
		}
		if (oci_normalize(what, json_string_value(v), p, sizeof(p)) < 0)
			return -1;
		if (oci_jails_own(p)) {
			if (listed(p, jail_masked) || (masks < 0 &&
			    listed(p, jail_readonly)) || !(oci_below(p, "/proc") ||
			    oci_below(p, "/sys")))
				continue;
			oci_err("linux.%s %s: not supported: the jail's own "
			    "/proc does not cover it", what, p);
			return -1;
		}
		if ((t = jfd_open_in(root, p, 0)) < 0) {
			if (errno == ENOENT)
				continue;
			oci_err("linux.%s %s: %s", what, p, errno == ELOOP ?
			    "a symlink (not followed)" : strerror(errno));
			return -1;
		}
		if (masks >= 0)
			m = fstat(t, &st) < 0 ? -1 : open_tree(masks,
			    S_ISDIR(st.st_mode) ? "d" : "f", OPEN_TREE_CLONE |
			    OPEN_TREE_CLOEXEC);
		else if ((m = open_tree(t, "", OPEN_TREE_CLONE |
		    OPEN_TREE_CLOEXEC | AT_EMPTY_PATH | AT_RECURSIVE)) >= 0 &&
		    mount_setattr(m, "", AT_EMPTY_PATH | AT_RECURSIVE, &ro,
		    sizeof(ro)) < 0) {
			close(m);
			m = -1;
		}
		rc = m < 0 ? -1 : move_mount(m, "", t, "",
		    MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
		if (rc < 0)
			oci_err("linux.%s %s: %s", what, p, strerror(errno));
		if (m >= 0)
			close(m);
		close(t);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/*
 * root.readonly: the root, with the mounts made under it, cloned onto
 * itself with only its own mount read-only (a mount under it keeps its
 * options, as with runc).  The prison clones the mounts that are visible,
 * so the jail's root is this read-only one.
 */
static int
readonly_root(const struct oci_bundle *b, int *root)
{
	struct mount_attr ro = { .attr_set = MOUNT_ATTR_RDONLY };
	int m, rc = -1;

	m = open_tree(*root, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC |
	    AT_EMPTY_PATH | AT_RECURSIVE);
	if (m >= 0 && mount_setattr(m, "", AT_EMPTY_PATH, &ro,
	    sizeof(ro)) == 0 && move_mount(m, "", *root, "",
	    MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) == 0)
		rc = 0;
	else
		oci_err("root.readonly: %s", strerror(errno));
	if (m >= 0)
		close(m);
	/* The masks and read-only paths go on the new tree. */
	if (rc == 0) {
		close(*root);
		if ((*root = open(b->rootfs, O_PATH | O_DIRECTORY |
		    O_CLOEXEC)) < 0) {
			oci_err("root.path %s: %s", b->rootfs, strerror(errno));
			rc = -1;
		}
	}
	return rc;
}

int
oci_paths_make(const struct oci_bundle *b, int *root)
{
	json_t *c = b->config, *lx = json_object_get(c, "linux");
	json_t *masked = json_object_get(lx, "maskedPaths");
	json_t *ro = json_object_get(lx, "readonlyPaths");
	int masks = -1, rc = -1;

	if (json_is_true(json_object_get(json_object_get(c, "root"),
	    "readonly")) && readonly_root(b, root) < 0)
		return -1;
	if (json_array_size(masked) > 0 && (masks = mask_source()) < 0)
		return -1;
	if (cover(*root, masked, "maskedPaths", masks) == 0 &&
	    cover(*root, ro, "readonlyPaths", -1) == 0)
		rc = 0;
	if (masks >= 0)
		close(masks);
	return rc;
}
