/*
 * jail_get(2): find the jail by desc/lastjid/jid/name in the registry and
 * ask its prison for the requested parameters.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>

#include "internal.h"
#include "jaildesc.h"
#include "iov.h"
#include "attach.h"
#include "sys/jail.h"

/*
 * Find the jail selected by the key parameters; returns its jid or -1,
 * its registry record in *R and, when it was opened on the way, the
 * record's descriptor in *RECFD (else -1).
 */
static int
select_jail(struct jiov *j, int dirfd, int flags, struct jrec *rp, int *recfd)
{
	const struct jiov_param *np = jiov_find(j, "name");
	int jid = jiov_int(j, "jid", 0), dead;

	*recfd = -1;
	if (j->lastjid != NULL) {
		int last;

		memcpy(&last, j->lastjid->iov_base, sizeof(int));
		if (dirfd >= 0 && (*recfd = jreg_next(dirfd, last,
		    flags & JAIL_DYING, rp)) >= 0)
			return rp->jid;
		return jiov_err(j, ENOENT, "no jail after %d", last);
	}
	if (jid < 0)
		return jiov_err(j, EINVAL, "negative jid");
	if (jid != 0) {
		if (dirfd < 0 ||
		    (*recfd = jreg_open_read(dirfd, jid, rp, &dead)) < 0 ||
		    rp->state == JREC_CREATING)
			return jiov_err(j, ENOENT, "jail %d not found", jid);
		if (rp->state == JREC_DYING && !(flags & JAIL_DYING))
			return jiov_err(j, ENOENT, "jail %d is dying", jid);
		return jid;
	}
	if (np != NULL) {
		const char *name = np->val->iov_base;
		int n;

		/*
		 * As FreeBSD's kernel: the value is a string that ends with
		 * its NUL (libjail sends a key as one, whatever its
		 * jp_valuelen).
		 */
		if (name == NULL || np->val->iov_len == 0 ||
		    name[np->val->iov_len - 1] != '\0')
			return jiov_err(j, EINVAL, "name is not NUL-terminated");
		if (name[0] != '\0') {
			if (dirfd >= 0 && jreg_find_name(dirfd, name, rp) &&
			    rp->state != JREC_CREATING) {
				if (rp->state == JREC_DYING && !(flags & JAIL_DYING))
					return jiov_err(j, ENOENT,
					    "jail \"%s\" (%d) is dying", name, rp->jid);
				return rp->jid;
			}
			/* A jail's default name is its jid. */
			if ((n = jail_numeric_name(name)) > 0 && dirfd >= 0 &&
			    jreg_read(dirfd, n, rp) && rp->state == JREC_ALIVE)
				return n;
			return jiov_err(j, ENOENT, "jail \"%s\" not found", name);
		}
	}
	return jiov_err(j, ENOENT, "no jail specified");
}

/*
 * A request for nothing but jid and name (jail_getid, jail_getname, the
 * key of an enumeration) is answered from the registry record: no need
 * to wake the prison.
 */
static int
from_record(struct jiov *j, const struct jrec *r)
{
	for (unsigned i = 0; i < j->n; i++) {
		const char *n = j->p[i].def != NULL ? j->p[i].def->name : "";

		if (strcmp(n, "jid") != 0 && strcmp(n, "name") != 0)
			return 0;
	}
	for (unsigned i = 0; i < j->n; i++) {
		struct iovec *v = j->p[i].val;
		size_t len = strlen(r->name) + 1;

		if (strcmp(j->p[i].def->name, "jid") == 0) {
			if (v->iov_base == NULL || v->iov_len != sizeof(int))
				return jiov_err(j, EINVAL, "jid: wrong value size");
			if (jiov_copyout(v, &r->jid, sizeof(int)) < 0)
				return -1;
		} else if (v->iov_base == NULL) {
			if (jiov_setlen(v, len) < 0)
				return -1;
		} else if (v->iov_len < len) {
			if (jiov_setlen(v, len) < 0)
				return -1;
			return jiov_err(j, EINVAL, "name: buffer too small");
		} else if (jiov_copyout(v, r->name, len) < 0 ||
		    jiov_setlen(v, len) < 0)
			return -1;
	}
	return 1;
}

/*
 * Copy one returned value into the caller's iovec.  The caller's memory
 * is written as the kernel's copyout writes it: what cannot be written
 * fails the call with EFAULT, and no message.
 */
static int
copy_out(struct jiov *j, struct jiov_out *o, const struct jiov_param *p,
    const struct jmsg_item *it)
{
	struct iovec *v = p->val;
	const struct jparam_def *d = p->def;

	if (it == NULL || it->null) {
		/* meta.KEY / env.KEY that is not set: an empty value. */
		if (p->key != NULL)
			return jiov_out_len(o, v, 0);
		return jiov_err(j, EINVAL, "unknown parameter: %s", p->name);
	}
	switch (d->kind) {
	case JPK_INT:
	case JPK_BOOL:
	case JPK_JAILSYS:
	case JPK_ULONG:
		if (v->iov_base == NULL || v->iov_len != it->len)
			return jiov_err(j, EINVAL, "%s: wrong value size",
			    p->name);
		return jiov_out_value(o, v, it->value, it->len);
	default:
		if (v->iov_base == NULL)	/* the size the caller needs */
			return jiov_out_len(o, v, it->len);
		if (v->iov_len < it->len) {
			if (jiov_out_len(o, v, it->len) < 0)
				return -1;
			return jiov_err(j, EINVAL, "%s: buffer too small", p->name);
		}
		if (jiov_out_value(o, v, it->value, it->len) < 0)
			return -1;
		return jiov_out_len(o, v, it->len);
	}
}

/*
 * The live value of a name the jail's root may change, in BUF (an item
 * pointing there); NULL if this caller cannot read it (ask the prison).
 * U is read once per call: *READ 0 not yet, 1 read, -1 could not.
 */
static const struct jmsg_item *
live_uts(int recfd, const struct jrec *r, const char *name,
    struct utsname *u, int *read, struct jmsg_item *it, char *buf,
    size_t len)
{
	char other[72];

	if (*read == 0)
		*read = juts_read(recfd, r, u) == 0 ? 1 : -1;
	if (*read < 0)
		return NULL;
	if (strcmp(name, "host.hostname") == 0)
		juts_names(u, buf, len, other, sizeof(other));
	else
		juts_names(u, other, sizeof(other), buf, len);
	it->name = name;
	it->value = buf;
	it->len = (uint32_t)strlen(buf) + 1;
	it->null = 0;
	return it;
}

/*
 * The record's items by their parameter's place in the table, so that
 * each name asked for is found at once, in whatever order it is asked
 * (jls -n asks for all of them, sorted as FreeBSD's jls sorts them).
 */
static void
index_by_def(const struct jmsg *m, const struct jmsg_item **by_def)
{
	for (size_t i = 0; i < jparam_count; i++)
		by_def[i] = NULL;
	for (unsigned k = 0; k < m->n; k++) {
		const struct jparam_def *d;
		const char *key;
		int neg;

		d = jparam_lookup(m->item[k].name, &neg, &key);
		if (d != NULL && !neg && key == NULL)
			by_def[d - jparam_table] = &m->item[k];
	}
}

static int
item_int(const struct jmsg *m, const char *name)
{
	const struct jmsg_item *it = jmsg_find(m, name);
	int v = 0;

	if (it != NULL && !it->null && it->len == sizeof(int))
		memcpy(&v, it->value, sizeof(int));
	return v;
}

/*
 * Answer from the parameters the prison keeps in the jail's record (see
 * struct jrec), without waking it: 1 answered, 0 ask the prison, -1
 * failed.  The host name, which the jail's root may change, is read from
 * the jail itself; "dying" is the record's state.  What the record
 * cannot answer (meta.KEY, noX, a record of an older prison, a caller
 * that cannot read the jail's names) is the prison's.
 */
static const char *key_name(const struct jiov *j);

static int
from_params(struct jiov *j, struct jiov_out *o, int flags, int recfd,
    const struct jrec *seen, struct jmsg *m, void *buf, size_t size)
{
	static const int yes = 1, no = 0;
	const struct jmsg_item *it[sizeof(j->p) / sizeof(j->p[0])];
	const struct jmsg_item *by_def[jparam_count];
	struct jmsg_item own[3];
	char host[72], domain[72];
	struct utsname u;
	struct jrec r;
	ssize_t n;
	int uts_live, uts_read = 0;

	if (seen != NULL)
		r = *seen;
	if (recfd < 0 ||
	    (n = jreg_read_params(recfd, &r, seen != NULL, buf, size)) < 0 ||
	    jmsg_decode(buf, (size_t)n, m) < 0)
		return 0;
	index_by_def(m, by_def);
	uts_live = item_int(m, "host") == JAIL_SYS_NEW &&
	    item_int(m, "allow.set_hostname") != 0;
	for (unsigned i = 0; i < j->n; i++) {
		const char *name = j->p[i].name;

		if (j->p[i].def == NULL || j->p[i].key != NULL ||
		    j->p[i].negated)
			return 0;
		if (strcmp(name, "dying") == 0) {
			own[0] = (struct jmsg_item){ name,
			    r.state == JREC_DYING ? &yes : &no, sizeof(int), 0 };
			it[i] = &own[0];
		} else if (uts_live && strcmp(name, "host.hostname") == 0)
			it[i] = live_uts(recfd, &r, name, &u, &uts_read,
			    &own[1], host, sizeof(host));
		else if (uts_live && strcmp(name, "host.domainname") == 0)
			it[i] = live_uts(recfd, &r, name, &u, &uts_read,
			    &own[2], domain, sizeof(domain));
		else
			it[i] = by_def[j->p[i].def - jparam_table];
		if (it[i] == NULL)
			return 0;
	}
	/*
	 * Still the jail it was when chosen, at the end: its prison has not
	 * died or started to remove it while we read.
	 */
	if (!jreg_held(recfd) || r.state == JREC_CREATING ||
	    (r.state == JREC_DYING && !(flags & JAIL_DYING)))
		return jcl_lost(recfd, r.jid, key_name(j), ENOENT, j->msg,
		    sizeof(j->msg));
	for (unsigned i = 0; i < j->n; i++)
		if (copy_out(j, o, &j->p[i], it[i]) < 0) {
			(void)jiov_out_flush(o);
			return -1;
		}
	return jiov_out_flush(o) < 0 ? -1 : 1;
}

/*
 * The name the caller selected the jail by, for messages; NULL when it
 * was a jid or lastjid.
 */
static const char *
key_name(const struct jiov *j)
{
	const struct jiov_param *np = jiov_find(j, "name");

	if (j->lastjid != NULL || jiov_int(j, "jid", 0) != 0 || np == NULL ||
	    np->val->iov_base == NULL || np->val->iov_len == 0)
		return NULL;
	return np->val->iov_base;
}

JAIL_EXPORT int
jail_get(struct iovec *iov, unsigned int niov, int flags)
{
	return jail_get_into(iov, niov, flags, 0);
}

int
jail_get_into(struct iovec *iov, unsigned int niov, int flags, int own)
{
	struct work {
		struct jiov	j;
		struct jmsg	reply;
		struct jiov_out	out;
		unsigned char	req[JPROTO_MAXMSG];
		unsigned char	rbuf[JPROTO_MAXMSG];
	} *w;
	struct jmsg_buf b;
	struct jrec rec;
	const struct jrec *seen;
	pid_t prison = 0;
	int dirfd = -1, sock = -1, recfd = -1, jid = -1, st, ret = -1, here;

	if ((w = malloc(sizeof(*w))) == NULL)
		return -1;
	w->out.n = 0;
	w->out.own = own;
	if (jiov_parse(iov, niov, 0, &w->j) < 0)
		goto out;
	if (jail_check_flags(&w->j, flags, JAIL_GET_MASK) < 0)
		goto out;
	dirfd = jreg_open(0);
	if (flags & JAIL_USE_DESC) {
		if ((jid = jdesc_jid(jiov_desc(&w->j), &prison)) < 0)
			goto out;
		recfd = jreg_open_record(dirfd, jid);
		if ((sock = jdesc_channel(jiov_desc(&w->j))) < 0) {
			jiov_err(&w->j, errno, "descriptor to dead jail");
			goto out;
		}
	} else {
		/*
		 * A jail sees only its children, and so does a descriptor's
		 * jail (JAIL_AT_DESC): none have any yet.
		 */
		if (jail_caller_jailed() || (flags & JAIL_AT_DESC)) {
			close(dirfd);
			dirfd = -1;
		}
		if ((jid = select_jail(&w->j, dirfd, flags, &rec, &recfd)) < 0)
			goto out;
		if (!(flags & (JAIL_GET_DESC | JAIL_OWN_DESC)) &&
		    (st = from_record(&w->j, &rec)) != 0) {
			if (st > 0)
				ret = jid;
			goto out;
		}
		/* Opened first: if the prison goes, its record says how. */
		seen = recfd >= 0 ? &rec : NULL;
		if (recfd < 0)
			recfd = jreg_open_record(dirfd, jid);
		if (!(flags & (JAIL_GET_DESC | JAIL_OWN_DESC)) &&
		    (st = from_params(&w->j, &w->out, flags, recfd, seen,
		    &w->reply, w->rbuf, sizeof(w->rbuf))) != 0) {
			if (st > 0)
				ret = jid;
			goto out;
		}
		if ((sock = jcl_connect(jid)) < 0) {
			if (errno == ENOENT)
				jcl_lost(recfd, jid, key_name(&w->j), ENOENT,
				    w->j.msg, sizeof(w->j.msg));
			else
				jiov_err(&w->j, ENOENT, "jail %d not found",
				    jid);
			goto out;
		}
		prison = jcl_peer_pid(sock);
	}
	/*
	 * A plain descriptor is this very connection, marked by the GET: one
	 * round trip.  An owning one comes last, on a connection of its own
	 * (jdesc_open), once nothing can fail: closing it ends the jail.
	 */
	here = !(flags & (JAIL_USE_DESC | JAIL_OWN_DESC)) &&
	    (flags & JAIL_GET_DESC);
	jmsg_start(&b, w->req, sizeof(w->req), JM_GET,
	    (flags & JAIL_DYING) | (here ? JAIL_GET_DESC : 0), 0);
	for (unsigned i = 0; i < w->j.n; i++)
		jmsg_add(&b, w->j.p[i].name, NULL, 0, 1);
	if (jmsg_finish(&b) < 0) {
		jiov_err(&w->j, errno, "request too large");
		goto out;
	}
	st = jcl_call(sock, w->req, (size_t)b.len, w->rbuf, sizeof(w->rbuf),
	    &w->reply, NULL, NULL);
	if (st < 0) {
		if (errno == ENOENT)
			jcl_lost(recfd, jid, key_name(&w->j), ENOENT, w->j.msg,
			    sizeof(w->j.msg));
		else
			jiov_err(&w->j, errno, "prison: %s", strerror(errno));
		goto out;
	}
	if (st != 0) {
		jcl_errmsg(&w->reply, st, w->j.msg, sizeof(w->j.msg));
		errno = st;
		goto out;
	}
	for (unsigned i = 0; i < w->j.n; i++)
		if (copy_out(&w->j, &w->out, &w->j.p[i],
		    jmsg_find(&w->reply, w->j.p[i].name)) < 0) {
			(void)jiov_out_flush(&w->out);
			goto out;
		}
	if (jiov_out_flush(&w->out) < 0)
		goto out;
	if (here) {
		int d = jdesc_keep(sock, flags);

		sock = -1;	/* the caller's descriptor now, or closed */
		if (jiov_desc_out(&w->j, d) < 0)
			goto out;
	} else if ((flags & (JAIL_GET_DESC | JAIL_OWN_DESC)) &&
	    jiov_desc_out(&w->j, jdesc_open(jid, prison, flags, w->j.msg,
	    sizeof(w->j.msg))) < 0)
		goto out;
	ret = jid;
out:
	{
		int e = errno;

		if (ret < 0)
			jiov_errmsg_out(&w->j);
		if (sock >= 0)
			close(sock);
		if (recfd >= 0)
			close(recfd);
		if (dirfd >= 0)
			close(dirfd);
		free(w);
		errno = e;
	}
	return ret;
}
