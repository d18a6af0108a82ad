/*
 * seqfuzz's pool of connections.  Each has a temper of its own: one reads
 * its replies, one never does (so the socket buffers fill and the prison's
 * replies must not block it), one leaves after a few requests without
 * waiting for answers, one stays to the end without a word.  Some are shut
 * for writing in mid-exchange.  Everything here is non-blocking: the pool
 * never waits for the prison; the probe does (probe.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

#include "seqfuzz.h"

#define	MAXPOOL		512
#define	MAXPASS		8	/* descriptors on one request (more than the
				   prison takes on any) */

enum temper { T_READER, T_DEAF, T_BRIEF, T_SILENT, T_NTEMPERS };

struct fconn {
	int		fd;
	int		temper;
	int		shut;	/* shut for writing */
	unsigned	left;	/* requests before a brief one leaves */
};

static struct fconn pool[MAXPOOL];
static int npool, maxpool;
static int spare[6], nspare;	/* descriptors to pass to the prison */
static unsigned char buf[FZ_MAXREQ];

void
pool_init(struct fz *f, int maxconns)
{
	int p[2];

	maxpool = maxconns < MAXPOOL ? maxconns : MAXPOOL;
	spare[nspare++] = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (pipe2(p, O_CLOEXEC) == 0) {
		spare[nspare++] = p[0];
		spare[nspare++] = p[1];
	}
	spare[nspare++] = eventfd(0, EFD_CLOEXEC);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, p) == 0) {
		spare[nspare++] = p[0];
		spare[nspare++] = p[1];
	}
}

int
pool_size(void)
{
	return npool;
}

static void
conn_close(struct fz *f, int i)
{
	close(pool[i].fd);
	pool[i] = pool[--npool];
}

static void
conn_open(struct fz *f, int temper)
{
	struct fconn *c;
	int fd;

	if (npool >= MAXPOOL || (fd = fz_dial(f, 1)) < 0)
		return;
	c = &pool[npool++];
	c->fd = fd;
	c->temper = temper;
	c->shut = 0;
	c->left = 1 + fz_below(f, 4);
	f->opened++;
}

/* Replies so far, each checked; 0 when the prison has let the conn go. */
static int
conn_read(struct fz *f, int i)
{
	static unsigned char rep[JPROTO_MAXMSG + 1];
	union {
		char b[CMSG_SPACE(sizeof(int) * MAXPASS)];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { .iov_base = rep, .iov_len = sizeof(rep) };
	struct msghdr mh;
	struct cmsghdr *c;
	struct jmsg m;
	ssize_t n;

	for (;;) {
		memset(&mh, 0, sizeof(mh));
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = ctl.b;
		mh.msg_controllen = sizeof(ctl.b);
		n = recvmsg(pool[i].fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return 1;
		if (n <= 0) {
			f->dropped++;
			conn_close(f, i);
			return 0;
		}
		for (c = CMSG_FIRSTHDR(&mh); c != NULL; c = CMSG_NXTHDR(&mh, c)) {
			int nfd = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));

			if (!f->root)
				fz_fail(f, "an unprivileged client was given %d "
				    "descriptors", nfd);
			for (int k = 0; k < nfd; k++) {
				int fd;

				memcpy(&fd, CMSG_DATA(c) + k * sizeof(int),
				    sizeof(fd));
				close(fd);
			}
		}
		if ((mh.msg_flags & MSG_TRUNC) || jmsg_decode(rep, (size_t)n,
		    &m) < 0 || m.h.type != JM_REPLY || m.h.status < 0)
			fz_fail(f, "a malformed reply of %zd bytes", n);
		f->replies++;
		f->refused += m.h.status != 0;
	}
}

/* Descriptors to pass along: spares, and now and then the conn itself. */
static int
pick_fds(struct fz *f, int self, int *fds)
{
	int n;

	if (nspare == 0 || fz_below(f, 8) != 0)
		return 0;
	n = 1 + (int)fz_below(f, MAXPASS);
	for (int k = 0; k < n; k++)
		fds[k] = fz_below(f, 10) == 0 ? self : spare[fz_below(f,
		    (unsigned)nspare)];
	return n;
}

/* One request; 0 when the prison has let the conn go. */
static int
conn_send(struct fz *f, int i)
{
	union {
		char b[CMSG_SPACE(sizeof(int) * MAXPASS)];
		struct cmsghdr align;
	} ctl;
	int kind = req_pick(f), fds[MAXPASS], nfds;
	struct iovec iov = { .iov_base = buf };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *c;

	iov.iov_len = req_make(f, kind, buf, sizeof(buf));
	if ((nfds = pick_fds(f, pool[i].fd, fds)) > 0) {
		memset(&ctl, 0, sizeof(ctl));
		mh.msg_control = ctl.b;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)nfds);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)nfds);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * (size_t)nfds);
	}
	if (sendmsg(pool[i].fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL) >= 0) {
		f->sent[kind]++;
		f->with_fds += nfds > 0;
		if (f->verbose > 1)
			fprintf(stderr, "step %lu: conn %d: %s, %zu bytes, %d fds\n",
			    f->step, pool[i].fd, rq_names[kind], iov.iov_len,
			    nfds);
		return 1;
	}
	if (errno == EAGAIN || errno == EMSGSIZE || errno == ENOBUFS) {
		f->full += errno == EAGAIN;
		return 1;
	}
	/* EPIPE, ECONNRESET: the prison let us go (a zero-length record is
	   its end of file, and a uid has only so many connections). */
	f->dropped++;
	conn_close(f, i);
	return 0;
}

/* Requests on a deaf conn until its buffers are full. */
static void
conn_flood(struct fz *f, int i)
{
	unsigned long full = f->full;

	for (int k = 0; k < 1000 && f->full == full; k++)
		if (!conn_send(f, i))
			return;
}

static void
conn_act(struct fz *f, int i)
{
	struct fconn *c = &pool[i];

	switch (c->temper) {
	case T_SILENT:
		return;
	case T_READER:
		if (!conn_read(f, i))
			return;
		break;
	case T_DEAF:
		if (fz_below(f, 50) == 0) {
			conn_flood(f, i);
			return;
		}
		break;
	}
	if (c->shut) {
		if (c->temper != T_DEAF && !conn_read(f, i))
			return;
		if (fz_below(f, 4) == 0)
			conn_close(f, i);
		return;
	}
	if (!conn_send(f, i))
		return;
	if (c->temper == T_BRIEF && --c->left == 0) {
		f->abandoned++;
		conn_close(f, i);
	} else if (fz_below(f, 40) == 0) {
		shutdown(c->fd, SHUT_WR);
		c->shut = 1;
		f->shut++;
	}
}

void
pool_step(struct fz *f)
{
	unsigned r = fz_below(f, 100);

	if (npool == 0 || (r < 12 && npool < maxpool))
		conn_open(f, (int)fz_below(f, T_NTEMPERS));
	else if (r < 18)
		conn_close(f, (int)fz_below(f, (unsigned)npool));
	else
		conn_act(f, (int)fz_below(f, (unsigned)npool));
}

/*
 * COUNT connections at once, past the pool's bound (and an unprivileged
 * uid's limit in the prison), each with a request it leaves unanswered.
 */
void
pool_burst(struct fz *f, int count)
{
	int first = npool;

	for (int k = 0; k < count && npool < MAXPOOL; k++) {
		conn_open(f, T_BRIEF);
		if (npool > first)
			conn_send(f, npool - 1);
	}
	while (npool > first)
		conn_close(f, npool - 1);
}

void
pool_close_all(struct fz *f)
{
	while (npool > 0)
		conn_close(f, npool - 1);
}
