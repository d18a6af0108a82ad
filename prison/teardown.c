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
 * The guardian is a small process forked once the jail is built.  It
 * shares the record's lock, so the jail stays listed (dying) while it
 * works; when the prison is gone, whether it ended so or was killed, the
 * guardian marks the record dying, undoes the network (it holds the
 * jail's network namespace, so that interfaces moved in are still there
 * to bring back), removes the cgroup (retrying until it can), gives back
 * the uid range and removes the socket and the record.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
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

/*
 * Everything is dead: the jail's overlay work directories go (nothing
 * has the overlay mounted any more), the ids are given back, then the
 * entry is dropped.
 */
static void
release(struct prison *pr)
{
	overlay_cleanup(pr->ovlwork);
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
	if (net_wanted(&pr->st))
		net_destroy(pr);
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

static void __attribute__((noreturn))
guard(struct prison *pr, int prisonfd)
{
	struct pollfd p = { .fd = prisonfd, .events = POLLIN };

	prctl(PR_SET_NAME, "prison-guard", 0, 0, 0);
	pr->is_guardian = 1;
	while (poll(&p, 1, -1) < 0 && errno == EINTR)
		;
	/*
	 * The prison is gone: the jail is dying, if it was not already; if
	 * it was not, the prison died (killed), which callers are told.
	 */
	{
		struct jrec r;

		pr->prison_died = pread(pr->recfd, &r, sizeof(r), 0) !=
		    sizeof(r) || r.state != JREC_DYING;
	}
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

void
guardian_start(struct prison *pr)
{
	int prisonfd, keep[5];
	pid_t pid;

	if (pr->guardian > 0)
		return;
	prisonfd = (int)syscall(SYS_pidfd_open, getpid(), 0);
	if (prisonfd < 0)
		return;
	if ((pid = fork()) != 0) {
		close(prisonfd);
		if (pid > 0)
			pr->guardian = pid;
		return;
	}
	/* The record's and the range's locks, shared; nothing else. */
	keep[0] = prisonfd;
	keep[1] = pr->regfd;
	keep[2] = pr->recfd;
	keep[3] = pr->idmapfd;
	keep[4] = pr->netnsfd;
	jfd_close_except(0, keep, 5);
	guard(pr, prisonfd);
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
