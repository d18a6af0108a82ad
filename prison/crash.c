/*
 * Named crash points for the tests (see prison.h).  The prison runs with
 * an environment of nothing but JAIL_CRASH_AT, which only root's libjail
 * passes on; a set-id caller's environment is not consulted (client.c).
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "prison.h"

void
crash_point(const char *step)
{
	const char *at = getenv("JAIL_CRASH_AT");

	if (at != NULL && strcmp(at, step) == 0)
		kill(getpid(), SIGKILL);
}
