/*
 * Jail descriptors, the library's side (DESIGN.md §3, jaildesc(4)).
 *
 * A jail descriptor is a connection to the jail's prison that the prison
 * has marked so: it speaks with the credential of the process that made
 * it (the prison took it when it accepted the connection), whoever holds
 * it now.  Because it is an ordinary socket, dup, fork and SCM_RIGHTS
 * share it, and its last close is the prison's EOF.  Because it is a
 * connection to one prison, it names one jail for ever: once that jail is
 * gone the socket is dead, even if a new jail takes the name and jid.
 *
 * Processes that share a descriptor must not read each other's replies,
 * so nothing but event notices is ever read from it: each request goes
 * over a channel, a socket pair whose one end is sent through the
 * descriptor and becomes, in the prison, a private connection with the
 * descriptor's credential and rights.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "jail.h"
#include "internal.h"
#include "attach.h"
#include "jaildesc.h"
#include "sys/jail.h"

/*
 * The jid of descriptor FD, and its prison's pid in *PRISON when not
 * NULL: EBADF if FD is not open, EINVAL if it is not a jail descriptor
 * (a connection to a prison's socket in our registry).
 */
int
jdesc_jid(int fd, pid_t *prison)
{
	struct sockaddr_un sun;
	socklen_t len = sizeof(sun);
	struct ucred cred;
	socklen_t cl = sizeof(cred);
	char want[sizeof(sun.sun_path)], *end;
	int type = 0, domain = 0;
	socklen_t il = sizeof(int);
	const char *reg = jreg_path(), *base;
	long jid;

	if (fcntl(fd, F_GETFD) < 0)
		return -1;
	memset(&sun, 0, sizeof(sun));
	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &il) < 0 ||
	    getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &il) < 0 ||
	    domain != AF_UNIX || type != SOCK_SEQPACKET ||
	    getpeername(fd, (struct sockaddr *)&sun, &len) < 0 ||
	    len <= offsetof(struct sockaddr_un, sun_path) ||
	    getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &cl) < 0)
		goto not_one;
	/*
	 * A prison is host root, which a jail's user namespace shows as its
	 * overflow uid: the check keeps host programs from taking another
	 * user's socket for a descriptor; inside a jail it cannot be made.
	 */
	if (cred.uid != 0 && !jail_caller_jailed())
		goto not_one;
	sun.sun_path[sizeof(sun.sun_path) - 1] = '\0';
	snprintf(want, sizeof(want), "%s/", reg);
	if (strncmp(sun.sun_path, want, strlen(want)) != 0)
		goto not_one;
	base = sun.sun_path + strlen(want);
	if (base[0] < '1' || base[0] > '9')
		goto not_one;
	errno = 0;
	jid = strtol(base, &end, 10);
	if (errno != 0 || jid > JAIL_MAX || strcmp(end, ".sock") != 0)
		goto not_one;
	if (prison != NULL)
		*prison = cred.pid;
	return (int)jid;
not_one:
	errno = EINVAL;
	return -1;
}

/*
 * A channel to the prison behind descriptor FD.  ENOENT once the jail is
 * gone (the prison closed the descriptor).
 */
int
jdesc_channel(int fd)
{
	unsigned char msg[64];
	struct jmsg_buf b;
	int sv[2], e;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	jmsg_start(&b, msg, sizeof(msg), JM_CHANNEL, 0, 0);
	if (jmsg_finish(&b) < 0 || jmsg_send(fd, msg, b.len, &sv[1], 1) < 0) {
		e = errno;
		close(sv[0]);
		close(sv[1]);
		/* EPERM: the prison takes no descriptor on this
		   connection, which it has not made a descriptor. */
		errno = e == EPIPE || e == ECONNRESET || e == ENOTCONN ?
		    ENOENT : e == EPERM ? EINVAL : e;
		return -1;
	}
	close(sv[1]);
	return sv[0];
}

/*
 * A new descriptor for jail JID, made by a GET with FLAGS (JAIL_GET_DESC
 * or JAIL_OWN_DESC, and maybe JAIL_DESC_CLOEXEC) on a new connection; if
 * PRISON is not 0, it must be that prison's (the jail the caller means,
 * not one that took its jid since).  Sets ERR on failure.
 */
int
jdesc_open(int jid, pid_t prison, int flags, char *err, size_t errlen)
{
	unsigned char req[128], rbuf[512];
	struct jmsg *reply;
	struct jmsg_buf b;
	struct ucred cred;
	socklen_t cl = sizeof(cred);
	int sock, st;

	if ((reply = malloc(sizeof(*reply))) == NULL)
		return -1;
	if ((sock = jcl_connect(jid)) < 0 ||
	    (prison != 0 && (getsockopt(sock, SOL_SOCKET, SO_PEERCRED, &cred,
	    &cl) < 0 || cred.pid != prison))) {
		jerr(err, errlen, ENOENT, "jail %d not found", jid);
		goto fail;
	}
	jmsg_start(&b, req, sizeof(req), JM_GET,
	    flags & (JAIL_GET_DESC | JAIL_OWN_DESC), 0);
	jmsg_add(&b, "jid", NULL, 0, 1);
	if (jmsg_finish(&b) < 0)
		goto fail;
	st = jcl_call(sock, req, b.len, rbuf, sizeof(rbuf), reply, NULL, NULL);
	if (st < 0) {
		jerr(err, errlen, ENOENT, "jail %d not found", jid);
		goto fail;
	}
	if (st != 0) {
		jcl_errmsg(reply, st, err, errlen);
		errno = st;
		goto fail;
	}
	free(reply);
	return jdesc_keep(sock, flags);
fail:
	{
		int e = errno;

		if (sock >= 0)
			close(sock);
		free(reply);
		errno = e;
	}
	return -1;
}

/* SOCK is the caller's descriptor now: as FreeBSD's, kept across exec. */
int
jdesc_keep(int sock, int flags)
{
	if (!(flags & JAIL_DESC_CLOEXEC) && fcntl(sock, F_SETFD, 0) < 0) {
		int e = errno;

		close(sock);
		errno = e;
		return -1;
	}
	return sock;
}

/*
 * One request REQ (a JM_* with its items) through descriptor FD; the
 * reply's status, or -1 (ENOENT: the jail is gone).
 */
static int
desc_call(int fd, struct jmsg_buf *req, void *rbuf, size_t rsize,
    struct jmsg *reply)
{
	int sock, st, e;

	if (jdesc_jid(fd, NULL) < 0)
		return -1;
	if (jmsg_finish(req) < 0 || (sock = jdesc_channel(fd)) < 0)
		return -1;
	st = jcl_call(sock, req->buf, req->len, rbuf, rsize, reply, NULL,
	    NULL);
	e = errno;
	close(sock);
	errno = e;
	return st;
}

/* The answer to a request through a descriptor: 0, or -1 and errno. */
static int
desc_status(int st)
{
	if (st > 0) {
		errno = st;
		return -1;
	}
	return st;
}

JAIL_EXPORT int
jaildesc_limit(int fd, unsigned int rights)
{
	unsigned char req[128], rbuf[512];
	struct jmsg reply;
	struct jmsg_buf b;
	const struct jmsg_item *it;
	int r;

	jmsg_start(&b, req, sizeof(req), JM_LIMIT, 0, 0);
	jmsg_add_int(&b, "rights", (int)(rights & JAILDESC_ALL));
	if (desc_status(desc_call(fd, &b, rbuf, sizeof(rbuf), &reply)) < 0)
		return -1;
	if ((it = jmsg_find(&reply, "rights")) == NULL ||
	    it->len != sizeof(int)) {
		errno = EBADMSG;
		return -1;
	}
	memcpy(&r, it->value, sizeof(r));
	return r;
}

JAIL_EXPORT int
jaildesc_watch(int fd, unsigned int events)
{
	unsigned char req[128], rbuf[512];
	struct jmsg reply;
	struct jmsg_buf b;

	jmsg_start(&b, req, sizeof(req), JM_WATCH, 0, 0);
	jmsg_add_int(&b, "events", (int)events);
	return desc_status(desc_call(fd, &b, rbuf, sizeof(rbuf), &reply));
}

/* Read the notices waiting on FD; 1 if the prison has closed it. */
static int
drain_notices(int fd)
{
	unsigned char buf[256];
	ssize_t n;

	for (;;) {
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n == 0)
			return 1;
		if (n < 0)
			return errno == ECONNRESET;
	}
}

JAIL_EXPORT int
jaildesc_event(int fd, unsigned int *events, intptr_t *data)
{
	unsigned char req[64], rbuf[512];
	struct jmsg reply;
	struct jmsg_buf b;
	const struct jmsg_item *ev, *dv;
	int64_t d = 0;
	int st;

	*events = 0;
	*data = 0;
	if (jdesc_jid(fd, NULL) < 0)
		return -1;
	/* The notices first: one that comes later is for later events. */
	if (drain_notices(fd))
		goto removed;
	jmsg_start(&b, req, sizeof(req), JM_EVENTS, 0, 0);
	st = desc_call(fd, &b, rbuf, sizeof(rbuf), &reply);
	if (st < 0 && errno == ENOENT)
		goto removed;
	if (desc_status(st) < 0)
		return -1;
	ev = jmsg_find(&reply, "events");
	dv = jmsg_find(&reply, "data");
	if (ev == NULL || ev->len != sizeof(int) || dv == NULL ||
	    dv->len != sizeof(d)) {
		errno = EBADMSG;
		return -1;
	}
	memcpy(events, ev->value, sizeof(int));
	memcpy(&d, dv->value, sizeof(d));
	*data = (intptr_t)d;
	return *events != 0;
removed:
	*events = NOTE_JAIL_REMOVE;
	return 1;
}

JAIL_EXPORT int
jail_remove_jd(int fd)
{
	unsigned char req[64], rbuf[512];
	struct jmsg reply;
	struct jmsg_buf b;

	jmsg_start(&b, req, sizeof(req), JM_REMOVE, 0, 0);
	/* A descriptor of a removed (or dying) jail is dead: ENOENT. */
	return desc_status(desc_call(fd, &b, rbuf, sizeof(rbuf), &reply));
}

JAIL_EXPORT int
jail_attach_jd(int fd)
{
	char err[256];
	int jid, sock, ret, e;

	if ((jid = jdesc_jid(fd, NULL)) < 0)
		return -1;
	/* Entering namespaces takes privilege over them: see jaildesc(4). */
	if (geteuid() != 0) {
		snprintf(jail_errmsg, JAIL_ERRMSGLEN, "jail_attach_jd: only "
		    "root can enter a jail; jexec (jail_spawn_jd) runs a "
		    "command in it");
		errno = EPERM;
		return -1;
	}
	if ((sock = jdesc_channel(fd)) < 0)
		return -1;	/* ENOENT: a dead descriptor, as FreeBSD's */
	ret = jail_attach_sock(sock, jid, err, sizeof(err));
	e = errno;
	close(sock);
	if (ret < 0)
		snprintf(jail_errmsg, JAIL_ERRMSGLEN, "%s", err);
	errno = e;
	return ret;
}
