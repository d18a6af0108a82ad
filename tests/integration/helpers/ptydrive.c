/*
 * ptydrive: run a command on a terminal of its own and play the user at
 * it, for the tests of jexec's and jail's terminal relay.  Built on the
 * host (jt_cc_host in common.subr), not in the jail.
 *
 *	ptydrive [-ps] [-w text] [-i input] [-R rowsxcols] [-a input]
 *	    [-z rowsxcols] [-t seconds] command [arg ...]
 *
 * The command runs on a new pseudo-terminal, as its session leader with
 * the terminal as controlling terminal and stdio.  What it writes goes to
 * our stdout with carriage returns removed.  INPUT strings take the C
 * escapes \n \r \t \\ and \ooo (\003 is ^C).
 *
 *	-w TEXT		wait until the output holds TEXT before -R and -i
 *	-R ROWSxCOLS	then resize the terminal (the command gets SIGWINCH)
 *	-i INPUT	then type INPUT
 *	-a INPUT	after the command exited, type INPUT and wait 0.5 s
 *	-p		at the end print "pending=N" on stderr: the bytes typed
 *			that nobody read (the driver keeps the terminal open)
 *	-s		first print "tty=PATH dev=N" on stderr: the terminal's
 *			name and its devpts instance
 *	-z ROWSxCOLS	the terminal's size from the start
 *	-t SECONDS	kill the command after SECONDS (default 60): exit 124
 *
 * Exits with the command's status, or 128 plus the signal that killed it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

static char	seen[1 << 16];		/* the output so far, for -w */
static size_t	nseen;

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: ptydrive [-ps] [-w text] [-i input] "
	    "[-R rowsxcols] [-a input] [-z rowsxcols] [-t seconds] "
	    "command [arg ...]\n");
	exit(2);
}

/* Decode the C escapes of S in place; returns the length. */
static size_t
unescape(char *s)
{
	char *o = s, *start = s;

	for (; *s != '\0'; s++) {
		if (*s != '\\' || s[1] == '\0') {
			*o++ = *s;
			continue;
		}
		s++;
		if (*s >= '0' && *s <= '7') {
			int v = 0;

			for (int i = 0; i < 3 && *s >= '0' && *s <= '7'; i++)
				v = v * 8 + *s++ - '0';
			s--;
			*o++ = (char)v;
		} else
			*o++ = *s == 'n' ? '\n' : *s == 'r' ? '\r' :
			    *s == 't' ? '\t' : *s;
	}
	return (size_t)(o - start);
}

static void
msleep(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static void
resize(int m, const char *spec)
{
	struct winsize ws;
	unsigned r, c;

	if (sscanf(spec, "%ux%u", &r, &c) != 2)
		usage();
	memset(&ws, 0, sizeof(ws));
	ws.ws_row = (unsigned short)r;
	ws.ws_col = (unsigned short)c;
	if (ioctl(m, TIOCSWINSZ, &ws) < 0)
		perror("TIOCSWINSZ");
}

/* Read what the terminal has for us, within MS; 0 when nothing came. */
static int
pump(int m, int ms)
{
	struct pollfd pf = { .fd = m, .events = POLLIN };
	char b[4096];
	ssize_t n;

	if (poll(&pf, 1, ms) <= 0 || (n = read(m, b, sizeof(b))) <= 0)
		return 0;
	for (ssize_t i = 0; i < n; i++) {
		if (b[i] == '\r')
			continue;
		putchar(b[i]);
		if (nseen == sizeof(seen) - 1) {
			memmove(seen, seen + sizeof(seen) / 2, sizeof(seen) / 2);
			nseen -= sizeof(seen) / 2;
		}
		seen[nseen++] = b[i];
	}
	seen[nseen] = '\0';
	fflush(stdout);
	return 1;
}

static void
type(int m, const char *s, size_t len)
{
	if (write(m, s, len) != (ssize_t)len)
		perror("ptydrive: write");
}

static pid_t
start(int s, char **argv)
{
	pid_t pid = fork();

	if (pid < 0) {
		perror("fork");
		exit(2);
	}
	if (pid > 0)
		return pid;
	if (setsid() < 0 || ioctl(s, TIOCSCTTY, 0) < 0) {
		perror("ptydrive: controlling terminal");
		_exit(126);
	}
	dup2(s, 0);
	dup2(s, 1);
	dup2(s, 2);
	if (s > 2)
		close(s);
	execvp(argv[0], argv);
	perror(argv[0]);
	_exit(127);
}

int
main(int argc, char **argv)
{
	const char *wait_for = NULL, *resize_to = NULL, *size = NULL;
	char *input = NULL, *after = NULL, *name;
	int ch, m, s, st = 0, pending = 0, show = 0, secs = 60, sent = 0;
	size_t ilen = 0, alen = 0;
	struct stat sb;
	time_t end;
	pid_t pid;

	while ((ch = getopt(argc, argv, "+a:i:pR:st:w:z:")) != -1) {
		switch (ch) {
		case 'a': after = optarg; alen = unescape(after); break;
		case 'i': input = optarg; ilen = unescape(input); break;
		case 'p': pending = 1; break;
		case 'R': resize_to = optarg; break;
		case 's': show = 1; break;
		case 't': secs = atoi(optarg); break;
		case 'w': wait_for = optarg; break;
		case 'z': size = optarg; break;
		default: usage();
		}
	}
	argv += optind;
	if (argv[0] == NULL)
		usage();
	if ((m = posix_openpt(O_RDWR | O_NOCTTY)) < 0 || grantpt(m) < 0 ||
	    unlockpt(m) < 0 || (name = ptsname(m)) == NULL ||
	    (s = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0) {
		perror("ptydrive: pty");
		return 2;
	}
	if (show && stat(name, &sb) == 0)
		fprintf(stderr, "tty=%s dev=%ju\n", name, (uintmax_t)sb.st_dev);
	if (size != NULL)
		resize(m, size);
	pid = start(s, argv);
	end = time(NULL) + secs;
	while (waitpid(pid, &st, WNOHANG) == 0) {
		if (time(NULL) > end) {
			kill(pid, SIGKILL);
			fprintf(stderr, "ptydrive: timed out\n");
			return 124;
		}
		pump(m, 20);
		if (!sent && (wait_for == NULL || strstr(seen, wait_for))) {
			sent = 1;
			if (resize_to != NULL) {
				resize(m, resize_to);
				msleep(100);
			}
			if (input != NULL)
				type(m, input, ilen);
		}
	}
	while (pump(m, 100))
		;
	if (after != NULL) {
		type(m, after, alen);
		msleep(500);
	}
	if (pending) {
		int n = -1;

		ioctl(s, FIONREAD, &n);
		fprintf(stderr, "pending=%d\n", n);
	}
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WEXITSTATUS(st);
}
