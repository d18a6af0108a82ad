/*
 * What both descriptor test programs need: a registry and a root of the
 * case's own (setup), the iovec pairs, a descriptor by jid, a process's
 * descriptor count, and the cleanup that removes what a case left.
 * Included by each program, once.
 */
#ifndef JDTEST_H
#define JDTEST_H

#include <atf-c.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include <sys/jail.h>
#include <jail.h>

#define	IOV(n, v, l) \
	{ .iov_base = (void *)(n), .iov_len = strlen(n) + 1 }, \
	{ .iov_base = (void *)(v), .iov_len = (l) }

static char errmsg[JAIL_ERRMSGLEN];

/* A registry and a root of the case's own; the prison beside us. */
static void __attribute__((unused))
setup(void)
{
	char cwd[512], path[600], exe[512], *slash;
	ssize_t n;

	ATF_REQUIRE(getcwd(cwd, sizeof(cwd)) != NULL);
	snprintf(path, sizeof(path), "%s/reg", cwd);
	setenv("JAIL_REGISTRY", path, 1);
	snprintf(path, sizeof(path), "%s/root", cwd);
	(void)mkdir(path, 0755);
	/* Unprivileged cases reach the registry's sockets through here. */
	chmod(cwd, 0755);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	ATF_REQUIRE(n > 0);
	exe[n] = '\0';
	/* tests/descriptor/NAME_test -> build/libexec/jail/prison */
	for (int i = 0; i < 3 && (slash = strrchr(exe, '/')) != NULL; i++)
		*slash = '\0';
	snprintf(path, sizeof(path), "%s/build/libexec/jail/prison", exe);
	if (getenv("JAIL_PRISON") == NULL)
		setenv("JAIL_PRISON", path, 1);
	signal(SIGPIPE, SIG_IGN);
}

/* jail_get of nothing but a new descriptor, FLAGS with the key JID. */
static int __attribute__((unused))
get_desc(int jid, int flags, int *desc)
{
	struct iovec iov[] = {
		IOV("jid", &jid, sizeof(jid)),
		IOV("desc", desc, sizeof(*desc)),
		IOV("errmsg", errmsg, sizeof(errmsg)),
	};

	errmsg[0] = '\0';
	if (!(flags & (JAIL_USE_DESC | JAIL_AT_DESC)))
		*desc = -1;	/* an output only */
	return jail_get(iov, 6, flags);
}

/* The number of descriptors process PID has open. */
static int __attribute__((unused))
count_fds(pid_t pid)
{
	char dir[64];
	struct dirent *d;
	DIR *dp;
	int n = 0;

	snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)pid);
	if ((dp = opendir(dir)) == NULL)
		return -1;
	while ((d = readdir(dp)) != NULL)
		n += d->d_name[0] != '.';
	closedir(dp);
	return n;
}

static void __attribute__((unused))
remove_all(void)
{
	int jid = 0, next;

	setup();
	for (;;) {
		struct iovec iov[] = { IOV("lastjid", &jid, sizeof(jid)) };

		if ((next = jail_get(iov, 2, JAIL_DYING)) < 0)
			break;
		jail_remove(next);
		jid = next;
	}
}

#endif
