/*
 * config.json -> what create makes: the jail's root, hostname and first
 * process.  Only what this slice honours is read; what it would have to
 * ignore and that changes what the process is given (a terminal) is
 * refused; mounts beyond the root are not made yet (every engine sends
 * proc, dev and the like: refusing them would refuse every container),
 * which gives the process less, never more.  The bundle is the caller's (root's) own directory.
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

/* A JSON array of strings as a NULL-terminated vector; NULL on error. */
static char **
strings(json_t *a, const char *what)
{
	char **v;
	size_t i;
	json_t *s;

	if (!json_is_array(a)) {
		oci_err("config.json: %s: not an array of strings", what);
		return NULL;
	}
	if ((v = calloc(json_array_size(a) + 1, sizeof(*v))) == NULL) {
		oci_err("malloc: %s", strerror(errno));
		return NULL;
	}
	json_array_foreach(a, i, s) {
		if (!json_is_string(s) || (v[i] = strdup(json_string_value(s)))
		    == NULL) {
			oci_err("config.json: %s: not an array of strings",
			    what);
			for (size_t j = 0; j < i; j++)
				free(v[j]);
			free(v);
			return NULL;
		}
	}
	return v;
}

static void
free_strings(char **v)
{
	for (size_t i = 0; v != NULL && v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

/* An id of process.user: a non-negative integer that fits. */
static int
user_id(json_t *u, const char *key, unsigned *out)
{
	json_t *v = json_object_get(u, key);

	if (v == NULL) {
		*out = 0;
		return 0;
	}
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > 0xfffffffeLL) {
		oci_err("config.json: process.user.%s: not a valid id", key);
		return -1;
	}
	*out = (unsigned)json_integer_value(v);
	return 0;
}

static int
load(json_t *c, const char *dir, struct oci_bundle *b)
{
	json_t *root, *proc, *v, *user;
	const char *path;
	char buf[PATH_MAX];
	unsigned id;
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
	if ((proc = json_object_get(c, "process")) == NULL ||
	    !json_is_object(proc)) {
		oci_err("config.json: process: missing");
		return -1;
	}
	if (json_is_true(json_object_get(proc, "terminal"))) {
		oci_err("config.json: process.terminal: not supported yet");
		return -1;
	}
	if ((b->args = strings(json_object_get(proc, "args"), "process.args"))
	    == NULL)
		return -1;
	if (b->args[0] == NULL) {
		oci_err("config.json: process.args: empty");
		return -1;
	}
	v = json_object_get(proc, "env");
	if ((b->env = v != NULL ? strings(v, "process.env") :
	    calloc(1, sizeof(char *))) == NULL)
		return -1;
	if ((v = json_object_get(proc, "cwd")) == NULL || !json_is_string(v) ||
	    *json_string_value(v) != '/') {
		oci_err("config.json: process.cwd: not an absolute path");
		return -1;
	}
	b->cwd = strdup(json_string_value(v));
	user = json_object_get(proc, "user");
	if (user != NULL && !json_is_object(user)) {
		oci_err("config.json: process.user: not an object");
		return -1;
	}
	if (user_id(user, "uid", &id) < 0)
		return -1;
	b->uid = id;
	if (user_id(user, "gid", &id) < 0)
		return -1;
	b->gid = id;
	if ((v = json_object_get(c, "annotations")) != NULL &&
	    !json_is_object(v)) {
		oci_err("config.json: annotations: not an object");
		return -1;
	}
	if (oci_bundle_cgroups(c, b) < 0)	/* resources.c */
		return -1;
	b->annotations = json_dumps(v != NULL ? v : json_object(),
	    JSON_COMPACT | JSON_SORT_KEYS);
	if (b->cwd == NULL || b->annotations == NULL) {
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
	b->config = c;		/* mounts.c, namespaces.c read the rest */
	return ret;
}

void
oci_bundle_free(struct oci_bundle *b)
{
	free(b->bundle);
	free(b->rootfs);
	free(b->hostname);
	free_strings(b->args);
	free_strings(b->env);
	free(b->cwd);
	free(b->annotations);
	json_decref(b->config);
	free(b->resources);
	free(b->cgroups_path);
	memset(b, 0, sizeof(*b));
}
