/*
 * The client side of the prison protocol: connecting to a jail's prison,
 * one request and its reply, and starting a new prison.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "internal.h"
#include "param.h"

/*
 * Whether the peer of SOCK may be a prison.  Only host root runs prisons;
 * anything else at the socket's path is an impostor, and jailed root is
 * uid 0 as well under the identity mapping, so it must also be outside
 * every jail.  A caller that is not root cannot look into root's
 * namespaces: it goes by the uid, and by the registry being root's own
 * and outside every jail's view.
 */
static int
peer_is_prison(int sock)
{
	struct ucred cred;
	socklen_t cl = sizeof(cred);

	if (getsockopt(sock, SOL_SOCKET, SO_PEERCRED, &cred, &cl) < 0)
		return 0;
	if (cred.uid != 0)
		return 0;
	switch (jpeer_in_host(sock)) {
	case 1:
		return 1;
	case -1:
		return geteuid() != 0;
	default:
		return 0;
	}
}

pid_t
jcl_peer_pid(int sock)
{
	struct ucred cred;
	socklen_t cl = sizeof(cred);

	return getsockopt(sock, SOL_SOCKET, SO_PEERCRED, &cred, &cl) < 0 ?
	    0 : cred.pid;
}

int
jcl_connect(int jid)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char name[24];
	int s;

	jreg_sockname(jid, name, sizeof(name));
	if ((size_t)snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/%s",
	    jreg_path(), name) >= sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -1;
	if (connect(s, (struct sockaddr *)&sun, sizeof(sun)) < 0)
		goto fail;
	if (!peer_is_prison(s)) {
		errno = EPERM;
		goto fail;
	}
	return s;
fail:
	if (errno == ECONNREFUSED)
		errno = ENOENT;	/* the prison is gone: the jail is too */
	{
		int e = errno;
		close(s);
		errno = e;
	}
	return -1;
}

int
jcl_connect_jail(int jid, int alive_only)
{
	struct jrec r;
	int dirfd, sock = -1, found;

	if ((dirfd = jreg_open(0)) < 0) {
		errno = EINVAL;
		return -1;
	}
	found = jreg_read(dirfd, jid, &r) && (alive_only ?
	    r.state == JREC_ALIVE : r.state != JREC_CREATING);
	close(dirfd);
	if (!found || (sock = jcl_connect(jid)) < 0) {
		errno = EINVAL;
		return -1;
	}
	return sock;
}

/*
 * The prison closed the connection: at once (EOF), or before it read what
 * we had sent (ECONNRESET), or before we could send (EPIPE).  Either way
 * the jail's prison is gone, and with it the jail.
 */
static int
prison_gone(int err)
{
	return err == ECONNRESET || err == EPIPE || err == ENOTCONN;
}

/* Drop what came with a message we do not keep. */
static void
close_fds(int *fds, int *nfds)
{
	if (fds == NULL || nfds == NULL)
		return;
	for (int i = 0; i < *nfds; i++)
		close(fds[i]);
	*nfds = 0;
}

uint32_t
jcl_send(int sock, void *req, size_t reqlen, const int *fds, int nfds)
{
	static uint32_t next_seq;
	uint32_t seq = __atomic_add_fetch(&next_seq, 1, __ATOMIC_RELAXED);

	if (seq == 0)		/* 0 is an event's */
		seq = __atomic_add_fetch(&next_seq, 1, __ATOMIC_RELAXED);
	jmsg_set_seq(req, seq);
	if (jmsg_send(sock, req, reqlen, fds, nfds) < 0) {
		if (prison_gone(errno))
			errno = ENOENT;
		return 0;
	}
	return seq;
}

int
jcl_reply(int sock, uint32_t seq, void *rbuf, size_t rsize,
    struct jmsg *reply, int *fds, int *nfds)
{
	ssize_t n;

	/* Events of the jail may come first: the reply is the one with our number. */
	for (;;) {
		n = jmsg_recv(sock, rbuf, rsize, fds, nfds);
		if (n == 0 || (n < 0 && prison_gone(errno))) {
			errno = ENOENT;
			return -1;
		}
		if (n < 0)
			return -1;
		if (jmsg_decode(rbuf, (size_t)n, reply) < 0 ||
		    reply->h.type < JM_REPLY || reply->h.status < 0) {
			close_fds(fds, nfds);
			errno = EBADMSG;
			return -1;
		}
		/* A refusal of the connection answers every request (seq 0). */
		if (reply->h.type == JM_REPLY && (reply->h.seq == seq ||
		    (reply->h.seq == 0 && reply->h.status != 0)))
			return reply->h.status;
		close_fds(fds, nfds);
	}
}

int
jcl_call(int sock, void *req, size_t reqlen, void *rbuf, size_t rsize,
    struct jmsg *reply, int *fds, int *nfds)
{
	uint32_t seq = jcl_send(sock, req, reqlen, NULL, 0);

	/*
	 * Refused before it could be sent (the prison closed a channel it
	 * would not take): the refusal waits in the socket, as number 0.
	 */
	if (seq == 0 && errno == ENOENT)
		return jcl_reply(sock, 0, rbuf, rsize, reply, fds, nfds);
	if (seq == 0)
		return -1;
	return jcl_reply(sock, seq, rbuf, rsize, reply, fds, nfds);
}

void
jcl_errmsg(const struct jmsg *reply, int status, char *buf, size_t len)
{
	const struct jmsg_item *e = reply != NULL ? jmsg_find(reply, "errmsg") : NULL;

	if (buf == NULL || len == 0)
		return;
	if (e != NULL && e->len > 0 && ((const char *)e->value)[e->len - 1] == '\0')
		snprintf(buf, len, "%s", (const char *)e->value);
	else
		buf[0] = '\0';
	(void)status;
}

int
jcl_lost(int recfd, int jid, const char *name, int err, char *buf, size_t len)
{
	char who[JAIL_NAME_MAX + 16];

	if (name != NULL)
		snprintf(who, sizeof(who), "jail \"%.*s\"", JAIL_NAME_MAX, name);
	else
		snprintf(who, sizeof(who), "jail %d", jid);
	switch (jreg_fate(recfd)) {
	case JREG_GONE:
		return jerr(buf, len, err, "%s not found", who);
	case JREG_PRISON_DIED:
		/* Not FreeBSD's: its kernel does not die under a jail. */
		return jerr(buf, len, err, "%s: its prison died", who);
	default:
		/* Being removed, or about to be: its init is gone. */
		return jerr(buf, len, err, "%s is dying", who);
	}
}

/*
 * The prison is where the build put it, LIBEXECDIR/jail/prison (the
 * Makefile defines JAIL_PRISON_PATH), and nowhere found from where this
 * code or the program lives: a program linked with libjail.a, or a
 * libjail.so in a multiarch directory, is in no fixed place beside it, and
 * a root program must not run a helper found beside itself in a directory
 * someone else may write.  JAIL_PRISON overrides it for the build tree's
 * own tests and tools; set-id programs ignore it.
 */
#ifndef JAIL_PRISON_PATH
#error "JAIL_PRISON_PATH: the installed prison's absolute path"
#endif

static const char *
prison_path(void)
{
	const char *env = secure_getenv("JAIL_PRISON");

	if (env != NULL && env[0] == '/')
		return env;
	return JAIL_PRISON_PATH;
}

/*
 * Starting the prison detached: it must not be our child (a caller that
 * waits for any child would reap it, and it outlives us), nor hold
 * anything of ours but its socket.  A helper forked as vfork does (its
 * memory ours until it is done) starts the prison the same way and exits
 * at once: the prison is then an orphan from its first instruction on,
 * and neither it nor we copy a page table to get there.  The prison told
 * so (JAIL_PRISON_DETACHED in its environment) does not fork again.
 */
#define	SPAWN_STACK	(64 * 1024)

struct spawn {
	const char	*path;
	char		**argv, **envp;
	int		 fd;		/* its control socket, to be its fd 3 */
	char		*stack;		/* the prison's side's, before exec */
	volatile int	 err;		/* why it could not be started */
};

/* The prison, before exec: fd 3, /dev/null as 0-2, its own session. */
static int
spawn_exec(void *arg)
{
	struct spawn *s = arg;
	struct sigaction dfl;
	sigset_t none;
	int nul;

	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	for (int sig = 1; sig < NSIG; sig++)
		(void)sigaction(sig, &dfl, NULL);
	if ((s->fd == 3 ? fcntl(3, F_SETFD, 0) : dup2(s->fd, 3)) < 0 ||
	    setsid() < 0 || (nul = open("/dev/null", O_RDWR)) < 0 ||
	    (nul != 0 && dup2(nul, 0) < 0) || dup2(0, 1) < 0 ||
	    dup2(0, 2) < 0 || syscall(SYS_close_range, 4, ~0U, 0) < 0) {
		s->err = errno;
		_exit(127);
	}
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	execve(s->path, s->argv, s->envp);
	s->err = errno;
	_exit(127);
}

/* The helper: starts the prison, and is gone once it has exec'd. */
static int
spawn_helper(void *arg)
{
	struct spawn *s = arg;
	pid_t pid;

	pid = clone(spawn_exec, s->stack + SPAWN_STACK, CLONE_VM | CLONE_VFORK |
	    SIGCHLD, s);
	if (pid < 0)
		s->err = errno;
	else if (s->err != 0)
		waitpid(pid, NULL, 0);
	_exit(s->err != 0);
}

/* Start S's prison detached; 0, or -1 with errno. */
static int
spawn_detached(struct spawn *s)
{
	sigset_t all, old;
	char *stacks;
	pid_t pid;
	int st, err = 0;

	stacks = mmap(NULL, 2 * SPAWN_STACK, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (stacks == MAP_FAILED)
		return -1;
	s->stack = stacks + SPAWN_STACK;
	s->err = 0;
	/* No handler of ours may run on the stacks we lend. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	pid = clone(spawn_helper, stacks + SPAWN_STACK, CLONE_VM | CLONE_VFORK |
	    SIGCHLD, s);
	if (pid < 0)
		err = errno;
	else {
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
		if (s->err != 0)
			err = s->err;
		else if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			err = EAGAIN;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	munmap(stacks, 2 * SPAWN_STACK);
	if (err != 0) {
		errno = err;
		return -1;
	}
	return 0;
}

int
jcl_spawn_prison(void)
{
	struct spawn s;
	char *argv[6];
	const char *pool = secure_getenv("JAIL_IDMAP_POOL");
	/* Nothing of ours but the tests' crash point (prison/crash.c). */
	const char *crash = secure_getenv("JAIL_CRASH_AT");
	char crashenv[64], detached[] = "JAIL_PRISON_DETACHED=1";
	char *envp[] = { detached, NULL, NULL };
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	if (crash != NULL && snprintf(crashenv, sizeof(crashenv),
	    "JAIL_CRASH_AT=%s", crash) < (int)sizeof(crashenv))
		envp[1] = crashenv;
	argv[0] = "prison";
	argv[1] = "-r";
	argv[2] = (char *)jreg_path();
	argv[3] = NULL;
	if (pool != NULL && pool[0] != '\0') {
		argv[3] = "-p";
		argv[4] = (char *)pool;
		argv[5] = NULL;
	}
	s.path = prison_path();
	s.argv = argv;
	s.envp = envp;
	s.fd = sv[1];
	if (spawn_detached(&s) < 0) {
		int e = errno;

		close(sv[0]);
		close(sv[1]);
		errno = e;
		return -1;
	}
	close(sv[1]);
	return sv[0];
}
