/*
 * spec [--bundle dir]: a starting config.json, as runc's and crun's spec
 * write one, for a bundle whose root is "rootfs": a shell on a terminal,
 * as root, with the usual file systems mounted and the kernel's more
 * revealing files masked.  Tools and test suites (runc's bats tests) start
 * from it and edit it, so its shape follows the peers'; what jail-oci does
 * with each field is in jail-oci(8).  An existing config.json is never
 * overwritten.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "oci.h"

static json_t *
mount_entry(const char *dest, const char *type, const char *src,
    const char *opts)
{
	json_t *m = json_pack("{s:s,s:s,s:s,s:[]}", "destination", dest,
	    "type", type, "source", src, "options");
	char buf[256], *save = NULL;

	if (m == NULL)
		return NULL;
	snprintf(buf, sizeof(buf), "%s", opts);
	for (char *o = strtok_r(buf, ",", &save); o != NULL;
	    o = strtok_r(NULL, ",", &save))
		json_array_append_new(json_object_get(m, "options"),
		    json_string(o));
	return m;
}

static json_t *
strings(const char *const *v)
{
	json_t *a = json_array();

	for (; a != NULL && *v != NULL; v++)
		json_array_append_new(a, json_string(*v));
	return a;
}

static json_t *
default_config(void)
{
	static const char *const caps[] = { "CAP_AUDIT_WRITE", "CAP_KILL",
	    "CAP_NET_BIND_SERVICE", NULL };
	static const char *const masked[] = { "/proc/acpi", "/proc/asound",
	    "/proc/kcore", "/proc/keys", "/proc/latency_stats",
	    "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
	    "/proc/scsi", "/sys/firmware", NULL };
	static const char *const ro[] = { "/proc/bus", "/proc/fs",
	    "/proc/irq", "/proc/sys", "/proc/sysrq-trigger", NULL };
	json_t *c, *mounts;

	mounts = json_array();
	json_array_append_new(mounts, mount_entry("/proc", "proc", "proc",
	    ""));
	json_array_append_new(mounts, mount_entry("/dev", "tmpfs", "tmpfs",
	    "nosuid,strictatime,mode=755,size=65536k"));
	json_array_append_new(mounts, mount_entry("/dev/pts", "devpts",
	    "devpts", "nosuid,noexec,newinstance,ptmxmode=0666,mode=0620,gid=5"));
	json_array_append_new(mounts, mount_entry("/dev/shm", "tmpfs", "shm",
	    "nosuid,noexec,nodev,mode=1777,size=65536k"));
	json_array_append_new(mounts, mount_entry("/dev/mqueue", "mqueue",
	    "mqueue", "nosuid,noexec,nodev"));
	json_array_append_new(mounts, mount_entry("/sys", "sysfs", "sysfs",
	    "nosuid,noexec,nodev,ro"));
	json_array_append_new(mounts, mount_entry("/sys/fs/cgroup", "cgroup",
	    "cgroup", "nosuid,noexec,nodev,relatime,ro"));
	c = json_pack("{s:s,s:{s:b,s:{s:i,s:i},s:[s],s:[s,s],s:s,"
	    "s:{s:o,s:o,s:o},s:[{s:s,s:i,s:i}],s:b},s:{s:s,s:b},s:s,s:o,"
	    "s:{s:{s:[{s:b,s:s}]},s:[{s:s},{s:s},{s:s},{s:s},{s:s}],"
	    "s:o,s:o}}",
	    "ociVersion", OCI_SPEC_VERSION,
	    "process",
	    "terminal", 1,
	    "user", "uid", 0, "gid", 0,
	    "args", "sh",
	    "env", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:"
	    "/sbin:/bin", "TERM=xterm",
	    "cwd", "/",
	    "capabilities", "bounding", strings(caps), "effective",
	    strings(caps), "permitted", strings(caps),
	    "rlimits", "type", "RLIMIT_NOFILE", "hard", 1024, "soft", 1024,
	    "noNewPrivileges", 1,
	    "root", "path", "rootfs", "readonly", 1,
	    "hostname", "jail-oci",
	    "mounts", mounts,
	    "linux", "resources", "devices", "allow", 0, "access", "rwm",
	    "namespaces", "type", "pid", "type", "network", "type", "ipc",
	    "type", "uts", "type", "mount",
	    "maskedPaths", strings(masked), "readonlyPaths", strings(ro));
	return c;
}

int
oci_spec(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "bundle", required_argument, NULL, 'b' },
		{ "rootless", no_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	const char *bundle = ".";
	json_t *c;
	int ch, dir, fd, ret = 1;
	FILE *f;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "+b:", opts, NULL)) != -1) {
		switch (ch) {
		case 'b':
			bundle = optarg;
			break;
		case 'r':
			/* A jail is made by root; see jail-oci(8). */
			oci_err("spec: --rootless: not supported");
			return 1;
		default:
			oci_err("spec: usage: spec [--bundle dir]");
			return 2;
		}
	}
	if (argc != optind) {
		oci_err("spec: usage: spec [--bundle dir]");
		return 2;
	}
	if ((dir = open(bundle, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		oci_err("spec: bundle %s: %s", bundle, strerror(errno));
		return 1;
	}
	fd = openat(dir, "config.json", O_WRONLY | O_CREAT | O_EXCL |
	    O_NOFOLLOW | O_CLOEXEC, 0666);
	close(dir);
	if (fd < 0) {
		if (errno == EEXIST)
			oci_err("spec: %s/config.json exists: remove it first",
			    bundle);
		else
			oci_err("spec: %s/config.json: %s", bundle,
			    strerror(errno));
		return 1;
	}
	if ((c = default_config()) == NULL || (f = fdopen(fd, "w")) == NULL) {
		oci_err("spec: cannot encode");
		json_decref(c);
		close(fd);
		return 1;
	}
	if (json_dumpf(c, f, JSON_INDENT(2)) == 0 && fputc('\n', f) != EOF)
		ret = 0;
	if (fclose(f) != 0 || ret != 0) {
		oci_err("spec: %s/config.json: %s", bundle, strerror(errno));
		ret = 1;
	}
	json_decref(c);
	return ret;
}
