/*
 * The end of a jail, in bounded time whatever its processes and clients
 * do, and its guardian.
 *
 * Removing a jail kills everything in its cgroup and its init, then takes
 * off the host what the jail held: its network (interfaces moved in go
 * back, proxy entries and the veth pair go), the cgroup, the uid range,
 * the socket and the registry record, in that order (ids are reused only
 * once nothing runs with them; the record, which names the cgroup, goes
 * last).
 *
 * One thing can keep a killed jail from ending: a process of the jail
 * whose parent is a host process (the command of a jexec) stays a zombie
 * until that parent reaps it, and the jail's init cannot finish exiting
 * until then; a stopped jexec never does.  The prison does not wait for
 * it: after a bounded wait it leaves the rest to the guardian and exits.
 *
 * The guardian is a small process started once the jail is built.  It
 * shares the record's lock, so the jail stays listed (dying) while it
 * works; when the prison is gone, whether it ended so or was killed, the
 * guardian (the prison binary run again) marks the record dying, undoes
 * the network (it holds the jail's network namespace, so that interfaces
 * moved in are still there to bring back), removes the cgroup (retrying
 * until it can), gives back the uid range and removes the socket and the
 * record.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "internal.h"
#include "prison.h"

#define	INIT_WAIT_MS	10000	/* for init to die once killed, at most */
#define	STUCK_MS	300	/* exiting, yet nothing left to wait for */
#define	STEP_MS		20
#define	RETRY_MS	500	/* the guardian, between tries */

/*
 * Whether jail init has let go of its namespaces while exiting: then it
 * only waits for its pid namespace's last zombies to be reaped.
 */
static int
init_detached(pid_t init)
{
	char path[64], buf[64];

	snprintf(path, sizeof(path), "/proc/%d/ns/mnt", (int)init);
	return readlink(path, buf, sizeof(buf)) < 0;
}

/*
 * Kill jail init and reap it; 1 once it is gone.  A busy machine may take
 * a while, so wait up to INIT_WAIT_MS; but an init that has let go of its
 * namespaces and still has not exited after STUCK_MS waits for a zombie
 * whose parent is a host process that does not reap it (a stopped jexec),
 * which may never happen: 0 then, for the guardian to finish.
 */
static int
reap_init(struct prison *pr)
{
	struct pollfd p = { .fd = pr->initfd, .events = POLLIN };
	int waited = 0, detached = 0;

	if (pr->init <= 0)
		return 1;
	kill(pr->init, SIGKILL);
	while (waited < INIT_WAIT_MS && detached < STUCK_MS) {
		if (poll(&p, 1, STEP_MS) > 0)
			break;
		waited += STEP_MS;
		detached = init_detached(pr->init) ? detached + STEP_MS : 0;
	}
	if (waitpid(pr->init, NULL, WNOHANG) != pr->init)
		return 0;
	pr->init = 0;
	return 1;
}

/* Under the registry lock: the socket and the record. */
static void
unlink_entry(struct prison *pr, int socket_only)
{
	char name[24];
	int lock;

	lock = jreg_lock(pr->regfd);
	jreg_sockname(pr->st.jid, name, sizeof(name));
	unlinkat(pr->regfd, name, 0);
	if (!socket_only) {
		snprintf(name, sizeof(name), "%d", pr->st.jid);
		jreg_name_del(pr->regfd, pr->st.name, pr->st.jid);
		if (unlinkat(pr->regfd, name, 0) == 0)
			jreg_changed(pr->regfd);
	}
	jreg_unlock(lock);
}

/* Everything is dead: give back the ids, then drop the entry. */
static void
release(struct prison *pr)
{
	if (pr->idmapfd >= 0) {
		jidmap_release(pr->idbase, pr->idmapfd);
		pr->idmapfd = -1;
	}
	crash_point("released");
	if (pr->recfd >= 0) {
		unlink_entry(pr, 0);
		close(pr->recfd);
		pr->recfd = -1;
	}
}

/*
 * The jail's network off the host: interfaces moved in back, proxy
 * entries and the veth pair gone; then the namespace is let go.
 */
static void
net_end(struct prison *pr)
{
	if (pr->regfd >= 0 && pr->st.jid > 0)
		net_record_undo(pr->regfd, pr->st.jid, pr->netnsfd);
	crash_point("net-undone");
	net_destroy(pr);	/* nothing without a pair (hostif 0) */
	if (pr->netnsfd >= 0)
		close(pr->netnsfd);
	pr->netnsfd = -1;
}

static void
stop_guardian(struct prison *pr)
{
	if (pr->guardian <= 0)
		return;
	kill(pr->guardian, SIGKILL);
	while (waitpid(pr->guardian, NULL, 0) < 0 && errno == EINTR)
		;
	pr->guardian = 0;
}

/*
 * The guardian's work, once the prison is gone.  The jail is dying, if it
 * was not already; if it was not, the prison died (killed), which callers
 * are told.
 */
static void __attribute__((noreturn))
guard(struct prison *pr)
{
	struct jrec r;

	/* Its copy of the parameters is not the prison's: the state only. */
	pr->is_guardian = 1;
	pr->prison_died = pread(pr->recfd, &r, sizeof(r), 0) != sizeof(r) ||
	    r.state != JREC_DYING;
	pr->st.dying = 1;
	record_write(pr, JREC_DYING);
	unlink_entry(pr, 1);
	net_end(pr);
	while (pr->cgpath[0] != '\0' && jcg_destroy(pr->cgpath) < 0) {
		struct pollfd none = { .fd = -1 };

		poll(&none, 0, RETRY_MS);
	}
	release(pr);
	_exit(0);
}

/*
 * The guardian shares the prison's memory (CLONE_VM): a fork would copy
 * the page tables of all of the prison's writable mappings and then the
 * pages themselves as either side wrote them, some 120 kB a jail for a
 * process that sleeps.  So it reads nothing of the prison's but this, its
 * own: what it holds (the prison's pidfd, the registry, the record's and
 * the range's locks, the jail's network namespace), what it is to clean
 * up, and how to run the prison binary again to do so.  While the prison
 * lives, the guardian only waits, with every signal blocked, in system
 * calls that do not fail, so that it never writes the errno it shares
 * with the prison's thread.  Once the prison is gone it execs: the
 * cleanup then runs in memory of its own, whatever state the prison left
 * its memory in (guardian_main).  An OOM kill takes every process of an
 * address space, the guardian with the prison (so does the prison's core
 * dump before Linux 5.16); jail init then dies with the prison (its
 * PR_SET_PDEATHSIG) and the registry's sweep removes the rest, as for a
 * guardian killed alone.
 */
#define	GUARD_NAME	"prison-guard"
#define	GUARD_NARGS	9	/* argv[1..8]: see guard_args */
#define	GUARD_MAP	(64 * 1024)	/* this, then the guardian's stack */

struct guard {
	int	 prisonfd;
	int	 exefd;
	int	 keep[6];
	char	*argv[GUARD_NARGS + 1];
	char	 arg[GUARD_NARGS - 1][24];
	char	 cgpath[sizeof(((struct prison *)0)->cgpath)];
	char	*envp[16];
	char	 env[4096];
};

/* The prison's environment (JAIL_REGISTRY, JAIL_CRASH_AT), copied. */
static void
guard_env(struct guard *g)
{
	size_t used = 0, n = 0, len;

	for (char **e = environ; e != NULL && *e != NULL; e++) {
		len = strlen(*e) + 1;
		if (n + 1 >= sizeof(g->envp) / sizeof(g->envp[0]) ||
		    len > sizeof(g->env) - used)
			break;
		memcpy(g->env + used, *e, len);
		g->envp[n++] = g->env + used;
		used += len;
	}
	g->envp[n] = NULL;
}

/* argv: name, jid, host interface, id base, the four fds, the cgroup. */
static void
guard_args(struct guard *g, const struct prison *pr)
{
	const long v[GUARD_NARGS - 2] = { pr->st.jid, (long)pr->hostif,
	    (long)pr->idbase, pr->regfd, pr->recfd, pr->idmapfd, pr->netnsfd };

	g->argv[0] = GUARD_NAME;
	for (int i = 0; i < GUARD_NARGS - 2; i++) {
		snprintf(g->arg[i], sizeof(g->arg[i]), "%ld", v[i]);
		g->argv[i + 1] = g->arg[i];
	}
	snprintf(g->cgpath, sizeof(g->cgpath), "%s", pr->cgpath);
	g->argv[GUARD_NARGS - 1] = g->cgpath;
	g->argv[GUARD_NARGS] = NULL;
}

static struct guard *
guard_prepare(const struct prison *pr)
{
	struct guard *g;

	g = mmap(NULL, GUARD_MAP, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (g == MAP_FAILED)
		return NULL;
	g->prisonfd = (int)syscall(SYS_pidfd_open, getpid(), 0);
	g->exefd = open("/proc/self/exe", O_PATH | O_CLOEXEC);
	if (g->prisonfd < 0 || g->exefd < 0) {
		if (g->prisonfd >= 0)
			close(g->prisonfd);
		if (g->exefd >= 0)
			close(g->exefd);
		munmap(g, GUARD_MAP);
		return NULL;
	}
	/* The record's and the range's locks, shared; nothing else. */
	g->keep[0] = g->prisonfd;
	g->keep[1] = g->exefd;
	g->keep[2] = pr->regfd;
	g->keep[3] = pr->recfd;
	g->keep[4] = pr->idmapfd;
	g->keep[5] = pr->netnsfd;
	guard_args(g, pr);
	guard_env(g);
	return g;
}

/* In the guardian, on the prison's memory: wait, then exec (see above). */
static int
guard_wait(void *arg)
{
	struct guard *g = arg;
	struct pollfd p = { .fd = g->prisonfd, .events = POLLIN };

	jfd_close_except(0, g->keep, 6);
	for (int i = 2; i < 6; i++)
		if (g->keep[i] >= 0)
			fcntl(g->keep[i], F_SETFD, 0);
	prctl(PR_SET_NAME, GUARD_NAME, 0, 0, 0);
	while (poll(&p, 1, -1) != 1)
		poll(NULL, 0, RETRY_MS);
	syscall(SYS_execveat, g->exefd, "", g->argv, g->envp, AT_EMPTY_PATH);
	_exit(1);	/* the registry's sweep will clean up */
}

void
guardian_start(struct prison *pr)
{
	struct guard *g;
	sigset_t all, mask;
	pid_t pid;

	if (pr->guardian > 0 || (g = guard_prepare(pr)) == NULL)
		return;
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &mask);
	pid = clone(guard_wait, (char *)g + GUARD_MAP, CLONE_VM | CLONE_SIGHAND |
	    SIGCHLD, g);
	sigprocmask(SIG_SETMASK, &mask, NULL);
	close(g->prisonfd);
	close(g->exefd);
	/* The guardian's memory stays as long as we do: it lives in it. */
	if (pid > 0)
		pr->guardian = pid;
	else
		munmap(g, GUARD_MAP);
}

static int
guard_num(const char *s, long *v)
{
	char *end;

	errno = 0;
	*v = strtol(s, &end, 10);
	return *s != '\0' && *end == '\0' && errno == 0 ? 0 : -1;
}

void
guardian_main(int argc, char **argv)
{
	struct prison *pr = calloc(1, sizeof(*pr));
	long v[GUARD_NARGS - 2];
	struct jrec r;

	prctl(PR_SET_NAME, GUARD_NAME, 0, 0, 0);
	if (argc != GUARD_NARGS || pr == NULL)
		_exit(2);
	for (int i = 0; i < GUARD_NARGS - 2; i++)
		if (guard_num(argv[i + 1], &v[i]) < 0)
			_exit(2);
	pr->st.jid = (int)v[0];
	pr->hostif = (unsigned)v[1];
	pr->idbase = (uint32_t)v[2];
	pr->regfd = (int)v[3];
	pr->recfd = (int)v[4];
	pr->idmapfd = (int)v[5];
	pr->netnsfd = (int)v[6];
	snprintf(pr->cgpath, sizeof(pr->cgpath), "%s", argv[GUARD_NARGS - 1]);
	pr->cgfd = pr->cgjailfd = pr->cgevfd = pr->initfd = pr->listenfd = -1;
	/* The name, for the record as it is rewritten: the record's own. */
	if (pread(pr->recfd, &r, sizeof(r), 0) == sizeof(r))
		snprintf(pr->st.name, sizeof(pr->st.name), "%.*s",
		    (int)sizeof(r.name), r.name);
	guard(pr);
}

int
guardian_is(const char *argv0)
{
	return argv0 != NULL && strcmp(argv0, GUARD_NAME) == 0;
}

void
teardown(struct prison *pr)
{
	int k;

	/* cgroup.kill first: the jail's processes die as init does. */
	if (pr->cgfd >= 0 &&
	    (k = openat(pr->cgfd, "cgroup.kill", O_WRONLY | O_CLOEXEC)) >= 0) {
		(void)!write(k, "1", 1);
		close(k);
	}
	crash_point("killing");
	net_end(pr);
	if (!reap_init(pr) ||
	    (pr->cgpath[0] != '\0' && jcg_destroy(pr->cgpath) < 0)) {
		/* Stuck on a zombie of a stopped host parent: see above. */
		guardian_start(pr);
		if (pr->recfd >= 0)
			unlink_entry(pr, 1);
		return;
	}
	crash_point("cgroup-removed");
	stop_guardian(pr);
	release(pr);
}
