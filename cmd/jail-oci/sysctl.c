/*
 * linux.sysctl: kernel parameters of the container's own namespaces.
 *
 * net.* belongs to a network namespace and the IPC ones (kernel.msg*,
 * kernel.sem, kernel.shm*, fs.mqueue.*) to an IPC namespace; they are
 * written, as the container asks, in the jail's own, by a child of create
 * that joins the user, network and IPC namespaces of the container's
 * first process, as the jail's root, through the host's /proc (the
 * jail's /proc/sys is read-only): the kernel reads ids in a value
 * (net.ipv4.ping_group_range, which podman always sends) as the writer's
 * user namespace's, and lets only an IPC namespace's root write its
 * sysctls.  Any other, net.* or an IPC one when the container shares the
 * host's namespace, and net.* in a namespace joined by path (its owner's,
 * not the jail's), are refused, with runc's words where it has them.  The
 * name is resolved under /proc/sys without following a symlink or "..".
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <jansson.h>

#include "internal.h"
#include "oci.h"

/* Is NAME one of IPC namespace's? */
static int
ipc_sysctl(const char *name)
{
	return strncmp(name, "kernel.msg", 10) == 0 ||
	    strcmp(name, "kernel.sem") == 0 ||
	    strncmp(name, "kernel.shm", 10) == 0 ||
	    strncmp(name, "fs.mqueue.", 10) == 0;
}

/* NAME as a path under /proc/sys: dots to slashes, plain components only. */
static int
sysctl_path(const char *name, char *out, size_t len)
{
	size_t i;

	if (strlen(name) >= len || name[0] == '.' || strstr(name, "..") != NULL)
		return -1;
	for (i = 0; name[i] != '\0'; i++) {
		char ch = name[i];

		if (ch == '.')
			ch = '/';
		else if (ch != '/' && ch != '_' && ch != '-' && ch != '+' &&
		    !(ch >= 'a' && ch <= 'z') && !(ch >= 'A' && ch <= 'Z') &&
		    !(ch >= '0' && ch <= '9'))
			return -1;
		out[i] = ch;
	}
	out[i] = '\0';
	return i > 0 && out[i - 1] != '/' ? 0 : -1;
}

/* In the child, as the jail's root: write each one; 0, or -1 after a message. */
static int
write_all(json_t *sc)
{
	const char *name;
	json_t *v;
	int sys = open("/proc/sys", O_PATH | O_DIRECTORY | O_CLOEXEC);

	json_object_foreach(sc, name, v) {
		char path[256];
		const char *val = json_string_value(v);
		int t, fd;
		ssize_t n;

		if (sysctl_path(name, path, sizeof(path)) < 0 || sys < 0)
			return -1;
		t = jfd_open_in(sys, path, 0);
		if (t < 0) {
			fprintf(stderr, "jail-oci: sysctl %s: %s\n", name,
			    strerror(errno));
			return -1;
		}
		snprintf(path, sizeof(path), "/proc/self/fd/%d", t);
		fd = open(path, O_WRONLY | O_CLOEXEC);
		close(t);
		n = fd < 0 ? -1 : write(fd, val, strlen(val));
		if (n != (ssize_t)strlen(val)) {
			fprintf(stderr, "jail-oci: sysctl %s=%s: %s\n", name,
			    val, strerror(errno));
			return -1;
		}
		close(fd);
	}
	return 0;
}

int
oci_sysctl(const struct oci_bundle *b, pid_t pid)
{
	json_t *sc = json_object_get(json_object_get(b->config, "linux"),
	    "sysctl"), *v;
	const char *name;
	int net = oci_has_ns(b, "network"), ipc = oci_has_ns(b, "ipc");
	int joined = net > 1;
	int pfd, st;
	pid_t c;

	if (sc == NULL || json_object_size(sc) == 0)
		return 0;
	if (!json_is_object(sc)) {
		oci_err("config.json: linux.sysctl: not an object");
		return -1;
	}
	json_object_foreach(sc, name, v) {
		char path[256];

		if (!json_is_string(v)) {
			oci_err("config.json: linux.sysctl %s: not a string",
			    name);
			return -1;
		}
		if (strncmp(name, "net.", 4) == 0) {
			if (!net) {
				oci_err("sysctl \"%s\" not allowed in host "
				    "network namespace", name);
				return -1;
			}
			if (joined) {
				oci_err("sysctl \"%s\": not supported in a "
				    "network namespace joined by path: it is "
				    "its owner's to set", name);
				return -1;
			}
		} else if (!ipc_sysctl(name) || !ipc) {
			oci_err("sysctl \"%s\" is not in a separate kernel "
			    "namespace", name);
			return -1;
		}
		if (sysctl_path(name, path, sizeof(path)) < 0) {
			oci_err("sysctl \"%s\": not a valid name", name);
			return -1;
		}
	}
	if ((pfd = (int)syscall(SYS_pidfd_open, pid, 0)) < 0) {
		oci_err("sysctl: pidfd_open: %s", strerror(errno));
		return -1;
	}
	fflush(NULL);
	if ((c = fork()) == 0) {
		int ns = CLONE_NEWUSER | (net ? CLONE_NEWNET : 0) |
		    (ipc ? CLONE_NEWIPC : 0);

		/* Not dumpable: nothing of the jail may trace us (jspawn.c). */
		if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0 || setns(pfd, ns) < 0 ||
		    setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0 ||
		    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
			fprintf(stderr, "jail-oci: sysctl: setns: %s\n",
			    strerror(errno));
			_exit(1);
		}
		_exit(write_all(sc) < 0);
	}
	close(pfd);
	if (c < 0) {
		oci_err("sysctl: fork: %s", strerror(errno));
		return -1;
	}
	while (waitpid(c, &st, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		oci_err("linux.sysctl: not applied");
		return -1;
	}
	return 0;
}
