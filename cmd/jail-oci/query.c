/*
 * state and features: what the runtime-spec asks a runtime to tell,
 * written as JSON on stdout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <jansson.h>

#include "oci.h"

int
oci_state_cmd(int argc, char **argv)
{
	struct oci_state s;
	json_t *o;
	const char *status;
	int root, dir, ret = 1;

	if (argc != 2) {
		oci_err("state: usage: state id");
		return 2;
	}
	if ((dir = oci_open_existing(argv[1], &root, &s)) < 0)
		return 1;
	status = oci_status(dir, &s);
	o = json_pack("{s:s,s:s,s:s,s:i,s:s,s:o,s:s}", "ociVersion",
	    OCI_SPEC_VERSION, "id", s.id, "status", status, "pid",
	    status[0] == 's' ? 0 : (int)s.pid, "bundle", s.bundle,
	    "annotations", json_loads(s.annotations, 0, NULL), "created",
	    s.created);
	if (o != NULL && json_dumpf(o, stdout, JSON_INDENT(2)) == 0) {
		putchar('\n');
		ret = 0;
	} else
		oci_err("state: cannot encode");
	json_decref(o);
	oci_state_free(&s);
	close(dir);
	close(root);
	return ret;
}

/*
 * Only what is honoured: the hooks and mount options of hooks.c and
 * mounts.c, the namespaces of namespaces.c (user, mount, pid and cgroup
 * are always the jail's own; only network can be joined by path); the
 * process's capabilities and seccomp (process.c, seccomp.c); no LSM.
 */
int
oci_features(int argc, char **argv)
{
	json_t *o = json_pack("{s:s,s:s,s:[s,s,s,s,s,s],"
	    "s:[s,s,s,s,s,s,s,s,s,s,s,s,s,s,s,s,s,s,s,s,s,s],"
	    "s:{s:[s,s,s,s,s,s,s]},s:{s:s}}",
	    "ociVersionMin", "1.0.0", "ociVersionMax", OCI_SPEC_VERSION,
	    "hooks", "prestart", "createRuntime", "createContainer",
	    "startContainer", "poststart", "poststop",
	    "mountOptions", "bind", "rbind", "ro", "rw", "nosuid", "suid",
	    "nodev", "dev", "noexec", "exec", "noatime", "relatime",
	    "strictatime", "nodiratime", "nosymfollow", "private", "rprivate",
	    "slave", "rslave", "unbindable", "runbindable", "defaults",
	    "linux", "namespaces", "network", "uts", "ipc", "pid", "mount",
	    "user", "cgroup",
	    "annotations", "org.jail.oci.slice",
	    "first: create start state kill delete");

	json_t *lx = json_object_get(o, "linux");

	json_object_set_new(lx, "capabilities", oci_caps_json());
	json_object_set_new(lx, "seccomp", oci_seccomp_features());
	json_object_set_new(lx, "apparmor", json_pack("{s:b}", "enabled", 0));
	json_object_set_new(lx, "selinux", json_pack("{s:b}", "enabled", 0));
	if (o == NULL || json_dumpf(o, stdout, JSON_INDENT(2)) < 0) {
		json_decref(o);
		oci_err("features: cannot encode");
		return 1;
	}
	putchar('\n');
	json_decref(o);
	return 0;
}
