/*
 * jail_attach(2) and the steps every way into a jail shares, in the order
 * that spec/escapes.md gives: a race-free handle from the prison (init's
 * pidfd and the cgroup fd), non-dumpable, setns into every namespace at
 * once, then the policy with seccomp last.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "internal.h"
#include "attach.h"
#include "sys/jail.h"

#define	ALL_NS	(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | \
		 CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWCGROUP)

int
jail_entry_get(int sock, int jid, struct jail_entry *e, char *err,
    size_t errlen)
{
	struct {
		unsigned char	req[256];
		unsigned char	rbuf[JPROTO_MAXMSG];
		struct jmsg	reply;
	} *w;
	const struct jmsg_item *pol, *rjid;
	struct jmsg_buf b;
	int fds[JPROTO_MAXFDS], nfds = 0, st, ret = -1;

	memset(e, 0, sizeof(*e));
	e->pidfd = e->cgfd = -1;
	/* Before asking: should the prison not answer, its record will tell. */
	e->jid = jid;
	e->recfd = jreg_open_record(-1, jid);
	if ((w = malloc(sizeof(*w))) == NULL)
		goto out;
	jmsg_start(&b, w->req, sizeof(w->req), JM_ATTACH, 0, 0);
	if (jmsg_finish(&b) < 0)
		goto out;
	st = jcl_call(sock, w->req, (size_t)b.len, w->rbuf, sizeof(w->rbuf),
	    &w->reply, fds, &nfds);
	if (st < 0) {
		if (errno == ENOENT)	/* as jail_attach's for a removed jail */
			jcl_lost(e->recfd, jid, NULL, EINVAL, err, errlen);
		else
			jerr(err, errlen, errno, "prison: %s", strerror(errno));
		goto out;
	}
	if (st != 0) {
		jcl_errmsg(&w->reply, st, err, errlen);
		errno = st;
		goto out;
	}
	pol = jmsg_find(&w->reply, "policy");
	rjid = jmsg_find(&w->reply, "jid");
	if (nfds != 2 || pol == NULL || rjid == NULL ||
	    rjid->len != sizeof(int) ||
	    jpolicy_check(pol->value, pol->len) < 0) {
		jerr(err, errlen, EBADMSG, "prison: bad attach reply");
		goto out;
	}
	if ((e->policy = malloc(pol->len)) == NULL)
		goto out;
	memcpy(e->policy, pol->value, pol->len);
	memcpy(&e->jid, rjid->value, sizeof(int));
	e->pidfd = fds[0];
	e->cgfd = fds[1];
	nfds = 0;
	ret = 0;
out:
	{
		int saved = errno;

		for (int i = 0; i < nfds; i++)
			close(fds[i]);
		if (ret < 0)
			jail_entry_free(e);
		free(w);
		errno = saved;
	}
	return ret;
}

void
jail_entry_free(struct jail_entry *e)
{
	if (e->pidfd >= 0)
		close(e->pidfd);
	if (e->cgfd >= 0)
		close(e->cgfd);
	if (e->recfd >= 0)
		close(e->recfd);
	free(e->policy);
	e->pidfd = e->cgfd = e->recfd = -1;
	e->policy = NULL;
}

static int
thread_count(void)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *de;
	int n = 0;

	if (d == NULL)
		return 1;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

int
jail_entry_setns(const struct jail_entry *e, char *err, size_t errlen)
{
	if (setns(e->pidfd, ALL_NS) == 0)
		return 0;
	if (errno == EINVAL && thread_count() > 1)
		return jerr(err, errlen, EINVAL, "jail_attach: the process has "
		    "threads, and Linux moves only single-threaded processes "
		    "into a user namespace");
	if (errno == ESRCH)	/* init is gone: the jail is dying, or more */
		return jcl_lost(e->recfd, e->jid, NULL, EINVAL, err, errlen);
	return jerr(err, errlen, errno, "setns: %s", strerror(errno));
}

int
jail_entry_chdir(const char *dir, char *err, size_t errlen)
{
	char cwd[4096];

	if (chdir(dir) < 0)
		return jerr(err, errlen, errno, "chdir %.200s: %s", dir,
		    strerror(errno));
	/*
	 * The kernel's getcwd, not libc's: a directory the root cannot reach
	 * comes back as "(unreachable)/...", or as an error.
	 */
	if (syscall(SYS_getcwd, cwd, sizeof(cwd)) < 0 || cwd[0] != '/')
		return jerr(err, errlen, EACCES, "chdir %.200s: not inside "
		    "the jail", dir);
	return 0;
}

int
jail_attach_sock(int sock, int jid, char *err, size_t errlen)
{
	struct jail_entry e;
	struct jcred self;
	char pid[24];
	int fd, n, ret = -1;

	if (jail_entry_get(sock, jid, &e, err, errlen) < 0)
		return -1;
	jcred_self(&self);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	/* The cgroup first, while our view of the host is intact. */
	fd = openat(e.cgfd, "cgroup.procs", O_WRONLY | O_CLOEXEC);
	n = snprintf(pid, sizeof(pid), "%d", (int)getpid());
	if (fd < 0 || write(fd, pid, (size_t)n) != n) {
		int werr = errno;

		/* A removed jail's cgroup goes with it. */
		if (jreg_fate(e.recfd) != JREG_ALIVE)
			jcl_lost(e.recfd, e.jid, NULL, EINVAL, err, errlen);
		else
			jerr(err, errlen, werr, "cannot join the jail's "
			    "cgroup: %s", strerror(werr));
		if (fd >= 0)
			close(fd);
		goto out;
	}
	close(fd);
	if (jail_entry_setns(&e, err, errlen) < 0)
		goto out;
	if (chdir("/") < 0) {
		jerr(err, errlen, errno, "chdir /: %s", strerror(errno));
		goto out;
	}
	ret = jpolicy_apply(e.policy, &self, err, errlen);
out:
	jail_entry_free(&e);
	return ret;
}

JAIL_EXPORT int
jail_attach(int jid)
{
	char err[256];
	int sock, ret;

	if (geteuid() != 0 || jail_caller_jailed()) {
		errno = EPERM;
		return -1;
	}
	if ((sock = jcl_connect_jail(jid, 1)) < 0)
		return -1;
	ret = jail_attach_sock(sock, jid, err, sizeof(err));
	{
		int e = errno;

		close(sock);
		errno = e;
	}
	return ret;
}
