/*
 * start, kill and delete: what changes a container after create.  The
 * first process is signalled through a pidfd opened only after its start
 * time matched the state's, so a later process that took its number is
 * never hit.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "jail.h"
#include "sys/jail.h"
#include "oci.h"

static int signal_first(const struct oci_state *s, int sig);

int
oci_start(int argc, char **argv)
{
	struct oci_state s;
	int root, dir, fd, ret = 1;
	const char *status;

	if (argc != 2) {
		oci_err("start: usage: start id");
		return 2;
	}
	if ((dir = oci_open_existing(argv[1], &root, &s)) < 0)
		return 1;
	status = oci_status(dir, &s);
	if (strcmp(status, "created") != 0) {
		oci_err("cannot start a container that is %s", status);
		goto out;
	}
	/* A failing startContainer hook stops the container (hooks.c). */
	if (oci_hooks(NULL, &s, "startContainer", "created") < 0) {
		(void)signal_first(&s, SIGKILL);
		goto out;
	}
	/* No reader left (ENXIO): the process died before its start. */
	if ((fd = openat(dir, OCI_FIFO, O_WRONLY | O_NONBLOCK | O_NOFOLLOW |
	    O_CLOEXEC)) < 0) {
		oci_err("cannot start container %s: %s", s.id,
		    errno == ENXIO ? "it has stopped" : strerror(errno));
		goto out;
	}
	if (write(fd, "0", 1) != 1) {
		oci_err("cannot start container %s: %s", s.id, strerror(errno));
		close(fd);
		goto out;
	}
	close(fd);
	/* Gone, the container is running (oci_status). */
	unlinkat(dir, OCI_FIFO, 0);
	ret = 0;
	(void)oci_hooks(NULL, &s, "poststart", "running");	/* warnings */
out:
	oci_state_free(&s);
	close(dir);
	close(root);
	return ret;
}

/*
 * A signal by name (TERM, SIGTERM) or number; -1 when none.  0 is
 * kill(2)'s "is it there" and runc's tests use it.
 */
static int
signum(const char *a)
{
	char *end;
	long n;

	if (strncasecmp(a, "SIG", 3) == 0)
		a += 3;
	errno = 0;
	n = strtol(a, &end, 10);
	if (*a != '\0' && *end == '\0')
		return errno == 0 && n >= 0 && n < NSIG ? (int)n : -1;
	for (int i = 1; i < NSIG; i++) {
		const char *d = sigabbrev_np(i);

		if (d != NULL && strcasecmp(d, a) == 0)
			return i;
	}
	return -1;
}

/* Signal S's first process if it is still ours; 0, or -1 with errno. */
static int
signal_first(const struct oci_state *s, int sig)
{
	char st;
	int fd = (int)syscall(SYS_pidfd_open, s->pid, 0);
	int ret;

	if (fd < 0)
		return -1;
	if (oci_starttime(s->pid, &st) != s->starttime || st == 'Z') {
		close(fd);
		errno = ESRCH;
		return -1;
	}
	ret = (int)syscall(SYS_pidfd_send_signal, fd, sig, NULL, 0);
	close(fd);
	return ret;
}

int
oci_kill(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	struct oci_state s;
	int root, dir, ch, all = 0, sig = SIGTERM, ret = 1;
	const char *status;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "+a", opts, NULL)) != -1)
		if (ch == 'a')
			all = 1;
		else {
			oci_err("kill: usage: kill [--all] id [signal]");
			return 2;
		}
	argc -= optind - 1;
	argv += optind - 1;
	if (argc < 2 || argc > 3) {
		oci_err("kill: usage: kill [--all] id [signal]");
		return 2;
	}
	if (argc == 3 && (sig = signum(argv[2])) < 0) {
		oci_err("kill: %s: invalid signal", argv[2]);
		return 1;
	}
	if ((dir = oci_open_existing(argv[1], &root, &s)) < 0)
		return 1;
	status = oci_status(dir, &s);
	/*
	 * --all: every process of the container's cgroup, those left after
	 * the first exited too (runc's); without, the first alone.
	 */
	if (all && oci_signal_all(&s, sig) > 0)
		ret = 0;
	else if (all && strcmp(status, "stopped") == 0)
		ret = 0;	/* runc's: nothing left to signal is no error */
	else if (!all && strcmp(status, "stopped") != 0 &&
	    signal_first(&s, sig) == 0)
		ret = 0;
	else
		oci_err("container %s: container not running", s.id);
	oci_state_free(&s);
	close(dir);
	close(root);
	return ret;
}

/* The jail, if the one named so is still ours (its jid), is removed. */
static int
remove_jail(const struct oci_state *s)
{
	int jid = jail_getid(s->name);

	if (jid < 0 || jid != s->jid)
		return 0;	/* gone with its processes */
	if (jail_remove(jid) < 0 && errno != EINVAL && errno != ENOENT) {
		oci_err("jail %d: remove: %s", jid, strerror(errno));
		return -1;
	}
	return 0;
}

int
oci_delete(int argc, char **argv)
{
	struct oci_state s;
	int root, dir, ch, force = 0, ret = 1;
	const char *status;
	static const struct option opts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};

	optind = 1;
	while ((ch = getopt_long(argc, argv, "+f", opts, NULL)) != -1)
		if (ch == 'f')
			force = 1;
		else {
			oci_err("delete: usage: delete [--force] id");
			return 2;
		}
	if (argc - optind != 1) {
		oci_err("delete: usage: delete [--force] id");
		return 2;
	}
	/* runc: --force on a missing container is no error, and silent. */
	if (force && oci_id_valid(argv[optind])) {
		struct stat sb;

		if (stat(oci_root, &sb) < 0 && errno == ENOENT)
			return 0;
		if ((root = oci_root_open(0)) >= 0) {
			int gone = fstatat(root, argv[optind], &sb,
			    AT_SYMLINK_NOFOLLOW) < 0 && errno == ENOENT;

			close(root);
			if (gone)
				return 0;
		}
	}
	if ((dir = oci_open_existing(argv[optind], &root, &s)) < 0)
		return 1;
	status = oci_status(dir, &s);
	/* A created one never ran what it was made for: delete it as runc does. */
	if ((strcmp(status, "running") == 0 || strcmp(status, "paused") == 0) &&
	    !force) {
		oci_err("cannot delete container %s that is not stopped: %s",
		    s.id, status);
		goto out;
	}
	/* runc's --force: every process killed, a paused one too. */
	if (strcmp(status, "stopped") != 0) {
		(void)oci_signal_all(&s, SIGKILL);
		(void)signal_first(&s, SIGKILL);
	}
	if (strcmp(status, "paused") == 0) {
		int cg = oci_cgroup_jail(&s, NULL, 0);

		if (cg >= 0) {
			(void)oci_freeze(cg, 0);
			close(cg);
		}
	}
	if (remove_jail(&s) < 0)
		goto out;
	oci_cgroup_remove(dir);		/* the v1 ones of linux.resources */
	(void)oci_hooks(NULL, &s, "poststop", "stopped");	/* warnings */
	ret = oci_state_remove(root, s.id) < 0;
out:
	oci_state_free(&s);
	close(dir);
	close(root);
	return ret;
}
