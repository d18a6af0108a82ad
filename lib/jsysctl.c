/*
 * FreeBSD's security.jail.* sysctls for Linux (jsysctl.h): the names, the
 * values a caller sees, and jail_sysctlbyname(3).
 *
 * Three kinds of name.  Those of the caller's own jail (the legacy
 * *_allowed flags, enforce_statfs, env, children.*, kern.hostuuid ...)
 * come from the snapshot its prison publishes in the jail, or are the
 * host's defaults outside every jail, as FreeBSD's prison0 gives.  Those
 * of the caller itself (jailed, kern.hostname) are read from the kernel.
 * The security.jail.param.* names only tell each parameter's type and
 * size, and read the same everywhere.
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>

#include "jail.h"
#include "internal.h"
#include "jsysctl.h"
#include "sys/jail.h"

/* How a name of the caller's jail takes its value from the jail's state. */
enum own_how {
	OWN_ALLOWED,	/* an allow.* bit, 0 or 1 */
	OWN_DENIED,	/* the same, inverted */
	OWN_INT,	/* an int field */
	OWN_VNET,	/* the jail has a network of its own (vnet=new) */
	OWN_ENV,
	OWN_HOSTUUID,
	OWN_HOSTID,
};

struct own {
	const char	*name;
	int		 how;		/* enum own_how */
	uint64_t	 arg;		/* the bit, or the field's offset */
	const char	*descr;
};

#define	FLD(f)	offsetof(struct jstate, f)

static const struct own own_names[] = {
	{ "security.jail.vnet", OWN_VNET, 0,
	  "The jail has a network stack of its own" },
	{ "security.jail.env", OWN_ENV, 0,
	  "The jail's env parameter, for its own processes" },
	{ "security.jail.set_hostname_allowed", OWN_ALLOWED, JA_SET_HOSTNAME,
	  "The jail may set its host name (allow.set_hostname)" },
	{ "security.jail.socket_unixiproute_only", OWN_DENIED, JA_SOCKET_AF,
	  "The jail may make only UNIX, IP and routing sockets "
	  "(not allow.socket_af)" },
	{ "security.jail.sysvipc_allowed", OWN_ALLOWED, JA_SYSVIPC,
	  "The jail may use System V IPC (allow.sysvipc)" },
	{ "security.jail.allow_raw_sockets", OWN_ALLOWED, JA_RAW_SOCKETS,
	  "Jail root may make raw sockets (allow.raw_sockets)" },
	{ "security.jail.chflags_allowed", OWN_ALLOWED, JA_CHFLAGS,
	  "Jail root may change system file flags (allow.chflags)" },
	{ "security.jail.mount_allowed", OWN_ALLOWED, JA_MOUNT,
	  "Jail root may mount file systems (allow.mount)" },
	{ "security.jail.mount_devfs_allowed", OWN_ALLOWED, JA_MOUNT_DEVFS,
	  "allow.mount.devfs" },
	{ "security.jail.mount_fdescfs_allowed", OWN_ALLOWED, JA_MOUNT_FDESCFS,
	  "allow.mount.fdescfs" },
	{ "security.jail.mount_nullfs_allowed", OWN_ALLOWED, JA_MOUNT_NULLFS,
	  "allow.mount.nullfs" },
	{ "security.jail.mount_procfs_allowed", OWN_ALLOWED, JA_MOUNT_PROCFS,
	  "allow.mount.procfs" },
	{ "security.jail.mount_linprocfs_allowed", OWN_ALLOWED,
	  JA_MOUNT_LINPROCFS, "allow.mount.linprocfs" },
	{ "security.jail.mount_linsysfs_allowed", OWN_ALLOWED,
	  JA_MOUNT_LINSYSFS, "allow.mount.linsysfs" },
	{ "security.jail.mount_tmpfs_allowed", OWN_ALLOWED, JA_MOUNT_TMPFS,
	  "allow.mount.tmpfs" },
	{ "security.jail.mount_zfs_allowed", OWN_ALLOWED, JA_MOUNT_ZFS,
	  "allow.mount.zfs" },
	{ "security.jail.enforce_statfs", OWN_INT, FLD(enforce_statfs),
	  "Which mounts the jail sees (enforce_statfs)" },
	{ "security.jail.devfs_ruleset", OWN_INT, FLD(devfs_ruleset),
	  "The devfs ruleset of the jail (devfs_ruleset)" },
	{ "security.jail.children.max", OWN_INT, FLD(children_max),
	  "How many child jails the jail may have" },
	{ "security.jail.children.cur", OWN_INT, FLD(children_cur),
	  "How many child jails the jail has" },
	{ "kern.hostuuid", OWN_HOSTUUID, 0, "The host UUID (host.hostuuid)" },
	{ "kern.hostid", OWN_HOSTID, 0, "The host ID (host.hostid)" },
};
#define	N_OWN	(sizeof(own_names) / sizeof(own_names[0]))

static int
own_kind(const struct own *o)
{
	switch (o->how) {
	case OWN_ENV:
	case OWN_HOSTUUID:
		return JSC_STRING;
	case OWN_HOSTID:
		return JSC_ULONG;
	default:
		return JSC_INT;
	}
}

/* O's value in jail ST, as text. */
static void
own_value(const struct own *o, const struct jstate *st, char *buf,
    size_t len)
{
	switch (o->how) {
	case OWN_ALLOWED:
		snprintf(buf, len, "%d", (st->allow & o->arg) != 0);
		break;
	case OWN_DENIED:
		snprintf(buf, len, "%d", (st->allow & o->arg) == 0);
		break;
	case OWN_INT:
		snprintf(buf, len, "%d",
		    *(const int *)(const void *)((const char *)st + o->arg));
		break;
	case OWN_VNET:
		snprintf(buf, len, "%d", st->vnet == JAIL_SYS_NEW);
		break;
	case OWN_ENV:
		snprintf(buf, len, "%s", st->env);
		break;
	case OWN_HOSTUUID:
		snprintf(buf, len, "%s", st->hostuuid);
		break;
	case OWN_HOSTID:
		snprintf(buf, len, "%lu", st->hostid);
		break;
	}
}

/* ---- the snapshot ---- */

ssize_t
jsc_snapshot(const struct jstate *st, char *buf, size_t size)
{
	char v[2 * JAIL_META_CEIL];
	size_t off = 0;

	for (size_t i = 0; i < N_OWN; i++) {
		int n = snprintf(buf + off, size - off, "%s=", own_names[i].name);

		if (n < 0 || (size_t)n >= size - off)
			return -1;
		off += (size_t)n;
		own_value(&own_names[i], st, v, sizeof(v));
		for (const char *p = v; *p != '\0'; p++) {
			const char *esc = *p == '\\' ? "\\\\" :
			    *p == '\n' ? "\\n" : NULL;
			size_t l = esc != NULL ? 2 : 1;

			if (l >= size - off)
				return -1;
			memcpy(buf + off, esc != NULL ? esc : p, l);
			off += l;
		}
		if (off + 1 >= size)
			return -1;
		buf[off++] = '\n';
	}
	return (ssize_t)off;
}

/*
 * The value of NAME in the snapshot text S (LEN bytes), unescaped, in a
 * new string; NULL if it has none.
 */
static char *
snapshot_value(const char *s, size_t len, const char *name)
{
	size_t nl = strlen(name);
	const char *end = s + len;

	while (s < end) {
		const char *eol = memchr(s, '\n', (size_t)(end - s));

		if (eol == NULL)
			eol = end;
		if ((size_t)(eol - s) > nl && memcmp(s, name, nl) == 0 &&
		    s[nl] == '=') {
			char *v = malloc((size_t)(eol - s)), *o = v;

			if (v == NULL)
				return NULL;
			for (const char *p = s + nl + 1; p < eol; p++) {
				if (*p == '\\' && p + 1 < eol) {
					p++;
					*o++ = *p == 'n' ? '\n' : *p;
				} else
					*o++ = *p;
			}
			*o = '\0';
			return v;
		}
		s = eol + 1;
	}
	return NULL;
}

/*
 * Read the jail's snapshot into BUF: its length, or -1.  A jailed root
 * could put anything at this path in its own view; that fools only
 * itself, and nothing of the host ever reads it.
 */
static ssize_t
snapshot_read(char *buf, size_t size)
{
	ssize_t n, off = 0;
	int fd;

	fd = open(JSC_SNAPSHOT, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while ((size_t)off < size &&
	    (n = read(fd, buf + off, size - (size_t)off)) > 0)
		off += n;
	close(fd);
	return off;
}

/* ---- the host's values ---- */

static int
count_jail(const struct jrec *r, void *arg)
{
	(void)r;
	++*(int *)arg;
	return 0;
}

/* /etc/machine-id as a UUID, or FreeBSD's all-zero default. */
static void
host_uuid(char *buf, size_t len)
{
	char id[40];
	ssize_t n = -1;
	int fd = open("/etc/machine-id", O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		n = read(fd, id, sizeof(id) - 1);
		close(fd);
	}
	if (n >= 32 && strspn(id, "0123456789abcdef") >= 32)
		snprintf(buf, len, "%.8s-%.4s-%.4s-%.4s-%.12s", id, id + 8,
		    id + 12, id + 16, id + 20);
	else
		snprintf(buf, len, "%s", DEFAULT_HOSTUUID);
}

/*
 * What FreeBSD's prison0 shows: the defaults a new jail gets, every child
 * jail allowed, and as many children as the registry has jails.
 */
static void
host_state(struct jstate *st)
{
	int dirfd;

	jstate_defaults(st);
	st->children_max = JAIL_MAX;
	st->vnet = JAIL_SYS_INHERIT;
	if ((dirfd = jreg_open(0)) >= 0) {
		jreg_walk(dirfd, count_jail, &st->children_cur);
		close(dirfd);
	}
	host_uuid(st->hostuuid, sizeof(st->hostuuid));
	st->hostid = (unsigned long)(unsigned)gethostid();
}

/* ---- the list ---- */

struct list {
	struct jsc_entry	*e;
	size_t			 n, cap;
	int			 nomem;
};

static void
add(struct list *l, const char *name, int kind, const char *fmt,
    const char *descr, const char *value)
{
	struct jsc_entry *e;

	if (l->nomem)
		return;
	if (l->n == l->cap) {
		size_t cap = l->cap == 0 ? 128 : 2 * l->cap;
		struct jsc_entry *ne = realloc(l->e, cap * sizeof(*ne));

		if (ne == NULL) {
			l->nomem = 1;
			return;
		}
		l->e = ne;
		l->cap = cap;
	}
	e = &l->e[l->n];
	e->name = strdup(name);
	e->value = strdup(value);
	e->kind = kind;
	e->fmt = fmt;
	e->descr = descr;
	if (e->name == NULL || e->value == NULL) {
		free(e->name);
		free(e->value);
		l->nomem = 1;
		return;
	}
	l->n++;
}

/*
 * security.jail.param.NAME: a parameter's type, as FreeBSD describes
 * them: 0 for numbers, the size for strings, the element size for
 * address lists.  A parameter whose name is also a prefix of others
 * (host, allow.mount) is a node there, and its own value the node's leaf
 * with an empty name: "security.jail.param.host.".
 */
static void
add_params(struct list *l)
{
	char name[128], v[32];

	for (size_t i = 0; i < jparam_count; i++) {
		const struct jparam_def *d = &jparam_table[i];
		size_t dl = strlen(d->name);
		const char *dot = "", *fmt = "I";
		int kind = JSC_INT;

		if (d->access == JPA_PSEUDO)
			continue;
		for (size_t j = 0; j < jparam_count; j++)
			if (strncmp(jparam_table[j].name, d->name, dl) == 0 &&
			    jparam_table[j].name[dl] == '.')
				dot = ".";
		snprintf(v, sizeof(v), "0");
		switch (d->kind) {
		case JPK_BOOL:
			fmt = "B";
			break;
		case JPK_JAILSYS:
			fmt = "E,jailsys";
			break;
		case JPK_ULONG:
			fmt = "LU";
			kind = JSC_ULONG;
			break;
		case JPK_STRING:
			fmt = "A";
			kind = JSC_STRING;
			snprintf(v, sizeof(v), "%zu", (size_t)jparam_maxlen(d));
			break;
		case JPK_IN_ADDR:
		case JPK_IN6_ADDR:
			fmt = d->kind == JPK_IN_ADDR ? "S,in_addr,a" :
			    "S,in6_addr,a";
			kind = JSC_OPAQUE;
			snprintf(v, sizeof(v), "%zu", jparam_elemsize(d));
			break;
		}
		snprintf(name, sizeof(name), "security.jail.param.%s%s",
		    d->name, dot);
		add(l, name, kind, fmt, d->descr, v);
	}
}

void
jsc_free(struct jsc_entry *e, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(e[i].name);
		free(e[i].value);
	}
	free(e);
}

static const char *
own_fmt(const struct own *o)
{
	switch (own_kind(o)) {
	case JSC_STRING:
		return "A";
	case JSC_ULONG:
		return "LU";
	default:
		return "I";
	}
}

/*
 * The names of the caller's jail that begin with PREFIX: from HOST, the
 * host's state, or (HOST NULL) from the jail's snapshot SNAP of SLEN
 * bytes (-1: none), noting in *MISSING a value it lacks.
 */
static void
add_own(struct list *l, const char *prefix, const struct jstate *host,
    const char *snap, ssize_t slen, int *missing)
{
	char v[2 * JAIL_META_CEIL];

	for (size_t i = 0; i < N_OWN; i++) {
		const struct own *o = &own_names[i];
		char *sv;

		if (strncmp(o->name, prefix, strlen(prefix)) != 0)
			continue;
		if (host != NULL)
			own_value(o, host, v, sizeof(v));
		else if (slen < 0 || (sv = snapshot_value(snap, (size_t)slen,
		    o->name)) == NULL) {
			*missing = 1;
			continue;
		} else {
			snprintf(v, sizeof(v), "%s", sv);
			free(sv);
		}
		add(l, o->name, own_kind(o), own_fmt(o), o->descr, v);
		/* FreeBSD's fixed limits, after the jail's env. */
		if (strcmp(o->name, "security.jail.env") == 0) {
			snprintf(v, sizeof(v), "%d", JAIL_MAX_AF_IPS);
			add(l, "security.jail.jail_max_af_ips", JSC_INT, "IU",
			    "How many addresses of a family a jail may have", v);
			snprintf(v, sizeof(v), "%d", jail_meta_maxbufsize());
			add(l, "security.jail.meta_maxbufsize", JSC_INT, "IU",
			    "The size of meta and env, with their NUL", v);
		}
	}
}

int
jsc_load(struct jsc_entry **out, size_t *n, int *missing, char *err,
    size_t errlen)
{
	/* The heap, not static buffers: jail_sysctlbyname is thread-safe. */
	char *snap = malloc(JSC_SNAPSHOT_MAX);
	struct jstate *host = malloc(sizeof(*host));
	struct list l = { 0 };
	struct utsname u;
	char hn[256], dn[256];
	int jailed = jail_caller_jailed();
	ssize_t slen = -1;

	*missing = 0;
	if (snap == NULL || host == NULL) {
		free(snap);
		free(host);
		return jerr(err, errlen, ENOMEM, "%s", strerror(ENOMEM));
	}
	if (jailed) {
		slen = snapshot_read(snap, JSC_SNAPSHOT_MAX);
		if (slen < 0)
			*missing = 1;
	} else
		host_state(host);
	add(&l, "security.jail.jailed", JSC_INT, "I",
	    "The process is in a jail", jailed ? "1" : "0");
	add_own(&l, "security.", jailed ? NULL : host, snap, slen, missing);
	add_params(&l);
	/* The UTS namespace the caller is in: the jail's, or the host's. */
	if (uname(&u) == 0) {
		juts_names(&u, hn, sizeof(hn), dn, sizeof(dn));
		add(&l, "kern.hostname", JSC_STRING, "A", "The host name", hn);
		add(&l, "kern.domainname", JSC_STRING, "A",
		    "The NIS domain name", dn);
	}
	add_own(&l, "kern.", jailed ? NULL : host, snap, slen, missing);
	free(snap);
	free(host);
	if (l.nomem) {
		jsc_free(l.e, l.n);
		return jerr(err, errlen, ENOMEM, "%s", strerror(ENOMEM));
	}
	*out = l.e;
	*n = l.n;
	return 0;
}

/* ---- jail_sysctlbyname(3) ---- */

static int
is_own(const char *name)
{
	for (size_t i = 0; i < N_OWN; i++)
		if (strcmp(own_names[i].name, name) == 0)
			return 1;
	return 0;
}

JAIL_EXPORT int
jail_sysctlbyname(const char *name, void *oldp, size_t *oldlenp,
    const void *newp, size_t newlen)
{
	struct jsc_entry *e;
	size_t n, len = 0;
	int missing, rc = -1, iv;
	unsigned long lv;
	size_t sv;
	const void *src = NULL;
	char err[JAIL_ERRMSGLEN];

	if (name == NULL)
		return jfail(EINVAL, "%s", "no name");
	if (newp != NULL || newlen != 0)
		return jfail(EPERM, "%s: read-only here", name);
	if (jsc_load(&e, &n, &missing, err, sizeof(err)) < 0)
		return jfail(errno, "%s", err);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(e[i].name, name) != 0)
			continue;
		switch (e[i].kind) {
		case JSC_INT:
			iv = (int)strtol(e[i].value, NULL, 10);
			src = &iv;
			len = sizeof(iv);
			break;
		case JSC_ULONG:
			lv = strtoul(e[i].value, NULL, 10);
			src = &lv;
			len = sizeof(lv);
			break;
		case JSC_OPAQUE:
			sv = (size_t)strtoul(e[i].value, NULL, 10);
			src = &sv;
			len = sizeof(sv);
			break;
		default:
			src = e[i].value;
			len = strlen(e[i].value) + 1;
			break;
		}
		break;
	}
	if (src == NULL) {
		if (missing && is_own(name))
			jfail(ENOENT, "%s: the jail publishes no such value "
			    "(its /dev has no " JSC_DIR ")", name);
		else
			jfail(ENOENT, "unknown oid '%s'", name);
		goto out;
	}
	if (oldlenp == NULL) {
		jfail(EINVAL, "%s: no length", name);
		goto out;
	}
	if (oldp == NULL) {
		*oldlenp = len;
		rc = 0;
		goto out;
	}
	if (*oldlenp < len) {
		/* As sysctl(3): what fits, and ENOMEM. */
		memcpy(oldp, src, *oldlenp);
		jfail(ENOMEM, "%s: buffer too small", name);
		goto out;
	}
	memcpy(oldp, src, len);
	*oldlenp = len;
	rc = 0;
out:
	jsc_free(e, n);
	return rc;
}
