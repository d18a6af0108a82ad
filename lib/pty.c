/*
 * A pty of the jail's own devpts for a command started from a terminal:
 * made by the process that entered the jail, the slave handed to the
 * command, the master to the caller (pty_relay.c relays it).  See pty.h.
 *
 * The jail's root controls every path in its view, so what is opened as
 * /dev/pts/ptmx is checked to be a devpts master, and not the host's
 * devpts; the slave comes from the master itself (TIOCGPTPEER), never
 * from a path.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/fsuid.h>
#include <sys/wait.h>
#include <sched.h>
#include <signal.h>
#include <linux/magic.h>
#include <linux/openat2.h>

#include "internal.h"
#include "proto.h"
#include "pty.h"

#ifndef TIOCGPTPEER
#define	TIOCGPTPEER	_IO('T', 0x41)
#endif

int
jpty_init(struct jail_pty *t, int ttys, int handoff, char *err, size_t errlen)
{
	struct stat st;

	memset(t, 0, sizeof(*t));
	t->master = t->slave = t->sock[0] = t->sock[1] = -1;
	t->ttys = ttys;
	if (ttys == 0)
		return 0;
	t->term = ttys & 1 ? 0 : ttys & 2 ? 1 : 2;
	if (tcgetattr(t->term, &t->tio) < 0)
		return jerr(err, errlen, errno, "tcgetattr: %s", strerror(errno));
	if (ioctl(t->term, TIOCGWINSZ, &t->ws) < 0)
		memset(&t->ws, 0, sizeof(t->ws));
	if (stat("/dev/pts", &st) == 0)
		t->host_pts = st.st_dev;
	if (handoff &&
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, t->sock) < 0)
		return jerr(err, errlen, errno, "socketpair: %s", strerror(errno));
	return 0;
}

int
jpty_init_modes(struct jail_pty *t, int ttys, const struct termios *tio,
    const struct winsize *ws, char *err, size_t errlen)
{
	struct stat st;

	memset(t, 0, sizeof(*t));
	t->master = t->slave = t->sock[0] = t->sock[1] = -1;
	t->term = -1;
	t->ttys = ttys;
	if (ttys == 0)
		return 0;
	t->tio = *tio;
	t->ws = *ws;
	if (stat("/dev/pts", &st) == 0)
		t->host_pts = st.st_dev;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, t->sock) < 0)
		return jerr(err, errlen, errno, "socketpair: %s", strerror(errno));
	return 0;
}

/* Keep FD off 0-2, which the command's stdio will take. */
static int
above_stdio(int fd)
{
	int nfd;

	if (fd < 0 || fd > 2)
		return fd;
	nfd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	close(fd);
	return nfd;
}

/* A master of a devpts instance other than the host's, or refused. */
static int
check_master(const struct jail_pty *t, int m, char *err, size_t errlen)
{
	struct statfs sfs;
	struct stat st;
	unsigned n;

	if (fstatfs(m, &sfs) < 0 || sfs.f_type != DEVPTS_SUPER_MAGIC ||
	    ioctl(m, TIOCGPTN, &n) < 0)
		return jerr(err, errlen, EPERM, "the jail's /dev/pts/ptmx is "
		    "not a devpts pty master");
	if (fstat(m, &st) < 0 || (t->host_pts != 0 && st.st_dev == t->host_pts))
		return jerr(err, errlen, EPERM, "the jail's /dev/pts is the "
		    "host's devpts");
	return 0;
}

static int
open_ptmx(void)
{
	struct open_how how = {
		.flags = O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC,
		.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};

	return (int)syscall(SYS_openat2, AT_FDCWD, "/dev/pts/ptmx", &how,
	    sizeof(how));
}

/*
 * devpts gives a new pty the opener's fsuid.  Ours is host root, which
 * the jail's user namespace does not map: the pty would show as owned by
 * nobody, and no chown can change that from here (its owner is not ours
 * to name).  So the master is opened by a child with the user's fsuid,
 * sharing our descriptor table (CLONE_FILES): the descriptor it opens is
 * ours.  A child, because we could not get our own fsuid back: host root
 * has no name in the jail's user namespace.  -1 with errno.
 */
static int
open_ptmx_as(uid_t uid)
{
	int res[2] = { -1, EIO }, p[2], st;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	pid = (pid_t)syscall(SYS_clone, CLONE_FILES | SIGCHLD, NULL, NULL,
	    NULL, NULL);
	if (pid == 0) {
		/* Closes nothing: the table is the parent's. */
		setfsuid(uid);
		if ((uid_t)setfsuid((uid_t)-1) == uid)
			res[0] = open_ptmx();
		res[1] = res[0] < 0 ? errno : 0;
		(void)!write(p[1], res, sizeof(res));
		_exit(0);
	}
	if (pid > 0) {
		if (read(p[0], res, sizeof(res)) != (ssize_t)sizeof(res))
			res[0] = -1;
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
	} else
		res[1] = errno;
	close(p[0]);
	close(p[1]);
	if (res[0] < 0) {
		errno = res[1];
		return -1;
	}
	return res[0];
}

int
jpty_open(struct jail_pty *t, uid_t uid, char *err, size_t errlen)
{
	int m, s, unlock = 0;

	if (t->ttys == 0)
		return 0;
	/* The user's own pty; as ours (owned by nobody) if that fails. */
	if ((m = open_ptmx_as(uid)) < 0)
		m = open_ptmx();
	m = above_stdio(m);
	if (m < 0)
		return jerr(err, errlen, errno, "no terminal in the jail: "
		    "/dev/pts/ptmx: %s", strerror(errno));
	if (check_master(t, m, err, errlen) < 0)
		goto fail;
	if (ioctl(m, TIOCSPTLCK, &unlock) < 0 ||
	    (s = above_stdio(ioctl(m, TIOCGPTPEER,
	    O_RDWR | O_NOCTTY | O_CLOEXEC))) < 0) {
		jerr(err, errlen, errno, "no terminal in the jail: %s",
		    strerror(errno));
		goto fail;
	}
	/* The command's terminal starts as the caller's was. */
	if ((!t->fresh && tcsetattr(s, TCSANOW, &t->tio) < 0) ||
	    ioctl(s, TIOCSWINSZ, &t->ws) < 0) {
		jerr(err, errlen, errno, "terminal modes: %s", strerror(errno));
		close(s);
		goto fail;
	}
	/* As login(1) does, so that the user may reopen it; best effort. */
	(void)!fchown(s, uid, (gid_t)-1);
	t->master = m;
	t->slave = s;
	return 0;
fail:
	{
		int e = errno;

		close(m);
		errno = e;
	}
	return -1;
}

int
jpty_handoff(struct jail_pty *t, char *err, size_t errlen)
{
	char one = 1;
	int rc = 0;

	if (t->ttys == 0)
		return 0;
	close(t->slave);
	t->slave = -1;
	if (t->sock[1] < 0)
		return 0;	/* the opener is the caller: it keeps the master */
	if (jmsg_send(t->sock[1], &one, 1, &t->master, 1) != 1)
		rc = jerr(err, errlen, errno, "passing the terminal: %s",
		    strerror(errno));
	jpty_close(t);
	return rc;
}

int
jpty_receive(struct jail_pty *t, char *err, size_t errlen)
{
	int fds[JPROTO_MAXFDS], nfds = 0;
	char one;
	ssize_t n;

	if (t->ttys == 0)
		return 0;
	close(t->sock[1]);
	t->sock[1] = -1;
	n = jmsg_recv(t->sock[0], &one, 1, fds, &nfds);
	close(t->sock[0]);
	t->sock[0] = -1;
	if (n != 1 || nfds != 1) {
		for (int i = 0; i < nfds; i++)
			close(fds[i]);
		return jerr(err, errlen, EIO, "the jail's terminal did not "
		    "arrive");
	}
	t->master = fds[0];
	return 0;
}

int
jpty_attach(struct jail_pty *t, char *err, size_t errlen)
{
	if (t->ttys == 0)
		return 0;
	/* Nothing but the slave goes on into the command. */
	if (t->master >= 0)
		close(t->master);
	if (t->sock[0] >= 0)
		close(t->sock[0]);
	if (t->sock[1] >= 0)
		close(t->sock[1]);
	t->master = t->sock[0] = t->sock[1] = -1;
	if (ioctl(t->slave, TIOCSCTTY, 0) < 0)
		return jerr(err, errlen, errno, "TIOCSCTTY: %s", strerror(errno));
	for (int fd = 0; fd <= 2; fd++)
		if ((t->ttys & 1 << fd) && dup2(t->slave, fd) < 0)
			return jerr(err, errlen, errno, "dup2: %s",
			    strerror(errno));
	close(t->slave);
	t->slave = -1;
	return 0;
}

void
jpty_close(struct jail_pty *t)
{
	int *fds[] = { &t->master, &t->slave, &t->sock[0], &t->sock[1] };

	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		if (*fds[i] >= 0) {
			close(*fds[i]);
			*fds[i] = -1;
		}
}
