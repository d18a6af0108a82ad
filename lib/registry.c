/*
 * The registry of live jails: a root-owned directory (default /run/jail)
 * holding, per jail, a record file "<jid>" on which the jail's prison holds
 * an exclusive flock for its whole life, and its control socket
 * "<jid>.sock".  A record whose lock can be taken belongs to a dead prison.
 * ".lock" serialises jid allocation and name checks and stores the last
 * jid handed out, so allocation follows FreeBSD's "next after the last".
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>

#include "internal.h"
#include "sys/jail.h"

const char *
jreg_path(void)
{
	const char *p = secure_getenv("JAIL_REGISTRY");

	return p != NULL && p[0] == '/' ? p : JAIL_REGISTRY_DEFAULT;
}

int
jreg_open(int create)
{
	const char *path = jreg_path();
	struct stat sb;
	int fd;

	if (create && mkdir(path, 0755) < 0 && errno != EEXIST)
		return -1;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	/* Only root may write here, or anyone could forge jails. */
	if (fstat(fd, &sb) < 0 || sb.st_uid != 0 ||
	    (sb.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
		close(fd);
		errno = EPERM;
		return -1;
	}
	return fd;
}

int
jreg_lock(int dirfd)
{
	int fd;

	fd = openat(dirfd, ".lock", O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd < 0)
		return -1;
	while (flock(fd, LOCK_EX) < 0) {
		if (errno != EINTR) {
			close(fd);
			return -1;
		}
	}
	return fd;
}

void
jreg_unlock(int lockfd)
{
	if (lockfd >= 0)
		close(lockfd);
}

int
jreg_lastjid(int lockfd)
{
	int jid = 0;

	if (pread(lockfd, &jid, sizeof(jid), 0) != sizeof(jid) || jid < 0 ||
	    jid > JAIL_MAX)
		jid = 0;
	return jid;
}

void
jreg_set_lastjid(int lockfd, int jid)
{
	(void)!pwrite(lockfd, &jid, sizeof(jid), 0);
}

void
jreg_sockname(int jid, char *buf, size_t len)
{
	snprintf(buf, len, "%d.sock", jid);
}

int
jreg_jid_of(const char *s)
{
	int n = 0;

	if (*s == '0' || *s == '\0')
		return 0;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9' || n > JAIL_MAX / 10)
			return 0;
		n = n * 10 + (*s - '0');
	}
	return n <= JAIL_MAX ? n : 0;
}

/*
 * Read a record.  Fields are only ever appended, and a prison started by
 * an older libjail wrote a shorter record: what it lacks reads as 0.
 */
static int
pread_record(int fd, struct jrec *r)
{
	ssize_t n;

	memset(r, 0, sizeof(*r));
	n = pread(fd, r, sizeof(*r), 0);
	return n >= (ssize_t)offsetof(struct jrec, idmap_base) &&
	    r->magic == JREC_MAGIC ? 0 : -1;
}

/*
 * Open and read the record FILE: its descriptor if its jail is alive (its
 * prison holds it), else -1.  *OUT is filled when a record was read; *DEAD
 * tells a record whose holder is gone (one still being written by its
 * prison is unreadable, but held).
 */
static int
open_record(int dirfd, const char *file, struct jrec *out, int *dead)
{
	int fd, readable, held;

	*dead = 0;
	fd = openat(dirfd, file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	readable = pread_record(fd, out) == 0;
	if (readable) {
		out->name[sizeof(out->name) - 1] = '\0';
		out->cgroup[sizeof(out->cgroup) - 1] = '\0';
	}
	held = jreg_held(fd);
	*dead = !held;
	if (readable && held)
		return fd;
	close(fd);
	return -1;
}

int
jreg_open_read(int dirfd, int jid, struct jrec *out, int *dead)
{
	char file[16];
	int fd;

	snprintf(file, sizeof(file), "%d", jid);
	fd = open_record(dirfd, file, out, dead);
	if (fd >= 0 && out->jid != jid) {
		close(fd);
		return -1;
	}
	return fd;
}

int
jreg_read(int dirfd, int jid, struct jrec *out)
{
	int dead;

	return jreg_read_dead(dirfd, jid, out, &dead);
}

int
jreg_read_dead(int dirfd, int jid, struct jrec *out, int *dead)
{
	int fd = jreg_open_read(dirfd, jid, out, dead);

	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

int
jreg_held(int recfd)
{
	if (flock(recfd, LOCK_SH | LOCK_NB) == 0) {
		flock(recfd, LOCK_UN);
		return 0;
	}
	return errno == EWOULDBLOCK;
}

ssize_t
jreg_read_params(int recfd, struct jrec *r, int have, void *buf, size_t size)
{
	for (int tries = 0; tries < 16; tries++) {
		uint32_t seq;
		ssize_t n;

		if ((tries > 0 || !have) && pread_record(recfd, r) < 0)
			return -1;
		if (r->params_len == 0 || r->params_len > size)
			return -1;
		if (r->seq & 1) {
			sched_yield();	/* being rewritten */
			continue;
		}
		n = pread(recfd, buf, r->params_len, JREC_PARAMS_OFF);
		if (pread(recfd, &seq, sizeof(seq),
		    offsetof(struct jrec, seq)) == sizeof(seq) &&
		    seq == r->seq && n == (ssize_t)r->params_len)
			return n;
	}
	return -1;
}

int
jreg_open_record(int dirfd, int jid)
{
	char file[16];
	int own = -1, fd, e;

	if (dirfd < 0 && (dirfd = own = jreg_open(0)) < 0)
		return -1;
	snprintf(file, sizeof(file), "%d", jid);
	fd = openat(dirfd, file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	e = errno;
	if (own >= 0)
		close(own);
	errno = e;
	return fd;
}

/*
 * Whether the prison still holds its record.  A prison that was just
 * killed lets go of the lock when its files are closed on the way out,
 * perhaps a moment after the connection that told us: wait that moment
 * (bounded) before taking a held lock for a live prison.
 */
static int
record_held(int recfd)
{
	for (int i = 0; i < 20; i++) {
		struct pollfd p = { .fd = -1 };

		if (!jreg_held(recfd))
			return 0;
		poll(&p, 0, 5);
	}
	return 1;
}

enum jreg_fate
jreg_fate(int recfd)
{
	struct jrec r;
	int held;

	if (recfd < 0)
		return JREG_GONE;
	/* The lock first: the state a prison leaves behind is its last. */
	held = record_held(recfd);
	if (pread_record(recfd, &r) < 0)
		return JREG_GONE;
	if (r.state == JREC_DYING)
		return r.prison_died ? JREG_PRISON_DIED : JREG_DYING;
	return held ? JREG_ALIVE : JREG_PRISON_DIED;
}

int
jreg_walk(int dirfd, int (*fn)(const struct jrec *, void *), void *arg)
{
	struct dirent *de;
	struct jrec r;
	int fd, rfd, dead, anydead = 0;
	DIR *d;

	fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || (d = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	while ((de = readdir(d)) != NULL) {
		if (jreg_jid_of(de->d_name) == 0)
			continue;
		if ((rfd = open_record(dirfd, de->d_name, &r, &dead)) >= 0) {
			close(rfd);
			if (fn != NULL && fn(&r, arg))
				break;
		} else if (dead)
			anydead = 1;
	}
	closedir(d);
	return anydead;
}

/* Read "populated N" from a cgroup's cgroup.events. */
static int
cg_populated(int cgfd)
{
	char buf[256], *p;
	int fd;
	ssize_t n;

	fd = openat(cgfd, "cgroup.events", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strstr(buf, "populated ");
	return p != NULL && p[10] == '1';
}

int
jcg_destroy(const char *path)
{
	static const char *const sub[] = { "jail", "init" };
	int fd, kfd;

	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	kfd = openat(fd, "cgroup.kill", O_WRONLY | O_CLOEXEC);
	if (kfd >= 0) {
		(void)!write(kfd, "1", 1);
		close(kfd);
	}
	/* cgroup.kill is asynchronous: wait (bounded) for the tree to empty. */
	for (int i = 0; i < 2000 && cg_populated(fd); i++) {
		struct pollfd p = { .fd = -1 };

		poll(&p, 0, 1);
	}
	/*
	 * An emptied cgroup can still refuse removal (EBUSY) for a moment
	 * while its last tasks finish exiting: retry, bounded.
	 */
	for (int i = 0; i < 1000; i++) {
		struct pollfd p = { .fd = -1 };

		for (size_t k = 0; k < sizeof(sub) / sizeof(sub[0]); k++)
			unlinkat(fd, sub[k], AT_REMOVEDIR);
		if (rmdir(path) == 0 || errno == ENOENT) {
			close(fd);
			return 0;
		}
		poll(&p, 0, 1);
	}
	close(fd);
	return -1;
}

void
jreg_cleanup_dead(int dirfd, const struct jrec *r)
{
	char file[16], sock[24];

	if (r->cgroup[0] == '/')
		jcg_destroy(r->cgroup);
	/* Only once nothing runs with its ids may a range be reused. */
	if (r->idmap_base != 0)
		jidmap_release_dead(r->idmap_base);
	else if (r->pid > 0)
		jidmap_release_orphan(jreg_path(), r->pid);
	jreg_sockname(r->jid, sock, sizeof(sock));
	snprintf(file, sizeof(file), "%d", r->jid);
	unlinkat(dirfd, sock, 0);
	jreg_name_del(dirfd, r->name, r->jid);
	if (unlinkat(dirfd, file, 0) == 0)
		jreg_changed(dirfd);
}

void
jreg_sweep(int dirfd)
{
	int lock;

	if ((lock = jreg_lock(dirfd)) < 0)
		return;
	jreg_sweep_locked(dirfd);
	jreg_unlock(lock);
}

void
jreg_sweep_locked(int dirfd)
{
	struct dirent *de;
	struct jrec r;
	int fd, rfd, dead;
	DIR *d;

	fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0 && (d = fdopendir(fd)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (jreg_jid_of(de->d_name) == 0)
				continue;
			memset(&r, 0, sizeof(r));
			rfd = open_record(dirfd, de->d_name, &r, &dead);
			if (rfd >= 0) {
				close(rfd);
				continue;
			}
			if (!dead)
				continue;
			r.jid = jreg_jid_of(de->d_name);
			jreg_cleanup_dead(dirfd, &r);
		}
		closedir(d);
	} else if (fd >= 0)
		close(fd);
}
