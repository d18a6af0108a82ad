/*
 * jail(8): create, modify and remove jails, from the command line.
 * (jail.conf(5) support comes with a later release.)
 */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "jail.h"
#include "run.h"

static int qflag, vflag, iflag;
static const char *jfile;

static struct jailparam *jp;
static int njp;
static char **cmd;		/* command= and the rest of argv */
static char *exec_start;	/* exec.start */
static const char *jail_user, *host_user;
static int clean_env;

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr,
	    "usage: jail [-dhilqv] [-J jid_file] [-u username] [-U username]\n"
	    "            -[cm] param=value ... [command=command ...]\n"
	    "       jail [-qv] -[rR] [* | jail ...]\n"
	    "       jail [-dhilqv] [-J jid_file] [-u username] [-U username]\n"
	    "            [-n jailname] [-s securelevel]\n"
	    "            path hostname ip[,ip...] command ...\n");
	exit(1);
}

static int
find(const char *name)
{
	for (int i = 0; i < njp; i++)
		if (strcmp(jp[i].jp_name, name) == 0)
			return i;
	return -1;
}

/* Add or replace NAME=VALUE; list parameters given twice are joined. */
static void
add(const char *name, const char *value)
{
	int i = find(name);
	char *joined = NULL;

	if (i >= 0 && value != NULL && (strcmp(name, "ip4.addr") == 0 ||
	    strcmp(name, "ip6.addr") == 0)) {
		char *old = jailparam_export(&jp[i]);

		if (old != NULL && *old != '\0' &&
		    asprintf(&joined, "%s,%s", old, value) > 0)
			value = joined;
		free(old);
	}
	if (i < 0) {
		jp = realloc(jp, sizeof(*jp) * (size_t)(njp + 1));
		if (jp == NULL)
			err(1, "realloc");
		if (jailparam_init(&jp[njp], name) < 0)
			errx(1, "%s", jail_errmsg);
		i = njp++;
	}
	if (jailparam_import(&jp[i], value) < 0)
		errx(1, "%s", jail_errmsg);
	free(joined);
}

static const char *
param_string(const char *name)
{
	int i = find(name);

	return i >= 0 && jp[i].jp_value != NULL ? jp[i].jp_value : NULL;
}

/* jail(8)'s own parameters, never sent to the kernel. */
static int
pseudo(const char *name, const char *value)
{
	if (strcmp(name, "exec.start") == 0) {
		free(exec_start);
		exec_start = value != NULL ? strdup(value) : NULL;
		return 1;
	}
	if (strcmp(name, "exec.jail_user") == 0) {
		jail_user = value;
		return 1;
	}
	if (strcmp(name, "exec.system_jail_user") == 0) {
		if (jail_user != NULL && (value == NULL || strcmp(value, "false")))
			host_user = jail_user, jail_user = NULL;
		return 1;
	}
	if (strcmp(name, "exec.clean") == 0) {
		clean_env = value == NULL || strcmp(value, "false") != 0;
		return 1;
	}
	if (strcmp(name, "stop.timeout") == 0 || strcmp(name, "allow.dying") == 0)
		return 1;
	if (strncmp(name, "exec.", 5) == 0 || strncmp(name, "mount", 5) == 0 ||
	    strcmp(name, "interface") == 0 || strcmp(name, "depend") == 0 ||
	    strcmp(name, "vnet.interface") == 0 || strcmp(name, "ip_hostname") == 0)
		errx(1, "%s: not supported without jail.conf yet", name);
	return 0;
}

static void
parse_params(int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		char *eq = strchr(argv[i], '='), *name, *value = NULL;

		if (eq == argv[i])
			errx(1, "%s: missing parameter name", argv[i]);
		name = eq != NULL ? strndup(argv[i], (size_t)(eq - argv[i])) :
		    strdup(argv[i]);
		if (name == NULL)
			err(1, "strdup");
		if (eq != NULL)
			value = eq + 1;
		if (strcmp(name, "command") == 0) {
			/* command=X takes the rest of the arguments with it. */
			if (value != NULL && *value != '\0') {
				argv[i] = value;
				cmd = argv + i;
			} else
				cmd = argv + i + 1;
			if (cmd[0] == NULL)
				errx(1, "command: no command given");
			free(name);
			return;
		}
		if (!pseudo(name, value))
			add(name, value);
		free(name);
	}
}

static int
shell_meta(const char *s)
{
	size_t n = strlen(s);

	/* A single trailing "&" means background, not the shell. */
	if (n > 0 && s[n - 1] == '&')
		n--;
	for (size_t i = 0; i < n; i++)
		if (strchr("!\"$&'()*;<>?[\\]`{|}~", s[i]) != NULL)
			return 1;
	return 0;
}

/* Run ARGV in the jail; 0 if it exited 0, else a message and -1. */
static int
run_in(int jid, const char *label, char *const *argv)
{
	struct jail_run r = { .argv = argv, .jail_user = jail_user,
	    .host_user = host_user, .login = clean_env, .dir = "/" };
	int status;

	if (vflag)
		printf("%s: run command in jail: %s\n", label, argv[0]);
	if (jail__run(jid, &r, &status) < 0) {
		warnx("%s", jail_errmsg);
		return -1;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFSIGNALED(status))
		warnx("%s: exited on signal %d", argv[0], WTERMSIG(status));
	else
		warnx("%s: failed", argv[0]);
	return -1;
}

static int
run_string(int jid, const char *label, const char *s)
{
	char *copy = strdup(s), *argv[64], *tok, *save = NULL;
	int n = 0, rc;

	if (copy == NULL)
		err(1, "strdup");
	if (shell_meta(s)) {
		char *sh[] = { "/bin/sh", "-c", copy, NULL };
		rc = run_in(jid, label, sh);
	} else {
		for (tok = strtok_r(copy, " \t\n", &save); tok != NULL && n < 63;
		    tok = strtok_r(NULL, " \t\n", &save))
			argv[n++] = tok;
		argv[n] = NULL;
		rc = n == 0 ? 0 : run_in(jid, label, argv);
	}
	free(copy);
	return rc;
}

static void
write_jfile(void)
{
	FILE *f = fopen(jfile, "w");

	if (f == NULL)
		err(1, "%s", jfile);
	for (int i = 0; i < njp; i++) {
		char *v = jailparam_export(&jp[i]);

		if (v == NULL)
			continue;
		if (jp[i].jp_flags & JP_BOOL)
			fprintf(f, "%s%s\n", strcmp(v, "true") ? "no" : "",
			    jp[i].jp_name);
		else
			fprintf(f, "%s=\"%s\"\n", jp[i].jp_name, v);
		free(v);
	}
	if (fclose(f) != 0)
		err(1, "%s", jfile);
}

static int
create(int flags)
{
	const char *path = param_string("path"), *name = param_string("name");
	char label[300];
	int have_cmd = cmd != NULL || exec_start != NULL;
	int pi = find("persist"), temp_persist = 0, jid, rc = 0;
	struct stat sb;

	if (path != NULL && (flags & JAIL_CREATE)) {
		if (path[0] != '/' && name != NULL)
			errx(1, "path %s: not an absolute pathname", path);
		if (stat(path, &sb) < 0)
			errx(1, "path %s: %s", path, strerror(errno));
		if (!S_ISDIR(sb.st_mode))
			errx(1, "path %s: %s", path, strerror(ENOTDIR));
	}
	/* Keep the jail while its commands run; let it go after. */
	if (have_cmd && (flags & JAIL_CREATE) &&
	    (pi < 0 || (jp[pi].jp_value != NULL && !*(int *)jp[pi].jp_value))) {
		add("persist", NULL);
		temp_persist = 1;
	}
	jid = jailparam_set(jp, (unsigned)njp, flags);
	if (jid < 0)
		errx(1, "%s", jail_errmsg);
	snprintf(label, sizeof(label), "%s", name != NULL ? name : "");
	if (label[0] == '\0')
		snprintf(label, sizeof(label), "%d", jid);
	if (iflag)
		printf("%d\n", jid);
	else if (vflag)
		printf("%s: %s\n", label, (flags & JAIL_CREATE) ? "created" :
		    "updated");
	fflush(stdout);
	if (jfile != NULL)
		write_jfile();
	if (exec_start != NULL && run_string(jid, label, exec_start) < 0)
		rc = 1;
	if (rc == 0 && cmd != NULL && run_in(jid, label, cmd) < 0)
		rc = 1;
	if (temp_persist) {
		char jidbuf[16];

		snprintf(jidbuf, sizeof(jidbuf), "%d", jid);
		if (jail_setv(JAIL_UPDATE, "jid", jidbuf, "nopersist", NULL, NULL) < 0 &&
		    errno != ENOENT)
			warnx("%s", jail_errmsg);
	}
	return rc;
}

static int
remove_one(int jid, const char *label, int announce)
{
	if (jail_remove(jid) < 0) {
		warnx("%s: jail_remove: %s", label, strerror(errno));
		return 1;
	}
	if (announce && !qflag)
		printf("%s: removed\n", label);
	return 0;
}

static int
remove_jails(int argc, char **argv)
{
	int rc = 0, announce = vflag || argc > 1;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "*") == 0) {
			int last = 0, jid;
			char lastbuf[16], jidbuf[16], name[256];

			for (;;) {
				snprintf(lastbuf, sizeof(lastbuf), "%d", last);
				jidbuf[0] = name[0] = '\0';
				jid = jail_getv(0, "lastjid", lastbuf, "jid", jidbuf,
				    "name", name, NULL);
				if (jid < 0)
					break;
				rc |= remove_one(jid, name, 1);
				last = jid;
			}
			continue;
		}
		int jid = jail_getid(argv[i]);
		char *name;

		if (jid < 0) {
			warnx("\"%s\" not found", argv[i]);
			rc = 1;
			continue;
		}
		name = jail_getname(jid);
		rc |= remove_one(jid, name != NULL ? name : argv[i], announce);
		free(name);
	}
	return rc;
}

int
main(int argc, char **argv)
{
	int ch, op = 0, Rflag = 0, rflag = 0;
	const char *lname = NULL, *lsecure = NULL;

	while ((ch = getopt(argc, argv, "+cdf:hiJ:lmn:p:qrRs:u:U:v")) != -1) {
		switch (ch) {
		case 'c': op |= JAIL_CREATE; break;
		case 'm': op |= JAIL_UPDATE; break;
		case 'r': rflag = 1; break;
		case 'R': Rflag = 1; break;
		case 'd':
			warnx("the 'allow.dying' parameter and '-d' flag are "
			    "deprecated and have no effect.");
			break;
		case 'f':
			errx(1, "-f: jail.conf is not supported yet");
		case 'h': break;	/* ip_hostname: needs a resolver; later */
		case 'i': iflag = qflag = 1; break;
		case 'J': jfile = optarg; break;
		case 'l': clean_env = 1; break;
		case 'n': lname = optarg; break;
		case 'p': break;
		case 'q': qflag = 1; break;
		case 's': lsecure = optarg; break;
		case 'u': host_user = optarg; jail_user = NULL; break;
		case 'U': jail_user = optarg; host_user = NULL; break;
		case 'v': vflag = 1; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;

	if (Rflag && (rflag || op))
		usage();
	if (Rflag || (rflag && !op)) {
		if (argc < 1)
			usage();
		return remove_jails(argc, argv);
	}
	if (rflag && op == JAIL_CREATE) {
		/* -rc: remove the named jail if it exists, then create it. */
		parse_params(argc, argv);
		const char *n = param_string("name");
		int jid = n != NULL ? jail_getid(n) : -1;

		if (jid > 0 && remove_one(jid, n, vflag) != 0)
			return 1;
		return create(JAIL_CREATE);
	}
	if (rflag)
		usage();
	if (op == 0) {
		/* The old form: path hostname ip[,ip...] command ... */
		if (argc < 4 || argv[0][0] != '/' || strchr(argv[0], '=') != NULL)
			usage();
		add("path", argv[0]);
		add("host.hostname", argv[1]);
		if (argv[2][0] != '\0') {
			char *ips = strdup(argv[2]), *t, *save = NULL;

			for (t = strtok_r(ips, ",", &save); t != NULL;
			    t = strtok_r(NULL, ",", &save))
				add(strchr(t, ':') ? "ip6.addr" : "ip4.addr", t);
			free(ips);
		}
		if (lname != NULL)
			add("name", lname);
		if (lsecure != NULL)
			add("securelevel", lsecure);
		cmd = argv + 3;
		return create(JAIL_CREATE);
	}
	if (argc < 1)
		usage();
	if (lname != NULL)
		add("name", lname);
	if (lsecure != NULL)
		add("securelevel", lsecure);
	parse_params(argc, argv);
	return create(op);
}
