/*
 * The commands of exec.* and command= (jail8.h): how a command string
 * becomes an argv, and how it is started on the host or inside the jail.
 * The state machine (state.c) waits for what is started here; waiting
 * and timing out are its own, deciding what an ending means is ours.
 *
 * Host commands (exec.prepare, prestart, created, poststart, prestop,
 * poststop, release) are forked and exec'd here, in jail(8)'s working
 * directory and process group as FreeBSD's, as exec.system_user if set.
 * With exec.timeout they get a process group of their own, so that an
 * overrun kills all of a pipeline; without one they stay in jail(8)'s,
 * where the terminal's ^C reaches them and they may read it.
 *
 * In-jail commands (exec.start, command, exec.stop) go in only through
 * the library's entry (jail__run): nothing of jail(8) runs in the jail,
 * the command holds no descriptor of ours but 0-2, and a host terminal
 * never goes in (the library relays a pty of the jail's own).  jail__run
 * waits, so it runs in a child of ours, the runner, which ends as the
 * command did (its exit code, or the same signal).  The runner needs
 * nothing of the host after it has started the command, so it enters the
 * jail's namespaces itself and forks the command, as jexec does, rather
 * than fork a helper that would: non-dumpable, outside the jail's cgroup
 * and pid namespace, it is out of the jail's reach.  It asks the jail's
 * prison for the way in on our hold, the connection we made the jail on,
 * when there is one.
 *
 * Commands of both kinds get JID, JNAME and JPATH unless exec.clean
 * (spec §3.2).  One that could not start (no such user, program or
 * jail) is reported once, by the child that knows why, which tells
 * command_finish through a pipe not to add that it "failed".
 *
 * exec.consolelog is a host file opened here, by root, and given to the
 * in-jail command as its standard output and error, as FreeBSD does.
 * What the jail gets is one descriptor of one regular file, write-only
 * and appending.  With it, a jailed process can write to the log,
 * truncate it (ftruncate needs no more than a writable descriptor) and
 * reopen it through /proc/self/fd, where the file's own permissions
 * apply to the jail's ids, which own no host inode (DESIGN.md §4): so
 * a log we create is mode 0600, which gives the jail nothing more by
 * reopening, where FreeBSD's 0666 & ~umask would let a jail read what
 * other jails sharing the file wrote.  Below the jail's path the file
 * must not be reached through a symbolic link nor have a second link
 * (the jail could make either to point root's open at a host file), and
 * it must be a regular file everywhere (a FIFO would block us; a device
 * is accepted outside the jail's tree only, /dev/null or a console,
 * which the library relays as it does every terminal).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/openat2.h>

#include "jail8.h"
#include "run.h"

/* A string with one of these goes to /bin/sh -c (FreeBSD's set). */
#define	SHELL_SPECIALS	"!\"$&'()*;<>?[\\]`{|}~"
#define	BLANKS		" \t\f\v\r\n"
#define	PATH_BSHELL	"/bin/sh"
/*
 * exec.clean's PATH for host commands.  FreeBSD sets /bin:/usr/bin and
 * then the login class's path over it, whose default is this one; Linux
 * has no login classes, so the default is taken as is.
 */
#define	CLEAN_HOST_PATH	"/sbin:/bin:/usr/sbin:/usr/bin:/usr/local/sbin:/usr/local/bin"
#define	DEFAULT_STOP_TIMEOUT	10	/* seconds, as FreeBSD */
/* What the child of stop.timeout is given beyond it to end by itself. */
#define	STOP_MARGIN_MS	2000
/* Passes over /proc when killing a timed-out in-jail command's session. */
#define	KILL_PASSES	100
#define	CONSOLELOG_MODE	0600

extern char **environ;

/* One command about to start. */
struct cmd {
	char		**argv;		/* NULL-terminated, owned */
	char		*buf;		/* what argv points into, owned */
	int		 background;	/* a trailing "&" */
	int		 injail;
	int		 clean;		/* exec.clean */
	int		 sjuser;	/* exec.system_jail_user */
	const char	*user;		/* exec.jail_user or exec.system_user */
	int		 consfd;	/* exec.consolelog, or -1 */
	int		 timeout;	/* exec.timeout, seconds; 0: none */
};

static void
cmd_free(struct cmd *c)
{
	free(c->argv);
	free(c->buf);
	if (c->consfd >= 0)
		close(c->consfd);
}

/* Whether IP is a step whose values are commands. */
static int
is_command_step(enum intparam ip)
{
	switch (ip) {
	case IP_COMMAND:
	case IP_EXEC_CREATED:
	case IP_EXEC_POSTSTART:
	case IP_EXEC_POSTSTOP:
	case IP_EXEC_PREPARE:
	case IP_EXEC_PRESTART:
	case IP_EXEC_PRESTOP:
	case IP_EXEC_RELEASE:
	case IP_EXEC_START:
	case IP_EXEC_STOP:
		return 1;
	default:
		return 0;
	}
}

static void
argv_add(char ***argv, int *argc, char *arg)
{
	*argv = ereallocarray(*argv, (size_t)*argc + 2, sizeof(**argv));
	(*argv)[(*argc)++] = arg;
	(*argv)[*argc] = NULL;
}

/*
 * The command string S as FreeBSD's jail(8) reads it: with a shell
 * special character it is "/bin/sh -c S", unless that character is a
 * lone "&" ending S, which runs the rest in the background; without one
 * it is split on blanks.  0 words is nothing to run.
 */
static void
parse_string(const char *s, struct cmd *c)
{
	const char *special = strpbrk(s, SHELL_SPECIALS);
	int argc = 0;

	c->buf = estrdup(s);
	if (special != NULL && !(special[0] == '&' && special[1] == '\0')) {
		argv_add(&c->argv, &argc, PATH_BSHELL);
		argv_add(&c->argv, &argc, "-c");
		argv_add(&c->argv, &argc, c->buf);
		return;
	}
	if (special != NULL) {
		c->background = 1;
		c->buf[special - s] = '\0';
	}
	c->argv = ereallocarray(NULL, 1, sizeof(*c->argv));
	c->argv[0] = NULL;
	for (char *save, *w = strtok_r(c->buf, BLANKS, &save); w != NULL;
	    w = strtok_r(NULL, BLANKS, &save))
		argv_add(&c->argv, &argc, w);
}

/*
 * command= of a jail made on the command line is one argv, its values
 * the arguments, never split nor given to a shell (as FreeBSD's: a jail
 * from jail.conf runs each value as a command string).
 */
static void
parse_values(const struct cfparam *p, struct cmd *c)
{
	int argc = 0;

	c->argv = ereallocarray(NULL, 1, sizeof(*c->argv));
	c->argv[0] = NULL;
	for (int i = 0; i < p->nval; i++)
		argv_add(&c->argv, &argc, p->val[i]);
}

/* ARGV joined by blanks: the command as messages show it (FreeBSD's). */
static char *
join_argv(char *const *argv)
{
	size_t len = 1;
	char *line;

	for (int i = 0; argv[i] != NULL; i++)
		len += strlen(argv[i]) + 1;
	line = emalloc(len);
	for (int i = 0; argv[i] != NULL; i++) {
		if (i > 0)
			strcat(line, " ");
		strcat(line, argv[i]);
	}
	return line;
}

/* The jail's path without trailing slashes; "" for "/" or none. */
static char *
jail_root(const struct cfjail *j)
{
	const char *path = cf_string(cfjail_find(j, "path"));
	char *root = estrdup(path != NULL ? path : "");
	size_t len = strlen(root);

	while (len > 0 && root[len - 1] == '/')
		root[--len] = '\0';
	return root;
}

/* What of PATH is below ROOT ("" for ROOT itself), or NULL. */
static const char *
below(const char *path, const char *root)
{
	size_t len = strlen(root);

	if (len == 0 || strncmp(path, root, len) != 0 || path[len] != '/')
		return NULL;
	return path + len + 1;
}

/* Why LOG could not be opened (errno E). */
static void
consolelog_error(const struct cfjail *j, const char *log, int e)
{
	/* A FIFO without a reader or a socket: O_NONBLOCK saved us. */
	if (e == ENXIO)
		jail_warnx(j, "exec.consolelog: %s: not a regular file", log);
	else
		jail_warnx(j, "open %s: %s", log, strerror(e));
}

/*
 * Open the consolelog LOG below the jail's tree ROOT, REST being its
 * part below ROOT: no symbolic link on the way, no ".." out of it.
 */
static int
open_below(const struct cfjail *j, const char *log, const char *root,
    const char *rest)
{
	struct open_how how;
	int dfd, fd, e;

	if ((dfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) {
		jail_warnx(j, "exec.consolelog: %s: %s", root, strerror(errno));
		return -1;
	}
	memset(&how, 0, sizeof(how));
	how.flags = O_WRONLY | O_APPEND | O_CREAT | O_NOCTTY | O_NONBLOCK |
	    O_CLOEXEC;
	how.mode = CONSOLELOG_MODE;
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
	    RESOLVE_NO_MAGICLINKS;
	fd = (int)syscall(SYS_openat2, dfd, rest, &how, sizeof(how));
	e = errno;
	close(dfd);
	if (fd >= 0)
		return fd;
	if (e == ELOOP)
		jail_warnx(j, "exec.consolelog: %s: a symbolic link below the "
		    "jail's path", log);
	else if (e == EXDEV)
		jail_warnx(j, "exec.consolelog: %s: outside the jail's path",
		    log);
	else
		consolelog_error(j, log, e);
	return -1;
}

/* Open exec.consolelog LOG on the host for J: the descriptor, or -1. */
static int
open_consolelog(const struct cfjail *j, const char *log)
{
	char *root, *real;
	const char *rest;
	struct stat st;
	int fd, fl;

	if (log[0] != '/') {
		jail_warnx(j, "exec.consolelog: %s: not an absolute pathname",
		    log);
		return -1;
	}
	root = jail_root(j);
	/* The path as written, or through a symbolic link of the host. */
	if ((rest = below(log, root)) == NULL && root[0] != '\0' &&
	    (real = realpath(root, NULL)) != NULL) {
		if (strcmp(real, "/") != 0 && (rest = below(log, real)) != NULL) {
			free(root);
			root = real;
		} else
			free(real);
	}
	if (rest != NULL)
		fd = open_below(j, log, root, rest);
	else if ((fd = open(log, O_WRONLY | O_APPEND | O_CREAT | O_NOCTTY |
	    O_NONBLOCK | O_CLOEXEC, CONSOLELOG_MODE)) < 0)
		consolelog_error(j, log, errno);
	free(root);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0) {
		jail_warnx(j, "exec.consolelog: %s: %s", log, strerror(errno));
		goto bad;
	}
	if (!S_ISREG(st.st_mode) && (rest != NULL || !S_ISCHR(st.st_mode))) {
		jail_warnx(j, "exec.consolelog: %s: not a regular file", log);
		goto bad;
	}
	if (rest != NULL && st.st_nlink > 1) {
		jail_warnx(j, "exec.consolelog: %s: has more than one link",
		    log);
		goto bad;
	}
	/* O_NONBLOCK was for the open only (a FIFO would have blocked it). */
	if ((fl = fcntl(fd, F_GETFL)) < 0 ||
	    fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0) {
		jail_warnx(j, "exec.consolelog: %s: %s", log, strerror(errno));
		goto bad;
	}
	return fd;
bad:
	close(fd);
	return -1;
}

/*
 * Everything command_start needs to know about the command of step IP
 * for J, checked before anything is forked: 0, or -1 with a message.
 */
static int
cmd_settings(struct cfjail *j, enum intparam ip, struct cmd *c)
{
	const char *log;
	int fib;

	c->injail = (intparams[ip].flags & IPF_INJAIL) != 0;
	c->clean = cf_bool(j->ip[IP_EXEC_CLEAN]);
	c->sjuser = cf_bool(j->ip[IP_EXEC_SYSTEM_JAIL_USER]);
	c->user = cf_string(j->ip[c->injail ? IP_EXEC_JAIL_USER :
	    IP_EXEC_SYSTEM_USER]);
	if (c->user != NULL && c->user[0] == '\0') {
		jail_warnx(j, "%s: empty user name", c->injail ?
		    "exec.jail_user" : "exec.system_user");
		return -1;
	}
	if (cf_int(j, j->ip[IP_EXEC_TIMEOUT], &c->timeout) < 0)
		return -1;
	if (!c->injail)
		return 0;
	if (j->jid <= 0) {
		jail_warnx(j, "%s: the jail is not running", intparams[ip].name);
		return -1;
	}
	/* Linux has one routing table per network namespace: no FIBs. */
	switch (cf_int(j, j->ip[IP_EXEC_FIB], &fib)) {
	case -1:
		return -1;
	case 1:
		if (fib != 0) {
			jail_warnx(j, "exec.fib: %d: Linux has no routing "
			    "FIBs (only 0)", fib);
			return -1;
		}
	}
	if ((log = cf_string(j->ip[IP_EXEC_CONSOLELOG])) != NULL &&
	    (c->consfd = open_consolelog(j, log)) < 0)
		return -1;
	return 0;
}

/* ---- In a child of ours ---- */

/*
 * No handler, ignored signal or mask of jail(8)'s in the command:
 * handlers go with exec, but ignored and blocked signals would not.
 */
static void
reset_signals(void)
{
	sigset_t none;

	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/* Close every descriptor from FROM up. */
static void
close_from(int from)
{
	if (syscall(SYS_close_range, (unsigned)from, ~0U, 0) == 0)
		return;
	for (int fd = from, max = (int)sysconf(_SC_OPEN_MAX); fd < max; fd++)
		close(fd);
}

/*
 * In a child: the write end of the pipe that tells command_finish the
 * command could not be started, its reason printed already, so that no
 * "failed" follows it.  -1 in a background command's: no one waits.
 */
static int report_fd = -1;

/* The command could not be started: say so to command_finish. */
static void __attribute__((noreturn))
child_fail(void)
{
	char one = 1;

	if (report_fd >= 0)
		(void)!write(report_fd, &one, 1);
	_exit(1);
}

/*
 * Keep the N descriptors *FDS (-1: none) as 3, 4, ... (close-on-exec),
 * renumbered in *FDS, and close every other one from 3 up.
 */
static void
keep_fds(int *fds, int n)
{
	int next = 3;

	/* Out of the way first: a target may be one of them. */
	for (int i = 0; i < n; i++)
		if (fds[i] >= 0)
			fds[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, 3 + n);
	for (int i = 0; i < n; i++)
		if (fds[i] >= 0)
			fds[i] = dup3(fds[i], next, O_CLOEXEC) < 0 ? -1 : next++;
	close_from(next);
}

static void
stdin_null(const struct cfjail *j)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	if (fd < 0 || dup2(fd, STDIN_FILENO) < 0) {
		jail_warnx(j, "/dev/null: %s", strerror(errno));
		child_fail();
	}
	if (fd != STDIN_FILENO)		/* it was closed: it is ours now */
		close(fd);
}

/* End as STATUS says the command did: its exit code, or its signal. */
static void __attribute__((noreturn))
exit_like(int status)
{
	if (WIFSIGNALED(status)) {
		struct rlimit nocore = { 0, 0 };
		int sig = WTERMSIG(status);
		sigset_t set;

		/* The command dumped core if it had to; we must not. */
		setrlimit(RLIMIT_CORE, &nocore);
		signal(sig, SIG_DFL);
		sigemptyset(&set);
		sigaddset(&set, sig);
		sigprocmask(SIG_UNBLOCK, &set, NULL);
		raise(sig);
		_exit(128 + sig);
	}
	_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 1);
}

/* JID, JNAME and JPATH of J for a host command (none stale of ours). */
static void
set_jail_env(const struct cfjail *j)
{
	const char *name = cf_string(cfjail_find(j, "name"));
	const char *path = cf_string(cfjail_find(j, "path"));
	const char *jid = cf_string(cfjail_find(j, "jid"));
	char jidbuf[16];

	if (j->jid > 0) {
		snprintf(jidbuf, sizeof(jidbuf), "%d", j->jid);
		jid = jidbuf;
	}
	if (name == NULL)
		name = j->name != NULL ? j->name : jid;
	unsetenv("JID");
	unsetenv("JNAME");
	unsetenv("JPATH");
	if ((jid != NULL && setenv("JID", jid, 1) < 0) ||
	    (name != NULL && setenv("JNAME", name, 1) < 0) ||
	    setenv("JPATH", path != NULL ? path : "/", 1) < 0) {
		jail_warnx(j, "setenv: %s", strerror(errno));
		child_fail();
	}
}

/* exec.clean: nothing of ours but TERM, and the user's own. */
static void
set_clean_env(const struct cfjail *j)
{
	const char *term = getenv("TERM");
	char *keep = term != NULL ? estrdup(term) : NULL;

	clearenv();
	if (setenv("PATH", CLEAN_HOST_PATH, 1) < 0 ||
	    (keep != NULL && setenv("TERM", keep, 1) < 0)) {
		jail_warnx(j, "setenv: %s", strerror(errno));
		child_fail();
	}
	free(keep);
}

/* Become PW (exec.system_user), groups first while root. */
static void
become_user(const struct cfjail *j, const struct passwd *pw)
{
	if (initgroups(pw->pw_name, pw->pw_gid) < 0) {
		jail_warnx(j, "initgroups %s: %s", pw->pw_name, strerror(errno));
		child_fail();
	}
	if (setgid(pw->pw_gid) < 0) {
		jail_warnx(j, "setgid %u: %s", (unsigned)pw->pw_gid,
		    strerror(errno));
		child_fail();
	}
	if (setuid(pw->pw_uid) < 0) {
		jail_warnx(j, "setuid %u: %s", (unsigned)pw->pw_uid,
		    strerror(errno));
		child_fail();
	}
}

/* The host passwd entry of USER, or of our uid for NULL; exits if none. */
static struct passwd *
host_passwd(const struct cfjail *j, const char *user)
{
	struct passwd *pw;

	errno = 0;
	pw = user != NULL ? getpwnam(user) : getpwuid(getuid());
	if (pw != NULL)
		return pw;
	if (errno != 0)
		jail_warnx(j, "getpwnam%s%s: %s", user != NULL ? " " : "",
		    user != NULL ? user : "", strerror(errno));
	else if (user != NULL)
		jail_warnx(j, "%s: no such user", user);
	else
		jail_warnx(j, "unknown uid %u", (unsigned)getuid());
	child_fail();
}

/* Become host command C of J. */
static void __attribute__((noreturn))
run_host(const struct cfjail *j, const struct cmd *c)
{
	struct passwd *pw = NULL;

	if (c->user != NULL || c->clean) {
		pw = host_passwd(j, c->user);
		if (c->user != NULL)
			become_user(j, pw);
	}
	if (c->clean)
		set_clean_env(j);
	else
		set_jail_env(j);
	if (pw != NULL && (setenv("USER", pw->pw_name, 1) < 0 ||
	    setenv("HOME", pw->pw_dir, 1) < 0 ||
	    setenv("SHELL", pw->pw_shell[0] != '\0' ? pw->pw_shell :
	    PATH_BSHELL, 1) < 0)) {
		jail_warnx(j, "setenv: %s", strerror(errno));
		child_fail();
	}
	if (c->clean && chdir(pw->pw_dir) < 0) {
		jail_warnx(j, "chdir %s: %s", pw->pw_dir, strerror(errno));
		child_fail();
	}
	/* Nothing of jail(8)'s but 0-2; the report goes with exec. */
	keep_fds(&report_fd, 1);
	execvp(c->argv[0], c->argv);
	jail_warnx(j, "exec %s: %s", c->argv[0], strerror(errno));
	child_fail();
}

/*
 * Run in-jail command C of J through the library and end as it did.  Our
 * own messages go to the stderr we were given, not to exec.consolelog.
 */
static void __attribute__((noreturn))
run_injail(const struct cfjail *j, const struct cmd *c)
{
	struct jail_run r;
	int status, errfd, fds[3];

	errfd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	if (c->consfd >= 0) {
		if (dup2(c->consfd, STDOUT_FILENO) < 0 ||
		    dup2(c->consfd, STDERR_FILENO) < 0) {
			jail_warnx(j, "exec.consolelog: %s", strerror(errno));
			child_fail();
		}
		stdin_null(j);
	}
	/*
	 * Nothing of jail(8)'s but 0-2, the report, our stderr and the hold
	 * on a jail without persist: the entry is asked for on it, and in
	 * the background jail(8) lets go of its own at once, so the jail
	 * must live until the command is in it (then until it ends, as the
	 * command would keep it).  All of them close on exec.
	 */
	fds[0] = report_fd;
	fds[1] = errfd;
	fds[2] = j->hold;
	keep_fds(fds, 3);
	report_fd = fds[0];
	errfd = fds[1];
	if (!c->clean)
		set_jail_env(j);	/* environ is what the command gets */
	memset(&r, 0, sizeof(r));
	r.argv = c->argv;
	r.login = c->clean;
	r.enter_self = 1;
	if (c->user != NULL && c->sjuser)
		r.host_user = c->user;
	else
		r.jail_user = c->user;
	if (jail__run_held(fds[2], j->jid, &r, &status) < 0) {
		int e = errno;

		if (errfd >= 0)
			dup2(errfd, STDERR_FILENO);
		jail_warnx(j, "%s", jail_errmsg[0] != '\0' ? jail_errmsg :
		    strerror(e));
		child_fail();
	}
	exit_like(status);
}

/* The child side of command_start: C of J, in the foreground or not. */
static void __attribute__((noreturn))
run_child(const struct cfjail *j, const struct cmd *c)
{
	reset_signals();
	if (c->background)
		stdin_null(j);
	else if (!c->injail && c->timeout > 0)
		(void)setpgid(0, 0);
	if (c->injail)
		run_injail(j, c);
	run_host(j, c);
}

/*
 * A trailing "&": the command runs in a session of its own, not waited
 * for, through an intermediate child that is reaped at once, so that no
 * zombie of it is left in jail(8) and nothing of it reaches the state
 * machine's waits.  0, or -1 if it could not be started.
 */
static int
start_background(const struct cfjail *j, const struct cmd *c)
{
	pid_t mid, pid;
	int status;

	if ((mid = fork()) < 0) {
		jail_warnx(j, "fork: %s", strerror(errno));
		return -1;
	}
	if (mid == 0) {
		(void)setsid();
		if ((pid = fork()) < 0) {
			jail_warnx(j, "fork: %s", strerror(errno));
			_exit(1);
		}
		if (pid == 0)
			run_child(j, c);
		_exit(0);
	}
	while (waitpid(mid, &status, 0) < 0)
		if (errno != EINTR) {
			jail_warnx(j, "waitpid: %s", strerror(errno));
			return -1;
		}
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/*
 * J's child is PID, reporting a failure to start on REPORTFD (taken; -1:
 * none), for step STEP shown as LINE (taken), to end by TIMEOUT seconds
 * (0: no end) and MARGIN_MS more: fill j->child.  1, or -1 (the child
 * killed) when it cannot be watched.
 */
static int
child_track(struct cfjail *j, pid_t pid, int reportfd, enum intparam step,
    char *line, int timeout, int margin_ms)
{
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0), e;

	if (pidfd < 0) {
		e = errno;
		kill(pid, SIGKILL);
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		jail_warnx(j, "pidfd_open: %s", strerror(e));
		if (reportfd >= 0)
			close(reportfd);
		free(line);
		return -1;
	}
	j->child.pid = pid;
	j->child.pidfd = pidfd;
	j->child.reportfd = reportfd;
	j->child.line = line;
	j->child.step = step;
	j->child.deadline_ms = timeout > 0 ?
	    now_ms() + (long long)timeout * 1000 + margin_ms : 0;
	return 1;
}

int
command_start(struct cfjail *j, enum intparam ip, const char *s)
{
	struct cmd c = { .consfd = -1 };
	const struct cfparam *p = j->ip[IP_COMMAND];
	char *line;
	pid_t pid;
	int rc, report[2] = { -1, -1 };

	if (!is_command_step(ip)) {
		jail_warnx(j, "%s: not a command step", ip < IP_NPARAM ?
		    intparams[ip].name : "(internal)");
		return -1;
	}
	if (j->child.pid > 0) {
		jail_warnx(j, "%s: a command of the jail is still running",
		    intparams[ip].name);
		return -1;
	}
	if (ip == IP_COMMAND && j->name == NULL) {
		/* One argv of all its values: the others were in it. */
		if (p == NULL || p->nval == 0)
			return 0;
		for (int i = 1; i < p->nval; i++)
			if (s == p->val[i])
				return 0;
		parse_values(p, &c);
	} else {
		if (s == NULL)
			return 0;
		parse_string(s, &c);
	}
	if (c.argv[0] == NULL) {
		cmd_free(&c);
		return 0;
	}
	if (cmd_settings(j, ip, &c) < 0) {
		cmd_free(&c);
		return -1;
	}
	line = join_argv(c.argv);
	if (verbose > 0)
		jail_note(j, "run command%s%s%s: %s\n",
		    c.injail ? " in jail" : "", c.user != NULL ? " as " : "",
		    c.user != NULL ? c.user : "", line);
	fflush(stdout);
	fflush(stderr);
	if (c.background) {
		rc = start_background(j, &c);
		free(line);
		cmd_free(&c);
		return rc;
	}
	if (pipe2(report, O_CLOEXEC) < 0 || (pid = fork()) < 0) {
		jail_warnx(j, "%s: %s", report[0] < 0 ? "pipe" : "fork",
		    strerror(errno));
		if (report[0] >= 0) {
			close(report[0]);
			close(report[1]);
		}
		free(line);
		cmd_free(&c);
		return -1;
	}
	if (pid == 0) {
		close(report[0]);
		report_fd = report[1];
		run_child(j, &c);
	}
	close(report[1]);
	/* Both sides set the group: neither may see the other's race. */
	if (!c.injail && c.timeout > 0)
		(void)setpgid(pid, pid);
	rc = child_track(j, pid, report[0], ip, line, c.timeout, 0);
	cmd_free(&c);
	return rc;
}

/* ---- Killing a command that overran its time ---- */

/*
 * The parent and session of process PID, from /proc: 0, or -1 if it is
 * gone or a zombie (nothing to kill).
 */
static int
proc_ids(pid_t pid, pid_t *ppid, pid_t *sid)
{
	char path[64], buf[1024], *end, state;
	ssize_t n;
	int fd, pp, ss;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	/* "PID (COMM) STATE PPID PGRP SESSION ...": COMM may hold ")". */
	if ((end = strrchr(buf, ')')) == NULL ||
	    sscanf(end + 1, " %c %d %*d %d", &state, &pp, &ss) != 3 ||
	    state == 'Z' || state == 'X')
		return -1;
	*ppid = pp;
	*sid = ss;
	return 0;
}

/*
 * Each process of the host's /proc whose parent is PARENT (0: any) and
 * session is SID (0: any), killed (KILL) or counted into KIDS.
 */
static int
scan_procs(pid_t parent, pid_t sid, int kill_them, pid_t *kids, int nkids)
{
	struct dirent *d;
	DIR *dir;
	pid_t pid, pp, ss;
	int n = 0;

	if ((dir = opendir("/proc")) == NULL)
		return 0;
	while ((d = readdir(dir)) != NULL) {
		char *end;
		long v = strtol(d->d_name, &end, 10);

		if (*end != '\0' || v <= 0 || v > INT_MAX)
			continue;
		pid = (pid_t)v;
		if (proc_ids(pid, &pp, &ss) < 0 ||
		    (parent != 0 && pp != parent) || (sid != 0 && ss != sid))
			continue;
		if (kill_them)
			kill(pid, SIGKILL);
		else if (n < nkids)
			kids[n] = pid;
		n++;
	}
	closedir(dir);
	return n;
}

/*
 * The runner of a timed-out in-jail command is stopped, so that it reaps
 * nothing and no pid of its children can be reused.  Its children are
 * the command, leading a session of its own in the jail, and perhaps
 * the library's helper about to start it: each is killed (a fork racing
 * a fatal signal fails), and every process of their sessions, pass after
 * pass until none is left (a fork may race a pass).
 */
static void
kill_jailed(pid_t runner)
{
	pid_t kids[8], seen[16];
	siginfo_t si;
	int n, left, nseen = 0;

	if (kill(runner, SIGSTOP) < 0)
		return;
	memset(&si, 0, sizeof(si));
	while (waitid(P_PID, (id_t)runner, &si,
	    WSTOPPED | WEXITED | WNOWAIT) < 0)
		if (errno != EINTR)
			return;
	if (si.si_code != CLD_STOPPED)
		return;		/* it ended: the command has been reaped */
	for (int pass = 0; pass < KILL_PASSES; pass++) {
		n = scan_procs(runner, 0, 0, kids, 8);
		for (int i = 0; i < n && i < 8; i++) {
			int known = 0;

			kill(kids[i], SIGKILL);
			for (int k = 0; k < nseen; k++)
				known |= seen[k] == kids[i];
			if (!known && nseen < 16)
				seen[nseen++] = kids[i];
		}
		left = 0;
		for (int k = 0; k < nseen; k++)
			left += scan_procs(0, seen[k], 1, NULL, 0);
		if (n == 0 && left == 0)
			break;
	}
}

/* Kill what J's child runs: see command_finish. */
static void
command_kill(struct cfjail *j)
{
	pid_t pid = j->child.pid;

	if (pid <= 0)
		return;
	if (j->child.step < IP_NPARAM &&
	    (intparams[j->child.step].flags & IPF_INJAIL))
		kill_jailed(pid);
	/* Its own group only: never jail(8)'s. */
	if (getpgid(pid) == pid)
		kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
}

/* Give up J's child: it has been reaped. */
static void
child_release(struct cfjail *j)
{
	if (j->child.pidfd >= 0)
		close(j->child.pidfd);
	if (j->child.reportfd >= 0)
		close(j->child.reportfd);
	free(j->child.line);
	j->child.pid = 0;
	j->child.pidfd = -1;
	j->child.reportfd = -1;
	j->child.line = NULL;
	j->child.deadline_ms = 0;
}

/* Whether J's reaped child reported that its command never started. */
static int
not_started(const struct cfjail *j)
{
	char one;

	/* Every writer has ended: a byte, or EOF at once. */
	return j->child.reportfd >= 0 && read(j->child.reportfd, &one, 1) == 1;
}

int
command_finish(struct cfjail *j, int timedout)
{
	const char *line = j->child.line != NULL ? j->child.line : "";
	int status = 0, rc = -1;

	if (timedout)
		command_kill(j);
	while (waitpid(j->child.pid, &status, 0) < 0)
		if (errno != EINTR) {
			jail_warnx(j, "waitpid: %s", strerror(errno));
			child_release(j);
			return -1;
		}
	if (j->child.step == IP_STOP_TIMEOUT)
		rc = 0;		/* the removal kills what is left */
	else if (!timedout && not_started(j))
		;		/* the child said why */
	else if (timedout) {
		/* Before its deadline, jail(8) was interrupted: said so. */
		if (j->child.deadline_ms > 0 &&
		    now_ms() >= j->child.deadline_ms)
			jail_warnx(j, "%s: timed out", line);
	} else if (WIFSIGNALED(status))
		jail_warnx(j, "%s: exited on signal %d", line,
		    WTERMSIG(status));
	else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		jail_warnx(j, "%s: failed", line);
	else
		rc = 0;
	child_release(j);
	return rc;
}

/* ---- stop.timeout ---- */

/*
 * SIGTERM every process of J and wait up to TIMEOUT seconds for them to
 * be gone (libjail's jail__stop: 0 when none is left, 1 when some are,
 * -1 with jail_errmsg).  Those left are the removal's to kill; -v notes
 * that, as FreeBSD's jail(8) does.
 */
static int
stop_jail_processes(const struct cfjail *j, int timeout)
{
	int rc = jail__stop(j->jid, timeout);

	/* A jail without persist may end with its processes: gone, done. */
	if (rc < 0 && errno == ENOENT)
		return 0;
	if (rc < 0)
		jail_warnx(j, "stop.timeout: %s", jail_errmsg[0] != '\0' ?
		    jail_errmsg : strerror(errno));
	else if (rc > 0 && verbose > 0)
		jail_note(j, "timed out\n");
	return rc;
}

int
command_stop_timeout(struct cfjail *j)
{
	int timeout = DEFAULT_STOP_TIMEOUT;
	pid_t pid;

	if (cf_int(j, j->ip[IP_STOP_TIMEOUT], &timeout) < 0)
		return -1;
	if (timeout == 0 || j->jid <= 0)
		return 0;
	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) < 0) {
		jail_warnx(j, "fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		reset_signals();
		(void)setpgid(0, 0);
		close_from(3);
		/* Processes left at the timeout are jail_remove's to kill. */
		_exit(stop_jail_processes(j, timeout) < 0 ? 1 : 0);
	}
	(void)setpgid(pid, pid);
	return child_track(j, pid, -1, IP_STOP_TIMEOUT,
	    estrdup("stop.timeout"), timeout, STOP_MARGIN_MS);
}
