/*
 * linux.resources: the limits the host's cgroups allow, each where it can
 * be applied.  First the jail's top cgroup2 directory, when the limit's
 * controller is there once the root's are handed down to it (its file
 * exists; cgroupv2.c); else, on hybrid hosts
 * (controllers on cgroup v1, cgroup2 without any), a cgroup of the
 * container's in the controller's v1 hierarchy, at linux.cgroupsPath
 * (podman's "/libpod_parent/libpod-ID") or jail-oci/ID, into which the
 * first process is moved while it waits at the exec.fifo gate (nothing of
 * the container has run yet; its children inherit the cgroup) and exec'd
 * processes are moved by oci_cgroup_enter.  A limit that can be applied
 * nowhere is a warning, never a failure: podman always sends a pids limit;
 * a value the kernel refuses fails create or update, as with runc.
 * The v1 side is cgroupv1.c's.
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
#include "cgroupv1.h"

#define	MAXSET		64

/* One value to write: in the cgroup2 file, else in the v1 one. */
struct set {
	const char	*ctl;		/* v1 controller */
	char		 v1[64];	/* file; "": none on v1 */
	char		 v2[64];	/* file; "": none on v2 */
	char		 v1val[128];
	char		 v2val[128];
	const char	*what;		/* the bundle's name of it */
	int		 retry;		/* refused once: again at the end */
};

struct apply {
	struct set	 set[MAXSET];
	int		 nset;
	struct oci_v1	 v1;		/* the v1 cgroups made */
	int		 failed;	/* a value was refused: said */
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
	int have_lim, have_swap;

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
	/*
	 * The spec's swap is memory and swap (v1's memsw); v2's is swap alone.
	 * A limit lifted without a swap lifts the swap too, as runc does.
	 */
	if ((have_swap = num(m, "swap", "memory", &v)) != 1 && have_lim == 1 &&
	    lim < 0) {
		v = -1;
		have_swap = 1;
	}
	if (have_swap == 1) {
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

/*
 * Every process of the container into the v1 cgroups made by an update:
 * each seen in its cgroup2 directory V2 (REL) and still there, by a pidfd,
 * as the number is written.
 */
static void
enter_all(struct apply *a, int v2, const char *rel)
{
	pid_t *pids;
	int n = oci_cgroup_pids(v2, &pids);

	for (int i = 0; i < n; i++) {
		int fd = oci_pidfd_in(pids[i], rel);

		if (fd >= 0) {
			oci_v1_enter(&a->v1, pids[i]);
			close(fd);
		}
	}
	free(pids);
}

static struct set *
find(struct apply *a, const char *what)
{
	for (int i = 0; i < a->nset; i++)
		if (strcmp(a->set[i].what, what) == 0)
			return &a->set[i];
	return NULL;
}

/*
 * v1 keeps memory.limit_in_bytes at most memory.memsw.limit_in_bytes at
 * every write: when both change, the swap goes first if it is raised past
 * the present limit (or lifted), else the limit first, as runc orders them.
 * cgroup2's two are independent.
 */
static void
order_memory(struct apply *a, int v2)
{
	struct set *lim = find(a, "memory.limit"), *sw = find(a, "memory.swap");
	struct set t;
	char buf[32];
	long long swap;
	unsigned long long cur;
	int d;

	if (lim == NULL || sw == NULL || sw < lim || (v2 >= 0 &&
	    faccessat(v2, "memory.max", W_OK, 0) == 0) ||
	    (d = oci_v1_dir(&a->v1, "memory")) < 0 ||
	    oci_cgroup_read(d, "memory.limit_in_bytes", buf, sizeof(buf)) <= 0)
		return;
	cur = strtoull(buf, NULL, 10);
	swap = strtoll(sw->v1val, NULL, 10);
	if (swap < 0 || cur < (unsigned long long)swap) {
		t = *lim;
		*lim = *sw;
		*sw = t;
	}
}

/* S's value into FILE of DIR: a value the kernel refuses fails the lot. */
static int
write_set(struct apply *a, struct set *s, int dir, int v1)
{
	const char *file = v1 ? s->v1 : s->v2, *val = v1 ? s->v1val : s->v2val;

	if (oci_cgroup_write(dir, file, val) == 0)
		return 0;
	/*
	 * A period shorter than the present one may be refused until the
	 * quota is lowered with it: written again after the quota, as runc
	 * does.
	 */
	if (errno == EINVAL && v1 && strcmp(s->what, "cpu.period") == 0 &&
	    find(a, "cpu.quota") > s && !s->retry) {
		s->retry = 1;
		return 0;
	}
	oci_err("linux.resources: %s: %s %s: %s", s->what, file, val,
	    strerror(errno));
	a->failed = 1;
	return -1;
}

/*
 * Each value where it can go.  A controller or file this host lacks is a
 * warning (podman always sends a pids limit); a value the kernel refuses
 * is an error, as with runc.
 */
static void
apply(struct apply *a, int v2)
{
	order_memory(a, v2);
	for (int i = 0; i < a->nset && !a->failed; i++) {
		struct set *s = &a->set[i];
		int d;

		/* cgroup2, where the controller is enabled (its file is there). */
		if (s->v2[0] != '\0' && v2 >= 0 &&
		    faccessat(v2, s->v2, W_OK, 0) == 0) {
			write_set(a, s, v2, 0);
			continue;
		}
		if (s->v1[0] == '\0' || s->ctl == NULL) {
			oci_warn("linux.resources: %s: no cgroup2 %s here: "
			    "not applied", s->what, s->v2);
			continue;
		}
		if ((d = oci_v1_dir(&a->v1, s->ctl)) < 0) {
			oci_warn("linux.resources: %s: no %s controller on this "
			    "host: not applied", s->what, s->ctl);
			continue;
		}
		if (faccessat(d, s->v1, F_OK, 0) < 0)
			oci_warn("linux.resources: %s: no %s here: not applied",
			    s->what, s->v1);
		else
			write_set(a, s, d, 1);
	}
	/* What waited for a later value (the cpu period for the quota). */
	for (int i = 0; i < a->nset && !a->failed; i++) {
		struct set *s = &a->set[i];
		int d;

		if (s->retry && (d = oci_v1_dir(&a->v1, s->ctl)) >= 0)
			write_set(a, s, d, 1);
	}
}

/*
 * R applied to S's cgroups; v1 ones made now are recorded in the state
 * directory DIR and joined by PID (create's first process) or, with PID
 * 0, by every process of the container (update).
 */
static int
resources(json_t *r, const struct oci_state *s, int dir, const char *cgpath,
    pid_t pid)
{
	struct apply *a;
	char rel[600];
	int v2, top, ret;

	if ((a = calloc(1, sizeof(*a))) == NULL) {
		oci_err("malloc: %s", strerror(errno));
		return -1;
	}
	/* update: the container's cgroups so far, and their path. */
	if (oci_v1_load(dir, &a->v1) == 0)
		oci_v1_path(&a->v1, cgpath, s->id);
	collect(a, r);
	v2 = oci_cgroup_jail(s, rel, sizeof(rel));
	top = v2 >= 0 && a->nset > 0 ? oci_cgroup_top(v2) : -1;
	apply(a, top);
	if (top >= 0)
		close(top);
	/* Recorded first: what is made is removed even if the rest fails. */
	if ((ret = oci_v1_record(dir, &a->v1)) == 0 && a->failed)
		ret = -1;
	else if (ret == 0) {
		if (pid > 0)
			oci_v1_enter(&a->v1, pid);
		else if (v2 >= 0)
			enter_all(a, v2, rel);
	}
	if (v2 >= 0)
		close(v2);
	oci_v1_close(&a->v1);
	free(a);
	return ret;
}

int
oci_resources_apply(const struct oci_bundle *b, const struct oci_state *s,
    int dir)
{
	json_t *r;
	int ret;

	if (b->resources == NULL ||
	    (r = json_loads(b->resources, 0, NULL)) == NULL)
		return 0;
	ret = resources(r, s, dir, b->cgroups_path, s->pid);
	json_decref(r);
	return ret;
}

/* The bundle's linux.cgroupsPath, for an update making the first v1 one. */
static char *
bundle_cgpath(const struct oci_state *s)
{
	char path[PATH_MAX];
	json_t *c, *v;
	char *p = NULL;

	if ((size_t)snprintf(path, sizeof(path), "%s/config.json", s->bundle) >=
	    sizeof(path) || (c = json_load_file(path, 0, NULL)) == NULL)
		return NULL;
	v = json_object_get(json_object_get(c, "linux"), "cgroupsPath");
	if (json_is_string(v) && *json_string_value(v) != '\0')
		p = strdup(json_string_value(v));
	json_decref(c);
	return p;
}

int
oci_resources_update(json_t *r, const struct oci_state *s, int dir)
{
	char *cgpath = bundle_cgpath(s);
	int ret = resources(r, s, dir, cgpath, 0);

	free(cgpath);
	return ret;
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
