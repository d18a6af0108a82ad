/*
 * Jail descriptors under stress, against real jails (issue 12, item 10):
 * attaches racing removals of the jail and its re-creation with the same
 * name and jid, many processes talking through one shared descriptor,
 * watchers that never read, and a run of bad descriptors (among them a
 * plain connection to a prison, which passes for a descriptor: see
 * prison_conn_not_desc).
 *
 * Each case is bounded in time (a few seconds of load, deadlines on
 * everything that could hang) and ends by checking that nothing is left:
 * the registry is empty, no process of the case's registry ("prison -r
 * REG": a prison or its guardian) remains, and, where a jail outlives the
 * load, its prison holds no more descriptors than before it.
 *
 * Like jaildesc_test, written against the installed interface only, with
 * a registry and a jail root of the case's own in its work directory.
 */
#include <atf-c.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <sys/jail.h>
#include <jail.h>
#include <jaildesc.h>

#include "jdtest.h"



static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/*
 * A persistent jail NAME (with jid WANT, if not 0, and host name HOST, if
 * not NULL) and its descriptor in *DESC, made with FLAGS.  Returns the
 * jid, or -1 with errno and errmsg: the caller decides.
 */
static int
try_make_jail(const char *name, int want, const char *host, int flags,
    int *desc)
{
	char root[600], cwd[512];
	int d = -1, jid;
	struct iovec iov[] = {
		IOV("name", name, strlen(name) + 1),
		IOV("path", root, 0),
		IOV("persist", NULL, 0),
		IOV("errmsg", errmsg, sizeof(errmsg)),
		IOV("jid", &want, sizeof(want)),
		IOV("desc", &d, sizeof(d)),
		IOV("host.hostname", host, host != NULL ? strlen(host) + 1 : 0),
	};

	if (getcwd(cwd, sizeof(cwd)) == NULL)
		return -1;
	snprintf(root, sizeof(root), "%s/root", cwd);
	iov[3].iov_len = strlen(root) + 1;
	errmsg[0] = '\0';
	jid = jail_set(iov, host != NULL ? 14 : 12, JAIL_CREATE | flags);
	if (jid > 0)
		*desc = d;
	return jid;
}

static int
make_jail(const char *name, int *desc)
{
	int jid = try_make_jail(name, 0, NULL, JAIL_GET_DESC, desc);

	ATF_REQUIRE_MSG(jid > 0, "jail_set %s: %s: %s", name, strerror(errno),
	    errmsg);
	return jid;
}


/* jail_set KEY=VALUE through descriptor DESC. */
static int
set_param(int desc, const char *key, const char *value)
{
	struct iovec iov[] = {
		IOV(key, value, strlen(value) + 1),
		IOV("desc", &desc, sizeof(desc)),
		IOV("errmsg", errmsg, sizeof(errmsg)),
	};

	errmsg[0] = '\0';
	return jail_set(iov, 6, JAIL_UPDATE | JAIL_USE_DESC);
}

/* jail_get KEY through descriptor DESC into BUF; the jid, or -1. */
static int
get_param(int desc, const char *key, char *buf, size_t len)
{
	int jid = 0;
	struct iovec iov[] = {
		IOV(key, buf, len),
		IOV("jid", &jid, sizeof(jid)),
		IOV("desc", &desc, sizeof(desc)),
		IOV("errmsg", errmsg, sizeof(errmsg)),
	};

	errmsg[0] = '\0';
	buf[0] = '\0';
	if (jail_get(iov, 8, JAIL_USE_DESC) < 0)
		return -1;
	/* The value as the reply gave it: a string of its own length. */
	if (iov[1].iov_len < len)
		buf[iov[1].iov_len] = '\0';
	buf[len - 1] = '\0';
	return jid;
}


/* The prison at the other end of descriptor DESC, or 0. */
static pid_t
peer_of(int desc)
{
	struct ucred cred;
	socklen_t cl = sizeof(cred);

	if (getsockopt(desc, SOL_SOCKET, SO_PEERCRED, &cred, &cl) < 0)
		return 0;
	return cred.pid;
}

static pid_t
prison_of(int desc)
{
	pid_t p = peer_of(desc);

	ATF_REQUIRE_MSG(p > 0, "SO_PEERCRED: %s", strerror(errno));
	return p;
}

/*
 * The prison's descriptor count once it is quiet: a request through DESC
 * first (the prison has seen every close before it answers one on a new
 * channel), then the count until it holds still, the channel of that
 * request being closed just after its answer.
 */
static int
settled_fds(pid_t prison, int desc)
{
	char buf[64];
	int a, b = count_fds(prison);

	ATF_REQUIRE_MSG(get_param(desc, "name", buf, sizeof(buf)) > 0,
	    "jail_get through the descriptor: %s: %s", strerror(errno),
	    errmsg);
	for (int t = 0; t < 40; t++) {
		usleep(50000);
		a = b;
		b = count_fds(prison);
		if (a == b)
			break;
	}
	ATF_REQUIRE_MSG(b > 0, "no count of the prison's descriptors");
	return b;
}

/* The prison's count, once back to BASE or less within MS (else the last). */
static int
fds_back_to(pid_t prison, int base, int ms)
{
	int n = count_fds(prison);
	long end = now_ms() + ms;

	while (n > base && now_ms() < end) {
		usleep(20000);
		n = count_fds(prison);
	}
	return n;
}

/*
 * The processes of registry REG: "prison -r REG" (a prison, its guardian
 * or one of its helpers).  Their pids in LIST, up to MAX.
 */
static int
registry_procs(const char *reg, pid_t *list, int max)
{
	char path[64], buf[1024];
	struct dirent *d;
	DIR *dp;
	int n = 0;

	if ((dp = opendir("/proc")) == NULL)
		return 0;
	while ((d = readdir(dp)) != NULL) {
		const char *arg1, *arg2;
		ssize_t len;
		int fd;

		if (d->d_name[0] < '1' || d->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%.20s/cmdline", d->d_name);
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			continue;
		len = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (len <= 0)
			continue;
		buf[len] = '\0';
		/* argv[0] "prison" (or a path to it), "-r", REG */
		arg1 = buf + strlen(buf) + 1;
		if (arg1 >= buf + len)
			continue;
		arg2 = arg1 + strlen(arg1) + 1;
		if (arg2 >= buf + len)
			continue;
		if (strstr(buf, "prison") == NULL || strcmp(arg1, "-r") != 0 ||
		    strcmp(arg2, reg) != 0)
			continue;
		if (n < max)
			list[n] = (pid_t)atoi(d->d_name);
		n++;
	}
	closedir(dp);
	return n;
}

/*
 * Nothing is left of the case: the registry holds no jail, and no
 * process of the registry remains (within 5 s, for the last teardown).
 */
static void
nothing_left(void)
{
	const char *reg = getenv("JAIL_REGISTRY");
	pid_t left[8];
	char who[128] = "";
	struct dirent *d;
	DIR *dp;
	int any = 0, n = 0;

	for (int t = 0; t < 250; t++) {
		any = 0;
		if ((dp = opendir(reg)) != NULL) {
			while ((d = readdir(dp)) != NULL)
				if (d->d_name[0] != '.') {
					any = 1;
					break;
				}
			closedir(dp);
		}
		n = registry_procs(reg, left, 8);
		if (!any && n == 0)
			return;
		usleep(20000);
	}
	for (int i = 0; i < n && i < 8; i++)
		snprintf(who + strlen(who), sizeof(who) - strlen(who), " %d",
		    (int)left[i]);
	atf_tc_fail("left behind:%s%s%s", any ? " a jail in the registry" : "",
	    n > 0 ? " processes of the registry:" : "", who);
}


/* A child of ours dies with us: a failed case leaves no load running. */
static void
die_with_parent(pid_t parent)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (getppid() != parent)
		_exit(99);
}

/*
 * Wait for the children PIDS until END (ms); kill those still running.
 * Returns how many did not exit 0; *LATE how many were killed.
 */
static int
reap_children(pid_t *pids, int n, long end, int *late)
{
	int bad = 0, st;

	*late = 0;
	for (int i = 0; i < n; i++) {
		pid_t r;

		while ((r = waitpid(pids[i], &st, WNOHANG)) == 0 &&
		    now_ms() < end)
			usleep(10000);
		if (r == 0) {
			kill(pids[i], SIGKILL);
			waitpid(pids[i], &st, 0);
			(*late)++;
			bad++;
		} else if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			bad++;
	}
	return bad;
}

/* In a child: report and fail unless COND. */
#define	CHILD_CHECK(cond, ...) do {					\
	if (!(cond)) {							\
		fprintf(stderr, "child %d, line %d: %s: ", (int)getpid(), \
		    __LINE__, #cond);					\
		fprintf(stderr, __VA_ARGS__);				\
		fprintf(stderr, " (errno %s; %s)\n", strerror(errno),	\
		    errmsg);						\
		_exit(1);						\
	}								\
} while (0)

/* ---- 1. attaches racing removals ---- */

#define	AR_NAME		"race"
#define	AR_JID		7
#define	AR_ATTACHERS	4
#define	AR_LOAD_MS	3500
#define	AR_HUNG_MS	5000	/* for one attach to report */
#define	AR_SURVIVE_MS	2000	/* for an attached process to die with its
				   jail's init */

enum { CTL_GEN = 1, CTL_STOP };

struct ctl {
	int	kind;
	int	gen;		/* CTL_GEN: the jail's generation */
	int	removed;	/* the generation removed just before */
};

/* What each attacher saw; in memory shared with the test. */
struct ar_stats {
	int	ok;		/* attached */
	int	verified;	/* and seen in all its init's namespaces */
	int	enoent;
	int	einval;
	int	killed;		/* with the jail, while attaching or in it */
	int	dead_checked;	/* removed-jail descriptors that failed */
	int	violations;
	char	first[512];	/* the first violation */
};

static struct ar_stats *ar_stats;

static void
violation(struct ar_stats *st, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
violation(struct ar_stats *st, const char *fmt, ...)
{
	va_list ap;
	char buf[512];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fprintf(stderr, "attacher %d: %s\n", (int)getpid(), buf);
	if (st->violations++ == 0)
		snprintf(st->first, sizeof(st->first), "%s", buf);
}

/* Send CTL and, if FD >= 0, the descriptor FD, over SOCK. */
static int
send_ctl(int sock, const struct ctl *m, int fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = { (void *)m, sizeof(*m) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *c;

	if (fd >= 0) {
		memset(&u, 0, sizeof(u));
		mh.msg_control = u.buf;
		mh.msg_controllen = sizeof(u.buf);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(fd));
	}
	return sendmsg(sock, &mh, MSG_NOSIGNAL) == (ssize_t)sizeof(*m) ? 0 : -1;
}

/* 1 and the message (and its descriptor in *FD, or -1); 0 at EOF; -1. */
static int
recv_ctl(int sock, struct ctl *m, int *fd, int flags)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = { m, sizeof(*m) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
	    .msg_control = u.buf, .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *c;
	ssize_t n;

	*fd = -1;
	n = recvmsg(sock, &mh, flags | MSG_CMSG_CLOEXEC);
	if (n <= 0)
		return (int)n;
	if ((c = CMSG_FIRSTHDR(&mh)) != NULL && c->cmsg_type == SCM_RIGHTS)
		memcpy(fd, CMSG_DATA(c), sizeof(*fd));
	return n == (ssize_t)sizeof(*m) ? 1 : -1;
}

/* Field N (from 3, the state) of /proc/PID/stat, or -1. */
static long
stat_field(pid_t pid, int n)
{
	char path[64], buf[512], *p, *q;
	ssize_t len;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return -1;
	buf[len] = '\0';
	if ((p = strchr(buf, '(')) == NULL || (q = strrchr(buf, ')')) == NULL)
		return -1;
	/* q + 2: field 3, the state */
	p = q + 2;
	for (int f = 3; f < n && p != NULL; f++)
		if ((p = strchr(p, ' ')) != NULL)
			p++;
	return p != NULL ? strtol(p, NULL, 10) : -1;
}

static int ns_link(pid_t, const char *, char *, size_t);

/*
 * Whether PID is jail init of PRISON: its child in a pid namespace of its
 * own (the name "init" comes a moment after the jail is made; the
 * prison's helpers and guardian stay in the host's).
 */
static int
is_init_of(pid_t pid, pid_t prison)
{
	char a[128], b[128];

	return pid > 0 && stat_field(pid, 4) == prison &&
	    ns_link(pid, "pid", a, sizeof(a)) == 0 &&
	    ns_link(prison, "pid", b, sizeof(b)) == 0 && strcmp(a, b) != 0;
}

/* Jail init of PRISON, or 0. */
static pid_t
find_init(pid_t prison)
{
	struct dirent *d;
	DIR *dp;
	pid_t init = 0;

	if (prison <= 0 || (dp = opendir("/proc")) == NULL)
		return 0;
	while (init == 0 && (d = readdir(dp)) != NULL) {
		pid_t p;

		if (d->d_name[0] < '1' || d->d_name[0] > '9')
			continue;
		p = (pid_t)atoi(d->d_name);
		if (is_init_of(p, prison))
			init = p;
	}
	closedir(dp);
	return init;
}

static int
ns_link(pid_t pid, const char *ns, char *buf, size_t len)
{
	char path[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, ns);
	if ((n = readlink(path, buf, len - 1)) < 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

enum { NS_SAME, NS_GC_GONE, NS_INIT_GONE, NS_DIFFERENT };

/*
 * Whether process GC is in the namespaces of jail init INIT (of PRISON):
 * every one of them, its children's pid namespace being init's.  Which
 * one differs in WHICH.
 */
static int
compare_ns(pid_t gc, pid_t init, pid_t prison, char *which, size_t len)
{
	static const char *const ns[][2] = {
		{ "user", "user" }, { "mnt", "mnt" }, { "net", "net" },
		{ "uts", "uts" }, { "ipc", "ipc" }, { "cgroup", "cgroup" },
		{ "pid_for_children", "pid" },
	};
	char a[128], b[128], again[128];
	int res = NS_SAME;

	if (!is_init_of(init, prison))
		return NS_INIT_GONE;
	for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
		if (ns_link(gc, ns[i][0], a, sizeof(a)) < 0)
			return NS_GC_GONE;
		if (ns_link(init, ns[i][1], b, sizeof(b)) < 0)
			return NS_INIT_GONE;
		if (strcmp(a, b) != 0 && res == NS_SAME) {
			snprintf(which, len, "%s: %s, jail init's %s %s",
			    ns[i][0], a, ns[i][1], b);
			res = NS_DIFFERENT;
		}
	}
	/* Both still there: what was read was theirs, not a reused ns's. */
	if (ns_link(gc, "mnt", again, sizeof(again)) < 0)
		return NS_GC_GONE;
	if (!is_init_of(init, prison))
		return NS_INIT_GONE;
	return res;
}

struct gc_report {
	int	ok;
	int	err;
	char	host[64];
	char	msg[200];
};

/*
 * One attach through FD (of generation GEN, prison PRISON, jail init
 * INIT) in a grandchild that reports and then waits to be let go.  DEAD:
 * the descriptor's jail is removed and another has its name and jid: the
 * attach must fail with ENOENT.
 */
static void
attempt(struct ar_stats *st, int fd, int gen, pid_t prison, pid_t init,
    int dead)
{
	struct gc_report rep;
	char want[64], which[300];
	int res[2], go[2], status;
	pid_t gc, self = getpid();
	struct pollfd p;
	ssize_t n;

	snprintf(want, sizeof(want), "g%d", gen);
	if (pipe2(res, O_CLOEXEC) < 0 || pipe2(go, O_CLOEXEC) < 0) {
		violation(st, "pipe: %s", strerror(errno));
		return;
	}
	if ((gc = fork()) < 0) {
		violation(st, "fork: %s", strerror(errno));
		return;
	}
	if (gc == 0) {
		char c;

		die_with_parent(self);
		close(res[0]);
		close(go[1]);
		memset(&rep, 0, sizeof(rep));
		if (jail_attach_jd(fd) == 0) {
			rep.ok = 1;
			if (gethostname(rep.host, sizeof(rep.host) - 1) < 0)
				snprintf(rep.host, sizeof(rep.host), "?%s",
				    strerror(errno));
		} else {
			rep.err = errno;
			snprintf(rep.msg, sizeof(rep.msg), "%s", jail_errmsg);
		}
		(void)!write(res[1], &rep, sizeof(rep));
		if (rep.ok)
			(void)!read(go[0], &c, 1);
		_exit(0);
	}
	close(res[1]);
	close(go[0]);
	p = (struct pollfd){ .fd = res[0], .events = POLLIN };
	if (poll(&p, 1, AR_HUNG_MS) != 1) {
		violation(st, "gen %d: jail_attach_jd did not return in %d ms",
		    gen, AR_HUNG_MS);
		kill(gc, SIGKILL);
		n = -1;
	} else
		n = read(res[0], &rep, sizeof(rep));
	if (n == (ssize_t)sizeof(rep) && rep.ok) {
		int r;

		if (dead)
			violation(st, "gen %d: attached through the descriptor "
			    "of a removed jail (hostname %s)", gen, rep.host);
		else if (strcmp(rep.host, want) != 0)
			violation(st, "gen %d: attached into another jail: "
			    "hostname %s", gen, rep.host);
		r = compare_ns(gc, init, prison, which, sizeof(which));
		if (r == NS_SAME)
			st->verified++;
		else if (r == NS_DIFFERENT)
			violation(st, "gen %d: half-joined: %s", gen, which);
		else if (r == NS_INIT_GONE) {
			/*
			 * The jail is being removed: its processes were killed
			 * before its init was, so this one must die too.
			 */
			long end = now_ms() + AR_SURVIVE_MS;

			while (now_ms() < end && waitpid(gc, &status,
			    WNOHANG) == 0)
				usleep(10000);
			if (now_ms() >= end && kill(gc, 0) == 0) {
				char ns[128] = "?";

				ns_link(gc, "mnt", ns, sizeof(ns));
				violation(st, "gen %d: pid %d attached (%s) "
				    "and outlived its jail's init by %d ms",
				    gen, (int)gc, ns, AR_SURVIVE_MS);
			}
		}
		st->ok++;
		(void)!write(go[1], "x", 1);
	} else if (n == (ssize_t)sizeof(rep)) {
		if (rep.err == ENOENT)
			st->enoent++;
		else if (rep.err == EINVAL && !dead)
			st->einval++;
		else
			violation(st, "gen %d%s: jail_attach_jd: %s (%s)", gen,
			    dead ? " (removed)" : "", strerror(rep.err),
			    rep.msg);
		if (dead)
			st->dead_checked++;
	}
	close(res[0]);
	close(go[1]);
	while (waitpid(gc, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) {
		/* With the jail (or by us, above). */
		if (n == 0)
			st->killed++;
	} else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
	    n != (ssize_t)sizeof(rep))
		violation(st, "gen %d: the attaching process ended with "
		    "status %#x, having reported %zd bytes", gen, status, n);
}

static int
hung_up(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 0) == 1 && (p.revents & POLLHUP);
}

/* Attach through the descriptor of the current generation, until told. */
static void __attribute__((noreturn))
attacher(int ctl, struct ar_stats *st)
{
	int cur = -1, gen = 0, fd, r;
	pid_t prison = 0, init = 0;
	struct ctl m;

	for (;;) {
		r = recv_ctl(ctl, &m, &fd, cur < 0 ? 0 : MSG_DONTWAIT);
		if (r < 0 && errno == EAGAIN) {
			attempt(st, cur, gen, prison, init, 0);
			continue;
		}
		if (r <= 0 || m.kind == CTL_STOP) {
			if (r < 0)
				violation(st, "control: %s", strerror(errno));
			break;
		}
		if (fd < 0) {
			violation(st, "gen %d came without its descriptor",
			    m.gen);
			break;
		}
		if (cur >= 0) {
			/* Removed, and the new jail has its name and jid. */
			if (m.removed == gen)
				attempt(st, cur, gen, prison, init, 1);
			close(cur);
		}
		cur = fd;
		gen = m.gen;
		prison = peer_of(cur);
		init = find_init(prison);
		/*
		 * Already removed, maybe: a prison closes the descriptors of
		 * its jail before it kills the jail's init.
		 */
		if (init == 0 && !hung_up(cur))
			violation(st, "gen %d: no jail init found for prison "
			    "%d, yet the descriptor is open", gen, (int)prison);
	}
	if (cur >= 0)
		close(cur);
	_exit(st->violations > 0 ? 1 : 0);
}

/* Generation GEN of the jail: name and jid always the same. */
static int
make_generation(int gen, int *desc)
{
	char host[32];
	long end = now_ms() + 3000;
	int jid;

	snprintf(host, sizeof(host), "g%d", gen);
	/* The last one's end may still be under way (its guardian). */
	while ((jid = try_make_jail(AR_NAME, AR_JID, host, JAIL_GET_DESC,
	    desc)) < 0 && (errno == EEXIST || errno == EAGAIN) &&
	    now_ms() < end)
		usleep(20000);
	ATF_REQUIRE_MSG(jid == AR_JID, "generation %d: jail_set: %s: %s", gen,
	    strerror(errno), errmsg);
	return jid;
}

ATF_TC_WITH_CLEANUP(attach_remove_race);
ATF_TC_HEAD(attach_remove_race, tc)
{
	atf_tc_set_md_var(tc, "descr", "processes attach through a shared "
	    "descriptor while the jail is removed and made again with the same "
	    "name and jid: an attach that succeeds is in all the jail's "
	    "namespaces and that jail's, one that fails says ENOENT or EINVAL, "
	    "a removed jail's descriptor never attaches, nothing is left");
	atf_tc_set_md_var(tc, "require.user", "root");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(attach_remove_race, tc)
{
	int sv[AR_ATTACHERS][2], desc, jid, gen, base, late, bad, now;
	pid_t kids[AR_ATTACHERS], prison;
	struct ar_stats sum = { 0 };
	struct ctl m;
	long end;

	setup();
	ar_stats = mmap(NULL, sizeof(*ar_stats) * AR_ATTACHERS,
	    PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ATF_REQUIRE(ar_stats != MAP_FAILED);
	memset(ar_stats, 0, sizeof(*ar_stats) * AR_ATTACHERS);
	srandom((unsigned)getpid());
	for (int i = 0; i < AR_ATTACHERS; i++) {
		pid_t self = getpid();

		ATF_REQUIRE(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC,
		    0, sv[i]) == 0);
		ATF_REQUIRE((kids[i] = fork()) >= 0);
		if (kids[i] == 0) {
			die_with_parent(self);
			for (int k = 0; k <= i; k++)
				close(sv[k][0]);
			attacher(sv[i][1], &ar_stats[i]);
		}
		close(sv[i][1]);
	}

	/* Remove and make again, while they attach. */
	end = now_ms() + AR_LOAD_MS;
	for (gen = 1;; gen++) {
		jid = make_generation(gen, &desc);
		m = (struct ctl){ .kind = CTL_GEN, .gen = gen,
		    .removed = gen - 1 };
		for (int i = 0; i < AR_ATTACHERS; i++)
			ATF_REQUIRE(send_ctl(sv[i][0], &m, desc) == 0);
		if (now_ms() >= end)
			break;
		usleep(20000 + random() % 150000);
		/* Both ways: through a descriptor, and by jid. */
		if (gen % 2)
			ATF_REQUIRE_MSG(jail_remove_jd(desc) == 0,
			    "gen %d: jail_remove_jd: %s", gen, strerror(errno));
		else
			ATF_REQUIRE_MSG(jail_remove(jid) == 0,
			    "gen %d: jail_remove: %s", gen, strerror(errno));
		close(desc);
	}

	/* The last one lives: let them attach to it, then stop. */
	prison = prison_of(desc);
	base = settled_fds(prison, desc);
	usleep(300000);
	m = (struct ctl){ .kind = CTL_STOP };
	for (int i = 0; i < AR_ATTACHERS; i++) {
		(void)send_ctl(sv[i][0], &m, -1);
		close(sv[i][0]);
	}
	bad = reap_children(kids, AR_ATTACHERS, now_ms() + 10000, &late);
	for (int i = 0; i < AR_ATTACHERS; i++) {
		const struct ar_stats *s = &ar_stats[i];

		sum.ok += s->ok;
		sum.verified += s->verified;
		sum.enoent += s->enoent;
		sum.einval += s->einval;
		sum.killed += s->killed;
		sum.dead_checked += s->dead_checked;
		sum.violations += s->violations;
		if (s->violations > 0 && sum.first[0] == '\0')
			snprintf(sum.first, sizeof(sum.first), "%s", s->first);
	}
	printf("%d generations; attaches: %d in (%d seen in the jail's "
	    "namespaces), %d ENOENT, %d EINVAL, %d killed with their jail; "
	    "%d removed descriptors refused; %d violations\n", gen, sum.ok,
	    sum.verified, sum.enoent, sum.einval,
	    sum.killed, sum.dead_checked, sum.violations);
	ATF_CHECK_MSG(sum.violations == 0, "%d violations, the first: %s",
	    sum.violations, sum.first);
	ATF_CHECK_MSG(late == 0, "%d attachers did not stop in time", late);
	ATF_CHECK_MSG(bad == 0 || sum.violations > 0, "%d attachers failed",
	    bad);
	/* The race was run: attaches got in, removed descriptors were tried. */
	ATF_CHECK_MSG(gen >= 3, "only %d generations", gen);
	ATF_CHECK_MSG(sum.verified > 0, "no attach was seen in the jail "
	    "(%d succeeded)", sum.ok);
	ATF_CHECK_MSG(sum.dead_checked >= AR_ATTACHERS,
	    "removed descriptors tried only %d times", sum.dead_checked);

	/* The survivor: its prison holds no more than before the attaches. */
	now = fds_back_to(prison, base, 3000);
	ATF_CHECK_MSG(now <= base, "the prison holds %d descriptors, %d "
	    "before the attaches", now, base);
	ATF_REQUIRE_MSG(jail_remove_jd(desc) == 0, "jail_remove_jd: %s",
	    strerror(errno));
	close(desc);
	nothing_left();
}
ATF_TC_CLEANUP(attach_remove_race, tc) { remove_all(); }

/* ---- 2. one descriptor, many sharers ---- */

#define	SH_CHILDREN	8
#define	SH_ROUNDS	200

static void
sharer(int desc, int jid, int i)
{
	char key[32], value[64], got[64];

	snprintf(key, sizeof(key), "meta.k%d", i);
	for (int r = 0; r < SH_ROUNDS; r++) {
		snprintf(value, sizeof(value), "c%d-%d", i, r);
		CHILD_CHECK(set_param(desc, key, value) == jid,
		    "round %d: set %s=%s", r, key, value);
		/* Our key is ours alone: its value is the one we set. */
		CHILD_CHECK(get_param(desc, key, got, sizeof(got)) == jid,
		    "round %d: get %s", r, key);
		CHILD_CHECK(strcmp(got, value) == 0, "round %d: %s is \"%s\", "
		    "we set \"%s\": a reply for another sharer?", r, key, got,
		    value);
		if (r % 20 == 0)
			CHILD_CHECK(jaildesc_limit(desc, JAILDESC_ALL) ==
			    JAILDESC_ALL, "round %d: rights", r);
	}
}

ATF_TC_WITH_CLEANUP(shared_desc_traffic);
ATF_TC_HEAD(shared_desc_traffic, tc)
{
	atf_tc_set_md_var(tc, "descr", "8 processes sharing one descriptor "
	    "each set and read back a key of their own 200 times through it: "
	    "every reply is the asker's, and the prison keeps no descriptor "
	    "of it");
	atf_tc_set_md_var(tc, "require.user", "root");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(shared_desc_traffic, tc)
{
	pid_t kids[SH_CHILDREN], prison, self = getpid();
	int desc, jid, base, now, bad, late;
	char key[32], want[64], got[64];
	long t0;

	setup();
	jid = make_jail("share", &desc);
	prison = prison_of(desc);
	base = settled_fds(prison, desc);
	t0 = now_ms();
	for (int i = 0; i < SH_CHILDREN; i++) {
		ATF_REQUIRE((kids[i] = fork()) >= 0);
		if (kids[i] == 0) {
			die_with_parent(self);
			sharer(desc, jid, i);
			_exit(0);
		}
	}
	bad = reap_children(kids, SH_CHILDREN, now_ms() + 15000, &late);
	printf("%d x %d set+get through one descriptor in %ld ms\n",
	    SH_CHILDREN, SH_ROUNDS, now_ms() - t0);
	ATF_CHECK_MSG(late == 0, "%d sharers did not finish in 15 s", late);
	ATF_CHECK_MSG(bad == 0, "%d sharers failed (see stderr)", bad);
	/* Every key holds its owner's last value. */
	for (int i = 0; i < SH_CHILDREN; i++) {
		snprintf(key, sizeof(key), "meta.k%d", i);
		snprintf(want, sizeof(want), "c%d-%d", i, SH_ROUNDS - 1);
		ATF_REQUIRE(get_param(desc, key, got, sizeof(got)) == jid);
		ATF_CHECK_STREQ_MSG(want, got, "%s", key);
	}
	now = fds_back_to(prison, base, 3000);
	ATF_CHECK_MSG(now <= base, "the prison holds %d descriptors, %d "
	    "before", now, base);
	ATF_REQUIRE(jail_remove_jd(desc) == 0);
	close(desc);
	nothing_left();
}
ATF_TC_CLEANUP(shared_desc_traffic, tc) { remove_all(); }

/* ---- 3. watchers that never read ---- */

#define	NWATCHERS	50
#define	NSETS		500

ATF_TC_WITH_CLEANUP(silent_watchers);
ATF_TC_HEAD(silent_watchers, tc)
{
	atf_tc_set_md_var(tc, "descr", "50 descriptors watch NOTE_JAIL_SET and "
	    "never read while 500 jail_set go through another: all are "
	    "answered, a watcher has one notice and the event, and the "
	    "prison's descriptors are back to before once they close, read "
	    "or not");
	atf_tc_set_md_var(tc, "require.user", "root");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(silent_watchers, tc)
{
	int w[NWATCHERS], desc, jid, base, now, st, notices;
	unsigned char buf[256];
	unsigned ev;
	intptr_t data;
	pid_t pid, prison, self = getpid();
	long t0, end;

	setup();
	jid = make_jail("watch", &desc);
	prison = prison_of(desc);
	base = settled_fds(prison, desc);
	for (int i = 0; i < NWATCHERS; i++) {
		ATF_REQUIRE_MSG(get_desc(jid, JAIL_GET_DESC, &w[i]) == jid,
		    "watcher %d: %s: %s", i, strerror(errno), errmsg);
		ATF_REQUIRE_MSG(jaildesc_watch(w[i], NOTE_JAIL_SET) == 0,
		    "watcher %d: %s", i, strerror(errno));
	}
	t0 = now_ms();
	ATF_REQUIRE((pid = fork()) >= 0);
	if (pid == 0) {
		char v[16];

		die_with_parent(self);
		for (int i = 0; i < NSETS; i++) {
			snprintf(v, sizeof(v), "%d", i);
			CHILD_CHECK(set_param(desc, "meta.n", v) == jid,
			    "set %d", i);
		}
		_exit(0);
	}
	end = now_ms() + 10000;
	while (waitpid(pid, &st, WNOHANG) == 0 && now_ms() < end)
		usleep(10000);
	if (now_ms() >= end) {
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		atf_tc_fail("the prison did not answer %d jail_set in 10 s "
		    "with %d silent watchers", NSETS, NWATCHERS);
	}
	printf("%d jail_set with %d silent watchers in %ld ms\n", NSETS,
	    NWATCHERS, now_ms() - t0);
	ATF_REQUIRE_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	    "a jail_set failed (status %#x; see stderr)", st);
	/*
	 * Each watcher was sent one notice, not 500, and has the event: a
	 * look at what waits in the sockets of half of them, then the event
	 * taken.  The other half close with their notice unread.
	 */
	for (int i = 0; i < NWATCHERS / 2; i++) {
		notices = 0;
		while (recv(w[i], buf, sizeof(buf), MSG_DONTWAIT) > 0)
			notices++;
		ATF_CHECK_EQ_MSG(1, notices, "watcher %d: %d notices queued",
		    i, notices);
		ATF_CHECK_EQ_MSG(1, jaildesc_event(w[i], &ev, &data),
		    "watcher %d: %s", i, strerror(errno));
		ATF_CHECK_EQ_MSG(NOTE_JAIL_SET, ev, "watcher %d: %#x", i, ev);
	}
	for (int i = 0; i < NWATCHERS; i++)
		close(w[i]);
	now = fds_back_to(prison, base, 3000);
	ATF_CHECK_MSG(now <= base, "the prison holds %d descriptors, %d "
	    "before the watchers", now, base);
	ATF_REQUIRE(jail_remove_jd(desc) == 0);
	close(desc);
	nothing_left();
}
ATF_TC_CLEANUP(silent_watchers, tc) { remove_all(); }

/* ---- 4. bad descriptors in a row ---- */

#define	NBAD	100

ATF_TC_WITH_CLEANUP(bad_desc_run);
ATF_TC_HEAD(bad_desc_run, tc)
{
	atf_tc_set_md_var(tc, "descr", "a hundred JAIL_AT_DESC with things "
	    "that are not jail descriptors fail with EINVAL, a hundred "
	    "JAIL_USE_DESC with a removed jail's descriptor, whose name and "
	    "jid another jail has taken, fail with ENOENT, and no prison "
	    "keeps a descriptor of them");
	atf_tc_set_md_var(tc, "require.user", "root");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(bad_desc_run, tc)
{
	int desc, jid, old, fresh, again, fd, base, base2, now, p[2], sv[2];
	int dgram, nul, file, stream;
	pid_t prison, prison2;
	char buf[64];
	int *bad[] = { &p[0], &p[1], &sv[0], &dgram, &nul, &file, &stream };
	const int nbad = (int)(sizeof(bad) / sizeof(bad[0]));
	struct iovec upd[] = {
		IOV("meta.x", "y", 2),
		IOV("desc", &fd, sizeof(fd)),
		IOV("errmsg", errmsg, sizeof(errmsg)),
	};
	struct iovec get[] = {
		IOV("name", buf, sizeof(buf)),
		IOV("desc", &fd, sizeof(fd)),
		IOV("errmsg", errmsg, sizeof(errmsg)),
	};

	setup();
	buf[0] = '\0';
	jid = make_jail("bad", &desc);
	/* A dead descriptor: its jail removed, another in its place. */
	ATF_REQUIRE((again = try_make_jail("gone", 0, NULL, JAIL_GET_DESC,
	    &old)) > 0);
	ATF_REQUIRE(jail_remove_jd(old) == 0);
	ATF_REQUIRE_MSG(try_make_jail("gone", again, NULL, JAIL_GET_DESC,
	    &fresh) == again, "%s: %s", strerror(errno), errmsg);
	prison = prison_of(desc);
	prison2 = prison_of(fresh);
	base = settled_fds(prison, desc);
	base2 = settled_fds(prison2, fresh);

	ATF_REQUIRE(pipe(p) == 0);
	ATF_REQUIRE(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) == 0);
	ATF_REQUIRE((dgram = socket(AF_INET, SOCK_DGRAM, 0)) >= 0);
	ATF_REQUIRE((nul = open("/dev/null", O_RDWR)) >= 0);
	ATF_REQUIRE((file = open(".", O_RDONLY | O_DIRECTORY)) >= 0);
	ATF_REQUIRE((stream = socket(AF_UNIX, SOCK_STREAM, 0)) >= 0);
	for (int i = 0; i < NBAD; i++) {
		int r;

		fd = *bad[i % nbad];
		errno = 0;
		r = i % 2 ? jail_get(get, 6, JAIL_AT_DESC) :
		    get_desc(jid, JAIL_AT_DESC, &fd);
		ATF_CHECK_MSG(r < 0 && errno == EINVAL, "AT_DESC %d (fd %d): "
		    "%d, %s", i, *bad[i % nbad], r, strerror(errno));
	}
	for (int i = 0; i < NBAD; i++) {
		int r;

		fd = old;
		errno = 0;
		switch (i % 3) {
		case 0:
			r = jail_set(upd, 6, JAIL_UPDATE | JAIL_USE_DESC);
			break;
		case 1:
			r = jail_get(get, 6, JAIL_USE_DESC);
			break;
		default:
			r = get_desc(0, JAIL_USE_DESC | JAIL_GET_DESC, &fd);
			break;
		}
		ATF_CHECK_MSG(r < 0 && errno == ENOENT, "USE_DESC %d: %d, %s",
		    i, r, strerror(errno));
	}
	/* The jail in the dead one's place was not touched. */
	ATF_CHECK(get_param(fresh, "meta.x", buf, sizeof(buf)) == again &&
	    buf[0] == '\0');
	now = fds_back_to(prison, base, 3000);
	ATF_CHECK_MSG(now <= base, "prison of \"bad\": %d descriptors, %d "
	    "before", now, base);
	now = fds_back_to(prison2, base2, 3000);
	ATF_CHECK_MSG(now <= base2, "prison of the new \"gone\": %d "
	    "descriptors, %d before", now, base2);
	ATF_REQUIRE(jail_remove_jd(desc) == 0);
	ATF_REQUIRE(jail_remove_jd(fresh) == 0);
	close(desc);
	close(fresh);
	close(old);
	nothing_left();
}
ATF_TC_CLEANUP(bad_desc_run, tc) { remove_all(); }

/*
 * A connection to a jail's prison that the prison never marked as a
 * descriptor (a plain connect to the socket a descriptor's getpeername
 * names) is no jail descriptor either.
 */
ATF_TC_WITH_CLEANUP(prison_conn_not_desc);
ATF_TC_HEAD(prison_conn_not_desc, tc)
{
	atf_tc_set_md_var(tc, "descr", "a plain connection to a live jail's "
	    "prison socket is not a jail descriptor: a hundred JAIL_AT_DESC "
	    "and JAIL_USE_DESC with it fail with EINVAL, as do "
	    "jail_attach_jd, jail_remove_jd and jaildesc_watch, the jail "
	    "lives on and its prison keeps nothing of them");
	atf_tc_set_md_var(tc, "require.user", "root");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(prison_conn_not_desc, tc)
{
	struct sockaddr_un sun;
	socklen_t len = sizeof(sun);
	char name[] = "conn", buf[64];
	int desc, jid, raw, fd, base, now, r, st;
	pid_t prison, pid;
	struct iovec get[] = {
		IOV("name", name, sizeof(name)),
		IOV("desc", &fd, sizeof(fd)),
		IOV("errmsg", errmsg, sizeof(errmsg)),
	};

	setup();
	jid = make_jail("conn", &desc);
	prison = prison_of(desc);
	memset(&sun, 0, sizeof(sun));
	ATF_REQUIRE(getpeername(desc, (struct sockaddr *)&sun, &len) == 0);
	ATF_REQUIRE((raw = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC,
	    0)) >= 0);
	ATF_REQUIRE_MSG(connect(raw, (struct sockaddr *)&sun, len) == 0,
	    "connect %s: %s", sun.sun_path, strerror(errno));
	base = settled_fds(prison, desc);

	/*
	 * lib/jaildesc.c:jdesc_jid takes any connection to a prison's socket
	 * for a descriptor, so AT_DESC goes on to the lookup (ENOENT); the
	 * prison refuses JM_CHANNEL on an unmarked connection with EINVAL
	 * sent on that connection, which nobody reads, and closes the
	 * channel, which the library reads as a removed jail (ENOENT,
	 * "jail ... is dying").
	 */
	for (int i = 0; i < NBAD; i++) {
		fd = raw;
		errno = 0;
		r = jail_get(get, 6, i % 2 ? JAIL_USE_DESC : JAIL_AT_DESC);
		ATF_CHECK_MSG(r < 0 && errno == EINVAL, "%s %d: %d, %s (%s)",
		    i % 2 ? "USE_DESC" : "AT_DESC", i, r, strerror(errno),
		    errmsg);
	}
	/* jail_attach_jd in a child: it would enter the jail. */
	ATF_REQUIRE((pid = fork()) >= 0);
	if (pid == 0)
		_exit(jail_attach_jd(raw) < 0 ? errno : 0);
	ATF_REQUIRE(waitpid(pid, &st, 0) == pid);
	ATF_CHECK_MSG(WIFEXITED(st) && WEXITSTATUS(st) == EINVAL,
	    "jail_attach_jd: %s", WIFEXITED(st) ?
	    strerror(WEXITSTATUS(st)) : "killed");
	errno = 0;
	ATF_CHECK_MSG(jaildesc_watch(raw, NOTE_JAIL_SET) < 0 && errno == EINVAL,
	    "jaildesc_watch: %s", strerror(errno));
	errno = 0;
	ATF_CHECK_MSG(jail_remove_jd(raw) < 0 && errno == EINVAL,
	    "jail_remove_jd: %s", strerror(errno));

	/* Nothing was done, nothing is kept. */
	ATF_CHECK(get_param(desc, "name", buf, sizeof(buf)) == jid);
	close(raw);
	now = fds_back_to(prison, base - 1, 3000);
	ATF_CHECK_MSG(now <= base - 1, "the prison holds %d descriptors, %d "
	    "with the connection", now, base);
	ATF_REQUIRE(jail_remove_jd(desc) == 0);
	close(desc);
	nothing_left();
}
ATF_TC_CLEANUP(prison_conn_not_desc, tc) { remove_all(); }

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, attach_remove_race);
	ATF_TP_ADD_TC(tp, shared_desc_traffic);
	ATF_TP_ADD_TC(tp, silent_watchers);
	ATF_TP_ADD_TC(tp, bad_desc_run);
	ATF_TP_ADD_TC(tp, prison_conn_not_desc);
	return atf_no_error();
}
