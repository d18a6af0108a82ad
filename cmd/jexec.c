/*
 * jexec(8): run a command in an existing jail.
 *
 *	jexec [-l] [-d dir] [-u user | -U user] jail [command ...]
 *	jexec [-d dir] -D descriptor [command ...]
 *
 * The jail is named by jid or name.  jail__run() does the confinement: the
 * command is born inside every namespace, the cgroup and the privilege
 * policy of the jail, holding nothing of ours but stdio.  jexec waits for it
 * and exits with its status, or 128 plus the signal that killed it.
 *
 * With -D, the jail is the one of an inherited jail descriptor, and the
 * prison starts the command for us (jail_spawn_jd): no privilege is
 * needed, only a descriptor made by root with the spawn right.
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
#include "jaildesc.h"
#include "run.h"

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr,
	    "usage: jexec [-l] [-d working-directory] "
	    "[-u username | -U username]\n"
	    "             jail [command ...]\n"
	    "       jexec [-d working-directory] -D descriptor "
	    "[command ...]\n");
	exit(1);
}

/*
 * Close every descriptor above stderr but KEEP (a jail descriptor, or
 * -1): nothing of the host goes in.
 */
static void
close_fds(int keep)
{
	DIR *d;
	struct dirent *de;
	int fd;

	if (keep > 3 && syscall(SYS_close_range, 3U, (unsigned)keep - 1, 0U) == 0 &&
	    syscall(SYS_close_range, (unsigned)keep + 1, ~0U, 0U) == 0)
		return;
	if (keep < 0 && syscall(SYS_close_range, 3U, ~0U, 0U) == 0)
		return;
	if (keep == 3 && syscall(SYS_close_range, 4U, ~0U, 0U) == 0)
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
		if (fd > 2 && fd != dirfd(d) && fd != keep)
			(void)close(fd);
	}
	closedir(d);
}

/* -D: the prison runs it for us, through the descriptor. */
static int __attribute__((noreturn))
through_descriptor(int desc, char **argv, const char *dir)
{
	static char *shell[] = { "/bin/sh", NULL };
	int h, status;

	if ((h = jail_spawn_jd(desc, argv[0] != NULL ? argv : shell, NULL,
	    dir)) < 0 || jail_spawn_wait(h, &status) < 0)
		errx(1, "%s", jail_errmsg[0] != '\0' ? jail_errmsg :
		    strerror(errno));
	if (WIFEXITED(status))
		exit(WEXITSTATUS(status));
	exit(WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 1);
}

/* The number of -D, checked to be a jail descriptor's. */
static int
descriptor(const char *arg)
{
	char *end;
	long fd;

	errno = 0;
	fd = strtol(arg, &end, 10);
	if (*arg == '\0' || *end != '\0' || errno != 0 || fd < 0 ||
	    fd > 1048576)
		errx(1, "-D %s: not a descriptor number", arg);
	return (int)fd;
}

int
main(int argc, char **argv)
{
	struct jail_run r;
	const char *jail;
	int ch, jid, status, desc = -1;

	memset(&r, 0, sizeof(r));
	while ((ch = getopt(argc, argv, "+:d:lnu:D:U:")) != -1) {
		switch (ch) {
		case 'd':
			r.dir = optarg;
			break;
		case 'D':
			desc = descriptor(optarg);
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
	close_fds(desc);
	argc -= optind;
	argv += optind;
	if (r.dir != NULL && *r.dir == '\0')
		errx(1, "-d: empty directory name");
	if (desc >= 0) {
		if (r.login || r.host_user != NULL || r.jail_user != NULL)
			errx(1, "-D runs the command as yourself: -l, -u and -U "
			    "are not for it");
		through_descriptor(desc, argv, r.dir);
	}
	if (argc < 1 || (r.host_user != NULL && r.jail_user != NULL))
		usage();
	if (r.host_user != NULL && *r.host_user == '\0')
		errx(1, "-u: empty user name");
	if (r.jail_user != NULL && *r.jail_user == '\0')
		errx(1, "-U: empty user name");
	/* Entering a jail's namespaces takes root; a descriptor does not. */
	if (geteuid() != 0)
		errx(1, "%s: only root can enter a jail; with a jail "
		    "descriptor made by root (-D), anyone can", strerror(EPERM));

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
