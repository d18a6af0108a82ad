/*
 * jail(8): create, modify and remove jails, from jail.conf(5) or from the
 * command line.
 *
 *	jail [-cm] [-Cdqv] [-f conf_file] [-p limit] [jail]
 *	jail [-r] [-Cqv] [-f conf_file] [-p limit] [* | jail ...]
 *	jail [-cm] [-dhilqv] [-J jid_file] [-u username] [-U username]
 *	     param=value ... [command=command ...]
 *	jail [-rR] [-qv] [* | jail ...]
 *	jail [-f conf_file] -e separator
 *	jail [-dhilqv] [-J jid_file] [-u username] [-U username]
 *	     [-n jailname] [-s securelevel] path hostname ip[,ip...] command ...
 *
 * This file tells the forms apart and chooses the jails; the state
 * machine (state.c) does the work.
 */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/stat.h>

#include "jail8.h"
#include "state.h"

/* A parameter of a deprecated flag (-h -l -n -s -u -U), in order. */
struct flagparam {
	const char	*name;
	const char	*value;
};

static struct flagparam flagparams[8];
static int nflagparams;

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr,
	    "usage: jail [-dhilqv] [-J jid_file] [-u username] [-U username]\n"
	    "            -[cmr] param=value ... [command=command ...]\n"
	    "       jail [-dqv] [-f file] -[cmr] [jail]\n"
	    "       jail [-qv] [-f file] -[rR] ['*' | jail ...]\n"
	    "       jail [-dhilqv] [-J jid_file] [-u username] [-U username]\n"
	    "            [-n jailname] [-s securelevel]\n"
	    "            path hostname ip[,ip...] command ...\n"
	    "       jail [-f file] -e separator\n");
	exit(1);
}

static void
flag_param(const char *name, const char *value)
{
	/* A repeated flag replaces its earlier value. */
	for (int i = 0; i < nflagparams; i++)
		if (strcmp(flagparams[i].name, name) == 0) {
			flagparams[i].value = value;
			return;
		}
	if (nflagparams == (int)(sizeof(flagparams) / sizeof(flagparams[0])))
		errx(1, "too many options");
	flagparams[nflagparams].name = name;
	flagparams[nflagparams++].value = value;
}

/* The command-line jail gets the deprecated flags' parameters first. */
static struct cfjail *
cmdline_jail(void)
{
	struct cfjail *j = cfjail_new(NULL);

	for (int i = 0; i < nflagparams; i++)
		if (cfjail_set(j, flagparams[i].name, flagparams[i].value,
		    PF_CMDLINE) < 0)
			exit(1);
	return j;
}

/* A parameter from the command line: lists given again add up. */
static void
cmdline_param(struct cfjail *j, const char *arg)
{
	const char *eq = strchr(arg, '=');
	char *name;

	if (*arg == '\0')
		errx(1, "empty parameter: missing parameter name");
	if (eq == arg)
		errx(1, "%s: missing parameter name", arg);
	name = eq != NULL ? strndup(arg, (size_t)(eq - arg)) : estrdup(arg);
	if (name == NULL)
		err(1, "strndup");
	if (cfjail_set(j, name, eq != NULL ? eq + 1 : NULL,
	    PF_CMDLINE | PF_APPEND) < 0)
		exit(1);
	free(name);
}

/* NAME=VALUE ... [command=cmd args ...]: the one jail of the command line. */
static void
cmdline_form(int argc, char **argv)
{
	struct cfjail *j = cmdline_jail();

	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i];

		if (strncmp(arg, "command", 7) == 0 &&
		    (arg[7] == '\0' || arg[7] == '=')) {
			/* It takes the rest of the line with it. */
			if (arg[7] == '=' && arg[8] != '\0')
				(void)cfjail_set(j, "command", arg + 8,
				    PF_CMDLINE | PF_APPEND);
			for (i++; i < argc; i++)
				(void)cfjail_set(j, "command", argv[i],
				    PF_CMDLINE | PF_APPEND);
			if (j->ip[IP_COMMAND] == NULL)
				errx(1, "command: no command given");
			return;
		}
		cmdline_param(j, arg);
	}
}

/* The old form: path hostname ip[,ip...] command ... */
static void
legacy(int argc, char **argv)
{
	struct cfjail *j;
	char *ips, *tok, *save = NULL;
	struct in6_addr a6;

	if (argc < 4 || argv[0][0] != '/')
		usage();
	legacy_form = 1;
	j = cmdline_jail();
	if (cfjail_set(j, "path", argv[0], PF_CMDLINE) < 0 ||
	    cfjail_set(j, "host.hostname", argv[1], PF_CMDLINE) < 0)
		exit(1);
	ips = estrdup(argv[2]);
	for (tok = strtok_r(ips, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save))
		if (cfjail_set(j, inet_pton(AF_INET6, tok, &a6) == 1 ?
		    "ip6.addr" : "ip4.addr", tok, PF_CMDLINE | PF_APPEND) < 0)
			exit(1);
	free(ips);
	for (int i = 3; i < argc; i++)
		(void)cfjail_set(j, "command", argv[i], PF_CMDLINE | PF_APPEND);
	state_choose(j, JF_START);
}

/* Is there a configuration to read: the file given, or the defaults? */
static int
have_config(const char *cfname)
{
	struct stat sb;

	if (cfname != NULL)
		return strcmp(cfname, "-") == 0 || stat(cfname, &sb) == 0;
	return stat(CONF_FILE, &sb) == 0 || stat(CONF_DIR, &sb) == 0;
}

/* A configured jail may be named by its jid too ("5309 {...}", jid=). */
static struct cfjail *
find_configured_jid(const char *arg)
{
	for (int i = 0; i < ncfjails; i++) {
		const char *jid = cf_string(cfjail_find(cfjails[i], "jid"));

		if (jid != NULL && strcmp(jid, arg) == 0)
			return cfjails[i];
	}
	return NULL;
}

/* A running jail that is not configured, by name or jid. */
static struct cfjail *
running_jail(const char *arg, unsigned flags)
{
	struct cfjail *j;
	char *name;
	int jid;

	if ((jid = jail_getid(arg)) <= 0)
		return NULL;
	name = jail_getname(jid);
	j = cfjail_new(name != NULL && *name != '\0' ? name : arg);
	free(name);
	j->jid = jid;
	j->flags |= flags;
	/* Found by jid: it must not be looked up by name again. */
	{
		char buf[32];

		snprintf(buf, sizeof(buf), "%d", jid);
		(void)cfjail_set(j, "jid", buf, PF_CMDLINE);
	}
	return j;
}

/* Every running jail whose name WILD matches (-R, or -r without config). */
static int
choose_running(const char *wild, unsigned op, unsigned flags)
{
	struct jailparam jp[2];
	int last = 0, jid, n = 0;
	char buf[32], *name;

	if (jailparam_init(&jp[0], "lastjid") < 0 ||
	    jailparam_init(&jp[1], "name") < 0)
		errx(1, "%s", jail_errmsg);
	for (;;) {
		snprintf(buf, sizeof(buf), "%d", last);
		if (jailparam_import(&jp[0], buf) < 0)
			errx(1, "%s", jail_errmsg);
		if ((jid = jailparam_get(jp, 2, 0)) < 0) {
			int gone;

			/* One removed while we walk: step over it. */
			if (errno == ENOENT && sscanf(jail_errmsg, "jail %d ",
			    &gone) == 1 && gone > last) {
				last = gone;
				continue;
			}
			break;
		}
		last = jid;
		if ((name = jailparam_export(&jp[1])) == NULL)
			continue;
		if (wild_match(wild, name) && cfjail_named(name) == NULL) {
			struct cfjail *j = running_jail(name, flags | JF_WILD);

			if (j != NULL) {
				state_choose(j, op);
				n++;
			}
		}
		free(name);
	}
	jailparam_free(jp, 2);
	return n;
}

/* Choose what TARGET names for OP: -1 when it names nothing that can be. */
static int
choose_target(const char *target, unsigned op, int docf, int Rflag,
    unsigned flags)
{
	struct cfjail *j;

	if (target == NULL || (docf && strcmp(target, "*") == 0 && !Rflag)) {
		/* Every configured jail, quietly skipping those in place. */
		for (int i = 0; i < ncfjails; i++) {
			cfjails[i]->flags |= JF_WILD | flags;
			state_choose(cfjails[i], op);
		}
		return 0;
	}
	if (wild_name(target)) {
		if (docf && !Rflag) {
			for (int i = 0; i < ncfjails; i++)
				if (wild_match(target, cfjails[i]->name)) {
					cfjails[i]->flags |= JF_WILD | flags;
					state_choose(cfjails[i], op);
				}
		} else
			(void)choose_running(target, op, flags);
		return 0;
	}
	j = docf && !Rflag ? cfjail_named(target) : NULL;
	if (j == NULL && docf && !Rflag)
		j = find_configured_jid(target);
	if (j == NULL && (op & JF_OP_MASK) == JF_STOP)
		j = running_jail(target, flags);
	if (j == NULL) {
		warnx("\"%s\" not found", target);
		return -1;
	}
	j->flags |= flags;
	state_choose(j, op);
	return 0;
}

int
main(int argc, char **argv)
{
	const char *cfname = NULL, *jfname = NULL, *esep = NULL;
	unsigned op = 0, flags = 0;
	int ch, docf = 1, Rflag = 0, Cflag = 0, error = 0;

	while ((ch = getopt(argc, argv, "+:cCde:f:hiJ:lmn:p:qrRs:u:U:v")) !=
	    -1) {
		switch (ch) {
		case 'c':
			op |= JF_START;
			break;
		case 'C':
			Cflag = 1;
			break;
		case 'd':
			warnx("the 'allow.dying' parameter and '-d' flag are "
			    "deprecated and have no effect.");
			break;
		case 'e':
			esep = optarg;
			break;
		case 'f':
			cfname = optarg;
			break;
		case 'h':
			flag_param("ip_hostname", NULL);
			docf = 0;
			break;
		case 'i':
			iflag = 1;
			verbose = -1;
			break;
		case 'J':
			jfname = optarg;
			break;
		case 'l':
			flag_param("exec.clean", NULL);
			docf = 0;
			break;
		case 'm':
			op |= JF_SET;
			break;
		case 'n':
			flag_param("name", optarg);
			docf = 0;
			break;
		case 'p':
			paralimit = atoi(optarg);
			if (paralimit <= 0)
				paralimit = -1;
			break;
		case 'q':
			verbose = -1;
			break;
		case 'r':
			op |= JF_STOP;
			break;
		case 'R':
			op |= JF_STOP;
			Rflag = 1;
			break;
		case 's':
			flag_param("securelevel", optarg);
			docf = 0;
			break;
		case 'u':
		case 'U':
			if (*optarg == '\0')
				errx(1, "-%c: empty user name", ch);
			flag_param("exec.jail_user", optarg);
			flag_param("exec.system_jail_user",
			    ch == 'u' ? "true" : "false");
			docf = 0;
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

	if (esep != NULL) {
		if (op != 0 || Cflag || argc > 0)
			usage();
		config_load(cfname);
		config_show(esep);
		return 0;
	}
	if (Cflag) {
		/* -C: the steps after removal, for jails gone already. */
		if (op & ~JF_STOP)
			usage();
		op = JF_STOP;
		flags |= JF_CLEANUP;
	}

	if (op == 0) {
		/* The old form: four fixed arguments and more. */
		if (argc < 4 || argv[0][0] != '/')
			usage();
		legacy(argc, argv);
		docf = 0;
	} else if (op == JF_STOP) {
		if (!docf || argc == 0 || (Rflag && Cflag))
			usage();
		if (!Rflag)
			for (int i = 0; i < argc; i++)
				if (strchr(argv[i], '=') != NULL)
					usage();
		if ((docf = !Rflag && have_config(cfname)))
			config_load(cfname);
		state_link_depends();
		note_remove = docf || argc > 1 || wild_name(argv[0]);
		for (int i = 0; i < argc; i++)
			if (choose_target(argv[i], op, docf, Rflag, flags) < 0)
				error = 1;
		if (Rflag)
			for (int i = 0; i < ncfjails; i++)
				cfjails[i]->flags |= JF_NOCONF;
	} else if (argc > 1 || (argc == 1 && strchr(argv[0], '=') != NULL)) {
		/* One jail, all of it on the command line. */
		if (Rflag || Cflag)
			usage();
		docf = 0;
		cmdline_form(argc, argv);
		state_choose(cfjails[0], op);
	} else {
		/* From the configuration, one jail or all of them. */
		if (Rflag || Cflag || !docf)
			usage();
		if (!have_config(cfname))
			errx(1, "%s: %s", cfname != NULL ? cfname : CONF_FILE,
			    strerror(ENOENT));
		config_load(cfname);
		state_link_depends();
		if (choose_target(argc > 0 ? argv[0] : NULL, op, 1, 0, 0) < 0)
			return 1;
	}

	if (jfname != NULL) {
		if ((jfile = fopen(jfname, "w")) == NULL)
			err(1, "open %s", jfname);
		setlinebuf(jfile);
	}
	if (state_run() != 0)
		error = 1;
	if (jfile != NULL && fclose(jfile) != 0) {
		warn("%s", jfname);
		error = 1;
	}
	if (fflush(stdout) != 0)
		error = 1;
	return error;
}
