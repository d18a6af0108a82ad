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
 * terminal of the jail's to its own (lib/run.c), as jexec -t does.
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

/* exec's command line, before it is applied to a process. */
struct execopts {
	const char	*process, *console, *pidfile, *cwd, *user;
	int		 detach, tty, nnp;
	char		**env;		/* -e, in order */
	int		 nenv;
	gid_t		 gids[64];
	int		 ngids;
	uint64_t	 caps;		/* --cap, added to the sets */
};

/* An all-digits id; -1 when it is not. */
static long long
id_of(const char *s, size_t n)
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
override(struct oci_process *p, const struct execopts *o, char **args)
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
		long long uid = id_of(o->user, ulen), gid = 0;

		if (colon != NULL)
			gid = id_of(colon + 1, strlen(colon + 1));
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

/* The process to run: the file's or the container's with the options. */
static int
make_process(int dir, const char *id, const struct execopts *o, char **args,
    struct oci_process *p)
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

static volatile sig_atomic_t child;

static void
forward(int sig)
{
	if (child > 0)
		kill((pid_t)child, sig);
}

static int
exit_code(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return 1;
}

/* Wait for PID, our child, forwarding the signals an engine sends. */
int
oci_wait_forwarding(pid_t pid)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1,
	    SIGUSR2, SIGWINCH, SIGCONT };
	struct sigaction sa;
	int st;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = forward;
	sigemptyset(&sa.sa_mask);
	child = pid;
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return 1;
	return exit_code(st);
}

/* Write the pid file as create does: digits, no newline, renamed. */
static int
pidfile(const char *path, pid_t pid)
{
	char tmp[4096], num[32];
	int fd, n, ok;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp))
		return -1;
	n = snprintf(num, sizeof(num), "%d", (int)pid);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
	    0644);
	ok = fd >= 0 && write(fd, num, (size_t)n) == n;
	if (fd >= 0)
		close(fd);
	if (!ok || rename(tmp, path) < 0) {
		oci_err("--pid-file %s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

static int
stdio_tty(void)
{
	return isatty(0) || isatty(1) || isatty(2);
}

static int
run_exec(const struct execopts *o, const char *id, char **args)
{
	struct oci_state s;
	struct oci_process p;
	struct jail_run r;
	const char *status;
	int root, dir, ret = 1, csock = -1, master = -1, st;
	pid_t pid = -1;

	if ((dir = oci_open_existing(id, &root, &s)) < 0)
		return 1;
	memset(&p, 0, sizeof(p));
	status = oci_status(dir, &s);
	if (strcmp(status, "stopped") == 0 || jail_getid(s.name) != s.jid) {
		oci_err("cannot exec in a stopped container");
		goto out;
	}
	if (strcmp(status, "paused") == 0) {
		oci_err("cannot exec in a paused container");
		goto out;
	}
	if (make_process(dir, s.id, o, args, &p) < 0)
		goto out;
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
	/* Relayed through a pty of the jail's: exec's own terminal. */
	if (!o->detach && csock < 0 && (p.terminal || stdio_tty())) {
		if (o->pidfile != NULL)
			oci_warn("--pid-file: not written for a relayed "
			    "terminal");
		if (jail__run(s.jid, &r, &st) < 0) {
			oci_err("exec failed: %s", jail_errmsg);
			goto out;
		}
		ret = exit_code(st);
		goto out;
	}
	if (csock >= 0)
		r.console = &master;
	if (jail__spawn(s.jid, &r, &pid) < 0) {
		oci_err("exec failed: %s", jail_errmsg[0] != '\0' ?
		    jail_errmsg : strerror(errno));
		goto out;
	}
	oci_process_report(&p, pid);
	if (csock >= 0 && oci_console_send(csock, master) < 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		goto out;
	}
	if (o->pidfile != NULL && pidfile(o->pidfile, pid) < 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		goto out;
	}
	if (master >= 0) {
		close(master);
		master = -1;
	}
	ret = o->detach ? 0 : oci_wait_forwarding(pid);
out:
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
		{ NULL, 0, NULL, 0 },
	};
	struct execopts o;
	int ch, cap, ret;
	long long g;

	memset(&o, 0, sizeof(o));
	if ((o.env = calloc((size_t)argc, sizeof(char *))) == NULL)
		return 1;
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
			if ((g = id_of(optarg, strlen(optarg))) < 0 ||
			    o.ngids == 64) {
				oci_err("--additional-gids %s: not a group id",
				    optarg);
				goto usage;
			}
			o.gids[o.ngids++] = (gid_t)g;
			break;
		case 'c':
			if ((cap = oci_cap_number(optarg)) < 0) {
				oci_err("--cap %s: unknown capability", optarg);
				free(o.env);
				return 1;
			}
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
				return 1;
			}
			break;
		case 'l':
		case 'a':
			oci_warn("--%s %s: ignored (no LSM labels for jails)",
			    ch == 'l' ? "process-label" : "apparmor", optarg);
			break;
		case 'i':
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
	    "[--cap CAP]... [--no-new-privs] id [args...]");
	free(o.env);
	return 2;
}
