/*
 * Containers' state: --root (default /run/jail-oci), root's only, holds
 * one directory per container id with state.json and, until start,
 * exec.fifo, on which the first process waits.  Everything is opened
 * relative to the root's descriptor, without following symlinks: the
 * ids come from the engine's command line, the directory must not lead
 * elsewhere.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <jansson.h>

#include "oci.h"

/* runc's rule: [A-Za-z0-9_.+-], not "." or "..", at most OCI_ID_MAX. */
int
oci_id_valid(const char *id)
{
	size_t n = strlen(id);

	if (n == 0 || n > OCI_ID_MAX || strcmp(id, ".") == 0 ||
	    strcmp(id, "..") == 0)
		return 0;
	return strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789_.+-") == n;
}

/*
 * The jail's name: "oci-" and the id, its dots (a hierarchy's separator
 * in jail names) made underscores.  Two ids that differ only there get
 * the same name, and the second create fails (the name is taken).
 */
void
oci_jail_name(const char *id, char *name, size_t len)
{
	snprintf(name, len, "oci-%s", id);
	for (char *p = name; *p != '\0'; p++)
		if (*p == '.')
			*p = '_';
}

/*
 * mkdir -p of --root, its missing parents too (0700): containerd's shim
 * passes /run/containerd/runc/<namespace>, which runc makes on first use.
 */
static int
root_mkdirs(void)
{
	char path[4096];
	size_t n = strlen(oci_root);

	if (n >= sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(path, oci_root, n + 1);
	for (char *p = path + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0700) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

/* The root's descriptor; with CREATE, made (0700) when missing. */
int
oci_root_open(int create)
{
	struct stat st;
	int fd;

	if (create && root_mkdirs() < 0) {
		oci_err("--root %s: %s", oci_root, strerror(errno));
		return -1;
	}
	if ((fd = open(oci_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		if (!create && errno == ENOENT)
			return -1;	/* the caller says what is missing */
		oci_err("--root %s: %s", oci_root, strerror(errno));
		return -1;
	}
	/* Root's alone: another user's directory could be changed under us. */
	if (fstat(fd, &st) < 0 || st.st_uid != geteuid() ||
	    (st.st_mode & 022) != 0) {
		oci_err("--root %s: not owned by us or writable by others",
		    oci_root);
		close(fd);
		return -1;
	}
	return fd;
}

int
oci_state_mkdir(int root, const char *id)
{
	int fd;

	if (mkdirat(root, id, 0700) < 0) {
		if (errno == EEXIST)
			oci_err("container with id exists: %s", id);
		else
			oci_err("%s/%s: %s", oci_root, id, strerror(errno));
		return -1;
	}
	if ((fd = openat(root, id, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) < 0)
		oci_err("%s/%s: %s", oci_root, id, strerror(errno));
	return fd;
}

int
oci_state_open(int root, const char *id)
{
	return openat(root, id, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
}

int
oci_state_write(int dir, const struct oci_state *s)
{
	json_t *o, *ann;
	char *txt;
	int fd, ok;

	ann = json_loads(s->annotations, 0, NULL);
	o = json_pack("{s:s,s:s,s:s,s:i,s:I,s:i,s:s,s:o}", "id", s->id,
	    "bundle", s->bundle, "created", s->created, "pid", (int)s->pid,
	    "starttime", (json_int_t)s->starttime, "jid", s->jid,
	    "name", s->name, "annotations", ann != NULL ? ann : json_object());
	if (o == NULL || (txt = json_dumps(o, JSON_COMPACT)) == NULL) {
		json_decref(o);
		oci_err("state: cannot encode");
		return -1;
	}
	json_decref(o);
	/* Written whole, then renamed: a reader sees the old or the new. */
	fd = openat(dir, "state.json.new", O_WRONLY | O_CREAT | O_TRUNC |
	    O_NOFOLLOW | O_CLOEXEC, 0600);
	ok = fd >= 0 && write(fd, txt, strlen(txt)) == (ssize_t)strlen(txt) &&
	    fsync(fd) == 0;
	if (fd >= 0)
		close(fd);
	free(txt);
	if (!ok || renameat(dir, "state.json.new", dir, "state.json") < 0) {
		oci_err("state.json: %s", strerror(errno));
		unlinkat(dir, "state.json.new", 0);
		return -1;
	}
	return 0;
}

int
oci_state_read(int dir, const char *id, struct oci_state *s)
{
	json_error_t e;
	json_t *o;
	const char *bundle, *created, *name;
	json_t *ann;
	json_int_t st;
	int fd, pid, jid;

	memset(s, 0, sizeof(*s));
	if ((fd = openat(dir, "state.json", O_RDONLY | O_NOFOLLOW |
	    O_CLOEXEC)) < 0) {
		oci_err("container %s: state.json: %s", id, strerror(errno));
		return -1;
	}
	o = json_loadfd(fd, 0, &e);
	close(fd);
	if (o == NULL || json_unpack(o, "{s:s,s:s,s:i,s:I,s:i,s:s,s:o}",
	    "bundle", &bundle, "created", &created, "pid", &pid,
	    "starttime", &st, "jid", &jid, "name", &name,
	    "annotations", &ann) < 0) {
		json_decref(o);
		oci_err("container %s: state.json: damaged", id);
		return -1;
	}
	snprintf(s->id, sizeof(s->id), "%s", id);
	snprintf(s->created, sizeof(s->created), "%s", created);
	snprintf(s->name, sizeof(s->name), "%s", name);
	s->bundle = strdup(bundle);
	s->annotations = json_dumps(ann, JSON_COMPACT | JSON_SORT_KEYS);
	s->pid = pid;
	s->starttime = (unsigned long long)st;
	s->jid = jid;
	json_decref(o);
	if (s->bundle == NULL || s->annotations == NULL) {
		oci_state_free(s);
		oci_err("malloc: %s", strerror(errno));
		return -1;
	}
	return 0;
}

void
oci_state_free(struct oci_state *s)
{
	free(s->bundle);
	free(s->annotations);
	s->bundle = s->annotations = NULL;
}

int
oci_state_remove(int root, const char *id)
{
	int dir = oci_state_open(root, id);

	if (dir >= 0) {
		unlinkat(dir, OCI_FIFO, 0);
		unlinkat(dir, "state.json", 0);
		unlinkat(dir, "state.json.new", 0);
		unlinkat(dir, "config.json", 0);
		close(dir);
	}
	if (unlinkat(root, id, AT_REMOVEDIR) < 0 && errno != ENOENT) {
		oci_err("%s/%s: %s", oci_root, id, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * PID's start time (field 22 of /proc/PID/stat) and its state letter in
 * *STATE; 0 when there is no such process.  The start time tells our
 * process from a later one with the same number.
 */
unsigned long long
oci_starttime(pid_t pid, char *state)
{
	char path[64], buf[1024], *p;
	unsigned long long t = 0;
	ssize_t n;
	int fd;

	*state = '?';
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (pid <= 0 || (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	/* The command name may hold anything, ')' too: after its last. */
	if ((p = strrchr(buf, ')')) == NULL || p[1] != ' ')
		return 0;
	*state = p[2];
	if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u "
	    "%*d %*d %*d %*d %*d %*d %llu", &t) != 1)
		return 0;
	return t;
}

/*
 * created while the first process waits on the fifo, running while it
 * lives after start, paused while its cgroup is frozen (pause.c),
 * stopped once it has exited (a zombie not yet reaped by the engine is
 * stopped too).
 */
const char *
oci_status(int dir, const struct oci_state *s)
{
	char st;
	struct stat sb;

	if (oci_starttime(s->pid, &st) != s->starttime || st == 'Z' ||
	    st == 'X')
		return "stopped";
	/* runc's order: a frozen container is paused, created or not. */
	if (oci_paused(s))
		return "paused";
	if (fstatat(dir, OCI_FIFO, &sb, AT_SYMLINK_NOFOLLOW) == 0)
		return "created";
	return "running";
}

int
oci_open_existing(const char *id, int *root, struct oci_state *s)
{
	int dir;

	if (!oci_id_valid(id)) {
		oci_err("container %s does not exist: invalid id", id);
		return -1;
	}
	if ((*root = oci_root_open(0)) < 0 && errno == ENOENT) {
		oci_err("container %s does not exist", id);
		errno = ENOENT;
		return -1;
	}
	if (*root < 0)
		return -1;
	if ((dir = oci_state_open(*root, id)) < 0) {
		if (errno == ENOENT) {
			oci_err("container %s does not exist", id);
			errno = ENOENT;
		} else
			oci_err("%s/%s: %s", oci_root, id, strerror(errno));
		close(*root);
		return -1;
	}
	if (oci_state_read(dir, id, s) < 0) {
		close(dir);
		close(*root);
		return -1;
	}
	return dir;
}
