/*
 * update [--resources FILE|-] [flags] id: a running container's
 * linux.resources changed, as runc's update (containerd's shim sends the
 * new resources as JSON on stdin).  Without --resources, runc's flags
 * make the object; each limit goes where create's would (resources.c).
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "oci.h"

/* runc's sizes: a number with an optional k, m, g, t (1024s) and b. */
static int
size_of(const char *s, long long *v)
{
	char *end;
	long long n;
	int shift = 0;

	errno = 0;
	n = strtoll(s, &end, 10);
	if (end == s || errno != 0)
		return -1;
	switch (tolower((unsigned char)*end)) {
	case 'k': shift = 10; end++; break;
	case 'm': shift = 20; end++; break;
	case 'g': shift = 30; end++; break;
	case 't': shift = 40; end++; break;
	default: break;
	}
	if (tolower((unsigned char)*end) == 'b')
		end++;
	if (*end != '\0' || (n > 0 && n > (LLONG_MAX >> shift)))
		return -1;
	*v = n < 0 ? n : n << shift;
	return 0;
}

static const struct {
	const char	*flag;
	const char	*group;		/* linux.resources' member */
	const char	*key;
	int		 kind;		/* 0: integer, 1: size, 2: string */
} flags[] = {
	{ "blkio-weight", "blockIO", "weight", 0 },
	{ "cpu-period", "cpu", "period", 0 },
	{ "cpu-quota", "cpu", "quota", 0 },
	{ "cpu-share", "cpu", "shares", 0 },
	{ "cpu-rt-period", "cpu", "realtimePeriod", 0 },
	{ "cpu-rt-runtime", "cpu", "realtimeRuntime", 0 },
	{ "cpuset-cpus", "cpu", "cpus", 2 },
	{ "cpuset-mems", "cpu", "mems", 2 },
	{ "memory", "memory", "limit", 1 },
	{ "memory-reservation", "memory", "reservation", 1 },
	{ "memory-swap", "memory", "swap", 1 },
	{ "pids-limit", "pids", "limit", 0 },
};
#define	NFLAGS	(sizeof(flags) / sizeof(flags[0]))

static int
flag(json_t *r, int i, const char *arg)
{
	json_t *g = json_object_get(r, flags[i].group), *v;
	long long n;
	char *end;

	if (flags[i].kind == 2)
		v = json_string(arg);
	else if (flags[i].kind == 1) {
		if (size_of(arg, &n) < 0)
			goto bad;
		v = json_integer(n);
	} else {
		errno = 0;
		n = strtoll(arg, &end, 10);
		if (*arg == '\0' || *end != '\0' || errno != 0)
			goto bad;
		v = json_integer(n);
	}
	if (g == NULL) {
		g = json_object();
		json_object_set_new(r, flags[i].group, g);
	}
	json_object_set_new(g, flags[i].key, v);
	return 0;
bad:
	oci_err("update: --%s %s: not a valid value", flags[i].flag, arg);
	return -1;
}

static void
usage(void)
{
	oci_err("update: usage: update [--resources file|-] [--pids-limit n] "
	    "[--memory size] [--cpu-share n] ... id");
}

int
oci_update(int argc, char **argv)
{
	struct option opts[NFLAGS + 2];
	struct oci_state s;
	const char *file = NULL, *status;
	json_t *r = json_object();
	json_error_t e;
	int root, dir, ch, idx, ret = 2;

	for (size_t i = 0; i < NFLAGS; i++)
		opts[i] = (struct option){ flags[i].flag, required_argument,
		    NULL, 0 };
	opts[NFLAGS] = (struct option){ "resources", required_argument, NULL,
	    'r' };
	opts[NFLAGS + 1] = (struct option){ NULL, 0, NULL, 0 };
	/*
	 * Flags may follow the id, as runc takes them ("update ID --memory N"):
	 * optind 0 makes glibc start afresh, permuting, where main's parse
	 * stopped at the first operand.
	 */
	optind = 0;
	while ((ch = getopt_long(argc, argv, "r:", opts, &idx)) != -1) {
		if (ch == 'r')
			file = optarg;
		else if (ch == 0 && (size_t)idx < NFLAGS) {
			if (flag(r, idx, optarg) < 0)
				goto done;
		} else {
			usage();
			goto done;
		}
	}
	if (argc - optind != 1) {
		usage();
		goto done;
	}
	ret = 1;
	/* The file is the whole: runc ignores the flags then. */
	if (file != NULL) {
		json_decref(r);
		r = strcmp(file, "-") == 0 ? json_loadf(stdin, 0, &e) :
		    json_load_file(file, 0, &e);
		if (r == NULL || !json_is_object(r)) {
			oci_err("update: %s: not a JSON object: %s",
			    strcmp(file, "-") == 0 ? "stdin" : file,
			    r == NULL ? e.text : "");
			goto done;
		}
	}
	if ((dir = oci_open_existing(argv[optind], &root, &s)) < 0)
		goto done;
	status = oci_status(dir, &s);
	if (strcmp(status, "stopped") == 0)
		oci_err("container %s: container not running", s.id);
	else
		ret = oci_resources_update(r, &s, dir) < 0;
	oci_state_free(&s);
	close(dir);
	close(root);
done:
	json_decref(r);
	return ret;
}
