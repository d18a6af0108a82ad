/*
 * Stopping a jail's processes before it is removed: jail(8)'s
 * stop.timeout (JM_TERM).  FreeBSD's jail(8) sends SIGTERM to every
 * process of the jail and gives them up to stop.timeout seconds to exit
 * before jail_remove kills what is left.  Here the prison does both: it
 * alone knows which processes are the jail's, and it can answer the
 * moment the last one is gone instead of being polled.
 *
 * The jail's processes are those of its cgroup's "jail" child: every one
 * but its init (cgroup.c).  No process enters the jail to signal them.
 * A pid read from cgroup.procs is opened as a pidfd, and signalled only
 * if it is still listed there once the pidfd is open: a pid whose process
 * was reaped and handed to a host process in between is then no longer
 * listed (the host process is elsewhere), and a pidfd, unlike a pid, can
 * never come to name another process.
 *
 * The loop never waits here: a request is answered at once when the jail
 * is empty, else it waits in a list, answered by stop_poll when the
 * cgroup empties (its cgroup.events wakes the loop) or by its own timer.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>

#include "internal.h"
#include "prison.h"

#define	PIDFD_BATCH	256	/* pidfds open at once */
#define	MAXWAITERS	64	/* requests waiting at once */

struct stopwait {
	struct source	 on_timer;	/* first: its timer fired */
	struct prison	*pr;
	struct conn	*c;		/* whom to answer */
	uint32_t	 seq;		/* the request's number */
	int		 timerfd;
	int		 dead;		/* answered or abandoned */
	struct stopwait	*next;
};

/*
 * The dead are freed only before the next round of the loop: an event of
 * their timer may still be among those of the round at hand.
 */
static struct stopwait *waiters, *dead;
static int nwaiters;

static int
pid_listed(pid_t pid, const pid_t *pids, int n)
{
	int lo = 0, hi = n - 1;

	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;

		if (pids[mid] == pid)
			return 1;
		if (pids[mid] < pid)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return 0;
}

/*
 * Signal those of PIDS[0..N) that are still the jail's: a pidfd of each
 * first, then the list read again, then the signal through the pidfd.
 */
static void
term_batch(struct prison *pr, const pid_t *pids, int n)
{
	int fds[PIDFD_BATCH];
	pid_t *now;
	int nnow;

	for (int i = 0; i < n; i++)
		fds[i] = (int)syscall(SYS_pidfd_open, pids[i], 0);
	if ((nnow = cgroup_procs(pr, &now)) >= 0) {
		for (int i = 0; i < n; i++)
			if (fds[i] >= 0 && pid_listed(pids[i], now, nnow))
				(void)syscall(SYS_pidfd_send_signal, fds[i],
				    SIGTERM, NULL, 0);
		free(now);
	}
	for (int i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

/* SIGTERM to every process of the jail but its init. */
static void
term_all(struct prison *pr)
{
	pid_t *pids;
	int n;

	if ((n = cgroup_procs(pr, &pids)) < 0)
		return;
	for (int i = 0; i < n; i += PIDFD_BATCH)
		term_batch(pr, pids + i,
		    n - i < PIDFD_BATCH ? n - i : PIDFD_BATCH);
	free(pids);
}

/* How many processes the jail has left, its init aside. */
static int
left(struct prison *pr)
{
	pid_t *pids;
	int n;

	if (!cgroup_populated(pr))
		return 0;
	if ((n = cgroup_procs(pr, &pids)) < 0)
		return 1;	/* populated, whatever the count */
	free(pids);
	return n;
}

static void
reply_left(struct conn *c, uint32_t seq, int n)
{
	unsigned char buf[128];
	struct jmsg_hdr h = { .seq = seq };
	struct jmsg_buf b;

	jmsg_start_reply(&b, buf, sizeof(buf), &h, 0);
	jmsg_add_int(&b, "left", n);
	if (jmsg_finish(&b) > 0)
		send(conn_fd(c), buf, b.len, MSG_DONTWAIT | MSG_NOSIGNAL);
}

/* Off the list, its timer closed; its connection is the caller's care. */
static void
waiter_free(struct stopwait *w)
{
	for (struct stopwait **pp = &waiters; *pp != NULL; pp = &(*pp)->next)
		if (*pp == w) {
			*pp = w->next;
			break;
		}
	nwaiters--;
	serve_unwatch(w->timerfd);
	close(w->timerfd);
	w->timerfd = -1;
	w->dead = 1;
	w->next = dead;
	dead = w;
}

/* Answer W with what is left, and let its connection go. */
static void
waiter_answer(struct stopwait *w, int n)
{
	struct conn *c = w->c;

	reply_left(c, w->seq, n);
	waiter_free(w);
	conn_unkeep(c);
}

/* Its client went away before the answer. */
static void
waiter_gone(void *owner)
{
	waiter_free(owner);
}

static void
timer_ready(struct source *s, uint32_t events)
{
	struct stopwait *w = (struct stopwait *)s;

	(void)events;
	if (!w->dead)
		waiter_answer(w, left(w->pr));
}

void
stop_poll(struct prison *pr)
{
	while (dead != NULL) {
		struct stopwait *w = dead;

		dead = w->next;
		free(w);
	}
	if (waiters == NULL || cgroup_populated(pr))
		return;
	while (waiters != NULL)
		waiter_answer(waiters, 0);
}

/* Wait for the jail to empty, SECS at most, before answering. */
static int
wait_empty(struct prison *pr, struct conn *c, const struct jmsg *req,
    int secs)
{
	struct itimerspec it = { .it_value = { .tv_sec = secs } };
	struct stopwait *w;

	if (nwaiters >= MAXWAITERS) {
		reply_err(c, req, EAGAIN, "too many requests wait for the "
		    "jail's processes to exit");
		return EAGAIN;
	}
	if ((w = calloc(1, sizeof(*w))) == NULL) {
		reply_err(c, req, ENOMEM, NULL);
		return ENOMEM;
	}
	w->timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (w->timerfd < 0 || timerfd_settime(w->timerfd, 0, &it, NULL) < 0) {
		int e = errno;

		if (w->timerfd >= 0)
			close(w->timerfd);
		free(w);
		reply_err(c, req, e, "timerfd");
		return e;
	}
	w->on_timer.ready = timer_ready;
	w->pr = pr;
	w->c = c;
	w->seq = req->h.seq;
	w->next = waiters;
	waiters = w;
	nwaiters++;
	serve_watch(w->timerfd, EPOLLIN, &w->on_timer);
	conn_keep(c, w, waiter_gone, 0);
	return 0;
}

int
op_term(struct prison *pr, struct conn *c, const struct jmsg *req)
{
	const struct jmsg_item *it = jmsg_find(req, "timeout");
	int secs, n;

	if (it == NULL || it->null || it->len != sizeof(int)) {
		reply_err(c, req, EINVAL, "timeout: an int");
		return EINVAL;
	}
	memcpy(&secs, it->value, sizeof(secs));
	if (secs < 0) {
		reply_err(c, req, EINVAL, "timeout: a number of seconds, "
		    "0 or more");
		return EINVAL;
	}
	if (cgroup_populated(pr))
		term_all(pr);
	/* Answered now if nothing is left, or nothing is to be waited for. */
	if ((n = left(pr)) == 0 || secs == 0) {
		reply_left(c, req->h.seq, n);
		return 0;
	}
	return wait_empty(pr, c, req, secs);
}
