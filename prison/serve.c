/*
 * Serving: the prison's clients and its event loop.
 *
 * Each client connection is an object, reached from epoll's data pointer
 * as the other things the loop waits on (the listening socket, jail init,
 * the cgroup's events, signals) are: each begins with a struct source
 * that says what to do when it is ready.
 *
 * Fairness: one request from each ready connection per round, in the
 * order epoll hands them back (a connection that stays ready goes to the
 * end of its list), so a client that floods its connections with
 * requests, or never reads its answers, only slows itself.  Answers are
 * sent without blocking; one a client does not read is dropped.
 *
 * A connection whose peer has closed it is let go with whatever it had
 * queued: nobody is left to answer, as a process killed in a system call
 * gets no answer either.  A connection only shut for writing is still
 * answered.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>

#include "internal.h"
#include "prison.h"
#include "jaildesc.h"
#include "sys/jail.h"

#define	MAXCONN		4096
#define	MAXCONN_USER	64	/* per non-root uid: root always gets in */
#define	MAXEVENTS	64
#define	MAXCHANNELS	64	/* open at once, per descriptor */
#define	PROBATION_MS	2000	/* for a channel's one request to come */

struct conn {
	struct source	 src;		/* first: epoll's data points here */
	int		 fd;
	/* The creator credential: the peer's when it connected. */
	uid_t		 uid;
	pid_t		 pid;
	int		 host;		/* the peer is not inside any jail */
	int		 holds;		/* holds the jail: needs no persist */
	int		 dead;		/* closed; freed at the end of the round */
	/* A jail descriptor (see DESIGN.md §3), or a channel of one. */
	int		 desc;
	int		 owning;	/* its last close removes the jail */
	unsigned	 rights;	/* JAILDESC_*: what it may still do */
	struct conn	*parent;	/* a channel: its descriptor */
	int		 channel;	/* one request, then it is closed */
	long		 born;		/* a channel: when (ms), for probation */
	int		 nchannels;	/* a descriptor: its channels open */
	/* Events, on a descriptor: what it watches, what is pending. */
	uint32_t	 watch;
	uint32_t	 pending;
	unsigned	 ids;		/* ATTACH and CHILD events pending */
	int64_t		 data;
	int		 notified;	/* a JM_EVENT is on its way */
	/*
	 * A kept connection (a spawned command's channel, a request answered
	 * later): who to tell when it goes, and the one request it still
	 * takes (0: none).
	 */
	void		*owner;
	void		(*gone)(void *owner);
	int		 takes;
	struct conn	*next;
};

static struct prison *pr;
static int epfd = -1;
static struct conn *conns, *graveyard;
static int nconns;
static unsigned char rbuf[JPROTO_MAXMSG], sbuf[JPROTO_MAXMSG];
static struct jmsg msg;
static int rfds[JPROTO_MAXFDS], nrfds;	/* that came with the request */
static struct jmsg_buf reply;

/* ---- answers ---- */

struct jmsg_buf *
reply_start(const struct jmsg *req, int status)
{
	jmsg_start_reply(&reply, sbuf, sizeof(sbuf), &req->h, status);
	return &reply;
}

/* Never blocks: a client that does not read loses its answer. */
void
reply_send_fd(int fd, struct jmsg_buf *b, const int *fds, int nfds)
{
	if (jmsg_finish(b) < 0) {
		/* Too large to encode: say so in a fresh, small answer. */
		struct jmsg_hdr h;

		memcpy(&h, b->buf, sizeof(h));
		jmsg_start(b, sbuf, sizeof(sbuf), JM_REPLY, 0, EMSGSIZE);
		jmsg_set_seq(b->buf, h.seq);
		jmsg_add_str(b, "errmsg", "reply too large");
		if (jmsg_finish(b) < 0)
			return;
		fds = NULL;
		nfds = 0;
	}
	if (nfds > 0)
		jmsg_send(fd, b->buf, b->len, fds, nfds);
	else
		send(fd, b->buf, b->len, MSG_DONTWAIT | MSG_NOSIGNAL);
}

void
reply_send(struct conn *c, struct jmsg_buf *b, const int *fds, int nfds)
{
	reply_send_fd(c->fd, b, fds, nfds);
}

void
reply_err_fd(int fd, const struct jmsg *req, int err, const char *text)
{
	struct jmsg_buf *b = reply_start(req, err);

	if (text != NULL && text[0] != '\0')
		jmsg_add_str(b, "errmsg", text);
	reply_send_fd(fd, b, NULL, 0);
}

void
reply_err(struct conn *c, const struct jmsg *req, int err, const char *text)
{
	reply_err_fd(c->fd, req, err, text);
}

void
reply_jid(struct conn *c, const struct jmsg *req)
{
	struct jmsg_buf *b = reply_start(req, 0);

	jmsg_add_int(b, "jid", pr->st.jid);
	reply_send(c, b, NULL, 0);
}

/* ---- connections ---- */

static void conn_ready(struct source *, uint32_t events);

static int
uid_conns(uid_t uid)
{
	int n = 0;

	for (struct conn *c = conns; c != NULL; c = c->next)
		n += c->uid == uid;
	return n;
}

#ifndef SO_PASSRIGHTS
#define	SO_PASSRIGHTS	83	/* Linux 6.16; not in Debian 12's headers */
#endif

/*
 * Whether FD takes descriptors (SCM_RIGHTS).  A plain connection never
 * needs one: refused by the kernel at the sender, none is ever ours to
 * close (the last close of some files can block: a lingering TCP
 * socket's).  Descriptors take channels, and channels stdio.  Older
 * kernels have no such option: descriptors that come are closed.
 */
static void
take_rights(int fd, int on)
{
	(void)setsockopt(fd, SOL_SOCKET, SO_PASSRIGHTS, &on, sizeof(on));
}

/*
 * A new connection on FD; its credential is its peer's, or, for a
 * channel, that of the descriptor PARENT it speaks for.
 */
static struct conn *
add_conn(int fd, int holds, struct conn *parent)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct ucred cred;
	socklen_t cl = sizeof(cred);
	struct conn *c;

	if (nconns >= MAXCONN ||
	    getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &cl) < 0)
		goto refuse;
	if (parent != NULL)
		cred.uid = parent->uid;
	/* Root always gets in: the last MAXCONN_USER places are kept for it. */
	if (cred.uid != 0 && (uid_conns(cred.uid) >= MAXCONN_USER ||
	    nconns >= MAXCONN - MAXCONN_USER))
		goto refuse;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		goto refuse;
	c->src.ready = conn_ready;
	c->fd = fd;
	c->uid = cred.uid;
	c->pid = cred.pid;
	c->holds = holds;
	c->rights = JAILDESC_ALL;
	if (parent != NULL) {
		c->host = parent->host;
		c->rights = parent->rights;
		c->parent = parent;
	} else {
		/* The pidfd check, not the pid: a jailed peer may be gone. */
		c->host = jpeer_in_host(fd) == 1;
		take_rights(fd, 0);
	}
	ev.data.ptr = c;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		free(c);
		goto refuse;
	}
	c->next = conns;
	conns = c;
	nconns++;
	return c;
refuse:
	/* Said before the door closes, or the client would take EOF for a
	   jail that is gone. */
	{
		struct jmsg none;

		memset(&none, 0, sizeof(none));
		reply_err_fd(fd, &none, EAGAIN, "the prison takes no more "
		    "connections from this user");
	}
	close(fd);
	return NULL;
}

/* Close C now; its memory waits for the end of the round (see serve). */
static void
drop_conn(struct conn *c)
{
	struct conn **pp;

	for (pp = &conns; *pp != NULL; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	for (struct conn *o = conns; o != NULL; o = o->next)
		if (o->parent == c)
			o->parent = NULL;	/* its descriptor is gone */
	if (c->parent != NULL)
		c->parent->nchannels--;
	if (c->gone != NULL)
		c->gone(c->owner);
	/*
	 * Out of epoll before the close: a child forked meanwhile (the
	 * guardian) may share the socket, and epoll would then go on
	 * reporting it, with a pointer to a freed connection.
	 */
	epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	c->fd = -1;
	c->dead = 1;
	c->next = graveyard;
	graveyard = c;
	nconns--;
	/* The last close of an owning descriptor removes the jail. */
	if (c->owning || (c->holds && pr->own_pending))
		prison_remove(pr, NULL, NULL, 0);
}

void
conn_release(struct conn *c)
{
	c->holds = 0;
}

int
conns_hold(const struct conn *except)
{
	for (struct conn *c = conns; c != NULL; c = c->next)
		if (c->holds && c != except)
			return 1;
	return 0;
}

/* Close every client's connection but KEEP's: they see the jail's end. */
void
conns_close_except(const struct conn *keep)
{
	for (struct conn *c = conns; c != NULL; c = c->next)
		if (c != keep && c->fd >= 0) {
			close(c->fd);
			c->fd = -1;
		}
}

void
conn_close(struct conn *c)
{
	if (c != NULL && c->fd >= 0) {
		close(c->fd);
		c->fd = -1;
	}
}

int
conn_fd(const struct conn *c)
{
	return c->fd;
}

void
conn_keep(struct conn *c, void *owner, void (*gone)(void *), int takes)
{
	c->owner = owner;
	c->gone = gone;
	c->takes = takes;
}

/*
 * C's keeper is done with it: a channel has had its one request, a
 * plain connection goes on taking requests.
 */
void
conn_unkeep(struct conn *c)
{
	c->owner = NULL;
	c->gone = NULL;
	c->takes = 0;
	if (c->channel && !c->dead)
		drop_conn(c);
}

void *
conn_owner(const struct conn *c)
{
	return c->owner;
}

void
conn_done(struct conn *c)
{
	c->gone = NULL;
	if (!c->dead)
		drop_conn(c);
}

int
req_take_fds(int *fds, int max)
{
	int n = nrfds < max ? nrfds : max;

	memcpy(fds, rfds, sizeof(int) * (size_t)n);
	for (int i = n; i < nrfds; i++)
		close(rfds[i]);
	nrfds = 0;
	return n;
}

static int
conn_privileged(const struct conn *c)
{
	return c->host && c->uid == 0;
}

pid_t
conn_pid(const struct conn *c)
{
	return c->pid;
}

/* ---- descriptors ---- */

/* The descriptor C is, or speaks for; NULL if neither. */
static struct conn *
desc_of(struct conn *c)
{
	return c->desc ? c : c->parent;
}

/*
 * After a successful GET or UPDATE with JAIL_GET_DESC or JAIL_OWN_DESC:
 * the connection is the caller's descriptor from now on.  An owning one
 * needs what jail_remove needs (checked before the request is carried
 * out, so that nothing is done for a request that is then refused).
 */
static int
may_own(const struct conn *c, int flags)
{
	return !(flags & JAIL_OWN_DESC) ||
	    (conn_privileged(c) && (c->rights & JAILDESC_REMOVE));
}

static void
make_desc(struct conn *c, int flags)
{
	if (!(flags & (JAIL_GET_DESC | JAIL_OWN_DESC)))
		return;
	c->desc = 1;
	c->holds = 0;		/* a descriptor does not keep a jail */
	if (flags & JAIL_OWN_DESC) {
		c->owning = 1;
		pr->own_pending = 0;	/* the creator's hand-over is done */
	}
}

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static int timerfd = -1;
static int timer_armed;

/* Wake in MS to look at channels on probation (once; see serve). */
static void
arm_probation(long ms)
{
	struct itimerspec it = {
		.it_value = { .tv_sec = ms / 1000, .tv_nsec = ms % 1000 * 1000000 },
	};

	if (timerfd >= 0 && !timer_armed &&
	    timerfd_settime(timerfd, 0, &it, NULL) == 0)
		timer_armed = 1;
}

/*
 * Refuse channel FD, on itself, as number 0 (its client waits there).
 * What its client already sent is read first: a socket closed with
 * unread data resets its peer, which would lose the answer.
 */
static void
refuse_channel(int fd, int err, const char *text)
{
	unsigned char junk[256];
	struct jmsg none;

	memset(&none, 0, sizeof(none));
	reply_err_fd(fd, &none, err, text);
	for (int i = 0; i < 16 && recv(fd, junk, sizeof(junk),
	    MSG_DONTWAIT | MSG_TRUNC) > 0; i++)
		;
}

/*
 * JM_CHANNEL: the socket that came along speaks for descriptor C, for
 * one request.  A channel whose request does not come within
 * PROBATION_MS is let go: a socket passed in a loop (its own peer, or
 * one end of a pair whose other end the prison holds too) would
 * otherwise be held for ever.
 */
static int
op_channel(struct prison *p, struct conn *c, const struct jmsg *req)
{
	int type = 0, domain = 0;
	socklen_t len = sizeof(int);
	struct conn *ch;

	(void)p;
	/* Refused on the connection itself (a client that made it wrong
	   waits there) and on the channel (where the library waits). */
	if (!c->desc || nrfds != 1) {
		struct jmsg none;

		memset(&none, 0, sizeof(none));
		if (nrfds == 1)
			refuse_channel(rfds[0], EINVAL, "not a jail descriptor");
		reply_err(c, req, EINVAL, "not a jail descriptor");
		return EINVAL;
	}
	if (c->nchannels >= MAXCHANNELS) {
		/* Told on the channel, where its client waits (as number 0). */
		refuse_channel(rfds[0], EAGAIN, "too many requests at once "
		    "through this descriptor");
		return EAGAIN;
	}
	if (getsockopt(rfds[0], SOL_SOCKET, SO_TYPE, &type, &len) < 0 ||
	    getsockopt(rfds[0], SOL_SOCKET, SO_DOMAIN, &domain, &len) < 0 ||
	    type != SOCK_SEQPACKET || domain != AF_UNIX) {
		reply_err(c, req, EINVAL, "a channel is a SOCK_SEQPACKET "
		    "socket");
		return EINVAL;
	}
	fcntl(rfds[0], F_SETFL, O_NONBLOCK);
	ch = add_conn(rfds[0], 0, c);
	nrfds = 0;		/* add_conn owns it, or has closed it */
	if (ch == NULL)
		return EAGAIN;
	ch->channel = 1;
	ch->born = now_ms();
	c->nchannels++;
	arm_probation(PROBATION_MS);
	return 0;
}

/* The timer: channels whose request did not come are let go. */
static void
probation_ready(struct source *s, uint32_t events)
{
	uint64_t n;
	long now = now_ms(), next = -1;

	(void)s;
	(void)events;
	(void)!read(timerfd, &n, sizeof(n));
	timer_armed = 0;
	for (struct conn *c = conns, *nx; c != NULL; c = nx) {
		nx = c->next;
		if (!c->channel || c->owner != NULL)	/* kept: not on probation */
			continue;
		if (now - c->born >= PROBATION_MS)
			drop_conn(c);
		else if (next < 0 || c->born + PROBATION_MS - now < next)
			next = c->born + PROBATION_MS - now;
	}
	if (next >= 0)
		arm_probation(next > 0 ? next : 1);
}

static int
op_limit(struct prison *p, struct conn *c, const struct jmsg *req)
{
	const struct jmsg_item *it = jmsg_find(req, "rights");
	struct conn *d = desc_of(c);
	struct jmsg_buf *b;
	unsigned r;

	(void)p;
	if (it == NULL || it->len != sizeof(int) || d == NULL) {
		reply_err(c, req, EINVAL, d == NULL ? "not a jail descriptor" :
		    "rights: an int");
		return EINVAL;
	}
	memcpy(&r, it->value, sizeof(r));
	d->rights &= r;
	c->rights &= r;
	b = reply_start(req, 0);
	jmsg_add_int(b, "rights", (int)d->rights);
	reply_send(c, b, NULL, 0);
	return 0;
}

#define	NOTE_JAIL_ALL	(NOTE_JAIL_SET | NOTE_JAIL_ATTACH | NOTE_JAIL_CHILD | \
			 NOTE_JAIL_REMOVE)

static int
op_watch(struct prison *p, struct conn *c, const struct jmsg *req)
{
	const struct jmsg_item *it = jmsg_find(req, "events");
	struct conn *d = desc_of(c);
	uint32_t events;

	(void)p;
	if (it == NULL || it->len != sizeof(int) || d == NULL) {
		reply_err(c, req, EINVAL, d == NULL ? "not a jail descriptor" :
		    "events: an int");
		return EINVAL;
	}
	memcpy(&events, it->value, sizeof(events));
	if (events & ~(uint32_t)NOTE_JAIL_ALL) {
		reply_err(c, req, EINVAL, "unknown event");
		return EINVAL;
	}
	d->watch = events;
	d->pending = 0;
	d->ids = 0;
	d->data = 0;
	d->notified = 0;
	reply_jid(c, req);
	return 0;
}

/* JM_EVENTS: take what is pending, in FreeBSD's form (MULTI, data). */
static int
op_events(struct prison *p, struct conn *c, const struct jmsg *req)
{
	struct conn *d = desc_of(c);
	struct jmsg_buf *b;
	uint32_t ev;

	(void)p;
	if (d == NULL) {
		reply_err(c, req, EINVAL, "not a jail descriptor");
		return EINVAL;
	}
	ev = d->pending;
	if (d->ids > 1)
		ev |= NOTE_JAIL_MULTI;
	b = reply_start(req, 0);
	jmsg_add_int(b, "events", (int)ev);
	jmsg_add(b, "data", &d->data, sizeof(d->data), 0);
	reply_send(c, b, NULL, 0);
	d->pending = 0;
	d->ids = 0;
	d->data = 0;
	d->notified = 0;
	return 0;
}

/*
 * EVENT happened to the jail (DATA: the pid or the jid it is about): each
 * descriptor that watches it has it pending, and is told so once, by a
 * message that makes it readable.  A holder that does not read gets no
 * more than that one message: the rest waits in its pending state.
 */
void
conns_post(uint32_t event, int64_t data)
{
	for (struct conn *c = conns; c != NULL; c = c->next) {
		struct jmsg_buf b;
		unsigned char note[64];

		if (!c->desc || !(c->watch & event))
			continue;
		c->pending |= event;
		if (event & (NOTE_JAIL_ATTACH | NOTE_JAIL_CHILD))
			c->data = ++c->ids > 1 ? 0 : data;
		if (c->notified)
			continue;
		jmsg_start(&b, note, sizeof(note), JM_EVENT, 0, 0);
		memcpy(note + offsetof(struct jmsg_hdr, event), &event,
		    sizeof(event));
		if (jmsg_finish(&b) > 0 && send(c->fd, note, b.len,
		    MSG_DONTWAIT | MSG_NOSIGNAL) >= 0)
			c->notified = 1;
	}
}

static const struct op serve_ops[] = {
	{ JM_CHANNEL,	OP_ANY,		0,		op_channel },
	{ JM_LIMIT,	OP_ANY,		0,		op_limit },
	{ JM_WATCH,	OP_ANY,		JAILDESC_WATCH,	op_watch },
	{ JM_EVENTS,	OP_ANY,		JAILDESC_WATCH,	op_events },
};

static const struct op *
find_op(int type)
{
	for (size_t i = 0; i < sizeof(serve_ops) / sizeof(serve_ops[0]); i++)
		if (serve_ops[i].type == type)
			return &serve_ops[i];
	return op_find(type);
}

/*
 * Refuse the undecoded request of N bytes in rbuf, answering to its
 * number if it has one where the header keeps it (a client waits for the
 * reply with its number), else to 0.
 */
static void
refuse(struct conn *c, size_t n, int err, const char *text)
{
	memset(&msg, 0, sizeof(msg));
	if (n >= sizeof(msg.h))
		memcpy(&msg.h.seq, rbuf + offsetof(struct jmsg_hdr, seq),
		    sizeof(msg.h.seq));
	reply_err(c, &msg, err, text);
}

static void
close_rfds(void)
{
	for (int i = 0; i < nrfds; i++)
		close(rfds[i]);
	nrfds = 0;
}

/* One request from C. */
static void
handle(struct conn *c)
{
	const struct op *op;
	ssize_t n;
	int flags, opening;

	n = jmsg_recv(c->fd, rbuf, sizeof(rbuf), rfds, &nrfds);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n < 0 && errno == EBADMSG)	/* too long, or too many fds */
		n = (ssize_t)sizeof(rbuf) + 1;
	else if (n <= 0) {
		/* The end, or an empty record: no client of ours sends one. */
		close_rfds();
		drop_conn(c);
		return;
	}
	/* Nothing from inside a jail is looked into. */
	if (!c->host) {
		refuse(c, (size_t)n, EPERM,
		    "jailed processes cannot reach this jail");
		goto out;
	}
	if ((size_t)n > sizeof(rbuf) || jmsg_decode(rbuf, (size_t)n, &msg) < 0) {
		refuse(c, (size_t)n, EINVAL, "malformed request");
		goto out;
	}
	/*
	 * A kept connection takes what its keeper says (a command's
	 * channel, its signals), and nothing else.
	 */
	if (c->owner != NULL && msg.h.type != c->takes) {
		if (c->takes == JM_SIGNAL)
			reply_err(c, &msg, EPERM, "a command's channel takes "
			    "signals only");
		else
			reply_err(c, &msg, EBUSY, "the connection waits for "
			    "the answer to its request");
		goto out;
	}
	if ((op = find_op(msg.h.type)) == NULL) {
		reply_err(c, &msg, EINVAL, "unknown request");
		goto out;
	}
	if (op->need == OP_ROOT && !conn_privileged(c)) {
		reply_err(c, &msg, EPERM, c->desc || c->parent != NULL ?
		    "descriptor created by a user other than the super-user" :
		    NULL);
		goto out;
	}
	if ((op->right & ~c->rights) != 0) {
		/* Capsicum's ENOTCAPABLE, which Linux has not. */
		reply_err(c, &msg, EPERM, "the descriptor lacks the right");
		goto out;
	}
	flags = msg.h.type == JM_GET || msg.h.type == JM_UPDATE ?
	    msg.h.flags : 0;
	if (!may_own(c, flags)) {
		reply_err(c, &msg, EPERM, NULL);
		goto out;
	}
	/* A descriptor-to-be takes channels as soon as its client has the
	   answer, which is before make_desc: let them in first. */
	opening = (flags & (JAIL_GET_DESC | JAIL_OWN_DESC)) && !c->channel &&
	    !c->desc;
	if (opening)
		take_rights(c->fd, 1);
	if (op->fn(pr, c, &msg) == 0 && !c->channel)
		make_desc(c, flags);
	else if (opening && !c->dead)
		take_rights(c->fd, 0);	/* refused: a plain connection again */
out:
	close_rfds();
	/* Its one request is answered, unless it was kept (conn_keep). */
	if (c->channel && !c->dead && c->owner == NULL)
		drop_conn(c);
}

/*
 * Whether C's peer has closed it by now.  Asked of the socket itself, not
 * of the event: epoll's list is as of the start of the round, and a
 * request sent before the close must not be carried out after a request
 * the same client sent after it, on another connection.
 */
static int
hung_up(const struct conn *c)
{
	struct pollfd p = { .fd = c->fd, .events = POLLIN };

	return poll(&p, 1, 0) < 0 || (p.revents & (POLLHUP | POLLERR));
}

static void
conn_ready(struct source *s, uint32_t events)
{
	struct conn *c = (struct conn *)s;

	if (c->dead)
		return;
	if ((events & (EPOLLHUP | EPOLLERR)) || hung_up(c))
		drop_conn(c);
	else
		handle(c);
}

/* ---- the loop ---- */

static void
accept_ready(struct source *s, uint32_t events)
{
	int fd;

	(void)s;
	(void)events;
	while ((fd = accept4(pr->listenfd, NULL, NULL,
	    SOCK_CLOEXEC | SOCK_NONBLOCK)) >= 0)
		add_conn(fd, 0, NULL);
}

/* Jail init is gone, or we are told to stop: the jail ends. */
static void
end_ready(struct source *s, uint32_t events)
{
	(void)s;
	(void)events;
	prison_remove(pr, NULL, NULL, 0);
}

/* The cgroup emptied (or filled): looked at before each round. */
static void
nothing(struct source *s, uint32_t events)
{
	(void)s;
	(void)events;
}

static struct source on_listen = { accept_ready };
static struct source on_probation = { probation_ready };
static struct source on_end = { end_ready };
static struct source on_cgroup = { nothing };

void
serve_watch(int fd, uint32_t events, struct source *s)
{
	struct epoll_event ev = { .events = events, .data.ptr = s };

	if (fd >= 0)
		epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
}

void
serve_unwatch(int fd)
{
	if (fd >= 0)
		epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL);
}

/* SIGTERM, SIGINT, SIGHUP (shutdown, kill): remove the jail in good order. */
static int
stop_signals(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

static void
bury(void)
{
	while (graveyard != NULL) {
		struct conn *c = graveyard;

		graveyard = c->next;
		free(c);
	}
}

void
serve(struct prison *p, int creatorfd)
{
	struct epoll_event evs[MAXEVENTS];

	pr = p;
	if ((epfd = epoll_create1(EPOLL_CLOEXEC)) < 0)
		prison_remove(pr, NULL, NULL, 0);
	serve_watch(pr->listenfd, EPOLLIN, &on_listen);
	serve_watch(pr->initfd, EPOLLIN, &on_end);
	/* kernfs keeps EPOLLPRI raised until re-read: take each change once. */
	serve_watch(pr->cgevfd, EPOLLPRI | EPOLLET, &on_cgroup);
	serve_watch(stop_signals(), EPOLLIN, &on_end);
	timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	serve_watch(timerfd, EPOLLIN, &on_probation);
	fcntl(creatorfd, F_SETFL, O_NONBLOCK);
	/* Until it closes, the creator's connection holds the new jail. */
	add_conn(creatorfd, 1, NULL);
	guardian_start(pr);

	for (;;) {
		int n;

		/* Who waits for the jail to empty is told before it ends. */
		stop_poll(pr);
		maybe_remove(pr);
		n = epoll_wait(epfd, evs, MAXEVENTS, -1);
		for (int k = 0; k < n; k++) {
			struct source *s = evs[k].data.ptr;

			s->ready(s, evs[k].events);
		}
		bury();
	}
}
