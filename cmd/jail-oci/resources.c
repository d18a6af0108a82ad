/*
 * linux.resources: the limits the host's cgroups allow, each where it can
 * be applied.  First the jail's own cgroup2 directory, when the limit's
 * controller is enabled there (its file exists); else, on hybrid hosts
 * (controllers on cgroup v1, cgroup2 without any), a cgroup of the
 * container's in the controller's v1 hierarchy, at linux.cgroupsPath
 * (podman's "/libpod_parent/libpod-ID") or jail-oci/ID, into which the
 * first process is moved while it waits at the exec.fifo gate (nothing of
 * the container has run yet; its children inherit the cgroup) and exec'd
 * processes are moved by oci_cgroup_enter.  A limit that can be applied
 * nowhere is a warning, never a failure: podman always sends a pids limit.
 *
 * The v1 cgroups made are listed, "<hierarchy>\t<path>" a line, in the
 * state directory's "cgroups", which delete reads to remove them.
 *
 * devices rules are not applied: a jail's /dev is a fixed set of safe
 * devices, whatever the bundle allows.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <linux/magic.h>

#include <jansson.h>

#include "oci.h"

#define	CGFILE		"cgroups"
#define	MAXSET		64
#define	MAXCTL		12

/* One value to write: in the cgroup2 file, else in the v1 one. */
struct set {
	const char	*ctl;		/* v1 controller */
	char		 v1[64];	/* file; "": none on v1 */
	char		 v2[64];	/* file; "": none on v2 */
	char		 v1val[128];
	char		 v2val[128];
	const char	*what;		/* the bundle's name of it */
};

/* The v1 cgroups of this container. */
struct v1cg {
	char		 ctl[32];
	char		 mnt[256];
	int		 fd;		/* its directory, or -1 */
	int		 failed;
};

struct apply {
	struct set	 set[MAXSET];
	int		 nset;
	struct v1cg	 cg[MAXCTL];
	int		 ncg;
	char		 rel[PATH_MAX];	/* the cgroup's path in a hierarchy */
};

static struct set *
add(struct apply *a, const char *ctl, const char *what)
{
	struct set *s;

	if (a->nset == MAXSET)
		return NULL;
	s = &a->set[a->nset++];
	memset(s, 0, sizeof(*s));
	s->ctl = ctl;
	s->what = what;
	return s;
}

/* An integer member of O, if there: 1, 0 when absent, -1 when not one. */
static int
num(json_t *o, const char *key, const char *where, long long *v)
{
	json_t *n = json_object_get(o, key);

	if (n == NULL || json_is_null(n))
		return 0;
	if (!json_is_integer(n)) {
		oci_warn("linux.resources.%s.%s: not an integer: ignored",
		    where, key);
		return -1;
	}
	*v = json_integer_value(n);
	return 1;
}

static void
set1(struct apply *a, const char *ctl, const char *what, const char *v1,
    const char *v1val, const char *v2, const char *v2val)
{
	struct set *s = add(a, ctl, what);

	if (s == NULL)
		return;
	snprintf(s->v1, sizeof(s->v1), "%s", v1 != NULL ? v1 : "");
	snprintf(s->v1val, sizeof(s->v1val), "%s", v1val != NULL ? v1val : "");
	snprintf(s->v2, sizeof(s->v2), "%s", v2 != NULL ? v2 : "");
	snprintf(s->v2val, sizeof(s->v2val), "%s", v2val != NULL ? v2val : "");
}

/* What is not applied, said once per member. */
static void
unsupported(json_t *o, const char *where, const char *const *known)
{
	const char *key;
	json_t *v;

	json_object_foreach(o, key, v) {
		int k = 0;

		for (int i = 0; known[i] != NULL; i++)
			k |= strcmp(known[i], key) == 0;
		if (!k)
			oci_warn("linux.resources.%s%s%s: not supported: ignored",
			    where, *where != '\0' ? "." : "", key);
	}
}

static void
memory(struct apply *a, json_t *m)
{
	static const char *const known[] = { "limit", "reservation", "swap",
	    "swappiness", "disableOOMKiller", NULL };
	char v1[32], v2[32];
	long long lim = 0, v;
	int have_lim;

	unsupported(m, "memory", known);
	if ((have_lim = num(m, "limit", "memory", &lim)) == 1) {
		snprintf(v1, sizeof(v1), "%lld", lim < 0 ? -1 : lim);
		snprintf(v2, sizeof(v2), "%lld", lim);
		set1(a, "memory", "memory.limit", "memory.limit_in_bytes", v1,
		    "memory.max", lim < 0 ? "max" : v2);
	}
	if (num(m, "reservation", "memory", &v) == 1) {
		snprintf(v1, sizeof(v1), "%lld", v < 0 ? -1 : v);
		snprintf(v2, sizeof(v2), "%lld", v);
		set1(a, "memory", "memory.reservation",
		    "memory.soft_limit_in_bytes", v1, "memory.low",
		    v < 0 ? "max" : v2);
	}
	/* The spec's swap is memory and swap (v1's memsw); v2's is swap alone. */
	if (num(m, "swap", "memory", &v) == 1) {
		snprintf(v1, sizeof(v1), "%lld", v < 0 ? -1 : v);
		if (v < 0)
			snprintf(v2, sizeof(v2), "max");
		else if (have_lim == 1 && lim > 0 && v >= lim)
			snprintf(v2, sizeof(v2), "%lld", v - lim);
		else
			v2[0] = '\0';
		set1(a, "memory", "memory.swap", "memory.memsw.limit_in_bytes",
		    v1, v2[0] != '\0' ? "memory.swap.max" : NULL, v2);
	}
	if (num(m, "swappiness", "memory", &v) == 1 && v >= 0 && v <= 100) {
		snprintf(v1, sizeof(v1), "%lld", v);
		set1(a, "memory", "memory.swappiness", "memory.swappiness", v1,
		    NULL, NULL);
	}
	if (json_is_true(json_object_get(m, "disableOOMKiller")))
		set1(a, "memory", "memory.disableOOMKiller",
		    "memory.oom_control", "1", NULL, NULL);
}

/* A cpuset list: digits, commas and dashes only. */
static int
cpulist(const char *s)
{
	return *s != '\0' && strspn(s, "0123456789,-") == strlen(s) &&
	    strlen(s) < 100;
}

static void
cpu(struct apply *a, json_t *c)
{
	static const char *const known[] = { "shares", "quota", "period",
	    "realtimeRuntime", "realtimePeriod", "cpus", "mems", NULL };
	char v1[32], v2[64];
	long long v, quota = 0, period = 0;
	int hq, hp;
	json_t *s;

	unsupported(c, "cpu", known);
	if (num(c, "shares", "cpu", &v) == 1 && v > 0) {
		long long w = v < 2 ? 1 : 1 + ((v - 2) * 9999) / 262142;

		snprintf(v1, sizeof(v1), "%lld", v);
		snprintf(v2, sizeof(v2), "%lld", w > 10000 ? 10000 : w);
		set1(a, "cpu", "cpu.shares", "cpu.shares", v1, "cpu.weight", v2);
	}
	hq = num(c, "quota", "cpu", &quota);
	hp = num(c, "period", "cpu", &period);
	/* v2's cpu.max holds both; v1 has a file each, the period first
	 * (v1 refuses a quota beyond the old period's bounds). */
	if (quota > 0)
		snprintf(v2, sizeof(v2), "%lld %lld", quota,
		    period > 0 ? period : 100000);
	else
		snprintf(v2, sizeof(v2), "max %lld", period > 0 ? period :
		    100000);
	if (hp == 1 && period > 0) {
		snprintf(v1, sizeof(v1), "%lld", period);
		set1(a, "cpu", "cpu.period", "cpu.cfs_period_us", v1,
		    "cpu.max", v2);
	}
	if (hq == 1) {
		snprintf(v1, sizeof(v1), "%lld", quota > 0 ? quota : -1);
		set1(a, "cpu", "cpu.quota", "cpu.cfs_quota_us", v1, "cpu.max",
		    v2);
	}
	if (num(c, "realtimePeriod", "cpu", &v) == 1 && v > 0) {
		snprintf(v1, sizeof(v1), "%lld", v);
		set1(a, "cpu", "cpu.realtimePeriod", "cpu.rt_period_us", v1,
		    NULL, NULL);
	}
	if (num(c, "realtimeRuntime", "cpu", &v) == 1) {
		snprintf(v1, sizeof(v1), "%lld", v);
		set1(a, "cpu", "cpu.realtimeRuntime", "cpu.rt_runtime_us", v1,
		    NULL, NULL);
	}
	for (int i = 0; i < 2; i++) {
		const char *k = i == 0 ? "cpus" : "mems";

		if ((s = json_object_get(c, k)) == NULL ||
		    (json_is_string(s) && *json_string_value(s) == '\0'))
			continue;
		if (!json_is_string(s) || !cpulist(json_string_value(s))) {
			oci_warn("linux.resources.cpu.%s: not a list of "
			    "numbers: ignored", k);
			continue;
		}
		snprintf(v1, sizeof(v1), "cpuset.%s", k);
		set1(a, "cpuset", i == 0 ? "cpu.cpus" : "cpu.mems", v1,
		    json_string_value(s), v1, json_string_value(s));
	}
}

static void
throttle(struct apply *a, json_t *l, const char *key, const char *v1,
    const char *v2key)
{
	size_t i;
	json_t *d;

	if (!json_is_array(l))
		return;
	json_array_foreach(l, i, d) {
		long long maj, min, rate;
		char v1val[64], v2val[96];

		if (num(d, "major", "blockIO", &maj) != 1 ||
		    num(d, "minor", "blockIO", &min) != 1 ||
		    num(d, "rate", "blockIO", &rate) != 1 || maj < 0 ||
		    min < 0 || rate < 0) {
			oci_warn("linux.resources.blockIO.%s: a device without "
			    "major, minor and rate: ignored", key);
			continue;
		}
		snprintf(v1val, sizeof(v1val), "%lld:%lld %lld", maj, min, rate);
		snprintf(v2val, sizeof(v2val), "%lld:%lld %s=%s", maj, min,
		    v2key, rate == 0 ? "max" : v1val + strcspn(v1val, " ") + 1);
		set1(a, "blkio", "blockIO", v1, v1val, "io.max", v2val);
	}
}

static void
blockio(struct apply *a, json_t *b)
{
	static const char *const known[] = { "weight",
	    "throttleReadBpsDevice", "throttleWriteBpsDevice",
	    "throttleReadIOPSDevice", "throttleWriteIOPSDevice", NULL };
	char v1[32], v2[32];
	long long w;

	unsupported(b, "blockIO", known);
	if (num(b, "weight", "blockIO", &w) == 1 && w >= 10 && w <= 1000) {
		snprintf(v1, sizeof(v1), "%lld", w);
		snprintf(v2, sizeof(v2), "default %lld",
		    1 + ((w - 10) * 9999) / 990);
		set1(a, "blkio", "blockIO.weight", "blkio.weight", v1,
		    "io.weight", v2);
	}
	throttle(a, json_object_get(b, "throttleReadBpsDevice"),
	    "throttleReadBpsDevice", "blkio.throttle.read_bps_device", "rbps");
	throttle(a, json_object_get(b, "throttleWriteBpsDevice"),
	    "throttleWriteBpsDevice", "blkio.throttle.write_bps_device", "wbps");
	throttle(a, json_object_get(b, "throttleReadIOPSDevice"),
	    "throttleReadIOPSDevice", "blkio.throttle.read_iops_device", "riops");
	throttle(a, json_object_get(b, "throttleWriteIOPSDevice"),
	    "throttleWriteIOPSDevice", "blkio.throttle.write_iops_device",
	    "wiops");
}

static void
hugepages(struct apply *a, json_t *l)
{
	size_t i;
	json_t *h;

	if (!json_is_array(l))
		return;
	json_array_foreach(l, i, h) {
		const char *size = json_string_value(json_object_get(h,
		    "pageSize"));
		long long lim;
		char v1[64], v2[64], val[32];

		if (size == NULL || *size == '\0' || strlen(size) > 16 ||
		    strspn(size, "0123456789KMGB") != strlen(size) ||
		    num(h, "limit", "hugepageLimits", &lim) != 1 || lim < 0) {
			oci_warn("linux.resources.hugepageLimits: an entry "
			    "without pageSize and limit: ignored");
			continue;
		}
		snprintf(v1, sizeof(v1), "hugetlb.%s.limit_in_bytes", size);
		snprintf(v2, sizeof(v2), "hugetlb.%s.max", size);
		snprintf(val, sizeof(val), "%lld", lim);
		set1(a, "hugetlb", "hugepageLimits", v1, val, v2, val);
	}
}

/*
 * unified: cgroup2 files by name, only in the jail's own directory.  A
 * name is a controller's file ("memory.high"), never cgroup.* (those
 * move processes and change the tree) nor a path.
 */
static void
unified(struct apply *a, json_t *u)
{
	const char *key;
	json_t *v;

	json_object_foreach(u, key, v) {
		if (strchr(key, '/') != NULL || strchr(key, '.') == NULL ||
		    key[0] == '.' || strncmp(key, "cgroup.", 7) == 0 ||
		    strlen(key) >= 64 || !json_is_string(v) ||
		    strlen(json_string_value(v)) >= 128) {
			oci_warn("linux.resources.unified.%s: not a "
			    "controller's file and value: ignored", key);
			continue;
		}
		set1(a, NULL, "unified", NULL, NULL, key, json_string_value(v));
	}
}

/* Every resource asked for, in the order they must be written. */
static void
collect(struct apply *a, json_t *r)
{
	static const char *const known[] = { "devices", "memory", "cpu",
	    "pids", "blockIO", "hugepageLimits", "unified", "network",
	    NULL };
	json_t *o;
	long long v;
	char buf[32];

	unsupported(r, "", known);
	if ((o = json_object_get(r, "pids")) != NULL &&
	    num(o, "limit", "pids", &v) == 1) {
		snprintf(buf, sizeof(buf), "%lld", v);
		set1(a, "pids", "pids.limit", "pids.max", v > 0 ? buf : "max",
		    "pids.max", v > 0 ? buf : "max");
	}
	if ((o = json_object_get(r, "memory")) != NULL && json_is_object(o))
		memory(a, o);
	if ((o = json_object_get(r, "cpu")) != NULL && json_is_object(o))
		cpu(a, o);
	if ((o = json_object_get(r, "blockIO")) != NULL && json_is_object(o))
		blockio(a, o);
	if ((o = json_object_get(r, "hugepageLimits")) != NULL)
		hugepages(a, o);
	if ((o = json_object_get(r, "network")) != NULL && json_is_object(o)) {
		if (num(o, "classID", "network", &v) == 1) {
			snprintf(buf, sizeof(buf), "%lld", v);
			set1(a, "net_cls", "network.classID", "net_cls.classid",
			    buf, NULL, NULL);
		}
		if (json_array_size(json_object_get(o, "priorities")) > 0)
			oci_warn("linux.resources.network.priorities: not "
			    "supported: ignored");
	}
	if ((o = json_object_get(r, "unified")) != NULL && json_is_object(o))
		unified(a, o);
	/* A jail's /dev is its fixed safe set: there is nothing to allow. */
	if (json_array_size(json_object_get(r, "devices")) > 0)
		oci_debug("linux.resources.devices: the jail's /dev is fixed");
}

/* The mount point of controller CTL's v1 hierarchy, from mountinfo. */
static int
v1_mount(const char *ctl, char *buf, size_t len)
{
	char line[4096];
	FILE *f = fopen("/proc/self/mountinfo", "re");
	int found = 0;

	if (f == NULL)
		return -1;
	while (!found && fgets(line, sizeof(line), f) != NULL) {
		char *sep = strstr(line, " - cgroup "), *mp, *opts, *o,
		    *save = NULL, *save2 = NULL;

		if (sep == NULL)
			continue;
		/* " - cgroup <source> <super options>" */
		opts = strrchr(sep, ' ');
		if (opts == NULL)
			continue;
		opts++;
		opts[strcspn(opts, "\n")] = '\0';
		for (o = strtok_r(opts, ",", &save2); o != NULL;
		    o = strtok_r(NULL, ",", &save2))
			if (strcmp(o, ctl) == 0)
				break;
		if (o == NULL)
			continue;
		strtok_r(line, " ", &save);	/* id */
		strtok_r(NULL, " ", &save);	/* parent */
		strtok_r(NULL, " ", &save);	/* dev */
		strtok_r(NULL, " ", &save);	/* root */
		mp = strtok_r(NULL, " ", &save);
		if (mp != NULL && strchr(mp, '\\') == NULL) {
			snprintf(buf, len, "%s", mp);
			found = 1;
		}
	}
	fclose(f);
	return found ? 0 : -1;
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
	ssize_t n;
	int in = openat(parent, file, O_RDONLY | O_CLOEXEC), out;

	if (in < 0)
		return;
	n = read(in, buf, sizeof(buf));
	close(in);
	if (n <= 0 || (out = openat(dir, file, O_WRONLY | O_CLOEXEC)) < 0)
		return;
	if (write(out, buf, (size_t)n) != n)
		oci_debug("%s: %s", file, strerror(errno));
	close(out);
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
		int sub;

		if (n > NAME_MAX) {
			close(fd);
			errno = ENAMETOOLONG;
			return -1;
		}
		memcpy(comp, c, n);
		comp[n] = '\0';
		c += n + (c[n] == '/');
		if (mkdirat(fd, comp, 0755) < 0 && errno != EEXIST) {
			close(fd);
			return -1;
		}
		sub = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC);
		if (sub >= 0 && strcmp(ctl, "cpuset") == 0) {
			cpuset_inherit(fd, sub, "cpuset.cpus");
			cpuset_inherit(fd, sub, "cpuset.mems");
		}
		close(fd);
		fd = sub;
	}
	return fd;
}

/* The container's v1 cgroup of CTL, made on first use; -1 if none can be. */
static int
v1_dir(struct apply *a, const char *ctl)
{
	struct v1cg *g = NULL;

	for (int i = 0; i < a->ncg; i++)
		if (strcmp(a->cg[i].ctl, ctl) == 0)
			g = &a->cg[i];
	if (g == NULL) {
		if (a->ncg == MAXCTL)
			return -1;
		g = &a->cg[a->ncg++];
		memset(g, 0, sizeof(*g));
		g->fd = -1;
		snprintf(g->ctl, sizeof(g->ctl), "%s", ctl);
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

static int
write_file(int dir, const char *file, const char *val)
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

static void
apply(struct apply *a, int v2)
{
	for (int i = 0; i < a->nset; i++) {
		struct set *s = &a->set[i];
		int d;

		/* cgroup2, where the controller is enabled (its file is there). */
		if (s->v2[0] != '\0' && v2 >= 0 &&
		    faccessat(v2, s->v2, W_OK, 0) == 0) {
			if (write_file(v2, s->v2, s->v2val) < 0)
				oci_warn("linux.resources: %s: %s %s: %s",
				    s->what, s->v2, s->v2val, strerror(errno));
			continue;
		}
		if (s->v1[0] == '\0' || s->ctl == NULL) {
			oci_warn("linux.resources: %s: no cgroup2 %s here: "
			    "not applied", s->what, s->v2);
			continue;
		}
		if ((d = v1_dir(a, s->ctl)) < 0) {
			oci_warn("linux.resources: %s: no %s controller on this "
			    "host: not applied", s->what, s->ctl);
			continue;
		}
		if (faccessat(d, s->v1, F_OK, 0) < 0)
			oci_warn("linux.resources: %s: no %s here: not applied",
			    s->what, s->v1);
		else if (write_file(d, s->v1, s->v1val) < 0)
			oci_warn("linux.resources: %s: %s %s: %s", s->what,
			    s->v1, s->v1val, strerror(errno));
	}
}

/* The v1 cgroups made, recorded for delete and exec. */
static int
record(int dir, const struct apply *a)
{
	FILE *f;
	int fd, any = 0;

	for (int i = 0; i < a->ncg; i++)
		any |= a->cg[i].fd >= 0;
	if (!any)
		return 0;
	if ((fd = openat(dir, CGFILE, O_WRONLY | O_CREAT | O_TRUNC |
	    O_NOFOLLOW | O_CLOEXEC, 0600)) < 0 ||
	    (f = fdopen(fd, "w")) == NULL) {
		if (fd >= 0)
			close(fd);
		oci_err("%s: %s", CGFILE, strerror(errno));
		return -1;
	}
	for (int i = 0; i < a->ncg; i++)
		if (a->cg[i].fd >= 0)
			fprintf(f, "%s\t%s\n", a->cg[i].mnt, a->rel);
	if (fclose(f) != 0) {
		oci_err("%s: %s", CGFILE, strerror(errno));
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
	return write_file(dir, "cgroup.procs", num);
}

/*
 * The path in each hierarchy: cgroupsPath as an absolute one (relative
 * paths too: jail-oci has no cgroup of its own to put them under), or
 * jail-oci/ID.  systemd's "slice:prefix:name" is not a path.
 */
static void
path_of(struct apply *a, const char *cgpath, const char *id)
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

int
oci_resources_apply(const struct oci_bundle *b, const struct oci_state *s,
    int dir)
{
	struct apply *a;
	json_t *r;
	char rel[600];
	int v2, ret = 0;

	if (b->resources == NULL)
		return 0;
	if ((r = json_loads(b->resources, 0, NULL)) == NULL)
		return 0;
	if ((a = calloc(1, sizeof(*a))) == NULL) {
		json_decref(r);
		oci_err("malloc: %s", strerror(errno));
		return -1;
	}
	path_of(a, b->cgroups_path, s->id);
	collect(a, r);
	json_decref(r);
	v2 = oci_cgroup_jail(s, rel, sizeof(rel));
	apply(a, v2);
	if (v2 >= 0)
		close(v2);
	ret = record(dir, a);
	for (int i = 0; i < a->ncg; i++) {
		if (a->cg[i].fd < 0)
			continue;
		if (ret == 0 && enter(a->cg[i].fd, s->pid) < 0)
			oci_warn("linux.resources: %s: moving process %d into "
			    "%s/%s: %s: its limits do not apply", a->cg[i].ctl,
			    (int)s->pid, a->cg[i].mnt, a->rel, strerror(errno));
		close(a->cg[i].fd);
	}
	free(a);
	return ret;
}

/*
 * Each v1 cgroup recorded in the state directory DIR, checked again as
 * it is read: a hierarchy of cgroup v1 and a plain path.  FN is called
 * with the hierarchy's root open and the path.
 */
static void
each_recorded(int dir, void (*fn)(int, const char *, const char *, void *),
    void *arg)
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
		char *tab = strchr(line, '\t');
		int m;

		line[strcspn(line, "\n")] = '\0';
		if (tab == NULL)
			continue;
		*tab = '\0';
		if (line[0] != '/' || !plain_path(tab + 1) ||
		    (m = open_mount(line)) < 0)
			continue;
		fn(m, line, tab + 1, arg);
		close(m);
	}
	fclose(f);
}

static void
enter_one(int mnt, const char *mp, const char *rel, void *arg)
{
	pid_t pid = *(pid_t *)arg;
	int d = openat(mnt, rel, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);

	if (d < 0 || enter(d, pid) < 0)
		oci_warn("cgroup %s/%s: moving process %d: %s", mp, rel,
		    (int)pid, strerror(errno));
	if (d >= 0)
		close(d);
}

int
oci_cgroup_enter(const struct oci_state *s, pid_t pid)
{
	int root, dir;

	if ((root = oci_root_open(0)) < 0)
		return -1;
	dir = oci_state_open(root, s->id);
	close(root);
	if (dir < 0)
		return -1;
	each_recorded(dir, enter_one, &pid);
	close(dir);
	return 0;
}

static void
remove_one(int mnt, const char *mp, const char *rel, void *arg)
{
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
}

/* config.json's linux.resources and linux.cgroupsPath (CONFIG: a json_t). */
int
oci_bundle_cgroups(void *config, struct oci_bundle *b)
{
	json_t *lx = json_object_get(config, "linux"), *v;

	if (lx == NULL)
		return 0;
	if ((v = json_object_get(lx, "cgroupsPath")) != NULL) {
		if (!json_is_string(v)) {
			oci_err("config.json: linux.cgroupsPath: not a string");
			return -1;
		}
		if (*json_string_value(v) != '\0' &&
		    (b->cgroups_path = strdup(json_string_value(v))) == NULL)
			goto nomem;
	}
	if ((v = json_object_get(lx, "resources")) != NULL &&
	    !json_is_null(v)) {
		if (!json_is_object(v)) {
			oci_err("config.json: linux.resources: not an object");
			return -1;
		}
		if ((b->resources = json_dumps(v, JSON_COMPACT)) == NULL)
			goto nomem;
	}
	return 0;
nomem:
	oci_err("malloc: %s", strerror(errno));
	return -1;
}
