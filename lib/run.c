/*
 * jail__run: run a command fully inside a jail.  See run.h.
 *
 *   caller ──fork──► A: non-dumpable, setns into the jail, users looked up
 *                      │  in the jail's own files, then clone3 with
 *                      │  CLONE_INTO_CGROUP | CLONE_PARENT
 *                      ▼
 *                      B: born in the jail's cgroup and pid namespace, a
 *                         child of the caller; setsid, chdir, policy, exec
 *
 * A exits at once after telling the caller B's pid; the caller waits for B.
 * A failure in A or B before exec comes back through a close-on-exec pipe,
 * and B dies rather than run half-confined.
 *
 * When the caller's stdio includes a terminal, A (or the caller, with
 * enter_self) also opens a pty of the jail's own devpts; B gets the slave,
 * the caller the master, and the caller relays (pty.c, pty_relay.c).  A
 * directory as stdio is refused (stdfd.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/sched.h>

#include "jail.h"
#include "internal.h"
#include "attach.h"
#include "passwd.h"
#include "pty.h"
#include "run.h"
#include "stdfd.h"

struct report {
	int	err;		/* errno, 0 for "B's pid follows" */
	pid_t	pid;
	char	msg[256];
};

static volatile sig_atomic_t fwd_pid;

/*
 * The command leads its own session and process group: what the terminal
 * would have sent to our group goes to all of its group (^C stops a
 * pipeline in the jail, not only its first process).
 */
static void
forward(int sig)
{
	int e = errno;

	if (fwd_pid > 0 && kill(-(pid_t)fwd_pid, sig) < 0)
		kill((pid_t)fwd_pid, sig);
	errno = e;
}

static const int fwd_sigs[] = {
	SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH, SIGCONT,
};

static void
send_report(int fd, int err, pid_t pid, const char *msg)
{
	struct report r = { .err = err, .pid = pid };

	snprintf(r.msg, sizeof(r.msg), "%s", msg != NULL ? msg : "");
	(void)!write(fd, &r, sizeof(r));
}


struct plan {
	const struct jail_run	*r;
	struct jcred		 cred;
	struct jpw		 pw;		/* the user's entry */
	int			 have_pw;
	char			*envbuf[8];
	char			 envstr[5][1100];
	struct jail_pty		 pty;		/* the jail's terminal, if any */
};

/* In B: become the command. */
static void __attribute__((noreturn))
become(struct plan *p, const struct jail_entry *e, int rep)
{
	char err[256], *shell_argv[2], argv0[1100];
	char *const *argv = p->r->argv;
	const char *dir = p->r->dir;
	extern char **environ;

	if (setsid() < 0) {
		send_report(rep, errno, 0, "setsid failed");
		_exit(127);
	}
	if (jpty_attach(&p->pty, err, sizeof(err)) < 0) {
		send_report(rep, errno, 0, err);
		_exit(127);
	}
	if (dir == NULL)
		dir = p->r->login && p->have_pw ? p->pw.home : "/";
	if (jail_entry_chdir(dir, err, sizeof(err)) < 0) {
		send_report(rep, errno, 0, err);
		_exit(127);
	}
	if (p->r->login)
		environ = p->envbuf;
	else if (p->r->envp != NULL)
		environ = (char **)p->r->envp;
	if (argv == NULL || argv[0] == NULL) {
		const char *sh = p->have_pw ? p->pw.shell : "/bin/sh";
		const char *base = strrchr(sh, '/');

		base = base != NULL ? base + 1 : sh;
		snprintf(argv0, sizeof(argv0), "%s%s", p->r->login ? "-" : "",
		    base);
		shell_argv[0] = argv0;
		shell_argv[1] = NULL;
		argv = shell_argv;
		if (jpolicy_apply(e->policy, &p->cred, err, sizeof(err)) < 0) {
			send_report(rep, errno, 0, err);
			_exit(127);
		}
		execv(sh, argv);
		snprintf(err, sizeof(err), "%.200s: %s", sh, strerror(errno));
		send_report(rep, errno, 0, err);
		_exit(127);
	}
	if (jpolicy_apply(e->policy, &p->cred, err, sizeof(err)) < 0) {
		send_report(rep, errno, 0, err);
		_exit(127);
	}
	execvp(argv[0], argv);
	snprintf(err, sizeof(err), "execvp: %s: %s", argv[0], strerror(errno));
	send_report(rep, errno, 0, err);
	_exit(127);
}

/*
 * Enter, look the user up inside, and start B; report B's pid (or the
 * failure) on REP.  CLONE_PARENT when we are the helper A: B then is the
 * caller's child.
 */
static void
enter_and_spawn(struct plan *p, struct jail_entry *e, int rep, uint64_t flags)
{
	struct clone_args ca;
	char err[256];
	const char *term;
	pid_t pid;

	if (jail_entry_setns(e, err, sizeof(err)) < 0) {
		send_report(rep, errno, 0, err);
		return;
	}
	close(e->pidfd);
	e->pidfd = -1;	/* jail_entry_free must not close a reused number */
	if (p->r->jail_user != NULL) {
		if (!jpw_lookup(p->r->jail_user, 0, &p->pw)) {
			snprintf(err, sizeof(err), "%s: no such user in the jail",
			    p->r->jail_user);
			send_report(rep, ENOENT, 0, err);
			return;
		}
		p->have_pw = 1;
		p->cred.set = 1;
		p->cred.uid = p->pw.uid;
		p->cred.gid = p->pw.gid;
		p->cred.ngroups = jpw_groups(p->pw.name, p->pw.gid,
		    p->cred.groups, 64);
	} else if (!p->have_pw)
		p->have_pw = jpw_lookup(NULL, p->cred.uid, &p->pw);

	if (p->r->login) {
		term = getenv("TERM");
		snprintf(p->envstr[0], sizeof(p->envstr[0]), "HOME=%s",
		    p->have_pw ? p->pw.home : "/");
		snprintf(p->envstr[1], sizeof(p->envstr[1]), "SHELL=%s",
		    p->have_pw ? p->pw.shell : "/bin/sh");
		snprintf(p->envstr[2], sizeof(p->envstr[2]), "USER=%s",
		    p->have_pw ? p->pw.name : "root");
		snprintf(p->envstr[3], sizeof(p->envstr[3]), "TERM=%s",
		    term != NULL ? term : "dumb");
		snprintf(p->envstr[4], sizeof(p->envstr[4]), "PATH=/bin:/usr/bin");
		for (int i = 0; i < 5; i++)
			p->envbuf[i] = p->envstr[i];
		p->envbuf[5] = NULL;
	}

	/* In the jail's mount namespace now: its devpts is at hand. */
	if (jpty_open(&p->pty, p->cred.uid, err,
	    sizeof(err)) < 0) {
		send_report(rep, errno, 0, err);
		return;
	}

	memset(&ca, 0, sizeof(ca));
	ca.flags = CLONE_INTO_CGROUP | flags;
	ca.cgroup = (uint64_t)e->cgfd;
	if (!(flags & CLONE_PARENT))
		ca.exit_signal = SIGCHLD;
	pid = (pid_t)syscall(SYS_clone3, &ca, sizeof(ca));
	if (pid < 0) {
		int cerr = errno;

		/*
		 * A pid namespace whose init has died takes no new process
		 * (ENOMEM), nor does a removed jail's cgroup: the jail went
		 * away after we entered it.
		 */
		if (cerr == ENOMEM || jreg_fate(e->recfd) != JREG_ALIVE)
			jcl_lost(e->recfd, e->jid, NULL, EINVAL, err,
			    sizeof(err));
		else {
			snprintf(err, sizeof(err), "clone3: %s",
			    strerror(cerr));
			errno = cerr;
		}
		send_report(rep, errno, 0, err);
		jpty_close(&p->pty);
		return;
	}
	if (pid == 0) {
		close(e->cgfd);
		close(e->recfd);
		become(p, e, rep);
	}
	if (jpty_handoff(&p->pty, err, sizeof(err)) < 0) {
		kill(pid, SIGKILL);
		send_report(rep, errno, 0, err);
		return;
	}
	send_report(rep, 0, pid, NULL);
}

/* In A: nothing of the caller's but what entering needs. */
static void __attribute__((noreturn))
enter(struct plan *p, struct jail_entry *e, int rep)
{
	int keep[] = { rep, e->pidfd, e->cgfd, e->recfd, p->pty.sock[0],
	    p->pty.sock[1] };

	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	jfd_close_except(3, keep, (int)(sizeof(keep) / sizeof(keep[0])));
	enter_and_spawn(p, e, rep, CLONE_PARENT);
	_exit(0);
}

JAIL_EXPORT int
jail__run(int jid, const struct jail_run *r, int *status)
{
	struct sigaction sa, old[sizeof(fwd_sigs) / sizeof(fwd_sigs[0])];
	struct jail_entry e;
	struct report rep;
	struct plan *p;
	int pfd[2] = { -1, -1 }, sock = -1, st, ret = -1, ttys;
	pid_t a = -1, b = -1;
	ssize_t n;

	jail_errmsg[0] = '\0';
	/* Before anything is entered: no host directory or terminal goes in. */
	if ((ttys = jstdfd_check(jail_errmsg, JAIL_ERRMSGLEN)) < 0)
		return -1;
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return -1;
	p->r = r;
	if (jpty_init(&p->pty, ttys, !r->enter_self, jail_errmsg,
	    JAIL_ERRMSGLEN) < 0)
		goto out;
	if (r->host_user != NULL) {
		struct passwd *pw = getpwnam(r->host_user);
		int ng = 64;

		if (pw == NULL) {
			snprintf(jail_errmsg, JAIL_ERRMSGLEN, "%s: no such user",
			    r->host_user);
			errno = ENOENT;
			goto out;
		}
		snprintf(p->pw.name, sizeof(p->pw.name), "%s", pw->pw_name);
		snprintf(p->pw.home, sizeof(p->pw.home), "%s", pw->pw_dir);
		snprintf(p->pw.shell, sizeof(p->pw.shell), "%s", pw->pw_shell);
		p->pw.uid = pw->pw_uid;
		p->pw.gid = pw->pw_gid;
		p->have_pw = 1;
		p->cred.set = 1;
		p->cred.uid = pw->pw_uid;
		p->cred.gid = pw->pw_gid;
		if (getgrouplist(pw->pw_name, pw->pw_gid, p->cred.groups, &ng) < 0)
			ng = 64;
		p->cred.ngroups = ng;
	}
	/* Without -u or -U, the caller's ids, taken while they are host ids. */
	if (!p->cred.set)
		jcred_self(&p->cred);
	if ((sock = jcl_connect(jid)) < 0) {
		int rec = errno == ENOENT ? jreg_open_record(-1, jid) : -1;

		/* Its prison is gone: did the jail go with it, or first? */
		jcl_lost(rec, jid, NULL, ENOENT, jail_errmsg, JAIL_ERRMSGLEN);
		if (rec >= 0)
			close(rec);
		goto out;
	}
	if (jail_entry_get(sock, jid, &e, jail_errmsg, JAIL_ERRMSGLEN) < 0)
		goto out;
	close(sock);
	sock = -1;
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		jail_entry_free(&e);
		goto out;
	}
	if (r->enter_self) {
		/* Non-dumpable first: jail root must not trace us in. */
		prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
		enter_and_spawn(p, &e, pfd[1], 0);
	} else {
		if ((a = fork()) < 0) {
			jail_entry_free(&e);
			goto out;
		}
		if (a == 0) {
			close(pfd[0]);
			prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
			enter(p, &e, pfd[1]);
		}
	}
	jail_entry_free(&e);
	close(pfd[1]);
	pfd[1] = -1;
	if (!r->enter_self)
		while (waitpid(a, &st, 0) < 0 && errno == EINTR)
			;
	n = read(pfd[0], &rep, sizeof(rep));
	if (n != sizeof(rep) || rep.err != 0) {
		if (n == sizeof(rep)) {
			snprintf(jail_errmsg, JAIL_ERRMSGLEN, "%s", rep.msg);
			errno = rep.err;
		} else {
			snprintf(jail_errmsg, JAIL_ERRMSGLEN, "cannot enter jail %d",
			    jid);
			errno = EIO;
		}
		goto out;
	}
	b = rep.pid;
	if (!r->enter_self &&
	    jpty_receive(&p->pty, jail_errmsg, JAIL_ERRMSGLEN) < 0) {
		kill(b, SIGKILL);
		while (waitpid(b, &st, 0) < 0 && errno == EINTR)
			;
		goto out;
	}

	fwd_pid = b;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = forward;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(fwd_sigs) / sizeof(fwd_sigs[0]); i++)
		sigaction(fwd_sigs[i], &sa, &old[i]);

	/* A report from B means it failed before exec; EOF means it exec'd. */
	while ((n = read(pfd[0], &rep, sizeof(rep))) < 0 && errno == EINTR)
		;
	if (n == 0 && p->pty.master >= 0)
		jpty_relay(&p->pty, b);
	while (waitpid(b, &st, 0) < 0 && errno == EINTR)
		;
	fwd_pid = 0;
	for (size_t i = 0; i < sizeof(fwd_sigs) / sizeof(fwd_sigs[0]); i++)
		sigaction(fwd_sigs[i], &old[i], NULL);
	if (n == sizeof(rep) && rep.err != 0) {
		snprintf(jail_errmsg, JAIL_ERRMSGLEN, "%s", rep.msg);
		errno = rep.err;
		goto out;
	}
	*status = st;
	ret = 0;
out:
	{
		int err = errno;

		if (sock >= 0)
			close(sock);
		if (pfd[0] >= 0)
			close(pfd[0]);
		if (pfd[1] >= 0)
			close(pfd[1]);
		jpty_close(&p->pty);
		free(p);
		errno = err;
	}
	return ret;
}
