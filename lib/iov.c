/*
 * jail_set/jail_get iovec parsing.  See iov.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "iov.h"
#include "sys/jail.h"

int
jiov_err(struct jiov *j, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(j->msg, sizeof(j->msg), fmt, ap);
	va_end(ap);
	errno = err;
	return -1;
}

void
jiov_errmsg_out(struct jiov *j)
{
	size_t len = strlen(j->msg) + 1;
	int e = errno;

	/* No message: FreeBSD's kernel gives the buffer back as it was. */
	if (j->errbuf == NULL || j->errlen == 0 || j->msg[0] == '\0')
		return;
	if (len > j->errlen) {
		len = j->errlen;
		j->msg[len - 1] = '\0';
	}
	(void)jcopyout(j->msg, j->errbuf, len);
	errno = e;
}

int
jiov_copyout(struct iovec *v, const void *src, size_t len)
{
	return jcopyout(src, v->iov_base, len);
}

int
jiov_setlen(struct iovec *v, size_t len)
{
	return jcopyout(&len, &v->iov_len, sizeof(len));
}

int
jiov_out_flush(struct jiov_out *o)
{
	int rc = 0;

	if (o->own)
		for (unsigned i = 0; i < o->n; i++)
			memcpy(o->dst[i].iov_base, o->src[i].iov_base,
			    o->src[i].iov_len);
	else
		rc = jcopyout_v(o->src, o->dst, o->n);

	o->n = 0;
	return rc;
}

static int
out_add(struct jiov_out *o, const void *src, void *dst, size_t len)
{
	if (o->n == JIOV_OUT_MAX && jiov_out_flush(o) < 0)
		return -1;
	o->src[o->n] = (struct iovec){ (void *)src, len };
	o->dst[o->n++] = (struct iovec){ dst, len };
	return 0;
}

int
jiov_out_value(struct jiov_out *o, struct iovec *v, const void *src,
    size_t len)
{
	return len == 0 ? 0 : out_add(o, src, v->iov_base, len);
}

int
jiov_out_len(struct jiov_out *o, struct iovec *v, size_t len)
{
	if (o->n == JIOV_OUT_MAX && jiov_out_flush(o) < 0)
		return -1;
	o->len[o->n] = len;
	return out_add(o, &o->len[o->n], &v->iov_len, sizeof(size_t));
}

/* A NUL-terminated string that fills its iovec exactly, or NULL. */
static const char *
iov_string(const struct iovec *v)
{
	const char *s = v->iov_base;

	if (s == NULL || v->iov_len == 0 || s[v->iov_len - 1] != '\0')
		return NULL;
	return s;
}

static int
check_value(struct jiov *j, const struct jiov_param *p)
{
	const struct jparam_def *d = p->def;
	const struct iovec *v = p->val;
	/* As FreeBSD's vfs_buildopts: a value of no bytes has no value. */
	int isnull = v->iov_len == 0;

	switch (d->kind) {
	case JPK_BOOL:
		/*
		 * Set by its name, as FreeBSD's kernel sets a flag whatever
		 * the value (vfs_flagopt); an int is its value (0 clears).
		 */
		if (isnull || v->iov_len != sizeof(int))
			return 0;
		/* FALLTHROUGH */
	case JPK_INT:
	case JPK_JAILSYS:
		if (v->iov_base == NULL || v->iov_len != sizeof(int))
			return jiov_err(j, EINVAL, "%s: value must be an int",
			    p->name);
		return 0;
	case JPK_ULONG:
		if (v->iov_base == NULL || v->iov_len != sizeof(unsigned long))
			return jiov_err(j, EINVAL,
			    "%s: value must be an unsigned long", p->name);
		return 0;
	case JPK_STRING:
		/* meta.KEY with no value deletes KEY; meta with none empties. */
		if (isnull && d->keyvalue)
			return 0;
		if (v->iov_len > d->maxlen && strcmp(d->name, "osrelease") == 0)
			return jiov_err(j, ENAMETOOLONG,
			    "osrelease string must be 1-%u bytes long", d->maxlen - 1);
		/*
		 * Longer than the host's security.jail.meta_maxbufsize: as
		 * FreeBSD's, EFBIG with no message ("File too large").
		 */
		if (d->keyvalue && v->iov_len > jparam_maxlen(d))
			return jiov_err(j, EFBIG, "%s", "");
		if (v->iov_len > d->maxlen)
			return jiov_err(j, ENAMETOOLONG,
			    "%s: value too long (%zu bytes, at most %u)", p->name,
			    v->iov_len - 1, d->maxlen - 1);
		if (iov_string(v) == NULL)
			return jiov_err(j, EINVAL,
			    "%s: value is not a NUL-terminated string", p->name);
		return 0;
	case JPK_IN_ADDR:
	case JPK_IN6_ADDR:
		if (v->iov_len > 0 && v->iov_base == NULL)
			return jiov_err(j, EFAULT, "%s: bad address", p->name);
		if (v->iov_len % jparam_elemsize(d) != 0)
			return jiov_err(j, EINVAL, "%s: bad address list size",
			    p->name);
		if (v->iov_len / jparam_elemsize(d) > d->maxlen)
			return jiov_err(j, EINVAL, "too many %s addresses",
			    d->kind == JPK_IN_ADDR ? "IPv4" : "IPv6");
		return 0;
	}
	return jiov_err(j, EINVAL, "%s: unknown type", p->name);
}

int
jiov_parse(struct iovec *iov, unsigned niov, int setting, struct jiov *out)
{
	memset(out, 0, sizeof(*out));

	if (iov == NULL && niov > 0) {
		errno = EFAULT;
		return -1;
	}
	/* Find errmsg first, so every later error can be described. */
	for (unsigned i = 0; i + 1 < niov; i += 2) {
		const char *name = iov_string(&iov[i]);

		if (name != NULL && strcmp(name, "errmsg") == 0 &&
		    iov[i + 1].iov_base != NULL && iov[i + 1].iov_len > 0) {
			out->errbuf = iov[i + 1].iov_base;
			out->errlen = iov[i + 1].iov_len;
		}
	}
	if (niov % 2 != 0)
		return jiov_err(out, EINVAL, "odd number of iovecs");

	for (unsigned i = 0; i < niov; i += 2) {
		const char *name = iov_string(&iov[i]);
		struct jiov_param p = { .val = &iov[i + 1] };

		if (name == NULL)
			return jiov_err(out, EINVAL,
			    "parameter name is not a NUL-terminated string");
		if (strcmp(name, "errmsg") == 0)
			continue;
		if (strcmp(name, "lastjid") == 0 || strcmp(name, "desc") == 0) {
			struct iovec *v = &iov[i + 1];

			if (v->iov_base == NULL || v->iov_len != sizeof(int))
				return jiov_err(out, EINVAL,
				    "%s: value must be an int", name);
			if (name[0] == 'l') {
				if (setting)
					return jiov_err(out, EINVAL,
					    "unknown parameter: %s", name);
				out->lastjid = v;
			} else
				out->desc = v;
			continue;
		}
		p.name = name;
		p.def = jparam_lookup(name, &p.negated, &p.key);
		if (p.def == NULL || (setting && p.def->access == JPA_RO))
			return jiov_err(out, EINVAL, "unknown parameter: %s",
			    name);
		if (setting && check_value(out, &p) < 0)
			return -1;
		if (out->n >= sizeof(out->p) / sizeof(out->p[0]))
			return jiov_err(out, E2BIG, "too many parameters");
		/*
		 * Later duplicates win: replace an earlier same-named entry
		 * (the same name has the same row: compare names only then).
		 */
		unsigned k;
		for (k = 0; k < out->n; k++)
			if (out->p[k].def == p.def &&
			    strcmp(out->p[k].name, name) == 0)
				break;
		out->p[k] = p;
		if (k == out->n)
			out->n++;
	}
	return 0;
}

const struct jiov_param *
jiov_find(const struct jiov *j, const char *name)
{
	for (unsigned i = 0; i < j->n; i++)
		if (strcmp(j->p[i].name, name) == 0)
			return &j->p[i];
	return NULL;
}

int
jiov_int(const struct jiov *j, const char *name, int deflt)
{
	const struct jiov_param *p = jiov_find(j, name);
	int v;

	if (p == NULL || p->val->iov_base == NULL || p->val->iov_len != sizeof(int))
		return deflt;
	memcpy(&v, p->val->iov_base, sizeof(v));
	return v;
}

int
jiov_desc(const struct jiov *j)
{
	int fd = -1;

	if (j->desc != NULL)
		memcpy(&fd, j->desc->iov_base, sizeof(fd));
	return fd;
}

int
jiov_desc_out(struct jiov *j, int fd)
{
	if (fd >= 0 && j->desc != NULL)
		memcpy(j->desc->iov_base, &fd, sizeof(fd));
	return fd;
}
