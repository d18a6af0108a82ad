/*
 * pause and resume: the container's processes frozen and thawed through
 * its cgroup2 directory's cgroup.freeze (cgroup.c), which state then
 * reports as "paused".  runc's rules and words: a container that is
 * created or running can be paused, only a paused one resumed.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "oci.h"

static int
freeze_cmd(int argc, char **argv, int on)
{
	struct oci_state s;
	const char *status;
	int root, dir, cg, ret = 1;

	if (argc != 2) {
		oci_err("%s: usage: %s id", argv[0], argv[0]);
		return 2;
	}
	if ((dir = oci_open_existing(argv[1], &root, &s)) < 0)
		return 1;
	status = oci_status(dir, &s);
	if (on && strcmp(status, "running") != 0 &&
	    strcmp(status, "created") != 0) {
		oci_err("container %s: container not running", s.id);
		goto out;
	}
	if (!on && strcmp(status, "paused") != 0) {
		oci_err("container %s: container not paused", s.id);
		goto out;
	}
	if ((cg = oci_cgroup_jail(&s, NULL, 0)) < 0) {
		oci_err("container %s: container not running", s.id);
		goto out;
	}
	if (oci_freeze(cg, on) < 0)
		oci_err("container %s: %s: %s", s.id, on ? "freeze" : "thaw",
		    strerror(errno));
	else
		ret = 0;
	close(cg);
out:
	oci_state_free(&s);
	close(dir);
	close(root);
	return ret;
}

int
oci_pause(int argc, char **argv)
{
	return freeze_cmd(argc, argv, 1);
}

int
oci_resume(int argc, char **argv)
{
	return freeze_cmd(argc, argv, 0);
}
