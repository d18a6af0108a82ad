/*
 * What exec and run (and create) do with the process they started, their
 * child: its pid file, the signals an engine sends passed on to it while
 * they wait, and its end as an exit status.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "oci.h"

static volatile sig_atomic_t child;

static void
forward(int sig)
{
	int e = errno;

	if (child > 0)
		kill((pid_t)child, sig);
	errno = e;
}

int
oci_exit_code(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return 1;
}

int
oci_wait_forwarding(pid_t pid)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1,
	    SIGUSR2, SIGWINCH, SIGCONT };
	struct sigaction sa;
	int st;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = forward;
	sigemptyset(&sa.sa_mask);
	child = pid;
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return 1;
	return oci_exit_code(st);
}

/* Written whole and renamed; no newline (containerd rejects one). */
int
oci_pidfile_write(const char *path, pid_t pid)
{
	char tmp[4096], num[32];
	int fd, n, ok;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp)) {
		oci_err("--pid-file: name too long");
		return -1;
	}
	n = snprintf(num, sizeof(num), "%d", (int)pid);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
	    0644);
	ok = fd >= 0 && write(fd, num, (size_t)n) == n;
	if (fd >= 0)
		close(fd);
	if (!ok || rename(tmp, path) < 0) {
		oci_err("--pid-file %s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}
