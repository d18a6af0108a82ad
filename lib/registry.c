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

static int
valid_jid_name(const char *s)
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

/* 1: alive, 0: dead or absent; *out filled when a record was read. */
static int
read_record(int dirfd, const char *file, struct jrec *out, int *dead)
{
	int fd, alive;

	*dead = 0;
	fd = openat(dirfd, file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (pread_record(fd, out) < 0) {
		/* A record being written by its prison is still locked. */
		alive = flock(fd, LOCK_SH | LOCK_NB) < 0;
		*dead = !alive;
		close(fd);
		return 0;
	}
	out->name[sizeof(out->name) - 1] = '\0';
	out->cgroup[sizeof(out->cgroup) - 1] = '\0';
	alive = flock(fd, LOCK_SH | LOCK_NB) < 0 && errno == EWOULDBLOCK;
	*dead = !alive;
	close(fd);
	return alive;
}

int
jreg_read(int dirfd, int jid, struct jrec *out)
{
	char file[16];
	int dead;

	snprintf(file, sizeof(file), "%d", jid);
	return read_record(dirfd, file, out, &dead) && out->jid == jid;
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

		if (flock(recfd, LOCK_SH | LOCK_NB) == 0) {
			flock(recfd, LOCK_UN);
			return 0;
		}
		if (errno != EWOULDBLOCK)
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

/* Walk the records; calls FN for each live one; returns whether any was dead. */
static int
walk(int dirfd, int (*fn)(const struct jrec *, void *), void *arg)
{
	struct dirent *de;
	struct jrec r;
	int fd, dead, anydead = 0;
	DIR *d;

	fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || (d = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	while ((de = readdir(d)) != NULL) {
		if (valid_jid_name(de->d_name) == 0)
			continue;
		if (read_record(dirfd, de->d_name, &r, &dead)) {
			if (fn != NULL && fn(&r, arg))
				break;
		} else if (dead)
			anydead = 1;
	}
	closedir(d);
	return anydead;
}

static int
cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* The jids named in the registry directory (live or not), sorted. */
static int *
all_jids(int dirfd, int *count)
{
	struct dirent *de;
	int fd, n = 0, cap = 0, *v = NULL, *nv, jid;
	DIR *d;

	*count = 0;
	fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || (d = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	while ((de = readdir(d)) != NULL) {
		if ((jid = valid_jid_name(de->d_name)) == 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			if ((nv = realloc(v, sizeof(*v) * (size_t)cap)) == NULL)
				break;
			v = nv;
		}
		v[n++] = jid;
	}
	closedir(d);
	qsort(v, (size_t)n, sizeof(int), cmp_int);
	*count = n;
	return v;
}

int
jreg_next(int dirfd, int last, int dying_too, struct jrec *out)
{
	int n, *v = all_jids(dirfd, &n), found = 0, anydead = 0;

	for (int i = 0; i < n && !found; i++) {
		if (v[i] <= last)
			continue;
		if (!jreg_read(dirfd, v[i], out)) {
			anydead = 1;
			continue;
		}
		found = out->state == JREC_ALIVE ||
		    (dying_too && out->state == JREC_DYING);
	}
	free(v);
	if (anydead)
		jreg_sweep(dirfd);
	return found;
}

struct name_arg {
	const char *name;
	struct jrec *out;
	int found;
};

static int
name_one(const struct jrec *r, void *arg)
{
	struct name_arg *a = arg;

	if (strcmp(r->name, a->name) != 0 || (a->found && r->state == JREC_DYING))
		return 0;
	*a->out = *r;
	a->found = 1;
	/* A dying jail's name is free (as FreeBSD's): look on for a live one. */
	return r->state != JREC_DYING;
}

int
jreg_find_name(int dirfd, const char *name, struct jrec *out)
{
	struct name_arg a = { name, out, 0 };

	walk(dirfd, name_one, &a);
	return a.found;
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
	unlinkat(dirfd, file, 0);
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
	int fd, dead;
	DIR *d;

	fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0 && (d = fdopendir(fd)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (valid_jid_name(de->d_name) == 0)
				continue;
			memset(&r, 0, sizeof(r));
			if (read_record(dirfd, de->d_name, &r, &dead) || !dead)
				continue;
			r.jid = valid_jid_name(de->d_name);
			jreg_cleanup_dead(dirfd, &r);
		}
		closedir(d);
	} else if (fd >= 0)
		close(fd);
}
