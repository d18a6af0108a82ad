/*
 * jail__run: run a command fully inside a jail and wait for it.  See
 * run.h.  Entering is jspawn.c's (the path the prison shares); this is
 * the caller's side: who the user is on the host, the prison's entry,
 * then waiting, relaying a terminal and forwarding signals.
 *
 * When the caller's stdio includes a terminal, the process that enters
 * (the helper, or the caller with enter_self) opens a pty of the jail's
 * own devpts; the command gets the slave, the caller the master, and the
 * caller relays (pty.c, pty_relay.c).  A directory as stdio is refused
 * (stdfd.c).
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "jail.h"
#include "internal.h"
#include "attach.h"
#include "run.h"
#include "jspawn.h"
#include "stdfd.h"

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

/* -u USER: the host's passwd entry; its ids are kept as jail ids. */
static int
host_user(struct jspawn *p, const char *name)
{
	struct passwd *pw = getpwnam(name);
	int ng = 64;

	if (pw == NULL) {
		snprintf(jail_errmsg, JAIL_ERRMSGLEN, "%s: no such user", name);
		errno = ENOENT;
		return -1;
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
	return 0;
}

/*
 * The entry of jail JID, from its prison: asked on HELD, a connection to
 * it the caller has (its creator's), or on a new one (HELD -1).
 */
static int
entry_of(int held, int jid, struct jail_entry *e)
{
	int sock, rec, ret;

	if (held >= 0)
		return jail_entry_get(held, jid, e, jail_errmsg,
		    JAIL_ERRMSGLEN);
	if ((sock = jcl_connect(jid)) < 0) {
		rec = errno == ENOENT ? jreg_open_record(-1, jid) : -1;
		/* Its prison is gone: did the jail go with it, or first? */
		jcl_lost(rec, jid, NULL, ENOENT, jail_errmsg, JAIL_ERRMSGLEN);
		if (rec >= 0)
			close(rec);
		return -1;
	}
	ret = jail_entry_get(sock, jid, e, jail_errmsg, JAIL_ERRMSGLEN);
	{
		int err = errno;

		close(sock);
		errno = err;
	}
	return ret;
}

/*
 * Wait for B, forwarding signals and relaying its terminal.  Whether it
 * exec'd is on REPORT: with a terminal to relay that comes first; without
 * one the report is read once B has ended (it is whole then, its writer
 * gone), which wakes us once rather than twice.
 */
static int
wait_command(struct jspawn *p, pid_t b, int report, int *status)
{
	struct sigaction sa, old[sizeof(fwd_sigs) / sizeof(fwd_sigs[0])];
	int st, failed = 0;

	fwd_pid = b;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = forward;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(fwd_sigs) / sizeof(fwd_sigs[0]); i++)
		sigaction(fwd_sigs[i], &sa, &old[i]);
	if (p->pty.master >= 0) {
		failed = jspawn_result(report, jail_errmsg, JAIL_ERRMSGLEN) < 0;
		if (!failed)
			jpty_relay(&p->pty, b);
	}
	while (waitpid(b, &st, 0) < 0 && errno == EINTR)
		;
	if (p->pty.master < 0)
		failed = jspawn_result(report, jail_errmsg, JAIL_ERRMSGLEN) < 0;
	fwd_pid = 0;
	for (size_t i = 0; i < sizeof(fwd_sigs) / sizeof(fwd_sigs[0]); i++)
		sigaction(fwd_sigs[i], &old[i], NULL);
	if (failed)
		return -1;
	*status = st;
	return 0;
}

int
jail__run(int jid, const struct jail_run *r, int *status)
{
	return jail__run_held(-1, jid, r, status);
}

/*
 * Make P from R and start it in jail JID: *B its pid, *REPORT its
 * report.  With SPAWN_ONLY (jail__spawn) no terminal is relayed.
 */
static int
start_command(int held, int jid, const struct jail_run *r, struct jspawn *p,
    int spawn_only, pid_t *b, int *report)
{
	struct jail_entry e;
	int ttys;

	/* Before anything is entered: no host directory or terminal goes in. */
	if ((ttys = jstdfd_check(jail_errmsg, JAIL_ERRMSGLEN)) < 0)
		return -1;
	if (spawn_only && ttys != 0 && r->console == NULL) {
		snprintf(jail_errmsg, JAIL_ERRMSGLEN, "a terminal as stdio "
		    "needs a console socket");
		errno = ENOTSUP;
		return -1;
	}
	p->argv = r->argv;
	p->envp = r->envp;
	p->dir = r->dir;
	p->jail_user = r->jail_user;
	p->login = r->login;
	p->gate = r->gate;
	p->user_env = r->host_user != NULL || r->jail_user != NULL;
	p->stdio[0] = p->stdio[1] = p->stdio[2] = -1;
	p->proc = r->proc;
	p->umask_set = r->umask_set;
	p->umask = r->umask;
	p->nrlimits = r->nrlimits;
	p->rlimits = r->rlimits;
	p->check_exec = r->check_exec;
	if (r->console != NULL) {
		/* A new terminal, all of 0-2, whatever the caller's are. */
		struct termios tio;
		struct winsize ws = { .ws_row = r->rows, .ws_col = r->cols };

		memset(&tio, 0, sizeof(tio));
		if (jpty_init_modes(&p->pty, 7, &tio, &ws, jail_errmsg,
		    JAIL_ERRMSGLEN) < 0)
			return -1;
		p->pty.fresh = 1;
	} else if (jpty_init(&p->pty, ttys, !r->enter_self, jail_errmsg,
	    JAIL_ERRMSGLEN) < 0)
		return -1;
	if (r->host_user != NULL && host_user(p, r->host_user) < 0)
		return -1;
	if (r->ids_set) {
		p->cred.set = 1;
		p->cred.uid = r->uid;
		p->cred.gid = r->gid;
		p->cred.ngroups = 0;
		if (r->ngroups < 0 || r->ngroups > 64) {
			snprintf(jail_errmsg, JAIL_ERRMSGLEN, "more than 64 "
			    "supplementary groups");
			errno = EINVAL;
			return -1;
		}
		for (int i = 0; i < r->ngroups; i++)
			p->cred.groups[p->cred.ngroups++] = r->groups[i];
	}
	/* Without -u or -U, the caller's ids, taken while they are host ids. */
	if (!p->cred.set)
		jcred_self(&p->cred);
	if (entry_of(held, jid, &e) < 0)
		return -1;
	if (r->jail_caps != NULL)
		*r->jail_caps = e.policy->caps;
	if (jspawn_start(p, &e, r->enter_self, b, report, jail_errmsg,
	    JAIL_ERRMSGLEN) < 0) {
		jail_entry_free(&e);
		return -1;
	}
	jail_entry_free(&e);
	return 0;
}

/* A fresh spawn state, no terminal yet; NULL if out of memory. */
static struct jspawn *
spawn_new(void)
{
	struct jspawn *p;

	jail_errmsg[0] = '\0';
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	p->pty.master = p->pty.slave = p->pty.sock[0] = p->pty.sock[1] = -1;
	return p;
}

/* Its end, keeping errno: the report pipe, the terminal, the state. */
static void
spawn_free(struct jspawn *p, int report)
{
	int err = errno;

	if (report >= 0)
		close(report);
	jpty_close(&p->pty);
	free(p);
	errno = err;
}

/*
 * R's started callback for B, once B waits at its gate if it has one;
 * -1 when B did not get that far or the callback failed: B is gone then.
 */
static int
run_started(const struct jail_run *r, struct jspawn *p, pid_t b, int report)
{
	int e;

	if (r->started == NULL)
		return 0;
	if ((r->gate <= 0 || p->gated ||
	    jspawn_gated(report, jail_errmsg, JAIL_ERRMSGLEN) == 0) &&
	    r->started(b, r->started_arg) == 0)
		return 0;
	e = errno;
	kill(b, SIGKILL);
	while (waitpid(b, NULL, 0) < 0 && errno == EINTR)
		;
	errno = e;
	return -1;
}

int
jail__run_held(int held, int jid, const struct jail_run *r, int *status)
{
	struct jspawn *p;
	int report = -1, ret = -1;
	pid_t b;

	if ((p = spawn_new()) == NULL)
		return -1;
	if (start_command(held, jid, r, p, 0, &b, &report) == 0 &&
	    run_started(r, p, b, report) == 0)
		ret = wait_command(p, b, report, status);
	spawn_free(p, report);
	return ret;
}

int
jail__spawn(int jid, const struct jail_run *r, pid_t *pid)
{
	struct jspawn *p;
	int report = -1, ret;

	if ((p = spawn_new()) == NULL)
		return -1;
	ret = start_command(-1, jid, r, p, 1, pid, &report);
	/*
	 * Gated, it is known to have reached its gate (its executable
	 * found); else to have exec'd.  A failure is its last word.
	 */
	if (ret == 0 && !p->gated && (r->gate > 0 ?
	    jspawn_gated(report, jail_errmsg, JAIL_ERRMSGLEN) :
	    jspawn_result(report, jail_errmsg, JAIL_ERRMSGLEN)) < 0) {
		int e = errno;

		while (waitpid(*pid, NULL, 0) < 0 && errno == EINTR)
			;
		*pid = -1;
		errno = e;
		ret = -1;
	}
	if (ret == 0 && r->console != NULL) {
		*r->console = p->pty.master;
		p->pty.master = -1;
	}
	spawn_free(p, report);
	return ret;
}
