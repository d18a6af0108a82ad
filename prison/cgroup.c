/*
 * The jail's cgroup: <cgroup2>/jail/<jid>.<random>.<prison pid>, wherever
 * cgroup2 is mounted (/sys/fs/cgroup, or /sys/fs/cgroup/unified on hybrid
 * hosts).
 * Jail init is born in the top and stays there; every other process of the
 * jail is born in its child "jail", which so empties when the jail's last
 * process exits.  No process is ever moved between cgroups on these paths:
 * a write to cgroup.procs waits for an RCU grace period (milliseconds).
 * cgroup.kill on the top removes everything at once.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <linux/magic.h>

#include "internal.h"
#include "prison.h"

/*
 * The mount point of cgroup2 in our mount namespace: where systemd and
 * hybrid hosts put it, else whatever mountinfo says (reading it costs a
 * fifth of a millisecond, on every creation).
 */
static int
cgroup2_mount(char *buf, size_t len)
{
	static const char *const usual[] = {
		"/sys/fs/cgroup", "/sys/fs/cgroup/unified" };
	struct statfs sf;

	for (size_t i = 0; i < sizeof(usual) / sizeof(usual[0]); i++)
		if (statfs(usual[i], &sf) == 0 &&
		    sf.f_type == CGROUP2_SUPER_MAGIC) {
			snprintf(buf, len, "%s", usual[i]);
			return 0;
		}
	return jmountinfo_point("cgroup2", NULL, buf, len);
}

/*
 * <jid>.<random>.<prison pid>: the jid and the pid alone repeat across
 * registries and pid reuse, and whoever sweeps a dead jail kills what
 * its record names: a name must never be a live jail's.
 */
int
cgroup_name(struct prison *pr, char *err, size_t errlen)
{
	char base[256];
	uint32_t r;

	if (cgroup2_mount(base, sizeof(base)) < 0)
		return jerr(err, errlen, ENOENT, "no cgroup2 file system is mounted");
	if (getrandom(&r, sizeof(r), 0) != sizeof(r))
		return jerr(err, errlen, errno, "getrandom: %s", strerror(errno));
	snprintf(pr->cgpath, sizeof(pr->cgpath), "%s/jail/%d.%08x.%d", base,
	    pr->st.jid, r, (int)getpid());
	return 0;
}

int
cgroup_create(struct prison *pr, char *err, size_t errlen)
{
	char path[600];
	int fd;

	snprintf(path, sizeof(path), "%s", pr->cgpath);
	*strrchr(path, '/') = '\0';
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		return jerr(err, errlen, errno, "%s: %s", path, strerror(errno));
	if (mkdir(pr->cgpath, 0755) < 0)
		return jerr(err, errlen, errno, "%s: %s", pr->cgpath,
		    strerror(errno));
	pr->cgfd = open(pr->cgpath, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pr->cgfd < 0 || mkdirat(pr->cgfd, "jail", 0755) < 0)
		return jerr(err, errlen, errno, "%s: %s", pr->cgpath,
		    strerror(errno));
	fd = openat(pr->cgfd, "jail", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return jerr(err, errlen, errno, "%s/jail: %s", pr->cgpath,
		    strerror(errno));
	pr->cgjailfd = fd;
	pr->cgevfd = openat(fd, "cgroup.events", O_RDONLY | O_CLOEXEC);
	if (pr->cgevfd < 0)
		return jerr(err, errlen, errno, "cgroup.events: %s",
		    strerror(errno));
	return 0;
}

int
cgroup_populated(struct prison *pr)
{
	char buf[256], *p;
	ssize_t n;

	n = pread(pr->cgevfd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strstr(buf, "populated ");
	return p != NULL && p[10] == '1';
}

static int
pid_cmp(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * cgroup.procs of the jail's child: read whole, in one go per buffer
 * (kernfs hands it out in pieces), then parsed; a line that is not a pid
 * is not the kernel's and fails the lot.
 */
int
cgroup_procs(struct prison *pr, pid_t **pids)
{
	char *buf = NULL, *p, *end;
	size_t size = 0, len = 0, n = 0;
	pid_t *v = NULL;
	ssize_t got;
	int fd;

	*pids = NULL;
	if ((fd = openat(pr->cgjailfd, "cgroup.procs", O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	do {
		if (size - len < 4096) {
			char *nb = realloc(buf, size + 65536);

			if (nb == NULL)
				goto fail;
			buf = nb;
			size += 65536;
		}
		while ((got = read(fd, buf + len, size - len - 1)) < 0 &&
		    errno == EINTR)
			;
		if (got < 0)
			goto fail;
		len += (size_t)got;
	} while (got > 0);
	close(fd);
	fd = -1;
	buf[len] = '\0';
	for (p = buf; *p != '\0'; p++)
		n += *p == '\n';
	if ((v = calloc(n + 1, sizeof(*v))) == NULL)
		goto fail;
	n = 0;
	for (p = buf; *p != '\0'; p = end + 1) {
		long pid;

		errno = 0;
		pid = strtol(p, &end, 10);
		if (end == p || *end != '\n' || errno != 0 || pid <= 0 ||
		    pid > INT32_MAX) {
			errno = EBADMSG;
			goto fail;
		}
		v[n++] = (pid_t)pid;
	}
	free(buf);
	qsort(v, n, sizeof(*v), pid_cmp);
	*pids = v;
	return (int)n;
fail:
	{
		int e = errno;

		if (fd >= 0)
			close(fd);
		free(buf);
		free(v);
		errno = e;
	}
	return -1;
}
