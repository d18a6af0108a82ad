/*
 * list [--format table|json] [--quiet]: the containers under --root, as
 * runc lists them: a table (id, pid, status, bundle, created, owner), a
 * JSON array of the same with the root's path (from the bundle's
 * config.json, as it is now), or the ids alone.  Engines do not call it;
 * people and test suites (runc's bats teardown) do.  An entry that is not
 * a readable container's state is passed over, not an error: a create may
 * be making it at this moment.  Sorted by id, as runc lists them.
 */
#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <jansson.h>

#include "oci.h"

static void
owner_name(uid_t uid, char *buf, size_t len)
{
	struct passwd *pw = getpwuid(uid);

	if (pw != NULL)
		snprintf(buf, len, "%s", pw->pw_name);
	else
		snprintf(buf, len, "#%u", (unsigned)uid);
}

/* root.path of the bundle's config.json, absolute; "" if unreadable. */
static void
rootfs_of(const char *bundle, char *buf, size_t len)
{
	char path[PATH_MAX];
	json_t *c;
	const char *r = NULL;

	buf[0] = '\0';
	if ((size_t)snprintf(path, sizeof(path), "%s/config.json", bundle) >=
	    sizeof(path) || (c = json_load_file(path, 0, NULL)) == NULL)
		return;
	if (json_unpack(json_object_get(c, "root"), "{s:s}", "path", &r) ==
	    0 && r != NULL)
		snprintf(buf, len, "%s%s%s", r[0] == '/' ? "" : bundle,
		    r[0] == '/' ? "" : "/", r);
	json_decref(c);
}

static int
by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

int
oci_list(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 },
	};
	int ch, n, root, quiet = 0, json = 0;
	json_t *all = NULL;
	struct dirent **ents = NULL;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "+f:q", opts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			if (strcmp(optarg, "json") == 0)
				json = 1;
			else if (strcmp(optarg, "table") != 0) {
				oci_err("list: --format %s: not table or json",
				    optarg);
				return 2;
			}
			break;
		case 'q':
			quiet = 1;
			break;
		default:
			oci_err("list: usage: list [--format table|json] "
			    "[--quiet]");
			return 2;
		}
	}
	if (argc != optind) {
		oci_err("list: usage: list [--format table|json] [--quiet]");
		return 2;
	}
	if (json)
		all = json_array();
	else if (!quiet)
		printf("%-20s %-8s %-10s %-40s %-30s %s\n", "ID", "PID",
		    "STATUS", "BUNDLE", "CREATED", "OWNER");
	/* No --root yet: no containers. */
	if ((root = oci_root_open(0)) < 0 && errno != ENOENT)
		return 1;
	n = 0;
	if (root >= 0 && (n = scandirat(root, ".", &ents, NULL, by_name)) < 0) {
		oci_err("--root %s: %s", oci_root, strerror(errno));
		close(root);
		return 1;
	}
	for (int i = 0; i < n; i++) {
		struct dirent *de = ents[i];
		struct oci_state s;
		struct stat st;
		const char *status;
		char owner[64], rootfs[PATH_MAX];
		int dir;

		if (de->d_name[0] == '.' || !oci_id_valid(de->d_name) ||
		    (dir = oci_state_open(root, de->d_name)) < 0) {
			free(de);
			continue;
		}
		if (fstat(dir, &st) < 0 ||
		    oci_state_read(dir, de->d_name, &s) < 0) {
			close(dir);
			free(de);
			continue;
		}
		free(de);
		status = oci_status(dir, &s);
		close(dir);
		owner_name(st.st_uid, owner, sizeof(owner));
		if (quiet && !json)
			printf("%s\n", s.id);
		else if (json) {
			rootfs_of(s.bundle, rootfs, sizeof(rootfs));
			json_array_append_new(all, json_pack(
			    "{s:s,s:s,s:i,s:s,s:s,s:s,s:s,s:s}", "ociVersion",
			    OCI_SPEC_VERSION, "id", s.id, "pid",
			    status[0] == 's' ? 0 : (int)s.pid, "status",
			    status, "bundle", s.bundle, "rootfs", rootfs,
			    "created", s.created, "owner", owner));
		} else
			printf("%-20s %-8d %-10s %-40s %-30s %s\n", s.id,
			    status[0] == 's' ? 0 : (int)s.pid, status,
			    s.bundle, s.created, owner);
		oci_state_free(&s);
	}
	free(ents);
	if (root >= 0)
		close(root);
	if (json) {
		if (json_dumpf(all, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER) < 0) {
			json_decref(all);
			oci_err("list: cannot encode");
			return 1;
		}
		putchar('\n');
		json_decref(all);
	}
	return fflush(stdout) == 0 ? 0 : 1;
}
