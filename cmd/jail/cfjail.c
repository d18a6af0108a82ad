/*
 * The jail object of jail(8) and its parameters (jail8.h): what the
 * configuration and the command line fill in, and what every step reads.
 */
#include <err.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "jail8.h"

struct cfjail **cfjails;
int ncfjails;

void *
emalloc(size_t n)
{
	void *p = calloc(1, n != 0 ? n : 1);

	if (p == NULL)
		err(1, "malloc");
	return p;
}

void *
ereallocarray(void *p, size_t n, size_t size)
{
	if ((p = reallocarray(p, n != 0 ? n : 1, size)) == NULL)
		err(1, "malloc");
	return p;
}

char *
estrdup(const char *s)
{
	char *p = strdup(s);

	if (p == NULL)
		err(1, "malloc");
	return p;
}

long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct cfjail *
cfjail_new(const char *name)
{
	struct cfjail *j = emalloc(sizeof(*j));

	j->name = name != NULL ? estrdup(name) : NULL;
	j->hold = -1;
	j->child.pidfd = -1;
	j->child.reportfd = -1;
	cfjails = ereallocarray(cfjails, (size_t)ncfjails + 1,
	    sizeof(*cfjails));
	cfjails[ncfjails++] = j;
	return j;
}

struct cfjail *
cfjail_named(const char *name)
{
	for (int i = 0; i < ncfjails; i++)
		if (cfjails[i]->name != NULL &&
		    strcmp(cfjails[i]->name, name) == 0)
			return cfjails[i];
	return NULL;
}

struct cfparam *
cfjail_find(const struct cfjail *j, const char *name)
{
	for (int i = 0; i < j->nparams; i++)
		if (strcmp(j->params[i].name, name) == 0)
			return &j->params[i];
	return NULL;
}

/*
 * What kind of parameter NAME is: its canonical (positive) name in *CANON,
 * whether it is a boolean, a list, and negated; its intparam index or -1.
 * -2 for an unknown exec.* or mount.* name, which no kernel takes.
 */
static int
classify(const char *name, char **canon, int *isbool, int *islist, int *neg)
{
	struct jailparam jp;
	int ip = intparam_find(name, neg);

	*isbool = *islist = 0;
	if (ip >= 0) {
		*canon = estrdup(intparams[ip].name);
		*isbool = (intparams[ip].flags & IPF_BOOL) != 0;
		*islist = (intparams[ip].flags & IPF_LIST) != 0;
		return ip;
	}
	if (strncmp(name, "exec.", 5) == 0 || strcmp(name, "mount") == 0 ||
	    strncmp(name, "mount.", 6) == 0)
		return -2;
	*neg = 0;
	if (jailparam_init(&jp, name) < 0) {
		/* Unknown to us: params_import says so, naming the jail. */
		*canon = estrdup(name);
		return -1;
	}
	if (jp.jp_flags & (JP_BOOL | JP_NOBOOL)) {
		*isbool = 1;
		*neg = (jp.jp_flags & JP_NOBOOL) != 0;
	}
	*islist = (jp.jp_ctltype & CTLTYPE) == CTLTYPE_STRUCT ||
	    (jp.jp_flags & JP_KEYVALUE) || strcmp(jp.jp_name, "meta") == 0 ||
	    strcmp(jp.jp_name, "env") == 0;
	*canon = estrdup(jp.jp_name);
	if (*neg) {
		/* "nopersist", "allow.nomount": the positive name. */
		const char *last = strrchr(name, '.');
		char *pos;

		last = last != NULL ? last + 1 : name;
		if (asprintf(&pos, "%.*s%s", (int)(last - name), name,
		    last + 2) < 0)
			err(1, "asprintf");
		free(*canon);
		*canon = pos;
	}
	jailparam_free(&jp, 1);
	return -1;
}

/* A boolean's value as given: 1, 0, or -1 if it is not one. */
static int
bool_value(const char *v)
{
	char *end;
	long n;

	if (v == NULL || strcasecmp(v, "true") == 0)
		return 1;
	if (strcasecmp(v, "false") == 0)
		return 0;
	/*
	 * A number as FreeBSD's libjail reads it, which jail(8) leaves it
	 * to: strtol over the whole string, so " 1" and "+1" are true and
	 * the empty string is 0, false.
	 */
	n = strtol(v, &end, 10);
	if (*end != '\0')
		return -1;
	return n != 0;
}

static void
clear_values(struct cfparam *p)
{
	for (int i = 0; i < p->nval; i++)
		free(p->val[i]);
	free(p->val);
	p->val = NULL;
	p->nval = 0;
}

/* The smallest power of two, 4 at least, that holds N. */
static size_t
room_for(size_t n)
{
	size_t r = 4;

	while (r < n)
		r *= 2;
	return r;
}

static void
add_value(struct cfparam *p, const char *v)
{
	size_t have = p->nval > 0 ? room_for((size_t)p->nval + 1) : 0;
	size_t need = (size_t)p->nval + 2;

	/*
	 * Kept NULL-terminated (command='s values are an argv), in an array
	 * that doubles: a long list costs its length, not its square.
	 */
	if (need > have)
		p->val = ereallocarray(p->val, room_for(need), sizeof(*p->val));
	p->val[p->nval++] = estrdup(v);
	p->val[p->nval] = NULL;
}

/* The parameter CANON of J, made if missing. */
static struct cfparam *
get_param(struct cfjail *j, const char *canon, int ip)
{
	struct cfparam *p = cfjail_find(j, canon);

	if (p != NULL)
		return p;
	j->params = ereallocarray(j->params, (size_t)j->nparams + 1,
	    sizeof(*j->params));
	/* The table moved: point the index at the new places. */
	for (int i = 0; i < j->nparams; i++)
		if (j->params[i].ip >= 0)
			j->ip[j->params[i].ip] = &j->params[i];
	p = &j->params[j->nparams++];
	memset(p, 0, sizeof(*p));
	p->name = estrdup(canon);
	p->ip = ip;
	if (ip >= 0)
		j->ip[ip] = p;
	return p;
}

int
cfjail_set(struct cfjail *j, const char *name, const char *value,
    unsigned flags)
{
	struct cfparam *p;
	char *canon = NULL;
	int isbool, islist, neg, ip;

	if (flags & PF_VAR) {
		p = get_param(j, name, -1);
		clear_values(p);
		if (value != NULL)
			add_value(p, value);
		p->flags = flags;
		return 0;
	}
	if (*name == '\0') {
		warnx("empty parameter: missing parameter name");
		return -1;
	}
	ip = classify(name, &canon, &isbool, &islist, &neg);
	if (ip == -2) {
		warnx("unknown parameter: %s", name);
		return -1;
	}
	p = get_param(j, canon, ip);
	free(canon);
	p->flags = (p->flags & PF_CMDLINE) | (flags & ~PF_APPEND);
	if (isbool) {
		int b = bool_value(value);

		if (b < 0) {
			warnx("%s: unknown boolean value \"%s\"", name, value);
			return -1;
		}
		clear_values(p);
		add_value(p, (b ^ neg) ? "true" : "false");
		p->flags |= PF_BOOL;
		return 0;
	}
	if (!islist || !(flags & PF_APPEND))
		clear_values(p);
	if (value != NULL)
		add_value(p, value);
	return 0;
}

const char *
cf_string(const struct cfparam *p)
{
	if (p == NULL || p->nval == 0)
		return NULL;
	return p->val[p->nval - 1];
}

int
cf_bool(const struct cfparam *p)
{
	if (p == NULL)
		return 0;
	return p->nval == 0 || strcmp(p->val[p->nval - 1], "false") != 0;
}

int
cf_int(const struct cfjail *j, const struct cfparam *p, int *v)
{
	const char *s = cf_string(p);
	char *end;
	long n;

	if (p == NULL)
		return 0;
	if (s == NULL) {
		jail_warnx(j, "%s: no value", p->name);
		return -1;
	}
	errno = 0;
	n = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || n < 0 || n > INT_MAX) {
		jail_warnx(j, "%s: non-integer value \"%s\"", p->name, s);
		return -1;
	}
	*v = (int)n;
	return 1;
}

int
wild_name(const char *name)
{
	return strchr(name, '*') != NULL;
}

/*
 * "*" matches every jail; "foo.*" matches foo.bar and foo.bar.baz (a
 * wildcard component matches one or more components), as FreeBSD's.
 */
int
wild_match(const char *wild, const char *name)
{
	return fnmatch(wild, name, 0) == 0;
}
