/*
 * jail_set(2): validate the request here, find the jail in the registry,
 * and hand the parameters to its prison (UPDATE) or to a new prison
 * (CREATE).  The prison validates everything again: it trusts no client.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "internal.h"
#include "jaildesc.h"
#include "run.h"
#include "iov.h"
#include "attach.h"
#include "sys/jail.h"

#define	DESC_FLAGS	(JAIL_USE_DESC | JAIL_AT_DESC | JAIL_GET_DESC | JAIL_OWN_DESC)

/* A canonical decimal jid ("0" excluded), else 0. */
int
jail_numeric_name(const char *s)
{
	long v;
	char *end;

	if (*s < '1' || *s > '9')
		return 0;
	errno = 0;
	v = strtol(s, &end, 10);
	if (*end != '\0' || errno != 0 || v > JAIL_MAX)
		return -1;
	return (int)v;
}

/* Check the flags and desc rules common to jail_set and jail_get. */
int
jail_check_flags(struct jiov *j, int flags, int mask)
{
	/* Ours: a new descriptor that is close-on-exec (jaildesc.h). */
	if ((flags & JAIL_DESC_CLOEXEC) &&
	    (flags & (JAIL_GET_DESC | JAIL_OWN_DESC)))
		flags &= ~JAIL_DESC_CLOEXEC;
	if ((flags & ~mask) != 0) {
		errno = EINVAL;
		return -1;
	}
	if ((flags & JAIL_USE_DESC) && (flags & JAIL_AT_DESC)) {
		errno = EINVAL;
		return -1;
	}
	/* An owning descriptor removes the jail: jail_remove's privilege. */
	if ((flags & JAIL_OWN_DESC) && (geteuid() != 0 || jail_caller_jailed()))
		return jiov_err(j, EPERM, "an owning descriptor needs the "
		    "privilege to remove the jail");
	if ((flags & DESC_FLAGS) && j->desc == NULL)
		return jiov_err(j, ENOENT, "missing desc");
	if (!(flags & DESC_FLAGS) && j->desc != NULL)
		return jiov_err(j, EINVAL, "unexpected desc");
	if ((flags & (JAIL_USE_DESC | JAIL_AT_DESC)) &&
	    jdesc_jid(jiov_desc(j), NULL) < 0)
		return jiov_err(j, errno, errno == EBADF ? "bad descriptor" :
		    "not a jail descriptor");
	/*
	 * JAIL_AT_DESC sends the prison nothing (the jail has no children
	 * to look among), so ask it whether this is one of its descriptors:
	 * a plain connection to its socket is not.  JAIL_USE_DESC learns it
	 * from the request itself.
	 */
	if ((flags & JAIL_AT_DESC) &&
	    jaildesc_limit(jiov_desc(j), JAILDESC_ALL) < 0)
		return jiov_err(j, errno, errno == ENOENT ?
		    "descriptor to dead jail" : "not a jail descriptor");
	return 0;
}

struct target {
	int	 found;		/* an existing jail was selected */
	int	 jid;		/* its jid, or the jid to create (0 = any) */
};

/* FreeBSD's lookup rules: by jid, else by name, else none. */
static int
find_target(struct jiov *j, int dirfd, int flags, struct target *t)
{
	const struct jiov_param *np = jiov_find(j, "name");
	const char *name = np != NULL ? np->val->iov_base : NULL;
	int jid = jiov_int(j, "jid", 0);
	struct jrec r;

	memset(t, 0, sizeof(*t));
	if (jid < 0)
		return jiov_err(j, EINVAL, "negative jid");
	if (jid > JAIL_MAX)
		return jiov_err(j, EINVAL, "jid %d out of range", jid);
	if (name != NULL && name[0] == '\0')
		name = NULL;

	if (name != NULL && strchr(name, '.') != NULL) {
		/* a.b names a child of jail a; child jails are not here yet. */
		char parent[JAIL_NAME_MAX];
		size_t plen = (size_t)(strrchr(name, '.') - name);

		snprintf(parent, sizeof(parent), "%.*s", (int)plen, name);
		if (dirfd >= 0 && jreg_find_name(dirfd, parent, &r) &&
		    r.state == JREC_ALIVE)
			return jiov_err(j, EPERM, "prison limit exceeded");
		return jiov_err(j, ENOENT, "jail \"%s\" not found", parent);
	}

	if (jid == 0 && name != NULL && (flags & JAIL_UPDATE) == 0) {
		int n = jail_numeric_name(name);

		if (n > 0)
			jid = n;
	}

	if (jid != 0) {
		if (dirfd >= 0 && jreg_read(dirfd, jid, &r)) {
			if (r.state == JREC_DYING)
				return jiov_err(j, ENOENT, "jail %d is dying", jid);
			if (!(flags & JAIL_UPDATE))
				return jiov_err(j, EEXIST, "jail %d already exists",
				    jid);
			t->found = 1;
		} else if (!(flags & JAIL_CREATE))
			return jiov_err(j, ENOENT, "jail %d not found", jid);
		t->jid = jid;
		return 0;
	}
	if (name != NULL) {
		if (dirfd >= 0 && jreg_find_name(dirfd, name, &r) &&
		    (r.state != JREC_DYING || !(flags & JAIL_CREATE))) {
			/* A dying jail does not hold its name for a new one. */
			if (r.state == JREC_DYING)
				return jiov_err(j, ENOENT, "jail \"%s\" is dying",
				    name);
			if (!(flags & JAIL_UPDATE))
				return jiov_err(j, EEXIST,
				    "jail \"%s\" already exists", name);
			t->found = 1;
			t->jid = r.jid;
		} else if (!(flags & JAIL_CREATE))
			return jiov_err(j, ENOENT, "jail \"%s\" not found", name);
		return 0;
	}
	if (!(flags & JAIL_CREATE))
		return jiov_err(j, ENOENT, "update specified no jail");
	return 0;
}

/*
 * JAIL_USE_DESC: the jail is the descriptor's.  It exists, so CREATE
 * alone is EEXIST; a jid other than its own is EINVAL.
 */
static int
desc_target(struct jiov *j, int flags, struct target *t, pid_t *prison)
{
	int jid = jiov_int(j, "jid", 0);

	memset(t, 0, sizeof(*t));
	if ((t->jid = jdesc_jid(jiov_desc(j), prison)) < 0)
		return jiov_err(j, errno, "not a jail descriptor");
	if (!(flags & JAIL_UPDATE))
		return jiov_err(j, EEXIST, "jail %d already exists", t->jid);
	if (jid != 0 && jid != t->jid)
		return jiov_err(j, EINVAL, "cannot change jid");
	t->found = 1;
	return 0;
}

/*
 * The jail to update went away under us: say how, naming it as the caller
 * did (by name when no jid was given).
 */
static void
lost(struct jiov *j, int recfd, int jid)
{
	const struct jiov_param *np = jiov_find(j, "name");
	const char *name = NULL;

	if (jiov_int(j, "jid", 0) == 0 && np != NULL &&
	    ((const char *)np->val->iov_base)[0] != '\0')
		name = np->val->iov_base;
	jcl_lost(recfd, jid, name, ENOENT, j->msg, sizeof(j->msg));
}

/* Resolve path as the kernel would: from our cwd and root, symlinks followed. */
static int
resolve_path(struct jiov *j, char *out)
{
	const struct jiov_param *p = jiov_find(j, "path");
	struct stat sb;

	if (p == NULL)
		return 0;
	if (realpath(p->val->iov_base, out) == NULL)
		return -1;	/* errno from the lookup, as namei's */
	if (stat(out, &sb) < 0)
		return -1;
	if (!S_ISDIR(sb.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	return 1;
}

static int
encode(struct jiov *j, struct jmsg_buf *b, const char *path, int jid)
{
	int have_jid = 0;

	for (unsigned i = 0; i < j->n; i++) {
		const struct jiov_param *p = &j->p[i];
		const struct iovec *v = p->val;

		if (strcmp(p->name, "path") == 0 && path != NULL) {
			jmsg_add_str(b, "path", path);
			continue;
		}
		if (strcmp(p->name, "jid") == 0)
			have_jid = 1;
		/*
		 * No bytes is no value, as FreeBSD's vfs_buildopts has it; a
		 * boolean's value other than an int is not looked at.
		 */
		if (p->def != NULL && p->def->kind == JPK_BOOL &&
		    v->iov_len != sizeof(int))
			jmsg_add(b, p->name, NULL, 0, 1);
		else
			jmsg_add(b, p->name, v->iov_base, v->iov_len,
			    v->iov_len == 0);
	}
	if (!have_jid && jid != 0)
		jmsg_add_int(b, "jid", jid);
	if (jmsg_finish(b) < 0)
		return jiov_err(j, errno, "request too large");
	return 0;
}

JAIL_EXPORT int
jail_set(struct iovec *iov, unsigned int niov, int flags)
{
	return jail__set_held(iov, niov, flags, NULL);
}

int
jail__set_held(struct iovec *iov, unsigned int niov, int flags, int *hold)
{
	struct work {
		struct jiov	j;
		struct jmsg	reply;
		unsigned char	req[JPROTO_MAXMSG];
		unsigned char	rbuf[JPROTO_MAXMSG];
		char		path[PATH_MAX];
	} *w;
	struct jiov *j;
	struct jmsg_buf b;
	struct jmsg *reply;
	unsigned char *req, *rbuf;
	char *path;
	struct target t;
	const struct jmsg_item *ji;
	int dirfd = -1, sock = -1, recfd = -1, st, jid = -1, haspath, tries = 0;
	pid_t prison = 0;
	int newdesc = -1;

	if ((w = malloc(sizeof(*w))) == NULL)
		return -1;
	j = &w->j;
	reply = &w->reply;
	req = w->req;
	rbuf = w->rbuf;
	path = w->path;
	if (jiov_parse(iov, niov, 1, j) < 0)
		goto out;
	if (jail_check_flags(j, flags, JAIL_SET_MASK) < 0)
		goto out;
	if ((flags & (JAIL_CREATE | JAIL_UPDATE)) == 0) {
		jiov_err(j, EINVAL, "no valid operation (create or update)");
		goto out;
	}
	/* Through a descriptor, its creator's privilege counts (jaildesc(4)). */
	if (!(flags & JAIL_USE_DESC) && (geteuid() != 0 ||
	    jail_caller_jailed())) {
		errno = EPERM;
		goto out;
	}
	if ((haspath = resolve_path(j, path)) < 0)
		goto out;

again:
	dirfd = jreg_open(flags & JAIL_CREATE);
	if (dirfd < 0 && !(flags & JAIL_CREATE) && errno == ENOENT)
		dirfd = -1;
	else if (dirfd < 0) {
		jiov_err(j, errno, "jail registry %s: %s", jreg_path(),
		    strerror(errno));
		goto out;
	}
	if (flags & JAIL_USE_DESC) {
		if (desc_target(j, flags, &t, &prison) < 0)
			goto out;
	} else if ((flags & JAIL_AT_DESC) && (flags & JAIL_CREATE)) {
		/* Under a jail, which may have no children: children.max 0. */
		jiov_err(j, EPERM, "prison limit exceeded");
		goto out;
	} else if (find_target(j, (flags & JAIL_AT_DESC) ? -1 : dirfd, flags,
	    &t) < 0)
		goto out;

	jmsg_start(&b, req, sizeof(w->req), t.found ? JM_UPDATE : JM_CREATE,
	    (flags & ~(DESC_FLAGS | JAIL_DESC_CLOEXEC)) |
	    (hold != NULL && !t.found ? JM_F_HOLD : 0) |
	    (!t.found && (flags & JAIL_OWN_DESC) ? JM_F_OWN : 0), 0);
	if (encode(j, &b, haspath ? path : NULL, t.found ? 0 : t.jid) < 0)
		goto out;
	if (flags & JAIL_USE_DESC) {
		recfd = jreg_open_record(dirfd, t.jid);
		if ((sock = jdesc_channel(jiov_desc(j))) < 0) {
			jiov_err(j, errno, "descriptor to dead jail");
			goto out;
		}
	} else if (t.found) {
		/* Opened first: if the prison goes, its record says how. */
		recfd = jreg_open_record(dirfd, t.jid);
		sock = jcl_connect(t.jid);
		prison = sock >= 0 ? jcl_peer_pid(sock) : 0;
		if (sock < 0) {
			if (errno == ENOENT)
				lost(j, recfd, t.jid);
			else
				jiov_err(j, ENOENT, "jail %d not found", t.jid);
			goto out;
		}
	} else if ((sock = jcl_spawn_prison()) < 0) {
		jiov_err(j, errno, "cannot start the prison: %s",
		    strerror(errno));
		goto out;
	}
	st = jcl_call(sock, req, (size_t)b.len, rbuf, sizeof(w->rbuf), reply,
	    NULL, NULL);
	if (st < 0) {
		if (errno != ENOENT)
			jiov_err(j, errno, "prison: %s", strerror(errno));
		else if (t.found)
			lost(j, recfd, t.jid);
		else	/* Not FreeBSD's: its kernel does not die. */
			jiov_err(j, EAGAIN, "the new jail's prison died");
		goto out;
	}
	if (st != 0) {
		/* Lost a race for a name or jid: create-or-update updates. */
		if (st == EEXIST && !t.found && (flags & JAIL_UPDATE) &&
		    tries++ == 0) {
			close(sock);
			close(dirfd);
			sock = dirfd = -1;
			goto again;
		}
		jcl_errmsg(reply, st, j->msg, sizeof(j->msg));
		errno = st;
		goto out;
	}
	ji = jmsg_find(reply, "jid");
	if (ji == NULL || ji->len != sizeof(int)) {
		jiov_err(j, EBADMSG, "prison: bad reply");
		goto out;
	}
	memcpy(&jid, ji->value, sizeof(jid));
	if (!t.found && (ji = jmsg_find(reply, "pid")) != NULL &&
	    ji->len == sizeof(int))
		memcpy(&prison, ji->value, sizeof(int));
	if (hold != NULL && !t.found) {
		*hold = sock;	/* the caller's now: closing it ends the hold */
		sock = -1;
	}
	/* Before attaching: from inside the jail its prison is out of reach. */
	if ((flags & (JAIL_GET_DESC | JAIL_OWN_DESC)) &&
	    (newdesc = jdesc_open(jid, prison, flags, j->msg,
	    sizeof(j->msg))) < 0) {
		jid = -1;
		goto out;
	}
	if (flags & JAIL_ATTACH) {
		if (jail_attach_sock(sock, jid, j->msg, sizeof(j->msg)) < 0) {
			if (j->msg[0] == '\0')
				snprintf(j->msg, sizeof(j->msg), "attach failed");
			jid = -1;
		}
	}
	if (jid >= 0 && newdesc >= 0) {
		jiov_desc_out(j, newdesc);
		newdesc = -1;
	}
out:
	{
		int e = errno;

		if (jid < 0)
			jiov_errmsg_out(j);
		if (sock >= 0)
			close(sock);
		if (newdesc >= 0)	/* not handed out: an owning one ends the jail */
			close(newdesc);
		if (recfd >= 0)
			close(recfd);
		if (dirfd >= 0)
			close(dirfd);
		free(w);
		errno = e;
	}
	return jid;
}
