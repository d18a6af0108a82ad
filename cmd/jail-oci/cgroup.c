/*
 * The container's cgroup2 directory: the one its jail's processes (all
 * but the jail's init) are in or below, found through libjail
 * (jail__cgroup: the prison's directory checked against the registry),
 * never through anything a process inside the jail could write, such as
 * its own /proc/PID/cgroup.  pause and resume freeze it (cgroup.freeze
 * needs no controller, so it works on hybrid hosts too; the prison always
 * makes a cgroup2 directory, so the v1 freezer is never needed); ps and
 * kill --all list it.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "jail.h"
#include "jcgroup.h"
#include "oci.h"

int
oci_cgroup_jail(const struct oci_state *s, char *rel, size_t len)
{
	char buf[600];
	int fd;

	/* The jail of that name must still be the one create made. */
	if (jail_getid(s->name) != s->jid)
		return -1;
	if ((fd = jail__cgroup(s->jid, rel != NULL ? rel : buf,
	    rel != NULL ? len : sizeof(buf))) < 0)
		oci_debug("container %s: cgroup: %s", s->id, jail_errmsg);
	return fd;
}

/* cgroup.events says "frozen 1" (ON) or "frozen 0". */
static int
events_frozen(int ev, int on)
{
	char buf[256], *p;
	ssize_t n = pread(ev, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return (p = strstr(buf, "frozen ")) != NULL && p[7] == (on ? '1' : '0');
}

int
oci_freeze(int cg, int on)
{
	struct timespec t0, t;
	int fd, ev, ok = 0;

	if ((fd = openat(cg, "cgroup.freeze", O_WRONLY | O_CLOEXEC)) < 0)
		return -1;
	if (write(fd, on ? "1" : "0", 1) != 1) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	close(fd);
	if ((ev = openat(cg, "cgroup.events", O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	/*
	 * Freezing is asynchronous: cgroup.events changes (POLLPRI) once
	 * every task has stopped.  Ten seconds, as a task stuck in the
	 * kernel can delay it; then the freeze is undone.
	 */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		struct pollfd p = { .fd = ev, .events = POLLPRI };

		if (events_frozen(ev, on)) {
			ok = 1;
			break;
		}
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec >= 10)
			break;
		(void)poll(&p, 1, 100);
	}
	close(ev);
	if (!ok) {
		if (on && (fd = openat(cg, "cgroup.freeze", O_WRONLY |
		    O_CLOEXEC)) >= 0) {
			if (write(fd, "0", 1) != 1)
				oci_debug("thaw: %s", strerror(errno));
			close(fd);
		}
		errno = ETIMEDOUT;
		return -1;
	}
	return 0;
}

int
oci_frozen(int cg)
{
	char c = '0';
	int fd = openat(cg, "cgroup.freeze", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	if (read(fd, &c, 1) != 1)
		c = '0';
	close(fd);
	return c == '1';
}

int
oci_paused(const struct oci_state *s)
{
	int cg = oci_cgroup_jail(s, NULL, 0), on;

	if (cg < 0)
		return 0;
	on = oci_frozen(cg);
	close(cg);
	return on;
}

/* Append the pids of DIR's cgroup.procs to *V (*N of them, room for *CAP). */
static int
procs_of(int dir, pid_t **v, size_t *n, size_t *cap)
{
	FILE *f;
	long pid;
	int fd = openat(dir, "cgroup.procs", O_RDONLY | O_CLOEXEC);

	if (fd < 0 || (f = fdopen(fd, "r")) == NULL) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	while (fscanf(f, "%ld", &pid) == 1) {
		if (pid <= 0)
			continue;
		if (*n == *cap) {
			pid_t *nv = realloc(*v, (*cap + 64) * sizeof(**v));

			if (nv == NULL) {
				fclose(f);
				return -1;
			}
			*v = nv;
			*cap += 64;
		}
		(*v)[(*n)++] = (pid_t)pid;
	}
	fclose(f);
	return 0;
}

/* DIR's processes and its descendants' (cgroups a container made). */
static int
walk(int dir, pid_t **v, size_t *n, size_t *cap, int depth)
{
	DIR *d;
	struct dirent *de;
	int fd, ret = 0;

	if (procs_of(dir, v, n, cap) < 0)
		return -1;
	if (depth > 32 || (fd = dup(dir)) < 0 || (d = fdopendir(fd)) == NULL)
		return 0;
	while (ret == 0 && (de = readdir(d)) != NULL) {
		int sub;

		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		if ((sub = openat(dir, de->d_name, O_RDONLY | O_DIRECTORY |
		    O_NOFOLLOW | O_CLOEXEC)) < 0)
			continue;
		ret = walk(sub, v, n, cap, depth + 1);
		close(sub);
	}
	closedir(d);
	return ret;
}

static int
pid_cmp(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return x < y ? -1 : x > y;
}

int
oci_cgroup_pids(int cg, pid_t **pids)
{
	size_t n = 0, cap = 0;

	*pids = NULL;
	if (walk(cg, pids, &n, &cap, 0) < 0) {
		free(*pids);
		*pids = NULL;
		return -1;
	}
	if (n > 0)
		qsort(*pids, n, sizeof(**pids), pid_cmp);
	return (int)n;
}

/*
 * Whether PID is in the cgroup REL (relative to the cgroup2 mount) or
 * below it: its /proc/PID/cgroup's v2 line, read while a pidfd holds it,
 * so that the line read is that process's and the pidfd signals it.
 * The pidfd, or -1.
 */
int
oci_pidfd_in(pid_t pid, const char *rel)
{
	char path[64], line[4096];
	size_t rl = strlen(rel);
	FILE *f;
	int fd = (int)syscall(SYS_pidfd_open, pid, 0), in = 0;

	if (fd < 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
	if ((f = fopen(path, "re")) != NULL) {
		while (fgets(line, sizeof(line), f) != NULL)
			if (strncmp(line, "0::/", 4) == 0) {
				in = strncmp(line + 4, rel, rl) == 0 &&
				    (line[4 + rl] == '\n' || line[4 + rl] == '/');
				break;
			}
		fclose(f);
	}
	if (!in || syscall(SYS_pidfd_send_signal, fd, 0, NULL, 0) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * kill --all: SIG to every process of the container.  Frozen meanwhile
 * (unless it was paused already), so that none forks a child past the
 * list, and each is signalled through a pidfd taken while it was seen in
 * the cgroup.  The number signalled, or -1 with errno.
 */
int
oci_signal_all(const struct oci_state *s, int sig)
{
	char rel[600];
	pid_t *pids;
	int cg, n, was, done = 0, froze = 0;

	if ((cg = oci_cgroup_jail(s, rel, sizeof(rel))) < 0) {
		errno = ESRCH;
		return -1;
	}
	was = oci_frozen(cg);
	if (!was && oci_freeze(cg, 1) == 0)
		froze = 1;
	if ((n = oci_cgroup_pids(cg, &pids)) < 0) {
		int e = errno;

		if (froze)
			(void)oci_freeze(cg, 0);
		close(cg);
		errno = e;
		return -1;
	}
	for (int i = 0; i < n; i++) {
		int fd = oci_pidfd_in(pids[i], rel);

		if (fd < 0)
			continue;
		if (syscall(SYS_pidfd_send_signal, fd, sig, NULL, 0) == 0)
			done++;
		close(fd);
	}
	free(pids);
	if (froze)
		(void)oci_freeze(cg, 0);
	close(cg);
	return done;
}
