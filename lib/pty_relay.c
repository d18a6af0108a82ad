/*
 * The caller's half of a jailed command's terminal (see pty.h): the
 * caller's terminal input goes to the master, the master's output to the
 * caller's terminal, until the command exits.  Then the caller's terminal
 * is never read again, what the master still holds is written out, and
 * the master is closed: the slave hangs up, so nothing the command left
 * behind in the jail can read what is typed afterwards.
 *
 * While the relay reads the caller's terminal, that terminal is in raw
 * mode (^C, ^Z and the like travel as bytes to the jail's terminal, whose
 * modes are the caller's), and it is put back however the relay ends: on
 * return, before a signal that would kill us takes effect, and while we
 * are stopped.  A window size change is passed on with TIOCSWINSZ, which
 * signals the command's foreground process group.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "pty.h"

/* Draining after the command exited ends here, however much is written. */
#define	DRAIN_MAX	(256 * 1024)

struct relay {
	int		in;		/* the caller's terminal, -1: not read */
	int		out;		/* where output goes, -1: discarded */
	int		master;
	int		hup;		/* no slave open: poll on a timer */
	int		size_from;	/* the terminal whose size we follow */
	int		pidfd;		/* the command, -1: poll on a timer */
	pid_t		pid;
	struct termios	raw;
	char		buf[4096];	/* input not yet taken by the master */
	size_t		off, len;
};

static struct termios		saved;	/* the caller's terminal before raw */
static volatile sig_atomic_t	raw_fd = -1;

static void
restore(void)
{
	if (raw_fd >= 0)
		(void)tcsetattr(raw_fd, TCSANOW, &saved);
}

/* A signal that ends us: the terminal first, then the default action. */
static void
die_restored(int sig)
{
	restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Stopped from outside: the shell gets its terminal back meanwhile. */
static void
stop_restored(int sig)
{
	int e = errno;

	(void)sig;
	restore();
	kill(getpid(), SIGSTOP);
	errno = e;	/* continued: the loop puts raw mode back */
}

/* Only to interrupt poll(): the loop passes the new size on. */
static void
wake(int sig)
{
	(void)sig;
}

static const int fatal_sigs[] = {
	SIGALRM, SIGVTALRM, SIGPROF, SIGXCPU, SIGXFSZ, SIGIO, SIGPWR, SIGSYS,
	SIGSTKFLT, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP,
};
#define	NFATAL	(sizeof(fatal_sigs) / sizeof(fatal_sigs[0]))

struct saved_sigs {
	struct sigaction	fatal[NFATAL], pipe, winch, tstp;
};

static void
set_handler(int sig, void (*fn)(int), struct sigaction *old)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, old);
}

/*
 * SIGWINCH is taken over from jail__run's forwarding: a size change is
 * passed on through the master, which signals the right process group.
 * SIGPIPE would end us with the terminal raw: a write error does instead.
 */
static void
handlers_on(struct saved_sigs *s, int raw)
{
	for (size_t i = 0; i < NFATAL; i++) {
		sigaction(fatal_sigs[i], NULL, &s->fatal[i]);
		if (s->fatal[i].sa_handler == SIG_DFL)
			set_handler(fatal_sigs[i], die_restored, NULL);
	}
	set_handler(SIGPIPE, SIG_IGN, &s->pipe);
	set_handler(SIGWINCH, wake, &s->winch);
	if (raw)
		set_handler(SIGTSTP, stop_restored, &s->tstp);
}

static void
handlers_off(const struct saved_sigs *s, int raw)
{
	for (size_t i = 0; i < NFATAL; i++)
		sigaction(fatal_sigs[i], &s->fatal[i], NULL);
	sigaction(SIGPIPE, &s->pipe, NULL);
	sigaction(SIGWINCH, &s->winch, NULL);
	if (raw)
		sigaction(SIGTSTP, &s->tstp, NULL);
}

static void
raw_on(struct relay *r)
{
	if (r->in < 0 || tcgetattr(r->in, &saved) < 0) {
		r->in = -1;	/* a terminal we cannot set up is not read */
		return;
	}
	r->raw = saved;
	cfmakeraw(&r->raw);
	r->raw.c_cc[VMIN] = 1;
	r->raw.c_cc[VTIME] = 0;
	raw_fd = r->in;		/* first: a signal in between restores */
	if (tcsetattr(r->in, TCSANOW, &r->raw) < 0)
		raw_fd = -1;
}

static void
raw_off(void)
{
	restore();
	raw_fd = -1;
}

/* After a signal: we may have been stopped, or the window resized. */
static void
resume(struct relay *r)
{
	struct winsize ws;

	if (ioctl(r->size_from, TIOCGWINSZ, &ws) == 0)
		(void)ioctl(r->master, TIOCSWINSZ, &ws);
	if (raw_fd >= 0)
		(void)tcsetattr(raw_fd, TCSANOW, &r->raw);
}

/* Write all of B; on an error output is discarded from then on. */
static void
put(struct relay *r, const char *b, size_t n)
{
	struct pollfd pf;
	ssize_t w;

	while (n > 0 && r->out >= 0) {
		if ((w = write(r->out, b, n)) > 0) {
			b += w;
			n -= (size_t)w;
		} else if (w < 0 && errno == EAGAIN) {
			pf.fd = r->out;
			pf.events = POLLOUT;
			(void)poll(&pf, 1, 1000);
		} else if (w == 0 || errno != EINTR)
			r->out = -1;
	}
}

/* What the master has, to our output.  -1 when no slave is open. */
static int
from_master(struct relay *r)
{
	char b[4096];
	ssize_t n;

	if ((n = read(r->master, b, sizeof(b))) > 0) {
		put(r, b, (size_t)n);
		return (int)n;
	}
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	return -1;
}

static void
to_master(struct relay *r)
{
	ssize_t n = write(r->master, r->buf + r->off, r->len);

	if (n > 0) {
		r->off += (size_t)n;
		r->len -= (size_t)n;
	} else if (n < 0 && errno != EAGAIN && errno != EINTR)
		r->len = 0;	/* the terminal is gone: the input with it */
	if (r->len == 0)
		r->off = 0;
}

static void
from_in(struct relay *r)
{
	ssize_t n = read(r->in, r->buf, sizeof(r->buf));

	if (n > 0) {
		r->off = 0;
		r->len = (size_t)n;
	} else if (n == 0 || (errno != EINTR && errno != EAGAIN))
		r->in = -1;	/* end of input, or hung up */
}

/* Without a pidfd: has PID exited (not reaped: the caller waits)? */
static int
exited(pid_t pid)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	return waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 &&
	    si.si_pid == pid;
}

/* One round of the relay; 1 once the command has exited. */
static int
step(struct relay *r)
{
	struct pollfd pf[3] = {
		{ .fd = r->pidfd, .events = POLLIN },
		{ .fd = r->hup ? -1 : r->master,
		  .events = POLLIN | (r->len > 0 ? POLLOUT : 0) },
		{ .fd = r->len == 0 ? r->in : -1, .events = POLLIN },
	};
	int n;

	n = poll(pf, 3, r->pidfd < 0 || r->hup ? 100 : -1);
	if (n < 0) {
		if (errno != EINTR)
			return 1;
		resume(r);
		return 0;
	}
	/* The command first: its end ends all reading of our terminal. */
	if (pf[0].revents != 0 || (r->pidfd < 0 && exited(r->pid)))
		return 1;
	if (r->hup || (pf[1].revents & (POLLIN | POLLHUP | POLLERR)))
		r->hup = from_master(r) < 0;
	if (r->len > 0 && (r->hup || (pf[1].revents & POLLOUT)))
		to_master(r);
	if (pf[2].revents != 0)
		from_in(r);
	return 0;
}

static void
relay(struct jail_pty *t, pid_t pid, int done)
{
	struct saved_sigs sigs;
	struct relay r;
	size_t drained = 0;
	int n, raw;

	memset(&r, 0, sizeof(r));
	r.master = t->master;
	r.pid = pid;
	r.size_from = t->term;
	r.in = t->ttys & 1 ? 0 : -1;
	/* Output to the caller's terminal: stdout's, stderr's, or stdin's. */
	r.out = t->ttys & 2 ? 1 : t->ttys & 4 ? 2 : 0;
	r.pidfd = done >= 0 ? done : (int)syscall(SYS_pidfd_open, pid, 0);
	raw = r.in >= 0;
	handlers_on(&sigs, raw);
	raw_on(&r);
	while (!step(&r))
		;
	/* Output the command wrote before it exited; not forever. */
	while (drained < DRAIN_MAX) {
		if ((n = from_master(&r)) > 0)
			drained += (size_t)n;
		else if (n < 0 || errno != EINTR)
			break;
	}
	close(t->master);
	t->master = -1;
	raw_off();
	handlers_off(&sigs, raw);
	if (r.pidfd >= 0 && done < 0)
		close(r.pidfd);
}

void
jpty_relay(struct jail_pty *t, pid_t pid)
{
	relay(t, pid, -1);
}

void
jpty_relay_until(struct jail_pty *t, int done)
{
	relay(t, 0, done);
}
