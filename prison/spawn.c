/*
 * Delegation: a command started in the jail for the holder of a
 * descriptor (jail_spawn_jd), who may not enter the jail's namespaces
 * itself (setns needs privilege over them).  DESIGN.md §3 and §9.
 *
 * The command goes through the one entry path (lib/jspawn.c) as a jexec'd
 * one does, fully confined, in a session of its own, as the holder: the
 * uid, gid and groups of the process at the other end of the channel (the
 * kernel's word, not the request's), taken as the jail's ids of the same
 * numbers, as jexec keeps its caller's.  Its stdio is the holder's,
 * passed along; a terminal never is: a pty of the jail's own stands for
 * it, and the holder relays its master.
 *
 * The prison does not wait for the command: it is the prison's child (the
 * helper that entered used CLONE_PARENT), watched through its pidfd; when
 * it ends, the holder is told its wait status on the channel, which the
 * prison then closes.  A holder that goes away leaves its command running
 * in the jail, as a killed jexec does; the prison still reaps it.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "jail.h"
#include "internal.h"
#include "attach.h"
#include "jspawn.h"
#include "prison.h"
#include "sys/jail.h"
#include "stdfd.h"

#define	MAXARGS		4096

struct spawned {
	struct source	 on_exit;	/* first: its pidfd is ready */
	struct source	 on_report;	/* whether it exec'd */
	struct conn	*c;		/* the holder's channel; NULL: gone */
	pid_t		 pid;
	int		 pidfd;
	int		 report;
	uint32_t	 seq;		/* of the JM_SPAWN, for the end */
	char		**argv, **envp;
};

/* Strings one after another, each with its NUL, as a NULL-ended array. */
static char **
unpack(const struct jmsg_item *it, int need)
{
	const char *p, *end;
	char **v;
	size_t n = 0;

	if (it == NULL || it->null || it->len == 0)
		return need ? NULL : calloc(1, sizeof(char *));
	p = it->value;
	end = p + it->len;
	if (end[-1] != '\0')
		return NULL;
	for (const char *q = p; q < end; q += strlen(q) + 1)
		n++;
	if (n > MAXARGS || (v = calloc(n + 1, sizeof(char *))) == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++, p += strlen(p) + 1)
		v[i] = (char *)p;
	return v;
}

/* The holder: who is at the other end of the channel, by the kernel. */
static int
holder_cred(struct conn *c, struct jcred *cred, char *err, size_t errlen)
{
	struct ucred uc;
	socklen_t len = sizeof(uc);
	gid_t groups[64];
	socklen_t glen = sizeof(groups);
	int n;

	if (getsockopt(conn_fd(c), SOL_SOCKET, SO_PEERCRED, &uc, &len) < 0)
		return jerr(err, errlen, errno, "SO_PEERCRED: %s",
		    strerror(errno));
	/* A jail has ids 0-65535: a holder outside them has none there. */
	if (uc.uid > 65535 || uc.gid > 65535)
		return jerr(err, errlen, EPERM, "uid %u (gid %u) has no id in "
		    "the jail", (unsigned)uc.uid, (unsigned)uc.gid);
	memset(cred, 0, sizeof(*cred));
	cred->set = 1;
	cred->uid = uc.uid;
	cred->gid = uc.gid;
	if (getsockopt(conn_fd(c), SOL_SOCKET, SO_PEERGROUPS, groups,
	    &glen) < 0)
		glen = 0;
	n = (int)(glen / sizeof(gid_t));
	for (int i = 0; i < n; i++)
		if (groups[i] <= 65535)
			cred->groups[cred->ngroups++] = groups[i];
	return 0;
}

/*
 * The holder's stdio: the descriptors that came along, for those of 0-2
 * that item "stdio" names, in order (the others are the prison's
 * /dev/null, or the jail's terminal for TTYS).  None of them may be a
 * directory, an O_PATH or a terminal.
 */
static int
take_stdio(struct jspawn *p, const struct jmsg *req, int ttys, char *err,
    size_t errlen)
{
	const struct jmsg_item *it = jmsg_find(req, "stdio");
	int got[3], n, k = 0, want = 0, seen, passed = 0;

	if (it != NULL && it->len == sizeof(int))
		memcpy(&passed, it->value, sizeof(int));
	if ((passed & ~7) || (passed & ttys))
		return jerr(err, errlen, EINVAL, "stdio: bits 0-2, no "
		    "terminal's");
	for (int i = 0; i <= 2; i++)
		want += (passed >> i) & 1;
	n = req_take_fds(got, 3);
	for (int i = 0; i <= 2; i++)
		p->stdio[i] = (passed & (1 << i)) && k < n ? got[k++] : -1;
	for (; k < n; k++)
		close(got[k]);
	if (n != want)
		return jerr(err, errlen, EINVAL, "%d standard descriptors for "
		    "%d places", n, want);
	if ((seen = jstdfd_check_fds(p->stdio, err, errlen)) < 0)
		return -1;
	if (seen != 0)
		return jerr(err, errlen, EPERM, "a terminal does not go into "
		    "a jail: say tty, and relay the jail's own");
	return 0;
}

static int
take_tty(struct jspawn *p, const struct jmsg *req, int *ttys, char *err,
    size_t errlen)
{
	const struct jmsg_item *t = jmsg_find(req, "tty");
	const struct jmsg_item *tio = jmsg_find(req, "tio");
	const struct jmsg_item *ws = jmsg_find(req, "ws");

	*ttys = 0;
	if (t != NULL && t->len == sizeof(int))
		memcpy(ttys, t->value, sizeof(int));
	if (*ttys & ~7)
		return jerr(err, errlen, EINVAL, "tty: bits 0-2 only");
	if (*ttys == 0)
		return jpty_init_modes(&p->pty, 0, NULL, NULL, err, errlen);
	if (tio == NULL || tio->len != sizeof(struct termios) ||
	    ws == NULL || ws->len != sizeof(struct winsize))
		return jerr(err, errlen, EINVAL, "tty without tio and ws");
	return jpty_init_modes(&p->pty, *ttys, tio->value, ws->value, err,
	    errlen);
}

static void
spawned_free(struct spawned *s)
{
	if (s->pidfd >= 0) {
		serve_unwatch(s->pidfd);
		close(s->pidfd);
	}
	if (s->report >= 0) {
		serve_unwatch(s->report);
		close(s->report);
	}
	free(s->argv);
	free(s->envp);
	free(s);
}

/* Tell the holder, if still there, how it ended; the channel is done. */
static void
tell_end(struct spawned *s, int err, const char *msg, int status)
{
	unsigned char buf[512];
	struct jmsg_buf b;

	if (s->c == NULL)
		return;
	jmsg_start(&b, buf, sizeof(buf), JM_EXITED, 0, err);
	jmsg_set_seq(buf, s->seq);
	if (err != 0)
		jmsg_add_str(&b, "errmsg", msg);
	else
		jmsg_add_int(&b, "status", status);
	if (jmsg_finish(&b) > 0)
		send(conn_fd(s->c), buf, b.len, MSG_DONTWAIT | MSG_NOSIGNAL);
	conn_done(s->c);
	s->c = NULL;
}

static void
holder_gone(void *owner)
{
	((struct spawned *)owner)->c = NULL;
}

/* Whether it exec'd: a failure before is the holder's answer. */
static void
report_ready(struct source *src, uint32_t events)
{
	struct spawned *s = (struct spawned *)((char *)src -
	    offsetof(struct spawned, on_report));
	char err[256] = "";

	(void)events;
	if (jspawn_result(s->report, err, sizeof(err)) < 0)
		tell_end(s, errno, err, 0);
	serve_unwatch(s->report);
	close(s->report);
	s->report = -1;
}

static void
exit_ready(struct source *src, uint32_t events)
{
	struct spawned *s = (struct spawned *)src;
	int st = 0;

	(void)events;
	while (waitpid(s->pid, &st, 0) < 0 && errno == EINTR)
		;
	if (s->report >= 0)	/* exit before the report was read */
		report_ready(&s->on_report, 0);
	tell_end(s, 0, NULL, st);
	spawned_free(s);
}

/* Start it; 0, or -1 with errno and a message in ERR. */
static int
start(struct prison *pr, struct conn *c, const struct jmsg *req,
    struct spawned *s, struct jspawn *p, char *err, size_t errlen)
{
	const struct jmsg_item *dir = jmsg_find(req, "dir");
	struct jail_entry e = {
		.jid = pr->st.jid, .pidfd = pr->initfd, .cgfd = pr->cgjailfd,
		.recfd = pr->recfd, .policy = pr->policy,
	};
	int ttys;

	if ((s->argv = unpack(jmsg_find(req, "argv"), 1)) == NULL ||
	    (s->envp = unpack(jmsg_find(req, "env"), 0)) == NULL)
		return jerr(err, errlen, EINVAL, "argv and env: strings, each "
		    "with its NUL, %d at most", MAXARGS);
	if (dir != NULL && (dir->null || dir->len == 0 ||
	    ((const char *)dir->value)[dir->len - 1] != '\0'))
		return jerr(err, errlen, EINVAL, "dir: a string");
	p->argv = s->argv;
	p->envp = s->envp;
	p->dir = dir != NULL ? dir->value : "/";
	p->reset_signals = 1;
	p->stdio_only = 1;
	if (holder_cred(c, &p->cred, err, errlen) < 0 ||
	    take_tty(p, req, &ttys, err, errlen) < 0 ||
	    take_stdio(p, req, ttys, err, errlen) < 0)
		return -1;
	return jspawn_start(p, &e, 0, &s->pid, &s->report, err, errlen);
}

int
op_spawn(struct prison *pr, struct conn *c, const struct jmsg *req)
{
	char err[JAIL_ERRMSGLEN] = "";
	struct spawned *s = calloc(1, sizeof(*s));
	struct jspawn *p = calloc(1, sizeof(*p));
	struct jmsg_buf *b;
	int rc = -1, e = ENOMEM;

	if (s != NULL && p != NULL) {
		s->pidfd = s->report = -1;
		/* Nothing taken yet: none of ours (0-2 are) is to be closed. */
		p->stdio[0] = p->stdio[1] = p->stdio[2] = -1;
		p->pty.master = p->pty.slave = -1;
		p->pty.sock[0] = p->pty.sock[1] = -1;
		rc = start(pr, c, req, s, p, err, sizeof(err));
		e = errno;
	}
	for (int i = 0; p != NULL && i <= 2; i++)
		if (p->stdio[i] >= 0)
			close(p->stdio[i]);
	if (rc == 0 && (s->pidfd = (int)syscall(SYS_pidfd_open, s->pid,
	    0)) < 0) {
		/* Not to be watched: not to be run either. */
		e = errno;
		kill(s->pid, SIGKILL);
		waitpid(s->pid, NULL, 0);
		snprintf(err, sizeof(err), "pidfd_open: %s", strerror(e));
		rc = -1;
	}
	if (rc < 0) {
		reply_err(c, req, e, err);
		if (p != NULL)
			jpty_close(&p->pty);
		if (s != NULL) {
			if (s->report >= 0)
				close(s->report);
			s->report = -1;
			spawned_free(s);
		}
		free(p);
		return e;
	}
	s->c = c;
	s->seq = req->h.seq;
	s->on_exit.ready = exit_ready;
	s->on_report.ready = report_ready;
	serve_watch(s->pidfd, EPOLLIN, &s->on_exit);
	serve_watch(s->report, EPOLLIN, &s->on_report);
	conn_keep(c, s, holder_gone, JM_SIGNAL);
	conns_post(NOTE_JAIL_ATTACH, s->pid);
	/* Started: the master of its terminal, if it has one, to relay. */
	b = reply_start(req, 0);
	jmsg_add_int(b, "tty", p->pty.ttys);
	reply_send(c, b, p->pty.master >= 0 ? &p->pty.master : NULL,
	    p->pty.master >= 0 ? 1 : 0);
	jpty_close(&p->pty);
	free(p);
	return 0;
}

int
op_signal(struct prison *pr, struct conn *c, const struct jmsg *req)
{
	const struct jmsg_item *it = jmsg_find(req, "signal");
	struct spawned *s = conn_owner(c);
	int sig;

	(void)pr;
	/* A good signal has no answer; a bad one is answered, and the
	   holder that waits for JM_EXITED passes over it. */
	if (s == NULL || it == NULL || it->len != sizeof(int)) {
		reply_err(c, req, EINVAL, "a signal for a spawned command");
		return EINVAL;
	}
	memcpy(&sig, it->value, sizeof(sig));
	/* Nothing is said on a command's channel but its end. */
	if (sig < 1 || sig > 64)
		return EINVAL;
	/* Its process group: it leads one (setsid), as jexec's command. */
	if (kill(-s->pid, sig) < 0)
		kill(s->pid, sig);
	return 0;
}
