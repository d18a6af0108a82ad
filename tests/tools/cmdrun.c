/*
 * cmdrun: run one step of jail(8)'s commands (cmd/jail/command.c) as the
 * state machine does, for tests/integration/jail8_command_test.sh.
 *
 *   cmdrun [-cFv] [-j jid] [-N confname] [-s step | -T] [param[=value] ...]
 *
 * The parameters make the jail object (cfjail_set, "+=" for every one, so
 * command=a command=b is a list; a bare name is a boolean's true).
 *   -c	create a persistent jail from the name and path parameters first,
 *	and remove it at the end
 *   -j	the running jail JID
 *   -N	the jail's configuration name (messages are "NAME: ...")
 *   -s	the step whose values are run, each started, waited for and
 *	finished (killed past its deadline), up to the first failure;
 *	default exec.start
 *   -T	the stop.timeout step instead
 *   -F	hold host descriptors without close-on-exec (a file at fd 7, a
 *	pipe at 8 and 9) that no command may get
 *   -v	verbose (jail -v)
 * Exits 0 when every command succeeded, 1 otherwise.  Messages are
 * jail(8)'s ("jail: NAME: ..."); the prison helper is found as
 * libjail finds it, or through $JAIL_PRISON.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "jail8.h"

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: cmdrun [-cFv] [-j jid] [-N confname] "
	    "[-s step | -T] [param[=value] ...]\n");
	exit(2);
}

/* Descriptors of ours that a command must never hold. */
static void
hold_host_fds(void)
{
	int fd = open("/etc/passwd", O_RDONLY), p[2];

	if (fd < 0 || dup2(fd, 7) < 0 || pipe(p) < 0 || dup2(p[0], 8) < 0 ||
	    dup2(p[1], 9) < 0)
		err(1, "host descriptors");
	if (fd != 7)
		close(fd);
	if (p[0] != 8)
		close(p[0]);
	if (p[1] != 9)
		close(p[1]);
}

/* Wait for J's child as the state machine does; command_finish's result. */
static int
wait_child(struct cfjail *j)
{
	struct pollfd pfd = { .fd = j->child.pidfd, .events = POLLIN };
	int n, timeout;

	for (;;) {
		timeout = -1;
		if (j->child.deadline_ms != 0) {
			long long left = j->child.deadline_ms - now_ms();

			timeout = left > 0 ? (int)left : 0;
		}
		n = poll(&pfd, 1, timeout);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			err(1, "poll");
		return command_finish(j, n == 0);
	}
}

static int
run_step(struct cfjail *j, enum intparam ip)
{
	const struct cfparam *p = j->ip[ip];

	for (int i = 0; p != NULL && i < p->nval; i++) {
		switch (command_start(j, ip, p->val[i])) {
		case -1:
			return -1;
		case 1:
			if (wait_child(j) < 0)
				return -1;
		}
	}
	return 0;
}

static int
create_jail(struct cfjail *j)
{
	const char *name = cf_string(cfjail_find(j, "name"));
	const char *path = cf_string(cfjail_find(j, "path"));

	if (path == NULL)
		errx(1, "-c needs path=");
	j->jid = name != NULL ?
	    jail_setv(JAIL_CREATE, "name", name, "path", path, "persist", NULL,
	    NULL) :
	    jail_setv(JAIL_CREATE, "path", path, "persist", NULL, NULL);
	if (j->jid < 0)
		errx(1, "create: %s", jail_errmsg);
	return j->jid;
}

int
main(int argc, char **argv)
{
	const char *conf = NULL, *stepname = "exec.start";
	int ch, create = 0, stop = 0, jid = 0, rc, ip, neg;
	struct cfjail *j;

	/* Our messages are jail(8)'s: err(3) names the program. */
	program_invocation_short_name = "jail";
	while ((ch = getopt(argc, argv, "cFj:N:s:Tv")) != -1)
		switch (ch) {
		case 'c':
			create = 1;
			break;
		case 'F':
			hold_host_fds();
			break;
		case 'j':
			jid = atoi(optarg);
			break;
		case 'N':
			conf = optarg;
			break;
		case 's':
			stepname = optarg;
			break;
		case 'T':
			stop = 1;
			break;
		case 'v':
			verbose = 1;
			break;
		default:
			usage();
		}
	j = cfjail_new(conf);
	for (int i = optind; i < argc; i++) {
		char *eq = strchr(argv[i], '='), *name = estrdup(argv[i]);

		if (eq != NULL)
			name[eq - argv[i]] = '\0';
		if (cfjail_set(j, name, eq != NULL ? eq + 1 : NULL,
		    PF_APPEND) < 0)
			return 2;
		free(name);
	}
	if ((ip = intparam_find(stepname, &neg)) < 0)
		errx(2, "%s: not a step", stepname);
	j->jid = jid;
	if (create)
		create_jail(j);
	rc = stop ? command_stop_timeout(j) : run_step(j, (enum intparam)ip);
	if (stop && rc == 1)
		rc = wait_child(j);
	if (create && jail_remove(j->jid) < 0)
		warn("jail_remove %d", j->jid);
	return rc < 0 ? 1 : 0;
}
