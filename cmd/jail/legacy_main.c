/*
 * jail(8): create, modify and remove jails from the command line.
 *
 *	jail [-cm] [-dhilqv] [-J jid_file] [-u user] [-U user]
 *	     param=value ... [command=cmd ...]
 *	jail [-rR] [-qv] [* | jail ...]
 *	jail [-dhilqv] [-J jid_file] [-u user | -U user] [-n name]
 *	     [-s securelevel] path hostname ip[,ip...] command ...
 *
 * jail.conf(5) is not read yet: every jail is described on the command
 * line.  Parameters go to the kernel interface through libjail(3); the
 * pseudo-parameters that jail(8) handles itself (command, exec.start and
 * the user and environment settings of commands) are taken out first.
 */
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include "jail.h"
#include "run.h"
#include "intparam.h"

/* A kernel parameter from the command line, in the order given. */
struct cparam {
	char		*name;		/* booleans under their positive name */
	char		*value;		/* NULL: given bare */
	unsigned	 jpflags;	/* jp_flags of the parameter */
	int		 ctltype;	/* jp_ctltype of the parameter */
	int		 drop;		/* unchanged create-only: not sent */
};

static struct cparam *cp;
static int ncp;

/* jail(8)'s own parameters. */
static char **exec_start;	/* exec.start, in order */
static int nexec_start;
static char **command;		/* command= and the arguments after it */
static const char *jail_user;	/* exec.jail_user, -u, -U */
static int system_jail_user;	/* exec.system_jail_user, -u */
static int exec_clean;		/* exec.clean, -l */
static int ip_hostname;		/* ip_hostname, -h */
static int stop_timeout = 10;	/* stop.timeout: FreeBSD's default */

static int verbose;		/* -1 with -q or -i, 1 with -v */
static int iflag;
static int legacy_form;		/* path hostname ip command */
static const char *jfile;
static FILE *jfp;

extern char **environ;

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr,
	    "usage: jail [-dhilqv] [-J jid_file] [-u username] [-U username]\n"
	    "            -[cmr] param=value ... [command=command ...]\n"
	    "       jail [-qv] -[rR] [* | jail ...]\n"
	    "       jail [-dhilqv] [-J jid_file] [-u username] [-U username]\n"
	    "            [-n jailname] [-s securelevel]\n"
	    "            path hostname ip[,ip...] command ...\n");
	exit(1);
}

static char *
xstrdup(const char *s)
{
	char *p = strdup(s);

	if (p == NULL)
		err(1, "strdup");
	return p;
}

static int
find_cp(const char *name)
{
	for (int i = 0; i < ncp; i++)
		if (strcmp(cp[i].name, name) == 0)
			return i;
	return -1;
}

/* The value of string parameter NAME as given, or NULL. */
static const char *
given(const char *name)
{
	int i = find_cp(name);

	return i >= 0 ? cp[i].value : NULL;
}

static int
is_list(int ctltype)
{
	return (ctltype & CTLTYPE) == CTLTYPE_STRUCT;
}

static int
is_create_only(int ctltype)
{
	return (ctltype & CTLFLAG_TUN) != 0 && (ctltype & CTLFLAG_WR) == 0;
}

/* A boolean of jail(8) itself: bare means true. */
static int
pseudo_bool(const char *name, const char *value)
{
	char *end;
	long v;

	if (value == NULL || strcasecmp(value, "true") == 0)
		return 1;
	if (strcasecmp(value, "false") == 0)
		return 0;
	errno = 0;
	v = strtol(value, &end, 10);
	if (*value == '\0' || *end != '\0' || errno != 0)
		errx(1, "%s: unknown boolean value \"%s\"", name, value);
	return v != 0;
}

/* A non-negative int value of internal parameter NAME. */
static int
pseudo_int(const char *name, const char *value)
{
	char *end;
	long v;

	if (value == NULL)
		errx(1, "%s: no value", name);
	errno = 0;
	v = strtol(value, &end, 10);
	if (*value == '\0' || *end != '\0' || errno != 0 || v < 0 ||
	    v > INT_MAX)
		errx(1, "%s: non-integer value \"%s\"", name, value);
	return (int)v;
}

/*
 * jail(8)'s own parameters, which never reach the kernel (the table of
 * jail_intparam.c).  Returns 1 when NAME was one of them.  Those that
 * need jail.conf's machinery, which does not exist yet, are refused, as
 * is any other exec.* or mount.* name.
 */
static int
pseudo_param(const char *name, const char *value)
{
	int neg, ip = intparam_find(name, &neg);

	if (ip < 0) {
		if (strncmp(name, "exec.", 5) == 0 ||
		    strcmp(name, "mount") == 0 || strncmp(name, "mount.", 6) == 0)
			errx(1, "unknown parameter: %s", name);
		return 0;
	}
	if (!(intparams[ip].flags & IPF_READY))
		errx(1, "unknown parameter: %s", name);
	switch ((enum intparam)ip) {
	case IP_EXEC_START:
		if (value == NULL) {
			/* Given bare: no commands. */
			nexec_start = 0;
			return 1;
		}
		exec_start = reallocarray(exec_start, (size_t)nexec_start + 1,
		    sizeof(*exec_start));
		if (exec_start == NULL)
			err(1, "malloc");
		exec_start[nexec_start++] = xstrdup(value);
		return 1;
	case IP_EXEC_JAIL_USER:
		if (value == NULL || *value == '\0')
			errx(1, "%s: no value", name);
		jail_user = value;
		return 1;
	case IP_EXEC_SYSTEM_JAIL_USER:
		system_jail_user = pseudo_bool(name, value) ^ neg;
		return 1;
	case IP_EXEC_CLEAN:
		exec_clean = pseudo_bool(name, value) ^ neg;
		return 1;
	case IP_IP_HOSTNAME:
		ip_hostname = pseudo_bool(name, value) ^ neg;
		return 1;
	case IP_STOP_TIMEOUT:
		stop_timeout = pseudo_int(name, value);
		return 1;
	case IP_ALLOW_DYING:
		warnx("the 'allow.dying' parameter and '-d' flag are "
		    "deprecated and have no effect.");
		return 1;
	default:
		/* command= is taken before (parse_args): not a parameter. */
		errx(1, "unknown parameter: %s", name);
	}
}

/*
 * Take NAME[=VALUE] as a kernel parameter: checked at once, so that errors
 * come in the order of the arguments, and kept to be sent later.  A later
 * value replaces an earlier one, except that address lists add up and
 * meta/env edits all apply in turn.
 */
static void
add_param(const char *name, const char *value)
{
	struct jailparam jp;
	char *canon = NULL;
	int i;

	if (jailparam_init(&jp, name) < 0)
		errx(1, "%s", jail_errmsg);
	if (value == NULL && (jp.jp_flags & JP_JAILSYS))
		value = "";		/* "vnet" alone means vnet=new */
	if (jailparam_import(&jp, value) < 0)
		errx(1, "%s", jail_errmsg);

	if (jp.jp_flags & (JP_BOOL | JP_NOBOOL)) {
		/* "nopersist" is persist=false, allow.mount.notmpfs likewise. */
		int v = *(int *)jp.jp_value != 0;

		if (jp.jp_flags & JP_NOBOOL) {
			const char *last = strrchr(name, '.');

			last = last != NULL ? last + 1 : name;
			if (asprintf(&canon, "%.*s%s", (int)(last - name), name,
			    last + 2) < 0)
				err(1, "asprintf");
			v = !v;
		} else
			canon = xstrdup(name);
		value = v ? "true" : "false";
		jp.jp_flags = JP_BOOL;
	} else
		canon = xstrdup(name);

	i = find_cp(canon);
	if (i >= 0 && !(jp.jp_flags & JP_KEYVALUE) &&
	    strcmp(canon, "meta") != 0 && strcmp(canon, "env") != 0) {
		char *nv;

		if (is_list(jp.jp_ctltype) && cp[i].value != NULL &&
		    *cp[i].value != '\0' && value != NULL && *value != '\0') {
			if (asprintf(&nv, "%s,%s", cp[i].value, value) < 0)
				err(1, "asprintf");
		} else if (is_list(jp.jp_ctltype) && value != NULL &&
		    *value == '\0' && cp[i].value != NULL)
			nv = xstrdup(cp[i].value);
		else
			nv = value != NULL ? xstrdup(value) : NULL;
		free(cp[i].value);
		cp[i].value = nv;
		free(canon);
	} else {
		cp = reallocarray(cp, (size_t)ncp + 1, sizeof(*cp));
		if (cp == NULL)
			err(1, "malloc");
		cp[ncp].name = canon;
		cp[ncp].value = value != NULL ? xstrdup(value) : NULL;
		cp[ncp].jpflags = jp.jp_flags;
		cp[ncp].ctltype = jp.jp_ctltype;
		cp[ncp].drop = 0;
		ncp++;
	}
	jailparam_free(&jp, 1);
}

/* NAME=VALUE ... [command=cmd args ...] */
static void
parse_args(int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		char *arg = argv[i], *eq = strchr(arg, '='), *name;
		const char *value = eq != NULL ? eq + 1 : NULL;

		if (*arg == '\0')
			errx(1, "empty parameter: missing parameter name");
		if (eq == arg)
			errx(1, "%s: missing parameter name", arg);
		name = eq != NULL ? strndup(arg, (size_t)(eq - arg)) :
		    xstrdup(arg);
		if (name == NULL)
			err(1, "strndup");
		if (strcmp(name, "command") == 0) {
			/* It takes the rest of the line with it. */
			if (value != NULL && *value != '\0') {
				argv[i] = (char *)value;
				command = argv + i;
			} else
				command = argv + i + 1;
			if (command[0] == NULL)
				errx(1, "command: no command given");
			free(name);
			return;
		}
		if (!pseudo_param(name, value))
			add_param(name, value);
		free(name);
	}
}

/* -h, ip_hostname: the addresses host.hostname resolves to. */
static void
resolve_hostname(void)
{
	struct addrinfo hints, *res, *ai;
	const char *host = given("host.hostname");
	char buf[INET6_ADDRSTRLEN];
	int e;

	if (host == NULL || *host == '\0')
		errx(1, "ip_hostname: no host.hostname to resolve");
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if ((e = getaddrinfo(host, NULL, &hints, &res)) != 0)
		errx(1, "host.hostname %s: %s", host, gai_strerror(e));
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		const void *a;

		if (ai->ai_family == AF_INET)
			a = &((struct sockaddr_in *)ai->ai_addr)->sin_addr;
		else if (ai->ai_family == AF_INET6)
			a = &((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr;
		else
			continue;
		if (inet_ntop(ai->ai_family, a, buf, sizeof(buf)) == NULL)
			continue;
		/* getaddrinfo repeats an address per socket type. */
		const char *have = given(ai->ai_family == AF_INET ? "ip4.addr" :
		    "ip6.addr");
		int dup = 0;

		if (have != NULL) {
			size_t n = strlen(buf);

			for (const char *p = have; (p = strstr(p, buf)) != NULL;
			    p++)
				if ((p == have || p[-1] == ',') &&
				    (p[n] == '\0' || p[n] == ','))
					dup = 1;
		}
		if (!dup)
			add_param(ai->ai_family == AF_INET ? "ip4.addr" :
			    "ip6.addr", buf);
	}
	freeaddrinfo(res);
}

/* The libjail parameters to send. */
static struct jailparam *
build_params(unsigned *np)
{
	struct jailparam *jp;
	unsigned n = 0;

	jp = calloc((size_t)ncp + 1, sizeof(*jp));
	if (jp == NULL)
		err(1, "calloc");
	for (int i = 0; i < ncp; i++) {
		const char *v = cp[i].value;

		if (cp[i].drop)
			continue;
		if (jailparam_init(&jp[n], cp[i].name) < 0 ||
		    jailparam_import(&jp[n], v) < 0)
			errx(1, "%s", jail_errmsg);
		n++;
	}
	*np = n;
	return jp;
}

static void
free_params(struct jailparam *jp, unsigned n)
{
	jailparam_free(jp, n);
	free(jp);
}

/* Before creating: the path must be a directory (and absolute if named). */
static int
check_path(void)
{
	const char *path = given("path");
	struct stat sb;

	if (path == NULL)
		return 0;
	if (path[0] != '/' && given("name") != NULL) {
		warnx("path %s: not an absolute pathname", path);
		return -1;
	}
	if (stat(path, &sb) < 0) {
		warnx("path %s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(sb.st_mode)) {
		warnx("path %s: %s", path, strerror(ENOTDIR));
		return -1;
	}
	return 0;
}

/*
 * For an update: a create-only parameter (path, ip4, vnet, osrelease...)
 * equal to the running jail's value is left out; one that differs makes
 * a restart necessary.  Returns the name of the first that differs, or
 * NULL.
 */
static const char *
changed_create_only(int jid)
{
	struct jailparam *run;
	int *idx, n = 0, jp_jid;
	const char *diff = NULL;
	char buf[32];

	idx = calloc((size_t)ncp + 1, sizeof(*idx));
	run = calloc((size_t)ncp + 1, sizeof(*run));
	if (idx == NULL || run == NULL)
		err(1, "calloc");
	snprintf(buf, sizeof(buf), "%d", jid);
	if (jailparam_init(&run[0], "jid") < 0 ||
	    jailparam_import(&run[0], buf) < 0)
		errx(1, "%s", jail_errmsg);
	for (int i = 0; i < ncp; i++) {
		if (!is_create_only(cp[i].ctltype) ||
		    strcmp(cp[i].name, "jid") == 0)
			continue;
		if (jailparam_init(&run[n + 1], cp[i].name) < 0)
			errx(1, "%s", jail_errmsg);
		idx[n++] = i;
	}
	jp_jid = n > 0 ? jailparam_get(run, (unsigned)n + 1, 0) : -1;
	for (int k = 0; jp_jid > 0 && k < n; k++) {
		struct cparam *c = &cp[idx[k]];
		struct jailparam want;
		char *have, *v, real[PATH_MAX];
		int same;

		if ((have = jailparam_export(&run[k + 1])) == NULL)
			continue;
		if (jailparam_init(&want, c->name) < 0 ||
		    jailparam_import(&want, c->value) < 0 ||
		    (v = jailparam_export(&want)) == NULL)
			errx(1, "%s", jail_errmsg);
		if (strcmp(c->name, "path") == 0 && realpath(v, real) != NULL)
			same = strcmp(real, have) == 0;
		else
			same = strcmp(v, have) == 0;
		if (same)
			c->drop = 1;
		else if (diff == NULL)
			diff = c->name;
		free(v);
		free(have);
		jailparam_free(&want, 1);
	}
	free_params(run, (unsigned)n + 1);
	free(idx);
	return diff;
}

/* The command line of command=, for messages. */
static char *
join_command(void)
{
	char *line = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&line, &len);

	if (f == NULL)
		err(1, "open_memstream");
	for (int i = 0; command[i] != NULL; i++)
		fprintf(f, "%s%s", i > 0 ? " " : "", command[i]);
	if (fclose(f) != 0)
		err(1, "open_memstream");
	return line;
}

/*
 * A value as jail(8) prints it: quoted when empty or holding blanks or
 * quotes, with backslashes and the quote character escaped.
 */
static void
quoted_print(FILE *fp, const char *v)
{
	int qc;

	if (*v == '\0' || strchr(v, '\'') != NULL)
		qc = '"';
	else if (strchr(v, '"') != NULL)
		qc = '\'';
	else if (strpbrk(v, " \t\n") != NULL)
		qc = '"';
	else
		qc = 0;
	if (qc != 0)
		putc(qc, fp);
	for (; *v != '\0'; v++) {
		if (*v == '\\' || *v == qc)
			putc('\\', fp);
		putc(*v, fp);
	}
	if (qc != 0)
		putc(qc, fp);
}

/* "persist" or "nopersist", "allow.mount.notmpfs": NAME is positive. */
static void
print_bool(FILE *fp, const char *name, int v)
{
	const char *last = strrchr(name, '.');

	last = last != NULL ? last + 1 : name;
	fprintf(fp, "%.*s%s%s", (int)(last - name), name, v ? "" : "no", last);
}

/* One parameter as a jail(8) argument: name=value, or a boolean word. */
static void
print_cparam(FILE *fp, const struct cparam *c)
{
	if (c->jpflags & JP_BOOL) {
		print_bool(fp, c->name, strcmp(c->value, "true") == 0);
		return;
	}
	fputs(c->name, fp);
	if (c->value == NULL)
		return;
	putc('=', fp);
	quoted_print(fp, c->value);
}

/*
 * -J: the jail's parameters on one line, tab-separated, in the jail(8)
 * argument form: jid first, then the parameters as they were given (name
 * and path added when they were not).
 */
static void
write_jfile(int jid, const char *name, const char *path)
{
	if (jfp == NULL)
		return;
	if (legacy_form) {
		/* The old form's file: jid, path, hostname, addresses, command. */
		const char *a4 = given("ip4.addr"), *a6 = given("ip6.addr");
		char *line = join_command();

		fprintf(jfp, "%d\t", jid);
		quoted_print(jfp, path);
		putc('\t', jfp);
		quoted_print(jfp, given("host.hostname") != NULL ?
		    given("host.hostname") : "");
		fprintf(jfp, "\t%s%s%s\t", a4 != NULL ? a4 : "",
		    a4 != NULL && a6 != NULL && *a4 != '\0' ? "," : "",
		    a6 != NULL ? a6 : "");
		quoted_print(jfp, line);
		putc('\n', jfp);
		free(line);
		if (fflush(jfp) != 0 || ferror(jfp))
			warn("%s", jfile);
		return;
	}
	fprintf(jfp, "jid=%d", jid);
	if (given("name") == NULL) {
		fputs("\tname=", jfp);
		quoted_print(jfp, name);
	}
	if (given("path") == NULL) {
		fputs("\tpath=", jfp);
		quoted_print(jfp, path);
	}
	for (int i = 0; i < ncp; i++) {
		if (strcmp(cp[i].name, "jid") == 0)
			continue;
		putc('\t', jfp);
		print_cparam(jfp, &cp[i]);
	}
	for (int i = 0; i < nexec_start; i++) {
		fputs("\texec.start=", jfp);
		quoted_print(jfp, exec_start[i]);
	}
	if (jail_user != NULL) {
		fputs("\texec.jail_user=", jfp);
		quoted_print(jfp, jail_user);
		fprintf(jfp, "\t%sexec.system_jail_user",
		    system_jail_user ? "" : "no");
	}
	if (exec_clean)
		fputs("\texec.clean", jfp);
	if (command != NULL) {
		char *line = join_command();

		fputs("\tcommand=", jfp);
		quoted_print(jfp, line);
		free(line);
	}
	putc('\n', jfp);
	if (fflush(jfp) != 0 || ferror(jfp))
		warn("%s", jfile);
}

/* -v: the jail_set call, as FreeBSD's jail(8) traces it. */
static void
trace_set(const struct jailparam *jp, unsigned n, int flags, int jid)
{
	if (verbose <= 0)
		return;
	printf("jail_set(%s)", (flags & (JAIL_CREATE | JAIL_UPDATE)) ==
	    JAIL_CREATE ? "JAIL_CREATE" : (flags & JAIL_CREATE) ?
	    "JAIL_CREATE | JAIL_UPDATE" : "JAIL_UPDATE");
	for (unsigned i = 0; i < n; i++) {
		char *v;

		putchar(' ');
		if (jp[i].jp_flags & (JP_BOOL | JP_NOBOOL)) {
			int b = jp[i].jp_value == NULL ||
			    *(int *)jp[i].jp_value != 0;

			if (jp[i].jp_flags & JP_NOBOOL)
				b = !b;
			print_bool(stdout, jp[i].jp_name, b);
			continue;
		}
		fputs(jp[i].jp_name, stdout);
		if (jp[i].jp_value == NULL &&
		    (jp[i].jp_ctltype & CTLTYPE) != CTLTYPE_STRUCT)
			continue;
		if ((v = jailparam_export((struct jailparam *)&jp[i])) == NULL)
			continue;
		putchar('=');
		quoted_print(stdout, v);
		free(v);
	}
	if (jid < 0)
		printf(": %s", jail_errmsg);
	putchar('\n');
	fflush(stdout);
}

/* jailparam_set, traced with -v. */
static int
set_traced(struct jailparam *jp, unsigned n, int flags)
{
	int jid = jailparam_set(jp, n, flags);

	trace_set(jp, n, flags, jid);
	return jid;
}

/* The environment of in-jail commands: ours, with JID, JNAME, JPATH. */
static char **
command_env(int jid, const char *name, const char *path)
{
	size_t n = 0, k = 0;
	char **env;

	while (environ != NULL && environ[n] != NULL)
		n++;
	if ((env = calloc(n + 4, sizeof(*env))) == NULL)
		err(1, "calloc");
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "JID=", 4) != 0 &&
		    strncmp(environ[i], "JNAME=", 6) != 0 &&
		    strncmp(environ[i], "JPATH=", 6) != 0)
			env[k++] = environ[i];
	if (asprintf(&env[k++], "JID=%d", jid) < 0 ||
	    asprintf(&env[k++], "JNAME=%s", name) < 0 ||
	    asprintf(&env[k++], "JPATH=%s", path) < 0)
		err(1, "asprintf");
	env[k] = NULL;
	return env;
}

/* Replace our standard input with /dev/null. */
static void
stdin_null(void)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	if (fd < 0 || dup2(fd, STDIN_FILENO) < 0)
		err(1, "/dev/null");
	close(fd);
}

/* Run ARGV in the jail and wait; 0 if it exited 0. */
static int
run_in_jail(int jid, const char *label, char **env, char *const *argv,
    const char *line, int background)
{
	struct jail_run r;
	int status;
	pid_t pid;

	memset(&r, 0, sizeof(r));
	r.argv = argv;
	r.envp = env;
	r.login = exec_clean;
	if (jail_user != NULL && system_jail_user)
		r.host_user = jail_user;
	else
		r.jail_user = jail_user;
	if (verbose > 0) {
		printf("%s: run command in jail%s%s: %s\n", label,
		    jail_user != NULL ? " as " : "",
		    jail_user != NULL ? jail_user : "", line);
		fflush(stdout);
	}
	if (background) {
		/* A trailing "&": started in its own session, not waited for. */
		fflush(stdout);
		fflush(stderr);
		if ((pid = fork()) < 0) {
			warn("fork");
			return -1;
		}
		if (pid > 0)
			return 0;
		(void)setsid();
		/*
		 * As sh does for "&": no terminal input.  The relay of the
		 * jail's terminal (run.c) would otherwise read the user's
		 * terminal from outside its session, against the shell.
		 */
		if (isatty(STDIN_FILENO))
			stdin_null();
		if (jail__run(jid, &r, &status) < 0) {
			warnx("%s", jail_errmsg[0] != '\0' ? jail_errmsg :
			    strerror(errno));
			_exit(1);
		}
		_exit(0);
	}
	if (jail__run(jid, &r, &status) < 0) {
		warnx("%s", jail_errmsg[0] != '\0' ? jail_errmsg :
		    strerror(errno));
		return -1;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFSIGNALED(status))
		warnx("%s: exited on signal %d", line, WTERMSIG(status));
	else
		warnx("%s: failed", line);
	return -1;
}

/*
 * One exec.start string.  With a shell special character in it (a single
 * trailing "&" aside) it goes to /bin/sh -c; else it is split on blanks.
 */
static int
run_string(int jid, const char *label, char **env, const char *s)
{
	static const char specials[] = "!\"$&'()*;<>?[\\]`{|}~";
	char *copy = xstrdup(s), **argv = NULL, *tok, *save = NULL;
	size_t len = strlen(copy), n = 0;
	int background = 0, rc;

	while (len > 0 && isspace((unsigned char)copy[len - 1]))
		copy[--len] = '\0';
	if (len > 0 && copy[len - 1] == '&' && (len < 2 || copy[len - 2] != '&')) {
		background = 1;
		copy[--len] = '\0';
		while (len > 0 && isspace((unsigned char)copy[len - 1]))
			copy[--len] = '\0';
	}
	if (strpbrk(copy, specials) != NULL) {
		char *sh[] = { "/bin/sh", "-c", copy, NULL };

		rc = run_in_jail(jid, label, env, sh, copy, background);
		free(copy);
		return rc;
	}
	for (tok = strtok_r(copy, " \t\n", &save); tok != NULL;
	    tok = strtok_r(NULL, " \t\n", &save)) {
		if ((argv = reallocarray(argv, n + 2, sizeof(*argv))) == NULL)
			err(1, "malloc");
		argv[n++] = tok;
		argv[n] = NULL;
	}
	rc = n == 0 ? 0 : run_in_jail(jid, label, env, argv, s, background);
	free(argv);
	free(copy);
	return rc;
}

/*
 * The stop.timeout step of a removal: SIGTERM to the jail's processes,
 * and up to stop.timeout seconds for them to exit (0: none of it).  What
 * fails here is left to jail_remove, which says what is wrong; -v notes
 * a timeout, as FreeBSD's jail(8) does.
 */
static void
stop_jail(int jid, const char *label)
{
	if (jail__stop(jid, stop_timeout) == 1 && verbose > 0)
		printf("%s: timed out\n", label);
}

static int
remove_jail(int jid, const char *label, int announce)
{
	stop_jail(jid, label);
	/* Without persist, the jail may have ended with its processes. */
	if (jail_remove(jid) < 0 && errno != EINVAL) {
		warnx("%s: jail_remove: %s", label, strerror(errno));
		return -1;
	}
	if (announce)
		printf("%s: removed\n", label);
	fflush(stdout);
	return 0;
}

/* The name and path of jail JID, as jls shows them. */
static void
jail_identity(int jid, char **name, char **path)
{
	struct jailparam jp[3];
	char buf[32];

	*name = *path = NULL;
	snprintf(buf, sizeof(buf), "%d", jid);
	if (jailparam_init(&jp[0], "jid") < 0)
		return;
	if (jailparam_init(&jp[1], "name") < 0) {
		jailparam_free(jp, 1);
		return;
	}
	if (jailparam_init(&jp[2], "path") < 0) {
		jailparam_free(jp, 2);
		return;
	}
	if (jailparam_import(&jp[0], buf) == 0 &&
	    jailparam_get(jp, 3, 0) > 0) {
		*name = jailparam_export(&jp[1]);
		*path = jailparam_export(&jp[2]);
	}
	jailparam_free(jp, 3);
}

/*
 * The jid= or name= key of the command line, and whether a jail answers
 * to it (its jid in *jid).  Returns NULL when neither was given.
 */
static const char *
target_key(int *jid)
{
	const char *j = given("jid"), *name = given("name");
	const char *key;

	if (j != NULL && *j != '\0' && strcmp(j, "0") != 0)
		key = j;
	else if (name != NULL && *name != '\0')
		key = name;
	else {
		*jid = 0;
		return NULL;
	}
	*jid = jail_getid(key);
	if (*jid < 0)
		*jid = 0;
	return key;
}

/*
 * A create failed.  If it lost the name or jid KEY to another create
 * that raced it (jail_set's EEXIST, "jail ... already exists"), say so in
 * the words used when the jail was there before we looked, FreeBSD's
 * jail(8)'s; else the library's message.  The winner may still be being
 * built, invisible to a lookup: the message is what tells.
 */
static void
already_or(const char *key)
{
	static const char tail[] = " already exists";
	size_t len = strlen(jail_errmsg);

	if (errno == EEXIST && key != NULL &&
	    strncmp(jail_errmsg, "jail ", 5) == 0 && len >= sizeof(tail) &&
	    strcmp(jail_errmsg + len - (sizeof(tail) - 1), tail) == 0)
		warnx("\"%s\" already exists", key);
	else
		warnx("%s", jail_errmsg);
}

static int
create_jail(void)
{
	struct jailparam *jp;
	unsigned n;
	const char *persist = given("persist"), *key;
	int have_cmds = command != NULL || nexec_start > 0;
	int hold = -1, jid, rc = 0;
	char *name, *path, label[32], **env, *line;

	if (check_path() < 0)
		return 1;
	if ((key = target_key(&jid)) != NULL && jid > 0) {
		warnx("\"%s\" already exists", key);
		return 1;
	}
	/*
	 * Commands need the jail to outlive its creation: without persist,
	 * our connection to its prison holds it until we are done (or
	 * killed), and then it lives as long as its processes.
	 */
	jp = build_params(&n);
	if (have_cmds && (persist == NULL || strcmp(persist, "true") != 0)) {
		jid = jailparam__set_held(jp, n, JAIL_CREATE, &hold);
		trace_set(jp, n, JAIL_CREATE, jid);
	} else
		jid = set_traced(jp, n, JAIL_CREATE);
	free_params(jp, n);
	if (jid < 0) {
		already_or(key);
		return 1;
	}

	jail_identity(jid, &name, &path);
	if (name == NULL || *name == '\0') {
		free(name);
		snprintf(label, sizeof(label), "%d", jid);
		name = xstrdup(given("name") != NULL ? given("name") : label);
	}
	if (path == NULL)
		path = xstrdup(given("path") != NULL ? given("path") : "/");
	if (iflag)
		printf("%d\n", jid);
	/*
	 * FreeBSD names a note after the jail's configuration entry; a jail
	 * made on the command line has none, so the note is bare.
	 */
	if (verbose > 0)
		printf("created\n");
	fflush(stdout);
	write_jfile(jid, name, path);

	env = exec_clean ? NULL : command_env(jid, name, path);
	for (int i = 0; i < nexec_start && rc == 0; i++)
		if (run_string(jid, name, env, exec_start[i]) < 0)
			rc = 1;
	if (rc == 0 && command != NULL) {
		line = join_command();
		if (run_in_jail(jid, name, env, command, line, 0) < 0)
			rc = 1;
		free(line);
	}
	if (rc != 0) {
		/* A failed start undoes the creation. */
		if (jail_remove(jid) < 0 && errno != EINVAL && errno != ENOENT)
			warnx("%s: jail_remove: %s", name, strerror(errno));
	}
	if (hold >= 0)
		close(hold);
	if (env != NULL) {
		for (int i = 0; env[i] != NULL; i++)
			if (strncmp(env[i], "JID=", 4) == 0 ||
			    strncmp(env[i], "JNAME=", 6) == 0 ||
			    strncmp(env[i], "JPATH=", 6) == 0)
				free(env[i]);
		free(env);
	}
	free(name);
	free(path);
	return rc;
}

static int
update_jail(void)
{
	struct jailparam *jp;
	unsigned n;
	int jid;
	char *name = NULL, *path = NULL, label[32];

	jp = build_params(&n);
	jid = set_traced(jp, n, JAIL_UPDATE);
	free_params(jp, n);
	if (jid < 0) {
		warnx("%s", jail_errmsg);
		return 1;
	}
	jail_identity(jid, &name, &path);
	snprintf(label, sizeof(label), "%d", jid);
	if (verbose > 0)
		printf("updated\n");	/* bare, as "created" above */
	fflush(stdout);
	write_jfile(jid, name != NULL ? name : label, path != NULL ? path : "");
	if (command != NULL || nexec_start > 0)
		warnx("%s: command and exec.start run only when a jail is "
		    "created", name != NULL && *name != '\0' ? name : label);
	free(name);
	free(path);
	return 0;
}

/*
 * Remove jail JID for a restart, noting it with -v.  The jail is not
 * removed when what would replace it cannot be created for want of
 * persist or a command.
 */
static int
remove_for_restart(int jid)
{
	const char *persist = given("persist");
	char *name, buf[32];
	int rc;

	if ((persist == NULL || strcmp(persist, "true") != 0) &&
	    command == NULL && nexec_start == 0) {
		warnx("new jail must persist or attach");
		return -1;
	}
	name = jail_getname(jid);

	snprintf(buf, sizeof(buf), "%d", jid);
	rc = remove_jail(jid, name != NULL && *name != '\0' ? name : buf,
	    verbose > 0);
	free(name);
	return rc;
}

/* -c, -m and their combinations with -r, from parameters. */
static int
set_jails(int op_c, int op_m, int op_r)
{
	const char *key, *diff;
	int target;

	key = target_key(&target);
	if (op_r && !op_m) {
		/* -rc: remove the jail if it is there, and create it anew. */
		if (check_path() < 0)
			return 1;
		if (target > 0 && remove_for_restart(target) < 0)
			return 1;
		return create_jail();
	}
	if (op_c && (!op_m || target <= 0))
		return create_jail();
	if (key != NULL && target <= 0) {
		/* -m of a jail that is not there. */
		warnx("\"%s\" not found", key);
		return 1;
	}
	if (target > 0 && (diff = changed_create_only(target)) != NULL) {
		if (!op_r) {
			warnx("%s cannot be changed after creation", diff);
			return 1;
		}
		/* -mr: a create-only change means a restart. */
		for (int i = 0; i < ncp; i++)
			cp[i].drop = 0;
		if (check_path() < 0 || remove_for_restart(target) < 0)
			return 1;
		return create_jail();
	}
	return update_jail();
}

/* Does jail NAME match the wildcard PAT ("*" or "prefix.*")? */
static int
wild_match(const char *pat, const char *name)
{
	return fnmatch(pat, name, 0) == 0;
}

/* -r, -R: remove jails by name, jid or wildcard. */
static int
remove_jails(int argc, char **argv)
{
	int rc = 0, wild = 0, announce;

	for (int i = 0; i < argc; i++)
		if (strchr(argv[i], '*') != NULL)
			wild = 1;
	announce = verbose > 0 || (verbose == 0 && (argc > 1 || wild));
	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i];
		char *name;
		int jid;

		if (*arg == '\0') {
			warnx("\"\" not found");
			rc = 1;
			continue;
		}
		if (strchr(arg, '*') != NULL) {
			/* Collect first, remove after: removal ends the walk. */
			struct jailparam jp[2];
			int *jids = NULL, nj = 0, last = 0, j;
			char buf[32];

			if (jailparam_init(&jp[0], "lastjid") < 0 ||
			    jailparam_init(&jp[1], "name") < 0)
				errx(1, "%s", jail_errmsg);
			for (;;) {
				snprintf(buf, sizeof(buf), "%d", last);
				if (jailparam_import(&jp[0], buf) < 0)
					errx(1, "%s", jail_errmsg);
				if ((j = jailparam_get(jp, 2, 0)) < 0) {
					int gone;

					if (errno == ENOENT && sscanf(
					    jail_errmsg, "jail %d ", &gone) ==
					    1 && gone > last) {
						last = gone;
						continue;
					}
					break;
				}
				last = j;
				if ((name = jailparam_export(&jp[1])) == NULL)
					continue;
				if (wild_match(arg, name)) {
					jids = reallocarray(jids, (size_t)nj + 1,
					    sizeof(*jids));
					if (jids == NULL)
						err(1, "malloc");
					jids[nj++] = j;
				}
				free(name);
			}
			jailparam_free(jp, 2);
			for (int k = 0; k < nj; k++) {
				char buf2[32];

				snprintf(buf2, sizeof(buf2), "%d", jids[k]);
				name = jail_getname(jids[k]);
				if (remove_jail(jids[k], name != NULL ? name :
				    buf2, announce) < 0)
					rc = 1;
				free(name);
			}
			free(jids);
			continue;
		}
		if ((jid = jail_getid(arg)) <= 0) {
			warnx("\"%s\" not found", arg);
			rc = 1;
			continue;
		}
		name = jail_getname(jid);
		if (remove_jail(jid, name != NULL && *name != '\0' ? name : arg,
		    announce) < 0)
			rc = 1;
		free(name);
	}
	return rc;
}

/* The old form: path hostname ip[,ip...] command ... */
static int
legacy(int argc, char **argv)
{
	char *ips, *tok, *save = NULL;

	if (argc < 4 || argv[0][0] != '/')
		usage();
	legacy_form = 1;
	add_param("path", argv[0]);
	add_param("host.hostname", argv[1]);
	ips = xstrdup(argv[2]);
	for (tok = strtok_r(ips, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save))
		add_param(strchr(tok, ':') != NULL ? "ip6.addr" : "ip4.addr",
		    tok);
	free(ips);
	command = argv + 3;
	if (ip_hostname)
		resolve_hostname();
	return create_jail();
}

int
main(int argc, char **argv)
{
	int ch, op_c = 0, op_m = 0, op_r = 0, op_R = 0;
	const char *lname = NULL, *lsecure = NULL;

	while ((ch = getopt(argc, argv, "+:cCde:f:hiJ:lmn:p:qrRs:u:U:v")) != -1) {
		switch (ch) {
		case 'c':
			op_c = 1;
			break;
		case 'm':
			op_m = 1;
			break;
		case 'r':
			op_r = 1;
			break;
		case 'R':
			op_R = 1;
			break;
		case 'C':
		case 'e':
		case 'f':
			errx(1, "-%c: jail.conf is not supported yet", ch);
		case 'd':
			warnx("the 'allow.dying' parameter and '-d' flag are "
			    "deprecated and have no effect.");
			break;
		case 'h':
			ip_hostname = 1;
			break;
		case 'i':
			iflag = 1;
			verbose = -1;
			break;
		case 'J':
			jfile = optarg;
			break;
		case 'l':
			exec_clean = 1;
			break;
		case 'n':
			lname = optarg;
			break;
		case 'p':
			/* Parallel exec.* limit: nothing runs in parallel. */
			break;
		case 'q':
			verbose = -1;
			break;
		case 's':
			lsecure = optarg;
			break;
		case 'u':
			jail_user = optarg;
			system_jail_user = 1;
			break;
		case 'U':
			jail_user = optarg;
			system_jail_user = 0;
			break;
		case 'v':
			verbose = 1;
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
	if (jail_user != NULL && *jail_user == '\0')
		errx(1, "-%c: empty user name", system_jail_user ? 'u' : 'U');

	if (op_R) {
		if (op_c || op_m || op_r || argc < 1)
			usage();
		return remove_jails(argc, argv) != 0;
	}
	if (op_r && !op_c && !op_m) {
		if (argc < 1)
			usage();
		return remove_jails(argc, argv) != 0;
	}
	if (jfile != NULL && (jfp = fopen(jfile, "w")) == NULL)
		err(1, "%s", jfile);
	if (lname != NULL)
		add_param("name", lname);
	if (lsecure != NULL)
		add_param("securelevel", lsecure);
	if (!op_c && !op_m && !op_r)
		return legacy(argc, argv) != 0;
	if (argc < 1)
		usage();
	parse_args(argc, argv);
	if (ip_hostname)
		resolve_hostname();
	ch = set_jails(op_c, op_m, op_r);
	if (jfp != NULL && fclose(jfp) != 0) {
		warn("%s", jfile);
		ch = 1;
	}
	if (fflush(stdout) != 0)
		ch = 1;
	return ch != 0;
}
