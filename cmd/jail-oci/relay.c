/*
 * A container's terminal relayed to our own stdio, for run and exec in
 * the foreground with process.terminal and no --console-socket, as runc
 * does: the process has a pty of the jail's own devpts (jail__spawn's
 * console), never our terminal, and we copy between its master and our
 * stdio until the process exits (lib/pty_relay.c).
 *
 * runc copies to its stdout whatever that is (bats captures it through a
 * pipe); so do we.  Our stdin is read only when it is a terminal (the
 * relay puts it in raw mode); other input is not passed on.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/wait.h>

#include "pty.h"
#include "oci.h"

int
oci_relay(int master, pid_t pid)
{
	struct jail_pty t;
	char err[256];
	int ttys = (isatty(0) ? 1 : 0) | (isatty(1) ? 2 : 0) |
	    (isatty(2) ? 4 : 0), st;

	if (jpty_init(&t, ttys, 0, err, sizeof(err)) < 0) {
		oci_err("%s", err);
		close(master);
		return oci_wait_forwarding(pid);
	}
	/* The process's terminal takes our size; the relay follows it. */
	if (ttys != 0 && t.ws.ws_row != 0)
		(void)ioctl(master, TIOCSWINSZ, &t.ws);
	else
		t.term = -1;
	/* Output to our stdout even when it is not a terminal. */
	t.ttys |= 2;
	t.master = master;
	jpty_relay(&t, pid);
	jpty_close(&t);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return 1;
	return oci_exit_code(st);
}
