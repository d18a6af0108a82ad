/*
 * exec: another process in a container's jail, as runc's exec: the
 * container's own process (its config.json, kept in the state directory
 * at create, since the bundle may change) with the command line's
 * options over it, or a whole process object from --process.  The
 * container's seccomp program applies to it as to the first process.
 *
 * Without --detach exec waits and exits with the process's status
 * (128+N when signal N killed it), forwarding signals; with it, exec
 * exits once the process has exec'd, leaving it its child so that the
 * engine's subreaper (conmon, the shim) collects it.  A terminal goes to
 * --console-socket; without one, and without --detach, exec relays a
 * terminal of the jail's to its own stdio (relay.c), as runc does.
 * The process itself is made in execproc.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "jail.h"
#include "sys/jail.h"
#include "run.h"
#include "oci.h"

/*
 * exec's status when the process could not be started (the container not
 * found, an option it cannot honour, an executable missing): runc's 255,
 * apart from any status of the process's own.
 */
#define	EXEC_FAILED	255

static int
stdio_tty(void)
{
	return isatty(0) || isatty(1) || isatty(2);
}

/*
 * runc's --cgroup [CONTROLLERS:]PATH: a sub-cgroup of the container's.
 * Only the container's own ("/", what exec does anyway) is taken: a
 * sub-cgroup would be one the container made in its cgroup mount, and a
 * jail's processes are placed by the runtime alone.  ".." is refused in
 * runc's words, the rest as not supported.
 */
static int
exec_cgroup(const char *arg)
{
	const char *path = strchr(arg, ':');

	path = path != NULL ? path + 1 : arg;
	for (const char *c = path; *c != '\0'; c += strcspn(c, "/")) {
		c += strspn(c, "/");
		if (strncmp(c, "..", 2) == 0 && (c[2] == '/' || c[2] == '\0')) {
			oci_err("exec --cgroup: %s is not a sub cgroup path",
			    path);
			return -1;
		}
	}
	if (path[strspn(path, "/")] != '\0') {
		oci_err("exec --cgroup %s: not supported: exec's process goes "
		    "into the container's own cgroups", arg);
		return -1;
	}
	return 0;
}

/* What is done once the process waits at its gate. */
struct exec_start {
	int			 dir;		/* the state directory */
	int			 gate;		/* its write end */
	const struct oci_process *p;
	int			 csock;		/* the console socket, or -1 */
	int			*master;	/* the pty's master for it */
	const char		*pidfile;	/* or NULL */
	int			 failed;	/* an error was said */
};

/*
 * The process PID, waiting at its gate: into the container's v1 cgroups,
 * let go, its terminal sent to the console socket and its pid written.
 * -1 after an error was said; the caller kills it.
 */
static int
exec_started(pid_t pid, void *arg)
{
	struct exec_start *es = arg;

	oci_cgroup_enter(es->dir, pid);
	es->failed = 1;
	if (write(es->gate, "", 1) != 1) {
		oci_err("exec failed: opening the gate: %s", strerror(errno));
		return -1;
	}
	oci_process_report(es->p, pid);
	if (es->csock >= 0 && oci_console_send(es->csock, *es->master) < 0)
		return -1;
	if (es->pidfile != NULL && oci_pidfile_write(es->pidfile, pid) < 0)
		return -1;
	es->failed = 0;
	return 0;
}

static int
run_exec(const struct oci_execopts *o, const char *id, char **args)
{
	struct oci_state s;
	struct oci_process p;
	struct jail_run r;
	struct exec_start es;
	const char *status;
	int root, dir, ret = EXEC_FAILED, csock = -1, master = -1, relayed, st;
	pid_t pid = -1;
	int gate[2] = { -1, -1 };

	if ((dir = oci_open_existing(id, &root, &s)) < 0)
		return EXEC_FAILED;
	memset(&p, 0, sizeof(p));
	status = oci_status(dir, &s);
	if (strcmp(status, "stopped") == 0 || jail_getid(s.name) != s.jid) {
		oci_err("cannot exec in a stopped container");
		goto out;
	}
	/*
	 * With --ignore-paused the process is born frozen in the container's
	 * cgroup and exec returns once the container is resumed (runc's).
	 */
	if (strcmp(status, "paused") == 0 && !o->ignore_paused) {
		oci_err("cannot exec in a paused container (use "
		    "--ignore-paused to override)");
		goto out;
	}
	if (oci_exec_process(dir, s.id, o, args, &p) < 0)
		goto out;
	oci_debug("exec in %s (jail %d): %s", s.id, s.jid,
	    p.args != NULL && p.args[0] != NULL ? p.args[0] : "");
	if (p.terminal && o->detach && o->console == NULL) {
		oci_err("cannot allocate tty if runc will detach without "
		    "setting console socket");
		goto out;
	}
	if (!p.terminal && o->console != NULL) {
		oci_err("cannot use console socket if runc will not provide "
		    "a terminal");
		goto out;
	}
	if (o->console != NULL && (csock = oci_console_connect(o->console)) < 0)
		goto out;
	memset(&r, 0, sizeof(r));
	oci_process_run(&p, &r);
	r.check_exec = 1;	/* runc's words for a missing executable */
	/*
	 * In the foreground without a console socket, a terminal asked for
	 * is a pty of the jail's, relayed to our stdio (relay.c).
	 */
	relayed = !o->detach && csock < 0 && p.terminal;
	/*
	 * The process waits on a gate until it is in the container's v1
	 * cgroups (linux.resources), so that nothing of it runs outside
	 * their limits.
	 */
	if (pipe2(gate, O_CLOEXEC) < 0) {
		oci_err("exec failed: pipe: %s", strerror(errno));
		goto out;
	}
	r.gate = gate[0];
	memset(&es, 0, sizeof(es));
	es.dir = dir;
	es.gate = gate[1];
	es.p = &p;
	es.csock = csock;
	es.master = &master;
	es.pidfile = o->pidfile;
	/*
	 * No terminal asked for, but ours among our stdio: no host terminal
	 * goes into a jail, so jail__run gives the process a pty of the
	 * jail's in its place alone (the rest of stdio passes as it is),
	 * relayed as jexec does, and calls back once it waits at its gate.
	 */
	if (!o->detach && csock < 0 && !p.terminal && stdio_tty()) {
		r.started = exec_started;
		r.started_arg = &es;
		if (jail__run(s.jid, &r, &st) < 0) {
			if (!es.failed)
				oci_err("exec failed: %s", jail_errmsg);
			goto out;
		}
		ret = oci_exit_code(st);
		goto out;
	}
	if (csock >= 0 || relayed)
		r.console = &master;
	if (jail__spawn(s.jid, &r, &pid) < 0) {
		oci_err("exec failed: %s", jail_errmsg[0] != '\0' ?
		    jail_errmsg : strerror(errno));
		goto out;
	}
	close(gate[0]);
	gate[0] = -1;
	if (exec_started(pid, &es) < 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		goto out;
	}
	oci_debug("exec in %s: pid %d", s.id, (int)pid);
	if (relayed) {
		ret = oci_relay(master, pid);
		master = -1;
		goto out;
	}
	if (master >= 0) {
		close(master);
		master = -1;
	}
	ret = o->detach ? 0 : oci_wait_forwarding(pid);
out:
	for (int i = 0; i < 2; i++)
		if (gate[i] >= 0)
			close(gate[i]);
	if (master >= 0)
		close(master);
	if (csock >= 0)
		close(csock);
	oci_process_free(&p);
	oci_state_free(&s);
	close(dir);
	close(root);
	return ret;
}

int
oci_exec(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "process", required_argument, NULL, 'p' },
		{ "detach", no_argument, NULL, 'd' },
		{ "tty", no_argument, NULL, 't' },
		{ "console-socket", required_argument, NULL, 's' },
		{ "pid-file", required_argument, NULL, 'P' },
		{ "cwd", required_argument, NULL, 'w' },
		{ "env", required_argument, NULL, 'e' },
		{ "user", required_argument, NULL, 'u' },
		{ "additional-gids", required_argument, NULL, 'g' },
		{ "cap", required_argument, NULL, 'c' },
		{ "no-new-privs", no_argument, NULL, 'n' },
		{ "preserve-fds", required_argument, NULL, 'F' },
		{ "process-label", required_argument, NULL, 'l' },
		{ "apparmor", required_argument, NULL, 'a' },
		{ "ignore-paused", no_argument, NULL, 'i' },
		{ "cgroup", required_argument, NULL, 'C' },
		{ NULL, 0, NULL, 0 },
	};
	struct oci_execopts o;
	int ch, cap, ret;
	long long g;

	memset(&o, 0, sizeof(o));
	if ((o.env = calloc((size_t)argc, sizeof(char *))) == NULL)
		return EXEC_FAILED;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "+p:dte:u:g:c:", opts, NULL))
	    != -1) {
		switch (ch) {
		case 'p':
			o.process = optarg;
			break;
		case 'd':
			o.detach = 1;
			break;
		case 't':
			o.tty = 1;
			break;
		case 's':
			o.console = optarg;
			break;
		case 'P':
			o.pidfile = optarg;
			break;
		case 'w':
			o.cwd = optarg;
			break;
		case 'e':
			o.env[o.nenv++] = optarg;
			break;
		case 'u':
			o.user = optarg;
			break;
		case 'g':
			if ((g = oci_id_number(optarg, strlen(optarg))) < 0 ||
			    o.ngids == 64) {
				oci_err("--additional-gids %s: not a group id",
				    optarg);
				goto usage;
			}
			o.gids[o.ngids++] = (gid_t)g;
			break;
		case 'c':
			/* Ignored with a warning, as runc and crun do. */
			if ((cap = oci_cap_number(optarg)) < 0)
				oci_warn("--cap %s: unknown capability: ignored",
				    optarg);
			else
				o.caps |= 1ULL << cap;
			break;
		case 'n':
			o.nnp = 1;
			break;
		case 'F':
			/* Only stdio goes into a jail (DESIGN.md §9). */
			if (strcmp(optarg, "0") != 0) {
				oci_err("--preserve-fds %s: not supported: "
				    "only stdio enters a jail", optarg);
				free(o.env);
				return EXEC_FAILED;
			}
			break;
		case 'l':
		case 'a':
			oci_warn("--%s %s: ignored (no LSM labels for jails)",
			    ch == 'l' ? "process-label" : "apparmor", optarg);
			break;
		case 'i':
			o.ignore_paused = 1;
			break;
		case 'C':
			if (exec_cgroup(optarg) < 0) {
				free(o.env);
				return EXEC_FAILED;
			}
			break;
		default:
			goto usage;
		}
	}
	if (argc - optind < 1)
		goto usage;
	ret = run_exec(&o, argv[optind], argv + optind + 1);
	free(o.env);
	return ret;
usage:
	oci_err("exec: usage: exec [--process file | args...] [--detach] "
	    "[--tty] [--console-socket path] [--pid-file file] [--cwd dir] "
	    "[--env K=V]... [--user uid[:gid]] [--additional-gids gid]... "
	    "[--cap CAP]... [--no-new-privs] [--ignore-paused] [--cgroup /] "
	    "id [args...]");
	free(o.env);
	return 2;
}
