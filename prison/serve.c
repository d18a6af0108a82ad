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

#include "internal.h"
#include "prison.h"

#define	MAXCONN		4096
#define	MAXCONN_USER	64	/* per non-root uid: root always gets in */
#define	MAXEVENTS	64

struct source {
	void	(*ready)(struct source *, uint32_t events);
};

struct conn {
	struct source	 src;		/* first: epoll's data points here */
	int		 fd;
	uid_t		 uid;		/* of the peer, at connect */
	int		 host;		/* the peer is not inside any jail */
	int		 holds;		/* holds the jail: needs no persist */
	int		 dead;		/* closed; freed at the end of the round */
	struct conn	*next;
};

static struct prison *pr;
static int epfd = -1;
static struct conn *conns, *graveyard;
static int nconns;
static unsigned char rbuf[JPROTO_MAXMSG], sbuf[JPROTO_MAXMSG];
static struct jmsg msg;
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

static void
add_conn(int fd, int holds)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct ucred cred;
	socklen_t cl = sizeof(cred);
	struct conn *c;

	if (nconns >= MAXCONN ||
	    getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &cl) < 0)
		goto refuse;
	/* Root always gets in: the last MAXCONN_USER places are kept for it. */
	if (cred.uid != 0 && (uid_conns(cred.uid) >= MAXCONN_USER ||
	    nconns >= MAXCONN - MAXCONN_USER))
		goto refuse;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		goto refuse;
	c->src.ready = conn_ready;
	c->fd = fd;
	c->uid = cred.uid;
	/* The pidfd check, not the pid: a jailed peer may be gone by now. */
	c->host = jpeer_in_host(fd) == 1;
	c->holds = holds;
	ev.data.ptr = c;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		free(c);
		goto refuse;
	}
	c->next = conns;
	conns = c;
	nconns++;
	return;
refuse:
	close(fd);
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
	/*
	 * Out of epoll before the close: a child forked meanwhile (in_jail,
	 * the guardian) may share the socket, and epoll would then go on
	 * reporting it, with a pointer to a freed connection.
	 */
	epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	c->fd = -1;
	c->dead = 1;
	c->next = graveyard;
	graveyard = c;
	nconns--;
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

void
conns_close_all(void)
{
	for (struct conn *c = conns; c != NULL; c = c->next)
		close(c->fd);
}

static int
conn_privileged(const struct conn *c)
{
	return c->host && c->uid == 0;
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
	if (n >= sizeof(msg.h) && n <= sizeof(rbuf))
		memcpy(&msg.h.seq, rbuf + offsetof(struct jmsg_hdr, seq),
		    sizeof(msg.h.seq));
	reply_err(c, &msg, err, text);
}

/* One request from C. */
static void
handle(struct conn *c)
{
	const struct op *op;
	ssize_t n;

	n = recv(c->fd, rbuf, sizeof(rbuf), MSG_DONTWAIT | MSG_TRUNC);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		drop_conn(c);
		return;
	}
	/* Nothing from inside a jail is looked into. */
	if (!c->host) {
		refuse(c, (size_t)n, EPERM,
		    "jailed processes cannot reach this jail");
		return;
	}
	if ((size_t)n > sizeof(rbuf) || jmsg_decode(rbuf, (size_t)n, &msg) < 0) {
		refuse(c, (size_t)n, EINVAL, "malformed request");
		return;
	}
	if ((op = op_find(msg.h.type)) == NULL) {
		reply_err(c, &msg, EINVAL, "unknown request");
		return;
	}
	if (op->need == OP_ROOT && !conn_privileged(c)) {
		reply_err(c, &msg, EPERM, NULL);
		return;
	}
	op->fn(pr, c, &msg);
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
		add_conn(fd, 0);
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
static struct source on_end = { end_ready };
static struct source on_cgroup = { nothing };

static void
watch(int fd, uint32_t events, struct source *s)
{
	struct epoll_event ev = { .events = events, .data.ptr = s };

	if (fd >= 0)
		epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
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
	watch(pr->listenfd, EPOLLIN, &on_listen);
	watch(pr->initfd, EPOLLIN, &on_end);
	/* kernfs keeps EPOLLPRI raised until re-read: take each change once. */
	watch(pr->cgevfd, EPOLLPRI | EPOLLET, &on_cgroup);
	watch(stop_signals(), EPOLLIN, &on_end);
	fcntl(creatorfd, F_SETFL, O_NONBLOCK);
	/* Until it closes, the creator's connection holds the new jail. */
	add_conn(creatorfd, 1);
	guardian_start(pr);

	for (;;) {
		int n;

		maybe_remove(pr);
		n = epoll_wait(epfd, evs, MAXEVENTS, -1);
		for (int k = 0; k < n; k++) {
			struct source *s = evs[k].data.ptr;

			s->ready(s, evs[k].events);
		}
		bury();
	}
}
