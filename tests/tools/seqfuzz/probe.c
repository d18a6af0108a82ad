/*
 * seqfuzz's probe: strict exchanges on a connection of its own, each
 * answered within a deadline, or the prison is taken for hung.  It checks
 * what the pool cannot see, since the pool's replies go unread: a valid
 * change is made, a refused request changes nothing, an unprivileged
 * client is refused all but GET and never given a descriptor.
 *
 * At the start it saves every settable parameter.  Root's run ends by
 * setting them all back (the fuzz renames the jail, among other things);
 * both end by comparing them with the start, unless others change the
 * jail at the same time (-S).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include "param.h"
#include "seqfuzz.h"

static int deadline_ms, sock = -1;
static uint32_t probe_seq;
static unsigned char req[FZ_MAXREQ], rep[JPROTO_MAXMSG + 1];
static unsigned char saved[JPROTO_MAXMSG];
static size_t savedlen;
static struct jmsg reply;
static const char *what;	/* the exchange under way, for messages */

/* Wait for EVENTS on the probe's socket until END (ms); fail after it. */
static void
wait_for(struct fz *f, short events, long end)
{
	struct pollfd p = { .fd = sock, .events = events };
	int n;

	do {
		long left = end - fz_now_ms();

		if (left <= 0)
			fz_fail(f, "no answer within %d ms to the probe's %s",
			    deadline_ms, what);
		n = poll(&p, 1, (int)left);
	} while (n < 0 && errno == EINTR);
	if (n == 0)
		fz_fail(f, "no answer within %d ms to the probe's %s",
		    deadline_ms, what);
}

/* One receive; -1 when the prison let the connection go. */
static ssize_t
receive(struct fz *f, int *nfds)
{
	union {
		char b[CMSG_SPACE(sizeof(int) * 8)];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { .iov_base = rep, .iov_len = sizeof(rep) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
	    .msg_control = ctl.b, .msg_controllen = sizeof(ctl.b) };
	struct cmsghdr *c;
	ssize_t n;

	n = recvmsg(sock, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	*nfds = 0;
	for (c = CMSG_FIRSTHDR(&mh); n > 0 && c != NULL;
	    c = CMSG_NXTHDR(&mh, c)) {
		int k = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int)), fd;

		for (int i = 0; i < k; i++) {
			memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(fd));
			close(fd);
		}
		*nfds += k;
	}
	if (n <= 0)
		return -1;
	if ((mh.msg_flags & MSG_TRUNC) || jmsg_decode(rep, (size_t)n,
	    &reply) < 0 || reply.h.type != JM_REPLY || reply.h.status < 0)
		fz_fail(f, "a malformed reply of %zd bytes to the probe's %s",
		    n, what);
	return n;
}

/*
 * Send LEN bytes of req and wait for the reply; its status.  The prison
 * may turn a new connection away while it has not yet seen the ends of
 * the pool's (a uid has only so many): then dial again, within the
 * deadline.  NFDS gets the number of descriptors that came along.
 */
static int
call(struct fz *f, size_t len, int *nfds)
{
	long start = fz_now_ms(), end = start + deadline_ms;

	for (;;) {
		if (sock < 0 && (sock = fz_dial(f, 1)) < 0) {
			if (fz_now_ms() >= end)
				fz_fail(f, "cannot connect for the probe's %s: "
				    "%s", what, strerror(errno));
			usleep(10000);
			continue;
		}
		wait_for(f, POLLOUT, end);
		/* Numbered: a refusal of the connection comes as number 0. */
		jmsg_set_seq(req, ++probe_seq);
		if (send(sock, req, len, MSG_DONTWAIT | MSG_NOSIGNAL) >= 0) {
			wait_for(f, POLLIN, end);
			/* Number 0: a request too short to have one, or a
			   refused connection (EAGAIN), to dial again. */
			if (receive(f, nfds) > 0 && (reply.h.seq == probe_seq ||
			    (reply.h.seq == 0 && reply.h.status != EAGAIN)))
				break;
		}
		close(sock);
		sock = -1;
		if (fz_now_ms() >= end)
			fz_fail(f, "the prison drops every connection (the "
			    "probe's %s)", what);
		usleep(10000);
	}
	if (fz_now_ms() - start > f->probe_max_ms)
		f->probe_max_ms = fz_now_ms() - start;
	return reply.h.status;
}

static size_t
finish(struct jmsg_buf *b)
{
	if (jmsg_finish(b) < 0)
		fz_fail(NULL, "a probe request does not fit: %s",
		    strerror(errno));
	return b->len;
}

/* GET of every parameter the jail's owner may set. */
static size_t
get_settable(void)
{
	struct jmsg_buf b;

	jmsg_start(&b, req, JPROTO_MAXMSG, JM_GET, 0, 0);
	for (size_t i = 0; i < jparam_count; i++)
		if (jparam_table[i].access == JPA_RW)
			jmsg_add(&b, jparam_table[i].name, NULL, 0, 1);
	return finish(&b);
}

static const struct jmsg_item *
get_one(struct fz *f, const char *name)
{
	struct jmsg_buf b;
	int nfds;

	what = "GET";
	jmsg_start(&b, req, JPROTO_MAXMSG, JM_GET, 0, 0);
	jmsg_add(&b, name, NULL, 0, 1);
	if (call(f, finish(&b), &nfds) != 0 || reply.n != 1)
		fz_fail(f, "GET %s: status %d, %u items", name, reply.h.status,
		    reply.n);
	return &reply.item[0];
}

void
probe_init(struct fz *f, int deadline)
{
	const struct jmsg_item *it;
	int nfds;

	deadline_ms = deadline;
	it = get_one(f, "ip4");
	f->ip4new = it->len == sizeof(int) && *(const int *)it->value == 1;
	what = "GET of the settable parameters";
	if (call(f, get_settable(), &nfds) != 0)
		fz_fail(f, "GET of the settable parameters: status %d",
		    reply.h.status);
	savedlen = (size_t)reply.h.len;
	memcpy(saved, rep, savedlen);
	jmsg_set_seq(saved, 0);		/* the parameters, not the exchange */
}

/* The jail answers, as itself. */
static void
check_alive(struct fz *f)
{
	const struct jmsg_item *it = get_one(f, "jid");

	if (it->len != sizeof(int) || *(const int *)it->value != f->jid)
		fz_fail(f, "GET jid: not %d", f->jid);
}

/* meta.seqfuzz: a key of the probe's own, which the pool never touches. */
static const char *
meta_probe(struct fz *f)
{
	const struct jmsg_item *it = get_one(f, "meta.seqfuzz");

	return it->null ? "" : it->value;
}

static void
set_meta_probe(struct fz *f, const char *val, int refused)
{
	struct jmsg_buf b;
	int nfds, st;

	what = refused ? "refused UPDATE" : "UPDATE";
	jmsg_start(&b, req, JPROTO_MAXMSG, JM_UPDATE, 0, 0);
	jmsg_add_str(&b, "meta.seqfuzz", val);
	if (refused)
		req_add_invalid(f, &b);
	st = call(f, finish(&b), &nfds);
	if (!refused && st != 0)
		fz_fail(f, "a valid UPDATE failed: %d", st);
	if (refused && st == 0)
		fz_fail(f, "an invalid UPDATE was taken (step %lu)", f->step);
}

/* Root: a change is made; a refused request changes nothing. */
static void
check_updates(struct fz *f)
{
	char val[32], got[32];

	snprintf(val, sizeof(val), "v%08x", fz_rand(f));
	set_meta_probe(f, val, 0);
	snprintf(got, sizeof(got), "%s", meta_probe(f));
	if (strcmp(got, val) != 0)
		fz_fail(f, "meta.seqfuzz is \"%s\", not \"%s\"", got, val);
	set_meta_probe(f, "changed", 1);
	snprintf(got, sizeof(got), "%s", meta_probe(f));
	if (strcmp(got, val) != 0)
		fz_fail(f, "a refused UPDATE changed meta.seqfuzz to \"%s\"",
		    got);
}

/* Unprivileged: all but GET refused with EPERM, and no descriptors. */
static void
check_denied(struct fz *f)
{
	static const int kinds[] = { RQ_UPDATE, RQ_UPDATE_BAD, RQ_ATTACH,
	    RQ_REMOVE };
	int kind = kinds[fz_below(f, 4)], nfds, st;
	size_t len = req_make(f, kind, req, sizeof(req));

	what = rq_names[kind];
	st = call(f, len, &nfds);
	if (st != EPERM || nfds != 0)
		fz_fail(f, "an unprivileged %s: status %d, %d descriptors",
		    rq_names[kind], st, nfds);
}

/* Anything that has an answer gets one, well formed. */
static void
check_any(struct fz *f)
{
	int kind, nfds;
	size_t len;

	do
		kind = req_pick(f);
	while (kind == RQ_ATTACHED || kind == RQ_EMPTY);
	len = req_make(f, kind, req, sizeof(req));
	if (req_type(req, len) == JM_ATTACHED)
		return;		/* damage made it one: no answer comes */
	what = rq_names[kind];
	(void)call(f, len, &nfds);
	if (nfds != 0 && !f->root)
		fz_fail(f, "an unprivileged %s brought %d descriptors",
		    rq_names[kind], nfds);
}

/* One question on a fresh connection: accepted and answered in time. */
void
probe_alive(struct fz *f)
{
	f->probes++;
	check_alive(f);
	close(sock);
	sock = -1;
}

void
probe_run(struct fz *f)
{
	f->probes++;
	check_alive(f);
	if (f->root)
		check_updates(f);
	else
		check_denied(f);
	check_any(f);
	close(sock);
	sock = -1;
}

/* The first item where two GET replies differ, for the message. */
static const char *
first_change(void)
{
	static struct jmsg then;
	static unsigned char copy[JPROTO_MAXMSG];

	memcpy(copy, saved, savedlen);
	if (jmsg_decode(copy, savedlen, &then) < 0 || then.n != reply.n)
		return "(the item count)";
	for (unsigned i = 0; i < then.n; i++)
		if (then.item[i].len != reply.item[i].len ||
		    then.item[i].null != reply.item[i].null ||
		    memcmp(then.item[i].value, reply.item[i].value,
		    then.item[i].len) != 0)
			return then.item[i].name;
	return "(padding)";
}

/* Sockets of process PID: its listening one and its connections. */
static int
count_sockets(pid_t pid)
{
	char dir[32], link[64];
	struct dirent *d;
	DIR *dp;
	int n = 0;

	snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)pid);
	if ((dp = opendir(dir)) == NULL)
		return 0;
	while ((d = readdir(dp)) != NULL) {
		ssize_t k = readlinkat(dirfd(dp), d->d_name, link,
		    sizeof(link) - 1);

		if (k < 0)
			continue;
		link[k] = '\0';
		n += strncmp(link, "socket:", 7) == 0;
	}
	closedir(dp);
	return n;
}

/*
 * Wait until the prison has let go of every connection of the pool but
 * the probe's.  A connection that was closed with its own descriptor in
 * flight (pick_fds sends it) lives on until the prison reads that
 * message, and the requests before it are served first: they must not
 * land after the restoring UPDATE.
 */
static void
drain(struct fz *f)
{
	struct ucred cred;
	socklen_t cl = sizeof(cred);
	long end = fz_now_ms() + deadline_ms;
	int n;

	what = "drain";
	while (sock < 0 && (sock = fz_dial(f, 1)) < 0 && fz_now_ms() < end)
		usleep(10000);
	if (sock < 0 || getsockopt(sock, SOL_SOCKET, SO_PEERCRED, &cred,
	    &cl) < 0)
		fz_fail(f, "cannot ask the prison who it is: %s",
		    strerror(errno));
	while ((n = count_sockets(cred.pid)) > 2) {
		if (fz_now_ms() >= end)
			fz_fail(f, "the prison still has %d connections of "
			    "closed clients after %d ms", n - 2, deadline_ms);
		usleep(10000);
	}
}

void
probe_restore(struct fz *f)
{
	struct jmsg_hdr h;
	int nfds;

	if (f->root && !f->shared)
		drain(f);
	if (f->root) {
		/* The saved reply's items are name=value: an UPDATE as is. */
		memcpy(req, saved, savedlen);
		memcpy(&h, req, sizeof(h));
		h.type = JM_UPDATE;
		memcpy(req, &h, sizeof(h));
		what = "restoring UPDATE";
		if (call(f, savedlen, &nfds) != 0)
			fz_fail(f, "setting the parameters back failed: %d",
			    reply.h.status);
	}
	what = "GET of the settable parameters";
	if (call(f, get_settable(), &nfds) != 0)
		fz_fail(f, "GET of the settable parameters: status %d",
		    reply.h.status);
	jmsg_set_seq(rep, 0);
	if (f->shared)
		;	/* another client's changes are not ours to judge */
	else if ((size_t)reply.h.len != savedlen ||
	    memcmp(rep, saved, savedlen) != 0)
		fz_fail(f, "the jail's parameters are not as at the start: %s",
		    first_change());
	close(sock);
	sock = -1;
}

/*
 * Check "meta-nul": a meta.KEY value that comes without its NUL must be
 * refused, or kept as sent.  The prison must not read on past the item,
 * into what an earlier request (another client's, maybe) left in its
 * buffer.  Returns 0 when it does not.
 */
int
probe_meta_nul(struct fz *f)
{
	static char stale[3000];
	const struct jmsg_item *it;
	struct jmsg_buf b;
	int nfds, st;

	memset(stale, 'Z', sizeof(stale) - 1);
	what = "GET leaving bytes behind";
	jmsg_start(&b, req, JPROTO_MAXMSG, JM_GET, 0, 0);
	jmsg_add_str(&b, "meta.none", stale);
	(void)call(f, finish(&b), &nfds);
	what = "UPDATE with an unterminated value";
	jmsg_start(&b, req, JPROTO_MAXMSG, JM_UPDATE, 0, 0);
	req_add_unterminated(f, &b, "meta.seqfuzz");
	st = call(f, finish(&b), &nfds);
	it = get_one(f, "meta.seqfuzz");
	if (st != 0 || (it->len == 5 && memcmp(it->value, "abcd", 5) == 0))
		return 0;
	printf("meta.seqfuzz was sent as the 4 bytes \"abcd\" without a NUL;"
	    " the prison took it (status %d) and keeps %u bytes: \"%.40s%s\"\n",
	    st, it->len, it->null ? "(null)" : (const char *)it->value,
	    it->len > 40 ? "..." : "");
	return 1;
}
