/*
 * jexec(8): run a command in an existing jail.
 */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "jail.h"
#include "run.h"

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr,
	    "usage: jexec [-l] [-d working-directory] [-u username | -U username]\n"
	    "             jail [command ...]\n");
	exit(1);
}

int
main(int argc, char **argv)
{
	struct jail_run r = { 0 };
	int ch, jid, status;

	/* Nothing of ours but stdio may reach the jail. */
	syscall(SYS_close_range, 3, ~0U, 0);
	while ((ch = getopt(argc, argv, "+d:lnu:U:")) != -1) {
		switch (ch) {
		case 'd':
			r.dir = optarg;
			break;
		case 'l':
			r.login = 1;
			break;
		case 'n':	/* FreeBSD's historic no-op */
			break;
		case 'u':
			r.host_user = optarg;
			break;
		case 'U':
			r.jail_user = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1 || (r.host_user != NULL && r.jail_user != NULL))
		usage();
	if ((jid = jail_getid(argv[0])) < 0)
		errx(1, "jail \"%s\" not found", argv[0]);
	r.argv = argc > 1 ? argv + 1 : NULL;
	if (jail__run(jid, &r, &status) < 0)
		errx(1, "%s", jail_errmsg[0] ? jail_errmsg : strerror(errno));
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}
