/*
 * Written as a FreeBSD 15 program using jail descriptors would be: the
 * same includes and calls, compiled unchanged against this project's
 * <sys/jail.h> and <jail.h>.  Prints what it saw.
 */
#include <sys/param.h>
#include <sys/jail.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <err.h>
#include <errno.h>
#include <jail.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char errmsg[JAIL_ERRMSGLEN];

static void
param(struct iovec *iov, const char *name, void *value, size_t len)
{
	iov[0].iov_base = (char *)(uintptr_t)name;
	iov[0].iov_len = strlen(name) + 1;
	iov[1].iov_base = value;
	iov[1].iov_len = len;
}

int
main(int argc, char **argv)
{
	char name[] = "fbsdd", host[] = "viadesc", got[MAXHOSTNAMELEN];
	struct iovec iov[8];
	struct pollfd pfd;
	int jid, desc = -1, other = -1, status;
	pid_t pid;

	if (argc != 2)
		errx(1, "usage: freebsd_desc path");
	param(&iov[0], "name", name, sizeof(name));
	param(&iov[2], "path", argv[1], strlen(argv[1]) + 1);
	param(&iov[4], "persist", NULL, 0);
	param(&iov[6], "desc", &desc, sizeof(desc));
	if ((jid = jail_set(iov, 8, JAIL_CREATE | JAIL_OWN_DESC)) < 0)
		err(1, "jail_set");
	param(&iov[0], "name", name, sizeof(name));
	param(&iov[2], "desc", &other, sizeof(other));
	param(&iov[4], "errmsg", errmsg, sizeof(errmsg));
	if (jail_get(iov, 6, JAIL_GET_DESC) != jid)
		errx(1, "jail_get: %s", errmsg);
	param(&iov[0], "host.hostname", host, sizeof(host));
	param(&iov[2], "desc", &desc, sizeof(desc));
	if (jail_set(iov, 6, JAIL_UPDATE | JAIL_USE_DESC) != jid)
		errx(1, "jail_set through the descriptor: %s", errmsg);
	param(&iov[0], "host.hostname", got, sizeof(got));
	param(&iov[2], "desc", &other, sizeof(other));
	if (jail_get(iov, 6, JAIL_USE_DESC) != jid)
		errx(1, "jail_get through the descriptor: %s", errmsg);
	if ((pid = fork()) == 0)
		_exit(jail_attach_jd(desc) == 0 ? 0 : 1);
	if (waitpid(pid, &status, 0) != pid || status != 0)
		errx(1, "jail_attach_jd failed");
	if (jail_remove_jd(desc) < 0)
		err(1, "jail_remove_jd");
	pfd.fd = other;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 5000) != 1 || !(pfd.revents & POLLHUP))
		errx(1, "no POLLHUP");
	if (jail_remove_jd(other) == 0 || errno != ENOENT)
		errx(1, "a removed jail's descriptor still works");
	printf("%d %s removed\n", jid, got);
	return 0;
}
