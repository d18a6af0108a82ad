/*
 * mountrun: jail(8)'s mount steps (cmd/jail/mount.c) for a jail made from
 * the command line, without creating the jail, as jail(8)'s state machine
 * drives them.  For tests/integration/jail8_mount_test.sh.
 *
 * usage: mountrun [-v] [-n NAME] [-R DEVFS_RULES]... start|stop|cycle
 *            PARAM[=VALUE]...
 *
 *   start	read mount.fstab, then run mount, the fstab lines,
 *		mount.devfs, mount.fdescfs and mount.procfs in order, as
 *		jail -c does before it creates a jail.  On a failure, undo
 *		the failed step and everything before it, in reverse, and
 *		exit 1.  What was mounted stays mounted.
 *   stop	the unmounts of jail -r after removal: mount.procfs,
 *		mount.fdescfs, mount.devfs, the fstab lines and mount, each
 *		list in reverse; all are tried; exit 1 if any failed.
 *   cycle	start, then undo it all in reverse in the same run; lists
 *		what the jail still records as mounted ("left: TARGET") and
 *		exits 1 if anything is.
 *
 * -n NAME gives the jail a configuration name (messages "jail: NAME: ...");
 * -R replaces the devfs.rules files read after the built-in defaults.
 * A parameter given again adds to a list (mount=, mount.fstab=); a bare
 * name is a boolean (mount.devfs, mount.noprocfs).
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jail8.h"
#include "devfs.h"

static const enum intparam steps[] = {
	IP_MOUNT, IP__MOUNT_FROM_FSTAB, IP_MOUNT_DEVFS, IP_MOUNT_FDESCFS,
	IP_MOUNT_PROCFS,
};
#define	NSTEPS	((int)(sizeof(steps) / sizeof(steps[0])))

static const char *const nothing[] = { NULL };

/* The values step IP runs for, in *N: a boolean runs once, if given. */
static char *const *
step_values(const struct cfjail *j, enum intparam ip, int *n)
{
	if (ip == IP__MOUNT_FROM_FSTAB) {
		*n = j->nfstab;
		return j->fstab;
	}
	if (j->ip[ip] == NULL) {
		*n = 0;
		return NULL;
	}
	if (ip == IP_MOUNT) {
		*n = j->ip[ip]->nval;
		return j->ip[ip]->val;
	}
	*n = 1;
	return (char *const *)nothing;
}

/* Undo steps [0, STEP) entirely and STEP's values [0, VI] (all of them
   if VI is -1), in reverse. */
static int
undo_from(struct cfjail *j, int step, int vi)
{
	int rc = 0;

	for (int s = step; s >= 0; s--) {
		int n;
		char *const *v = step_values(j, steps[s], &n);

		for (int i = s == step && vi >= 0 ? vi : n - 1; i >= 0; i--)
			if (mount_step(j, steps[s], v[i], 1) < 0)
				rc = -1;
	}
	return rc;
}

static int
start(struct cfjail *j)
{
	if (mount_read_fstab(j) < 0)
		return -1;
	for (int s = 0; s < NSTEPS; s++) {
		int n;
		char *const *v = step_values(j, steps[s], &n);

		for (int i = 0; i < n; i++)
			if (mount_step(j, steps[s], v[i], 0) < 0) {
				undo_from(j, s, i);
				return -1;
			}
	}
	return 0;
}

static int
stop(struct cfjail *j)
{
	j->flags |= JF_STOP;
	if (mount_read_fstab(j) < 0)
		return -1;
	return undo_from(j, NSTEPS - 1, -1);
}

static void
usage(void)
{
	fprintf(stderr, "usage: mountrun [-v] [-n name] [-R devfs.rules]... "
	    "start|stop|cycle param[=value]...\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	const char **rules = NULL;
	struct cfjail *j;
	const char *name = NULL, *op;
	int c, nrules = 0, rc;

	while ((c = getopt(argc, argv, "n:R:v")) != -1)
		switch (c) {
		case 'n':
			name = optarg;
			break;
		case 'R':
			rules = ereallocarray(rules, (size_t)nrules + 2,
			    sizeof(*rules));
			rules[nrules++] = optarg;
			rules[nrules] = NULL;
			break;
		case 'v':
			verbose = 1;
			break;
		default:
			usage();
		}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage();
	op = *argv++;
	argc--;
	if (rules != NULL)
		devfs_rules_files = rules;
	j = cfjail_new(name);
	for (int i = 0; i < argc; i++) {
		char *p = estrdup(argv[i]), *eq = strchr(p, '=');

		if (eq != NULL)
			*eq++ = '\0';
		if (cfjail_set(j, p, eq, PF_APPEND | PF_CMDLINE) < 0)
			return 1;
		free(p);
	}
	if (strcmp(op, "start") == 0)
		rc = start(j);
	else if (strcmp(op, "stop") == 0)
		rc = stop(j);
	else if (strcmp(op, "cycle") == 0) {
		rc = start(j);
		if (rc == 0) {
			rc = undo_from(j, NSTEPS - 1, -1);
			for (int i = 0; i < j->nmounted; i++) {
				printf("left: %s\n", j->mounted[i]);
				rc = -1;
			}
		}
	} else
		usage();
	return rc < 0 ? 1 : 0;
}
