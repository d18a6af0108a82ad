/*
 * config.json's hooks, each given the container's state as JSON on its
 * stdin, with its path, args, env and timeout:
 *
 *   prestart, createRuntime  create, once the jail and its first process
 *                            exist: on the host, in the host's mount
 *                            namespace (not create's own, mounts.c);
 *   createContainer          create, after those: in the jail;
 *   startContainer           start, before the first process is let go:
 *                            in the jail;
 *   poststart                start, after it: on the host;
 *   poststop                 delete: on the host.
 *
 * A hook without env gets the runtime's environment, as with runc and
 * crun.  A failing (non-zero, killed, timed out) create-time hook fails
 * create, which then leaves nothing; a failing startContainer fails start and
 * stops the container; poststart and poststop failures are warnings, as
 * the runtime-spec says.  In the jail a hook runs as the jail's root,
 * from /, through jail__run, like jexec: its path is the jail's, its
 * args[0] is replaced by path.  On the host it is run directly (execve
 * of path with args).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <jansson.h>

#include "jail.h"
#include "run.h"
#include "oci.h"

int oci_host_mntns = -1;

extern char **environ;

/* A failure: an error, or for poststart and poststop a warning. */
static void (*say)(const char *, ...) __attribute__((format(printf, 1, 2)));

/* The state JSON in a sealed-off memory file, at offset 0. */
static int
state_fd(const struct oci_state *s, const char *status)
{
	json_t *o;
	char *txt;
	int fd;
	size_t n;

	o = json_pack("{s:s,s:s,s:s,s:i,s:s,s:o}", "ociVersion",
	    OCI_SPEC_VERSION, "id", s->id, "status", status, "pid",
	    (int)s->pid, "bundle", s->bundle, "annotations",
	    json_loads(s->annotations != NULL ? s->annotations : "{}", 0,
	    NULL));
	txt = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	if (txt == NULL) {
		oci_err("hooks: cannot encode the state");
		return -1;
	}
	n = strlen(txt);
	fd = memfd_create("state", MFD_CLOEXEC);
	if (fd < 0 || write(fd, txt, n) != (ssize_t)n ||
	    lseek(fd, 0, SEEK_SET) < 0) {
		oci_err("hooks: state: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		fd = -1;
	}
	free(txt);
	return fd;
}

/* A JSON array of strings as a vector (DEF alone when absent); NULL: bad. */
static char **
vec(json_t *a, const char *def)
{
	char **v;
	size_t i, n = json_array_size(a);
	json_t *e;

	if (a != NULL && !json_is_array(a))
		return NULL;
	if ((v = calloc(n + 2, sizeof(*v))) == NULL)
		return NULL;
	if (a == NULL || n == 0) {
		v[0] = (char *)def;
		return v;
	}
	json_array_foreach(a, i, e) {
		if ((v[i] = (char *)json_string_value(e)) == NULL) {
			free(v);
			return NULL;
		}
	}
	return v;
}

/*
 * Wait for PID for at most TIMEOUT seconds (0: forever); then SIGTERM
 * (a jail__run child passes it on), a second's grace, SIGKILL.  The
 * wait status, or -1 when it timed out.
 */
static int
wait_for(pid_t pid, int timeout)
{
	int pfd = (int)syscall(SYS_pidfd_open, pid, 0), st = 0;
	struct pollfd p = { .fd = pfd, .events = POLLIN };

	if (pfd >= 0 && timeout > 0 && poll(&p, 1, timeout * 1000) == 0) {
		kill(pid, SIGTERM);
		if (poll(&p, 1, 1000) == 0)
			kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		close(pfd);
		return -1;
	}
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (pfd >= 0)
		close(pfd);
	return st;
}

static int
run_one(json_t *h, const struct oci_state *s, const char *point,
    int in_jail, int statefd)
{
	const char *path = json_string_value(json_object_get(h, "path"));
	json_t *t = json_object_get(h, "timeout");
	char **argv = NULL, **envp = NULL;
	/* No env: the runtime's own, as runc's and crun's hooks get. */
	int inherit = json_object_get(h, "env") == NULL;
	int timeout = 0, st;
	pid_t pid;

	if (path == NULL || *path != '/') {
		say("config.json: hooks.%s: path: not an absolute path",
		    point);
		return -1;
	}
	if (t != NULL && (!json_is_integer(t) || json_integer_value(t) <= 0 ||
	    json_integer_value(t) > 86400)) {
		say("config.json: hooks.%s %s: timeout: not a positive "
		    "number of seconds", point, path);
		return -1;
	}
	timeout = t != NULL ? (int)json_integer_value(t) : 0;
	if ((argv = vec(json_object_get(h, "args"), path)) == NULL ||
	    (envp = vec(json_object_get(h, "env"), NULL)) == NULL) {
		say("config.json: hooks.%s %s: args and env: not arrays of "
		    "strings", point, path);
		free(argv);
		return -1;
	}
	fflush(NULL);
	if ((pid = fork()) < 0) {
		say("hooks.%s %s: fork: %s", point, path, strerror(errno));
		free(argv);
		free(envp);
		return -1;
	}
	if (pid == 0) {
		if (dup2(statefd, 0) < 0)
			_exit(126);
		if (in_jail) {
			struct jail_run r = { .argv = argv,
			    .envp = inherit ? NULL : envp,
			    .dir = "/", .ids_set = 1 };

			argv[0] = (char *)path;
			if (jail__run(s->jid, &r, &st) < 0) {
				fprintf(stderr, "jail-oci: hooks.%s %s: %s\n",
				    point, path, jail_errmsg);
				_exit(127);
			}
			_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 128 +
			    WTERMSIG(st));
		}
		/* The host's mount namespace, not create's own. */
		if (oci_host_mntns >= 0 && setns(oci_host_mntns, CLONE_NEWNS) < 0)
			_exit(126);
		execve(path, argv, inherit ? environ : envp);
		fprintf(stderr, "jail-oci: hooks.%s %s: %s\n", point, path,
		    strerror(errno));
		_exit(errno == ENOENT ? 127 : 126);
	}
	free(argv);
	free(envp);
	st = wait_for(pid, timeout);
	if (st == -1) {
		say("hooks.%s %s: timed out after %d s", point, path,
		    timeout);
		return -1;
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		if (WIFEXITED(st))
			say("hooks.%s %s: exit status %d", point, path,
			    WEXITSTATUS(st));
		else
			say("hooks.%s %s: killed by signal %d", point, path,
			    WTERMSIG(st));
		return -1;
	}
	oci_debug("hooks.%s %s: done", point, path);
	return 0;
}

int
oci_hooks(void *config, const struct oci_state *s, const char *point,
    const char *status)
{
	json_t *c = config, *hooks, *list, *h;
	int in_jail = strcmp(point, "createContainer") == 0 ||
	    strcmp(point, "startContainer") == 0;
	int fd = -1, rc = 0;
	size_t i;

	say = strcmp(point, "poststart") == 0 || strcmp(point, "poststop") == 0 ?
	    oci_warn : oci_err;
	if (c == NULL) {
		char path[4096];

		snprintf(path, sizeof(path), "%s/config.json", s->bundle);
		if ((c = json_load_file(path, 0, NULL)) == NULL) {
			/* No bundle any more: no hook to run. */
			oci_debug("hooks.%s: %s unreadable", point, path);
			return 0;
		}
	} else
		json_incref(c);
	hooks = json_object_get(c, "hooks");
	list = json_object_get(hooks, point);
	if (list != NULL && !json_is_array(list)) {
		oci_err("config.json: hooks.%s: not an array", point);
		rc = -1;
	}
	json_array_foreach(list, i, h) {
		if (fd < 0 && (fd = state_fd(s, status)) < 0) {
			rc = -1;
			break;
		}
		if (lseek(fd, 0, SEEK_SET) < 0 ||
		    run_one(h, s, point, in_jail, fd) < 0) {
			rc = -1;
			break;
		}
	}
	if (fd >= 0)
		close(fd);
	json_decref(c);
	return rc;
}
