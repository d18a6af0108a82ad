/*
 * libjail(3): jail parameters by name and as strings, on top of
 * jail_set(2) and jail_get(2).
 *
 * FreeBSD learns each parameter's type from sysctl metadata.  Here the
 * types come from the parameter table (param_table.c), the same table
 * jail_set, jail_get and the prison check against, so this library accepts
 * exactly the names and values the rest of the system does.
 *
 * A boolean's value is the value of the parameter as it is named: for
 * "nopersist", 1 means the jail does not persist.  jail_get reports a "no"
 * name that way too, so a value read back means what the same value
 * imported means.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "jail.h"
#include "internal.h"
#include "param.h"
#include "run.h"

#ifndef JAIL_EXPORT
#define	JAIL_EXPORT	__attribute__((visibility("default")))
#endif

JAIL_EXPORT char jail_errmsg[JAIL_ERRMSGLEN];

static const char *const jailsys_names[] = { "disable", "new", "inherit" };
#define	NJAILSYS	(sizeof(jailsys_names) / sizeof(jailsys_names[0]))

/*
 * A list may grow between jailparam_get's probe for its size and the call
 * that fetches it: allocate a few entries more than the probe reported,
 * and start over a few times if that was not enough.
 */
#define	LIST_SLACK	8
#define	LIST_RETRIES	5

static int
fail_errno(void)
{
	int err = errno;

	return jfail(err, "%s", strerror(err));
}

/*
 * After a failed jail_set or jail_get: keep the message it wrote into
 * jail_errmsg, or say which call failed and why.
 */
static void
syscall_failed(const char *call)
{
	int err = errno;

	if (jail_errmsg[0] == '\0')
		snprintf(jail_errmsg, JAIL_ERRMSGLEN, "%s: %s", call,
		    strerror(err));
	errno = err;
}

/* "lastjid" and "desc" are understood by jail_set/jail_get, not stored. */
static int
is_pseudo(const char *name)
{
	return strcmp(name, "lastjid") == 0 || strcmp(name, "desc") == 0;
}

/* The table row of an initialised parameter; NULL for lastjid and desc. */
static const struct jparam_def *
def_of(const struct jailparam *jp)
{
	const char *key;
	int negated;

	if (jp->jp_name == NULL || is_pseudo(jp->jp_name))
		return NULL;
	return jparam_lookup(jp->jp_name, &negated, &key);
}

static int
ctltype(const struct jailparam *jp)
{
	return jp->jp_ctltype & CTLTYPE;
}

/* Give JP a new value, dropping the old one unless it was the caller's. */
static void
set_value(struct jailparam *jp, void *value, size_t len)
{
	if (!(jp->jp_flags & JP_RAWVALUE))
		free(jp->jp_value);
	jp->jp_flags &= ~JP_RAWVALUE;
	jp->jp_value = value;
	jp->jp_valuelen = len;
}

static int
set_int(struct jailparam *jp, int v)
{
	int *p;

	if ((p = malloc(sizeof(*p))) == NULL)
		return fail_errno();
	*p = v;
	set_value(jp, p, sizeof(*p));
	return 0;
}

/* Native values may sit in a raw, unaligned caller buffer: copy them out. */
static int
get_int(const struct jailparam *jp, int *v)
{
	if (jp->jp_value == NULL || jp->jp_valuelen < sizeof(int))
		return -1;
	memcpy(v, jp->jp_value, sizeof(*v));
	return 0;
}

/* ---- jailparam_init, jailparam_all ---- */

static void
describe(struct jailparam *jp, const struct jparam_def *d, int negated,
    int keyvalue)
{
	switch (d->access) {
	case JPA_RW:
		jp->jp_ctltype = CTLFLAG_RD | CTLFLAG_WR;
		break;
	case JPA_CREATE:
		jp->jp_ctltype = CTLFLAG_RDTUN;
		break;
	default:
		jp->jp_ctltype = CTLFLAG_RD;
		break;
	}
	/*
	 * As on FreeBSD, jp_elemlen is non-zero only for lists, and a scalar
	 * carries its size in jp_valuelen: programs tell lists apart that way.
	 */
	switch (d->kind) {
	case JPK_BOOL:
		jp->jp_ctltype |= CTLTYPE_INT;
		jp->jp_valuelen = sizeof(int);
		jp->jp_flags |= JP_BOOL;
		if (negated)
			jp->jp_flags |= JP_NOBOOL;
		break;
	case JPK_JAILSYS:
		jp->jp_ctltype |= CTLTYPE_INT;
		jp->jp_valuelen = sizeof(int);
		jp->jp_flags |= JP_JAILSYS;
		break;
	case JPK_INT:
		jp->jp_ctltype |= CTLTYPE_INT;
		jp->jp_valuelen = sizeof(int);
		break;
	case JPK_ULONG:
		jp->jp_ctltype |= CTLTYPE_ULONG;
		jp->jp_valuelen = sizeof(unsigned long);
		break;
	case JPK_STRING:
		/* meta and env: the host's meta_maxbufsize, as FreeBSD's. */
		jp->jp_ctltype |= CTLTYPE_STRING;
		jp->jp_valuelen = jparam_maxlen(d);
		if (keyvalue)
			jp->jp_flags |= JP_KEYVALUE;
		break;
	case JPK_IN_ADDR:
	case JPK_IN6_ADDR:
		jp->jp_ctltype |= CTLTYPE_STRUCT;
		jp->jp_structtype = d->kind == JPK_IN_ADDR ? JPS_IN_ADDR :
		    JPS_IN6_ADDR;
		jp->jp_elemlen = jparam_elemsize(d);
		jp->jp_valuelen = 0;
		break;
	}
}

JAIL_EXPORT int
jailparam_init(struct jailparam *jp, const char *name)
{
	const struct jparam_def *d;
	const char *key;
	int negated;

	memset(jp, 0, sizeof(*jp));
	if (name == NULL || name[0] == '\0')
		return jfail(EINVAL, "jailparam_init: empty parameter name");
	if (is_pseudo(name)) {
		/* lastjid is only ever an input; desc is also an output. */
		jp->jp_ctltype = CTLTYPE_INT | (strcmp(name, "lastjid") == 0 ?
		    CTLFLAG_WR : CTLFLAG_RD | CTLFLAG_WR);
		jp->jp_valuelen = sizeof(int);
	} else {
		d = jparam_lookup(name, &negated, &key);
		if (d == NULL || d->access == JPA_PSEUDO)
			return jfail(ENOENT, "unknown parameter: %s", name);
		describe(jp, d, negated, key != NULL);
	}
	if ((jp->jp_name = strdup(name)) == NULL) {
		memset(jp, 0, sizeof(*jp));
		return fail_errno();
	}
	return 0;
}

JAIL_EXPORT int
jailparam_all(struct jailparam **jpp)
{
	struct jailparam *jp;
	unsigned n = 0;

	/* One more than needed, so that an empty table is not a NULL list. */
	if ((jp = calloc(jparam_count + 1, sizeof(*jp))) == NULL)
		return fail_errno();
	for (size_t i = 0; i < jparam_count; i++) {
		if (jparam_table[i].access == JPA_PSEUDO)
			continue;
		if (jailparam_init(&jp[n], jparam_table[i].name) < 0) {
			jailparam_free(jp, n);
			free(jp);
			return -1;
		}
		n++;
	}
	*jpp = jp;
	return (int)n;
}

/* ---- jailparam_import ---- */

/*
 * A number as FreeBSD's libjail reads one: strtol(3) in base 10, which
 * skips leading blanks and takes a sign, and the whole of S must be used.
 * The empty string is 0 (strtol stops where it started, at the end), and
 * a number out of range is not refused: the kernel judges the value.
 * Returns 0, or -1 if S is not a number.
 */
static int
str_to_long(const char *s, long *out)
{
	char *end;

	*out = strtol(s, &end, 10);
	return *end == '\0' ? 0 : -1;
}

static int
import_int(struct jailparam *jp, const char *value)
{
	long v;

	if (str_to_long(value, &v) < 0)
		return jfail(EINVAL, "%s: non-integer value \"%s\"",
		    jp->jp_name, value);
	return set_int(jp, (int)v);
}

/*
 * true or false in any case, or a number, kept as it is (jailparam_set
 * sends a zero under the other name, anything else under this one).
 */
static int
import_bool(struct jailparam *jp, const char *value)
{
	long v;

	if (strcasecmp(value, "true") == 0)
		v = 1;
	else if (strcasecmp(value, "false") == 0)
		v = 0;
	else if (str_to_long(value, &v) < 0)
		return jfail(EINVAL, "%s: unknown boolean value \"%s\"",
		    jp->jp_name, value);
	return set_int(jp, (int)v);
}

/*
 * A name in any case, or a number: which numbers mean something is for
 * jail_set to say, as FreeBSD's kernel does.
 */
static int
import_jailsys(struct jailparam *jp, const char *value)
{
	long v;

	/* A jailsys parameter given like a boolean ("vnet") means "new". */
	if (value[0] == '\0')
		return set_int(jp, JAIL_SYS_NEW);
	for (size_t i = 0; i < NJAILSYS; i++)
		if (strcasecmp(value, jailsys_names[i]) == 0)
			return set_int(jp, (int)i);
	if (str_to_long(value, &v) < 0)
		return jfail(EINVAL, "%s: unknown jailsys value \"%s\"",
		    jp->jp_name, value);
	return set_int(jp, (int)v);
}

/* strtoul(3) as FreeBSD's libjail uses it: "-1" is ULONG_MAX there too. */
static int
import_ulong(struct jailparam *jp, const char *value)
{
	unsigned long *p;
	char *end;

	if ((p = malloc(sizeof(*p))) == NULL)
		return fail_errno();
	*p = strtoul(value, &end, 10);
	if (*end != '\0') {
		free(p);
		return jfail(EINVAL, "%s: non-integer value \"%s\"",
		    jp->jp_name, value);
	}
	set_value(jp, p, sizeof(*p));
	return 0;
}

static int
import_string(struct jailparam *jp, const char *value)
{
	size_t len = strlen(value) + 1;
	char *s;

	/* As FreeBSD's libjail: lengths are for jail_set(2) to judge. */
	if ((s = malloc(len)) == NULL)
		return fail_errno();
	memcpy(s, value, len);
	set_value(jp, s, len);
	return 0;
}

/* A comma-separated list of addresses; "" and "-" are the empty list. */
static int
import_list(struct jailparam *jp, const char *value)
{
	const struct jparam_def *d = def_of(jp);
	int family = jp->jp_structtype == JPS_IN_ADDR ? AF_INET : AF_INET6;
	const char *what = family == AF_INET ? "IPv4" : "IPv6";
	size_t esz = family == AF_INET ? sizeof(struct in_addr) :
	    sizeof(struct in6_addr);
	size_t n = 1, i, len;
	const char *p, *end;
	unsigned char *buf;
	char addr[INET6_ADDRSTRLEN + 1];

	if (value[0] == '\0' || strcmp(value, "-") == 0) {
		set_value(jp, NULL, 0);
		return 0;
	}
	for (p = value; (p = strchr(p, ',')) != NULL; p++)
		n++;
	if (d != NULL && n > d->maxlen)
		return jfail(EINVAL, "%s: too many %s addresses (at most %u)",
		    jp->jp_name, what, d->maxlen);
	if ((buf = calloc(n, esz)) == NULL)
		return fail_errno();
	for (i = 0, p = value; i < n; i++, p = end + 1) {
		end = strchr(p, ',');
		if (end == NULL)
			end = p + strlen(p);
		/* Tolerate blanks around an address, as in "a, b". */
		while (p < end && isspace((unsigned char)*p))
			p++;
		len = (size_t)(end - p);
		while (len > 0 && isspace((unsigned char)p[len - 1]))
			len--;
		if (len >= sizeof(addr))
			len = sizeof(addr) - 1;	/* too long to be valid */
		memcpy(addr, p, len);
		addr[len] = '\0';
		if (inet_pton(family, addr, buf + i * esz) != 1) {
			free(buf);
			return jfail(EINVAL, "%s: not an %s address: %.*s",
			    jp->jp_name, what, (int)(end - p), p);
		}
	}
	set_value(jp, buf, n * esz);
	return 0;
}

/* A NULL value: true, "new", delete the key, or leave the value unset. */
static int
import_null(struct jailparam *jp)
{
	if (jp->jp_flags & JP_BOOL)
		return set_int(jp, 1);
	if (jp->jp_flags & JP_JAILSYS)
		return set_int(jp, JAIL_SYS_NEW);
	if (jp->jp_flags & JP_KEYVALUE)
		set_value(jp, NULL, 0);
	return 0;
}

JAIL_EXPORT int
jailparam_import(struct jailparam *jp, const char *value)
{
	if (jp->jp_name == NULL)
		return jfail(EINVAL, "jailparam_import: uninitialised parameter");
	if (value == NULL)
		return import_null(jp);
	switch (ctltype(jp)) {
	case CTLTYPE_INT:
		if (jp->jp_flags & JP_BOOL)
			return import_bool(jp, value);
		if (jp->jp_flags & JP_JAILSYS)
			return import_jailsys(jp, value);
		return import_int(jp, value);
	case CTLTYPE_ULONG:
		return import_ulong(jp, value);
	case CTLTYPE_STRING:
		return import_string(jp, value);
	case CTLTYPE_STRUCT:
		return import_list(jp, value);
	}
	return jfail(ENOENT, "unknown type for %s", jp->jp_name);
}

JAIL_EXPORT int
jailparam_import_raw(struct jailparam *jp, void *value, size_t valuelen)
{
	set_value(jp, value, valuelen);
	jp->jp_flags |= JP_RAWVALUE;
	return 0;
}

/* ---- jailparam_set ---- */

/*
 * The other name of a boolean: "persist" <-> "nopersist".  The "no" goes
 * on the last component: "allow.mount.tmpfs" <-> "allow.mount.notmpfs".
 */
static char *
other_bool_name(const struct jailparam *jp)
{
	const char *name = jp->jp_name, *dot = strrchr(name, '.');
	int pre = dot != NULL ? (int)(dot - name) + 1 : 0;
	char *s;

	if (jp->jp_flags & JP_NOBOOL) {
		if (strncmp(name + pre, "no", 2) != 0) {
			jfail(EINVAL, "mismatched boolean: %s", name);
			return NULL;
		}
		if (asprintf(&s, "%.*s%s", pre, name, name + pre + 2) < 0)
			s = NULL;
	} else if (asprintf(&s, "%.*sno%s", pre, name, name + pre) < 0)
		s = NULL;
	if (s == NULL)
		fail_errno();
	return s;
}

/*
 * A string imported raw goes to jail_set as the C string it is, with its
 * NUL, as FreeBSD's libjail sends it (strlen + 1): jls imports a name
 * with jailparam_import_raw(jp, name, strlen(name)).  Unlike FreeBSD's,
 * nothing past jp_valuelen is read: a value with no NUL in its
 * jp_valuelen bytes is sent as those bytes, terminated in a copy (given
 * to the caller in *OWNED to free).
 */
static int
raw_string(struct jailparam *jp, struct iovec *v, char **owned)
{
	size_t n = strnlen(jp->jp_value, jp->jp_valuelen);

	v->iov_base = jp->jp_value;
	v->iov_len = n + 1;
	if (n < jp->jp_valuelen)
		return 0;
	if ((*owned = malloc(n + 1)) == NULL)
		return fail_errno();
	memcpy(*owned, jp->jp_value, n);
	(*owned)[n] = '\0';
	v->iov_base = *owned;
	return 0;
}

/*
 * Fill IOV[0..1] with JP's name and value for jail_set.  A name built here
 * is returned in *OWNED for the caller to free.
 */
static int
set_pair(struct jailparam *jp, struct iovec *iov, char **owned)
{
	static int sys_new = JAIL_SYS_NEW;
	int v;

	iov[0].iov_base = jp->jp_name;
	iov[0].iov_len = strlen(jp->jp_name) + 1;
	iov[1].iov_base = NULL;
	iov[1].iov_len = 0;

	if (jp->jp_flags & JP_BOOL) {
		/* Booleans go by name alone; a false one by its other name. */
		if (get_int(jp, &v) == 0 && v == 0) {
			if ((*owned = other_bool_name(jp)) == NULL)
				return -1;
			iov[0].iov_base = *owned;
			iov[0].iov_len = strlen(*owned) + 1;
		}
		return 0;
	}
	if ((jp->jp_flags & JP_RAWVALUE) && jp->jp_value != NULL &&
	    ctltype(jp) == CTLTYPE_STRING)
		return raw_string(jp, &iov[1], owned);
	if (jp->jp_flags & JP_RAWVALUE) {
		iov[1].iov_base = jp->jp_value;
		iov[1].iov_len = jp->jp_valuelen;
		return 0;
	}
	if (jp->jp_value == NULL) {
		if (jp->jp_flags & JP_KEYVALUE)
			return 0;		/* meta.KEY alone deletes KEY */
		switch (ctltype(jp)) {
		case CTLTYPE_STRING:
			iov[1].iov_base = "";
			iov[1].iov_len = 1;
			return 0;
		case CTLTYPE_STRUCT:
			return 0;		/* the empty list */
		}
		if (jp->jp_flags & JP_JAILSYS) {
			iov[1].iov_base = &sys_new;
			iov[1].iov_len = sizeof(sys_new);
			return 0;
		}
		/* desc with GET_DESC/OWN_DESC: a slot for the new descriptor. */
		if (strcmp(jp->jp_name, "desc") == 0) {
			if (set_int(jp, -1) < 0)
				return -1;
			iov[1].iov_base = jp->jp_value;
			iov[1].iov_len = jp->jp_valuelen;
			return 0;
		}
		/*
		 * A number never given a value: FreeBSD's libjail imports ""
		 * for it, which is 0.
		 */
		if (ctltype(jp) == CTLTYPE_ULONG) {
			static const unsigned long zero_ul;

			iov[1].iov_base = (void *)&zero_ul;
			iov[1].iov_len = sizeof(zero_ul);
		} else {
			static const int zero;

			iov[1].iov_base = (void *)&zero;
			iov[1].iov_len = sizeof(zero);
		}
		return 0;
	}
	iov[1].iov_base = jp->jp_value;
	if (ctltype(jp) == CTLTYPE_STRING)
		iov[1].iov_len = strlen(jp->jp_value) + 1;
	else
		iov[1].iov_len = jp->jp_valuelen;
	return 0;
}

JAIL_EXPORT int
jailparam_set(struct jailparam *jp, unsigned njp, int flags)
{
	return jailparam__set_held(jp, njp, flags, NULL);
}

int
jailparam__set_held(struct jailparam *jp, unsigned njp, int flags, int *hold)
{
	struct iovec *iov;
	char **owned;
	unsigned n = 0;
	int jid = -1, err;

	iov = calloc(2 * (size_t)njp + 2, sizeof(*iov));
	owned = calloc((size_t)njp + 1, sizeof(*owned));
	if (iov == NULL || owned == NULL) {
		fail_errno();
		goto out;
	}
	for (unsigned i = 0; i < njp; i++, n += 2)
		if (set_pair(&jp[i], &iov[n], &owned[i]) < 0)
			goto out;
	iov[n].iov_base = "errmsg";
	iov[n++].iov_len = sizeof("errmsg");
	iov[n].iov_base = jail_errmsg;
	iov[n++].iov_len = JAIL_ERRMSGLEN;
	jail_errmsg[0] = '\0';
	if ((jid = jail__set_held(iov, n, flags, hold)) < 0)
		syscall_failed("jail_set");
out:
	err = errno;
	if (owned != NULL)
		for (unsigned i = 0; i < njp; i++)
			free(owned[i]);
	free(owned);
	free(iov);
	errno = err;
	return jid;
}

/* ---- jailparam_get ---- */

/* Does JP hold a value that can select a jail? */
static int
is_key_value(const struct jailparam *jp)
{
	int v;

	if (jp->jp_value == NULL)
		return 0;
	if (strcmp(jp->jp_name, "jid") == 0)
		return get_int(jp, &v) == 0 && v != 0;
	if (strcmp(jp->jp_name, "name") == 0)
		return jp->jp_valuelen > 0 && ((char *)jp->jp_value)[0] != '\0';
	return 1;
}

/* The parameter that selects the jail, in jail_get's order; -1: none. */
static int
find_key(const struct jailparam *jp, unsigned njp, int flags)
{
	static const char *const keys[] = { "desc", "lastjid", "jid", "name" };

	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		if (k == 0 && !(flags & JAIL_USE_DESC))
			continue;
		for (unsigned i = 0; i < njp; i++)
			if (strcmp(jp[i].jp_name, keys[k]) == 0 &&
			    is_key_value(&jp[i]))
				return (int)i;
	}
	return -1;
}

/*
 * A string longer than its buffer (a meta set before host root lowered
 * the maximum): a zeroed buffer of N bytes, and one the callee never
 * sees to keep it terminated.
 */
static int
size_string(struct jailparam *jp, size_t n, size_t *cap)
{
	void *buf;

	if ((buf = calloc(1, n + 1)) == NULL)
		return fail_errno();
	set_value(jp, buf, n);
	*cap = n;
	return 0;
}

/* Replace LIST's value with a zeroed buffer of N bytes plus some slack. */
static int
size_list(struct jailparam *jp, size_t n, size_t *cap)
{
	size_t len = n + LIST_SLACK * jp->jp_elemlen;
	void *buf;

	if ((buf = calloc(1, len)) == NULL)
		return fail_errno();
	set_value(jp, buf, len);
	*cap = len;
	return 0;
}

/*
 * Give each output parameter a fresh zeroed buffer (lists are sized
 * later) and point its iovec at it.  *CAP is the buffer's size.
 */
static int
prepare_output(struct jailparam *jp, struct iovec *v, size_t *cap)
{
	const struct jparam_def *d;
	size_t len;
	void *buf;

	switch (ctltype(jp)) {
	case CTLTYPE_STRUCT:
		set_value(jp, NULL, 0);
		*cap = 0;
		v->iov_base = NULL;
		v->iov_len = 0;
		return 0;
	case CTLTYPE_STRING:
		d = def_of(jp);
		/*
		 * meta and env: the size jailparam_init found (the host's
		 * meta_maxbufsize then), not the setting read again for every
		 * jail listed; a longer value grows the buffer (below).
		 */
		if (d == NULL)
			len = JAIL_META_MAXBUF;
		else if (d->keyvalue)
			len = jp->jp_valuelen > 0 ? jp->jp_valuelen :
			    JAIL_META_MAXBUF;
		else
			len = d->maxlen;
		/* One byte the callee never sees keeps the string terminated. */
		if ((buf = calloc(1, len + 1)) == NULL)
			return fail_errno();
		break;
	case CTLTYPE_ULONG:
		len = sizeof(unsigned long);
		if ((buf = calloc(1, len)) == NULL)
			return fail_errno();
		break;
	default:
		len = sizeof(int);
		if ((buf = calloc(1, len)) == NULL)
			return fail_errno();
		/* A desc slot that has no descriptor yet. */
		if (strcmp(jp->jp_name, "desc") == 0)
			*(int *)buf = -1;
		break;
	}
	set_value(jp, buf, len);
	*cap = len;
	v->iov_base = buf;
	v->iov_len = len;
	return 0;
}

/*
 * The key's string for jail_get, in a zero-padded buffer with room for
 * the parameter's longest value: jail_get writes the jail's value back
 * into the key's buffer, and that may be longer than what selected the
 * jail (the name "5" of jail 5 whose name is "www").
 */
static char *
key_string(const struct jailparam *jp, size_t *len)
{
	const struct jparam_def *d = def_of(jp);
	const char *value = jp->jp_value;
	char *s;

	*len = strnlen(value, jp->jp_valuelen) + 1;
	if (d != NULL && *len < d->maxlen)
		*len = d->maxlen;
	if ((s = calloc(1, *len)) == NULL) {
		fail_errno();
		return NULL;
	}
	memcpy(s, value, strnlen(value, jp->jp_valuelen));
	return s;
}

JAIL_EXPORT int
jailparam_get(struct jailparam *jp, unsigned njp, int flags)
{
	struct iovec *iov = NULL;
	size_t *cap = NULL;
	int *slot = NULL;
	char *keycopy = NULL;
	int key, jid = -1, grows = 0, own = 1, err;
	unsigned n = 0;

	if ((key = find_key(jp, njp, flags)) < 0)
		return jfail(ENOENT, "no jail specified");
	iov = calloc(2 * (size_t)njp + 2, sizeof(*iov));
	cap = calloc((size_t)njp + 1, sizeof(*cap));
	slot = calloc((size_t)njp + 1, sizeof(*slot));
	if (iov == NULL || cap == NULL || slot == NULL) {
		fail_errno();
		goto out;
	}

	for (unsigned i = 0; i < njp; i++) {
		struct jailparam *p = &jp[i];

		slot[i] = -1;
		/* A raw value is the caller's memory: copied out with care. */
		if (p->jp_flags & JP_RAWVALUE)
			own = 0;
		/* lastjid is input only: sent as an output it would be a key. */
		if ((int)i != key && strcmp(p->jp_name, "lastjid") == 0)
			continue;
		slot[i] = (int)n;
		iov[n].iov_base = p->jp_name;
		iov[n++].iov_len = strlen(p->jp_name) + 1;
		/*
		 * A string key, raw or not, goes as a C string (FreeBSD's
		 * libjail sends strlen + 1 of it): jls -j NAME imports the
		 * name raw without its NUL.
		 */
		if ((int)i == key && ctltype(p) == CTLTYPE_STRING) {
			if ((keycopy = key_string(p, &cap[i])) == NULL)
				goto out;
			iov[n].iov_base = keycopy;
			iov[n++].iov_len = cap[i];
			continue;
		}
		if ((int)i == key || (p->jp_flags & JP_RAWVALUE) ||
		    (strcmp(p->jp_name, "desc") == 0 && p->jp_value != NULL)) {
			/* Inputs, caller's buffers and AT_DESC's in/out desc. */
			iov[n].iov_base = p->jp_value;
			cap[i] = iov[n++].iov_len = p->jp_valuelen;
			continue;
		}
		if (prepare_output(p, &iov[n++], &cap[i]) < 0)
			goto out;
		if (ctltype(p) == CTLTYPE_STRUCT || ctltype(p) == CTLTYPE_STRING)
			grows = 1;
	}
	iov[n].iov_base = "errmsg";
	iov[n++].iov_len = sizeof("errmsg");
	iov[n].iov_base = jail_errmsg;
	iov[n++].iov_len = JAIL_ERRMSGLEN;

	/*
	 * Lists start with room for a few entries, strings for the longest
	 * value allowed now; one that is longer (a meta set before host root
	 * lowered the maximum) makes jail_get fail with its length, and the
	 * call is made again.  (Not
	 * a jail_get to learn the lengths first: that is a second look-up
	 * of every jail listed.)
	 */
	for (unsigned i = 0; grows && i < njp; i++)
		if ((int)i != key && slot[i] >= 0 &&
		    ctltype(&jp[i]) == CTLTYPE_STRUCT &&
		    !(jp[i].jp_flags & JP_RAWVALUE) &&
		    size_list(&jp[i], 0, &cap[i]) < 0)
			goto out;
	for (int tries = 0;; tries++) {
		int grew = 0;

		/* A failed try may have changed lengths: start afresh. */
		for (unsigned i = 0; i < njp; i++)
			if ((int)i != key && slot[i] >= 0) {
				iov[slot[i] + 1].iov_base = jp[i].jp_value;
				iov[slot[i] + 1].iov_len = cap[i];
			}
		jail_errmsg[0] = '\0';
		if ((jid = jail_get_into(iov, n, flags, own)) >= 0)
			break;
		if (!grows || errno != EINVAL || tries == LIST_RETRIES)
			break;
		/*
		 * A list, or a string, outgrew its buffer: jail_get said how
		 * big it is.
		 */
		for (unsigned i = 0; i < njp; i++)
			if ((int)i != key && slot[i] >= 0 &&
			    (ctltype(&jp[i]) == CTLTYPE_STRUCT ||
			    ctltype(&jp[i]) == CTLTYPE_STRING) &&
			    !(jp[i].jp_flags & JP_RAWVALUE) &&
			    iov[slot[i] + 1].iov_len > cap[i]) {
				if ((ctltype(&jp[i]) == CTLTYPE_STRUCT ?
				    size_list(&jp[i], iov[slot[i] + 1].iov_len,
				    &cap[i]) : size_string(&jp[i],
				    iov[slot[i] + 1].iov_len, &cap[i])) < 0)
					goto out;
				grew = 1;
			}
		if (!grew)
			break;
	}
	if (jid < 0) {
		syscall_failed("jail_get");
		goto out;
	}
	/* What jail_get wrote: 0 for a meta.KEY that is not set. */
	for (unsigned i = 0; i < njp; i++)
		if ((int)i != key && slot[i] >= 0)
			jp[i].jp_valuelen = iov[slot[i] + 1].iov_len;
out:
	err = errno;
	free(iov);
	free(cap);
	free(slot);
	free(keycopy);
	errno = err;
	return jid;
}

/* ---- jailparam_export ---- */

static char *
export_list(struct jailparam *jp)
{
	int family = jp->jp_structtype == JPS_IN_ADDR ? AF_INET : AF_INET6;
	size_t esz = family == AF_INET ? sizeof(struct in_addr) :
	    sizeof(struct in6_addr);
	size_t n = jp->jp_value != NULL ? jp->jp_valuelen / esz : 0, off = 0;
	char *out;

	if ((out = malloc(n * INET6_ADDRSTRLEN + 1)) == NULL) {
		fail_errno();
		return NULL;
	}
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		unsigned char addr[sizeof(struct in6_addr)];

		if (i > 0)
			out[off++] = ',';
		memcpy(addr, (char *)jp->jp_value + i * esz, esz);
		if (inet_ntop(family, addr, out + off, INET6_ADDRSTRLEN) ==
		    NULL) {
			fail_errno();
			free(out);
			return NULL;
		}
		off += strlen(out + off);
	}
	return out;
}

JAIL_EXPORT char *
jailparam_export(struct jailparam *jp)
{
	char buf[32], *out;
	unsigned long ul;
	int v;

	switch (ctltype(jp)) {
	case CTLTYPE_STRING:
		/* Unset, or a meta.KEY that is not set: the empty string. */
		if (jp->jp_value == NULL || jp->jp_valuelen == 0)
			out = strdup("");
		else
			out = strndup(jp->jp_value, jp->jp_valuelen);
		if (out == NULL)
			fail_errno();
		return out;
	case CTLTYPE_STRUCT:
		return export_list(jp);
	case CTLTYPE_ULONG:
		if (jp->jp_value == NULL ||
		    jp->jp_valuelen < sizeof(unsigned long))
			goto novalue;
		memcpy(&ul, jp->jp_value, sizeof(ul));
		snprintf(buf, sizeof(buf), "%lu", ul);
		break;
	case CTLTYPE_INT:
		if (get_int(jp, &v) < 0)
			goto novalue;
		/* As FreeBSD's: a boolean other than 0 or 1 as a number. */
		if ((jp->jp_flags & JP_BOOL) && (v == 0 || v == 1))
			snprintf(buf, sizeof(buf), "%s", v ? "true" : "false");
		else if ((jp->jp_flags & JP_JAILSYS) && v >= 0 &&
		    (size_t)v < NJAILSYS)
			snprintf(buf, sizeof(buf), "%s", jailsys_names[v]);
		else
			snprintf(buf, sizeof(buf), "%d", v);
		break;
	default:
		jfail(ENOENT, "unknown type for %s", jp->jp_name);
		return NULL;
	}
	if ((out = strdup(buf)) == NULL)
		fail_errno();
	return out;
novalue:
	jfail(EINVAL, "%s: no value", jp->jp_name);
	return NULL;
}

JAIL_EXPORT void
jailparam_free(struct jailparam *jp, unsigned njp)
{
	for (unsigned i = 0; i < njp; i++) {
		free(jp[i].jp_name);
		if (!(jp[i].jp_flags & JP_RAWVALUE))
			free(jp[i].jp_value);
		jp[i].jp_name = NULL;
		jp[i].jp_value = NULL;
	}
}

/* ---- jail_getid, jail_getname ---- */

JAIL_EXPORT int
jail_getid(const char *name)
{
	struct iovec iov[4];
	const char *p;
	char *copy = NULL;
	size_t len;
	long v = 0;
	int jid, err;

	for (p = name; *p >= '0' && *p <= '9'; p++)
		if (v <= JAIL_MAX)
			v = v * 10 + (*p - '0');
	if (name[0] != '\0' && *p == '\0') {
		/* A jid: verify that the jail exists. */
		if (v == 0)
			return 0;	/* the host, which always exists */
		if (v > JAIL_MAX)
			return jfail(ENOENT, "jail %s not found", name);
		jid = (int)v;
		iov[0].iov_base = "jid";
		iov[0].iov_len = sizeof("jid");
		iov[1].iov_base = &jid;
		iov[1].iov_len = sizeof(jid);
	} else {
		/*
		 * jail_get writes the jail's name back into the key's buffer,
		 * so it gets a copy, with room for any name.
		 */
		len = strlen(name) + 1;
		if (len < JAIL_NAME_MAX)
			len = JAIL_NAME_MAX;
		if ((copy = calloc(1, len)) == NULL)
			return fail_errno();
		strcpy(copy, name);
		iov[0].iov_base = "name";
		iov[0].iov_len = sizeof("name");
		iov[1].iov_base = copy;
		iov[1].iov_len = len;
	}
	iov[2].iov_base = "errmsg";
	iov[2].iov_len = sizeof("errmsg");
	iov[3].iov_base = jail_errmsg;
	iov[3].iov_len = JAIL_ERRMSGLEN;
	jail_errmsg[0] = '\0';
	if ((jid = jail_get(iov, 4, 0)) < 0)
		syscall_failed("jail_get");
	err = errno;
	free(copy);
	errno = err;
	return jid;
}

JAIL_EXPORT char *
jail_getname(int jid)
{
	struct iovec iov[6];
	char name[JAIL_NAME_MAX + 1], *s;

	memset(name, 0, sizeof(name));
	iov[0].iov_base = "jid";
	iov[0].iov_len = sizeof("jid");
	iov[1].iov_base = &jid;
	iov[1].iov_len = sizeof(jid);
	iov[2].iov_base = "name";
	iov[2].iov_len = sizeof("name");
	iov[3].iov_base = name;
	iov[3].iov_len = JAIL_NAME_MAX;
	iov[4].iov_base = "errmsg";
	iov[4].iov_len = sizeof("errmsg");
	iov[5].iov_base = jail_errmsg;
	iov[5].iov_len = JAIL_ERRMSGLEN;
	jail_errmsg[0] = '\0';
	if (jail_get(iov, 6, 0) < 0) {
		syscall_failed("jail_get");
		return NULL;
	}
	if ((s = strdup(name)) == NULL)
		fail_errno();
	return s;
}

/* ---- jail_setv, jail_getv ---- */

/*
 * Initialise one jailparam per (name, value) pair of a NULL-terminated
 * list; the values are returned in *VALUES.  Returns the count or -1.
 */
static int
collect(va_list ap, struct jailparam **jpp, char ***values)
{
	struct jailparam *jp;
	char **vals;
	va_list count;
	unsigned n = 0;

	va_copy(count, ap);
	while (va_arg(count, const char *) != NULL) {
		(void)va_arg(count, char *);
		n++;
	}
	va_end(count);
	jp = calloc((size_t)n + 1, sizeof(*jp));
	vals = calloc((size_t)n + 1, sizeof(*vals));
	if (jp == NULL || vals == NULL) {
		free(jp);
		free(vals);
		return fail_errno();
	}
	for (unsigned i = 0; i < n; i++) {
		const char *name = va_arg(ap, const char *);

		vals[i] = va_arg(ap, char *);
		if (jailparam_init(&jp[i], name) < 0) {
			jailparam_free(jp, i);
			free(jp);
			free(vals);
			return -1;
		}
	}
	*jpp = jp;
	*values = vals;
	return (int)n;
}

static void
release(struct jailparam *jp, unsigned n, char **vals)
{
	int err = errno;

	jailparam_free(jp, n);
	free(jp);
	free(vals);
	errno = err;
}

/* Write descriptor FD as text into the caller's buffer BUF for JP. */
static int
copy_value(char *buf, const struct jailparam *jp, int fd)
{
	char s[16];

	snprintf(s, sizeof(s), "%d", fd);
	if (jcopyout(s, buf, strlen(s) + 1) < 0)
		return jfail(EFAULT, "%s: %s", jp->jp_name, strerror(EFAULT));
	return 0;
}

JAIL_EXPORT int
jail_setv(int flags, ...)
{
	struct jailparam *jp;
	char **vals;
	va_list ap;
	int n, jid = -1, descout = -1, fd;

	va_start(ap, flags);
	n = collect(ap, &jp, &vals);
	va_end(ap);
	if (n < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		const char *value = vals[i];

		if (strcmp(jp[i].jp_name, "desc") == 0 &&
		    (flags & (JAIL_GET_DESC | JAIL_OWN_DESC))) {
			/*
			 * The value is the caller's buffer for the new
			 * descriptor; it may also hold the one USE_DESC or
			 * AT_DESC works through.
			 */
			descout = i;
			if (value == NULL || value[0] == '\0')
				value = "-1";
		}
		if (jailparam_import(&jp[i], value) < 0)
			goto out;
	}
	jid = jailparam_set(jp, (unsigned)n, flags);
	if (jid >= 0 && descout >= 0 && vals[descout] != NULL &&
	    get_int(&jp[descout], &fd) == 0 &&
	    copy_value(vals[descout], &jp[descout], fd) < 0)
		jid = -1;
out:
	release(jp, (unsigned)n, vals);
	return jid;
}

JAIL_EXPORT int
jail_getv(int flags, ...)
{
	static const char *const keys[] = { "desc", "lastjid", "jid", "name" };
	struct jailparam *jp;
	char **vals, *s;
	va_list ap;
	int n, jid = -1, key = -1;

	va_start(ap, flags);
	n = collect(ap, &jp, &vals);
	va_end(ap);
	if (n < 0)
		return -1;
	/* The key's value is the caller's input; every other one an output. */
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]) && key < 0; k++) {
		if (k == 0 && !(flags & JAIL_USE_DESC))
			continue;
		for (int i = 0; i < n && key < 0; i++) {
			if (strcmp(jp[i].jp_name, keys[k]) != 0)
				continue;
			if (k == 2 && (vals[i] == NULL ||
			    strtol(vals[i], NULL, 10) == 0))
				continue;
			key = i;
		}
	}
	if (key < 0) {
		jfail(ENOENT, "no jail specified");
		goto out;
	}
	if (jailparam_import(&jp[key], vals[key]) < 0)
		goto out;
	/* AT_DESC: desc also names the jail the lookup is relative to. */
	for (int i = 0; i < n; i++)
		if (i != key && strcmp(jp[i].jp_name, "desc") == 0 &&
		    vals[i] != NULL && vals[i][0] != '\0' &&
		    jailparam_import(&jp[i], vals[i]) < 0)
			goto out;
	if ((jid = jailparam_get(jp, (unsigned)n, flags)) < 0)
		goto out;
	for (int i = 0; i < n; i++) {
		if (i == key || vals[i] == NULL)
			continue;
		if ((s = jailparam_export(&jp[i])) == NULL) {
			jid = -1;
			goto out;
		}
		/* The caller promises the room, not that it can be written. */
		if (jcopyout(s, vals[i], strlen(s) + 1) < 0) {
			jfail(EFAULT, "%s: %s", jp[i].jp_name, strerror(EFAULT));
			jid = -1;
		}
		free(s);
		if (jid < 0)
			goto out;
	}
out:
	release(jp, (unsigned)n, vals);
	return jid;
}
