/*
 * Interim pieces of jail(8) while config.c, command.c and mount.c are
 * being written: commands run as the old jail(8) ran them (each in a
 * child of ours), no configuration file and no mounts yet.  This file
 * goes away when they land.
 */
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "jail8.h"
#include "run.h"

int
command_stop_timeout(struct cfjail *j)
{
	int timeout = 10, rc;
	pid_t pid;

	if (cf_int(j, j->ip[IP_STOP_TIMEOUT], &timeout) < 0)
		return -1;
	if (timeout == 0)
		return 0;
	if ((pid = fork()) < 0) {
		jail_warnx(j, "fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		rc = jail__stop(j->jid, timeout);
		_exit(rc == 0 ? 0 : rc == 1 ? 1 : 2);
	}
	j->child.pid = pid;
	j->child.pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	j->child.line = estrdup("stop.timeout");
	j->child.step = IP_STOP_TIMEOUT;
	return 1;
}

static void
child_run(struct cfjail *j, char *const *argv)
{
	struct jail_run r;
	const char *user = cf_string(j->ip[IP_EXEC_JAIL_USER]);
	int status;

	memset(&r, 0, sizeof(r));
	r.argv = argv;
	r.login = cf_bool(j->ip[IP_EXEC_CLEAN]);
	if (user != NULL && cf_bool(j->ip[IP_EXEC_SYSTEM_JAIL_USER]))
		r.host_user = user;
	else
		r.jail_user = user;
	if (jail__run(j->jid, &r, &status) < 0) {
		warnx("%s", jail_errmsg[0] != '\0' ? jail_errmsg :
		    strerror(errno));
		_exit(126);
	}
	if (WIFSIGNALED(status)) {
		signal(WTERMSIG(status), SIG_DFL);
		raise(WTERMSIG(status));
	}
	_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 1);
}

int
command_start(struct cfjail *j, enum intparam ip, const char *s)
{
	static const char specials[] = "!\"$&'()*;<>?[\\]`{|}~";
	char *copy, **argv = NULL, *tok, *save = NULL;
	size_t n = 0;
	pid_t pid;

	if (!(intparams[ip].flags & IPF_INJAIL)) {
		jail_warnx(j, "%s: not supported yet", intparams[ip].name);
		return -1;
	}
	if (ip == IP_COMMAND && j->name == NULL) {
		argv = j->ip[IP_COMMAND]->val;
		copy = estrdup(argv[0]);
	} else {
		copy = estrdup(s);
		if (strpbrk(copy, specials) != NULL) {
			argv = emalloc(4 * sizeof(*argv));
			argv[0] = "/bin/sh";
			argv[1] = "-c";
			argv[2] = copy;
		} else
			for (tok = strtok_r(copy, " \t\n", &save); tok != NULL;
			    tok = strtok_r(NULL, " \t\n", &save)) {
				argv = ereallocarray(argv, n + 2, sizeof(*argv));
				argv[n++] = tok;
				argv[n] = NULL;
			}
		if (argv == NULL) {
			free(copy);
			return 0;
		}
	}
	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) < 0) {
		jail_warnx(j, "fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0)
		child_run(j, argv);
	j->child.pid = pid;
	j->child.pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	j->child.line = estrdup(s != NULL ? s : argv[0]);
	j->child.step = ip;
	if (!(ip == IP_COMMAND && j->name == NULL) &&
	    argv != NULL && argv[0] != NULL && strcmp(argv[0], "/bin/sh") != 0)
		free(argv);
	else if (!(ip == IP_COMMAND && j->name == NULL))
		free(argv);
	free(copy);
	return 1;
}

int
command_finish(struct cfjail *j, int timedout)
{
	int status = 0, rc = 0;

	if (timedout)
		kill(j->child.pid, SIGKILL);
	while (waitpid(j->child.pid, &status, 0) < 0 && errno == EINTR)
		;
	if (j->child.step == IP_STOP_TIMEOUT) {
		/* What is left is killed by the removal that follows. */
		if (WIFEXITED(status) && WEXITSTATUS(status) == 1 &&
		    verbose > 0)
			jail_note(j, "timed out\n");
	} else if (timedout) {
		jail_warnx(j, "%s: timed out", j->child.line);
		rc = -1;
	} else if (WIFSIGNALED(status)) {
		jail_warnx(j, "%s: exited on signal %d", j->child.line,
		    WTERMSIG(status));
		rc = -1;
	} else if (WEXITSTATUS(status) != 0) {
		if (WEXITSTATUS(status) != 126)
			jail_warnx(j, "%s: failed", j->child.line);
		rc = -1;
	}
	close(j->child.pidfd);
	free(j->child.line);
	memset(&j->child, 0, sizeof(j->child));
	j->child.pidfd = -1;
	return rc;
}
