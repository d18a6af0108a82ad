/*
 * list [--format table|json] [--quiet]: the containers under --root, as
 * runc lists them: a table (id, pid, status, bundle, created, owner), a
 * JSON array of the same, or the ids alone.  Engines do not call it;
 * people and test suites (runc's bats teardown) do.  An entry that is not
 * a readable container's state is passed over, not an error: a create may
 * be making it at this moment.
 */
#include <dirent.h>
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

int
oci_list(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 },
	};
	int ch, root, quiet = 0, json = 0;
	json_t *all = NULL;
	struct dirent *de;
	DIR *d;

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
	if (root >= 0 && (d = fdopendir(root)) == NULL) {
		oci_err("--root %s: %s", oci_root, strerror(errno));
		close(root);
		return 1;
	}
	while (root >= 0 && (de = readdir(d)) != NULL) {
		struct oci_state s;
		struct stat st;
		const char *status;
		char owner[64];
		int dir;

		if (de->d_name[0] == '.' || !oci_id_valid(de->d_name))
			continue;
		if ((dir = oci_state_open(root, de->d_name)) < 0)
			continue;
		if (fstat(dir, &st) < 0 ||
		    oci_state_read(dir, de->d_name, &s) < 0) {
			close(dir);
			continue;
		}
		status = oci_status(dir, &s);
		close(dir);
		owner_name(st.st_uid, owner, sizeof(owner));
		if (quiet && !json)
			printf("%s\n", s.id);
		else if (json)
			json_array_append_new(all, json_pack(
			    "{s:s,s:s,s:i,s:s,s:s,s:s,s:s}", "ociVersion",
			    OCI_SPEC_VERSION, "id", s.id, "pid",
			    status[0] == 's' ? 0 : (int)s.pid, "status",
			    status, "bundle", s.bundle, "created", s.created,
			    "owner", owner));
		else
			printf("%-20s %-8d %-10s %-40s %-30s %s\n", s.id,
			    status[0] == 's' ? 0 : (int)s.pid, status,
			    s.bundle, s.created, owner);
		oci_state_free(&s);
	}
	if (root >= 0)
		closedir(d);
	if (json) {
		if (json_dumpf(all, stdout, JSON_COMPACT) < 0) {
			json_decref(all);
			oci_err("list: cannot encode");
			return 1;
		}
		putchar('\n');
		json_decref(all);
	}
	return fflush(stdout) == 0 ? 0 : 1;
}
