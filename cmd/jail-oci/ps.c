/*
 * ps [--format table|json] id [ps-args...]: the container's processes,
 * as runc lists them.  json: an array of their host pids (containerd's
 * shim reads it).  table: the host's ps(1) run with the arguments (-ef
 * without any), its header line and the lines whose PID column is one of
 * the container's.  The jail's init, the prison's and never the
 * container's, is not listed.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "oci.h"

static int
has(const pid_t *v, int n, long pid)
{
	for (int i = 0; i < n; i++)
		if (v[i] == pid)
			return 1;
	return 0;
}

/* The index of the PID column in the header, or -1. */
static int
pid_column(char *header)
{
	char *save = NULL, *w, *copy = strdup(header);
	int i = 0, col = -1;

	if (copy == NULL)
		return -1;
	for (w = strtok_r(copy, " \t\n", &save); w != NULL;
	    w = strtok_r(NULL, " \t\n", &save), i++)
		if (strcmp(w, "PID") == 0) {
			col = i;
			break;
		}
	free(copy);
	return col;
}

static long
field(const char *line, int col)
{
	char *copy = strdup(line), *save = NULL, *w;
	long v = -1;

	if (copy == NULL)
		return -1;
	w = strtok_r(copy, " \t\n", &save);
	for (int i = 0; w != NULL && i < col; i++)
		w = strtok_r(NULL, " \t\n", &save);
	if (w != NULL) {
		char *end;

		v = strtol(w, &end, 10);
		if (*end != '\0')
			v = -1;
	}
	free(copy);
	return v;
}

static int
table(const pid_t *pids, int n, int argc, char **argv)
{
	char **av, *line = NULL;
	size_t cap = 0;
	int p[2], st, col = -1, first = 1, ret = 0;
	pid_t c;
	FILE *f;

	if ((av = calloc((size_t)argc + 3, sizeof(*av))) == NULL)
		return -1;
	av[0] = "ps";
	if (argc == 0)
		av[1] = "-ef";
	for (int i = 0; i < argc; i++)
		av[i + 1] = argv[i];
	if (pipe2(p, O_CLOEXEC) < 0 || (c = fork()) < 0) {
		oci_err("ps: %s", strerror(errno));
		free(av);
		return -1;
	}
	if (c == 0) {
		dup2(p[1], 1);
		execvp("ps", av);
		fprintf(stderr, "jail-oci: ps: %s\n", strerror(errno));
		_exit(127);
	}
	free(av);
	close(p[1]);
	if ((f = fdopen(p[0], "r")) == NULL) {
		close(p[0]);
		waitpid(c, NULL, 0);
		return -1;
	}
	while (getline(&line, &cap, f) > 0) {
		if (first) {
			first = 0;
			if ((col = pid_column(line)) < 0) {
				oci_err("ps: no PID column in ps's output");
				ret = -1;
			} else
				fputs(line, stdout);
			continue;
		}
		if (col >= 0 && has(pids, n, field(line, col)))
			fputs(line, stdout);
	}
	free(line);
	fclose(f);
	if (waitpid(c, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		oci_err("ps: ps(1) failed");
		ret = -1;
	}
	return ret;
}

int
oci_ps(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct oci_state s;
	pid_t *pids = NULL;
	int root, dir, cg, ch, n, json = 0, ret = 1;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "+f:", opts, NULL)) != -1) {
		if (ch == 'f' && strcmp(optarg, "json") == 0)
			json = 1;
		else if (ch == 'f' && strcmp(optarg, "table") == 0)
			json = 0;
		else {
			oci_err("ps: usage: ps [--format table|json] id "
			    "[ps-args...]");
			return 2;
		}
	}
	if (argc - optind < 1) {
		oci_err("ps: usage: ps [--format table|json] id [ps-args...]");
		return 2;
	}
	/* "ps id -- -o pid": the "--" only ends jail-oci's options. */
	if (argc - optind > 1 && strcmp(argv[optind + 1], "--") == 0) {
		argv[optind + 1] = argv[optind];
		optind++;
	}
	if (json && argc - optind > 1) {
		oci_err("ps: ps options cannot be used with --format json");
		return 2;
	}
	if ((dir = oci_open_existing(argv[optind], &root, &s)) < 0)
		return 1;
	/* A stopped container has no processes; runc lists none either. */
	if ((cg = oci_cgroup_jail(&s, NULL, 0)) < 0)
		n = 0;
	else {
		n = oci_cgroup_pids(cg, &pids);
		close(cg);
		if (n < 0) {
			oci_err("container %s: cgroup.procs: %s", s.id,
			    strerror(errno));
			goto out;
		}
	}
	if (json) {
		putchar('[');
		for (int i = 0; i < n; i++)
			printf("%s%d", i > 0 ? "," : "", (int)pids[i]);
		printf("]\n");
		ret = 0;
	} else
		ret = table(pids, n, argc - optind - 1, argv + optind + 1) < 0;
out:
	free(pids);
	oci_state_free(&s);
	close(dir);
	close(root);
	return ret;
}
