/*
 * An OCI process object: config.json's "process" at create, the file of
 * exec --process, or the container's own with exec's options over it.
 * What it asks is checked here, before anything is made, and turned into
 * a struct jail_run whose confinement can only narrow the jail's: the
 * capability sets are intersected with the jail's in the process itself
 * (lib/policy.c), rlimits may not exceed the caller's hard limits, and a
 * seccomp program is stacked on the jail's (seccomp.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/resource.h>

#include <jansson.h>

#include "run.h"
#include "policy.h"
#include "oci.h"

/* Linux's capability names, by number (capability(7)). */
static const char *const capnames[] = {
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
	"CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP",
	"CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST",
	"CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER",
	"CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
	"CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
	"CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD",
	"CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP",
	"CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM",
	"CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
	"CAP_CHECKPOINT_RESTORE",
};
#define	NCAPS	(int)(sizeof(capnames) / sizeof(capnames[0]))

/* The rlimits of setrlimit(2), by the names OCI uses. */
static const struct {
	const char *name;
	int res;
} rlimnames[] = {
	{ "RLIMIT_AS", RLIMIT_AS }, { "RLIMIT_CORE", RLIMIT_CORE },
	{ "RLIMIT_CPU", RLIMIT_CPU }, { "RLIMIT_DATA", RLIMIT_DATA },
	{ "RLIMIT_FSIZE", RLIMIT_FSIZE }, { "RLIMIT_LOCKS", RLIMIT_LOCKS },
	{ "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK },
	{ "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE }, { "RLIMIT_NICE", RLIMIT_NICE },
	{ "RLIMIT_NOFILE", RLIMIT_NOFILE }, { "RLIMIT_NPROC", RLIMIT_NPROC },
	{ "RLIMIT_RSS", RLIMIT_RSS }, { "RLIMIT_RTPRIO", RLIMIT_RTPRIO },
	{ "RLIMIT_RTTIME", RLIMIT_RTTIME },
	{ "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING },
	{ "RLIMIT_STACK", RLIMIT_STACK },
};

int
oci_cap_number(const char *name)
{
	for (int i = 0; i < NCAPS; i++)
		if (strcasecmp(name, capnames[i]) == 0 ||
		    strcasecmp(name, capnames[i] + 4) == 0)
			return i;
	return -1;
}

json_t *
oci_caps_json(void)
{
	json_t *a = json_array();

	for (int i = 0; i < NCAPS; i++)
		json_array_append_new(a, json_string(capnames[i]));
	return a;
}

const char *
oci_cap_name(int cap)
{
	return cap >= 0 && cap < NCAPS ? capnames[cap] : "CAP_?";
}

char **
oci_strings(json_t *a, const char *what)
{
	char **v;
	size_t i;
	json_t *s;

	if (!json_is_array(a)) {
		oci_err("%s: not an array of strings", what);
		return NULL;
	}
	if ((v = calloc(json_array_size(a) + 1, sizeof(*v))) == NULL) {
		oci_err("malloc: %s", strerror(errno));
		return NULL;
	}
	json_array_foreach(a, i, s) {
		if (!json_is_string(s) || (v[i] = strdup(json_string_value(s)))
		    == NULL) {
			oci_err("%s: not an array of strings", what);
			oci_strings_free(v);
			return NULL;
		}
	}
	return v;
}

void
oci_strings_free(char **v)
{
	for (size_t i = 0; v != NULL && v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

/* A non-negative integer of at most MAX at KEY of O; absent: 0, *SET 0. */
static int
number(json_t *o, const char *key, const char *where, long long max,
    long long *out, int *set)
{
	json_t *v = json_object_get(o, key);

	*out = 0;
	if (set != NULL)
		*set = v != NULL;
	if (v == NULL)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > max) {
		oci_err("%s.%s: not a valid number", where, key);
		return -1;
	}
	*out = json_integer_value(v);
	return 0;
}

static int
user(json_t *u, const char *where, struct oci_process *p)
{
	json_t *g, *v;
	long long n;
	size_t i;
	int set;
	char uw[64];

	if (u == NULL)
		return 0;
	if (!json_is_object(u)) {
		oci_err("%s.user: not an object", where);
		return -1;
	}
	if (json_object_get(u, "username") != NULL)
		oci_debug("%s.user.username: ignored (Windows only)", where);
	snprintf(uw, sizeof(uw), "%s.user", where);
	if (number(u, "uid", uw, 0xfffffffeLL, &n, NULL) < 0)
		return -1;
	p->uid = (uid_t)n;
	if (number(u, "gid", uw, 0xfffffffeLL, &n, NULL) < 0)
		return -1;
	p->gid = (gid_t)n;
	if (number(u, "umask", uw, 0777, &n, &set) < 0)
		return -1;
	if (set)
		p->umask = (int)n;
	if ((g = json_object_get(u, "additionalGids")) == NULL)
		return 0;
	if (!json_is_array(g) || json_array_size(g) > 64) {
		oci_err("%s.user.additionalGids: not an array of at most 64 "
		    "ids", where);
		return -1;
	}
	json_array_foreach(g, i, v) {
		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) > 0xfffffffeLL) {
			oci_err("%s.user.additionalGids: not a valid id",
			    where);
			return -1;
		}
		p->gids[p->ngids++] = (gid_t)json_integer_value(v);
	}
	return 0;
}

/*
 * One capability set: names to a mask.  An unknown name (a newer
 * kernel's, or a typo) is warned about and left out, as runc and crun do:
 * the sets only narrow what the jail allows, so leaving a name out can
 * never give more.
 */
static int
capset(json_t *a, const char *where, const char *set, uint64_t *mask)
{
	json_t *v;
	size_t i;
	int cap;

	*mask = 0;
	if (a == NULL)
		return 0;
	if (!json_is_array(a)) {
		oci_err("%s.capabilities.%s: not an array", where, set);
		return -1;
	}
	json_array_foreach(a, i, v) {
		if (!json_is_string(v)) {
			oci_err("%s.capabilities.%s: not a string", where,
			    set);
			return -1;
		}
		if ((cap = oci_cap_number(json_string_value(v))) < 0) {
			oci_warn("%s.capabilities.%s: unknown capability %s: "
			    "ignored", where, set, json_string_value(v));
			continue;
		}
		*mask |= 1ULL << cap;
	}
	return 0;
}

static int
capabilities(json_t *c, const char *where, struct oci_process *p)
{
	if (c == NULL)
		return 0;
	if (!json_is_object(c)) {
		oci_err("%s.capabilities: not an object", where);
		return -1;
	}
	p->caps_set = 1;
	return capset(json_object_get(c, "bounding"), where, "bounding",
	    &p->caps[OCI_CAP_BOUNDING]) < 0 ||
	    capset(json_object_get(c, "effective"), where, "effective",
	    &p->caps[OCI_CAP_EFFECTIVE]) < 0 ||
	    capset(json_object_get(c, "permitted"), where, "permitted",
	    &p->caps[OCI_CAP_PERMITTED]) < 0 ||
	    capset(json_object_get(c, "inheritable"), where, "inheritable",
	    &p->caps[OCI_CAP_INHERITABLE]) < 0 ||
	    capset(json_object_get(c, "ambient"), where, "ambient",
	    &p->caps[OCI_CAP_AMBIENT]) < 0 ? -1 : 0;
}

/*
 * rlimits: each known by name, soft <= hard, and neither above the
 * caller's hard limit: the jail's process may lower a limit, never raise
 * it past what its runtime has (in the jail's user namespace the kernel
 * would refuse; with the identity mapping it would not, hence the check).
 */
static int
rlimits(json_t *a, const char *where, struct oci_process *p)
{
	json_t *v;
	size_t i;

	if (a == NULL)
		return 0;
	if (!json_is_array(a)) {
		oci_err("%s.rlimits: not an array", where);
		return -1;
	}
	json_array_foreach(a, i, v) {
		json_t *t = json_object_get(v, "type"),
		    *soft = json_object_get(v, "soft"),
		    *hard = json_object_get(v, "hard");
		struct rlimit cur;
		size_t k;
		const char *name = json_string_value(t);

		for (k = 0; name != NULL &&
		    k < sizeof(rlimnames) / sizeof(rlimnames[0]); k++)
			if (strcmp(name, rlimnames[k].name) == 0)
				break;
		if (name == NULL ||
		    k == sizeof(rlimnames) / sizeof(rlimnames[0])) {
			oci_err("%s.rlimits: unknown type %s", where,
			    name != NULL ? name : "(none)");
			return -1;
		}
		if (!json_is_integer(soft) || !json_is_integer(hard) ||
		    (unsigned long long)json_integer_value(soft) >
		    (unsigned long long)json_integer_value(hard)) {
			oci_err("%s.rlimits: %s: soft and hard must be "
			    "numbers, soft at most hard", where, name);
			return -1;
		}
		if (p->nrlimits == OCI_MAX_RLIMITS) {
			oci_err("%s.rlimits: too many", where);
			return -1;
		}
		p->rlimits[p->nrlimits].resource = rlimnames[k].res;
		/* -1 (and anything above) is unlimited, as runc reads it. */
		p->rlimits[p->nrlimits].soft =
		    (unsigned long long)json_integer_value(soft);
		p->rlimits[p->nrlimits].hard =
		    (unsigned long long)json_integer_value(hard);
		getrlimit(rlimnames[k].res, &cur);
		if (cur.rlim_max != RLIM_INFINITY &&
		    p->rlimits[p->nrlimits].hard > cur.rlim_max) {
			oci_err("%s.rlimits: %s: hard limit %llu above this "
			    "runtime's own (%llu): a jail cannot raise it",
			    where, name, p->rlimits[p->nrlimits].hard,
			    (unsigned long long)cur.rlim_max);
			return -1;
		}
		p->nrlimits++;
	}
	return 0;
}

static int
console_size(json_t *c, const char *where, struct oci_process *p)
{
	long long h, w;

	if (c == NULL)
		return 0;
	if (!json_is_object(c) ||
	    number(c, "height", "consoleSize", 65535, &h, NULL) < 0 ||
	    number(c, "width", "consoleSize", 65535, &w, NULL) < 0) {
		oci_err("%s.consoleSize: not {height, width}", where);
		return -1;
	}
	p->rows = (unsigned short)h;
	p->cols = (unsigned short)w;
	return 0;
}

int
oci_process_parse(json_t *o, const char *where, struct oci_process *p)
{
	json_t *v;

	memset(p, 0, sizeof(*p));
	p->umask = -1;
	if (o == NULL || !json_is_object(o)) {
		oci_err("%s: missing", where);
		return -1;
	}
	p->terminal = json_is_true(json_object_get(o, "terminal"));
	if (console_size(json_object_get(o, "consoleSize"), where, p) < 0)
		return -1;
	if ((v = json_object_get(o, "args")) == NULL) {
		oci_err("%s.args: missing", where);
		return -1;
	}
	if ((p->args = oci_strings(v, "process.args")) == NULL)
		return -1;
	if (p->args[0] == NULL) {
		oci_err("%s.args: empty", where);
		return -1;
	}
	v = json_object_get(o, "env");
	if ((p->env = v != NULL ? oci_strings(v, "process.env") :
	    calloc(1, sizeof(char *))) == NULL)
		return -1;
	if ((v = json_object_get(o, "cwd")) == NULL || !json_is_string(v) ||
	    *json_string_value(v) != '/') {
		oci_err("%s.cwd: not an absolute path", where);
		return -1;
	}
	if ((p->cwd = strdup(json_string_value(v))) == NULL) {
		oci_err("malloc: %s", strerror(errno));
		return -1;
	}
	if (user(json_object_get(o, "user"), where, p) < 0 ||
	    capabilities(json_object_get(o, "capabilities"), where, p) < 0 ||
	    rlimits(json_object_get(o, "rlimits"), where, p) < 0)
		return -1;
	p->nnp = json_is_true(json_object_get(o, "noNewPrivileges"));
	if (json_object_get(o, "oomScoreAdj") != NULL) {
		v = json_object_get(o, "oomScoreAdj");
		if (!json_is_integer(v) || json_integer_value(v) < -1000 ||
		    json_integer_value(v) > 1000) {
			oci_err("%s.oomScoreAdj: not in -1000..1000", where);
			return -1;
		}
		p->oom_set = 1;
		p->oom = (int)json_integer_value(v);
	}
	/* No LSM here: jails confine by namespaces, Landlock and seccomp. */
	if ((v = json_object_get(o, "apparmorProfile")) != NULL &&
	    json_string_length(v) > 0)
		oci_warn("%s.apparmorProfile %s: ignored (no AppArmor "
		    "profiles for jails)", where, json_string_value(v));
	if ((v = json_object_get(o, "selinuxLabel")) != NULL &&
	    json_string_length(v) > 0)
		oci_warn("%s.selinuxLabel %s: ignored (no SELinux labels "
		    "for jails)", where, json_string_value(v));
	return 0;
}

void
oci_process_free(struct oci_process *p)
{
	oci_strings_free(p->args);
	oci_strings_free(p->env);
	free(p->cwd);
	free(p->jproc_insns);
	memset(p, 0, sizeof(*p));
}

void
oci_process_run(struct oci_process *p, struct jail_run *r)
{
	r->argv = p->args;
	r->envp = p->env;
	r->dir = p->cwd;
	r->ids_set = 1;
	r->uid = p->uid;
	r->gid = p->gid;
	r->ngroups = p->ngids;
	r->groups = p->gids;
	/* runc's default when none is given. */
	r->umask_set = 1;
	r->umask = p->umask >= 0 ? (mode_t)p->umask : 022;
	r->nrlimits = p->nrlimits;
	r->rlimits = p->rlimits;
	p->jproc.caps_set = p->caps_set;
	p->jproc.bounding = p->caps[OCI_CAP_BOUNDING];
	p->jproc.effective = p->caps[OCI_CAP_EFFECTIVE];
	p->jproc.permitted = p->caps[OCI_CAP_PERMITTED];
	p->jproc.inheritable = p->caps[OCI_CAP_INHERITABLE];
	p->jproc.ambient = p->caps[OCI_CAP_AMBIENT];
	p->jproc.nnp = p->nnp;
	p->jproc.ninsns = p->jproc_ninsns;
	p->jproc.insns = p->jproc_insns;
	p->jproc.seccomp_flags = p->seccomp_flags;
	r->proc = &p->jproc;
	r->rows = p->rows;
	r->cols = p->cols;
	r->jail_caps = &p->jail_caps;
}

/* After the spawn: what the jail did not allow, said at --debug. */
void
oci_process_report(const struct oci_process *p, pid_t pid)
{
	uint64_t asked = 0;

	for (int i = 0; i < OCI_CAP_SETS; i++)
		asked |= p->caps[i];
	for (int cap = 0; p->caps_set && cap < 64; cap++)
		if ((asked & (1ULL << cap)) && !(p->jail_caps & (1ULL << cap)))
			oci_debug("%s: not allowed in this jail, dropped",
			    oci_cap_name(cap));
	if (p->oom_set && pid > 0)
		oci_oom_score(pid, p->oom);
}

/*
 * oomScoreAdj, set from outside on the process: never below this
 * runtime's own (a container is not made harder to kill than its
 * runtime), which lowering would need CAP_SYS_RESOURCE for.
 */
void
oci_oom_score(pid_t pid, int adj)
{
	char path[64], buf[32];
	FILE *f;
	int self = 0;

	if ((f = fopen("/proc/self/oom_score_adj", "re")) != NULL) {
		if (fscanf(f, "%d", &self) != 1)
			self = 0;
		fclose(f);
	}
	if (adj < self) {
		oci_warn("oomScoreAdj %d: below this runtime's (%d): kept at "
		    "%d", adj, self, self);
		return;
	}
	snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", (int)pid);
	snprintf(buf, sizeof(buf), "%d", adj);
	if ((f = fopen(path, "we")) == NULL) {
		oci_warn("oomScoreAdj %d: %s", adj, strerror(errno));
		return;
	}
	if ((fputs(buf, f) < 0) | (fclose(f) != 0))
		oci_warn("oomScoreAdj %d: %s", adj, strerror(errno));
}

int
oci_process_config(json_t *config, struct oci_process *p)
{
	json_t *linux_ = json_object_get(config, "linux");

	if (oci_process_parse(json_object_get(config, "process"), "process",
	    p) < 0)
		return -1;
	return oci_seccomp_compile(json_object_get(linux_, "seccomp"), p);
}
