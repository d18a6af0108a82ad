/*
 * jail_spawn_jd: run a command in a jail through a descriptor, without
 * privilege (jaildesc.h, jaildesc(4)).  The prison starts it on the
 * caller's behalf (prison/spawn.c) through the path every entry takes;
 * here the caller asks, hands over its stdio, relays a terminal of the
 * jail's own if it sits at one, forwards signals, and waits.
 *
 * The handle is the channel the prison keeps for the command: the
 * command's end comes on it (JM_EXITED).  What a handle needs besides
 * (the terminal being relayed) is kept in a small table.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "jail.h"
#include "internal.h"
#include "jaildesc.h"
#include "pty.h"
#include "stdfd.h"

#define	MAXHANDLES	16	/* spawned and not yet waited for, with a tty */

static struct {
	int		 h;
	struct jail_pty	 pty;
} ttys[MAXHANDLES];
static pthread_mutex_t ttys_lock = PTHREAD_MUTEX_INITIALIZER;
static int ttys_init;

static struct jail_pty *
tty_slot(int h, int take)
{
	struct jail_pty *t = NULL;

	pthread_mutex_lock(&ttys_lock);
	if (!ttys_init) {
		for (int i = 0; i < MAXHANDLES; i++)
			ttys[i].h = -1;
		ttys_init = 1;
	}
	/* Taking marks a free slot (-1) with H; a reserved one is -2. */
	for (int i = 0; i < MAXHANDLES && t == NULL; i++)
		if (ttys[i].h == (take ? -1 : h) && (take || h >= 0)) {
			ttys[i].h = h;
			t = &ttys[i].pty;
		}
	pthread_mutex_unlock(&ttys_lock);
	return t;
}

static void
tty_claim(struct jail_pty *t, int h)
{
	pthread_mutex_lock(&ttys_lock);
	for (int i = 0; i < MAXHANDLES; i++)
		if (&ttys[i].pty == t)
			ttys[i].h = h;
	pthread_mutex_unlock(&ttys_lock);
}

static void
tty_release(struct jail_pty *t)
{
	pthread_mutex_lock(&ttys_lock);
	for (int i = 0; i < MAXHANDLES; i++)
		if (&ttys[i].pty == t)
			ttys[i].h = -1;
	pthread_mutex_unlock(&ttys_lock);
}

/* Strings one after another, each with its NUL. */
static void
add_strings(struct jmsg_buf *b, const char *name, char *const *v)
{
	size_t len = 0;
	char *buf, *p;

	for (size_t i = 0; v[i] != NULL; i++)
		len += strlen(v[i]) + 1;
	if (len == 0 || (buf = malloc(len)) == NULL) {
		if (len != 0)
			b->error = ENOMEM;
		return;
	}
	p = buf;
	for (size_t i = 0; v[i] != NULL; i++)
		p = stpcpy(p, v[i]) + 1;
	jmsg_add(b, name, buf, len, 0);
	free(buf);
}

/*
 * The request, with the stdio to pass: those of 0-2 that are open and
 * not terminals (item "stdio" says which).  Chosen before the channel is
 * made: a closed 0-2 would otherwise be the channel itself, handed to the
 * command.
 */
static int
request(struct jmsg_buf *b, void *buf, size_t size, char *const argv[],
    char *const envp[], const char *dir, struct jail_pty *t, int *fds)
{
	int n = 0, passed = 0;

	jmsg_start(b, buf, size, JM_SPAWN, 0, 0);
	add_strings(b, "argv", argv);
	add_strings(b, "env", envp);
	if (dir != NULL)
		jmsg_add_str(b, "dir", dir);
	if (t->ttys != 0) {
		jmsg_add_int(b, "tty", t->ttys);
		jmsg_add(b, "tio", &t->tio, sizeof(t->tio), 0);
		jmsg_add(b, "ws", &t->ws, sizeof(t->ws), 0);
	}
	for (int fd = 0; fd <= 2; fd++)
		if (!(t->ttys & (1 << fd)) && fcntl(fd, F_GETFD) >= 0) {
			fds[n++] = fd;
			passed |= 1 << fd;
		}
	jmsg_add_int(b, "stdio", passed);
	return jmsg_finish(b) < 0 ? -1 : n;
}

JAIL_EXPORT int
jail_spawn_jd(int fd, char *const argv[], char *const envp[], const char *dir)
{
	extern char **environ;
	struct work {
		unsigned char	req[JPROTO_MAXMSG];
		unsigned char	rbuf[1024];
		struct jmsg	reply;
		struct jail_pty	pty;
	} *w;
	struct jail_pty *slot;
	struct jmsg_buf b;
	int sock = -1, fds[3], nfds, got[JPROTO_MAXFDS], ngot = 0, st, ttyset;
	uint32_t seq;

	jail_errmsg[0] = '\0';
	if (argv == NULL || argv[0] == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (jdesc_jid(fd, NULL) < 0) {
		snprintf(jail_errmsg, JAIL_ERRMSGLEN, "descriptor %d: %s", fd,
		    errno == EBADF ? "not open" : "not a jail descriptor");
		return -1;
	}
	if ((ttyset = jstdfd_check(jail_errmsg, JAIL_ERRMSGLEN)) < 0)
		return -1;
	/* Room to relay its terminal, taken before it starts. */
	slot = NULL;
	if (ttyset != 0 && (slot = tty_slot(-2, 1)) == NULL) {
		snprintf(jail_errmsg, JAIL_ERRMSGLEN, "more than %d commands "
		    "with a terminal at once", MAXHANDLES);
		errno = EMFILE;
		return -1;
	}
	if ((w = malloc(sizeof(*w))) == NULL) {
		if (slot != NULL)
			tty_release(slot);
		return -1;
	}
	if (jpty_init(&w->pty, ttyset, 0, jail_errmsg, JAIL_ERRMSGLEN) < 0 ||
	    (nfds = request(&b, w->req, sizeof(w->req), argv,
	    envp != NULL ? envp : environ, dir, &w->pty, fds)) < 0)
		goto fail;
	if ((sock = jdesc_channel(fd)) < 0) {
		if (errno == ENOENT)
			snprintf(jail_errmsg, JAIL_ERRMSGLEN, "descriptor %d: "
			    "its jail was removed", fd);
		goto fail;
	}
	/* As jcl_call: a refusal may wait in the socket even if the send
	   found it closed. */
	if ((seq = jcl_send(sock, w->req, b.len, fds, nfds)) == 0 &&
	    errno != ENOENT)
		goto fail;
	st = jcl_reply(sock, seq, w->rbuf, sizeof(w->rbuf), &w->reply, got,
	    &ngot);
	if (st != 0) {
		if (st > 0) {
			jcl_errmsg(&w->reply, st, jail_errmsg, JAIL_ERRMSGLEN);
			errno = st;
		}
		goto fail;
	}
	if (ttyset != 0) {
		/* The master of the jail's terminal, ours to relay. */
		if (ngot != 1) {
			errno = EBADMSG;
			goto fail;
		}
		*slot = w->pty;
		slot->master = got[0];
		tty_claim(slot, sock);
		ngot = 0;
	}
	for (int i = 0; i < ngot; i++)
		close(got[i]);
	free(w);
	return sock;
fail:
	{
		int e = errno;

		for (int i = 0; i < ngot; i++)
			close(got[i]);
		if (sock >= 0)
			close(sock);
		if (slot != NULL)
			tty_release(slot);
		free(w);
		errno = e;
	}
	return -1;
}

JAIL_EXPORT int
jail_spawn_kill(int h, int sig)
{
	unsigned char req[128];
	struct jmsg_buf b;

	if (sig < 1 || sig >= NSIG) {
		errno = EINVAL;
		return -1;
	}
	jmsg_start(&b, req, sizeof(req), JM_SIGNAL, 0, 0);
	jmsg_add_int(&b, "signal", sig);
	if (jmsg_finish(&b) < 0)
		return -1;
	/* Sent as is, from a signal handler too: no number, no answer. */
	if (send(h, req, b.len, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
		return -1;
	return 0;
}

static volatile sig_atomic_t fwd_handle = -1;

static void
forward(int sig)
{
	int e = errno;

	if (fwd_handle >= 0)
		jail_spawn_kill(fwd_handle, sig);
	errno = e;
}

static const int fwd_sigs[] = {
	SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH,
};

/* The end: JM_EXITED, passing over anything else. */
static int
read_end(int h, int *status)
{
	unsigned char buf[1024];
	struct jmsg m;
	ssize_t n;

	for (;;) {
		n = jmsg_recv(h, buf, sizeof(buf), NULL, NULL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0 || (n < 0 && (errno == ECONNRESET || errno == EPIPE))) {
			/* The prison closed it: the jail was removed, and the
			   command killed with it, as jexec would see it. */
			*status = SIGKILL;
			return 0;
		}
		if (n < 0)
			return -1;
		if (jmsg_decode(buf, (size_t)n, &m) < 0 || m.h.type != JM_EXITED)
			continue;
		if (m.h.status != 0) {
			jcl_errmsg(&m, m.h.status, jail_errmsg, JAIL_ERRMSGLEN);
			errno = m.h.status > 0 ? m.h.status : EIO;
			return -1;
		}
		{
			const struct jmsg_item *it = jmsg_find(&m, "status");

			if (it == NULL || it->len != sizeof(int)) {
				errno = EBADMSG;
				return -1;
			}
			memcpy(status, it->value, sizeof(int));
		}
		return 0;
	}
}

JAIL_EXPORT int
jail_spawn_wait(int h, int *status)
{
	struct sigaction sa, old[sizeof(fwd_sigs) / sizeof(fwd_sigs[0])];
	struct jail_pty *t = tty_slot(h, 0);
	int ret, e;

	fwd_handle = h;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = forward;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(fwd_sigs) / sizeof(fwd_sigs[0]); i++)
		sigaction(fwd_sigs[i], &sa, &old[i]);
	if (t != NULL) {
		jpty_relay_until(t, h);
		jpty_close(t);
		tty_release(t);
	}
	ret = read_end(h, status);
	e = errno;
	fwd_handle = -1;
	for (size_t i = 0; i < sizeof(fwd_sigs) / sizeof(fwd_sigs[0]); i++)
		sigaction(fwd_sigs[i], &old[i], NULL);
	close(h);
	errno = e;
	return ret;
}
