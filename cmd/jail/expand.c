/*
 * One jail of jail.conf(5) resolved, as FreeBSD's jail(8) resolves it:
 * its name (or, for a numeric block name, its jid) first; then every
 * statement that applies to it in the order written, each replacing the
 * parameter's values ("=", or a bare name) or adding to them ("+=");
 * then its variables expanded, each "$x" being the final value of the
 * jail's parameter or $variable x, itself expanded first.  What comes out
 * is set on the struct cfjail with cfjail_set; $variables are not.
 */
#include <err.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "confparse.h"

#define	RF_IMMUTABLE	0x100	/* name and jid: set once */


enum rstate { RS_TODO, RS_BUSY, RS_DONE, RS_BAD };

/* A value as written, and where. */
struct rval {
	const struct cfstring	*s;
	struct cfwhere		 where;
};

/* A parameter or $variable of the jail being resolved. */
struct rparam {
	char		*name;		/* as last written */
	unsigned	 flags;		/* PF_VAR, RF_IMMUTABLE */
	struct rval	*vals;
	int		 nvals;
	struct cfwhere	 where;		/* its last statement */
	enum rstate	 state;
	char	       **out;		/* the values expanded */
	int		 nout;
};

struct rjail {
	struct cfjail	*j;
	struct rparam	*p;
	int		 np;
	struct cfstring	 self;		/* the block name, as a value */
	int		 depth;		/* of the expansion under way */
	size_t		 bytes;		/* expanded so far */
	int		 failed;
};

/*
 * Do A and B name the same parameter, one perhaps in its "no" form
 * ("persist" and "nopersist", "allow.mount" and "allow.nomount")?  As
 * FreeBSD's, so that a later "nopersist;" replaces "persist;".
 */
static int
same_param(const char *a, const char *b)
{
	size_t off = 0;

	for (;;) {
		const char *dot;

		if (strcmp(a + off, b + off) == 0)
			return 1;
		if (strncmp(a + off, "no", 2) == 0 &&
		    strcmp(a + off + 2, b + off) == 0)
			return 1;
		if (strncmp(b + off, "no", 2) == 0 &&
		    strcmp(a + off, b + off + 2) == 0)
			return 1;
		if ((dot = strchr(a + off, '.')) == NULL ||
		    strncmp(a + off, b + off, (size_t)(dot - a - off) + 1) != 0)
			return 0;
		off = (size_t)(dot - a) + 1;
	}
}

/*
 * The parameters FreeBSD's jail(8) knows by name: a $variable may not be
 * called as one of them.
 */
static int
known_param(const char *name)
{
	static const char *const kernel[] = {
		"allow.chflags", "allow.mount", "allow.raw_sockets",
		"allow.set_hostname", "allow.socket_af", "allow.sysvipc",
		"devfs_ruleset", "host.hostname", "ip4.addr", "ip6.addr",
		"jid", "name", "path", "persist", "securelevel", "vnet",
	};

	for (size_t i = 0; i < sizeof(kernel) / sizeof(kernel[0]); i++)
		if (same_param(name, kernel[i]))
			return 1;
	for (int i = 0; i < IP_NPARAM; i++)
		if (same_param(name, intparams[i].name))
			return 1;
	return 0;
}

/* An error about the jail, at W: the jail is not made. */
static void __attribute__((format(printf, 3, 4)))
fail(struct rjail *rj, const struct cfwhere *w, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = evformat(fmt, ap);
	va_end(ap);
	conf_error(w->file, w->line, "%s: %s", rj->j->name, msg);
	free(msg);
	rj->failed = 1;
}

/* ---- Merging the statements ---- */

static struct rparam *
find_same(struct rjail *rj, const char *name)
{
	for (int i = 0; i < rj->np; i++)
		if (same_param(rj->p[i].name, name))
			return &rj->p[i];
	return NULL;
}

static struct rparam *
add_param(struct rjail *rj, const char *name, unsigned flags,
    const struct cfwhere *where)
{
	struct rparam *p;

	rj->p = array_grow(rj->p, (size_t)rj->np, sizeof(*rj->p));
	p = &rj->p[rj->np++];
	memset(p, 0, sizeof(*p));
	p->name = estrdup(name);
	p->flags = flags;
	p->where = *where;
	return p;
}

static void
add_value(struct rparam *p, const struct cfstring *s,
    const struct cfwhere *where)
{
	p->vals = array_grow(p->vals, (size_t)p->nvals, sizeof(*p->vals));
	p->vals[p->nvals].s = s;
	p->vals[p->nvals].where = *where;
	p->nvals++;
}

/* The parameter NAME or JID the block name stands for, set once. */
static void
add_self(struct rjail *rj, const char *name, const struct cfwhere *where)
{
	struct rparam *p = add_param(rj, name, RF_IMMUTABLE, where);

	add_value(p, &rj->self, where);
}

/* A new parameter's flags: name and jid, once set, are set for good. */
static unsigned
new_flags(const struct cfstmt *st)
{
	if (st->flags & PF_VAR)
		return PF_VAR;
	return same_param(st->name, "name") || same_param(st->name, "jid") ?
	    RF_IMMUTABLE : 0;
}

/* Statement ST applied to the jail: its values replace or add to others. */
static void
merge(struct rjail *rj, const struct cfstmt *st)
{
	struct rparam *p = find_same(rj, st->name);

	if (p != NULL ? ((st->flags ^ p->flags) & PF_VAR) != 0 :
	    (st->flags & PF_VAR) && known_param(st->name)) {
		fail(rj, &st->where, "variable \"$%s\" cannot have the same "
		    "name as a parameter.", st->name);
		return;
	}
	if (p != NULL && (p->flags & RF_IMMUTABLE)) {
		fail(rj, &st->where, "cannot redefine parameter \"%s\".",
		    p->name);
		return;
	}
	if (p == NULL)
		p = add_param(rj, st->name, new_flags(st), &st->where);
	else if (strcmp(p->name, st->name) != 0) {
		free(p->name);
		p->name = estrdup(st->name);
	}
	if (!(st->flags & PF_APPEND) || st->nvals == 0)
		p->nvals = 0;
	for (int i = 0; i < st->nvals; i++)
		add_value(p, &st->vals[i], &st->where);
	p->where = st->where;
}

/* ---- Expanding the variables ---- */

static struct rparam *
find_exact(struct rjail *rj, const char *name)
{
	for (int i = 0; i < rj->np; i++)
		if (strcmp(rj->p[i].name, name) == 0)
			return &rj->p[i];
	return NULL;
}

/* A growing string, its room doubled as needed. */
struct buf {
	char	*s;
	size_t	 len;
	size_t	 cap;
};

static void
buf_add(struct buf *b, const char *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		while (b->len + n + 1 > b->cap)
			b->cap = b->cap != 0 ? 2 * b->cap : 64;
		b->s = ereallocarray(b->s, b->cap, 1);
	}
	memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
}

/*
 * Add expanded value V (taken) to P: -1 past the limits, which only
 * references within references can reach.
 */
static int
add_out(struct rjail *rj, struct rparam *p, char *v, const struct rval *rv)
{
	size_t len = strlen(v);

	if (p->nout >= CONF_NVAL_MAX || rj->bytes + len > CONF_JAIL_BYTES) {
		fail(rj, &rv->where, "%s: %s", p->name,
		    p->nout >= CONF_NVAL_MAX ? "too many values" :
		    "variables expand beyond the limit");
		free(v);
		return -1;
	}
	rj->bytes += len;
	p->out = array_grow(p->out, (size_t)p->nout, sizeof(*p->out));
	p->out[p->nout++] = v;
	return 0;
}

static int	expand_param(struct rjail *rj, struct rparam *p);

/*
 * The parameter a reference of P names, expanded: NULL (with the message)
 * if there is none, or none with a value, or it refers back to P.
 */
static struct rparam *
referenced(struct rjail *rj, struct rparam *p, const struct rval *rv,
    const char *name)
{
	struct rparam *vp = find_exact(rj, name);

	if (vp == NULL || vp->nvals == 0) {
		fail(rj, &rv->where, "%s: variable \"%s\" not found", p->name,
		    name);
		return NULL;
	}
	if (vp->state == RS_BUSY) {
		fail(rj, &rv->where, "%s: variable loop", name);
		return NULL;
	}
	return expand_param(rj, vp) < 0 ? NULL : vp;
}

/*
 * Value RV of P, its references replaced, added to P's values.  A
 * reference to a list makes as many values, when it is all the value is.
 */
static int
expand_value(struct rjail *rj, struct rparam *p, const struct rval *rv)
{
	const struct cfstring *s = rv->s;
	struct buf b = { NULL, 0, 0 };
	size_t last = 0;

	buf_add(&b, "", 0);
	for (int i = 0; i < s->nrefs; i++) {
		const struct cfvarref *r = &s->refs[i];
		struct rparam *vp;

		buf_add(&b, s->s + last, r->pos - last);
		last = r->pos;
		if ((vp = referenced(rj, p, rv, r->name)) == NULL)
			goto bad;
		if (vp->nout > 1) {
			if (b.len + (s->len - last) != 0 || i + 1 < s->nrefs) {
				fail(rj, &rv->where, "%s: array cannot be "
				    "substituted inline", p->name);
				goto bad;
			}
			free(b.s);
			for (int k = 0; k < vp->nout; k++)
				if (add_out(rj, p, estrdup(vp->out[k]), rv) < 0)
					return -1;
			return 0;
		}
		if (b.len + strlen(vp->out[0]) > CONF_VALUE_MAX) {
			fail(rj, &rv->where, "%s: %s", p->name,
			    "variables expand beyond the limit");
			goto bad;
		}
		buf_add(&b, vp->out[0], strlen(vp->out[0]));
	}
	buf_add(&b, s->s + last, s->len - last);
	return add_out(rj, p, b.s, rv);
bad:
	free(b.s);
	return -1;
}

static int
expand_param(struct rjail *rj, struct rparam *p)
{
	if (p->state == RS_DONE)
		return 0;
	if (p->state != RS_TODO)
		return -1;
	if (rj->depth >= CONF_EXPAND_DEPTH) {
		fail(rj, &p->where, "%s: %s", p->name,
		    "variables nested too deeply");
		return -1;
	}
	rj->depth++;
	p->state = RS_BUSY;
	for (int i = 0; i < p->nvals; i++)
		if (expand_value(rj, p, &p->vals[i]) < 0) {
			p->state = RS_BAD;
			break;
		}
	rj->depth--;
	if (p->state == RS_BAD)
		return -1;
	p->state = RS_DONE;
	return 0;
}

/* ---- Setting the jail's parameters ---- */

/*
 * The cfparam cfjail_set made of NAME: under NAME, or under its positive
 * name for a boolean given in its "no" form.
 */
static struct cfparam *
set_param(struct cfjail *j, const char *name)
{
	const char *dot = strrchr(name, '.');
	size_t head = dot != NULL ? (size_t)(dot - name + 1) : 0;
	struct cfparam *cp;
	char *pos;
	int neg, ip;

	if ((cp = cfjail_find(j, name)) != NULL)
		return cp;
	if ((ip = intparam_find(name, &neg)) >= 0)
		return j->ip[ip];
	if (strncmp(name + head, "no", 2) != 0)
		return NULL;
	if (asprintf(&pos, "%.*s%s", (int)head, name, name + head + 2) < 0)
		err(1, "asprintf");
	cp = cfjail_find(j, pos);
	free(pos);
	return cp;
}

static void
set_jail(struct rjail *rj)
{
	for (int i = 0; i < rj->np; i++) {
		struct rparam *p = &rj->p[i];
		struct cfparam *cp;
		int rc = 0;

		if (p->flags & PF_VAR)
			continue;
		if (p->nout == 0)
			rc = cfjail_set(rj->j, p->name, NULL, 0);
		for (int k = 0; k < p->nout && rc == 0; k++)
			rc = cfjail_set(rj->j, p->name, p->out[k],
			    k > 0 ? PF_APPEND : 0);
		if (rc < 0)
			rj->failed = 1;
		else if ((cp = set_param(rj->j, p->name)) != NULL)
			cp->where = p->where;
	}
}

static void
free_rjail(struct rjail *rj)
{
	for (int i = 0; i < rj->np; i++) {
		for (int k = 0; k < rj->p[i].nout; k++)
			free(rj->p[i].out[k]);
		free(rj->p[i].out);
		free(rj->p[i].vals);
		free(rj->p[i].name);
	}
	free(rj->p);
}

/* A block name that is a number other than 0 is the jail's jid. */
static int
numeric(const char *name)
{
	char *end;

	return strtol(name, &end, 10) != 0 && *end == '\0';
}

int
resolve_jail(struct cfjail *j, const struct cfblock *b,
    struct cfstmt *const *st, int n)
{
	struct rjail rj;

	memset(&rj, 0, sizeof(rj));
	rj.j = j;
	rj.self.s = b->name;
	rj.self.len = strlen(b->name);
	add_self(&rj, numeric(b->name) ? "jid" : "name", &b->where);
	for (int i = 0; i < n; i++)
		merge(&rj, st[i]);
	if (find_same(&rj, "name") == NULL)
		add_self(&rj, "name", &b->where);
	for (int i = 0; i < rj.np; i++)
		(void)expand_param(&rj, &rj.p[i]);
	if (!rj.failed)
		set_jail(&rj);
	free_rjail(&rj);
	return rj.failed ? -1 : 0;
}
