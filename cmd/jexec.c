/*
 * jexec(8): run a command in an existing jail.
 *
 *	jexec [-l] [-d dir] [-u user | -U user] jail [command ...]
 *
 * The jail is named by jid or name.  jail__run() does the confinement: the
 * command is born inside every namespace, the cgroup and the privilege
 * policy of the jail, holding nothing of ours but stdio.  jexec waits for it
 * and exits with its status, or 128 plus the signal that killed it.
 */
#include <dirent.h>
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
	    "usage: jexec [-l] [-d working-directory] "
	    "[-u username | -U username]\n"
	    "             jail [command ...]\n");
	exit(1);
}

/* Close every descriptor above stderr: nothing of the host goes in. */
static void
close_fds(void)
{
	DIR *d;
	struct dirent *de;
	int fd;

	if (syscall(SYS_close_range, 3U, ~0U, 0U) == 0)
		return;
	/* Older kernels: close what /proc says is open. */
	if ((d = opendir("/proc/self/fd")) == NULL) {
		long max = sysconf(_SC_OPEN_MAX);

		for (fd = 3; fd < (max > 0 && max < 65536 ? max : 65536); fd++)
			(void)close(fd);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		fd = atoi(de->d_name);
		if (fd > 2 && fd != dirfd(d))
			(void)close(fd);
	}
	closedir(d);
}

int
main(int argc, char **argv)
{
	struct jail_run r;
	const char *jail;
	int ch, jid, status;

	close_fds();
	memset(&r, 0, sizeof(r));
	while ((ch = getopt(argc, argv, "+:d:lnu:U:")) != -1) {
		switch (ch) {
		case 'd':
			r.dir = optarg;
			break;
		case 'l':
			r.login = 1;
			break;
		case 'n':
			/* FreeBSD's historic no-op. */
			break;
		case 'u':
			r.host_user = optarg;
			break;
		case 'U':
			r.jail_user = optarg;
			break;
		case ':':
			warnx("option requires an argument -- %c", optopt);
			usage();
		default:
			warnx("illegal option -- %c", optopt);
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1 || (r.host_user != NULL && r.jail_user != NULL))
		usage();
	if (r.dir != NULL && *r.dir == '\0')
		errx(1, "-d: empty directory name");
	if (r.host_user != NULL && *r.host_user == '\0')
		errx(1, "-u: empty user name");
	if (r.jail_user != NULL && *r.jail_user == '\0')
		errx(1, "-U: empty user name");

	jail = argv[0];
	if (*jail == '\0' || (jid = jail_getid(jail)) < 0) {
		/* Keep the library's words when it names the jail itself. */
		if (*jail != '\0' && strncmp(jail_errmsg, "jail ", 5) == 0)
			errx(1, "%s", jail_errmsg);
		errx(1, "jail \"%s\" not found", jail);
	}
	r.argv = argc > 1 ? argv + 1 : NULL;
	r.enter_self = 1;	/* jexec needs nothing of the host after */
	r.envp = NULL;
	if (jail__run(jid, &r, &status) < 0)
		errx(1, "%s", jail_errmsg[0] != '\0' ? jail_errmsg :
		    strerror(errno));
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 1;
}
