/*
 * Private uid ranges: each jail's ids 0-65535 map to a block of 65536 host
 * ids of its own.  See DESIGN.md §4.
 *
 * Blocks are 65536-aligned, so two ranges either are the same block or do
 * not overlap, whatever pool each was taken from.  A block is held by a
 * file "<dir>/<first host id>" on which the jail's prison keeps an
 * exclusive flock for the jail's whole life, as registry records are held;
 * the file names the jail's cgroup, so that whoever finds a block whose
 * holder died first kills what may still run with those ids.  The
 * directory is host-wide (not per registry): ids are a host resource.
 *
 * The pool is the "jail" entry of /etc/subuid (START:COUNT, as for
 * LXC's and podman's root), used for gids too; without one, DEFAULT_POOL.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>

#include "internal.h"

#define	IDMAP_DIR		"/run/jail-idmap"
#define	SUBUID_FILE		"/etc/subuid"
/* 4096 jails in the upper part of systemd's container range. */
#define	DEFAULT_POOL_START	1610612736UL	/* 0x60000000 */
#define	DEFAULT_POOL_COUNT	268435456UL	/* 0x10000000 */
/* The highest id a block may reach: (uid_t)-1 and -2 are never ids. */
#define	ID_LIMIT		4294901760UL	/* 0xffff0000 */

/*
 * Parse "START:COUNT" (decimal) into a pool, checking what keeps jails
 * apart from the host: whole aligned blocks, none below 65536 (the host's
 * own users and root), none reaching the invalid ids at the top.
 */
int
jidmap_parse_pool(const char *s, struct jidmap_pool *p, char *err,
    size_t errlen)
{
	unsigned long long start, count;
	char *end;

	/* strtoull would take leading blanks and signs: digits only. */
	errno = 0;
	if (*s < '0' || *s > '9')
		goto bad;
	start = strtoull(s, &end, 10);
	if (errno != 0 || *end != ':')
		goto bad;
	s = end + 1;
	if (*s < '0' || *s > '9')
		goto bad;
	count = strtoull(s, &end, 10);
	if (errno != 0 || (*end != '\0' && *end != '\n'))
		goto bad;
	if (start % JIDMAP_BLOCK != 0 || count % JIDMAP_BLOCK != 0 ||
	    start < JIDMAP_BLOCK || count == 0 || start > ID_LIMIT ||
	    count > ID_LIMIT - start)
		return jerr(err, errlen, EINVAL, "uid pool %llu:%llu: the start "
		    "and the count must be multiples of 65536, the start at "
		    "least 65536, the end at most %lu", start, count, ID_LIMIT);
	p->start = (uint32_t)start;
	p->count = (uint32_t)count;
	return 0;
bad:
	return jerr(err, errlen, EINVAL, "uid pool \"%.40s\": expected "
	    "START:COUNT", s);
}

int
jidmap_pool(const char *override, struct jidmap_pool *p, char *err,
    size_t errlen)
{
	char line[256];
	FILE *f;
	int rc = 1;

	if (override != NULL)
		return jidmap_parse_pool(override, p, err, errlen);
	p->start = DEFAULT_POOL_START;
	p->count = DEFAULT_POOL_COUNT;
	if ((f = fopen(SUBUID_FILE, "re")) == NULL)
		return 0;
	while (rc > 0 && fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "jail:", 5) == 0)
			rc = jidmap_parse_pool(line + 5, p, err, errlen);
	fclose(f);
	if (rc < 0)
		return jerr(err, errlen, EINVAL, "%s: %s", SUBUID_FILE, err);
	return 0;
}

static int
idmap_dir(char *err, size_t errlen)
{
	struct stat sb;
	int fd;

	if (mkdir(IDMAP_DIR, 0700) < 0 && errno != EEXIST)
		return jerr(err, errlen, errno, "%s: %s", IDMAP_DIR,
		    strerror(errno));
	fd = open(IDMAP_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return jerr(err, errlen, errno, "%s: %s", IDMAP_DIR,
		    strerror(errno));
	/* Whoever can write here can hand two jails one range. */
	if (fstat(fd, &sb) < 0 || sb.st_uid != 0 || (sb.st_mode & 077) != 0) {
		close(fd);
		return jerr(err, errlen, EPERM, "%s must be owned by root and "
		    "private to it", IDMAP_DIR);
	}
	return fd;
}

/* Kill what a dead holder may have left running with the block's ids. */
static void
reap_stale(int fd)
{
	char buf[1024], *p, *nl;
	ssize_t n;

	n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return;
	buf[n] = '\0';
	if ((p = strstr(buf, "cgroup=")) == NULL)
		return;
	p += 7;
	if ((nl = strchr(p, '\n')) != NULL)
		*nl = '\0';
	if (p[0] == '/' && strstr(p, "/../") == NULL)
		jcg_destroy(p);
}

/* Whether the name still leads to the file FD (a holder unlinks it first). */
static int
still_linked(int dirfd, const char *name, int fd)
{
	struct stat a, b;

	return fstat(fd, &a) == 0 && fstatat(dirfd, name, &b,
	    AT_SYMLINK_NOFOLLOW) == 0 && a.st_ino == b.st_ino &&
	    a.st_dev == b.st_dev && a.st_nlink > 0;
}

/*
 * Empty a record left by a dead holder.  A new file is left alone: on
 * ext4, truncating a file to 0 makes its close write it back at once
 * (auto_da_alloc), a tenth of a millisecond of every jail's creation
 * where /run is not a tmpfs.
 */
static int
truncate_stale(int fd)
{
	struct stat sb;

	if (fstat(fd, &sb) == 0 && sb.st_size == 0)
		return 0;
	return ftruncate(fd, 0);
}

/*
 * Take block BASE if free; 1 taken (*fdp holds it), 0 busy, -1 error.
 * The flock decides: a file whose lock can be taken belongs to nobody
 * alive.  A holder unlinks the file before it lets go, so a lock won on
 * an unlinked file is worthless: check that the name still leads to it.
 */
static int
try_block(int dirfd, uint32_t base, const char *record, int *fdp)
{
	char name[16];
	int fd;

	snprintf(name, sizeof(name), "%u", base);
	for (;;) {
		fd = openat(dirfd, name, O_RDWR | O_CREAT | O_NOFOLLOW |
		    O_CLOEXEC, 0600);
		if (fd < 0)
			return -1;
		if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
			close(fd);
			return errno == EWOULDBLOCK ? 0 : -1;
		}
		if (still_linked(dirfd, name, fd))
			break;
		close(fd);	/* lost to a release: the name is new */
	}
	reap_stale(fd);
	if (truncate_stale(fd) < 0 || pwrite(fd, record, strlen(record), 0) !=
	    (ssize_t)strlen(record)) {
		unlinkat(dirfd, name, 0);
		close(fd);
		return -1;
	}
	*fdp = fd;
	return 1;
}

/*
 * Where the last search past a taken slot ended: a hint only (the locks
 * decide), so read and written without a lock.
 */
#define	CURSOR	".cursor"

static uint32_t
cursor_read(int dirfd)
{
	uint32_t v = 0;
	int fd;

	fd = openat(dirfd, CURSOR, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0) {
		if (pread(fd, &v, sizeof(v), 0) != sizeof(v))
			v = 0;
		close(fd);
	}
	return v;
}

static void
cursor_write(int dirfd, uint32_t v)
{
	int fd;

	fd = openat(dirfd, CURSOR, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd >= 0) {
		(void)!pwrite(fd, &v, sizeof(v), 0);
		close(fd);
	}
}

int
jidmap_alloc(const struct jidmap_pool *p, uint32_t want, unsigned hint,
    const char *record, uint32_t *base, int *fdp, char *err, size_t errlen)
{
	uint32_t nblocks = p->count / JIDMAP_BLOCK, b;
	int dirfd, rc = 0;

	if ((dirfd = idmap_dir(err, errlen)) < 0)
		return -1;
	if (want != 0) {
		if (want % JIDMAP_BLOCK != 0 || want < JIDMAP_BLOCK ||
		    want > ID_LIMIT - JIDMAP_BLOCK) {
			close(dirfd);
			return jerr(err, errlen, EINVAL, "idmap.base %u: must be "
			    "a multiple of 65536 from 65536 to %lu", want,
			    ID_LIMIT - JIDMAP_BLOCK);
		}
		rc = try_block(dirfd, want, record, fdp);
		if (rc == 0)
			jerr(err, errlen, EEXIST, "idmap.base %u is in use by "
			    "another jail", want);
		b = want;
	} else {
		/*
		 * The jail's own slot first: one try in the common case.  If
		 * it is taken (jails of other registries share the pool), on
		 * from where the last such search ended, not through every
		 * slot taken before it.
		 */
		uint32_t from = hint % nblocks, i;

		b = p->start + from * JIDMAP_BLOCK;
		rc = try_block(dirfd, b, record, fdp);
		if (rc == 0)
			from = cursor_read(dirfd) % nblocks;
		for (i = 0; i < nblocks && rc == 0; i++) {
			b = p->start + ((from + i) % nblocks) * JIDMAP_BLOCK;
			rc = try_block(dirfd, b, record, fdp);
		}
		if (i > 0 && rc > 0)
			cursor_write(dirfd, (from + i) % nblocks);
		if (rc == 0)
			jerr(err, errlen, EAGAIN, "no free uid range in the pool "
			    "%u:%u (see jail(8), idmap)", p->start, p->count);
	}
	if (rc < 0)
		jerr(err, errlen, errno, "%s: %s", IDMAP_DIR, strerror(errno));
	close(dirfd);
	if (rc <= 0)
		return -1;
	*base = b;
	return 0;
}

void
jidmap_release(uint32_t base, int fd)
{
	char name[16];
	int dirfd;

	if (fd < 0)
		return;
	snprintf(name, sizeof(name), "%u", base);
	dirfd = open(IDMAP_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dirfd >= 0) {
		unlinkat(dirfd, name, 0);
		close(dirfd);
	}
	close(fd);
}

/*
 * Free block NAME if nobody holds it and, with MATCH, its record holds
 * both MATCH strings: kill what may still run with its ids, remove it.
 */
static void
reclaim(int dirfd, const char *name, const char *const *match)
{
	char buf[2048];
	ssize_t n;
	int fd;

	if ((fd = openat(dirfd, name, O_RDWR | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0 || !still_linked(dirfd, name, fd))
		goto out;
	if (match != NULL) {
		if ((n = pread(fd, buf, sizeof(buf) - 1, 0)) <= 0)
			goto out;
		buf[n] = '\0';
		if (strstr(buf, match[0]) == NULL || strstr(buf, match[1]) == NULL)
			goto out;
	}
	reap_stale(fd);
	unlinkat(dirfd, name, 0);
out:
	close(fd);
}

void
jidmap_release_dead(uint32_t base)
{
	char name[16];
	int dirfd;

	if (base == 0 || (dirfd = idmap_dir(NULL, 0)) < 0)
		return;
	snprintf(name, sizeof(name), "%u", base);
	reclaim(dirfd, name, NULL);
	close(dirfd);
}

/*
 * A prison killed between taking its range and recording it in its
 * registry entry leaves a range that only its own record file names:
 * find it by the prison's pid and registry, and free it.
 */
void
jidmap_release_orphan(const char *registry, int prison)
{
	char want[2][1100];
	const char *const match[] = { want[0], want[1] };
	struct dirent *de;
	DIR *d;
	int dirfd;

	if ((dirfd = idmap_dir(NULL, 0)) < 0)
		return;
	if ((d = fdopendir(dirfd)) == NULL) {
		close(dirfd);
		return;
	}
	snprintf(want[0], sizeof(want[0]), "\nprison=%d\n", prison);
	snprintf(want[1], sizeof(want[1]), "\nregistry=%s\n", registry);
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] >= '1' && de->d_name[0] <= '9')
			reclaim(dirfd, de->d_name, match);
	closedir(d);
}
