/*
 * exec's process: the container's own, from the copy of its config.json
 * kept in the state directory at create (the bundle may change), with
 * exec's options over it, or the process object of --process; and the
 * container's seccomp program, which applies to either.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "oci.h"

#define	CONFIG	"config.json"

int
oci_config_save(int dir, json_t *config)
{
	char *txt = json_dumps(config, JSON_COMPACT);
	int fd, ok;

	fd = openat(dir, CONFIG, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	ok = txt != NULL && fd >= 0 &&
	    write(fd, txt, strlen(txt)) == (ssize_t)strlen(txt);
	if (fd >= 0)
		close(fd);
	free(txt);
	if (!ok) {
		oci_err("%s: %s", CONFIG, strerror(errno));
		return -1;
	}
	return 0;
}

json_t *
oci_config_load(int dir, const char *id)
{
	json_error_t e;
	json_t *c;
	int fd;

	if ((fd = openat(dir, CONFIG, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		oci_err("container %s: %s: %s", id, CONFIG, strerror(errno));
		return NULL;
	}
	c = json_loadfd(fd, 0, &e);
	close(fd);
	if (c == NULL)
		oci_err("container %s: %s: damaged", id, CONFIG);
	return c;
}

/* An all-digits id; -1 when it is not. */
long long
oci_id_number(const char *s, size_t n)
{
	long long v = 0;

	if (n == 0 || n > 10)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v <= 0xfffffffeLL ? v : -1;
}

/* NAME=value over P's environment: replace NAME's, or add. */
static int
setenv_in(struct oci_process *p, const char *kv)
{
	const char *eq = strchr(kv, '=');
	size_t n = 0, klen;
	char **v, *dup;

	if (eq == NULL || eq == kv) {
		oci_err("--env %s: not NAME=value", kv);
		return -1;
	}
	klen = (size_t)(eq - kv) + 1;
	if ((dup = strdup(kv)) == NULL)
		return -1;
	for (n = 0; p->env[n] != NULL; n++)
		if (strncmp(p->env[n], kv, klen) == 0) {
			free(p->env[n]);
			p->env[n] = dup;
			return 0;
		}
	if ((v = realloc(p->env, (n + 2) * sizeof(*v))) == NULL) {
		free(dup);
		return -1;
	}
	v[n] = dup;
	v[n + 1] = NULL;
	p->env = v;
	return 0;
}

/* The command line's options over the container's process P. */
static int
override(struct oci_process *p, const struct oci_execopts *o, char **args)
{
	if (args[0] != NULL) {
		char **v;
		int n = 0;

		while (args[n] != NULL)
			n++;
		if ((v = calloc((size_t)n + 1, sizeof(*v))) == NULL)
			return -1;
		for (int i = 0; i < n; i++)
			if ((v[i] = strdup(args[i])) == NULL) {
				oci_strings_free(v);
				return -1;
			}
		oci_strings_free(p->args);
		p->args = v;
	}
	p->terminal = o->tty;
	for (int i = 0; i < o->nenv; i++)
		if (setenv_in(p, o->env[i]) < 0)
			return -1;
	if (o->cwd != NULL) {
		if (*o->cwd != '/') {
			oci_err("--cwd %s: not an absolute path", o->cwd);
			return -1;
		}
		free(p->cwd);
		if ((p->cwd = strdup(o->cwd)) == NULL)
			return -1;
	}
	if (o->user != NULL) {
		const char *colon = strchr(o->user, ':');
		size_t ulen = colon != NULL ? (size_t)(colon - o->user) :
		    strlen(o->user);
		long long uid = oci_id_number(o->user, ulen), gid = 0;

		if (colon != NULL)
			gid = oci_id_number(colon + 1, strlen(colon + 1));
		if (uid < 0 || gid < 0) {
			/* runc too takes numbers: the engine resolves names. */
			oci_err("--user %s: not UID[:GID] in numbers", o->user);
			return -1;
		}
		p->uid = (uid_t)uid;
		p->gid = (gid_t)gid;
	}
	for (int i = 0; i < o->ngids && p->ngids < 64; i++)
		p->gids[p->ngids++] = o->gids[i];
	if (o->caps != 0) {
		p->caps_set = 1;
		p->caps[OCI_CAP_BOUNDING] |= o->caps;
		p->caps[OCI_CAP_EFFECTIVE] |= o->caps;
		p->caps[OCI_CAP_PERMITTED] |= o->caps;
	}
	if (o->nnp)
		p->nnp = 1;
	return 0;
}

/* The process of --process F. */
static int
process_file(const char *path, struct oci_process *p)
{
	json_error_t e;
	json_t *o;
	int fd, ret;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		oci_err("--process %s: %s", path, strerror(errno));
		return -1;
	}
	o = json_loadfd(fd, 0, &e);
	close(fd);
	if (o == NULL) {
		oci_err("--process %s: line %d: %s", path, e.line, e.text);
		return -1;
	}
	ret = oci_process_parse(o, "process", p);
	json_decref(o);
	return ret;
}

int
oci_exec_process(int dir, const char *id, const struct oci_execopts *o,
    char **args, struct oci_process *p)
{
	json_t *c = oci_config_load(dir, id);
	int ret = -1;

	memset(p, 0, sizeof(*p));
	if (c == NULL)
		return -1;
	if (o->process != NULL) {
		if (process_file(o->process, p) < 0)
			goto out;
		/* runc: -t and -d still count with a process file. */
		if (o->tty)
			p->terminal = 1;
	} else {
		if (args[0] == NULL) {
			oci_err("exec: no command: give ARGS or --process");
			goto out;
		}
		if (oci_process_parse(json_object_get(c, "process"),
		    "process", p) < 0 || override(p, o, args) < 0)
			goto out;
	}
	/* The container's seccomp program, whichever process it is. */
	ret = oci_seccomp_compile(json_object_get(json_object_get(c, "linux"),
	    "seccomp"), p);
out:
	json_decref(c);
	return ret;
}
