/*
 * descbench: jail descriptors against their nearest peers, pidfds
 * (bench/desc, bench/README.md).  Each side runs in the same process, in
 * alternating rounds; every operation is timed on its own (CLOCK_MONOTONIC)
 * and written to OUTDIR/samples as "SECTION ROUND SIDE SECONDS".  This
 * program prints per-operation medians; bench/desc (benchlib.py samples)
 * makes the ratios.
 *
 *   get    jail_get(jid, desc) with JAIL_GET_DESC + close, for a persistent
 *          jail, against pidfd_open(pid of a live child) + close.  Beside
 *          them, for the breakdown only: "get1", jail_get(jid, path)
 *          without a descriptor: one connection to the prison and one GET
 *          (GET_DESC makes that one and then a second, in jdesc_open).
 *          Not host.hostname: the prison rereads the jail's UTS
 *          namespace for it, which GET_DESC does not.
 *   hup    The delay from just before jail_remove_jd(desc[0]) until poll()
 *          has reported POLLHUP on all NDESC descriptors of the jail,
 *          against the delay from just before kill(SIGKILL) until poll()
 *          has reported POLLIN on NDESC pidfds of the killed child.  A
 *          thread of ours is asleep in poll() on all of them before the
 *          clock starts.  A fresh jail (a fresh child) each time; making
 *          it, its descriptors, and waiting for its prison's exit after,
 *          are not timed.  Beside them: when the first descriptor was
 *          seen ("jail_first", "pidfd_first"), and when jail_remove_jd
 *          and kill returned ("remove_ret": it answers once the jail is
 *          torn down; "kill_ret").
 *   spawn  A spawn of /bin/true in a persistent jail, waited for:
 *          jail_spawn_jd + jail_spawn_wait through a descriptor of it
 *          ("spawn_jd"), against posix_spawn + waitpid of "jexec NAME
 *          /bin/true" and of "nsenter -a -t INIT /bin/true"; and
 *          spawn_jd's operation by an unprivileged child of ours (uid
 *          65534, a descriptor it got as root: "spawn_jd_unpriv", the
 *          delegation case).  Our stdio is /dev/null meanwhile.  See
 *          bench_spawn().
 *
 * Written against the installed interface only (<sys/jail.h>, <jail.h>,
 * <jaildesc.h>).  JAIL_REGISTRY and JAIL_PRISON come from the environment.
 * SIGINT, SIGTERM, SIGHUP: the current operation finishes, every jail is
 * removed, and the exit status is 130.  Every jail is made with an owning
 * descriptor (JAIL_OWN_DESC) as well, so that a jail made whole goes with
 * this process even if it is killed (SIGKILL).  Not one being made: the
 * library asks for the owning descriptor only once the jail is complete,
 * on a second connection, so a SIGKILL inside jail_set leaves a persistent
 * jail that nobody owns.  bench/desc removes whatever is left in its
 * registry (jail -r) after the driver has exited.  The prisons' pids go
 * to OUTDIR/prisons, for the leftover check.
 */
#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include <sys/jail.h>
#include <jail.h>
#include <jaildesc.h>

#ifndef SYS_pidfd_open
#define	SYS_pidfd_open	434
#endif

#define	IOV(n, v, l) \
	{ .iov_base = (void *)(n), .iov_len = strlen(n) + 1 }, \
	{ .iov_base = (void *)(v), .iov_len = (l) }

static volatile sig_atomic_t stop;
static char errmsg[JAIL_ERRMSGLEN];
static const char *root;
static FILE *samples, *prisons;

/* The jail of section get, and the child of its pidfds. */
static int get_jid = -1, get_own = -1;
static pid_t get_child = -1;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
pidfd_open(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
median(double *v, int n)
{
	if (n == 0)
		return 0;
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* ------------------------------------------------------------ jails */

/* The pid of the prison behind descriptor D (it is a socket to it). */
static pid_t
prison_of(int d)
{
	struct ucred cred;
	socklen_t cl = sizeof(cred);

	if (getsockopt(d, SOL_SOCKET, SO_PEERCRED, &cred, &cl) < 0)
		return -1;
	return cred.pid;
}

/*
 * A persistent jail NAME on the root, owned by descriptor *OWN (removed
 * when it closes).  Its jid, or -1.
 */
static int
make_jail(const char *name, int *own)
{
	int d = -1, jid;
	struct iovec iov[] = {
		IOV("name", name, strlen(name) + 1),
		IOV("path", root, strlen(root) + 1),
		IOV("persist", NULL, 0),
		IOV("desc", &d, sizeof(d)),
		IOV("errmsg", errmsg, sizeof(errmsg)),
	};

	errmsg[0] = '\0';
	jid = jail_set(iov, 10, JAIL_CREATE | JAIL_OWN_DESC |
	    JAIL_DESC_CLOEXEC);
	if (jid < 0) {
		fprintf(stderr, "descbench: jail_set %s: %s: %s\n", name,
		    strerror(errno), errmsg);
		return -1;
	}
	*own = d;
	if (prisons != NULL) {
		fprintf(prisons, "%d\n", (int)prison_of(d));
		fflush(prisons);
	}
	return jid;
}

/* jail_get of nothing but a new descriptor of JID (FLAGS: JAIL_GET_DESC...). */
static int
get_desc_f(int jid, int flags)
{
	int d = -1;
	struct iovec iov[] = {
		IOV("jid", &jid, sizeof(jid)),
		IOV("desc", &d, sizeof(d)),
		IOV("errmsg", errmsg, sizeof(errmsg)),
	};

	if (jail_get(iov, 6, flags) != jid)
		return -1;
	return d;
}

static int
get_desc(int jid)
{
	return get_desc_f(jid, JAIL_GET_DESC);
}

/* Remove the jail of owning descriptor *OWN, and wait for its prison. */
static void
remove_owned(int *own)
{
	pid_t pr;
	int pfd = -1;

	if (*own < 0)
		return;
	if ((pr = prison_of(*own)) > 0)
		pfd = pidfd_open(pr);
	if (jail_remove_jd(*own) < 0 && errno != ENOENT)
		fprintf(stderr, "descbench: jail_remove_jd: %s\n",
		    strerror(errno));
	close(*own);	/* the last reference: removes it, if nothing did */
	*own = -1;
	if (pfd >= 0) {
		struct pollfd p = { .fd = pfd, .events = POLLIN };

		(void)poll(&p, 1, 10000);
		close(pfd);
	}
}

/* ------------------------------------------------------------ children */

/*
 * A child asleep in pause(), killed with us (PR_SET_PDEATHSIG).  Returns
 * once it is asleep.
 */
static pid_t
sleeper(void)
{
	int p[2];
	pid_t pid;
	char c;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		if (getppid() == 1)
			_exit(0);
		signal(SIGINT, SIG_IGN);
		signal(SIGTERM, SIG_DFL);
		close(p[0]);
		(void)!write(p[1], "x", 1);
		close(p[1]);
		for (;;)
			pause();
	}
	close(p[1]);
	(void)!read(p[0], &c, 1);
	close(p[0]);
	return pid;
}

static void
kill_child(pid_t *pid)
{
	if (*pid <= 0)
		return;
	kill(*pid, SIGKILL);
	while (waitpid(*pid, NULL, 0) < 0 && errno == EINTR)
		;
	*pid = -1;
}

/* ------------------------------------------------------------ get */

static int
op_getdesc(void)
{
	int d = get_desc(get_jid);

	if (d < 0)
		return -1;
	close(d);
	return 0;
}

static int
op_get1(void)
{
	char path[4096];
	struct iovec iov[] = {
		IOV("jid", &get_jid, sizeof(get_jid)),
		IOV("path", path, sizeof(path)),
		IOV("errmsg", errmsg, sizeof(errmsg)),
	};

	return jail_get(iov, 6, 0) == get_jid ? 0 : -1;
}

static int
op_pidfd(void)
{
	int fd = pidfd_open(get_child);

	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static const struct getside {
	const char	*name;
	int		(*op)(void);
} getsides[] = {
	{ "getdesc",	op_getdesc },
	{ "pidfd",	op_pidfd },
	{ "get1",	op_get1 },
};
#define	NGETSIDES	3

static int
bench_get(int rounds, int runs, int warmup)
{
	int per = (runs + rounds - 1) / rounds, n[NGETSIDES] = { 0 };
	double *t[NGETSIDES];
	char name[64];

	snprintf(name, sizeof(name), "descbench-get-%d", (int)getpid());
	if ((get_jid = make_jail(name, &get_own)) < 0)
		return -1;
	if ((get_child = sleeper()) < 0) {
		perror("descbench: fork");
		return -1;
	}
	for (int s = 0; s < NGETSIDES; s++)
		if ((t[s] = calloc((size_t)per * (size_t)rounds, sizeof(double))) == NULL)
			return -1;
	for (int r = 0; r < rounds && !stop; r++) {
		for (int k = 0; k < NGETSIDES && !stop; k++) {
			/* The order rotates from round to round. */
			int s = (r + k) % NGETSIDES;
			const struct getside *g = &getsides[s];

			for (int i = 0; i < warmup; i++)
				if (g->op() < 0)
					goto failed;
			for (int i = 0; i < per && !stop; i++) {
				double t0 = now(), t1;

				if (g->op() < 0)
					goto failed;
				t1 = now();
				t[s][n[s]++] = t1 - t0;
				fprintf(samples, "get %d %s %.9f\n", r, g->name,
				    t1 - t0);
			}
			continue;
failed:
			if (stop)
				break;
			fprintf(stderr, "descbench: %s: %s: %s\n", g->name,
			    strerror(errno), errmsg);
			return -1;
		}
	}
	if (stop)
		return -1;
	printf("  get: %d rounds, %d per side per round, warmup %d\n", rounds,
	    per, warmup);
	for (int s = 0; s < NGETSIDES; s++)
		printf("    %-8s median %9.3f us  (n=%d)\n", getsides[s].name,
		    median(t[s], n[s]) * 1e6, n[s]);
	for (int s = 0; s < NGETSIDES; s++)
		free(t[s]);
	kill_child(&get_child);
	remove_owned(&get_own);
	return 0;
}

/* ------------------------------------------------------------ hup */

struct watch {
	struct pollfd	*p;
	int		 n;
	short		 want;		/* POLLHUP (jail), POLLIN (pidfd) */
	volatile int	 tid;		/* set once it is about to poll */
	double		 first;		/* when the first one was seen */
	double		 done;		/* when the last one was seen */
	int		 failed;
};

/* Poll until every descriptor has WANT; the time of the last. */
static void *
watcher(void *arg)
{
	struct watch *w = arg;
	int left = w->n;

	__atomic_store_n(&w->tid, (int)syscall(SYS_gettid), __ATOMIC_SEQ_CST);
	while (left > 0) {
		int k = poll(w->p, (nfds_t)w->n, 10000);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			w->failed = 1;
			return NULL;
		}
		if (left == w->n)
			w->first = now();
		for (int i = 0; i < w->n; i++) {
			if (w->p[i].fd < 0 || w->p[i].revents == 0)
				continue;
			if (!(w->p[i].revents & w->want)) {
				w->failed = 1;	/* POLLERR, POLLNVAL */
				return NULL;
			}
			w->p[i].fd = -1;	/* poll ignores it now */
			left--;
		}
	}
	w->done = now();
	return NULL;
}

/* Wait until thread TID is asleep (in poll). */
static void
wait_asleep(int tid)
{
	char path[64], buf[256], *s;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	for (int i = 0; i < 100000; i++) {
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		ssize_t k = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

		if (fd >= 0)
			close(fd);
		if (k > 0) {
			buf[k] = '\0';
			if ((s = strrchr(buf, ')')) != NULL && s[1] == ' ' &&
			    s[2] == 'S')
				return;
		}
		usleep(20);
	}
}

/*
 * Start watching FDS for WANT, run TRIGGER once the watcher is asleep;
 * the delay until every descriptor had it, and when TRIGGER returned.
 */
static int
timed_wake(int *fds, int n, short want, int (*trigger)(void *), void *arg,
    double *delay, double *first, double *ret)
{
	struct watch w = { .n = n, .want = want };
	pthread_t th;
	double t0, t1;
	int st;

	if ((w.p = calloc((size_t)n, sizeof(*w.p))) == NULL)
		return -1;
	for (int i = 0; i < n; i++)
		w.p[i] = (struct pollfd){ .fd = fds[i],
		    .events = want == POLLIN ? POLLIN : 0 };
	if (pthread_create(&th, NULL, watcher, &w) != 0) {
		free(w.p);
		return -1;
	}
	while (__atomic_load_n(&w.tid, __ATOMIC_SEQ_CST) == 0)
		sched_yield();
	wait_asleep(w.tid);
	t0 = now();
	st = trigger(arg);
	t1 = now();
	pthread_join(th, NULL);
	free(w.p);
	if (st < 0 || w.failed)
		return -1;
	*delay = w.done - t0;
	*first = w.first - t0;
	*ret = t1 - t0;
	return 0;
}

static int
trig_remove(void *arg)
{
	return jail_remove_jd(*(int *)arg);
}

static int
trig_kill(void *arg)
{
	return kill(*(pid_t *)arg, SIGKILL);
}

/* One jail: NDESC descriptors, removed through the first. */
static int
hup_jail(int ndesc, int k, double *delay, double *first, double *ret)
{
	char name[64];
	int own = -1, jid, *d, pfd = -1, st = -1;
	pid_t pr;

	snprintf(name, sizeof(name), "descbench-hup-%d-%d", (int)getpid(), k);
	if ((jid = make_jail(name, &own)) < 0)
		return -1;
	if ((d = malloc((size_t)ndesc * sizeof(int))) == NULL)
		goto out;
	for (int i = 0; i < ndesc; i++)
		d[i] = -1;
	if ((pr = prison_of(own)) > 0)
		pfd = pidfd_open(pr);
	for (int i = 0; i < ndesc; i++)
		if ((d[i] = get_desc(jid)) < 0) {
			fprintf(stderr, "descbench: jail_get desc %d: %s: %s\n",
			    i, strerror(errno), errmsg);
			goto out;
		}
	st = timed_wake(d, ndesc, POLLHUP, trig_remove, &d[0], delay, first,
	    ret);
	if (st < 0)
		fprintf(stderr, "descbench: jail_remove_jd/POLLHUP: %s\n",
		    strerror(errno));
out:
	if (d != NULL)
		for (int i = 0; i < ndesc; i++)
			if (d[i] >= 0)
				close(d[i]);
	free(d);
	if (st < 0)
		remove_owned(&own);
	else {
		close(own);
		/* Not timed: the prison's exit, before the next jail. */
		if (pfd >= 0) {
			struct pollfd p = { .fd = pfd, .events = POLLIN };

			(void)poll(&p, 1, 10000);
		}
	}
	if (pfd >= 0)
		close(pfd);
	return st;
}

/* One child: NDESC pidfds, killed. */
static int
hup_pidfd(int ndesc, double *delay, double *first, double *ret)
{
	pid_t pid;
	int *d, st = -1;

	if ((d = malloc((size_t)ndesc * sizeof(int))) == NULL)
		return -1;
	if ((pid = sleeper()) < 0) {
		free(d);
		return -1;
	}
	for (int i = 0; i < ndesc; i++)
		d[i] = -1;
	for (int i = 0; i < ndesc; i++)
		if ((d[i] = pidfd_open(pid)) < 0) {
			perror("descbench: pidfd_open");
			goto out;
		}
	st = timed_wake(d, ndesc, POLLIN, trig_kill, &pid, delay, first, ret);
out:
	kill_child(&pid);
	for (int i = 0; i < ndesc; i++)
		if (d[i] >= 0)
			close(d[i]);
	free(d);
	return st;
}

static int
bench_hup(int rounds, int runs, int ndesc)
{
	int per = (runs + rounds - 1) / rounds, nj = 0, np = 0, k = 0;
	double *tj, *tp, *rj, *rp, delay, first, ret;

	tj = calloc((size_t)per * (size_t)rounds, sizeof(double));
	tp = calloc((size_t)per * (size_t)rounds, sizeof(double));
	rj = calloc((size_t)per * (size_t)rounds, sizeof(double));
	rp = calloc((size_t)per * (size_t)rounds, sizeof(double));
	if (tj == NULL || tp == NULL || rj == NULL || rp == NULL)
		return -1;
	/* Warm up: one of each, not counted. */
	if (hup_jail(ndesc, k++, &delay, &first, &ret) < 0 ||
	    hup_pidfd(ndesc, &delay, &first, &ret) < 0)
		return -1;
	for (int r = 0; r < rounds && !stop; r++) {
		for (int half = 0; half < 2 && !stop; half++) {
			int jail = (r + half) % 2 == 0;

			for (int i = 0; i < per && !stop; i++) {
				if (jail) {
					if (hup_jail(ndesc, k++, &delay, &first,
					    &ret) < 0)
						return -1;
					tj[nj] = delay;
					rj[nj++] = ret;
				} else {
					if (hup_pidfd(ndesc, &delay, &first,
					    &ret) < 0)
						return -1;
					tp[np] = delay;
					rp[np++] = ret;
				}
				fprintf(samples, "hup %d %s %.9f\n", r,
				    jail ? "jail" : "pidfd", delay);
				fprintf(samples, "hup %d %s %.9f\n", r,
				    jail ? "jail_first" : "pidfd_first", first);
				fprintf(samples, "hup %d %s %.9f\n", r,
				    jail ? "remove_ret" : "kill_ret", ret);
			}
		}
	}
	if (stop)
		return -1;
	printf("  hup: %d rounds, %d per side per round, %d descriptors each\n",
	    rounds, per, ndesc);
	printf("    %-8s median %9.3f us to POLLHUP on all %d  "
	    "(jail_remove_jd returned after %.3f us)  (n=%d)\n", "jail",
	    median(tj, nj) * 1e6, ndesc, median(rj, nj) * 1e6, nj);
	printf("    %-8s median %9.3f us to POLLIN on all %d  "
	    "(kill returned after %.3f us)  (n=%d)\n", "pidfd",
	    median(tp, np) * 1e6, ndesc, median(rp, np) * 1e6, np);
	free(tj);
	free(tp);
	free(rj);
	free(rp);
	return 0;
}

/* ------------------------------------------------------------ spawn */

/*
 * A spawn of /bin/true in a persistent jail, waited for, timed as one
 * operation (issue 12, item 12c):
 *
 *   spawn_jd         h = jail_spawn_jd(desc, {"/bin/true", NULL}, NULL,
 *                    NULL); jail_spawn_wait(h, &status), through a
 *                    descriptor of the jail (JAIL_GET_DESC), by us (root).
 *   jexec            posix_spawn of "JEXEC NAME /bin/true", waitpid.
 *   nsenter          posix_spawn of "NSENTER -a -t INIT /bin/true",
 *                    waitpid; INIT is the jail's init, found as
 *                    benchlib.py init finds it (find_init).
 *   spawn_jd_unpriv  the delegation case: spawn_jd's operation in a child
 *                    of ours that got its own descriptor (JAIL_GET_DESC)
 *                    as root and then became uid and gid 65534 with no
 *                    groups; timed inside the child, which sends the
 *                    times back on a pipe.
 *
 * The sides rotate from round to round, as in get.  Each exit status must
 * be 0.  While it runs, our standard descriptors are /dev/null: every side
 * hands them to /bin/true (jail_spawn_jd passes 0-2, posix_spawn inherits
 * them), so it writes nowhere, and none of them is a terminal (for one,
 * jail_spawn_jd would set up a terminal of the jail's own).  Messages go
 * to a copy of our stderr meanwhile (errf).  Samples: "spawn ROUND SIDE
 * SECONDS".
 *
 * SIGINT, SIGTERM and SIGHUP are blocked meanwhile, and looked for
 * between operations (check_stop): jail_spawn_wait forwards them to the
 * command, so one that came while it waited would be lost.  jexec and
 * nsenter start with no signal blocked and default dispositions.
 */
static const char *jexec_path, *nsenter_path;
static int spawn_own = -1, spawn_desc = -1;
static char spawn_name[64], spawn_init[16];
static pid_t unpriv = -1;
static int unpriv_req = -1, unpriv_res = -1;
static FILE *errf;		/* our stderr, while 0-2 are /dev/null */
static int saved_stdio[3] = { -1, -1, -1 };

#define	NOBODY		65534

static char *const true_argv[] = { "/bin/true", NULL };
static sigset_t stopsigs;
static int stopsigs_blocked;
static posix_spawnattr_t spawnattr;

/* Block (ON) or unblock the stop signals; a pending one then sets stop. */
static void
block_stop(int on)
{
	sigemptyset(&stopsigs);
	sigaddset(&stopsigs, SIGINT);
	sigaddset(&stopsigs, SIGTERM);
	sigaddset(&stopsigs, SIGHUP);
	if (on != stopsigs_blocked)
		sigprocmask(on ? SIG_BLOCK : SIG_UNBLOCK, &stopsigs, NULL);
	stopsigs_blocked = on;
}

/* Has a stop signal come (blocked, pending)?  Between operations. */
static int
check_stop(void)
{
	sigset_t p;

	if (!stop && stopsigs_blocked && sigpending(&p) == 0 &&
	    (sigismember(&p, SIGINT) || sigismember(&p, SIGTERM) ||
	    sigismember(&p, SIGHUP)))
		stop = 1;
	return stop;
}

static void
say_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
say_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(errf != NULL ? errf : stderr, fmt, ap);
	va_end(ap);
}

/*
 * The jail's init: the child of PRISON in a pid namespace other than
 * PRISON's (benchlib.py init).  Its pid, or -1.
 */
static pid_t
find_init(pid_t prison)
{
	char path[64], mine[64], ns[64], buf[512], *s;
	ssize_t k;

	snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int)prison);
	if ((k = readlink(path, mine, sizeof(mine) - 1)) <= 0)
		return -1;
	mine[k] = '\0';
	for (int tries = 0; tries < 50; tries++) {
		DIR *d = opendir("/proc");
		struct dirent *e;
		pid_t found = -1;

		if (d == NULL)
			return -1;
		while (found < 0 && (e = readdir(d)) != NULL) {
			int fd, pp;
			char *end;
			long pid = strtol(e->d_name, &end, 10);

			if (*end != '\0' || pid <= 0)
				continue;
			snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
			if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
				continue;
			k = read(fd, buf, sizeof(buf) - 1);
			close(fd);
			if (k <= 0)
				continue;
			buf[k] = '\0';
			if ((s = strrchr(buf, ')')) == NULL ||
			    sscanf(s + 1, " %*c %d", &pp) != 1 || pp != prison)
				continue;
			snprintf(path, sizeof(path), "/proc/%ld/ns/pid", pid);
			if ((k = readlink(path, ns, sizeof(ns) - 1)) <= 0)
				continue;
			ns[k] = '\0';
			if (strcmp(ns, mine) != 0)
				found = (pid_t)pid;
		}
		closedir(d);
		if (found > 0)
			return found;
		usleep(100000);
	}
	return -1;
}

/* jail_spawn_jd of /bin/true through DESC, and wait for it: 0 or -1. */
static int
spawn_jd_true(int desc)
{
	int h, st;

	if ((h = jail_spawn_jd(desc, true_argv, NULL, NULL)) < 0 ||
	    jail_spawn_wait(h, &st) < 0) {
		int e = errno;

		if (!check_stop())
			say_err("descbench: jail_spawn_jd /bin/true: %s: "
			    "%s\n", strerror(e), jail_errmsg);
		return -1;
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		if (!check_stop())
			say_err("descbench: jail_spawn_jd /bin/true: "
			    "status %#x\n", st);
		return -1;
	}
	return 0;
}

/* posix_spawn ARGV (with our stdio and environment), wait: 0 or -1. */
static int
spawn_wait(char *const argv[])
{
	extern char **environ;
	pid_t pid;
	int e, st;

	if ((e = posix_spawn(&pid, argv[0], NULL, &spawnattr, argv,
	    environ)) != 0) {
		say_err("descbench: posix_spawn %s: %s\n", argv[0], strerror(e));
		return -1;
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR) {
			say_err("descbench: waitpid: %s\n", strerror(errno));
			return -1;
		}
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		/* Not when a Ctrl-C to the process group ended it. */
		if (!check_stop())
			say_err("descbench: %s: status %#x\n", argv[0], st);
		return -1;
	}
	return 0;
}

static int
op_spawn_jd(void)
{
	return spawn_jd_true(spawn_desc);
}

static int
op_jexec(void)
{
	char *const argv[] = { (char *)jexec_path, spawn_name, "/bin/true",
	    NULL };

	return spawn_wait(argv);
}

static int
op_nsenter(void)
{
	char *const argv[] = { (char *)nsenter_path, "-a", "-t", spawn_init,
	    "/bin/true", NULL };

	return spawn_wait(argv);
}

/* Whole reads and writes on the pipes to and from the unprivileged child. */
static int
full_io(int fd, void *buf, size_t len, int wr)
{
	char *p = buf;

	while (len > 0) {
		ssize_t k = wr ? write(fd, p, len) : read(fd, p, len);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		p += k;
		len -= (size_t)k;
	}
	return 0;
}

struct unpriv_req {
	int	warmup;
	int	n;
};

/*
 * The unprivileged child: a descriptor of JID made as root, then uid and
 * gid NOBODY; per request, WARMUP untimed spawns and N timed ones, whose
 * times it sends back after an int, 0 (or -1: failed).  EOF ends it.
 */
static void
unpriv_child(int jid, int req, int res, pid_t parent)
{
	struct unpriv_req rq;
	double *t = NULL;
	int desc, ok;

	desc = get_desc_f(jid, JAIL_GET_DESC | JAIL_DESC_CLOEXEC);
	if (desc < 0) {
		say_err("descbench: unprivileged child: jail_get desc: %s: %s\n",
		    strerror(errno), errmsg);
		_exit(1);
	}
	if (setgroups(0, NULL) < 0 || setgid(NOBODY) < 0 ||
	    setuid(NOBODY) < 0 || getuid() != NOBODY || geteuid() != NOBODY) {
		say_err("descbench: unprivileged child: cannot become uid %d: "
		    "%s\n", NOBODY, strerror(errno));
		_exit(1);
	}
	/* After the change of ids, which clears it. */
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (getppid() != parent)
		_exit(1);
	while (full_io(req, &rq, sizeof(rq), 0) == 0) {
		ok = 0;
		free(t);
		if ((t = calloc((size_t)rq.n + 1, sizeof(double))) == NULL)
			ok = -1;
		for (int i = 0; ok == 0 && i < rq.warmup; i++)
			if (check_stop() || spawn_jd_true(desc) < 0)
				ok = -1;
		for (int i = 0; ok == 0 && i < rq.n; i++) {
			double t0 = now();

			if (spawn_jd_true(desc) < 0)
				ok = -1;
			t[i] = now() - t0;
			if (check_stop())
				ok = -1;
		}
		if (full_io(res, &ok, sizeof(ok), 1) < 0 ||
		    (ok == 0 && full_io(res, t, (size_t)rq.n * sizeof(double),
		    1) < 0) || ok < 0)
			_exit(1);
	}
	_exit(0);
}

static int
unpriv_start(int jid)
{
	int req[2], res[2];
	pid_t parent = getpid();

	if (pipe2(req, O_CLOEXEC) < 0)
		return -1;
	if (pipe2(res, O_CLOEXEC) < 0) {
		close(req[0]);
		close(req[1]);
		return -1;
	}
	fflush(NULL);
	if ((unpriv = fork()) < 0) {
		say_err("descbench: fork: %s\n", strerror(errno));
		return -1;
	}
	if (unpriv == 0) {
		close(req[1]);
		close(res[0]);
		unpriv_child(jid, req[0], res[1], parent);
	}
	close(req[0]);
	close(res[1]);
	unpriv_req = req[1];
	unpriv_res = res[0];
	return 0;
}

/* One round of the unprivileged child's: N times into T. */
static int
unpriv_round(int warmup, int n, double *t)
{
	struct unpriv_req rq = { .warmup = warmup, .n = n };
	int ok;

	if (full_io(unpriv_req, &rq, sizeof(rq), 1) < 0 ||
	    full_io(unpriv_res, &ok, sizeof(ok), 0) < 0 || ok != 0 ||
	    full_io(unpriv_res, t, (size_t)n * sizeof(double), 0) < 0) {
		if (!check_stop())
			say_err("descbench: spawn_jd_unpriv: the unprivileged "
			    "child failed\n");
		return -1;
	}
	return 0;
}

/* End the unprivileged child: EOF on its requests, then SIGKILL. */
static void
unpriv_stop(void)
{
	if (unpriv_req >= 0)
		close(unpriv_req);
	if (unpriv_res >= 0)
		close(unpriv_res);
	unpriv_req = unpriv_res = -1;
	if (unpriv <= 0)
		return;
	for (int i = 0; i < 500; i++) {
		pid_t w = waitpid(unpriv, NULL, WNOHANG);

		if (w == unpriv || (w < 0 && errno != EINTR)) {
			unpriv = -1;
			return;
		}
		usleep(10000);
	}
	kill_child(&unpriv);
}

/* Our standard descriptors become /dev/null (ON), or are given back. */
static int
stdio_null(int on)
{
	int null;

	fflush(NULL);
	if (!on) {
		for (int fd = 0; fd <= 2; fd++)
			if (saved_stdio[fd] >= 0) {
				dup2(saved_stdio[fd], fd);
				if (fd != 2 || errf == NULL)
					close(saved_stdio[fd]);
				saved_stdio[fd] = -1;
			}
		if (errf != NULL)
			fclose(errf);	/* the copy of 2 */
		errf = NULL;
		return 0;
	}
	if ((null = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0)
		return -1;
	for (int fd = 0; fd <= 2; fd++)
		if ((saved_stdio[fd] = fcntl(fd, F_DUPFD_CLOEXEC, 3)) < 0) {
			close(null);
			stdio_null(0);
			return -1;
		}
	if ((errf = fdopen(saved_stdio[2], "w")) != NULL)
		setvbuf(errf, NULL, _IONBF, 0);
	for (int fd = 0; fd <= 2; fd++)
		dup2(null, fd);
	close(null);
	return 0;
}

/* Whatever of section spawn is left: the child, the descriptor, the jail. */
static void
spawn_cleanup(void)
{
	unpriv_stop();
	if (saved_stdio[0] >= 0)
		stdio_null(0);
	block_stop(0);
	if (spawn_desc >= 0)
		close(spawn_desc);
	spawn_desc = -1;
	remove_owned(&spawn_own);
}

static const struct spawnside {
	const char	*name;
	int		(*op)(void);	/* NULL: the unprivileged child's */
} spawnsides[] = {
	{ "spawn_jd",		op_spawn_jd },
	{ "jexec",		op_jexec },
	{ "nsenter",		op_nsenter },
	{ "spawn_jd_unpriv",	NULL },
};
#define	NSPAWNSIDES	4

static int
bench_spawn(int rounds, int runs, int warmup)
{
	int per = (runs + rounds - 1) / rounds, n[NSPAWNSIDES] = { 0 }, jid;
	double *t[NSPAWNSIDES] = { NULL };
	pid_t pr, init;
	int rc = -1;

	if (jexec_path == NULL || nsenter_path == NULL) {
		fprintf(stderr, "descbench: spawn needs -x JEXEC and -N "
		    "NSENTER\n");
		return -1;
	}
	snprintf(spawn_name, sizeof(spawn_name), "descbench-spawn-%d",
	    (int)getpid());
	if ((jid = make_jail(spawn_name, &spawn_own)) < 0)
		return -1;
	if ((spawn_desc = get_desc_f(jid, JAIL_GET_DESC |
	    JAIL_DESC_CLOEXEC)) < 0) {
		fprintf(stderr, "descbench: jail_get desc: %s: %s\n",
		    strerror(errno), errmsg);
		goto out;
	}
	if ((pr = prison_of(spawn_own)) <= 0 || (init = find_init(pr)) <= 0) {
		fprintf(stderr, "descbench: cannot find the init of jail %s "
		    "(prison %d)\n", spawn_name, (int)pr);
		goto out;
	}
	snprintf(spawn_init, sizeof(spawn_init), "%d", (int)init);
	printf("  spawn: jail %s (jid %d), prison %d, init %d\n", spawn_name,
	    jid, (int)pr, (int)init);
	for (int s = 0; s < NSPAWNSIDES; s++)
		if ((t[s] = calloc((size_t)per * (size_t)rounds,
		    sizeof(double))) == NULL)
			goto out;
	{
		sigset_t none, def;

		sigemptyset(&none);
		sigemptyset(&def);
		sigaddset(&def, SIGPIPE);
		posix_spawnattr_init(&spawnattr);
		posix_spawnattr_setsigmask(&spawnattr, &none);
		posix_spawnattr_setsigdefault(&spawnattr, &def);
		posix_spawnattr_setflags(&spawnattr, POSIX_SPAWN_SETSIGMASK |
		    POSIX_SPAWN_SETSIGDEF);
	}
	block_stop(1);
	if (stdio_null(1) < 0) {
		fprintf(stderr, "descbench: /dev/null: %s\n", strerror(errno));
		goto out;
	}
	if (unpriv_start(jid) < 0)
		goto out;
	for (int r = 0; r < rounds && !check_stop(); r++) {
		for (int k = 0; k < NSPAWNSIDES && !check_stop(); k++) {
			/* The order rotates from round to round. */
			int s = (r + k) % NSPAWNSIDES;
			const struct spawnside *g = &spawnsides[s];

			if (g->op == NULL) {
				if (unpriv_round(warmup, per, t[s] + n[s]) < 0)
					goto out;
				for (int i = 0; i < per; i++)
					fprintf(samples, "spawn %d %s %.9f\n",
					    r, g->name, t[s][n[s] + i]);
				n[s] += per;
				continue;
			}
			for (int i = 0; i < warmup && !check_stop(); i++)
				if (g->op() < 0)
					goto out;
			for (int i = 0; i < per && !check_stop(); i++) {
				double t0 = now(), t1;

				if (g->op() < 0)
					goto out;
				t1 = now();
				t[s][n[s]++] = t1 - t0;
				fprintf(samples, "spawn %d %s %.9f\n", r,
				    g->name, t1 - t0);
			}
		}
	}
	if (check_stop())
		goto out;
	rc = 0;
out:
	spawn_cleanup();	/* unblocks: a pending stop signal sets stop */
	if (rc == 0) {
		printf("  spawn: %d rounds, %d per side per round, warmup %d\n",
		    rounds, per, warmup);
		for (int s = 0; s < NSPAWNSIDES; s++)
			printf("    %-16s median %9.3f ms  (n=%d)\n",
			    spawnsides[s].name, median(t[s], n[s]) * 1e3, n[s]);
	}
	for (int s = 0; s < NSPAWNSIDES; s++)
		free(t[s]);
	return rc;
}

/* ------------------------------------------------------------ main */

static void
usage(void)
{
	fprintf(stderr, "usage: descbench -p ROOT -o OUTDIR [-s get,hup,spawn]"
	    " [-r ROUNDS] [-n GET_RUNS] [-w WARMUP] [-m HUP_RUNS] [-d NDESC]\n"
	    "                 [-x JEXEC -N NSENTER] [-k SPAWN_RUNS]"
	    " [-K SPAWN_WARMUP]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	const char *out = NULL, *sections = "get,hup,spawn";
	int rounds = 10, get_runs = 2000, warmup = 20, hup_runs = 100;
	int ndesc = 100, spawn_runs = 400, spawn_warmup = 3, opt, rc = 0;
	struct sigaction sa;
	char path[4096];

	while ((opt = getopt(argc, argv, "p:o:s:r:n:w:m:d:x:N:k:K:")) != -1) {
		switch (opt) {
		case 'p': root = optarg; break;
		case 'o': out = optarg; break;
		case 's': sections = optarg; break;
		case 'r': rounds = atoi(optarg); break;
		case 'n': get_runs = atoi(optarg); break;
		case 'w': warmup = atoi(optarg); break;
		case 'm': hup_runs = atoi(optarg); break;
		case 'd': ndesc = atoi(optarg); break;
		case 'x': jexec_path = optarg; break;
		case 'N': nsenter_path = optarg; break;
		case 'k': spawn_runs = atoi(optarg); break;
		case 'K': spawn_warmup = atoi(optarg); break;
		default: usage();
		}
	}
	if (root == NULL || out == NULL || rounds < 1 || get_runs < 1 ||
	    hup_runs < 1 || ndesc < 1 || warmup < 0 || spawn_runs < 1 ||
	    spawn_warmup < 0)
		usage();
	if (getenv("JAIL_REGISTRY") == NULL) {
		fprintf(stderr, "descbench: set JAIL_REGISTRY (a private one)\n");
		return 2;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	snprintf(path, sizeof(path), "%s/samples", out);
	/* Close-on-exec: not for jexec's and nsenter's /bin/true. */
	if ((samples = fopen(path, "we")) == NULL) {
		perror(path);
		return 2;
	}
	snprintf(path, sizeof(path), "%s/prisons", out);
	if ((prisons = fopen(path, "we")) == NULL) {
		perror(path);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (strstr(sections, "get") != NULL && bench_get(rounds, get_runs,
	    warmup) < 0)
		rc = 1;
	if (rc == 0 && !stop && strstr(sections, "hup") != NULL &&
	    bench_hup(rounds, hup_runs, ndesc) < 0)
		rc = 1;
	if (rc == 0 && !stop && strstr(sections, "spawn") != NULL &&
	    bench_spawn(rounds, spawn_runs, spawn_warmup) < 0)
		rc = 1;

	/* Whatever is left: section get's jail and child, section spawn's. */
	kill_child(&get_child);
	remove_owned(&get_own);
	spawn_cleanup();
	fclose(samples);
	fclose(prisons);
	return stop ? 130 : rc;
}
