/*
 * linux.namespaces and linux.uidMappings/gidMappings as jail parameters.
 *
 * A jail always has its own user, mount, pid and cgroup namespaces, so a
 * container that does not ask for one gets more isolation than it asked
 * for, never less: noted with --debug.  The others are the jail's
 * choices:
 *
 *   network   absent: the host's (ip4=inherit ip6=inherit), as podman's
 *             --network host; without a path: a namespace of its own with
 *             a loopback (vnet=new); with a path: that namespace
 *             (vnet=new vnet.netns=PATH), as every Kubernetes pod's
 *             containers share the pod's;
 *   uts       absent: the host's host name (host=inherit); present: the
 *             jail's own (host=new);
 *   ipc       absent: the host's (sysvmsg, sysvsem, sysvshm=inherit);
 *             present: the jail's own (=new).
 *
 * A uts or ipc namespace by path (a pod's) is not joined: the jail has
 * its own, with the pod's host name (shared_not_joined).  A path for
 * pid, mount, user or cgroup is refused: the jail makes its own and
 * cannot enter another's.  An explicit uid mapping is honoured
 * when it is what a jail's private range is, 65536 ids from a host id
 * that is a multiple of 65536 (idmap.base, DESIGN.md §4); anything else
 * is refused, since the jail's range is fixed in size and alignment.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <linux/magic.h>
#include <linux/nsfs.h>

#include <jansson.h>

#include "oci.h"

#define	JIDMAP_SIZE	65536U

static int
add(struct oci_jparams *p, const char *name, const char *value)
{
	if (p->n >= OCI_JPARAMS_MAX) {
		oci_err("too many jail parameters");
		return -1;
	}
	p->name[p->n] = name;
	p->value[p->n++] = value;
	return 0;
}

/* Is the mapping A (uidMappings or gidMappings) one the jail can be? */
static int
mapping(json_t *a, const char *what, unsigned long long *base)
{
	json_t *m = json_array_get(a, 0);
	json_t *c = json_object_get(m, "containerID");
	json_t *h = json_object_get(m, "hostID");
	json_t *s = json_object_get(m, "size");

	if (!json_is_array(a) || json_array_size(a) != 1 ||
	    !json_is_integer(c) || !json_is_integer(h) || !json_is_integer(s)) {
		oci_err("linux.%s: not supported: a jail's ids are one range "
		    "(one entry, containerID 0, size %u)", what, JIDMAP_SIZE);
		return -1;
	}
	if (json_integer_value(c) != 0 || json_integer_value(s) !=
	    JIDMAP_SIZE || json_integer_value(h) <= 0 ||
	    json_integer_value(h) % JIDMAP_SIZE != 0 ||
	    json_integer_value(h) > 0xffffffffLL - JIDMAP_SIZE + 1) {
		oci_err("linux.%s: not supported: a jail maps its ids 0 to "
		    "%u to %u host ids from a multiple of %u (not 0)", what,
		    JIDMAP_SIZE - 1, JIDMAP_SIZE, JIDMAP_SIZE);
		return -1;
	}
	*base = (unsigned long long)json_integer_value(h);
	return 0;
}

static int
idmaps(json_t *lx, struct oci_jparams *p)
{
	json_t *u = json_object_get(lx, "uidMappings");
	json_t *g = json_object_get(lx, "gidMappings");
	unsigned long long ub, gb;

	if (u == NULL && g == NULL)
		return 0;
	if (mapping(u, "uidMappings", &ub) < 0 ||
	    mapping(g, "gidMappings", &gb) < 0)
		return -1;
	if (ub != gb) {
		oci_err("linux.uidMappings, gidMappings: not supported: a "
		    "jail maps its uids and gids to the same host ids");
		return -1;
	}
	snprintf(p->idbase, sizeof(p->idbase), "%llu", ub);
	return add(p, "idmap.base", p->idbase);
}

/*
 * A uts or ipc namespace by path (a pod's, which podman and Kubernetes
 * give each of its containers): not joined, since the prison enters only
 * a network namespace; the jail has its own instead, which shares less,
 * never isolates less.  The path must still be a namespace of that type,
 * and a uts one lends the container its host name unless the bundle has
 * one, so that a pod's containers agree on it.  Noted with --debug.
 */
static int
shared_not_joined(const struct oci_bundle *b, const char *type,
    const char *path, struct oci_jparams *p)
{
	int want = strcmp(type, "uts") == 0 ? CLONE_NEWUTS : CLONE_NEWIPC;
	int fd, pp[2], st;
	struct statfs sf;
	struct utsname u;
	char self[64];
	pid_t c;
	ssize_t n;

	/* O_PATH first: nothing but an nsfs file is ever really opened. */
	if ((fd = open(path, O_PATH | O_CLOEXEC)) >= 0) {
		int p2 = -1;

		if (fstatfs(fd, &sf) == 0 && sf.f_type == NSFS_MAGIC) {
			snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
			p2 = open(self, O_RDONLY | O_CLOEXEC);
		}
		close(fd);
		fd = p2;
	}
	if (fd < 0 || ioctl(fd, NS_GET_NSTYPE) != want) {
		oci_err("linux.namespaces: %s namespace %s: not a %s namespace",
		    type, path, type);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	/*
	 * A note, not a warning: create's stderr is the container's, and
	 * every pod would carry it in its containers' logs.
	 */
	oci_debug("linux.namespaces: %s namespace %s: not joined: the "
	    "container has one of its own", type, path);
	if (want == CLONE_NEWIPC || b->hostname != NULL) {
		close(fd);
		return 0;
	}
	/* Its host name, read by a child that enters it. */
	if (pipe2(pp, O_CLOEXEC) < 0) {
		oci_err("pipe: %s", strerror(errno));
		close(fd);
		return -1;
	}
	if ((c = fork()) == 0) {
		close(pp[0]);
		if (setns(fd, CLONE_NEWUTS) < 0 || uname(&u) < 0)
			_exit(1);
		_exit(write(pp[1], u.nodename, strlen(u.nodename)) < 0);
	}
	close(pp[1]);
	close(fd);
	n = c < 0 ? -1 : read(pp[0], p->hostname, sizeof(p->hostname) - 1);
	close(pp[0]);
	if (c > 0)
		while (waitpid(c, &st, 0) < 0 && errno == EINTR)
			;
	if (n < 0 || c < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		oci_err("linux.namespaces: uts namespace %s: its host name "
		    "cannot be read", path);
		return -1;
	}
	p->hostname[n] = '\0';
	return n == 0 ? 0 : add(p, "host.hostname", p->hostname);
}

int
oci_namespaces(const struct oci_bundle *b, struct oci_jparams *p)
{
	static const char *const always[] = { "pid", "mount", "user",
	    "cgroup" };
	json_t *lx = json_object_get(b->config, "linux");
	json_t *ns = json_object_get(lx, "namespaces"), *e;
	const char *netpath = NULL;
	int net = 0, uts = 0, ipc = 0, seen[4] = { 0 };
	size_t i;

	if (ns != NULL && !json_is_array(ns)) {
		oci_err("config.json: linux.namespaces: not an array");
		return -1;
	}
	json_array_foreach(ns, i, e) {
		const char *type = json_string_value(json_object_get(e, "type"));
		json_t *pv = json_object_get(e, "path");
		const char *path = json_string_value(pv);
		size_t k;

		if (type == NULL || (pv != NULL && path == NULL)) {
			oci_err("config.json: linux.namespaces: an entry "
			    "without a type");
			return -1;
		}
		if (path != NULL && *path == '\0')
			path = NULL;
		if (strcmp(type, "network") == 0) {
			net = 1;
			netpath = path;
			continue;
		}
		for (k = 0; k < 4; k++)
			if (strcmp(type, always[k]) == 0)
				break;
		if (k < 4)
			seen[k] = 1;
		else if (strcmp(type, "uts") == 0)
			uts = 1;
		else if (strcmp(type, "ipc") == 0)
			ipc = 1;
		else if (strcmp(type, "time") != 0 || path != NULL) {
			oci_err("linux.namespaces: %s: not supported", type);
			return -1;
		}
		if (path != NULL && (strcmp(type, "uts") == 0 ||
		    strcmp(type, "ipc") == 0)) {
			if (shared_not_joined(b, type, path, p) < 0)
				return -1;
		} else if (path != NULL) {
			oci_err("linux.namespaces: %s namespace %s: not "
			    "supported: a jail has its own %s namespace; only "
			    "a network namespace can be joined", type, path,
			    type);
			return -1;
		}
		if (strcmp(type, "time") == 0)
			oci_debug("time namespace: the host's clocks");
	}
	for (size_t k = 0; k < 4; k++)
		if (!seen[k])
			oci_debug("no %s namespace asked for: a jail always has "
			    "its own", always[k]);
	if (!net && (add(p, "ip4", "inherit") < 0 ||
	    add(p, "ip6", "inherit") < 0))
		return -1;
	if (net && add(p, "vnet", "new") < 0)
		return -1;
	if (netpath != NULL && add(p, "vnet.netns", netpath) < 0)
		return -1;
	if (!uts && b->hostname != NULL) {
		oci_err("unable to set hostname without a private UTS "
		    "namespace");
		return -1;
	}
	if (add(p, "host", uts ? "new" : "inherit") < 0)
		return -1;
	if (add(p, "sysvmsg", ipc ? "new" : "inherit") < 0 ||
	    add(p, "sysvsem", ipc ? "new" : "inherit") < 0 ||
	    add(p, "sysvshm", ipc ? "new" : "inherit") < 0)
		return -1;
	return idmaps(lx, p);
}

/* Does the bundle ask for a namespace of TYPE: 0 no, 1 its own, 2 by path? */
int
oci_has_ns(const struct oci_bundle *b, const char *type)
{
	json_t *lx = json_object_get(b->config, "linux"), *e;
	size_t i;

	json_array_foreach(json_object_get(lx, "namespaces"), i, e)
		if (json_is_string(json_object_get(e, "type")) &&
		    strcmp(json_string_value(json_object_get(e, "type")),
		    type) == 0)
			return json_string_length(json_object_get(e, "path")) >
			    0 ? 2 : 1;
	return 0;
}
