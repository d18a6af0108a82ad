/*
 * The registry's two indexes, so that finding a jail costs the same with
 * a thousand jails as with ten (registry.c has the records themselves).
 *
 * - Names: ".names/<hash of the name>/<jid>", an empty file per record
 *   that has that name (a dying jail's name is free, so a name can have
 *   two records; a hash can have several names).  A look-up reads the
 *   few records of one bucket instead of every record.  The index is
 *   authoritative once ".names" exists: entries are added and removed
 *   under the registry lock, with the record file itself.  A registry
 *   made before the index gets it, whole, from the first prison that
 *   takes the lock (built aside, then renamed into place), and until
 *   then names are looked up record by record.
 *
 * - Order: listing jails by jid (jail_get's lastjid) needs the jids in
 *   order.  ".gen" counts the changes to the set of records (a record
 *   made or removed; bumped under the lock after the change), and each
 *   process keeps the sorted jids it last read with the count it read
 *   before reading them.  The same count later means no record was made
 *   or removed since, so the list is still the directory's; a record
 *   made since was bumped for, and a jail is listed only once its
 *   record says it is alive, long after.  What the list says of a jail
 *   is never used: its record is read afresh.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "internal.h"
#include "sys/jail.h"

#define	NAMES		".names"
#define	NAMES_NEW	".names.new"
#define	GEN		".gen"

/* ---- the change count ---- */

/*
 * The count is the size of ".gen" (a sparse file: nothing is stored), so
 * that one fstatat reads it, and the file's identity says which registry
 * it counts.
 */
static int
gen_read(int dirfd, struct stat *sb)
{
	if (fstatat(dirfd, GEN, sb, AT_SYMLINK_NOFOLLOW) < 0 ||
	    !S_ISREG(sb->st_mode) || sb->st_size <= 0)
		return -1;
	return 0;
}

void
jreg_changed(int dirfd)
{
	struct stat sb;
	int fd;

	fd = openat(dirfd, GEN, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
	    0644);
	if (fd < 0)
		return;
	if (fstat(fd, &sb) == 0)
		(void)!ftruncate(fd, sb.st_size + 1);
	close(fd);
}

/* ---- names ---- */

/*
 * "TOP/<hash of NAME>", NAME's bucket; its length.  FNV-1a: a spread of
 * names over buckets, not a security boundary.
 */
static size_t
bucket_path(const char *top, const char *name, char *buf, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		h ^= *p;
		h *= 0x100000001b3ULL;
	}
	snprintf(buf, len, "%s/%016llx", top, (unsigned long long)h);
	return strlen(buf);
}

static int
entry_add(int dirfd, const char *top, const char *name, int jid)
{
	char path[64];
	size_t n = bucket_path(top, name, path, sizeof(path));
	int fd;

	if (mkdirat(dirfd, path, 0755) < 0 && errno != EEXIST)
		return -1;
	snprintf(path + n, sizeof(path) - n, "/%d", jid);
	fd = openat(dirfd, path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
	    0644);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

void
jreg_name_add(int dirfd, const char *name, int jid)
{
	if (name[0] != '\0')
		(void)entry_add(dirfd, NAMES, name, jid);
}

void
jreg_name_del(int dirfd, const char *name, int jid)
{
	char path[64];
	size_t n;

	if (name[0] == '\0')
		return;
	n = bucket_path(NAMES, name, path, sizeof(path));
	snprintf(path + n, sizeof(path) - n, "/%d", jid);
	unlinkat(dirfd, path, 0);
	path[n] = '\0';
	unlinkat(dirfd, path, AT_REMOVEDIR);	/* if it was the last */
}

static void
remove_tree(int dirfd, const char *top)
{
	struct dirent *de;
	DIR *d;
	int fd, sub;

	fd = openat(dirfd, top, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || (d = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		struct dirent *e;
		DIR *sd;

		if (de->d_name[0] == '.')
			continue;
		sub = openat(fd, de->d_name, O_RDONLY | O_DIRECTORY |
		    O_NOFOLLOW | O_CLOEXEC);
		if (sub >= 0 && (sd = fdopendir(sub)) != NULL) {
			while ((e = readdir(sd)) != NULL)
				if (e->d_name[0] != '.')
					unlinkat(sub, e->d_name, 0);
			closedir(sd);
		} else if (sub >= 0)
			close(sub);
		unlinkat(fd, de->d_name, AT_REMOVEDIR);
	}
	closedir(d);
	unlinkat(dirfd, top, AT_REMOVEDIR);
}

struct build_arg {
	int	dirfd;
	int	failed;
};

static int
index_one(const struct jrec *r, void *arg)
{
	struct build_arg *a = arg;

	if (entry_add(a->dirfd, NAMES_NEW, r->name, r->jid) < 0)
		a->failed = 1;
	return a->failed;
}

int
jreg_names_ready(int dirfd)
{
	struct build_arg a = { dirfd, 0 };

	if (faccessat(dirfd, NAMES, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
		return 0;
	/* A half-built one was left by a prison that died building it. */
	remove_tree(dirfd, NAMES_NEW);
	if (mkdirat(dirfd, NAMES_NEW, 0755) < 0)
		return -1;
	jreg_walk(dirfd, index_one, &a);
	if (a.failed || renameat(dirfd, NAMES_NEW, dirfd, NAMES) < 0) {
		remove_tree(dirfd, NAMES_NEW);
		return -1;
	}
	return 0;
}

struct name_arg {
	const char	*name;
	struct jrec	*out;
	int		 found;
};

/* A live jail (or one being created) beats a dying one of the same name. */
static int
name_one(const struct jrec *r, void *arg)
{
	struct name_arg *a = arg;

	if (strcmp(r->name, a->name) != 0 || (a->found && r->state == JREC_DYING))
		return 0;
	*a->out = *r;
	a->found = 1;
	return r->state != JREC_DYING;
}

/* The records of NAME's bucket; -1 if there is no index yet. */
static int
find_indexed(int dirfd, struct name_arg *a)
{
	char path[64];
	struct dirent *de;
	struct jrec r;
	DIR *d;
	int fd;

	(void)bucket_path(NAMES, a->name, path, sizeof(path));
	fd = openat(dirfd, path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT &&
		    faccessat(dirfd, NAMES, F_OK, AT_SYMLINK_NOFOLLOW) == 0 ?
		    0 : -1;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		int jid = atoi(de->d_name);

		/* Entries left by an old prison are checked by the record. */
		if (jid > 0 && jreg_read(dirfd, jid, &r) && name_one(&r, a))
			break;
	}
	closedir(d);
	return 0;
}

int
jreg_find_name(int dirfd, const char *name, struct jrec *out)
{
	struct name_arg a = { name, out, 0 };

	if (find_indexed(dirfd, &a) < 0)
		jreg_walk(dirfd, name_one, &a);
	return a.found;
}

/* ---- jids in order ---- */

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
		if ((jid = jreg_jid_of(de->d_name)) == 0)
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
	if (v != NULL)
		qsort(v, (size_t)n, sizeof(int), cmp_int);
	*count = n;
	return v;
}

/* This process's last reading of the directory (see the top). */
static struct {
	pthread_mutex_t	 lock;
	dev_t		 dev;		/* of .gen: which registry */
	ino_t		 ino;
	off_t		 gen;
	int		*jids;
	int		 n;
} seen = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* Index of the first jid above LAST in V[0..N), or N. */
static int
first_above(const int *v, int n, int last)
{
	int lo = 0, hi = n;

	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;

		if (v[mid] <= last)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The record of the first live jid of V above LAST, open; or -1. */
static int
scan(int dirfd, const int *v, int n, int last, int dying_too,
    struct jrec *out, int *anydead)
{
	for (int i = first_above(v, n, last); i < n; i++) {
		int dead, fd;

		if ((fd = jreg_open_read(dirfd, v[i], out, &dead)) < 0) {
			*anydead |= dead;
			continue;
		}
		if (out->state == JREC_ALIVE ||
		    (dying_too && out->state == JREC_DYING))
			return fd;
		close(fd);
	}
	return -1;
}

int
jreg_next(int dirfd, int last, int dying_too, struct jrec *out)
{
	struct stat sb;
	int n, *v, fd, anydead = 0;

	/* Another thread reading: read the directory ourselves. */
	if (gen_read(dirfd, &sb) == 0 &&
	    pthread_mutex_trylock(&seen.lock) == 0) {
		if (seen.jids == NULL || seen.gen != sb.st_size ||
		    seen.dev != sb.st_dev || seen.ino != sb.st_ino) {
			free(seen.jids);
			seen.jids = all_jids(dirfd, &seen.n);
			seen.gen = sb.st_size;
			seen.dev = sb.st_dev;
			seen.ino = sb.st_ino;
		}
		fd = scan(dirfd, seen.jids, seen.jids ? seen.n : 0, last,
		    dying_too, out, &anydead);
		pthread_mutex_unlock(&seen.lock);
	} else {
		v = all_jids(dirfd, &n);
		fd = scan(dirfd, v, v ? n : 0, last, dying_too, out, &anydead);
		free(v);
	}
	if (anydead)
		jreg_sweep(dirfd);
	return fd;
}
