/*
 * The one way into a jail (DESIGN.md §9), shared by jexec (jail__run,
 * run.c) and the prison (a spawn through a descriptor, prison/spawn.c):
 *
 *   spawner ──fork──► A: non-dumpable, setns into the jail, users looked
 *                      │  up in the jail's own files, then clone3 with
 *                      │  CLONE_INTO_CGROUP | CLONE_PARENT
 *                      ▼
 *                      B: born in the jail's cgroup and pid namespace, a
 *                         child of the spawner; setsid, stdio, chdir,
 *                         policy, exec
 *
 * The environment: the spawner's (or the one it gives), untouched, unless a
 * user is named or a login is asked for.  Then it is that of FreeBSD's
 * jexec and jail(8), which set the login class's PATH and the user's HOME,
 * USER and SHELL (setusercontext, then setenv): over the environment for
 * a named user, and alone, with the caller's TERM, for a login.
 *
 * For jail-oci, B also takes what an OCI process asks within the jail's
 * policy (umask, rlimits, narrower capabilities, a seccomp program of its
 * own: policy.c's jpolicy_apply_proc), may look its executable up before
 * exec to fail in runc's words, and, gated, says when it waits on the
 * gate (a report with pid 0), so that create returns only then.
 *
 * A exits at once after telling the spawner B's pid.  The spawner does not
 * wait for B: a failure in B before exec comes back through a
 * close-on-exec pipe (EOF once it has exec'd), and waiting, relaying a
 * terminal and forwarding signals are the spawner's.  B dies rather than
 * run half-confined.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/sched.h>

#include "jail.h"
#include "internal.h"
#include "attach.h"
#include "jspawn.h"
#include "run.h"

/*
 * The PATH of FreeBSD's default login class (login.conf), which its
 * setusercontext gives a user; Linux has no login classes.
 */
#define	LOGIN_PATH \
	"/sbin:/bin:/usr/sbin:/usr/bin:/usr/local/sbin:/usr/local/bin"

/* What a user's environment sets: PATH, HOME, SHELL, USER. */
#define	USER_VARS	4

extern char **environ;

struct report {
	int	err;		/* errno, 0 for "B's pid follows" */
	pid_t	pid;
	char	msg[256];
};

static void
send_report(int fd, int err, pid_t pid, const char *msg)
{
	struct report r = { .err = err, .pid = pid };

	snprintf(r.msg, sizeof(r.msg), "%s", msg != NULL ? msg : "");
	(void)!write(fd, &r, sizeof(r));
}


/*
 * In B, confined, just before exec: wait on the gate for the byte that
 * releases it (jail-oci's start); EOF or an error means never released.
 */
static void
pass_gate(struct jspawn *p, int rep)
{
	char c;
	ssize_t n;

	if (p->gate <= 0)
		return;
	/* Confined and checked: create may return (pid 0: not A's report). */
	send_report(rep, 0, 0, "gated");
	while ((n = read(p->gate, &c, 1)) < 0 && errno == EINTR)
		;
	if (n != 1) {
		send_report(rep, ECANCELED, 0, "never started");
		_exit(127);
	}
	close(p->gate);
}

/*
 * In B, confined, before the gate: what exec would find for NAME, in the
 * words runc uses (engines map them to exit codes: podman 127 for "not
 * found" and "no such file", 126 for "permission denied").  The PATH is
 * the command's own environment's.  0 and the path in BUF, or -1 with
 * errno and the message.
 */
static int
find_exec(const char *name, char *buf, size_t len, char *err, size_t errlen)
{
	const char *path = getenv("PATH"), *dir, *end;
	struct stat st;
	int denied = 0;

	if (strchr(name, '/') != NULL) {
		snprintf(buf, len, "%s", name);
		if (stat(buf, &st) < 0)
			return jerr(err, errlen, errno, "exec: \"%.200s\": "
			    "stat %.200s: %s", name, name, errno == ENOENT ?
			    "no such file or directory" : strerror(errno));
		if (!S_ISREG(st.st_mode) || access(buf, X_OK) < 0)
			return jerr(err, errlen, EACCES, "exec: \"%.200s\": "
			    "permission denied", name);
		return 0;
	}
	if (path == NULL)
		path = "/bin:/usr/bin";	/* execvp's own default */
	for (dir = path; ; dir = end + 1) {
		end = strchrnul(dir, ':');
		if ((size_t)snprintf(buf, len, "%.*s%s%s", (int)(end - dir),
		    dir, end == dir ? "" : "/", name) < len &&
		    stat(buf, &st) == 0 && S_ISREG(st.st_mode)) {
			if (access(buf, X_OK) == 0)
				return 0;
			denied = 1;
		}
		if (*end == '\0')
			break;
	}
	if (denied)
		return jerr(err, errlen, EACCES, "exec: \"%.200s\": "
		    "permission denied", name);
	return jerr(err, errlen, ENOENT, "exec: \"%.200s\": executable file "
	    "not found in $PATH", name);
}

/* In B, before its policy: an OCI process's umask and rlimits. */
static int
set_limits(const struct jspawn *p, char *err, size_t errlen)
{
	if (p->umask_set)
		umask(p->umask);
	for (int i = 0; i < p->nrlimits; i++) {
		struct rlimit rl = { .rlim_cur = p->rlimits[i].soft,
		    .rlim_max = p->rlimits[i].hard };

		if (setrlimit(p->rlimits[i].resource, &rl) < 0)
			return jerr(err, errlen, errno, "rlimit %d: %s",
			    p->rlimits[i].resource, strerror(errno));
	}
	return 0;
}

/* In B: become the command. */
static void __attribute__((noreturn))
become(struct jspawn *p, const struct jail_entry *e, int rep)
{
	char err[256], *shell_argv[2], argv0[1100];
	char *const *argv = p->argv;
	const char *dir = p->dir;

	if (p->reset_signals) {
		sigset_t none;

		for (int sig = 1; sig < NSIG; sig++)
			signal(sig, SIG_DFL);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
	}
	if (setsid() < 0) {
		send_report(rep, errno, 0, "setsid failed");
		_exit(127);
	}
	/* The stdio it was given, then a terminal of the jail's over it. */
	for (int fd = 0; fd <= 2; fd++)
		if (p->stdio[fd] >= 0 && p->stdio[fd] != fd &&
		    dup2(p->stdio[fd], fd) < 0) {
			send_report(rep, errno, 0, "stdio");
			_exit(127);
		} else if (p->stdio[fd] < 0 && p->stdio_only)
			close(fd);
	if (jpty_attach(&p->pty, err, sizeof(err)) < 0) {
		send_report(rep, errno, 0, err);
		_exit(127);
	}
	if (dir == NULL)
		dir = p->login && p->have_pw ? p->pw.home : "/";
	if (jail_entry_chdir(dir, err, sizeof(err)) < 0) {
		send_report(rep, errno, 0, err);
		_exit(127);
	}
	if (p->envv != NULL)
		environ = p->envv;
	else if (p->envp != NULL)
		environ = (char **)p->envp;
	if (argv == NULL || argv[0] == NULL) {
		const char *sh = p->have_pw && p->pw.shell[0] != '\0' ?
		    p->pw.shell : "/bin/sh";
		const char *base = strrchr(sh, '/');

		base = base != NULL ? base + 1 : sh;
		snprintf(argv0, sizeof(argv0), "%s%s", p->login ? "-" : "",
		    base);
		shell_argv[0] = argv0;
		shell_argv[1] = NULL;
		argv = shell_argv;
		if (jpolicy_apply(e->policy, &p->cred, err, sizeof(err)) < 0) {
			send_report(rep, errno, 0, err);
			_exit(127);
		}
		pass_gate(p, rep);
		execv(sh, argv);
		snprintf(err, sizeof(err), "%.200s: %s", sh, strerror(errno));
		send_report(rep, errno, 0, err);
		_exit(127);
	}
	if (set_limits(p, err, sizeof(err)) < 0 ||
	    jpolicy_apply_proc(e->policy, &p->cred, p->proc, err,
	    sizeof(err)) < 0) {
		send_report(rep, errno, 0, err);
		_exit(127);
	}
	if (p->check_exec) {
		char path[4096];

		if (find_exec(argv[0], path, sizeof(path), err,
		    sizeof(err)) < 0) {
			send_report(rep, errno, 0, err);
			_exit(127);
		}
		pass_gate(p, rep);
		execv(path, argv);
		snprintf(err, sizeof(err), "exec: \"%.200s\": %s", argv[0],
		    strerror(errno));
		send_report(rep, errno, 0, err);
		_exit(127);
	}
	pass_gate(p, rep);
	execvp(argv[0], argv);
	snprintf(err, sizeof(err), "execvp: %s: %s", argv[0], strerror(errno));
	send_report(rep, errno, 0, err);
	_exit(127);
}

/* Whether ENV (NAME=value) sets one of the variables of a user's. */
static int
user_var(const char *env)
{
	static const char *const names[] = { "PATH=", "HOME=", "USER=",
	    "SHELL=" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strncmp(env, names[i], strlen(names[i])) == 0)
			return 1;
	return 0;
}

/*
 * The environment of P's user (see the top), into P->envv, made ready by
 * jspawn_start: no allocation here, in a child of a process that may have
 * threads.  A login keeps the caller's TERM only.
 */
static void
make_user_env(struct jspawn *p)
{
	char *const *base = p->envp != NULL ? p->envp : environ;
	const char *shell = "/bin/sh";
	size_t n = 0;

	if (p->have_pw && p->pw.shell[0] != '\0')
		shell = p->pw.shell;
	for (size_t i = 0; base != NULL && base[i] != NULL; i++)
		if (p->login ? strncmp(base[i], "TERM=", 5) == 0 :
		    !user_var(base[i]))
			p->envv[n++] = base[i];
	snprintf(p->envstr[0], sizeof(p->envstr[0]), "PATH=%s", LOGIN_PATH);
	snprintf(p->envstr[1], sizeof(p->envstr[1]), "HOME=%s",
	    p->have_pw ? p->pw.home : "/");
	snprintf(p->envstr[2], sizeof(p->envstr[2]), "SHELL=%s", shell);
	if (p->have_pw)
		snprintf(p->envstr[3], sizeof(p->envstr[3]), "USER=%s",
		    p->pw.name);
	else
		snprintf(p->envstr[3], sizeof(p->envstr[3]), "USER=%u",
		    (unsigned)p->cred.uid);
	for (int i = 0; i < USER_VARS; i++)
		p->envv[n++] = p->envstr[i];
	p->envv[n] = NULL;
}

/*
 * Whether anything of the user's entry is used: a login's home, the shell
 * run without a command, a user's environment.  A plain command needs
 * none, and the jail's passwd is then not read.
 */
static int
wants_pw(const struct jspawn *p)
{
	return p->login || p->argv == NULL || p->argv[0] == NULL ||
	    p->envv != NULL;
}

/*
 * Enter, look the user up inside, and start B; report B's pid (or the
 * failure) on REP.  CLONE_PARENT when we are the helper A: B then is the
 * caller's child.
 */
static void
enter_and_spawn(struct jspawn *p, struct jail_entry *e, int rep, uint64_t flags)
{
	struct clone_args ca;
	char err[256];
	pid_t pid;

	if (jail_entry_setns(e, err, sizeof(err)) < 0) {
		send_report(rep, errno, 0, err);
		return;
	}
	close(e->pidfd);
	e->pidfd = -1;	/* jail_entry_free must not close a reused number */
	if (p->jail_user != NULL) {
		if (!jpw_lookup(p->jail_user, 0, &p->pw)) {
			snprintf(err, sizeof(err), "%s: no such user in the jail",
			    p->jail_user);
			send_report(rep, ENOENT, 0, err);
			return;
		}
		p->have_pw = 1;
		p->cred.set = 1;
		p->cred.uid = p->pw.uid;
		p->cred.gid = p->pw.gid;
		p->cred.ngroups = jpw_groups(p->pw.name, p->pw.gid,
		    p->cred.groups, 64);
	} else if (!p->have_pw && wants_pw(p))
		p->have_pw = jpw_lookup(NULL, p->cred.uid, &p->pw);

	if (p->envv != NULL)
		make_user_env(p);

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
enter(struct jspawn *p, struct jail_entry *e, int rep)
{
	int keep[] = { rep, e->pidfd, e->cgfd, e->recfd, p->pty.sock[0],
	    p->pty.sock[1], p->stdio[0], p->stdio[1], p->stdio[2],
	    p->gate > 0 ? p->gate : -1 };

	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	jfd_close_except(3, keep, (int)(sizeof(keep) / sizeof(keep[0])));
	enter_and_spawn(p, e, rep, CLONE_PARENT);
	_exit(0);
}

/*
 * Room for the environment of a named user or a login (make_user_env),
 * made before entering: the process that fills it must not allocate.
 */
static int
alloc_user_env(struct jspawn *p)
{
	char *const *base = p->envp != NULL ? p->envp : environ;
	size_t n = 0;

	p->envv = NULL;
	if (!p->login && !p->user_env)
		return 0;
	while (base != NULL && base[n] != NULL)
		n++;
	p->envv = calloc(n + USER_VARS + 1, sizeof(char *));
	return p->envv != NULL ? 0 : -1;
}

static void
free_user_env(struct jspawn *p)
{
	free(p->envv);
	p->envv = NULL;
}

int
jspawn_start(struct jspawn *p, struct jail_entry *e, int enter_self,
    pid_t *pid, int *report, char *err, size_t errlen)
{
	struct report rep;
	int pfd[2], st;
	pid_t a = -1;
	ssize_t n;

	*pid = -1;
	*report = -1;
	if (alloc_user_env(p) < 0)
		return jerr(err, errlen, errno, "malloc: %s", strerror(errno));
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		free_user_env(p);
		return jerr(err, errlen, errno, "pipe: %s", strerror(errno));
	}
	if (enter_self) {
		/* Non-dumpable first: jail root must not trace us in. */
		prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
		enter_and_spawn(p, e, pfd[1], 0);
	} else {
		if ((a = fork()) < 0) {
			close(pfd[0]);
			close(pfd[1]);
			free_user_env(p);
			return jerr(err, errlen, errno, "fork: %s",
			    strerror(errno));
		}
		if (a == 0) {
			close(pfd[0]);
			prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
			enter(p, e, pfd[1]);
		}
	}
	/* B has its copy, made from ours or A's. */
	free_user_env(p);
	close(pfd[1]);
	if (!enter_self)
		while (waitpid(a, &st, 0) < 0 && errno == EINTR)
			;
	/* B, gated, may report reaching its gate before A reports B's pid. */
	while ((n = read(pfd[0], &rep, sizeof(rep))) == sizeof(rep) &&
	    rep.err == 0 && rep.pid == 0)
		p->gated = 1;
	if (n != sizeof(rep) || rep.err != 0) {
		if (n == sizeof(rep))
			jerr(err, errlen, rep.err, "%s", rep.msg);
		else
			jerr(err, errlen, EIO, "cannot enter jail %d", e->jid);
		close(pfd[0]);
		return -1;
	}
	if (!enter_self && jpty_receive(&p->pty, err, errlen) < 0) {
		int e2 = errno;

		kill(rep.pid, SIGKILL);
		while (waitpid(rep.pid, &st, 0) < 0 && errno == EINTR)
			;
		close(pfd[0]);
		errno = e2;
		return -1;
	}
	*pid = rep.pid;
	*report = pfd[0];
	return 0;
}

int
jspawn_result(int report, char *err, size_t errlen)
{
	struct report rep;
	ssize_t n;

	/* A report from B means it failed before exec; EOF means it exec'd. */
	while ((n = read(report, &rep, sizeof(rep))) < 0 && errno == EINTR)
		;
	if (n == sizeof(rep) && rep.err != 0)
		return jerr(err, errlen, rep.err, "%s", rep.msg);
	return 0;
}

int
jspawn_gated(int report, char *err, size_t errlen)
{
	struct report rep;
	ssize_t n;

	/* A report of pid 0 says it waits on its gate; EOF, that it died. */
	while ((n = read(report, &rep, sizeof(rep))) < 0 && errno == EINTR)
		;
	if (n == sizeof(rep) && rep.err != 0)
		return jerr(err, errlen, rep.err, "%s", rep.msg);
	if (n == sizeof(rep) && rep.pid == 0)
		return 0;
	return jerr(err, errlen, ECHILD, "the process died before its start");
}
