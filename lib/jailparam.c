/*
 * libjail(3): jail parameters by name, as strings, on top of jail_set(2)
 * and jail_get(2).  Types come from the parameter table (param_table.c),
 * not from sysctl metadata as on FreeBSD.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>

#include "jail.h"
#include "internal.h"
#include "param.h"

JAIL_EXPORT char jail_errmsg[JAIL_ERRMSGLEN];

static const char *const jailsys_names[] = { "disable", "new", "inherit" };

static int
fail(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(jail_errmsg, JAIL_ERRMSGLEN, fmt, ap);
	va_end(ap);
	errno = err;
	return -1;
}

static const struct jparam_def *
def_of(const struct jailparam *jp, int *neg, const char **key)
{
	return jparam_lookup(jp->jp_name, neg, key);
}

static int
is_pseudo(const char *name)
{
	return strcmp(name, "lastjid") == 0 || strcmp(name, "desc") == 0;
}

JAIL_EXPORT int
jailparam_init(struct jailparam *jp, const char *name)
{
	const struct jparam_def *d;
	const char *key;
	int neg;

	memset(jp, 0, sizeof(*jp));
	if (name == NULL || *name == '\0')
		return fail(EINVAL, "empty parameter name");
	if ((jp->jp_name = strdup(name)) == NULL)
		return fail(ENOMEM, "%s", strerror(ENOMEM));
	if (is_pseudo(name)) {
		jp->jp_ctltype = CTLTYPE_INT | CTLFLAG_RW;
		jp->jp_elemlen = sizeof(int);
		return 0;
	}
	if ((d = jparam_lookup(name, &neg, &key)) == NULL) {
		free(jp->jp_name);
		jp->jp_name = NULL;
		return fail(ENOENT, "unknown parameter: %s", name);
	}
	switch (d->access) {
	case JPA_RW:	 jp->jp_ctltype = CTLFLAG_RW; break;
	case JPA_CREATE: jp->jp_ctltype = CTLFLAG_RDTUN; break;
	default:	 jp->jp_ctltype = CTLFLAG_RD; break;
	}
	jp->jp_elemlen = jparam_elemsize(d);
	switch (d->kind) {
	case JPK_BOOL:
		jp->jp_ctltype |= CTLTYPE_INT;
		jp->jp_flags |= neg ? JP_BOOL | JP_NOBOOL : JP_BOOL;
		break;
	case JPK_JAILSYS:
		jp->jp_ctltype |= CTLTYPE_INT;
		jp->jp_flags |= JP_JAILSYS;
		break;
	case JPK_INT:
		jp->jp_ctltype |= CTLTYPE_INT;
		break;
	case JPK_ULONG:
		jp->jp_ctltype |= CTLTYPE_ULONG;
		break;
	case JPK_STRING:
		jp->jp_ctltype |= CTLTYPE_STRING;
		jp->jp_valuelen = d->maxlen;
		if (key != NULL)
			jp->jp_flags |= JP_KEYVALUE;
		break;
	case JPK_IN_ADDR:
	case JPK_IN6_ADDR:
		jp->jp_ctltype |= CTLTYPE_STRUCT;
		jp->jp_structtype = d->kind == JPK_IN_ADDR ? JPS_IN_ADDR :
		    JPS_IN6_ADDR;
		break;
	}
	return 0;
}

JAIL_EXPORT int
jailparam_all(struct jailparam **jpp)
{
	struct jailparam *jp;

	if ((jp = calloc(jparam_count, sizeof(*jp))) == NULL)
		return fail(ENOMEM, "%s", strerror(ENOMEM));
	for (size_t i = 0; i < jparam_count; i++)
		if (jailparam_init(&jp[i], jparam_table[i].name) < 0) {
			jailparam_free(jp, (unsigned)i);
			free(jp);
			return -1;
		}
	*jpp = jp;
	return (int)jparam_count;
}

static void
set_value(struct jailparam *jp, void *v, size_t len)
{
	if (!(jp->jp_flags & JP_RAWVALUE))
		free(jp->jp_value);
	jp->jp_flags &= ~JP_RAWVALUE;
	jp->jp_value = v;
	jp->jp_valuelen = len;
}

static int
parse_int(const char *name, const char *s, long min, long max, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 0);
	if (*s == '\0' || *end != '\0' || errno != 0 || *out < min || *out > max)
		return fail(EINVAL, "%s: non-integer value \"%s\"", name, s);
	return 0;
}

static int
import_list(struct jailparam *jp, const char *value, int family)
{
	size_t esz = family == AF_INET ? sizeof(struct in_addr) :
	    sizeof(struct in6_addr);
	size_t n = 0, cap = 0;
	char *copy, *tok, *save = NULL;
	unsigned char *buf = NULL;

	if (*value == '\0' || strcmp(value, "-") == 0) {
		set_value(jp, NULL, 0);
		return 0;
	}
	if ((copy = strdup(value)) == NULL)
		return fail(ENOMEM, "%s", strerror(ENOMEM));
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		while (isspace((unsigned char)*tok))
			tok++;
		if (n == cap) {
			cap = cap ? cap * 2 : 4;
			unsigned char *nb = realloc(buf, cap * esz);
			if (nb == NULL) {
				free(buf);
				free(copy);
				return fail(ENOMEM, "%s", strerror(ENOMEM));
			}
			buf = nb;
		}
		if (inet_pton(family, tok, buf + n * esz) != 1) {
			fail(EINVAL, "%s: not an %s address: %s", jp->jp_name,
			    family == AF_INET ? "IPv4" : "IPv6", tok);
			free(buf);
			free(copy);
			return -1;
		}
		n++;
	}
	free(copy);
	set_value(jp, buf, n * esz);
	return 0;
}

JAIL_EXPORT int
jailparam_import(struct jailparam *jp, const char *value)
{
	const struct jparam_def *d;
	const char *key;
	long v;
	int neg, *ip;

	if (is_pseudo(jp->jp_name)) {
		if (value == NULL || parse_int(jp->jp_name, value, -1, INT32_MAX,
		    &v) < 0)
			return value == NULL ? fail(EINVAL, "%s: no value",
			    jp->jp_name) : -1;
		goto store_int;
	}
	if ((d = def_of(jp, &neg, &key)) == NULL)
		return fail(ENOENT, "unknown parameter: %s", jp->jp_name);
	if (value == NULL) {
		if (jp->jp_flags & JP_KEYVALUE) {
			set_value(jp, NULL, 0);
			return 0;
		}
		if (!(jp->jp_flags & JP_BOOL))
			return fail(EINVAL, "%s: no value", jp->jp_name);
		v = 1;
		goto store_int;
	}
	switch (d->kind) {
	case JPK_BOOL:
		if (strcasecmp(value, "true") == 0)
			v = 1;
		else if (strcasecmp(value, "false") == 0)
			v = 0;
		else if (parse_int(jp->jp_name, value, INT32_MIN, INT32_MAX, &v) < 0)
			return fail(EINVAL, "%s: unknown boolean value \"%s\"",
			    jp->jp_name, value);
		v = v != 0;
		goto store_int;
	case JPK_JAILSYS:
		if (*value == '\0') {
			v = JAIL_SYS_NEW;
			goto store_int;
		}
		for (v = 0; v < 3; v++)
			if (strcasecmp(value, jailsys_names[v]) == 0)
				goto store_int;
		if (parse_int(jp->jp_name, value, 0, 2, &v) < 0)
			return fail(EINVAL, "%s: unknown jailsys value \"%s\"",
			    jp->jp_name, value);
		goto store_int;
	case JPK_INT:
		if (parse_int(jp->jp_name, value, INT32_MIN, INT32_MAX, &v) < 0)
			return -1;
		goto store_int;
	case JPK_ULONG: {
		char *end;
		unsigned long *ul;

		errno = 0;
		unsigned long u = strtoul(value, &end, 0);
		if (*value == '\0' || *end != '\0' || errno != 0 || *value == '-')
			return fail(EINVAL, "%s: non-integer value \"%s\"",
			    jp->jp_name, value);
		if ((ul = malloc(sizeof(*ul))) == NULL)
			return fail(ENOMEM, "%s", strerror(ENOMEM));
		*ul = u;
		set_value(jp, ul, sizeof(*ul));
		return 0;
	}
	case JPK_STRING: {
		size_t len = strlen(value) + 1;
		char *s;

		if (len > d->maxlen)
			return fail(ENAMETOOLONG, "%s: value too long (%zu bytes, "
			    "at most %u)", jp->jp_name, len - 1, d->maxlen - 1);
		if ((s = strdup(value)) == NULL)
			return fail(ENOMEM, "%s", strerror(ENOMEM));
		set_value(jp, s, len);
		return 0;
	}
	case JPK_IN_ADDR:
		return import_list(jp, value, AF_INET);
	case JPK_IN6_ADDR:
		return import_list(jp, value, AF_INET6);
	}
	return fail(EINVAL, "%s: unknown type", jp->jp_name);
store_int:
	if ((ip = malloc(sizeof(*ip))) == NULL)
		return fail(ENOMEM, "%s", strerror(ENOMEM));
	*ip = (int)v;
	set_value(jp, ip, sizeof(*ip));
	return 0;
}

JAIL_EXPORT int
jailparam_import_raw(struct jailparam *jp, void *value, size_t valuelen)
{
	set_value(jp, value, valuelen);
	jp->jp_flags |= JP_RAWVALUE;
	return 0;
}

/* The name a boolean is sent under: "noX" for false, "X" for true. */
static void
bool_name(const char *name, int value, char *buf, size_t len)
{
	int neg;
	const char *key;
	const struct jparam_def *d = jparam_lookup(name, &neg, &key);
	const char *base = d != NULL ? d->name : name;
	const char *dot = strrchr(base, '.');
	size_t pre = dot != NULL ? (size_t)(dot - base) + 1 : 0;

	if (value)
		snprintf(buf, len, "%s", base);
	else
		snprintf(buf, len, "%.*sno%s", (int)pre, base, base + pre);
}

JAIL_EXPORT int
jailparam_set(struct jailparam *jp, unsigned njp, int flags)
{
	struct iovec *iov;
	char (*names)[300], errbuf[JAIL_ERRMSGLEN];
	unsigned n = 0;
	int jid;

	iov = calloc(2 * (size_t)njp + 2, sizeof(*iov));
	names = calloc(njp ? njp : 1, sizeof(*names));
	if (iov == NULL || names == NULL) {
		free(iov);
		free(names);
		return fail(ENOMEM, "%s", strerror(ENOMEM));
	}
	for (unsigned i = 0; i < njp; i++) {
		const char *name = jp[i].jp_name;
		void *val = jp[i].jp_value;
		size_t len = jp[i].jp_valuelen;

		if ((jp[i].jp_flags & JP_BOOL) && !(jp[i].jp_flags & JP_RAWVALUE)) {
			/* Booleans go by name alone, "noX" when false. */
			int v = val != NULL ? *(int *)val : 1;

			if (jp[i].jp_flags & JP_NOBOOL)
				v = !v;
			bool_name(name, v, names[i], sizeof(names[i]));
			name = names[i];
			val = NULL;
			len = 0;
		}
		iov[n].iov_base = (void *)name;
		iov[n++].iov_len = strlen(name) + 1;
		iov[n].iov_base = val;
		iov[n++].iov_len = len;
	}
	errbuf[0] = '\0';
	iov[n].iov_base = "errmsg";
	iov[n++].iov_len = sizeof("errmsg");
	iov[n].iov_base = errbuf;
	iov[n++].iov_len = sizeof(errbuf);
	jid = jail_set(iov, n, flags);
	if (jid < 0) {
		int e = errno;

		if (errbuf[0] != '\0')
			snprintf(jail_errmsg, JAIL_ERRMSGLEN, "%s", errbuf);
		else
			snprintf(jail_errmsg, JAIL_ERRMSGLEN, "jail_set: %s",
			    strerror(e));
		errno = e;
	}
	free(iov);
	free(names);
	return jid;
}

JAIL_EXPORT int
jailparam_get(struct jailparam *jp, unsigned njp, int flags)
{
	struct iovec *iov;
	char errbuf[JAIL_ERRMSGLEN];
	unsigned n = 0, key = njp;
	int jid = -1, tries;

	/* The key: desc (USE_DESC), lastjid, a non-zero jid, or a name. */
	for (unsigned i = 0; i < njp && key == njp; i++)
		if ((flags & JAIL_USE_DESC) && strcmp(jp[i].jp_name, "desc") == 0 &&
		    jp[i].jp_value != NULL)
			key = i;
	for (unsigned i = 0; i < njp && key == njp; i++)
		if (strcmp(jp[i].jp_name, "lastjid") == 0 && jp[i].jp_value != NULL)
			key = i;
	for (unsigned i = 0; i < njp && key == njp; i++)
		if (strcmp(jp[i].jp_name, "jid") == 0 && jp[i].jp_value != NULL &&
		    *(int *)jp[i].jp_value != 0)
			key = i;
	for (unsigned i = 0; i < njp && key == njp; i++)
		if (strcmp(jp[i].jp_name, "name") == 0 && jp[i].jp_value != NULL &&
		    ((char *)jp[i].jp_value)[0] != '\0')
			key = i;
	if (key == njp)
		return fail(ENOENT, "no jail specified");

	if ((iov = calloc(2 * (size_t)njp + 2, sizeof(*iov))) == NULL)
		return fail(ENOMEM, "%s", strerror(ENOMEM));
	for (unsigned i = 0; i < njp; i++) {
		iov[n].iov_base = jp[i].jp_name;
		iov[n++].iov_len = strlen(jp[i].jp_name) + 1;
		if (i == key) {
			iov[n].iov_base = jp[i].jp_value;
			iov[n++].iov_len = jp[i].jp_valuelen;
			continue;
		}
		if (jp[i].jp_flags & JP_RAWVALUE) {
			iov[n].iov_base = jp[i].jp_value;
			iov[n++].iov_len = jp[i].jp_valuelen;
			continue;
		}
		/* Fixed-size values get a buffer now; lists are sized below. */
		size_t sz = (jp[i].jp_ctltype & CTLTYPE) == CTLTYPE_STRING ?
		    (jp[i].jp_valuelen ? jp[i].jp_valuelen : JAIL_META_MAXBUF) :
		    (jp[i].jp_ctltype & CTLTYPE) == CTLTYPE_STRUCT ? 0 :
		    jp[i].jp_elemlen;
		free(jp[i].jp_value);
		jp[i].jp_value = sz ? calloc(1, sz) : NULL;
		jp[i].jp_valuelen = sz;
		if (sz && jp[i].jp_value == NULL) {
			free(iov);
			return fail(ENOMEM, "%s", strerror(ENOMEM));
		}
		iov[n].iov_base = jp[i].jp_value;
		iov[n++].iov_len = sz;
	}
	iov[n].iov_base = "errmsg";
	iov[n++].iov_len = sizeof("errmsg");
	iov[n].iov_base = errbuf;
	iov[n++].iov_len = sizeof(errbuf);

	for (tries = 0; tries < 4; tries++) {
		int grew = 0;

		errbuf[0] = '\0';
		jid = jail_get(iov, n, flags);
		if (jid < 0)
			break;
		/* Lists: allocate what jail_get asked for, and ask again. */
		for (unsigned i = 0; i < njp; i++) {
			struct iovec *v = &iov[2 * i + 1];

			if (i == key || (jp[i].jp_flags & JP_RAWVALUE) ||
			    (jp[i].jp_ctltype & CTLTYPE) != CTLTYPE_STRUCT)
				continue;
			if (v->iov_len > jp[i].jp_valuelen ||
			    (v->iov_base == NULL && v->iov_len > 0)) {
				free(jp[i].jp_value);
				jp[i].jp_value = malloc(v->iov_len);
				if (jp[i].jp_value == NULL) {
					free(iov);
					return fail(ENOMEM, "%s", strerror(ENOMEM));
				}
				jp[i].jp_valuelen = v->iov_len;
				v->iov_base = jp[i].jp_value;
				grew = 1;
			} else
				jp[i].jp_valuelen = v->iov_len;
		}
		if (!grew)
			break;
	}
	if (jid < 0) {
		int e = errno;

		if (errbuf[0] != '\0')
			snprintf(jail_errmsg, JAIL_ERRMSGLEN, "%s", errbuf);
		else
			snprintf(jail_errmsg, JAIL_ERRMSGLEN, "jail_get: %s",
			    strerror(e));
		errno = e;
	} else {
		for (unsigned i = 0; i < njp; i++)
			if (i != key && !(jp[i].jp_flags & JP_RAWVALUE) &&
			    (jp[i].jp_ctltype & CTLTYPE) == CTLTYPE_STRING)
				jp[i].jp_valuelen = iov[2 * i + 1].iov_len;
	}
	free(iov);
	return jid;
}

JAIL_EXPORT char *
jailparam_export(struct jailparam *jp)
{
	char buf[INET6_ADDRSTRLEN], *out = NULL;
	size_t len = 0;
	FILE *f;

	if (jp->jp_value == NULL && (jp->jp_ctltype & CTLTYPE) != CTLTYPE_STRUCT &&
	    (jp->jp_ctltype & CTLTYPE) != CTLTYPE_STRING) {
		fail(ENOENT, "%s: no value", jp->jp_name);
		return NULL;
	}
	if ((f = open_memstream(&out, &len)) == NULL) {
		fail(ENOMEM, "%s", strerror(ENOMEM));
		return NULL;
	}
	switch (jp->jp_ctltype & CTLTYPE) {
	case CTLTYPE_INT: {
		int v = *(int *)jp->jp_value;

		if (jp->jp_flags & JP_BOOL)
			fputs(((jp->jp_flags & JP_NOBOOL) ? !v : v) ? "true" :
			    "false", f);
		else if ((jp->jp_flags & JP_JAILSYS) && v >= 0 && v <= 2)
			fputs(jailsys_names[v], f);
		else
			fprintf(f, "%d", v);
		break;
	}
	case CTLTYPE_ULONG:
		fprintf(f, "%lu", *(unsigned long *)jp->jp_value);
		break;
	case CTLTYPE_STRING:
		if (jp->jp_value != NULL && jp->jp_valuelen > 0)
			fprintf(f, "%.*s", (int)strnlen(jp->jp_value,
			    jp->jp_valuelen), (char *)jp->jp_value);
		break;
	case CTLTYPE_STRUCT: {
		int fam = jp->jp_structtype == JPS_IN_ADDR ? AF_INET : AF_INET6;
		size_t esz = fam == AF_INET ? 4 : 16;

		for (size_t i = 0; jp->jp_value != NULL &&
		    i < jp->jp_valuelen / esz; i++) {
			inet_ntop(fam, (char *)jp->jp_value + i * esz, buf,
			    sizeof(buf));
			fprintf(f, "%s%s", i > 0 ? "," : "", buf);
		}
		break;
	}
	}
	if (fclose(f) != 0) {
		free(out);
		fail(ENOMEM, "%s", strerror(ENOMEM));
		return NULL;
	}
	return out;
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

JAIL_EXPORT int
jail_getid(const char *name)
{
	struct iovec iov[4];
	char errbuf[JAIL_ERRMSGLEN] = "";
	char *end;
	long v;
	int jid;

	errno = 0;
	v = strtol(name, &end, 10);
	if (*name != '\0' && *end == '\0' && errno == 0 && v > 0 && v <= JAIL_MAX) {
		jid = (int)v;
		iov[0].iov_base = "jid";
		iov[0].iov_len = sizeof("jid");
		iov[1].iov_base = &jid;
		iov[1].iov_len = sizeof(jid);
	} else {
		iov[0].iov_base = "name";
		iov[0].iov_len = sizeof("name");
		iov[1].iov_base = (void *)name;
		iov[1].iov_len = strlen(name) + 1;
	}
	iov[2].iov_base = "errmsg";
	iov[2].iov_len = sizeof("errmsg");
	iov[3].iov_base = errbuf;
	iov[3].iov_len = sizeof(errbuf);
	jid = jail_get(iov, 4, 0);
	if (jid < 0)
		snprintf(jail_errmsg, JAIL_ERRMSGLEN, "%s", errbuf[0] ? errbuf :
		    strerror(errno));
	return jid;
}

JAIL_EXPORT char *
jail_getname(int jid)
{
	struct iovec iov[6];
	char name[JAIL_NAME_MAX], errbuf[JAIL_ERRMSGLEN] = "";

	iov[0].iov_base = "jid";
	iov[0].iov_len = sizeof("jid");
	iov[1].iov_base = &jid;
	iov[1].iov_len = sizeof(jid);
	iov[2].iov_base = "name";
	iov[2].iov_len = sizeof("name");
	iov[3].iov_base = name;
	iov[3].iov_len = sizeof(name);
	iov[4].iov_base = "errmsg";
	iov[4].iov_len = sizeof("errmsg");
	iov[5].iov_base = errbuf;
	iov[5].iov_len = sizeof(errbuf);
	if (jail_get(iov, 6, 0) < 0) {
		snprintf(jail_errmsg, JAIL_ERRMSGLEN, "%s", errbuf[0] ? errbuf :
		    strerror(errno));
		return NULL;
	}
	return strdup(name);
}

/* Collect a NULL-terminated list of name/value pairs into jailparams. */
static int
collect(va_list ap, struct jailparam **out, char ***values)
{
	struct jailparam *jp = NULL;
	char **vals = NULL;
	va_list cp;
	unsigned n = 0;
	const char *name;

	va_copy(cp, ap);
	while ((name = va_arg(cp, const char *)) != NULL) {
		(void)va_arg(cp, char *);
		n++;
	}
	va_end(cp);
	jp = calloc(n ? n : 1, sizeof(*jp));
	vals = calloc(n ? n : 1, sizeof(*vals));
	if (jp == NULL || vals == NULL) {
		free(jp);
		free(vals);
		return fail(ENOMEM, "%s", strerror(ENOMEM));
	}
	for (unsigned i = 0; i < n; i++) {
		name = va_arg(ap, const char *);
		vals[i] = va_arg(ap, char *);
		if (jailparam_init(&jp[i], name) < 0) {
			jailparam_free(jp, i);
			free(jp);
			free(vals);
			return -1;
		}
	}
	*out = jp;
	*values = vals;
	return (int)n;
}

JAIL_EXPORT int
jail_setv(int flags, ...)
{
	struct jailparam *jp;
	char **vals;
	va_list ap;
	int n, jid = -1, ok = 1;

	va_start(ap, flags);
	n = collect(ap, &jp, &vals);
	va_end(ap);
	if (n < 0)
		return -1;
	for (int i = 0; i < n && ok; i++) {
		if (strcmp(jp[i].jp_name, "desc") == 0 &&
		    (flags & (JAIL_GET_DESC | JAIL_OWN_DESC)) &&
		    !(flags & (JAIL_USE_DESC | JAIL_AT_DESC))) {
			jailparam_import(&jp[i], "-1");
			continue;
		}
		ok = jailparam_import(&jp[i], vals[i]) == 0;
	}
	if (ok)
		jid = jailparam_set(jp, (unsigned)n, flags);
	jailparam_free(jp, (unsigned)n);
	free(jp);
	free(vals);
	return jid;
}

JAIL_EXPORT int
jail_getv(int flags, ...)
{
	struct jailparam *jp;
	char **vals;
	va_list ap;
	int n, jid, key = -1;

	va_start(ap, flags);
	n = collect(ap, &jp, &vals);
	va_end(ap);
	if (n < 0)
		return -1;
	/* The key's value is an input; everything else is an output. */
	static const char *const keys[] = { "desc", "lastjid", "jid", "name" };
	for (size_t k = 0; k < 4 && key < 0; k++)
		for (int i = 0; i < n && key < 0; i++)
			if (strcmp(jp[i].jp_name, keys[k]) == 0 && (k != 0 ||
			    (flags & JAIL_USE_DESC)) && vals[i] != NULL &&
			    vals[i][0] != '\0' && (k != 2 || strcmp(vals[i], "0")))
				key = i;
	if (key < 0) {
		jailparam_free(jp, (unsigned)n);
		free(jp);
		free(vals);
		return fail(ENOENT, "no jail specified");
	}
	if (jailparam_import(&jp[key], vals[key]) < 0)
		jid = -1;
	else
		jid = jailparam_get(jp, (unsigned)n, flags);
	for (int i = 0; jid >= 0 && i < n; i++) {
		char *s;

		if (i == key)
			continue;
		if ((s = jailparam_export(&jp[i])) == NULL) {
			jid = -1;
			break;
		}
		strcpy(vals[i], s);	/* the caller promises the room */
		free(s);
	}
	jailparam_free(jp, (unsigned)n);
	free(jp);
	free(vals);
	return jid;
}
