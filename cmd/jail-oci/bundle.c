/*
 * config.json -> what create makes: the jail's root, hostname and first
 * process (process.c's).  The file system and namespaces are read from
 * the kept config by mounts.c, namespaces.c, sysctl.c and hooks.c.  The
 * bundle is the caller's (root's) own directory.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <jansson.h>

#include "oci.h"

static int
load(json_t *c, const char *dir, struct oci_bundle *b)
{
	json_t *root, *v;
	const char *path;
	char buf[PATH_MAX];
	struct stat st;

	if (!json_is_object(c)) {
		oci_err("config.json: not a JSON object");
		return -1;
	}
	if (!json_is_string(json_object_get(c, "ociVersion"))) {
		oci_err("config.json: ociVersion: missing");
		return -1;
	}
	root = json_object_get(c, "root");
	if ((v = json_object_get(root, "path")) == NULL || !json_is_string(v) ||
	    *(path = json_string_value(v)) == '\0') {
		oci_err("config.json: root.path: missing");
		return -1;
	}
	if (*path == '/')
		snprintf(buf, sizeof(buf), "%s", path);
	else if ((size_t)snprintf(buf, sizeof(buf), "%s/%s", dir, path) >=
	    sizeof(buf)) {
		oci_err("config.json: root.path: too long");
		return -1;
	}
	/* The jail's path, absolute and without symlinks, as jail(8) wants. */
	if ((b->rootfs = realpath(buf, NULL)) == NULL ||
	    stat(b->rootfs, &st) < 0 || !S_ISDIR(st.st_mode)) {
		oci_err("config.json: root.path %s: %s", path,
		    b->rootfs == NULL ? strerror(errno) : "not a directory");
		return -1;
	}
	if ((v = json_object_get(c, "hostname")) != NULL) {
		if (!json_is_string(v)) {
			oci_err("config.json: hostname: not a string");
			return -1;
		}
		if (*json_string_value(v) != '\0')
			b->hostname = strdup(json_string_value(v));
	}
	/* The process, and the container's seccomp program (process.c). */
	if (oci_process_config(c, &b->proc) < 0)
		return -1;
	if ((v = json_object_get(c, "annotations")) != NULL &&
	    !json_is_object(v)) {
		oci_err("config.json: annotations: not an object");
		return -1;
	}
	if (oci_bundle_cgroups(c, b) < 0)	/* resources.c */
		return -1;
	b->annotations = json_dumps(v != NULL ? v : json_object(),
	    JSON_COMPACT | JSON_SORT_KEYS);
	if (b->annotations == NULL) {
		oci_err("malloc: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int
oci_bundle_load(const char *dir, struct oci_bundle *b)
{
	json_error_t e;
	json_t *c;
	int fd, dfd, ret;

	memset(b, 0, sizeof(*b));
	if ((b->bundle = realpath(dir, NULL)) == NULL) {
		oci_err("bundle %s: %s", dir, strerror(errno));
		return -1;
	}
	if ((dfd = open(b->bundle, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    (fd = openat(dfd, "config.json", O_RDONLY | O_NOFOLLOW |
	    O_CLOEXEC)) < 0) {
		oci_err("%s/config.json: %s", b->bundle, strerror(errno));
		if (dfd >= 0)
			close(dfd);
		return -1;
	}
	close(dfd);
	c = json_loadfd(fd, JSON_REJECT_DUPLICATES, &e);
	close(fd);
	if (c == NULL) {
		oci_err("config.json: line %d: %s", e.line, e.text);
		return -1;
	}
	ret = load(c, b->bundle, b);
	b->config = c;	/* kept: create stores a copy for exec */
	return ret;
}

void
oci_bundle_free(struct oci_bundle *b)
{
	free(b->bundle);
	free(b->rootfs);
	free(b->hostname);
	oci_process_free(&b->proc);
	free(b->annotations);
	free(b->resources);
	free(b->cgroups_path);
	json_decref(b->config);
	memset(b, 0, sizeof(*b));
}
