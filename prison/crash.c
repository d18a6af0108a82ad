/*
 * Named crash points for the tests (see prison.h).  The prison runs with
 * an environment of nothing but JAIL_CRASH_AT, which only root's libjail
 * passes on; a set-id caller's environment is not consulted (client.c).
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "prison.h"

static int
crash_here(const char *step)
{
	const char *at = getenv("JAIL_CRASH_AT");

	return at != NULL && strcmp(at, step) == 0;
}

void
crash_point(const char *step)
{
	if (!crash_here(step))
		return;
	kill(getpid(), SIGKILL);
	/* Jail init, pid 1 of its namespace, ignores its own SIGKILL. */
	_exit(128 + SIGKILL);
}

void
crash_other(const char *step, int pidfd)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };

	if (!crash_here(step) ||
	    syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0) < 0)
		return;
	while (poll(&p, 1, -1) < 0 && errno == EINTR)
		;
}
